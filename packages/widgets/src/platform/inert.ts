/**
 * Makes everything on the page but `keep` inert (not focusable, not clickable, hidden from
 * assistive tech), as a modal dialog requires. Only elements that were not inert already are
 * touched, so the returned restore puts back exactly what the host page had. The shared live
 * region stays live: announcements from an inert subtree are never read.
 */
export function inertOutside(keep: Element): () => void {
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
 */
export function hostModal(doc: Document): HTMLDialogElement | undefined {
  try {
    return [...doc.querySelectorAll<HTMLDialogElement>('dialog:modal')].pop()
  } catch {}
}
