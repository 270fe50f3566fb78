import { fireEvent } from '@testing-library/dom'
import { render as preactRender, type VNode } from 'preact'
import { act } from 'preact/test-utils'

/**
 * Component-test rendering against the widgets' own Preact. The repo root resolves preact 11
 * for @testing-library/preact (its peer), while widgets use preact 10: two copies whose hooks
 * do not meet. So render with ours and query with @testing-library/dom (`screen`, `within`).
 */
const mounted: Element[] = []

export function renderUi(vnode: VNode): { container: HTMLElement; rerender(v: VNode): void } {
  const container = document.body.appendChild(document.createElement('div'))
  mounted.push(container)
  act(() => preactRender(vnode, container))
  return { container, rerender: (v) => act(() => preactRender(v, container)) }
}

/** Runs `fn` (a store change, a timer) and lets Preact render and run effects. */
export function update(fn: () => void): void {
  act(fn)
}

/** fireEvent inside act: `fire.click(el)`, `fire.keyDown(el, { key: 'Escape' })`. */
export const fire = new Proxy(fireEvent, {
  get: (target, name) => (el: Element, init?: object) => {
    let result = false
    act(() => {
      result = (target as unknown as Record<string, (el: Element, init?: object) => boolean>)[name as string](el, init)
    })
    return result
  },
}) as unknown as typeof fireEvent

export function cleanupUi(): void {
  for (const el of mounted.splice(0)) {
    act(() => preactRender(null, el))
    el.remove()
  }
}
