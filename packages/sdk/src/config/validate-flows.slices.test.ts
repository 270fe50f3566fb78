import { afterEach, describe, expect, test } from 'vitest'
import example from '../../../../test/fixtures/flows.json'
import { createCorruptor } from './corrupt.fixture'
import { validateFlows, validateFlowsInSlices } from './validate-flows'

type Doc = any

/** A clock where everything validation does takes time: each look at it is 1 ms later. */
const ticking = () => {
  let t = 0
  return () => t++
}

/** The example with `n` more checklists: a vendor's larger document. */
function withChecklists(n: number): Doc {
  const doc = structuredClone(example) as Doc
  const [first] = doc.checklists
  for (let i = 0; i < n; i++) doc.checklists.push({ ...structuredClone(first), id: `checklist-${i}` })
  return doc
}

const proto = Object.prototype as Record<string, unknown>
afterEach(() => {
  delete proto.extend
})

describe('a first visit validates its document in slices, so the page is never blocked for long', () => {
  test('a long document goes in many slices, and comes out as validating it in one piece does', async () => {
    const doc = withChecklists(40)
    doc.checklists[7].tasks = []
    doc.surveys[1].question = ''
    let pauses = 0
    const sliced = await validateFlowsInSlices(structuredClone(doc), async () => void pauses++, ticking(), 4)
    expect(pauses).toBeGreaterThanOrEqual(10)
    const whole = validateFlows(doc)
    expect(sliced).toEqual(whole)
    // The broken ones are reported with their paths, and the rest run.
    expect(sliced.errors.map((e) => e.path)).toEqual(['checklists[7].tasks', 'surveys[1].question'])
    expect(sliced.flows.checklists).toHaveLength(example.checklists.length + 39)
  })

  test('a slice takes as many experiences as fit in its time', async () => {
    let pauses = 0
    // A clock that never moves: everything fits in one slice.
    await validateFlowsInSlices(withChecklists(40), async () => void pauses++, () => 0, 4)
    expect(pauses).toBe(0)
  })

  test('100 corrupted documents: slices find exactly what one piece finds', async () => {
    const { mutate } = createCorruptor(4242)
    for (let run = 0; run < 100; run++) {
      const input = mutate(structuredClone(example) as Record<string, unknown>)
      const sliced = await validateFlowsInSlices(structuredClone(input), async () => {}, ticking(), 2)
      expect(sliced).toEqual(validateFlows(input))
    }
  })

  test("the host page's code runs between slices as it wrote it: a method it added to Object.prototype is back, and validation never sees it", async () => {
    const seen: string[][] = []
    const result = await validateFlowsInSlices(
      withChecklists(20),
      async () => {
        seen.push(Object.keys(Object.prototype))
        // Host code, between two slices, adds an enumerable method (MooTools-era pages do).
        proto.extend = function () {}
      },
      ticking(),
      4,
    )
    expect(seen.length).toBeGreaterThan(2)
    expect(seen.slice(1).every((keys) => keys.includes('extend'))).toBe(true)
    expect(result.errors).toEqual([])
    expect(result.flows.checklists).toHaveLength(example.checklists.length + 20)
    expect(Object.getOwnPropertyDescriptor(Object.prototype, 'extend')?.enumerable).toBe(true)
  })

  test('a document that throws when read is reported as unreadable, never thrown', async () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no')
        },
      },
    )
    const result = await validateFlowsInSlices(hostile, async () => {}, ticking())
    expect(result.errors.map((e) => e.rule)).toEqual(['unreadable'])
    expect(result.flows.checklists).toEqual([])
  })
})
