import type { ExperienceHost, Linger } from '@linger/sdk'
import type { WidgetContext } from './context'
import { buildPlatform } from './create-context'
import type { Catalog } from './i18n'
import { messages as en } from './messages/en'

export interface TestContext extends WidgetContext {
  /** Everything announced through the live region, in order. */
  announced: string[]
  /** `[widget, error]` for every ctx.fail. */
  failures: Array<[string, unknown]>
  /** Removes every surface this context created. */
  cleanup(): void
}

/**
 * A real WidgetContext for component tests (jsdom or a browser), without mountWidgets:
 * `const ctx = createTestContext({ linger })`. Catalog defaults to English; pass
 * `{ locale: 'ar', catalog: (await import('./messages/ar')).messages }` for others.
 */
export function createTestContext(opts: { linger?: Partial<Linger>; host?: Partial<ExperienceHost>; locale?: string; catalog?: Catalog; theme?: Record<string, unknown>; reducedMotion?: boolean } = {}): TestContext {
  const failures: Array<[string, unknown]> = []
  const announced: string[] = []
  const host = { options: {}, reportError: () => {}, ...opts.linger?.host, ...opts.host } as ExperienceHost
  const linger = { ...opts.linger, host } as Linger
  const platform = buildPlatform(linger, { locale: opts.locale ?? 'en', theme: opts.theme }, opts.catalog ?? en, en)
  const { ctx, removeSurfaces } = platform.contextFor('test', () => {})
  return {
    ...ctx,
    announce: (message, politeness) => {
      announced.push(message)
      ctx.announce(message, politeness)
    },
    reducedMotion: () => opts.reducedMotion ?? false,
    fail: (widget, error) => {
      failures.push([widget, error])
      ctx.fail(widget, error)
    },
    announced,
    failures,
    cleanup: () => {
      removeSurfaces()
      platform.dispose()
    },
  }
}
