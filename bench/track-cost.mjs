// Cost per track(): N calls made 20 per task (as a busy app makes them, with the network free
// to drain the queue between tasks), then a settle period for the deferred work (batching,
// storage, requests). Two numbers per run:
// - sync: the time inside the calls themselves (performance.now around each group), per call;
// - total: the main thread's CPU time over the whole window (CDP TaskDuration in thread ticks,
//   so another process stealing the core does not count), per call, minus the same window
//   measured on a page whose track() does nothing.
// Then, outside the measured window, it waits for the stub server to have received every event
// the run tracked (each carries a tag, see server.mjs): `given` and `received` per run, so an
// SDK that drops events (a bot filter, a rate limit) shows up as such instead of looking cheap.
import { openPage, sleep, taskMs } from './browser.mjs'
import { EVENTS } from './flows.mjs'

let runs = 0

/** `server`: the bench server, to count what arrived; omit it for the no-op page, which sends nothing. */
export async function trackCostOnce(browser, url, { calls, perTask, settleMs, timeoutMs, deliveryWaitMs = 15_000 }, server) {
  let session
  const run = `r${++runs}x${Date.now().toString(36)}`
  try {
    session = await openPage(browser, url)
    const { page, cdp } = session
    // Warm up the JIT and any lazy state the first calls create, then let it settle.
    const warm = await page.evaluate(burst, { events: EVENTS, calls: 100, perTask, timeoutMs, run, from: 0 })
    await sleep(settleMs)
    const before = await taskMs(cdp)
    const { inside, done } = await page.evaluate(burst, { events: EVENTS, calls, perTask, timeoutMs, run, from: warm.done })
    await sleep(settleMs)
    const totalMs = (await taskMs(cdp)) - before
    const given = warm.done + done
    let received
    if (server) {
      const until = Date.now() + deliveryWaitMs
      while (server.received(run) < given && Date.now() < until) await sleep(250)
      received = server.received(run)
    }
    return { syncPerCall: inside / done, totalPerCall: totalMs / done, calls: done, given, received, pageErrors: session.pageErrors }
  } catch (e) {
    return { error: String(e?.message ?? e).split('\n')[0] }
  } finally {
    await session?.close()
  }
}

/**
 * Runs in the page: `calls` track calls, `perTask` per macrotask, stopping early past
 * `timeoutMs`; returns the ms spent inside them and how many were made.
 */
function burst({ events, calls, perTask, timeoutMs, run, from }) {
  return new Promise((resolve) => {
    const t0 = performance.now()
    let done = 0
    let inside = 0
    const step = () => {
      const t = performance.now()
      for (let i = 0; i < perTask && done < calls; i++, done++) {
        window.__sdk.track(events[done % events.length], { index: done, source: 'bench', plan: 'pro', bench: `bench~${run}~${from + done}` })
      }
      inside += performance.now() - t
      if (done < calls && performance.now() - t0 < timeoutMs) setTimeout(step, 0)
      else resolve({ inside, done })
    }
    step()
  })
}
