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
  // The marked element the last use counted for: the second click of a double click is that use.
  let counted: Element | undefined
  // The click that use was counted on: a click the page's own handler of it dispatches (a custom
  // Upload button's input.click()) while it is still under way is the same use.
  let counting: Event | undefined
  const onClick = (e: MouseEvent) => {
    try {
      // The whole composed path: a marked web component's click starts in its shadow root,
      // where closest() does not reach the host.
      const path = e.composedPath()
      const name = (n: EventTarget) => (n as Element).getAttribute?.('data-linger-feature')?.trim()
      const marked = path.find(name) as Element | undefined
      const sel = doc.getSelection()
      const target = path[0] as Element
      if (
        !marked ||
        // A middle click counts where it opens a link (in a new tab).
        (e.type != 'click' && (e.button != 1 || !target.closest?.('a[href]'))) ||
        // A disabled control does nothing, whatever the browser dispatches.
        target.closest?.(':disabled,[aria-disabled=true]') ||
        ((e.detail > 1 || counting?.eventPhase) && marked === counted) ||
        // The end of a drag that selected text in it (where the drag ended is in what was clicked).
        (sel && !sel.isCollapsed && target.contains?.(sel.focusNode))
      )
        return
      if (forwarded && path[0] === forwarded[0] && marked === forwarded[1]) return void (forwarded = undefined)
      const control = target.closest?.('label')?.control
      if (control && control !== path[0]) {
        forwarded = [control, marked]
        setTimeout(() => (forwarded = undefined))
      }
      counted = marked
      counting = e
      fn(name(marked)!.slice(0, 200))
    } catch {
      /* never break the host's click */
    }
  }
  // Capture phase: a host handler that stops propagation still gets counted.
  const offs = [listen(doc, 'click', onClick, true), listen(doc, 'auxclick', onClick, true)]
  return () => offs.forEach((off) => off())
}
