import { afterEach, describe, expect, it } from 'vitest'
import { evaluateRule, type AudienceContext, type AudienceFacts } from './audience'
import { inSample } from './sample'
import { emptyProfile } from './usage'

const noFacts: AudienceFacts = { checklistStatus: () => 'not-started', hasBadge: () => false, surveyAnswered: () => false, points: () => 0 }
const NOW = Date.parse('2026-03-20T01:00:00Z')
const ctx = (over: Partial<AudienceContext> = {}): AudienceContext => ({
  profile: emptyProfile(),
  traits: {},
  now: NOW,
  url: 'https://app.acme.test/app#/dashboard',
  userKey: 'u:42',
  experienceId: 'exp',
  facts: noFacts,
  ...over,
})

describe('review probe: url globs', () => {
  it('a path+hash glob still matches when the page URL carries a query string (utm, ref)', () => {
    const rule = { url: '/app#/settings*' }
    // Without a query string it matches (form pathname+search+hash = "/app#/settings/team")
    expect(evaluateRule(rule, ctx({ url: 'https://app.acme.test/app#/settings/team' }))).toBe(true)
    // The same page reached from an email link: it should still match
    expect(evaluateRule(rule, ctx({ url: 'https://app.acme.test/app?utm_source=mail#/settings/team' }))).toBe(true)
  })
})

describe('review probe: offset-less ISO date-times', () => {
  const origTz = process.env.TZ
  afterEach(() => {
    process.env.TZ = origTz
  })
  const rule = { trait: 'createdAt', gte: '2026-03-01' }
  const traits = { createdAt: '2026-03-01T00:00:00' }
  it('the same trait and rule give the same verdict whatever the browser time zone', () => {
    process.env.TZ = 'America/New_York'
    const ny = evaluateRule(rule, ctx({ traits }))
    process.env.TZ = 'Asia/Tokyo'
    const tokyo = evaluateRule(rule, ctx({ traits }))
    expect({ ny, tokyo }).toEqual({ ny: true, tokyo: true })
  })
  it('a date-time at midnight equals its own date', () => {
    process.env.TZ = 'Asia/Tokyo'
    expect(evaluateRule({ trait: 'createdAt', eq: '2026-03-01' }, ctx({ traits }))).toBe(true)
  })
})

describe('review probe: samples of one experience are independent', () => {
  const users = Array.from({ length: 20_000 }, (_, i) => `u:user_${i}`)
  it('a cancel-flow holdout of 20% holds back about 20% of the users its {sample: 0.5} audience lets in', () => {
    // cancel.ts:185 evaluates { sample: holdout } under flow.id, as the audience's own { sample } rule does
    const inAudience = users.filter((u) => evaluateRule({ sample: 0.5 }, ctx({ userKey: u, experienceId: 'save-offer' })))
    const held = inAudience.filter((u) => evaluateRule({ sample: 0.2 }, ctx({ userKey: u, experienceId: 'save-offer' })))
    expect(Math.abs(held.length / inAudience.length - 0.2)).toBeLessThan(0.03)
  })
  it('a survey sample of 50% inside an audience {sample: 0.5} asks about a quarter of users', () => {
    const asked = users.filter((u) => evaluateRule({ sample: 0.5 }, ctx({ userKey: u, experienceId: 'nps' })) && inSample(u, 'nps', 0.5))
    expect(Math.abs(asked.length / users.length - 0.25)).toBeLessThan(0.03)
  })
})
