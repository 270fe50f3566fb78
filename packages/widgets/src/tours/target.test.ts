// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { waitForTarget } from './target'

// A tab the user put in the background (or opened from a link without looking at it yet).
let hidden = false
beforeEach(() => {
  hidden = false
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden })
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
})
afterEach(() => {
  vi.useRealTimers()
  document.body.replaceChildren()
})
const look = (hiddenNow: boolean) => {
  hidden = hiddenNow
  document.dispatchEvent(new Event('visibilitychange'))
}
const addTarget = () => document.body.append(Object.assign(document.createElement('button'), { id: 't' }))

describe('a tour step waiting for its target while its tab is in the background', () => {
  it('is not skipped as missing behind the user’s back: the wait holds until they come back, and the step shows if its target is there by then', () => {
    const found = vi.fn()
    const missing = vi.fn()
    hidden = true
    waitForTarget(document, '#t', 3000, found, missing)
    vi.advanceTimersByTime(60_000)
    expect(missing).not.toHaveBeenCalled()
    // The app drew the page meanwhile (no frames run in a background tab to notice).
    addTarget()
    look(false)
    expect(found).toHaveBeenCalledWith(document.getElementById('t'))
    expect(missing).not.toHaveBeenCalled()
  })

  it('back in the tab and still no target: the user gets the whole wait from then, and only then is it missing', () => {
    const found = vi.fn()
    const missing = vi.fn()
    waitForTarget(document, '#t', 3000, found, missing)
    look(true)
    vi.advanceTimersByTime(10_000)
    look(false)
    vi.advanceTimersByTime(2900)
    expect(missing).not.toHaveBeenCalled()
    vi.advanceTimersByTime(200)
    expect(missing).toHaveBeenCalledTimes(1)
    expect(found).not.toHaveBeenCalled()
  })

  it('in a tab the user is looking at, a target that never comes is missing once the wait is over', () => {
    const missing = vi.fn()
    waitForTarget(document, '#t', 3000, () => {}, missing)
    vi.advanceTimersByTime(3100)
    expect(missing).toHaveBeenCalledTimes(1)
  })
})
