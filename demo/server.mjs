// `npm start`: the Acme Projects demo (a host app that loads Linger by the vendor snippet) and
// a collector on 127.0.0.1, so a newcomer sees events flow end to end.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { join, dirname, extname, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startCollector } from '@linger/collector'
import { checkFlows } from '@linger/sdk'
import { personas } from './personas.mjs'
import { applyOffer, applyPlanChange, cancelAtPeriodEnd, OfferError, sameHmac, sessionCookieOf, sessionUser, updatePaymentMethod, userHashOf } from './billing.mjs'
import { createFakeStripe } from './fake-stripe.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
// The built runtime: dist/cdn, or an engineer's side build (LINGER_CDN_DIR), as the tests read it.
const cdn = process.env.LINGER_CDN_DIR ?? join(root, 'dist/cdn')
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
// Billing: Stripe, simulated in process with the same requests (demo/fake-stripe.mjs). Each paying
// persona has a monthly subscription; `ledger` remembers the offers already applied.
const stripe = createFakeStripe()
const PRICES = { pro: 'price_pro_monthly', team: 'price_team_monthly', starter: 'price_starter' }
const YEARLY = { pro: 'price_pro_yearly', team: 'price_team_yearly' }
const accounts = new Map(
  Object.entries(USERS)
    .filter(([, u]) => u.traits.plan !== 'starter')
    .map(([id, u]) => {
      // Its period ends on the persona's `renewsAt`: the day Linger's renewal reminder names is the
      // day a cancellation, a yearly switch or a downgrade takes effect.
      const periodEnd = u.traits.renewsAt ? Date.parse(u.traits.renewsAt) / 1000 : undefined
      const sub = stripe.seedSubscription({ customer: `cus_${id}`, price: PRICES[u.traits.plan], periodEnd, status: u.traits.paymentStatus === 'past_due' ? 'past_due' : 'active' })
      // `since`: the day it started, which the yearly offer's `afterMonths` is counted from.
      return [id, { subscriptionId: sub.id, plan: u.traits.plan, prices: PRICES, yearly: YEARLY[u.traits.plan], since: u.traits.subscribedAt }]
    }),
)
const ledger = new Map()

const userHash = (userId) => userHashOf(SECRET, userId)
// Linger's `groupHash`: vouches that the user is in the account, the HMAC of userId + "\n" + groupId.
const groupHash = (userId, groupId) => userHashOf(SECRET, `${userId}\n${groupId}`)
const longDate = (day) => new Date(day).toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' })
/** The plan note: what the offer did to the subscription, in the customer's words. */
export const NOTES = {
  pause: (r) => `Paused: nothing is charged until billing resumes on ${longDate(r.resumesAt)}.`,
  // Without `months` Stripe applies the coupon once: to the next invoice.
  discount: (r) => (r.months ? `${r.percent}% off for ${r.months} month${r.months === 1 ? '' : 's'}.` : `${r.percent}% off your next invoice.`),
  downgrade: (r) => `Moves to the free ${PLANS[r.plan]?.name ?? r.plan} plan on ${longDate(r.from)}; your data is kept.`,
  annual: (r) => `Yearly billing with ${r.percent}% off from ${longDate(r.from)}.`,
}
// The payment traits Linger's billing prompts read, as our billing records have them.
const payments = new Map(Object.entries(USERS).map(([id, u]) => [id, { paymentStatus: u.traits.paymentStatus, billingInterval: u.traits.billingInterval }]))

export async function startDemo({ port = Number(process.env.PORT ?? 5173), collectorPort = Number(process.env.COLLECTOR_PORT ?? 8787), host = '127.0.0.1', dataDir = undefined, now = Date.now } = {}) {
  const flows = JSON.parse(await readFile(flowsPath, 'utf8'))
  // Served as a vendor ships it: checked first (npm run flows:check), so a first visit starts
  // without validating it. With a problem in it, it is served as written: the page reports it.
  const checked = await checkFlows(flows)
  if (!checked.ok) for (const e of checked.errors) console.warn(`[demo] examples/flows.json: ${e.message}`)
  const served = checked.ok ? checked.document : flows
  // The reference collector: embedded database in .linger-data/, the same flows, and the
  // insights dashboard at its root. The demo's origin is allowed by default (any localhost).
  // The dashboard needs a sign-in: the first start creates admin@localhost (collector.signIn).
  const admin = process.env.LINGER_ADMIN_EMAIL && process.env.LINGER_ADMIN_PASSWORD
    ? { email: process.env.LINGER_ADMIN_EMAIL, password: process.env.LINGER_ADMIN_PASSWORD }
    : undefined
  const collector = await startCollector({ port: collectorPort, host, keys: [KEY], secrets: { [KEY]: SECRET }, flowsPath, dataDir, admin })
  const server = createServer(async (req, res) => {
    try {
      await handle(req, res, flows, collector, served, now)
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(e))
    }
  })
  await new Promise((r) => server.listen(port, host, r))
  const url = `http://${host}:${server.address().port}`
  return { url, collector, stripe, close: async () => { server.closeAllConnections(); await new Promise((r) => server.close(r)); await collector.close() } }
}

/**
 * Cancelled, the plan paid for lasts to the period's end (Stripe's cancel_at_period_end): its id
 * until then, else ''. Its end is a day of the user's calendar, as renewsAt (personas.mjs): their
 * midnight, not UTC's.
 */
function paidUntilEnd(userId, now) {
  const sub = subscriptions.get(userId)
  const kept = sub?.plan === 'starter' && accounts.get(userId)
  return kept && sub.endsAt && now() < Date.parse(`${sub.endsAt}T00:00`) ? kept.plan : ''
}

function planView(userId, now) {
  const sub = subscriptions.get(userId) ?? { plan: 'starter', note: '' }
  // On the free plan, the billing page's one button: a cancelled subscription is taken back as it
  // was (a Team customer is not sold "Pro" and handed Team), else a new Pro subscription.
  const kept = sub.plan === 'starter' && accounts.get(userId)
  // "Starter" from the click said the cancellation took effect at once, beside a note saying it does not.
  const paid = paidUntilEnd(userId, now) && PLANS[kept.plan].name
  const name = PLANS[sub.plan]?.name ?? sub.plan
  return { id: sub.plan, name: paid ? `${paid} until ${longDate(sub.endsAt)}, then ${name}` : name, badge: `${paid || name} plan`, note: sub.note, paused: Boolean(sub.paused), upgrade: kept ? `Keep the ${PLANS[kept.plan].name} plan` : 'Upgrade to Pro' }
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

async function handle(req, res, flows, collector, served, now) {
  const url = new URL(req.url, 'http://x')
  const json = (status, value) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value))
  if (url.pathname === '/favicon.ico') return res.writeHead(204).end()
  if (url.pathname === '/api/config') return json(200, { key: KEY, endpoint: collector.url, eventsPage: collector.url + '/' })
  if (url.pathname === '/flows.json') return json(200, served)
  if (url.pathname === '/api/me') {
    // Naming nobody (a reload): whoever this browser is signed in as, else Dana.
    const asked = url.searchParams.get('user') ?? sessionUser(SECRET, req.headers.cookie)
    const userId = USERS[asked] ? asked : 'u_42'
    // Today's persona: its dates are relative to today, so a demo left running past midnight
    // still has Sam a customer of 40 days and Dana's renewal a week away.
    const u = personas(now())[userId]
    // Signing in: the session our billing endpoints trust (the userHash only confirms it).
    res.setHeader('Set-Cookie', sessionCookieOf(SECRET, userId))
    // The plan the customer has now, as Linger's audiences and the vendor's segments read it: a
    // cancelled one until its period ends (Starter from the click counted a paying customer as
    // free). A cancelled subscription renews no more: no renewal date nor interval (null, as
    // identify keeps traits not sent), so no renewal reminder and no yearly offer for it.
    const plan = paidUntilEnd(userId, now) || subscriptions.get(userId).plan
    const ends = subscriptions.get(userId).endsAt ? { renewsAt: null, billingInterval: null } : {}
    return json(200, {
      userId,
      userHash: userHash(userId),
      traits: { ...u.traits, ...payments.get(userId), plan, ...ends },
      account: { id: u.account, groupHash: groupHash(userId, u.account), traits: { name: u.account, plan }, plan: planView(userId, now) },
    })
  }
  if (url.pathname === '/api/offers/apply' && req.method === 'POST') {
    // The server, not the browser, decides (demo/billing.mjs): the user from the session, checked
    // against the userHash; the offer from our own flows, if this user may have it (reason, holdout,
    // one save offer per billing period; a pause on its own is none); applied through Stripe once. A refusal is a 403/409 the page shows.
    const session = sessionUser(SECRET, req.headers.cookie)
    const account = accounts.get(session)
    if (session && !account) return json(409, { error: 'no paid subscription to apply an offer to' })
    try {
      const result = await applyOffer({ stripe, flows, ledger, secret: SECRET, now: now(), session, account, body: await body(req) })
      // `offer` outlives a cancellation: taken back, the subscription is still paused or discounted.
      // A pause is applied once (the ledger): a second one would show dates Stripe never got.
      Object.assign(subscriptions.get(session), { note: NOTES[result.kind](result), offer: NOTES[result.kind](result), paused: subscriptions.get(session).paused || result.kind === 'pause' })
      return json(200, { plan: planView(session, now), result })
    } catch (e) {
      if (e instanceof OfferError) return json(e.status, { error: e.message })
      throw e
    }
  }
  // The billing prompts' handlers: the browser asks; this server takes the user from the session
  // and goes to Stripe (demo/billing.mjs). The new status reaches Linger as traits (/api/me).
  if ((url.pathname === '/api/billing/payment-method' || url.pathname === '/api/billing/plan-change') && req.method === 'POST') {
    const session = sessionUser(SECRET, req.headers.cookie)
    const account = accounts.get(session)
    if (session && !account) return json(409, { error: 'no paid subscription' })
    try {
      const args = { stripe, flows, ledger, secret: SECRET, now: now(), session, account, body: await body(req) }
      if (url.pathname === '/api/billing/payment-method') {
        const result = await updatePaymentMethod({ ...args, returnUrl: `http://${req.headers.host}/#/billing` })
        // Stripe's own status: a canceled or unpaid subscription is no recovered payment.
        payments.get(session).paymentStatus = result.status
      } else {
        const result = await applyPlanChange(args)
        // Billed yearly from the next renewal: the offer is done for this customer.
        payments.get(session).billingInterval = 'year'
        Object.assign(subscriptions.get(session), { note: NOTES.annual(result), offer: NOTES.annual(result) })
      }
      return json(200, { plan: planView(session, now) })
    } catch (e) {
      if (e instanceof OfferError) return json(e.status, { error: e.message })
      throw e
    }
  }
  // The host's own cancel and upgrade: like the endpoints above, the user is the signed-in one
  // (never a userId in the request), and Stripe is told what the page then says.
  if (url.pathname === '/api/subscription/cancel' && req.method === 'POST') {
    const session = sessionUser(SECRET, req.headers.cookie)
    const account = accounts.get(session)
    if (session && !account) return json(409, { error: 'no paid subscription to cancel' })
    try {
      const { until } = await cancelAtPeriodEnd({ stripe, secret: SECRET, session, account, body: await body(req) })
      const sub = subscriptions.get(session)
      if (sub.plan !== 'starter') Object.assign(sub, { plan: 'starter', endsAt: until, note: `Cancelled: ${PLANS[sub.plan]?.name ?? sub.plan} until ${longDate(until)}, then the free Starter plan.` })
      return json(200, { plan: planView(session, now) })
    } catch (e) {
      if (e instanceof OfferError) return json(e.status, { error: e.message })
      throw e
    }
  }
  if (url.pathname === '/api/subscription/upgrade' && req.method === 'POST') {
    const session = sessionUser(SECRET, req.headers.cookie)
    if (!session) return json(401, { error: 'not signed in' })
    if (!sameHmac((await body(req)).userHash, userHash(session))) return json(403, { error: 'identity could not be verified' })
    const account = accounts.get(session)
    const sub = subscriptions.get(session)
    if (account) {
      // Cancelled, now back: their subscription goes on (Stripe keeps its plan and price).
      await stripe.subscriptions.update(account.subscriptionId, { cancel_at_period_end: false })
      // Only the cancellation is undone: a pause, discount or change at renewal still stands.
      Object.assign(sub, { plan: account.plan, endsAt: undefined, note: [`Resumed: your ${PLANS[account.plan].name} plan continues.`, sub.offer].filter(Boolean).join(' ') })
    } else {
      // New to paying: a Pro subscription (Stripe Checkout's, in production), so the save offers
      // have something to apply to later.
      const created = stripe.seedSubscription({ customer: `cus_${session}`, price: PRICES.pro })
      accounts.set(session, { subscriptionId: created.id, plan: 'pro', prices: PRICES, yearly: YEARLY.pro, since: new Date(now()).toISOString().slice(0, 10) })
      Object.assign(sub, { plan: 'pro', note: 'Upgraded to Pro.' })
    }
    return json(200, { plan: planView(session, now) })
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

/**
 * The seed command for this demo's collector. The seed script, run from another terminal, knows
 * neither a moved collector (COLLECTOR_PORT) nor a changed secret: without them its history went
 * to whatever answered on 8787, or was signed with a secret this collector refuses.
 */
export function seedHint(collectorUrl, env = process.env) {
  const url = collectorUrl === 'http://127.0.0.1:8787' ? '' : ` -- --url ${collectorUrl}`
  return env.LINGER_DEMO_SECRET ? `LINGER_DEMO_SECRET=… npm run seed${url} (the same secret)` : `npm run seed${url}`
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const demo = await startDemo()
  console.log(`\n  Acme Projects demo:      ${demo.url}/`)
  console.log(`  Collector + insights:   ${demo.collector.url}/   (${demo.collector.engine})`)
  if (demo.collector.signIn) {
    console.log(`  Sign in to the insights: ${demo.collector.signIn.email}  password ${demo.collector.signIn.password}`)
    console.log(`    (shown once, now; LINGER_ADMIN_EMAIL=… LINGER_ADMIN_PASSWORD=… npm start resets it)`)
  } else {
    console.log(`  Sign in to the insights with your vendor account (LINGER_ADMIN_EMAIL/LINGER_ADMIN_PASSWORD reset it)`)
  }
  console.log(`  History for the dashboard: ${seedHint(demo.collector.url)} (in another terminal)\n`)
}
