import { describe, expect, it } from 'vitest'
import { cesScore, csatScore, npsScore, surveyCategory } from './scores'

describe('NPS', () => {
  it('ten answers: 5 promoters, 3 passives, 2 detractors give 50% − 20% = 30', () => {
    // promoters: 9, 10, 10, 9, 10 · passives: 7, 8, 8 · detractors: 6, 0
    const result = npsScore([9, 10, 7, 6, 10, 8, 9, 0, 8, 10])
    expect(result).toEqual({ score: 30, promoters: 5, passives: 3, detractors: 2, count: 10 })
  })

  it('dismissals and skips are not in the denominator', () => {
    // 2 promoters, 1 detractor over 3 answers: 66.67% − 33.33% = 33.33
    const result = npsScore([10, null, 9, undefined, 3, null])
    expect(result.count).toBe(3)
    expect(result.score).toBeCloseTo(100 / 3, 10)
  })

  it('all detractors score −100, all promoters +100', () => {
    expect(npsScore([0, 3, 6]).score).toBe(-100)
    expect(npsScore([9, 10]).score).toBe(100)
  })

  it('values outside 0–10 or not whole numbers are not answers', () => {
    expect(npsScore([11, -1, 7.5, Number.NaN, 10])).toEqual({ score: 100, promoters: 1, passives: 0, detractors: 0, count: 1 })
  })

  it('no answers: no score, and a count of zero says why', () => {
    expect(npsScore([null, undefined])).toEqual({ score: null, promoters: 0, passives: 0, detractors: 0, count: 0 })
  })
})

describe('CSAT', () => {
  it('is the share of 4s and 5s: 3 of 5 answers is 60%', () => {
    expect(csatScore([5, 4, 3, 1, 4])).toEqual({ score: 60, satisfied: 3, count: 5 })
  })

  it('ignores skips and off-scale values (0 and 6 are not on a 5-point scale)', () => {
    expect(csatScore([null, 0, 6, 2, 5])).toEqual({ score: 50, satisfied: 1, count: 2 })
  })

  it('has no score without answers', () => {
    expect(csatScore([])).toEqual({ score: null, satisfied: 0, count: 0 })
  })
})

describe('CES', () => {
  it('is the mean on 1–7: (7 + 6 + 2 + 5) / 4 = 5', () => {
    expect(cesScore([7, 6, null, 2, 5])).toEqual({ score: 5, count: 4 })
  })

  it('ignores 0 and 8, which are off the 7-point scale', () => {
    expect(cesScore([0, 8, 3])).toEqual({ score: 3, count: 1 })
  })

  it('has no score without answers', () => {
    expect(cesScore([undefined])).toEqual({ score: null, count: 0 })
  })

  it('on a 1–5 survey, 6 and 7 are off the scale: (5 + 2) / 2 = 3.5', () => {
    expect(cesScore([5, 6, 7, 2], 5)).toEqual({ score: 3.5, count: 2 })
  })
})

describe('answer categories', () => {
  it('NPS: 0–6 detractor, 7–8 passive, 9–10 promoter', () => {
    const cats = Array.from({ length: 11 }, (_, s) => surveyCategory('nps', s))
    expect(cats).toEqual([...Array(7).fill('detractor'), 'passive', 'passive', 'promoter', 'promoter'])
  })

  it('CSAT: 1–2 dissatisfied, 3 neutral, 4–5 satisfied', () => {
    expect([1, 2, 3, 4, 5].map((s) => surveyCategory('csat', s))).toEqual(['dissatisfied', 'dissatisfied', 'neutral', 'satisfied', 'satisfied'])
  })

  it('CES (higher is easier): 1–3 dissatisfied, 4 neutral, 5–7 satisfied', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((s) => surveyCategory('ces', s))).toEqual([
      'dissatisfied', 'dissatisfied', 'dissatisfied', 'neutral', 'satisfied', 'satisfied', 'satisfied',
    ])
  })

  it('CES on 1–5: 1–2 dissatisfied, 3 neutral, 4–5 satisfied', () => {
    expect([1, 2, 3, 4, 5, 6].map((s) => surveyCategory('ces', s, 5))).toEqual(['dissatisfied', 'dissatisfied', 'neutral', 'satisfied', 'satisfied', undefined])
  })

  it('a score off the scale has no category', () => {
    expect(surveyCategory('csat', 0)).toBeUndefined()
    expect(surveyCategory('ces', 8)).toBeUndefined()
    expect(surveyCategory('nps', 4.5)).toBeUndefined()
  })
})
