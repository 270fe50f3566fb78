// One Chromium for the whole run; every measurement opens a fresh context (empty storage) so
// runs do not inherit each other's queues, profiles or caches.
import { launchChromium } from '../scripts/chromium.mjs'

// The same launcher and flags as the browser tests, so numbers match what CI sees.
export const launch = () => launchChromium()

/**
 * Opens `url` in a fresh context with a CDP session and waits for `window.__sdk.ready`.
 * `pageErrors` collects anything thrown into the page. Always close() it.
 */
export async function openPage(browser, url, { beforeGoto, timeoutMs = 20_000 } = {}) {
  const context = await browser.newContext()
  const page = await context.newPage()
  page.setDefaultTimeout(timeoutMs)
  const pageErrors = []
  page.on('pageerror', (e) => pageErrors.push(String(e).split('\n')[0]))
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' }).catch(() => cdp.send('Performance.enable'))
  if (beforeGoto) await beforeGoto(page, context)
  const ready = readySignal(page, timeoutMs)
  await page.goto(url)
  await ready
  return { page, context, cdp, pageErrors, close: () => context.close().catch(() => {}) }
}

/**
 * Resolves when the page says its SDK is ready (pages.mjs READY): a console line, which the
 * page's main thread only logs, where waitForFunction would run Playwright's script in it.
 */
export function readySignal(page, timeoutMs = 20_000) {
  return page.waitForEvent('console', { predicate: (m) => m.text() === 'bench:ready', timeout: timeoutMs })
}

/** Main-thread task time so far, in ms (CDP Performance.getMetrics TaskDuration). */
export async function taskMs(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics')
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN) * 1000
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
