import { toJson } from '../json'
import { configError } from './format-error'
import { CHECKED, stampFor, unstamped } from './flows-cache'
import { MAX_FLOWS_BYTES } from './load-flows'
import { notJson } from './not-json'
import { validateFlows, type ConfigError } from './validate-flows'

export type CheckedFlows = { ok: true; document: Record<string, unknown> } | { ok: false; errors: ConfigError[] }

/** What a browser loads from a flows URL at most, in characters (load-flows.ts): the command writes a checked copy no longer. */
export { MAX_FLOWS_BYTES }

/**
 * Validates a flows document at build time, where nobody waits for it: a valid one comes back
 * stamped, and a browser that finds the stamp matching starts it with no validation at all
 * (flows-cache.ts). Any problem, even one validation would only warn about and skip, fails the
 * check: a stamped document promises that everything in it runs as written.
 * `input` is the parsed document, or its text.
 */
export async function checkFlows(input: unknown): Promise<CheckedFlows> {
  // A string is the document's text (a flows document is never a string): read as a browser
  // reads one served, its byte-order mark dropped (fetch's text() does), and when it is not JSON
  // said so in the words the browser uses.
  if (typeof input === 'string') {
    const text = input.replace(/^\uFEFF/, '')
    try {
      input = JSON.parse(text)
    } catch {
      return { ok: false, errors: [configError([], notJson(text).reason, 'invalid_json')] }
    }
  }
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
  // must pass them as written: defaults filled in can take an experience near the values limit
  // over it, and the stamp itself adds characters. Checking the checked copy again must not fail.
  const again = validateFlows(flows).errors
  if (again.length) return { ok: false, errors: again.map((e) => ({ ...e, message: `${e.message} (in the checked copy, defaults filled in)` })) }
  // The digests are of the text a browser re-serialises from the parsed file: key order and
  // values survive JSON, whitespace does not matter.
  const document = { [CHECKED]: await stampFor(toJson(flows)), ...flows }
  // Characters, as the loader counts them. A document given to init inline has no such limit, but
  // the check cannot tell how it will be served.
  const length = toJson(document).length
  if (length > MAX_FLOWS_BYTES) return { ok: false, errors: [configError([], `flows is ${length} characters as checked, over the ${MAX_FLOWS_BYTES} a browser loads from a flows URL`, 'too_big')] }
  return { ok: true, document }
}
