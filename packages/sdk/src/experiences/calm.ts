import type { ExperienceHost } from './host'

/**
 * The longest a pushing banner waits for a calm screen before it comes all the same: at the first
 * pause in typing after it, or a second MAX_WAIT_MS on.
 */
export const MAX_WAIT_MS = 30_000

/**
 * A banner that pushes the page comes at a calm moment, as a survey does (the screen's `when`:
 * no toast or celebration, no page dialog), and not under someone's typing (in the page, or in
 * a survey: the screen waits for the user to leave it): the page moved ~135 px as they typed.
 * A tab in the background is calm: no one sees the page move, and the banner is there when they
 * come. Announcements and billing each keep one wait, which runs `check` again once it is calm.
 */
export function calmScreen(host: ExperienceHost, check: () => void, always?: boolean) {
  let calming = false
  let calm = false
  let stopped = false
  let timer: unknown
  const letIn = () => {
    host.platform.clearTimeout(timer)
    timer = undefined
    if (!stopped && calming) (calming = false), (calm = true), check()
  }
  return {
    /** True while a pushing banner not on screen yet must wait; its calm moment comes once. */
    waits(): boolean {
      const screen = host.screen
      if (calm || !screen || !(screen.held || !screen.away?.(check))) return false
      if (!calming) {
        calming = true
        // A wait with an end: focus left in an iframe (a card form) counts as typing for as long
        // as it stays there; a failed payment's banner waiting for it never came. Billing's (`always`)
        // also ends a wait for the page's dialog or full screen, which may stay for the whole visit;
        // a "what's new" goes on waiting for those (not over a video, nor into the page's dialog).
        // At the bound, someone typing gets it at their first pause, not mid-sentence; keys that
        // never pause, and focus parked in an iframe (typing to the screen, with no pause it can
        // see), at a second bound.
        const end = () => void (stopped || host.screen?.typing?.(end) || letIn())
        const bound = () => (timer ??= host.platform.setTimeout(() => ((timer = host.platform.setTimeout(letIn, MAX_WAIT_MS)), end()), MAX_WAIT_MS))
        if (always) bound()
        screen.when(function go() {
          stopped || (host.screen?.typing?.(go) ? bound() : letIn())
        })
      }
      // (A screen that answered at once let it in already.)
      return calming
    },
    /** At the end of each check: the calm moment is spent, the next banner waits for its own. */
    spent: () => void (calm = false),
    stop: () => void ((stopped = true), host.platform.clearTimeout(timer)),
  }
}
