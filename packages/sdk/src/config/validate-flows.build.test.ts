import { expect, test, vi } from 'vitest'
import example from '../../../../examples/flows.json'
import * as parts from './schema-parts'
import { validateFlows } from './validate-flows'

// Every experience schema is a strict object: how many were built tells what a visit paid for.
vi.mock('./schema-parts', async (actual) => {
  const real = await actual<typeof parts>()
  return { ...real, strict: vi.fn(real.strict) }
})
const built = () => vi.mocked(parts.strict).mock.calls.length

test('a first visit whose document holds one checklist builds the schemas it reads, not those of every other kind', () => {
  const checklistOnly = {
    version: 1,
    checklists: [{ id: 'getting-started', title: 'Get started', tasks: [{ id: 'create-project', title: 'Create your first project', doneWhen: { event: 'Project Created' } }] }],
  }
  const atLoad = built()

  const first = validateFlows(checklistOnly)
  expect(first.errors).toEqual([])
  const forTheChecklist = built() - atLoad

  // A vendor's whole document: tours, surveys, the cancel flow, billing, announcements…
  // each of those was left for the visit whose document has one.
  const whole = validateFlows(example)
  expect(whole.errors).toEqual([])
  const forTheRest = built() - atLoad - forTheChecklist
  expect(forTheRest).toBeGreaterThan(forTheChecklist)

  // Built once: validating again (the next document on a page) builds nothing more, and finds the same.
  expect(validateFlows(example)).toEqual(whole)
  expect(validateFlows(checklistOnly)).toEqual(first)
  expect(built() - atLoad).toBe(forTheChecklist + forTheRest)
})
