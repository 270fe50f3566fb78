import { deepActiveElement, typing } from './focus'
/**
 * One layout for every surface that is not modal, so two Linger surfaces never sit on top of
 * each other at any viewport width:
 * - corner surfaces (checklist, toasts, survey popover, tour hints) `dock` into stacks at the
 *   top and bottom of the visible viewport; the two sides of an edge share one column when they
 *   would not fit side by side (phones). Each docked element gets its `top`/`bottom` and a
 *   `--linger-room` (the height it may grow to) set inline;
 * - one corner surface is expanded at a time: `expand` collapses the others until it is done;
 * - floating tips read `bands()` to keep clear of the stacks, and beacons move to another spot
 *   by their target (or hide, none free) while `covered`;
 *   a docked surface over the element a tour step is about steps aside (`clear`).
 */
export type Corner = `${'top' | 'bottom'}-${'start' | 'end'}`

export interface Layout {
  /**
   * Stacks `el` (a `position: fixed` element) in `corner`; lower `order` sits nearer the edge.
   * `push`: a banner that pushes the page; the host's own bar at that edge moves in past it.
   * `{ avoid: true }` (what comes up by itself: a survey, a review card, a tour's late hint): one at
   * the bottom that would come over the page's element the user just pressed or focused (or the field
   * they are typing in) is stacked at the top instead, when it is clear of it there. Not a
   * launcher: docked by its top, its panel grew down and pushed it away from the user's finger, for
   * the whole session.
   */
  dock(el: HTMLElement, corner: Corner, order: number, push?: boolean | { avoid: true }): () => void
  /** How far the top and bottom stacks reach into the visible viewport, margins included (px). */
  bands(): { top: number; bottom: number }
  /** Whether a rectangle (viewport coordinates) touches a docked surface on screen. */
  covered(rect: Rect): boolean
  /**
   * The box of the host's own bar at the top or bottom edge (an app bar, a tab bar) when it is
   * under `box` (a hotspot's beacon at `el`, its target, or the target's own box). Never for a
   * target the page keeps in place itself (in a fixed or sticky box: a bar's own button, a sticky
   * table heading; not a fixed app shell the bar is in) nor one in a dialog. The bar at the edge
   * `el` is nearer, or with `own` the one `box` is nearer.
   */
  underBar(el: Element, box: Rect, own?: boolean): Rect | undefined
  /**
   * Keeps the host's `el` (a tour step's target) clear: the docked surfaces over it hide until
   * the next call (`null`: none), unless focus is in them. Called again as the target moves.
   * `tip`: the step's tip, placed by a target in a band (a header's search box above a banner).
   */
  clear(el: Element | null, tip?: Rect): void
  /**
   * True while a surface of `hosts` (a widget's) is docked and not on screen: waiting for room, or
   * hidden (over the host control with focus, a tour's target) before it ever showed. `then` runs
   * once it shows; dropped if it is undocked unseen. One seen that hides a moment is not waited for.
   */
  waits(hosts: Element[], then: () => void): boolean
  /** Runs after every re-layout, until the returned stop. */
  onChange(fn: () => void): () => void
  /** `show(false)` for every other expanded surface while this one is; the last one back gets `show(true)`. */
  expand(name: string, show: (on: boolean) => void): () => void
  dispose(): void
}

const MARGIN = 16
const GAP = 10
/** The least height a docked item is given. */
const ROOM = 96
/** What floating tips keep from an edge with nothing docked at it. */
const EDGE = 8
const px = (n: number) => `${Math.floor(n)}px`
type Rect = { left: number; top: number; right: number; bottom: number }
type Edge = 'top' | 'bottom'
const EDGES = ['top', 'bottom'] as const
// What `a` and `b` share; nothing shared is a box that overlaps nothing (its numbers undefined, then NaN).
const cut = (a: Rect, b: Rect, c?: Rect): Rect =>
  (c = { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) }).left > c.right || c.top > c.bottom ? ({} as Rect) : c
const overlaps = (b: Rect, r: Rect) => b.left < r.right && r.left < b.right && b.top < r.bottom && r.top < b.bottom

export function createLayout(win: Window): Layout {
  const docks = new Map<HTMLElement, [Corner, number, boolean?]>()
  const doc = win.document
  const listeners = new Set<() => void>()
  const expanded: Array<[string, (on: boolean) => void]> = []
  const vv = win.visualViewport
  let bands = { top: EDGE, bottom: EDGE }
  let frame = 0
  const schedule = () => void (frame ||= win.requestAnimationFrame(place))
  // The targets' answers too (pins): a toolbar sticky on wide screens scrolls with the page on a
  // phone's, and its button, kept in place no more, took its beacon onto the header.
  const resize = () => ((pins = new WeakMap()), schedule())
  const resized = typeof ResizeObserver === 'function' ? new ResizeObserver(schedule) : undefined
  const watch = (on: boolean) => {
    const how = on ? 'addEventListener' : 'removeEventListener'
    win[how]('resize', resize)
    vv?.[how]('resize', schedule)
    vv?.[how]('scroll', schedule)
    // A sticky header reaches the edge only as the user scrolls, with nothing on the page changing:
    // unseen, it stayed under a banner pushing the page. Captured: an app's own scrolling main too.
    win[how]('scroll', seek, true)
    for (const type of ['pointerdown', 'focusin']) doc[how](type, use, true)
    doc[how]('focusout', recheck, true)
    doc[how]('keydown', tab, true)
    // The browser scrolls a focused control into view after focus comes: under a launcher at the bottom.
    win[how]('scroll', scrolled, true)
    // The caret going down a page-sized editor or textarea as they type, under a launcher
    // (keepClear): not in a field read by its box (a rect read per keystroke for nothing).
    doc[how]('selectionchange', caret)
  }
  // The page's element the user pressed or focused last; one of ours (a launcher, a survey's
  // button) is none: the panel it opens stays where it is. Not the document (a page's script
  // faking an outside click): it threw into the page. Forgotten after a while: a press minutes ago
  // moved a survey, and a page the app took away stayed in memory.
  // Held weakly, with when: a timer per press let the subtree the app removed with it (a closed
  // dialog's) live 15 s, and cost the host a task per press.
  let used: WeakRef<Element> | undefined
  let usedAt = 0
  // What the user focused moved (Tab, or the page scrolled it): the surfaces over it look again, in a frame.
  let frame2 = 0
  const recheck = () => void (docks.size && (frame2 ||= win.requestAnimationFrame(keepClear)))
  const scrolled = () => doc.activeElement != doc.body && recheck()
  // The middle of the textarea or editor whose caret is read (by which it is kept clear if that throws).
  let big: Rect | false = false
  const caret = () => big && recheck()
  // A Tab from the page's control a surface stepped aside from: that surface, hidden, could take no
  // focus, and the keyboard skipped it (Linger's come last in Tab order: the page's last link under
  // the launcher, and the launcher was never reached). Back before the browser moves focus.
  let tabbing = false
  const tab = (e: Event) => (e as KeyboardEvent).key == 'Tab' && docks.size && ((tabbing = true), keepClear(), (tabbing = false))
  const use = ({ target: t }: Event) => {
    recheck()
    used = (t as Element).closest && !(t as Element).closest('[data-linger]') ? new WeakRef(t as Element) : undefined
    usedAt = performance.now()
  }
  // A press before this code came (it loads at idle: a slow phone, a quick tap) was heard by none,
  // and the survey it triggered landed on the button: the one it left focused is the one used last.
  const at = doc.activeElement
  // Not the body (nothing focused): its box is the whole page.
  if (at != doc.body && doc.body?.contains(at)) use({ target: at } as never)

  // The host's own bar fixed (or sticky) along an edge, found at the edge's middle: an app bar, a
  // cookie bar, a tab bar. A banner that pushes the page moves it in past the banner (padding does
  // not move it); otherwise the stack at that edge starts past it, or a launcher or a toast would
  // cover its buttons. Kept while it is at its edge (or a banner moved it); looked for again as the
  // page changes (an app renders it late) and scrolls.
  // [bar, its own inline top/bottom, whether a banner moved it]
  const bars: Partial<Record<Edge, [HTMLElement, string, boolean?]>> = {}
  // The notch and the home bar (place): a bar the page put past them (top: env(safe-area-inset-top))
  // was not found at the screen's edge, and a banner covered it.
  let safe = { top: 0, bottom: 0 }
  const barAt = (edge: Edge) => {
    const y = edge === 'top' ? safe.top : win.innerHeight - 1 - safe.bottom
    const bar = bars[edge]
    const r = bar?.[0].getBoundingClientRect()
    // Not one gone from its edge: a desktop header the narrowed window hid (display:none), one the
    // page slid away on scroll. The beacon pulsed on the mobile header that took its place.
    if (bar?.[0].isConnected && (bar[2] || (r!.height && r!.top <= y && r!.bottom > y))) return bar
    // Not every DOM lays out (jsdom has no elementFromPoint): no bar there.
    // Under ours (a banner at the edge, pushing the page): the page's own element there.
    let at = doc.elementsFromPoint?.(win.innerWidth / 2, y).find((e) => !e.closest('[data-linger]')) as HTMLElement | null
    // The outermost fixed or sticky box that is a bar: not an overlay over the whole page (nor the
    // fixed app shell a tab bar is in). A sticky trial notice in a fixed header's first row is part
    // of the header, which is what covers the page: found instead, a target under the header below
    // it kept its beacon, and the header's own button lost its.
    let el: HTMLElement | undefined
    for (; at; at = at.parentElement) if (/fixed|sticky/.test(getComputedStyle(at).position) && at.offsetHeight < win.innerHeight / 2) el = at
    // Not ours, nor the page's dialog (its backdrop covers the edges: a short one put the corner
    // stacks above it).
    return (bars[edge] = el && !el.closest('[data-linger],dialog') ? [el, el.style[edge]] : undefined)
  }
  // The bar at each edge, found once a frame for the beacons (a page's scroll and our re-layout
  // both place them again in a frame; barAt hit-tests only while the edge has none); the edge the
  // last beacon was nearer. And, for each target, whether the page keeps it in place itself over
  // that bar: one target at a time, two beacons by bars took turns walking their ancestors.
  let found: Partial<Record<Edge, HTMLElement>> | undefined
  let near: Edge | undefined
  let pins = new WeakMap<Element, [Element, boolean]>()
  const barIn = (edge: Edge) => {
    if (!found) (found = {}), win.requestAnimationFrame(() => (found = undefined))
    if (edge in found) return found[edge]
    const was = bars[edge]?.[0]
    // A bar new to a beacon is new to the stacks (look compares with it): a header sticking at the
    // top as the user scrolled stayed under the banner pushing the page.
    if ((found[edge] = barAt(edge)?.[0]) != was && docks.size) schedule()
    return found[edge]
  }
  // Looked for once a frame at most, and only while an edge has none: the page pays little.
  // With beacons only, as the page changes (as it scrolls they place themselves), at the edge they
  // are nearer, through the same memo: a cookie bar that came up over a beacon's target with no
  // scroll left the beacon pulsing on it.
  let looking = 0
  const look = () => {
    looking = 0
    if (docks.size) EDGES.some((edge) => bars[edge]?.[0] !== barAt(edge)?.[0]) && schedule()
    else if (near && bars[near]?.[0] !== barIn(near)) listeners.forEach((fn) => fn())
  }
  const seek = (m?: unknown) => ((docks.size && !(bars.top?.[0].isConnected && bars.bottom?.[0].isConnected)) || (near && listeners.size && Array.isArray(m))) && (looking ||= win.requestAnimationFrame(look))
  const changed = new MutationObserver(seek)
  // While a beacon asks, a bar's attributes too: most cookie bars are in the page from the start,
  // shown and hidden by their style, class or `hidden`.
  const observe = (bars?: unknown) => changed.observe(doc.documentElement, bars ? { childList: true, subtree: true, attributeFilter: ['style', 'class', 'hidden'] } : { childList: true, subtree: true })
  observe()
  watch(true)

  let clearOf: Element | null = null
  const waiting = new Set<HTMLElement>()
  let tipOf: Rect | undefined
  // Shown once: what is counted shown after it was seen stays counted as it hides for host focus.
  const seen = new WeakSet<Element>()
  const pending = new Map<() => void, Element[]>()
  // Whether a docked surface of `hosts` is off screen (waiting for room, or hidden before it was
  // ever seen); undefined: none docked.
  const unseen = (hosts: Element[]) => {
    const els = [...docks.keys()].filter((el) => hosts.includes((el.getRootNode() as ShadowRoot).host))
    return els[0] && els.some((el) => waiting.has(el) || !seen.has(el))
  }
  // A launcher over the page's own button while a step explains it: the user could neither see
  // it nor click it (a click step could not be done). A banner under the step's tip: both on screen
  // at once, or the tip a banner away from its target.
  // A docked surface over the page's control a keyboard user tabbed to (the banner over the
  // header's links, the launcher over a row's Edit): they could not see what they focused (WCAG
  // 2.4.11). It steps aside until focus moves on; it takes no focus. And one waiting for room (place).
  function keepClear() {
    frame2 = 0
    const keep = clearOf?.getBoundingClientRect()
    const f = doc.activeElement
    const d = deepActiveElement(doc)
    // Its box, where it is on screen: by its middle only, a launcher over the start of a wide field
    // hid the words as they were typed. Not one filling most of the view (the app's <main> that
    // takes focus as a route changes, a page-sized editor): stepped aside from it, every surface
    // was gone while it had focus. There the caret's line (an editor's, or a textarea's, which no
    // browser tells: measured in a copy of it), else its middle.
    let shown: Rect | undefined
    big = false
    try {
      if (docks.size && !tabbing && f && f != doc.body && !f.closest('[data-linger]') && d!.matches(':focus-visible')) {
        const r = d!.getBoundingClientRect()
        const x = vv?.offsetLeft ?? 0
        const y = vv?.offsetTop ?? 0
        const w = vv?.width ?? win.innerWidth
        const h = vv?.height ?? win.innerHeight
        shown = { left: x, top: y, right: x + w, bottom: y + h }
        // In the view and in each box that clips it: half scrolled out of the app's scrolling panel,
        // a launcher stepped aside for the half the user could not see, or stayed over the other.
        // Not past a fixed box (out of its scrolling parents; its offsetParent is null), nor the
        // body's (the view's, mostly). An absolute one from its containing block up, its
        // offsetParent near enough: a grid's cell editor, placed by the grid, is not cut by the
        // cell it is written in (`< 'g'`: 'absolute' and 'fixed' only).
        for (let p: Element | null = d, c; p && p != doc.body; p = c.position < 'g' ? (p as HTMLElement).offsetParent : (p.parentElement ?? (p.getRootNode() as ShadowRoot).host))
          ((c = getComputedStyle(p)).overflow != 'visible' || p == d) && (shown = cut(shown, p == d ? r : p.getBoundingClientRect()))
        const mid = { left: (shown.left + shown.right) / 2, right: (shown.left + shown.right) / 2, top: (shown.top + shown.bottom) / 2, bottom: (shown.top + shown.bottom) / 2 }
        // Only where words are typed: a focused container (the app's <main> over half the view or
        // under it) kept by its middle, as before.
        if (!d!.matches('input,textarea,select') && !(d as HTMLElement).isContentEditable) shown = mid
        else if ((shown.right - shown.left) * (shown.bottom - shown.top) > (w * h) / 2) {
          big = mid
          let n: Rect | undefined
          if (d!.localName == 'textarea') {
            const t = d as HTMLTextAreaElement
            const e = t.selectionEnd
            // A copy of the text up to the caret is laid out anew each time: ~1 s a keystroke at
            // 1 MB (the textarea's own: 0.4 ms). Past a few pages, by its middle as before.
            if (e < 5e3) {
              const s = getComputedStyle(t)
              const m = doc.createElement('div')
              const k = doc.createElement('span')
              m.style.cssText = `all:initial;display:block;position:fixed;visibility:hidden;box-sizing:border-box;width:${t.clientWidth}px`
              // What sets where its lines wrap, longhand by longhand: its `font` is '' with tabular
              // numbers or ligatures off (a design system's), and the copy's was the default serif.
              for (const p of s) /^(font|line-h|letter|word|white|text-(wrap|tr|in)|tab|overflow-wrap|padding)/.test(p) && m.style.setProperty(p, s.getPropertyValue(p))
              // A word joiner: no break the textarea has not; the rest of its line wraps the word as it does.
              k.textContent = '\u2060'
              m.append(t.value.slice(0, e), k, t.value.slice(e).match(/.*/)![0])
              // In our shadow root: the page's own observers of its body see nothing come and go.
              ;(docks.keys().next().value!.getRootNode() as ShadowRoot).append(m)
              const a = k.getBoundingClientRect()
              // Measured in the textarea's own pixels: on screen, as much bigger as its box is (an
              // app's zoomed or scaled preview pane).
              const z = r.height / t.offsetHeight || 1
              const top = r.top + z * (t.clientTop - t.scrollTop + a.top - m.getBoundingClientRect().top)
              m.remove()
              n = { ...shown, top, bottom: top + z * a.height }
            }
          } else {
            // In the page's shadow root the document's selection names only its host.
            const s = doc.getSelection() as Selection & { getComposedRanges?(o: object): StaticRange[] }
            const o = d!.getRootNode()
            const g = o != doc && s.getComposedRanges?.({ shadowRoots: [o] })[0]
            const c = doc.createRange()
            const e = g ? g.endContainer : s.focusNode!
            if (d!.contains(e)) c.setStart(e, g ? g.endOffset : s.focusOffset), (n = c.getBoundingClientRect())
          }
          // Its line scrolled out of sight: nothing they see is typed in.
          shown = n && n.bottom > n.top ? cut(shown, n) : mid
        }
      }
    } catch {
      // One whose caret could not be read (Safari 17 to 18.4 takes shadow roots, not
      // { shadowRoots }): by its middle, not its whole box (every surface over the editor hid).
      big && (shown = big)
    }
    for (const el of docks.keys()) {
      // Its box only when there is something to keep clear: read after place() wrote where it goes,
      // it was a second forced layout in every survey's and toast's first frame, for nothing.
      let r: Rect | undefined
      const b = () => (r ??= el.getBoundingClientRect())
      el.style.visibility =
        !el.contains((el.getRootNode() as Document).activeElement) && (waiting.has(el) || (shown && overlaps(b(), shown)) || (keep?.width && (overlaps(b(), keep) || (tipOf && overlaps(b(), tipOf))))) ? 'hidden' : ''
      el.style.visibility || seen.add(el)
      // On screen for a Tab: with reduced motion (every transition 1 ms long, base CSS), one just
      // back from stepping aside still had its buttons hidden as the browser moved focus, and the
      // Tab skipped the whole surface. Level by level: each box's ends, the boxes in it start theirs.
      for (let n = tabbing && !el.style.visibility ? 9 : 0, a; n-- && (a = el.getAnimations?.({ subtree: true }).filter((a) => (a as CSSTransition).transitionProperty == 'visibility'))?.length; ) a.forEach((a) => a.finish())
    }
    // Each on its own: one that throws neither reaches the page nor drops the rest.
    pending.forEach((hosts, fn) => {
      const off = unseen(hosts)
      try {
        off || (pending.delete(fn), off === false && fn())
      } catch {}
    })
  }

  function place() {
    frame = 0
    const vw = vv?.width ?? win.innerWidth
    const vh = vv?.height ?? win.innerHeight
    const top = vv?.offsetTop ?? 0
    // The on-screen keyboard (or pinch zoom) hides the bottom of the layout viewport.
    const hidden = Math.max(0, win.innerHeight - vh - top)
    const items = [...docks]
      .sort((a, b) => a[1][1] - b[1][1])
      .map(([el, [corner, , push]]) => ({ el, corner, push, edge: corner.startsWith('top') ? ('top' as const) : ('bottom' as const), r: el.getBoundingClientRect(), at: 0, col: '', room: ROOM }))
    const widest = (corner: string) => Math.max(0, ...items.filter((i) => i.corner === corner).map((i) => i.r.width))
    // How far a bar reaches from its edge where it sits; moved, it came from the edge. One that
    // left its edge (a sticky header scrolled back into the page) is in no corner's way.
    const extent = (edge: Edge) => {
      const bar = barAt(edge)
      const r = bar?.[0].getBoundingClientRect()
      const from = r ? (edge === 'top' ? r.bottom : win.innerHeight - r.top) : 0
      return r?.height ? (bar![2] ? r.height : from - r.height < MARGIN + safe[edge] ? Math.max(0, from) : 0) : 0
    }
    // A phone's notch and home bar, on a page drawn edge to edge (viewport-fit=cover): the stacks
    // start past them as past a bar of the host's (one there already clears them); a banner pushing
    // the page starts there. A launcher sat under the home bar, a banner under the notch. Read off
    // the first item (dock), from a property that moves nothing on screen.
    const insets = items[0] && getComputedStyle(items[0].el)
    safe = { top: parseFloat(insets?.scrollMarginTop!) || 0, bottom: parseFloat(insets?.scrollMarginBottom!) || 0 }
    // The notch stays at the top of the screen as the view scrolls down the page (the keyboard up:
    // a banner went under the clock); over the on-screen keyboard, the home bar is out of the way.
    const edgeSafe = { top: safe.top, bottom: Math.max(0, safe.bottom - hidden) }
    // Nothing docked, no bar to stack past: a hit test at each edge, each time the window changed
    // or a beacon went, for nothing.
    const ext = items[0] ? { top: Math.max(extent('top'), edgeSafe.top), bottom: Math.max(extent('bottom'), edgeSafe.bottom) } : edgeSafe
    // The notch at a side (dock's margins): two side by side in landscape overlapped by as much.
    const sides = parseFloat(insets?.marginLeft!) + parseFloat(insets?.marginRight!) || 0
    let pushed: Partial<Record<Edge, boolean>>
    // Stacks every item but those waiting; returns how far each edge's stacks reach.
    const stack = () => {
      const columns: Record<string, number> = {}
      pushed = {}
      const reach = { top: EDGE + edgeSafe.top, bottom: EDGE + edgeSafe.bottom }
      for (const i of items) {
        // Both sides of an edge share one column when they would not fit side by side.
        const col = (i.col = widest(`${i.edge}-start`) + widest(`${i.edge}-end`) + 3 * MARGIN + sides > vw ? i.edge : i.corner)
        // Past the host's bar at that edge: a toast over its account menu, a launcher over its buttons.
        // A banner pushing the page is the edge's first row, edge to edge.
        i.at = i.push ? edgeSafe[i.edge] : (columns[col] ?? MARGIN + ext[i.edge])
        if (waiting.has(i.el)) continue
        columns[col] = i.at + (i.r.height && i.r.height + GAP)
        const bar = bars[i.edge]
        if (i.push && bar && ext[i.edge] && !pushed[i.edge]) {
          pushed[i.edge] = bar[2] = true
          bar[0].style[i.edge] = `${i.at + i.r.height + (i.edge === 'top' ? top : hidden)}px`
          columns[col] += ext[i.edge]
        }
        reach[i.edge] = Math.max(reach[i.edge], columns[col])
      }
      // Room: what an item may grow to before it reaches the stack at the other edge, less what
      // stacks past it in its column: an open panel grown to the other edge pushed the surfaces past
      // it over the top banner. Those count at most ROOM each, the least they get: counted whole,
      // two that can grow would take turns shrinking each other.
      for (const i of items) {
        const past = items.reduce((n, j) => n + (j.col === i.col && j.at > i.at && j.r.height && !waiting.has(j.el) ? Math.min(j.r.height, ROOM) + GAP : 0), 0)
        i.room = Math.max(ROOM, vh - reach[i.edge === 'top' ? 'bottom' : 'top'] - i.at - GAP - past)
      }
      return reach
    }
    // Where an item will be drawn, in the layout viewport's coordinates.
    const box = (i: (typeof items)[0]): Rect => {
      const h = Math.min(i.r.height, i.room)
      const y = i.edge === 'top' ? i.at + top : win.innerHeight - hidden - i.at - h
      return { left: i.r.left, right: i.r.right, top: y, bottom: y + h }
    }
    // A short window (400 % zoom, a phone held sideways, the keyboard up): the least room ROOM
    // drew a survey's card over the banner's buttons. What would come over a surface of the other
    // edge waits, unseen, until there is room: the one docked later, unless focus is in it.
    const order = [...docks.keys()]
    const rank = (i: (typeof items)[0]) => (i.el.contains((i.el.getRootNode() as Document).activeElement) ? -1 : order.indexOf(i.el))
    waiting.clear()
    let reach = stack()
    for (let n = items.length; n--; ) {
      const shown = items.filter((i) => !waiting.has(i.el) && i.r.height)
      const clash = shown.flatMap((a) => shown.filter((b) => a.edge < b.edge && overlaps(box(a), box(b))).map((b) => (rank(a) > rank(b) ? a : b)))[0]
      if (!clash) break
      waiting.add(clash.el)
      reach = stack()
    }
    for (const i of items) {
      const off = i.edge === 'top' ? top : hidden
      i.el.style[i.edge] = px(i.at + off)
      i.el.style[i.edge === 'top' ? 'bottom' : 'top'] = 'auto'
      i.el.style.setProperty('--linger-room', px(i.room))
    }
    // The banner that pushed it is gone: the bar has its place back.
    for (const edge of EDGES) {
      const bar = bars[edge]
      if (bar?.[2] && !pushed![edge]) (bar[0].style[edge] = bar[1]), (bar[2] = false)
    }
    bands = reach
    keepClear()
    listeners.forEach((fn) => fn())
  }

  // Tab goes through Linger's surfaces in the order their hosts came into the page (each after the
  // last): from the checklist at the bottom up to the survey over it, then on to a toast at the
  // top. One docked now goes in before the first of the others lower on screen. Not one with focus
  // in it: moved, it would lose it.
  function sortIn(el: HTMLElement) {
    // Alone, it goes before nothing: no boxes read (a forced layout as the first one comes).
    if (docks.size < 2) return
    const host = (el.getRootNode() as ShadowRoot).host as HTMLElement
    const tops = new Map([...docks.keys()].map((o) => [(o.getRootNode() as ShadowRoot).host, o.getBoundingClientRect().top]))
    const top = el.getBoundingClientRect().top
    const hosts = [...host.parentNode!.children]
    const next = hosts.find((h) => h != host && tops.get(h)! > top)
    // Nor one a modal of ours keeps out of reach: shown again, it would come over that modal.
    if (next && !host.inert && !host.shadowRoot!.activeElement && hosts.indexOf(next) < hosts.indexOf(host)) {
      next.before(host)
      // Out of the page and back in closed it: the top layer takes it again.
      if (host.popover) host.showPopover()
    }
  }

  return {
    dock(el, corner, order, push) {
      docks.set(el, [corner, order, push === true])
      el.style.scrollMargin = 'env(safe-area-inset-top) 0 env(safe-area-inset-bottom)'
      // A phone held sideways: its notch (and the room kept on the other side) at the left and the
      // right. A launcher sat under it; a banner's words ran under it.
      el.style.margin = '0 env(safe-area-inset-right) 0 env(safe-area-inset-left)'
      resized?.observe(el)
      place()
      // One that comes up at the bottom over what the user just pressed (the "Export CSV" its survey
      // asks about: at 375 px a full-width card over it, which they could not press again) goes to
      // the top, when it is clear of it there: only one that asks (avoid), not a launcher nor a
      // notice the vendor put at the bottom. A toast at the top waits unseen while it is over the
      // field the user types in (badges).
      // The field they are typing in counts however long ago they went in: a reply written over a
      // minute was forgotten, and the survey came up over the words as they typed them.
      // Both: a press on the editor's toolbar (focus kept in the box) hid the box.
      const rs = typeof push == 'object' && corner[0] == 'b' ? [performance.now() - usedAt < 15e3 && used?.deref(), typing(doc) && deepActiveElement(doc)].flatMap((e) => (e && e.isConnected ? [e.getBoundingClientRect()] : [])) : []
      const over = () => rs.some((r) => overlaps(el.getBoundingClientRect(), r))
      if (over()) {
        // Nearest the top edge, past a banner only: a toast docking there later (order 0) pushed
        // it back down over the button, as the user reached for a score.
        docks.set(el, [corner.replace('bottom', 'top') as Corner, -1])
        place()
        if (over()) docks.set(el, [corner, order]), place()
      }
      // A host out of the page has no place among the others.
      try {
        sortIn(el)
      } catch {}
      return () => {
        docks.delete(el)
        resized?.unobserve(el)
        schedule()
      }
    },
    bands: () => bands,
    // Not one waiting unseen for room: a hotspot's beacon under it vanished with nothing over it.
    // One hidden a moment for host focus or a tour's target counts: back on screen, it had the
    // beacon that came meanwhile pulsing in it (keepClear tells no listener).
    covered: (r) =>
      [...docks.keys()].some((el) => {
        const b = el.getBoundingClientRect()
        return b.width > 0 && !(waiting.has(el) && el.style.visibility) && overlaps(b, r)
      }),
    underBar(el, r, own) {
      // The beacon's own box: by its target's middle, one placed above a target just below the
      // header pulsed on the header. Not its pulse: a first-row toolbar button lost its beacon.
      near || observe(1)
      // Only the edge its target is nearer (bars are short): one hit test a frame at most. Not the
      // box's: asked of the target and of a beacon above it, both edges were hit-tested a frame.
      // But the box's (`own`) for a spot the beacon may move to, by a tall target's far end (its
      // middle under the launcher): one at its top corner pulsed on the header.
      const t = own ? r : el.getBoundingClientRect()
      const bar = barIn((near = t.top + t.bottom < win.innerHeight ? 'top' : 'bottom'))
      const b = bar?.getBoundingClientRect()
      // A header the page faded out or hid hides nothing. By the options' first names, which every
      // engine with checkVisibility knows (Chrome before 121 ignored the new ones); without it (iOS
      // Safari before 17.4), by its style.
      let s
      if (!b || !overlaps(b, r) || !(bar!.checkVisibility?.({ checkOpacity: true, checkVisibilityCSS: true } as CheckVisibilityOptions) ?? ((s = getComputedStyle(bar!)).visibility != 'hidden' && s.opacity != '0'))) return
      let pin = pins.get(el)
      if (pin?.[0] != bar) {
        pin = [bar!, false]
        // Kept in place by the page: in a fixed or sticky box (a bar's own button, a sticky table
        // heading), in a dialog. Not by a fixed box the bar is in (the whole app in a fixed shell,
        // its tab bar in it): a beacon there pulsed on the tab bar.
        for (let p: Element | null = el; p && !pin[1]; p = p.parentElement ?? ((p.getRootNode() as ShadowRoot).host as Element))
          pin[1] = (/fixed|sticky/.test(getComputedStyle(p).position) && (p == bar || !p.contains(bar!))) || p.matches('dialog,[role$=dialog],[aria-modal=true]')
        pins.set(el, pin)
      }
      return pin![1] ? undefined : b
    },
    clear(el, tip) {
      clearOf = el
      tipOf = tip
      keepClear()
    },
    waits: (hosts, then) => !!unseen(hosts) && !!pending.set(then, hosts),
    onChange(fn) {
      listeners.add(fn)
      // The beacons left say again where they are (underBar): with none, a tip or a notice kept
      // paying a look for every change of the page.
      return () => (listeners.delete(fn), near && ((near = undefined), observe(), schedule()))
    },
    expand(name, show) {
      const drop = () => expanded.splice(expanded.findIndex(([n]) => n === name) >>> 0, 1)
      drop()
      ;[...expanded].forEach(([, s]) => s(false))
      expanded.push([name, show])
      return () => {
        const wasTop = expanded.at(-1)?.[0] === name
        drop()
        if (wasTop) expanded.at(-1)?.[1](true)
      }
    },
    dispose() {
      docks.clear()
      place()
      pending.clear()
      changed.disconnect()
      win.cancelAnimationFrame(looking)
      resized?.disconnect()
      win.cancelAnimationFrame(frame)
      win.cancelAnimationFrame(frame2)
      watch(false)
    },
  }
}
