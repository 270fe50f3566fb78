/**
 * One layout for every surface that is not modal, so two Linger surfaces never sit on top of
 * each other at any viewport width:
 * - corner surfaces (checklist, toasts, survey popover, tour hints) `dock` into stacks at the
 *   top and bottom of the visible viewport; the two sides of an edge share one column when they
 *   would not fit side by side (phones). Each docked element gets its `top`/`bottom` and a
 *   `--linger-room` (the height it may grow to) set inline;
 * - one corner surface is expanded at a time: `expand` collapses the others until it is done;
 * - floating tips read `bands()` to keep clear of the stacks, and beacons hide while `covered`.
 */
export type Corner = `${'top' | 'bottom'}-${'start' | 'end'}`

export interface Layout {
  /** Stacks `el` (a `position: fixed` element) in `corner`; lower `order` sits nearer the edge. */
  dock(el: HTMLElement, corner: Corner, order: number): () => void
  /** How far the top and bottom stacks reach into the visible viewport, margins included (px). */
  bands(): { top: number; bottom: number }
  /** Whether a rectangle (viewport coordinates) touches a docked surface. */
  covered(rect: { left: number; top: number; right: number; bottom: number }): boolean
  /** Runs after every re-layout, until the returned stop. */
  onChange(fn: () => void): () => void
  /** `show(false)` for every other expanded surface while this one is; the last one back gets `show(true)`. */
  expand(name: string, show: (on: boolean) => void): () => void
  /** Re-measures now (tests; widgets rely on the ResizeObserver). */
  place(): void
  dispose(): void
}

const MARGIN = 16
const GAP = 10

interface Item {
  corner: Corner
  order: number
  at: number
  h: number
  w: number
}

export function createLayout(win: Window): Layout {
  const docks = new Map<HTMLElement, Item>()
  const listeners = new Set<() => void>()
  const expanded: Array<[string, (on: boolean) => void]> = []
  let bands = { top: 0, bottom: 0 }
  let frame = 0
  const schedule = () => void (frame ||= win.requestAnimationFrame(() => ((frame = 0), place())))
  const resized = typeof ResizeObserver === 'function' ? new ResizeObserver(schedule) : undefined
  const vv = win.visualViewport
  win.addEventListener('resize', schedule)
  vv?.addEventListener('resize', schedule)
  vv?.addEventListener('scroll', schedule)

  function place() {
    const vw = vv?.width ?? win.innerWidth
    const vh = vv?.height ?? win.innerHeight
    const top = vv?.offsetTop ?? 0
    // The on-screen keyboard (or pinch zoom) hides the bottom of the layout viewport.
    const hidden = Math.max(0, win.innerHeight - vh - top)
    const items = [...docks].map(([el, item]) => {
      const r = el.getBoundingClientRect()
      item.h = r.height
      item.w = r.width
      return [el, item] as const
    })
    const reach = { top: MARGIN, bottom: MARGIN }
    const columns: Record<string, number> = {}
    for (const edge of ['bottom', 'top'] as const) {
      const mine = items.filter(([, i]) => i.corner.startsWith(edge)).sort((a, b) => a[1].order - b[1].order)
      const widest = (side: string) => Math.max(0, ...mine.filter(([, i]) => i.corner.endsWith(side)).map(([, i]) => i.w))
      const shared = widest('start') + widest('end') + 3 * MARGIN > vw
      for (const [el, i] of mine) {
        const col = edge + (shared ? '' : i.corner.slice(edge.length))
        i.at = columns[col] ?? MARGIN
        columns[col] = i.at + (i.h ? i.h + GAP : 0)
        reach[edge] = Math.max(reach[edge], columns[col])
        el.style.setProperty(edge, `${i.at + (edge === 'top' ? top : hidden)}px`)
        el.style.setProperty(edge === 'top' ? 'bottom' : 'top', 'auto')
      }
    }
    // Room: what an item may grow to before it reaches the stack at the other edge.
    for (const [el, i] of items) {
      const edge = i.corner.startsWith('top') ? 'top' : 'bottom'
      const room = vh - reach[edge === 'top' ? 'bottom' : 'top'] - i.at - GAP
      el.style.setProperty('--linger-room', `${Math.max(96, Math.floor(room))}px`)
    }
    bands = reach
    listeners.forEach((fn) => fn())
  }

  return {
    dock(el, corner, order) {
      docks.set(el, { corner, order, at: MARGIN, h: 0, w: 0 })
      resized?.observe(el)
      place()
      return () => {
        docks.delete(el)
        resized?.unobserve(el)
        schedule()
      }
    },
    bands: () => bands,
    covered(r) {
      for (const el of docks.keys()) {
        const b = el.getBoundingClientRect()
        if (b.width && b.left < r.right && r.left < b.right && b.top < r.bottom && r.top < b.bottom) return true
      }
      return false
    },
    onChange(fn) {
      listeners.add(fn)
      return () => listeners.delete(fn)
    },
    expand(name, show) {
      const drop = () => {
        const at = expanded.findIndex(([n]) => n === name)
        if (at >= 0) expanded.splice(at, 1)
      }
      drop()
      ;[...expanded].forEach(([, s]) => s(false))
      expanded.push([name, show])
      return () => {
        const wasTop = expanded.at(-1)?.[0] === name
        drop()
        if (wasTop) expanded.at(-1)?.[1](true)
      }
    },
    place,
    dispose() {
      resized?.disconnect()
      win.cancelAnimationFrame(frame)
      win.removeEventListener('resize', schedule)
      vv?.removeEventListener('resize', schedule)
      vv?.removeEventListener('scroll', schedule)
    },
  }
}
