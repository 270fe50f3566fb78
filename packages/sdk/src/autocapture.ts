import { listen } from './listen'

/**
 * Clicks on elements marked `data-linger-feature="name"` become `Feature Used`. Only the marker
 * is read: never input values or text content, which may hold personal data.
 */
export function watchFeatureClicks(doc: Document, fn: (feature: string) => void): () => void {
  const onClick = (e: Event) => {
    try {
      const path = (e.composedPath?.() ?? []) as Element[]
      const start = (path[0] ?? e.target) as Element | null
      const el = start && typeof start.closest === 'function' ? start.closest('[data-linger-feature]') : null
      const name = el?.getAttribute('data-linger-feature')?.trim()
      if (name) fn(name.slice(0, 200))
    } catch {
      /* never break the host's click */
    }
  }
  // Capture phase: a host handler that stops propagation still gets counted.
  return listen(doc, 'click', onClick, true)
}
