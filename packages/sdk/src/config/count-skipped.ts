import type { Flows } from './flows-schema'
import { nearMiss } from './near-miss'
import { isObject } from './plain-json'

const LISTS = ['checklists', 'tours', 'badges', 'levels', 'surveys', 'valueReviews', 'announcements'] as const
const PROMPTS = ['paymentPrompt', 'renewalReminders', 'annualOffer'] as const
// As validate-flows.ts's SECTIONS: a near miss of one is matched against all of them there too.
const SECTIONS: readonly string[] = ['$schema', '$checked', 'version', 'settings', 'cancelFlow', 'billing', ...LISTS]
const HOLDS_EXPERIENCES = new Set<string | undefined>(['cancelFlow', 'billing', ...LISTS])

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
  // A misspelt section (`tour`, `Checklists`): validation says nothing in it runs, so none of it does.
  for (const key of Object.keys(raw)) {
    if (SECTIONS.includes(key) || !HOLDS_EXPERIENCES.has(nearMiss(key, SECTIONS, raw))) continue
    const given = raw[key]
    if (Array.isArray(given)) total += given.length
    else one(given, false)
  }
  one(raw.cancelFlow, flows.cancelFlow)
  const billing = raw.billing
  if (isObject(billing)) for (const key of PROMPTS) one(billing[key], flows.billing?.[key])
  else one(billing, false)
  return { skipped: total - kept, total }
}
