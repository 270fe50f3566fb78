import type { Billing } from '../../config/flows-schema'
import { asDate } from '../../audience'
import { isRec } from '../../state-join'

/**
 * Billing moments as pure decisions over the vendor's payment traits (`paymentStatus`,
 * `pastDueSince`, `renewsAt`, `billingInterval`, `subscribedAt`), the clock and what this user
 * was already shown (persisted per user).
 */
export interface BillingState extends Due {
  /** Each account's failed payment, by account (groupId; '' for a status on the user's own traits). */
  due?: Record<string, Due>
  /**
   * A release before `due` kept one failed payment for every account, as the fields of Due here,
   * with the account (groupId, '' for none) that was past due then; none: this user's in any.
   */
  account?: string
  /** Renewal reminders for one renewal date: thresholds already shown, and the local day of the last. */
  reminders?: { renewsAt: string; done: number[]; day: string }
  /** Reminder closed (or acted on) for this renewal date and threshold. */
  reminderClosed?: string
  /** The annual-plan offer: decided for good once shown and answered (or held out). */
  offer?: {
    variant: 'offer' | 'holdout'
    at: number
    outcome?: 'accepted' | 'declined'
    /**
     * "No thanks" said (when; an older release's `true` does not say), its Declined not sent yet
     * (waiting for another tab's turn, or a page gone meanwhile).
     */
    declining?: true | number
    /**
     * The offer the user said no to, as its Declined names it, and when: one value, so a sync of
     * two devices' copies keeps one decline whole (`declining` joins as the later of two times;
     * `declined` is one copy's), never one's offer with the other's percent or time. Sent later,
     * the Declined names that offer: the vendor's may have changed by then.
     */
    declined?: [props: Record<string, unknown>, at: number]
  }
}

/** One account's failed payment, as this user was shown it. */
export interface Due {
  /** When the SDK first saw `past_due` (used when the vendor sends no `pastDueSince`). */
  pastDueSeenAt?: number
  /** "Remind me later" on the payment banner: hidden until then. */
  snoozedUntil?: number
  /** The last payment prompt stage shown while past due: a later change of status resolves it. */
  prompted?: { stage: 'banner' | 'wall'; daysPastDue: number }
  /**
   * When the failure ended (paid again, or ended unpaid): a device's older copy of the record,
   * written later, must not bring it back (sync/merge.ts `joinField`).
   */
  clearedAt?: number
}

const DAY = 86_400_000
// Read as audience rules read them (Unix seconds, Stripe's, too; a date-time with no zone is UTC):
// in the browser's zone, one past-due date was a banner in New York and the wall in Tokyo.
export const dateOf = asDate

/**
 * Stored state as this release reads it, whatever shape it has (an older release, a hand edit):
 * one malformed field must not throw on every check and take every billing prompt, the wall
 * included, away for good. A record that is not one is read as never recorded; a field of the
 * wrong type reads as no match (a date that is not one compares as false), never as a throw.
 */
export function billingState(v: unknown): BillingState {
  const s: Record<string, any> = { ...(isRec(v) && v) }
  for (const k of ['prompted', 'reminders', 'offer', 'due']) if (!isRec(s[k])) delete s[k]
  if (s.reminders && !Array.isArray(s.reminders.done)) s.reminders = { ...s.reminders, done: [] }
  return s
}

export const isPastDue = (traits: Record<string, unknown>): boolean => traits.paymentStatus === 'past_due'

/**
 * Whole days past due, from `pastDueSince` or the SDK's first sighting: 24-hour blocks from a
 * time, the user's calendar days from a date alone (that day wherever the user is, as for
 * `renewsAt`: read as UTC's midnight, March 1 was 1 day past due on March 3 east of UTC).
 * Not calendar days from a time, as a reminder counts: `wallAfterDays` is a grace period, a
 * duration. Counted by the user's midnights, a card failed at 23:00 was walled 6 days and an hour
 * later ("we could not charge your card for a week"), and each member of the account at another
 * moment, by their zone.
 */
export function daysPastDue(traits: Record<string, unknown>, st: Due, now: number): number {
  const v = traits.pastDueSince
  const since = dateOf(v)
  if (typeof v == 'string' && v.length == 10 && since === since) return Math.max(0, dayOf(now) - since / DAY)
  const from = Number.isNaN(since) ? (st.pastDueSeenAt ?? now) : since
  return Math.max(0, Math.floor((now - from) / DAY))
}

export type PaymentStage = { stage: 'banner' | 'wall'; daysPastDue: number } | null

/**
 * Banner while past due (unless snoozed), the wall once `wallAfterDays` have passed; nothing
 * otherwise. `wall` false keeps it a banner for good (a wall whose button cannot work).
 */
export function paymentStage(cfg: NonNullable<Billing['paymentPrompt']>, traits: Record<string, unknown>, st: Due, now: number, wall = true): PaymentStage {
  if (!isPastDue(traits)) return null
  const days = daysPastDue(traits, st, now)
  if (wall && days >= cfg.wallAfterDays) return { stage: 'wall', daysPastDue: days }
  if (st.snoozedUntil && now < st.snoozedUntil) return null
  return { stage: 'banner', daysPastDue: days }
}

/** The browser's calendar day of a time, as days since 1970-01-01. */
const dayOf = (ms: number): number => {
  const d = new Date(ms)
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / DAY
}

/**
 * Calendar days until `renewsAt` (tomorrow is 1, whatever the hour); NaN without a date. Days of
 * 24 hours put a renewal Thursday night 4 days off on Monday morning, and "1 day" on the
 * renewal day itself. A date alone is that day wherever the user is, not UTC's midnight.
 */
export const daysUntil = (traits: Record<string, unknown>, now: number): number => {
  const v = traits.renewsAt
  return (typeof v == 'string' && v.length == 10 ? dateOf(v) / DAY : dayOf(dateOf(v))) - dayOf(now)
}

/**
 * The renewal reminder due today, if any: the tightest configured threshold the renewal is
 * within and not shown yet for this renewal date. Never two in one (local) day; a user who
 * first shows up 2 days before sees one reminder, not the 7-, 3- and 2-day ones at once.
 */
export function renewalDue(cfg: NonNullable<Billing['renewalReminders']>, traits: Record<string, unknown>, st: BillingState, now: number, today: string): { threshold: number; daysUntilRenewal: number } | null {
  const days = daysUntil(traits, now)
  // Not on the renewal day, nor after (a trait the vendor has not moved on yet): the plan
  // renews today or has renewed, or the date is gone.
  if (!(days > 0)) return null
  const renewsAt = String(traits.renewsAt)
  const mine = st.reminders?.renewsAt === renewsAt ? st.reminders : undefined
  if (mine?.day === today) return null
  const open = cfg.days.filter((t) => days <= t && !mine?.done.includes(t))
  if (!open.length) return null
  return { threshold: Math.min(...open), daysUntilRenewal: days }
}

/** Records a reminder shown: its threshold and every wider one are done for this renewal date. */
export function reminderShown(cfg: NonNullable<Billing['renewalReminders']>, traits: Record<string, unknown>, st: BillingState, threshold: number, today: string): BillingState {
  const renewsAt = String(traits.renewsAt)
  const before = st.reminders?.renewsAt === renewsAt ? st.reminders.done : []
  const done = [...new Set([...before, ...cfg.days.filter((t) => t >= threshold)])]
  return { ...st, reminders: { renewsAt, done, day: today } }
}

/**
 * Whole calendar months on the plan since `subscribedAt`, on the user's calendar; NaN without a
 * date. Twelve 30-day months made "a year on the plan" 5 days before its anniversary. A month
 * from the 31st ends on the last day of a shorter month (31 January: 28 February); a date alone
 * starts at the user's midnight, a date-time at its moment.
 */
export const monthsSubscribed = (traits: Record<string, unknown>, now: number): number => {
  const v = traits.subscribedAt
  // A date alone: the user's midnight (ES reads a date-time with no offset as local).
  const from = new Date(typeof v == 'string' && v.length == 10 ? v + 'T00:00' : dateOf(v))
  const to = new Date(now)
  const y = to.getFullYear()
  const m = to.getMonth()
  // This month's anniversary of the start, at its time of day (NaN all through without a date).
  const mark = new Date(from)
  mark.setFullYear(y, m, Math.min(from.getDate(), new Date(y, m + 1, 0).getDate()))
  return (y - from.getFullYear()) * 12 + m - from.getMonth() - +(to < mark)
}

/**
 * The annual-plan offer is due: a monthly plan for `afterMonths`, not past due, never decided
 * before, or shown and not answered yet (a page load before the user answered does not take it
 * away for good).
 */
export function annualOfferDue(cfg: NonNullable<Billing['annualOffer']>, traits: Record<string, unknown>, st: BillingState, now: number): boolean {
  const interval = traits.billingInterval
  return !st.offer?.outcome && !st.offer?.declining && st.offer?.variant !== 'holdout' && !isPastDue(traits) && (interval === 'month' || interval === 'monthly') && monthsSubscribed(traits, now) >= cfg.afterMonths
}
