import type { ExperienceHost } from './host'

/**
 * Wraps a controller's grant pass so it runs under the user's cross-tab grant lock: two tabs that
 * see the same event at once take turns, and the second re-reads what the first granted. Calls
 * made while a pass waits for the lock are folded into that pass. Where the platform has no Web
 * Locks the pass runs at once (the fresh re-read and derived messageIds still hold).
 */
export function acrossTabs(host: ExperienceHost, pass: () => void): () => void {
  let waiting = false
  return () => {
    if (!host.exclusive) return pass()
    if (waiting) return
    waiting = true
    host.exclusive(`linger:grant:${host.user.get().userKey}`, () => {
      waiting = false
      try {
        pass()
      } catch (e) {
        host.reportError({ code: 'experience-failed', message: `grant: ${String(e)}` })
      }
    })
  }
}
