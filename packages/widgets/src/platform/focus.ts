/**
 * Focus helpers that understand shadow roots (document.activeElement stops at the shadow host).
 */
const FOCUSABLE = 'a[href],button:not([disabled]),input:not([disabled]),select:not([disabled]),textarea:not([disabled]),[tabindex]:not([tabindex="-1"])'

/** The element that really has focus, looking through open shadow roots. */
export function deepActiveElement(doc: Document = document): Element | null {
  let el = doc.activeElement
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
  return el
}

/**
 * Focus is in `el` (through shadow roots), the window's or not: while another window is in front
 * (Alt+Tab) `:focus-within` stops matching and a focusout comes, yet focus is still there.
 */
export const focusIn = (el: Element) => el.contains(deepActiveElement(el.ownerDocument))

/**
 * Someone is typing in a field (the host's, or one of ours): a surface that appears now must not
 * take their keystrokes.
 */
export function typing(doc: Document = document): boolean {
  const el = deepActiveElement(doc) as HTMLElement | null
  // An iframe with focus is someone else's field (a card number, a rich editor): theirs too.
  return !!el && (el.isContentEditable || el.matches('iframe,textarea,select,input:not([type=button],[type=submit],[type=reset],[type=checkbox],[type=radio],[type=range],[type=color],[type=file],[type=image])'))
}

/** Not hidden, nor in a hidden part (jsdom and older engines have no checkVisibility). */
export const visible = (el: Element) =>
  el.checkVisibility?.({ visibilityProperty: true, checkVisibilityCSS: true } as CheckVisibilityOptions) ?? (!el.closest('[hidden]') && getComputedStyle(el).visibility !== 'hidden')

/**
 * The next Tab pressed in `from` (and nowhere else) goes to `to` instead, once: a surface that
 * left the caret where someone was typing is one key away. Returns a cancel.
 */
export function tabOnceTo(from: Element, to: () => HTMLElement | null | undefined): () => void {
  const doc = from.ownerDocument
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Tab' || e.shiftKey || deepActiveElement(doc) !== from) return
    const target = to()
    // A hidden surface (stepped aside, or its target scrolled away) refuses focus: the Tab would be lost.
    if (!target || !visible(target)) return
    e.preventDefault()
    stop()
    target.focus()
  }
  const stop = () => doc.removeEventListener('keydown', onKey, true)
  doc.addEventListener('keydown', onKey, true)
  return stop
}

/** Focusable, rendered descendants in tab order (tabindex > 0 is not used by widgets). */
export function focusables(container: ParentNode): HTMLElement[] {
  // Tab stops only: a roving radio group's other options (tabindex -1) are reached by arrows.
  return Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.tabIndex >= 0 && (el.getClientRects().length > 0 || !el.isConnected))
}

// What focus last left, seen from the document through open shadow roots (a focusin's
// relatedTarget from another Linger surface is only its host, which takes no focus), and the
// last element of the page itself (in no Linger surface) that it left.
let left: Element | undefined
let page: Element | undefined
let watching = 0

/**
 * For a surface that closes without being a dialog (a banner, a card): `onFocusIn` remembers
 * where focus came from, and `back(el, e)`, called just before it closes by keyboard (Escape,
 * or a button's click with no pointer), puts focus there if it is in `el`: a keyboard user who
 * dismissed it is not dropped at the top of the page. A tap or a click leaves focus be (on a
 * phone, focus back in a field would bring the on-screen keyboard up again). From another
 * surface, that is its control; gone (with its toast, its panel), that surface's first control
 * (its launcher); with the surface gone too, the page's element focus was on last.
 * `fromPage`: for a surface no other surface opens (one that comes on its own, or from the
 * page's button), another's controls are only on the way in (Tab passes the payment banner's
 * Dismiss, whose Enter would end it): back is the page's element focus left last before.
 */
export function focusOrigin(fromPage?: boolean) {
  let from: Element[] | null | undefined
  let at: EventTarget | null = null
  watching++ ||
    document.addEventListener(
      'focusout',
      (e) => {
        const path = e.composedPath()
        left = path[0] as Element
        // The page's own web components (a search box in a shadow root) are the page: only our
        // surfaces' hosts are not.
        if (!path.some((n) => (n as Element).matches?.('[data-linger]'))) page = left
      },
      true,
    )
  return {
    onFocusIn(e: FocusEvent) {
      const r = e.relatedTarget as Element | null
      let n = left
      while (n && n !== r) n = (n.getRootNode() as ShadowRoot).host
      // Back from another window, focus comes from nowhere to where it was: `from` still holds.
      if (r ? !(e.currentTarget as Node).contains(r) : e.target !== at) from = r && (fromPage ? [page!] : [n ? left! : r, r])
      at = e.target
    },
    back(el: Node | null | undefined, e?: Event) {
      if ((e as MouseEvent | undefined)?.detail || !from || !el?.contains(deepActiveElement())) return
      for (const c of [...from, page]) {
        const to = (c?.shadowRoot ? focusables(c.shadowRoot)[0] : c) as HTMLElement | undefined
        to?.focus()
        if (deepActiveElement() === to) return
      }
    },
  }
}

/**
 * Remembers what had focus now; the returned function puts focus back there (if it is still on
 * the page), as a dialog or panel does when it closes.
 */
export function rememberFocus(doc: Document = document): () => void {
  const before = deepActiveElement(doc) as HTMLElement | null
  return () => {
    if (before?.isConnected && typeof before.focus === 'function') before.focus()
  }
}

/**
 * `active` is the tab stop `item` is part of: a radio group is one stop (Tab leaves it from any
 * of its radios, and from the first when none is checked), so its last radio is not the only
 * way out of it.
 */
const atStop = (active: Element | null, item: HTMLElement) => {
  const [a, b] = [active, item] as HTMLInputElement[]
  return a === b || (a?.type === 'radio' && b.type === 'radio' && !!b.name && a.name === b.name)
}

/**
 * Keeps Tab and Shift+Tab inside `container` and pulls focus back if it escapes (a click on
 * the page behind a modal). Focuses `initial` (or the first focusable) now. Returns release.
 */
export function trapFocus(container: HTMLElement, initial?: HTMLElement | null): () => void {
  const root = container.getRootNode() as Document | ShadowRoot
  const doc = container.ownerDocument
  const first = () => focusables(container)[0] ?? container
  const inside = () => {
    const active = root.activeElement
    return !!active && container.contains(active)
  }
  // On the window, before all of the page: its own trap (focus-trap's, under the Settings box this
  // was opened from) heard Tab on the document first, took it for one in its box, found nothing
  // there to tab to (ours made it inert) and threw into the page.
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Tab' || !e.composedPath().includes(container)) return
    e.stopPropagation()
    const items = focusables(container)
    if (!items.length) return e.preventDefault()
    const active = root.activeElement
    const last = items[items.length - 1]
    let to: HTMLElement | undefined
    if (!inside()) to = e.shiftKey ? last : items[0]
    else if (!items.some((i) => atStop(active, i))) {
      // Focus on what is no Tab stop (a step's heading, the dialog itself): the browser goes on
      // from it in page order, which is out of the dialog only past its first or last stop.
      const after = items.findIndex((i) => active!.compareDocumentPosition(i) & Node.DOCUMENT_POSITION_FOLLOWING)
      if (e.shiftKey ? after <= 0 : after < 0) to = e.shiftKey ? last : items[0]
    } else if (e.shiftKey ? atStop(active, items[0]) : atStop(active, last)) to = e.shiftKey ? last : items[0]
    if (to) {
      e.preventDefault()
      to.focus()
    }
  }
  // Not again from inside its own pull: the page's own trap (a dialog it opened over ours) pulls
  // focus back as this one does, and each answering the other overflowed the stack, or hung the tab.
  // (A listener's throw is reported, never thrown out of focus(): the flag always comes down.)
  let pulling = 0
  const onFocusIn = () => {
    if (!pulling && !inside()) (pulling = 1), first().focus(), (pulling = 0)
  }
  if (!container.hasAttribute('tabindex')) container.setAttribute('tabindex', '-1')
  const win = doc.defaultView!
  win.addEventListener('keydown', onKey, true)
  doc.addEventListener('focusin', onFocusIn)
  ;(initial ?? first()).focus()
  return () => {
    win.removeEventListener('keydown', onKey, true)
    doc.removeEventListener('focusin', onFocusIn)
  }
}

/** The page's own modal that is no <dialog> (a <dialog> marked so too is the browser's: hostedIn). */
export const PAGE_MODAL = '[aria-modal=true]:not(dialog)'

/** By document, the platform's wait for the page's own aria-modal box to close (step-aside.ts). */
export const pageModalWaits = new WeakMap<Document, (then: () => void) => boolean>()

/**
 * `then` runs once the page's own aria-modal box is closed; true while it waits (false: none is
 * open, or no widgets are on this page to look).
 */
export const afterPageModal = (doc: Document, then: () => void): boolean => !!pageModalWaits.get(doc)?.(then)
