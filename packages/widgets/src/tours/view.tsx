import type { Experiences } from '@linger/sdk'
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { Placement } from '@floating-ui/dom'
import { guard, renderView } from '../platform/boundary'
import type { WidgetContext, WidgetRender } from '../platform/context'
import { deepActiveElement, focusables, PAGE_MODAL, tabOnceTo, typing } from '../platform/focus'
import { safeHref } from '../platform/safe-url'
import { useStore } from '../platform/use-store'
import { anchor, centre, revealTarget } from './position'
import css, { PULSE_REACH } from './styles'
import { findTarget, waitForTarget, watchTarget } from './target'

type Tours = Experiences['tours']
type Run = ReturnType<Tours['$runs']['get']>[number]
type Step = Run['tour']['steps'][number]
interface Props {
  ctx: WidgetContext
  tours: Tours
}

/** How long a step waits for a target that is not on the page yet, unless it sets waitMs. */
const WAIT_MS = 3000
/** A target not found by then is not on this page: the user sees where the tour went. */
export const HINT_AFTER_MS = 600

/** Parsed at idle once this chunk is in (WidgetPlatform.prepare). */
export { css }

export const render: WidgetRender = (ctx) => {
  const { root } = ctx.surface('tours', css, 'popover')
  // Mounted only once tours' $needsUi turned true, so the controller runs.
  return renderView(ctx, 'tours', <TourList ctx={ctx} tours={ctx.linger.experiences.tours!} />, root)
}

export function TourList({ ctx, tours }: Props) {
  return <>{useStore(tours.$runs).map((run) => <TourRunView key={run.tour.id} run={run} ctx={ctx} tours={tours} />)}</>
}

/** Focus is nowhere the user put it: on the page body, or gone with what held it. */
function lost() {
  const active = deepActiveElement()
  return !active || active === document.body
}

/** One tour under way: finds each step's target in the host page and shows the step by it. */
function TourRunView({ run, ctx, tours }: Props & { run: Run }) {
  const id = run.tour.id
  const step = run.tour.steps[run.index]
  const [target, setTarget] = useState<Element | null>(null)
  const restoreFocus = useRef<() => void>()
  // The step whose tip was last open: one open again is back after its target flickered or its
  // page came back, not brought by the user.
  const openStep = useRef(-1)
  // The user is in this tour: they asked for it (also once it was up), went into its tip or clicked a step's target.
  const engaged = useRef(false)
  engaged.current ||= !!run.asked
  const { status, centered } = run

  // Before paint, not after it: a target already on the page shows the step in this frame
  // instead of the next one (the first render after a trigger is one frame shorter).
  // Paused (its target left with a route change), the step is looked for too, for as long, on
  // each route change: its page may be back at another URL (`#/settings/team` for the `#/settings`
  // it left). Missing then counts for nothing: a paused step does not time out.
  // (Not showing is waiting or paused: a run that is over is off the list. A step with no target
  // pauses only where its url glob does not match, where the controller keeps it paused.)
  useLayoutEffect(() => {
    if (status === 'showing') return
    if (!step.target) return void tours.targetFound(id)
    return waitForTarget(document, step.target, step.waitMs ?? WAIT_MS, (el) => (setTarget(el), tours.targetFound(id)), () => tours.targetMissing(id))
  }, [status, run.index, run.attempt])

  const shown = status === 'showing' && !centered
  useEffect(() => {
    if (!shown) return
    // A page that re-renders swaps the element under the same selector: follow it quietly.
    // Only when nothing matches is the target lost.
    const relocate = () => {
      const again = step.target && findTarget(document, step.target)
      if (again) setTarget(again)
      else tours.targetLost(id)
    }
    if (!target?.isConnected) return relocate()
    const clicked = () => ((engaged.current = true), tours.targetClicked(id))
    target.addEventListener('click', clicked)
    const stop = watchTarget(target, relocate)
    return () => (stop(), target.removeEventListener('click', clicked))
  }, [shown, target])

  // Focus goes back where it was when the tour ends, unless the user has moved on in the page.
  useEffect(
    () => () => {
      const active = deepActiveElement()
      if (lost() || active?.closest('[data-linger-tour]')) restoreFocus.current?.()
    },
    [],
  )

  // Waiting on a page its url glob names (elsewhere the controller pauses it): the step is here,
  // its target still on its way (the app drawing the page the hint's Go link opened). "On
  // another page", with a link to where the user is, would be wrong: nothing until it comes.
  if (status !== 'showing') return step.beacon || (step.url && status !== 'paused') ? null : <Hint key={`${run.index}:${status}`} ctx={ctx} tours={tours} run={run} step={step} engaged={engaged} />
  if (step.beacon && !centered && !run.open) return target && <Beacon ctx={ctx} step={step} target={target} onOpen={guard(ctx, 'tours', () => tours.open(id))} />
  // A beacon goes as its tip opens: the control it points at is the place next to where the user
  // was, rather than the page body (Tab would start over from the top). After a tick, so a tour
  // tip that stepped aside for this one, and that the user is in, takes focus back first.
  // Answers whether this step's tip was open before.
  const opened = () => {
    // Back where it was without scrolling there: the page stays by the target the user was reading
    // about (closed with × far down the page, it jumped back up to "Take the tour").
    const at = deepActiveElement() as HTMLElement | null
    // A target that takes no focus (a card: the demo's Integrations) hands it to its first control.
    const into = (el: Element) => [el as HTMLElement, ...focusables(el)].some((c) => (c.focus?.({ preventScroll: true }), !lost()))
    restoreFocus.current ??= () => (step.beacon && target ? setTimeout(() => lost() && into(target)) : at?.focus?.({ preventScroll: true }))
    return openStep.current === (openStep.current = run.index)
  }
  return <Tooltip key={run.index} ctx={ctx} tours={tours} run={run} step={step} target={centered ? null : target} onOpen={opened} engaged={engaged} />
}

/**
 * Puts `hostEl` (a tour's tip by a target in the page's aria-modal `box`) inside that box: the
 * page's focus trap (focus-trap, react-focus-lock) takes what is in its box as its own, where it
 * refused the tip's clicks and pulled focus back out of it. Drawn as before (the top layer). It
 * goes back where it was at the returned release, or as soon as the page takes the box away (an
 * app unmounting it): gone with it, the tip would be lost for the rest of the tour.
 */
function hostIn(hostEl: HTMLElement, box: Element): () => void {
  const home = hostEl.parentNode
  if (!home || home === box || box.contains(hostEl)) return () => {}
  const move = (to: ParentNode) => {
    const focused = hostEl.shadowRoot?.activeElement as HTMLElement | null
    to.append(hostEl)
    // Out of the document and back in hid the popover: the top layer takes it again (not one
    // waiting, inert, behind a modal of ours).
    if (hostEl.popover && !hostEl.inert)
      try {
        hostEl.showPopover()
      } catch {}
    focused?.focus({ preventScroll: true })
  }
  const back = () => {
    watch.disconnect()
    // Still in the box (with it, out of the page): not one Linger removed meanwhile.
    if (hostEl.parentNode === box && home.isConnected) move(home)
  }
  // The app re-rendering the box's contents (an htmx swap, replaceChildren) took the tip out with
  // them: back into the box (or home, the box gone), or the tour held its slot with nothing on screen.
  const watch = new MutationObserver(() => (box.isConnected ? hostEl.isConnected || move(box) : back()))
  move(box)
  watch.observe(box.ownerDocument, { childList: true, subtree: true })
  return back
}

/**
 * A step in the page's own aria-modal box (a tour through its Settings): the tip (or beacon) stays
 * up with it, while the surfaces that would cover the box step aside (step-aside.ts), and goes
 * into the box, where the page's focus trap lets it take clicks and focus. First of the tip's
 * effects: in before it takes focus, which the trap pulled back out of it.
 */
function useInBox(ctx: WidgetContext, target: Element | null) {
  useLayoutEffect(() => {
    const { hostEl } = ctx.surface('tours', css, 'popover')
    const box = target?.closest(PAGE_MODAL)
    hostEl.toggleAttribute('data-in-modal', !!target?.closest('[aria-modal=true]'))
    const out = box ? hostIn(hostEl, box) : undefined
    return () => (out?.(), hostEl.removeAttribute('data-in-modal'))
  }, [target])
}

/** What the browser Tabs through inside `el`: an open shadow root, a slot's (flattened) slotted elements, else its children. */
const kids = (el: Element) => (el instanceof HTMLSlotElement ? el.assignedElements({ flatten: true }) : (el.shadowRoot ?? el).children)

/**
 * Out of the page's sight: a web component whose shadow root is closed (defined, no open root: the
 * page never sees which of its controls has focus, nor what stops it holds), a frame, an embed or a
 * plugin (its stops are Tabbed through with no keydown here, and left after the last of them with
 * none either). A Tab from, in or into one is the browser's. (A closed root on a plain element or a
 * never-defined one cannot be told from an empty box drawn by CSS, an avatar or a progress bar's
 * fill: guessed from boxes, a card ending with one lost its hotspot. Those are seen as empty.)
 */
const opaque = (el: Element) => /^(i?frame|embed|object)$/.test(el.localName) || (!el.shadowRoot && el.localName.includes('-') && !!customElements.get(el.localName))

/**
 * A page that orders its Tab stops itself (a tabindex above 0): the browser visits those first,
 * then the rest in the page's order; where the hotspot comes among them is the browser's to say.
 * Asked of the few whose tabindex may be above 0, not of every one: a data grid's thousands of
 * cells at -1 were each read on every Tab.
 */
const positive = () => [...document.querySelectorAll<HTMLElement>('[tabindex]:not([tabindex="0"],[tabindex^="-"])')].some((h) => h.tabIndex > 0)

/** Takes focus: not disabled, not hidden (focus() on one does nothing, and the browser's Tab then left the page). An image map's link has no box of its own. */
const shown = (h: HTMLElement) => !h.matches(':disabled') && (h.localName == 'area' || (h.checkVisibility?.({ visibilityProperty: true }) ?? h.getClientRects().length > 0))

/**
 * A Tab stop of its own (inert and Linger's surfaces aside). An editor (contenteditable, no
 * tabindex of its own) says -1 and is one all the same; a link in its text says 0 and is none (Tab
 * from the editor leaves it), though a field or a chip with a tabindex in it is. Nor is a link
 * that goes nowhere (an SVG <a> with no href), which says 0 too; an image map's link is one.
 */
function stopAt(h: HTMLElement) {
  const bare = !h.hasAttribute('tabindex')
  return (h.tabIndex >= 0 ? !(bare && h.matches('a,area') && (!h.matches(':any-link') || h.parentElement?.isContentEditable)) : h.isContentEditable && bare && !h.parentElement?.isContentEditable) && shown(h)
}

/**
 * A box that scrolls, a Tab stop when nothing in it is one (a log, a wide code sample; Chromium 130
 * on), though it says -1: Tab is the keyboard's way into it to scroll it. Left out, the hotspot took
 * that Tab and the box was never reached. Each axis on its own: one only too wide under
 * overflow-x: hidden does not scroll. Its style first: sizes are layout reads, and on thousands of
 * plain rows they made a Tab a long task.
 */
function scrolls(h: HTMLElement) {
  const s = getComputedStyle(h)
  const y = /auto|scroll/
  return ((y.test(s.overflowX) && h.scrollWidth > h.clientWidth) || (y.test(s.overflowY) && h.scrollHeight > h.clientHeight)) && shown(h)
}

/**
 * Adds the page's Tab stops in `root` to `stops`, in the browser's own order (through the open
 * shadow roots of the page's web components, a component's slotted children where its slot is,
 * not Linger's surfaces; none disabled, inert or hidden; one out of sight counts: it may hold
 * some), until `done`. True once done, or past 2,000 elements (`seen`), where what follows is
 * not looked at: a Tab was a long task past a table of thousands of read-only rows.
 */
function tabStops(root: Element, stops: HTMLElement[] = [], done = () => !!stops.length, seen: { n: number; cap?: number } = { n: 0 }): boolean {
  const visit = (el: Element): boolean => {
    const h = el as HTMLElement
    if (out(h)) return false
    if (++seen.n > (seen.cap ?? 2000)) return true
    const n = stops.length
    if (stopAt(h) || opaque(el)) stops.push(h)
    if (done()) return true
    for (const k of kids(el)) if (visit(k)) return true
    return stops.length == n && scrolls(h) && !!stops.push(h) && done()
  }
  return visit(root)
}

/**
 * Holds no stop: inert, Linger's own, or hidden with no box (a card's other tab panels: walked
 * row by row, they spent the 2,000 elements and the Tab was left to the browser, past the hotspot).
 */
const out = (h: HTMLElement) => h.inert || h.hasAttribute('data-linger') || (h.hidden && !h.getClientRects().length && getComputedStyle(h).display != 'contents')

/**
 * The last Tab stop in `el` (`el` too), walked back from its end: a Shift+Tab from the beacon past
 * a card of thousands of read-only rows looks at its last rows, not the whole card. Past 2,000
 * elements with no stop, `false`: the Shift+Tab is the browser's.
 */
function lastStop(el: Element, seen: { n: number }): HTMLElement | false | undefined {
  const h = el as HTMLElement
  if (out(h)) return
  if (++seen.n > 2000) return false
  const k = [...kids(el)]
  for (let i = k.length, s; i--; ) if ((s = lastStop(k[i], seen)) !== undefined) return s
  return stopAt(h) || opaque(el) || scrolls(h) ? h : undefined
}

/** Up the tree Tab goes through: the slot `c` is shown in (the outermost of nested ones), else its parent, a shadow root's host. */
function up(c: Element) {
  let p = c.assignedSlot ?? c.parentElement ?? (c.parentNode as ShadowRoot | null)?.host
  while (p instanceof HTMLSlotElement && p.assignedSlot) p = p.assignedSlot
  return p
}

/** What Tab comes to after `c` in `p`. */
const after = (p: Element, c: Element) => {
  const next = [...kids(p)]
  return next.slice(next.indexOf(c) + 1)
}

/**
 * The page's next Tab stops after the target and the stops in it (a target that is no stop, a
 * heading, has them too): walked forward from it up to the first that takes focus, not through
 * the whole page. Not capped: past a long stretch with no stop (thousands of read-only rows), no
 * element to hand the browser's Tab over from could be focused without the page hearing it (its
 * focus handlers, a :focus-within reveal, a frame or a closed component that took the Tab away).
 */
function stopsAfter(target: Element) {
  const stops: HTMLElement[] = []
  const seen = { n: 0, cap: Infinity }
  // A box that only may hold stops and takes no focus itself ends no search: focus() on it did
  // nothing, and the browser's Tab from the beacon (the body's end) left the page.
  const found = () => stops.some((s) => !opaque(s) || s.tabIndex >= 0)
  for (let c = target, p; !found() && (p = up(c)) && !opaque(p); c = p) for (const k of after(p, c)) if (tabStops(k, stops, found, seen)) break
  return stops
}

/** Radios the browser takes as one Tab stop (one group): Tab leaves it from whichever of them has focus. */
const group = (a: HTMLInputElement, b: HTMLInputElement) => a.type == 'radio' && b.type == a.type && a.name && a.name == b.name && a.form == b.form && a.getRootNode() == b.getRootNode()

/** An open popover; none in an engine without them, where ':popover-open' is no selector (it threw). */
const popped = (p: Element) => !!(p as HTMLElement).popover && p.matches(':popover-open')

/**
 * Whether the browser's Tab from `from` leaves `target`: `from` is a stop (or a control the app
 * focused that is none, a status line with tabindex -1, which Tabs on from where it is), and no
 * stop comes after it in the target but the other radios of its group (a group is left from any
 * of its radios, the checked one or the first, not only from its last). Walked forward from
 * `from` up to the first stop that says no: a Tab in a table of thousands of rows looks at a row,
 * not at the table. Past 2,000 elements with no stop (rows of read-only text), or at something
 * out of sight, the Tab is left to the browser rather than hold up the keystroke.
 */
function leaves(target: Element, from: HTMLElement) {
  let seen = 0
  // 1: a radio of the group in it, 2: another stop, or what may hold one (the Tab is the browser's).
  const visit = (el: Element): number => {
    const h = el as HTMLElement
    if (out(h)) return 0
    if (++seen > 2000 || opaque(el)) return 2
    let r = stopAt(h) ? 1 + +!group(from as HTMLInputElement, h as HTMLInputElement) : 0
    for (const k of kids(el)) if ((r |= visit(k)) > 1) break
    return r || (scrolls(h) ? 2 : 0)
  }
  if (opaque(from) || from.tabIndex > 0) return
  let r = 0
  for (const k of kids(from)) if ((r |= visit(k)) > 1) return
  const own = stopAt(from) || (!r && scrolls(from))
  if (!own && !from.hasAttribute('tabindex')) return
  for (let c: Element = from, p: Element | null | undefined; c != target; c = p) {
    // A closed shadow root's host (no slot to see `c` in) is out of sight.
    // An open popover is left back to its invoker, wherever that is.
    if (!(p = up(c)) || (p as HTMLElement).inert || p.hasAttribute('data-linger') || opaque(p) || popped(p)) return
    for (const k of after(p, c)) if ((r |= visit(k)) > 1) return
  }
  // An open popover of the page's: its invoker (a popovertarget, a commandfor, a showPopover({ source }),
  // the last unseen) Tabs into it, wherever it is. The browser's.
  // One with no stop in it (a tooltip shown on focus, a status line) changes no Tab.
  return ![...document.querySelectorAll('[popover]:not([data-linger])')].some((p) => popped(p) && tabStops(p))
}

/**
 * In the page's Tab order a beacon or a tip comes right after its target and the stops in it, not
 * after the whole page (its surface is at the end of the body): Tab from the target's last stop
 * (the target itself when it has none in it) comes to it, from its own last stop goes on to the
 * page's next stop (`then`: a click step's target), Shift+Tab from it (or its first stop) back to
 * that last stop. A card that takes no focus (the demo's Integrations) left it to the end of the
 * page, where its card had scrolled away and took it out of sight: a keyboard user never reached
 * it. Not from the other controls inside the target: their Tab is the page's. One out of sight
 * takes no focus: the Tab is left to the page. A click step's target comes after its tip, so its
 * own Tab is the page's.
 */
function useTabAfter(ctx: WidgetContext, target: Element | null, ref: { current: HTMLElement | null }, then?: HTMLElement | false | null, came?: { current: EventTarget | null }) {
  const tab = guard(ctx, 'tours', (e: KeyboardEvent) => {
    if (e.key !== 'Tab' || e.defaultPrevented || !target) return
    const own = [ref.current as HTMLElement, ...ref.current!.querySelectorAll('button')]
    // Where the Tab is from: the focused control, in a web component's shadow root too (not its host).
    const from = e.composedPath()[0] as HTMLElement
    // The target's own last stop, looked for only on Shift+Tab from the beacon; in a radio group
    // its checked radio (the one Shift+Tab comes back to). One whose checked radio takes no focus
    // (disabled, hidden) is entered at its first, both ways. One out of sight: the browser's.
    const last = () => {
      const end = lastStop(target, { n: 0 }) ?? target
      if (!end) return false
      const mates = [...(end.getRootNode() as ParentNode).querySelectorAll<HTMLInputElement>('input[type=radio]')].filter((s) => group(s, end as HTMLInputElement) && stopAt(s))
      return !opaque(end) && [mates.find((s) => s.checked) ?? (([...(end.getRootNode() as ParentNode).querySelectorAll<HTMLInputElement>('input:checked')].some((r) => group(r, end as HTMLInputElement)) && mates[0]) || end), target]
    }
    const go = (to: HTMLElement | HTMLElement[] | false) => {
      for (const el of ([] as HTMLElement[]).concat(to || [])) if ((el.focus(), el.matches(':focus'))) return e.preventDefault()
    }
    // Not when the user came to it from the page after its target (the page's last control: its
    // surface ends the body): sent back there, Tab went round the page for ever. The browser's.
    const round = came?.current && target.compareDocumentPosition(came.current as Node) == 4
    if (e.currentTarget !== target) {
      if (positive()) return
      if (e.shiftKey) return go((own.indexOf(e.target as HTMLElement) < 2 && last()) as HTMLElement[] | false)
      if (e.target !== own.pop() || round) return
      const next = then || stopsAfter(target)
      // Into a radio group at its checked radio, as the browser (it was at its first), if that one
      // comes after the target (a plan picker whose checked Free is above the hotspot's Pro: Tab
      // went up the page, and Shift+Tab then skipped the hotspot).
      const entry = (s: HTMLElement) => [...(s.getRootNode() as ParentNode).querySelectorAll<HTMLInputElement>('input[type=radio]:checked')].find((r) => group(r, s as HTMLInputElement) && stopAt(r) && (target.compareDocumentPosition(r) & 3) != 2) ?? s
      go(Array.isArray(next) ? next.map(entry) : next)
    }
    // Once the page has had this Tab: its handlers higher up (React's at the app's root, a
    // combobox taking its option on Tab) saw it only after the beacon had taken focus, and the
    // user lost the field they were typing in. Left alone when one used it (or moved focus).
    // Checked to be this Tab: one a handler stopped leaves the listener to the next key.
    else if (!e.shiftKey && !then && leaves(target, from) && !positive())
      addEventListener('keydown', guard(ctx, 'tours', (k: Event) => k === e && !e.defaultPrevented && deepActiveElement() === from && go(own[0])), { once: true })
  })
  useEffect(() => (target?.addEventListener('keydown', tab as EventListener), () => target?.removeEventListener('keydown', tab as EventListener)), [target])
  return tab
}

function Beacon({ ctx, step, target, onOpen }: { ctx: WidgetContext; step: Step; target: Element; onOpen(): void }) {
  const ref = useRef<HTMLButtonElement>(null)
  useInBox(ctx, target)
  // By default after its target in reading order: on a right-to-left page that is its left (at
  // its right, it sat between the control and the one before it). A vendor's placement is a side.
  useLayoutEffect(
    () =>
      anchor(target, ref.current as HTMLElement, {
        placement: (step.placement ?? (getComputedStyle(target).direction === 'rtl' ? 'left' : 'right')) as Placement,
        gap: 6,
        reach: PULSE_REACH,
        // Nor while it would be on the page's own header (or tab bar): it would pulse on the bar,
        // marking nothing.
        covered: ctx.layout.covered,
        // A spot it may move to is asked about with the bar at its own edge (`own`).
        bar: ctx.layout.underBar.bind(ctx.layout, target),
        watch: ctx.layout.onChange,
      }),
    [target],
  )
  // Where focus came to it from (the target's last stop, or the page's last control).
  const came = useRef<EventTarget | null>(null)
  const tab = useTabAfter(ctx, target, ref, undefined, came)
  return <button ref={ref} type="button" class="beacon" aria-label={ctx.t('tours.openHint', { title: step.title })} onClick={onOpen} onKeyDown={tab} onFocus={(e) => (came.current = e.relatedTarget)} />
}

function Tooltip({ ctx, tours, run, step, target, onOpen, engaged }: Props & { run: Run; step: Step; target: Element | null; onOpen(): boolean; engaged: { current: boolean } }) {
  const id = run.tour.id
  const total = run.tour.steps.length
  const last = run.index === total - 1
  const box = useRef<HTMLDivElement>(null)
  const arrowEl = useRef<HTMLDivElement>(null)
  const spot = useRef<HTMLDivElement>(null)
  useInBox(ctx, target)
  const act = (fn: () => void) => guard(ctx, 'tours', fn)
  const next = act(() => tours.next(id))
  const back = act(() => tours.back(id))

  const [away, setAway] = useState(false)
  useLayoutEffect(() => {
    const el = box.current as HTMLElement
    const room = { bands: ctx.layout.bands, watch: ctx.layout.onChange }
    return target ? anchor(target, el, { ...room, placement: step.placement as Placement | undefined, arrowEl: arrowEl.current, spot: spot.current, sheet: true, clear: ctx.layout.clear }) : centre(el, room)
  }, [target])
  // The step's target must be free: an open checklist panel or survey steps aside meanwhile, and
  // so does another tour's tip (a hotspot opened during a tour), each run under its own name.
  // Before paint: after it, both tips were on screen for a frame or more, and an Esc in the new
  // one then gave focus to its target instead of back to the tour the user was in.
  useLayoutEffect(() => ctx.layout.expand(`tour:${id}`, (on) => setAway(!on)), [])
  // Back from stepping aside: the focus the other tip took went with it (to the page body). In a
  // tour the user is in, it comes back here, where they were.
  const wasAway = useRef(false)
  useLayoutEffect(() => {
    if (wasAway.current && !away && engaged.current && lost()) box.current?.focus({ preventScroll: true })
    wasAway.current = away
  }, [away])

  // Layout effect: focus lands in the same frame the step appears, before the next key press.
  // Only in a tour the user is in (or a beacon's tip they opened): one that starts on its own
  // leaves focus where it is (a keyboard user on a link of the page stays there), and so does
  // one that comes while someone types (their keystrokes stay theirs). The step is announced,
  // and the next Tab from there brings them to it; the page scrolls to the target only then,
  // not away from what they were on. A beacon's target is already in view (the user just
  // clicked next to it): no scrolling.
  // Only the first time a step's tip opens: open again (its target flickered, its page came back),
  // it leaves the user where they went meanwhile; focus only comes back if it went with the tip.
  useLayoutEffect(() => {
    const el = box.current
    if (onOpen()) return void (engaged.current && lost() && el?.focus({ preventScroll: true }))
    const stay = (typing() || !(engaged.current || step.beacon)) && (deepActiveElement() ?? document.body)
    const handOff = stay ? tabOnceTo(stay, () => el) : undefined
    let stopReveal: (() => void) | undefined
    const reveal = () => {
      engaged.current = true
      if (target && !step.beacon && !stopReveal) stopReveal = revealTarget(target, !ctx.reducedMotion())
    }
    if (stay) {
      ctx.announce(ctx.t('tours.announce', { title: step.title }))
      el?.addEventListener('focusin', reveal)
    } else {
      el?.focus({ preventScroll: true })
      reveal()
    }
    return () => (handOff?.(), el?.removeEventListener('focusin', reveal), stopReveal?.())
  }, [])

  // Asked for while this tip was up without focus (it came on its own; the user's "Take the
  // tour"): theirs now, it takes focus, as if it had started at their request. Not from a field
  // being typed in: its Enter (a to-do added, tracked as the trigger) asked for no tour.
  const asks = useRef(run.asks)
  useLayoutEffect(() => {
    if (asks.current != (asks.current = run.asks) && !typing()) (engaged.current = true), box.current?.focus({ preventScroll: true })
  }, [run.asks])

  // A step passed by a click on its target has no Next: the tip's last Tab stop leads there, for
  // a keyboard user, rather than past the end of the page.
  const byClick = step.advance === 'click' && (target as HTMLElement | null)
  const tab = useTabAfter(ctx, target, box, byClick)
  const onKeyDown = guard(ctx, 'tours', (e: KeyboardEvent) => {
    const forward = ctx.dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight'
    const backward = ctx.dir === 'rtl' ? 'ArrowRight' : 'ArrowLeft'
    // A click step's target that takes no focus (a disabled button, a plain div): the Tab is left alone.
    if (e.key === 'Tab') return tab(e)
    if (e.key === 'Escape') tours.dismiss(id, 'escape')
    // With a modifier an arrow is the browser's or the system's (Alt+← is Back), not the tour's.
    else if (e.altKey || e.ctrlKey || e.metaKey) return
    // Not past the last step: finishing the tour is Done, pressed, not an arrow a screen reader
    // user sent while reading (it counted as completed).
    else if (e.key === forward) last || next()
    else if (e.key === backward) back()
    else return
    e.preventDefault()
    e.stopPropagation()
  })

  const uid = `linger-tour-${id}`
  return (
    <>
      {/* Hidden with its tip, not removed: anchor() keeps placing this element. */}
      {step.spotlight && target && <div ref={spot} class="spot" hidden={away} />}
      <div ref={box} role="dialog" aria-labelledby={`${uid}-title`} aria-describedby={step.body ? `${uid}-body` : undefined} tabIndex={-1} data-linger-tour={id} class={`tip linger-card${target ? '' : ' centered'}`} hidden={away} onKeyDown={onKeyDown}>
        {target && <div ref={arrowEl} class="arrow" />}
        {/* What scrolls when the step is taller than the room: inside the tip, so the arrow, which
            pokes out of the tip towards its target, is not clipped by it. */}
        <div class="in">
          <button type="button" class="linger-icon-btn close" aria-label={ctx.t('tours.close')} onClick={act(() => tours.dismiss(id, 'close'))}>
            ×
          </button>
          {/* The vendor's text in its own direction (<bdi>): English in an Arabic tip read
              ".Get updates…", its full stop thrown to the front. */}
          <h2 id={`${uid}-title`}>
            <bdi>{step.title}</bdi>
          </h2>
          {step.body && (
            <p id={`${uid}-body`}>
              <bdi>{step.body}</bdi>
            </p>
          )}
          <div class="foot">
            {total > 1 && <span class="progress">{ctx.t('tours.progress', { n: run.index + 1, total })}</span>}
            {run.index > (run.skipped ?? []).filter((i) => i < run.index).length && (
              <button type="button" class="linger-btn" onClick={back}>
                {ctx.t('tours.back')}
              </button>
            )}
            {!byClick && (
              <button type="button" class="linger-btn linger-btn-primary" onClick={next}>
                {ctx.t(last ? 'tours.done' : 'tours.next')}
              </button>
            )}
          </div>
        </div>
      </div>
    </>
  )
}

/**
 * The current step is not on this page (waiting past a moment, or paused on a page its url glob
 * does not match): say where the tour went instead of showing nothing. A step url that names
 * one page (`#/reports*`) becomes a link there.
 */
function Hint({ ctx, tours, run, step, engaged }: Props & { run: Run; step: Step; engaged: { current: boolean } }) {
  const [late, setLate] = useState(run.status === 'paused')
  const box = useRef<HTMLElement>(null)
  useEffect(() => {
    const timer = setTimeout(() => setLate(true), HINT_AFTER_MS)
    return () => clearTimeout(timer)
  }, [])
  useLayoutEffect(() => (late && box.current ? ctx.layout.dock(box.current, 'bottom-start', 2, { avoid: true }) : undefined), [late])
  useEffect(() => (late ? ctx.layout.expand('tour-hint', () => {}) : undefined), [late])
  // The tip a keyboard user pressed Next in went with its step, and focus with it (to the page
  // body): it comes here. Anyone else hears where the tour went.
  useEffect(() => {
    if (!late) return
    if (engaged.current && lost()) box.current?.focus({ preventScroll: true })
    else ctx.announce(`${step.title}. ${ctx.t('tours.elsewhere')}`)
  }, [late])
  if (!late) return null
  const page = step.url && /^[^*?]*\*?$/.test(step.url) ? safeHref(step.url.replace(/\*$/, '')) : undefined
  const id = `linger-hint-${run.tour.id}`
  const end = (reason: string) => guard(ctx, 'tours', () => tours.dismiss(run.tour.id, reason))
  // Escape ends the tour from its hint as from its tip: a keyboard user taken here has no other
  // way out but Tab to "End tour".
  const onKeyDown = (e: KeyboardEvent) => e.key === 'Escape' && (e.preventDefault(), e.stopPropagation(), end('escape')())
  return (
    <section ref={box} tabIndex={-1} class="hint linger-card" aria-labelledby={id} data-linger-tour={run.tour.id} onKeyDown={onKeyDown}>
      <p class="kicker">{ctx.t('tours.progress', { n: run.index + 1, total: run.tour.steps.length })}</p>
      <h2 id={id}>
        <bdi>{step.title}</bdi>
      </h2>
      <p>{ctx.t('tours.elsewhere')}</p>
      <div class="foot">
        <button type="button" class="linger-btn" onClick={end('close')}>
          {ctx.t('tours.end')}
        </button>
        {page && (
          <a class="linger-btn linger-btn-primary" href={page}>
            {ctx.t('tours.go')}
          </a>
        )}
      </div>
    </section>
  )
}
