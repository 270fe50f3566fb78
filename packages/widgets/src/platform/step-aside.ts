import { PAGE_MODAL, pageModalWaits, visible } from './focus'
import { MODAL_POLL_MS } from './screen'

export interface StepAside {
  /**
   * The page's own aria-modal box, while it is open: Linger's surfaces that would cover it are
   * aside, and a modal of ours opened from it goes in it (its trap refuses clicks outside it).
   */
  open(): Element | undefined
  /**
   * True while the page's box is open and none of `hosts` (a widget's surfaces) is on screen:
   * each stepped aside, or none drawn yet (a centred survey waits for the box to close). `then`
   * runs once the box is gone: what counts as shown waits for it, as for a tab in the background.
   */
  hides(hosts: HTMLElement[], then: () => void): boolean
  dispose(): void
}

/**
 * The page's own modal that is no <dialog> (a box marked aria-modal, focus kept in it by its own
 * trap): Linger's corner surfaces stayed over it in the top layer, covering its buttons, while its
 * trap took their clicks and Tab. `apply(open)` steps them aside while it is open: focus going
 * into it says so, a look each second while it is open says when it is gone. Looked at once at the
 * start too: a box already open when the widgets came (its trap moved focus before anyone
 * listened) left a survey shown by the vendor over it, counted shown, its clicks refused.
 */
export function createStepAside(win: Window, apply: (open: boolean) => void): StepAside {
  const doc = win.document
  const waits = new Set<() => void>()
  let timer: number | undefined
  const run = () => {
    const fns = [...waits]
    waits.clear()
    // Each on its own (as screen.ts's): one that throws neither reaches the page nor drops the rest.
    fns.forEach((fn) => {
      try {
        fn()
      } catch {}
    })
  }
  // Marked aria-modal is not open: an app shell marked so (the whole app in it, no trap), a closed
  // drawer left marked and moved off screen, kept every survey aside and unsent for the whole visit.
  // A box counts once focus is in it (a trap always puts it there), on screen, and not the page's
  // main content; then it stays open while it is on screen (a click on its text sends focus to body).
  let box: Element | undefined
  const onScreen = (el: Element) => {
    const r = el.getBoundingClientRect()
    return visible(el) && Math.min(r.right, win.innerWidth) - Math.max(r.left, 0) > 1 && Math.min(r.bottom, win.innerHeight) - Math.max(r.top, 0) > 1
  }
  const look = () => {
    if (!box?.isConnected || !box.matches(PAGE_MODAL) || !onScreen(box))
      box = [...doc.querySelectorAll(PAGE_MODAL)].find((el) => el.contains(doc.activeElement) && !el.querySelector('main,[role=main]') && onScreen(el))
    const open = !!box
    apply(open)
    win.clearInterval(timer)
    timer = open ? win.setInterval(look, MODAL_POLL_MS) : undefined
    open || run()
  }
  const onFocus = (e: Event) => (timer || (e.target as Element).closest?.(PAGE_MODAL)) && look()
  doc.addEventListener('focusin', onFocus, true)
  const self: StepAside = {
    open: () => (timer ? box : undefined),
    hides(hosts, then) {
      // A box opened with no focus moved into it yet: looked at now.
      timer || look()
      const seen = hosts.some((el) => el.isConnected && (!el.hasAttribute('data-aside') || el.hasAttribute('data-in-modal')))
      return !!timer && !seen && !!waits.add(then)
    },
    dispose() {
      // Taken down (a remount, destroy) while the page's modal is open: no more looks at the page.
      doc.removeEventListener('focusin', onFocus, true)
      win.clearInterval(timer)
      timer = undefined
      if (pageModalWaits.get(doc) === wait) pageModalWaits.delete(doc)
      // What waited is not drawn by these widgets: asked now, with none to answer, it counted shown.
      waits.clear()
    },
  }
  const wait = (then: () => void) => self.hides([], then)
  pageModalWaits.set(doc, wait)
  look()
  return self
}
