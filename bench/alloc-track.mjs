// `node bench/alloc-track.mjs`: what a burst of track() calls allocates, by function (V8's
// sampling heap profiler over the longest-task bench's 10,000 calls, 10 per task), and the heap
// that survives it. Garbage is what the GC pauses of the burst pay for.
// Not part of `npm run bench`: a tool for finding what to stop allocating, not a figure.
import { EVENTS } from './flows.mjs'
import { burstInPage } from './track-burst.mjs'
import { openUnminifiedFifty } from './unminified-page.mjs'

const CALLS = Number(process.env.ALLOC_CALLS ?? 10_000)
const SHOW = Number(process.env.ALLOC_SHOW ?? 25)
const { page, cdp, dispose } = await openUnminifiedFifty('linger-alloc-')
try {
  await cdp.send('HeapProfiler.enable')
  // Every 4 KB on average: sampled, so the totals are estimates.
  await cdp.send('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
  const reached = await page.evaluate(burstInPage, { events: EVENTS, calls: CALLS, perTask: 10, timeoutMs: 60_000 })
  const { profile } = await cdp.send('HeapProfiler.stopSampling')
  const self = new Map()
  // Per allocating function, the callers (three frames up) its bytes came through.
  const via = new Map()
  const walk = (node, stack) => {
    const f = node.callFrame
    const name = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`
    self.set(name, (self.get(name) ?? 0) + node.selfSize)
    if (node.selfSize) {
      const callers = via.get(name) ?? new Map()
      const path = stack.slice(-3).reverse().join(' < ')
      callers.set(path, (callers.get(path) ?? 0) + node.selfSize)
      via.set(name, callers)
    }
    for (const c of node.children) walk(c, [...stack, name])
  }
  walk(profile.head, [])
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  console.log(`${reached} calls: ~${(total / 1e6).toFixed(1)} MB allocated (${(total / reached).toFixed(0)} B per call)`)
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, SHOW)) {
    console.log(`${(v / 1e3).toFixed(0).padStart(8)} KB  ${k}`)
    if (process.env.ALLOC_CALLERS) for (const [path, b] of [...via.get(k) ?? []].sort((a, b) => b[1] - a[1]).slice(0, 3)) console.log(`${''.padStart(12)}${(b / 1e3).toFixed(0)} KB via ${path}`)
  }
} finally {
  await dispose()
}
