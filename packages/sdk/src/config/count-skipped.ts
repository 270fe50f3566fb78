import type { Flows } from './flows-schema'
import { isObject } from './plain-json'

const LISTS = ['checklists', 'tours', 'badges', 'levels', 'surveys', 'valueReviews'] as const

/** How many experiences of the raw document did not survive validation. */
export function countSkipped(raw: unknown, flows: Flows): { skipped: number; total: number } {
  if (!isObject(raw)) return { skipped: 0, total: 0 }
  let total = 0
  let kept = 0
  for (const kind of LISTS) {
    const list = raw[kind]
    if (!Array.isArray(list)) continue
    total += list.length
    kept += flows[kind]?.length ?? 0
  }
  if (raw.cancelFlow !== undefined) {
    total += 1
    kept += flows.cancelFlow ? 1 : 0
  }
  return { skipped: total - kept, total }
}
