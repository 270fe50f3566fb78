import { describe, expect, it } from 'vitest'
import { createFakePlatform } from '../fake-platform'
import { backoffDelay, MAX_DELAY_MS, MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelay } from './backoff'
import { sharedBackoff } from './shared-backoff'

const NOW = Date.parse('2026-03-02T10:00:00Z')

describe('backoff', () => {
  it('the longest possible wait doubles with each failure until the cap', () => {
    const longest = (failures: number) => backoffDelay(failures, () => 0.999999)
    expect(longest(1)).toBeLessThan(1000)
    expect(longest(2)).toBeGreaterThan(longest(1) * 1.9)
    expect(longest(3)).toBeGreaterThan(longest(2) * 1.9)
    expect(longest(30)).toBeLessThan(MAX_DELAY_MS)
    expect(longest(30)).toBe(longest(1000))
  })

  it('draws the wait anywhere between zero and that ceiling (full jitter)', () => {
    expect(backoffDelay(4, () => 0)).toBe(0)
    expect(backoffDelay(4, () => 0.25)).toBe(backoffDelay(4, () => 0.5) / 2)
  })
})

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('30', NOW)).toBe(30_000)
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000)
  })

  it('ignores what it cannot read, and a date already past means now', () => {
    expect(parseRetryAfter(null, NOW)).toBeNull()
    expect(parseRetryAfter('soon', NOW)).toBeNull()
    expect(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0)
  })

  it('does not let a huge value park the outbox for days', () => {
    expect(parseRetryAfter(String(7 * 86_400), NOW)).toBe(MAX_RETRY_AFTER_MS)
  })

  it('is honoured for 429 and 503 only; other failures back off', () => {
    const random = () => 0.5
    expect(retryDelay(1, random, NOW, 429, '20')).toBe(20_000)
    expect(retryDelay(1, random, NOW, 503, '20')).toBe(20_000)
    expect(retryDelay(1, random, NOW, 500, '20')).toBe(backoffDelay(1, random))
    expect(retryDelay(3, random, NOW, 429, null)).toBe(backoffDelay(3, random))
  })
})

describe('the backoff every tab shares', () => {
  it('is seen by another tab, and a success clears it for all', () => {
    const p = createFakePlatform()
    const tabA = sharedBackoff(p.storage, 'pk', p.now)
    const tabB = sharedBackoff(p.storage, 'pk', p.now)
    tabA.write({ failures: 2, retryAt: 5000 })
    expect(tabB.read()).toEqual({ failures: 2, retryAt: 5000 })
    tabB.write({ failures: 0, retryAt: 0 })
    expect(tabA.read()).toEqual({ failures: 0, retryAt: 0 })
    expect(p.storageMap.size).toBe(0)
  })

  it('is kept by the page itself when storage refuses writes', () => {
    const p = createFakePlatform()
    p.failStorage = true
    const backoff = sharedBackoff(p.storage, 'pk', p.now)
    backoff.write({ failures: 1, retryAt: 900 })
    expect(backoff.read()).toEqual({ failures: 1, retryAt: 900 })
  })
})

describe('a clock set back after a wait was written', () => {
  it('does not hold every tab back for as long as the clock was ahead', () => {
    const p = createFakePlatform()
    const backoff = sharedBackoff(p.storage, 'pk', p.now)
    // Written while the device clock was a day ahead: a 1 s wait after a network error.
    backoff.write({ failures: 1, retryAt: p.now() + 86_400_000 + 1000 })
    expect(backoff.read()).toEqual({ failures: 0, retryAt: 0 })
    // The longest wait a collector may ask for still holds.
    backoff.write({ failures: 1, retryAt: p.now() + MAX_RETRY_AFTER_MS })
    expect(backoff.read().retryAt).toBe(p.now() + MAX_RETRY_AFTER_MS)
  })

  it('set back 30 minutes, a 20 s wait written just before ends 20 s from then, for this tab and every other', () => {
    const p = createFakePlatform()
    let clock = p.now()
    const tabA = sharedBackoff(p.storage, 'pk', () => clock)
    const tabB = sharedBackoff(p.storage, 'pk', () => clock)
    tabA.write({ failures: 1, retryAt: clock + 20_000 })
    clock -= 30 * 60_000
    expect(tabA.read()).toEqual({ failures: 1, retryAt: clock + 20_000 })
    clock += 20_000
    expect(tabB.read().retryAt).toBeLessThanOrEqual(clock)
  })
})
