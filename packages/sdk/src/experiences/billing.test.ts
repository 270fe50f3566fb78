import type { WritableAtom } from 'nanostores'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Billing } from '../config/flows-schema'
import { createTestHost } from './badges/test-host'
import { createBilling, type BillingController } from './billing'
import type { UserView } from './host'
import { $bannerClaims } from './notice'
import { createLinger } from '../client'
import { createFakePlatform } from '../fake-platform'
import { runInNewContext } from 'node:vm'
import { joinField } from '../sync/merge'

const DAY = 86_400_000
const billing: Billing = {
  paymentPrompt: { id: 'card-failed', title: 'Your last payment failed', action: 'Update card', wallAfterDays: 5, remindAfterHours: 24, wallTitle: 'Update your card to keep going' },
  renewalReminders: { id: 'renewal', title: 'Your plan renews soon', action: 'Check payment details', days: [7, 3, 2] },
  annualOffer: { id: 'go-annual', title: 'Save 20% with yearly billing', action: 'Switch to yearly', percent: 20, afterMonths: 3, holdout: 0 },
}

/**
 * The vendor's billing portal, as a page that puts up the wall has it (init handlers): the wall's
 * one button. Without it there is no wall (see the last describe).
 */
const portal = { onUpdatePayment: () => {} }
const withPortal = <T extends ReturnType<typeof createTestHost>>(t: T) => (Object.assign(t.host.handlers, portal), t)

let stop: BillingController | undefined
afterEach(() => {
  stop?.dispose()
  $bannerClaims.set({})
})

function setup(traits: Record<string, unknown>, handlers: Record<string, unknown> = {}, cfg: Billing = billing) {
  const t = createTestHost({ billing: cfg })
  Object.assign(t.host.handlers, portal, handlers)
  const user = t.host.user as WritableAtom<UserView>
  const setTraits = (next: Record<string, unknown>) => user.set({ ...user.get(), traits: next })
  setTraits(traits)
  const c = (stop = createBilling(t.host))
  return { ...t, c, setTraits, iso: (ms: number) => new Date(t.platform.now() + ms).toISOString() }
}

/** Nine days before the test clock's now: past wallAfterDays. */
const wallDay = () => Date.parse('2026-03-02T10:00:00Z') - 9 * DAY

/** Billing in a tab the user has not looked at yet: `look()` is the user coming to it, `leave()` going away again. */
function inBackgroundTab(traits: Record<string, unknown>, handlers: Record<string, unknown> = {}) {
  const t = createTestHost({ billing })
  Object.assign(t.host.handlers, handlers)
  let hidden = true
  const waiting: Array<() => void> = []
  t.host.screen = { when: (fn) => fn(), away: (then) => hidden && (waiting.push(then), true) }
  const user = t.host.user as WritableAtom<UserView>
  user.set({ ...user.get(), traits })
  const c = (stop = createBilling(t.host))
  const look = () => ((hidden = false), waiting.splice(0).forEach((fn) => fn()))
  return { ...t, c, user, look, leave: () => void (hidden = true) }
}

describe('failed payment', () => {
  it('a banner that comes while a modal is open (the cancel flow, a "what\'s new" modal) counts as shown once the modal is closed, not behind it', () => {
    const t = createTestHost({ billing })
    const user = t.host.user as WritableAtom<UserView>
    user.set({ ...user.get(), traits: { plan: 'pro' } })
    const c = (stop = createBilling(t.host))
    // The UI: the banner waits behind the modal, inert, until it is closed.
    let inSight = false
    const waiting: Array<() => void> = []
    c.behind = (then) => !inSight && !!waiting.push(then)
    user.set({ ...user.get(), traits: { plan: 'pro', paymentStatus: 'past_due' } })
    expect(c.$banner.get()?.id).toBe('card-failed')
    expect(t.events('Payment Prompt Shown')).toEqual([])
    inSight = true
    waiting.splice(0).forEach((fn) => fn())
    expect(t.events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'banner', daysPastDue: 0 }])
    // Behind another modal later, and out again: still the one Shown.
    inSight = false
    user.set({ ...user.get(), traits: { plan: 'pro', paymentStatus: 'past_due', seats: 3 } })
    inSight = true
    waiting.splice(0).forEach((fn) => fn())
    expect(t.events('Payment Prompt Shown')).toHaveLength(1)
  })

  it('the prompt counts as shown once its UI is on the page (its chunk blocked or still loading: not yet)', () => {
    const t = createTestHost({ billing })
    let drawn = false
    const waiting: Array<() => void> = []
    t.host.undrawn = (kind, then) => kind === 'billing' && !drawn && !!waiting.push(then)
    const user = t.host.user as WritableAtom<UserView>
    user.set({ ...user.get(), traits: { paymentStatus: 'past_due' } })
    const c = (stop = createBilling(t.host))
    expect(c.$banner.get()?.id).toBe('card-failed')
    expect(t.events('Payment Prompt Shown')).toEqual([])
    drawn = true
    waiting.splice(0).forEach((fn) => fn())
    expect(t.events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'banner', daysPastDue: 0 }])
  })

  it('a past-due user sees the banner, can put it off for a day, then hits the wall after the grace days', async () => {
    const { c, platform, events, track } = setup({ paymentStatus: 'past_due' })
    expect(c.$banner.get()).toMatchObject({ id: 'card-failed', layout: 'banner', dismiss: 'later', action: { label: 'Update card' } })
    expect(events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'banner', daysPastDue: 0 }])
    c.dismiss('card-failed')
    expect(c.$banner.get()).toBeNull()
    await platform.advance(23 * 3_600_000)
    track('Page Viewed')
    expect(c.$banner.get()).toBeNull()
    await platform.advance(2 * 3_600_000)
    track('Page Viewed')
    expect(c.$banner.get()?.id).toBe('card-failed')
    // Day 5 past due (wallAfterDays): no more "later", the blocking wall.
    await platform.advance(4 * DAY)
    track('Page Viewed')
    expect(c.$banner.get()).toBeNull()
    expect(c.$wall.get()).toMatchObject({ id: 'card-failed', layout: 'modal' })
    expect(events('Payment Prompt Shown').map((e) => e.properties.stage)).toEqual(['banner', 'wall'])
  })

  it('a wall that falls due while someone types waits for them to pause: it takes focus', () => {
    const t = withPortal(createTestHost({ billing }))
    let typing = true
    let paused: (() => void) | undefined
    t.host.screen = { when: (fn) => fn(), typing: (then) => typing && ((paused = then), true) }
    ;(t.host.user as WritableAtom<UserView>).set({ ...t.host.user.get(), traits: { paymentStatus: 'past_due', pastDueSince: new Date(Date.parse('2026-03-02T10:00:00Z') - 6 * DAY).toISOString() } })
    const c = (stop = createBilling(t.host))
    expect(c.$wall.get()).toBeNull()
    expect(t.events('Payment Prompt Shown')).toEqual([])
    typing = false
    paused!()
    expect(c.$wall.get()).toMatchObject({ id: 'card-failed', layout: 'modal' })
    expect(t.events('Payment Prompt Shown').map((e) => e.properties.stage)).toEqual(['wall'])
  })

  it('escalates to a wall (not dismissible) once wallAfterDays have passed since pastDueSince', () => {
    const { c, events, iso } = setup({ paymentStatus: 'past_due', pastDueSince: new Date(Date.parse('2026-03-02T10:00:00Z') - 6 * DAY).toISOString() })
    void iso
    expect(c.$banner.get()).toBeNull()
    expect(c.$wall.get()).toMatchObject({ id: 'card-failed', layout: 'modal', title: 'Update your card to keep going' })
    c.dismiss('card-failed')
    expect(c.$wall.get()).not.toBeNull()
    expect(events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'wall', daysPastDue: 6 }])
  })

  it('the button calls onUpdatePayment with progress, and Try again after it fails', async () => {
    let fail = true
    let calls = 0
    const { c, events } = setup({ paymentStatus: 'past_due' }, { onUpdatePayment: () => (calls++, fail ? Promise.reject(new Error('portal down')) : Promise.resolve()) })
    c.act('card-failed')
    expect(c.$banner.get()?.status).toBe('busy')
    await Promise.resolve()
    await Promise.resolve()
    expect(c.$banner.get()?.status).toBe('error')
    fail = false
    c.act('card-failed')
    await Promise.resolve()
    await Promise.resolve()
    expect(c.$banner.get()?.status).toBe('done')
    expect(calls).toBe(2)
    expect(events('Payment Prompt Clicked')).toHaveLength(2)
  })

  it('is Resolved once, when paymentStatus leaves past_due after a prompt was shown', () => {
    const { c, setTraits, events } = setup({ paymentStatus: 'past_due' })
    setTraits({ paymentStatus: 'active' })
    setTraits({ paymentStatus: 'active', plan: 'pro' })
    expect(c.$banner.get()).toBeNull()
    expect(events('Payment Prompt Resolved').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'banner', daysPastDue: 0 }])
  })

  it('a user who closed the billing portal without paying still faces the wall, and can press Update card again', async () => {
    let calls = 0
    const { c, events } = setup({ paymentStatus: 'past_due', pastDueSince: new Date(Date.parse('2026-03-02T10:00:00Z') - 6 * DAY).toISOString() }, { onUpdatePayment: () => (calls++, Promise.resolve()) })
    c.act('card-failed')
    await Promise.resolve()
    await Promise.resolve()
    expect(c.$wall.get()).toMatchObject({ id: 'card-failed', status: 'done', action: { label: expect.any(String) } })
    c.act('card-failed')
    await Promise.resolve()
    expect(calls).toBe(2)
    expect(events('Payment Prompt Clicked')).toHaveLength(2)
  })

  it('counts as recovered only a subscription that is paid again: one that ends canceled or unpaid ends the prompt quietly', () => {
    for (const [status, recovered] of [['canceled', 0], ['unpaid', 0], ['incomplete_expired', 0], ['active', 1], ['trialing', 1]] as const) {
      const { c, setTraits, events } = setup({ paymentStatus: 'past_due' })
      setTraits({ paymentStatus: status })
      expect([status, c.$banner.get(), events('Payment Prompt Resolved').length]).toEqual([status, null, recovered])
      c.dispose()
      $bannerClaims.set({})
    }
  })

  it('an account whose billing traits come with group() gets the payment banner, the renewal reminder and the yearly offer', () => {
    const t = createTestHost({ billing })
    const user = t.host.user as WritableAtom<UserView>
    user.set({ ...user.get(), traits: { plan: 'team' }, groupTraits: { paymentStatus: 'past_due' } })
    const c = (stop = createBilling(t.host))
    expect(c.$banner.get()?.id).toBe('card-failed')
    user.set({ ...user.get(), groupTraits: { paymentStatus: 'active', renewsAt: new Date(t.platform.now() + 7 * DAY).toISOString() } })
    expect(c.$banner.get()?.id).toBe('renewal')
    expect(t.events('Payment Prompt Resolved')).toHaveLength(1)
    c.dismiss('renewal')
    user.set({ ...user.get(), groupTraits: { billingInterval: 'month', subscribedAt: new Date(t.platform.now() - 4 * 30 * DAY).toISOString() } })
    expect(c.$banner.get()?.id).toBe('go-annual')
  })

  it('a past-due date sent without a zone counts the same days in Tokyo as everywhere: 4 days past due is the banner there too, not the wall', () => {
    const zone = process.env.TZ
    process.env.TZ = 'Asia/Tokyo'
    try {
      // Read as UTC, as audience rules read it: 4 days and 22 hours before the clock's 10:00 UTC.
      const { c, events } = setup({ paymentStatus: 'past_due', pastDueSince: '2026-02-25T12:00:00' })
      expect(c.$wall.get()).toBeNull()
      expect(events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'banner', daysPastDue: 4 }])
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })

  it('a past-due day sent as a date alone counts the user\'s calendar days, as the renewal reminder does: on Kiritimati, just past midnight on March 3, March 1 is 2 days past due', () => {
    const zone = process.env.TZ
    process.env.TZ = 'Pacific/Kiritimati'
    try {
      // The clock's 10:00 UTC on March 2 is 00:00 on March 3 there (UTC+14).
      const { events } = setup({ paymentStatus: 'past_due', pastDueSince: '2026-03-01' })
      expect(events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'banner', daysPastDue: 2 }])
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })

  it('a card that failed at 23:00 gets its whole grace period (wallAfterDays 5): in Tokyo, 4 days and 20 hours on (its fifth midnight passed) is still the banner, daysPastDue 4', () => {
    const zone = process.env.TZ
    process.env.TZ = 'Asia/Tokyo'
    try {
      // 23:00 on 25 February in Tokyo; the clock's 10:00 UTC on 2 March is 19:00 there, 5 midnights on.
      const { c, events } = setup({ paymentStatus: 'past_due', pastDueSince: '2026-02-25T14:00:00Z' })
      expect(c.$wall.get()).toBeNull()
      expect(events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'banner', daysPastDue: 4 }])
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })

  it('reads dates sent as Unix seconds (Stripe\'s format): two days past due is the banner, not a wall at 20 000 days', () => {
    const now = Date.parse('2026-03-02T10:00:00Z')
    const { c, events } = setup({ paymentStatus: 'past_due', pastDueSince: Math.floor((now - 2 * DAY) / 1000) })
    expect(c.$wall.get()).toBeNull()
    expect(events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'banner', daysPastDue: 2 }])
  })

  it('a user never prompted is not counted as recovered', () => {
    const { setTraits, events } = setup({ paymentStatus: 'active' })
    setTraits({ paymentStatus: 'active', plan: 'team' })
    expect(events('Payment Prompt Resolved')).toEqual([])
  })
})

describe('renewal reminders', () => {
  it('shows one reminder a day, each threshold once: 7, then 3, then 2 days before', async () => {
    const renewsAt = new Date(Date.parse('2026-03-02T10:00:00Z') + 7 * DAY).toISOString()
    const { c, platform, events, track } = setup({ renewsAt })
    expect(c.$banner.get()).toMatchObject({ id: 'renewal', action: { label: 'Check payment details' } })
    c.dismiss('renewal')
    await platform.advance(2 * DAY)
    track('Page Viewed')
    expect(c.$banner.get()).toBeNull() // 5 days left: no threshold between 7 and 3
    await platform.advance(2 * DAY)
    track('Page Viewed')
    expect(c.$banner.get()?.id).toBe('renewal') // 3 days
    c.dismiss('renewal')
    await platform.advance(DAY)
    track('Page Viewed')
    expect(c.$banner.get()?.id).toBe('renewal') // 2 days
    c.dismiss('renewal')
    track('Page Viewed')
    expect(c.$banner.get()).toBeNull()
    expect(events('Payment Prompt Shown').map((e) => e.properties.daysUntilRenewal)).toEqual([7, 3, 2])
  })

  it('a user who first shows up 2 days before gets one reminder, not three', async () => {
    const renewsAt = new Date(Date.parse('2026-03-02T10:00:00Z') + 2 * DAY).toISOString()
    const { c, events, track } = setup({ renewsAt })
    c.dismiss('renewal')
    track('Page Viewed')
    expect(c.$banner.get()).toBeNull()
    expect(events('Payment Prompt Shown')).toHaveLength(1)
  })

  it('says nothing once the renewal date is reached, though the vendor has not moved renewsAt on yet', () => {
    const { c, events } = setup({ renewsAt: new Date(Date.parse('2026-03-02T10:00:00Z') - 5 * 3_600_000).toISOString() })
    expect(c.$banner.get()).toBeNull()
    expect(events('Payment Prompt Shown')).toEqual([])
  })

  it('a reminder on screen goes when the renewal it spoke of is gone (cancelled or renewed early), or its day is over', async () => {
    const { c, platform, setTraits } = setup({ renewsAt: new Date(Date.parse('2026-03-02T10:00:00Z') + 2 * DAY).toISOString() })
    expect(c.$banner.get()?.id).toBe('renewal')
    setTraits({ plan: 'cancelled' })
    expect(c.$banner.get()).toBeNull()
    // Renewal brought forward: the old reminder does not linger with its old day count.
    const later = setup({ renewsAt: new Date(platform.now() + 3 * DAY).toISOString() })
    expect(later.c.$banner.get()?.id).toBe('renewal')
    later.setTraits({ renewsAt: new Date(platform.now() + 30 * DAY).toISOString() })
    expect(later.c.$banner.get()).toBeNull()
    // A tab left open: Monday's "renews in 7 days" is not still up on Tuesday (6 days, no threshold).
    later.c.dispose()
    $bannerClaims.set({})
    const open = setup({ renewsAt: new Date(platform.now() + 7 * DAY).toISOString() })
    expect(open.c.$banner.get()?.id).toBe('renewal')
    await open.platform.advance(DAY)
    open.track('Page Viewed')
    expect(open.c.$banner.get()).toBeNull()
  })
})

describe('a billing banner that pushes the page down (pushLayout)', () => {
  /** The widgets' screen: a toast up (`calm()` takes it down) while the user types (`pause()`). */
  function busyScreen(cfg: Billing) {
    const t = createTestHost({ billing: cfg })
    const calm: Array<() => void> = []
    let typing = true
    let paused: (() => void) | undefined
    t.host.screen = { when: (fn) => void calm.push(fn), typing: (then) => typing && ((paused = then), true), away: () => false }
    return { ...t, calm: () => calm.splice(0).forEach((fn) => fn()), pause: () => ((typing = false), paused?.()), type: () => void (typing = true) }
  }

  it('does not move the page under someone typing: the reminder waits for a calm screen and a pause, then comes, counted once', () => {
    const t = busyScreen({ ...billing, renewalReminders: { ...billing.renewalReminders!, pushLayout: true } })
    ;(t.host.user as WritableAtom<UserView>).set({ ...t.host.user.get(), traits: { renewsAt: new Date(t.platform.now() + 7 * DAY).toISOString() } })
    const c = (stop = createBilling(t.host))
    expect(c.$banner.get()).toBeNull()
    t.calm()
    // still typing
    expect(c.$banner.get()).toBeNull()
    expect(t.events('Payment Prompt Shown')).toEqual([])
    t.pause()
    expect(c.$banner.get()).toMatchObject({ id: 'renewal', pushLayout: true })
    expect(t.events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'renewal', stage: 'reminder', daysUntilRenewal: 7 }])
    // On screen, it stays as the user types on: re-checks do not take it down to wait again.
    t.track('Page Viewed')
    expect(c.$banner.get()?.id).toBe('renewal')
  })

  it("a yearly offer that pushes the page counts a held-out user at the calm moment it would have come, as it counts the offer's users: someone who types on and leaves is in neither arm, and the two arms stay comparable", () => {
    const arms = [0, 1].map((holdout) => {
      const t = busyScreen({ ...billing, annualOffer: { ...billing.annualOffer!, pushLayout: true, holdout } })
      ;(t.host.user as WritableAtom<UserView>).set({ ...t.host.user.get(), traits: { billingInterval: 'month', subscribedAt: new Date(t.platform.now() - 120 * DAY).toISOString() } })
      const c = createBilling(t.host)
      const whileTyping = t.events('Plan Offer Shown').length
      t.calm()
      t.pause()
      const atTheirPause = t.events('Plan Offer Shown').map((e) => e.properties.variant)
      c.dispose()
      $bannerClaims.set({})
      return { whileTyping, atTheirPause }
    })
    expect(arms).toEqual([
      { whileTyping: 0, atTheirPause: ['offer'] },
      { whileTyping: 0, atTheirPause: ['holdout'] },
    ])
  })

  it('a failed-payment banner that pushes waits too; one that covers the page (no pushLayout) comes at once', () => {
    const pushing = busyScreen({ ...billing, paymentPrompt: { ...billing.paymentPrompt!, pushLayout: true } })
    ;(pushing.host.user as WritableAtom<UserView>).set({ ...pushing.host.user.get(), traits: { paymentStatus: 'past_due' } })
    const c = (stop = createBilling(pushing.host))
    expect(c.$banner.get()).toBeNull()
    pushing.calm()
    pushing.pause()
    expect(c.$banner.get()).toMatchObject({ id: 'card-failed', pushLayout: true })
    c.dispose()
    $bannerClaims.set({})
    const covering = busyScreen(billing)
    ;(covering.host.user as WritableAtom<UserView>).set({ ...covering.host.user.get(), traits: { paymentStatus: 'past_due' } })
    expect((stop = createBilling(covering.host)).$banner.get()?.id).toBe('card-failed')
  })

  it('the vendor asking why the failed-payment banner or the yearly offer is not up yet hears that it waits for the user to stop typing, not a status read as a refusal', () => {
    const pushing = { ...billing, paymentPrompt: { ...billing.paymentPrompt!, pushLayout: true }, annualOffer: { ...billing.annualOffer!, pushLayout: true } }
    const t = busyScreen(pushing)
    const user = t.host.user as WritableAtom<UserView>
    const c = (stop = createBilling(t.host))
    const monthly = { billingInterval: 'month', subscribedAt: new Date(t.platform.now() - 120 * DAY).toISOString() }
    // The card fails as they type; paid, the yearly offer is next, as they type on.
    const moments: Array<[string, Record<string, unknown>, string]> = [
      ['card-failed', { paymentStatus: 'past_due' }, 'paymentStatus "past_due", 0 days past due'],
      ['go-annual', { paymentStatus: 'active', ...monthly }, 'offer offer shown'],
    ]
    for (const [id, traits, once] of moments) {
      t.type()
      user.set({ ...user.get(), traits })
      expect(c.$banner.get()).toBeNull()
      expect(c.why!(id)).toEqual(['waiting-for-calm'])
      t.calm()
      t.pause()
      expect(c.$banner.get()?.id).toBe(id)
      expect(c.why!(id)).toEqual([once])
    }
  })

  it('a member typing who switches to another workspace also past due: the failed-payment banner on screen stays, the page does not jump out and back', () => {
    const t = busyScreen({ ...billing, paymentPrompt: { ...billing.paymentPrompt!, pushLayout: true } })
    const user = t.host.user as WritableAtom<UserView>
    user.set({ ...user.get(), groupId: 'acct_a', groupTraits: { paymentStatus: 'past_due' } })
    const c = (stop = createBilling(t.host))
    t.calm()
    t.pause()
    expect(c.$banner.get()).toMatchObject({ id: 'card-failed', pushLayout: true })
    t.type()
    user.set({ ...user.get(), groupId: 'acct_b', groupTraits: { paymentStatus: 'past_due' } })
    expect(c.$banner.get()).toMatchObject({ id: 'card-failed', pushLayout: true })
    // Shown once for each workspace's failure
    expect(t.events('Payment Prompt Shown')).toHaveLength(2)
  })
})

describe('renewal reminders, as the user reads them', () => {
  /** `days` after the test clock's day, at a time of day in the user's (the runtime's) zone. */
  const localTime = (days: number, hours: number, minutes = 0) => {
    const d = new Date(Date.parse('2026-03-02T10:00:00Z'))
    return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days, hours, minutes)
  }

  it('after "Check payment details" went through, the reminder goes: no "this updates once the change is through" for a renewal date that will not change', async () => {
    let calls = 0
    const { c, events, track } = setup({ renewsAt: new Date(Date.parse('2026-03-02T10:00:00Z') + 3 * DAY).toISOString() }, { onUpdatePayment: () => (calls++, Promise.resolve()) })
    expect(c.$banner.get()?.id).toBe('renewal')
    c.act('renewal')
    expect(c.$banner.get()?.status).toBe('busy')
    await Promise.resolve()
    await Promise.resolve()
    expect(calls).toBe(1)
    expect(c.$banner.get()).toBeNull()
    track('Page Viewed')
    expect(c.$banner.get()).toBeNull()
    expect(events('Payment Prompt Clicked')).toHaveLength(1)
  })

  it('a plan renewing Thursday night is reminded on Monday as 3 days away (calendar days), not as 4 days of 24 hours', () => {
    // Monday morning; renewal Thursday at 23:00, the user's time (85 hours on in UTC, 3 days of the calendar).
    const { c, events } = setup({ renewsAt: localTime(3, 23).toISOString() })
    expect(c.$banner.get()?.id).toBe('renewal')
    expect(events('Payment Prompt Shown').map((e) => e.properties.daysUntilRenewal)).toEqual([3])
  })

  it('a "renews in 1 day" reminder is not shown on the renewal day itself (renewing tonight, seen this morning)', () => {
    const { c, events } = setup({ renewsAt: localTime(0, 23, 59).toISOString() }, {}, { renewalReminders: { ...billing.renewalReminders!, days: [1] } })
    expect(c.$banner.get()).toBeNull()
    expect(events('Payment Prompt Shown')).toEqual([])
  })
})

describe('a user switch in the page (same browser, another account)', () => {
  it('takes the last user\'s reminder off screen and reports nothing as shown to the next one', async () => {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collector.test', flows: { version: 1, billing } }, { platform })
    linger.identify('dana', { plan: 'pro', renewsAt: new Date(platform.now() + 7 * DAY).toISOString() })
    await linger.ready
    await platform.advance(0)
    const c = linger.experiences.billing!
    expect(c.$banner.get()?.id).toBe('renewal')
    linger.identify('alex', { plan: 'starter' })
    expect(c.$banner.get()).toBeNull()
    // Nothing of Dana's reminder was put down as Alex's: his own renewal, a week out, shows.
    linger.identify('alex', { renewsAt: new Date(platform.now() + 7 * DAY).toISOString() })
    expect(c.$banner.get()?.id).toBe('renewal')
    await linger.flush()
    const shown = platform.requests.flatMap((r) => r.body.batch).filter((e: { event?: string }) => e.event === 'Payment Prompt Shown')
    expect(shown.map((e: { userId?: string }) => e.userId)).toEqual(['dana', 'alex'])
    linger.destroy()
  })

  it('reports no payment as recovered when users with different billing take turns on one device', async () => {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collector.test', flows: { version: 1, billing } }, { platform })
    // Bo's card failed: he was prompted on this device. Then Ann, whose billing is fine, signs in here.
    linger.identify('bo', { paymentStatus: 'past_due' })
    await linger.ready
    await platform.advance(0)
    expect(linger.experiences.billing!.$banner.get()?.id).toBe('card-failed')
    linger.identify('ann', { paymentStatus: 'active' })
    expect(linger.experiences.billing!.$banner.get()).toBeNull()
    // Bo again, still past due: his prompt comes back.
    linger.identify('bo', { paymentStatus: 'past_due' })
    expect(linger.experiences.billing!.$banner.get()?.id).toBe('card-failed')
    await linger.flush()
    const events = platform.requests.flatMap((r) => r.body.batch).filter((e: { event?: string }) => e.event?.startsWith('Payment Prompt'))
    // Nobody's payment was recovered: Bo's prompt, once (on this device, before and after Ann).
    expect(events.map((e: { event: string; userId?: string }) => `${e.event} ${e.userId}`)).toEqual(['Payment Prompt Shown bo'])
    linger.destroy()
  })

  it('the next user held at the wall gets their own wall, with their own days, shown to them', async () => {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collector.test', flows: { version: 1, billing }, handlers: portal }, { platform })
    const since = (days: number) => new Date(platform.now() - days * DAY).toISOString()
    linger.identify('bo', { paymentStatus: 'past_due', pastDueSince: since(6) })
    await linger.ready
    await platform.advance(0)
    expect(linger.experiences.billing!.$wall.get()?.id).toBe('card-failed')
    linger.identify('cy', { paymentStatus: 'past_due', pastDueSince: since(9) })
    expect(linger.experiences.billing!.$wall.get()?.id).toBe('card-failed')
    await linger.flush()
    const shown = platform.requests.flatMap((r) => r.body.batch).filter((e: { event?: string }) => e.event === 'Payment Prompt Shown')
    expect(shown.map((e: { userId?: string; properties: { daysPastDue: number } }) => [e.userId, e.properties.daysPastDue])).toEqual([['bo', 6], ['cy', 9]])
    linger.destroy()
  })

  it('does not offer the last user\'s yearly plan to the next one, nor count it as offered', async () => {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collector.test', flows: { version: 1, billing } }, { platform })
    linger.identify('dana', { billingInterval: 'month', subscribedAt: new Date(platform.now() - 4 * 30 * DAY).toISOString() })
    await linger.ready
    await platform.advance(0)
    expect(linger.experiences.billing!.$banner.get()?.id).toBe('go-annual')
    linger.identify('alex', { plan: 'starter' })
    expect(linger.experiences.billing!.$banner.get()).toBeNull()
    await linger.flush()
    const offered = platform.requests.flatMap((r) => r.body.batch).filter((e: { event?: string }) => e.event === 'Plan Offer Shown')
    expect(offered.map((e: { userId?: string }) => e.userId)).toEqual(['dana'])
    linger.destroy()
  })
})

describe('billing kept on the account (group traits)', () => {
  async function member() {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collector.test', flows: { version: 1, billing }, handlers: portal }, { platform })
    const heard: string[] = []
    for (const name of ['payment:prompt-shown', 'payment:prompt-resolved'] as const) linger.on(name, (p: { stage: string }) => heard.push(`${name} ${p.stage}`))
    return { platform, linger, heard, c: () => linger.experiences.billing! }
  }

  it('a member of two workspaces who opens the paid one has recovered nothing; the past-due one paying again is', async () => {
    const { platform, linger, heard, c } = await member()
    linger.identify('u_1')
    linger.group('acct_a', { paymentStatus: 'past_due' })
    await linger.ready
    await platform.advance(10)
    expect(c().$banner.get()?.id).toBe('card-failed')
    // Their other workspace, in good standing: no prompt there, and nobody paid workspace A.
    linger.group('acct_b', { paymentStatus: 'active' })
    await platform.advance(10)
    expect(c().$banner.get()).toBeNull()
    expect(heard).toEqual(['payment:prompt-shown banner'])
    // Back in A, which is paid now: that is the recovered payment, once.
    linger.group('acct_a', { paymentStatus: 'active' })
    await platform.advance(10)
    expect(heard).toEqual(['payment:prompt-shown banner', 'payment:prompt-resolved banner'])
    linger.destroy()
  })

  it('the last user’s past-due workspace is not put in front of the next person who signs in on the device', async () => {
    const { platform, linger, heard, c } = await member()
    linger.identify('ana')
    linger.group('acct_ana', { paymentStatus: 'past_due', pastDueSince: new Date(platform.now() - 10 * DAY).toISOString() })
    await linger.ready
    await platform.advance(10)
    expect(c().$wall.get()?.id).toBe('card-failed')
    const bobSaw: Array<string | undefined> = []
    linger.identify('bob', { plan: 'team' })
    bobSaw.push(c().$wall.get()?.id)
    linger.group('acct_bob', { paymentStatus: 'active' })
    await platform.advance(10)
    bobSaw.push(c().$wall.get()?.id)
    expect(bobSaw).toEqual([undefined, undefined])
    expect(heard).toEqual(['payment:prompt-shown wall'])
    linger.destroy()
  })
})

describe('an offer accepted as another user signs in', () => {
  it('is not credited to the user who signed in while the plan change was applied', async () => {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    let apply!: () => void
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collector.test', flows: { version: 1, billing }, handlers: { onPlanChange: () => new Promise<void>((r) => (apply = r)) } }, { platform })
    const monthly = { billingInterval: 'month', subscribedAt: new Date(platform.now() - 4 * 30 * DAY).toISOString() }
    linger.identify('dana', monthly)
    await linger.ready
    await platform.advance(0)
    linger.experiences.billing!.act('go-annual')
    // Dana's switch is on its way to the vendor's server when Alex signs in on the same laptop.
    linger.identify('alex', monthly)
    expect(linger.experiences.billing!.$banner.get()?.id).toBe('go-annual')
    apply()
    await platform.advance(0)
    // Alex still has his own offer to answer.
    expect(linger.experiences.billing!.$banner.get()).toMatchObject({ id: 'go-annual' })
    expect(linger.experiences.billing!.$banner.get()?.status).toBeUndefined()
    await linger.flush()
    const offers = platform.requests.flatMap((r) => r.body.batch).filter((e: { event?: string }) => e.event?.startsWith('Plan Offer'))
    expect(offers.map((e: { event: string; userId?: string }) => `${e.event} ${e.userId}`)).toEqual(['Plan Offer Shown dana', 'Plan Offer Shown alex'])
    linger.destroy()
  })
})

describe('a "Switch to yearly" waiting for another tab of the same customer', () => {
  it('does not reach the vendor once the page has shut Linger down (linger.destroy()): the other tab closing later calls no onPlanChange', async () => {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    // The other tab holds the plan-change lock (it is applying the switch itself): this tab's turn waits.
    const waitingTurns: Array<() => unknown> = []
    platform.exclusive = (_name, fn) => void waitingTurns.push(fn)
    const changes: unknown[] = []
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collector.test', flows: { version: 1, billing }, handlers: { onPlanChange: (offer: unknown) => void changes.push(offer) } }, { platform })
    linger.identify('dana', { billingInterval: 'month', subscribedAt: new Date(platform.now() - 4 * 30 * DAY).toISOString() })
    await linger.ready
    await platform.advance(0)
    linger.experiences.billing!.act('go-annual')
    expect(linger.experiences.billing!.$banner.get()).toMatchObject({ id: 'go-annual', status: 'busy' })
    expect(waitingTurns).toHaveLength(1)
    // Dana signs out here; the vendor shuts Linger down. Then the other tab is closed before its switch went through.
    linger.destroy()
    waitingTurns.splice(0).forEach((turn) => void turn())
    await platform.advance(0)
    expect(changes).toEqual([])
  })
})

describe('billing asked why about an id that names nothing', () => {
  it("a vendor's debug panel asking linger.why('') (its id not filled in yet) hears unknown-experience, not that a billing banner waits for the user to stop typing", async () => {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collector.test', flows: { version: 1, billing } }, { platform })
    linger.identify('dana', { paymentStatus: 'active' })
    await linger.ready
    await platform.advance(0)
    expect(linger.why('')).toEqual({ id: '', show: false, reasons: ['unknown-experience'] })
    linger.destroy()
  })
})

describe('annual-plan offer', () => {
  const monthly = (months: number) => ({ billingInterval: 'month', subscribedAt: new Date(Date.parse('2026-03-02T10:00:00Z') - months * 30 * DAY).toISOString() })

  it('waits for afterMonths on a monthly plan, then offers the discount once; accepting goes through onPlanChange', async () => {
    const changes: unknown[] = []
    const early = setup(monthly(2))
    expect(early.c.$banner.get()).toBeNull()
    early.c.dispose()
    $bannerClaims.set({})
    const { c, events } = setup(monthly(3), { onPlanChange: (offer: unknown) => (changes.push(offer), Promise.resolve()) })
    expect(c.$banner.get()).toMatchObject({ id: 'go-annual', title: 'Save 20% with yearly billing' })
    c.act('go-annual')
    await Promise.resolve()
    await Promise.resolve()
    expect(changes).toEqual([{ offerId: 'go-annual', kind: 'annual', percent: 20 }])
    expect(events('Plan Offer Shown').map((e) => e.properties)).toEqual([{ offerId: 'go-annual', kind: 'annual', percent: 20, variant: 'offer' }])
    expect(events('Plan Offer Accepted')).toHaveLength(1)
    // The thank-you stays until closed; closing an accepted offer is not a decline, and it never returns.
    expect(c.$banner.get()).toMatchObject({ id: 'go-annual', status: 'done' })
    c.dismiss('go-annual')
    expect(c.$banner.get()).toBeNull()
    expect(events('Plan Offer Declined')).toEqual([])
  })

  it('in a tab the user has not looked at yet, the once-only offer waits; a failed payment does not', () => {
    const t = inBackgroundTab(monthly(3))
    const { c, user } = t
    expect(c.$banner.get()).toBeNull()
    expect(t.events('Plan Offer Shown')).toEqual([])
    t.look()
    expect(c.$banner.get()?.id).toBe('go-annual')
    expect(t.events('Plan Offer Shown')).toHaveLength(1)
    // A payment that failed is no once-only thing: it shows in the background tab too.
    t.leave()
    user.set({ ...user.get(), traits: { ...monthly(3), paymentStatus: 'past_due' } })
    expect(c.$banner.get()?.id).toBe('card-failed')
  })

  it('"Switch to yearly" the vendor\'s server refused (its fetch() answered 409, or the handler said false) offers Try again: no thank-you, no acceptance counted, and the offer is still theirs to take', async () => {
    let answer: unknown = new Response('{"error":"already on a yearly plan"}', { status: 409 })
    const { c, events, host } = setup(monthly(4), { onPlanChange: () => Promise.resolve(answer) })
    for (const refused of [answer, false]) {
      answer = refused
      c.act('go-annual')
      await new Promise((r) => setTimeout(r, 0))
      expect([c.$banner.get()?.status, events('Plan Offer Accepted'), host.state.get<{ offer?: { outcome?: string } }>('billing')?.offer?.outcome]).toEqual(['error', [], undefined])
    }
    // Try again, and this time the server applied it.
    answer = new Response('{}', { status: 200 })
    c.act('go-annual')
    await new Promise((r) => setTimeout(r, 0))
    expect([c.$banner.get()?.status, events('Plan Offer Accepted')]).toMatchObject(['done', [{ properties: { offerId: 'go-annual' } }]])
  })

  it('"Switch to yearly" sent from the vendor\'s billing iframe, whose server refused it (a 409 from the iframe\'s fetch), offers Try again; a portal window it returns (another origin\'s) is a yes, and nothing throws', async () => {
    // The iframe's fetch() Response is another realm's object: not an instance of this page's Object.
    const fromIframe = runInNewContext('({ ok: false, status: 409 })')
    // A window.open() on the vendor's billing origin: reading anything on it throws, but `then`
    // (undefined, as HTML makes it, so a Promise can resolve to such a window).
    const portalWindow = new Proxy({}, { get: (_, k) => { if (k !== 'then') throw new DOMException('Blocked a frame from accessing a cross-origin frame', 'SecurityError') } })
    let answer: unknown = fromIframe
    const { c, events, host } = setup(monthly(4), { onPlanChange: () => Promise.resolve(answer) })
    c.act('go-annual')
    await new Promise((r) => setTimeout(r, 0))
    expect([c.$banner.get()?.status, events('Plan Offer Accepted'), host.state.get<{ offer?: { outcome?: string } }>('billing')?.offer?.outcome]).toEqual(['error', [], undefined])
    answer = portalWindow
    c.act('go-annual')
    await new Promise((r) => setTimeout(r, 0))
    expect([c.$banner.get()?.status, events('Plan Offer Accepted').length]).toEqual(['done', 1])
  })

  it('closing the yearly offer after the vendor refused "Switch to yearly" is no "No thanks": nothing is counted or stored, it is gone for this page and offered again on the next', async () => {
    const shared = new Map<string, string>()
    const open = () => {
      const t = createTestHost({ billing }, { shared })
      Object.assign(t.host.handlers, { onPlanChange: () => Promise.resolve(false) })
      const user = t.host.user as WritableAtom<UserView>
      user.set({ ...user.get(), traits: monthly(4) })
      return { ...t, c: (stop = createBilling(t.host)) }
    }
    const first = open()
    first.c.act('go-annual')
    await new Promise((r) => setTimeout(r, 0))
    expect(first.c.$banner.get()?.status).toBe('error')
    // The user said yes; the vendor said no. They close the error (× or Escape).
    first.c.dismiss('go-annual')
    // Re-checked (a trait changes): still not back on this page.
    ;(first.host.user as WritableAtom<UserView>).set({ ...first.host.user.get(), traits: { ...monthly(4), seats: 3 } })
    expect([first.c.$banner.get(), first.events('Plan Offer Declined'), first.c.why!('go-annual')]).toEqual([null, [], ['offer offer shown']])
    first.c.dispose()
    $bannerClaims.set({})
    const next = open()
    expect([next.c.$banner.get()?.id, next.events('Plan Offer Declined')]).toEqual(['go-annual', []])
  })

  it('closing the offer while "Switch to yearly" is being applied is ignored: the answer is Accepted, not also Declined', async () => {
    let apply!: () => void
    const { c, events } = setup(monthly(4), { onPlanChange: () => new Promise<void>((r) => (apply = r)) })
    c.act('go-annual')
    c.dismiss('go-annual')
    expect(c.$banner.get()).toMatchObject({ id: 'go-annual', status: 'busy' })
    apply()
    await Promise.resolve()
    await Promise.resolve()
    expect(events('Plan Offer Declined')).toEqual([])
    expect(events('Plan Offer Accepted')).toHaveLength(1)
  })

  it('takes renewsAt and subscribedAt in Unix seconds too', () => {
    const now = Date.parse('2026-03-02T10:00:00Z')
    const renewing = setup({ renewsAt: Math.floor((now + 7 * DAY) / 1000) })
    expect(renewing.c.$banner.get()).toMatchObject({ id: 'renewal' })
    expect(renewing.events('Payment Prompt Shown').map((e) => e.properties.daysUntilRenewal)).toEqual([7])
    renewing.c.dispose()
    $bannerClaims.set({})
    const { c } = setup({ billingInterval: 'month', subscribedAt: Math.floor((now - 4 * 30 * DAY) / 1000) })
    expect(c.$banner.get()?.id).toBe('go-annual')
  })

  it('a held-out user sees nothing but is counted as Shown with variant holdout', () => {
    const { c, events } = setup(monthly(4), {}, { annualOffer: { ...billing.annualOffer!, holdout: 1 } })
    expect(c.$banner.get()).toBeNull()
    expect(events('Plan Offer Shown').map((e) => e.properties.variant)).toEqual(['holdout'])
  })

  it('a failed payment outranks the offer for the one banner place', () => {
    const { c } = setup({ ...monthly(6), paymentStatus: 'past_due' })
    expect(c.$banner.get()?.id).toBe('card-failed')
  })
})

describe('stored billing state of another shape (an older release, a hand edit)', () => {
  it('still gives the renewal reminder and the wall: what does not fit is read as never recorded', () => {
    const t = withPortal(createTestHost({ billing }))
    const renewsAt = new Date(t.platform.now() + 7 * DAY).toISOString()
    t.host.state.set('billing', { reminders: { renewsAt, day: '2026-02-27' }, prompted: null, offer: 'yes', snoozedUntil: 'never' })
    const user = t.host.user as WritableAtom<UserView>
    user.set({ ...user.get(), traits: { renewsAt } })
    const c = (stop = createBilling(t.host))
    expect(c.$banner.get()?.id).toBe('renewal')
    user.set({ ...user.get(), traits: { paymentStatus: 'past_due', pastDueSince: new Date(t.platform.now() - 6 * DAY).toISOString() } })
    expect(c.$wall.get()?.id).toBe('card-failed')
  })
})

describe('billing kept on the user, who is also in a workspace', () => {
  it('a user whose card failed, then opened their workspace, is counted as recovered once they pay', async () => {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collector.test', flows: { version: 1, billing } }, { platform })
    const heard: string[] = []
    for (const name of ['payment:prompt-shown', 'payment:prompt-resolved'] as const) linger.on(name, (p: { stage: string }) => heard.push(`${name} ${p.stage}`))
    // The vendor sends billing on identify at sign-in; the workspace (group()) once the app has loaded it.
    linger.identify('u_1', { paymentStatus: 'past_due' })
    await linger.ready
    await platform.advance(10)
    linger.group('acct_a', { name: 'Acme' })
    await platform.advance(10)
    expect(linger.experiences.billing!.$banner.get()?.id).toBe('card-failed')
    // They update their card: the vendor's server says so on the next identify.
    linger.identify('u_1', { paymentStatus: 'active' })
    await platform.advance(10)
    expect(linger.experiences.billing!.$banner.get()).toBeNull()
    expect(heard).toEqual(['payment:prompt-shown banner', 'payment:prompt-resolved banner'])
    // Their card fails again a month later: a fresh banner from day 0, not a wall from the old failure.
    await platform.advance(30 * DAY)
    linger.identify('u_1', { paymentStatus: 'past_due' })
    await platform.advance(10)
    expect(linger.experiences.billing!.$wall.get()).toBeNull()
    expect(linger.experiences.billing!.$banner.get()?.id).toBe('card-failed')
    linger.destroy()
  })
})

describe('the yearly offer across pages', () => {
  const monthly = { billingInterval: 'month', subscribedAt: new Date(Date.parse('2026-03-02T10:00:00Z') - 4 * 30 * DAY).toISOString() }
  function page(shared: Map<string, string>) {
    const t = createTestHost({ billing }, { shared })
    const user = t.host.user as WritableAtom<UserView>
    user.set({ ...user.get(), traits: monthly })
    const c = (stop = createBilling(t.host))
    return { ...t, c }
  }

  it('a "No thanks" said on the laptop, synced to the phone while the phone is still catching up, is not sent from there before the rest of the sync: the laptop\'s yes in it stands alone', () => {
    const shared = new Map<string, string>()
    const t = createTestHost({ billing }, { shared })
    let syncing = true
    t.host.syncing = () => syncing
    const laptop = (offer: object) => t.host.state.set('billing', { offer: { variant: 'offer', at: t.platform.now() - DAY, ...offer } })
    // The first part of the laptop's record: one tab there said no while another applied the switch.
    laptop({ declining: true })
    const user = t.host.user as WritableAtom<UserView>
    user.set({ ...user.get(), traits: monthly })
    const c = (stop = createBilling(t.host))
    // The rest: the switch went through there.
    syncing = false
    laptop({ declining: true, outcome: 'accepted' })
    expect([c.$banner.get(), t.emitted.filter((e) => /Plan Offer/.test(e.event)).map((e) => e.event)]).toEqual([null, []])
  })

  it('an offer the user has not answered is still there on the next page, counted as shown once; answered, it is gone', () => {
    const shared = new Map<string, string>()
    const first = page(shared)
    expect(first.c.$banner.get()?.id).toBe('go-annual')
    expect(first.events('Plan Offer Shown')).toHaveLength(1)
    // They click a link in the host app (a full page load) before answering.
    first.c.dispose()
    $bannerClaims.set({})
    const next = page(shared)
    expect(next.c.$banner.get()?.id).toBe('go-annual')
    expect(next.events('Plan Offer Shown')).toEqual([])
    next.c.dismiss('go-annual')
    expect(next.events('Plan Offer Declined')).toHaveLength(1)
    next.c.dispose()
    $bannerClaims.set({})
    const after = page(shared)
    expect(after.c.$banner.get()).toBeNull()
    expect(after.events('Plan Offer Shown')).toEqual([])
  })

  it('a held-out user still sees nothing on the next page', () => {
    const shared = new Map<string, string>()
    const cfg = { ...billing, annualOffer: { ...billing.annualOffer!, holdout: 1 } }
    for (let i = 0; i < 2; i++) {
      const t = createTestHost({ billing: cfg }, { shared })
      const user = t.host.user as WritableAtom<UserView>
      user.set({ ...user.get(), traits: monthly })
      const c = (stop = createBilling(t.host))
      expect(c.$banner.get()).toBeNull()
      expect(t.events('Plan Offer Shown')).toHaveLength(i === 0 ? 1 : 0)
      c.dispose()
    }
  })
})

describe('a "No thanks" whose Declined never went', () => {
  it('sent three weeks later from the phone, once its sync brought the laptop\'s record, says when the user said no there, not that they said it now', () => {
    const shared = new Map<string, string>()
    const said = Date.parse('2026-03-02T10:00:00Z')
    const monthly = { billingInterval: 'month', subscribedAt: new Date(said - 4 * 30 * DAY).toISOString() }
    // The laptop: "No thanks" while another of its tabs held the turn (its vendor hanging), then the browser closed.
    const laptop = createTestHost({ billing }, { platform: createFakePlatform({ now: said, shared }), exclusive: () => {} })
    ;(laptop.host.user as WritableAtom<UserView>).set({ ...laptop.host.user.get(), traits: monthly })
    const there = createBilling(laptop.host)
    there.dismiss('go-annual')
    there.dispose()
    expect(laptop.events('Plan Offer Declined')).toEqual([])
    const phone = createTestHost({ billing }, { platform: createFakePlatform({ now: said + 21 * DAY, shared }) })
    const sent: Array<{ event: string; at?: string }> = []
    const emit = phone.host.emit
    phone.host.emit = (event, properties, options) => (sent.push({ event, at: options?.time === undefined ? undefined : new Date(options.time).toISOString() }), emit(event, properties, options))
    ;(phone.host.user as WritableAtom<UserView>).set({ ...phone.host.user.get(), traits: monthly })
    stop = createBilling(phone.host)
    expect(sent.filter((e) => e.event === 'Plan Offer Declined')).toEqual([{ event: 'Plan Offer Declined', at: '2026-03-02T10:00:00.000Z' }])
  })

  it('sent after the vendor changed the offer (20% became 30% under a new id) names the 20% offer the user said no to, not the one they never saw', () => {
    const shared = new Map<string, string>()
    const said = Date.parse('2026-03-02T10:00:00Z')
    const monthly = { billingInterval: 'month', subscribedAt: new Date(said - 4 * 30 * DAY).toISOString() }
    // "No thanks" to 20% off while another tab held the turn; the page closed before its Declined went.
    const before = createTestHost({ billing }, { platform: createFakePlatform({ now: said, shared }), exclusive: () => {} })
    ;(before.host.user as WritableAtom<UserView>).set({ ...before.host.user.get(), traits: monthly })
    const there = createBilling(before.host)
    there.dismiss('go-annual')
    there.dispose()
    $bannerClaims.set({})
    // Next visit, the vendor's flows now offer 30% under another id.
    const richer = { ...billing, annualOffer: { ...billing.annualOffer!, id: 'go-annual-30', title: 'Save 30% with yearly billing', percent: 30 } }
    const next = createTestHost({ billing: richer }, { platform: createFakePlatform({ now: said + DAY, shared }) })
    ;(next.host.user as WritableAtom<UserView>).set({ ...next.host.user.get(), traits: monthly })
    const c = (stop = createBilling(next.host))
    expect([c.$banner.get(), next.events('Plan Offer Declined').map((e) => e.properties)]).toEqual([null, [{ offerId: 'go-annual', kind: 'annual', percent: 20, variant: 'offer' }]])
  })
})

describe('"No thanks" on two devices to two different offers, neither Declined sent before the devices synced', () => {
  it('the Declined sent after the sync names one of the offers with the time the user said no to that one, not the other\'s', () => {
    const day0 = Date.parse('2026-03-02T10:00:00Z')
    const monthly = { billingInterval: 'month', subscribedAt: new Date(day0 - 4 * 30 * DAY).toISOString() }
    const richer = { ...billing, annualOffer: { ...billing.annualOffer!, id: 'go-annual-30', title: 'Save 30% with yearly billing', percent: 30 } }
    // Each device: "No thanks" while another of its tabs held the turn, then the browser closed.
    const noThanks = (cfg: Billing, at: number) => {
      const d = createTestHost({ billing: cfg }, { platform: createFakePlatform({ now: at }), exclusive: () => {} })
      ;(d.host.user as WritableAtom<UserView>).set({ ...d.host.user.get(), traits: monthly })
      const c = createBilling(d.host)
      c.dismiss(cfg.annualOffer!.id)
      c.dispose()
      $bannerClaims.set({})
      return d.host.state.get<{ offer: unknown }>('billing')!.offer
    }
    // The laptop said no to 20% on March 2; the phone, offline, to the vendor's new 30% on March 7.
    // The laptop's copy is the later write (it wrote more often).
    const laptop = noThanks(billing, day0)
    const phone = noThanks(richer, day0 + 5 * DAY)
    const synced = createTestHost({ billing: richer }, { platform: createFakePlatform({ now: day0 + 6 * DAY }) })
    synced.host.state.set('billing', { offer: joinField('billing.offer', phone, laptop) })
    const sent: Array<[unknown, string?]> = []
    const emit = synced.host.emit
    synced.host.emit = (event, properties, options) => (event === 'Plan Offer Declined' && sent.push([properties.offerId, options?.time === undefined ? undefined : new Date(options.time).toISOString()]), emit(event, properties, options))
    ;(synced.host.user as WritableAtom<UserView>).set({ ...synced.host.user.get(), traits: monthly })
    stop = createBilling(synced.host)
    expect(sent).toEqual([['go-annual', '2026-03-02T10:00:00.000Z']])
  })
})

describe('a stored decline of a shape this release does not write (a hand edit, a later release)', () => {
  it('breaks nothing: the Declined still goes, naming the offer on screen now', () => {
    const t = createTestHost({ billing })
    t.host.state.set('billing', { offer: { variant: 'offer', at: t.platform.now() - DAY, declining: t.platform.now() - DAY, declined: { offerId: 'go-annual' } } })
    ;(t.host.user as WritableAtom<UserView>).set({ ...t.host.user.get(), traits: { billingInterval: 'month', subscribedAt: new Date(t.platform.now() - 120 * DAY).toISOString() } })
    stop = createBilling(t.host)
    expect(t.events('Plan Offer Declined').map((e) => e.properties)).toEqual([{ offerId: 'go-annual', kind: 'annual', percent: 20, variant: 'offer' }])
  })
})

describe('a failed payment in a background tab', () => {
  it('is put up at once, but counts as shown only once the user looks at the tab', () => {
    const t = inBackgroundTab({ paymentStatus: 'past_due' })
    // There when they come back to the tab, without waiting for a re-check.
    expect(t.c.$banner.get()?.id).toBe('card-failed')
    expect(t.events('Payment Prompt Shown')).toEqual([])
    t.look()
    expect(t.events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'banner', daysPastDue: 0 }])
  })

  it('paid before the user ever looked at it: nothing was shown to anyone', () => {
    const t = inBackgroundTab({ paymentStatus: 'past_due' })
    t.user.set({ ...t.user.get(), traits: { paymentStatus: 'active' } })
    t.look()
    expect(t.events('Payment Prompt Shown')).toEqual([])
  })

  it('Linger shut down (linger.destroy()) before the user came to the tab: billing neither takes the banner place back nor counts its wall as shown', () => {
    const banner = inBackgroundTab({ paymentStatus: 'past_due' })
    banner.c.dispose()
    banner.look()
    // the place is free for whatever the page puts up next
    expect($bannerClaims.get()).toEqual({})
    const wall = inBackgroundTab({ paymentStatus: 'past_due', pastDueSince: new Date(wallDay()).toISOString() }, portal)
    expect(wall.c.$wall.get()?.id).toBe('card-failed')
    wall.c.dispose()
    wall.look()
    expect(wall.events('Payment Prompt Shown')).toEqual([])
  })
})

describe('a workspace past due when the runtime updated (state from a release that kept no account)', () => {
  it('paying again is still a recovered payment, and a later failure starts its own count', async () => {
    const t = createTestHost({ billing })
    // What the previous release stored for this user: prompted, first seen past due 2 days ago.
    t.host.state.set('billing', { pastDueSeenAt: t.platform.now() - 2 * DAY, prompted: { stage: 'banner', daysPastDue: 2 } })
    const user = t.host.user as WritableAtom<UserView>
    user.set({ ...user.get(), groupId: 'acct_a', groupTraits: { paymentStatus: 'past_due' } })
    const c = (stop = createBilling(t.host))
    expect(c.$banner.get()?.id).toBe('card-failed')
    user.set({ ...user.get(), groupTraits: { paymentStatus: 'active' } })
    expect(c.$banner.get()).toBeNull()
    expect(t.events('Payment Prompt Resolved').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'banner', daysPastDue: 2 }])
    // A month later the card fails again: day 0 of a new failure, not a wall from the old one.
    await t.platform.advance(30 * DAY)
    user.set({ ...user.get(), groupTraits: { paymentStatus: 'past_due' } })
    expect(c.$wall.get()).toBeNull()
    expect(c.$banner.get()?.id).toBe('card-failed')
  })
})

describe('the payment wall and a value review on screen', () => {
  it('a user reading their month when their account reaches the wall gets the wall, and the review card makes way for it', async () => {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    const flows = { version: 1, billing, valueReviews: [{ id: 'month', title: 'Your month', schedule: 'manual', items: [{ points: true, label: 'Points earned' }] }] }
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collector.test', flows, handlers: portal }, { platform })
    linger.identify('dana', { plan: 'pro' })
    await linger.ready
    await platform.advance(0)
    // Dana opens her month's review (a corner card) and leaves it open as she works.
    expect(linger.show('month')).toBe(true)
    expect(linger.experiences.reviews!.$state.get().step).toBe('open')
    // Her workspace's card failed a week ago: the app tells Linger, past the grace days.
    linger.identify('dana', { paymentStatus: 'past_due', pastDueSince: new Date(platform.now() - 7 * DAY).toISOString() })
    await platform.advance(0)
    expect(linger.experiences.billing!.$wall.get()?.id).toBe('card-failed')
    expect(linger.experiences.reviews!.$state.get().step).toBe('closed')
    await linger.flush()
    const events = platform.requests.flatMap((r) => r.body.batch).map((e: { event?: string; properties?: Record<string, unknown> }) => [e.event, e.properties?.stage ?? e.properties?.outcome ?? ''])
    expect(events.filter(([e]) => e === 'Payment Prompt Shown')).toEqual([['Payment Prompt Shown', 'wall']])
    linger.destroy()
  })
})

describe('a payment prompt for the people who can pay (audience)', () => {
  const adminsOnly: Billing = { paymentPrompt: { ...billing.paymentPrompt!, audience: { trait: 'role', eq: 'admin' } } }

  it('a member who cannot pay is not walled in nor counted as shown; made admin, they get the wall of the workspace\'s real days', async () => {
    const t = withPortal(createTestHost({ billing: adminsOnly }))
    const user = t.host.user as WritableAtom<UserView>
    user.set({ ...user.get(), traits: { role: 'member' }, groupId: 'acct_a', groupTraits: { paymentStatus: 'past_due' } })
    const c = (stop = createBilling(t.host))
    expect(c.$banner.get()).toBeNull()
    // Past the grace days: still nothing for someone who has no way to pay.
    await t.platform.advance(6 * DAY)
    t.track('Page Viewed')
    expect(c.$wall.get()).toBeNull()
    expect(c.$banner.get()).toBeNull()
    expect(t.events('Payment Prompt Shown')).toEqual([])
    // The vendor asking why(id) hears why: the audience, not just a status that would prompt anyone else.
    expect(c.why!('card-failed')).toEqual(['audience: trait role eq "admin" (was "member")', 'paymentStatus "past_due", 6 days past due'])
    // The owner makes them an admin: the prompt follows, counted from when the workspace was first seen past due.
    user.set({ ...user.get(), traits: { role: 'admin' } })
    expect(c.$wall.get()?.id).toBe('card-failed')
    expect(t.events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'wall', daysPastDue: 6 }])
    // And back to member: the wall goes.
    user.set({ ...user.get(), traits: { role: 'member' } })
    expect(c.$wall.get()).toBeNull()
  })

  it('through the real runtime: a member whose role comes on identify() and whose billing comes on group() sees nothing', async () => {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collector.test', flows: { version: 1, billing: adminsOnly }, handlers: portal }, { platform })
    linger.identify('mo', { role: 'member' })
    linger.group('acct_a', { paymentStatus: 'past_due', pastDueSince: new Date(platform.now() - 9 * DAY).toISOString() })
    await linger.ready
    await platform.advance(10)
    expect(linger.experiences.billing!.$wall.get()).toBeNull()
    expect(linger.experiences.billing!.$banner.get()).toBeNull()
    linger.identify('mo', { role: 'admin' })
    await platform.advance(10)
    expect(linger.experiences.billing!.$wall.get()?.id).toBe('card-failed')
    await linger.flush()
    const shown = platform.requests.flatMap((r) => r.body.batch).filter((e: { event?: string }) => e.event === 'Payment Prompt Shown')
    expect(shown.map((e: { properties: { stage: string; daysPastDue: number } }) => [e.properties.stage, e.properties.daysPastDue])).toEqual([['wall', 9]])
    linger.destroy()
  })
})

describe('a member of two past-due workspaces (no pastDueSince sent)', () => {
  it('counts each workspace\'s days from when that one was first seen past due, and resolves each with its own numbers', async () => {
    const t = withPortal(createTestHost({ billing }))
    const user = t.host.user as WritableAtom<UserView>
    const open = (groupId: string, paymentStatus: string) => user.set({ ...user.get(), groupId, groupTraits: { paymentStatus } })
    open('acct_a', 'past_due')
    const c = (stop = createBilling(t.host))
    await t.platform.advance(6 * DAY)
    t.track('Page Viewed')
    expect(c.$wall.get()?.id).toBe('card-failed')
    // Workspace B's card fails today: day 0 there, its banner, not A's wall.
    open('acct_b', 'past_due')
    expect(c.$wall.get()).toBeNull()
    expect(c.$banner.get()?.id).toBe('card-failed')
    expect(t.events('Payment Prompt Shown').map((e) => e.properties)).toEqual([
      { promptId: 'card-failed', stage: 'banner', daysPastDue: 0 },
      { promptId: 'card-failed', stage: 'wall', daysPastDue: 6 },
      { promptId: 'card-failed', stage: 'banner', daysPastDue: 0 },
    ])
    // Back in A: still its wall, six days in (B's day 0 did not restart A's count).
    open('acct_a', 'past_due')
    expect(c.$wall.get()?.id).toBe('card-failed')
    expect(c.why!('card-failed')).toEqual(['paymentStatus "past_due", 6 days past due'])
    // Each pays: each is recovered once, with what was shown there.
    open('acct_b', 'active')
    open('acct_a', 'active')
    expect(t.events('Payment Prompt Resolved').map((e) => e.properties)).toEqual([
      { promptId: 'card-failed', stage: 'banner', daysPastDue: 0 },
      { promptId: 'card-failed', stage: 'wall', daysPastDue: 6 },
    ])
  })
})

describe('a member of two workspaces whose cards both failed long ago (pastDueSince sent)', () => {
  it('going from one workspace\'s banner or wall to the other\'s shows the other\'s, counted as shown with its own days', () => {
    const t = withPortal(createTestHost({ billing }))
    const user = t.host.user as WritableAtom<UserView>
    const since = (days: number) => new Date(t.platform.now() - days * DAY).toISOString()
    const open = (groupId: string, days: number) => user.set({ ...user.get(), groupId, groupTraits: { paymentStatus: 'past_due', pastDueSince: since(days) } })
    open('acct_a', 1)
    const c = (stop = createBilling(t.host))
    open('acct_b', 2)
    expect(c.$banner.get()?.id).toBe('card-failed')
    open('acct_c', 8)
    open('acct_d', 12)
    expect(c.$wall.get()?.id).toBe('card-failed')
    const pressed = () => t.events('Payment Prompt Clicked').at(-1)?.properties.daysPastDue
    c.act('card-failed')
    expect(pressed()).toBe(12)
    expect(t.events('Payment Prompt Shown').map((e) => [e.properties.stage, e.properties.daysPastDue])).toEqual([['banner', 1], ['banner', 2], ['wall', 8], ['wall', 12]])
  })
})

describe('one person with two past-due workspaces open, one in each tab', () => {
  it('each tab keeps its workspace\'s own prompt and days, and the tabs do not rewrite each other\'s record back and forth', async () => {
    const shared = new Map<string, string>()
    const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
    const tab = (groupId: string) => {
      const t = withPortal(createTestHost({ billing }, { shared, platform: createFakePlatform({ shared, clock }) }))
      const user = t.host.user as WritableAtom<UserView>
      user.set({ ...user.get(), groupId, groupTraits: { paymentStatus: 'past_due' } })
      return { ...t, c: createBilling(t.host) }
    }
    const a = tab('acct_a')
    await a.platform.advance(6 * DAY)
    const b = tab('acct_b')
    // Each tab hears of the other's writes, as tabs do (the storage event), a few times over.
    const stored = () => JSON.stringify([...shared])
    const hear = () => [a, b].forEach((t) => [...shared.keys()].forEach((k) => t.platform.fireStorage(k)))
    hear()
    const settled = stored()
    for (let i = 0; i < 4; i++) hear()
    expect(stored()).toBe(settled)
    a.track('Page Viewed')
    expect(a.c.$wall.get()?.id).toBe('card-failed')
    expect(a.c.why!('card-failed')).toEqual(['paymentStatus "past_due", 6 days past due'])
    // (Both tabs share this test's one banner place, so B's banner is read from what it reported.)
    expect(b.c.$wall.get()).toBeNull()
    expect(b.c.why!('card-failed')).toEqual(['paymentStatus "past_due", 0 days past due'])
    expect(b.events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'banner', daysPastDue: 0 }])
    a.c.dispose()
    b.c.dispose()
  })
})

describe('a failed payment recorded by the release before per-account records', () => {
  it('stays that workspace\'s: its wall and days come back there, and another workspace counts from its own first sighting', () => {
    const t = withPortal(createTestHost({ billing }))
    t.host.state.set('billing', { pastDueSeenAt: t.platform.now() - 6 * DAY, account: 'acct_a', prompted: { stage: 'wall', daysPastDue: 6 } })
    const user = t.host.user as WritableAtom<UserView>
    const open = (groupId: string, paymentStatus: string) => user.set({ ...user.get(), groupId, groupTraits: { paymentStatus } })
    open('acct_b', 'past_due')
    const c = (stop = createBilling(t.host))
    expect(c.$wall.get()).toBeNull()
    expect(c.$banner.get()?.id).toBe('card-failed')
    open('acct_a', 'past_due')
    expect(c.$wall.get()?.id).toBe('card-failed')
    open('acct_a', 'active')
    expect(t.events('Payment Prompt Resolved').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'wall', daysPastDue: 6 }])
  })
})

describe('a renewal reminder for the people who can act on it (audience)', () => {
  const adminsOnly: Billing = { renewalReminders: { ...billing.renewalReminders!, audience: { trait: 'role', eq: 'admin' } } }

  it('a member who cannot pay gets no "Check payment details" reminder and none is counted shown; the admin of the same workspace gets it', () => {
    const t = withPortal(createTestHost({ billing: adminsOnly }))
    const user = t.host.user as WritableAtom<UserView>
    user.set({ ...user.get(), traits: { role: 'member' }, groupId: 'acct_a', groupTraits: { renewsAt: new Date(t.platform.now() + 3 * DAY).toISOString() } })
    const c = (stop = createBilling(t.host))
    expect(c.$banner.get()).toBeNull()
    expect(t.events('Payment Prompt Shown')).toEqual([])
    // The vendor asking why(id) hears the audience, not just the renewal date.
    expect(c.why!('renewal')?.[0]).toBe('audience: trait role eq "admin" (was "member")')
    // Made admin: the reminder, counted once.
    user.set({ ...user.get(), traits: { role: 'admin' } })
    expect(c.$banner.get()?.id).toBe('renewal')
    expect(t.events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'renewal', stage: 'reminder', daysUntilRenewal: 3 }])
    // And back to member: the reminder goes.
    user.set({ ...user.get(), traits: { role: 'member' } })
    expect(c.$banner.get()).toBeNull()
  })
})

describe('a prompt whose audience names a page, in a single-page app', () => {
  const onBillingPages: Billing = {
    paymentPrompt: { ...billing.paymentPrompt!, audience: { url: '/settings/billing*' } },
    annualOffer: { ...billing.annualOffer!, audience: { url: '/settings/billing*' } },
  }
  const start = (cfg: Billing) => {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collector.test', flows: { version: 1, billing: cfg } }, { platform })
    // The router moves to another page: no reload, no event, no trait change.
    const go = (path: string) => (platform.setPage({ url: `https://app.example.com${path}`, path }), linger.page())
    return { platform, linger, go }
  }

  it('an admin whose card failed gets the banner as soon as they open the billing settings, without clicking anything', async () => {
    const { platform, linger, go } = start({ paymentPrompt: onBillingPages.paymentPrompt })
    linger.identify('ada', { paymentStatus: 'past_due' })
    await linger.ready
    await platform.advance(10)
    expect(linger.experiences.billing!.$banner.get()).toBeNull()
    go('/settings/billing')
    await platform.advance(10)
    expect(linger.experiences.billing!.$banner.get()?.id).toBe('card-failed')
    // Back on the dashboard, the page the audience does not name: the banner goes.
    go('/dashboard')
    await platform.advance(10)
    expect(linger.experiences.billing!.$banner.get()).toBeNull()
    linger.destroy()
  })

  it('a monthly customer gets the yearly offer as soon as they open the billing settings', async () => {
    const { platform, linger, go } = start({ annualOffer: onBillingPages.annualOffer })
    linger.identify('ada', { billingInterval: 'month', subscribedAt: new Date(platform.now() - 4 * 30 * DAY).toISOString() })
    await linger.ready
    await platform.advance(10)
    expect(linger.experiences.billing!.$banner.get()).toBeNull()
    go('/settings/billing')
    await platform.advance(10)
    expect(linger.experiences.billing!.$banner.get()?.id).toBe('go-annual')
    linger.destroy()
  })

  it('the yearly offer for the billing settings does not follow the customer to the dashboard, and is there again (counted once) when they come back', async () => {
    const { platform, linger, go } = start({ annualOffer: onBillingPages.annualOffer })
    linger.identify('ada', { billingInterval: 'month', subscribedAt: new Date(platform.now() - 4 * 30 * DAY).toISOString() })
    await linger.ready
    go('/settings/billing')
    await platform.advance(10)
    expect(linger.experiences.billing!.$banner.get()?.id).toBe('go-annual')
    go('/dashboard')
    await platform.advance(10)
    expect(linger.experiences.billing!.$banner.get()).toBeNull()
    go('/settings/billing/plans')
    await platform.advance(10)
    expect(linger.experiences.billing!.$banner.get()?.id).toBe('go-annual')
    await linger.flush()
    const shown = platform.requests.flatMap((r) => r.body?.batch ?? []).filter((e: { event?: string }) => e.event === 'Plan Offer Shown')
    expect(shown).toHaveLength(1)
    linger.destroy()
  })
})

describe('a payment wall on a page that gave no onUpdatePayment handler', () => {
  // The wall's one button would fail with handler-missing and offer Try again for ever: the user
  // walled out of the product with no way on. Without the handler, the prompt stays a banner.
  function start() {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collector.test', flows: { version: 1, billing } }, { platform })
    const errors: Array<{ code: string; message: string }> = []
    linger.on('error', (e: { code: string; message: string }) => errors.push(e))
    const shown = async () => {
      await linger.flush()
      return platform.requests.flatMap((r) => r.body.batch).filter((e: { event?: string }) => e.event === 'Payment Prompt Shown').map((e: { properties: { stage: string; daysPastDue: number } }) => [e.properties.stage, e.properties.daysPastDue])
    }
    return { platform, linger, errors, shown }
  }

  it('a user 9 days past due is not walled out: they see the banner, can put it off, and the vendor hears handler-missing once', async () => {
    const { platform, linger, errors, shown } = start()
    linger.identify('ivy', { paymentStatus: 'past_due', pastDueSince: new Date(platform.now() - 9 * DAY).toISOString() })
    await linger.ready
    await platform.advance(0)
    const c = linger.experiences.billing!
    expect(c.$wall.get()).toBeNull()
    expect(c.$banner.get()).toMatchObject({ id: 'card-failed', layout: 'banner', dismiss: 'later' })
    // "Remind me later": the banner goes, and stays away through her next pages.
    c.dismiss('card-failed')
    expect(c.$banner.get()).toBeNull()
    linger.page()
    linger.identify('ivy', { paymentStatus: 'past_due', pastDueSince: new Date(platform.now() - 9 * DAY).toISOString(), seats: 3 })
    await platform.advance(120_000)
    expect(c.$wall.get()).toBeNull()
    expect(c.$banner.get()).toBeNull()
    expect(await shown()).toEqual([['banner', 9]])
    const missing = errors.filter((e) => e.code === 'handler-missing')
    expect(missing).toHaveLength(1)
    expect(missing[0]!.message).toContain('onUpdatePayment')
    expect(missing[0]!.message).toContain('wall')
    // A day on (remindAfterHours), the banner is back: still a banner, never the wall.
    await platform.advance(DAY)
    linger.page()
    await platform.advance(0)
    expect(c.$wall.get()).toBeNull()
    expect(c.$banner.get()).toMatchObject({ id: 'card-failed', layout: 'banner', dismiss: 'later' })
    expect(errors.filter((e) => e.code === 'handler-missing')).toHaveLength(1)
    linger.destroy()
  })

  it('a handler the vendor gives later (linger.cancel(handlers)) puts the wall up at the next re-check', async () => {
    const { platform, linger, shown } = start()
    linger.identify('ivy', { paymentStatus: 'past_due', pastDueSince: new Date(platform.now() - 9 * DAY).toISOString() })
    await linger.ready
    await platform.advance(0)
    const c = linger.experiences.billing!
    expect(c.$wall.get()).toBeNull()
    let opened = 0
    linger.cancel({ onUpdatePayment: () => void opened++ })
    linger.identify('ivy', { paymentStatus: 'past_due', pastDueSince: new Date(platform.now() - 9 * DAY).toISOString(), seats: 3 })
    await platform.advance(0)
    expect(c.$wall.get()).toMatchObject({ id: 'card-failed', layout: 'modal' })
    expect(c.$banner.get()).toBeNull()
    c.act('card-failed')
    expect(opened).toBe(1)
    expect(await shown()).toEqual([['banner', 9], ['wall', 9]])
    linger.destroy()
  })
})

describe('the yearly-billing offer open in two tabs of one customer', () => {
  const monthly = { billingInterval: 'month', subscribedAt: new Date(Date.parse('2026-03-02T10:00:00Z') - 4 * 30 * DAY).toISOString() }
  /** Two tabs over one storage and one set of Web Locks: a lock is held until its holder's work settles. */
  async function twoTabs(onPlanChange: () => unknown) {
    const shared = new Map<string, string>()
    let queue = Promise.resolve()
    const exclusive = (_name: string, fn: () => void | Promise<void>) => void (queue = queue.then(() => new Promise<void>((r) => setTimeout(() => Promise.resolve(fn()).finally(r), 0))))
    // `lock`: the tab's Web Locks (another browser session's, once the first one's tabs are closed).
    const tabs: Array<ReturnType<typeof createTestHost>> = []
    const open = async (lock = exclusive) => {
      const t = createTestHost({ billing }, { platform: createFakePlatform({ now: Date.parse('2026-03-02T10:00:00Z'), shared }), exclusive: lock })
      Object.assign(t.host.handlers, { onPlanChange })
      const user = t.host.user as WritableAtom<UserView>
      user.set({ ...user.get(), traits: monthly })
      tabs.push(t)
      // A page of its own: its own banner place (notice.ts), not the other tab's.
      vi.resetModules()
      return { ...t, c: (await import('./billing')).createBilling(t.host) }
    }
    const a = await open()
    const b = await open()
    // A lock's grant is a task of its own, after the microtask that asks for it; then each tab
    // hears the others' writes (the storage event, a task later in a real browser). `hear: false`:
    // a click that comes before it.
    const tick = async (hear = true) => {
      await new Promise((r) => setTimeout(r, 0))
      await new Promise((r) => setTimeout(r, 0))
      if (hear) tabs.forEach((t) => [...shared.keys()].forEach((k) => t.platform.fireStorage(k)))
    }
    return { a, b, tick, open, answers: () => [...a.emitted, ...b.emitted].filter((e) => /Plan Offer (Accepted|Declined)/.test(e.event)).map((e) => e.event) }
  }

  it('"No thanks" in one tab while the other applies "Switch to yearly": the vendor said yes, so the one answer counted is Accepted, not a Declined beside it', async () => {
    let apply!: () => void
    const { a, b, tick, answers } = await twoTabs(() => new Promise<void>((r) => (apply = r)))
    expect([a.c.$banner.get()?.id, b.c.$banner.get()?.id]).toEqual(['go-annual', 'go-annual'])
    a.c.act('go-annual')
    await tick()
    b.c.dismiss('go-annual')
    expect(b.c.$banner.get()).toBeNull()
    await tick()
    apply()
    for (let i = 0; i < 5; i++) await tick()
    expect(answers()).toEqual(['Plan Offer Accepted'])
    a.c.dispose(), b.c.dispose()
  })

  it('"No thanks" in one tab, then "Switch to yearly" in the other before it heard: the later, explicit yes is asked of the vendor and thanked, not closed without a word', async () => {
    let asked = 0
    const { a, b, tick, answers } = await twoTabs(() => void asked++)
    b.c.dismiss('go-annual')
    a.c.act('go-annual')
    for (let i = 0; i < 3; i++) await tick()
    expect([asked, answers().sort(), a.c.$banner.get()?.status]).toEqual([1, ['Plan Offer Accepted', 'Plan Offer Declined'], 'done'])
    a.c.dispose(), b.c.dispose()
  })

  it('the vendor refused "Switch to yearly" in one tab, "No thanks" was said in the other, then Try again in the first before it heard: the vendor is asked again and the user is thanked, not left with a banner that vanished', async () => {
    let fail = true
    let asked = 0
    const { a, b, tick, answers } = await twoTabs(() => (asked++, fail ? Promise.reject(new Error('card declined')) : undefined))
    a.c.act('go-annual')
    for (let i = 0; i < 3; i++) await tick()
    expect(a.c.$banner.get()?.status).toBe('error')
    b.c.dismiss('go-annual')
    fail = false
    a.c.act('go-annual')
    for (let i = 0; i < 3; i++) await tick()
    expect([asked, answers().sort(), a.c.$banner.get()?.status]).toEqual([2, ['Plan Offer Accepted', 'Plan Offer Declined'], 'done'])
    a.c.dispose(), b.c.dispose()
  })

  it('"Switch to yearly" went through in one tab, then "No thanks" in the other before it heard: the yes stands, with no Declined after it', async () => {
    const { a, b, tick, answers } = await twoTabs(() => {})
    a.c.act('go-annual')
    await tick(false)
    expect(answers()).toEqual(['Plan Offer Accepted'])
    b.c.dismiss('go-annual')
    // The first tab's turn is held a while after its yes (CLAIM_MS); then the second's comes.
    await a.platform.advance(60_000)
    for (let i = 0; i < 3; i++) await tick()
    expect([answers(), b.host.state.fresh<{ offer: { outcome?: string } }>('billing')?.offer.outcome]).toEqual([['Plan Offer Accepted'], 'accepted'])
    a.c.dispose(), b.c.dispose()
  })

  it('a vendor\'s debug panel asking why the offer is gone while its "No thanks" waits for the other tab\'s turn hears that a decline is pending, not that the offer is shown', async () => {
    const { a, b, tick } = await twoTabs(() => new Promise<void>(() => {}))
    a.c.act('go-annual')
    await tick()
    b.c.dismiss('go-annual')
    await tick()
    expect([b.c.$banner.get(), b.c.why!('go-annual')]).toEqual([null, ['offer offer declining']])
    a.c.dispose(), b.c.dispose()
  })

  it('"No thanks" in one tab, then the page shut down (linger.destroy()) while the other tab still held the turn: the destroyed tab sends nothing', async () => {
    let refuse!: (e: Error) => void
    const { a, b, tick } = await twoTabs(() => new Promise<void>((_r, j) => (refuse = j)))
    a.c.act('go-annual')
    await tick()
    b.c.dismiss('go-annual')
    b.c.dispose()
    refuse(new Error('card declined'))
    for (let i = 0; i < 5; i++) await tick()
    expect(b.emitted.filter((e) => /Plan Offer/.test(e.event)).map((e) => e.event)).toEqual([])
    a.c.dispose()
  })

  it('"No thanks" while the other tab\'s vendor never answers its "Switch to yearly" is not lost: after a reload the offer stays away, and the Declined goes once the turn is free', async () => {
    const { a, b, tick, open } = await twoTabs(() => new Promise<void>(() => {}))
    a.c.act('go-annual')
    await tick()
    b.c.dismiss('go-annual')
    await tick()
    // The user reloads the tab they said no in, while the first tab's vendor still hangs.
    b.c.dispose()
    const reloaded = await open()
    await tick()
    expect(reloaded.c.$banner.get()).toBeNull()
    reloaded.c.dispose()
    // The browser closed, its hung turn with it; the next visit has the lock to itself.
    a.c.dispose()
    const later = await open((_name, fn) => void fn())
    await tick()
    const declined = [b, reloaded, later].flatMap((t) => t.emitted).filter((e) => e.event === 'Plan Offer Declined')
    expect([later.c.$banner.get(), declined.map((e) => e.properties.offerId)]).toEqual([null, ['go-annual']])
    later.c.dispose()
  })

  it("the other tab's vendor never answers its \"Switch to yearly\": this tab's button does not spin for ever, it offers Try again", async () => {
    let asked = 0
    const { a, b, tick } = await twoTabs(() => (asked++, new Promise<void>(() => {})))
    a.c.act('go-annual')
    await tick()
    b.c.act('go-annual')
    expect(b.c.$banner.get()).toMatchObject({ id: 'go-annual', status: 'busy' })
    await b.platform.advance(60_000)
    expect(b.c.$banner.get()).toMatchObject({ id: 'go-annual', status: 'error' })
    // The vendor was asked once, by the first tab: the second never asked it again.
    expect(asked).toBe(1)
    a.c.dispose(), b.c.dispose()
  })
})

describe('"Switch to yearly" accepted on two devices of one customer', () => {
  it('is one acceptance to a collector (or the vendor\'s own pipeline) that keeps one event per messageId', async () => {
    const ids: string[] = []
    for (const seed of [1, 2]) {
      const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') }, seed })
      const linger = createLinger({ key: 'pk_test', endpoint: 'https://collector.test', flows: { version: 1, billing }, handlers: { onPlanChange: () => {} } }, { platform })
      linger.identify('dana', { billingInterval: 'month', subscribedAt: new Date(platform.now() - 4 * 30 * DAY).toISOString() })
      await linger.ready
      await platform.advance(0)
      linger.experiences.billing!.act('go-annual')
      await platform.advance(0)
      await linger.flush()
      ids.push(...platform.requests.flatMap((r) => r.body?.batch ?? []).filter((e: { event?: string }) => e.event === 'Plan Offer Accepted').map((e: { messageId: string }) => e.messageId))
      linger.destroy()
    }
    expect(ids).toHaveLength(2)
    expect(ids[0]).toBe(ids[1])
  })
})
