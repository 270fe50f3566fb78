import type { ExperienceState } from './experiences/host'
import type { Platform } from './platform'
import { fromJson, toJson } from './json'
import { heldBy, KEEP_WRITTEN_MS, readWriters, stamp, tabId, type Writers } from './tab-writes'

/** Where the stored document lists its writers (see tab-writes.ts); no experience key looks like it. */
const WRITERS = '~w'

export interface LiveExperienceState extends ExperienceState {
  /** Moves on every change, this tab's or another's: cached audience verdicts compare it. */
  version(): number
  switchUser(userKey: string): void
  dispose(): void
}

/**
 * The per-user experience state (checklist progress, badges, scheduler history): one document
 * that lives in memory, written through to storage, and refreshed from the storage event when
 * another tab writes. Reads never touch storage. A write (and fresh()) first compares storage's
 * text with the one this tab last saw: only when another tab wrote since is it parsed and merged
 * key by key, so two tabs writing different keys never lose each other's progress, even when
 * their writes cross (tab-writes.ts).
 */
export function createExperienceState(platform: Platform, initialUserKey: string): LiveExperienceState {
  let storageKey = `linger:state:${initialUserKey}`
  const tab = tabId(platform.random)
  // The storage text this tab last read or wrote: unchanged text means nothing to merge.
  let seen: string | null = null
  let writers: Writers = {}
  let seq = 0
  // This tab's writes, kept until storage is seen to hold them (or for KEEP_WRITTEN_MS).
  let written: Array<{ key: string; value: unknown; seq: number; at: number }> = []
  let doc: Record<string, unknown> = read()
  let version = 0
  const subs = new Set<() => void>()

  function read(): Record<string, unknown> {
    const raw = (seen = platform.storage.get(storageKey))
    writers = {}
    if (!raw) return {}
    try {
      const v = fromJson(raw)
      if (!v || typeof v !== 'object' || Array.isArray(v)) return {}
      const { [WRITERS]: w, ...rest } = v
      writers = readWriters(w)
      return rest
    } catch {
      return {}
    }
  }
  function save() {
    const now = platform.now()
    const next = stamp(writers, tab, seq, now)
    const raw = toJson({ ...doc, [WRITERS]: next })
    // A refused write (quota, private mode) keeps the state in memory for this page.
    if (platform.storage.set(storageKey, raw)) {
      seen = raw
      writers = next
    }
  }
  /**
   * Takes in what another tab wrote since this tab last looked; false when nothing did. What of
   * this tab's that write replaced (it had not reached that tab yet) goes on top again, and back
   * to storage.
   */
  function catchUp(): boolean {
    if (platform.storage.get(storageKey) === seen) return false
    doc = { ...doc, ...read() }
    const held = heldBy(writers, tab)
    const since = platform.now() - KEEP_WRITTEN_MS
    const lost = written.filter((w) => w.seq > held && w.at > since)
    written = lost
    if (lost.length) {
      doc = { ...doc }
      for (const w of lost) doc[w.key] = w.value
      save()
    }
    return true
  }
  const notify = () => {
    version++
    subs.forEach((fn) => {
      try {
        fn()
      } catch (e) {
        platform.log('error', 'state subscriber failed', e)
      }
    })
  }
  const stopStorage = platform.onStorage((key) => {
    if (key === storageKey && catchUp()) notify()
  })

  return {
    get<T>(key: string) {
      return doc[key] as T | undefined
    },
    fresh<T>(key: string) {
      if (catchUp()) version++
      return doc[key] as T | undefined
    },
    set(key, value) {
      catchUp()
      doc = { ...doc, [key]: value }
      const now = platform.now()
      written = written.filter((w) => w.at > now - KEEP_WRITTEN_MS)
      written.push({ key, value, seq: ++seq, at: now })
      save()
      notify()
    },
    subscribe(fn) {
      subs.add(fn)
      return () => subs.delete(fn)
    },
    version: () => version,
    switchUser(userKey) {
      storageKey = `linger:state:${userKey}`
      written = []
      doc = read()
      notify()
    },
    dispose() {
      stopStorage()
      subs.clear()
    },
  }
}
