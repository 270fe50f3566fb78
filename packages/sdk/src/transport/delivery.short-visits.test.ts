import { expect, it } from 'vitest'
import { envelope, type LingerError } from '../events'
import { createFakePlatform } from '../fake-platform'
import { createDelivery } from './delivery'
import * as sending from './sender'
import './adopt'

const DAY = 24 * 3600_000

it('a user who opens the app for 2 minutes a day while its collector is unreachable: each day’s event waits, and once the tries of those visits add up to an hour, those over a week old are dropped and reported as expired, not kept for good', async () => {
  const shared = new Map<string, string>()
  const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
  const expired: number[] = []
  const lastDay = 75
  let pending = 0
  for (let day = 0; day <= lastDay; day++) {
    const p = createFakePlatform({ shared, clock, seed: day + 1 })
    // Online, but the collector's host is gone (a mistyped endpoint, a vendor who moved).
    p.respond = () => 'network-error'
    const d = createDelivery({
      sender: async () => sending,
      endpoint: 'https://collect.example.com',
      writeKey: 'pk_test',
      platform: p,
      onError: (e: LingerError) => void (e.code === 'dropped' && (e.details as { reason: string }).reason === 'expired' && expired.push((e.details as { count: number }).count)),
    })
    d.enqueue(envelope(p, { anonymousId: 'anon-1' }, { type: 'track', event: 'App Opened', properties: { day } }))
    await p.advance(2 * 60_000)
    // Not a week old yet: nothing may go.
    if (day <= 7) expect(expired).toEqual([])
    d.flushOnHide(true)
    pending = d.pending()
    p.close()
    clock.now += DAY - 2 * 60_000
  }
  const dropped = expired.reduce((a, b) => a + b, 0)
  // Every day's event is either still queued or was reported: none vanished, none counted twice.
  expect(dropped + pending).toBe(lastDay + 1)
  expect(dropped).toBeGreaterThan(0)
  // What stays queued is the last week or so, not months of events in the host's storage.
  expect(pending).toBeLessThanOrEqual(8)
  // Seventy-six page views on the fake clock: more than the default 5 s on a busy machine.
}, 60_000)
