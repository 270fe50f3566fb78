import { describe, expect, test } from 'vitest'
import { evaluateRule } from '../audience'
import type { Rule } from '../rule'
import { validateFlows } from './validate-flows'

const survey = (audience: unknown) => ({ surveys: [{ id: 'nps', kind: 'nps', question: 'How likely?', audience }] })
const errorsOf = (audience: unknown) => validateFlows(survey(audience)).errors.map((e) => e.message)

describe('a trait comparison compares what the vendor meant', () => {
  test('"10 seats or more" written with a string is an error, not a rule that never matches', () => {
    expect(errorsOf({ trait: 'seats', gte: '10' })).toEqual(['surveys[0].audience.gte: use a number, not a string, got "10"'])
    expect(validateFlows(survey({ trait: 'seats', gte: '10' })).flows.surveys).toEqual([])
  })

  test.each(['gt', 'gte', 'lt', 'lte'])('%s takes a number, not "1.5" nor " 3 "', (op) => {
    expect(errorsOf({ trait: 'seats', [op]: '1.5' })).toEqual([`surveys[0].audience.${op}: use a number, not a string, got "1.5"`])
    expect(errorsOf({ trait: 'seats', [op]: ' 3 ' })).toHaveLength(1)
    expect(errorsOf({ trait: 'seats', [op]: 3 })).toEqual([])
  })

  test('dates in every ISO spelling audience.ts compares as dates still validate, and still match', () => {
    const traits = { createdAt: '2026-01-05T00:00:00Z' }
    const rules: Rule[] = [
      { trait: 'createdAt', gte: '2026-01-01' },
      { trait: 'createdAt', lt: '2026-01-05T12:00:00+00:00' },
      { trait: 'createdAt', gt: '2026-01-04 23:00Z' },
      { trait: 'createdAt', lte: '2026-01-05T00:00:00.000Z' },
    ]
    for (const rule of rules) {
      expect(errorsOf(rule)).toEqual([])
      expect(evaluateRule(rule, { profile: {} as never, traits, now: 0, url: '', userKey: 'u', experienceId: 'nps', facts: {} as never })).toBe(true)
    }
  })

  test('a cut-off time without its offset is refused, naming the path: whose 09:00 would it be?', () => {
    expect(errorsOf({ trait: 'trialEnds', lte: '2026-01-04T09:00' })).toEqual([
      'surveys[0].audience.lte: a time needs its offset, like "2026-11-02T09:00+01:00" (Z for UTC), got "2026-01-04T09:00"',
    ])
    expect(errorsOf({ trait: 'trialEnds', gt: '2026-01-04 23:00:00' })).toHaveLength(1)
    expect(errorsOf({ trait: 'trialEnds', gt: '2026-01-04T09:00-05:00' })).toEqual([])
  })

  test('a string that is neither a number nor a real date is an error naming the path', () => {
    expect(errorsOf({ trait: 'plan', gte: 'pro' })).toEqual(['surveys[0].audience.gte: must be a number or an ISO date like "2026-11-02", got "pro"'])
    expect(errorsOf({ trait: 'renewsAt', lt: '2026-02-30' })).toEqual(['surveys[0].audience.lt: must be a number or an ISO date like "2026-11-02", got "2026-02-30"'])
  })

  test('eq, neq and in still take any value', () => {
    expect(errorsOf({ trait: 'plan', eq: '10', neq: 'pro', in: ['1', 2] })).toEqual([])
  })
})

describe('a usage window the profile can answer', () => {
  test('"not exported in 180 days" is an error: daily usage is kept for 90 days, so it would hold for someone who exported 100 days ago', () => {
    expect(errorsOf({ not: { event: 'Report Exported', withinDays: 180 } })).toEqual(['surveys[0].audience.not.withinDays: must be at most 90, got 180'])
    expect(errorsOf({ activeDays: { gte: 3 }, withinDays: 91 })).toEqual(['surveys[0].audience.withinDays: must be at most 90, got 91'])
    expect(errorsOf({ event: 'Report Exported', withinDays: 90 })).toEqual([])
  })

  test('more active days than the profile counts can never hold, and says so', () => {
    expect(errorsOf({ activeDays: { gte: 100 } })).toEqual(['surveys[0].audience.activeDays.gte: must be at most 90, got 100'])
    expect(errorsOf({ activeDays: { gt: 90 } })).toHaveLength(1)
    expect(errorsOf({ activeDays: { gte: 90 } })).toEqual([])
  })

  test('a feature rule keeps any window: it reads the last use, kept forever', () => {
    expect(errorsOf({ feature: 'export', withinDays: 365 })).toEqual([])
  })
})
