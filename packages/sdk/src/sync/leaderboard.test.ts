import { afterEach, describe, expect, it } from 'vitest'
import { leaderboard, type LeaderboardRow } from './leaderboard'
import { verified } from './verified'
import { createTestHost } from '../experiences/badges/test-host'

afterEach(() => void (verified.current = undefined))

/** Max, verified and in account `acme`, whose collector answers with `rows` (Max's own marked). */
function signedIn(rows: LeaderboardRow[], optedOut: 'user' | 'vendor' | null = null) {
  const t = createTestHost({})
  t.platform.storage.set('linger:identity', JSON.stringify({ anonymousId: 'a1', userId: 'max', userHash: 'h', groupId: 'acme', traits: {}, groupTraits: {} }))
  verified.current = { endpoint: 'https://collect.example.com', writeKey: 'pk_test', userId: 'max', userHash: 'h' }
  t.platform.respond = () => ({ status: 200, body: JSON.stringify({ ok: true, optedOut, rows }) })
  return t
}

const row = (rank: number, name: string | null, points: number, you = false): LeaderboardRow => ({ rank, name, points, badges: 1, you })
const places = (b: Awaited<ReturnType<typeof leaderboard>>) => (b.ok ? b.rows.map((r) => [r.rank, r.name, r.points]) : b.reason)

describe('the account leaderboard', () => {
  it('a vendor whose collector is reached through a path and a tenant query (or given as its /v1/batch URL) still shows the board', async () => {
    for (const [endpoint, expected] of [
      ['https://collect.example.com/ingest?tenant=a', 'https://collect.example.com/ingest/v1/leaderboard?tenant=a&group=acme'],
      ['https://collect.example.com/v1/batch', 'https://collect.example.com/v1/leaderboard?group=acme'],
    ]) {
      const t = signedIn([row(1, 'Max', 100, true)])
      verified.current = { ...verified.current!, endpoint }
      const asked: string[] = []
      const hashes: unknown[] = []
      t.platform.respond = (req) => (asked.push(req.url), hashes.push((req.init.headers as Record<string, string>)['X-Linger-User-Hash']), { status: 200, body: JSON.stringify({ ok: true, optedOut: null, rows: [row(1, 'Max', 100, true)] }) })
      expect(places(await leaderboard(t.host))).toEqual([[1, 'Max', 100]])
      expect(asked.map((u) => u.split('&userId')[0])).toEqual([expected])
      // The userHash in a header, not in the request line proxies and CDNs log.
      expect([asked.some((u) => u.includes('userHash')), hashes]).toEqual([false, ['h']])
    }
  })

  it('a user at the top who leaves it sees their teammates ranked from 1, not from 2 (the collector has not heard of the choice yet)', async () => {
    const t = signedIn([row(1, 'Max', 100, true), row(2, 'Lea M.', 60), row(2, null, 60), row(4, 'Sam', 10)])
    expect(places(await leaderboard(t.host, true))).toEqual([
      [1, 'Lea M.', 60],
      [1, null, 60],
      [3, 'Sam', 10],
    ])
    expect(t.events('Leaderboard Opted Out')).toEqual([{ event: 'Leaderboard Opted Out', properties: { groupId: 'acme' } }])
  })

  it('a user tied with a teammate who leaves it leaves that teammate where they were, and moves up only those below them', async () => {
    const t = signedIn([row(1, 'Lea M.', 60), row(2, 'Max', 40, true), row(2, 'Ana', 40), row(4, 'Sam', 10)])
    expect(places(await leaderboard(t.host, true))).toEqual([
      [1, 'Lea M.', 60],
      [2, 'Ana', 40],
      [3, 'Sam', 10],
    ])
  })

  it('shows the board as the collector ranked it when nothing was just chosen', async () => {
    const t = signedIn([row(1, 'Max', 100, true), row(2, 'Lea M.', 60)])
    expect(places(await leaderboard(t.host))).toEqual([
      [1, 'Max', 100],
      [2, 'Lea M.', 60],
    ])
    expect(t.events('Leaderboard Viewed')).toHaveLength(1)
  })

  it('a user who leaves it and opens the shelf again a moment later still sees themselves out of it, not back in (their choice is on its way)', async () => {
    const t = signedIn([row(1, 'Max', 100, true), row(2, 'Lea M.', 60)])
    await leaderboard(t.host, true)
    await t.platform.advance(3000)
    // The collector has not taken in "Leaderboard Opted Out" yet: it still ranks Max.
    const again = await leaderboard(t.host)
    expect(again.ok && again.optedOut).toBe('user')
    expect(places(again)).toEqual([[1, 'Lea M.', 60]])
  })

  it('a user who left the board and switches it back on sees their own place at once, though the collector has not heard yet', async () => {
    // The collector still has Max out: it tells him so, with his own row (only his answer has it).
    const t = signedIn([row(1, 'Lea M.', 60), row(2, 'Max', 40, true), row(3, 'Sam', 10)], 'user')
    expect(places(await leaderboard(t.host))).toEqual([
      [1, 'Lea M.', 60],
      [2, 'Sam', 10],
    ])
    const back = await leaderboard(t.host, false)
    expect(back.ok && back.optedOut).toBe(null)
    expect(places(back)).toEqual([
      [1, 'Lea M.', 60],
      [2, 'Max', 40],
      [3, 'Sam', 10],
    ])
    expect(t.events('Leaderboard Opted In')).toHaveLength(1)
  })

  it('a user who leaves the board while offline still sees the board, without them and with the switch off, not "cannot be loaded" and the switch gone from under their focus (the choice waits in the queue)', async () => {
    const t = signedIn([row(1, 'Lea M.', 60), row(2, 'Max', 40, true), row(3, 'Sam', 10)])
    await leaderboard(t.host)
    t.platform.respond = () => 'network-error'
    const out = await leaderboard(t.host, true)
    expect(out.ok && out.optedOut).toBe('user')
    expect(places(out)).toEqual([
      [1, 'Lea M.', 60],
      [2, 'Sam', 10],
    ])
    expect(t.events('Leaderboard Opted Out')).toHaveLength(1)
    // …and back on, still offline: their place again.
    const back = await leaderboard(t.host, false)
    expect(back.ok && back.optedOut).toBe(null)
    expect(places(back)).toEqual([
      [1, 'Lea M.', 60],
      [2, 'Max', 40],
      [3, 'Sam', 10],
    ])
  })

  it("offline with no choice just made, the board says it cannot be loaded rather than show an old one as today's", async () => {
    const t = signedIn([row(1, 'Lea M.', 60), row(2, 'Max', 40, true)])
    await leaderboard(t.host)
    t.platform.respond = () => 'network-error'
    expect(places(await leaderboard(t.host))).toBe('unavailable')
  })

  it('a user the vendor keeps off the board (their trait) who switches it on sees the switch go back off, not "on" with no place on the board', async () => {
    const t = signedIn([row(1, 'Lea M.', 60)], 'vendor')
    const first = await leaderboard(t.host)
    expect(first.ok && first.optedOut).toBe('user')
    const on = await leaderboard(t.host, false)
    expect(on.ok && on.optedOut).toBe('user')
    expect(places(on)).toEqual([[1, 'Lea M.', 60]])
  })

  it('once the collector has long had the choice, its answer is the board again (a vendor trait may have changed it since)', async () => {
    const t = signedIn([row(1, 'Max', 100, true), row(2, 'Lea M.', 60)])
    await leaderboard(t.host, true)
    await t.platform.advance(5 * 60_000)
    const later = await leaderboard(t.host)
    expect(later.ok && later.optedOut).toBe(null)
    expect(places(later)).toEqual([
      [1, 'Max', 100],
      [2, 'Lea M.', 60],
    ])
  })
})
