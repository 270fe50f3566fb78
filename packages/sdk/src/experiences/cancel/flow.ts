/**
 * The cancellation flow as a pure state machine: value reminder → reason → the offer mapped to
 * that reason (offer variant only) → outcome. Side effects (events, the vendor's handlers, the
 * host's own cancel click) belong to the controller in experiences/cancel.ts, which reads them off
 * the transitions.
 */

import type { CancelFlow, CancelReason, Offer, ValueItemConfig } from '../../config/flows-schema'
import { pauseAllowed, resumeDate } from './pause'

export type CancelFlowConfig = CancelFlow
export type CancelOffer = Offer
export type { CancelReason }
export type { ValueItemConfig }

/** A value-reminder line, its `{count}` / `{points}` / `{badges}` still to be filled by the UI. */
export interface ValueItem {
  label: string
  vars: Record<string, number>
}

export type CancelStep = 'closed' | 'value' | 'reasons' | 'offer' | 'confirm' | 'applying' | 'error' | 'saved' | 'contacted'
/**
 * `saved`: the user took an offer and did not cancel (`pending` when no onOfferAccepted handler
 * confirmed it was applied); `kept`: the user chose to keep their subscription without an offer
 * (the only way a holdout user stays, so offer and holdout compare on the same footing);
 * `contacted`: the user chose to talk to the vendor (a contact offer), which is neither saved
 * nor cancelled yet; `abandoned`: the flow closed without an answer.
 */
export type CancelOutcome = 'saved' | 'kept' | 'contacted' | 'cancelled' | 'abandoned'
export type CancelVariant = 'offer' | 'holdout'

export interface CancelState {
  step: CancelStep
  variant: CancelVariant
  /** A pause offer opened on its own (`show(<pause offer id>)`), not while cancelling. */
  standalone?: boolean
  /** When the flow opened (ms): a pause's resume date counts from it. */
  startedAt: number
  /**
   * This run of the flow, on each of its events: the collector tells runs apart by it, so a flow
   * open in two tabs at once is two flows with their own outcomes, not one.
   */
  runId?: string
  flow?: CancelFlowConfig
  items: ValueItem[]
  reasonId?: string
  comment: string
  /** The offer shown for the chosen reason (kept after a decline, so the outcome names it). */
  offerId?: string
  /** A pause offer: the months the user chose (1 to the offer's `months`, at most 3) and when it ends. */
  months?: number
  resumesAt?: string
  /**
   * A pause taken before in a tab gone with no answer, offered again (set by the controller): at
   * the length that tab asked the vendor for, which taking it again applies, not the user's to change.
   */
  held?: { offerId: string; months?: number; resumesAt?: string }
  /** Set once, when the flow's outcome is decided. */
  outcome?: CancelOutcome
  /** Saved, but nothing in the page applied the offer (no onOfferAccepted handler): the vendor has yet to. */
  pending?: boolean
  /**
   * Applying, and the vendor's handler has not answered for a while (set by the controller):
   * the user may close without losing it. Any move to another step clears it.
   */
  slow?: boolean
}

export type CancelAction =
  /** `pause`: open that pause offer on its own (standalone), without reasons. */
  | { type: 'start'; flow: CancelFlowConfig; variant: CancelVariant; items: ValueItem[]; now: number; pause?: CancelOffer; runId?: string }
  | { type: 'months'; months: number }
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'choose'; reasonId: string }
  | { type: 'comment'; text: string }
  | { type: 'submit' }
  | { type: 'accept' }
  | { type: 'decline' }
  /** `pending`: there was no handler to apply it, so it is accepted but not applied yet. */
  | { type: 'applied'; pending?: boolean }
  | { type: 'failed' }
  | { type: 'retry' }
  | { type: 'confirm' }
  /** "Keep my subscription": the user answered that they stay. */
  | { type: 'keep' }
  /**
   * The host's own cancel control, clicked again while the flow's UI evidently never appeared:
   * the user goes on to cancel without it.
   */
  | { type: 'bypass' }
  | { type: 'close' }

export const MAX_COMMENT = 1000

export const closedState: CancelState = { step: 'closed', variant: 'offer', startedAt: 0, items: [], comment: '' }

export const reasonOf = (s: CancelState): CancelReason | undefined => s.flow?.reasons.find((r) => r.id === s.reasonId)
/** The offer on screen (or declined, or being applied). */
export const offerOf = (s: CancelState): CancelOffer | undefined => s.flow?.offers.find((o) => o.id === s.offerId)

/** The offer for a reason; none for holdout users or a reason whose offer is not configured. */
export function offerFor(flow: CancelFlowConfig | undefined, reasonId: string | undefined, variant: CancelVariant): CancelOffer | undefined {
  const wanted = flow?.reasons.find((r) => r.id === reasonId)?.offer
  return variant === 'offer' && wanted ? flow?.offers.find((o) => o.id === wanted) : undefined
}

// The fixed moves between steps; the reasons step, which holds the user's input, is handled apart.
const MOVES: Partial<Record<CancelStep, Partial<Record<CancelAction['type'], CancelStep>>>> = {
  value: { next: 'reasons', keep: 'closed' },
  reasons: { back: 'value' },
  offer: { accept: 'applying', decline: 'confirm', back: 'reasons' },
  confirm: { confirm: 'closed', back: 'reasons', keep: 'closed' },
  applying: { applied: 'saved', failed: 'error' },
  error: { retry: 'applying', back: 'offer' },
}
const OUTCOMES: Partial<Record<CancelAction['type'], CancelOutcome>> = { confirm: 'cancelled', keep: 'kept', applied: 'saved', bypass: 'cancelled', close: 'abandoned' }

/** The state showing `offer`: a pause starts at its longest allowed length, which the user may shorten. */
function showOffer(s: CancelState, offer: CancelOffer | undefined): CancelState {
  const held = s.held?.offerId === offer?.id && s.held?.months ? s.held : undefined
  const months = offer?.kind === 'pause' ? (held?.months ?? Math.min(3, offer.months)) : undefined
  return { ...s, offerId: offer?.id, months, resumesAt: held?.resumesAt ?? (months ? resumeDate(s.startedAt, months) : undefined) }
}

/** The chosen reason requires a comment (`comment: "required"`) and none was typed. */
export const commentMissing = (s: CancelState): boolean => reasonOf(s)?.comment === 'required' && !s.comment.trim()

export function reduceCancel(s: CancelState, a: CancelAction): CancelState {
  if (a.type === 'start') {
    if (s.step !== 'closed') return s
    const base: CancelState = { step: a.items.length ? 'value' : 'reasons', variant: a.variant, startedAt: a.now, runId: a.runId, flow: a.flow, items: a.items, comment: '' }
    return a.pause?.kind === 'pause' ? showOffer({ ...base, step: 'offer', standalone: true }, a.pause) : base
  }
  if (s.step === 'closed') return s
  const offer = offerOf(s)
  if (a.type === 'months') {
    return s.step === 'offer' && offer?.kind === 'pause' && s.held?.offerId !== offer.id && pauseAllowed(a.months, offer.months) ? { ...s, months: a.months, resumesAt: resumeDate(s.startedAt, a.months) } : s
  }
  // On its own, a pause offer has no reasons to go back to: declining it just closes it. Gone past
  // (bypass), it was never answered: no cancellation flow ran to be cancelled.
  if (s.standalone && ((s.step === 'offer' && (a.type === 'back' || a.type === 'decline')) || a.type === 'bypass')) a = { type: 'close' }
  if (s.step === 'reasons') {
    if (a.type === 'choose' && s.flow?.reasons.some((r) => r.id === a.reasonId)) return { ...s, reasonId: a.reasonId }
    if (a.type === 'comment') return { ...s, comment: a.text.slice(0, MAX_COMMENT) }
    if (a.type === 'submit' && s.reasonId) {
      if (commentMissing(s)) return s
      const offer = offerFor(s.flow, s.reasonId, s.variant)
      // A comment typed for another reason is not this reason's comment.
      const comment = reasonOf(s)?.comment ? s.comment.trim() : ''
      return showOffer({ ...s, step: offer ? 'offer' : 'confirm', comment }, offer)
    }
  }
  // A contact offer has nothing to apply: taking it is its own outcome, not a save.
  if (a.type === 'accept' && s.step === 'offer' && offer?.kind === 'contact') return { ...s, step: 'contacted', outcome: 'contacted' }
  // Back from confirming is the offer the user just declined, if there was one: one step back.
  const step = a.type === 'close' || a.type === 'bypass' ? 'closed' : s.step === 'confirm' && a.type === 'back' && offer ? 'offer' : MOVES[s.step]?.[a.type]
  // No value step to go back to when there was nothing to remind the user of.
  if (!step || (step === 'value' && !s.items.length)) return s
  const next: CancelState = step === 'reasons' ? { ...showOffer(s, undefined), step } : { ...s, step, slow: undefined, outcome: s.outcome ?? OUTCOMES[a.type] }
  // Left before Continue sent them (closed, or kept from the value reminder): the reason picked
  // and the comment typed were second thoughts, not the user's answer, and are not reported.
  if (step === 'closed' && (s.step === 'reasons' || s.step === 'value')) Object.assign(next, { reasonId: undefined, comment: '' })
  return a.type === 'applied' && a.pending ? { ...next, pending: true } : next
}
