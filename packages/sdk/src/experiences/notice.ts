import { atom } from 'nanostores'

/**
 * What announcements and billing prompts put on screen, in one shape, so the widgets have one
 * banner and one modal for both. Text comes from config (rendered as text, never HTML).
 */
export interface Notice {
  /** The experience id (announcement id, payment prompt id, …). */
  id: string
  layout: 'banner' | 'modal'
  /** banner: which edge; pushLayout pads the host's body instead of covering its content. */
  position?: 'top' | 'bottom'
  pushLayout?: boolean
  title: string
  body?: string
  /** The main button: a link when `url` is set, else the controller's `act`. */
  action?: { label: string; url?: string }
  /** Whether the user may close it (a payment wall may not), and what the close button says (a catalog key). */
  dismiss?: 'dismiss' | 'later'
  /** While a vendor handler runs, and when it failed (Try again). */
  status?: 'idle' | 'busy' | 'error' | 'done'
}

/**
 * The one banner place on screen, shared by every kind that shows banners: the owner with the
 * higher rank holds it (a failed payment outranks a feature announcement), so two banners
 * never stack. Module state: the kinds' chunks share this module.
 */
export const $bannerClaims = atom<Record<string, number>>({})

export function claimBanner(owner: string, rank: number | null): void {
  const claims = { ...$bannerClaims.get() }
  if (rank === null) {
    if (!(owner in claims)) return
    delete claims[owner]
  } else {
    if (claims[owner] === rank) return
    claims[owner] = rank
  }
  $bannerClaims.set(claims)
}

/** Whether `owner` holds the banner place now (the highest rank; ties go to the earlier claim). */
export function holdsBanner(owner: string): boolean {
  const claims = Object.entries($bannerClaims.get())
  if (!claims.length) return false
  const top = claims.reduce((a, b) => (b[1] > a[1] ? b : a))
  return top[0] === owner
}
