// `node bench/render-trace.mjs [widget…]`: what runs between a trigger and the widget's first
// content with its chunks warm (the bench's "chunks warm" row). Builds the runtime unminified,
// opens each widget's page, idles 1.5 s (the prefetch), then traces the trigger and prints, from
// the trigger to the first non-style node in the widget's shadow root and on to the next paint:
// every main-thread task (offset, wall and CPU ms, what it was made of, by CPU ms) and the idle gaps
// between them (a hop: a timer, a lock, a frame). Not part of `npm run bench`: a tool for
// finding what to cut. RENDER_TRACE_RUNS (default 1) repeats each widget.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startBenchServer } from './server.mjs'
import { lingerPage } from './pages.mjs'
import { WIDGETS } from './flows.mjs'
import { launch, openPage } from './browser.mjs'
import { TRACE_CATEGORIES } from './trace.mjs'

const RUNS = Number(process.env.RENDER_TRACE_RUNS ?? 1)
const PROFILE = process.env.RENDER_TRACE_PROFILE !== '0'
const VERBOSE = process.env.RENDER_TRACE_VERBOSE === '1'
// RENDER_TRACE_TOP=<n>: how many functions the self and inclusive lists show (15).
const TOP = Number(process.env.RENDER_TRACE_TOP ?? 15)
const only = process.argv.slice(2)
const slug = (s) => s.replace(/\s+/g, '-')

// Before any page script: marks `render:first` when a shadow root first gets non-style content.
const WATCH = () => {
  const attach = Element.prototype.attachShadow
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init)
    const check = () => {
      if (!window.__first && window.__armed && [...root.children].some((c) => c.tagName !== 'STYLE' && c.tagName !== 'LINK'))
        (window.__first = performance.now()), performance.mark('render:first')
    }
    new MutationObserver(check).observe(root, { childList: true, subtree: true })
    check()
    return root
  }
}

const work = await mkdtemp(join(tmpdir(), 'linger-render-'))
// RENDER_TRACE_DIR=<runtime dir>: trace that build instead of building one (unminified) here.
process.env.LINGER_CDN_DIR = process.env.RENDER_TRACE_DIR ?? join(work, 'cdn')
process.env.LINGER_MINIFY = process.env.LINGER_MINIFY ?? '0'
let browser
let server
try {
  if (!process.env.RENDER_TRACE_DIR) await (await import('../scripts/build.mjs')).buildAll()
  server = await startBenchServer({ '/linger/': process.env.LINGER_CDN_DIR })
  for (const [name, w] of Object.entries(WIDGETS)) {
    server.files[`/flows/widget-${slug(name)}.json`] = JSON.stringify({ version: 1, ...w.flows })
    server.pages[`/widget-${slug(name)}`] = await lingerPage(process.env.LINGER_CDN_DIR, server.url, `/flows/widget-${slug(name)}.json`)
  }
  browser = await launch()
  for (const [name, w] of Object.entries(WIDGETS)) {
    if (only.length && !only.includes(slug(name))) continue
    for (let r = 0; r < RUNS; r++) {
      const session = await openPage(browser, server.url + `/widget-${slug(name)}`, { beforeGoto: (page) => page.addInitScript(WATCH) })
      try {
        const { page } = session
        await page.waitForTimeout(1500)
        if (PROFILE) {
          await session.cdp.send('Profiler.enable')
          await session.cdp.send('Profiler.setSamplingInterval', { interval: 50 })
          await session.cdp.send('Profiler.start')
        }
        await browser.startTracing(page, { categories: [...TRACE_CATEGORIES, 'v8', 'disabled-by-default-v8.gc', 'blink', 'loading', 'disabled-by-default-devtools.timeline.frame', 'disabled-by-default-devtools.timeline.stack', 'disabled-by-default-v8.compile'] })
        const ms = await page.evaluate(
          ({ trigger }) =>
            new Promise((resolve) => {
              window.__armed = true
              performance.mark('render:trigger')
              const t0 = performance.now()
              if (trigger.track) window.__sdk.track(trigger.track)
              else document.querySelector(trigger.click).click()
              const poll = () => (window.__first ? setTimeout(() => resolve(window.__first - t0), 100) : setTimeout(poll, 5))
              poll()
            }),
          { trigger: w.trigger },
        )
        const { traceEvents } = JSON.parse((await browser.stopTracing()).toString('utf8'))
        const profile = PROFILE ? (await session.cdp.send('Profiler.stop')).profile : undefined
        console.log(`\n== ${name}: first content ${ms.toFixed(1)} ms after the trigger`)
        const window = explain(traceEvents)
        if (window && profile) selfTimes(profile, window)
      } finally {
        await session.close()
      }
    }
  }
} finally {
  await browser?.close().catch(() => {})
  await server?.close()
  await rm(work, { recursive: true, force: true })
}

function explain(events) {
  const mark = (n) => events.find((e) => e.name === n && String(e.cat).includes('blink.user_timing'))
  const start = mark('render:trigger')
  const first = mark('render:first')
  if (!start || !first) return console.log('  (no marks in the trace)')
  const { pid, tid } = start
  const onMain = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X')
  // The first paint after the content: the end of the window.
  const paint = onMain.filter((e) => (e.name === 'Paint' || e.name === 'PaintImage' || e.name === 'Commit') && e.ts >= first.ts).sort((a, b) => a.ts - b.ts)[0]
  const end = paint ? paint.ts + paint.dur : first.ts
  const at = (ts) => ((ts - start.ts) / 1000).toFixed(1).padStart(6)
  console.log(`  content at +${at(first.ts).trim()} ms; next paint ends at +${at(end).trim()} ms`)
  const tops = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask').sort((a, b) => a.ts - b.ts || b.dur - a.dur)
  let reach = -Infinity
  const tasks = tops.filter((t) => (t.ts + t.dur <= reach ? false : ((reach = t.ts + t.dur), true))).filter((t) => t.ts + t.dur >= start.ts && t.ts <= end)
  const label = (e) => {
    const d = e.args?.data ?? {}
    if (e.name === 'FunctionCall') return `FunctionCall ${d.functionName || '(anon)'} ${String(d.url ?? '').split('/').pop()}:${d.lineNumber ?? ''}`
    if (e.name === 'v8.compile' || e.name === 'v8.compileModule') return `${e.name} ${String(d.url ?? e.args?.fileName ?? '').split('/').pop()}`
    return e.name
  }
  const KEEP = /FunctionCall|TimerFire|FireAnimationFrame|RunMicrotasks|Layout|UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|Paint|Commit|PrePaint|Layerize|GC|Scavenge|MarkCompact|v8\.compile|EvaluateScript|v8\.run|ResourceReceive|HitTest|EventDispatch|ScheduleStyle|InvalidateLayout|v8\.execute|ResolveModule|FireIdleCallback|Compile|Parse|Deserialize/
  let prev = start.ts
  for (const t of tasks) {
    if (t.ts - prev > 500) console.log(`  ${at(prev)} … ${at(t.ts)}  idle ${((t.ts - prev) / 1000).toFixed(1)} ms`)
    const inside = onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + t.dur && KEEP.test(e.name))
    const by = new Map()
    for (const e of inside) by.set(label(e), (by.get(label(e)) ?? 0) + (e.tdur ?? e.dur ?? 0))
    const what = [...by].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, us]) => `${k} ${(us / 1000).toFixed(2)}`).join(' | ')
    const from = t.args?.src_func ? ` (posted by ${t.args.src_file?.split('/').pop()}:${t.args.src_func})` : ''
    if (t.dur > 300 || VERBOSE) console.log(`  ${at(t.ts)} task ${(t.dur / 1000).toFixed(2)} ms wall [${((t.tdur ?? 0) / 1000).toFixed(2)} CPU]${from}  ${what}`)
    for (const e of inside.filter((e) => /Layout|UpdateLayoutTree/.test(e.name) && (e.args?.beginData?.stackTrace || e.args?.data?.stackTrace)))
      console.log(`      forced ${e.name} ${((e.tdur ?? e.dur) / 1000).toFixed(2)} ms CPU from ${(e.args.beginData?.stackTrace ?? e.args.data.stackTrace).slice(0, 4).map((f) => `${f.functionName || '(anon)'} ${String(f.url).split('/').pop()}:${f.lineNumber}`).join(' < ')}`)
    prev = Math.max(prev, t.ts + t.dur)
  }
  return { from: start.ts, to: first.ts }
}

// Sampled JS self time between the trigger and the first content, by function (top 15), and
// inclusive time for our functions: which code the window spends its CPU in.
function selfTimes(profile, { from, to }) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const name = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`
  const self = new Map()
  const incl = new Map()
  let t = profile.startTime
  let total = 0
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i]
    const dt = profile.timeDeltas[i + 1] ?? 0
    if (t < from || t > to) return
    const n = nodes.get(id)
    if (n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(program)') return
    total += dt
    self.set(name(n), (self.get(name(n)) ?? 0) + dt)
    const seen = new Set()
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = name(nodes.get(cur))
      if (!seen.has(k)) seen.add(k), incl.set(k, (incl.get(k) ?? 0) + dt)
    }
  })
  // RENDER_TRACE_CALLERS=<function>: the stacks that spent the most time in it.
  const who = process.env.RENDER_TRACE_CALLERS
  const stacks = new Map()
  if (who) {
    let t2 = profile.startTime
    profile.samples.forEach((id, i) => {
      t2 += profile.timeDeltas[i]
      if (t2 < from || t2 > to) return
      const chain = []
      for (let cur = id; cur !== undefined; cur = parent.get(cur)) chain.push(nodes.get(cur).callFrame.functionName || '(anon)')
      const at = chain.indexOf(who)
      if (at < 0) return
      const k = chain.slice(at, at + 10).join(' < ')
      stacks.set(k, (stacks.get(k) ?? 0) + (profile.timeDeltas[i + 1] ?? 0))
    })
  }
  const fmt = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP).map(([k, us]) => `    ${(us / 1000).toFixed(2).padStart(6)} ms  ${k}`).join('\n')
  console.log(`  sampled JS (not idle) in the window: ${(total / 1000).toFixed(1)} ms\n  self:\n${fmt(self)}\n  inclusive:\n${fmt(incl)}`)
  if (who) console.log(`  callers of ${who}:\n${[...stacks].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, us]) => `    ${(us / 1000).toFixed(2).padStart(6)} ms  ${k}`).join('\n')}`)
}
