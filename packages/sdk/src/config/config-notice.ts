import type { LingerError } from '../events'
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

const HOW = "To see why, init with debug: true or listen with linger('on', 'error', console.warn)."

/**
 * The one console line a vendor gets without debug mode: a broken flows document must not fail
 * silently in production, but neither may it spam the host's console once per problem.
 */
export function configNotice(load: LingerError | undefined, counted: { skipped: number; total: number }): string | undefined {
  if (load) return `the flows document could not be used (${load.message}); no experience runs. ${HOW}`
  if (!counted.skipped) return undefined
  const { skipped, total } = counted
  return `${skipped} of ${total} experience${total === 1 ? '' : 's'} in your flows ${skipped === 1 ? 'was' : 'were'} skipped as invalid; the rest run. ${HOW}`
}
