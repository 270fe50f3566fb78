import type { Flows } from './config/flows-schema'
import type { Experiences } from './engine'
import type { ExperienceController, ExperienceHost } from './experiences/host'

export type Kind = keyof Experiences
export type Factory = (host: ExperienceHost) => ExperienceController

/**
 * Which controller runs for which part of the flows document, and the chunk it comes in. Shared
 * by the engine, which starts the controllers, and the start chunk, which asks for their chunks
 * as soon as it knows the document (or, on a returning page, the one it validated last time),
 * so they arrive beside the engine rather than after it.
 */
export const KINDS: Array<[Kind, (f: Flows) => boolean, () => Promise<Factory>]> = [
  ['badges', (f) => !!(f.badges?.length || f.levels?.length || f.checklists?.length), () => import('./experiences/badges').then((m) => m.createBadges)],
  ['checklists', (f) => !!f.checklists?.length, () => import('./experiences/checklist').then((m) => m.createChecklists)],
  ['tours', (f) => !!f.tours?.length, () => import('./experiences/tours').then((m) => m.createTours)],
  ['surveys', (f) => !!f.surveys?.length, () => import('./experiences/surveys').then((m) => m.createSurveys)],
  ['cancel', (f) => !!f.cancelFlow, () => import('./experiences/cancel').then((m) => m.createCancelFlow)],
  ['reviews', (f) => !!f.valueReviews?.length, () => import('./experiences/reviews').then((m) => m.createReviews)],
  ['announcements', (f) => !!f.announcements?.length, () => import('./experiences/announcements').then((m) => m.createAnnouncements)],
  ['billing', (f) => !!f.billing, () => import('./experiences/billing').then((m) => m.createBilling)],
]

/**
 * Asks for the chunks of the kinds `doc` uses, without waiting for them (the engine takes the
 * same modules when it starts them); true when it uses any. `doc` may be a document not
 * validated yet: whatever it is, this never throws, and a wrong guess costs only a chunk loaded
 * for nothing.
 */
export function requestKinds(doc: unknown): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false
  let any = false
  for (const [, uses, load] of KINDS) {
    try {
      if (uses(doc as Flows)) (any = true), load().catch(() => {})
    } catch {
      // A hostile document (a throwing getter): validation reports it.
    }
  }
  return any
}
