// `node bench/lock-cost.mjs`: what one Web Locks request costs the page's main thread, against
// an empty task at the same pace. Behind `acrossTabs()` in packages/sdk/src/experiences: the
// grant lock is asked for only when a look without it found something to write. Prints the
// main thread's CPU time per iteration (thread ticks), 300 iterations a few ms apart, three
// rounds alternated. Not part of `npm run bench`: the measurement a choice was made on.
import { createServer } from 'node:http'
import { launch, openPage, taskMs } from './browser.mjs'

const N = 300
const server = createServer((req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html><title>locks</title><script>console.debug('bench:ready')</script>`)).listen(0, '127.0.0.1')
await new Promise((r) => server.once('listening', r))
const browser = await launch()
const session = await openPage(browser, `http://127.0.0.1:${server.address().port}/`)
try {
  const run = (mode) =>
    session.page.evaluate(
      ({ mode, N }) =>
        new Promise((resolve) => {
          let i = 0
          const next = () => {
            if (i++ === N) return void setTimeout(resolve, 300)
            if (mode === 'lock') navigator.locks.request('linger:grant:u', () => {})
            setTimeout(next, 2)
          }
          next()
        }),
      { mode, N },
    )
  const per = { none: [], lock: [] }
  for (let round = 0; round < 3; round++) {
    for (const mode of ['none', 'lock']) {
      const before = await taskMs(session.cdp)
      await run(mode)
      per[mode].push(((await taskMs(session.cdp)) - before) / N)
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[1]
  for (const [mode, xs] of Object.entries(per)) console.log(`${mode.padEnd(5)} ${(median(xs) * 1000).toFixed(0)} µs main-thread CPU per iteration (runs: ${xs.map((x) => (x * 1000).toFixed(0)).join(', ')})`)
  console.log(`one lock request: ~${((median(per.lock) - median(per.none)) * 1000).toFixed(0)} µs`)
} finally {
  await session.close()
  await browser.close()
  server.close()
}
