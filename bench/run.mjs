// `npm run bench`: builds our runtime and the competitors into a temp dir, measures sizes and
// runtime side by side in one Chromium, prints the tables and writes bench/RESULTS.md.
// Knobs: BENCH_RUNS (default 5), BENCH_QUICK=1 (2 runs, shorter time boxes; for trying it out),
// BENCH_BOX_SECONDS (the time box of the 10k-call and offline runs, default 12;
// the cost-per-call runs use at most 6 s of it).
import { mkdtemp, rm, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildCompetitors } from './competitors.mjs'
import { startBenchServer } from './server.mjs'
import { emptyPage, EMPTY_JS, lingerPage, posthogPage, segmentPage } from './pages.mjs'
import { fiftyExperiences, WIDGETS } from './flows.mjs'
import { launch, openPage } from './browser.mjs'
import { readyOnce } from './ready.mjs'
import { trackCostOnce } from './track-cost.mjs'
import { renderOnce } from './widget-render.mjs'
import { burstOnce } from './track-burst.mjs'
import { heapOnce } from './offline-heap.mjs'
import { renderReport } from './report.mjs'
import { runnerImport } from 'vite'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const quick = process.env.BENCH_QUICK === '1'
const RUNS = Number(process.env.BENCH_RUNS ?? (quick ? 2 : 5))
const BOX_MS = Number(process.env.BENCH_BOX_SECONDS ?? (quick ? 8 : 12)) * 1000
const CONFIG = {
  runs: RUNS,
  // Time-boxed like the rest: an SDK slower than ~3 ms a call makes fewer calls, and says so.
  track: { calls: 2000, perTask: 20, settleMs: 1000, timeoutMs: Math.min(BOX_MS, 6000) },
  // As an app calls it: one event per task (a click, a route change), nothing to share a task with.
  trackApart: { calls: 400, perTask: 1, settleMs: 1000, timeoutMs: Math.min(BOX_MS, 6000) },
  burst: { calls: 10_000, perTask: 10, timeoutMs: BOX_MS, runs: Math.min(RUNS, 2) },
  heap: { counts: [1_000, 10_000, 50_000], timeoutMs: BOX_MS },
  warmIdleMs: 1500,
}
const started = Date.now()
const log = (msg) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}`)

const work = await mkdtemp(join(tmpdir(), 'linger-bench-'))
// Our runtime goes to the temp dir too, so a bench never touches dist/ others may be using.
process.env.LINGER_CDN_DIR = join(work, 'cdn')
let browser
let server
try {
  log('building the runtime and the competitors')
  const { buildAll } = await import('../scripts/build.mjs')
  await buildAll()
  const { ourSizes } = await import('./sizes.mjs')
  const ours = ourSizes()
  const competitors = await buildCompetitors(join(work, 'comp'), root)
  for (const c of competitors.filter((c) => c.error)) log(`${c.pkg}: could not build (${c.error})`)

  server = await startBenchServer({ '/linger/': process.env.LINGER_CDN_DIR, '/comp/': join(work, 'comp') })
  const add = (path, html) => (server.pages[path] = html)
  server.files['/bench/empty.js'] = EMPTY_JS
  server.files['/flows/example.json'] = await readFile(join(root, 'examples/flows.json'), 'utf8').catch(() => JSON.stringify({ version: 1 }))
  server.files['/flows/fifty.json'] = JSON.stringify(fiftyExperiences())
  // The same documents as a vendor ships them after `npm run flows:check` (stamped: no validation).
  const { module: checker } = await runnerImport(join(root, 'packages/sdk/src/config/check-flows.ts'), { root, configFile: false, logLevel: 'error' })
  for (const name of ['example', 'fifty']) {
    const checked = await checker.checkFlows(JSON.parse(server.files[`/flows/${name}.json`]))
    if (checked.ok) server.files[`/flows/${name}-checked.json`] = JSON.stringify(checked.document, null, 2)
    else log(`WARNING: flows/${name}.json does not check: ${checked.errors[0].message}`)
  }
  add('/empty', emptyPage())
  add('/linger-example', await lingerPage(process.env.LINGER_CDN_DIR, server.url, '/flows/example.json'))
  add('/linger-50', await lingerPage(process.env.LINGER_CDN_DIR, server.url, '/flows/fifty.json'))
  // The same, its batches sent from a worker (an opt-in: a CSP must allow blob: workers).
  add('/linger-50-worker', await lingerPage(process.env.LINGER_CDN_DIR, server.url, '/flows/fifty.json', { sendFromWorker: true }))
  if (server.files['/flows/example-checked.json']) add('/linger-example-checked', await lingerPage(process.env.LINGER_CDN_DIR, server.url, '/flows/example-checked.json'))
  if (server.files['/flows/fifty-checked.json']) add('/linger-50-checked', await lingerPage(process.env.LINGER_CDN_DIR, server.url, '/flows/fifty-checked.json'))
  const built = (id) => competitors.some((c) => c.id === id && !c.error)
  if (built('posthog-surveys')) add('/posthog', posthogPage(server.url))
  if (built('segment')) add('/segment', segmentPage(server.url))
  for (const [name, w] of Object.entries(WIDGETS)) {
    server.files[`/flows/widget-${slug(name)}.json`] = JSON.stringify({ version: 1, ...w.flows })
    add(`/widget-${slug(name)}`, await lingerPage(process.env.LINGER_CDN_DIR, server.url, `/flows/widget-${slug(name)}.json`))
  }

  browser = await launch()
  const url = (path) => server.url + path
  const targets = [
    ['empty page (module script, no SDK)', '/empty'],
    ['Linger, flows.example.json', '/linger-example'],
    ['Linger, 50 experiences', '/linger-50'],
    ['Linger, flows.example.json checked (`npm run flows:check`)', '/linger-example-checked'],
    ['Linger, 50 experiences checked', '/linger-50-checked'],
    ['posthog-js slim + surveys', '/posthog'],
    ['Segment analytics-next', '/segment'],
  ].filter(([, p]) => server.pages[p])

  // The 50-experience document must validate, or the track numbers would measure nothing.
  const check = await openPage(browser, url('/linger-50'))
  const configErrors = await check.page.evaluate(() => window.__errors.filter((e) => e.startsWith('invalid-config')))
  await check.close()
  if (configErrors.length) log(`WARNING: the 50-experience flows are invalid: ${configErrors.slice(0, 3).join(' | ')}`)
  // A checked document whose stamp no longer matched would be validated after all, and its rows
  // would measure ordinary validation under the checked label.
  for (const p of ['/linger-example-checked', '/linger-50-checked'].filter((p) => server.pages[p])) {
    let validated = false
    const s = await openPage(browser, url(p), { beforeGoto: (page) => page.on('request', (r) => (validated ||= r.url().includes('validate-flows'))) })
    await s.close()
    if (validated) log(`WARNING: ${p} loaded the validation chunk: its stamp did not match`)
  }

  // One discarded load of every page: Chromium's first navigations are slow for reasons of its own.
  for (const [, p] of targets) await readyOnce(browser, url(p))

  // Runs are interleaved (run 1 of every target, then run 2…), so a noisy neighbour on the
  // shared machine spreads over all targets instead of landing on one.
  const interleave = async (list, fn) => {
    const out = Object.fromEntries(list.map(([name]) => [name, []]))
    for (let r = 0; r < RUNS; r++) for (const [name, ...rest] of list) out[name].push(await fn(...rest))
    return out
  }

  log(`time to ready: ${targets.length} pages × ${RUNS} runs`)
  const ready = await interleave(targets, (p) => readyOnce(browser, url(p)))
  // A returning page reads its validation from the cache, checked or not: one second load each.
  const secondTargets = targets.filter(([, p]) => p !== '/empty' && !p.endsWith('-checked')).map(([name, p]) => [`${name}, second load`, p])
  log(`time to ready, second load in the same context: ${secondTargets.length} pages × ${RUNS} runs`)
  const readySecond = await interleave(secondTargets, (p) => readyOnce(browser, url(p), { second: true }))
  // And the load after, every SDK alike: a returning user whose code cache is written (the second
  // load pays for writing it, for whatever an SDK ran before a wait ahead of its ready).
  const thirdTargets = secondTargets.map(([name, p]) => [name.replace(/, second load$/, ', third load'), p])
  log(`time to ready, third load in the same context: ${thirdTargets.length} pages × ${RUNS} runs`)
  const readyThird = await interleave(thirdTargets, (p) => readyOnce(browser, url(p), { load: 3 }))

  const trackTargets = [
    ['no-op track() (baseline)', '/empty'],
    ['Linger track(), 50 experiences', '/linger-50'],
    ['Linger track(), 50 experiences, `sendFromWorker: true`', '/linger-50-worker'],
    ['posthog-js capture()', '/posthog'],
    ['Segment track()', '/segment'],
  ].filter(([, p]) => server.pages[p])
  log(`cost per call: ${trackTargets.length} SDKs × ${RUNS} runs × ${CONFIG.track.calls} calls`)
  const track = await interleave(trackTargets, async (p) => {
    const r = await trackCostOnce(browser, url(p), CONFIG.track, p === '/empty' ? undefined : server)
    if (p !== '/empty') log(`  ${p}: ${r.error ?? `${r.received} of ${r.given} events received by the stub server${r.received < r.given ? ' — INVALID' : ''}`}`)
    return r
  })
  log(`cost per call, one call per task: ${trackTargets.length} SDKs × ${RUNS} runs × ${CONFIG.trackApart.calls} calls`)
  const trackApart = await interleave(trackTargets, async (p) => {
    const r = await trackCostOnce(browser, url(p), CONFIG.trackApart, p === '/empty' ? undefined : server)
    if (p !== '/empty') log(`  ${p}: ${r.error ?? `${r.received} of ${r.given} events received by the stub server${r.received < r.given ? ' — INVALID' : ''}`}`)
    return r
  })

  log(`time to first render: ${Object.keys(WIDGETS).length} widgets × ${RUNS} runs`)
  const render = await interleave(
    Object.entries(WIDGETS).map(([name, w]) => [name, name, w]),
    (name, w) => renderOnce(browser, url(`/widget-${slug(name)}`), w),
  )

  log(`time to first render, chunks warm (${CONFIG.warmIdleMs} ms idle after ready): ${Object.keys(WIDGETS).length} widgets × ${RUNS} runs`)
  const renderWarm = await interleave(
    Object.entries(WIDGETS).map(([name, w]) => [name, name, w]),
    (name, w) => renderOnce(browser, url(`/widget-${slug(name)}`), w, { idleMs: CONFIG.warmIdleMs }),
  )

  log(`longest task during ${CONFIG.burst.calls} track() calls: ${CONFIG.burst.runs} runs`)
  const burst = []
  for (let r = 0; r < CONFIG.burst.runs; r++) burst.push(await burstOnce(browser, url('/linger-50'), CONFIG.burst))

  log(`offline heap: ${CONFIG.heap.counts.join(', ')} events (each time-boxed at ${CONFIG.heap.timeoutMs / 1000} s)`)
  const heap = []
  for (const count of CONFIG.heap.counts) heap.push({ count, ...(await heapOnce(browser, url('/linger-50'), { count, timeoutMs: CONFIG.heap.timeoutMs })) })

  const seconds = (Date.now() - started) / 1000
  const { console: text, markdown } = renderReport({ ours, competitors, ready, readySecond, readyThird, track, trackApart, render, renderWarm, burst, heap, config: CONFIG, seconds, configErrors, chromium: browser.version() })
  console.log('\n' + text)
  await writeFile(join(root, 'bench/RESULTS.md'), markdown)
  log('wrote bench/RESULTS.md')
} catch (e) {
  console.error('bench failed:', e)
  process.exitCode = 1
} finally {
  await browser?.close().catch(() => {})
  await server?.close()
  await rm(work, { recursive: true, force: true })
}

function slug(s) {
  return s.replace(/\W+/g, '-')
}
