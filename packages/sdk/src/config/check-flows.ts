import { toJson } from '../json'
import { configError } from './format-error'
import { CHECKED, stampFor, unstamped } from './flows-cache'
import { MAX_FLOWS_BYTES } from './load-flows'
import { validateFlows, type ConfigError } from './validate-flows'

export type CheckedFlows = { ok: true; document: Record<string, unknown> } | { ok: false; errors: ConfigError[] }

/**
 * Validates a flows document at build time, where nobody waits for it: a valid one comes back
 * stamped, and a browser that finds the stamp matching starts it with no validation at all
 * (flows-cache.ts). Any problem, even one validation would only warn about and skip, fails the
 * check: a stamped document promises that everything in it runs as written.
 */
/** What a browser loads at most (load-flows.ts): the command writes a checked copy no larger. */
export { MAX_FLOWS_BYTES }

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
  // A browser runs a checked document without the limits validation applies, so what is stamped
  // must pass them as written: defaults filled in can take a document near the values limit over
  // it, and the stamp itself adds bytes. Checking the checked copy again must not fail.
  const again = validateFlows(flows).errors
  if (again.length) return { ok: false, errors: again.map((e) => ({ ...e, message: `${e.message}, once validation’s defaults are filled in` })) }
  // The digests are of the text a browser re-serialises from the parsed file: key order and
  // values survive JSON, whitespace does not matter.
  const document = { [CHECKED]: await stampFor(toJson(flows)), ...flows }
  const bytes = toJson(document).length
  if (bytes > MAX_FLOWS_BYTES) return { ok: false, errors: [configError([], `flows is ${bytes} bytes as checked, over the ${MAX_FLOWS_BYTES} bytes a browser loads`, 'too_big')] }
  return { ok: true, document }
}
