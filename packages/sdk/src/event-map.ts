import type { Announcement as AnnouncementConfig, Offer, Survey as SurveyConfig } from './config/flows-schema'
import type { LingerError, Properties } from './events'

/**
 * What Linger's own events carry, by name: the table "Events on the wire" in
 * docs/architecture.md, typed for `on()`, so a vendor's listener reads `p.score`, not `any`.
 * Optional where the table says an event carries it only sometimes.
 */
interface Checklist {
  checklistId: string
  taskId?: string
  points: number
  /** Checklist Dismissed of a list the user had finished (put away, not given up). */
  completed?: boolean
}
interface Tour {
  tourId: string
  runId: string
  stepIndex: number
  stepId: string | null
  reason?: string
}
interface Survey {
  surveyId: string
  kind: SurveyConfig['kind']
  responseId: string
  score?: number
  /** A CES survey's highest score (5 or 7): the collector reads its score on that scale. */
  scale?: number
  category?: string
  choices?: string[]
  other?: string
  comment?: string
  commentTrimmed?: number
  /** Characters cut from a poll's "Other" text over 1,000. */
  otherTrimmed?: number
  reason?: string
}
interface CancelRun {
  flowId: string
  runId: string
  /** Every run is drawn into one group before it shows (a standalone pause sends no cancel events). */
  variant: 'offer' | 'holdout'
  reasonId?: string
  comment?: string
  offerId?: string
  offerKind?: Offer['kind']
  applied?: boolean
  traits?: Properties
}
/** A reason is chosen by then: a listener reads it without ruling out undefined. */
type CancelReason = CancelRun & { reasonId: string }
/** An offer on screen or taken (a contact offer too: then the flow ends `contacted`). */
type CancelOffer = CancelReason & { offerId: string; offerKind: Offer['kind'] }
type CancelEnd = CancelRun & { outcome: 'saved' | 'kept' | 'contacted' | 'cancelled' | 'abandoned' }
interface Pause {
  offerId: string
  months: number
  resumesAt: string
  source: 'cancel-flow' | 'standalone'
  applied?: boolean
  runId: string
}
interface Announcement {
  announcementId: string
  format: AnnouncementConfig['format']
  feature?: string
}
interface PaymentPrompt {
  promptId: string
  stage: 'banner' | 'wall' | 'reminder'
  daysPastDue?: number
  daysUntilRenewal?: number
}
interface PlanOffer {
  offerId: string
  kind: 'annual'
  percent: number
  variant: 'offer' | 'holdout'
}

export interface LingerEvents {
  'Feature Used': { feature: string }
  'Checklist Task Completed': Checklist & { taskId: string }
  'Checklist Completed': Checklist
  'Checklist Dismissed': Checklist
  'Tour Started': Tour
  'Tour Step Viewed': Tour
  'Tour Completed': Tour & { /** Steps passed over for a missing target: 0 when the user saw every one. */ stepsSkipped: number }
  'Tour Dismissed': Tour
  'Tour Target Missing': Tour
  'Badge Earned': { badgeId: string; points: number; level?: string }
  'Level Reached': { level: string; points: number }
  'Survey Shown': Survey
  'Survey Answered': Survey
  'Survey Dismissed': Survey
  'Cancel Flow Started': CancelRun
  'Cancel Reason Selected': CancelReason
  'Cancel Offer Shown': CancelOffer
  'Cancel Offer Accepted': CancelOffer
  'Cancel Flow Completed': CancelEnd
  'Pause Offer Shown': Pause
  'Pause Offer Accepted': Pause
  'Value Review Shown': { reviewId: string; period: string }
  'Leaderboard Viewed': { groupId: string }
  'Leaderboard Opted Out': { groupId: string }
  'Leaderboard Opted In': { groupId: string }
  'Announcement Shown': Announcement
  'Announcement Clicked': Announcement
  'Announcement Dismissed': Announcement
  'Payment Prompt Shown': PaymentPrompt
  'Payment Prompt Clicked': PaymentPrompt
  'Payment Prompt Resolved': PaymentPrompt
  'Plan Offer Shown': PlanOffer
  'Plan Offer Accepted': PlanOffer
  'Plan Offer Declined': PlanOffer
}

/** `Cancel Offer Accepted` → `cancel:offer-accepted`, as `on()` names events (see shortName). */
type Kebab<S extends string> = S extends `${infer A} ${infer B}` ? `${Lowercase<A>}-${Kebab<B>}` : Lowercase<S>
export type ShortName<E extends string> = E extends `${infer Object} ${infer Rest}` ? `${Lowercase<Object>}:${Kebab<Rest>}` : never

/** What `on(name, fn)` hands `fn`, by short name: Linger's own events, `ready` and `error`. */
export type LingerListeners = { [E in keyof LingerEvents as ShortName<E>]: LingerEvents[E] } & { ready: undefined; error: LingerError }

/**
 * The first words of Linger's experiences' events as `on()` names them. Not `plan`, `payment`,
 * `feature` or `value`: a vendor's own events start so too (`plan:changed`, `payment:failed`).
 */
type Family = 'survey' | 'checklist' | 'tour' | 'badge' | 'level' | 'cancel' | 'pause' | 'leaderboard' | 'announcement'

/**
 * A host event's name for `on()`: any, but one in the family of an experience (`survey:…`,
 * `tour:…`) must be one of LingerEvents: a typo (`survey:answerd`) is a compile error, not a
 * listener that never hears. A vendor's own event in such a family (`Tour Replayed`) joins
 * LingerEvents, typed: `declare module '@linger/sdk' { interface LingerEvents { 'Tour Replayed': { tourId: string } } }`.
 */
export type HostEventName<N extends string> = N extends `${Family}:${string}` ? never : N
