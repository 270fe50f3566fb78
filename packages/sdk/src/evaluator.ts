import { evaluateRule, explainRule, type AudienceContext, type AudienceFacts } from './audience'
import type { Properties } from './events'
import type { Rule } from './rule'
import { readsOf, type RuleReads } from './rule-reads'
import { own, type DayKey, type UsageProfile } from './usage'

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

const ALWAYS: Verdict = {
  ok: true,
  get failed() {
    return []
  },
}

interface Entry {
  deps: unknown[]
  /** The clock when it was judged: a clock set back makes it stale too. */
  at: number
  /** When a `daysSince` in the rule next changes its day count. */
  until: number
  verdict: Verdict
  /** What the words of a "no" are built from (its events: `deps`, see `failed`). */
  profile: UsageProfile
  /** Kept by a check that read only the failing part (`stuck`). */
  held?: boolean
  seen: string | undefined
  words?: string[]
  no?: Verdict
  /** After a "no": the first part of a top-level `all` that failed, and the inputs it read then. */
  stuck?: Plan
  stuckDeps: unknown[]
}

interface Plan {
  rule: Rule
  reads: RuleReads
  names: string[]
  /** The parts of a top-level `all`, each compiled on its own. */
  parts?: Plan[]
  /** The verdicts on a compiled rule, per experience. */
  byId?: Map<string, Entry>
}

const planOf = (rule: Rule): Plan => {
  const reads = readsOf(rule)
  return { rule, reads, names: [...reads.events] }
}

/**
 * Audience checks, incremental: each rule is compiled once into what it reads (rule-reads.ts),
 * and a verdict is kept until one of those inputs changes. An event's stats in the usage profile
 * are replaced, never changed, so "did event X's count change" is one identity comparison (the
 * events record itself is changed in place: usage.ts `$live`), and an event no rule
 * reads costs a rule nothing. The words of why(id) are built only when someone reads them.
 */
export function createEvaluator(input: EvaluatorInput): (rule: Rule | undefined, experienceId: string) => Verdict {
  // A rule's plan and its verdicts in one entry: one lookup a check, not two.
  const compiled = new WeakMap<object, Plan>()
  // What the rule being checked reads right now; copied into an entry only when it is judged
  // again, so a check that finds its verdict still current allocates nothing.
  const current: unknown[] = []

  function readInputs({ reads, names }: Plan, profile: UsageProfile, now: number, url: () => string): number {
    let n = 0
    for (const name of names) current[n++] = own(profile.events, name)
    if (reads.activeDays) current[n++] = profile.activeDays
    if (reads.features) current[n++] = profile.features
    if (reads.firstSeen) current[n++] = profile.firstSeen
    // identify() can move prevSeen (the visit before) and leave lastSeen as it was.
    if (reads.lastSeen) (current[n++] = profile.lastSeen), (current[n++] = profile.prevSeen)
    if (reads.traits || reads.user) {
      const who = input.who()
      if (reads.traits) current[n++] = who.traits
      // A sample's draw may be one recorded (experience-state.ts `draw`): the sync brings another
      // device's for the same key.
      if (reads.user) (current[n++] = who.userKey), (current[n++] = input.stateVersion())
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
      dayKey: input.dayKey,
      get url() {
        return url()
      },
      userKey,
      experienceId,
      facts: input.facts,
      ...extra,
    }
  }

  // One context for the checks (filled in per check, as are the horizon and the URL it reads):
  // a rule judged again allocates no context of its own. A check made from inside another (a
  // fact that evaluates) gets a fresh one.
  let href: string | undefined
  const url = () => (href ??= input.url())
  const horizon = { at: Infinity }
  const shared: AudienceContext = {
    profile: null as unknown as UsageProfile,
    traits: {},
    now: 0,
    dayKey: input.dayKey,
    get url() {
      return url()
    },
    userKey: '',
    experienceId: '',
    facts: input.facts,
    quiet: true,
    horizon,
  }
  let busy = false
  // Triggers are checked with a rule made for each event ({ event, count }: surveys, tours): the
  // first one of a name and count stands for the others, so the check on every event compiles
  // nothing, keeps no weak entry, and keeps its verdict as an audience's is (the same words: the
  // same rule). By the count's identity (the flows' own object; the names are the flows' too).
  const made = new Map<unknown, Map<string, Rule>>()
  const same = (rule: Rule): Rule => {
    const { event, count } = rule as { event?: unknown; count?: unknown }
    if (typeof event != 'string') return rule
    for (const k in rule) if (k != 'event' && k != 'count') return rule
    // Bounded, for a page that loads many documents.
    if (made.size > 99) made.clear()
    let byName = made.get(count)
    if (!byName) made.set(count, (byName = new Map()))
    return byName.get(event) ?? (byName.set(event, rule), rule)
  }

  return (rule, experienceId) => {
    if (!rule) return ALWAYS
    rule = same(rule)
    const now = input.now()
    const profile = input.profile()
    let plan = compiled.get(rule)
    if (!plan) {
      const all = (rule as { all?: unknown }).all
      // Spread, not Array.from(…, fn), which Prototype.js pages replace with one ignoring fn;
      // a hole becomes an undefined rule (a "no").
      compiled.set(rule, (plan = { ...planOf(rule), parts: Array.isArray(all) ? [...all].map((r) => planOf(r)) : undefined, byId: new Map() }))
    }
    const byId = plan.byId!
    href = undefined
    let entry = byId.get(experienceId)
    // A "no" whose failing part reads what it read then (an audience that fails on the plan
    // trait, whatever the event counts do): the rest of the rule is not read again.
    if (entry?.stuck && now < entry.until && now >= entry.at && unchanged(entry.stuckDeps, readInputs(entry.stuck, profile, now, url))) {
      // Its words, when asked for: the failing part's on what it read, the rest on what holds then.
      entry.at = now
      entry.profile = profile
      entry.held = true
      entry.seen = href
      entry.words = undefined
      return entry.verdict
    }
    const n = readInputs(plan, profile, now, url)
    if (!entry || now >= entry.until || now < entry.at || !unchanged(entry.deps, n)) {
      let ctx: AudienceContext = shared
      if (busy) ctx = context(experienceId, profile, now, url, { quiet: true, horizon: { at: Infinity } })
      else {
        const who = input.who()
        shared.profile = profile
        shared.traits = who.traits
        shared.userKey = who.userKey
        shared.now = now
        shared.today = input.dayKey(now)
        shared.experienceId = experienceId
        horizon.at = Infinity
      }
      busy = true
      let ok = true
      // A top-level `all` part by part (the same verdict): the first part that fails is kept.
      let failed: Plan | undefined
      try {
        if (plan.parts) {
          for (const part of plan.parts) if (!evaluateRule(part.rule, ctx)) {
            ok = false
            failed = part
            break
          }
        } else ok = evaluateRule(rule, ctx)
      } finally {
        busy = ctx !== shared
      }
      const until = ctx.horizon!.at
      if (!entry) byId.set(experienceId, (entry = { deps: [], at: now, until, verdict: ALWAYS, profile, seen: href, stuckDeps: [] }))
      entry.at = now
      entry.until = until
      entry.deps.length = n
      for (let i = 0; i < n; i++) entry.deps[i] = current[i]
      // What the failing part read, for the next check (after the whole rule's inputs are kept).
      entry.stuck = failed
      if (failed) {
        const m = readInputs(failed, profile, now, url)
        entry.stuckDeps.length = m
        for (let i = 0; i < m; i++) entry.stuckDeps[i] = current[i]
      }
      // The words, when asked for, are judged on the inputs of the last check (this one, or a
      // later one that kept this "no" for its failing part). A "no"
      // is one object per rule and experience, judged again in place: the check on every event
      // allocates nothing for it.
      entry.profile = profile
      entry.held = false
      entry.seen = href
      entry.words = undefined
      const e = entry
      const { names } = plan
      entry.verdict = ok
        ? ALWAYS
        : (entry.no ??= {
            ok: false,
            get failed() {
              // The counts the check read: the store changes its events record in place (usage.ts
              // `$live`), and a tour reads these words long after its "no". A check that kept the
              // "no" read only the failing part's counts (the same as `deps` then): the others are
              // today's. fromEntries, not assignment: an event named "__proto__" is a count too.
              const events = Object.fromEntries(names.map((n, i) => [n, e.held && !e.stuck!.names.includes(n) ? own(e.profile.events, n) : e.deps[i]]))
              return (e.words ??= explainRule(rule, context(experienceId, { ...e.profile, events: events as UsageProfile['events'] }, e.at, () => e.seen ?? input.url())).failed).slice()
            },
          })
    }
    return entry.verdict
  }
}
