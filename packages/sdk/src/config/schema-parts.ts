import * as z from 'zod/mini'
import { isValidSelector, MAX_SELECTOR_LENGTH } from './css-selector'
import { isSafeUrl } from './url'
import { hidePrototypeAdditions } from './plain-prototypes'

/**
 * Schemas are built while this module, rule-schema.ts and flows-schema.ts evaluate, in one
 * synchronous run: prototype additions are hidden from zod here and restored at the end of
 * flows-schema.ts (the last of the three to evaluate).
 */
export const schemaBuildGuard = hidePrototypeAdditions()

/**
 * Building blocks shared by the flows and init-option schemas. Every string has a length cap so
 * a runaway value is reported by the validator instead of being rendered.
 */
/**
 * Building the schemas is most of what a first page load pays for validation (zod sets up every
 * instance with its own closures and getters): the same part is built once and shared, which
 * zod allows (a schema is never changed after it is built).
 */
export function once<A extends Array<string | number>, T>(build: (...args: A) => T): (...args: A) => T {
  const built = new Map<string, T>()
  return (...args) => {
    const key = args.join(' ')
    let schema = built.get(key)
    if (schema === undefined) built.set(key, (schema = build(...args)))
    return schema
  }
}

// z.strictObject builds a z.never() for each object's unknown keys, 56 of the ~410 schemas a
// first load builds: one, shared, checks the same.
const never = z.never()
export const strict = ((shape: z.core.$ZodLooseShape, params?: string | z.core.$ZodObjectParams) =>
  new z.ZodMiniObject({ type: 'object', shape, catchall: never, ...z.util.normalizeParams(params) })) as typeof z.strictObject

// Shared, so each optional of them is built once too (opt() below).
export const num = z.number()
export const bool = z.boolean()
// Blanks only ("   ") passed minLength(1): a title or an option that shows nothing, a button with no name.
export const text = once((max: number) => z.string().check(z.minLength(1, { abort: true }), z.maxLength(max), z.regex(/\S/, 'only blanks: nothing would show')))
export const range = once((min: number, max: number) => z.number().check(z.gte(min), z.lte(max)))
export const intRange = once((min: number, max: number) => z.int().check(z.gte(min), z.lte(max)))
const optionals = new WeakMap<object, unknown>()
export const opt = (<T extends z.ZodMiniType>(schema: T): z.ZodMiniOptional<T> => {
  let optional = optionals.get(schema) as z.ZodMiniOptional<T> | undefined
  if (!optional) optionals.set(schema, (optional = z.optional(schema)))
  return optional
}) as typeof z.optional

export const idSchema = z.string().check(
  z.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be an id of lowercase a-z, 0-9, - and _ (at most 64 characters)'),
)
export const eventName = text(200)
/** Page URL globs (`#/settings*`): matched by the core, never navigated to. */
export const glob = text(500)
export const fraction = range(0, 1)
export const priority = intRange(-1000, 1000)
export const days = intRange(1, 3650)

export const selector = text(MAX_SELECTOR_LENGTH).check(
  // Over-long selectors already fail maxLength; one message is enough.
  z.refine((s) => s.length > MAX_SELECTOR_LENGTH || isValidSelector(s), 'is not a valid CSS selector'),
)
export const safeUrl = text(2048).check(z.refine(isSafeUrl, 'must be an http(s) or relative URL'))
/**
 * Whether an ISO date string names a real day and time: the shape alone lets "2026-13-45" through
 * (Date.parse gives NaN, Intl throws) and "2026-02-30" (read as 2 March).
 */
export function isRealDate(s: string): boolean {
  const day = Date.parse(s.slice(0, 10))
  return !Number.isNaN(Date.parse(s)) && day === day && new Date(day).toISOString().startsWith(s.slice(0, 10))
}
/** BCP 47-ish (`en`, `pt-BR`, `zh-Hant-TW`), or `auto` for the browser's language. */
export const locale = z.string().check(
  z.regex(/^(?:auto|[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{1,8}){0,4})$/, 'must be a language tag like "en" or "pt-BR", or "auto"'),
)
