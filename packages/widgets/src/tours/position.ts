import { arrow, autoUpdate, computePosition, flip, hide, offset, platform, shift, type Placement } from '@floating-ui/dom'
import { deepActiveElement } from '../platform/focus'

const SIDES: Record<string, string> = { top: 'bottom', right: 'left', bottom: 'top', left: 'right' }
/** Every side of a target, and each side's two corners. */
const PLACEMENTS = Object.keys(SIDES).flatMap((s) => [s, `${s}-start`, `${s}-end`]) as Placement[]
const px = (n: number | undefined) => (n == null ? '' : `${n}px`)

/** Below this width a tip that cannot fit beside its target becomes a bottom sheet. */
const SHEET_BELOW = 640

export interface AnchorOptions {
  placement?: Placement
  gap?: number
  arrowEl?: HTMLElement | null
  spot?: HTMLElement | null
  /** The bands the corner stacks take (platform/layout.ts): tips keep clear of them. */
  bands?: () => { top: number; bottom: number }
  /** How far past its box the element draws (a beacon's pulse): kept inside the view too. */
  reach?: number
  /**
   * The box of the host's bar (a tab bar) over `r` where it hides the reference (platform/layout.ts
   * `underBar`): a beacon is placed by the part of its target the bar leaves in sight (a tall card
   * half under a tab bar: by the card's middle, it was under the bar), and hides while on the bar.
   * `own`: the bar at the edge `r` is nearer, not the one its target is (a spot a beacon may move to).
   */
  bar?: (r: Edges, own?: boolean) => Edges | undefined
  /** A beacon moves to a free spot by its target while a Linger surface covers its own, and hides while all are. */
  covered?: (r: { left: number; top: number; right: number; bottom: number }) => boolean
  /** May turn into a bottom sheet on a narrow screen (tooltips; beacons never). */
  sheet?: boolean
  /**
   * Docked surfaces over the target, or over a tip placed into their band, step aside
   * (platform/layout.ts `clear`); null lets them back.
   */
  clear?: (el: Element | null, tip?: Edges) => void
  /** Other reasons to place again (the layout changed): subscribe, return a stop. */
  watch?: (fn: () => void) => () => void
}

/** What the user sees of the layout viewport (pinch zoom, an on-screen keyboard), in its coordinates. */
function visible(win: Window) {
  const vv = win.visualViewport
  return vv ? { x: vv.offsetLeft, y: vv.offsetTop, width: vv.width, height: vv.height } : { x: 0, y: 0, width: win.innerWidth, height: win.innerHeight }
}

type Edges = { left: number; top: number; right: number; bottom: number }
const overlap = (a: Edges, b: Edges) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1

/**
 * Keeps `floating` (a `position: fixed` element in our shadow root) next to the host page's
 * `reference` while it scrolls, resizes or moves, until the returned cleanup runs: inside the
 * visual viewport (pinch zoom, on-screen keyboard, a page that scrolls sideways), clear of the
 * corner stacks, no wider or taller than the room there is. A tip that still cannot fit beside
 * its target on a narrow screen becomes a bottom sheet. The optional spotlight follows the
 * reference's box; the host element itself is never styled.
 */
export function anchor(reference: Element, floating: HTMLElement, opts: AnchorOptions): () => void {
  let live = true
  // The viewport (and bands) a bottom sheet was chosen for: it stays a sheet until they change,
  // instead of flipping between the two shapes as each one resizes the element.
  let sheetFor = ''
  const doc = floating.ownerDocument
  const win = doc.defaultView as Window
  // What had focus in it when it hid (a hidden element loses focus): it gets it back when it
  // shows again, unless the user put focus somewhere else meanwhile.
  let held: HTMLElement | undefined
  let met = false
  // The spot a covered beacon moved to, while it keeps it.
  let kept: Placement | undefined
  const show = (on: boolean) => {
    const active = deepActiveElement(doc) as HTMLElement
    if (!on && floating.contains(active)) held = active
    floating.style.visibility = on ? '' : 'hidden'
    if (on && held && (!active || active === doc.body)) held.focus({ preventScroll: true })
    if (on) held = undefined
  }
  const update = () => {
    const { arrowEl, spot, clear } = opts
    clear?.(reference)
    const view = visible(win)
    const bands = opts.bands?.() ?? { top: 8, bottom: 8 }
    const reach = opts.reach ?? 0
    // A target in a band (the search box in the page's header, a banner stacked below it): kept out
    // of the band, the tip sat a banner's height below it, pointing into the banner, over the page.
    // Beside it instead; what is docked under the tip steps aside (clear). Not a beacon: it cannot.
    const r = reference.getBoundingClientRect()
    const room = {
      rootBoundary: view,
      boundary: view,
      padding: { top: (clear && r.top < view.y + bands.top ? 8 : bands.top) + reach, bottom: (clear && r.bottom > view.y + view.height - bands.bottom ? 8 : bands.bottom) + reach, left: 8 + reach, right: 8 + reach },
    }
    const key = JSON.stringify([view, bands])
    const asSheet = () => {
      sheetFor = key
      floating.dataset.sheet = ''
      const bottom = win.innerHeight - view.y - view.height + bands.bottom
      Object.assign(floating.style, { left: px(view.x + 8), width: px(view.width - 16), top: 'auto', bottom: px(bottom), maxWidth: 'none', maxHeight: px(view.height - bands.top - bands.bottom) })
    }
    if (sheetFor === key) {
      asSheet()
      // Not beside its target, but about it: by the tip's rule (below), a sheet goes while the
      // user has scrolled a target they had seen out of sight, and comes back with it.
      const inSight = overlap(reference.getBoundingClientRect(), { left: view.x, top: view.y, right: view.x + view.width, bottom: view.y + view.height })
      met ||= inSight
      return show(inSight || !met || !!opts.spot)
    }
    sheetFor = ''
    // Measured as a tip first: the sheet is only what is left when that does not fit.
    delete floating.dataset.sheet
    // No wider or taller than the visible band between the corner stacks; shift then keeps it
    // inside on both axes (what cannot fit beside the target ends up over it: see the sheet).
    Object.assign(floating.style, { bottom: '', width: '', maxWidth: `min(320px, ${px(view.width - 16)})`, maxHeight: px(view.height - bands.top - bands.bottom) })
    const { bar } = opts
    // Its part in sight: between a bar in the lower half (a tab bar) and the window's top, or a bar
    // in the upper half (a header) and the window's bottom; all of it when all is under. Not by the
    // target's top: a tall card whose top had scrolled above the window was placed by its part
    // above the header, out of sight; nor to the window's far edge: a long feed's middle fell on the
    // other bar. Not once it is gone (computePosition reads it later): the layout went on watching the bars.
    const part = (r: DOMRect, b = live && bar!(r)) => {
      if (!b) return r
      const [t, u] = b.top + b.bottom > win.innerHeight ? [Math.max(r.top, 0), Math.min(r.bottom, b.top)] : [Math.max(r.top, b.bottom), Math.min(r.bottom, win.innerHeight)]
      return u > t ? new DOMRect(r.x, t, r.width, u - t) : r
    }
    const by = bar ? { contextElement: reference, getBoundingClientRect: () => part(reference.getBoundingClientRect()) } : reference
    void computePosition(by, floating, {
      strategy: 'fixed',
      // `-start`/`-end` are the target's edges in the page's reading direction. floating-ui reads
      // them from the tip's own direction, Linger's locale's: an English tip on an Arabic page
      // lined up with the target's far edge.
      platform: { ...platform, isRTL: () => getComputedStyle(reference).direction === 'rtl' },
      placement: opts.placement ?? 'bottom',
      middleware: [
        offset(opts.gap ?? 12),
        flip(room),
        shift({ ...room, crossAxis: true }),
        arrowEl && arrow({ element: arrowEl, padding: 8 }),
        // A spotlight step keeps its tip: the page stays dimmed, and it says why.
        !spot && hide(),
      ],
    }).then((p) => {
      if (!live) return
      const { covered } = opts
      // From the computed position: the element's own box may not reflect the new left/top yet.
      const w = floating.offsetWidth
      const h = floating.offsetHeight
      const boxAt = ({ x, y }: { x: number; y: number }): Edges => ({ left: x, top: y, right: x + w, bottom: y + h })
      let free = !covered?.(boxAt(p))
      // A beacon whose spot a docked surface covers (the checklist launcher spanning a phone's
      // width, over the middle of a card): it hid, and the user never saw the hotspot. The free
      // spot at another corner or side of the target nearest to it instead (mirrored with the
      // first one on a right-to-left page); hidden only when none is free. Still by the target
      // (shift slides one off a small target), not on the host's bar. Every spot has the same
      // target, so one in sight (hide) has them all in sight. The spot it took is kept while it is
      // free, and while the pointer or focus is on the beacon: back at its first spot as the page
      // scrolled, it jumped from under a keyboard user's focus (or the user's pointer). Placed by
      // arithmetic from one read of the target, as offset and shift place it: a computePosition
      // for each spot read the page's layout a hundred times a frame while it was covered.
      if (covered && !p.middlewareData.hide?.referenceHidden && (!free || (kept && floating.matches(':hover,:focus')))) {
        const t = by.getBoundingClientRect()
        const g = opts.gap ?? 12
        const rtl = getComputedStyle(reference).direction === 'rtl'
        const { padding: pad } = room
        const along = (lo: number, hi: number, size: number, align: string | undefined, flip: boolean) => (align ? ((align == 'start') != flip ? lo : hi - size) : (lo + hi - size) / 2)
        const place = (placement: Placement) => {
          const [side, align] = placement.split('-')
          const x = side == 'left' ? t.left - g - w : side == 'right' ? t.right + g : along(t.left, t.right, w, align, rtl)
          const y = side == 'top' ? t.top - g - h : side == 'bottom' ? t.bottom + g : along(t.top, t.bottom, h, align, false)
          return {
            x: Math.max(view.x + pad.left, Math.min(x, view.x + view.width - pad.right - w)),
            y: Math.max(view.y + pad.top, Math.min(y, view.y + view.height - pad.bottom - h)),
            placement,
          }
        }
        const near = { left: t.left - g - 2, top: t.top - g - 2, right: t.right + g + 2, bottom: t.bottom + g + 2 }
        const ok = (q: { x: number; y: number }) => {
          const b = boxAt(q)
          return overlap(b, near) && !covered(b) && !bar?.(b, true)
        }
        const far = (q: { x: number; y: number }) => Math.hypot(q.x - p.x, q.y - p.y)
        const was = kept && place(kept)
        const q = was && ok(was) ? was : free ? undefined : PLACEMENTS.map(place).sort((a, b) => far(a) - far(b)).find(ok)
        if (q) (p = { ...p, ...q }), (free = true)
        kept = q?.placement
      } else kept = undefined
      const { x, y, placement, middlewareData } = p
      Object.assign(floating.style, { left: px(x), top: px(y) })
      floating.dataset.placement = placement
      const box = boxAt(p)
      const target = reference.getBoundingClientRect()
      // Shift alone pinned it to the edge, pointing at nothing, however far the user scrolled the
      // target away. Before the target was first in sight (the page is on its way there, or waits
      // for the user to Tab to a step that did not take focus) that edge is where a tip is
      // offered; a beacon there would pulse over whatever the page has at that edge.
      const away = middlewareData.hide?.referenceHidden
      met ||= !away
      const seen = !(away && (met || !opts.sheet)) && free && !bar?.(box)
      show(seen)
      // Cut short by its max-height (its text scrolls). Not by scrollHeight: the arrow poking out
      // below a tip placed above its target overflows it too, and every such tip became a sheet,
      // over the target it was about.
      const cut = floating.offsetHeight + 1 >= view.height - bands.top - bands.bottom
      if (seen && opts.sheet && view.width < SHEET_BELOW && (overlap(box, target) || cut)) asSheet()
      else if (seen) clear?.(reference, box)
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
  const unfollow = follow(win, update, opts.watch)
  return () => {
    unfollow()
    live = false
    stop()
    opts.clear?.(null)
  }
}

/** Runs `update` when what the user sees of the page, or the layout (`watch`), changes; returns a stop. */
function follow(win: Window, update: () => void, watch: AnchorOptions['watch']): () => void {
  const vv = win.visualViewport
  const on = (how: 'addEventListener' | 'removeEventListener') => ['scroll', 'resize'].forEach((type) => vv?.[how](type, update))
  on('addEventListener')
  const unwatch = watch?.(update)
  return () => (on('removeEventListener'), unwatch?.())
}

/**
 * Keeps a step with no target in the middle of the band between the corner stacks of the
 * visible viewport, no taller than that band (its text scrolls, its buttons stay in it), until
 * the returned cleanup runs. Centred by CSS alone it ran off both edges with a long body.
 */
export function centre(floating: HTMLElement, opts: Pick<AnchorOptions, 'bands' | 'watch'>): () => void {
  const win = floating.ownerDocument.defaultView as Window
  const update = () => {
    const view = visible(win)
    const { top, bottom } = opts.bands?.() ?? { top: 8, bottom: 8 }
    const room = view.height - top - bottom
    Object.assign(floating.style, { left: px(view.x + view.width / 2), top: px(view.y + top + room / 2), maxWidth: `min(320px, ${px(view.width - 16)})`, maxHeight: px(room) })
  }
  update()
  return follow(win, update, opts.watch)
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

/** How long a smooth scroll may take to start, or to come to rest, on a busy device. */
const FOLLOW_MS = 3000
/** The scroll's own news, then a user taking the scroll over (from then on where it rests is theirs). */
const FOLLOWED = ['scroll', 'scrollend', 'wheel', 'touchstart', 'pointerdown', 'keydown']
/** Space, PageUp, PageDown, Home, End, ArrowUp, ArrowDown. */
const SCROLL_KEY = /^( |Page|Home|End|Arrow[UD])/

/**
 * Brings the target to the middle of every scroll container it sits in (smoothly unless the
 * user asked for reduced motion), then clears a fixed header that still covers it. Returns a
 * cancel for the pending header check.
 */
export function revealTarget(el: Element, smooth: boolean): () => void {
  const doc = el.ownerDocument
  const win = doc.defaultView as Window
  const behavior: ScrollBehavior = smooth ? 'smooth' : 'auto'
  let timer: ReturnType<typeof setTimeout> | undefined
  let deadline: ReturnType<typeof setTimeout> | undefined
  const listen = (on: boolean) => {
    clearTimeout(deadline)
    for (const type of FOLLOWED) win[on ? 'addEventListener' : 'removeEventListener'](type, follow, { capture: true, passive: true })
  }
  const stop = () => {
    clearTimeout(timer)
    listen(false)
  }
  // Only a target the header partly covers: one scrolled out of sight (the user found text
  // further on, focus moved) is where someone else put it.
  const clearHeader = () => {
    const header = headerBottom(doc)
    const { top, bottom } = el.getBoundingClientRect()
    if (top < header + 8 && bottom > header) win.scrollBy({ top: top - header - 8, behavior })
  }
  const wait = (ms: number) => {
    clearTimeout(timer)
    timer = setTimeout(clearHeader, ms)
  }
  function follow(e: Event) {
    const { type } = e
    const t = e.target as Element
    // Only the scrolls that move the target: the page's (the document contains it too), or a
    // container's it sits in (a ticker elsewhere on the page scrolls forever).
    if (type === 'scroll' || type === 'scrollend') {
      if (t.contains?.(el)) {
        // A rest, not the end: the page and a container it sits in scroll at once, and either may
        // come to rest first.
        if (type === 'scroll') return wait(300)
        clearTimeout(timer)
        clearHeader()
      }
    } else {
      // Not the user's hand on the scroll: a press on a Linger surface (its buttons), a key that
      // types or presses (the real target, inside a shadow root or a web component: a field, a
      // button). A wheel or a swipe anywhere, a scroll key on the tip itself, are.
      const at = e.composedPath()[0] as HTMLElement
      if (
        type === 'pointerdown'
          ? !t.closest?.('[data-linger]')
          : type !== 'keydown' || (SCROLL_KEY.test((e as KeyboardEvent).key) && !at.isContentEditable && !at.matches?.('input,textarea,select,button'))
      )
        stop()
    }
  }
  // A target in sight (a button low in the view, a nav link its sticky bar holds there): centring
  // it only moved the page away from where the user was reading (219 px for that button). One
  // above the view `nearest` brings in as little as it takes. On a narrow screen, only in the
  // upper half: its tip may be a bottom sheet, which a target below that clears once centred.
  const near = el.getBoundingClientRect().bottom <= win.innerHeight / (win.innerWidth < SHEET_BELOW ? 2 : 1)
  el.scrollIntoView({ block: near ? 'nearest' : 'center', inline: 'nearest', behavior })
  if (!smooth) {
    clearHeader()
    return stop
  }
  // The timer covers a page with nothing to scroll (no scrollend comes); every `scroll` on the
  // way pushes it back, and each `scrollend` checks at once. No check is the last word: on a busy
  // device the scroll can start after one, or pause past it, and leave the target under the
  // header. So the scrolls are followed, each rest checked again (a header already cleared is not
  // cleared twice), until the user takes the scroll over or FOLLOW_MS passes (a check then
  // pending still runs).
  wait(800)
  listen(true)
  deadline = setTimeout(listen, FOLLOW_MS, false)
  return stop
}
