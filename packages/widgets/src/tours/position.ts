import { arrow, autoUpdate, computePosition, flip, offset, shift, type Placement } from '@floating-ui/dom'

const SIDES: Record<string, string> = { top: 'bottom', right: 'left', bottom: 'top', left: 'right' }
const px = (n: number | undefined) => (n == null ? '' : `${n}px`)

/**
 * Keeps `floating` (a `position: fixed` element in our shadow root) next to the host page's
 * `reference` while it scrolls, resizes or moves, until the returned cleanup runs. The optional
 * spotlight follows the reference's box; the host element itself is never styled.
 */
export function anchor(
  reference: Element,
  floating: HTMLElement,
  opts: { placement?: Placement; gap?: number; arrowEl?: HTMLElement | null; spot?: HTMLElement | null },
): () => void {
  let live = true
  const update = () => {
    const { arrowEl, spot } = opts
    void computePosition(reference, floating, {
      strategy: 'fixed',
      placement: opts.placement ?? 'bottom',
      middleware: [offset(opts.gap ?? 12), flip({ padding: 8 }), shift({ padding: 8 }), arrowEl && arrow({ element: arrowEl, padding: 8 })],
    }).then(({ x, y, placement, middlewareData }) => {
      if (!live) return
      Object.assign(floating.style, { left: px(x), top: px(y) })
      floating.dataset.placement = placement
      const a = middlewareData.arrow
      if (arrowEl && a) {
        Object.assign(arrowEl.style, { left: px(a.x), top: px(a.y), right: '', bottom: '' })
        arrowEl.style.setProperty(SIDES[placement.split('-')[0]], '-6px')
      }
      if (spot) {
        const r = reference.getBoundingClientRect()
        Object.assign(spot.style, { left: px(r.left - 4), top: px(r.top - 4), width: px(r.width + 8), height: px(r.height + 8) })
      }
    })
  }
  const stop = autoUpdate(reference, floating, update)
  return () => {
    live = false
    stop()
  }
}

/** Bottom edge of whatever fixed or sticky bar covers the top of the viewport (0 for none). */
function headerBottom(doc: Document): number {
  const win = doc.defaultView as Window
  let bottom = 0
  for (const el of doc.elementsFromPoint(win.innerWidth / 2, 1)) {
    const position = win.getComputedStyle(el).position
    if ((position === 'fixed' || position === 'sticky') && !el.hasAttribute('data-linger')) bottom = Math.max(bottom, el.getBoundingClientRect().bottom)
  }
  return bottom
}

/**
 * Brings the target to the middle of every scroll container it sits in (smoothly unless the
 * user asked for reduced motion), then clears a fixed header that still covers it. Returns a
 * cancel for the pending header check.
 */
export function revealTarget(el: Element, smooth: boolean): () => void {
  const doc = el.ownerDocument
  const win = doc.defaultView as Window
  const behavior: ScrollBehavior = smooth ? 'smooth' : 'auto'
  el.scrollIntoView({ block: 'center', inline: 'nearest', behavior })
  const clearHeader = () => {
    stop()
    const covered = headerBottom(doc) + 8 - el.getBoundingClientRect().top
    if (covered > 0) win.scrollBy({ top: -covered, behavior })
  }
  // A smooth scroll of the page ends later: `scrollend` says when, the timer covers a page
  // that had nothing to scroll (so no scrollend comes).
  const timer = setTimeout(clearHeader, smooth ? 800 : 0)
  const stop = () => {
    clearTimeout(timer)
    doc.removeEventListener('scrollend', clearHeader)
  }
  if (smooth) doc.addEventListener('scrollend', clearHeader)
  else clearHeader()
  return stop
}
