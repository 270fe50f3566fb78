import type { Flows } from './flows-schema'
import { isObject } from './plain-json'

/** The document's lists of experiences, and all its sections: validation's too (validate-flows.ts), read from this chunk. */
export const LISTS = ['checklists', 'tours', 'badges', 'levels', 'surveys', 'valueReviews', 'announcements'] as const
const PROMPTS = ['paymentPrompt', 'renewalReminders', 'annualOffer'] as const
export const SECTIONS: readonly string[] = ['$schema', '$checked', 'version', 'settings', 'cancelFlow', 'billing', ...LISTS]
const hasId = (v: unknown) => isObject(v) && 'id' in v

/**
 * How many experiences of the raw document did not survive validation. What cannot be counted
 * (a document or list that is not one) counts as one skipped: it must not go unnoticed.
 */
export function countSkipped(raw: unknown, flows: Flows): { skipped: number; total: number } {
  if (!isObject(raw)) return raw === undefined ? { skipped: 0, total: 0 } : { skipped: 1, total: 1 }
  let total = 0
  let kept = 0
  const one = (given: unknown, running: unknown) => {
    if (given === undefined) return
    total++
    if (running) kept++
  }
  for (const kind of LISTS) {
    const list = raw[kind]
    if (!Array.isArray(list)) one(list, false)
    else {
      total += list.length
      kept += flows[kind]?.length ?? 0
    }
  }
  // A section the runtime does not know (a misspelt one: `tour`, `Checklists`, `billng`; an API's
  // envelope, `data`, around the sections): what in it, or in its lists, has an id is an
  // experience that never runs. (Validation's near-miss check stays in its chunk.)
  for (const key of Object.keys(raw)) {
    const given = raw[key]
    if (!SECTIONS.includes(key)) total += [given].flat().filter(hasId).length || (isObject(given) ? Object.values(given).flat().filter(hasId).length : 0)
  }
  one(raw.cancelFlow, flows.cancelFlow)
  const billing = raw.billing
  if (isObject(billing)) for (const key of PROMPTS) one(billing[key], flows.billing?.[key])
  else one(billing, false)
  return { skipped: total - kept, total }
}
