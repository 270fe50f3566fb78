import { atom, type ReadableAtom } from 'nanostores'
import type { Tour } from '../config/flows-schema'
import { messageId } from '../events'
import { fromJson, toJson } from '../json'
import type { PageInfo } from '../platform'
import { CLAIM_MS, inTurn } from './across-tabs'
import { byUser } from './by-user'
import type { ExperienceController, ExperienceHost, SlotDecision, SlotRequest } from './host'
import { onAudienceChange } from './audience-change'
import { isHotspotTour, isOver, reduceTour, startTour, type TourAction, type TourConfig, type TourRun } from './tours/reducer'
import { mounted } from '../mounted'

export type { TourAction, TourConfig, TourRun }

export interface ToursController extends ExperienceController {
  /** Tours under way: at most one blocking tour, plus any number of hotspots. */
  $runs: ReadableAtom<TourRun<Tour>[]>
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

/** How long a tour the user asked for waits for another blocking experience to leave the screen. */
export const ASKED_WAIT_MS = 30_000

/** How long a tour left by a full page load in this tab may be taken up again on the next page. */
export const RESUME_MS = 30 * 60_000

/**
 * Starts tours from their triggers (an event, with an optional count; a URL glob, checked on
 * every page including the first; linger.show), asks the core for a place on screen (tours take
 * the blocking slot, hotspots do not), steps them through the reducer and sends its events.
 */
export function createTours(host: ExperienceHost): ToursController {
  // Read per event (find, hold) long before the tours UI listens: kept mounted (see mounted.ts).
  const $runs = mounted(atom<TourRun<Tour>[]>([]))
  const $needsUi = atom(false)
  // The decisions themselves, not their words: why(id) builds the words only when asked.
  let decisions: Record<string, SlotDecision> = {}
  const tours = () => (host.flows.get().tours ?? []).filter((t) => t.steps?.length)
  const url = () => host.platform.page().url
  const find = (id: string) => $runs.get().find((r) => r.tour.id === id)
  // Whether the current step's own page glob matches (undefined: it has none).
  const here = (run?: TourRun<Tour>) => {
    const glob = run?.tour.steps[run.index]?.url
    return glob ? host.evaluate({ url: glob }, run.tour.id).ok : undefined
  }
  // A step that lives on other pages pauses until the user gets there, instead of timing out.
  const placed = (run: TourRun<Tour>): TourRun<Tour> =>
    run.status === 'waiting' && here(run) === false ? { ...reduceTour(run, { type: 'page', url: url(), here: false }), events: run.events } : run

  // A tour under way outlives a full page load in its tab (a multi-page app, the hint's "Go" link,
  // a reload), as it outlives a route change in a single-page app: where it was, what it skipped,
  // which step's view was counted. This tab's storage: another tab does not take it up.
  const keptKey = `linger:tour:${host.options?.key}`
  const session = host.platform.session
  const kept = () => {
    try {
      return fromJson(session?.get(keptKey) ?? '0')
    } catch {
      /* not ours, or cut short: nothing to take up */
    }
  }
  // This page's last save, by a number drawn for it: a page back from the back/forward cache whose
  // save is no longer the tab's (the next page took the tour up, and finished it or moved it on)
  // lets go. (Not the time: two pages can save in the same millisecond.)
  let wrote = 0
  function keep(run: TourRun<Tour>, over: boolean) {
    const { tour, index } = run
    if (!session || isHotspotTour(tour)) return
    if (over) kept()?.id === tour.id && session.remove(keptKey)
    // `o`: the user's history of the tour as it started (see outcome, below).
    else session.set(keptKey, toJson({ ...run, tour: 0, events: 0, id: tour.id, step: tour.steps[index].id, user: host.user.get().userKey, at: host.platform.now(), w: (wrote = host.platform.random()), o: outcomeAt[tour.id] }))
  }
  // The page showing a run holds its lock (Web Locks) until the run ends or the page goes: a
  // duplicated tab, which copies this tab's storage, then leaves the run to the tab it came from.
  const { withLock, holdLock } = host.platform
  const lockOf = (runId: string) => `linger:tour-run:${runId}`
  let holding: string | undefined
  let letGo: (() => void) | undefined
  function hold(id = $runs.get().find((r) => !isHotspotTour(r.tour))?.runId) {
    if (id === holding) return
    letGo?.()
    holding = id
    letGo = id ? holdLock?.(lockOf(id)) : undefined
  }
  let live = true
  // The runs counted as shown (see settle).
  const counted = new Set<string>()
  // Runs a trigger started, not counted yet: told when they are (true) or end first (false).
  const uncounted = new Map<string, (shown: boolean) => void>()

  function shownAgain() {
    const last = kept()
    for (const r of $runs.get())
      if (session && !isHotspotTour(r.tour) && !(last?.id === r.tour.id && last.w === wrote)) {
        // Quietly, and without touching the tab's save: this page's copy of the tour is out of date.
        $runs.set($runs.get().filter((x) => x !== r))
        host.release(r.tour.id, 'abandoned')
      }
    // Back from the back/forward cache: the tab's own page, no copy of it. A run still on this
    // page is that page's: asked again, the core said "already on screen" and why() kept that.
    if (!$runs.get().some((r) => !isHotspotTour(r.tour))) take(kept())
    hold()
  }
  // On a page load, before its URL triggers (a tour under way outranks one this page starts).
  // Taken up once the lock says no other tab's page shows the run; held, this tab is a copy of
  // that one (duplicated), and the run is that tab's: this copy of the save goes.
  function resume() {
    const last = kept()
    const go = (free: unknown) => {
      if (!live) return
      if (free) take(last)
      else session?.remove(keptKey)
      onPage(host.platform.page())
    }
    if (withLock && last?.runId) withLock(lockOf(last.runId), async () => {}).then(go, () => go(1))
    else go(1)
  }
  function take(last: ReturnType<typeof kept>) {
    const tour = tours().find((t) => t.id === last?.id)
    // The same user, soon enough, and the step where it was (a changed document may have moved
    // it). Already counted as shown when it started: no audience, repeat or cooldown again. Not
    // one the user has finished or closed since, in another tab (the tab left, and came back).
    if (
      tour &&
      tour.steps[last.index]?.id === last.step &&
      last.o === outcome(tour.id) &&
      Number.isInteger(last.index) &&
      last.user === host.user.get().userKey &&
      Math.abs(host.platform.now() - last.at) < RESUME_MS &&
      (decisions[tour.id] = host.request({ id: tour.id, kind: 'tour', priority: tour.priority, force: true, resumed: true })).show
    )
      // This page is then a route change from the one it was on (onPage, below).
      settle({
        // The same run: its events go on under the run id it started with.
        ...startTour(tour, last.asked, last.runId),
        index: last.index,
        status: last.status === 'paused' ? 'paused' : 'waiting',
        page: last.page,
        viewed: last.viewed,
        skipped: Array.isArray(last.skipped) ? last.skipped : undefined,
        // Its first step not seen yet (an older release's save: counted as it started).
        quiet: last.quiet === true || undefined,
        events: [],
      })
  }

  // What the user's history said of each run's tour (a close, a completion) as it came up on this
  // page: changed, the user closed or finished it in another tab (or on another device).
  const outcomeAt: Record<string, string> = {}
  const stored = () => host.state.get<{ lastBlockingShown?: number | null; history?: Record<string, { completed?: boolean; dismissedAt?: number; lastShown?: number }> }>('scheduler')
  const past = (id: string) => stored()?.history?.[id]
  // No history yet reads as none done: its first showing, counted once on screen, writes one.
  const outcome = (id: string, h = past(id)) => `${!!h?.completed}${h?.dismissedAt ?? null}`
  // The stored showings as each run came up on this page (its tour's, the last blocking one's): one
  // not on screen yet that another tab showed since (both triggered at once, each waiting for its
  // target) goes from this one, quietly; so does one the user did not ask for, once another tab
  // showed a survey (the cooldown is between the two, whichever tab). Values, not times: another
  // device's clock may be ahead of this one's.
  const began: Record<string, [unknown, unknown]> = {}

  function settle(run: TourRun<Tour>) {
    // A step that came on screen while the tab is in the background (its target drawn, the waitMs
    // timer's last look) is counted once the user looks at it, if it is still on screen then: a
    // funnel of views nobody had is no funnel. Meanwhile the run says not counted (saved so too).
    // Its Tour Started too, and its showing, when this view is its first.
    const { events, tour } = run
    const seen = events.find(([n]) => n == 'Tour Step Viewed')
    const started = events.find(([n]) => n == 'Tour Started')
    const back = () => {
      const r = find(tour.id)
      r?.status == 'showing' && r.runId == run.runId && r.index == run.index && r.viewed != r.index && settle({ ...r, quiet: undefined, viewed: r.index, events: r.quiet && started ? [started, seen!] : [seen!] })
    }
    if (seen && host.screen?.away?.(back)) run = { ...run, viewed: -1, quiet: run.quiet || !!started, events: events.filter((e) => e != seen && e != started) }
    const over = isOver(run)
    if (!find(tour.id)) (outcomeAt[tour.id] = outcome(tour.id)), (began[tour.id] = [past(tour.id)?.lastShown, stored()?.lastBlockingShown])
    keep(run, over)
    $runs.set([...$runs.get().filter((r) => r.tour.id !== run.tour.id), ...(over ? [] : [run])])
    hold()
    // Set again on every change (a store notifies only on a new value): a UI chunk that failed to
    // load is tried again by the mount, instead of the run waiting for it, slot held, until a reload.
    if (!over) $needsUi.set(false), $needsUi.set(true)
    // Shown now, not when its run began (its target still to come, which may never): a tour when
    // it is started (its first step on screen), a hotspot when its dot first is. Once the run is
    // in place (what the state's change wakes reads it), before the slot is let go.
    // Ended by the user from the card saying its first step is on another page, none of it seen
    // (closed still quiet: closed from a step on screen, it started): no start, no cooldown (a
    // card is no tour), but they said "End tour": its "once" is spent.
    const closed = /^(close|escape)$/.test(run.reason ?? '')
    const card = closed && run.quiet
    if (run.runId && !counted.has(run.runId) && (isHotspotTour(tour) ? run.status == 'showing' : run.events.includes(started!) || card))
      counted.add(run.runId), ask(tour, { force: true, seen: true, resumed: card && 'once' })
    if (over || counted.has(run.runId!)) uncounted.get(run.runId!)?.(counted.has(run.runId!)), uncounted.delete(run.runId!)
    // The slot is free before the events go out, so an experience they trigger can take it.
    if (over) host.release(run.tour.id, run.status === 'completed' ? 'completed' : closed ? 'dismissed' : 'abandoned')
    run.events.forEach(([name, props]) => host.emit(name, props))
  }

  const ask = (t: Tour, more: Partial<SlotRequest>) => host.request({ id: t.id, kind: isHotspotTour(t) ? 'hotspot' : 'tour', audience: t.audience, repeat: t.repeat, priority: t.priority, ...more })
  // Without `still` (whether its trigger still holds), linger.show asked: forced. A `look` only
  // decides (see inTurn).
  function start(tour: Tour, still?: () => boolean, look?: true, asked = !still): boolean | Promise<boolean> {
    // Disposed while its claim was answered: started, it was spent (Tour Started, the cooldown) for no one.
    if (find(tour.id) || !live) return false
    const { id } = tour
    // The run is made only for a tour that shows: most triggers are a "no" (shown before, a
    // blocking surface up), on every matching event.
    // It takes the slot, but counts as shown once it is (settle): its target may never come.
    const decision = ask(tour, { force: !still, asked, still, look, resumed: true })
    decisions[id] = decision
    // Its turn's claim is held until it is counted (its target came; then CLAIM_MS more, see
    // inTurn): let go while it waited, the user's other window started it too, and both counted it.
    let drawn
    if (decision.show && !look) {
      const run = placed(startTour(tour, asked, messageId(host.platform.random)))
      drawn = new Promise<boolean>((r) => uncounted.set(run.runId!, r))
      settle(run)
    }
    // Asked for by a trigger, and refused only because another blocking experience is up (a survey
    // the user is in): it waits for the slot a while, or the user's click brought nothing ever.
    // Shown, or refused for anything else (the user went to another page), the wait is over.
    if (!decision.show && asked && still && decision.reasons.every((r) => r.startsWith('blocked-by')))
      slotWaits.has(id) || slotWaits.set(id, [tour, still, host.platform.now() + ASKED_WAIT_MS])
    else if (!look || !decision.show) slotWaits.delete(id)
    return drawn ?? decision.show
  }
  // Those waiting for the slot (until when): every change of the state (a release writes the
  // scheduler's) asks again, once the change is done.
  const slotWaits = new Map<string, [Tour, () => boolean, number]>()

  // A triggered tour waits for a calm screen (experiences/host.ts), then its trigger and the
  // scheduler are asked again: the user may have moved on meanwhile (`still`: refused as moved-on,
  // its "once" kept for the page it was meant for).
  // (Whether the user asked for it meanwhile: their click on a tour the app's call queued, also
  // while it waited for its turn across tabs: read as the turn comes, or it came without focus.)
  const queued = new Map<string, boolean | undefined>()
  // Each tour's ask again after a `cooldown` (see refused): run at once when the user asks for it.
  const retries = new Map<string, () => unknown>()
  const theirs = (run?: TourRun<Tour>) => run && !isHotspotTour(run.tour) && settle({ ...run, asked: true, asks: (run.asks ?? 0) + 1, events: [] })
  function queue(tour: Tour, still: () => boolean, asked?: boolean) {
    // A tour on screen or already waiting keeps its last decision (why() must not say "audience"
    // for a tour the user is in, whose trigger fired again). The user asking for one that is up
    // (it came on its own, announced): it is theirs now, and takes focus.
    const run = find(tour.id)
    if (asked) theirs(run)
    if (queued.has(tour.id)) return void (asked && (queued.set(tour.id, asked), retries.get(tour.id)?.()))
    if (run) return
    // As a survey's: a user outside the audience waits for nothing (most triggers are this "no",
    // and each wait is a timer and a check more per event); the calm screen asks everything again.
    const audience = host.evaluate(tour.audience, tour.id)
    if (!audience.ok)
      return void (decisions[tour.id] = {
        show: false,
        get reasons() {
          return ['audience', ...audience.failed]
        },
      })
    // A trigger that no longer holds ends the wait too: the next one queues it again.
    // Nor in a tab in the background (a page opened in a new tab, an app's own event): a Tour
    // Started, and its "once" spent, for a screen nobody looks at. It starts once they do.
    const go = (): unknown =>
      queued.has(tour.id) && !host.screen?.away?.(go) && ((asked ||= queued.get(tour.id)), inTurn(host, (look) => start(tour, still, look, asked), () => ((asked ||= queued.get(tour.id)), queued.delete(tour.id)), tour.id, refused, !asked && !isHotspotTour(tour) && 'briefly'))
    // Another tab holds the user's one showing: asked again once its claim is over (see inTurn).
    // Unless the user asked for it meanwhile (their click read as the turn came): the cooldown
    // spaces what comes on its own, so it is asked again at once, no longer held to the user's one
    // showing. (Asked, it claims only its own: refused again, it is `shown-in-another-tab`, not retried.)
    // So is one the user asks for while it waits: else their tour came up to CLAIM_MS after the click.
    // (Only the last retry set runs: one from before a change of user is not this user's.)
    // Its claim let go while its run goes on (`waiting-for-turn`: the window went away, or its
    // target took a minute): the run is what why() tells of, not a refusal.
    const refused = (r: string) => (r == 'waiting-for-turn' && find(tour.id)) || ((decisions[tour.id] = { show: false, reasons: [r] }), r == 'cooldown' && (queued.set(tour.id, asked), retries.set(tour.id, again), (t = host.platform.setTimeout(again, asked ? 0 : CLAIM_MS))))
    let t: unknown
    const again = () => retries.get(tour.id) == again && (host.platform.clearTimeout(t), retries.delete(tour.id), go())
    queued.set(tour.id, asked)
    // Until then, why() says so (not `not-triggered`): start() tells what came of it.
    if (host.screen) (decisions[tour.id] = { show: false, reasons: ['waiting-for-calm'] }), host.screen.when(go, tour.priority)
    else go()
  }

  function act(tourId: string, action: TourAction) {
    const run = find(tourId)
    if (run) settle(placed(reduceTour(run, action)))
  }

  function onPage(page: PageInfo) {
    $runs.get().forEach((r) => act(r.tour.id, { type: 'page', url: page.url, here: here(r) }))
    urlTriggers()
  }
  function urlTriggers() {
    tours().forEach((t) => {
      const rule = t.trigger && 'url' in t.trigger ? { url: t.trigger.url } : undefined
      if (rule && host.evaluate(rule, t.id).ok) queue(t, host.still(rule, t.id))
    })
  }

  // show(id) calls waiting for the user to look at the tab.
  let shows: Record<string, unknown> = {}
  const dismiss = (id: string, reason: string) => (delete shows[id], act(id, { type: 'dismiss', reason }))

  let who = host.user.get()
  const offs = [
    // Read now: the tour starts later (a calm screen, the other tabs' turn). An event held while
    // Linger started comes with the DOM event it was tracked in: by its replay, the click is over.
    host.onTrack((name, _p, _t, e?: Event | null) => {
      const asked = byUser(e)
      tours().forEach((t) => {
        const trigger = t.trigger
        if (trigger && 'event' in trigger && trigger.event === name && (!trigger.count || host.evaluate({ event: name, count: trigger.count }, t.id).ok)) queue(t, host.still({ event: name }, t.id), asked)
      })
    }),
    host.onPage(onPage),
    // Another user signed in: their tours are not this user's; end quietly, without events.
    // Then, as for surveys, the page they are on is a trigger for whoever it is now, with the
    // traits identify() just brought.
    // Not a navigation for the tours under way: a step waiting for its target waits on.
    host.platform.onShow?.(shownAgain) ?? (() => {}),
    host.platform.onPageHide?.(() => hold('')) ?? (() => {}),
    // Closed or done in another tab: it goes from this one too, quietly (counted where it was).
    host.state.subscribe(() =>
      $runs.get().forEach((r) => {
        const { id } = r.tour
        const [shown, blocking] = began[id]
        if (outcomeAt[id] !== outcome(id) || (r.quiet && !counted.has(r.runId!) && (shown !== past(id)?.lastShown || (!r.asked && !isHotspotTour(r.tour) && blocking !== stored()?.lastBlockingShown)))) settle({ ...r, status: 'dismissed', reason: 'elsewhere', events: [] })
      }),
    ),
    host.state.subscribe(() =>
      slotWaits.forEach(([tour, still, until], id) => (host.platform.now() < until ? void Promise.resolve().then(() => queue(tour, still, true)) : slotWaits.delete(id))),
    ),
    // A visitor who signs up (or in) is the same person on the same device, as for surveys: the
    // tour they are in goes on (a step asking them to sign up ended it, never completed), saved
    // for the user they became.
    onAudienceChange(host, (user, otherUser) => {
      if (otherUser && (who.userId || user.anonymousId !== who.anonymousId)) {
        // What why() said was the last person's "no": not this one's.
        queued.clear(), retries.clear(), slotWaits.clear(), (decisions = {})
        $runs.get().forEach((r) => settle({ ...r, status: 'dismissed', reason: 'user-changed', events: [] }))
      } else if (otherUser) $runs.get().forEach((r) => keep(r, false))
      who = user
      urlTriggers()
    }),
  ]
  resume()

  return {
    $runs,
    $needsUi,
    show(id, e) {
      const tour = tours().find((t) => t.id === id)
      // As a trigger's: in a tab in the background (the app's call on load, no user's click) it
      // starts once they look, or its Tour Started is a start nobody saw. Not if it is no longer
      // what was asked: the user finished or closed it meanwhile (in another tab), another person
      // is signed in (show() forces: past their audience), or the app called it off.
      const at = () => host.user.get().userKey + ' ' + outcome(id)
      const was = at()
      // "Take the tour" wired to show(): as the same click on a button that tracks its trigger.
      if (byUser(e)) theirs(find(id))
      const go = (): unknown => shows[id] == go && !host.screen?.away?.(go) && (delete shows[id], was == at() && start(tour!))
      if (tour) (shows[id] = go)()
      return !!tour
    },
    interrupt: dismiss,
    why(id) {
      const tour = tours().find((t) => t.id === id)
      const run = find(id)
      const last = decisions[id]
      // On screen (or its target still to come); a "yes" that is over (shown, or its target never
      // came) is asked again: `eligible` for a tour the user closed was not true.
      if (tour) return run ? [counted.has(run.runId!) || !run.quiet ? 'showing' : 'waiting-for-draw'] : last?.show ? ask(tour, { look: true }).reasons : (last?.reasons ?? ['not-triggered'])
    },
    next: (id) => act(id, { type: 'next' }),
    back: (id) => act(id, { type: 'back' }),
    open: (id) => act(id, { type: 'open' }),
    dismiss,
    targetFound: (id) => act(id, { type: 'found', url: url(), here: here(find(id)) }),
    targetMissing(id) {
      // The vendor's selector matches nothing on this page: said in debug mode, where they look
      // (the wire's Tour Target Missing is read on the collector, a day later).
      const run = find(id)
      const step = run?.status == 'waiting' && run.tour.steps[run.index]
      if (host.options?.debug && step) host.platform.log('warn', `tour "${id}" step ${run!.index + 1}: no element matches ${step.target}`)
      act(id, { type: 'missing' })
    },
    // A target lost to a route change within its step's url glob is looked for on the new page.
    targetLost: (id) => act(id, { type: 'lost', url: url(), here: here(find(id)) }),
    targetClicked: (id) => act(id, { type: 'targetClick' }),
    dispose() {
      live = false
      shows = {}
      uncounted.forEach((r) => r(false))
      hold('')
      offs.forEach((off) => off())
      queued.clear()
      retries.clear()
      slotWaits.clear()
      $runs.set([])
    },
  }
}
