import type { Flows } from './config/flows-schema'
import type { Experiences } from './engine'
import type { ExperienceController, ExperienceHost } from './experiences/host'

export type Kind = keyof Experiences
export type Factory = (host: ExperienceHost) => ExperienceController

const controllers = () => import('./experiences/controllers')

/**
 * Which controller runs for which part of the flows document. Shared by the engine, which starts
 * the controllers, and the start chunk, which asks for their chunk as soon as it knows the
 * document (or, on a returning page, the one it validated last time), so it arrives beside the
 * engine rather than after it.
 */
export const KINDS: Array<[Kind, (f: Flows) => boolean, () => Promise<Factory>]> = [
  ['badges', (f) => !!(f.badges?.length || f.levels?.length || f.checklists?.length), () => controllers().then((m) => m.createBadges)],
  ['checklists', (f) => !!f.checklists?.length, () => controllers().then((m) => m.createChecklists)],
  ['tours', (f) => !!f.tours?.length, () => controllers().then((m) => m.createTours)],
  ['surveys', (f) => !!f.surveys?.length, () => controllers().then((m) => m.createSurveys)],
  ['cancel', (f) => !!f.cancelFlow, () => controllers().then((m) => m.createCancelFlow)],
  ['reviews', (f) => !!f.valueReviews?.length, () => controllers().then((m) => m.createReviews)],
  ['announcements', (f) => !!f.announcements?.length, () => controllers().then((m) => m.createAnnouncements)],
  ['billing', (f) => !!f.billing, () => controllers().then((m) => m.createBilling)],
]

/**
 * Asks for the controllers' chunk when `doc` uses any kind, without waiting for it (the engine
 * takes the same module when it starts them); true when it does. `doc` may be a document not
 * validated yet: whatever it is, this never throws, and a wrong guess costs only a chunk loaded
 * for nothing.
 */
export function requestKinds(doc: unknown): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false
  const any = KINDS.some(([, uses]) => {
    try {
      return uses(doc as Flows)
    } catch {
      // A hostile document (a throwing getter): validation reports it.
      return false
    }
  })
  if (any) controllers().catch(() => {})
  return any
}
