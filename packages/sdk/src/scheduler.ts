/**
 * Who may take the screen, and why not: pure decisions and reducers. One blocking experience
 * (tour, survey, cancel flow) at a time; checklists, hotspots and badges never block. A global
 * cooldown spaces blocking experiences; per-experience repeat policies decide comebacks.
 * Persistence is the client's job.
 */
import { dayNumber, type DayKey } from './usage'

/** `announcement`: a "what's new" modal; `wall`: the failed-payment wall; `notice`: banners and the feed (non-blocking). */
export type ExperienceKind = 'checklist' | 'tour' | 'hotspot' | 'survey' | 'cancel' | 'badge' | 'review' | 'announcement' | 'wall' | 'notice'

export type Repeat = 'once' | 'until-completed' | 'until-answered' | 'always' | { afterDays: number }

export type Outcome = 'completed' | 'answered' | 'dismissed' | 'abandoned'

export interface History {
  shown: number
  lastShown: number | null
  completed: boolean
  answered: boolean
  dismissedAt: number | null
  lastAnswered: number | null
}

export interface SchedulerState {
  active: { id: string; kind: ExperienceKind; priority: number } | null
  lastBlockingShown: number | null
  history: Record<string, History>
}

export interface ScheduleRequest {
  id: string
  kind: ExperienceKind
  /** Higher wins when several are pending at once; never pre-empts what is on screen. */
  priority?: number
  repeat: Repeat
  audienceOk: boolean
  audienceFailed?: string[]
  sampled: boolean
  /** linger.show(id): skips audience, sample, repeat and cooldown, never an active blocking one. */
  force?: boolean
  /**
   * The user asked for it (its trigger tracked in their click or key: a "Take the tour" button):
   * the cooldown, which spaces what comes on its own, does not keep it away; the rest holds.
   */
  asked?: boolean
  /**
   * A tour's first step is on screen: it took the slot uncounted (`resumed`) when its run began,
   * its target still to come; its showing counts now (shown, lastShown, the cooldown). One whose
   * target never came was never shown: its "once" and the cooldown stay unspent.
   */
  seen?: boolean
}

export type ReasonCode =
  | 'eligible'
  | 'forced'
  | 'showing'
  | `blocked-by:${string}`
  | 'audience'
  | 'not-sampled'
  | 'repeat-once'
  | 'already-completed'
  | 'already-answered'
  | 'repeat-wait'
  | 'dismissed-snooze'
  | 'cooldown'

export interface Decision {
  show: boolean
  reasons: ReasonCode[]
  /** The audience conditions that failed, when `audience` is among the reasons. */
  failed: string[]
}

export interface SchedulerSettings {
  cooldownDays: number
  /**
   * The user's calendar day of a time (the usage store's dayKey): `{afterDays}` counts their days,
   * as a person reads "again in 7 days" (Monday to Monday, a week of summer time's 167 hours too).
   * Without it, periods of 24 hours.
   */
  dayKey?(ms: number): DayKey
}

/** What each reason code means, for why(id) and the docs. */
export const REASONS: Record<string, string> = {
  eligible: 'every condition holds: it may be shown',
  forced: 'linger.show(id) asked for it: audience, sample, repeat and cooldown were skipped',
  showing: 'it is already on screen',
  'blocked-by:<id>': 'another blocking experience <id> is on screen; one at a time',
  audience: 'the audience rule does not match this user (see `failed`)',
  'not-sampled': 'the user is outside its sticky sample',
  'repeat-once': 'repeat "once" and it was already shown',
  'already-completed': 'repeat "until-completed" and the user completed it',
  'already-answered': 'repeat "until-answered" and the user answered it',
  'repeat-wait': 'repeat {afterDays}: fewer days than that since it was last shown',
  'dismissed-snooze': 'the user dismissed it less than cooldownDays ago',
  cooldown: 'another blocking experience was shown less than cooldownDays ago',
}

const DAY = 86_400_000

export const isBlocking = (kind: ExperienceKind): boolean =>
  kind === 'tour' || kind === 'survey' || kind === 'cancel' || kind === 'review' || kind === 'announcement' || kind === 'wall'

export const emptySchedulerState = (): SchedulerState => ({ active: null, lastBlockingShown: null, history: {} })

const NEVER: History = { shown: 0, lastShown: null, completed: false, answered: false, dismissedAt: null, lastAnswered: null }
const past = (state: SchedulerState, id: string): History => {
  const h = Object.hasOwn(state.history, id) && state.history[id]
  // A stored entry of another shape (a hand edit, an older release) is no history.
  return h && typeof h === 'object' ? h : NEVER
}

// Distance, not difference: a timestamp from a clock that was wrong in the future must not
// silence experiences until that date comes round.
const within = (now: number, time: number | null, days: number) => time !== null && Math.abs(now - time) < days * DAY
const withinDays = (now: number, time: number | null, days: number, dayKey: (ms: number) => DayKey) =>
  time !== null && Math.abs(dayNumber(dayKey(now)) - dayNumber(dayKey(time))) < days

export function decide(req: ScheduleRequest, state: SchedulerState, now: number, settings: SchedulerSettings): Decision {
  const reasons: ReasonCode[] = []
  const blocking = isBlocking(req.kind)
  const { active } = state
  if (req.seen) return { show: !blocking || active?.id === req.id, reasons: ['showing'], failed: [] }
  if (active?.id === req.id) return { show: false, reasons: ['showing'], failed: [] }
  if (blocking && active && isBlocking(active.kind)) reasons.push(`blocked-by:${active.id}`)
  if (!req.force) {
    const h = past(state, req.id)
    const { repeat } = req
    const cooldown = settings.cooldownDays
    if (!req.audienceOk) reasons.push('audience')
    if (!req.sampled) reasons.push('not-sampled')
    if (h.shown && repeat !== 'always') {
      if (repeat === 'until-completed') {
        if (h.completed) reasons.push('already-completed')
      } else if (repeat === 'until-answered') {
        if (h.answered) reasons.push('already-answered')
      } else if (repeat && typeof repeat === 'object') {
        const { dayKey } = settings
        if (dayKey ? withinDays(now, h.lastShown, repeat.afterDays, dayKey) : within(now, h.lastShown, repeat.afterDays)) reasons.push('repeat-wait')
      } else {
        // "once", or a policy we do not know: better silent than nagging.
        reasons.push('repeat-once')
      }
    }
    if (within(now, h.dismissedAt, cooldown)) reasons.push('dismissed-snooze')
    if (blocking && !req.asked && within(now, state.lastBlockingShown, cooldown)) reasons.push('cooldown')
  }
  // The failed conditions' words are read only when someone asks why (their text costs more
  // than the whole decision).
  if (reasons.length)
    return {
      show: false,
      reasons,
      get failed() {
        return req.audienceOk ? [] : (req.audienceFailed ?? [])
      },
    }
  return { show: true, reasons: [req.force ? 'forced' : 'eligible'], failed: [] }
}

/** Of several experiences triggered together, the highest-priority one that may show; ties go to the first. */
export function pickNext(
  candidates: ScheduleRequest[],
  state: SchedulerState,
  now: number,
  settings: SchedulerSettings,
): { id: string; decision: Decision } | null {
  let best: { id: string; decision: Decision; priority: number } | null = null
  for (const c of candidates) {
    const decision = decide(c, state, now, settings)
    const priority = c.priority ?? 0
    if (decision.show && (!best || priority > best.priority)) best = { id: c.id, decision, priority }
  }
  return best && { id: best.id, decision: best.decision }
}

export function onShown(state: SchedulerState, id: string, kind: ExperienceKind, priority: number, now: number, resumed?: boolean | 'once'): SchedulerState {
  const h = past(state, id)
  // A run taken up on the next page load was shown once, when it started: its count and the
  // cooldown it began stay that start's. A tour's run, until its first step is seen (`seen`).
  // `once`: a tour the user ended from the card saying its first step is on another page, no
  // step of it seen: they said no, so its "once" is spent (`shown`); but a card is no showing,
  // so neither its repeat's wait (`lastShown`) nor the cooldown starts.
  const history = resumed === true ? state.history : { ...state.history, [id]: { ...h, shown: h.shown + 1, lastShown: resumed ? h.lastShown : now } }
  return isBlocking(kind) ? { active: { id, kind, priority }, lastBlockingShown: resumed ? state.lastBlockingShown : now, history } : { ...state, history }
}

/**
 * Frees the slot (if `id` held it, unless `hold`) and records the outcome for repeat policies. A
 * survey's answer is its completion: "until-completed" on a survey means until answered.
 */
export function onClosed(state: SchedulerState, id: string, outcome: Outcome, now: number, hold?: boolean): SchedulerState {
  const h = past(state, id)
  const next: History = {
    ...h,
    completed: h.completed || outcome === 'completed' || outcome === 'answered',
    answered: h.answered || outcome === 'answered',
    lastAnswered: outcome === 'answered' ? now : h.lastAnswered,
    dismissedAt: outcome === 'dismissed' ? now : h.dismissedAt,
  }
  return { ...state, active: state.active?.id === id && !hold ? null : state.active, history: { ...state.history, [id]: next } }
}
