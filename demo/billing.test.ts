import { describe, expect, it } from 'vitest'
// @ts-expect-error the demo backend is plain ESM (what `npm start` runs)
import { applyOffer, applyPlanChange, sessionCookieOf, sessionUser, updatePaymentMethod, userHashOf } from './billing.mjs'
// @ts-expect-error the demo backend is plain ESM
import { createFakeStripe } from './fake-stripe.mjs'

type Request = { method: string; path: string; body: string; idempotencyKey?: string }

const SECRET = 'test-secret'
const flows = {
  cancelFlow: {
    offers: [
      { id: 'discount-30', kind: 'discount', title: '30% off your next 3 months', percent: 30, months: 3 },
      { id: 'pause-2', kind: 'pause', title: 'Pause for up to 2 months', months: 2 },
      { id: 'downgrade', kind: 'downgrade', title: 'Starter', plan: 'starter' },
      { id: 'talk-to-us', kind: 'contact', title: 'Talk to us', url: 'https://example.com' },
    ],
  },
}
const NOW = Date.UTC(2026, 11, 1, 9, 30)

function setup() {
  const stripe = createFakeStripe({ now: () => NOW })
  const sub = stripe.seedSubscription({ customer: 'cus_dana', price: 'price_pro_monthly' })
  stripe.requests.length = 0
  const ledger = new Map()
  const account = { subscriptionId: sub.id, prices: { starter: 'price_starter' } }
  const apply = (body: Record<string, unknown>, session: string | null = 'u_42') =>
    applyOffer({ stripe, flows, ledger, secret: SECRET, now: NOW, session, account, body: { userHash: userHashOf(SECRET, 'u_42'), ...body } })
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
    await expect(t.apply({ offerId: 'pause-2', userHash: userHashOf(SECRET, 'u_7') })).rejects.toMatchObject({ status: 403 })
    await expect(t.apply({ offerId: 'pause-2', userHash: 'x'.repeat(64) })).rejects.toMatchObject({ status: 403 })
    await expect(t.apply({ offerId: 'talk-to-us' })).rejects.toMatchObject({ status: 400 })
    await expect(t.apply({ offerId: 'free-forever' })).rejects.toMatchObject({ status: 400 })
    await expect(t.apply({ offerId: 'pause-2', months: 3 })).rejects.toMatchObject({ status: 400, message: 'a pause of 3 months is not on offer' })
    expect(t.writes()).toEqual([])
  })
})

describe('the billing prompts through Stripe (the demo backend)', () => {
  const billingFlows = { billing: { annualOffer: { id: 'go-annual', title: 'Save 20% with yearly billing', percent: 20, afterMonths: 1 } } }
  function pastDue() {
    const stripe = createFakeStripe({ now: () => NOW })
    const sub = stripe.seedSubscription({ customer: 'cus_sam', price: 'price_team_monthly', status: 'past_due' })
    stripe.requests.length = 0
    const account = { subscriptionId: sub.id, prices: {}, yearly: 'price_team_yearly' }
    const ledger = new Map()
    const args = (body: Record<string, unknown>, session: string | null = 'u_7') => ({ stripe, flows: billingFlows, ledger, secret: SECRET, session, account, body: { userHash: userHashOf(SECRET, 'u_7'), ...body } })
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
