import { expect, test } from 'vitest'
import * as z from 'zod/mini'
import example from '../../../../test/fixtures/flows.json'
import { createCorruptor } from './corrupt.fixture'
import { keyedUnion } from './keyed-union'
import { ruleForms, ruleSchema } from './rule-schema'

/**
 * Every rule-shaped value in a document: audiences, doneWhen, badge rules, and what they nest.
 * The validator copies a document to plain JSON before zod sees it, so cycles are left out.
 */
function rulesIn(node: unknown, out: unknown[] = [], underRule = false, seen = new Set<unknown>()): unknown[] {
  if (!node || typeof node !== 'object' || seen.has(node)) return out
  seen.add(node)
  if (Array.isArray(node)) node.forEach((x) => rulesIn(x, out, underRule, seen))
  else {
    if (underRule && acyclic(node)) out.push(node)
    for (const [k, v] of Object.entries(node)) rulesIn(v, out, ['audience', 'doneWhen', 'rule', 'all', 'any', 'not'].includes(k), seen)
  }
  return out
}

function acyclic(value: unknown): boolean {
  try {
    return JSON.stringify(value) !== undefined
  } catch {
    return false
  }
}

// What zod alone says, branch after branch in the same order.
const plain = z.union(Object.values(ruleForms))

// Two parses per rule, a few thousand rules: give a busy two-core machine time for them.
test('rules from 200 corrupted documents get the same result, data and issues, as the plain union', { timeout: 60_000 }, () => {
  const { mutate } = createCorruptor(712)
  const extra = [
    { trait: 'plan', eq: 'pro' },
    { trait: 'plan', event: 'Signup' },
    { points: -1 },
    { cuont: 1, event: 'Signup' },
    { all: [{ url: '*/admin/*' }, { not: { badge: 'BAD ID' } }] },
    {},
    [],
    'event',
  ]
  const rules = [...extra, ...Array.from({ length: 200 }, () => rulesIn(mutate(structuredClone(example) as Record<string, unknown>))).flat()]
  let failed = 0
  for (const rule of rules) {
    const ours = ruleSchema.safeParse(rule, { reportInput: true })
    expect(ours).toEqual(plain.safeParse(rule, { reportInput: true }))
    if (!ours.success) failed++
  }
  // The corpus holds both kinds, so both paths were compared.
  expect(failed).toBeGreaterThan(20)
  expect(rules.length - failed).toBeGreaterThan(200)
})

test('a valid value is checked against the branch its key names only', () => {
  const tried: string[] = []
  const spy = (name: string) => z.refine(() => (tried.push(name), true))
  const a = z.strictObject({ a: z.number() }).check(spy('a'))
  const b = z.strictObject({ b: z.number() }).check(spy('b'))
  const union = keyedUnion(z.union([a, b]), { a, b })
  expect(union.safeParse({ b: 1 })).toEqual({ success: true, data: { b: 1 } })
  expect(tried).toEqual(['b'])
  // A failure is the whole union's: every branch tried, its issues as zod gives them.
  tried.length = 0
  expect(union.safeParse({ b: 'x' })).toEqual(z.union([a, b]).safeParse({ b: 'x' }))
})
