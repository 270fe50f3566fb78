import * as z from 'zod/mini'
import type { Rule } from '../rule'
import { days, eventName, fraction, glob, idSchema, intRange, opt, text } from './schema-parts'

/**
 * Audience, doneWhen and badge rules, exactly the shapes of ../rule.ts. Rule objects are strict:
 * a typo such as `cuont` would otherwise be stripped and silently widen who sees an experience.
 */
export const comparisonSchema = z.strictObject({
  eq: opt(z.number()),
  gte: opt(z.number()),
  lte: opt(z.number()),
  gt: opt(z.number()),
  lt: opt(z.number()),
})

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()])
const orderable = z.union([z.number(), z.string()])

const nested = () => z.lazy(() => ruleSchema)
const ruleList = () => z.array(nested()).check(z.minLength(1), z.maxLength(50))

/**
 * One flat union, most common forms first: zod tries branches in order and a failed branch
 * costs far more than a match, so order is most of the validation time. The annotation makes
 * TypeScript check every branch's inferred output against `Rule` (the compile-time proof that
 * the schema never lets through anything ../rule.ts does not describe).
 */
export const ruleSchema: z.ZodMiniType<Rule> = z.union([
  z.strictObject({ event: eventName, count: opt(comparisonSchema), withinDays: opt(days) }),
  z.strictObject({ daysSince: text(100), gte: opt(z.number()), lte: opt(z.number()) }),
  z.strictObject({ all: ruleList() }),
  z.strictObject({ not: nested() }),
  z.strictObject({ any: ruleList() }),
  z.strictObject({ activeDays: comparisonSchema, withinDays: opt(days) }),
  z.strictObject({ checklist: idSchema, status: z.enum(['completed', 'dismissed', 'started', 'not-started']) }),
  z.strictObject({ badge: idSchema }),
  z.strictObject({
    survey: idSchema,
    answered: z.boolean(),
    category: opt(z.enum(['detractor', 'passive', 'promoter', 'dissatisfied', 'neutral', 'satisfied'])),
  }),
  z.strictObject({ daysUntil: text(100), gte: opt(z.number()), lte: opt(z.number()) }),
  z.strictObject({ feature: text(200), count: opt(comparisonSchema), withinDays: opt(days) }),
  z.strictObject({
    trait: text(100),
    eq: opt(scalar),
    neq: opt(scalar),
    in: opt(z.array(scalar).check(z.maxLength(100))),
    gt: opt(orderable),
    gte: opt(orderable),
    lt: opt(orderable),
    lte: opt(orderable),
    exists: opt(z.boolean()),
    contains: opt(z.union([z.string(), z.number()])),
  }),
  z.strictObject({ url: glob }),
  z.strictObject({ sample: fraction }),
  z.strictObject({ streakDays: intRange(1, 3650) }),
  z.strictObject({ distinctFeatures: intRange(1, 10000) }),
  z.strictObject({ points: intRange(0, 1e9) }),
])
