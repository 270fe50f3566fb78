import { evaluateRule, explainRule, type AudienceContext, type AudienceFacts } from './audience'
import type { Properties } from './events'
import type { Rule } from './rule'
import { readsOf, type RuleReads } from './rule-reads'
import type { DayKey, UsageProfile } from './usage'

export interface EvaluatorInput {
  now(): number
  profile(): UsageProfile
  /** The same `traits` object for as long as the traits do not change. */
  who(): { userKey: string; traits: Properties }
  dayKey(ms: number): DayKey
  url(): string
  /** Moves on every change to experience state (checklists, badges, scheduler history). */
  stateVersion(): number
  facts: AudienceFacts
}

export type Verdict = { ok: boolean; readonly failed: string[] }

interface Entry {
  ok: boolean
  deps: unknown[]
  /** The clock when it was judged: a clock set back makes it stale too. */
  at: number
  /** When a `daysSince` in the rule next changes its day count. */
  until: number
  /** The words of why(id), built the first time someone asks. */
  failed?: string[]
}

const own = <T>(record: Record<string, T>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined)

/**
 * Audience checks, incremental: each rule is compiled once into what it reads (rule-reads.ts),
 * and a verdict is kept until one of those inputs changes. The usage profile is updated
 * immutably, so "did event X's count change" is one identity comparison, and an event no rule
 * reads costs a rule nothing. The words of why(id) are built only when someone reads them.
 */
export function createEvaluator(input: EvaluatorInput): (rule: Rule | undefined, experienceId: string) => Verdict {
  const compiled = new WeakMap<object, RuleReads>()
  const verdicts = new WeakMap<object, Map<string, Entry>>()

  function inputsOf(reads: RuleReads, profile: UsageProfile, now: number): unknown[] {
    const deps: unknown[] = []
    for (const name of reads.events) deps.push(own(profile.events, name))
    if (reads.activeDays) deps.push(profile.activeDays)
    if (reads.features) deps.push(profile.features)
    if (reads.firstSeen) deps.push(profile.firstSeen)
    if (reads.lastSeen) deps.push(profile.lastSeen)
    if (reads.traits) deps.push(input.who().traits)
    if (reads.user) deps.push(input.who().userKey)
    if (reads.url) deps.push(input.url())
    if (reads.today) deps.push(input.dayKey(now))
    if (reads.state) deps.push(input.stateVersion())
    return deps
  }

  function context(experienceId: string, profile: UsageProfile, now: number): AudienceContext {
    const { userKey, traits } = input.who()
    return { profile, traits, now, today: input.dayKey(now), url: input.url(), userKey, experienceId, facts: input.facts }
  }

  return (rule, experienceId) => {
    if (!rule) return { ok: true, failed: [] }
    const now = input.now()
    const profile = input.profile()
    let reads = compiled.get(rule)
    if (!reads) compiled.set(rule, (reads = readsOf(rule)))
    let byId = verdicts.get(rule)
    if (!byId) verdicts.set(rule, (byId = new Map()))
    const deps = inputsOf(reads, profile, now)
    let entry = byId.get(experienceId)
    if (!entry || now >= entry.until || now < entry.at || deps.some((d, i) => d !== entry!.deps[i])) {
      const horizon = { at: Infinity }
      const ok = evaluateRule(rule, { ...context(experienceId, profile, now), quiet: true, horizon })
      byId.set(experienceId, (entry = { ok, deps, at: now, until: horizon.at }))
    }
    const judged = entry
    return {
      ok: judged.ok,
      get failed() {
        if (judged.ok) return []
        return (judged.failed ??= explainRule(rule, context(experienceId, profile, now)).failed).slice()
      },
    }
  }
}
