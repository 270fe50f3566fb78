import { afterEach, describe, expect, it, vi } from 'vitest'

// What the window's capture listeners see of the user's clicks and keys, as a browser dispatches
// them (the real thing: announcements/asked-focus.browser.test.ts).
async function page() {
  const listeners: Record<string, (e: Event) => void> = {}
  vi.stubGlobal('addEventListener', (type: string, fn: (e: Event) => void, capture: boolean) => capture && (listeners[type] = fn))
  vi.stubGlobal('event', undefined)
  vi.resetModules()
  const { byUser } = await import('./by-user')
  /** Dispatches `e` through the page: `during` runs in a listener inside a shadow root (no window.event there). */
  const dispatch = <T>(e: Partial<Event>, during: () => T) => {
    const ev = { eventPhase: 1, ...e } as { eventPhase: number } & Event
    listeners[ev.type]?.(ev)
    ev.eventPhase = 2
    const r = during()
    ev.eventPhase = 0
    return r
  }
  return { byUser, dispatch }
}
afterEach(() => vi.unstubAllGlobals())

describe('a linger.show() from the app\'s own web component, whose listener sits in its shadow root', () => {
  it('made in the user\'s click or key on its "What\'s new" is theirs', async () => {
    const { byUser, dispatch } = await page()
    expect(dispatch({ type: 'click', isTrusted: true }, () => byUser())).toBe(true)
    expect(dispatch({ type: 'keydown', isTrusted: true }, () => byUser())).toBe(true)
  })

  it('made once that click is over (a timer, an answer to a request) is not', async () => {
    const { byUser, dispatch } = await page()
    dispatch({ type: 'click', isTrusted: true }, () => {})
    expect(byUser()).toBe(false)
  })

  it('made in a click the app\'s own script made (el.click()) is not', async () => {
    const { byUser, dispatch } = await page()
    expect(dispatch({ type: 'click', isTrusted: false }, () => byUser())).toBe(false)
  })

  it('held while Linger started, made outside any event, is not, though the user clicks as it is replayed', async () => {
    const { byUser, dispatch } = await page()
    expect(dispatch({ type: 'click', isTrusted: true }, () => byUser(null))).toBe(false)
  })
})
