import { describe, expect, it } from 'vitest'
import { fromFields, toFields } from './fields'
import { emptyMeta, kept, noteLocal, takeRemote, wins } from './merge'

describe('synced fields', () => {
  it('splits badges earned, scheduler history and a checklist\'s tasks into one field each, and puts them back', () => {
    const doc = {
      'checklist:onboarding': { status: 'completed', done: { a: 1 } },
      badges: { earned: { first: 5, owl: 6 }, points: 30, level: 1 },
      scheduler: { active: { id: 't' }, lastBlockingShown: 9, history: { tour: { shown: 1 } } },
      'survey:nps': { step: 'score' },
    }
    const fields = toFields(doc)
    // The blocking slot and a survey on screen belong to this device alone.
    expect(Object.keys(fields).sort()).toEqual(['badges.earned:first', 'badges.earned:owl', 'badges.level', 'badges.points', 'checklist:onboarding.done:a', 'checklist:onboarding.status', 'scheduler.history:tour', 'scheduler.lastBlockingShown'])
    expect(fromFields({}, fields)['checklist:onboarding']).toEqual({ status: 'completed', done: { a: 1 } })
    // Started on the laptop with nothing done yet: the status is all that comes, and none is done.
    expect(fromFields({}, { 'checklist:setup.status': 'started' })).toEqual({ 'checklist:setup': { status: 'started', done: {} } })
    expect(fromFields({ badges: { earned: { first: 5 }, points: 10, level: 0 } }, { 'badges.earned:owl': 7, 'badges.points': 40 })).toEqual({ badges: { earned: { first: 5, owl: 7 }, points: 40, level: 0 } })
  })

  it('keeps announcements closed and read, survey answer categories and billing moments per entry, so two devices never undo each other', () => {
    const doc = {
      announcements: { closed: { 'acme-3': 5 }, read: { 'whats-new-slack': 6, 'quick-export': 6 } },
      surveyAnswers: { category: { 'nps-quarterly': 'detractor' } },
      billing: { offer: { variant: 'offer', at: 7, outcome: 'declined' }, reminderClosed: '3:2026-12-01' },
    }
    expect(Object.keys(toFields(doc)).sort()).toEqual([
      'announcements.closed:acme-3',
      'announcements.read:quick-export',
      'announcements.read:whats-new-slack',
      'billing.offer',
      'billing.reminderClosed',
      'surveyAnswers.category:nps-quarterly',
    ])
    // The phone closed the velocity banner while the laptop closed the 3.0 modal: both stay closed.
    const phone = fromFields(doc, { 'announcements.closed:velocity-reports': 9 })
    expect(phone.announcements).toEqual({ closed: { 'acme-3': 5, 'velocity-reports': 9 }, read: { 'whats-new-slack': 6, 'quick-export': 6 } })
    expect(fromFields(doc, toFields(doc))).toEqual(doc)
  })

  it("carries each save offer a user took in a cancel flow to their other devices, one field per offer, so the phone never offers the laptop's discount again", () => {
    const laptop = { cancel: { taken: { 'discount-50': 1000 } } }
    expect(toFields(laptop)).toEqual({ 'cancel.taken:discount-50': 1000 })
    // The phone had taken the pause meanwhile: both stay taken.
    const phone = { cancel: { taken: { 'pause-3': 2000 } } }
    expect(fromFields(phone, toFields(laptop))).toEqual({ cancel: { taken: { 'pause-3': 2000, 'discount-50': 1000 } } })
  })
})

describe('last writer wins per field', () => {
  it('a higher version wins; the same version goes to the later write', () => {
    expect(wins({ version: 3, at: 1 }, { version: 2, at: 99 })).toBe(true)
    expect(wins({ version: 2, at: 99 }, { version: 3, at: 1 })).toBe(false)
    expect(wins({ version: 2, at: 5 }, { version: 2, at: 4 })).toBe(true)
    expect(wins({ version: 2, at: 5 }, { version: 2, at: 5 })).toBe(false)
  })

  it('versions each changed field once and keeps it pending until the collector holds it', () => {
    let meta = noteLocal(emptyMeta(), { 'checklist:a': { status: 'started' }, 'badges.points': 0 }, 100)
    meta = noteLocal(meta, { 'checklist:a': { status: 'completed' }, 'badges.points': 0 }, 200)
    expect(meta.versions).toEqual({ 'checklist:a': { version: 2, at: 200 }, 'badges.points': { version: 1, at: 100 } })
    expect(meta.pending).toEqual(['checklist:a', 'badges.points'])
    const { meta: after, changed } = takeRemote(meta, { 'checklist:a': { value: { status: 'completed' }, version: 2, at: 200 } }, { 'checklist:a': { status: 'completed' }, 'badges.points': 0 })
    expect(changed).toEqual({})
    expect(after.pending).toEqual(['badges.points'])
  })

  it("a phone that started the checklist before it heard from the laptop takes the laptop's finished one", () => {
    const here = { 'checklist:onboarding': { status: 'started', done: {} } }
    const phone = noteLocal(emptyMeta(), here, 5000)
    const laptop = { value: { status: 'completed', done: { a: 1, b: 2 } }, version: 4, at: 1000 }
    const { meta, changed } = takeRemote(phone, { 'checklist:onboarding': laptop }, here)
    expect(changed).toEqual({ 'checklist:onboarding': laptop.value })
    expect(meta.pending).toEqual([])
    // Taken in, it is not a local change to send back.
    expect(noteLocal(meta, { 'checklist:onboarding': laptop.value }, 6000)).toBe(meta)
  })

  it('a level the phone reached (its points, levelAt) is kept over the laptop\'s later write of a lower one, by the collector and by a device taking it in', () => {
    // The phone reached Power user (150) and synced; the laptop, not synced since, wrote Regular (60) later.
    const phone = { value: 150, version: 3, at: 1000 }
    const laptop = { value: 60, version: 3, at: 2000 }
    const stored = kept('badges.levelAt', laptop, phone)
    expect(stored?.value).toBe(150)
    // A version past both, so the laptop takes it in and does not announce Power user again.
    expect(stored?.version).toBe(4)
    const meta = noteLocal(emptyMeta(), { 'badges.levelAt': 150 }, 1000)
    expect(takeRemote(meta, { 'badges.levelAt': laptop }, { 'badges.levelAt': 150 }).changed).toEqual({ 'badges.levelAt': 150 })
  })

  it('an offline change newer than what the collector holds stays pending, and is not overwritten', () => {
    let meta = noteLocal(emptyMeta(), { 'scheduler.history:nps': { answered: false } }, 100)
    meta = takeRemote(meta, { 'scheduler.history:nps': { value: { answered: false }, version: 1, at: 100 } }, { 'scheduler.history:nps': { answered: false } }).meta
    meta = noteLocal(meta, { 'scheduler.history:nps': { answered: true } }, 300)
    const { meta: after, changed } = takeRemote(meta, { 'scheduler.history:nps': { value: { answered: false }, version: 1, at: 100 } }, { 'scheduler.history:nps': { answered: true } })
    expect(changed).toEqual({})
    expect(after.pending).toEqual(['scheduler.history:nps'])
  })
})

describe("a value review's record (review:<id>): the later month shown, from a clock that was right", () => {
  const DEC_2 = Date.UTC(2026, 11, 2, 12)
  const DEC_3 = Date.UTC(2026, 11, 3, 12)

  it("November's review shown on the phone while the collector's answer brings October's, written later, stays shown", () => {
    const meta = noteLocal(emptyMeta(), { 'review:monthly': { shown: '2026-10' } }, DEC_2)
    const here = { 'review:monthly': { shown: '2026-11', at: DEC_2 + 100 } }
    const { changed } = takeRemote(meta, { 'review:monthly': { value: { shown: '2026-10' }, version: 2, at: DEC_2 + 200 } }, here, DEC_2 + 300)
    expect(changed).toEqual(here)
  })

  it("the collector keeps the laptop's November over the phone's October, written later, and tells the phone", () => {
    const stored = kept('review:monthly', { value: { shown: '2026-10' }, version: 1, at: DEC_3 }, { value: { shown: '2026-11' }, version: 1, at: DEC_2 }, DEC_3)
    expect(stored).toEqual({ value: { shown: '2026-11' }, version: 2, at: DEC_3 })
  })

  it("a record a clock set to September 2027 wrote, though written later, gives way to November's, shown on December 2", () => {
    const wrong = { value: { shown: '2027-08' }, version: 1, at: Date.UTC(2027, 8, 1) }
    const stored = kept('review:monthly', { value: { shown: '2026-11' }, version: 1, at: DEC_2 }, wrong, DEC_3)
    expect(stored?.value).toEqual({ shown: '2026-11' })
    // Nor is it kept when it comes to a device: November's stays.
    const meta = noteLocal(emptyMeta(), { 'review:monthly': { shown: '2026-10' } }, DEC_2)
    expect(takeRemote(meta, { 'review:monthly': wrong }, { 'review:monthly': { shown: '2026-11' } }, DEC_2).changed).toEqual({ 'review:monthly': { shown: '2026-11' } })
    // This month's (a device a zone to the east, already in January, showed December's) is right.
    const DEC_31 = Date.UTC(2026, 11, 31, 23)
    expect(kept('review:monthly', { value: { shown: '2026-11' }, version: 2, at: DEC_31 - 60_000 }, { value: { shown: '2026-12' }, version: 1, at: DEC_31 }, DEC_31)?.value).toEqual({ shown: '2026-12' })
  })
})

describe("an account's failed payment (billing.due:<account>)", () => {
  const paid = { value: { clearedAt: 5000 }, version: 2, at: 5000 }
  const phoneDayOne = { value: { pastDueSeenAt: 1000, prompted: { stage: 'banner', daysPastDue: 1 } }, version: 2, at: 90_000 }

  it("the collector keeps the laptop's 'paid again' over the phone's older past-due copy, written later, and tells the phone", () => {
    const stored = kept('billing.due:acct_a', phoneDayOne, paid)
    expect(stored).toEqual({ value: { clearedAt: 5000 }, version: 3, at: 90_000 })
  })

  it('a failure first seen after the payment recovered is a new one: it is kept, on the collector and on a device', () => {
    const again = { value: { clearedAt: 5000, pastDueSeenAt: 80_000 }, version: 3, at: 80_000 }
    expect(kept('billing.due:acct_a', again, paid)).toBe(again)
    const meta = noteLocal(emptyMeta(), { 'billing.due:acct_a': paid.value }, 5000)
    expect(takeRemote(meta, { 'billing.due:acct_a': again }, { 'billing.due:acct_a': paid.value }).changed).toEqual({ 'billing.due:acct_a': again.value })
  })

  it("a card that fails again after a recovery a clock 30 days ahead recorded keeps the day it failed and its prompt, through every sync, even a month on", () => {
    const DAY = 86_400_000
    const DEC_6 = Date.UTC(2026, 11, 6)
    // Paid again on a laptop whose clock ran 30 days ahead; the clock was put right since.
    const aheadPaid = { value: { clearedAt: DEC_6 + 30 * DAY }, version: 2, at: DEC_6 + 30 * DAY }
    // The card fails again on December 6: the phone shows the banner.
    const failing = { value: { ...aheadPaid.value, pastDueSeenAt: DEC_6, prompted: { stage: 'banner', daysPastDue: 0 } }, version: 3, at: DEC_6 }
    expect(kept('billing.due:acct_a', failing, aheadPaid, DEC_6)).toBe(failing)
    // Taken in by the laptop, it is the failure, not the payment of the month before.
    const meta = noteLocal(emptyMeta(), { 'billing.due:acct_a': aheadPaid.value }, DEC_6)
    expect(takeRemote(meta, { 'billing.due:acct_a': failing }, { 'billing.due:acct_a': aheadPaid.value }, DEC_6).changed).toEqual({ 'billing.due:acct_a': failing.value })
    // Still unpaid on January 7, past the clock's clearedAt: the wall's new day count is kept, not
    // the record of December 6 sent back (and forth, on every sync).
    const walled = { value: { ...failing.value, prompted: { stage: 'wall', daysPastDue: 32 } }, version: 4, at: DEC_6 + 32 * DAY }
    expect(kept('billing.due:acct_a', walled, failing, DEC_6 + 32 * DAY)).toBe(walled)
    // The phone saw the payment itself (its own clearedAt) before that failure: its record is kept too.
    const ownClearing = { value: { clearedAt: DEC_6 - DAY, pastDueSeenAt: DEC_6, prompted: { stage: 'banner', daysPastDue: 0 } }, version: 3, at: DEC_6 }
    expect(kept('billing.due:acct_a', ownClearing, aheadPaid, DEC_6)).toBe(ownClearing)
    // A copy of the failure it paid, from a device that never heard of the payment, still gives way to it.
    expect(kept('billing.due:acct_a', phoneDayOne, paid, DEC_6)?.value).toEqual(paid.value)
  })

  it("'Remind me later' on one device's copy holds when the other's, written later, moves the prompt on; one a clock ahead set gives way to one cut short", () => {
    const HOUR = 3_600_000
    const NOW = Date.UTC(2026, 11, 6, 12)
    const snoozed = { value: { pastDueSeenAt: 1000, prompted: { stage: 'banner', daysPastDue: 0 }, snoozedUntil: NOW + 20 * HOUR }, version: 2, at: NOW - 4 * HOUR }
    const dayOne = { value: { pastDueSeenAt: 1000, prompted: { stage: 'banner', daysPastDue: 1 } }, version: 2, at: NOW }
    expect(kept('billing.due:acct_a', dayOne, snoozed, NOW)?.value).toEqual({ ...dayOne.value, snoozedUntil: NOW + 20 * HOUR })
    // A snooze to a month ahead, from a clock that ran ahead, which billing.ts cut to a day: the day stands.
    const ahead = { ...snoozed, value: { ...snoozed.value, snoozedUntil: NOW + 30 * 24 * HOUR } }
    const cut = { value: { ...snoozed.value, snoozedUntil: NOW + 24 * HOUR }, version: 3, at: NOW }
    expect(kept('billing.due:acct_a', cut, ahead, NOW)).toBe(cut)
    // A record of another shape joins without a throw.
    expect(kept('billing.due:acct_a', { value: null, version: 3, at: NOW }, snoozed, NOW)?.value).toBeNull()
  })

  it("a record an older SDK synced whole fills only the accounts this device has none of", () => {
    const here = { billing: { due: { acct_a: { clearedAt: 5000 } } } }
    const old = { acct_a: { pastDueSeenAt: 1000 }, '': { pastDueSeenAt: 2000 } }
    expect(fromFields(here, { 'billing.due': old })).toEqual({ billing: { due: { acct_a: { clearedAt: 5000 }, '': { pastDueSeenAt: 2000 } } } })
  })
})
