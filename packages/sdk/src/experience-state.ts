import type { ExperienceState } from './experiences/host'
import type { Platform } from './platform'
import { fromJson, toJson } from './json'

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
 * key by key, so two tabs writing different keys never lose each other's progress.
 */
export function createExperienceState(platform: Platform, initialUserKey: string): LiveExperienceState {
  let storageKey = `linger:state:${initialUserKey}`
  // The storage text this tab last read or wrote: unchanged text means nothing to merge.
  let seen: string | null = null
  let doc: Record<string, unknown> = read()
  let version = 0
  const subs = new Set<() => void>()

  function read(): Record<string, unknown> {
    const raw = (seen = platform.storage.get(storageKey))
    if (!raw) return {}
    try {
      const v = fromJson(raw)
      return v && typeof v === 'object' && !Array.isArray(v) ? v : {}
    } catch {
      return {}
    }
  }
  /** Takes in what another tab wrote since this tab last looked; false when nothing did. */
  function catchUp(): boolean {
    if (platform.storage.get(storageKey) === seen) return false
    doc = { ...doc, ...read() }
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
      const raw = toJson(doc)
      // A refused write (quota, private mode) keeps the state in memory for this page.
      if (platform.storage.set(storageKey, raw)) seen = raw
      notify()
    },
    subscribe(fn) {
      subs.add(fn)
      return () => subs.delete(fn)
    },
    version: () => version,
    switchUser(userKey) {
      storageKey = `linger:state:${userKey}`
      doc = read()
      notify()
    },
    dispose() {
      stopStorage()
      subs.clear()
    },
  }
}
