import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error the demo server is plain ESM (what `npm start` runs)
import { NOTES, seedHint, startDemo } from './server.mjs'

// The demo's own subscription endpoints, as a vendor copying them would rely on them: the user
// comes from the signed-in session, and what the page says happened is what Stripe was told.
type Request = { method: string; path: string; body: string }
let demo: { url: string; stripe: { requests: Request[] }; close(): Promise<void> }
const dataDir = mkdtempSync(join(tmpdir(), 'linger-demo-server-'))

// The demo's clock: real time, moved on by `later` (a demo left running past midnight).
let later = 0
beforeAll(async () => {
  demo = await startDemo({ port: 0, collectorPort: 0, dataDir, now: () => Date.now() + later })
}, 180_000)
afterAll(async () => {
  await demo?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

/** Signing in as `user` in the demo: the session cookie and what /api/me says. */
async function signIn(user: string) {
  const res = await fetch(`${demo.url}/api/me?user=${user}`)
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]
  return { cookie, me: await res.json() }
}
const post = (path: string, body: unknown, cookie = '') =>
  fetch(`${demo.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify(body) })
const planOf = async (user: string) => (await signIn(user)).me.account.plan
/** Dana signed in with her Pro plan renewing: a cancellation by a test above taken back first. */
async function danaRenewing() {
  const dana = await signIn('u_42')
  await post('/api/subscription/upgrade', { userHash: dana.me.userHash }, dana.cookie)
  return signIn('u_42')
}

describe('the demo left running', () => {
  it('past midnight, still says Sam has been a customer for 40 days and Dana renews in a week (dates from today, not from the start)', async () => {
    const day = (text: string) => Math.round(Date.parse(text) / 86_400_000)
    const before = (await signIn('u_7')).me.traits
    later = 86_400_000
    try {
      const after = (await signIn('u_7')).me.traits
      expect(day(after.createdAt) - day(before.createdAt)).toBe(1)
      expect(day(after.renewsAt) - day(before.renewsAt)).toBe(1)
    } finally {
      later = 0
    }
  })
})

describe('cancelling and upgrading in the demo', () => {
  it('nobody cancels or upgrades someone else’s plan by naming them: the user is the signed-in one', async () => {
    const dana = await signIn('u_42')
    // Dana, signed in, names Sam; a visitor with no session names Sam too.
    await post('/api/subscription/cancel', { userId: 'u_7' }, dana.cookie)
    await post('/api/subscription/cancel', { userId: 'u_7' })
    await post('/api/subscription/upgrade', { userId: 'u_900' })
    expect((await planOf('u_7')).id).toBe('team')
    expect((await planOf('u_900')).id).toBe('starter')
    expect((await post('/api/subscription/cancel', { userId: 'u_7' })).status).toBe(401)
  })

  it('a confirmed cancellation reaches Stripe: the subscription ends at the close of the period, as the dialog promised', async () => {
    const sam = await signIn('u_7')
    const before = demo.stripe.requests.length
    const res = await post('/api/subscription/cancel', { userHash: sam.me.userHash }, sam.cookie)
    expect(res.status).toBe(200)
    const writes = demo.stripe.requests.slice(before).filter((r) => r.method === 'POST')
    expect(writes.map((r) => [r.path.replace(/sub_\w+/, 'sub_X'), r.body])).toEqual([['/v1/subscriptions/sub_X', 'cancel_at_period_end=true']])
    expect((await res.json()).plan.note).toMatch(/^Cancelled: Team until \w+ \d+, \d{4}, then the free Starter plan\.$/)
  })

  it('the day a cancelled plan ends is the renewal day Linger reminds the customer of, not a month from the server start', async () => {
    // Dana renews in a week (renewsAt: her renewal reminder says so); Stripe's period must end then too.
    const dana = await signIn('u_42')
    const renews = new Date(dana.me.traits.renewsAt).toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' })
    const res = await post('/api/subscription/cancel', { userHash: dana.me.userHash }, dana.cookie)
    expect((await res.json()).plan.note).toBe(`Cancelled: Pro until ${renews}, then the free Starter plan.`)
  })

  it('after a cancellation the page names the plan the customer still pays for until the period ends, and Starter only from then', async () => {
    // Dana's Pro plan is paid to her renewal day, as the note says: called Starter at once, the
    // demo told the vendor watching it that a cancellation takes effect at the click.
    const dana = await danaRenewing()
    const renews = new Date(dana.me.traits.renewsAt).toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' })
    const res = await post('/api/subscription/cancel', { userHash: dana.me.userHash }, dana.cookie)
    const plan = (await res.json()).plan
    expect(plan.note).toBe(`Cancelled: Pro until ${renews}, then the free Starter plan.`)
    expect(plan.name).toBe(`Pro until ${renews}, then Starter`)
    expect(plan.badge).toBe('Pro plan')
    later = Date.parse(dana.me.traits.renewsAt) + 86_400_000 - Date.now()
    try {
      expect(await planOf('u_42')).toMatchObject({ id: 'starter', name: 'Starter', badge: 'Starter plan' })
    } finally {
      later = 0
    }
  })

  it('after a cancellation Linger hears the plan the customer still pays for until the period ends, with no renewal coming, and Starter only from then', async () => {
    // What the page identifies the user and their account with (app.js planChanged): told
    // "starter" at the click, the vendor's segments counted a paying Pro customer as free for
    // the rest of their month, beside a page and a note saying Pro until the period ends.
    const dana = await danaRenewing()
    const renewsAt: string = dana.me.traits.renewsAt
    await post('/api/subscription/cancel', { userHash: dana.me.userHash }, dana.cookie)
    const told = async () => {
      const { traits, account } = (await signIn('u_42')).me
      return { plan: traits.plan, accountPlan: account.traits.plan, renewsAt: traits.renewsAt, billingInterval: traits.billingInterval }
    }
    // (No renewal: no "your plan renews soon" reminder, no yearly-billing offer at a renewal that is not coming.)
    expect(await told()).toEqual({ plan: 'pro', accountPlan: 'pro', renewsAt: null, billingInterval: null })
    const [y, m, d] = renewsAt.split('-').map(Number)
    later = new Date(y, m - 1, d, 0, 1).getTime() - Date.now()
    try {
      expect(await told()).toMatchObject({ plan: 'starter', accountPlan: 'starter' })
    } finally {
      later = 0
    }
    // Taken back before the end: Pro, renewing as before.
    await post('/api/subscription/upgrade', { userHash: dana.me.userHash }, dana.cookie)
    expect(await told()).toEqual({ plan: 'pro', accountPlan: 'pro', renewsAt, billingInterval: 'month' })
  })

  it('west of UTC, on the evening before the paid period ends, the page still names the plan paid for; Starter comes at their midnight', async () => {
    // The period ends on a day of the user's calendar (as renewsAt is): read as UTC midnight, in
    // California the page said "Starter" from 4 pm the day before, while the note said otherwise.
    const dana = await danaRenewing()
    await post('/api/subscription/cancel', { userHash: dana.me.userHash }, dana.cookie)
    const ends: string = dana.me.traits.renewsAt
    const renews = new Date(ends).toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' })
    const tz = process.env.TZ
    process.env.TZ = 'America/Los_Angeles'
    try {
      const [y, m, d] = ends.split('-').map(Number)
      later = new Date(y, m - 1, d - 1, 23).getTime() - Date.now()
      expect(await planOf('u_42')).toMatchObject({ name: `Pro until ${renews}, then Starter`, badge: 'Pro plan' })
      later = new Date(y, m - 1, d, 0, 1).getTime() - Date.now()
      expect(await planOf('u_42')).toMatchObject({ name: 'Starter', badge: 'Starter plan' })
    } finally {
      later = 0
      if (tz === undefined) delete process.env.TZ
      else process.env.TZ = tz
    }
  })

  it('a customer who upgrades from the free plan can take a save offer later: there is a subscription to apply it to', async () => {
    const alex = await signIn('u_900')
    expect((await post('/api/subscription/upgrade', { userHash: alex.me.userHash }, alex.cookie)).status).toBe(200)
    expect((await planOf('u_900')).id).toBe('pro')
    const offer = await post('/api/offers/apply', { userHash: alex.me.userHash, offerId: 'discount-30' }, alex.cookie)
    expect(offer.status).toBe(200)
    expect((await offer.json()).plan.note).toBe('30% off for 3 months.')
  })
})

describe('what `npm start` tells a newcomer to run next', () => {
  it('names the collector to seed when COLLECTOR_PORT moved it off 8787, so the history reaches this dashboard', () => {
    expect(seedHint('http://127.0.0.1:8787', {})).toBe('npm run seed')
    expect(seedHint('http://127.0.0.1:9100', {})).toBe('npm run seed -- --url http://127.0.0.1:9100')
  })

  it('says to seed with the same LINGER_DEMO_SECRET the demo was started with, or no seeded user counts', () => {
    expect(seedHint('http://127.0.0.1:8787', { LINGER_DEMO_SECRET: 'ours' })).toBe('LINGER_DEMO_SECRET=… npm run seed (the same secret)')
  })
})

describe('the plan note after a discount', () => {
  // A vendor trying their own offers edits examples/flows.json: a discount without `months` is
  // Stripe's `duration: 'once'` (the next invoice), and one month is a month.
  it('says what the customer gets for a one-off or a one-month discount, in plain words', () => {
    expect(NOTES.discount({ kind: 'discount', percent: 30, months: 3 })).toBe('30% off for 3 months.')
    expect(NOTES.discount({ kind: 'discount', percent: 50, months: 1 })).toBe('50% off for 1 month.')
    expect(NOTES.discount({ kind: 'discount', percent: 20 })).toBe('20% off your next invoice.')
  })
})
