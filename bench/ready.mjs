// Time to ready: from the first script on the page (`bench:start`) to the SDK's ready signal
// (`bench:ready`), read from a Chromium trace: wall time, and main-thread busy time (the union
// of the renderer main thread's top-level tasks in that window).
import { openPage } from './browser.mjs'
import { mainThreadBetween, TRACE_CATEGORIES } from './trace.mjs'

/** One run for one target page: `{ wallMs, busyMs, longestMs }`, or `{ error }`. */
export async function readyOnce(browser, url) {
  let traced = false
  let session
  try {
    session = await openPage(browser, url, {
      beforeGoto: async (page) => {
        await browser.startTracing(page, { categories: TRACE_CATEGORIES })
        traced = true
      },
    })
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
