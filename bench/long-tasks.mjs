// `node bench/long-tasks.mjs`: what the longest main-thread tasks during the 10,000-call burst
// (the longest-task bench, track-burst.mjs) are made of. Builds the runtime unminified, traces
// the burst with V8's GC and the network's events, and prints for the longest tasks the events
// inside them that took the most time (GC kinds, functions by name, fetch, storage).
// Not part of `npm run bench`: a tool for finding what to split, not a figure.
import { EVENTS } from './flows.mjs'
import { burstInPage } from './track-burst.mjs'
import { TRACE_CATEGORIES } from './trace.mjs'
import { openUnminifiedFifty } from './unminified-page.mjs'

const CALLS = Number(process.env.LONG_CALLS ?? 10_000)
const PER_TASK = Number(process.env.LONG_PER_TASK ?? 10)
const SHOW = Number(process.env.LONG_SHOW ?? 5)
// LONG_BY=wall: the longest by wall time (what the bench's longest-task figure reads).
const BY_WALL = process.env.LONG_BY === 'wall'
const { browser, page, close, dispose } = await openUnminifiedFifty('linger-long-')
try {
  await browser.startTracing(page, { categories: [...TRACE_CATEGORIES, 'v8', 'disabled-by-default-v8.gc', 'devtools.timeline', 'loading', 'blink'] })
  const reached = await page.evaluate(burstInPage, { events: EVENTS, calls: CALLS, perTask: PER_TASK, timeoutMs: 60_000 })
  const { traceEvents } = JSON.parse((await browser.stopTracing()).toString('utf8'))
  await close()
  const mark = (name) => traceEvents.find((e) => e.name === name && String(e.cat).includes('blink.user_timing'))
  const start = mark('bench:burst-start')
  const end = mark('bench:burst-end')
  const { pid, tid } = start
  // Thread time (tdur) where the trace has it: on a shared machine, wall time mostly measures the neighbours.
  const cpu = (e) => e.tdur ?? e.dur ?? 0
  const onMain = traceEvents.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.ts >= start.ts && e.ts <= end.ts)
  // Outermost tasks only: a task nested in another's (a run loop inside it) is part of that one.
  const all = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask').sort((a, b) => a.ts - b.ts || b.dur - a.dur)
  let reach = -Infinity
  const tasks = all.filter((t) => (t.ts + t.dur <= reach ? false : ((reach = t.ts + t.dur), true))).sort((a, b) => (BY_WALL ? b.dur - a.dur : cpu(b) - cpu(a)))
  const label = (e) => {
    const d = e.args?.data ?? {}
    if (e.name === 'FunctionCall') return `FunctionCall ${d.functionName || '(anon)'} ${String(d.url ?? '').split('/').pop()}:${d.lineNumber ?? ''}`
    if (e.name === 'TimerFire') return `TimerFire`
    return e.name
  }
  console.log(`${reached} calls; ${tasks.length} tasks in the window; longest (CPU) ${tasks.slice(0, 10).map((t) => (cpu(t) / 1000).toFixed(1)).join(', ')} ms; longest wall ${Math.max(...tasks.map((t) => t.dur)) / 1000} ms`)
  for (const t of tasks.slice(0, SHOW)) {
    const inside = onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + t.dur)
    const by = new Map()
    for (const e of inside) by.set(label(e), (by.get(label(e)) ?? 0) + cpu(e))
    const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 12)
    console.log(`\ntask of ${(cpu(t) / 1000).toFixed(1)} ms CPU (${(t.dur / 1000).toFixed(1)} ms wall) at +${((t.ts - start.ts) / 1000).toFixed(0)} ms:`)
    for (const [k, us] of top) console.log(`  ${(us / 1000).toFixed(1).padStart(6)} ms CPU  ${k}`)
  }
} finally {
  await dispose()
}
