// `node bench/lock-batch.mjs`: three Web Locks claims (ifAvailable, each held until the three are
// in, as inTurn()'s are) asked one after the other against asked together: the wall time from the
// first request to the last grant, and the main thread's CPU time, per set; 200 sets a few ms
// apart, the two ways alternated over four rounds. Not part of `npm run bench`: the measurement
// that showed the claims' cost before a first frame is the main thread's, per request, not the
// lock manager's answer (asked together, three took as long as one after the other).
import { createServer } from 'node:http'
import { launch, openPage, taskMs } from './browser.mjs'

const N = 200
const server = createServer((req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html><title>locks</title><script>console.debug('bench:ready')</script>`)).listen(0, '127.0.0.1')
await new Promise((r) => server.once('listening', r))
const browser = await launch()
const session = await openPage(browser, `http://127.0.0.1:${server.address().port}/`)
try {
  const run = (mode, round) =>
    session.page.evaluate(
      ({ mode, N, round }) =>
        new Promise((resolve) => {
          const walls = []
          const claim = (name) =>
            new Promise((granted) => {
              let letGo
              const held = new Promise((r) => (letGo = r))
              navigator.locks.request(name, { ifAvailable: true }, (lock) => (granted(() => letGo()), lock && held))
            })
          let i = 0
          const next = async () => {
            if (i++ === N) return void setTimeout(() => resolve(walls), 100)
            const names = [0, 1, 2].map((k) => `bench:${round}:${i}:${k}`)
            const t0 = performance.now()
            const lets = []
            if (mode === 'together') lets.push(...(await Promise.all(names.map(claim))))
            else for (const n of names) lets.push(await claim(n))
            walls.push(performance.now() - t0)
            lets.forEach((l) => l())
            setTimeout(next, 3)
          }
          next()
        }),
      { mode, N, round },
    )
  const per = { 'one by one': { wall: [], cpu: [] }, together: { wall: [], cpu: [] } }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  for (let round = 0; round < 4; round++)
    for (const mode of round % 2 ? ['together', 'one by one'] : ['one by one', 'together']) {
      const before = await taskMs(session.cdp)
      const walls = await run(mode === 'together' ? 'together' : 'sequential', round)
      per[mode].cpu.push(((await taskMs(session.cdp)) - before) / N)
      per[mode].wall.push(median(walls))
    }
  for (const [mode, { wall, cpu }] of Object.entries(per))
    console.log(`${mode.padEnd(10)} three claims: wall ${wall.map((x) => x.toFixed(2)).join(', ')} ms (median per round) · main-thread CPU per set ${cpu.map((x) => x.toFixed(2)).join(', ')} ms`)
} finally {
  await session.close()
  await browser.close()
  server.close()
}
