import { describe, expect, it } from 'vitest'
import { pauseAllowed, resumeDate } from './pause'

describe('pause lengths', () => {
  it('allows 1 month up to the offer’s months, and never more than 3', () => {
    expect([0, 1, 2, 3].map((n) => pauseAllowed(n, 2))).toEqual([false, true, true, false])
    expect([3, 4, 1.5].map((n) => pauseAllowed(n, 12))).toEqual([true, false, false])
  })

  it('resumes on the same day of the month, or the last day of a shorter month', () => {
    expect(resumeDate(Date.UTC(2026, 10, 15, 23, 59), 1)).toBe('2026-12-15')
    expect(resumeDate(Date.UTC(2026, 10, 30), 3)).toBe('2027-02-28')
    expect(resumeDate(Date.UTC(2027, 11, 31), 2)).toBe('2028-02-29')
    expect(resumeDate(Date.UTC(2026, 0, 31), 1)).toBe('2026-02-28')
  })
})
