import { listen } from './listen'

/**
 * Clicks on elements marked `data-linger-feature="name"` become `Feature Used`. Only the marker
 * is read: never input values or text content, which may hold personal data.
 */
export function watchFeatureClicks(doc: Document, fn: (feature: string) => void): () => void {
  // The control a clicked <label> hands a second click to, in the same task: the same use.
  let forwarded: unknown
  const onClick = (e: Event) => {
    try {
      // The whole composed path: a marked web component's click starts in its shadow root,
      // where closest() does not reach the host.
      const path = e.composedPath()
      if (path[0] === forwarded) return void (forwarded = undefined)
      for (const n of path) {
        const name = (n as Element).getAttribute?.('data-linger-feature')?.trim()
        if (name) {
          const control = (path[0] as Element).closest?.('label')?.control
          if (control && control !== path[0]) {
            forwarded = control
            setTimeout(() => (forwarded = undefined))
          }
          return fn(name.slice(0, 200))
        }
      }
    } catch {
      /* never break the host's click */
    }
  }
  // Capture phase: a host handler that stops propagation still gets counted.
  return listen(doc, 'click', onClick, true)
}
