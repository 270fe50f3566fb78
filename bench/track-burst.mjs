// The longest main-thread task while the host calls track() 10,000 times in quick succession
// (10 calls per task, back to back), read from a trace: a long task here is one Linger itself
// caused (a flush, a storage write, a rule sweep), since the host's own tasks are ~10 calls long.
import { openPage } from './browser.mjs'
import { EVENTS } from './flows.mjs'
import { mainThreadBetween, TRACE_CATEGORIES } from './trace.mjs'

export async function burstOnce(browser, url, { calls, perTask, timeoutMs }) {
  let session
  let traced = false
  try {
    session = await openPage(browser, url)
    const { page } = session
    await browser.startTracing(page, { categories: TRACE_CATEGORIES })
    traced = true
    const reached = await page.evaluate(burstInPage, { events: EVENTS, calls, perTask, timeoutMs })
    const trace = await browser.stopTracing()
    traced = false
    const r = mainThreadBetween(trace, 'bench:burst-start', 'bench:burst-end')
    return { ...r, reached, pageErrors: session.pageErrors }
  } catch (e) {
    return { error: String(e?.message ?? e).split('\n')[0] }
  } finally {
    if (traced) await browser.stopTracing().catch(() => {})
    await session?.close()
  }
}

/** In the page. Stops early (returning how many calls it made) if it runs past `timeoutMs`. */
export function burstInPage({ events, calls, perTask, timeoutMs }) {
  return new Promise((resolve) => {
    performance.mark('bench:burst-start')
    const t0 = performance.now()
    let done = 0
    const step = () => {
      for (let i = 0; i < perTask && done < calls; i++, done++) window.__sdk.track(events[done % events.length], { index: done })
      if (done < calls && performance.now() - t0 < timeoutMs) return void setTimeout(step, 0)
      // Let the last flush run inside the window.
      setTimeout(() => {
        performance.mark('bench:burst-end')
        resolve(done)
      }, 500)
    }
    step()
  })
}
