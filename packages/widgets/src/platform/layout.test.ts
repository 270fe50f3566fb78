// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLayout, type Corner, type Layout } from './layout'

// jsdom lays nothing out: each element gets the box a browser would give it. A docked one sits
// where the layout put it (its inline top or bottom), at the end side of a 1024 × 768 window.
const H = innerHeight
const at = (el: HTMLElement, box: { left: number; top: number; width: number; height: number }) =>
  (el.getBoundingClientRect = () => ({ ...box, x: box.left, y: box.top, right: box.left + box.width, bottom: box.top + box.height, toJSON() {} }))
function surface(width: number, height: number) {
  const el = document.createElement('div')
  document.body.append(el)
  el.getBoundingClientRect = () => {
    const top = el.style.top && el.style.top !== 'auto' ? parseFloat(el.style.top) : H - parseFloat(el.style.bottom) - height
    const left = innerWidth - 16 - width
    return { left, top, right: left + width, bottom: top + height, width, height, x: left, y: top, toJSON() {} }
  }
  return el
}
/** The page's own button, where the user presses it. */
function pageButton(box: { left: number; top: number; width: number; height: number }) {
  const b = document.createElement('button')
  document.body.append(b)
  at(b, box)
  return b
}
const press = (el: Element) => el.dispatchEvent(new Event('pointerdown', { bubbles: true }))
const edge = (el: HTMLElement) => (el.style.top !== 'auto' ? 'top' : 'bottom')

let layout: Layout
beforeEach(() => (layout = createLayout(window)))
afterEach(() => {
  layout.dispose()
  vi.useRealTimers()
  document.body.replaceChildren()
})

// The floating "+" of a project app, in the bottom-right corner where Linger's launchers and
// the survey dock.
const FAB = { left: 1024 - 16 - 56, top: H - 16 - 56, width: 56, height: 56 }

describe('a corner surface that comes up over what the user just pressed', () => {
  it('the survey asking about it goes to the top of the screen, clear of it: the user can press it again', () => {
    const fab = pageButton(FAB)
    press(fab)
    const survey = surface(360, 260)
    layout.dock(survey, 'bottom-end', 1, { avoid: true })
    expect(edge(survey)).toBe('top')
  })

  it('the checklist launcher the "+" started stays in the bottom corner: its panel opens upward from it, not down over the page from the top', () => {
    const fab = pageButton(FAB)
    press(fab)
    const launcher = surface(200, 48)
    layout.dock(launcher, 'bottom-end', 0)
    expect(edge(launcher)).toBe('bottom')
  })

  it('a press a minute ago, on a button the user has since left, no longer moves the survey off the corner the vendor chose', () => {
    vi.useFakeTimers()
    const fab = pageButton(FAB)
    press(fab)
    vi.advanceTimersByTime(60_000)
    const survey = surface(360, 260)
    layout.dock(survey, 'bottom-end', 1, { avoid: true })
    expect(edge(survey)).toBe('bottom')
  })

  it('a toast that docks at the top later stacks past the moved survey: the survey does not slide back down over the button', () => {
    // A phone-sized column: the export button low on the screen, under where the survey docks.
    const exportCsv = pageButton({ left: 700, top: H - 90, width: 120, height: 40 })
    press(exportCsv)
    const survey = surface(360, 260)
    layout.dock(survey, 'bottom-end', 1, { avoid: true })
    const before = survey.getBoundingClientRect().top
    expect(edge(survey)).toBe('top')
    const toast = surface(300, 180)
    layout.dock(toast, 'top-end' as Corner, 0)
    expect(survey.getBoundingClientRect().top).toBe(before)
  })
})

describe('code on the page that fakes an outside click', () => {
  it('`document.dispatchEvent(new Event("pointerdown"))` (no element as its target) throws nothing into the page', () => {
    const errors: unknown[] = []
    const onError = (e: ErrorEvent) => (errors.push(e.error), e.preventDefault())
    window.addEventListener('error', onError)
    try {
      document.dispatchEvent(new Event('pointerdown'))
      document.dispatchEvent(new Event('focusin'))
    } finally {
      window.removeEventListener('error', onError)
    }
    expect(errors).toEqual([])
  })
})
