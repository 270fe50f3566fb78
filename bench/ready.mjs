// Time to ready: from the first script on the page (`bench:start`) to the SDK's ready signal
// (`bench:ready`), read from a Chromium trace: wall time, and main-thread busy time (the union
// of the renderer main thread's top-level tasks in that window).
import { openPage, readySignal } from './browser.mjs'
import { mainThreadBetween, TRACE_CATEGORIES } from './trace.mjs'

/**
 * One run for one target page: `{ wallMs, busyMs, longestMs }`, or `{ error }`. `second`: the
 * page is loaded once untraced, then again in the same context (same storage, as a user's next
 * page view), and the second load is measured: what a returning page costs. `load: 3`: loaded
 * twice untraced, the third load measured: a returning user whose code cache is written
 * (Chromium writes a script's on its second load, at idle after it ran, and reads it from the third).
 */
export async function readyOnce(browser, url, { second = false, load = second ? 2 : 1 } = {}) {
  let traced = false
  let session
  try {
    const trace0 = async (page) => {
      await browser.startTracing(page, { categories: TRACE_CATEGORIES })
      traced = true
    }
    session = await openPage(browser, url, load > 1 ? {} : { beforeGoto: trace0 })
    for (let n = 2; n <= load; n++) {
      const { page } = session
      // Let the load before finish its deferred work (caches written at idle, batches sent).
      await new Promise((r) => setTimeout(r, 1500))
      if (n === load) await trace0(page)
      const ready = readySignal(page)
      await page.goto(url)
      await ready
    }
    const trace = await browser.stopTracing()
    traced = false
    const result = mainThreadBetween(trace, 'bench:start', 'bench:ready')
    return session.pageErrors.length ? { ...result, pageErrors: session.pageErrors } : result
  } catch (e) {
    return { error: String(e?.message ?? e).split('\n')[0] }
  } finally {
    if (traced) await browser.stopTracing().catch(() => {})
    await session?.close()
  }
}
