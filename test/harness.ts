import type { Browser, BrowserContext, Page as PwPage } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { launchBrowser } from './browser'
import { startTestCollector, type Responder } from './collector'
import { hostPage, startStaticServer, type Page } from './static-server'

export type Collector = Awaited<ReturnType<typeof startTestCollector>>
export type Site = Awaited<ReturnType<typeof startStaticServer>>

/**
 * One Chromium, one collector and one host site per test file. `initScript(extra)` writes the
 * vendor's init call against this collector.
 */
export async function setupBrowserSuite(respond?: Responder) {
  const browser: Browser = await launchBrowser()
  const collector = await startTestCollector(respond)
  const site = await startStaticServer()
  const contexts: BrowserContext[] = []
  // Anything thrown into a host page: every suite asserts this stays empty.
  const pageErrors: string[] = []
  return {
    browser,
    collector,
    site,
    /** `handlers`: the vendor's handlers as script source (functions do not survive JSON). */
    initScript(options: Record<string, unknown> = {}, handlers?: string) {
      const json = JSON.stringify({ key: 'pk_test', endpoint: collector.url, flushIntervalMs: 200, ...options })
      return `linger('init', ${handlers ? `Object.assign(${json}, { handlers: ${handlers} })` : json});`
    },
    /** Serves a host page at `path` and opens it in a fresh context (its own storage). */
    async open(path: string, page: Page | Promise<Page>, context?: BrowserContext): Promise<{ page: PwPage; context: BrowserContext }> {
      site.pages[path] = await page
      const ctx = context ?? (await browser.newContext())
      if (!context) contexts.push(ctx)
      const p = await ctx.newPage()
      p.on('pageerror', (e) => {
        pageErrors.push(String(e))
      })
      await p.goto(site.url + path)
      return { page: p, context: ctx }
    },
    hostPage,
    pageErrors,
    async close() {
      await Promise.all(contexts.map((c) => c.close().catch(() => {})))
      await browser.close()
      await collector.close()
      await site.close()
    },
  }
}

export type BrowserSuite = Awaited<ReturnType<typeof setupBrowserSuite>>

/**
 * A test file's whole browser set-up in one call: the suite opens before the file's first test and
 * closes after its last. `pageErrors` makes anything thrown into a host page fail the test that did
 * it (`'each'`) or the file (`'all'`). The suite is reached through the returned object, which is
 * only live inside the file's tests and hooks.
 */
export function useBrowserSuite(options: { respond?: Responder; pageErrors?: 'each' | 'all' } = {}): BrowserSuite {
  let suite: BrowserSuite | undefined
  beforeAll(async () => {
    suite = await setupBrowserSuite(options.respond)
  })
  if (options.pageErrors === 'each') afterEach(() => expect(suite?.pageErrors).toEqual([]))
  afterAll(async () => {
    try {
      if (options.pageErrors === 'all') expect(suite?.pageErrors).toEqual([])
    } finally {
      await suite?.close()
    }
  })
  return new Proxy({} as BrowserSuite, {
    get(_, key) {
      if (!suite) throw new Error(`the browser suite is not open here (it opens in beforeAll): reading ${String(key)}`)
      return suite[key as keyof BrowserSuite]
    },
  })
}
