import type { Properties } from '../../events'

/** The parts of a tour's config the state machine reads (config/flows-schema.ts has the rest). */
// `| undefined`: the schema's types (`Tour`) say it of every optional field, and a vendor's
// compiler with exactOptionalPropertyTypes and library checks on must find them to fit.
export interface TourStepConfig {
  id?: string | undefined
  /** No target: the step shows in the middle of the viewport. */
  target?: string | undefined
  advance?: 'next' | 'click' | undefined
  onMissing?: 'skip' | 'end' | 'center' | undefined
  beacon?: boolean | undefined
}
export interface TourConfig {
  id: string
  steps: TourStepConfig[]
}

/**
 * waiting: the widget is looking for the step's target (up to waitMs).
 * showing: the step is on screen (a beacon step shows its marker; `open` once clicked).
 * paused:  the step's target left with a route change (or its url glob stopped matching);
 *          it resumes when the page comes back.
 * completed / dismissed: over; the controller releases the slot and drops the run.
 */
export type TourStatus = 'waiting' | 'showing' | 'paused' | 'completed' | 'dismissed'

export interface TourRun<T extends TourConfig = TourConfig> {
  tour: T
  index: number
  status: TourStatus
  /** A beacon step's tooltip is open (other steps are always open while showing). */
  open: boolean
  /** Shown in the middle of the viewport because its target never appeared (onMissing: center). */
  centered: boolean
  /** The page (url) the current step was shown on: a route change away from it pauses the run. */
  page?: string
  /** The step index a Tour Step Viewed was last sent for, so a resume does not count twice. */
  viewed: number
  /** Bumped whenever a fresh wait for the target starts, so the widget restarts its timer. */
  attempt: number
  /** Why a dismissed run ended. */
  reason?: string
  /** Steps this run skipped, their targets missing: Back and Next pass over them (not waited for, nor reported, twice). */
  skipped?: number[]
  /**
   * The user asked for it: linger.show, or its trigger event tracked while they clicked or
   * pressed something. Only then does its first step take focus (one that starts on its own
   * is announced and offered by Tab).
   */
  asked?: boolean
  /**
   * Bumped each time the user asks for the run while it is up (their "Take the tour" for a tour
   * that came on its own, or that they left for the page): focus goes to its tip.
   */
  asks?: number
  /**
   * Names this run of the tour on each of its events (one per run, kept across the page loads it
   * spans): the collector ties a completion to its start, so a range counts the runs started in it.
   */
  runId?: string
  /**
   * A hotspot whose dot the user has not opened (nor clicked its target): its Tour Started waits
   * for that. Sent as the dot appeared, the read-out had "started 4, completed 0%" for dots nobody
   * touched; ended before (its target gone, the user changed), nothing was started or dismissed.
   * So a tour's until its first step is on screen: one whose target never came was started for no one.
   */
  quiet?: boolean
  /** What this transition emitted: [event, properties]. The controller sends them. */
  events: Array<[string, Properties]>
}

export type TourAction =
  /** `here` as for 'page': a paused step's target seen again where its url glob does not match does not bring it back. */
  | { type: 'found'; url: string; here?: boolean }
  | { type: 'missing' }
  /** The shown target left the page; `url` is the page now, `here` as for 'page'. */
  | { type: 'lost'; url: string; here?: boolean }
  | { type: 'open' }
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'targetClick' }
  /** A route change. `here`: whether the step's own `url` glob matches (unset when it has none). */
  | { type: 'page'; url: string; here?: boolean }
  | { type: 'dismiss'; reason: string }

/** A beacon marks a target: on a step without one it means nothing, and the step shows plainly. */
const isBeacon = (step: TourStepConfig | undefined) => !!(step?.beacon && step.target)

/** A hotspot: a tour that opens with a beacon. It never takes the blocking slot. */
export function isHotspotTour(tour: TourConfig): boolean {
  return isBeacon(tour.steps[0])
}

export function startTour<T extends TourConfig>(tour: T, asked?: boolean, runId?: string): TourRun<T> {
  return { tour, index: 0, status: 'waiting', open: false, centered: false, viewed: -1, attempt: 0, events: [], asked, runId, quiet: true }
}

function event(run: TourRun, what: string, reason?: string): [string, Properties] {
  const props: Properties = { tourId: run.tour.id, runId: run.runId, stepIndex: run.index, stepId: run.tour.steps[run.index]?.id ?? null }
  if (reason) props.reason = reason
  return [`Tour ${what}`, props]
}

/** Shows the current step (already found or centered); counts the view once per step visit. */
function show<T extends TourConfig>(run: TourRun<T>, patch: Partial<TourRun<T>>): TourRun<T> {
  const next = { ...run, ...patch, status: 'showing' as const }
  if (next.viewed === next.index || (isBeacon(next.tour.steps[next.index]) && !next.open)) return next
  return { ...next, viewed: next.index, events: [...next.events, event(next, 'Step Viewed')] }
}

/** The step `by` (1 or -1) from the current one, passing over those skipped for a missing target. */
function beside(run: TourRun, by: number): number {
  let i = run.index + by
  while (run.skipped?.includes(i)) i += by
  return i
}

function goTo<T extends TourConfig>(run: TourRun<T>, index: number, events: TourRun['events']): TourRun<T> {
  if (index >= run.tour.steps.length) {
    // Past the last step: completed by the user leaving it (Done, or a click on its target, which
    // is what a hotspot asks for even with its beacon never opened). A skip past it (`events`
    // holds its Target Missing) was not seen to the end, even when the step was on screen before
    // its target left.
    if (events.length) return { ...run, status: 'dismissed', reason: 'target-missing', events: [...events, event(run, 'Dismissed', 'target-missing')] }
    // Done, but a step skipped for its missing target was never seen: `stepsSkipped` says how many,
    // so the read-out can tell such a run from one seen whole (0).
    const done = event(run, 'Completed')
    done[1].stepsSkipped = run.skipped?.length ?? 0
    return { ...run, status: 'completed', events: [...events, done] }
  }
  // A beacon step reached from an opened beacon step opens by itself: the user is already reading.
  return { ...run, index, status: 'waiting', centered: false, open: run.open && isBeacon(run.tour.steps[index]), page: undefined, attempt: run.attempt + 1, events }
}

export const isOver = (run: TourRun) => run.status === 'completed' || run.status === 'dismissed'

/**
 * The tour state machine. Pure: the widget reports what it sees in the page (target found,
 * missing, lost, clicked), the controller reports route changes and sends `events`.
 */
export function reduceTour<T extends TourConfig>(prev: TourRun<T>, action: TourAction): TourRun<T> {
  const next = reduce(prev, action)
  if (!next.quiet) return next
  // Opened (a tour's step shown), its target clicked (done, or on to the next step: that step's
  // events hung off a start never sent), or closed by the user from its tip: started now,
  // with the first step's place. Not closed from the card saying the tour is on another page:
  // nothing of it was seen.
  const { events } = next
  return (action.type == 'targetClick' && next.index != prev.index) || events.some(([n, p]) => n == 'Tour Step Viewed' || n == 'Tour Completed' || (prev.status == 'showing' && /^(close|escape)$/.test(String(p.reason))))
    ? { ...next, quiet: undefined, events: [event({ ...next, index: 0 }, 'Started'), ...events] }
    : { ...next, events: events.filter(([n]) => n != 'Tour Dismissed') }
}

function reduce<T extends TourConfig>(prev: TourRun<T>, action: TourAction): TourRun<T> {
  const run = { ...prev, events: [] }
  if (isOver(run)) return run
  const step = run.tour.steps[run.index]
  switch (action.type) {
    case 'found':
      // A step paused by a route change is back when its target is: on the page it left, or on
      // another URL of it (`#/settings/team` for `#/settings`, `?sort=name`), not only the exact
      // one; never where its url glob says it is not.
      return run.status === 'waiting' || (run.status === 'paused' && action.here !== false) ? show(run, { page: action.url, centered: !step.target }) : run
    case 'missing': {
      if (run.status !== 'waiting') return run
      const how = step.onMissing ?? 'skip'
      const missing = event(run, 'Target Missing', how)
      if (how === 'center' && !isBeacon(step)) return show({ ...run, events: [missing] }, { centered: true })
      if (how === 'end') return { ...run, status: 'dismissed', reason: 'target-missing', events: [missing, event(run, 'Dismissed', 'target-missing')] }
      return goTo({ ...run, skipped: [...(run.skipped ?? []), run.index] }, run.index + 1, [missing])
    }
    case 'lost':
      if (run.status !== 'showing' || run.centered) return run
      // Gone in place (or to another page its url glob matches: `#/reports` to `#/reports/42`):
      // wait for it again, then follow onMissing. Gone with a route change away from its page:
      // wait, without a time limit, for the page to come back.
      return (action.here ?? action.url === run.page) ? { ...run, status: 'waiting', attempt: run.attempt + 1 } : { ...run, status: 'paused' }
    case 'open':
      return run.status === 'showing' && !run.open ? show(run, { open: true }) : run
    case 'targetClick':
    case 'next':
      // A click step is passed by the click it asks for, not by Next (nor an arrow, nor Done on
      // an opened beacon): its view and Tour Completed would say the user did what they did not.
      // Shown mid-screen, its target never came: nothing to click, Next goes on.
      return run.status === 'showing' && (action.type === 'targetClick') === (step.advance === 'click' && !run.centered) ? goTo(run, beside(run, 1), []) : run
    case 'back': {
      const i = beside(run, -1)
      return run.status === 'showing' && i >= 0 ? goTo(run, i, []) : run
    }
    case 'page': {
      const paused = run.status === 'paused'
      // A step with a url glob lives on those pages; one without lives where its target is
      // (a nav link survives the route change), so for it the target decides, via 'lost'.
      if (action.here === false) return paused ? run : { ...run, status: 'paused', page: run.page ?? action.url }
      // Elsewhere, the widget still looks for its target a while (a fresh `attempt`): its page may
      // be back at another URL (`#/settings/team` for the `#/settings` it left; see 'found').
      if (paused) return { ...run, status: action.here || action.url === run.page ? 'waiting' : 'paused', attempt: run.attempt + 1 }
      if (run.status !== 'waiting') return run
      // Lost on its page, and now the route changed as well: wait for that page.
      if (action.here === undefined && run.page !== undefined && action.url !== run.page) return { ...run, status: 'paused' }
      // Not shown yet: look on the new page (multi-page tours), with a fresh wait.
      return { ...run, attempt: run.attempt + 1 }
    }
    case 'dismiss':
      return { ...run, status: 'dismissed', reason: action.reason, events: [event(run, 'Dismissed', action.reason)] }
  }
}
