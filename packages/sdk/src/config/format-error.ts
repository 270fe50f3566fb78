/** One problem in a config, e.g. `{ path: 'surveys[1].scale', message: 'surveys[1].scale: csat supports a scale of 5, got 11', rule: 'invalid_value' }`. */
export interface ConfigError {
  /** Where, in the document's own terms; '' for the document itself. */
  path: string
  /** A whole sentence for a log line: the path, then what rule it broke. */
  message: string
  /** A short code for the broken rule (zod's issue code, or `unknown_key`, `duplicate_id`, …). */
  rule?: string
}

export type Path = readonly PropertyKey[]

export function formatPath(path: Path): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(String(key))) out += (out ? '.' : '') + String(key)
    else out += `[${JSON.stringify(String(key))}]`
  }
  return out
}

export function configError(path: Path, reason: string, rule?: string): ConfigError {
  const where = formatPath(path)
  return { path: where, message: where ? `${where}: ${reason}` : reason, rule }
}

/** A short, safe rendering of a bad value for a message (never the whole of a huge string). */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (Array.isArray(value)) return 'an array'
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value)
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}
