let fenced = 0
/** How many times a modal of ours has shut the page out so far: the live region's "since". */
export const modalsOpened = () => fenced

/**
 * Makes everything on the page but `keep` inert (not focusable, not clickable, hidden from
 * assistive tech), as a modal dialog requires. Only elements that were not inert already are
 * touched, so the returned restore puts back exactly what the host page had. The shared live
 * region stays live: announcements from an inert subtree are never read.
 */
export function inertOutside(keep: Element): () => void {
  fenced++
  const changed: Element[] = []
  const body = keep.ownerDocument.body
  // Up through shadow roots too: a vendor's app in a web component mounts Linger inside it.
  const up = (node: Element) => node.parentElement ?? (node.parentNode as ShadowRoot | null)?.host
  for (let node = keep, parent = up(node); parent && node !== body; node = parent, parent = up(node)) {
    for (const sibling of Array.from(node.parentNode!.children)) {
      if (sibling === node || sibling.hasAttribute('inert') || sibling.getAttribute('data-linger') === 'live') continue
      sibling.setAttribute('inert', '')
      changed.push(sibling)
    }
  }
  return () => changed.splice(0).forEach((el) => el.removeAttribute('inert'))
}

/**
 * The page's own top-most modal `<dialog>` (showModal()), if one is open: the browser makes
 * everything outside it inert, a surface on the body included. Engines without `:modal` throw.
 * `deep`: also a design system's, in a shadow root (<sl-dialog>, <md-dialog>), out of the query's
 * reach (a toast or the checklist's launcher made while it was open went on the body, over it and
 * out of reach). Its backdrop covers the screen's corner: found at that point, down through the
 * shadow roots (a walk of every element costs a large page tens of ms). Asked for only where a
 * surface is placed or waits: the point lays the page out, and one following a dialog the page
 * just closed, laid out while still in it, would lose the user's focus.
 */
export function hostModal(doc: Document, deep?: boolean): HTMLDialogElement | undefined {
  try {
    let root: Document | ShadowRoot = doc
    let at = [...doc.querySelectorAll('dialog:modal')].pop() ?? (deep ? doc.elementFromPoint(0, 0) : null)
    while (at?.shadowRoot && at.shadowRoot !== root) at = (root = at.shadowRoot).elementFromPoint(0, 0)
    return at?.matches('dialog:modal') ? (at as HTMLDialogElement) : undefined
  } catch {}
}
