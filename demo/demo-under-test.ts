import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../test/browser'
// @ts-expect-error the demo server is plain ESM (what `npm start` runs)
import { startDemo } from './server.mjs'

export interface Demo {
  url: string
  collector: { url: string; signIn: { email: string; password: string } }
  close(): Promise<void>
}

/**
 * A demo of a test file's own (`npm start`'s server, its collector, a fresh data folder), the
 * vendor signed in to the collector (`session`, a cookie), and a browser. `close()` stops them all.
 */
export async function demoUnderTest(name: string): Promise<{ demo: Demo; session: string; browser: Browser; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), `linger-${name}-`))
  const demo: Demo = await startDemo({ port: 0, collectorPort: 0, dataDir })
  // A fresh data folder: the collector made admin@localhost and printed its password.
  const login = await fetch(`${demo.collector.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(demo.collector.signIn),
  })
  const session = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const browser = await launchBrowser()
  return {
    demo,
    session,
    browser,
    async close() {
      await browser.close()
      await demo.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * A demo page in a context of its own, once Linger has loaded. `errors`: what was thrown, a CSP
 * refusal, or what Linger's `error` listener heard (the demo logs it): an experience that failed
 * is a defect.
 */
export async function openDemoPage(browser: Browser, url: string, hash = '', viewport?: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext(viewport ? { viewport } : {})).newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e.stack ?? e)))
  page.on('console', (m) => {
    if (/Content Security Policy|\[demo\] linger error/i.test(m.text())) errors.push(m.text())
  })
  await page.goto(`${url}/${hash}`)
  await page.waitForFunction(() => (window as any).linger?.loaded === true)
  await appStarted(page)
  return { page, errors }
}

/**
 * The demo app has started: its controls answer (it sets the dashboard link's address right after
 * it listens to them). Linger's script loads beside the app, often first: a person picked from
 * the list, or a click, before the app's /api/config answered was lost, and the app's own sign-in
 * then put Dana back: 'Pro' for Sam, as CI reported.
 */
export async function appStarted(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('#collector-link')?.getAttribute('href') !== '#')
}
