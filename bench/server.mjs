// The bench's whole network on 127.0.0.1: host pages and flows documents from memory, our
// runtime at /linger/, competitor bundles at /comp/<id>/, and a stub that answers every other
// request (collector batches, posthog's /flags and /e, Segment's /v1/t) with 200 at once.
import { createServer } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { readFile } from 'node:fs/promises'
import { join, normalize, extname } from 'node:path'

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.css': 'text/css' }

/** `mounts`: URL prefix → directory. `pages`/`files`: path → body, changeable between loads. */
export async function startBenchServer(mounts) {
  const pages = {}
  const files = {}
  let stubbed = 0
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*')
    res.setHeader('Access-Control-Allow-Credentials', 'true')
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '*')
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
    // What a CDN sends, for every SDK alike: hashed chunks for a year (immutable), an unversioned
    // entry for 5 minutes; pages, flows documents and the collector's answers are not stored. A
    // returning page then reads scripts (and V8's code cache) from the HTTP cache, as users' do;
    // with no-store everywhere, the second load flattered the SDK that loads fewer files.
    const hashed = /^\/(linger\/chunks|comp\/[^/]+)\/.*-[\w-]{6,}\.js$/.test(url.pathname)
    const entry = /^\/(linger|comp\/[^/]+)\/[^/]+\.js$/.test(url.pathname)
    res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : entry ? 'public, max-age=300' : 'no-store')
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    if (pages[url.pathname]) return void res.writeHead(200, { 'Content-Type': TYPES['.html'] }).end(pages[url.pathname])
    if (files[url.pathname]) return void res.writeHead(200, { 'Content-Type': TYPES[extname(url.pathname)] ?? 'application/json' }).end(files[url.pathname])
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!url.pathname.startsWith(prefix)) continue
      const rel = normalize(url.pathname.slice(prefix.length)).replace(/^(\.\.[/\\])+/, '')
      try {
        const body = await readFile(join(dir, rel))
        return void res.writeHead(200, { 'Content-Type': TYPES[extname(rel)] ?? 'application/octet-stream' }).end(body)
      } catch {
        return void res.writeHead(404).end('not found')
      }
    }
    // Everything else is "the vendor's backend": read the body, count the bench events in it,
    // answer 200 with an empty JSON.
    stubbed++
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      countEvents(received, decodeBody(Buffer.concat(chunks), url))
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}')
    })
  })
  const received = new Map()
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    pages,
    files,
    stubbed: () => stubbed,
    /** Distinct bench events (see benchTag) the stub received for one run. */
    received: (run) => received.get(run)?.size ?? 0,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()) }),
  }
}

/**
 * Every event a bench run tracks carries `bench: benchTag(run, i)` in its properties; the stub
 * counts distinct tags per run, whatever the SDK's wire format, so a retried event counts once
 * and an event an SDK dropped does not count at all.
 */
export const benchTag = (run, i) => `bench~${run}~${i}`
const TAG = /bench~([a-z0-9]+)~(\d+)/g

/** Plain JSON (Linger, Segment), gzip (posthog's `gzip-js`), or a form body of base64 (posthog's `base64`). */
export function decodeBody(buf, url) {
  try {
    if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf)
  } catch {}
  let text = buf.toString('utf8')
  const form = /^data=/.test(text) ? decodeURIComponent(text.slice(5).replace(/\+/g, ' ')) : url.searchParams.get('compression') === 'base64' ? text : null
  if (form !== null) {
    try {
      text = Buffer.from(form, 'base64').toString('utf8')
    } catch {}
  }
  return text
}

function countEvents(received, text) {
  for (const [, run, i] of text.matchAll(TAG)) {
    if (!received.has(run)) received.set(run, new Set())
    received.get(run).add(i)
  }
}
