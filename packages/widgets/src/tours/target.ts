/**
 * Watching the host page for a step's target without polling: a MutationObserver whose checks
 * are coalesced to one per animation frame, however busy the page's DOM is.
 */

/**
 * A box that clips its overflow and is collapsed to nothing, or inside one: a closed accordion (its
 * panel itself the target, or something in it), the copy a responsive menu at height 0 keeps of a
 * link. Or, to be found, a fixed box out of the window, where no scroll reaches: a phone's menu
 * drawer slid out by a transform. Rendered, but nothing of it shows. (A box that is only scrolled
 * away from it is not: the tour scrolls it into view. Nor, once `shown`, a fixed one that went out
 * of the window: a header that slides up as the page scrolls down is away as a target scrolled
 * away is, its tip hidden until it is back, and its step not skipped meanwhile.) Not the body: its
 * overflow is the window's.
 */
function collapsed(el: Element, shown?: boolean): boolean {
  for (let p: Element | null = el; p && p != document.body; p = p.parentElement) {
    const { width, height, left, top, right, bottom } = p.getBoundingClientRect()
    // Overflow other than visible (nor '': jsdom, which lays nothing out). Not an empty box: an image
    // to load lazily, its size not set, has nothing to clip yet (scrolled to, it loads).
    if (!(width && height) && p.firstChild && getComputedStyle(p).overflow.replace('visible', '')) return true
    if (!shown && (right <= 0 || bottom <= 0 || left >= innerWidth || top >= innerHeight) && getComputedStyle(p).position == 'fixed') return true
  }
  return false
}

/**
 * Rendered: not inside `display: none` or `hidden`, nor `visibility: hidden` (a closed dropdown's
 * item), nor a collapsed box; engines without checkVisibility: present. (Both names of the
 * option: Chrome before 121.)
 */
const rendered = (el: Element, shown?: boolean) =>
  el.isConnected && (!el.checkVisibility || el.checkVisibility({ visibilityProperty: true, checkVisibilityCSS: true } as CheckVisibilityOptions)) && !collapsed(el, shown)

/** The open shadow roots in `root`, however deep (a design system's components), not Linger's own. */
function shadowRoots(root: ParentNode, into: ShadowRoot[]): ShadowRoot[] {
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot && !el.hasAttribute('data-linger')) into.push(el.shadowRoot), shadowRoots(el.shadowRoot, into)
  return into
}

/**
 * The first rendered match (pages often keep a hidden copy, e.g. a mobile menu); null for none.
 * In the page or in a web component's open shadow root (each is put in `roots`, to be watched).
 */
export function findTarget(doc: Document, selector: string, roots: ShadowRoot[] = []): Element | null {
  try {
    return [doc, ...shadowRoots(doc, roots)].flatMap((root) => [...root.querySelectorAll(selector)].filter((el) => rendered(el)))[0] ?? null
  } catch {
    return null
  }
}

/**
 * Calls `fn` (at most once a frame) after DOM changes or a resize, until `stop` is called; `watch`
 * adds a shadow root (changes inside one are not the page's).
 */
function onDomChange(doc: Document, fn: () => void) {
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
  const watch = (root: Node) => observer.observe(root, { childList: true, subtree: true, attributes: true })
  watch(doc.documentElement)
  // Nor is there a DOM change when a media query swaps a target for its phone copy as the window
  // narrows, or a popover menu closes: the step stayed on the hidden one, its spotlight on nothing.
  // Nor when an accordion has slid shut: its class changed frames before, at its full height.
  const on = (how: 'addEventListener' | 'removeEventListener') => ['resize', 'toggle', 'transitionend'].forEach((type) => win[how](type, check, true))
  on('addEventListener')
  return {
    watch,
    stop() {
      observer.disconnect()
      on('removeEventListener')
      win.cancelAnimationFrame(frame)
    },
  }
}

/**
 * Resolves a target that may appear late: `found` as soon as it is rendered, or `missing` once
 * `waitMs` passed without it while the tab was in sight. Returns a cancel.
 */
export function waitForTarget(doc: Document, selector: string, waitMs: number, found: (el: Element) => void, missing: () => void): () => void {
  const roots: ShadowRoot[] = []
  const now = findTarget(doc, selector, roots)
  if (now) {
    found(now)
    return () => {}
  }
  let timer: ReturnType<typeof setTimeout>
  const stop = () => {
    dom.stop()
    clearTimeout(timer)
    doc.removeEventListener('visibilitychange', back)
  }
  const look = () => {
    const el = findTarget(doc, selector, roots)
    // A component may draw the target later, in its own shadow root: watched from now on.
    roots.splice(0).forEach(dom.watch)
    if (el) stop(), found(el)
    return el
  }
  const dom = onDomChange(doc, look)
  roots.splice(0).forEach(dom.watch)
  // Frames do not run in a background tab: look once more before calling it missing. Nor is the
  // user looking at it: no step is skipped unseen; the wait starts over once they are back.
  const wait = () => (timer = setTimeout(() => look() || doc.hidden || (stop(), missing()), waitMs))
  const back = () => doc.hidden || look() || (clearTimeout(timer), wait())
  doc.addEventListener('visibilitychange', back)
  wait()
  return stop
}

/** Calls `lost` once when `el` leaves the page or stops being rendered. Returns a cancel. */
export function watchTarget(el: Element, lost: () => void): () => void {
  const { stop, watch } = onDomChange(el.ownerDocument, () => {
    if (rendered(el, true)) return
    stop()
    lost()
  })
  // In a web component: its shadow root's changes (and those of the roots around it) too.
  for (let root = el.getRootNode() as ShadowRoot; root.host; root = root.host.getRootNode() as ShadowRoot) watch(root)
  return stop
}
