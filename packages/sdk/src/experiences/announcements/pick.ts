import type { Announcement } from '../../config/flows-schema'
import { isRec } from '../../state-join'

/** Per user, persisted: what was dismissed or clicked (never shown again) and which feed items were read. */
export interface AnnouncementsState {
  closed: Record<string, number>
  read: Record<string, number>
}

const record = (v: unknown): Record<string, number> => (isRec(v) ? (v as Record<string, number>) : {})

/**
 * Stored state as this release reads it, whatever shape it has: a doc synced from another device
 * may hold only what that device wrote (closed, no read yet), an older release or a hand edit
 * anything (`closed: null` would throw on every check and no announcement would show again).
 */
export const announcementsState = (v: unknown): AnnouncementsState => {
  const s = record(v) as { closed?: unknown; read?: unknown }
  return { closed: record(s.closed), read: record(s.read) }
}

const byPriority = (a: Announcement, b: Announcement) => (b.priority ?? 0) - (a.priority ?? 0)

/** The one banner to show: the highest priority eligible banner not closed yet (config order breaks ties). */
export function pickBanner(list: readonly Announcement[], eligible: (a: Announcement) => boolean, st: AnnouncementsState): Announcement | undefined {
  return list.filter((a) => a.format === 'banner' && !st.closed[a.id] && eligible(a)).sort(byPriority)[0]
}

/** "What's new" modals waiting for the blocking slot, best first. */
export function pendingModals(list: readonly Announcement[], eligible: (a: Announcement) => boolean, st: AnnouncementsState): Announcement[] {
  return list.filter((a) => a.format === 'modal' && !st.closed[a.id] && eligible(a)).sort(byPriority)
}

// A date alone is that day where the user is: its local midnight (a date-time without an offset
// is local to ES), not UTC's, which in New York put it in the feed the evening before. A
// date-time carries its offset (the flows schema refuses one without: whose 9:00 would it be?).
const time = (a: Announcement) => (a.publishedAt ? Date.parse(a.publishedAt.length == 10 ? a.publishedAt + 'T00:00' : a.publishedAt) : -Infinity)

/**
 * Dated ahead (written today for next week's release): not out yet. Listed now it would be read,
 * and counted unread, before the feature it announces is there.
 */
export const ahead = (a: Announcement, now: number): boolean => time(a) > now

/** When the next announcement dated ahead of `now` comes out; Infinity when none is. */
export const nextPublished = (list: readonly Announcement[], now: number): number => Math.min(...list.map(time).filter((t) => t > now))

/** The feed: eligible items out by `now`, newest first (undated ones in config order, after dated). */
export function feedItems(list: readonly Announcement[], eligible: (a: Announcement) => boolean, now: number): Announcement[] {
  return list.filter((a) => a.format === 'feed' && !ahead(a, now) && eligible(a)).sort((a, b) => time(b) - time(a))
}

/** Read is read since its date: an item published again (the same id, a later `publishedAt`) is new again. */
const unread = (a: Announcement, st: AnnouncementsState) => !(st.read[a.id] >= time(a))

export const unreadCount = (items: readonly Announcement[], st: AnnouncementsState): number => items.filter((a) => unread(a, st)).length

/** Marks every item as read at `now`; the same object when nothing changes. */
export function markRead(items: readonly Announcement[], st: AnnouncementsState, now: number): AnnouncementsState {
  const fresh = items.filter((a) => unread(a, st))
  return fresh.length ? { ...st, read: { ...st.read, ...Object.fromEntries(fresh.map((a) => [a.id, now])) } } : st
}

export const close = (st: AnnouncementsState, id: string, now: number): AnnouncementsState => ({ ...st, closed: { ...st.closed, [id]: now } })
