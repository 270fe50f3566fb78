// `node bench/ab.mjs <runtime dir A> <runtime dir B> [runs] [track,burst,ready,third,ready-one,cold,render]`: two builds
// of the runtime side by side, alternated in one Chromium (A, B, then B, A…), each run printed with the
// load average: per-call total CPU of track() (minus the no-op page) and whether every event
// arrived, the longest task of the 10,000-call burst (wall and CPU), time to ready, trigger →
// first render of each widget with its chunks warm (1.5 s idle after ready). For a
// before/after on a shared machine, where two bench runs minutes apart are not comparable.
// Build a runtime dir with: LINGER_CDN_DIR=<dir> node -e "import('./scripts/build.mjs').then((m) => m.buildAll())"
import { startBenchServer } from './server.mjs'
import { lingerPage, emptyPage, segmentPage, EMPTY_JS, bodyWith } from './pages.mjs'
import { buildCompetitors } from './competitors.mjs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fiftyExperiences, WIDGETS } from './flows.mjs'
import { launch } from './browser.mjs'
import { trackCostOnce } from './track-cost.mjs'
import { burstOnce } from './track-burst.mjs'
import { readyOnce } from './ready.mjs'
import { renderOnce } from './widget-render.mjs'
import { execSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
const dirs = { A: process.argv[2], B: process.argv[3] }
const runs = Number(process.argv[4] ?? 3)
const slug = (name) => name.replace(/\s+/g, '-')
const what = (process.argv[5] ?? 'track,burst').split(',')
// AB_WIDGETS=tour,checklist: the render and cold modes for those widgets only (slugs, as in the page names).
const only = process.env.AB_WIDGETS?.split(',')
const widgets = Object.entries(WIDGETS).filter(([name]) => !only || only.includes(slug(name)))
// AB_HOST_NODES=3000: the widgets' pages with that many more elements (pages.mjs bodyWith), as an app's page has.
const body = process.env.AB_HOST_NODES ? bodyWith(Number(process.env.AB_HOST_NODES)) : undefined
// AB_PER_TASK=1 AB_CALLS=400: track() as an app calls it, one event per task, instead of the bench's bursts of 20.
const TRACK_PER_TASK = Number(process.env.AB_PER_TASK ?? 20)
const TRACK_CALLS = Number(process.env.AB_CALLS ?? 2000)
const servers = {}
// In ready mode, Segment's time to ready is measured in the same runs: the ratio the goal is set in.
const segment = what.includes('ready') ? (await buildCompetitors(await mkdtemp(join(tmpdir(), 'linger-ab-')), join(import.meta.dirname, '..'))).find((c) => c.id === 'segment' && !c.error) : undefined
for (const [k, dir] of Object.entries(dirs)) {
  const s = await startBenchServer({ '/linger/': dir, ...(segment ? { '/comp/segment/': segment.dir } : {}) })
  if (segment) s.pages['/segment'] = segmentPage(s.url)
  s.files['/flows/fifty.json'] = JSON.stringify(fiftyExperiences())
  s.files['/flows/example.json'] = readFileSync(new URL('../examples/flows.json', import.meta.url), 'utf8')
  s.files['/bench/empty.js'] = EMPTY_JS
  s.pages['/empty'] = emptyPage()
  s.pages['/linger-50'] = await lingerPage(dir, s.url, '/flows/fifty.json')
  s.pages['/linger-example'] = await lingerPage(dir, s.url, '/flows/example.json')
  for (const [name, w] of Object.entries(WIDGETS)) {
    s.files[`/flows/widget-${slug(name)}.json`] = JSON.stringify({ version: 1, ...w.flows })
    s.pages[`/widget-${slug(name)}`] = await lingerPage(dir, s.url, `/flows/widget-${slug(name)}.json`, {}, body)
  }
  servers[k] = s
}
const browser = await launch()
const out = { A: [], B: [] }
const load = () => execSync('cut -d" " -f1 /proc/loadavg').toString().trim()
// Which build goes first alternates from run to run. In a fixed order (A, B, with Segment's pages
// in A's turn) the B turn read less whatever the build: the same build against itself (6 runs,
// ready) read 0.52-0.81x its own busy time and 0.89-0.95x its CPU time in B's turn, more than most
// changes a paired run is meant to show.
for (let r = 0; r < runs; r++) for (const k of r % 2 ? ['B', 'A'] : ['A', 'B']) {
  const s = servers[k]
  const first = k === (r % 2 ? 'B' : 'A')
  const row = { load: load() }
  if (what.includes('track')) {
    const noop = await trackCostOnce(browser, s.url + '/empty', { calls: TRACK_CALLS, perTask: TRACK_PER_TASK, settleMs: 1000, timeoutMs: 6000 })
    const t = await trackCostOnce(browser, s.url + '/linger-50', { calls: TRACK_CALLS, perTask: TRACK_PER_TASK, settleMs: 1000, timeoutMs: 6000 }, s)
    row.track = +(t.totalPerCall * 1000 - noop.totalPerCall * 1000).toFixed(0); row.sync = +(t.syncPerCall * 1000).toFixed(0); row.recv = `${t.received}/${t.given}`
  }
  if (what.includes('burst')) {
    const b = await burstOnce(browser, s.url + '/linger-50', { calls: 10000, perTask: 10, timeoutMs: 20000 })
    row.longest = +b.longestMs?.toFixed(1); row.longestCpu = +b.longestCpuMs?.toFixed(1); row.busy = +b.busyMs?.toFixed(0)
  }
  if (what.includes('ready')) {
    for (const p of [...(segment && first ? ['/segment'] : []), '/linger-example', '/linger-50']) {
      const a = await readyOnce(browser, s.url + p); const b2 = await readyOnce(browser, s.url + p, { second: true })
      row[p + ' busy'] = +a.busyMs?.toFixed(0); row[p + ' 2nd'] = +b2.busyMs?.toFixed(0)
      // The thread's CPU time in those tasks: what a busy machine's neighbours do not add to.
      row[p + ' cpu'] = +a.cpuMs?.toFixed(0); row[p + ' 2nd cpu'] = +b2.cpuMs?.toFixed(0)
      // And the wall time to ready: a cut that moves work past ready by waiting longer shows here.
      row[p + ' wall'] = +a.wallMs?.toFixed(0); row[p + ' 2nd wall'] = +b2.wallMs?.toFixed(0)
      // The first load's longest task, wall and CPU: what a host's input or frame waits behind.
      row[p + ' longest'] = +a.longestMs?.toFixed(1); row[p + ' longest cpu'] = +a.longestCpuMs?.toFixed(1)
      // `ready,third`: the third load too, the code cache written (the second load writes it).
      if (what.includes('third')) {
        const c = await readyOnce(browser, s.url + p, { load: 3 })
        row[p + ' 3rd'] = +c.busyMs?.toFixed(0); row[p + ' 3rd cpu'] = +c.cpuMs?.toFixed(0)
      }
    }
  }
  // A document with a single kind (the render pages' documents): what one chunk of every
  // controller costs a vendor who uses one of them.
  if (what.includes('ready-one')) {
    for (const name of ['survey', 'tour']) {
      const p = `/widget-${slug(name)}`
      const a = await readyOnce(browser, s.url + p); const b2 = await readyOnce(browser, s.url + p, { second: true })
      row[p + ' busy'] = +a.busyMs?.toFixed(0); row[p + ' 2nd'] = +b2.busyMs?.toFixed(0)
      row[p + ' cpu'] = +a.cpuMs?.toFixed(0); row[p + ' 2nd cpu'] = +b2.cpuMs?.toFixed(0)
    }
  }
  // Chunks not loaded yet: the trigger right after ready.
  if (what.includes('cold')) {
    for (const [name, w] of widgets) {
      const r2 = await renderOnce(browser, s.url + `/widget-${slug(name)}`, w)
      row[`${name} cold`] = r2.error ?? +r2.ms.toFixed(1)
      row[`${name} cold frame`] = r2.error ? undefined : +r2.frameMs.toFixed(1)
    }
  }
  if (what.includes('render')) {
    for (const [name, w] of widgets) {
      const r2 = await renderOnce(browser, s.url + `/widget-${slug(name)}`, w, { idleMs: 1500 })
      row[`${name} warm`] = r2.error ?? +r2.ms.toFixed(1)
      row[`${name} warm frame`] = r2.error ? undefined : +r2.frameMs.toFixed(1)
      row[`${name} warm cpu`] = r2.error ? undefined : +r2.cpuMs.toFixed(1)
    }
  }
  out[k].push(row); console.log(k, JSON.stringify(row))
}
// Per figure, the median of each side and their ratio (B ÷ A), over the runs above.
const median = (xs) => { const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b); return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : NaN }
const loads = [...out.A, ...out.B].map((r) => Number(r.load)).sort((a, b) => a - b)
console.log(`load average over the runs: ${loads[0]}-${loads.at(-1)} (median ${median(loads)})`)
// Segment's figures, from the runs of both slots, once.
for (const key of Object.keys({ ...out.A[0], ...out.B[0] }).filter((k) => k !== 'load' && k !== 'recv')) {
  if (key.startsWith('/segment')) {
    console.log(`${key}: ${median([...out.A, ...out.B].map((r) => r[key]))}`)
    continue
  }
  const a = median(out.A.map((r) => r[key])), b = median(out.B.map((r) => r[key]))
  // Each run's own pair too (the two builds minutes apart at most): the median of B÷A per run, and
  // in how many runs B read less. A neighbour's burst lands on one turn of a pair, not on a median.
  const pairs = out.A.map((r, i) => [r[key], out.B[i]?.[key]]).filter(([x, y]) => typeof x === 'number' && typeof y === 'number' && x > 0)
  const perPair = pairs.length ? ` · per-pair B÷A median ${median(pairs.map(([x, y]) => y / x)).toFixed(2)} · B less in ${pairs.filter(([x, y]) => y < x).length} of ${pairs.length}` : ''
  console.log(`${key}: A ${a} · B ${b} · B÷A ${(b / a).toFixed(2)}${perPair}`)
}
await browser.close(); for (const s of Object.values(servers)) await s.close()
