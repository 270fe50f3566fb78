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

const ONBOARDING = ['Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported']

describe('checklist widget review probes (2)', () => {
  it('PROBE dismissed: a list the user hid does not pop open by itself when its last task ticks', () => {
    const { track } = mount(undefined, { reducedMotion: true })
    fireEvent.click(screen.getByRole('button', { name: /tasks done/ }))
    fireEvent.click(screen.getByRole('button', { name: 'Hide checklist' }))
    expect(screen.queryByRole('region')).toBeNull()
    act(() => ONBOARDING.forEach((e) => track(e)))
    // The user hid it "for good": the reward is granted, but no panel with confetti opens over their work.
    expect(screen.queryByRole('region')).toBeNull()
  })

  it('PROBE opened: a list the app opened, once finished and celebrated, gives way to the next list on the launcher', () => {
    vi.useFakeTimers()
    const second = { id: 'power-user', title: 'Become a power user', tasks: [{ id: 'share', title: 'Share a board', doneWhen: { event: 'Board Shared' } }] }
    const twoLists = { ...(setupFlows()), checklists: [...setupFlows().checklists!, second] } as never
    const s = mount(twoLists, { reducedMotion: true })
    act(() => void s.experiences.checklists.show?.('getting-started'))
    fireEvent.keyDown(screen.getByRole('region'), { key: 'Escape' })
    // The user goes back to the app (focus leaves the launcher).
    ;(document.activeElement as HTMLElement | null)?.blur()
    act(() => ONBOARDING.forEach((e) => s.track(e)))
    act(() => void vi.advanceTimersByTime(CELEBRATE))
    expect(screen.queryByRole('region')).toBeNull()
    expect(screen.getByRole('button', { name: 'Become a power user: 0 of 1 task done' })).toBeTruthy()
  })

  it('PROBE sign-out: a panel the last user left open does not open by itself for the next user', () => {
    const s = mount(undefined, { reducedMotion: true })
    fireEvent.click(screen.getByRole('button', { name: /tasks done/ }))
    expect(screen.getByRole('region')).toBeTruthy()
    // The host signs the user out (reset): a new visitor, with no list yet.
    act(() => {
      ;(s.host.state as unknown as { switchUser(k: string): void }).switchUser('a:visitor2')
      s.$user.set({ ...s.$user.get(), userKey: 'a:visitor2', userId: undefined })
    })
    // The new visitor's list starts (here at once: the test host keeps one usage profile).
    act(() => s.track('Signed In'))
    expect(screen.getByRole('button', { name: /tasks done/ })).toBeTruthy()
    expect(screen.queryByRole('region')).toBeNull()
  })
})

import { exampleFlows as setupFlowsValue } from '../../../sdk/src/experiences/checklist/example.fixture'
import { CELEBRATE_MS as CELEBRATE } from './view'
function setupFlows() {
  return setupFlowsValue
}
