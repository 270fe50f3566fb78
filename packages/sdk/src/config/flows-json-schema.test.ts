import { describe, expect, test } from 'vitest'
import example from '../../../../test/fixtures/flows.json'
import { flowsJsonSchema } from './flows-json-schema'

type Schema = Record<string, any>

/**
 * A small JSON Schema (2020-12) checker for exactly the keywords the generated schema uses; it
 * fails loudly on any other keyword, so a schema change cannot make this test pass vacuously.
 */
function check(schema: Schema, value: unknown, root: Schema, path = '$'): string[] {
  const known = new Set(['$schema', '$ref', '$defs', 'title', 'description', 'default', 'type', 'const', 'enum', 'anyOf', 'oneOf', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum'])
  for (const keyword of Object.keys(schema)) if (!known.has(keyword)) throw new Error(`unsupported keyword ${keyword} at ${path}`)
  if (schema.$ref) return check(root.$defs[schema.$ref.replace('#/$defs/', '')], value, root, path)
  const errors: string[] = []
  const fail = (why: string) => errors.push(`${path}: ${why}`)
  const type = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value
  if (schema.type) {
    // One type, or a list of them (a trait rule's `eq` is a string, number, boolean or null).
    const ok = [schema.type].flat().some((t: string) => t === type || (t === 'integer' && Number.isInteger(value)))
    if (!ok) return [`${path}: expected ${schema.type}, got ${type}`]
  }
  if ('const' in schema && value !== schema.const) fail(`expected ${JSON.stringify(schema.const)}`)
  if (schema.enum && !schema.enum.includes(value)) fail('not in enum')
  if (schema.anyOf && !schema.anyOf.some((s: Schema) => !check(s, value, root, path).length)) fail('matches no anyOf branch')
  if (schema.oneOf && schema.oneOf.filter((s: Schema) => !check(s, value, root, path).length).length !== 1) fail('does not match exactly one oneOf branch')
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) fail('too short')
    if (schema.maxLength !== undefined && value.length > schema.maxLength) fail('too long')
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) fail(`does not match ${schema.pattern}`)
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) fail('below minimum')
    if (schema.maximum !== undefined && value > schema.maximum) fail('above maximum')
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) fail('too few items')
    if (schema.maxItems !== undefined && value.length > schema.maxItems) fail('too many items')
    if (schema.items) value.forEach((item, i) => errors.push(...check(schema.items, item, root, `${path}[${i}]`)))
  }
  if (type === 'object') {
    const object = value as Record<string, unknown>
    for (const key of schema.required ?? []) if (!(key in object)) fail(`missing ${key}`)
    for (const [key, item] of Object.entries(object)) {
      if (schema.properties?.[key]) errors.push(...check(schema.properties[key], item, root, `${path}.${key}`))
      else if (schema.additionalProperties === false) fail(`unexpected ${key}`)
    }
  }
  return errors
}

const schema = flowsJsonSchema()
const exampleWith = (change: (doc: any) => void) => {
  const doc = structuredClone(example) as any
  change(doc)
  return doc
}

describe('the JSON Schema for editors', () => {
  test('describes every experience kind and the settings', () => {
    expect(Object.keys(schema.properties as object)).toEqual(['$schema', '$checked', 'version', 'settings', 'checklists', 'tours', 'badges', 'levels', 'surveys', 'cancelFlow', 'valueReviews', 'announcements', 'billing'])
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'Linger flows' })
  })

  test('accepts the reference example', () => {
    expect(check(schema, example, schema)).toEqual([])
  })

  test.each([
    ['a csat scale of 11', (d: any) => (d.surveys[1].scale = 11), '$.surveys[1]: does not match exactly one oneOf branch'],
    ['a placement that does not exist', (d: any) => (d.tours[0].steps[1].placement = 'middle'), '$.tours[0].steps[1].placement: not in enum'],
    ['a checklist with no tasks', (d: any) => (d.checklists[0].tasks = []), '$.checklists[0].tasks: too few items'],
    ['a typo in a rule', (d: any) => (d.badges[1].rule.cuont = d.badges[1].rule.count), '$.badges[1].rule: matches no anyOf branch'],
    ['an uppercase id', (d: any) => (d.badges[0].id = 'Onboarded'), '$.badges[0].id: does not match ^[a-z0-9][a-z0-9_-]{0,63}$'],
    ['a discount over 100 %', (d: any) => (d.cancelFlow.offers[0].percent = 150), '$.cancelFlow.offers[0]: does not match exactly one oneOf branch'],
  ])('flags %s, as the validator does', (_, change, error) => {
    expect(check(schema, exampleWith(change), schema)).toEqual([error])
  })

  test('lets a payment prompt go to admins only, and flags a typo in that audience', () => {
    const prompt = { id: 'card-failed', title: 'Your last payment failed', action: 'Update card', audience: { trait: 'role', eq: 'admin' } }
    expect(check(schema, exampleWith((d) => (d.billing = { paymentPrompt: prompt })), schema)).toEqual([])
    const typo = { ...prompt, audience: { trait: 'role', equals: 'admin' } }
    expect(check(schema, exampleWith((d) => (d.billing = { paymentPrompt: typo })), schema)).toEqual(['$.billing.paymentPrompt.audience: matches no anyOf branch'])
  })
})
