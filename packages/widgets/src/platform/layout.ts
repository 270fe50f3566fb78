/**
 * One layout for every surface that is not modal, so two Linger surfaces never sit on top of
 * each other at any viewport width:
 * - corner surfaces (checklist, toasts, survey popover, tour hints) `dock` into stacks at the
 *   top and bottom of the visible viewport; the two sides of an edge share one column when they
 *   would not fit side by side (phones). Each docked element gets its `top`/`bottom` and a
 *   `--linger-room` (the height it may grow to) set inline;
 * - one corner surface is expanded at a time: `expand` collapses the others until it is done;
 * - floating tips read `bands()` to keep clear of the stacks, and beacons hide while `covered`;
 *   a docked surface over the element a tour step is about steps aside (`clear`).
 */
export type Corner = `${'top' | 'bottom'}-${'start' | 'end'}`

export interface Layout {
  /** Stacks `el` (a `position: fixed` element) in `corner`; lower `order` sits nearer the edge. */
  dock(el: HTMLElement, corner: Corner, order: number): () => void
  /** How far the top and bottom stacks reach into the visible viewport, margins included (px). */
  bands(): { top: number; bottom: number }
  /** Whether a rectangle (viewport coordinates) touches a docked surface. */
  covered(rect: Rect): boolean
  /**
   * Keeps the host's `el` (a tour step's target) clear: the docked surfaces over it hide until
   * the next call (`null`: none), unless focus is in them. Called again as the target moves.
   */
  clear(el: Element | null): void
  /** Runs after every re-layout, until the returned stop. */
  onChange(fn: () => void): () => void
  /** `show(false)` for every other expanded surface while this one is; the last one back gets `show(true)`. */
  expand(name: string, show: (on: boolean) => void): () => void
  dispose(): void
}

const MARGIN = 16
const GAP = 10
/** What floating tips keep from an edge with nothing docked at it. */
const EDGE = 8
const px = (n: number) => `${Math.floor(n)}px`
type Rect = { left: number; top: number; right: number; bottom: number }
const overlaps = (b: Rect, r: Rect) => b.left < r.right && r.left < b.right && b.top < r.bottom && r.top < b.bottom

export function createLayout(win: Window): Layout {
  const docks = new Map<HTMLElement, [Corner, number]>()
  const listeners = new Set<() => void>()
  const expanded: Array<[string, (on: boolean) => void]> = []
  const vv = win.visualViewport
  let bands = { top: EDGE, bottom: EDGE }
  let frame = 0
  const schedule = () => void (frame ||= win.requestAnimationFrame(place))
  const resized = typeof ResizeObserver === 'function' ? new ResizeObserver(schedule) : undefined
  const watch = (on: boolean) => {
    const how = on ? 'addEventListener' : 'removeEventListener'
    win[how]('resize', schedule)
    vv?.[how]('resize', schedule)
    vv?.[how]('scroll', schedule)
  }
  watch(true)

  let clearOf: Element | null = null
  // A launcher over the page's own button while a step explains it: the user could neither see
  // it nor click it (a click step could not be done).
  function keepClear() {
    const keep = clearOf?.getBoundingClientRect()
    for (const el of docks.keys())
      el.style.visibility = keep?.width && !el.contains((el.getRootNode() as Document).activeElement) && overlaps(el.getBoundingClientRect(), keep) ? 'hidden' : ''
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
      .map(([el, [corner]]) => ({ el, corner, edge: corner.startsWith('top') ? ('top' as const) : ('bottom' as const), r: el.getBoundingClientRect(), at: 0 }))
    const widest = (corner: string) => Math.max(0, ...items.filter((i) => i.corner === corner).map((i) => i.r.width))
    const reach = { top: EDGE, bottom: EDGE }
    const columns: Record<string, number> = {}
    for (const i of items) {
      // Both sides of an edge share one column when they would not fit side by side.
      const col = widest(`${i.edge}-start`) + widest(`${i.edge}-end`) + 3 * MARGIN > vw ? i.edge : i.corner
      i.at = columns[col] ?? MARGIN
      columns[col] = i.at + (i.r.height && i.r.height + GAP)
      reach[i.edge] = Math.max(reach[i.edge], columns[col])
      i.el.style[i.edge] = px(i.at + (i.edge === 'top' ? top : hidden))
      i.el.style[i.edge === 'top' ? 'bottom' : 'top'] = 'auto'
    }
    // Room: what an item may grow to before it reaches the stack at the other edge.
    for (const i of items) i.el.style.setProperty('--linger-room', px(Math.max(96, vh - reach[i.edge === 'top' ? 'bottom' : 'top'] - i.at - GAP)))
    bands = reach
    if (clearOf) keepClear()
    listeners.forEach((fn) => fn())
  }

  return {
    dock(el, corner, order) {
      docks.set(el, [corner, order])
      resized?.observe(el)
      place()
      return () => {
        docks.delete(el)
        resized?.unobserve(el)
        schedule()
      }
    },
    bands: () => bands,
    covered: (r) =>
      [...docks.keys()].some((el) => {
        const b = el.getBoundingClientRect()
        return b.width > 0 && overlaps(b, r)
      }),
    clear(el) {
      clearOf = el
      keepClear()
    },
    onChange(fn) {
      listeners.add(fn)
      return () => listeners.delete(fn)
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
      resized?.disconnect()
      win.cancelAnimationFrame(frame)
      watch(false)
    },
  }
}
