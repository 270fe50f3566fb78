import { toJson } from '../json'
import { join, JOINED, lasting, laterShown, PROGRESS, SEEN } from '../state-join'
import type { Fields } from './fields'

/**
 * A field's version: how many writes it has seen (a device writes its last known version + 1),
 * and when, which breaks a tie between two devices that wrote the same version unaware of
 * each other. The collector decides with this file's `wins` and `kept` (its sync/state-merge.ts):
 * a device and the collector that disagreed on a field would write it back and forth.
 */
export interface Version {
  version: number
  at: number
}
export interface Synced extends Version {
  value: unknown
}

/** What a device remembers between pages: versions, the text of each field as last versioned, what the collector has yet to hear. */
export interface SyncMeta {
  versions: Record<string, Version>
  seen: Record<string, string>
  pending: string[]
}

export const emptyMeta = (): SyncMeta => ({ versions: {}, seen: {}, pending: [] })

/** Last writer wins: the higher version, then the later write. */
export const wins = (a: Version, b: Version | undefined): boolean => !b || a.version > b.version || (a.version === b.version && a.at > b.at)

/**
 * Two copies of field `name` as one, `b` (the later write) deferred to. Last writer wins, except
 * for what must never be lost to a copy that had not heard of it: what was shown, answered and
 * closed and the annual offer's decision (joined as state-join.ts joins two tabs' copies), a
 * finished list and a reached level (`lasting`, as a sign-in keeps them), the month each value
 * review showed (the later: a sign-in's older copy, written last, brought a month's review back),
 * an account's failed payment cleared (paid again) after the other copy first saw it (billing.ts
 * `clearedAt`): that copy is of the failure paid, and would bring its prompt back and send a
 * second Payment Prompt Resolved, counted as recovered revenue.
 * A device taking in another's write and the collector storing one both join with this, so they
 * agree.
 */
export function joinField(name: string, a: any, b: any, now?: number): unknown {
  const [key, prop] = name.split(/\.(.*)/) as [string, string?]
  // Only billing's `due` records have these (no name test: bytes for every verified user).
  // A `b` that carries `a`'s clearedAt was written after that payment (billing.ts keeps it): a
  // failure since, whatever the clocks say. One ahead of the joiner's clock (no `now`: none is)
  // was a clock ahead: it outranks no later failure either.
  // Of one failure's two copies, "Remind me later" on either holds (the other device moving its
  // prompt to day 1 undid it) unless the later copy's own is still on: one a clock ahead set,
  // which billing.ts cuts short, would otherwise come back from every join.
  return a?.clearedAt > b?.pastDueSeenAt && a.clearedAt !== b.clearedAt && !(a.clearedAt > now!)
    ? a
    : a?.snoozedUntil > (b?.snoozedUntil ?? 0) && b?.pastDueSeenAt >= 0 && a.clearedAt === b.clearedAt && !(b.snoozedUntil > now!)
      ? { ...b, snoozedUntil: a.snoozedUntil }
    : SEEN.test(key)
      ? (laterShown(fromRightClock(a, now), fromRightClock(b, now)) ?? b)
      : JOINED.includes(key) || name === 'billing.offer'
        ? join(a, b)
        : PROGRESS.test(key) && prop
          ? lasting({ [prop]: b }, { [prop]: a })[prop]
          : b
}

/**
 * A review's record, unless a wrong clock wrote it: one shown after the month of `now` (the
 * joiner's clock), which value/machine.ts `isDue` shows again; kept as the later month, it would
 * win every join, and the review would come on every visit. A scheduled record names the month
 * before its device's local one, never after the UTC month: any zone, any joiner, agrees.
 * YYYY-MM sorts before its own month's days (no `now`: an invalid date, nothing is after it).
 */
const fromRightClock = (r: any, now?: number) => (r?.shown > new Date(now!).toJSON() ? undefined : r)

/**
 * What the collector stores when a device sends `incoming` over `stored` (undefined: `stored`
 * stays). A join that is neither copy as written goes out as a version past both, so the device
 * that sent it and every other take it in: the writer whose copy lacked what another device
 * recorded is the one that most needs to hear of it. `now`: the collector's clock, for `joinField`.
 */
export function kept(name: string, incoming: Synced, stored: Synced | undefined, now?: number): Synced | undefined {
  const [last, other] = wins(incoming, stored) ? [incoming, stored] : [stored!, incoming]
  if (!other) return last
  const value = joinField(name, other.value, last.value, now)
  // The join keeps the key order of `last`: equal text is nothing new.
  if (toJson(value) !== toJson(last.value)) return { value, version: Math.max(last.version, other.version) + 1, at: last.at }
  return last === incoming ? last : undefined
}

/**
 * Local changes since last time: each changed field gets the next version and waits to be sent.
 * A new field of a `yielding` doc key (progress a visitor brought to the user as they signed in)
 * is written at time 0, so any value another device wrote for it wins, and it fills only gaps.
 */
export function noteLocal(meta: SyncMeta, fields: Fields, now: number, yielding: readonly string[] = []): SyncMeta {
  let next = meta
  for (const name of Object.keys(fields)) {
    const text = toJson(fields[name])
    if (meta.seen[name] === text) continue
    if (next === meta) next = { versions: { ...meta.versions }, seen: { ...meta.seen }, pending: [...meta.pending] }
    const was = meta.versions[name]
    next.versions[name] = { version: (was?.version ?? 0) + 1, at: !was && yielding.includes(name.split('.')[0]!) ? 0 : now }
    next.seen[name] = text
    if (!next.pending.includes(name)) next.pending.push(name)
  }
  return next
}

/**
 * The collector's answer taken in: fields another device wrote later replace this device's
 * (`here`), joined with them (returned in `changed`; what the join adds is sent as a change of
 * this device's); a pending field the collector now holds at its version is sent; one this device
 * wrote later than what the collector holds stays pending. `now`: this device's clock.
 */
export function takeRemote(meta: SyncMeta, remote: Record<string, Synced>, here: Fields, now?: number): { meta: SyncMeta; changed: Fields } {
  const next: SyncMeta = { versions: { ...meta.versions }, seen: { ...meta.seen }, pending: [...meta.pending] }
  const changed: Fields = {}
  for (const name of Object.keys(remote)) {
    const r = remote[name]!
    const mine = meta.versions[name]
    if (wins(r, mine)) {
      // Joined, not replaced: a choice made here while the answer was on its way stays. A review's
      // record this device sent is the collector's to judge (its clock may be right where ours
      // is wrong): taken as it comes, or the two would send it back and forth.
      changed[name] = SEEN.test(name) && toJson(here[name]) === meta.seen[name] ? r.value : joinField(name, here[name], r.value, now)
      next.versions[name] = { version: r.version, at: r.at }
      next.seen[name] = toJson(r.value)
    }
    if (!wins(mine ?? { version: 0, at: 0 }, r)) next.pending = next.pending.filter((p) => p !== name)
  }
  return { meta: next, changed }
}
