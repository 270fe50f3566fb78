// `node bench/profile-ready.mjs [runtime dir] [runs]`: what Linger's time to ready is made of,
// first and second load, on the example flows page. Not a figure of the bench: the tool behind
// it. Builds the runtime unminified (readable function names) unless a dir is given, traces
// each load and prints, between `bench:start` and `bench:ready`: busy ms and the main thread's
// CPU time in those tasks, the main thread's time per trace event (self time: script compile
// and evaluation per file, JSON parse, GC, HTML parse…), the chunks fetched before ready, V8's
// code cache as Chromium writes it (per file, before or after ready), and the JS functions with
// the most self time (CPU profile, 100 µs samples). Medians over `runs` loads.
//
// PROFILE_LOADS=3 also profiles a third load. Chromium writes a script's code cache on its
// second load (the first only marks it as seen) and reads it from the third on: the bench's
// second load is the one that pays for writing it, after each module ran, in the main thread's
// idle time. Whatever an SDK's start leaves idle before its ready (waiting for a file or an
// answer) takes that work into its time to ready; a start that is ready sooner leaves it after.
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startBenchServer } from './server.mjs'
import { lingerPage } from './pages.mjs'
import { launch, openPage, readySignal, sleep } from './browser.mjs'
import { mainThreadBetween, TRACE_CATEGORIES } from './trace.mjs'

let dir = process.argv[2]
const runs = Number(process.argv[3] ?? 3)
if (!dir) {
  dir = await mkdtemp(join(tmpdir(), 'linger-ready-'))
  process.env.LINGER_CDN_DIR = dir
  process.env.LINGER_MINIFY = '0'
  await (await import('../scripts/build.mjs')).buildAll()
}
const server = await startBenchServer({ '/linger/': dir })
server.files['/flows/example.json'] = await readFile(new URL('../examples/flows.json', import.meta.url), 'utf8')
server.pages['/p'] = await lingerPage(dir, server.url, '/flows/example.json')
const browser = await launch()
// PROFILE_JS=1: also a CPU profile (its sampling slows the page: busy figures are then inflated).
const PROFILE = process.env.PROFILE_JS === '1'
const CATEGORIES = [...TRACE_CATEGORIES, 'v8', 'disabled-by-default-v8.compile', 'blink', 'loading', 'disabled-by-default-devtools.timeline.stack']

/** Self time per event name (+ script file) on the main thread between the two marks. */
function breakdown(buffer) {
  const { traceEvents } = JSON.parse(buffer.toString('utf8'))
  const mark = (n) => traceEvents.find((e) => e.name === n && String(e.cat).includes('blink.user_timing'))
  const start = mark('bench:start')
  const end = mark('bench:ready')
  const { pid, tid } = start
  const xs = traceEvents
    .filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.ts < end.ts && e.ts + (e.dur ?? 0) > start.ts)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur)
  const self = new Map()
  const byFile = new Map()
  const stack = []
  // Each event belongs to the script file of its nearest ancestor that names one.
  const fileOf = (e) => {
    const d = e.args?.data ?? e.args ?? {}
    const url = d.url ?? d.fileName ?? d.scriptName ?? e.args?.fileName ?? ''
    return String(url).split('/').pop().replace(/-[\w-]{6}\.js$/, '.js').replace(/^\?.*|^p$/, '(page)')
  }
  const add = (map, k, us) => map.set(k, (map.get(k) ?? 0) + us)
  const kindOf = (name) => (/Compile|Parse|compile|parse|Preparse/.test(name) ? 'compile' : /GC|gc/.test(name) ? 'gc' : 'run/other')
  for (const e of xs) {
    while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop()
    const parent = stack.at(-1)
    e.file = fileOf(e) || parent?.file || ''
    const clip = Math.min(e.ts + e.dur, end.ts) - Math.max(e.ts, start.ts)
    add(self, e.name, clip)
    add(byFile, `${e.file || '(no script)'} ${kindOf(e.name)}`, clip)
    if (parent) add(self, parent.name, -clip), add(byFile, `${parent.file || '(no script)'} ${kindOf(parent.name)}`, -clip)
    stack.push(e)
  }
  // V8's code cache as Chromium wrote it (a module's, after it ran), per file, before or after ready.
  const caches = traceEvents
    .filter((e) => e.name === 'v8.produceModuleCache' && e.args?.data?.url && e.pid === pid && e.tid === tid && e.ts >= start.ts)
    .map((e) => ({ file: e.args.data.url.split('/').pop().replace(/-[\w-]{6}\.js$/, '.js'), before: e.ts < end.ts, ms: e.dur / 1000, cpu: (e.tdur ?? 0) / 1000, kb: (e.args.data.producedCacheSize ?? 0) / 1024 }))
  const fetched = [...new Set(traceEvents.filter((e) => e.name === 'ResourceSendRequest' && e.ts >= start.ts && e.ts <= end.ts).map((e) => e.args.data.url.split('/').pop().replace(/-[\w-]{6}\.js$/, '.js')))]
  return { self, byFile, fetched, caches, window: { start: start.ts, end: end.ts }, ...mainThreadBetween(buffer, 'bench:start', 'bench:ready') }
}

// PROFILE_CALLERS=1: a native function (setTimeout, fetch, appendChild…) is listed with the JS
// function that called it, whose work it is.
const CALLERS = process.env.PROFILE_CALLERS === '1'
// Only the samples between the two marks (the profile's clock is the trace's): what runs after
// ready (prefetches at idle, the first batch) is no part of the time to ready.
function functions(profile, window) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parentOf = new Map(profile.nodes.flatMap((n) => (n.children ?? []).map((c) => [c, n])))
  const name = (n) => `${n.functionName || '(anon)'} ${n.url.split('/').pop().replace(/-[\w-]{6}\.js$/, '.js')}:${n.lineNumber + 1}`
  const self = new Map()
  let t = profile.startTime
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0
    if (window && (t < window.start || t > window.end)) return
    const node = byId.get(id)
    const n = node.callFrame
    const caller = CALLERS && !n.url && parentOf.get(node.id)?.callFrame
    const k = name(n) + (caller?.functionName || caller?.url ? ` < ${name(caller)}` : '')
    self.set(k, (self.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0))
  })
  return self
}

/** The `nth` load of the page in one context (1: a new visitor), traced. */
async function once(nth) {
  let cdp
  let buffer
  const trace = async (page, context) => {
    cdp = await (context ?? page.context()).newCDPSession(page)
    await browser.startTracing(page, { categories: CATEGORIES })
    if (PROFILE) await cdp.send('Profiler.enable'), await cdp.send('Profiler.setSamplingInterval', { interval: 100 }), await cdp.send('Profiler.start')
  }
  const session = await openPage(browser, server.url + '/p', nth > 1 ? {} : { beforeGoto: trace })
  for (let n = 2; n <= nth; n++) {
    await sleep(1500)
    if (n === nth) await trace(session.page)
    const ready = readySignal(session.page)
    await session.page.goto(server.url + '/p')
    await ready
  }
  const profile = PROFILE ? (await cdp.send('Profiler.stop')).profile : { nodes: [], samples: [], timeDeltas: [], startTime: 0 }
  // What Chromium does at idle once ready (the code cache) is listed; the figures stop at ready.
  await sleep(1000)
  buffer = await browser.stopTracing()
  await session.close()
  const parts = breakdown(buffer)
  return { ...parts, fns: functions(profile, parts.window) }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const load = async () => (await readFile('/proc/loadavg', 'utf8')).split(' ')[0]
const NTH = ['first', 'second', 'third']
for (let nth = 1; nth <= Math.min(3, Number(process.env.PROFILE_LOADS ?? 2)); nth++) {
  const all = []
  for (let i = 0; i < runs; i++) all.push(await once(nth))
  console.log(`\n== ${NTH[nth - 1]} load: busy ${all.map((r) => r.busyMs.toFixed(1)).join(', ')} ms, CPU ${all.map((r) => r.cpuMs.toFixed(1)).join(', ')} ms, wall ${all.map((r) => r.wallMs.toFixed(0)).join(', ')} ms, load avg ${await load()}`)
  console.log('fetched before ready:', all[0].fetched.join(' '))
  const cached = (before) => all[0].caches.filter((c) => c.before === before).map((c) => `${c.file} ${c.kb.toFixed(0)} KB ${c.ms.toFixed(1)} ms (CPU ${c.cpu.toFixed(1)})`).join(', ') || 'none'
  console.log(`code cache written before ready: ${cached(true)}; after: ${cached(false)}`)
  for (const [title, key, n] of [['per script file, self ms (median)', 'byFile', 40], ['trace events, self ms (median)', 'self', 30], ['JS functions, self ms (median)', 'fns', 25]]) {
    console.log(`-- ${title}`)
    const keys = new Set(all.flatMap((r) => [...r[key].keys()]))
    const rows = [...keys].map((k) => [k, median(all.map((r) => (r[key].get(k) ?? 0) / 1000))]).sort((a, b) => b[1] - a[1])
    for (const [k, ms] of rows.slice(0, n)) if (ms >= 0.3) console.log(ms.toFixed(1).padStart(7), k)
  }
}
await browser.close()
await server.close()
