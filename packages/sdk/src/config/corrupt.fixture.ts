import { seededRandom } from '../fake-platform'

/**
 * Seeded corruption of a flows document, as a hand edit gone wrong, a broken export or a hostile
 * copy would produce: wrong types, deletions, huge strings, deep nesting, cycles, swapped
 * branches and prototype-pollution keys as JSON.parse makes them. Shared by the fuzz tests.
 */
export type Node = Record<string, unknown> | unknown[]

export function createCorruptor(seed: number) {
  const random = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]

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

  function deep(levels: number): unknown {
    let value: unknown = { event: 'x' }
    for (let i = 0; i < levels; i++) value = random() < 0.5 ? { not: value } : [value]
    return value
  }

  // Prototype-pollution keys as JSON.parse makes them: own properties, not prototype writes.
  const POLLUTERS = [
    '{"__proto__": {"polluted": true}}',
    '{"constructor": {"prototype": {"polluted": true}}}',
    '{"prototype": {"polluted": true}, "__proto__": {"toString": "x", "hasOwnProperty": 1}}',
    '{"__proto__": [1, 2], "constructor": "x", "valueOf": null}',
  ]

  const junk = (): unknown =>
    pick<() => unknown>([
      () => Math.floor(random() * 2e6) - 1e6,
      () => -0,
      () => 1e308,
      () => 0.5,
      () => '',
      () => ' ',
      () => 'x'.repeat(1 + Math.floor(random() * 50_000)),
      () => '\u202e<script>alert(1)</script>',
      () => 'javascript:alert(1)',
      () => 'Dashboard Viewed',
      () => '#/settings*',
      () => true,
      () => false,
      () => null,
      () => [],
      () => ({}),
      () => [null, 1, 'a', {}],
      () => JSON.parse(pick(POLLUTERS)),
      () => deep(5 + Math.floor(random() * 60)),
      () => ({ all: [{ any: [{ not: deep(30) }] }] }),
      () => Array.from({ length: 300 }, (_, i) => ({ id: `x${i}` })),
    ])()

  const KEYS = ['extra', 'id', 'kind', 'steps', 'tasks', 'offer', 'offers', 'reasons', 'rule', 'trigger', 'audience', 'constructor', 'prototype', '__proto__', 'toString', 'hasOwnProperty']

  function mutate(doc: Record<string, unknown>): unknown {
    const rounds = 1 + Math.floor(random() * 5)
    for (let i = 0; i < rounds; i++) {
      const node = pick(containers(doc))
      const keys = Object.keys(node)
      const key = keys.length ? pick(keys) : '0'
      const target = node as Record<string, unknown>
      const value = target[key]
      switch (pick(['junk', 'junk', 'retype', 'delete', 'delete', 'duplicate', 'add', 'cycle', 'proto', 'swap'] as const)) {
        case 'junk':
          target[key] = junk()
          break
        case 'retype':
          // The same value, in the wrong type: "10" for 10, [x] for x, 1 for true.
          target[key] = typeof value === 'number' ? String(value) : typeof value === 'boolean' ? Number(value) : typeof value === 'string' ? [value] : Array.isArray(value) ? { ...value } : String(value)
          break
        case 'delete':
          if (Array.isArray(node)) node.splice(Number(key), 1)
          else delete target[key]
          break
        case 'duplicate':
          if (Array.isArray(node) && node.length) node.push(structuredClone(pick(node)))
          break
        case 'add':
          // An own key, as JSON.parse makes `__proto__` in a fetched document.
          Object.defineProperty(target, pick(KEYS), { value: junk(), enumerable: true, writable: true, configurable: true })
          break
        case 'cycle':
          target[key] = node
          break
        case 'proto':
          for (const [k, v] of Object.entries(JSON.parse(pick(POLLUTERS)))) Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true })
          break
        case 'swap': {
          const other = pick(containers(doc))
          const otherKeys = Object.keys(other)
          if (otherKeys.length) target[key] = (other as Record<string, unknown>)[pick(otherKeys)]
          break
        }
      }
    }
    return random() < 0.02 ? junk() : doc
  }
  return { mutate, containers, random, pick }
}
