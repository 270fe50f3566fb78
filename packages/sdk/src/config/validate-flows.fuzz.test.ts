import { expect, test } from 'vitest'
import example from '../../../../../shared/flows.example.json'
import { seededRandom } from '../fake-platform'
import { validateFlows } from './validate-flows'

/**
 * Vendors hand-edit flows documents, and a broken export can contain anything. 300 random
 * corruptions of the reference example must never throw, must point every error at a place in
 * the document, must leave the prototypes alone, and must only ever keep valid experiences.
 */
const random = seededRandom(2026)
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]

type Node = Record<string, unknown> | unknown[]

/** Every object or array in the document, each once (earlier rounds may have made cycles). */
function containers(root: unknown): Node[] {
  const out: Node[] = []
  const seen = new Set<unknown>()
  const walk = (value: unknown) => {
    if (value && typeof value === 'object' && !seen.has(value)) {
      seen.add(value)
      out.push(value as Node)
      Object.values(value).forEach(walk)
    }
  }
  walk(root)
  return out
}

const junk = (): unknown =>
  pick<() => unknown>([
    () => 42,
    () => -1,
    () => 1e308,
    () => 0.5,
    () => '',
    () => 'x'.repeat(20_000),
    () => '<script>alert(1)</script>',
    () => 'javascript:alert(1)',
    () => true,
    () => null,
    () => [],
    () => ({}),
    () => [null, 1, 'a'],
    () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
    () => deep(60),
    () => ({ all: [{ any: [{ not: deep(40) }] }] }),
  ])()

function deep(levels: number): unknown {
  let value: unknown = { event: 'x' }
  for (let i = 0; i < levels; i++) value = random() < 0.5 ? { not: value } : [value]
  return value
}

function mutate(doc: Record<string, unknown>): unknown {
  const rounds = 1 + Math.floor(random() * 4)
  for (let i = 0; i < rounds; i++) {
    const node = pick(containers(doc))
    const keys = Object.keys(node)
    const key = keys.length ? pick(keys) : '0'
    const target = node as Record<string, unknown>
    switch (pick(['replace', 'replace', 'delete', 'duplicate', 'add', 'cycle', 'proto'] as const)) {
      case 'replace':
        target[key] = junk()
        break
      case 'delete':
        if (Array.isArray(node)) node.splice(Number(key), 1)
        else delete target[key]
        break
      case 'duplicate':
        if (Array.isArray(node) && node.length) node.push(structuredClone(node[0]))
        break
      case 'add':
        target[pick(['extra', 'id', 'kind', 'steps', 'tasks', 'offer', 'rule', 'constructor'])] = junk()
        break
      case 'cycle':
        target[key] = node
        break
      case 'proto':
        Object.assign(target, JSON.parse('{"__proto__": {"polluted": true}}'))
        break
    }
  }
  // Now and then the document itself is junk.
  return random() < 0.03 ? junk() : doc
}

// Two validations per document, 600 in all: give a busy two-core machine time for them.
test('300 corrupted documents never throw, never pollute, and keep only valid experiences', { timeout: 60_000 }, () => {
  const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort()
  const arrayProtoKeys = Object.getOwnPropertyNames(Array.prototype).sort()
  let errorsSeen = 0
  let experiencesKept = 0

  for (let run = 0; run < 300; run++) {
    const input = mutate(structuredClone(example) as Record<string, unknown>)
    const result = validateFlows(input)

    for (const error of result.errors) {
      expect(typeof error.message).toBe('string')
      if (error.path) expect(error.message.startsWith(`${error.path}: `)).toBe(true)
      else expect(['invalid_type', 'unreadable']).toContain(error.rule)
    }
    errorsSeen += result.errors.length

    // What was kept is valid on its own: validating the output again changes nothing, except
    // that a rule still naming an experience the first pass skipped is now an unknown name.
    const again = validateFlows(result.flows)
    const dangling = again.errors.filter((e) => e.rule === 'unknown_reference')
    expect(again.errors).toEqual(dangling)
    if (!dangling.length) expect(again.flows).toEqual(result.flows)
    const { checklists, tours, badges, levels, surveys } = result.flows
    experiencesKept += checklists.length + tours.length + badges.length + levels.length + surveys.length
  }

  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys)
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(arrayProtoKeys)
  // The corruption really happened, and valid experiences still came through.
  expect(errorsSeen).toBeGreaterThan(300)
  expect(experiencesKept).toBeGreaterThan(300 * 5)
})
