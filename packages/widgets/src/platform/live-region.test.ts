// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { createLiveRegion } from './live-region'

/** A region whose timers the test runs by hand. */
function region() {
  const host = document.createElement('div')
  document.body.append(host)
  const root = host.attachShadow({ mode: 'open' })
  const timers: Array<{ fn: () => void; ms: number }> = []
  const live = createLiveRegion(root, (fn, ms) => timers.push({ fn, ms }))
  const run = () => timers.splice(0).forEach((t) => t.fn())
  const text = (role: string) => root.querySelector(`[role=${role}]`)!.textContent
  return { live, run, text, timers }
}

describe('the live region screen readers hear', () => {
  it('says two messages of one moment together: neither replaces the other before it was read', () => {
    const { live, run, text } = region()
    live.announce('Checklist complete')
    live.announce('Badge earned: Explorer')
    run()
    expect(text('status')).toBe('Checklist complete. Badge earned: Explorer.')
  })

  it('says a message once when two widgets announce the same thing at once, and keeps urgent ones apart', () => {
    const { live, run, text } = region()
    live.announce('Saved')
    live.announce('Saved')
    live.announce('Payment failed', 'assertive')
    run()
    expect(text('status')).toBe('Saved')
    expect(text('alert')).toBe('Payment failed')
  })

  it('clears the text after it was read, so the same message later is announced again', () => {
    const { live, run, text, timers } = region()
    live.announce('Saved')
    run()
    expect(timers.map((t) => t.ms)).toEqual([7000])
    run()
    expect(text('status')).toBe('')
    live.announce('Saved')
    run()
    expect(text('status')).toBe('Saved')
  })
})
