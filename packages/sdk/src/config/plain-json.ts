/**
 * A bounded copy of config input as plain data, made before validation so a hostile or broken
 * value cannot hurt the host page: cycles and runaway nesting stop at `maxDepth`, huge values
 * at `maxValues`, throwing getters and proxies become a reported error, and `__proto__` keys
 * stay ordinary own properties (so they are reported as unknown, never become a prototype).
 */
export const MAX_DEPTH = 24
export const MAX_VALUES = 20_000

export type PlainResult = { ok: true; value: unknown } | { ok: false; reason: string }

const TOO_DEEP = {}
const TOO_BIG = {}

export function toPlain(input: unknown, maxDepth = MAX_DEPTH, maxValues = MAX_VALUES): PlainResult {
  let count = 0
  const copy = (value: unknown, depth: number): unknown => {
    if (++count > maxValues) throw TOO_BIG
    if (typeof value !== 'object' || value === null) return value
    if (depth >= maxDepth) throw TOO_DEEP
    if (Array.isArray(value)) {
      if (value.length > maxValues) throw TOO_BIG
      // Not Array.from(…, fn): Prototype.js pages replace it with one that ignores the function.
      const out: unknown[] = []
      for (let i = 0; i < value.length; i++) out.push(copy(value[i], depth + 1))
      return out
    }
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value)) {
      const item = copy((value as Record<string, unknown>)[key], depth + 1)
      Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  try {
    return { ok: true, value: copy(input, 0) }
  } catch (error) {
    // A getter or proxy trap threw: the value cannot be trusted as data.
    if (error === TOO_DEEP) return { ok: false, reason: `is nested more than ${maxDepth} levels deep (or refers to itself)` }
    if (error === TOO_BIG) return { ok: false, reason: `is too large (over ${maxValues} values)` }
    return { ok: false, reason: 'could not be read as plain data' }
  }
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
