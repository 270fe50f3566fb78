import type { Properties } from './events'
import { arrayProto, objectProto, toJson } from './json'
import { byteLength } from './transport/wire'

export const MAX_EVENT_BYTES = 32 * 1024
/**
 * Top-level keys an event's properties (or a call's traits) may have. The byte cap keeps every
 * key: 10,000 trait names went out whole, each stored on the person for good, and the vendor's
 * segment filter listed them all.
 */
export const MAX_KEYS = 256

export interface CleanResult {
  value: Properties
  /** What had to change, for one clear error message; empty when the input was clean. */
  problems: string[]
}

/**
 * Makes vendor properties safe to queue as JSON without throwing: functions and symbols are
 * dropped, cycles and BigInts replaced, and an oversize object keeps every key but has its
 * largest values replaced, so an event is never silently lost for its payload. Past MAX_KEYS
 * top-level keys, the rest are dropped (and reported).
 */
export function cleanProperties(input: unknown, maxBytes = MAX_EVENT_BYTES): CleanResult {
  const problems: string[] = []
  if (input === undefined || input === null) return { value: {}, problems }
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { value: {}, problems: [`properties must be an object, got ${Array.isArray(input) ? 'array' : typeof input}`] }
  }
  // The objects on the path being walked (a cycle is one met again on its own path); an array,
  // not a WeakSet: one per track() call made ephemeron tables that every full GC walks.
  const open: object[] = []
  // Values the walk may read in each property: each is at least 2 characters of JSON (with its
  // comma), so past this many the property is over the limit anyway (and will be cut below,
  // leaving the others whole). An object that reaches the same sub-object by many paths (app
  // state, a framework's node) is no cycle, and walking it path by path grows with each level
  // (3 keys, 14 levels: 4 s of the host's main thread); a list of a million numbers took 0.75 s
  // (as a typed array, 6 s).
  let budget = maxBytes / 2
  // At least the bytes of the JSON the walk keeps: a character is at most 6 (\u0001), and 6 per
  // character of a value's path (its key, and 10 or more for "properties") covers the key, its
  // quotes and colon, a comma, and a number (24 at most), a literal or braces. A BigInt, of any
  // length, is measured. While under the limit, nothing is serialised here: the event's one
  // serialisation is delivery's.
  let most = 0
  const walk = (v: unknown, path: string, depth: number): unknown => {
    most += 6 * path.length
    if (--budget < 0) return (budget === -1 && problems.push(`properties over ${maxBytes} bytes: not read past ${path}`), '[truncated]')
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return (most += 6 * (v as string)?.length || 0), v
    if (typeof v === 'number') return Number.isFinite(v) ? v : (problems.push(`${path} is not a finite number`), null)
    if (typeof v === 'bigint') return (problems.push(`${path} is a BigInt (sent as a string)`), (most = Infinity), v.toString())
    if (typeof v === 'function' || typeof v === 'symbol' || v === undefined) {
      if (v !== undefined) problems.push(`${path} is a ${typeof v} (dropped)`)
      return undefined
    }
    if (typeof v === 'object') {
      if (open.includes(v as object)) return (problems.push(`${path} is circular`), '[Circular]')
      if (depth > 20) return (problems.push(`${path} is nested too deeply`), null)
      open.push(v as object)
      // What JSON.stringify sends for it (a URL, a Date, a date library's value: their toJSON),
      // though not by a toJSON a page gave every object or array (Prototype.js), which json.ts
      // ignores too; and a Set's or a Map's entries, where it sends {}.
      let j: unknown
      try {
        // Read in here: a revoked Proxy throws at any read.
        const toJSON = (v as { toJSON?: unknown }).toJSON
        j =
          typeof toJSON === 'function' && toJSON !== (objectProto as { toJSON?: unknown }).toJSON && toJSON !== (arrayProto as { toJSON?: unknown }).toJSON
            ? toJSON.call(v)
            : v instanceof Set
              ? [...v]
              : v instanceof Map
                ? Object.fromEntries(v)
                : v
      } catch {
        // One value that cannot say what it is (an invalid date library value) is that value lost,
        // not every other property of the event.
        problems.push(`${path} could not be read (its toJSON threw)`)
        j = null
      }
      let out: unknown
      if (j !== v) out = walk(j, path, depth + 1)
      // Spread, a hole is walked (and counted) as the null JSON sends for it.
      else if (Array.isArray(v)) out = [...v.slice(0, budget + 1)].map((x, i) => walk(x, `${path}[${i}]`, depth + 1) ?? null)
      else {
        const o: Record<string, unknown> = {}
        const keys = Object.keys(v as object)
        if (!depth && keys.length > MAX_KEYS) problems.push(`properties over ${MAX_KEYS} keys: ${keys.length - MAX_KEYS} dropped (${keys.slice(MAX_KEYS, MAX_KEYS + 3).join(', ')}…)`)
        for (const k of depth ? keys : keys.slice(0, MAX_KEYS)) {
          if (!depth) budget = maxBytes / 2
          if (budget < 0) break
          if (k === '__proto__') continue
          let w: unknown
          try {
            w = (v as Record<string, unknown>)[k]
          } catch {
            // A getter that throws (a lazy relation not loaded) is that value lost, not the event's others.
            problems.push(`${path}.${k} could not be read (its getter threw)`)
            continue
          }
          w = walk(w, `${path}.${k}`, depth + 1)
          if (w !== undefined) o[k] = w
        }
        out = o
      }
      open.pop()
      return out
    }
    return undefined
  }
  let value: Properties
  try {
    value = walk(input, 'properties', 0) as Properties
  } catch (e) {
    // A getter that throws, a revoked proxy: keep the event, lose only the payload.
    return { value: {}, problems: [`properties could not be read (${String(e)})`] }
  }
  // Bytes as the wire counts them (UTF-8): a comment in Japanese is three per character. Counted
  // only when the bound above could be over.
  let size = most > maxBytes ? byteLength(toJson(value)) : 0
  if (size > maxBytes) {
    const entries = Object.keys(value).map((k) => [k, byteLength(toJson(value[k]))] as const).sort((a, b) => b[1] - a[1])
    const truncated: string[] = []
    for (const [k, len] of entries) {
      if (size <= maxBytes) break
      value[k] = '[truncated]'
      size -= len - 13
      truncated.push(k)
    }
    value.lingerTruncated = truncated
    problems.push(`properties over ${maxBytes} bytes: ${truncated.join(', ')} truncated`)
  }
  return { value, problems }
}
