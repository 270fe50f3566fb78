import type { Linger, CoreHost } from '@linger/sdk'
import type { Layout } from './layout'
import type { Screen } from './screen'

/**
 * What every widget view gets. Implemented by the widgets platform (create-context.ts): one open
 * Shadow DOM root per surface, styles via constructable stylesheets (or a nonce'd <style>),
 * `--linger-*` theme variables, message catalogs, a shared live region. How to use it, plus
 * the helpers beside it (renderView/guard error boundary, trapFocus/rememberFocus,
 * createTestContext): platform/README.md.
 */
export interface WidgetContext {
  linger: Linger
  host: CoreHost
  /**
   * Creates (or returns) this widget's shadow host element attached to the page, with the base
   * stylesheet and the given CSS adopted. `layer` picks the z-order band.
   */
  surface(name: string, css: string, layer?: 'base' | 'popover' | 'modal' | 'toast'): { root: ShadowRoot; hostEl: HTMLElement; remove(): void }
  /** Message catalogs: `t('checklist.progress', { done: 2, total: 4 })`. */
  t(key: string, vars?: Record<string, string | number>): string
  /** 'ltr' | 'rtl' for the active locale. */
  dir: 'ltr' | 'rtl'
  locale: string
  /** Polite (default) or assertive announcement through the shared live region. */
  announce(message: string, politeness?: 'polite' | 'assertive'): void
  reducedMotion(): boolean
  /** The one layout non-modal surfaces share (layout.ts): dock corner surfaces, expand one at a time. */
  layout: Layout
  /** Busy while a toast or celebration is up (screen.ts): `hold()` for as long as yours is. */
  screen: Screen
  /** Reports a widget failure (error boundary) without touching the host page. */
  fail(widget: string, error: unknown): void
}

/** A lazily loaded widget UI module exports one of these as `render`. Returns an unmount. */
export type WidgetRender = (ctx: WidgetContext) => () => void
