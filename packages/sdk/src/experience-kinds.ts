import type { Flows } from './config/flows-schema'
import type { Experiences } from './engine'

export type Kind = keyof Experiences

/**
 * Which controller runs for which part of the flows document. Shared by the engine, which starts
 * the controllers (they are in its chunk), and the start chunk, which asks for that chunk as soon
 * as it knows the document (or, on a returning page, the one it validated last time).
 */
export const KINDS: Array<[Kind, (f: Flows) => boolean]> = [
  ['badges', (f) => !!(f.badges?.length || f.levels?.length || f.checklists?.length)],
  ['checklists', (f) => !!f.checklists?.length],
  ['tours', (f) => !!f.tours?.length],
  ['surveys', (f) => !!f.surveys?.length],
  ['cancel', (f) => !!f.cancelFlow],
  ['reviews', (f) => !!f.valueReviews?.length],
  ['announcements', (f) => !!f.announcements?.length],
  ['billing', (f) => !!f.billing],
]

/**
 * True when `doc` uses any kind. `doc` may be a document not validated yet: whatever it is, this
 * never throws (a wrong guess costs only a chunk loaded for nothing).
 */
export function usesAnyKind(doc: unknown): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false
  return KINDS.some(([, uses]) => {
    try {
      return uses(doc as Flows)
    } catch {
      // A hostile document (a throwing getter): validation reports it.
      return false
    }
  })
}
