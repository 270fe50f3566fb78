import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { flowsJsonSchema } from '../packages/sdk/src/config/flows-json-schema'
import { collectFields, MEANINGS, renderFlowsReference } from './flows-reference'

const committed = readFileSync(new URL('../docs/flows-reference.md', import.meta.url), 'utf8')

describe('the flows field reference a vendor reads', () => {
  it('documents every field the JSON Schema accepts, each with a meaning', () => {
    const paths = collectFields(flowsJsonSchema()).map((f) => f.path)
    expect(paths.filter((p) => !MEANINGS[p])).toEqual([])
    // Spot checks that the walk reaches nested and per-kind fields.
    expect(paths).toEqual(expect.arrayContaining(['checklists[].tasks[].cta.url', 'surveys[].followUp.promoter', 'cancelFlow.offers[].percent', 'tours[].steps[].onMissing']))
  })

  it('keeps no meaning for a field the schema no longer has', () => {
    const paths = new Set(collectFields(flowsJsonSchema()).map((f) => f.path))
    expect(Object.keys(MEANINGS).filter((p) => !paths.has(p) && !/^[a-zA-Z$]+$/.test(p))).toEqual([])
  })

  it('is in step with the schema (run `npm run schema` after changing it)', () => {
    expect(committed).toBe(renderFlowsReference(flowsJsonSchema()))
  })

  it('says which fields apply to which survey kind (required there), and what is required everywhere', () => {
    const fields = collectFields(flowsJsonSchema())
    expect(fields.find((f) => f.path === 'surveys[].options')).toMatchObject({ required: true, kinds: ['choice'] })
    expect(fields.find((f) => f.path === 'checklists[].tasks[].id')).toMatchObject({ required: true })
    expect(fields.find((f) => f.path === 'settings.cooldownDays')).toMatchObject({ default: 2 })
  })

  it('marks as required only what every value line needs (its label), not each of the four kinds of line', () => {
    // A vendor reading "required: yes" on event, points, activeDays and trait would write all four in one line.
    const fields = collectFields(flowsJsonSchema())
    for (const list of ['cancelFlow.valueReminder.items[]', 'valueReviews[].items[]']) {
      const required = fields.filter((f) => f.path.startsWith(`${list}.`) && f.required).map((f) => f.path)
      expect(required, list).toEqual([`${list}.label`])
    }
  })
})
