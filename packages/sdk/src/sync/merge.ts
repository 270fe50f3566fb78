import { toJson } from '../json'
import type { Fields } from './fields'

/**
 * A field's version: how many writes it has seen (a device writes its last known version + 1),
 * and when, which breaks a tie between two devices that wrote the same version unaware of
 * each other. The collector compares them the same way (packages/collector/src/sync/state-merge.ts).
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
 * (returned in `changed`); a pending field the collector now holds at its version is sent; one
 * this device wrote later than what the collector holds stays pending.
 */
export function takeRemote(meta: SyncMeta, remote: Record<string, Synced>): { meta: SyncMeta; changed: Fields } {
  const next: SyncMeta = { versions: { ...meta.versions }, seen: { ...meta.seen }, pending: [...meta.pending] }
  const changed: Fields = {}
  for (const name of Object.keys(remote)) {
    const r = remote[name]!
    const mine = meta.versions[name]
    if (wins(r, mine)) {
      changed[name] = r.value
      next.versions[name] = { version: r.version, at: r.at }
      next.seen[name] = toJson(r.value)
    }
    if (!wins(mine ?? { version: 0, at: 0 }, r)) next.pending = next.pending.filter((p) => p !== name)
  }
  return { meta: next, changed }
}
