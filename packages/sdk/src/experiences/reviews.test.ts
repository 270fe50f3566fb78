import { describe, expect, it } from 'vitest'
import { createFakePlatform } from '../fake-platform'
import { createTestHost, webLocks } from './badges/test-host'
import { createReviews } from './reviews'
import { CLAIM_MS } from './across-tabs'
import { heldClaims } from './across-tabs.fixture'
import { createChecklists } from './checklist'
import { createSurveys } from './surveys'
import type { ValueReview } from '../config/flows-schema'
import { createLinger } from '../client'
import type { LingerEvent } from '../events'
// Loaded ahead, as a page that already ran has them (see client.test.ts): the client's chunks
// then settle within the fake clock's turns.
import '../sync/state-sync'
import '../config/boot'
import '../transport/adopt'
import { laggingStorage, lockedTabs } from '../lagging-storage'

const review: ValueReview = { id: 'month-in-acme', title: 'Your month in Acme', items: [{ event: 'Invoice Sent', label: 'Invoices sent' }] }
// A time on the clock of the fake browser, whose zone is UTC (not the machine's: a CI runner in
// another zone reads the same days).
const local = (s: string) => Date.parse(`${s}Z`)

function setup(at: string, shared = new Map<string, string>()) {
  const platform = createFakePlatform({ now: local(at), shared })
  const t = createTestHost({ valueReviews: [review] } as never, { platform })
  return { ...t, shared }
}

/** The storage a user's pages share, after a page on 10 November where they sent an invoice: December's review has a month to show. */
function invoicedInNovember() {
  const november = setup('2026-11-10T10:00:00')
  november.track('Invoice Sent')
  november.platform.pageHide()
  return november.shared
}

describe('value review', () => {
  it("shows last month's numbers at the first visit of a month, once, and marks the period", async () => {
    const shared = new Map<string, string>()
    const november = setup('2026-11-10T10:00:00', shared)
    november.track('Invoice Sent')
    november.track('Invoice Sent')
    // November's visit ends: leaving the page writes its usage.
    november.platform.pageHide()
    const first = setup('2026-12-01T09:00:00', shared)
    const reviews = createReviews(first.host)
    await first.platform.advance(1)
    const s = reviews.$state.get()
    // Linger first saw them on 10 November: October is not a month of 0 invoices to beat.
    expect(s.step === 'open' && s.items).toEqual([{ label: 'Invoices sent', value: 2 }])
    expect(reviews.$needsUi.get()).toBe(true)
    expect(first.events('Value Review Shown').map((e) => e.properties)).toEqual([{ reviewId: 'month-in-acme', period: '2026-11' }])
    reviews.close()
    expect(reviews.$state.get().step).toBe('closed')

    // The next visit, the same month: not again.
    const again = setup('2026-12-02T09:00:00', shared)
    const later = createReviews(again.host)
    await again.platform.advance(1)
    expect(later.$state.get().step).toBe('closed')
    expect(later.why!('month-in-acme')).toContain('already-shown:2026-11')
  })

  it('counts as shown once its card is on the page: not while its UI is still loading, nor if the user closed it by then', async () => {
    const shared = invoicedInNovember()
    const first = setup('2026-12-01T09:00:00', shared)
    let drawn = false
    const waiting: Array<() => void> = []
    first.host.undrawn = (kind, then) => kind === 'reviews' && !drawn && !!waiting.push(then)
    const reviews = createReviews(first.host)
    await first.platform.advance(1)
    expect(reviews.$state.get().step).toBe('open')
    expect(first.events('Value Review Shown')).toEqual([])
    drawn = true
    waiting.splice(0).forEach((fn) => fn())
    expect(first.events('Value Review Shown').map((e) => e.properties)).toEqual([{ reviewId: 'month-in-acme', period: '2026-11' }])
    // Opened again on demand, and gone before its UI came: no Shown for it.
    reviews.close()
    drawn = false
    reviews.show!('month-in-acme')
    reviews.close()
    drawn = true
    waiting.splice(0).forEach((fn) => fn())
    expect(first.events('Value Review Shown')).toHaveLength(1)
  })

  it('in a tab the user has not looked at yet, the month\'s review waits: it is not spent on no one', async () => {
    const shared = invoicedInNovember()
    const t = setup('2026-12-01T09:00:00', shared)
    let hidden = true
    const waiting: Array<() => void> = []
    t.host.screen = { when: (fn) => fn(), away: (then) => hidden && (waiting.push(then), true) }
    const reviews = createReviews(t.host)
    await t.platform.advance(1)
    expect(reviews.$state.get().step).toBe('closed')
    expect(t.events('Value Review Shown')).toEqual([])
    hidden = false
    waiting.splice(0).forEach((fn) => fn())
    expect(reviews.$state.get().step).toBe('open')
    expect(t.events('Value Review Shown').map((e) => e.properties)).toEqual([{ reviewId: 'month-in-acme', period: '2026-11' }])
  })

  it('a user with nothing last month gets no scheduled review, but can open this month on demand', async () => {
    const t = setup('2026-12-05T09:00:00')
    t.track('Invoice Sent')
    const reviews = createReviews(t.host)
    await t.platform.advance(1)
    expect(reviews.$state.get().step).toBe('closed')
    expect(reviews.show!('month-in-acme')).toBe(true)
    const s = reviews.$state.get()
    expect(s.step === 'open' && [s.period.period, s.items]).toEqual(['2026-12', [{ label: 'Invoices sent', value: 1 }]])
    expect(t.events('Value Review Shown').map((e) => e.properties)).toEqual([{ reviewId: 'month-in-acme', period: '2026-12' }])
    // A look "so far" does not stand in for December's review in January.
    expect(t.host.state.get('review:month-in-acme')).toBeUndefined()
  })

  it("a user who signs out takes their numbers with them: the next user on the device never sees them", async () => {
    const t = setup('2026-12-05T09:00:00')
    t.track('Invoice Sent')
    const released: string[] = []
    t.host.release = (id, outcome) => void released.push(`${id} ${outcome}`)
    const reviews = createReviews(t.host)
    reviews.show!('month-in-acme')
    expect(reviews.$state.get().step).toBe('open')
    // Ann signs out of the shared laptop, Bob signs in.
    t.$user.set({ userKey: 'u:bob', anonymousId: 'a2', userId: 'bob', traits: {} })
    expect(reviews.$state.get().step).toBe('closed')
    expect(released).toEqual(['month-in-acme abandoned'])
  })

  it('the points line counts every point earned in the month, checklist tasks and rewards too, as the badge shelf does', async () => {
    const platform = createFakePlatform({ now: local('2026-11-10T10:00:00') })
    const flows = {
      valueReviews: [{ id: 'month', title: 'Your month', items: [{ points: true, label: 'Points earned' }] }],
      badges: [{ id: 'first', title: 'First invoice', points: 10, rule: { event: 'Invoice Sent', count: { gte: 1 } } }],
      checklists: [{ id: 'start', title: 'Start', reward: { points: 50 }, tasks: [{ id: 'send', title: 'Send an invoice', points: 20, doneWhen: { event: 'Invoice Sent' } }] }],
    }
    const t = createTestHost(flows as never, { platform })
    const november = local('2026-11-10T10:00:00')
    t.host.state.set('badges', { earned: { first: november }, points: 80, level: -1 })
    t.host.state.set('checklist:start', { status: 'completed', done: { send: november } })
    await platform.advance(21 * 86_400_000)
    const reviews = createReviews(t.host)
    await platform.advance(1)
    const s = reviews.$state.get()
    expect(s.step === 'open' && s.items).toEqual([{ label: 'Points earned', value: 80, previous: 0, badges: 1 }])
  })

  it('a task the vendor adds to a list finished last month earns its own points this month, not the list\'s reward a second time', async () => {
    const platform = createFakePlatform({ now: local('2026-10-10T10:00:00') })
    const send = { id: 'send', title: 'Send an invoice', points: 20, doneWhen: { event: 'Invoice Sent' } }
    const list = { id: 'start', title: 'Start', reward: { points: 50 }, tasks: [send] }
    const flows = { valueReviews: [{ id: 'month', title: 'Your month', items: [{ points: true, label: 'Points earned' }] }], checklists: [list] }
    const t = createTestHost(flows as never, { platform })
    const checklists = createChecklists(t.host)
    // October: the list is done, its reward granted.
    t.track('Invoice Sent')
    expect(t.events('Checklist Completed')).toHaveLength(1)
    // November: the vendor adds a task worth 10, and the user does it.
    await platform.advance(31 * 86_400_000)
    ;(t.host.flows as unknown as { set(v: object): void }).set({ ...t.host.flows.get(), checklists: [{ ...list, tasks: [send, { id: 'invite', title: 'Invite', points: 10, doneWhen: { event: 'Teammate Invited' } }] }] } as never)
    t.track('Teammate Invited')
    expect(t.events('Checklist Task Completed')).toHaveLength(2)
    checklists.dispose()
    // The first visit of December reviews November: 10 points earned there.
    await platform.advance(22 * 86_400_000)
    const reviews = createReviews(t.host)
    await platform.advance(1)
    const s = reviews.$state.get()
    expect(s.step === 'open' && s.items).toEqual([{ label: 'Points earned', value: 10, previous: 70, badges: 0 }])
  })

  it("the month's badges are the ones the user holds now: one the vendor has since taken out of the flows is not counted", async () => {
    const platform = createFakePlatform({ now: local('2026-11-10T10:00:00') })
    const flows = {
      valueReviews: [{ id: 'month', title: 'Your month', items: [{ points: true, label: 'Points earned' }] }],
      badges: [{ id: 'first', title: 'First invoice', points: 10, rule: { event: 'Invoice Sent', count: { gte: 1 } } }],
    }
    const t = createTestHost(flows as never, { platform })
    const november = local('2026-11-10T10:00:00')
    t.host.state.set('badges', { earned: { first: november, 'retired-badge': november }, points: 10, level: -1 })
    await platform.advance(21 * 86_400_000)
    const reviews = createReviews(t.host)
    await platform.advance(1)
    const s = reviews.$state.get()
    expect(s.step === 'open' && s.items).toEqual([{ label: 'Points earned', value: 10, previous: 0, badges: 1 }])
  })

  it('a month already reviewed does not bring back the month before it when the clock steps back over midnight', async () => {
    const shared = new Map<string, string>()
    const october = setup('2026-10-20T10:00:00', shared)
    october.track('Invoice Sent')
    october.platform.pageHide()
    const november = setup('2026-11-20T10:00:00', shared)
    november.track('Invoice Sent')
    // October's review, seen.
    const seen = createReviews(november.host)
    await november.platform.advance(1)
    seen.close()
    november.platform.pageHide()
    // Just after midnight on 1 December (the clock a few minutes fast): November's review.
    const dec = setup('2026-12-01T00:03:00', shared)
    const shown = createReviews(dec.host)
    await dec.platform.advance(1)
    expect(dec.events('Value Review Shown').map((e) => e.properties.period)).toEqual(['2026-11'])
    shown.close()
    dec.platform.pageHide()
    // The clock is put right (or the user is now a zone to the west): 30 November, 23:58.
    const back = setup('2026-11-30T23:58:00', shared)
    const again = createReviews(back.host)
    await back.platform.advance(1)
    expect(back.events('Value Review Shown')).toEqual([])
    expect(again.why!('month-in-acme')).toContain('already-shown:2026-10')
  })
})

describe('two app windows open on the first visit of a month', () => {
  it("shows the month's review in one of them, counted Shown once: the other, in its turn, hears it was shown", async () => {
    const shared = invoicedInNovember()
    // 1 December: the user opens the app in two windows side by side, each with its own copy of storage.
    const lag = laggingStorage(local('2026-12-01T09:00:00'))
    for (const [k, v] of shared) lag.storage.set(k, v)
    const locks = lockedTabs(lag)
    const open = () => {
      const platform = locks.tab()
      const t = createTestHost({ valueReviews: [review] } as never, { platform, exclusive: platform.exclusive })
      return { ...t, reviews: createReviews(t.host) }
    }
    const a = open()
    const b = open()
    await a.platform.advance(1)
    await b.platform.advance(1)
    await locks.settled()
    lag.deliver()
    expect([a.reviews.$state.get().step, b.reviews.$state.get().step].sort()).toEqual(['closed', 'open'])
    expect([...a.events('Value Review Shown'), ...b.events('Value Review Shown')].map((e) => e.properties)).toEqual([{ reviewId: 'month-in-acme', period: '2026-11' }])
  })

  it("someone else who signs in while the month's review waits for its turn gets their own in theirs", async () => {
    const shared = invoicedInNovember()
    const locks = webLocks()
    const t = createTestHost({ valueReviews: [review] } as never, { platform: createFakePlatform({ now: local('2026-12-01T09:00:00'), shared }), exclusive: locks.exclusive })
    const reviews = createReviews(t.host)
    await t.platform.advance(1)
    expect(locks.requests).toHaveLength(1)
    t.$user.set({ userKey: 'u:bob', anonymousId: 'a2', userId: 'bob', traits: {} })
    await locks.settled()
    expect(reviews.$state.get().step).toBe('open')
    expect(t.events('Value Review Shown')).toHaveLength(1)
  })

  it("Linger stopped (destroy()) while the month's review waits on its claim spends nothing for no one: the page that starts Linger again shows it, counted Shown once", async () => {
    const shared = invoicedInNovember()
    const locks = webLocks()
    const platform = createFakePlatform({ now: local('2026-12-01T09:00:00'), shared })
    // The lock manager answers the claim late (Chromium under load).
    let answer!: () => void
    const late = new Promise<void>((r) => (answer = r))
    const withLock = platform.withLock!
    platform.withLock = async (name, fn) => (await late, withLock(name, fn))
    const t = createTestHost({ valueReviews: [review] } as never, { platform, exclusive: locks.exclusive })
    const first = createReviews(t.host)
    await platform.advance(1)
    await locks.settled()
    first.dispose()
    answer()
    await platform.advance(1)
    expect(t.events('Value Review Shown')).toEqual([])
    // A component mounted again starts Linger again on the same page.
    const again = createReviews(t.host)
    await platform.advance(1)
    await locks.settled()
    await platform.advance(1)
    expect(again.$state.get().step).toBe('open')
    expect(t.events('Value Review Shown')).toHaveLength(1)
  })

  it("a survey coming in one window as the month's review comes in the other: not both at once, one blocking experience, the cooldown keeps the other away", async () => {
    const shared = invoicedInNovember()
    const lag = laggingStorage(local('2026-12-01T09:00:00'))
    for (const [k, v] of shared) lag.storage.set(k, v)
    // As Chromium under load: a lock's next holder need not have the last holder's writes yet;
    // what a tab claims in the lock manager is held until it lets go.
    const locks = webLocks()
    const { claiming } = heldClaims()
    const tab = () => claiming(lag.tab())
    const flows = { valueReviews: [review], surveys: [{ id: 'export-pulse', kind: 'csat', question: 'How was the export?', trigger: { event: 'Report Exported' }, repeat: 'always' }] } as never
    const a = createTestHost(flows, { platform: tab(), exclusive: locks.exclusive })
    const surveys = createSurveys(a.host)
    a.track('Report Exported')
    const b = createTestHost(flows, { platform: tab(), exclusive: locks.exclusive })
    const reviews = createReviews(b.host)
    await b.platform.advance(1)
    await locks.settled()
    await a.platform.advance(0)
    await b.platform.advance(0)
    expect([surveys.$session.get()?.survey.id, reviews.$state.get().step]).toEqual(['export-pulse', 'closed'])
    expect(b.events('Value Review Shown')).toEqual([])
  })

  it("the window whose claim held the month's review back closes before its card came: the other shows it, counted Shown once", async () => {
    const shared = invoicedInNovember()
    const locks = webLocks()
    const open = () => {
      const t = createTestHost({ valueReviews: [review] } as never, { platform: createFakePlatform({ now: local('2026-12-01T09:00:00'), shared }), exclusive: locks.exclusive })
      return { ...t, reviews: createReviews(t.host) }
    }
    const a = open()
    // Window A's card UI is still on its way when the user closes that window.
    a.host.undrawn = (kind) => kind === 'reviews'
    const b = open()
    await a.platform.advance(1)
    await b.platform.advance(1)
    await locks.settled()
    expect([a.reviews.$state.get().step, b.reviews.$state.get().step]).toEqual(['open', 'closed'])
    a.reviews.dispose()
    a.platform.close()
    await b.platform.advance(CLAIM_MS)
    await locks.settled()
    await b.platform.advance(1)
    expect(b.reviews.$state.get().step).toBe('open')
    expect([...a.events('Value Review Shown'), ...b.events('Value Review Shown')].map((e) => e.properties)).toEqual([{ reviewId: 'month-in-acme', period: '2026-11' }])
  })

  it('a review the vendor opens with show(id) opens at once, without waiting for a turn', () => {
    const platform = laggingStorage(local('2026-12-05T09:00:00')).tab()
    const t = createTestHost({ valueReviews: [review] } as never, { platform, exclusive: () => {} })
    t.track('Invoice Sent')
    const reviews = createReviews(t.host)
    expect(reviews.show!('month-in-acme')).toBe(true)
    expect(reviews.$state.get().step).toBe('open')
  })
})

describe('stored progress of an unexpected shape (a hand edit, another script, an old release)', () => {
  it("a badges record whose earned list is null: the month's review still shows, and nothing throws into the page", async () => {
    const shared = invoicedInNovember()
    const badges = [{ id: 'first', title: 'First invoice', points: 10, rule: { event: 'Invoice Sent' } }]
    const t = createTestHost({ valueReviews: [review], badges } as never, { platform: createFakePlatform({ now: local('2026-12-01T09:00:00'), shared }) })
    t.host.state.set('badges', { earned: null, points: 0 })
    const reviews = createReviews(t.host)
    await t.platform.advance(1)
    expect(reviews.$state.get().step).toBe('open')
    expect(t.events('Value Review Shown')).toHaveLength(1)
  })
})

describe('a review controller that is gone', () => {
  it("one disposed as it starts (the app unmounts Linger at once) does not spend the month's review on no one", async () => {
    const shared = invoicedInNovember()
    const t = setup('2026-12-01T09:00:00', shared)
    const reviews = createReviews(t.host)
    reviews.dispose()
    await t.platform.advance(1)
    expect(reviews.$state.get().step).toBe('closed')
    expect(t.events('Value Review Shown')).toEqual([])
    // The next page still has it.
    const next = setup('2026-12-01T09:05:00', shared)
    const later = createReviews(next.host)
    await next.platform.advance(1)
    expect(later.$state.get().step).toBe('open')
  })
})

describe('a review controller stopped while its card waited for its UI', () => {
  it("spends nothing when the UI comes after it is gone: the next page still has the month's review", async () => {
    const shared = invoicedInNovember()
    const t = setup('2026-12-01T09:00:00', shared)
    const waiting: Array<() => void> = []
    t.host.undrawn = (kind, then) => kind === 'reviews' && !!waiting.push(then)
    const reviews = createReviews(t.host)
    await t.platform.advance(1)
    reviews.dispose()
    delete t.host.undrawn
    waiting.splice(0).forEach((fn) => fn())
    expect(t.events('Value Review Shown')).toEqual([])
    const next = setup('2026-12-01T09:05:00', shared)
    const later = createReviews(next.host)
    await next.platform.advance(1)
    expect(later.$state.get().step).toBe('open')
  })
})

describe("the review follows the user's own day, as their usage does", () => {
  it('in Tokyo at 8 am on 1 December (still 30 November in UTC), November is reviewed, with the points earned there', async () => {
    const platform = createFakePlatform({ now: Date.parse('2026-11-10T03:00:00Z') })
    platform.timezone = () => 'Asia/Tokyo'
    const flows = {
      valueReviews: [{ id: 'month', title: 'Your month', items: [{ event: 'Invoice Sent', label: 'Invoices sent' }, { points: true, label: 'Points earned' }] }],
      badges: [{ id: 'first', title: 'First invoice', points: 10, rule: { event: 'Invoice Sent', count: { gte: 1 } } }],
    }
    const t = createTestHost(flows as never, { platform })
    t.track('Invoice Sent')
    // A badge earned at 7 am on 1 November in Tokyo (31 October, 22:00 in UTC): November's points.
    t.host.state.set('badges', { earned: { first: Date.parse('2026-10-31T22:00:00Z') }, points: 10, level: -1 })
    await platform.advance(Date.parse('2026-11-30T23:00:00Z') - platform.now())
    const reviews = createReviews(t.host)
    await platform.advance(1)
    const s = reviews.$state.get()
    expect(s.step === 'open' && [s.period.period, s.items]).toEqual([
      '2026-11',
      [
        { label: 'Invoices sent', value: 1 },
        { label: 'Points earned', value: 10, previous: 0, badges: 1 },
      ],
    ])
  })
})

describe('why a due review is not on screen', () => {
  it("a vendor asking why the month's second review did not show is told the cooldown holds it, not that it is eligible", async () => {
    const shared = new Map<string, string>()
    const flows = {
      version: 1,
      settings: { cooldownDays: 2 },
      valueReviews: [
        { id: 'invoices', title: 'Your invoices', priority: 1, items: [{ event: 'Invoice Sent', label: 'Invoices sent' }] },
        { id: 'activity', title: 'Your activity', items: [{ activeDays: true, label: 'Days active' }] },
      ],
    }
    const visit = async (at: string) => {
      const platform = createFakePlatform({ now: local(at), shared })
      const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
      linger.identify('dana')
      await linger.ready
      await platform.advance(1)
      return { platform, linger }
    }
    const nov = await visit('2026-11-10T10:00:00')
    nov.linger.track('Invoice Sent')
    nov.platform.pageHide()
    nov.linger.destroy()
    const dec = await visit('2026-12-01T09:00:00')
    const reviews = dec.linger.experiences.reviews!
    expect(reviews.$state.get().step === 'open' && reviews.$state.get()).toMatchObject({ review: { id: 'invoices' } })
    reviews.close()
    // The next page: the activity review is due, but one blocking experience was shown today.
    dec.linger.page()
    await dec.platform.advance(1)
    expect(reviews.$state.get().step).toBe('closed')
    const why = dec.linger.why('activity')
    expect(why.reasons).toContain('cooldown')
    expect(why.show).toBe(false)
    // Two days on, it shows.
    await dec.platform.advance(2 * 86_400_000)
    dec.linger.page()
    await dec.platform.advance(1)
    await dec.linger.flush()
    const shown = dec.platform.requests.flatMap((r) => (r.body?.batch ?? []) as LingerEvent[]).filter((e) => e.event === 'Value Review Shown')
    expect(shown.map((e) => e.properties?.reviewId)).toEqual(['invoices', 'activity'])
  })
})

describe('why a manual review says what show(id) would do', () => {
  it("a vendor asking about a manual review of a user active only this month is not told there is nothing to review: show(id) would show this month's numbers", async () => {
    const manual: ValueReview = { ...review, id: 'so-far', schedule: 'manual' }
    const platform = createFakePlatform({ now: local('2026-12-05T09:00:00') })
    const t = createTestHost({ valueReviews: [manual] } as never, { platform })
    t.track('Invoice Sent')
    const reviews = createReviews(t.host)
    expect(reviews.why!('so-far')).toEqual(['manual: shows on show(id) only'])
    // And one with nothing this month nor the same days of last month says so, for this month.
    const quiet = createReviews(createTestHost({ valueReviews: [manual] } as never, { platform: createFakePlatform({ now: local('2026-12-05T09:00:00') }) }).host)
    expect(quiet.why!('so-far')).toEqual(['manual: shows on show(id) only', 'nothing-to-review:2026-12'])
  })
})

describe("the vendor's own metrics in a look at this month so far", () => {
  it("a monthly review opened on demand does not show last month's metric as this month's: the trait line is left out, and it is in the month's scheduled review", async () => {
    const month: ValueReview = {
      id: 'month',
      title: 'Your month in Acme',
      items: [
        { event: 'Invoice Sent', label: 'Invoices sent' },
        // The vendor's backend sends November's hours saved (and October's) for the monthly review.
        { trait: 'hoursSavedLastMonth', previousTrait: 'hoursSavedMonthBefore', label: 'Hours saved' },
      ],
    }
    const platform = createFakePlatform({ now: local('2026-12-05T09:00:00') })
    const t = createTestHost({ valueReviews: [month] } as never, { platform })
    t.$user.set({ ...t.$user.get(), traits: { hoursSavedLastMonth: 14, hoursSavedMonthBefore: 9 } })
    t.track('Invoice Sent')
    const reviews = createReviews(t.host)
    // Its scheduled review (November) has the hours saved.
    await platform.advance(1)
    const scheduled = reviews.$state.get()
    expect(scheduled.step === 'open' && scheduled.items.map((i) => i.label)).toEqual(['Hours saved'])
    reviews.close()
    // "December so far": 14 hours would be November's, and "+5 vs the same days of November" no comparison at all.
    reviews.show!('month')
    const s = reviews.$state.get()
    expect(s.step === 'open' && [s.period.period, s.items]).toEqual(['2026-12', [{ label: 'Invoices sent', value: 1 }]])
  })
})

describe("the month's review is spent when its card could be seen, not when it was decided", () => {
  /** The reviews' UI still on its way on this page: nothing is drawn until `draw()`. */
  function undrawn(t: ReturnType<typeof setup>) {
    let drawn = false
    const waiting: Array<() => void> = []
    t.host.undrawn = (kind, then) => kind === 'reviews' && !drawn && !!waiting.push(then)
    return () => ((drawn = true), waiting.splice(0).forEach((fn) => fn()))
  }

  it("a review decided while its card's UI loaded, and left with the page before it came, shows at the next visit that month (one Shown in all)", async () => {
    const shared = invoicedInNovember()
    const first = setup('2026-12-01T09:00:00', shared)
    undrawn(first)
    const left = createReviews(first.host)
    await first.platform.advance(1)
    expect(left.$state.get().step).toBe('open')
    // The user went on to another page before the card's UI arrived.
    left.dispose()
    first.platform.pageHide()
    const next = setup('2026-12-01T09:05:00', shared)
    const reviews = createReviews(next.host)
    await next.platform.advance(1)
    expect(reviews.$state.get().step).toBe('open')
    expect([...first.events('Value Review Shown'), ...next.events('Value Review Shown')].map((e) => e.properties)).toEqual([{ reviewId: 'month-in-acme', period: '2026-11' }])
    expect(next.host.state.get('review:month-in-acme')).toMatchObject({ shown: '2026-11' })
  })

  it("a card whose UI arrived while the user was in another tab is not the month's review until they look at it", async () => {
    const shared = invoicedInNovember()
    const t = setup('2026-12-01T09:00:00', shared)
    let hidden = false
    const looked: Array<() => void> = []
    t.host.screen = { when: (fn) => fn(), away: (then) => hidden && (looked.push(then), true) }
    const draw = undrawn(t)
    const reviews = createReviews(t.host)
    await t.platform.advance(1)
    hidden = true
    draw()
    expect(t.events('Value Review Shown')).toEqual([])
    expect(t.host.state.get('review:month-in-acme')).toBeUndefined()
    hidden = false
    looked.splice(0).forEach((fn) => fn())
    expect(reviews.$state.get().step).toBe('open')
    expect(t.events('Value Review Shown').map((e) => e.properties)).toEqual([{ reviewId: 'month-in-acme', period: '2026-11' }])
    expect(t.host.state.get('review:month-in-acme')).toMatchObject({ shown: '2026-11' })
  })

  it('two windows each holding the review while their UI loads: the first to draw it shows it, the other takes its card away unseen (one Shown)', async () => {
    const shared = invoicedInNovember()
    const a = setup('2026-12-01T09:00:00', shared)
    const b = setup('2026-12-01T09:00:00', shared)
    const drawA = undrawn(a)
    const drawB = undrawn(b)
    const ra = createReviews(a.host)
    const rb = createReviews(b.host)
    await a.platform.advance(1)
    await b.platform.advance(1)
    expect([ra.$state.get().step, rb.$state.get().step]).toEqual(['open', 'open'])
    drawA()
    drawB()
    expect([ra.$state.get().step, rb.$state.get().step]).toEqual(['open', 'closed'])
    expect([...a.events('Value Review Shown'), ...b.events('Value Review Shown')]).toHaveLength(1)
  })
})
