// `node bench/fetch-body.mjs`: what handing a batch to fetch() costs the page's main thread, by
// body size and form (string, Blob, encoded bytes, or from the runtime's worker). Behind `asBody()` in packages/sdk/src/platform-browser.ts:
// Chromium copies a string body on the calling task, so a large batch's request was one of the
// longest tasks of a burst. Not part of `npm run bench`: the measurement a choice was made on.
// Prints, per form and size, the main thread's CPU time per request (thread ticks, so a busy
// neighbour on the machine does not count), over FETCH_BODY_REQUESTS requests (default 40) a
// few ms apart, three rounds alternated.
import { createServer } from 'node:http'
import { launch, openPage, taskMs } from './browser.mjs'
import { readFileSync } from 'node:fs'

// The runtime's worker program, as the source states it (a TypeScript file this script cannot
// import), with the constant it interpolates filled in: left as `${…}`, the worker would not parse
// and its requests would never answer.
const source = (path) => readFileSync(new URL(`../packages/sdk/src/transport/${path}`, import.meta.url), 'utf8')
const ANSWER_MAX_BYTES = source('classify.ts').match(/ANSWER_MAX_BYTES = ([\d_]+)/)[1].replaceAll('_', '')
const WORKER_SOURCE = source('off-thread.ts').match(/WORKER_SOURCE = `([^`]*)`/)[1].replace('${ANSWER_MAX_BYTES}', ANSWER_MAX_BYTES)

const N = Number(process.env.FETCH_BODY_REQUESTS ?? 40)
const server = createServer((req, res) => {
  if (req.url === '/') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html><title>fetch</title><script>console.debug('bench:ready')</script>`)
  req.resume()
  req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'))
}).listen(0, '127.0.0.1')
await new Promise((r) => server.once('listening', r))
const browser = await launch()
const session = await openPage(browser, `http://127.0.0.1:${server.address().port}/`)

// One event about as large as the runtime's (page context, user agent, ids): ~1 KB.
// `worker`: the request is made by the runtime's worker program (WORKER_SOURCE, what
// `sendFromWorker: true` uses); the page only posts it the body and hears the status back.
const send = ({ events, blob, bytes, worker, source, N }) =>
  new Promise((resolve) => {
    const one = (i) => JSON.stringify({ type: 'track', event: 'Feature Used', properties: { feature: 'export-csv', i }, context: { page: { url: location.href, path: '/', title: document.title, referrer: '' }, userAgent: navigator.userAgent, locale: 'en-US', library: { name: 'linger', version: '0.1.0' } }, anonymousId: crypto.randomUUID(), userId: 'u_bench', messageId: crypto.randomUUID(), timestamp: new Date().toISOString() })
    const body = `{"batch":[${Array.from({ length: events }, (_, i) => one(i)).join(',')}]}`
    const headers = { 'Content-Type': 'application/json', Authorization: 'Basic cGtfYmVuY2g6' }
    const sent = []
    let i = 0
    const next = () => {
      if (i++ === N) return void Promise.all(sent).then(() => resolve(body.length))
      if (worker) {
        window.__w ??= new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })))
        const id = `${events}-${i}`
        sent.push(new Promise((r) => window.__w.addEventListener('message', function on(e) { if (e.data[0] === id) window.__w.removeEventListener('message', on), r() })))
        window.__w.postMessage([id, new URL('/v1/batch', location.href).href, { method: 'POST', headers, body, credentials: 'omit', mode: 'cors' }, Date.now() + 10000])
      } else sent.push(fetch('/v1/batch', { method: 'POST', headers, body: blob ? new Blob([body]) : bytes ? new TextEncoder().encode(body) : body, credentials: 'omit', mode: 'cors' }).then((r) => r.text()))
      setTimeout(next, 5)
    }
    next()
  })

const rows = {}
for (let round = 0; round < 3; round++)
  for (const events of [1, 50, 100, 250])
    for (const form of ['string', 'Blob', 'bytes', 'worker']) {
      const before = await taskMs(session.cdp)
      const chars = await session.page.evaluate(send, { events, blob: form === 'Blob', bytes: form === 'bytes', worker: form === 'worker', source: WORKER_SOURCE, N })
      const key = `${String(events).padStart(3)} events (${Math.round(chars / 1024)} KB) ${form === 'worker' ? 'by the worker' : `as ${form.padEnd(6)}`}`
      ;(rows[key] ??= []).push(((await taskMs(session.cdp)) - before) / N)
    }
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
for (const [key, ms] of Object.entries(rows)) console.log(`${key}: ${median(ms).toFixed(2)} ms main-thread CPU per request (runs: ${ms.map((m) => m.toFixed(2)).join(', ')})`)
await session.close()
await browser.close()
server.close()
