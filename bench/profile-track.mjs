// `node bench/profile-track.mjs`: where a track() call's main-thread time goes. Builds the runtime
// unminified into a temp dir, loads the 50-experience page, CPU-profiles (CDP Profiler) 2,000
// calls at 20 per task plus a 1 s settle, and prints the functions with the most self time.
// Not part of `npm run bench`: a tool for finding the next saving, not a figure.
import { EVENTS } from './flows.mjs'
import { sleep } from './browser.mjs'
import { openUnminifiedFifty } from './unminified-page.mjs'

const CALLS = Number(process.env.PROFILE_CALLS ?? 2000)
// PROFILE_CALLS=10000 PROFILE_PER_TASK=10: the longest-task bench's burst.
const PER_TASK = Number(process.env.PROFILE_PER_TASK ?? 20)
const { server, page, cdp, close, dispose } = await openUnminifiedFifty('linger-profile-')
try {
  const burst = ({ events, calls, from, PER_TASK }) =>
    new Promise((resolve) => {
      let done = 0
      const step = () => {
        for (let i = 0; i < PER_TASK && done < calls; i++, done++) window.__sdk.track(events[done % events.length], { index: done, source: 'bench', plan: 'pro', bench: `bench~p~${from + done}` })
        if (done < calls) setTimeout(step, 0)
        else resolve(done)
      }
      step()
    })
  // Counts localStorage writes per key kind and their bytes: the usual suspect.
  await page.evaluate(() => {
    const set = Storage.prototype.setItem
    window.__writes = {}
    Storage.prototype.setItem = function (k, v) {
      const kind = k.split(':').slice(0, 2).join(':')
      const w = (window.__writes[kind] ??= { n: 0, bytes: 0 })
      w.n++
      w.bytes += v.length
      return set.call(this, k, v)
    }
  })
  await page.evaluate(burst, { events: EVENTS, calls: 100, from: 0, PER_TASK })
  await sleep(1000)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 })
  await cdp.send('Profiler.start')
  await page.evaluate(() => (window.__writes = {}))
  const t0 = Date.now()
  await page.evaluate(burst, { events: EVENTS, calls: CALLS, from: 100, PER_TASK })
  const burstMs = Date.now() - t0
  await sleep(1000)
  const { profile } = await cdp.send('Profiler.stop')
  const writes = await page.evaluate(() => window.__writes)
  // PROFILE_OUT=file: the raw profile too, for a closer look (chrome://inspect loads it).
  if (process.env.PROFILE_OUT) (await import('node:fs')).writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile))
  for (let i = 0; i < 60 && server.received('p') < CALLS + 100; i++) await sleep(250)
  console.log(`received ${server.received('p')} of ${CALLS + 100}; errors:`, JSON.stringify(await page.evaluate(() => window.__errors.slice(0, 5))))
  console.log(`burst took ${burstMs} ms; localStorage writes:`, writes)
  await close()
  const self = new Map()
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const dt = profile.timeDeltas
  const counts = new Map()
  profile.samples.forEach((id, i) => counts.set(id, (counts.get(id) ?? 0) + (dt[i + 1] ?? 0)))
  let total = 0
  for (const [id, us] of counts) {
    const n = byId.get(id)
    const f = n.callFrame
    if (f.functionName === '(idle)' || f.functionName === '(program)') continue
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + us)
    total += us
  }
  // Inclusive time too: what each function and everything it calls cost.
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const incl = new Map()
  for (const [id, us] of counts) {
    const seen = new Set()
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur).callFrame
      const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`
      if (seen.has(key)) continue
      seen.add(key)
      incl.set(key, (incl.get(key) ?? 0) + us)
    }
  }
  // PROFILE_CALLERS=name: who calls the functions of that name, with their time.
  const callers = new Map()
  const wanted = process.env.PROFILE_CALLERS
  if (wanted)
    for (const [id, us] of counts) {
      let chain = []
      for (let cur = id; cur !== undefined; cur = parent.get(cur)) chain.push(byId.get(cur).callFrame)
      const at = chain.findIndex((f) => f.functionName === wanted)
      if (at < 0) continue
      const key = chain.slice(at, at + 6).map((f) => `${f.functionName || '(anon)'}:${f.lineNumber + 1}`).join(' < ')
      callers.set(key, (callers.get(key) ?? 0) + us)
    }
  // The longest stretch of samples without idle: what a long task was made of.
  let best = { from: 0, to: 0 }
  let start = 0
  let clock = 0
  const times = profile.timeDeltas.map((d) => (clock += d))
  profile.samples.forEach((id, i) => {
    const name = byId.get(id).callFrame.functionName
    if (name === '(idle)' || name === '(program)') start = i + 1
    else if (times[i] - times[start] > times[best.to] - times[best.from]) best = { from: start, to: i }
  })
  const stretch = new Map()
  for (let i = best.from; i <= best.to; i++) {
    let chain = []
    for (let cur = profile.samples[i]; cur !== undefined; cur = parent.get(cur)) chain.push(byId.get(cur).callFrame)
    const key = chain.slice(0, 8).map((f) => `${f.functionName || '(anon)'}:${f.lineNumber + 1}`).join(' < ')
    stretch.set(key, (stretch.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0))
  }
  console.log(`longest busy stretch: ${((times[best.to] - times[best.from]) / 1000).toFixed(1)} ms; its stacks (ms):`)
  console.log([...stretch].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, us]) => `${(us / 1000).toFixed(1).padStart(6)}  ${k}`).join('\n') + '\n')
  const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${(us / CALLS).toFixed(1).padStart(7)} µs/call  ${k}`).join('\n')
  if (wanted) console.log(`callers of ${wanted}:\n${top(callers, 15)}\n`)
  console.log(`sampled JS+GC ${(total / CALLS).toFixed(1)} µs per call (${CALLS} calls)\n\nself time:\n${top(self, 40)}\n\ninclusive:\n${top(incl, 40)}`)
} finally {
  await dispose()
}
