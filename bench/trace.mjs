// Main-thread time from a Chromium trace: the renderer main thread's top-level tasks, clipped
// to the window between two performance marks. Top-level tasks are everything the thread does
// (parse, compile, run, style, layout, GC), which is what a host page's own code waits behind.

export const TRACE_CATEGORIES = ['toplevel', 'blink.user_timing', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute']

/**
 * `{ wallMs, busyMs, cpuMs, longestMs, longestCpuMs, tasks }` between marks `from` and `to` on the page's main thread,
 * or an error string when the marks are missing.
 */
export function mainThreadBetween(traceBuffer, from, to) {
  const { traceEvents } = JSON.parse(traceBuffer.toString('utf8'))
  const mark = (name) => traceEvents.find((e) => e.name === name && String(e.cat).includes('blink.user_timing'))
  const start = mark(from)
  const end = mark(to)
  if (!start || !end) return { error: `trace has no ${start ? to : from} mark` }
  // The thread that set the marks is the page's main thread.
  const { pid, tid } = start
  const t0 = start.ts
  const t1 = end.ts
  // Tasks nest (a task running inside another's nested loop): count the union of their spans.
  const top = traceEvents.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && isTopLevel(e))
  // The thread's own CPU time in the longest task (tdur): on a shared machine a task's wall time
  // also counts the time the core ran someone else, its CPU time does not.
  const inWindow = top.filter((e) => e.ts >= t0 && e.ts < t1).sort((x, y) => x.ts - y.ts)
  const longestCpu = Math.max(0, ...inWindow.map((e) => e.tdur ?? 0))
  // The thread's CPU time in the tasks that started in the window (a task nested in another
  // counts once, in its parent): busy time without the time the core ran someone else.
  let cpu = 0
  let coveredTo = -Infinity
  for (const e of inWindow) {
    if (e.ts < coveredTo) continue
    cpu += e.tdur ?? 0
    coveredTo = e.ts + (e.dur ?? 0)
  }
  const spans = top
    .map((e) => [Math.max(e.ts, t0), Math.min(e.ts + (e.dur ?? 0), t1)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0])
  let busy = 0
  let longest = 0
  let tasks = 0
  let cur = null
  for (const [a, b] of spans) {
    if (cur && a <= cur[1]) cur[1] = Math.max(cur[1], b)
    else {
      if (cur) (busy += cur[1] - cur[0]), (longest = Math.max(longest, cur[1] - cur[0])), tasks++
      cur = [a, b]
    }
  }
  if (cur) (busy += cur[1] - cur[0]), (longest = Math.max(longest, cur[1] - cur[0])), tasks++
  return { wallMs: (t1 - t0) / 1000, busyMs: busy / 1000, cpuMs: cpu / 1000, longestMs: longest / 1000, longestCpuMs: longestCpu / 1000, tasks }
}

const isTopLevel = (e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask'
