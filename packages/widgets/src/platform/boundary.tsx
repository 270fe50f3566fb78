import { options, render, type ComponentChildren, type VNode } from 'preact'
import { useErrorBoundary } from 'preact/hooks'
import type { WidgetContext } from './context'

/**
 * Renders a widget's Preact tree inside an error boundary: a render or effect that throws makes
 * the widget disappear and reports it through `ctx.fail` (an `error` event), instead of
 * reaching the host page. Returns the unmount.
 */
export function renderView(ctx: WidgetContext, widget: string, vnode: VNode, into: Element | ShadowRoot): () => void {
  const onError = (error: unknown) => setTimeout(() => ctx.fail(widget, error))
  owners.set(into.getRootNode(), (error) => ctx.fail(widget, error))
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

// Each widget's root (its shadow root) and who reports a throw in one of its handlers.
const owners = new WeakMap<Node, (error: unknown) => void>()
/**
 * Preact does not route event handlers' errors to boundaries, and a handler the view did not
 * `guard()` would throw into the host page. Every DOM handler is wrapped so a throw inside a
 * widget's root is reported for its widget instead. Installed when this module loads, before any
 * widget's vnodes are created.
 */
{
  const next = options.vnode
  options.vnode = (vnode) => {
    if (typeof vnode.type === 'string') {
      const props = vnode.props as Record<string, unknown>
      for (const k in props) {
        const fn = props[k]
        if (typeof fn === 'function' && /^on[A-Z]/.test(k))
          props[k] = function (this: unknown, e: Event) {
            try {
              return fn.call(this, e)
            } catch (error) {
              // A host app sharing this Preact (the npm build) keeps its own errors as they were.
              const report = owners.get((e.currentTarget as Node).getRootNode())
              if (!report) throw error
              report(error)
            }
          }
      }
    }
    next?.(vnode)
  }
}
