import type * as z from 'zod/mini'
import { configError, describe, type ConfigError, type Path } from './format-error'
import { unknownKey, type NotedIssue } from './near-miss'

/*
 * zod's issues in Linger's words: apart from format-error.ts, which the start chunk's options
 * check shares, so that only flows validation (a document not seen before) carries them.
 */
type Issue = z.core.$ZodIssue

const article = (type: string) => (type === 'int' ? 'a whole number' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`)

const DEFAULT_MESSAGE = 'Invalid input'
const TYPE_MISMATCH = 1e6
const MISSING_KEY = 1e3

/** Turns zod issues into readable errors under `base`, choosing the closest branch of unions. */
export function issuesToErrors(issues: readonly Issue[], base: Path): ConfigError[] {
  const out: ConfigError[] = []
  collect(issues, base, out)
  return out
}

function collect(issues: readonly Issue[], base: Path, out: ConfigError[]): void {
  for (const issue of issues) {
    const path = [...base, ...issue.path]
    if (issue.code === 'invalid_union' && issue.errors.length) resolveUnion(issue.errors, issue.input, path, out)
    else if (issue.code === 'unrecognized_keys') {
      issue.keys.forEach((key, i) => {
        const meant = (issue as NotedIssue).meant?.[i]
        out.push(configError([...path, key], (!meant && customMessage(issue)) || unknownKey(meant), 'unknown_key'))
      })
    } else if (issue.code === 'invalid_key' || issue.code === 'invalid_element') collect(issue.issues, path, out)
    else out.push(configError(path, reason(issue), issue.code))
  }
}

/**
 * zod reports a failed union as every branch's issues. The branch the author most likely meant
 * is the one that got furthest: the right type, its keys present, the fewest problems.
 */
function score(issues: readonly Issue[]): number {
  let total = 0
  for (const issue of issues) {
    if (!issue.path.length) {
      if (issue.code === 'invalid_type') return TYPE_MISMATCH
      if (issue.code === 'invalid_value' && typeof issue.input !== typeof issue.values[0]) return TYPE_MISMATCH
      if (issue.code === 'invalid_union' && issue.errors.length) total += Math.min(...issue.errors.map(score))
      else total += issue.code === 'unrecognized_keys' ? 10 * issue.keys.length : 1
    } else total += isMissingKey(issue) ? MISSING_KEY : 1
  }
  return total
}

// With reportInput, an issue without input is about a key that is not there at all.
const isMissingKey = (issue: Issue) => issue.path.length === 1 && issue.input === undefined

function resolveUnion(branches: readonly (readonly Issue[])[], input: unknown, path: Path, out: ConfigError[]): void {
  const scores = branches.map(score)
  const best = Math.min(...scores)
  if (best >= TYPE_MISMATCH) {
    const expected = new Set(branches.flatMap(expectations))
    out.push(configError(path, input === undefined ? 'is required' : `expected ${[...expected].join(' or ')}, got ${describe(input)}`, 'invalid_type'))
  } else if (best >= MISSING_KEY && scores.filter((s) => s === best).length > 1) {
    const forms = new Set(branches.flatMap(requiredKeys))
    out.push(configError(path, `matches no known form: expected one of the keys ${[...forms].join(', ')}`, 'invalid_union'))
  } else collect(branches[scores.indexOf(best)], path, out)
}

function expectations(issues: readonly Issue[]): string[] {
  return issues.flatMap((issue): string[] => {
    if (issue.path.length) return []
    if (issue.code === 'invalid_type') return [article(issue.expected)]
    if (issue.code === 'invalid_value') return issue.values.map((v) => JSON.stringify(v))
    return issue.code === 'invalid_union' ? issue.errors.flatMap(expectations) : []
  })
}

function requiredKeys(issues: readonly Issue[]): string[] {
  const missing = issues.filter(isMissingKey)
  const nested = issues.flatMap((i) => (i.code === 'invalid_union' && !i.path.length ? i.errors.flatMap(requiredKeys) : []))
  return missing.length ? [missing.map((i) => String(i.path[0])).join(' + ')] : nested
}

const customMessage = (issue: Issue) => (issue.message === DEFAULT_MESSAGE ? '' : issue.message)

function reason(issue: Issue): string {
  const custom = customMessage(issue)
  const input = issue.input
  const got = input === undefined ? '' : `, got ${describe(input)}`
  const sized = typeof input === 'string' || Array.isArray(input)
  const length = sized ? input.length : 0
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined ? custom || 'is required' : (custom || `expected ${article(issue.expected)}`) + got
    case 'invalid_value':
      if (input === undefined) return custom || `is required: ${oneOf(issue.values)}`
      // "5" for 5 is a wrong type, named as every other is: "supports a scale of 5, got "5"" reads
      // as a contradiction. Strings keep their list of values (quoted, the type shows).
      if (typeof issue.values[0] == 'number' && typeof input != 'number') return `expected a number${got}`
      return (custom || `expected ${oneOf(issue.values)}`) + got
    case 'too_small':
      if (custom) return custom + (sized ? '' : got)
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}${got}`
    case 'too_big':
      if (custom) return custom + (sized ? '' : got)
      if (issue.origin === 'string') return `is ${length} characters long, at most ${issue.maximum}`
      if (issue.origin === 'array') return `has ${length} items, at most ${issue.maximum}`
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}${got}`
    case 'invalid_union':
      // A discriminated union with no matching tag: the path already ends at the tag.
      return `expected ${oneOf('options' in issue ? issue.options ?? [] : [])}${
        input && typeof input === 'object' && issue.discriminator ? tagGot((input as Record<string, unknown>)[issue.discriminator]) : got
      }`
    default:
      return (custom || 'is invalid') + got
  }
}

const oneOf = (values: readonly unknown[]) => {
  const shown = values.map((v) => JSON.stringify(v))
  return shown.length > 2 ? `one of ${shown.join(', ')}` : shown.join(' or ')
}

const tagGot = (tag: unknown) => (tag === undefined ? '' : `, got ${describe(tag)}`)
