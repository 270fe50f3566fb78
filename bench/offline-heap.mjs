// Memory while offline: the browser goes offline after ready, the host tracks `count` events,
// then V8 collects garbage and we read the JS heap (CDP HeapProfiler.collectGarbage +
// Runtime.getHeapUsage) and what Linger keeps in localStorage (its outbox lives there, outside
// the JS heap; UTF-16, 2 bytes a character): all of it, and the outbox alone. A bounded outbox shows as flat numbers from 1k to 50k events. Each run is
// time-boxed: if track() gets slower as the queue grows, the run reports how far it got.
import { openPage } from './browser.mjs'
import { EVENTS } from './flows.mjs'

export async function heapOnce(browser, url, { count, timeoutMs }) {
  let session
  try {
    session = await openPage(browser, url)
    const { page, context, cdp } = session
    await context.setOffline(true)
    const progress = await page.evaluate(fill, { events: EVENTS, count, timeoutMs })
    // The outbox reaches storage at most a second after a burst (outbox.ts WRITE_DELAY_MS): read
    // what is stored once it is all there, not a copy from the middle of the burst.
    await page.waitForTimeout(1500)
    await cdp.send('HeapProfiler.enable')
    await cdp.send('HeapProfiler.collectGarbage')
    await cdp.send('HeapProfiler.collectGarbage')
    const { usedSize } = await cdp.send('Runtime.getHeapUsage')
    const storage = await page.evaluate(() => {
      let bytes = 0
      let outbox = 0
      let queued = 0
      for (const k of Object.keys(localStorage)) {
        const size = (k.length + localStorage.getItem(k).length) * 2
        bytes += size
        if (!k.startsWith('linger:outbox:')) continue
        outbox += size
        queued += JSON.parse(localStorage.getItem(k)).items.length
      }
      return { bytes, outbox, queued }
    })
    return { heapBytes: usedSize, storageBytes: storage.bytes, outboxBytes: storage.outbox, queued: storage.queued, ...progress, pageErrors: session.pageErrors }
  } catch (e) {
    return { error: String(e?.message ?? e).split('\n')[0] }
  } finally {
    await session?.close()
  }
}

/** In the page: tracks in groups of 100 per task, timing each group, until done or out of time. */
function fill({ events, count, timeoutMs }) {
  return new Promise((resolve) => {
    const t0 = performance.now()
    const perGroup = []
    let done = 0
    const step = () => {
      const t = performance.now()
      const n = Math.min(100, count - done)
      for (let i = 0; i < n; i++, done++) window.__sdk.track(events[done % events.length], { index: done, source: 'bench' })
      perGroup.push([done, (performance.now() - t) / n])
      if (done < count && performance.now() - t0 < timeoutMs) setTimeout(step, 0)
      else resolve({ reached: done, seconds: (performance.now() - t0) / 1000, msPerCallAt: perGroup.filter((_, i) => i % 5 === 0 || i === perGroup.length - 1) })
    }
    step()
  })
}
