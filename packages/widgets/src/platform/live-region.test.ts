// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { createLiveRegion, type LiveRegion } from './live-region'
import { inertOutside } from './inert'

/** A region whose timers the test runs by hand. */
function region(from?: LiveRegion) {
  const host = document.createElement('div')
  document.body.append(host)
  const root = host.attachShadow({ mode: 'open' })
  const timers: Array<{ fn: () => void; ms: number }> = []
  const live = createLiveRegion(root, (fn, ms) => timers.push({ fn, ms }), from)
  const run = () => timers.splice(0).forEach((t) => t.fn())
  const text = (role: string) => root.querySelector(`[role=${role}]`)!.textContent
  return { live, run, text, timers, host }
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

  it('does not tell of a banner a modal covered before it was said: the reader hears the dialog, and what comes from it', () => {
    const { live, run, text } = region()
    const [banner, wall] = [document.createElement('div'), document.createElement('div')]
    document.body.append(banner)
    live.announce('Export many invoices at once')
    document.body.append(wall)
    const release = inertOutside(wall) // the payment wall opens
    run()
    expect(text('status')).toBe('')
    live.announce('Thanks! This updates once the change is through.')
    run()
    expect(text('status')).toBe('Thanks! This updates once the change is through.')
    release()
    banner.remove()
    wall.remove()
  })

  it("still says the modal's own message when a banner comes behind it meanwhile (inert, waiting)", () => {
    const { live, run, text } = region()
    const wall = document.createElement('div')
    document.body.append(wall)
    const release = inertOutside(wall)
    live.announce('One moment…')
    const banner = document.createElement('div')
    banner.setAttribute('inert', '')
    document.body.append(banner)
    run()
    expect(text('status')).toBe('One moment…')
    release()
    wall.remove()
    banner.remove()
  })

  it('keeps what a surface out of sight told (a banner behind a wall) until it is in sight, and drops it once the surface is gone', () => {
    const { live, run, text } = region()
    let banner: boolean | undefined = false
    let toast: boolean | undefined = false
    live.announce('Export many invoices at once', 'polite', () => banner)
    live.announce('Badge earned: Explorer', 'polite', () => toast)
    run()
    expect(text('status')).toBe('')
    // The wall went: the banner is in sight, the toast went with its time.
    ;[banner, toast] = [true, undefined]
    live.again()
    run()
    expect(text('status')).toBe('Export many invoices at once')
  })

  it('in a background tab, keeps what it has to say until the user comes to the tab', () => {
    const { live, run, text, timers } = region()
    const seen = (state: 'hidden' | 'visible') => {
      Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
      Object.defineProperty(document, 'hidden', { value: state === 'hidden', configurable: true })
      document.dispatchEvent(new Event('visibilitychange'))
    }
    seen('hidden')
    live.announce('Task completed: Export a report')
    run()
    expect(text('status')).toBe('')
    seen('visible')
    expect(timers.map((t) => t.ms)).toEqual([60])
    run()
    expect(text('status')).toBe('Task completed: Export a report')
  })

  it("hands what it kept, and what it had yet to say, to the region made after it (in the page's modal dialog): neither is lost", () => {
    const first = region()
    let banner = false
    first.live.announce('Export many invoices at once', 'polite', () => banner)
    first.run()
    first.live.announce('Task completed: Export a report')
    // The page's dialog opened: the next message's region is made in it, the first one goes.
    first.host.remove()
    const next = region(first.live)
    next.run()
    expect(next.text('status')).toBe('Task completed: Export a report')
    banner = true
    next.live.again()
    next.run()
    expect(next.text('status')).toBe('Export many invoices at once')
    first.run()
    expect(first.text('status')).toBe('')
  })
})
