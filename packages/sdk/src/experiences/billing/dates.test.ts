import type { WritableAtom } from 'nanostores'
import { afterEach, describe, expect, it } from 'vitest'
import type { Billing } from '../../config/flows-schema'
import { createFakePlatform } from '../../fake-platform'
import { createTestHost } from '../badges/test-host'
import { createBilling, type BillingController } from '../billing'
import type { UserView } from '../host'
import { $bannerClaims } from '../notice'
import { monthsSubscribed } from './stages'

const DAY = 86_400_000
const billing: Billing = {
  paymentPrompt: { id: 'card-failed', title: 'Your last payment failed', action: 'Update card', wallAfterDays: 5, remindAfterHours: 24 },
  annualOffer: { id: 'go-annual', title: 'Save 20% with yearly billing', action: 'Switch to yearly', percent: 20, afterMonths: 12, holdout: 0 },
}

let stop: BillingController | undefined
afterEach(() => {
  stop?.dispose()
  $bannerClaims.set({})
})

/** Billing on a laptop whose clock the test sets (`clock.now`), as a wrong clock and its fix do; it starts at `at`. */
function laptop(traits: Record<string, unknown>, at: string, cfg: Billing = billing) {
  const clock = { now: Date.parse(at) }
  const t = createTestHost({ billing: cfg }, { platform: createFakePlatform({ clock }) })
  Object.assign(t.host.handlers, { onUpdatePayment: () => {} })
  const user = t.host.user as WritableAtom<UserView>
  const setTraits = (next: Record<string, unknown>) => user.set({ ...user.get(), traits: next })
  setTraits(traits)
  const c = (stop = createBilling(t.host))
  return { ...t, c, clock, setTraits }
}

describe('a failed payment on a laptop whose clock ran a month ahead, then was put right', () => {
  it('"Remind me later" pressed then puts the banner off for a day of the right clock, not for a month', () => {
    const patient: Billing = { paymentPrompt: { ...billing.paymentPrompt!, wallAfterDays: 60 } }
    // The clock reads 1 April (a month ahead) when the user puts the banner off.
    const t = laptop({ paymentStatus: 'past_due', pastDueSince: '2026-03-01T09:00:00Z' }, '2026-04-01T10:00:00Z', patient)
    t.c.dismiss('card-failed')
    expect(t.c.$banner.get()).toBeNull()
    // The clock is put right (2 March, 10:00): still put off, for the day the user asked for.
    t.clock.now = Date.parse('2026-03-02T10:00:00Z')
    t.setTraits({ paymentStatus: 'past_due', pastDueSince: '2026-03-01T09:00:00Z', seats: 2 })
    expect(t.c.$banner.get()).toBeNull()
    // A day on, the banner is back (not on 2 April).
    t.clock.now = Date.parse('2026-03-03T10:30:00Z')
    t.setTraits({ paymentStatus: 'past_due', pastDueSince: '2026-03-01T09:00:00Z', seats: 3 })
    expect(t.c.$banner.get()).toMatchObject({ id: 'card-failed', dismiss: 'later' })
  })

  it('a failure first seen while the clock ran ahead still brings the wall after the grace days of the right clock, not a month late', () => {
    // No pastDueSince from the vendor: the laptop's first sighting starts the grace period, on 1 April (a month ahead).
    const t = laptop({ paymentStatus: 'past_due' }, '2026-04-01T10:00:00Z')
    expect(t.c.$banner.get()).toMatchObject({ id: 'card-failed' })
    // The clock is put right (2 March); five days on (wallAfterDays 5) the card is still unpaid.
    t.clock.now = Date.parse('2026-03-02T10:00:00Z')
    t.setTraits({ paymentStatus: 'past_due', seats: 2 })
    t.clock.now = Date.parse('2026-03-07T10:30:00Z')
    t.setTraits({ paymentStatus: 'past_due', seats: 3 })
    expect(t.c.$wall.get()).toMatchObject({ id: 'card-failed', layout: 'modal' })
    expect(t.c.why!('card-failed')).toEqual(['paymentStatus "past_due", 5 days past due'])
  })

  it('a clock set back a few minutes (a time sync) just after "Remind me later" does not bring the banner back', () => {
    const t = laptop({ paymentStatus: 'past_due', pastDueSince: '2026-03-01T09:00:00Z' }, '2026-03-02T10:05:00Z')
    t.c.dismiss('card-failed')
    t.clock.now = Date.parse('2026-03-02T10:00:00Z')
    t.setTraits({ paymentStatus: 'past_due', pastDueSince: '2026-03-01T09:00:00Z', seats: 2 })
    t.clock.now = Date.parse('2026-03-03T09:30:00Z')
    t.setTraits({ paymentStatus: 'past_due', pastDueSince: '2026-03-01T09:00:00Z', seats: 3 })
    expect(t.c.$banner.get()).toBeNull()
  })
})

describe('the annual-plan offer after 12 months on a monthly plan', () => {
  it('comes on the anniversary of the subscription, not five days before it (twelve 30-day months)', () => {
    const zone = process.env.TZ
    process.env.TZ = 'America/New_York'
    try {
      const subscribedAt = '2025-03-15'
      const at = (iso: string) => monthsSubscribed({ subscribedAt }, Date.parse(iso))
      expect([at('2026-03-10T12:00:00-04:00'), at('2026-03-14T23:00:00-04:00'), at('2026-03-15T00:30:00-04:00')]).toEqual([11, 11, 12])
      // A month-end start: 31 January is a month on by 28 February (no 31st), not on 2 March.
      expect(monthsSubscribed({ subscribedAt: '2026-01-31' }, Date.parse('2026-02-28T09:00:00-05:00'))).toBe(1)
      expect(monthsSubscribed({ subscribedAt: '2026-01-31' }, Date.parse('2026-02-27T09:00:00-05:00'))).toBe(0)
      // A date-time is the moment: its local day and hour (Stripe's Unix seconds too).
      const started = Date.parse('2025-03-15T18:00:00Z')
      expect([monthsSubscribed({ subscribedAt: started / 1000 }, Date.parse('2026-03-15T13:59:00-04:00')), monthsSubscribed({ subscribedAt: started / 1000 }, Date.parse('2026-03-15T14:00:00-04:00'))]).toEqual([11, 12])
      expect(monthsSubscribed({}, Date.parse('2026-03-15T14:00:00Z'))).toBeNaN()
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })
})
