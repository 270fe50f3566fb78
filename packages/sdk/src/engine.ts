import type { ReadableAtom } from 'nanostores'
import { evaluateRule, explainRule, type AudienceContext } from './audience'
import type { Flows } from './config/flows-schema'
import { validateFlows } from './config/validate-flows'
import { validateInitOptions } from './config/init-options'
import type { Properties } from './events'
import type { ExperienceController, ExperienceHost, ExperienceState, SlotDecision, SlotRequest } from './experiences/host'
import type { Platform } from './platform'
import type { Rule } from './rule'
import { inSample } from './sample'
import { decide, emptySchedulerState, onClosed, onShown, type SchedulerState } from './scheduler'
import type { UsageStore } from './usage'
import type { createChecklists } from './experiences/checklist'
import type { createBadges } from './experiences/badges'
import type { createTours } from './experiences/tours'
import type { createSurveys } from './experiences/surveys'
// The client reports a broken document through these; they load with the engine, not eagerly.
export { configNotice, countSkipped } from './config/config-notice'
import type { createCancelFlow } from './experiences/cancel'

/**
 * The experiences engine: config validation, audience rules, the scheduler and the
 * experiences' controllers. It is its own chunk, loaded by the runtime in parallel with the
 * flows document, and each experience kind's controller loads only when the flows use it: a
 * vendor who only tracks usage never pays for any of it.
 */
export interface EngineInput {
  platform: Platform
  /** `init` options as given: fully validated here, where zod-free checks cost no eager bytes. */
  rawOptions: unknown
  raw: unknown
  usage: UsageStore
  state: ExperienceState
  /** The user as audience rules see them: the key for sampling, traits and group traits. */
  who(): { userKey: string; traits: Properties }
  setFlows(flows: Flows): void
  $flows: ReadableAtom<Flows>
  /** The host object, finished by the client once the engine is in. */
  host: ExperienceHost
}

/**
 * The running controllers, for @linger/widgets. A kind the flows do not use has no controller
 * (its key is absent at runtime); widgets only render a kind whose `$needsUi` turned true.
 */
export interface Experiences {
  checklists: ReturnType<typeof createChecklists>
  badges: ReturnType<typeof createBadges>
  tours: ReturnType<typeof createTours>
  surveys: ReturnType<typeof createSurveys>
  cancel: ReturnType<typeof createCancelFlow>
}

export interface Engine {
  evaluate(rule: Rule | undefined, experienceId: string): { ok: boolean; failed: string[] }
  request(req: SlotRequest): SlotDecision
  release(id: string, outcome: 'completed' | 'answered' | 'dismissed' | 'abandoned'): void
  experiences: Experiences
  why(id: string): string[]
  show(id: string): boolean
  dispose(): void
}

type Factory = (host: ExperienceHost) => ExperienceController
/** Which controller runs for which part of the flows document. */
const KINDS: Array<[keyof Experiences, (f: Flows) => boolean, () => Promise<Factory>]> = [
  ['badges', (f) => !!(f.badges?.length || f.levels?.length || f.checklists?.length), () => import('./experiences/badges').then((m) => m.createBadges)],
  ['checklists', (f) => !!f.checklists?.length, () => import('./experiences/checklist').then((m) => m.createChecklists)],
  ['tours', (f) => !!f.tours?.length, () => import('./experiences/tours').then((m) => m.createTours)],
  ['surveys', (f) => !!f.surveys?.length, () => import('./experiences/surveys').then((m) => m.createSurveys)],
  ['cancel', (f) => !!f.cancelFlow, () => import('./experiences/cancel').then((m) => m.createCancelFlow)],
]

export async function startEngine(input: EngineInput): Promise<Engine> {
  const { platform, usage, state, host } = input
  validateInitOptions(input.rawOptions).errors.forEach((e) => {
    // The client already said a missing key stops delivery.
    if (e.path !== 'key' && e.path !== '') host.reportError({ code: 'invalid-option', message: e.message, details: e })
  })
  if (input.raw !== undefined) {
    const { flows, errors } = validateFlows(input.raw)
    errors.forEach((e) => host.reportError({ code: 'invalid-config', message: e.message, details: e }))
    input.setFlows(flows)
  }
  const flows = input.$flows.get()
  const schedulerState = (): SchedulerState => state.get<SchedulerState>('scheduler') ?? emptySchedulerState()
  const facts: AudienceContext['facts'] = {
    checklistStatus: (id) => state.get<{ status: 'completed' | 'dismissed' | 'started' }>(`checklist:${id}`)?.status ?? 'not-started',
    hasBadge: (id) => !!state.get<{ earned?: Record<string, number> }>('badges')?.earned?.[id],
    surveyAnswered: (id) => !!schedulerState().history[id]?.answered,
    points: () => state.get<{ points?: number }>('badges')?.points ?? 0,
  }
  const evaluate = (rule: Rule | undefined, experienceId: string) => {
    if (!rule) return { ok: true, failed: [] }
    const now = platform.now()
    const { userKey, traits } = input.who()
    const ctx = { profile: usage.$profile.get(), traits, now, today: usage.dayKey(now), url: platform.page().url, userKey, experienceId, facts }
    const ok = evaluateRule(rule, ctx)
    // The words are built only when someone reads them (why(id), the scheduler's reasons).
    return {
      ok,
      get failed() {
        return ok ? [] : explainRule(rule, ctx).failed
      },
    }
  }
  const settings = () => ({ cooldownDays: Number(flows.settings?.cooldownDays ?? 0) })
  // The blocking slot lives in this tab's memory (a tab closed mid-tour must not block the
  // others forever); the history that repeat policies read is per user, in storage.
  let active: SchedulerState['active'] = null
  const commit = (next: SchedulerState) => {
    active = next.active
    state.set('scheduler', { ...next, active: null })
  }
  const engine: Engine = {
    evaluate,
    request(req) {
      // A user on their way to cancel is never stopped by a tour or survey on screen: it ends
      // (recording why), and the cancel flow takes the slot.
      if (req.kind === 'cancel') {
        const other = active && active.id !== req.id ? active.id : ''
        Object.values(engine.experiences).forEach((c: ExperienceController) => c.interrupt?.(other, `preempted-by:${req.id}`))
        if (other && active?.id === other) engine.release(other, 'abandoned')
      }
      const audience = evaluate(req.audience, req.id)
      const sampled = req.sample === undefined || inSample(input.who().userKey, req.id, req.sample)
      const s = { ...schedulerState(), active }
      const decision = decide(
        { id: req.id, kind: req.kind, priority: req.priority, repeat: (req.repeat ?? 'always') as never, audienceOk: audience.ok, audienceFailed: audience.failed, sampled, force: req.force },
        s,
        platform.now(),
        settings(),
      )
      if (decision.show) commit(onShown(s, req.id, req.kind, req.priority ?? 0, platform.now()))
      return { show: decision.show, reasons: [...decision.reasons, ...decision.failed] }
    },
    release(id, outcome) {
      commit(onClosed({ ...schedulerState(), active }, id, outcome, platform.now()))
    },
    experiences: {} as Experiences,
    why(id) {
      const reasons: string[] = []
      Object.values(engine.experiences).forEach((c: ExperienceController) => reasons.push(...(c.why?.(id) ?? [])))
      return reasons
    },
    show(id) {
      return Object.values(engine.experiences).some((c: ExperienceController) => {
        try {
          return c.show?.(id) ?? false
        } catch (e) {
          host.reportError({ code: 'experience-failed', message: `show("${id}"): ${String(e)}` })
          return false
        }
      })
    },
    dispose() {
      Object.values(engine.experiences).forEach((c: ExperienceController) => c.dispose())
    },
  }
  // The client routes host.evaluate/request/release here before any controller starts.
  Object.assign(host, { evaluate: engine.evaluate, request: engine.request, release: engine.release })
  const wanted = KINDS.filter(([, uses]) => uses(flows))
  const factories = await Promise.all(wanted.map(([, , load]) => load().catch((e: unknown) => e)))
  wanted.forEach(([key], i) => {
    const create = factories[i]
    try {
      if (typeof create !== 'function') throw create
      ;(engine.experiences as unknown as Record<string, ExperienceController>)[key] = create(host)
    } catch (e) {
      host.reportError({ code: 'experience-failed', message: `${key} could not start: ${String(e)}` })
    }
  })
  return engine
}
