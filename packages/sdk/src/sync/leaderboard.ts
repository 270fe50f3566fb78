import type { ExperienceHost } from '../experiences/host'
import { fromJson } from '../json'
import { verified } from './verified'
import { collectorUrl } from '../transport/wire'

export interface LeaderboardRow {
  rank: number
  /** As the vendor supplied it (`displayName` trait), or null: the UI says "Teammate". */
  name: string | null
  points: number
  badges: number
  you: boolean
}

export type Leaderboard =
  | { ok: true; rows: LeaderboardRow[]; optedOut: 'user' | null }
  | { ok: false; reason: 'not-verified' | 'no-group' | 'account-opted-out' | 'unavailable' }

/**
 * The user's last choice, per Linger instance: its event reaches the collector seconds later (the
 * queue goes every few seconds; offline, later still), and a shelf opened again meanwhile showed
 * them back on the board. Taken over the collector's answer for a minute, no longer: a
 * `leaderboardOptOut` trait the vendor sets since has its say.
 */
const chosen = new WeakMap<ExperienceHost, { key: string; out: boolean; at: number }>()
const HEARD_MS = 60_000

type Answer = { rows: LeaderboardRow[]; optedOut?: 'account' | 'user' | 'vendor' | null }
/** The collector's last answer, per Linger instance: the board a choice made offline applies to. */
const answered = new WeakMap<ExperienceHost, { key: string; body: Answer }>()

/**
 * The account's leaderboard, from the collector (GET /v1/leaderboard), as the verified user.
 * `optOut` true/false first records the user's choice (an event the collector reads; the
 * vendor may also set the `leaderboardOptOut` trait). Never rejects.
 */
export async function leaderboard(host: ExperienceHost, optOut?: boolean): Promise<Leaderboard> {
  const me = verified.current
  if (!me) return { ok: false, reason: 'not-verified' }
  let groupId: string | undefined
  try {
    groupId = (fromJson(host.platform.storage.get('linger:identity') ?? '{}') as { groupId?: string }).groupId
  } catch {}
  if (!groupId) return { ok: false, reason: 'no-group' }
  const key = `${me.userId}\n${groupId}`
  if (optOut !== undefined) {
    host.emit(optOut ? 'Leaderboard Opted Out' : 'Leaderboard Opted In', { groupId })
    chosen.set(host, { key, out: optOut, at: host.platform.now() })
  }
  const last = chosen.get(host)
  const mine = last?.key === key && host.platform.now() - last.at < HEARD_MS ? last.out : undefined
  const saved = answered.get(host)
  try {
    let body: Answer | undefined
    try {
      // The hash in a header, not the logged request line (collector: verified-user.ts userHashOf).
      const q = new URLSearchParams({ group: groupId, userId: me.userId })
      // Placed as the batches are (wire.ts), joining the endpoint's own query if it has one.
      const url = collectorUrl(me.endpoint, '/v1/leaderboard')
      const res = await host.platform.request(`${url}${url.includes('?') ? '&' : '?'}${q}`, { method: 'GET', headers: { Authorization: `Basic ${btoa(`${me.writeKey}:`)}`, 'X-Linger-User-Hash': me.userHash }, timeoutMs: 10_000 })
      const got = fromJson(await res.text()) as Answer
      if (res.status === 200 && Array.isArray(got.rows)) answered.set(host, { key, body: (body = got) })
    } catch {}
    // Unreachable just after a choice (offline: its event waits in the queue): the last board, with
    // the choice. "Cannot be loaded" took the switch away from under the user's focus, and hid
    // a choice that was made.
    if (!body && mine !== undefined && saved?.key === key) body = saved.body
    if (!body) return { ok: false, reason: 'unavailable' }
    if (body.optedOut === 'account') return { ok: false, reason: 'account-opted-out' }
    // Just chosen: the collector may not have the event yet. Not over the vendor's trait: the
    // switch cannot lift it, and showed the user "on" with no place on the board.
    const optedOut = mine === undefined || body.optedOut === 'vendor' ? (body.optedOut ? 'user' : null) : mine ? 'user' : null
    const left = optedOut ? body.rows.find((r) => r.you) : undefined
    // Left just now, the collector still ranked them: everyone they were ahead of (not tied
    // with) moves up one, or the top of the board reads "2".
    const rows = left ? body.rows.filter((r) => r !== left).map((r) => (r.rank > left.rank ? { ...r, rank: r.rank - 1 } : r)) : body.rows
    if (optOut === undefined) host.emit('Leaderboard Viewed', { groupId })
    return { ok: true, rows, optedOut }
  } catch {
    return { ok: false, reason: 'unavailable' }
  }
}
