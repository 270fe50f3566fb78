import { describe, expect, it } from 'vitest'
import { emptyProfile, recordEvent, localDayKey } from '../../usage'
import type { ValueReview } from '../../config/flows-schema'
import { measureItems } from './items'
import { closedReview, isDue, reduceReview } from './machine'
import { reviewPeriod } from './period'

const review: ValueReview = { id: 'month-in-acme', title: 'Your month in Acme', items: [{ event: 'Invoice Sent', label: 'Invoices sent' }] }

describe('the reviewed period', () => {
  it('at the first visit of a month: the month that ended, against the whole month before', () => {
    expect(reviewPeriod('2026-12-01', true)).toEqual({
      period: '2026-11',
      current: { from: '2026-11-01', to: '2026-11-30' },
      previous: { from: '2026-10-01', to: '2026-10-31' },
      complete: true,
    })
    expect(reviewPeriod('2027-01-03', true).period).toBe('2026-12')
  })

  it('on demand: this month so far, against the same days of last month', () => {
    expect(reviewPeriod('2026-03-30', false)).toEqual({
      period: '2026-03',
      current: { from: '2026-03-01', to: '2026-03-30' },
      // February has no 30th: all of it.
      previous: { from: '2026-02-01', to: '2026-02-28' },
      complete: false,
    })
  })
})

describe('value review items', () => {
  const at = (day: string) => Date.parse(`${day}T12:00:00`)
  let profile = emptyProfile()
  // A user Linger has seen since September: October is a month it saw all of.
  profile = recordEvent(profile, { name: 'Signed In', time: at('2026-09-28') }, localDayKey)
  for (const day of ['2026-10-05', '2026-10-20', '2026-11-02', '2026-11-03', '2026-11-28', '2026-12-01']) profile = recordEvent(profile, { name: 'Invoice Sent', time: at(day) }, localDayKey)
  const sources = { profile, traits: { hoursSaved: 14, hoursSavedBefore: '9', plan: 'pro' }, badges: { points: 60, earned: { first: at('2026-10-02'), owl: at('2026-11-09') } }, grants: (): Array<[number, number]> => [[at('2026-10-02'), 10], [at('2026-11-09'), 25]], dayOf: localDayKey }

  it("counts each item over the reviewed month and the month before, from the user's own usage and the vendor's metrics", () => {
    const lines = measureItems(
      [
        { event: 'Invoice Sent', label: 'Invoices sent' },
        { trait: 'hoursSaved', previousTrait: 'hoursSavedBefore', label: 'Hours saved' },
        { points: true, label: 'Points earned' },
        { activeDays: true, label: 'Days active' },
        { event: 'Never Happened', label: 'Nothing' },
        { trait: 'plan', label: 'Not a number' },
      ],
      sources,
      reviewPeriod('2026-12-01', true),
    )
    expect(lines).toEqual([
      { label: 'Invoices sent', value: 3, previous: 2 },
      { label: 'Hours saved', value: 14, previous: 9 },
      { label: 'Points earned', value: 25, previous: 10, badges: 1 },
      { label: 'Days active', value: 3, previous: 2 },
    ])
  })
})

describe('a review on the last day of a month', () => {
  it('a user whose first December visit is the 31st sees November against all of October', () => {
    const at = (day: string) => Date.parse(`${day}T12:00:00`)
    let profile = emptyProfile()
    for (const day of ['2026-10-01', '2026-10-02', '2026-10-15', '2026-11-10', '2026-12-31']) profile = recordEvent(profile, { name: 'Invoice Sent', time: at(day) }, localDayKey)
    const lines = measureItems([{ event: 'Invoice Sent', label: 'Invoices sent' }, { activeDays: true, label: 'Days active' }], { profile, traits: {}, grants: () => [], dayOf: localDayKey }, reviewPeriod('2026-12-31', true))
    expect(lines).toEqual([
      { label: 'Invoices sent', value: 1, previous: 3 },
      { label: 'Days active', value: 1, previous: 3 },
    ])
  })
})

describe('the value review machine', () => {
  const period = reviewPeriod('2026-12-01', true)
  const items = [{ label: 'Invoices sent', value: 3, previous: 2 }]

  it('is due once per month on schedule, never for a manual review', () => {
    expect(isDue(review, undefined, period)).toBe(true)
    expect(isDue(review, { shown: '2026-10' }, period)).toBe(true)
    expect(isDue(review, { shown: '2026-11' }, period)).toBe(false)
    // November was reviewed just after midnight; the clock then steps back to 30 November:
    // October's review does not come again.
    expect(isDue(review, { shown: '2026-11' }, reviewPeriod('2026-11-30', true))).toBe(false)
    expect(isDue({ ...review, schedule: 'manual' }, undefined, period)).toBe(false)
  })

  it('a device whose clock once ran months ahead does not silence the review until that month comes round', () => {
    // Its clock said September 2027 for a day (and the sync took the record to every device):
    // once the clock is right, December 2026 reviews November again, as every month after does.
    expect(isDue(review, { shown: '2027-08' }, period)).toBe(true)
    expect(isDue(review, { shown: '2027-08' }, reviewPeriod('2027-01-02', true))).toBe(true)
    // A month ahead is a clock set back over midnight (or a device a zone to the west): not due.
    expect(isDue(review, { shown: '2026-12' }, period)).toBe(false)
    expect(isDue(review, { shown: '2027-01' }, reviewPeriod('2027-01-01', true))).toBe(false)
  })

  it('opens with something to show, one at a time, and closes', () => {
    const open = reduceReview(closedReview, { type: 'open', review, period, items, source: 'schedule' })
    expect(open).toMatchObject({ step: 'open', period: { period: '2026-11' }, items })
    expect(reduceReview(open, { type: 'open', review: { ...review, id: 'other' }, period, items, source: 'show' })).toBe(open)
    expect(reduceReview(open, { type: 'close' })).toEqual(closedReview)
  })

  it('a scheduled review with nothing to show stays closed; on demand it opens to say so', () => {
    expect(reduceReview(closedReview, { type: 'open', review, period, items: [], source: 'schedule' })).toBe(closedReview)
    expect(reduceReview(closedReview, { type: 'open', review, period, items: [], source: 'show' }).step).toBe('open')
  })
})

describe('a user Linger first saw partway through the month compared with', () => {
  const at = (day: string) => Date.parse(`${day}T12:00:00`)
  it('first seen on 20 November: the review of November says what they did, and no "+3 vs October" for a month Linger never saw', () => {
    let profile = emptyProfile()
    for (const day of ['2026-11-20', '2026-11-21', '2026-11-28']) profile = recordEvent(profile, { name: 'Invoice Sent', time: at(day) }, localDayKey)
    const sources = { profile, traits: {}, grants: (): Array<[number, number]> => [[at('2026-11-21'), 10]], dayOf: localDayKey }
    const lines = measureItems(
      [
        { event: 'Invoice Sent', label: 'Invoices sent' },
        { activeDays: true, label: 'Days active' },
        // Points are Linger's own: none could be earned before it was there, so October's 0 is true.
        { points: true, label: 'Points earned' },
      ],
      sources,
      reviewPeriod('2026-12-01', true),
    )
    expect(lines).toEqual([
      { label: 'Invoices sent', value: 3 },
      { label: 'Days active', value: 3 },
      { label: 'Points earned', value: 10, previous: 0, badges: 0 },
    ])
  })

  it('first seen on 20 October: "the same days of October" are partly unseen, so November so far is not compared with them, nor November with October', () => {
    let profile = emptyProfile()
    for (const day of ['2026-10-20', '2026-11-02', '2026-11-03']) profile = recordEvent(profile, { name: 'Invoice Sent', time: at(day) }, localDayKey)
    expect(measureItems([{ event: 'Invoice Sent', label: 'Invoices sent' }], { profile, traits: {}, grants: () => [], dayOf: localDayKey }, reviewPeriod('2026-11-05', false))).toEqual([
      { label: 'Invoices sent', value: 2 },
    ])
    expect(measureItems([{ event: 'Invoice Sent', label: 'Invoices sent' }], { profile, traits: {}, grants: () => [], dayOf: localDayKey }, reviewPeriod('2026-12-01', true))).toEqual([
      { label: 'Invoices sent', value: 2 },
    ])
    // December against all of November, which Linger saw: compared.
    expect(measureItems([{ event: 'Invoice Sent', label: 'Invoices sent' }], { profile, traits: {}, grants: () => [], dayOf: localDayKey }, reviewPeriod('2027-01-01', true))).toEqual([
      { label: 'Invoices sent', value: 0, previous: 2 },
    ])
  })
})
