import { atom, type ReadableAtom } from 'nanostores'
import type { AudienceContext } from './audience'
import type { Flows } from './config/flows-schema'
import type { FlowsValidation } from './config/validate-flows'
import { cachedFlowsOf, writeCachedFlows, type CachedFlows } from './config/flows-cache'
import { fromJson, toJson } from './json'
import { createEvaluator } from './evaluator'
import type { Properties } from './events'
import type { LiveExperienceState } from './experience-state'
import type { ExperienceController, ExperienceHost, SlotDecision, SlotRequest } from './experiences/host'
import type { Platform } from './platform'
import type { Rule } from './rule'
import { noReads, readsOf, readsTime, type RuleReads } from './rule-reads'
import { drawOf, sampleBucket } from './sample'
import { KINDS, type Kind } from './experience-kinds'
import { createAnnouncements, createBadges, createBilling, createCancelFlow, createChecklists, createReviews, createSurveys, createTours } from './experiences/controllers'
import { decide, emptySchedulerState, onClosed, onShown, type SchedulerState } from './scheduler'
import { own, type UsageProfile, type UsageStore } from './usage'
import { watchPresses } from './experiences/by-user'

/**
 * What the client owns and shares with the experiences: everything of ExperienceHost except the
 * audience checks and the screen slot, which the engine adds, and the experience state, which
 * loads with the start chunk (the eager runtime never reads it).
 */
export type CoreHost = Omit<ExperienceHost, 'evaluate' | 'request' | 'release' | 'still' | 'state'>

/**
 * The experiences engine: config validation, audience rules, the scheduler and the
 * experiences' controllers (every kind's, in this one chunk). It is loaded by the start chunk
 * in parallel with the flows document, only when the document has something to show: a vendor
 * who only tracks usage never pays for any of it.
 */
export interface EngineInput {
  /** The flows document as loaded (not validated yet). */
  raw: unknown
  /** Its cache key and cached validation, when the start chunk looked them up already. */
  cached?: CachedFlows
  usage: UsageStore
  state: LiveExperienceState
  /** The user as audience rules see them: the key for sampling, traits and group traits (the same object until they change). */
  who(): { userKey: string; traits: Properties }
  setFlows(flows: Flows): void
  core: CoreHost
  /** False once the client was destroyed: a start-up still under way stops where it is. */
  live?(): boolean
}

/** The controllers of every kind there is; `Engine.experiences` holds those the flows use. */
export interface Experiences {
  checklists: ReturnType<typeof createChecklists>
  badges: ReturnType<typeof createBadges>
  tours: ReturnType<typeof createTours>
  surveys: ReturnType<typeof createSurveys>
  cancel: ReturnType<typeof createCancelFlow>
  reviews: ReturnType<typeof createReviews>
  announcements: ReturnType<typeof createAnnouncements>
  billing: ReturnType<typeof createBilling>
}

export interface Engine {
  /** The core host, finished with the engine's audience checks and screen slot. */
  host: ExperienceHost
  /** The running controllers: a kind the flows do not use (or that failed to start) is absent. */
  experiences: Partial<Experiences>
  /**
   * Kinds (keys of `experiences`) with an experience whose audience passes: their UI will
   * probably be needed, so widgets fetch it at idle, before the trigger.
   */
  likely: ReadableAtom<string[]>
  why(id: string): string[]
  show(id: string, e?: Event | null): boolean
  dispose(): void
}


/**
 * Which tracked events a kind's controller needs to hear. Tours and surveys act on their trigger
 * events only; checklists and badges re-check their rules, which matters only when something
 * those rules read changed (rule-reads.ts).
 */
type Hearing = { triggers: Set<string> } | { reads: RuleReads }

const triggers = (list: Array<{ trigger?: unknown }> | undefined): Hearing => ({
  triggers: new Set((list ?? []).flatMap((x) => (x.trigger && typeof x.trigger === 'object' && 'event' in x.trigger ? [String(x.trigger.event)] : []))),
})
const reading = (rules: Array<Rule | undefined>): Hearing => {
  const reads = noReads()
  rules.forEach((r) => readsOf(r, reads))
  return { reads }
}

/** What each kind's controller listens to (null: it subscribes to no events itself). */
const HEARS: Record<Kind, (f: Flows) => Hearing | null> = {
  badges: (f) => reading((f.badges ?? []).map((b) => b.rule as Rule)),
  checklists: (f) => reading((f.checklists ?? []).flatMap((c) => [c.audience as Rule | undefined, ...c.tasks.map((t) => t.doneWhen as Rule)])),
  tours: (f) => triggers(f.tours),
  surveys: (f) => triggers(f.surveys as Array<{ trigger?: unknown }>),
  cancel: () => null,
  // Value reviews look at the calendar on page views and user changes; they never subscribe to events.
  reviews: () => null,
  announcements: (f) => reading((f.announcements ?? []).map((a) => a.audience as Rule | undefined)),
  // Traits arrive through the user atom; events matter as the clock moving (past due → wall).
  billing: (f) =>
    reading([
      { daysSince: 'now' },
      f.billing?.paymentPrompt?.audience as Rule | undefined,
      f.billing?.renewalReminders?.audience as Rule | undefined,
      f.billing?.annualOffer?.audience as Rule | undefined,
    ]),
}

/** Each kind's controller, in this chunk: a returning page fetches one file before ready, not two. */
const FACTORIES: Record<Kind, (host: ExperienceHost) => ExperienceController> = {
  badges: createBadges,
  checklists: createChecklists,
  tours: createTours,
  surveys: createSurveys,
  cancel: createCancelFlow,
  reviews: createReviews,
  announcements: createAnnouncements,
  billing: createBilling,
}

/** Rules that read the clock are looked at again this often: on a timer, and when events arrive. */
const TIME_STEP_MS = 60_000
/** How often, at most, tracked events make the engine look again for UI that may be needed. */
const LIKELY_STEP_MS = 1000

/**
 * The validated flows: from the cache when this document was validated before (no schema is
 * built, nothing validated), else in tasks of their own (building the schemas is one,
 * validating is slices of a few ms, keeping the result another), so a first visit's start-up
 * never blocks the page in one long piece.
 */
async function validated(raw: unknown, platform: Platform, { key, validation, text }: CachedFlows): Promise<FlowsValidation> {
  if (validation) return validation
  const pause = platform.yieldTask
  await pause?.()
  const { validateFlows, validateFlowsInSlices } = await import('./config/validate-flows')
  await pause?.()
  // A key-less document is not JSON (an object given to init with a cycle, a throwing getter):
  // validated every time, in one piece. Else the text its key was made from, parsed again: a copy
  // the host's code cannot change between slices, and what is kept under the key is what the
  // key's text says (an object given to init is read as its JSON, as a fetched one is).
  if (!key || text === undefined) return validateFlows(raw)
  const doc = fromJson(text)
  const result = pause ? await validateFlowsInSlices(doc, pause, platform.now) : validateFlows(doc)
  await pause?.()
  // Through JSON, so a first load runs on exactly what a returning page reads from the cache.
  const plain: FlowsValidation = fromJson(toJson(result))
  writeCachedFlows(platform.storage, key, plain)
  await pause?.()
  return plain
}

export async function startEngine(input: EngineInput): Promise<Engine | undefined> {
  const { usage, state, core } = input
  const { platform } = core
  if (input.raw !== undefined) {
    const { flows, errors } = await validated(input.raw, platform, input.cached ?? (await cachedFlowsOf(platform.storage, input.raw)))
    errors.forEach((e) => core.reportError({ code: 'invalid-config', message: e.message, details: e }))
    // Destroyed meanwhile, or by a listener of those errors (a component unmounted, React's
    // Strict Mode): no controller starts and writes the user's progress for a client nobody holds.
    if (input.live?.() === false) return
    input.setFlows(flows)
  }
  const flows = core.flows.get()
  // Synced from another device, the doc may hold its history without this device's blocking slot.
  // Merged once per stored value (state.get gives the same object until it changes): survey
  // rules and slot requests read it on every event. Never mutated: onShown/onClosed make new ones.
  let storedScheduler: Partial<SchedulerState> | undefined | null = null
  let mergedScheduler = emptySchedulerState()
  const schedulerState = (): SchedulerState => {
    const stored = state.get<Partial<SchedulerState>>('scheduler')
    if (stored !== storedScheduler) {
      // Stored text of any shape (an older release, a hand edit): a history that is no record
      // would throw from a survey's timer, into the host page.
      const s = (storedScheduler = stored) && typeof stored === 'object' ? stored : {}
      mergedScheduler = { ...emptySchedulerState(), ...s, history: s.history && typeof s.history === 'object' ? s.history : {} }
    }
    return mergedScheduler
  }
  const draw = (userKey: string, name: string) => state.draw(userKey, name, sampleBucket(userKey, name))
  const facts: AudienceContext['facts'] = {
    draw,
    // A record from another release (a status this one does not know) shows as a list under way,
    // so rules read it as the user sees it.
    checklistStatus: (id) => {
      const record = state.get<{ status?: string }>(`checklist:${id}`)
      return !record ? 'not-started' : record.status === 'completed' || record.status === 'dismissed' ? record.status : 'started'
    },
    hasBadge: (id) => !!state.get<{ earned?: Record<string, number> }>('badges')?.earned?.[id],
    surveyAnswered: (id) => !!schedulerState().history[id]?.answered,
    surveyCategory: (id) => state.get<{ category?: Record<string, string> }>('surveyAnswers')?.category?.[id],
    points: () => state.get<{ points?: number }>('badges')?.points ?? 0,
  }
  // The URL alone, several times an event: not the whole page, which reads the title too.
  const url = () => (platform.url ? platform.url() : platform.page().url)
  const evaluate = createEvaluator({
    now: platform.now,
    profile: () => usage.$live.get(),
    who: input.who,
    dayKey: usage.dayKey,
    url,
    stateVersion: state.version,
    facts,
  })
  const settings = () => ({ cooldownDays: Number(flows.settings?.cooldownDays ?? 0), dayKey: usage.dayKey })
  // The blocking slot lives in this tab's memory (a tab closed mid-tour must not block the
  // others forever); the history that repeat policies read is per user, in storage.
  let active: SchedulerState['active'] = null
  // Made from storage's copy: another tab's answer that this tab has not heard of yet (its
  // storage event comes a moment later) stays, instead of this write taking it back and the
  // "once" survey being asked again.
  const commit = (change: (s: SchedulerState) => SchedulerState) => {
    state.fresh('scheduler')
    const next = change(withActive())
    active = next.active
    state.set('scheduler', { ...next, active: null })
  }
  // The state a decision reads, with this tab's blocking slot: made again only when either changed.
  let seenState: SchedulerState | null = null
  let seenActive: SchedulerState['active'] = null
  let withSlot: SchedulerState = emptySchedulerState()
  const withActive = (): SchedulerState => {
    const base = schedulerState()
    if (base !== seenState || active !== seenActive) withSlot = { ...(seenState = base), active: (seenActive = active) }
    return withSlot
  }
  const request = (req: SlotRequest): SlotDecision => {
    // A user on their way to cancel is never stopped by a tour or survey on screen: it ends
    // (recording why), and the cancel flow takes the slot. Nor is the payment wall by a value
    // review the user left open (a passive card holding the slot would keep it away for good).
    if (req.kind === 'cancel' || (req.kind === 'wall' && active?.kind === 'review')) {
      const other = active && active.id !== req.id ? active.id : ''
      controllers().forEach((c) => c.interrupt?.(other, `preempted-by:${req.id}`))
      if (other && active?.id === other) release(other, 'abandoned')
    }
    if (req.still?.() === false) return { show: false, reasons: ['moved-on'] }
    // From this device's copy of a user whose progress is still on its way, nothing opens on its own.
    if (!req.force && core.syncing?.()) return { show: false, reasons: ['syncing'] }
    const audience = evaluate(req.audience, req.id)
    const sampled = req.sample === undefined || draw(input.who().userKey, drawOf(req.id, 'sample')) < req.sample
    const s = withActive()
    const decision = decide(
      // The request as made (its kind, priority, force, whether the user asked), with its answers.
      {
        ...req,
        repeat: (req.repeat ?? 'always') as never,
        audienceOk: audience.ok,
        get audienceFailed() {
          return audience.failed
        },
        sampled,
      },
      s,
      platform.now(),
      settings(),
    )
    if (decision.show && !req.look) commit((latest) => onShown(latest, req.id, req.kind, req.priority ?? 0, platform.now(), req.resumed))
    // The words of a "no" are built when why(id) reads them, not on every trigger.
    let reasons: string[] | undefined
    return {
      show: decision.show,
      get reasons() {
        return (reasons ??= [...decision.reasons, ...decision.failed])
      },
    }
  }
  const release: ExperienceHost['release'] = (id, outcome, hold) => commit((latest) => onClosed(latest, id, outcome, platform.now(), hold))
  // Built on the core by prototype, not copied: what the widgets set on the core later (the
  // calm-screen gate, `screen`) is seen by every controller.
  const over = <T extends object>(base: T, own: Partial<ExperienceHost>): ExperienceHost => Object.assign(Object.create(base), own)
  // A trigger still holds after a wait: a URL rule still matches, an event's user is still on
  // the page it last happened on (the same event again, elsewhere, while one waits, moves it).
  const pages: Record<string, string> = {}
  const still: ExperienceHost['still'] = (rule, id) => {
    pages[id] = url()
    return () => ('url' in rule ? evaluate(rule, id).ok : url() === pages[id])
  }
  // The experiences read usage at once (badges, value items): the store's own, with no copy per
  // event; the core's (linger.host, the widgets') is the host's snapshot.
  const host = over(core, { state, evaluate, request, release, still, usage: usage.$live })

  /** The host a kind's controller gets: the same, but it hears only the events that matter to it. */
  function hostFor(hearing: Hearing | null): ExperienceHost {
    if (!hearing) return host
    // All of what the core passes: a held event's DOM event too (client.ts), for whether the user asked.
    if ('triggers' in hearing) return over(host, { onTrack: (fn) => core.onTrack((name, ...a) => hearing.triggers.has(name) && fn(name, ...a)) })
    const { reads } = hearing
    return over(host, {
      onTrack(fn) {
        // Per subscription: what the rules read, as the last call saw it.
        let profile = usage.$live.get()
        let step = Math.floor(platform.now() / TIME_STEP_MS)
        // What the rules read of the profile moved since the last call.
        const moved = (now: UsageProfile) =>
          (reads.lastSeen && now.lastSeen !== profile.lastSeen) ||
          (reads.firstSeen && now.firstSeen !== profile.firstSeen) ||
          (reads.activeDays && now.activeDays !== profile.activeDays) ||
          (reads.features && now.features !== profile.features)
        const again = () => fn('', {}, platform.now())
        const offTrack = core.onTrack((name, p, t) => {
          const now = usage.$live.get()
          const nowStep = Math.floor(platform.now() / TIME_STEP_MS)
          const changed = reads.events.has(name) || reads.lastSeen || moved(now) || (readsTime(reads) && nowStep !== step)
          profile = now
          step = nowStep
          if (changed) fn(name, p, t)
        })
        // Another tab's counts, seen here: a rule may hold now with no event in this tab.
        const offSync = usage.onSync(() => {
          const now = usage.$live.get()
          const changed = [...reads.events].some((name) => own(now.events, name) !== own(profile.events, name)) || moved(now)
          profile = now
          if (changed) again()
        })
        // A page rule changes with the page (a view, or a query the app rewrote), not with events.
        const offPage = reads.url ? [core.onPage(again), core.onUrl?.(again)] : []
        // A date rule turns with the clock: a page left open re-checks it once a minute, with no
        // event (verdicts are kept until their day count can change, so a tick costs little).
        let tick: unknown
        const everyMinute = () => {
          tick = platform.setTimeout(() => {
            step = Math.floor(platform.now() / TIME_STEP_MS)
            everyMinute()
            try {
              again()
            } catch (e) {
              core.reportError({ code: 'experience-failed', message: `while re-checking date rules: ${String(e)}` })
            }
          }, TIME_STEP_MS)
        }
        if (readsTime(reads)) everyMinute()
        return () => {
          offTrack()
          offSync()
          offPage.forEach((off) => off?.())
          platform.clearTimeout(tick)
        }
      },
    })
  }

  const experiences: Partial<Experiences> = {}
  const controllers = () => Object.values(experiences) as ExperienceController[]
  KINDS.forEach(([key, uses]) => {
    if (!uses(flows)) return
    try {
      ;(experiences as Record<Kind, ExperienceController>)[key] = FACTORIES[key](hostFor(HEARS[key](flows)))
    } catch (e) {
      core.reportError({ code: 'experience-failed', message: `${key} could not start: ${String(e)}` })
    }
  })
  const likely = atom<string[]>([])
  const passes = (list: Array<{ id: string; audience?: unknown }>) => list.some((x) => evaluate(x.audience as Rule | undefined, x.id).ok)
  /**
   * When a kind's UI will probably be needed: a trigger's experience once its audience passes;
   * badges and checklists, which any event may show (a toast, a checklist an event brings into
   * its audience), while one could still show.
   */
  const likelyWhen: Partial<Record<Kind, () => boolean>> = {
    tours: () => passes(flows.tours ?? []),
    surveys: () => passes((flows.surveys ?? []) as Array<{ id: string }>),
    cancel: () => passes(flows.cancelFlow ? [flows.cancelFlow] : []),
    announcements: () => passes(flows.announcements ?? []),
    badges: () => !!flows.badges?.length,
    checklists: () => (flows.checklists ?? []).some((c) => !/^(completed|dismissed)$/.test(facts.checklistStatus(c.id))),
  }
  const lookAhead = () => {
    const kinds = likely.get()
    const next = (Object.keys(likelyWhen) as Kind[]).filter((kind) => kinds.includes(kind) || (experiences[kind] && likelyWhen[kind]!()))
    if (next.length !== kinds.length) likely.set(next)
  }
  let lookedAt = -Infinity
  const stopLooking = [
    core.onTrack(() => {
      if (platform.now() - lookedAt < LIKELY_STEP_MS) return
      lookedAt = platform.now()
      lookAhead()
    }),
    core.user.listen(lookAhead),
    // Whose show() is it (by-user.ts): the window's press listeners go with the last engine.
    watchPresses(),
  ]
  // At the end of start-up, not in its way; not at all once disposed (a client destroyed in this
  // task): judging a sampled audience records the visitor's draw in their stored progress.
  const firstLook = platform.setTimeout(lookAhead, 0)

  return {
    host,
    experiences,
    likely,
    why(id) {
      const reasons: string[] = []
      for (const kind in experiences) {
        const said = experiences[kind as Kind]!.why?.(id)
        // The cancel flow opens when asked, synced or not.
        if (said) reasons.push(...said, ...(core.syncing?.() && kind !== 'cancel' && !said.includes('syncing') ? ['syncing'] : []))
      }
      return reasons
    },
    show(id, e) {
      return controllers().some((c) => {
        try {
          return c.show?.(id, e) ?? false
        } catch (e) {
          core.reportError({ code: 'experience-failed', message: `show("${id}"): ${String(e)}` })
          return false
        }
      })
    },
    dispose() {
      platform.clearTimeout(firstLook)
      stopLooking.forEach((stop) => stop())
      // Each on its own: a host's listener that throws as one stops (its store cleared) left the
      // rest running, a survey's delay opening it in a page whose app had unmounted.
      controllers().forEach((c) => {
        try {
          c.dispose()
        } catch (e) {
          core.reportError({ code: 'experience-failed', message: `stopping: ${String(e)}` })
        }
      })
    },
  }
}
