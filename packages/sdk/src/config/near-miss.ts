import type * as z from 'zod/mini'

/**
 * An unknown key that is a near miss of a known one (`sampel`, `holdOut`, `tagret`) is a typo,
 * not a newer runtime's key: dropped, it would silently change who sees an experience or how (a
 * survey to every user, a step centred instead of on its target), so it fails the experience.
 */

/**
 * Keys that narrow who sees an experience: one spelt as another SDK does (`sampleRate`,
 * `holdoutPercent`, `targetAudience`) is meant as this one however far it is in edits.
 */
const NARROWING = ['sample', 'holdout', 'audience']

/** The known key `key` resembles (same letters in another case, at most 2 edits away, or a narrowing key within it), if any. */
export function nearMiss(key: string, known: readonly string[], holder: object): string | undefined {
  let meant: string | undefined
  let least = 3
  const lower = key.toLowerCase()
  for (const k of known) {
    // A key already given is not the one meant; one or two letters resemble anything.
    if (Object.hasOwn(holder, k)) continue
    if (NARROWING.includes(k) && lower.includes(k.toLowerCase())) return k
    if (Math.abs(k.length - key.length) >= least) continue
    const d = distance(lower, k.toLowerCase())
    if (d < least && d < Math.min(key.length, k.length)) (meant = k), (least = d)
  }
  return meant
}

/**
 * Levenshtein distance. Not `Array.from(…, fn)`: Prototype.js pages replace it with one that
 * ignores `fn`, every distance came out NaN, and a `sampel` was only ignored.
 */
function distance(a: string, b: string): number {
  let row: number[] = []
  for (let j = 0; j <= b.length; j++) row[j] = j
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    row = next
  }
  return row[b.length]
}

/** An unknown-keys issue with, per key, the known key it resembles. */
export type NotedIssue = z.core.$ZodIssueUnrecognizedKeys & { meant?: (string | undefined)[] }

/**
 * An error map for safeParse that notes near misses on each unknown-keys issue: only there is the
 * object's schema (`inst`) at hand. It leaves the message to the usual wording.
 */
export function noteNearMisses(issue: z.core.$ZodRawIssue): undefined {
  if (issue.code !== 'unrecognized_keys') return
  const known = Object.keys((issue.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape ?? {})
  ;(issue as NotedIssue).meant = issue.keys.map((key) => nearMiss(key, known, issue.input as object))
}

/** What an unknown key is said to be. */
export const unknownKey = (meant: string | undefined) => `is not a known field${meant ? `; did you mean \`${meant}\`?` : ''}`
