// A stand-in for Stripe's API, in process and without network, for the demo's backend and its
// tests. It takes the calls a `stripe` (stripe-node) client makes — same resources, same params,
// same `{ idempotencyKey }` option — records each request as it would go over the wire
// (method, path, form-encoded body, Idempotency-Key header), and keeps the few objects the demo
// needs. Swap it for `new Stripe(process.env.STRIPE_SECRET_KEY)` and the calling code stays as is.

/** Stripe's wire format: nested params as `a[b][0][c]=v`, form-encoded. */
export function formEncode(params, prefix = '') {
  const parts = []
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined) continue
    const name = prefix ? `${prefix}[${key}]` : key
    if (value !== null && typeof value === 'object') parts.push(formEncode(value, name))
    else parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
  }
  return parts.filter(Boolean).join('&')
}

class StripeError extends Error {
  constructor(type, message, statusCode) {
    super(message)
    Object.assign(this, { type, statusCode })
  }
}

export function createFakeStripe({ now = () => Date.now() } = {}) {
  const requests = []
  const byKey = new Map() // Idempotency-Key → { signature, result }
  const subscriptions = new Map()
  const coupons = new Map()
  const schedules = new Map()
  const invoices = new Map()
  let seq = 0
  const id = (prefix) => `${prefix}_${(++seq).toString(36).padStart(6, '0')}`
  const seconds = () => Math.floor(now() / 1000)

  // Every call goes through here: logged as Stripe would receive it, and replayed for a key seen
  // before. Stripe answers a reused key with the first result, and refuses it (400) when the
  // parameters differ: so do we.
  function request(method, path, params, options = {}, apply) {
    const body = formEncode(params)
    const key = options.idempotencyKey
    requests.push({ method, path, body, idempotencyKey: key })
    if (key) {
      const seen = byKey.get(key)
      const signature = `${method} ${path} ${body}`
      if (seen && seen.signature !== signature) throw new StripeError('idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with (${key})`, 400)
      if (seen) return structuredClone(seen.result)
      const result = apply()
      byKey.set(key, { signature, result: structuredClone(result) })
      return structuredClone(result)
    }
    return structuredClone(apply())
  }
  const subscription = (subId) => {
    const sub = subscriptions.get(subId)
    if (!sub) throw new StripeError('invalid_request_error', `No such subscription: '${subId}'`, 404)
    return sub
  }

  return {
    requests,
    /**
     * Test and demo set-up: a customer's active subscription to `price`, its period starting now,
     * or ending at `periodEnd` (Unix seconds: the renewal date the customer's records already have).
     */
    seedSubscription({ customer, price, periodDays = 30, periodEnd = undefined, status = 'active' }) {
      const end = periodEnd ?? seconds() + periodDays * 86_400
      const sub = { id: id('sub'), object: 'subscription', customer, status, items: { data: [{ id: id('si'), price: { id: price } }] }, discounts: [], pause_collection: null, schedule: null, current_period_start: end - periodDays * 86_400, current_period_end: end, cancel_at_period_end: false }
      subscriptions.set(sub.id, sub)
      // A past-due subscription has the invoice whose charge failed, open.
      if (status === 'past_due') {
        const invoice = { id: id('in'), object: 'invoice', customer, subscription: sub.id, status: 'open', attempt_count: 1 }
        invoices.set(invoice.id, invoice)
      }
      return structuredClone(sub)
    },
    billingPortal: {
      sessions: {
        async create(params, options) {
          return request('POST', '/v1/billing_portal/sessions', params, options, () => ({ id: id('bps'), object: 'billing_portal.session', customer: params.customer, url: `https://billing.stripe.com/p/session/${id('test')}`, return_url: params.return_url }))
        },
      },
    },
    invoices: {
      async list(params) {
        return request('GET', '/v1/invoices', params, {}, () => ({ object: 'list', data: [...invoices.values()].filter((i) => (!params.subscription || i.subscription === params.subscription) && (!params.status || i.status === params.status)) }))
      },
      async pay(invoiceId, params, options) {
        return request('POST', `/v1/invoices/${invoiceId}/pay`, params, options, () => {
          const invoice = invoices.get(invoiceId)
          if (!invoice) throw new StripeError('invalid_request_error', `No such invoice: '${invoiceId}'`, 404)
          if (invoice.status === 'paid') throw new StripeError('invalid_request_error', 'Invoice is already paid', 400)
          invoice.status = 'paid'
          invoice.attempt_count += 1
          // The last open invoice paid: the subscription is active again (Stripe does the same).
          const sub = subscriptions.get(invoice.subscription)
          if (sub && ![...invoices.values()].some((i) => i.subscription === sub.id && i.status === 'open')) sub.status = 'active'
          return invoice
        })
      },
    },
    coupons: {
      async create(params, options) {
        return request('POST', '/v1/coupons', params, options, () => {
          const coupon = { id: id('coupon'), object: 'coupon', ...params }
          coupons.set(coupon.id, coupon)
          return coupon
        })
      },
    },
    subscriptions: {
      async retrieve(subId) {
        return request('GET', `/v1/subscriptions/${subId}`, undefined, {}, () => subscription(subId))
      },
      async update(subId, params, options) {
        return request('POST', `/v1/subscriptions/${subId}`, params, options, () => {
          const sub = subscription(subId)
          if (params.discounts) {
            for (const d of params.discounts) if (!coupons.has(d.coupon)) throw new StripeError('invalid_request_error', `No such coupon: '${d.coupon}'`, 400)
            sub.discounts = params.discounts.map((d) => ({ object: 'discount', coupon: coupons.get(d.coupon) }))
          }
          // `pause_collection: ''` is how Stripe's form API clears it (resume now).
          if ('pause_collection' in params) sub.pause_collection = params.pause_collection || null
          if ('cancel_at_period_end' in params) sub.cancel_at_period_end = params.cancel_at_period_end
          return sub
        })
      },
    },
    subscriptionSchedules: {
      async create(params, options) {
        return request('POST', '/v1/subscription_schedules', params, options, () => {
          const sub = subscription(params.from_subscription)
          const schedule = {
            id: id('sub_sched'),
            object: 'subscription_schedule',
            subscription: sub.id,
            end_behavior: 'release',
            phases: [{ start_date: sub.current_period_start, end_date: sub.current_period_end, items: [{ price: sub.items.data[0].price.id, quantity: 1 }] }],
          }
          schedules.set(schedule.id, schedule)
          sub.schedule = schedule.id
          return schedule
        })
      },
      async update(schedId, params, options) {
        return request('POST', `/v1/subscription_schedules/${schedId}`, params, options, () => {
          const schedule = schedules.get(schedId)
          if (!schedule) throw new StripeError('invalid_request_error', `No such subscription schedule: '${schedId}'`, 404)
          return Object.assign(schedule, params)
        })
      },
    },
    /** What the subscription looks like to Stripe now (the demo's plan note reads it). */
    peek: (subId) => structuredClone(subscription(subId)),
    peekSchedule: (schedId) => structuredClone(schedules.get(schedId)),
  }
}
