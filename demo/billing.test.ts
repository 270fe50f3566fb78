import { describe, expect, it } from 'vitest'
// @ts-expect-error the demo backend is plain ESM (what `npm start` runs)
import { applyOffer, applyPlanChange, inHoldout, monthsSince, MONTH_GRACE, sessionCookieOf, sessionUser, updatePaymentMethod, userHashOf } from './billing.mjs'
// @ts-expect-error the demo backend is plain ESM
import { createFakeStripe } from './fake-stripe.mjs'
import { inSample } from '../packages/sdk/src/sample'
import { monthsSubscribed } from '../packages/sdk/src/experiences/billing/stages'

type Request = { method: string; path: string; body: string; idempotencyKey?: string }

const SECRET = 'test-secret'
const flows = {
  cancelFlow: {
    id: 'save-offer',
    holdout: 0.05,
    reasons: [
      { id: 'too-expensive', label: 'Too expensive', offer: 'discount-30' },
      { id: 'not-using', label: 'Not using it', offer: 'pause-2' },
      { id: 'switching', label: 'Switching', offer: 'downgrade' },
      { id: 'other', label: 'Something else' },
    ],
    offers: [
      { id: 'discount-30', kind: 'discount', title: '30% off your next 3 months', percent: 30, months: 3 },
      { id: 'pause-2', kind: 'pause', title: 'Pause for up to 2 months', months: 2 },
      { id: 'downgrade', kind: 'downgrade', title: 'Starter', plan: 'starter' },
      { id: 'talk-to-us', kind: 'contact', title: 'Talk to us', url: 'https://example.com' },
      { id: 'refund', kind: 'discount', title: 'A month back', percent: 100, months: 1 },
    ],
  },
}
const NOW = Date.UTC(2026, 11, 1, 9, 30)
const DAY = 86_400_000

function setup() {
  const stripe = createFakeStripe({ now: () => NOW })
  const sub = stripe.seedSubscription({ customer: 'cus_dana', price: 'price_pro_monthly' })
  stripe.requests.length = 0
  const ledger = new Map()
  const account = { subscriptionId: sub.id, prices: { starter: 'price_starter' } }
  const apply = (body: Record<string, unknown>, session: string | null = 'u_42', now = NOW) =>
    applyOffer({ stripe, flows, ledger, secret: SECRET, now, session, account, body: { userHash: userHashOf(SECRET, session ?? 'u_42'), ...body } })
  const writes = (): Request[] => stripe.requests.filter((r: Request) => r.method === 'POST')
  return { stripe, sub, ledger, account, apply, writes }
}

describe('applying an accepted offer through Stripe (the demo backend)', () => {
  it('pauses collection until the resume day the user chose, as Stripe’s API expects it', async () => {
    const t = setup()
    expect(await t.apply({ offerId: 'pause-2', months: 1 })).toEqual({ kind: 'pause', months: 1, resumesAt: '2027-01-01' })
    expect(t.writes()).toEqual([
      {
        method: 'POST',
        path: `/v1/subscriptions/${t.sub.id}`,
        body: `pause_collection%5Bbehavior%5D=void&pause_collection%5Bresumes_at%5D=${Date.UTC(2027, 0, 1) / 1000}`,
        idempotencyKey: 'u_42:pause-2:subscription',
      },
    ])
    expect(t.stripe.peek(t.sub.id).pause_collection).toEqual({ behavior: 'void', resumes_at: Date.UTC(2027, 0, 1) / 1000 })
  })

  it('puts a discount on the subscription as a repeating coupon from our own config', async () => {
    const t = setup()
    // A percent in the request is ignored: the offer's comes from our flows.
    await t.apply({ offerId: 'discount-30', percent: 100 })
    expect(t.writes().map((r) => [r.path, decodeURIComponent(r.body), r.idempotencyKey])).toEqual([
      ['/v1/coupons', 'percent_off=30&duration=repeating&duration_in_months=3&name=30% off your next 3 months', 'u_42:discount-30:coupon'],
      [`/v1/subscriptions/${t.sub.id}`, 'discounts[0][coupon]=coupon_000003', 'u_42:discount-30:subscription'],
    ])
    expect(t.stripe.peek(t.sub.id).discounts[0].coupon).toMatchObject({ percent_off: 30, duration_in_months: 3 })
  })

  it('changes the plan at the end of the period with a subscription schedule, not now', async () => {
    const t = setup()
    const result = await t.apply({ offerId: 'downgrade' })
    expect(result).toEqual({ kind: 'downgrade', plan: 'starter', from: '2026-12-31' })
    const [create, update] = t.writes()
    expect([create.path, create.body]).toEqual(['/v1/subscription_schedules', `from_subscription=${t.sub.id}`])
    expect(decodeURIComponent(update.body)).toBe(
      `end_behavior=release&phases[0][items][0][price]=price_pro_monthly&phases[0][items][0][quantity]=1&phases[0][start_date]=${NOW / 1000 - 0}&phases[0][end_date]=${NOW / 1000 + 30 * 86400}&phases[1][items][0][price]=price_starter&phases[1][items][0][quantity]=1`,
    )
    expect(t.stripe.peek(t.sub.id).items.data[0].price.id).toBe('price_pro_monthly')
  })

  it('is applied once however often it is retried', async () => {
    const t = setup()
    const first = await t.apply({ offerId: 'discount-30' })
    expect(await t.apply({ offerId: 'discount-30' })).toEqual(first)
    expect(t.writes()).toHaveLength(2)
    // Crashed after Stripe, before our ledger: Stripe's Idempotency-Key answers with the first
    // coupon, so the customer still has exactly one.
    t.ledger.clear()
    await t.apply({ offerId: 'discount-30' })
    expect(t.stripe.peek(t.sub.id).discounts.map((d: { coupon: { id: string } }) => d.coupon.id)).toEqual(['coupon_000003'])
  })

  it('refuses what did not come from a verified user and our own offers, and calls Stripe for none of it', async () => {
    const t = setup()
    await expect(t.apply({ offerId: 'pause-2' }, null)).rejects.toMatchObject({ status: 401 })
    await expect(t.apply({ offerId: 'pause-2', userHash: userHashOf(SECRET, 'u_7') }, 'u_42')).rejects.toMatchObject({ status: 403 })
    await expect(t.apply({ offerId: 'pause-2', userHash: 'x'.repeat(64) })).rejects.toMatchObject({ status: 403 })
    await expect(t.apply({ offerId: 'talk-to-us' })).rejects.toMatchObject({ status: 400 })
    await expect(t.apply({ offerId: 'free-forever' })).rejects.toMatchObject({ status: 400 })
    await expect(t.apply({ offerId: 'pause-2', months: 3 })).rejects.toMatchObject({ status: 400, message: 'a pause of 3 months is not on offer' })
    expect(t.writes()).toEqual([])
  })
})

describe('a customer asking for offers from devtools (the demo backend decides what they may have)', () => {
  it('takes one save offer per subscription: a discount, then a pause, then a downgrade do not stack', async () => {
    const t = setup()
    expect(await t.apply({ offerId: 'discount-30', reasonId: 'too-expensive' })).toMatchObject({ kind: 'discount' })
    const stripeCalls = t.writes().length
    await expect(t.apply({ offerId: 'pause-2', months: 2, reasonId: 'not-using' })).rejects.toMatchObject({ status: 409, message: 'an offer (discount-30) was already applied this billing period' })
    await expect(t.apply({ offerId: 'downgrade', reasonId: 'switching' })).rejects.toMatchObject({ status: 409 })
    expect(t.writes()).toHaveLength(stripeCalls)
    // The one taken, asked again (a retry): the same answer, nothing new at Stripe.
    expect(await t.apply({ offerId: 'discount-30' })).toMatchObject({ kind: 'discount', percent: 30 })
    expect(t.writes()).toHaveLength(stripeCalls)
  })

  it('a customer who paused on their own from the billing page is still given the discount when they later cancel', async () => {
    const t = setup()
    // February: "Pause subscription" on the billing page (no cancel flow ran, no reason given).
    expect(await t.apply({ offerId: 'pause-2', months: 1 }, 'u_42', NOW - 300 * DAY)).toMatchObject({ kind: 'pause' })
    // December, and the same day: the cancel flow's discount is theirs.
    expect(await t.apply({ offerId: 'discount-30', reasonId: 'too-expensive' })).toMatchObject({ kind: 'discount', percent: 30 })
    // And a discount does not take the billing page's own pause away either.
    const u = setup()
    expect(await u.apply({ offerId: 'discount-30', reasonId: 'too-expensive' })).toMatchObject({ kind: 'discount' })
    expect(await u.apply({ offerId: 'pause-2', months: 1 })).toMatchObject({ kind: 'pause', months: 1 })
  })

  it('a save offer holds the billing period it was taken in: the next period’s cancellation may be saved again', async () => {
    const t = setup()
    expect(await t.apply({ offerId: 'discount-30', reasonId: 'too-expensive' })).toMatchObject({ kind: 'discount' })
    await expect(t.apply({ offerId: 'downgrade', reasonId: 'switching' }, 'u_42', NOW + 29 * DAY)).rejects.toMatchObject({ status: 409 })
    expect(await t.apply({ offerId: 'downgrade', reasonId: 'switching' }, 'u_42', t.sub.current_period_end * 1000 + DAY)).toMatchObject({ kind: 'downgrade' })
  })

  it('the same offer is taken again only once its offerAgainAfterDays have passed', async () => {
    const t = setup()
    const discount = flows.cancelFlow.offers[0] as Record<string, unknown>
    discount.offerAgainAfterDays = 90
    try {
      expect(await t.apply({ offerId: 'discount-30', reasonId: 'too-expensive' })).toMatchObject({ kind: 'discount' })
      const first = t.writes().length
      expect(await t.apply({ offerId: 'discount-30', reasonId: 'too-expensive' }, 'u_42', NOW + 60 * DAY)).toMatchObject({ kind: 'discount' })
      expect(t.writes()).toHaveLength(first)
      expect(await t.apply({ offerId: 'discount-30', reasonId: 'too-expensive' }, 'u_42', NOW + 91 * DAY)).toMatchObject({ kind: 'discount' })
      expect(t.writes().length).toBeGreaterThan(first)
    } finally {
      delete discount.offerAgainAfterDays
    }
  })

  it('offers sent at the same moment do not stack: one is applied, the others refused, and a failed one gives its place back', async () => {
    const t = setup()
    const all = await Promise.allSettled([
      t.apply({ offerId: 'discount-30', reasonId: 'too-expensive' }),
      t.apply({ offerId: 'downgrade', reasonId: 'switching' }),
      t.apply({ offerId: 'pause-2', reasonId: 'not-using', months: 2 }),
    ])
    expect(all.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected'])
    expect(all.slice(1).map((r) => (r as PromiseRejectedResult).reason.status)).toEqual([409, 409])
    expect(t.writes().filter((w) => w.path.startsWith('/v1/subscription_schedules') || /pause_collection/.test(w.body))).toEqual([])
    // A pause Stripe could not be asked for (a length not on offer) leaves the period's offer free.
    const u = setup()
    await expect(u.apply({ offerId: 'pause-2', reasonId: 'not-using', months: 9 })).rejects.toMatchObject({ status: 400 })
    expect(await u.apply({ offerId: 'discount-30', reasonId: 'too-expensive' })).toMatchObject({ kind: 'discount' })
  })

  it('gives an offer only for the reason it belongs to, and none that no reason leads to', async () => {
    const t = setup()
    await expect(t.apply({ offerId: 'discount-30', reasonId: 'switching' })).rejects.toMatchObject({ status: 409, message: 'discount-30 is not the offer for the reason switching' })
    await expect(t.apply({ offerId: 'discount-30', reasonId: 'other' })).rejects.toMatchObject({ status: 409 })
    await expect(t.apply({ offerId: 'refund' })).rejects.toMatchObject({ status: 409, message: 'refund is not offered for any reason' })
    expect(t.writes()).toEqual([])
  })

  it('a user in the holdout is refused every save offer (as the cancel flow showed them none), but may pause on their own', async () => {
    // u_3 is in the 5% holdout of save-offer, by the SDK's own sticky draw.
    expect(inSample('u:u_3', 'save-offer:holdout', 0.05)).toBe(true)
    const t = setup()
    await expect(t.apply({ offerId: 'discount-30', reasonId: 'too-expensive' }, 'u_3')).rejects.toMatchObject({ status: 403, message: 'no save offer for this user (holdout)' })
    await expect(t.apply({ offerId: 'pause-2', reasonId: 'not-using' }, 'u_3')).rejects.toMatchObject({ status: 403 })
    expect(t.writes()).toEqual([])
    expect(await t.apply({ offerId: 'pause-2', months: 1 }, 'u_3')).toMatchObject({ kind: 'pause', months: 1 })
  })

  it('draws the holdout exactly as the SDK does, for any user id', () => {
    const ids = ['u_3', 'u_42', 'u_7', 'dana@example.com', 'ünï', ...Array.from({ length: 500 }, (_, i) => `user-${i}`)]
    for (const id of ids) for (const [exp, share] of [['save-offer', 0.05], ['go-annual', 0.1], ['x', 0.5]] as const) expect(inHoldout(id, exp, share), `${id} ${exp}`).toBe(inSample(`u:${id}`, `${exp}:holdout`, share))
  })
})

describe('the billing prompts through Stripe (the demo backend)', () => {
  const billingFlows = { billing: { annualOffer: { id: 'go-annual', title: 'Save 20% with yearly billing', percent: 20, afterMonths: 1, holdout: 0.1 } } }
  function pastDue() {
    const stripe = createFakeStripe({ now: () => NOW })
    const sub = stripe.seedSubscription({ customer: 'cus_sam', price: 'price_team_monthly', status: 'past_due' })
    stripe.requests.length = 0
    const account = { subscriptionId: sub.id, prices: {}, yearly: 'price_team_yearly', since: '2026-10-20' }
    const ledger = new Map()
    const args = (body: Record<string, unknown>, session: string | null = 'u_7', since = account.since) => ({ stripe, flows: billingFlows, ledger, secret: SECRET, now: NOW, session, account: { ...account, since }, body: { userHash: userHashOf(SECRET, session ?? 'u_7'), ...body } })
    const writes = (): Request[] => stripe.requests.filter((r: Request) => r.method === 'POST')
    return { stripe, sub, args, writes }
  }

  it('"Update card" opens a payment-method portal session and retries the failed invoice once: the subscription is active again', async () => {
    const t = pastDue()
    const result = await updatePaymentMethod({ ...t.args({}), returnUrl: 'http://127.0.0.1/#/billing' })
    expect(result).toMatchObject({ paid: 1, status: 'active' })
    expect(t.writes().map((r) => [r.path.replace(/in_\w+/, 'in_X'), decodeURIComponent(r.body), r.idempotencyKey?.replace(/in_\w+/, 'in_X')])).toEqual([
      ['/v1/billing_portal/sessions', 'customer=cus_sam&return_url=http://127.0.0.1/#/billing&flow_data[type]=payment_method_update', undefined],
      ['/v1/invoices/in_X/pay', '', 'u_7:in_X:pay'],
    ])
    expect(t.stripe.peek(t.sub.id).status).toBe('active')
    // Clicked again: nothing left to pay, nothing charged twice.
    expect(await updatePaymentMethod({ ...t.args({}), returnUrl: 'http://127.0.0.1/#/billing' })).toMatchObject({ paid: 0, status: 'active' })
    expect(t.writes().filter((r) => r.path.endsWith('/pay'))).toHaveLength(1)
  })

  it('"Switch to yearly" schedules the yearly price from the period end with the offer\'s percent off from our flows, once', async () => {
    const t = pastDue()
    const result = await applyPlanChange(t.args({ offerId: 'go-annual', percent: 90 }))
    expect(result).toEqual({ kind: 'annual', percent: 20, from: '2026-12-31' })
    const [coupon, , phases] = t.writes()
    expect(decodeURIComponent(coupon.body)).toBe('percent_off=20&duration=once&name=Save 20% with yearly billing')
    expect(decodeURIComponent(phases.body)).toContain('phases[1][items][0][price]=price_team_yearly&phases[1][items][0][quantity]=1&phases[1][discounts][0][coupon]=')
    // Still monthly until the period ends.
    expect(t.stripe.peek(t.sub.id).items.data[0].price.id).toBe('price_team_monthly')
    expect(await applyPlanChange(t.args({ offerId: 'go-annual' }))).toEqual(result)
    expect(t.writes()).toHaveLength(3)
  })

  it('refuses an unverified user or an offer that is not ours, and calls Stripe for none of it', async () => {
    const t = pastDue()
    await expect(updatePaymentMethod({ ...t.args({}, null), returnUrl: '/' })).rejects.toMatchObject({ status: 401 })
    await expect(updatePaymentMethod({ ...t.args({ userHash: userHashOf(SECRET, 'u_42') }), returnUrl: '/' })).rejects.toMatchObject({ status: 403 })
    await expect(applyPlanChange(t.args({ offerId: 'free-year' }))).rejects.toMatchObject({ status: 400 })
    await expect(applyPlanChange(t.args({ offerId: 'go-annual', userHash: 'x'.repeat(64) }))).rejects.toMatchObject({ status: 403 })
    expect(t.writes()).toEqual([])
  })

  it('"Switch to yearly" asked from devtools before a month on the plan, or by a user in its holdout, is refused', async () => {
    const t = pastDue()
    // Subscribed today, or on 3 November (a month is 3 December, past the day's grace any calendar
    // ahead of UTC's gets): no page shows the yearly offer yet.
    await expect(applyPlanChange(t.args({ offerId: 'go-annual' }, 'u_7', '2026-12-01'))).rejects.toMatchObject({ status: 409, message: 'the yearly offer comes after 1 month on the plan' })
    await expect(applyPlanChange(t.args({ offerId: 'go-annual' }, 'u_7', '2026-11-03'))).rejects.toMatchObject({ status: 409 })
    expect(inSample('u:u_4', 'go-annual:holdout', 0.1)).toBe(true)
    await expect(applyPlanChange(t.args({ offerId: 'go-annual' }, 'u_4'))).rejects.toMatchObject({ status: 403, message: 'no yearly offer for this user (holdout)' })
    expect(t.writes()).toEqual([])
    expect(await applyPlanChange(t.args({ offerId: 'go-annual' }, 'u_7', '2026-11-01'))).toMatchObject({ kind: 'annual' })
  })
})

describe('"Switch to yearly" for a customer the page showed it to (months counted as the SDK counts them)', () => {
  const billingFlows = { billing: { annualOffer: { id: 'go-annual', title: 'Save 20% with yearly billing', percent: 20, afterMonths: 1 } } }
  const switchAt = (since: unknown, now: number) => {
    const stripe = createFakeStripe({ now: () => now })
    const sub = stripe.seedSubscription({ customer: 'cus_sam', price: 'price_team_monthly' })
    const account = { subscriptionId: sub.id, prices: {}, yearly: 'price_team_yearly', since }
    return applyPlanChange({ stripe, flows: billingFlows, ledger: new Map(), secret: SECRET, now, session: 'u_7', account, body: { userHash: userHashOf(SECRET, 'u_7'), offerId: 'go-annual' } })
  }

  it('subscribed on 31 January, on 28 February: a month on the plan, as the offer said', async () => {
    expect(await switchAt('2026-01-31', Date.UTC(2026, 1, 28, 0, 30))).toMatchObject({ kind: 'annual' })
  })

  it('subscribed on 7 November in Tokyo, at 08:30 there on 7 December (still the 6th in UTC)', async () => {
    expect(await switchAt('2026-11-07', Date.parse('2026-12-07T08:30+09:00'))).toMatchObject({ kind: 'annual' })
  })

  it('takes subscribedAt as a date-time or as Unix seconds, as the SDK does', async () => {
    expect(await switchAt('2026-10-20T15:00:00Z', NOW)).toMatchObject({ kind: 'annual' })
    expect(await switchAt(Date.UTC(2026, 9, 20) / 1000, NOW)).toMatchObject({ kind: 'annual' })
    // Still refused a week too early.
    await expect(switchAt('2026-11-08T15:00:00Z', NOW)).rejects.toMatchObject({ status: 409 })
  })

  it('counts months exactly as the SDK does on a UTC calendar, and never refuses one the SDK counted on any calendar', () => {
    const zone = process.env.TZ
    const starts = Array.from({ length: 60 }, (_, i) => Date.UTC(2025, 0, 1) + i * 12.3 * DAY + (i % 24) * 3600_000)
    const forms = (t: number) => [new Date(t).toISOString().slice(0, 10), new Date(t).toISOString(), Math.floor(t / 1000)]
    try {
      for (const tz of ['UTC', 'Pacific/Kiritimati', 'Pacific/Auckland', 'Asia/Tokyo', 'America/New_York', 'Pacific/Pago_Pago']) {
        process.env.TZ = tz
        for (const t of starts)
          for (const since of forms(t))
            for (let now = t - 2 * DAY; now < t + 430 * DAY; now += 7.9 * DAY) {
              const sdk = monthsSubscribed({ subscribedAt: since }, now)
              if (tz === 'UTC') expect(monthsSince(since, now), `${since} at ${new Date(now).toISOString()}`).toBe(sdk)
              else expect(monthsSince(since, now + MONTH_GRACE), `${tz} ${since} at ${new Date(now).toISOString()}`).toBeGreaterThanOrEqual(sdk)
            }
      }
      // Auckland, 31 August 01:00 there: a month ends on 30 September, in summer time, 25 h before UTC's.
      process.env.TZ = 'Pacific/Auckland'
      const since = '2026-08-30T13:00:00Z', now = Date.parse('2026-09-29T12:00:00Z')
      expect(monthsSubscribed({ subscribedAt: since }, now)).toBe(1)
      expect(monthsSince(since, now + MONTH_GRACE)).toBe(1)
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  }, 30_000)
})

describe('the fake Stripe', () => {
  it('refuses a reused Idempotency-Key with other parameters, as Stripe does', async () => {
    const t = setup()
    await t.stripe.subscriptions.update(t.sub.id, { pause_collection: { behavior: 'void' } }, { idempotencyKey: 'k' })
    await expect(t.stripe.subscriptions.update(t.sub.id, { pause_collection: { behavior: 'keep_as_draft' } }, { idempotencyKey: 'k' })).rejects.toMatchObject({ type: 'idempotency_error', statusCode: 400 })
  })
})

describe('the demo session', () => {
  it('knows the user from a signed cookie, and nobody from a tampered one', () => {
    const cookie = sessionCookieOf(SECRET, 'u_42').split(';')[0]
    expect(sessionUser(SECRET, `theme=dark; ${cookie}`)).toBe('u_42')
    expect(sessionUser(SECRET, cookie.replace('u_42', 'u_7'))).toBeNull()
    expect(sessionUser(SECRET, undefined)).toBeNull()
  })
})
