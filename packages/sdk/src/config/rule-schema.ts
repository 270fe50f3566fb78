import * as z from 'zod/mini'
import type { Rule } from '../rule'
import { keyedUnion } from './keyed-union'
import { noteNearMisses, type NotedIssue } from './near-miss'
import { DAY_WINDOW } from '../day-window'
import { days, eventName, fraction, glob, idSchema, intRange, isRealDate, opt, text, num, bool, strict } from './schema-parts'

/**
 * An operator spelt as other tools do (`equals`, `atLeast`) is answered with the operators there
 * are: "is not a known field" alone left the vendor guessing at `eq`. A near miss (`eqq`) keeps its
 * "did you mean", which this map outranks and so asks for itself.
 */
function operators(subject?: string) {
  return {
    error(issue: z.core.$ZodRawIssue) {
      if (issue.code != 'unrecognized_keys') return
      noteNearMisses(issue)
      // Only a hint that spells the key short or long (`exist`, `gteq`) or in another case (`Eq`):
      // one a letter away may say the opposite (`nin` → `in`, `neq` → `eq`) or be one off (`ge` →
      // `gt`); the list is right.
      const n = issue as NotedIssue
      n.meant = n.meant!.map((m, i) => {
        const key = issue.keys[i].toLowerCase()
        // `GTE` beside a `gte` is that operator twice, not a misspelt `gt`: the list is right.
        if (key != issue.keys[i] && Object.hasOwn(issue.input as object, key)) return
        return m && (m.startsWith(key) || key.startsWith(m)) ? m : undefined
      })
      const names = Object.keys((issue.inst as z.ZodMiniObject | undefined)?._zod.def.shape ?? {}).filter((k) => k != subject)
      const last = names.pop()
      return last && `is not a known operator; use ${names.join(', ')} or ${last}`
    },
  }
}

/**
 * Audience, doneWhen and badge rules, exactly the shapes of ../rule.ts. Rule objects are strict:
 * a typo such as `cuont` would otherwise be stripped and silently widen who sees an experience.
 */
export const comparisonSchema = strict(
  {
    eq: opt(num),
    gte: opt(num),
    lte: opt(num),
    gt: opt(num),
    lt: opt(num),
  },
  operators(),
)

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()])
/**
 * audience.ts compares two ISO dates as dates: any other string compares as text, so "10" never
 * matches a number (and "9" is more than "10").
 */
// A time comes with its offset, as publishedAt's: whose 09:00 is "2026-03-01T09:00"? Read as UTC,
// a New York vendor's cut-off came five hours early. A date alone is the user's calendar day.
const ISO_DATE = /^\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d))?$/
const orderable = z.union([
  num,
  z.string().check(
    z.refine((s) => ISO_DATE.test(s) && isRealDate(s), {
      error: (issue) =>
        !Number.isNaN(Number(issue.input))
          ? 'use a number, not a string'
          : /^\d{4}-\d\d-\d\d[T ][\d:.]+$/.test(String(issue.input))
            ? 'a time needs its offset, like "2026-11-02T09:00+01:00" (Z for UTC)'
            : 'must be a number or an ISO date like "2026-11-02"',
    }),
  ),
])

// A rule holds rules: getters, read when a rule is first parsed (ruleSchema exists by then), are
// zod's recursion without z.lazy's wrapper and its code in the validation chunk.
let list: z.ZodMiniArray<z.ZodMiniType<Rule>> | undefined
const ruleList = () => (list ??= z.array(ruleSchema).check(z.minLength(1), z.maxLength(50)))

// The profile keeps per-day detail for DAY_WINDOW days: a longer window would count only those,
// and "not in 180 days" would hold for someone who did it 100 days ago.
const recent = opt(intRange(1, DAY_WINDOW))
const upToWindow = num.check(z.lte(DAY_WINDOW))

/**
 * One flat union, most common forms first: zod tries branches in order and a failed branch
 * costs far more than a match, so order is most of the validation time of an invalid rule; a
 * valid one goes straight to the branch its key names (keyed-union.ts). The annotation makes
 * TypeScript check every branch's inferred output against `Rule` (the compile-time proof that
 * the schema never lets through anything ../rule.ts does not describe).
 */
/** The forms a rule can take, by the key only that form has, in the order zod tries them. */
export const ruleForms = {
  event: strict({ event: eventName, count: opt(comparisonSchema), withinDays: recent }),
  daysSince: strict({ daysSince: text(100), gte: opt(num), lte: opt(num) }),
  all: strict({ get all() { return ruleList() } }),
  not: strict({ get not() { return ruleSchema } }),
  any: strict({ get any() { return ruleList() } }),
  activeDays: strict({
    // More than the window holds could never match.
    activeDays: strict({ eq: opt(upToWindow), gte: opt(upToWindow), lte: opt(num), gt: opt(num.check(z.lt(DAY_WINDOW))), lt: opt(num) }, operators()),
    withinDays: recent,
  }),
  checklist: strict({ checklist: idSchema, status: z.literal(['completed', 'dismissed', 'started', 'not-started']) }),
  badge: strict({ badge: idSchema }),
  survey: strict({
    survey: idSchema,
    answered: z.boolean(),
    category: opt(z.literal(['detractor', 'passive', 'promoter', 'dissatisfied', 'neutral', 'satisfied'])),
  }),
  daysUntil: strict({ daysUntil: text(100), gte: opt(num), lte: opt(num) }),
  feature: strict({ feature: text(200), count: opt(comparisonSchema), withinDays: opt(days) }),
  trait: strict(
    {
      trait: text(100),
      eq: opt(scalar),
      neq: opt(scalar),
      in: opt(z.array(scalar).check(z.maxLength(100))),
      gt: opt(orderable),
      gte: opt(orderable),
      lt: opt(orderable),
      lte: opt(orderable),
      exists: opt(bool),
      contains: opt(z.union([z.string(), z.number()])),
    },
    operators('trait'),
  ),
  url: strict({ url: glob }),
  sample: strict({ sample: fraction }),
  streakDays: strict({ streakDays: intRange(1, 3650) }),
  distinctFeatures: strict({ distinctFeatures: intRange(1, 10000) }),
  points: strict({ points: intRange(0, 1e9) }),
}

export const ruleSchema: z.ZodMiniType<Rule> = keyedUnion(z.union(Object.values(ruleForms)), ruleForms)
