import { decoded, matchGlob } from './glob'
import type { Comparison, Rule, TraitRule } from './rule'
import { sampleBucket } from './sample'
import { dayNumber, own, VISIT_GAP_MS, type DayKey, type UsageProfile } from './usage'
import { DAY_WINDOW } from './day-window'
import { epochMs } from './epoch'
import { activeDaysWithin, countOf, countWithin, currentStreak, distinctFeatures } from './usage-reads'

/**
 * Audience rules (docs/architecture.md, "Flows config"), evaluated purely against a snapshot of the user.
 * Every verdict carries readable reasons, so why(id) can say which condition failed and what
 * the value was.
 */
export interface AudienceFacts {
  checklistStatus(id: string): 'completed' | 'dismissed' | 'started' | 'not-started'
  hasBadge(id: string): boolean
  surveyAnswered(id: string): boolean
  /** The category of the user's last answer to a scored survey (NPS, CSAT, CES), if any. */
  surveyCategory?(id: string): string | undefined
  points(): number
  /** The user's sticky place in [0, 1) under `name`, maybe one recorded (experience-state.ts `draw`); else sample.ts `sampleBucket`. */
  draw?(userKey: string, name: string): number
}

export interface AudienceContext {
  profile: UsageProfile
  traits: Record<string, unknown>
  now: number
  /**
   * The user's local day for `now` (usage store's dayKey(now)): `withinDays` windows and streaks
   * count local days. Without it, the UTC day of `now`.
   */
  today?: DayKey
  /**
   * The user's local day of any time (the usage store's dayKey): days to and from a date-time
   * trait count their calendar days. Without it, UTC's.
   */
  dayKey?(ms: number): DayKey
  url: string
  userKey: string
  experienceId: string
  facts: AudienceFacts
  /**
   * A plain yes/no check (every track, for every experience) skips building the words of the
   * reasons; why(id) and the scheduler's reasons leave it unset.
   */
  quiet?: boolean
  /**
   * Set by `daysSince`: the first moment its day count changes, so a cached verdict knows when it
   * goes stale without anything else changing.
   */
  horizon?: { at: number }
}

type Verdict = [ok: boolean, why: string[]]

const DAY = 86_400_000
const quote = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v))
const ISO_DATE = /^\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/
/**
 * A date as ms: an ISO string, or a number (epoch.ts: Unix seconds below 1e11, as Stripe sends
 * them). A date-time with no offset is UTC, as a date alone is: Date.parse reads it in the
 * browser's zone, and the same trait passed a rule in New York and failed it in Tokyo.
 */
export const asDate = (v: unknown): number => {
  const m = typeof v === 'string' ? ISO_DATE.exec(v) : null
  return typeof v == 'number' ? epochMs(v) : m ? Date.parse(m[1] && !m[2] ? m[0].replace(' ', 'T') + 'Z' : m[0]) : Number.NaN
}

/**
 * A trait sent as text (a template's "42", "true") is the number or boolean the rule compares
 * it with; a string in the rule stays text, so a number never equals the rule's "4".
 */
const like = (v: unknown, arg: unknown): unknown =>
  typeof v != 'string' ? v : typeof arg == 'number' ? (v.trim() && isFinite(+v) ? +v : v) : typeof arg == 'boolean' && v == '' + arg ? arg : v

/**
 * Numbers as numbers; dates as dates (ISO, or a number against an ISO date); two strings in
 * code-point order; else not comparable. A date alone in the rule is that whole day on the
 * user's calendar (`day`), as a person reads it and as daysUntil counts: `lte "2026-01-31"` holds
 * at noon on the 31st, `gt` it does not; a trial ending 20:00 UTC on the 31st ends on 1 February
 * in Tokyo (UTC's day had it a day early there). A date alone in the trait is the same day anywhere.
 */
function compare(value: unknown, arg: unknown, day: (ms: number) => DayKey): number {
  const a = like(value, arg)
  if (typeof a === 'number' && typeof arg === 'number') return a - arg
  const t = asDate(a)
  const diff = (typeof arg == 'string' && arg.length == 10 && Math.abs(t) <= 864e13 && (a as string).length != 10 ? Date.parse(day(t)) : t) - asDate(arg)
  if (!Number.isNaN(diff)) return diff
  return typeof a === 'string' && typeof arg === 'string' ? (a < arg ? -1 : a > arg ? 1 : 0) : Number.NaN
}

// A list (roles) is "admin" when one of its values is, and `neq` "admin" when none is.
const same = (a: unknown, b: unknown, day: (ms: number) => DayKey): boolean => (Array.isArray(a) ? a.some((x) => same(x, b, day)) : like(a, b) === b || compare(a, b, day) === 0)

const ORDER: Record<string, (d: number) => boolean> = {
  eq: (d) => d === 0,
  gt: (d) => d > 0,
  gte: (d) => d >= 0,
  lt: (d) => d < 0,
  lte: (d) => d <= 0,
}

const NONE: string[] = []
const YES: Verdict = [true, NONE]
const NO: Verdict = [false, NONE]
const AT_LEAST_ONE: Comparison = { gte: 1 }
// The check every tracked event runs (ctx.quiet) returns these constants and builds no words:
// each branch tests `ctx.quiet` before a reason's text (or a closure for it) exists, since that
// garbage, per rule per event, was most of what a burst of track() calls gave the GC.
const bare = (ok: boolean): Verdict => (ok ? YES : NO)

function all(verdicts: Verdict[], every = true): Verdict {
  const ok = every ? verdicts.every((v) => v[0]) : verdicts.some((v) => v[0])
  return [ok, verdicts.filter((v) => v[0] === ok).flatMap((v) => v[1])]
}

/** Whether `value` meets every operator of the comparison; none given means `fallback`. */
function meets(value: number, comparison: Comparison | undefined, fallback: Comparison): boolean {
  let given = false
  for (const op in comparison) {
    given = true
    if (op in ORDER && !ORDER[op](value - (comparison as Record<string, number>)[op])) return false
  }
  return given || meets(value, fallback, fallback)
}

/** `label op n (was value)` for every operator in a Comparison; none given means `fallback`. */
function measure(ctx: AudienceContext, label: string, value: number, comparison: Comparison | undefined, fallback = AT_LEAST_ONE): Verdict {
  if (ctx.quiet) return bare(meets(value, comparison, fallback))
  const given = comparison && Object.keys(comparison).length ? comparison : fallback
  const ops = Object.entries(given).filter(([op]) => op in ORDER)
  return all(ops.map(([op, n]) => [ORDER[op](value - n), [`${label} ${op} ${n} (was ${value})`]]))
}

/** One operator of a trait rule; undefined for an operator this version does not know. */
function traitHolds(op: string, value: unknown, arg: unknown, day: (ms: number) => DayKey): boolean | undefined {
  if (op === 'eq') return same(value, arg, day)
  // A trait not known yet (identify still to come) is not "not enterprise": it fails, as every
  // comparison does, or a survey for everyone but enterprise asked an enterprise user first.
  if (op === 'neq') return value !== undefined && value !== null && !same(value, arg, day)
  if (op === 'in') return Array.isArray(arg) && arg.some((x) => same(value, x, day))
  if (op === 'exists') return (value !== undefined && value !== null) === arg
  if (op === 'contains') return typeof value === 'string' ? value.includes(String(arg)) : Array.isArray(value) && value.includes(arg)
  if (op in ORDER) return ORDER[op](compare(value, arg, day))
  return undefined
}

function trait(ctx: AudienceContext, rule: TraitRule, traits: Record<string, unknown>): Verdict {
  const value = own(traits, rule.trait)
  const args = rule as Record<string, unknown>
  const day = ctx.dayKey ?? utcDay
  if (ctx.quiet) {
    let given = false
    for (const op in args) {
      if (op === 'trait') continue
      given = true
      if (!traitHolds(op, value, args[op], day)) return NO
    }
    return given ? YES : bare(value !== undefined && value !== null)
  }
  const ops = Object.keys(rule).filter((k) => k !== 'trait')
  return all(
    (ops.length ? ops : ['exists']).map((op): Verdict => {
      const arg = ops.length ? args[op] : true
      const ok = traitHolds(op, value, arg, day)
      if (ok === undefined) return [false, [`trait ${rule.trait}: unknown operator ${op}`]]
      return [ok, [`trait ${rule.trait} ${op} ${quote(arg)} (was ${quote(value)})`]]
    }),
  )
}

let lastUrl: string | undefined
let lastForms: string[] = []
// Each glob's verdict on that URL: every event asks each url rule again, and a link carrying a
// 2 MB percent-encoded fragment took 25-60 ms a rule to decode and search, on every track().
let verdicts = new Map<string, boolean>()

/**
 * The forms a `url` glob may be written against: full URL, path, path+search, path+search+hash,
 * path+hash (the same page opened from a link with `?utm_source=…`), hash. Decoded once.
 */
function urlForms(url: string): string[] {
  if (url === lastUrl) return lastForms
  const forms = [url]
  try {
    const u = new URL(url)
    forms.push(u.pathname, u.pathname + u.search, u.pathname + u.search + u.hash, u.pathname + u.hash, u.hash)
  } catch {}
  lastUrl = url
  verdicts = new Map()
  return (lastForms = forms.map(decoded))
}

const urlMatches = (glob: string, url: string, forms = urlForms(url), v = verdicts.get(glob)): boolean =>
  v ?? (verdicts.set(glob, (v = forms.some((form) => matchGlob(glob, form, 1)))), v)

const utcDay = (ms: number): DayKey => new Date(ms).toISOString().slice(0, 10)
const todayOf = (ctx: AudienceContext): DayKey => ctx.today ?? utcDay(ctx.now)

function judge(rule: Rule, ctx: AudienceContext): Verdict {
  const { profile, facts, quiet } = ctx
  if (!rule || typeof rule !== 'object') return [false, ['unknown rule']]
  // Without words to gather, the first failure of an `all` (the first pass of an `any`) decides.
  if ('all' in rule && Array.isArray(rule.all)) {
    if (!quiet) return all(rule.all.map((r) => judge(r, ctx)))
    for (let i = 0; i < rule.all.length; i++) if (!judge(rule.all[i], ctx)[0]) return NO
    return YES
  }
  if ('any' in rule && Array.isArray(rule.any)) {
    if (quiet) {
      for (let i = 0; i < rule.any.length; i++) if (judge(rule.any[i], ctx)[0]) return YES
      return NO
    }
    const v = all(rule.any.map((r) => judge(r, ctx)), false)
    return v[0] || v[1].length ? v : [false, ['any of no rules']]
  }
  if ('not' in rule) {
    const [ok, why] = judge(rule.not, ctx)
    return quiet ? bare(!ok) : [!ok, [why.length > 1 ? `not (${why.join(' and ')})` : `not ${why[0]}`]]
  }
  if ('trait' in rule) return trait(ctx, rule, ctx.traits)
  if ('event' in rule) {
    const within = rule.withinDays
    const value = within ? countWithin(profile, rule.event, within, todayOf(ctx)) : countOf(profile, rule.event)
    return measure(ctx, quiet ? '' : `event ${quote(rule.event)}${within ? ` within ${within} days` : ''} count`, value, rule.count)
  }
  if ('daysSince' in rule || 'daysUntil' in rule) {
    // Days until a date are the days since it, negated (a renewal 36 hours away is 2 days off).
    const until = 'daysUntil' in rule
    const label = until ? 'daysUntil' : 'daysSince'
    const from = until ? rule.daysUntil : rule.daysSince
    // lastSeen: the visit before this one. Once this visit tracked an event, lastSeen is now and
    // that visit is usage.ts prevSeen; before (a page view, a URL trigger at start) it is lastSeen.
    const last = profile.lastSeen
    const gone = last !== null && ctx.now - last > VISIT_GAP_MS
    const seen = gone ? last : profile.prevSeen
    // Half an hour on with no event, this visit is over and lastSeen is the one before the next.
    if (from === 'lastSeen' && !until && last !== null && !gone && ctx.horizon) ctx.horizon.at = Math.min(ctx.horizon.at, last + VISIT_GAP_MS + 1)
    const raw = until ? own(ctx.traits, from) : from === 'firstSeen' ? profile.firstSeen : from === 'lastSeen' ? seen : own(ctx.traits, from)
    const time = asDate(raw)
    if (raw === null || raw === undefined || Number.isNaN(time)) return quiet ? NO : [false, [`${label} ${from} (no date)`]]
    // A vendor's date (a trait) counts the user's calendar days, as withinDays and the renewal
    // reminder do: a date alone (createdAt "2026-03-06") is that day where they are (from UTC
    // midnight, one signed up "today" in Tokyo was at day -1 until 9 am), a date-time the day it
    // falls on there (in 24-hour blocks, a renewal Thursday 23:00 was 4 days off on Monday 10:00,
    // 3 to the reminder). The count turns at their midnight, which a cached verdict sees by the
    // day it read (rule-reads.ts `today`). firstSeen and lastSeen are moments: 24-hour blocks.
    const local = until || (from != 'firstSeen' && from != 'lastSeen')
    const days = local ? dayNumber(todayOf(ctx)) - dayNumber(typeof raw == 'string' && raw.length == 10 ? raw : (ctx.dayKey ?? utcDay)(time)) : Math.floor((ctx.now - time) / DAY)
    if (ctx.horizon && !local) ctx.horizon.at = Math.min(ctx.horizon.at, time + (days + 1) * DAY)
    // The rule is its own comparison: measure() reads only its gte/lte.
    return measure(ctx, quiet ? '' : `${label} ${from}`, until ? -days : days, rule as Comparison)
  }
  if ('feature' in rule) {
    const tally = own(profile.features, rule.feature)
    const within = rule.withinDays
    // Features keep a tally, not days: `withinDays` asks that the last use is that recent. The
    // verdict turns with time only while that use is still recent; once it is not, only a new use
    // (a new tally) turns it back, so no time is set to look again.
    if (within && tally && ctx.horizon && tally.last + within * DAY >= ctx.now) ctx.horizon.at = Math.min(ctx.horizon.at, tally.last + within * DAY)
    if (within && (!tally || tally.last < ctx.now - within * DAY)) return quiet ? NO : [false, [`feature ${quote(rule.feature)} not used within ${within} days`]]
    return measure(ctx, quiet ? '' : `feature ${quote(rule.feature)} count`, tally?.count ?? 0, rule.count)
  }
  if ('url' in rule) {
    const ok = typeof rule.url === 'string' && urlMatches(rule.url, ctx.url)
    // (A 2 MB link's address is not written out whole for each rule why() explains.)
    return quiet ? bare(ok) : [ok, [`url ${quote(rule.url)} (was ${quote(ctx.url.length > 300 ? ctx.url.slice(0, 300) + '…' : ctx.url)})`]]
  }
  if ('activeDays' in rule) {
    const within = rule.withinDays
    // No window is the profile's: the last DAY_WINDOW days to today, not to the last active day.
    const value = activeDaysWithin(profile, within || DAY_WINDOW, todayOf(ctx))
    return measure(ctx, quiet ? '' : `activeDays${within ? ` within ${within} days` : ''}`, value, rule.activeDays)
  }
  if ('checklist' in rule) {
    const status = facts.checklistStatus(rule.checklist)
    return quiet ? bare(status === rule.status) : [status === rule.status, [`checklist ${rule.checklist} ${rule.status} (was ${status})`]]
  }
  if ('badge' in rule) {
    const ok = facts.hasBadge(rule.badge)
    return quiet ? bare(ok) : [ok, [`badge ${rule.badge} (${ok ? '' : 'not '}earned)`]]
  }
  if ('survey' in rule) {
    const answered = facts.surveyAnswered(rule.survey)
    if (answered !== rule.answered || !rule.category) {
      return quiet ? bare(answered === rule.answered) : [answered === rule.answered, [`survey ${rule.survey} answered ${rule.answered} (was ${answered})`]]
    }
    const category = facts.surveyCategory?.(rule.survey)
    return quiet ? bare(category === rule.category) : [category === rule.category, [`survey ${rule.survey} category ${rule.category} (was ${quote(category)})`]]
  }
  if ('sample' in rule) {
    const ok = (facts.draw ?? sampleBucket)(ctx.userKey, ctx.experienceId) < rule.sample
    return quiet ? bare(ok) : [ok, [`sample ${rule.sample} (${ok ? 'in' : 'out'})`]]
  }
  if ('streakDays' in rule) return atLeast(ctx, 'streakDays', currentStreak(profile, todayOf(ctx)), rule.streakDays)
  if ('distinctFeatures' in rule) return atLeast(ctx, 'distinctFeatures', distinctFeatures(profile), rule.distinctFeatures)
  if ('points' in rule) return atLeast(ctx, 'points', facts.points(), rule.points)
  return [false, ['unknown rule']]
}

const atLeast = (ctx: AudienceContext, label: string, value: number, n: number): Verdict =>
  ctx.quiet ? bare(value - n >= 0) : measure(ctx, label, value, { gte: n })

/** Whether the rule holds, and if not, which conditions failed, e.g. `trait plan eq "pro" (was "free")`. */
export function explainRule(rule: Rule, ctx: AudienceContext): { ok: boolean; failed: string[] } {
  try {
    const [ok, why] = judge(rule, ctx)
    return { ok, failed: ok ? [] : why }
  } catch (e) {
    // A fact callback or a hand-edited stored profile must not throw into the host page.
    return { ok: false, failed: [`rule failed: ${String(e)}`] }
  }
}

/** Whether the rule holds, without the words: the check every tracked event runs. */
export function evaluateRule(rule: Rule, ctx: AudienceContext): boolean {
  try {
    return judge(rule, ctx.quiet ? ctx : { ...ctx, quiet: true })[0]
  } catch {
    // As in explainRule: a throwing fact or a hand-edited stored profile is a no.
    return false
  }
}
