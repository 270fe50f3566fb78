import { atom, type ReadableAtom } from 'nanostores'
import type { PageInfo } from '../platform'
import type { Comparison, Rule } from '../rule'
import type { ExperienceController, ExperienceHost } from './host'
import { isBeaconRun, reduceTour, startTour, type TourAction, type TourConfig, type TourRun } from './tours/reducer'

export { reduceTour, startTour, isBeaconRun }
export type { TourAction, TourConfig, TourRun }

/** A tour as the controller reads it from flows (the widget reads the step texts too). */
export interface TourDefinition extends TourConfig {
  trigger?: { event?: string; count?: Comparison; url?: string }
  audience?: Rule
  repeat?: unknown
  priority?: number
  sample?: number
}

export interface ToursController extends ExperienceController {
  /** Tours under way: at most one blocking tour, plus any number of hotspots. */
  $runs: ReadableAtom<TourRun<TourDefinition>[]>
  next(tourId: string): void
  back(tourId: string): void
  /** A hotspot's beacon was clicked. */
  open(tourId: string): void
  dismiss(tourId: string, reason: string): void
  /** What the widget sees in the page for the current step. */
  targetFound(tourId: string): void
  targetMissing(tourId: string): void
  targetLost(tourId: string): void
  targetClicked(tourId: string): void
}

/**
 * Starts tours from their triggers (an event, with an optional count; a URL glob, checked on
 * every page including the first; linger.show), asks the core for a place on screen (tours take
 * the blocking slot, hotspots do not), steps them through the reducer and sends its events.
 */
export function createTours(host: ExperienceHost): ToursController {
  const $runs = atom<TourRun<TourDefinition>[]>([])
  const $needsUi = atom(false)
  const reasons: Record<string, string[]> = {}
  const tours = () => ((host.flows.get() as { tours?: TourDefinition[] }).tours ?? []).filter((t) => t.steps?.length)

  function settle(run: TourRun<TourDefinition>) {
    const over = run.status === 'completed' || run.status === 'dismissed'
    $runs.set([...$runs.get().filter((r) => r.tour.id !== run.tour.id), ...(over ? [] : [run])])
    if (!over) $needsUi.set(true)
    // The slot is free before the events go out, so an experience they trigger can take it.
    if (over) host.release(run.tour.id, run.status === 'completed' ? 'completed' : /^(close|escape)$/.test(run.reason ?? '') ? 'dismissed' : 'abandoned')
    run.events.forEach(([name, props]) => host.emit(name, props))
  }

  function start(tour: TourDefinition, force: boolean) {
    if ($runs.get().some((r) => r.tour.id === tour.id)) return
    const run = startTour(tour)
    const { id, audience, repeat, priority, sample } = tour
    const decision = host.request({ id, kind: isBeaconRun(run) ? 'hotspot' : 'tour', audience, repeat, priority, sample, force })
    reasons[id] = decision.reasons
    if (decision.show) settle(run)
  }

  function act(tourId: string, action: TourAction) {
    const run = $runs.get().find((r) => r.tour.id === tourId)
    if (run) settle(reduceTour(run, action))
  }

  function onPage(page: PageInfo) {
    $runs.get().forEach((r) => act(r.tour.id, { type: 'page', url: page.url }))
    tours().forEach((t) => t.trigger?.url && host.evaluate({ url: t.trigger.url }, t.id).ok && start(t, false))
  }

  let userKey = host.user.get().userKey
  const offs = [
    host.onTrack((name) =>
      tours().forEach((t) => {
        const trigger = t.trigger
        if (trigger?.event === name && (!trigger.count || host.evaluate({ event: name, count: trigger.count }, t.id).ok)) start(t, false)
      }),
    ),
    host.onPage(onPage),
    // Another user signed in: their tours are not this user's; end quietly, without events.
    host.user.listen((user) => {
      if (user.userKey !== userKey) $runs.get().forEach((r) => settle({ ...r, status: 'dismissed', reason: 'user-changed', events: [] }))
      userKey = user.userKey
    }),
  ]
  onPage(host.platform.page())

  const url = () => host.platform.page().url
  return {
    $runs,
    $needsUi,
    show(id) {
      const tour = tours().find((t) => t.id === id)
      if (tour) start(tour, true)
      return !!tour
    },
    why: (id) => (tours().some((t) => t.id === id) ? (reasons[id] ?? ['not-triggered']) : undefined),
    next: (id) => act(id, { type: 'next' }),
    back: (id) => act(id, { type: 'back' }),
    open: (id) => act(id, { type: 'open' }),
    dismiss: (id, reason) => act(id, { type: 'dismiss', reason }),
    targetFound: (id) => act(id, { type: 'found', url: url() }),
    targetMissing: (id) => act(id, { type: 'missing' }),
    targetLost: (id) => act(id, { type: 'lost' }),
    targetClicked: (id) => act(id, { type: 'targetClick' }),
    dispose() {
      offs.forEach((off) => off())
      $runs.set([])
    },
  }
}
