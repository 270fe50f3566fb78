import { listen } from './listen'

/**
 * Clicks on elements marked `data-linger-feature="name"` become `Feature Used`. Only the marker
 * is read: never input values or text content, which may hold personal data.
 */
export function watchFeatureClicks(doc: Document, fn: (feature: string) => void): () => void {
  // The control a clicked <label> hands a second click to, in the same task, and the marked
  // element that click counted for: reaching it again is the same use. A control with a marker
  // of its own still counts for it.
  let forwarded: [EventTarget, Element] | undefined
  const onClick = (e: Event) => {
    try {
      // The whole composed path: a marked web component's click starts in its shadow root,
      // where closest() does not reach the host.
      const path = e.composedPath()
      const name = (n: EventTarget) => (n as Element).getAttribute?.('data-linger-feature')?.trim()
      const marked = path.find(name) as Element | undefined
      if (!marked) return
      if (forwarded && path[0] === forwarded[0] && marked === forwarded[1]) return void (forwarded = undefined)
      const control = (path[0] as Element).closest?.('label')?.control
      if (control && control !== path[0]) {
        forwarded = [control, marked]
        setTimeout(() => (forwarded = undefined))
      }
      fn(name(marked)!.slice(0, 200))
    } catch {
      /* never break the host's click */
    }
  }
  // Capture phase: a host handler that stops propagation still gets counted.
  return listen(doc, 'click', onClick, true)
}
