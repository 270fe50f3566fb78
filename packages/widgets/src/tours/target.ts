/**
 * Watching the host page for a step's target without polling: a MutationObserver whose checks
 * are coalesced to one per animation frame, however busy the page's DOM is.
 */

/**
 * Rendered: not inside `display: none` or `hidden`, nor `visibility: hidden` (a closed dropdown's
 * item); engines without checkVisibility: present. (Both names of the option: Chrome before 121.)
 */
const rendered = (el: Element) => el.isConnected && (!el.checkVisibility || el.checkVisibility({ visibilityProperty: true, checkVisibilityCSS: true } as CheckVisibilityOptions))

/** The first rendered match (pages often keep a hidden copy, e.g. a mobile menu); null for none. */
export function findTarget(doc: Document, selector: string): Element | null {
  try {
    return Array.from(doc.querySelectorAll(selector)).find(rendered) ?? null
  } catch {
    return null
  }
}

/** Calls `fn` (at most once a frame) after DOM changes or a resize, until the returned stop is called. */
function onDomChange(doc: Document, fn: () => void): () => void {
  const win = doc.defaultView as Window
  let frame = 0
  const check = () => {
    frame ||= win.requestAnimationFrame(() => {
      frame = 0
      fn()
    })
  }
  const observer = new MutationObserver(check)
  // Attributes too: a target often appears by losing `hidden` or a class, not by insertion, or
  // goes with the menu it is in (`<details>`: `open`). Any of them: the page's CSS may read any
  // (a component's `data-state`, a button's `aria-expanded` for the menu after it); with a list,
  // a step stayed on a closed menu's item, its shade over the whole page. Checks stay one a frame.
  observer.observe(doc.documentElement, { childList: true, subtree: true, attributes: true })
  // Nor is there a DOM change when a media query swaps a target for its phone copy as the window
  // narrows, or a popover menu closes: the step stayed on the hidden one, its spotlight on nothing.
  const on = (how: 'addEventListener' | 'removeEventListener') => ['resize', 'toggle'].forEach((type) => win[how](type, check, true))
  on('addEventListener')
  return () => {
    observer.disconnect()
    on('removeEventListener')
    win.cancelAnimationFrame(frame)
  }
}

/**
 * Resolves a target that may appear late: `found` as soon as it is rendered, or `missing` once
 * `waitMs` passed without it. Returns a cancel.
 */
export function waitForTarget(doc: Document, selector: string, waitMs: number, found: (el: Element) => void, missing: () => void): () => void {
  const now = findTarget(doc, selector)
  if (now) {
    found(now)
    return () => {}
  }
  const stop = () => {
    stopWatching()
    clearTimeout(timer)
  }
  const stopWatching = onDomChange(doc, () => {
    const el = findTarget(doc, selector)
    if (el) {
      stop()
      found(el)
    }
  })
  // Frames do not run in a background tab: look once more before calling it missing.
  const timer = setTimeout(() => {
    stop()
    const el = findTarget(doc, selector)
    if (el) found(el)
    else missing()
  }, waitMs)
  return stop
}

/** Calls `lost` once when `el` leaves the page or stops being rendered. Returns a cancel. */
export function watchTarget(el: Element, lost: () => void): () => void {
  const stop = onDomChange(el.ownerDocument, () => {
    if (rendered(el)) return
    stop()
    lost()
  })
  return stop
}
