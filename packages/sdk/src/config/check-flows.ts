import { toJson } from '../json'
import { CHECKED, digestText, stampFor, unstamped } from './flows-cache'
import { validateFlows, type ConfigError } from './validate-flows'

export type CheckedFlows = { ok: true; document: Record<string, unknown> } | { ok: false; errors: ConfigError[] }

/**
 * Validates a flows document at build time, where nobody waits for it: a valid one comes back
 * stamped, and a browser that finds the stamp matching starts it with no validation at all
 * (flows-cache.ts). Any problem, even one validation would only warn about and skip, fails the
 * check: a stamped document promises that everything in it runs as written.
 */
export async function checkFlows(input: unknown): Promise<CheckedFlows> {
  const { flows, errors } = validateFlows(unstamped(input).body)
  if (errors.length) return { ok: false, errors }
  // The digest is of the text a browser re-serialises from the parsed file: key order and
  // values survive JSON, whitespace does not matter.
  const digest = await digestText(toJson(flows))
  return { ok: true, document: { [CHECKED]: stampFor(digest), ...flows } }
}
