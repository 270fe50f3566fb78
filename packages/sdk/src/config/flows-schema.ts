import * as z from 'zod/mini'
import { comparisonSchema, ruleSchema } from './rule-schema'
import {
  eventName, fraction, glob, idSchema, intRange, isRealDate, locale, once, opt, priority, range, safeUrl, selector, text, days, schemaBuildGuard, bool, strict,
} from './schema-parts'
import { restorePrototypeAdditions } from './plain-prototypes'
import type { billingSchema, cancelFlowSchema, flowsSchema, settingsSchema, triggerSchema } from './flows-document'
import { isHttpUrl, isSafeUrl } from './url'

/**
 * The flows document (docs/architecture.md, "Flows config"). Each experience is its own schema because
 * validate-flows.ts checks them one by one: an invalid one is skipped, the rest run.
 * Experience objects are strict so editors flag unknown keys; validate-flows reports them
 * without skipping the experience (a newer config must keep working on an older runtime).
 * A choice of strings is z.literal([...]), not z.enum: the same issue and JSON Schema, and
 * zod's enum code (~190 B gzip) stays out of the validation chunk.
 *
 * Each kind's schemas are built the first time validation reads one of that kind, not as the
 * chunk loads: building is most of what a first visit pays for validation, and a document with no
 * cancel flow, billing or announcements (most of them) need not build theirs.
 */

const points = intRange(0, 1e6)

export const eventTrigger = strict({ event: eventName, count: opt(comparisonSchema) })
export const urlTrigger = strict({ url: glob })
export const selectorTrigger = strict({ selector })

/** Tours and surveys start on an event or a page; a click trigger is the cancel flow's alone. */
export const showTriggerSchema = z.union([eventTrigger, urlTrigger], 'a trigger is { "event" } or { "url" } here')

const afterDays = strict({ afterDays: days })
export const repeatSchema = z.union([z.literal(['once', 'until-completed', 'until-answered', 'always']), afterDays])
/** A tour is never answered: "until-answered" would show it on every trigger (scheduler.ts). */
const tourRepeatSchema = z.union([
  z.literal(['once', 'until-completed', 'always'], {
    error: (issue) => (issue.input === 'until-answered' ? '"until-answered" is for surveys: a tour is never answered, so it would show every time; use "until-completed" or "once"' : undefined),
  }),
  afterDays,
])

export const settingsShape = {
  cooldownDays: z._default(range(0, 365), 2),
  locale: z._default(locale, 'auto'),
  /** The account's leaderboard in the badges shelf (verified users in a group). */
  leaderboard: opt(bool),
}
export const DEFAULT_SETTINGS: Settings = { cooldownDays: 2, locale: 'auto' }

// ---- checklists ----

const checklistTaskSchema = () => strict({
  id: idSchema,
  title: text(200),
  description: opt(text(1000)),
  doneWhen: ruleSchema,
  cta: opt(strict({ label: text(80), url: opt(safeUrl) })),
  tour: opt(idSchema),
  points: opt(points),
})

export const checklistSchema = once(() => strict({
  id: idSchema,
  title: text(200),
  description: opt(text(1000)),
  audience: opt(ruleSchema),
  tasks: z.array(checklistTaskSchema()).check(z.minLength(1, 'a checklist needs at least one task'), z.maxLength(50)),
  reward: opt(strict({ points: opt(points), badge: opt(idSchema) })),
  dismissible: opt(bool),
  priority: opt(priority),
}))

// ---- tours ----

export const PLACEMENTS = [
  'top', 'top-start', 'top-end', 'right', 'right-start', 'right-end',
  'bottom', 'bottom-start', 'bottom-end', 'left', 'left-start', 'left-end',
] as const

const tourStepSchema = () => strict({
  id: opt(idSchema),
  /** No target: the step shows centred, like a modal. */
  target: opt(selector),
  title: text(200),
  body: opt(text(1000)),
  placement: opt(z.literal(PLACEMENTS)),
  advance: opt(z.literal(['next', 'click'])),
  waitMs: opt(intRange(0, 60_000)),
  onMissing: opt(z.literal(['skip', 'end', 'center'])),
  beacon: opt(bool),
  spotlight: opt(bool),
  /** The page (glob) the step lives on: a single-page app pauses the tour elsewhere. */
  url: opt(glob),
})

export const tourSchema = once(() => strict({
  id: idSchema,
  trigger: opt(showTriggerSchema),
  audience: opt(ruleSchema),
  steps: z.array(tourStepSchema()).check(z.minLength(1, 'a tour needs at least one step'), z.maxLength(50)),
  repeat: opt(tourRepeatSchema),
  priority: opt(priority),
}))

// ---- badges and levels ----

// A built-in icon's name ("rocket"), an emoji, or the address of an image: absolute http(s), or a
// path on the vendor's own site (`/static/badge.svg`), as the badge shelf (widgets' badges/icons.tsx)
// shows one; `//host` and `/\\host` it would show as text.
const ICON = 'must be an icon name or an emoji (at most 16 characters), or an image URL (http(s) or /…)'
const isImageUrl = (url: string) => isHttpUrl(url) || (/^\/[^/\\]/.test(url) && isSafeUrl(url))
const icon = once(() => opt(z.union([z.string(ICON).check(z.minLength(1, ICON), z.maxLength(16, ICON)), text(2048).check(z.refine(isImageUrl, ICON))])))

export const badgeSchema = once(() => strict({
  id: idSchema,
  title: text(100),
  description: opt(text(300)),
  icon: icon(),
  points: opt(points),
  rule: ruleSchema,
}))

export const levelSchema = once(() => strict({
  name: text(80),
  points,
  icon: icon(),
}))

// ---- surveys ----

const surveyBase = () => ({
  id: idSchema,
  question: text(300),
  trigger: opt(showTriggerSchema),
  audience: opt(ruleSchema),
  sample: opt(fraction),
  delayMs: opt(intRange(0, 600_000)),
  repeat: opt(repeatSchema),
  placement: opt(z.literal(['bottom-right', 'bottom-left', 'top-right', 'top-left', 'center'])),
  priority: opt(priority),
  /** A comment box after the score: true for the default prompt, or the prompt itself. */
  comment: opt(z.union([z.boolean(), text(300)])),
  thankYou: opt(text(300)),
})

const followUp = <K extends string>(kind: string, categories: readonly [K, ...K[]]) =>
  strict(
    Object.fromEntries(categories.map((c) => [c, opt(text(300))])) as Record<K, z.ZodMiniOptional<ReturnType<typeof text>>>,
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `${kind} follow-ups are keyed by ${categories.join(', ')}` : undefined) },
  )

const satisfaction = ['dissatisfied', 'neutral', 'satisfied'] as const

export const surveySchema = once(() => {
  const base = surveyBase()
  return z.discriminatedUnion('kind', [
    strict({
      ...base,
      kind: z.literal('nps'),
      scale: opt(z.literal(10, 'nps has a fixed 0–10 scale')),
      followUp: opt(followUp('nps', ['detractor', 'passive', 'promoter'])),
    }),
    strict({
      ...base,
      kind: z.literal('csat'),
      scale: opt(z.literal(5, 'csat supports a scale of 5')),
      display: opt(z.literal(['numbers', 'stars', 'emoji'])),
      followUp: opt(followUp('csat', satisfaction)),
    }),
    strict({
      ...base,
      kind: z.literal('ces'),
      scale: opt(z.literal([5, 7], 'ces supports a scale of 5 or 7')),
      followUp: opt(followUp('ces', satisfaction)),
    }),
    strict({
      ...base,
      kind: z.literal('choice'),
      options: z.array(text(200), 'a choice survey needs options').check(
        z.minLength(1, 'a choice survey needs at least one option'),
        z.maxLength(20),
        // Answers are sent by label: two equal labels could not be told apart.
        z.refine((o) => new Set(o.map((x) => x.trim().toLowerCase())).size === o.length, 'options must be different from each other'),
        // The built-in Other is sent as "other": an option of that name could not be told from it.
        z.refine((o) => !o.includes('other'), 'an option cannot be "other": the built-in Other option is sent as "other" (use other: true)'),
      ),
      multiple: opt(bool),
      /** Adds an "Other" option with a text box. */
      other: opt(bool),
    }),
    strict({ ...base, kind: z.literal('text') }),
  ])
})

// ---- cancel flow ----

// `offerAgainAfterDays`: a taken offer may be offered again once that many days have passed
// since it was taken; without it, never (a second discount is a promise the vendor never made).
const offerBase = { id: idSchema, title: text(200), body: opt(text(1000)), offerAgainAfterDays: opt(days) }

export const offerSchema = once(() => z.discriminatedUnion('kind', [
  strict({
    ...offerBase,
    kind: z.literal('discount'),
    percent: z.number().check(z.gte(1, 'a discount is 1–100 %'), z.lte(100, 'a discount is 1–100 %')),
    months: opt(intRange(1, 36)),
  }),
  // The longest pause the user may choose (they pick 1 to this many months).
  strict({ ...offerBase, kind: z.literal('pause'), months: z.int().check(z.gte(1, 'a pause is 1–3 months'), z.lte(3, 'a pause is 1–3 months')) }),
  strict({ ...offerBase, kind: z.literal('downgrade'), plan: text(100) }),
  strict({ ...offerBase, kind: z.literal('contact'), url: safeUrl }),
]))

export const cancelReasonSchema = once(() => strict({
  id: idSchema,
  label: text(200),
  offer: opt(idSchema),
  /** A comment box under the reason: true (optional) or "required" (the user must write one). */
  comment: opt(z.union([z.boolean(), z.literal('required')])),
}))

/**
 * A "what you got out of it" line, shared by the cancel flow's value reminder and value reviews
 * (experiences/value/items.ts): an event's count, days active, points and badges, or a metric
 * the vendor supplies as a trait (with the previous period's value in another trait).
 */
const valueItemSchema = once(() => z.union([
  strict({ event: eventName, label: text(200) }),
  strict({ points: z.literal(true), label: text(200) }),
  strict({ activeDays: z.literal(true), label: text(200) }),
  strict({ trait: text(100), previousTrait: opt(text(100)), label: text(200) }),
]))

// ---- value reviews ----

export const valueReviewSchema = once(() => strict({
  id: idSchema,
  title: text(200),
  intro: opt(text(500)),
  items: z.array(valueItemSchema()).check(z.minLength(1, 'a value review needs at least one item'), z.maxLength(10)),
  /** `monthly`: at the first visit of each month, last month's review; `manual`: only show(id). */
  schedule: opt(z.literal(['monthly', 'manual'])),
  audience: opt(ruleSchema),
  priority: opt(priority),
}))

export const cancelShape = () => ({
  id: idSchema,
  trigger: opt(selectorTrigger),
  audience: opt(ruleSchema),
  valueReminder: opt(strict({ title: text(200), items: z.array(valueItemSchema()).check(z.maxLength(10)) })),
  holdout: opt(fraction),
})
export const reasonList = <T extends z.ZodMiniType>(item: T) => z.array(item).check(z.minLength(1), z.maxLength(20))
export const offerList = <T extends z.ZodMiniType>(item: T) => z._default(z.array(item).check(z.maxLength(20)), [])

/** The cancel flow without its lists: reasons and offers are checked one by one. */
export const cancelFlowShellSchema = once(() => strict({
  ...cancelShape(),
  reasons: reasonList(z.unknown()),
  offers: offerList(z.unknown()),
}))

// ---- announcements and billing prompts (one banner surface, one modal pattern) ----

/** A button on a notice: a link (http(s) or relative) or, without `url`, just a dismissal. */
const noticeAction = () => strict({ label: text(60), url: opt(safeUrl) })
const isoDate = () => z.string().check(
  // A time comes with its offset: whose 9:00 is "2026-03-01T09:00"? The vendor's, which only they
  // know: read as each user's own, the item was out 14 hours before the release in Kiritimati; as
  // UTC (a trait's reading), 5 hours early for a vendor in New York. A date alone is the user's day.
  z.regex(/^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:?\d\d))?$/, { message: 'must be an ISO date like "2026-11-02" (a time with its offset: "2026-11-02T09:00+01:00")', abort: true }),
  // The feed formats it: a date that is not a real one would throw there.
  z.refine(isRealDate, 'is not a real date'),
)

export const announcementSchema = once(() => strict({
  id: idSchema,
  /** banner: top or bottom strip, non-blocking; modal: "what's new" for a major release (blocking); feed: an item in the "what's new" launcher. */
  format: z.literal(['banner', 'modal', 'feed']),
  title: text(120),
  body: opt(text(1000)),
  action: opt(noticeAction()),
  /** The feature it announces (a `Feature Used` feature name): events carry it, adoption is read by it. */
  feature: opt(text(200)),
  /** banner: which edge (default top). */
  position: opt(z.literal(['top', 'bottom'])),
  /** banner: pads the host page's body by the banner's height instead of covering content (default false). */
  pushLayout: opt(bool),
  /** Its date: dated ahead, it waits for it (a banner and a modal too); the feed lists newest first, and an item read before this date (published again) is unread again. */
  publishedAt: opt(isoDate()),
  audience: opt(ruleSchema),
  sample: opt(fraction),
  priority: opt(priority),
}))

/**
 * Each prompt is an experience of its own: validate-flows checks them one by one, in the section as an object.
 * Billing banners sit like announcement banners: `position` and `pushLayout` as there.
 */
export const billingPromptSchemas = once(() => {
  const base = { id: idSchema, title: text(120), body: opt(text(600)), action: text(60), position: opt(z.literal(['top', 'bottom'])), pushLayout: opt(bool) }
  const audience = opt(ruleSchema)
  return {
    /**
     * While the `paymentStatus` trait is `past_due`: a banner, then a blocking wall. `audience`: who is
     * prompted (e.g. the admins who can pay); others see neither banner nor wall.
     */
    paymentPrompt: strict({
      ...base,
      /** Days past due (from the `pastDueSince` trait, else from when the SDK first saw past_due) before the wall; until then the banner's "remind me later" works. */
      wallAfterDays: z._default(intRange(0, 90), 7),
      /** How long "remind me later" hides the banner. */
      remindAfterHours: z._default(intRange(1, 168), 24),
      wallTitle: opt(text(120)),
      wallBody: opt(text(600)),
      audience,
    }),
    /** Notices before the `renewsAt` trait: each threshold once per renewal date, never two in one day. `audience`: who is reminded (e.g. the admins who can update the card). */
    renewalReminders: strict({
      ...base,
      days: z._default(z.array(intRange(1, 60)).check(z.minLength(1), z.maxLength(10)), [7, 3, 2]),
      audience,
    }),
    /** An annual plan at a discount after `afterMonths` on a monthly plan (`billingInterval` "month", `subscribedAt`). */
    annualOffer: strict({
      ...base,
      percent: z.number().check(z.gte(1, 'a discount is 1–100 %'), z.lte(100, 'a discount is 1–100 %')),
      afterMonths: z._default(intRange(1, 60), 3),
      holdout: opt(fraction),
      audience,
    }),
  }
})
export const billingShellSchema = z.looseObject({})

// The whole document's schema, and the parts only it has, are in flows-document.ts: nothing in
// the browser builds them.

// What the chunk builds as it loads is built: give the page back its prototypes as they were (see
// schema-parts.ts). Each kind's schemas are built later inside validation, which hides them again.
restorePrototypeAdditions(schemaBuildGuard)

export type Flows = z.output<typeof flowsSchema>
/** A flows document as a vendor writes it (what validation takes: defaults may be left out). */
export type FlowsInput = z.input<typeof flowsSchema>
export type Settings = z.output<typeof settingsSchema>
type Built<F extends () => z.ZodMiniType> = z.output<ReturnType<F>>
export type Checklist = Built<typeof checklistSchema>
export type ChecklistTask = Built<typeof checklistTaskSchema>
export type Tour = Built<typeof tourSchema>
export type TourStep = Built<typeof tourStepSchema>
export type Badge = Built<typeof badgeSchema>
export type Level = Built<typeof levelSchema>
export type Survey = Built<typeof surveySchema>
export type CancelFlow = z.output<typeof cancelFlowSchema>
export type CancelReason = Built<typeof cancelReasonSchema>
export type Offer = Built<typeof offerSchema>
export type ValueReview = Built<typeof valueReviewSchema>
export type ValueItemConfig = Built<typeof valueItemSchema>
export type Trigger = z.output<typeof triggerSchema>
export type Repeat = z.output<typeof repeatSchema>
export type Announcement = Built<typeof announcementSchema>
export type Billing = z.output<typeof billingSchema>
export type BillingPrompt = NonNullable<Billing[keyof Billing]>
