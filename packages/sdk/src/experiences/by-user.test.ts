import { afterEach, describe, expect, it, vi } from 'vitest'

// What the window's capture listeners see of the user's clicks and keys, as a browser dispatches
// them (the real thing: announcements/asked-focus.browser.test.ts).
async function page() {
  // The window's listeners as the page has them now: added, and not removed since.
  const listeners = new Map<string, Set<(e: Event) => void>>()
  const on = (type: string) => listeners.get(type) ?? listeners.set(type, new Set()).get(type)!
  const capture = (o: boolean | { capture?: boolean }) => o === true || (o as { capture?: boolean })?.capture
  vi.stubGlobal('addEventListener', (type: string, fn: (e: Event) => void, o: boolean | { capture?: boolean }) => capture(o) && on(type).add(fn))
  vi.stubGlobal('removeEventListener', (type: string, fn: (e: Event) => void, o: boolean | { capture?: boolean }) => capture(o) && on(type).delete(fn))
  vi.stubGlobal('event', undefined)
  vi.resetModules()
  const { byUser, watchPresses } = await import('./by-user')
  const stop = watchPresses()
  /** Dispatches `e` through the page: `during` runs in a listener inside a shadow root (no window.event there). */
  const dispatch = <T>(e: Partial<Event>, during: () => T) => {
    const ev = Object.assign(e, { eventPhase: 1 }) as { eventPhase: number } & Event
    on(ev.type).forEach((fn) => fn(ev))
    ev.eventPhase = 2
    const r = during()
    ev.eventPhase = 0
    return r
  }
  const count = () => [...listeners.values()].reduce((n, s) => n + s.size, 0)
  return { byUser, watchPresses, stop, dispatch, count }
}
afterEach(() => (vi.unstubAllGlobals(), vi.useRealTimers()))

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

describe('what the page keeps of the user\'s presses', () => {
  it('only weakly: once the browser has collected the press (the element pressed, and a dialog the app removed with it, gone with it), a later look finds nothing and throws nothing into the page', async () => {
    // The browser's WeakRef, whose collection the test decides (the real one: by-user.browser.test.ts).
    const held: WeakRef<object>[] = []
    let collected = false
    vi.stubGlobal('WeakRef', class<T extends object> { constructor(private t: T) { held.push(this as unknown as WeakRef<object>) } deref() { return collected ? undefined : this.t } })
    const { dispatch, byUser } = await page()
    const press = { type: 'click', isTrusted: true, target: null } as unknown as Event
    // During the press (the browser holds it), the app's show() is theirs.
    expect(dispatch(press, () => byUser())).toBe(true)
    expect(held.map((r) => r.deref())).toEqual([press])
    collected = true
    expect(byUser()).toBe(false)
  })

  it('schedules nothing per keystroke or click: the host pays no timer for them (in an Angular zone, one more change detection each)', async () => {
    vi.useFakeTimers()
    const { dispatch, byUser } = await page()
    for (const type of ['keydown', 'keyup', 'pointerup', 'mouseup', 'click']) dispatch({ type, isTrusted: true }, () => {})
    expect(vi.getTimerCount()).toBe(0)
    expect(byUser()).toBe(false)
  })

  it('goes from the window with the client (destroy()): no listener of Linger\'s left on the page', async () => {
    const { stop, count } = await page()
    expect(count()).toBe(6)
    stop()
    expect(count()).toBe(0)
  })

  it('two clients on one page: the first destroyed leaves the other\'s presses seen, and a client made again after both were destroyed sees them again', async () => {
    const { byUser, dispatch, stop, watchPresses, count } = await page()
    const other = watchPresses()
    stop()
    // Twice (a component that unmounts twice) takes nothing of the other's.
    stop()
    expect(count()).toBe(6)
    expect(dispatch({ type: 'click', isTrusted: true }, () => byUser())).toBe(true)
    other()
    expect(count()).toBe(0)
    expect(dispatch({ type: 'click', isTrusted: true }, () => byUser())).toBe(false)
    const again = watchPresses()
    expect(count()).toBe(6)
    expect(dispatch({ type: 'keydown', isTrusted: true }, () => byUser())).toBe(true)
    again()
  })
})
