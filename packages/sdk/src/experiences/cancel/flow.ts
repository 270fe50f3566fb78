/**
 * The cancellation flow as a pure state machine: value reminder → reason → the offer mapped to
 * that reason (offer variant only) → outcome. Side effects (events, the vendor's handlers, the
 * host's own cancel click) belong to the controller in experiences/cancel.ts, which reads them off
 * the transitions.
 */

// Structural copies of the config shapes (flows.example.json `cancelFlow`), so the reducer does
// not depend on the zod schema module and stays testable with plain objects.
export interface CancelReason {
  id: string
  label: string
  offer?: string
  /** Asks for a free-text comment with this reason. */
  comment?: boolean
}

export interface CancelOffer {
  id: string
  kind: 'discount' | 'pause' | 'downgrade' | 'contact'
  title: string
  description?: string
  percent?: number
  months?: number
  plan?: string
  url?: string
}

export type ValueItemConfig = { event: string; label: string } | { points: true; label: string }

export interface CancelFlowConfig {
  id: string
  trigger?: { selector?: string }
  valueReminder?: { title?: string; items?: ValueItemConfig[] }
  reasons: CancelReason[]
  offers?: CancelOffer[]
  /** Sticky share of users (0..1) who get no offer, so saves can be measured against them. */
  holdout?: number
}

/** A value-reminder line, its `{count}` / `{points}` / `{badges}` still to be filled by the UI. */
export interface ValueItem {
  label: string
  vars: Record<string, number>
}

export type CancelStep = 'closed' | 'value' | 'reasons' | 'offer' | 'confirm' | 'applying' | 'error' | 'saved'
export type CancelOutcome = 'saved' | 'cancelled' | 'abandoned'
export type CancelVariant = 'offer' | 'holdout'

export interface CancelState {
  step: CancelStep
  variant: CancelVariant
  flow?: CancelFlowConfig
  items: ValueItem[]
  reasonId?: string
  comment: string
  /** The offer shown for the chosen reason (kept after a decline, so the outcome names it). */
  offerId?: string
  /** Set once, when the flow's outcome is decided. */
  outcome?: CancelOutcome
}

export type CancelAction =
  | { type: 'start'; flow: CancelFlowConfig; variant: CancelVariant; items: ValueItem[] }
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'choose'; reasonId: string }
  | { type: 'comment'; text: string }
  | { type: 'submit' }
  | { type: 'accept' }
  | { type: 'decline' }
  | { type: 'applied' }
  | { type: 'failed' }
  | { type: 'retry' }
  | { type: 'confirm' }
  | { type: 'close' }

export const MAX_COMMENT = 1000

export const closedState: CancelState = { step: 'closed', variant: 'offer', items: [], comment: '' }

export const reasonOf = (s: CancelState): CancelReason | undefined => s.flow?.reasons.find((r) => r.id === s.reasonId)

/** The offer for a reason; none for holdout users or a reason whose offer is not configured. */
export function offerFor(flow: CancelFlowConfig | undefined, reasonId: string | undefined, variant: CancelVariant): CancelOffer | undefined {
  const wanted = flow?.reasons.find((r) => r.id === reasonId)?.offer
  return variant === 'offer' && wanted ? flow?.offers?.find((o) => o.id === wanted) : undefined
}

export function reduceCancel(s: CancelState, a: CancelAction): CancelState {
  const to = (step: CancelStep, patch?: Partial<CancelState>): CancelState => ({ ...s, step, ...patch })
  if (a.type === 'start') {
    if (s.step !== 'closed') return s
    return { step: a.items.length ? 'value' : 'reasons', variant: a.variant, flow: a.flow, items: a.items, comment: '' }
  }
  if (s.step === 'closed') return s
  if (a.type === 'close') return to('closed', { outcome: s.outcome ?? 'abandoned' })
  switch (s.step) {
    case 'value':
      return a.type === 'next' ? to('reasons') : s
    case 'reasons':
      if (a.type === 'back' && s.items.length) return to('value')
      if (a.type === 'choose' && s.flow?.reasons.some((r) => r.id === a.reasonId)) return to('reasons', { reasonId: a.reasonId })
      if (a.type === 'comment') return to('reasons', { comment: a.text.slice(0, MAX_COMMENT) })
      if (a.type === 'submit' && s.reasonId) {
        const offer = offerFor(s.flow, s.reasonId, s.variant)
        // A comment typed for another reason is not this reason's comment.
        const comment = reasonOf(s)?.comment ? s.comment.trim() : ''
        return to(offer ? 'offer' : 'confirm', { comment, offerId: offer?.id })
      }
      return s
    case 'offer':
      if (a.type === 'accept') return to('applying')
      if (a.type === 'decline') return to('confirm')
      return a.type === 'back' ? to('reasons', { offerId: undefined }) : s
    case 'confirm':
      if (a.type === 'confirm') return to('closed', { outcome: 'cancelled' })
      return a.type === 'back' ? to('reasons', { offerId: undefined }) : s
    case 'applying':
      if (a.type === 'applied') return to('saved', { outcome: 'saved' })
      return a.type === 'failed' ? to('error') : s
    case 'error':
      if (a.type === 'retry') return to('applying')
      return a.type === 'back' ? to('offer') : s
    default:
      return s
  }
}
