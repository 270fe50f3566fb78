import { toJson } from '../json'
import { configError } from './format-error'
import { CHECKED, stampFor, unstamped } from './flows-cache'
import { validateFlows, type ConfigError } from './validate-flows'

export type CheckedFlows = { ok: true; document: Record<string, unknown> } | { ok: false; errors: ConfigError[] }

/**
 * Validates a flows document at build time, where nobody waits for it: a valid one comes back
 * stamped, and a browser that finds the stamp matching starts it with no validation at all
 * (flows-cache.ts). Any problem, even one validation would only warn about and skip, fails the
 * check: a stamped document promises that everything in it runs as written.
 */
export async function checkFlows(input: unknown): Promise<CheckedFlows> {
  let body: unknown
  try {
    body = unstamped(input).body
  } catch {
    // A proxy or a throwing getter on the top level: what validation would say of it.
    return { ok: false, errors: [configError([], 'flows could not be read as plain data', 'unreadable')] }
  }
  const { flows, errors } = validateFlows(body)
  if (errors.length) return { ok: false, errors }
  // The digests are of the text a browser re-serialises from the parsed file: key order and
  // values survive JSON, whitespace does not matter.
  return { ok: true, document: { [CHECKED]: await stampFor(toJson(flows)), ...flows } }
}
