// `npm start`: the Acme Projects demo (a host app that loads Linger by the vendor snippet) and
// a collector on 127.0.0.1, so a newcomer sees events flow end to end.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { createHmac, randomBytes } from 'node:crypto'
import { join, dirname, extname, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startCollector } from '@linger/collector'
import { personas } from './personas.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const cdn = join(root, 'dist/cdn')
const flowsPath = join(root, 'examples/flows.json')
const SECRET = process.env.LINGER_DEMO_SECRET ?? 'demo-identity-secret'
const KEY = 'pk_demo'
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8', '.json': 'application/json' }

const PLANS = {
  pro: { name: 'Pro', price: 49 },
  team: { name: 'Team', price: 99 },
  starter: { name: 'Starter', price: 0 },
}
const USERS = personas()
const subscriptions = new Map(Object.entries(USERS).map(([id, u]) => [id, { plan: u.traits.plan, note: '' }]))

// What the pretend payment provider knows: Sam's card failed until Sam updates it.
const payments = new Map(Object.entries(USERS).map(([id, u]) => [id, { paymentStatus: u.traits.paymentStatus, billingInterval: u.traits.billingInterval }]))

const userHash = (userId) => createHmac('sha256', SECRET).update(userId).digest('hex')

export async function startDemo({ port = Number(process.env.PORT ?? 5173), collectorPort = Number(process.env.COLLECTOR_PORT ?? 8787), host = '127.0.0.1', dataDir = undefined } = {}) {
  const flows = JSON.parse(await readFile(flowsPath, 'utf8'))
  // The reference collector: embedded database in .linger-data/, the same flows, and the
  // insights dashboard at its root. The demo's origin is allowed by default (any localhost).
  const collector = await startCollector({ port: collectorPort, host, keys: [KEY], secrets: { [KEY]: SECRET }, flowsPath, dataDir })
  const server = createServer(async (req, res) => {
    try {
      await handle(req, res, flows, collector)
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(e))
    }
  })
  await new Promise((r) => server.listen(port, host, r))
  const url = `http://${host}:${server.address().port}`
  return { url, collector, close: async () => { server.closeAllConnections(); await new Promise((r) => server.close(r)); await collector.close() } }
}

function planView(userId) {
  const sub = subscriptions.get(userId) ?? { plan: 'starter', note: '' }
  return { id: sub.plan, name: PLANS[sub.plan]?.name ?? sub.plan, note: sub.note }
}

async function body(req) {
  const chunks = []
  for await (const c of req) chunks.push(c)
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
  } catch {
    return {}
  }
}

async function handle(req, res, flows, collector) {
  const url = new URL(req.url, 'http://x')
  const json = (status, value) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value))
  if (url.pathname === '/favicon.ico') return res.writeHead(204).end()
  if (url.pathname === '/api/config') return json(200, { key: KEY, endpoint: collector.url, eventsPage: collector.url + '/' })
  if (url.pathname === '/flows.json') return json(200, flows)
  if (url.pathname === '/api/me') {
    const userId = USERS[url.searchParams.get('user')] ? url.searchParams.get('user') : 'u_42'
    const u = USERS[userId]
    return json(200, {
      userId,
      userHash: userHash(userId),
      traits: { ...u.traits, ...payments.get(userId), plan: subscriptions.get(userId).plan },
      account: { id: u.account, traits: { name: u.account, plan: subscriptions.get(userId).plan }, plan: planView(userId) },
    })
  }
  if (url.pathname === '/api/offers/apply' && req.method === 'POST') {
    // The server, not the browser, decides: a verified user, and an offer from our own config.
    const { userId, userHash: hash, offerId } = await body(req)
    if (!USERS[userId] || typeof hash !== 'string' || hash !== userHash(userId)) return json(403, { error: 'identity could not be verified' })
    const offer = flows.cancelFlow?.offers?.find((o) => o.id === offerId)
    // A contact offer is a link, never applied: one arriving here is forged.
    if (!offer || offer.kind === 'contact') return json(400, { error: `unknown offer ${offerId}` })
    const sub = subscriptions.get(userId)
    if (offer.kind === 'downgrade') Object.assign(sub, { plan: offer.plan, note: 'Downgraded: your data is kept.' })
    if (offer.kind === 'discount') sub.note = `${offer.percent}% off for ${offer.months} months`
    if (offer.kind === 'pause') sub.note = `Paused for up to ${offer.months} months`
    return json(200, { plan: planView(userId) })
  }
  // The billing prompts' handlers: the browser asks, this server verifies the user and applies.
  if ((url.pathname === '/api/billing/payment-method' || url.pathname === '/api/billing/plan-change') && req.method === 'POST') {
    const { userId, userHash: hash, offerId } = await body(req)
    if (!USERS[userId] || typeof hash !== 'string' || hash !== userHash(userId)) return json(403, { error: 'identity could not be verified' })
    const pay = payments.get(userId)
    if (url.pathname === '/api/billing/payment-method') {
      // A pretend billing portal: the new card is taken and the failed invoice retried, successfully.
      pay.paymentStatus = 'active'
    } else {
      const offer = flows.billing?.annualOffer
      if (!offer || offer.id !== offerId) return json(400, { error: `unknown offer ${offerId}` })
      // Idempotent: accepting twice is one switch.
      pay.billingInterval = 'year'
      subscriptions.get(userId).note = `Yearly billing, ${offer.percent}% off from your next renewal`
    }
    return json(200, { plan: planView(userId) })
  }
  if (url.pathname === '/api/subscription/cancel' && req.method === 'POST') {
    const { userId } = await body(req)
    const sub = subscriptions.get(userId)
    if (sub) Object.assign(sub, { plan: 'starter', note: 'Cancelled: you are on the free Starter plan at the end of the period.' })
    return json(200, { plan: planView(userId) })
  }
  if (url.pathname === '/api/subscription/upgrade' && req.method === 'POST') {
    const { userId } = await body(req)
    const sub = subscriptions.get(userId)
    if (sub) Object.assign(sub, { plan: 'pro', note: 'Upgraded to Pro.' })
    return json(200, { plan: planView(userId) })
  }
  if (url.pathname.startsWith('/linger/')) {
    const rel = normalize(url.pathname.slice(8)).replace(/^(\.\.[/\\])+/, '')
    return serveFile(res, join(cdn, rel))
  }
  if (url.pathname === '/' || url.pathname === '/index.html') {
    // A strict CSP, as a careful vendor has it: the snippet runs by nonce, nothing inline else.
    const nonce = randomBytes(12).toString('base64')
    const snippet = (await readFile(join(cdn, 'snippet.html'), 'utf8')).replace('<script>', `<script nonce="${nonce}">`)
    const html = (await readFile(join(here, 'public/index.html'), 'utf8')).replace('<!-- linger:snippet -->', snippet.trim())
    res.writeHead(200, {
      'Content-Type': TYPES['.html'],
      'Cache-Control': 'no-store',
      'Content-Security-Policy': `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self'; connect-src 'self' ${collector.url}; img-src 'self' data:`,
    })
    return res.end(html)
  }
  const rel = normalize(url.pathname).replace(/^(\.\.[/\\])+/, '')
  return serveFile(res, join(here, 'public', rel))
}

async function serveFile(res, path) {
  try {
    const data = await readFile(path)
    res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' })
    res.end(data)
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const demo = await startDemo()
  console.log(`\n  Acme Projects demo:      ${demo.url}/`)
  console.log(`  Collector + insights:   ${demo.collector.url}/   (${demo.collector.engine})`)
  console.log(`  History for the dashboard: npm run seed (in another terminal)\n`)
}
