import { describe, expect, it } from 'vitest'
import { inSample, sampleBucket } from './sample'

const users = Array.from({ length: 10_000 }, (_, i) => `u_${i}`)
const share = (experienceId: string, rate: number) => users.filter((u) => inSample(u, experienceId, rate)).length / users.length

describe('sticky sampling', () => {
  it('a 50% NPS sample asks about half of 10,000 users', () => {
    expect(Math.abs(share('nps-quarterly', 0.5) - 0.5)).toBeLessThanOrEqual(0.02)
  })

  it('a 5% cancel holdout holds back about 5% of 10,000 users', () => {
    expect(Math.abs(share('save-offer', 0.05) - 0.05)).toBeLessThanOrEqual(0.02)
  })

  it('a user in the 5% holdout stays in it on every visit', () => {
    const held = users.filter((u) => inSample(u, 'save-offer', 0.05))
    expect(held.length).toBeGreaterThan(0)
    for (let visit = 0; visit < 3; visit++) expect(users.filter((u) => inSample(u, 'save-offer', 0.05))).toEqual(held)
  })

  it('a larger rate keeps everyone a smaller one took, so raising a sample never drops anyone', () => {
    const small = users.filter((u) => inSample(u, 'nps-quarterly', 0.1))
    expect(small.every((u) => inSample(u, 'nps-quarterly', 0.3))).toBe(true)
  })

  it('being sampled for one experience says nothing about another', () => {
    const a = new Set(users.filter((u) => inSample(u, 'nps-quarterly', 0.5)))
    const both = users.filter((u) => a.has(u) && inSample(u, 'csat-export', 0.5)).length / users.length
    expect(Math.abs(both - 0.25)).toBeLessThanOrEqual(0.02)
  })

  it('rate 1 takes everyone and rate 0 no one', () => {
    expect(share('x', 1)).toBe(1)
    expect(share('x', 0)).toBe(0)
    expect(inSample('u_1', 'x', Number.NaN)).toBe(false)
  })

  it('buckets spread evenly across ten deciles', () => {
    const deciles = new Array(10).fill(0)
    for (const u of users) deciles[Math.floor(sampleBucket(u, 'nps-quarterly') * 10)]++
    for (const n of deciles) expect(Math.abs(n - 1000)).toBeLessThan(100)
  })

  it('a user keeps their place in every sample from one release to the next (a held-out user is never moved into the offer)', () => {
    // The places the release before this one gave; a device that updates must draw the same.
    expect(sampleBucket('u:u_42', 'nps-quarterly')).toBe(0.9277473653201014)
    expect(sampleBucket('u:u_43', 'nps-quarterly')).toBe(0.28082795813679695)
    expect(sampleBucket('u:u_42', 'save-offer:holdout')).toBe(0.9063440572936088)
  })
})
