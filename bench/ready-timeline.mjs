// `node bench/ready-timeline.mjs <runtime dir> [runs]`: the second load of the example flows page,
// its main thread task by task between `bench:start` and `bench:ready` (start, wall and CPU ms,
// the longest events inside each, the script a module evaluation or code-cache write was for),
// and when each file was asked for. Where profile-ready.mjs sums the time up, this shows where
// the runtime waits (a chunk, the document, the digest) and what Chromium fits into those waits:
// V8's code cache for each module tree it ran (v8.produceModuleCache), written in the second
// load's idle time, before ready when ready still waits for something.
import { readFile } from 'node:fs/promises'
import { startBenchServer } from './server.mjs'
import { lingerPage } from './pages.mjs'
import { launch, openPage, readySignal } from './browser.mjs'
import { TRACE_CATEGORIES } from './trace.mjs'
const [dir, runsArg] = process.argv.slice(2)
const server = await startBenchServer({ '/linger/': dir })
server.files['/flows/example.json'] = await readFile(new URL('../examples/flows.json', import.meta.url), 'utf8')
server.pages['/p'] = await lingerPage(dir, server.url, '/flows/example.json')
const browser = await launch()
const CATS = [...TRACE_CATEGORIES, 'v8', 'blink', 'loading', 'disabled-by-default-v8.compile', 'netlog', 'devtools.timeline']
for (let r = 0; r < Number(runsArg ?? 1); r++) {
  const s = await openPage(browser, server.url + '/p')
  await new Promise((x) => setTimeout(x, 1500))
  await browser.startTracing(s.page, { categories: CATS })
  const ready = readySignal(s.page); await s.page.goto(server.url + '/p'); await ready
  const buf = await browser.stopTracing(); await s.close()
  const { traceEvents: ev } = JSON.parse(buf.toString())
  const mark = (n) => ev.find((e) => e.name === n && String(e.cat).includes('blink.user_timing'))
  const a = mark('bench:start'), b = mark('bench:ready'); const { pid, tid } = a
  const top = ev.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') && e.ts + e.dur > a.ts && e.ts < b.ts).sort((x, y) => x.ts - y.ts)
  // A task nested in another (a task run inside a task) is the outer one's.
  const tasks = []; for (const t of top) { const l = tasks.at(-1); if (l && t.ts < l.ts + l.dur) continue; tasks.push(t) }
  console.log(`--- run ${r} (start ms, wall ms, CPU ms, longest events inside): window ${((b.ts - a.ts) / 1000).toFixed(1)} ms`)
  // Tasks under 0.1 ms (mojo messages, scheduler bookkeeping) are left out of the list.
  for (const t of tasks.filter((t) => t.dur >= 100)) {
    const kids = ev.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e !== t && e.dur > 200 && e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask')
    const desc = kids.sort((x, y) => y.dur - x.dur).slice(0, 4).map((e) => `${e.name}${e.args?.data?.url ? '(' + String(e.args.data.url).split('/').pop().slice(0, 28) + ')' : e.args?.data?.functionName ? '(' + e.args.data.functionName + ')' : ''} ${(e.dur / 1000).toFixed(1)}`).join(', ')
    console.log(`${((t.ts - a.ts) / 1000).toFixed(1).padStart(7)} dur ${(t.dur / 1000).toFixed(1).padStart(5)} cpu ${((t.tdur ?? 0) / 1000).toFixed(1).padStart(5)}  ${desc}`)
  }
  const req = ev.filter((e) => e.name === 'ResourceSendRequest' && e.ts >= a.ts - 5e4 && e.ts <= b.ts).map((e) => `${String(e.args.data.url).split('/').pop().slice(0, 30)}@${((e.ts - a.ts) / 1000).toFixed(1)}`)
  console.log('requests:', req.join(' '))
}
await browser.close(); await server.close()
