import * as z from 'zod/mini'
import {
  announcementSchema, badgeSchema, billingPromptSchemas, cancelReasonSchema, cancelShape, checklistSchema, DEFAULT_SETTINGS, eventTrigger, levelSchema, offerList, offerSchema,
  reasonList, selectorTrigger, settingsShape, surveySchema, tourSchema, urlTrigger, valueReviewSchema,
} from './flows-schema'
import { opt } from './schema-parts'

/**
 * The flows document as one schema, and the parts only it has: for editors (flows-json-schema.ts,
 * `npm run schema`) and for the types (flows-schema.ts). Validation checks each experience on
 * its own schema and never needs these, so nothing in the browser builds them (building a
 * schema is most of what validating a first visit's document costs). Built outside the guard
 * that hides a page's prototype additions from zod (schema-parts.ts): no page runs it.
 */

export const triggerSchema = z.union([eventTrigger, urlTrigger, selectorTrigger])

export const settingsSchema = z.strictObject(settingsShape)

export const cancelFlowSchema = z.strictObject({
  ...cancelShape(),
  reasons: reasonList(cancelReasonSchema()),
  offers: offerList(offerSchema()),
})

const prompts = billingPromptSchemas()
export const billingSchema = z.strictObject({
  paymentPrompt: opt(prompts.paymentPrompt),
  renewalReminders: opt(prompts.renewalReminders),
  annualOffer: opt(prompts.annualOffer),
})

/** Top-level keys are not strict: unknown ones are reported as ignored by validate-flows. */
export const flowsSchema = z.object({
  $schema: opt(z.string()),
  $checked: opt(z.string()),
  version: opt(z.literal(1)),
  settings: z._default(settingsSchema, DEFAULT_SETTINGS),
  checklists: z._default(z.array(checklistSchema()), []),
  tours: z._default(z.array(tourSchema()), []),
  badges: z._default(z.array(badgeSchema()), []),
  levels: z._default(z.array(levelSchema()), []),
  surveys: z._default(z.array(surveySchema()), []),
  cancelFlow: opt(cancelFlowSchema),
  valueReviews: opt(z.array(valueReviewSchema())),
  announcements: opt(z.array(announcementSchema())),
  billing: opt(billingSchema),
})
