import type * as z from 'zod/mini'
import { configError, type ConfigError, type Path } from './format-error'
import { nearMiss, noteNearMisses, type NotedIssue } from './near-miss'
import { issuesToErrors } from './zod-issues'

/**
 * Keys under these are rules or triggers: any unknown key there changes who sees an experience or
 * when, so it fails the experience instead of being dropped. Elsewhere only a near miss of a
 * known key does (near-miss.ts).
 */
const SEMANTIC = new Set<PropertyKey>(['audience', 'doneWhen', 'rule', 'trigger', 'repeat'])

const withNote = (errors: ConfigError[], note: string) =>
  errors.map((e) => ({ ...e, message: `${e.message}; ${note}` }))

/**
 * Parses one experience (already a plain copy, which this may edit). Unknown display keys are
 * reported and dropped, so a config written for a newer runtime still runs; anything else
 * (a near miss of a known key among them) reports every problem and returns undefined, so the
 * caller skips the experience.
 */
export function parseExperience<T>(schema: z.ZodMiniType<T>, value: unknown, path: Path, errors: ConfigError[]): T | undefined {
  const first = schema.safeParse(value, { reportInput: true, error: noteNearMisses })
  if (first.success) return first.data
  const issues = first.error.issues
  const ignorable = issues.every((i) => i.code === 'unrecognized_keys' && !i.path.some((k) => SEMANTIC.has(k)) && !(i as NotedIssue).meant?.some(Boolean))
  if (ignorable) {
    for (const issue of issues) {
      const holder = issue.path.reduce<any>((node, key) => node[key], value)
      for (const key of (issue as z.core.$ZodIssueUnrecognizedKeys).keys) delete holder[key]
    }
    const second = schema.safeParse(value, { reportInput: true })
    if (second.success) {
      errors.push(...withNote(issuesToErrors(issues, path), 'ignored'))
      return second.data
    }
  }
  errors.push(...issuesToErrors(issues, path))
}

/**
 * Parses an object field by field (settings, init options): a bad field is reported and falls
 * back to its default, or is left out. Fields without a default that fail are listed in
 * `failed` so the caller can decide the whole object is unusable.
 */
export function parseFields(
  shape: Record<string, z.ZodMiniType>,
  input: Record<string, unknown>,
  path: Path,
  errors: ConfigError[],
): { value: Record<string, unknown>; failed: string[] } {
  const value: Record<string, unknown> = {}
  const failed: string[] = []
  for (const key of Object.keys(input)) {
    if (Object.hasOwn(shape, key)) continue
    const meant = nearMiss(key, Object.keys(shape), input)
    errors.push(configError([...path, key], `is not a known option${meant ? ` (did you mean \`${meant}\`?)` : ''}; ignored`, 'unknown_key'))
  }
  for (const key of Object.keys(shape)) {
    const schema = shape[key]
    const result = schema.safeParse(Object.hasOwn(input, key) ? input[key] : undefined, { reportInput: true })
    if (result.success) {
      if (result.data !== undefined) value[key] = result.data
      continue
    }
    const fallback = schema.safeParse(undefined)
    const note = !fallback.success ? '' : fallback.data === undefined ? 'ignored' : `using the default ${JSON.stringify(fallback.data)}`
    const found = issuesToErrors(result.error.issues, [...path, key])
    errors.push(...(note ? withNote(found, note) : found))
    if (!fallback.success) failed.push(key)
    else if (fallback.data !== undefined) value[key] = fallback.data
  }
  return { value, failed }
}
