import type { ValueReview } from '../../config/flows-schema'
import type { MeasuredItem } from './items'
import { monthAfter, type ReviewPeriod } from './period'

/** What a value review remembers per user (state key `review:<id>`, synced across devices). */
export interface ReviewRecord {
  /** The last period shown, and when. */
  shown?: string
  at?: number
}

export type ReviewSource = 'schedule' | 'show'

export type ReviewState =
  | { step: 'closed' }
  | { step: 'open'; review: ValueReview; period: ReviewPeriod; items: MeasuredItem[]; source: ReviewSource }

export type ReviewAction =
  | { type: 'open'; review: ValueReview; period: ReviewPeriod; items: MeasuredItem[]; source: ReviewSource }
  | { type: 'close' }

export const closedReview: ReviewState = { step: 'closed' }

/**
 * Due on schedule: the first visit of a month shows last month's review, once (a device that
 * already showed it, or another device of the same verified user, recorded the period). Only a
 * later month than the one shown: a clock set back over midnight (a zone to the west) must not
 * bring back the month before. YYYY-MM sorts as the calendar does. A record further ahead than
 * that came from a clock that was wrong: it must not silence the review until its month comes
 * round (synced, on every device of the user).
 */
export function isDue(review: ValueReview, record: ReviewRecord | undefined, period: ReviewPeriod): boolean {
  return (review.schedule ?? 'monthly') === 'monthly' && (!record?.shown || record.shown < period.period || record.shown > monthAfter(period.period))
}

/** One review on screen at a time; a scheduled one with nothing to show does not open (on demand, it says so). */
export function reduceReview(s: ReviewState, a: ReviewAction): ReviewState {
  if (a.type === 'close') return s.step === 'closed' ? s : closedReview
  if (s.step === 'open' || (!a.items.length && a.source === 'schedule')) return s
  return { step: 'open', review: a.review, period: a.period, items: a.items, source: a.source }
}
