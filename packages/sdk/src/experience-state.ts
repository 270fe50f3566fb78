import type { ExperienceState } from './experiences/host'
import type { Platform } from './platform'
import { fromJson, toJson } from './json'

/**
 * The per-user experience state (checklist progress, badges, scheduler history) as one JSON
 * document in storage. Every write re-reads storage first and merges key by key, so two tabs
 * writing different keys never lose each other's progress; another tab's write reaches this
 * tab's subscribers through the storage event.
 */
export function createExperienceState(platform: Platform, initialUserKey: string): ExperienceState & { switchUser(userKey: string): void; dispose(): void } {
  let storageKey = `linger:state:${initialUserKey}`
  let doc: Record<string, unknown> = read()
  const subs = new Set<() => void>()

  function read(): Record<string, unknown> {
    const raw = platform.storage.get(storageKey)
    if (!raw) return {}
    try {
      const v = fromJson(raw)
      return v && typeof v === 'object' && !Array.isArray(v) ? v : {}
    } catch {
      return {}
    }
  }
  const notify = () =>
    subs.forEach((fn) => {
      try {
        fn()
      } catch (e) {
        platform.log('error', 'state subscriber failed', e)
      }
    })
  const stopStorage = platform.onStorage((key) => {
    if (key !== storageKey) return
    doc = { ...doc, ...read() }
    notify()
  })

  return {
    get<T>(key: string) {
      return doc[key] as T | undefined
    },
    fresh<T>(key: string) {
      doc = { ...doc, ...read() }
      return doc[key] as T | undefined
    },
    set(key, value) {
      doc = { ...doc, ...read(), [key]: value }
      platform.storage.set(storageKey, toJson(doc))
      notify()
    },
    subscribe(fn) {
      subs.add(fn)
      return () => subs.delete(fn)
    },
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
