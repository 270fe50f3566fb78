// `node bench/lock-trace.mjs <runtime dir A> <runtime dir B> [runs]`: the Web Locks a warm widget's
// first frame waits for, from the trigger (AB_WIDGETS picks the widgets, as in ab.mjs). Each
// request is printed with when it was asked and answered (ms after the trigger) and the first
// content's time, the two builds alternated in one Chromium; then, per widget, the lock span (the
// turn asked to the last claim answered) of each build, the median of each run's pair (B ÷ A) and
// in how many pairs B's was shorter. Not part of `npm run bench`: with bench/lock-batch.mjs, why
// across-tabs.ts inTurn() asks its claims one by one (bench/README.md).
import { startBenchServer } from './server.mjs'
import { lingerPage } from './pages.mjs'
import { WIDGETS } from './flows.mjs'
import { launch, openPage } from './browser.mjs'
import { readFileSync } from 'node:fs'

const dirs = { A: process.argv[2], B: process.argv[3] }
const runs = Number(process.argv[4] ?? 3)
const slug = (name) => name.replace(/\s+/g, '-')
const only = process.env.AB_WIDGETS?.split(',')
const widgets = Object.entries(WIDGETS).filter(([name]) => !only || only.includes(slug(name)))

// Installed before any page script: every request's name, mode, asked and answered times.
const WATCH_LOCKS = () => {
  window.__locks = []
  const request = LockManager.prototype.request
  LockManager.prototype.request = function (name, ...rest) {
    const fn = rest.pop()
    const entry = { name, ifAvailable: !!rest[0]?.ifAvailable, asked: performance.now() }
    window.__locks.push(entry)
    return request.call(this, name, ...rest, (lock) => ((entry.answered = performance.now()), (entry.granted = !!lock), fn(lock)))
  }
  window.__firstContent = {}
  const attach = Element.prototype.attachShadow
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init)
    const tag = this.tagName.toLowerCase()
    const check = () => !(tag in window.__firstContent) && [...root.children].some((c) => c.tagName !== 'STYLE' && c.tagName !== 'LINK') && (window.__firstContent[tag] = performance.now())
    new MutationObserver(check).observe(root, { childList: true, subtree: true })
    return root
  }
}

const servers = {}
for (const [k, dir] of Object.entries(dirs)) {
  const s = await startBenchServer({ '/linger/': dir })
  for (const [name, w] of Object.entries(WIDGETS)) {
    s.files[`/flows/widget-${slug(name)}.json`] = JSON.stringify({ version: 1, ...w.flows })
    s.pages[`/widget-${slug(name)}`] = await lingerPage(dir, s.url, `/flows/widget-${slug(name)}.json`)
  }
  servers[k] = s
}
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0]
const browser = await launch()
const spans = { A: {}, B: {} }
const median = (xs) => { const v = [...xs].sort((a, b) => a - b); return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2 }
try {
  for (let r = 0; r < runs; r++)
    for (const k of r % 2 ? ['B', 'A'] : ['A', 'B'])
      for (const [name, w] of widgets) {
        const session = await openPage(browser, servers[k].url + `/widget-${slug(name)}`, { beforeGoto: (page) => page.addInitScript(WATCH_LOCKS) })
        try {
          await session.page.waitForTimeout(1500)
          const got = await session.page.evaluate(
            ({ trigger, host }) =>
              new Promise((resolve) => {
                const t0 = performance.now()
                const from = window.__locks.length
                window.__sdk.track(trigger.track)
                const poll = () => {
                  if (!(host in window.__firstContent) && performance.now() - t0 < 10_000) return void setTimeout(poll, 5)
                  const at = (t) => (t === undefined ? '-' : (t - t0).toFixed(1))
                  const first = window.__firstContent[host]
                  const before = window.__locks.slice(from).filter((l) => l.asked < first)
                  const turn = before.find((l) => l.name.startsWith('linger:grant:'))
                  const last = Math.max(...before.filter((l) => l.name.startsWith('linger:shown:')).map((l) => l.answered ?? NaN))
                  resolve({ span: turn ? last - turn.asked : NaN, content: at(first), locks: before.map((l) => `${l.name}${l.ifAvailable ? '?' : ''} ${at(l.asked)}→${at(l.answered)}${l.granted ? '' : ' refused'}`) })
                }
                setTimeout(poll, 5)
              }),
            { trigger: w.trigger, host: w.host },
          )
          spans[k][name] = [...(spans[k][name] ?? []), got.span]
          console.log(`${k} ${name} (load ${load()}) lock span ${got.span.toFixed(1)} ms, content ${got.content} ms; ${got.locks.length} locks before it:\n  ${got.locks.join('\n  ')}`)
        } finally {
          await session.close()
        }
      }
  for (const [name] of widgets) {
    const a = spans.A[name], b = spans.B[name]
    const pairs = a.map((x, i) => [x, b[i]]).filter(([x, y]) => x > 0 && y > 0)
    console.log(`${name} lock span: A ${median(a).toFixed(2)} ms · B ${median(b).toFixed(2)} ms · per-pair B÷A median ${median(pairs.map(([x, y]) => y / x)).toFixed(2)} · B shorter in ${pairs.filter(([x, y]) => y < x).length} of ${pairs.length}`)
  }
} finally {
  await browser.close()
  for (const s of Object.values(servers)) await s.close()
}
