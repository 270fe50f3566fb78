import { describe, expect, test } from 'vitest'
import demo from '../../../../examples/flows.json'
import example from '../../../../test/fixtures/flows.json'
import { nearMiss } from './near-miss'
import { validateFlows } from './validate-flows'

type Doc = any

function exampleWith(change: (doc: Doc) => void): Doc {
  const doc = structuredClone(example) as Doc
  change(doc)
  return doc
}

const errorsOf = (doc: Doc) => validateFlows(doc).errors.map((e) => `${e.message} (${e.rule})`)

describe('a typo in a key that decides who sees something fails the experience, naming the key meant', () => {
  test('a survey with `sampel: 0.05` is not sent to every user', () => {
    const result = validateFlows(
      exampleWith((d) => {
        delete d.surveys[0].sample
        d.surveys[0].sampel = 0.05
      }),
    )
    expect(result.errors.map((e) => e.message)).toEqual(['surveys[0].sampel: is not a known field; did you mean `sample`?'])
    expect(result.flows.surveys.map((s) => s.id)).not.toContain('nps-quarterly')
  })

  test('a cancel flow with `holdOut: 0.2` does not run without its holdout', () => {
    const result = validateFlows(
      exampleWith((d) => {
        delete d.cancelFlow.holdout
        d.cancelFlow.holdOut = 0.2
      }),
    )
    expect(result.errors.map((e) => e.message)).toEqual(['cancelFlow.holdOut: is not a known field; did you mean `holdout`?'])
    expect(result.flows.cancelFlow).toBeUndefined()
  })

  test('a survey whose share is spelt `sampleRate` (as other SDKs spell it) is not sent to every user', () => {
    const result = validateFlows(
      exampleWith((d) => {
        delete d.surveys[0].sample
        d.surveys[0].sampleRate = 0.1
      }),
    )
    expect(result.errors.map((e) => e.message)).toEqual(['surveys[0].sampleRate: is not a known field; did you mean `sample`?'])
    expect(result.flows.surveys.map((s) => s.id)).not.toContain('nps-quarterly')
    expect(nearMiss('holdoutPercent', ['id', 'holdout'], {})).toBe('holdout')
  })

  test('a tour step with `tagret` does not become a centred modal', () => {
    const result = validateFlows(
      exampleWith((d) => {
        d.tours[0].steps[0].tagret = d.tours[0].steps[0].target
        delete d.tours[0].steps[0].target
      }),
    )
    // The checklist task that opened the tour loses its link, as with any invalid tour.
    expect(result.errors.map((e) => e.path)).toEqual(['tours[0].steps[0].tagret', 'checklists[0].tasks[3].tour'])
    expect(result.errors[0].message).toMatch(/did you mean `target`\?$/)
    expect(result.flows.tours.map((t) => t.id)).toEqual(['integrations-hint'])
  })

  test("on a page running Prototype.js (its Array.from ignores a map function), `sampel` and `tagret` still fail their experience", () => {
    const from = Array.from
    // Prototype.js 1.7: `Array.from = $A`, a copy of what it is given, whatever else is passed.
    Array.from = function $A(iterable: ArrayLike<unknown>) {
      if (!iterable) return []
      let length = iterable.length || 0
      const results = new Array(length)
      while (length--) results[length] = iterable[length]
      return results
    } as typeof Array.from
    try {
      const result = validateFlows(
        exampleWith((d) => {
          delete d.surveys[0].sample
          d.surveys[0].sampel = 0.05
          d.tours[0].steps[0].tagret = d.tours[0].steps[0].target
          delete d.tours[0].steps[0].target
        }),
      )
      expect(result.errors.map((e) => e.message).filter((m) => !m.startsWith('checklists'))).toEqual([
        'tours[0].steps[0].tagret: is not a known field; did you mean `target`?',
        'surveys[0].sampel: is not a known field; did you mean `sample`?',
      ])
      expect(result.flows.surveys.map((s) => s.id)).not.toContain('nps-quarterly')
      expect(result.flows.tours.map((t) => t.id)).toEqual(['integrations-hint'])
    } finally {
      Array.from = from
    }
  })

  test('a key unlike any known one is still only ignored (a newer runtime may know it)', () => {
    expect(errorsOf(exampleWith((d) => (d.surveys[0].animation = 'fade')))).toEqual(['surveys[0].animation: is not a known field; ignored (unknown_key)'])
  })

  test('a near miss of a key the experience already has is only ignored: the key meant is there', () => {
    expect(errorsOf(exampleWith((d) => (d.surveys[0].samples = 0.5)))).toEqual(['surveys[0].samples: is not a known field; ignored (unknown_key)'])
  })

  test('a typo inside a rule says which key was meant', () => {
    expect(errorsOf(exampleWith((d) => (d.badges[1].rule = { event: 'Task Created', cuont: { gte: 3 } })))).toEqual([
      'badges[1].rule.cuont: is not a known field; did you mean `count`? (unknown_key)',
    ])
  })

  test("the reference example and the demo's flows still validate with no error", () => {
    expect(validateFlows(example).errors).toEqual([])
    expect(validateFlows(demo).errors).toEqual([])
  })
})

describe('what counts as a near miss', () => {
  const known = ['id', 'target', 'title', 'sample', 'holdout', 'gt', 'gte']
  test.each([
    ['sampel', 'sample'],
    ['holdOut', 'holdout'],
    ['HOLDOUT', 'holdout'],
    ['tagret', 'target'],
    ['titel', 'title'],
    ['gtee', 'gte'],
    ['ID', 'id'],
  ])('%s is a near miss of %s', (key, meant) => expect(nearMiss(key, known, {})).toBe(meant))

  test.each(['animation', 'x', 'ab', 'color', 'extra'])('%s resembles nothing', (key) => expect(nearMiss(key, known, {})).toBeUndefined())

  test('a known key already given is not suggested', () => expect(nearMiss('titel', known, { title: 'Hi' })).toBeUndefined())
})
