import { describe, expect, it } from 'vitest'
import { cleanProperties } from './properties'
import { toJson } from './json'

describe('vendor properties are made safe to queue, never thrown on', () => {
  it('keeps ordinary JSON values as they are', () => {
    const input = { template: 'kanban', count: 3, ok: true, tags: ['a', 'b'], nested: { x: null } }
    expect(cleanProperties(input)).toEqual({ value: input, problems: [] })
  })

  it('drops functions, replaces cycles and BigInts, and says which keys it changed', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    const { value, problems } = cleanProperties({ cb: () => 1, big: 10n, cyclic, when: new Date('2026-01-05T00:00:00Z'), nan: NaN })
    expect(value).toEqual({ big: '10', cyclic: { name: 'loop', self: '[Circular]' }, when: '2026-01-05T00:00:00.000Z', nan: null })
    expect(problems.join('\n')).toMatch(/properties\.cb is a function/)
    expect(problems.join('\n')).toMatch(/properties\.cyclic\.self is circular/)
    expect(problems.join('\n')).toMatch(/properties\.big is a BigInt/)
  })

  it('sends a URL, a date library\'s value, a Set and a Map with what they hold, as JSON.stringify would (not {})', () => {
    // A date library's object (dayjs, Luxon, moment): what its toJSON says.
    const day = { $d: new Date('2026-03-01T00:00:00Z'), toJSON: () => '2026-03-01T00:00:00.000Z' }
    const tags = new Set(['a', 'b'])
    tags.add(tags as unknown as string)
    const { value, problems } = cleanProperties({
      link: new URL('https://example.com/a?b=1'),
      renewsAt: day,
      tags,
      counts: new Map<string, unknown>([['x', 1], ['when', new Date(0)]]),
      invalid: new Date(NaN),
    })
    expect(value).toEqual({
      link: 'https://example.com/a?b=1',
      renewsAt: '2026-03-01T00:00:00.000Z',
      tags: ['a', 'b', '[Circular]'],
      counts: { x: 1, when: '1970-01-01T00:00:00.000Z' },
      invalid: null,
    })
    expect(problems).toEqual(['properties.tags[2] is circular'])
  })

  it('on a page that gave every object and array a toJSON (Prototype.js), keeps plain data as it is', () => {
    const added = { value: function (this: unknown) { return Object.prototype.toString.call(this) }, writable: true, configurable: true }
    Object.defineProperty(Array.prototype, 'toJSON', added)
    Object.defineProperty(Object.prototype, 'toJSON', added)
    try {
      const { value, problems } = cleanProperties({ tags: ['a', 'b'], nested: { n: 1 }, seen: new Set(['x']), link: new URL('https://example.com/') })
      // As it goes on the wire.
      expect(JSON.parse(toJson(value))).toEqual({ tags: ['a', 'b'], nested: { n: 1 }, seen: ['x'], link: 'https://example.com/' })
      expect(problems).toEqual([])
    } finally {
      delete (Array.prototype as { toJSON?: unknown }).toJSON
      delete (Object.prototype as { toJSON?: unknown }).toJSON
    }
  })

  it('keeps a repeated (not circular) object both times', () => {
    const shared = { id: 1 }
    expect(cleanProperties({ a: shared, b: shared }).value).toEqual({ a: { id: 1 }, b: { id: 1 } })
  })

  it('truncates only the largest values of an oversize payload and names them', () => {
    const { value, problems } = cleanProperties({ small: 'keep me', huge: 'x'.repeat(40_000) }, 32 * 1024)
    expect(value.small).toBe('keep me')
    expect(value.huge).toBe('[truncated]')
    expect(value.lingerTruncated).toEqual(['huge'])
    expect(JSON.stringify(value).length).toBeLessThan(32 * 1024)
    expect(problems[0]).toMatch(/huge truncated/)
  })

  it('counts the bytes the wire carries: a comment of 20,000 accented characters is cut, not sent at 40 KB', () => {
    const { value, problems } = cleanProperties({ score: 9, comment: 'é'.repeat(20_000) })
    expect(value).toMatchObject({ score: 9, comment: '[truncated]', lingerTruncated: ['comment'] })
    expect(new TextEncoder().encode(JSON.stringify(value)).length).toBeLessThanOrEqual(32 * 1024)
    expect(problems[0]).toMatch(/comment truncated/)
  })

  it('reports a non-object payload instead of sending it', () => {
    expect(cleanProperties('oops')).toEqual({ value: {}, problems: ['properties must be an object, got string'] })
    expect(cleanProperties([1, 2]).problems[0]).toMatch(/got array/)
  })

  it('survives a getter that throws', () => {
    const evil = Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('nope') } })
    const { value, problems } = cleanProperties(evil)
    expect(value).toEqual({})
    expect(problems[0]).toMatch(/could not be read/)
  })

  it('never carries a __proto__ key onto the wire', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}')
    const { value } = cleanProperties(parsed)
    expect(value).toEqual({ ok: 1 })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('reads an object shared by many paths in time that grows with the limit, not with the paths (one track() of app state cannot freeze the page)', () => {
    // Three links to the same object at each of 12 levels: 531,441 paths to the leaf.
    let reads = 0
    let node: object = { leaf: 1 }
    for (let level = 0; level < 12; level++) {
      const below = node
      node = Object.defineProperties({}, Object.fromEntries(['a', 'b', 'c'].map((k) => [k, { enumerable: true, get: () => (reads++, below) }])))
    }
    const { value, problems } = cleanProperties({ plan: 'pro', state: node, step: 3 })
    expect(reads).toBeLessThan(60_000)
    // The rest of the event is whole; the state is cut, and the vendor is told why.
    expect(value).toMatchObject({ plan: 'pro', state: '[truncated]', step: 3, lingerTruncated: ['state'] })
    expect(problems[0]).toMatch(/properties over 32768 bytes: not read past properties\.state/)
    expect(JSON.stringify(value).length).toBeLessThan(32 * 1024)
  })
})

describe('a huge list in the properties (rows of an export, an image buffer) costs what the limit lets through', () => {
  it('a million numbers are read no further than the limit, and the rest of the event goes whole', () => {
    let reads = 0
    const rows = new Proxy(new Array(1_000_000).fill(7), { get: (t, k, r) => (typeof k === 'string' && /^\d+$/.test(k) && reads++, Reflect.get(t, k, r)) })
    const { value, problems } = cleanProperties({ plan: 'pro', rows, user: { id: 'u1', tags: ['a'] }, step: 3 })
    expect(reads).toBeLessThan(20_000)
    expect(value).toEqual({ plan: 'pro', rows: '[truncated]', user: { id: 'u1', tags: ['a'] }, step: 3, lingerTruncated: ['rows'] })
    expect(problems[0]).toMatch(/properties over 32768 bytes/)
  })

  it('an object with 200,000 keys (an id-to-row index) is read no further than the limit either', () => {
    let reads = 0
    const index = new Proxy(Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`id${i}`, i])), { get: (t, k, r) => (reads++, Reflect.get(t, k, r)) })
    const { value } = cleanProperties({ plan: 'pro', index })
    expect(reads).toBeLessThan(20_000)
    expect(value).toMatchObject({ plan: 'pro', index: '[truncated]' })
  })
})

describe('a value that cannot say what it is', () => {
  it('loses only itself: one toJSON that throws leaves the other properties, and is reported by its path', () => {
    const { value, problems } = cleanProperties({ plan: 'pro', when: { toJSON() { throw new Error('invalid date') } } })
    expect(value).toEqual({ plan: 'pro', when: null })
    expect(problems).toEqual(['properties.when could not be read (its toJSON threw)'])
  })
})
