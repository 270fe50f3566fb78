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
  deps: unknown[]
  /** The clock when it was judged: a clock set back makes it stale too. */
  at: number
  /** When a `daysSince` in the rule next changes its day count. */
  until: number
  verdict: Verdict
}

const own = <T>(record: Record<string, T>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined)

/**
 * Audience checks, incremental: each rule is compiled once into what it reads (rule-reads.ts),
 * and a verdict is kept until one of those inputs changes. The usage profile is updated
 * immutably, so "did event X's count change" is one identity comparison, and an event no rule
 * reads costs a rule nothing. The words of why(id) are built only when someone reads them.
 */
export function createEvaluator(input: EvaluatorInput): (rule: Rule | undefined, experienceId: string) => Verdict {
  const compiled = new WeakMap<object, { reads: RuleReads; names: string[] }>()
  const verdicts = new WeakMap<object, Map<string, Entry>>()
  // What the rule being checked reads right now; copied into an entry only when it is judged
  // again, so a check that finds its verdict still current allocates nothing.
  const current: unknown[] = []

  function readInputs({ reads, names }: { reads: RuleReads; names: string[] }, profile: UsageProfile, now: number, url: () => string): number {
    let n = 0
    for (const name of names) current[n++] = own(profile.events, name)
    if (reads.activeDays) current[n++] = profile.activeDays
    if (reads.features) current[n++] = profile.features
    if (reads.firstSeen) current[n++] = profile.firstSeen
    if (reads.lastSeen) current[n++] = profile.lastSeen
    if (reads.traits || reads.user) {
      const who = input.who()
      if (reads.traits) current[n++] = who.traits
      if (reads.user) current[n++] = who.userKey
    }
    if (reads.url) current[n++] = url()
    if (reads.today) current[n++] = input.dayKey(now)
    if (reads.state) current[n++] = input.stateVersion()
    return n
  }

  const unchanged = (deps: unknown[], n: number) => {
    for (let i = 0; i < n; i++) if (deps[i] !== current[i]) return false
    return true
  }

  // The page's URL is read from the DOM at most once per check, and only by a rule that reads it.
  function context(experienceId: string, profile: UsageProfile, now: number, url: () => string, extra?: Partial<AudienceContext>): AudienceContext {
    const { userKey, traits } = input.who()
    return {
      profile,
      traits,
      now,
      today: input.dayKey(now),
      get url() {
        return url()
      },
      userKey,
      experienceId,
      facts: input.facts,
      ...extra,
    }
  }

  return (rule, experienceId) => {
    if (!rule) return { ok: true, failed: [] }
    const now = input.now()
    const profile = input.profile()
    let plan = compiled.get(rule)
    if (!plan) {
      const reads = readsOf(rule)
      compiled.set(rule, (plan = { reads, names: [...reads.events] }))
    }
    let byId = verdicts.get(rule)
    if (!byId) verdicts.set(rule, (byId = new Map()))
    let href: string | undefined
    const url = () => (href ??= input.url())
    const n = readInputs(plan, profile, now, url)
    let entry = byId.get(experienceId)
    if (!entry || now >= entry.until || now < entry.at || !unchanged(entry.deps, n)) {
      const horizon = { at: Infinity }
      const ok = evaluateRule(rule, context(experienceId, profile, now, url, { quiet: true, horizon }))
      // The words, when asked for, describe the inputs this verdict was judged on (the same as
      // long as the verdict is kept).
      let failed: string[] | undefined
      const verdict: Verdict = {
        ok,
        get failed() {
          if (ok) return []
          return (failed ??= explainRule(rule, context(experienceId, profile, now, () => href ?? input.url())).failed).slice()
        },
      }
      byId.set(experienceId, (entry = { deps: current.slice(0, n), at: now, until: horizon.at, verdict }))
    }
    return entry.verdict
  }
}
