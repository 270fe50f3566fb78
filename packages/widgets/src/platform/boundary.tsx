import { render, type ComponentChildren, type VNode } from 'preact'
import { useErrorBoundary } from 'preact/hooks'
import type { WidgetContext } from './context'

/**
 * Renders a widget's Preact tree inside an error boundary: a render or effect that throws makes
 * the widget disappear and reports it through `ctx.fail` (an `error` event), instead of
 * reaching the host page. Returns the unmount.
 */
export function renderView(ctx: WidgetContext, widget: string, vnode: VNode, into: Element | ShadowRoot): () => void {
  const onError = (error: unknown) => setTimeout(() => ctx.fail(widget, error))
  render(<Boundary onError={onError}>{vnode}</Boundary>, into)
  return () => render(null, into)
}

function Boundary(props: { onError(e: unknown): void; children: ComponentChildren }) {
  const [error] = useErrorBoundary(props.onError)
  return error ? null : <>{props.children}</>
}

/**
 * Wraps an event handler so a throw is contained like a render error (Preact does not route
 * handler errors to boundaries): `onClick={guard(ctx, 'checklist', () => …)}`.
 */
export function guard<A extends unknown[]>(ctx: WidgetContext, widget: string, fn: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      fn(...args)
    } catch (e) {
      ctx.fail(widget, e)
    }
  }
}
