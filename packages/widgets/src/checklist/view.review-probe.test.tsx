// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Checklist } from './view'
import { setup } from './test-setup'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
  document.body.innerHTML = ''
})

function mount(...args: Parameters<typeof setup>) {
  const s = setup(...args)
  render(<Checklist ctx={s.ctx} />)
  act(() => s.track('Signed In'))
  return s
}

describe('checklist widget review probes', () => {
  it('PROBE focus: the celebration that opens by itself does not take focus after the user closed the panel with the launcher', () => {
    const { track } = mount(undefined, { reducedMotion: true })
    const launcher = screen.getByRole('button', { name: /tasks done/ })
    fireEvent.click(launcher) // open
    fireEvent.click(launcher) // close with the launcher
    expect(screen.queryByRole('region')).toBeNull()
    // The user goes back to work in the host app.
    const input = document.createElement('input')
    document.body.appendChild(input)
    input.focus()
    expect(document.activeElement).toBe(input)
    act(() => ['Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported'].forEach((e) => track(e)))
    expect(screen.getByText('All done!')).toBeTruthy()
    expect(document.activeElement).toBe(input)
  })
})
