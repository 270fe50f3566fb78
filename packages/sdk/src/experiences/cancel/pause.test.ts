import { describe, expect, it } from 'vitest'
import { pauseChoices, resumeDate } from './pause'

describe('pause lengths', () => {
  it('offers 1 month up to the offer’s months, and never more than 3', () => {
    expect(pauseChoices(1)).toEqual([1])
    expect(pauseChoices(2)).toEqual([1, 2])
    expect(pauseChoices(12)).toEqual([1, 2, 3])
  })

  it('resumes on the same day of the month, or the last day of a shorter month', () => {
    expect(resumeDate(Date.UTC(2026, 10, 15, 23, 59), 1)).toBe('2026-12-15')
    expect(resumeDate(Date.UTC(2026, 10, 30), 3)).toBe('2027-02-28')
    expect(resumeDate(Date.UTC(2027, 11, 31), 2)).toBe('2028-02-29')
  })
})
