// The vendor's side of an accepted offer, as the README's Stripe example has it: verify who is
// asking, look the offer up in our own copy of the flows, apply it with Stripe's API, once.
import { createHmac, timingSafeEqual } from 'node:crypto'

const hmac = (secret, message) => createHmac('sha256', secret).update(message).digest('hex')

/** Constant-time: how long the compare takes says nothing about how much of the hash was right. */
export function sameHmac(claimed, expected) {
  const a = Buffer.from(String(claimed ?? ''))
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Linger's `userHash`: hex HMAC-SHA256 of the user id with the identity secret. */
export const userHashOf = (secret, userId) => hmac(secret, userId)

/** The demo's sign-in: an HttpOnly cookie `<userId>.<signature>`, checked on every request. */
export const sessionCookieOf = (secret, userId) => `acme_session=${encodeURIComponent(`${userId}.${hmac(secret, `session:${userId}`)}`)}; HttpOnly; SameSite=Strict; Path=/`

export function sessionUser(secret, cookieHeader) {
  const raw = /(?:^|;\s*)acme_session=([^;]+)/.exec(cookieHeader ?? '')?.[1]
  if (!raw) return null
  const value = decodeURIComponent(raw)
  const dot = value.lastIndexOf('.')
  const userId = value.slice(0, dot)
  return dot > 0 && sameHmac(value.slice(dot + 1), hmac(secret, `session:${userId}`)) ? userId : null
}

/** Same rule as the SDK's: the same day of the month, or the last day of a shorter month (UTC). */
export function resumeDay(now, months) {
  const d = new Date(now)
  const month = d.getUTCMonth() + months
  d.setUTCMonth(month)
  if (d.getUTCMonth() !== month % 12) d.setUTCDate(0)
  return d.toISOString().slice(0, 10)
}

/**
 * A change at renewal, not now: a subscription schedule from `sub` whose second phase is `next`.
 * Returns the day it takes effect (the current period's end).
 */
async function fromNextPeriod(stripe, sub, key, next) {
  const schedule = await stripe.subscriptionSchedules.create({ from_subscription: sub.id }, { idempotencyKey: `${key}:schedule` })
  const current = schedule.phases[0]
  await stripe.subscriptionSchedules.update(
    schedule.id,
    { end_behavior: 'release', phases: [{ items: current.items, start_date: current.start_date, end_date: current.end_date }, next] },
    { idempotencyKey: `${key}:phases` },
  )
  return new Date(current.end_date * 1000).toISOString().slice(0, 10)
}

export class OfferError extends Error {
  constructor(status, message) {
    super(message)
    this.status = status
  }
}

/**
 * The SDK's sticky draw (packages/sdk/src/sample.ts `sampleBucket`, FNV-1a then murmur3's
 * finaliser) for a signed-in user: `u:<userId>` under `<experienceId>:holdout`. The same on every
 * device, so our server draws it again instead of believing the browser's `variant`.
 */
export function inHoldout(userId, experienceId, share) {
  const s = `u:${userId}\n${experienceId}:holdout`
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296 < (share ?? 0)
}

const DAY = 86_400_000
// The dates a `subscribedAt` trait comes in, as the SDK reads them (audience.ts `asDate`): ISO, a
// date-time with no offset being UTC, or a number (Unix seconds below 1e11, as Stripe sends them).
const ISO_DATE = /^\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/
const dateOf = (v) => {
  const m = typeof v === 'string' ? ISO_DATE.exec(v) : null
  return typeof v == 'number' ? (Math.abs(v) < 1e11 ? v * 1000 : v) : m ? Date.parse(m[1] && !m[2] ? m[0].replace(' ', 'T') + 'Z' : m[0]) : Number.NaN
}

/**
 * Whole calendar months from `subscribedAt` to `now`, counted as the SDK counts them
 * (packages/sdk/src/experiences/billing/stages.ts `monthsSubscribed`), on UTC's calendar: a month
 * from the 31st ends on a shorter month's last day (31 January: 28 February). NaN without a date.
 */
export function monthsSince(subscribedAt, now) {
  const from = new Date(typeof subscribedAt == 'string' && subscribedAt.length == 10 ? subscribedAt + 'T00:00Z' : dateOf(subscribedAt))
  const to = new Date(now)
  const y = to.getUTCFullYear()
  const m = to.getUTCMonth()
  const mark = new Date(from)
  mark.setUTCFullYear(y, m, Math.min(from.getUTCDate(), new Date(Date.UTC(y, m + 1, 0)).getUTCDate()))
  return (y - from.getUTCFullYear()) * 12 + m - from.getUTCMonth() - +(to < mark)
}

/**
 * The SDK counts on the user's calendar, which we do not know: up to 14 h ahead of UTC's, and a
 * month clamped to its last day on their calendar can end a day (plus a summer-time hour) before
 * it does on UTC's. Counted at `now` plus this, a user the page showed the offer to is never refused.
 */
export const MONTH_GRACE = 26 * 3600_000

/**
 * Applies offer `offerId` for the signed-in `userId`. Everything that matters comes from our side:
 * the user from the session (the `userHash` only confirms it), the offer's percent, months and plan
 * from our flows; from the request only the offer id, the reason the user chose (if sent) and, for
 * a pause, the months the user chose (checked against the offer). Whether this user may have it at
 * all is ours to decide too, as the cancel flow would have (a request can be typed in devtools):
 * an offer some reason leads to (or a pause, which the billing page offers on its own), the
 * reason's own offer if one is named, none but a pause for a user in the holdout (drawn again here),
 * and one save offer per billing period: a discount, then a downgrade do not stack. A save offer
 * is one taken in the cancel flow (a reason's offer); a pause taken on its own (the billing page's
 * "Pause subscription", or `onPause`, which names no reason) is no save attempt and blocks none.
 * The period's slot is taken before the first await (requests sent at once do not both pass the
 * check) and given back if applying fails. Idempotent by offer id: a ledger of applied offers
 * (taken again only after the offer's `offerAgainAfterDays`), and Stripe's Idempotency-Key
 * `<userId>:<offerId>:<step>` for a retry that races or crashes half way.
 */
export async function applyOffer({ stripe, flows, ledger, secret, now = Date.now(), session, body, account }) {
  const userId = session
  if (!userId) throw new OfferError(401, 'not signed in')
  if (!sameHmac(body?.userHash, userHashOf(secret, userId))) throw new OfferError(403, 'identity could not be verified')
  const flow = flows.cancelFlow
  const offer = flow?.offers?.find((o) => o.id === body?.offerId)
  // Linger never sends a contact offer (it is a link): a request naming one is forged.
  if (!offer || offer.kind === 'contact') throw new OfferError(400, `unknown offer ${String(body?.offerId)}`)
  const done = ledger.get(`${userId}:${offer.id}`)
  // The same offer again is a retry (the same answer), unless its `offerAgainAfterDays` have passed.
  const again = done && now - done.at >= (offer.offerAgainAfterDays ?? Infinity) * DAY
  if (done && !again) return done.result
  const reasons = flow.reasons ?? []
  const reason = body?.reasonId === undefined ? undefined : reasons.find((r) => r.id === body.reasonId)
  if (body?.reasonId !== undefined && reason?.offer !== offer.id) throw new OfferError(409, `${offer.id} is not the offer for the reason ${String(body.reasonId)}`)
  const onItsOwn = offer.kind === 'pause' && !reason
  if (!onItsOwn && !reasons.some((r) => r.offer === offer.id)) throw new OfferError(409, `${offer.id} is not offered for any reason`)
  // The holdout sees no save offer (a pause taken on its own is no save attempt, as in the SDK).
  if (!onItsOwn && inHoldout(userId, flow.id, flow.holdout)) throw new OfferError(403, 'no save offer for this user (holdout)')
  const slot = `${userId}:save:${account.subscriptionId}`
  const held = ledger.get(slot)
  if (!onItsOwn && held && held.offerId !== offer.id && !(now >= held.until)) throw new OfferError(409, `an offer (${held.offerId}) was already applied this billing period`)
  // Reserved now, before any await: a second request sent at once finds it.
  const mine = { offerId: offer.id, until: Infinity }
  if (!onItsOwn) ledger.set(slot, mine)
  try {
    const { result, periodEnd } = await apply(stripe, offer, account, body, now, again ? `${userId}:${offer.id}:${new Date(now).toISOString().slice(0, 10)}` : `${userId}:${offer.id}`)
    ledger.set(`${userId}:${offer.id}`, { result, at: now })
    mine.until = periodEnd
    return result
  } catch (e) {
    if (ledger.get(slot) === mine) held ? ledger.set(slot, held) : ledger.delete(slot)
    throw e
  }
}

async function apply(stripe, offer, account, body, now, key) {
  const sub = await stripe.subscriptions.retrieve(account.subscriptionId)
  // A save offer holds the period it was taken in: the next cancellation may be saved again.
  const periodEnd = sub.current_period_end * 1000
  let result
  if (offer.kind === 'discount') {
    const coupon = await stripe.coupons.create(
      { percent_off: offer.percent, duration: offer.months ? 'repeating' : 'once', duration_in_months: offer.months, name: offer.title },
      { idempotencyKey: `${key}:coupon` },
    )
    await stripe.subscriptions.update(sub.id, { discounts: [{ coupon: coupon.id }] }, { idempotencyKey: `${key}:subscription` })
    result = { kind: 'discount', percent: offer.percent, months: offer.months }
  } else if (offer.kind === 'pause') {
    const months = body?.months ?? Math.min(3, offer.months)
    if (!Number.isInteger(months) || months < 1 || months > Math.min(3, offer.months)) throw new OfferError(400, `a pause of ${String(months)} months is not on offer`)
    // Midnight UTC of the resume day: a retry later the same day sends the very same request.
    const resumesAt = resumeDay(now, months)
    await stripe.subscriptions.update(
      sub.id,
      { pause_collection: { behavior: 'void', resumes_at: Date.parse(resumesAt) / 1000 } },
      { idempotencyKey: `${key}:subscription` },
    )
    result = { kind: 'pause', months, resumesAt }
  } else {
    // A plan change takes effect at renewal: a schedule whose second phase is the new price.
    const price = account.prices[offer.plan]
    if (!price) throw new OfferError(400, `no price for plan ${offer.plan}`)
    result = { kind: 'downgrade', plan: offer.plan, from: await fromNextPeriod(stripe, sub, key, { items: [{ price, quantity: 1 }] }) }
  }
  return { result, periodEnd }
}

/**
 * A failed payment's "Update card" button: the user from the session (the `userHash` only confirms
 * it), then Stripe's billing portal for a payment-method update. In production the browser goes to
 * the returned portal URL and Stripe retries the open invoice itself once the card is saved; the
 * demo has no portal to visit, so it stands in for the customer saving a card and pays the open
 * invoices with the idempotency key of this prompt (a double click is one charge).
 */
export async function updatePaymentMethod({ stripe, secret, session, body, account, returnUrl }) {
  const userId = session
  if (!userId) throw new OfferError(401, 'not signed in')
  if (!sameHmac(body?.userHash, userHashOf(secret, userId))) throw new OfferError(403, 'identity could not be verified')
  const sub = await stripe.subscriptions.retrieve(account.subscriptionId)
  const portal = await stripe.billingPortal.sessions.create({ customer: sub.customer, return_url: returnUrl, flow_data: { type: 'payment_method_update' } })
  const open = await stripe.invoices.list({ subscription: sub.id, status: 'open' })
  for (const invoice of open.data) await stripe.invoices.pay(invoice.id, {}, { idempotencyKey: `${userId}:${invoice.id}:pay` })
  return { portalUrl: portal.url, paid: open.data.length, status: (await stripe.subscriptions.retrieve(sub.id)).status }
}

/**
 * The host's own "Cancel subscription", once the user confirmed it in the cancel flow: the user
 * from the session (the `userHash` only confirms it), never from the request. Stripe ends the
 * subscription at the close of the period, as the dialog promised, not now; returns that day.
 * Cancelling twice asks for the same state: no Idempotency-Key needed.
 */
export async function cancelAtPeriodEnd({ stripe, secret, session, body, account }) {
  if (!session) throw new OfferError(401, 'not signed in')
  if (!sameHmac(body?.userHash, userHashOf(secret, session))) throw new OfferError(403, 'identity could not be verified')
  const sub = await stripe.subscriptions.update(account.subscriptionId, { cancel_at_period_end: true })
  return { until: new Date(sub.current_period_end * 1000).toISOString().slice(0, 10) }
}

/**
 * The annual-plan offer's "Switch to yearly": the offer's percent and the yearly price come from
 * our flows and our price list, never from the request (it names only the offer). The switch
 * happens at the period's end, as a schedule whose second phase is the yearly price with a
 * one-time coupon on its first invoice. Idempotent by `<userId>:<offerId>`. `account.since` is the
 * day the subscription started (our billing records), for the offer's `afterMonths`.
 */
export async function applyPlanChange({ stripe, flows, ledger, secret, now = Date.now(), session, body, account }) {
  const userId = session
  if (!userId) throw new OfferError(401, 'not signed in')
  if (!sameHmac(body?.userHash, userHashOf(secret, userId))) throw new OfferError(403, 'identity could not be verified')
  const offer = flows.billing?.annualOffer
  if (!offer || offer.id !== body?.offerId) throw new OfferError(400, `unknown offer ${String(body?.offerId)}`)
  const key = `${userId}:${offer.id}`
  const done = ledger.get(key)
  if (done) return done
  // Shown only after `afterMonths` on the plan, and never to its holdout: drawn again here, as
  // the SDK draws it, so a request typed in devtools gets no more than the page would show.
  if (inHoldout(userId, offer.id, offer.holdout)) throw new OfferError(403, 'no yearly offer for this user (holdout)')
  if (!(monthsSince(account.since, now + MONTH_GRACE) >= (offer.afterMonths ?? 0))) throw new OfferError(409, `the yearly offer comes after ${offer.afterMonths} month${offer.afterMonths === 1 ? '' : 's'} on the plan`)
  const price = account.yearly
  if (!price) throw new OfferError(409, 'no yearly price for this plan')
  const sub = await stripe.subscriptions.retrieve(account.subscriptionId)
  const coupon = await stripe.coupons.create({ percent_off: offer.percent, duration: 'once', name: offer.title }, { idempotencyKey: `${key}:coupon` })
  const from = await fromNextPeriod(stripe, sub, key, { items: [{ price, quantity: 1 }], discounts: [{ coupon: coupon.id }] })
  const result = { kind: 'annual', percent: offer.percent, from }
  ledger.set(key, result)
  return result
}
