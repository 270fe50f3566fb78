import type { ExperienceHost } from '../host'
import { fromJson } from '../../json'

/**
 * The value of a state key as storage holds it right now, not as this tab last heard: a grant
 * (badge, task) re-reads before writing so two tabs racing on the same event grant once.
 * Mirrors experience-state.ts's storage key; falls back to the in-memory value.
 */
export function freshState<T>(host: ExperienceHost, key: string): T | undefined {
  try {
    const raw = host.platform.storage.get(`linger:state:${host.user.get().userKey}`)
    const doc = raw ? fromJson(raw) : undefined
    if (doc && typeof doc === 'object' && Object.hasOwn(doc, key)) return doc[key] as T
  } catch {
    /* unreadable storage: memory is the best we have */
  }
  return host.state.get<T>(key)
}
