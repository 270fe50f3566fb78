import { expect, test } from 'vitest'
import example from '../../../../test/fixtures/flows.json'
import { createCorruptor } from './corrupt.fixture'
import { validateFlows } from './validate-flows'

/**
 * Vendors hand-edit flows documents, and a broken export can contain anything. 300 random
 * corruptions of the reference example must never throw, must point every error at a place in
 * the document, must leave the prototypes alone, and must only ever keep valid experiences.
 */
// The same corruptions the hardening fuzz test uses, with its own seed.
const { mutate } = createCorruptor(2026)

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
