/** True when the user asked the system for less motion: celebrations and slides become static. */
export function reducedMotion(win: Window = window): boolean {
  try {
    return win.matchMedia('(prefers-reduced-motion: reduce)').matches
  } catch {
    return false
  }
}
