import type * as z from 'zod/mini'

type Run = (payload: { value: unknown; issues: unknown[] }, ctx: unknown) => { value: unknown; issues: unknown[] } | Promise<unknown>
type Internals = { run?: Run }

/**
 * A union of strict objects where each branch has a key no other branch has (`event`, `trait`,
 * `all`…): a valid value is tried against the branch its key names first. zod tries branches in
 * order and builds every issue of every failed branch (the costliest part of validating a
 * flows document), so a trait rule, twelfth in the list, paid for eleven failures. Only a
 * success is taken from the shortcut; anything else runs the whole union, so what fails and its
 * issues are zod's own. With distinct keys and strict objects a value matches at most one
 * branch, so the result is the one the union gives. If zod's internals are not the expected
 * shape, the union is left as it is: slower, never different.
 */
export function keyedUnion<T extends z.ZodMiniType>(union: T, branchByKey: Record<string, z.ZodMiniType>): T {
  const internals = (union as unknown as { _zod: Internals })._zod
  const whole = internals.run
  const runs = new Map<string, Run>()
  for (const [key, schema] of Object.entries(branchByKey)) {
    const run = (schema as unknown as { _zod: Internals })._zod.run
    if (typeof run !== 'function') return union
    runs.set(key, run)
  }
  if (typeof whole !== 'function') return union
  internals.run = (payload, ctx) => {
    const value = payload.value
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const key of Object.keys(value)) {
        const run = runs.get(key)
        if (!run) continue
        const tried = run({ value, issues: [] }, ctx)
        if (!(tried instanceof Promise) && tried.issues.length === 0) return tried
        break
      }
    }
    return whole(payload, ctx)
  }
  return union
}
