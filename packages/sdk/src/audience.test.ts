import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { evaluateRule, explainRule, type AudienceContext, type AudienceFacts } from './audience'
import type { Rule } from './rule'
import { inSample } from './sample'
import { seededRandom } from './fake-platform'
import { dayKeyIn, emptyProfile, recordEvent, type UsageProfile } from './usage'
import { daysUntil } from './experiences/billing/stages'
import { readsOf } from './rule-reads'

const flows = JSON.parse(readFileSync(new URL('../../../test/fixtures/flows.json', import.meta.url), 'utf8'))
const byId = (list: Array<{ id: string }>, id: string) => list.find((x) => x.id === id) as any

// Users live in Tokyo (UTC+9): fixed timestamps, no dependence on the machine's zone.
const dayKey = dayKeyIn('Asia/Tokyo')
const tokyo = (local: string) => Date.parse(`${local}+09:00`)
const NOW = tokyo('2026-03-20T10:00:00')

function usage(events: Array<[name: string, local: string, feature?: string]>): UsageProfile {
  return events.reduce((p, [name, local, feature]) => recordEvent(p, { name, time: tokyo(local), feature }, dayKey), emptyProfile())
}

const noFacts: AudienceFacts = { checklistStatus: () => 'not-started', hasBadge: () => false, surveyAnswered: () => false, points: () => 0 }

function user(over: Partial<AudienceContext> = {}): AudienceContext {
  return {
    profile: emptyProfile(),
    traits: {},
    now: NOW,
    today: dayKey(NOW),
    dayKey,
    url: 'https://app.acme.test/app#/dashboard',
    userKey: 'u_42',
    experienceId: 'exp',
    facts: noFacts,
    ...over,
  }
}

describe('audience rules from the example flows', () => {
  const npsAudience: Rule = byId(flows.surveys, 'nps-quarterly').audience

  it('NPS asks someone first seen 14+ days ago and active on 3 of the last 30 days', () => {
    const profile = usage([
      ['Dashboard Viewed', '2026-03-01T09:00:00'],
      ['Dashboard Viewed', '2026-03-10T09:00:00'],
      ['Dashboard Viewed', '2026-03-19T09:00:00'],
    ])
    expect(evaluateRule(npsAudience, user({ profile }))).toBe(true)
  })

  it('NPS does not ask someone who arrived 10 days ago, and says so', () => {
    const profile = usage([
      ['Dashboard Viewed', '2026-03-10T09:00:00'],
      ['Dashboard Viewed', '2026-03-11T09:00:00'],
      ['Dashboard Viewed', '2026-03-12T09:00:00'],
    ])
    expect(explainRule(npsAudience, user({ profile }))).toEqual({ ok: false, failed: ['daysSince firstSeen gte 14 (was 10)'] })
  })

  it('NPS does not ask a long-time user who came back only twice this month', () => {
    const profile = usage([
      ['Dashboard Viewed', '2026-01-05T09:00:00'],
      ['Dashboard Viewed', '2026-01-06T09:00:00'],
      ['Dashboard Viewed', '2026-03-01T09:00:00'],
      ['Dashboard Viewed', '2026-03-19T09:00:00'],
    ])
    expect(explainRule(npsAudience, user({ profile }))).toEqual({ ok: false, failed: ['activeDays within 30 days gte 3 (was 2)'] })
  })

  it('the getting-started checklist is for the first 30 days only', () => {
    const rule: Rule = byId(flows.checklists, 'getting-started').audience
    expect(evaluateRule(rule, user({ profile: usage([['Page Viewed', '2026-02-18T09:00:00']]) }))).toBe(true)
    expect(explainRule(rule, user({ profile: usage([['Page Viewed', '2026-02-15T09:00:00']]) })).failed).toEqual(['daysSince firstSeen lte 30 (was 33)'])
  })

  it('the export tour is for users past their first day who have never exported', () => {
    const rule: Rule = byId(flows.tours, 'export-tour').audience
    const dayOne = usage([['Dashboard Viewed', '2026-03-20T08:00:00']])
    const dayTwo = usage([['Dashboard Viewed', '2026-03-19T08:00:00']])
    const exporter = usage([['Dashboard Viewed', '2026-03-18T08:00:00'], ['Report Exported', '2026-03-19T08:00:00']])
    expect(explainRule(rule, user({ profile: dayOne })).failed).toEqual(['daysSince firstSeen gte 1 (was 0)'])
    expect(evaluateRule(rule, user({ profile: dayTwo }))).toBe(true)
    expect(explainRule(rule, user({ profile: exporter })).failed).toEqual(['not event "Report Exported" count gte 1 (was 1)'])
  })

  it('the integrations hint fires anywhere under #/settings, and not once Slack is connected', () => {
    const tour = byId(flows.tours, 'integrations-hint')
    expect(evaluateRule(tour.trigger, user({ url: 'https://x/app#/settings/team' }))).toBe(true)
    expect(evaluateRule(tour.trigger, user({ url: 'https://x/app#/settings' }))).toBe(true)
    expect(explainRule(tour.trigger, user({ url: 'https://x/app#/billing' })).failed).toEqual(['url "#/settings*" (was "https://x/app#/billing")'])
    expect(evaluateRule(tour.audience, user())).toBe(true)
    expect(evaluateRule(tour.audience, user({ profile: usage([['Integration Connected', '2026-03-19T08:00:00']]) }))).toBe(false)
  })

  it('"Add three tasks" is done on the third task, and the poll waits for the third export', () => {
    const addTasks: Rule = byId(byId(flows.checklists, 'getting-started').tasks, 'add-tasks').doneWhen
    const two = usage([['Task Created', '2026-03-19T08:00:00'], ['Task Created', '2026-03-19T08:01:00']])
    expect(explainRule(addTasks, user({ profile: two })).failed).toEqual(['event "Task Created" count gte 3 (was 2)'])
    const three = recordEvent(two, { name: 'Task Created', time: tokyo('2026-03-19T08:02:00') }, dayKey)
    expect(evaluateRule(addTasks, user({ profile: three }))).toBe(true)
    expect(evaluateRule(byId(flows.surveys, 'next-feature').trigger, user({ profile: three }))).toBe(false)
  })

  it('badges: report pro after 10 exports, on a roll after 5 days in a row, explorer after 5 features, onboarded after the checklist', () => {
    const rule = (id: string): Rule => byId(flows.badges, id).rule
    const exports = usage(Array.from({ length: 7 }, (_, i) => ['Report Exported', `2026-03-1${i}T09:00:00`] as [string, string]))
    expect(explainRule(rule('reporter'), user({ profile: exports })).failed).toEqual(['event "Report Exported" count gte 10 (was 7)'])

    const roll = usage(['15', '16', '17', '18', '19'].map((d) => ['Dashboard Viewed', `2026-03-${d}T09:00:00`] as [string, string]))
    expect(evaluateRule(rule('on-a-roll'), user({ profile: roll }))).toBe(true)
    expect(explainRule(rule('on-a-roll'), user({ profile: roll, now: tokyo('2026-03-22T10:00:00'), today: '2026-03-22' })).failed).toEqual([
      'streakDays gte 5 (was 0)',
    ])

    const features = ['kanban', 'gantt', 'export', 'filters', 'comments']
    const explorer = usage(features.map((f) => ['Feature Used', '2026-03-19T09:00:00', f] as [string, string, string]))
    expect(evaluateRule(rule('explorer'), user({ profile: explorer }))).toBe(true)
    expect(explainRule(rule('explorer'), user({ profile: usage([['Feature Used', '2026-03-19T09:00:00', 'kanban']]) })).failed).toEqual([
      'distinctFeatures gte 5 (was 1)',
    ])

    const finished: AudienceFacts = { ...noFacts, checklistStatus: (id) => (id === 'getting-started' ? 'completed' : 'not-started') }
    expect(evaluateRule(rule('onboarded'), user({ facts: finished }))).toBe(true)
    expect(explainRule(rule('onboarded'), user()).failed).toEqual(['checklist getting-started completed (was not-started)'])
  })
})

describe('trait rules', () => {
  const traits = { plan: 'free', seats: 4, createdAt: '2026-01-05', roles: ['admin', 'billing'], email: 'ana@acme.test', archived: null }

  it('a free user is told why a pro-only tour skips them', () => {
    expect(explainRule({ trait: 'plan', eq: 'pro' }, user({ traits }))).toEqual({ ok: false, failed: ['trait plan eq "pro" (was "free")'] })
    expect(evaluateRule({ trait: 'plan', neq: 'pro' }, user({ traits }))).toBe(true)
    expect(evaluateRule({ trait: 'plan', in: ['free', 'starter'] }, user({ traits }))).toBe(true)
    expect(evaluateRule({ trait: 'plan', in: ['pro'] }, user({ traits }))).toBe(false)
  })

  it('numbers compare as numbers', () => {
    expect(evaluateRule({ trait: 'seats', gt: 3 }, user({ traits }))).toBe(true)
    expect(evaluateRule({ trait: 'seats', gte: 4, lte: 4 }, user({ traits }))).toBe(true)
    expect(explainRule({ trait: 'seats', gte: 5, lt: 10 }, user({ traits })).failed).toEqual(['trait seats gte 5 (was 4)'])
    expect(evaluateRule({ trait: 'seats', lt: 4 }, user({ traits }))).toBe(false)
  })

  it('dates compare as dates, whatever their ISO spelling', () => {
    expect(evaluateRule({ trait: 'createdAt', gte: '2026-01-01T00:00:00Z' }, user({ traits }))).toBe(true)
    expect(evaluateRule({ trait: 'createdAt', lt: '2026-01-05T12:00:00+00:00' }, user({ traits }))).toBe(true)
    expect(evaluateRule({ trait: 'createdAt', eq: '2026-01-05T00:00:00Z' }, user({ traits }))).toBe(true)
    expect(evaluateRule({ trait: 'createdAt', gt: '2026-02-01' }, user({ traits }))).toBe(false)
  })

  it('a date-time without an offset is UTC, as a date alone is: one verdict in every browser zone', () => {
    const zone = process.env.TZ
    const at = { createdAt: '2026-03-01T00:00:00' }
    try {
      for (const tz of ['America/New_York', 'Asia/Tokyo', 'UTC']) {
        process.env.TZ = tz
        expect([tz, evaluateRule({ trait: 'createdAt', gte: '2026-03-01' }, user({ traits: at }))]).toEqual([tz, true])
        expect([tz, evaluateRule({ trait: 'createdAt', eq: '2026-03-01' }, user({ traits: at }))]).toEqual([tz, true])
        expect([tz, evaluateRule({ trait: 'createdAt', lt: '2026-03-01 09:00' }, user({ traits: at }))]).toEqual([tz, true])
      }
    } finally {
      process.env.TZ = zone
    }
  })

  it('a number never equals its string, and a missing trait fails every comparison', () => {
    expect(evaluateRule({ trait: 'seats', eq: '4' }, user({ traits }))).toBe(false)
    expect(evaluateRule({ trait: 'seats', gt: '3' }, user({ traits }))).toBe(false)
    expect(explainRule({ trait: 'company', gte: 1 }, user({ traits })).failed).toEqual(['trait company gte 1 (was missing)'])
    // Not "not enterprise" either: nobody knows yet.
    expect(explainRule({ trait: 'tier', neq: 'enterprise' }, user({ traits })).failed).toEqual(['trait tier neq "enterprise" (was missing)'])
    expect(evaluateRule({ trait: 'archived', neq: 'yes' }, user({ traits }))).toBe(false)
    expect(evaluateRule({ not: { trait: 'tier', eq: 'enterprise' } }, user({ traits }))).toBe(true)
  })

  it('exists and contains', () => {
    expect(evaluateRule({ trait: 'email', exists: true }, user({ traits }))).toBe(true)
    expect(evaluateRule({ trait: 'archived', exists: true }, user({ traits }))).toBe(false)
    expect(evaluateRule({ trait: 'phone', exists: false }, user({ traits }))).toBe(true)
    expect(evaluateRule({ trait: 'email' }, user({ traits }))).toBe(true)
    expect(evaluateRule({ trait: 'email', contains: '@acme.test' }, user({ traits }))).toBe(true)
    expect(evaluateRule({ trait: 'roles', contains: 'admin' }, user({ traits }))).toBe(true)
    expect(evaluateRule({ trait: 'roles', contains: 'owner' }, user({ traits }))).toBe(false)
    expect(evaluateRule({ trait: 'seats', contains: 4 }, user({ traits }))).toBe(false)
  })

  it('a date your backend sends as a number (Unix seconds as Stripe does, or ms) compares with a date written in the rule', () => {
    const renewsAt = Date.parse('2026-06-01T00:00:00Z') / 1000
    const createdAt = Date.parse('2026-02-01T12:00:00Z')
    expect(evaluateRule({ trait: 'renewsAt', lt: '2027-01-01' }, user({ traits: { renewsAt } }))).toBe(true)
    expect(evaluateRule({ trait: 'renewsAt', gt: '2027-01-01' }, user({ traits: { renewsAt } }))).toBe(false)
    expect(evaluateRule({ trait: 'createdAt', gte: '2026-01-01' }, user({ traits: { createdAt } }))).toBe(true)
    expect(evaluateRule({ trait: 'createdAt', lt: '2026-02-01T12:00:00Z' }, user({ traits: { createdAt } }))).toBe(false)
  })

  it('a date alone in a rule is that whole day: "signed up by 31 January" includes someone who signed up at noon on the 31st', () => {
    const noon = { createdAt: '2026-01-31T12:00:00Z' }
    expect(evaluateRule({ trait: 'createdAt', lte: '2026-01-31' }, user({ traits: noon }))).toBe(true)
    expect(evaluateRule({ trait: 'createdAt', eq: '2026-01-31' }, user({ traits: noon }))).toBe(true)
    expect(evaluateRule({ trait: 'createdAt', gt: '2026-01-31' }, user({ traits: noon }))).toBe(false)
    expect(evaluateRule({ trait: 'createdAt', lt: '2026-01-31' }, user({ traits: noon }))).toBe(false)
    expect(evaluateRule({ trait: 'createdAt', gte: '2026-02-01' }, user({ traits: noon }))).toBe(false)
    expect(evaluateRule({ trait: 'createdAt', gt: '2026-01-30' }, user({ traits: { createdAt: Date.parse(noon.createdAt) } }))).toBe(true)
    // A time in the rule is that moment.
    expect(evaluateRule({ trait: 'createdAt', lte: '2026-01-31T06:00:00Z' }, user({ traits: noon }))).toBe(false)
  })

  it('a date alone in a rule is that day on the user\'s calendar: a trial ending at 05:00 on 1 February in Tokyo does not end "by 31 January"', () => {
    // 20:00 UTC on the 31st is already 1 February in Tokyo, still the 31st in Los Angeles.
    const trial = { trialEnds: '2026-01-31T20:00:00Z' }
    expect(evaluateRule({ trait: 'trialEnds', lte: '2026-01-31' }, user({ traits: trial }))).toBe(false)
    expect(evaluateRule({ trait: 'trialEnds', eq: '2026-02-01' }, user({ traits: trial }))).toBe(true)
    expect(evaluateRule({ trait: 'trialEnds', gte: '2026-02-01' }, user({ traits: { trialEnds: Date.parse(trial.trialEnds) / 1000 } }))).toBe(true)
    // Early on 1 February UTC is still the 31st in Los Angeles: "by 31 January" holds there.
    const la = dayKeyIn('America/Los_Angeles')
    const early = { trialEnds: '2026-02-01T03:00:00Z' }
    expect(evaluateRule({ trait: 'trialEnds', lte: '2026-01-31' }, user({ traits: early, dayKey: la, today: la(NOW) }))).toBe(true)
    expect(evaluateRule({ trait: 'trialEnds', in: ['2026-01-31'] }, user({ traits: early, dayKey: la, today: la(NOW) }))).toBe(true)
    expect(evaluateRule({ trait: 'trialEnds', gt: '2026-01-31' }, user({ traits: early, dayKey: la, today: la(NOW) }))).toBe(false)
    // A date alone on both sides is the same day everywhere.
    expect(evaluateRule({ trait: 'trialEnds', eq: '2026-01-31' }, user({ traits: { trialEnds: '2026-01-31' }, dayKey: la, today: la(NOW) }))).toBe(true)
    expect(explainRule({ trait: 'trialEnds', lte: '2026-01-31' }, user({ traits: trial })).failed).toEqual(['trait trialEnds lte "2026-01-31" (was "2026-01-31T20:00:00Z")'])
  })

  it('a number or yes/no your backend sent as text ("42", "true") is read as the number or boolean the rule compares it with', () => {
    const text = { seats: '42', beta: 'true', trial: 'false', size: 'lots' }
    expect(evaluateRule({ trait: 'seats', gte: 10 }, user({ traits: text }))).toBe(true)
    expect(evaluateRule({ trait: 'seats', lt: 10 }, user({ traits: text }))).toBe(false)
    expect(evaluateRule({ trait: 'seats', eq: 42 }, user({ traits: text }))).toBe(true)
    // "Not the 42-seat accounts" is not shown to a 42-seat account.
    expect(evaluateRule({ trait: 'seats', neq: 42 }, user({ traits: text }))).toBe(false)
    expect(evaluateRule({ trait: 'seats', in: [5, 42] }, user({ traits: text }))).toBe(true)
    expect(evaluateRule({ trait: 'beta', eq: true }, user({ traits: text }))).toBe(true)
    expect(evaluateRule({ trait: 'trial', eq: true }, user({ traits: text }))).toBe(false)
    expect(evaluateRule({ trait: 'trial', neq: true }, user({ traits: text }))).toBe(true)
    expect(evaluateRule({ trait: 'size', gte: 1 }, user({ traits: text }))).toBe(false)
    expect(evaluateRule({ trait: 'seats', gte: 1 }, user({ traits: { seats: '' } }))).toBe(false)
  })

  it('a list trait (roles) is "admin" when one of its values is, and "not admin" only when none is', () => {
    const roles = { roles: ['admin', 'billing'] }
    expect(evaluateRule({ trait: 'roles', eq: 'admin' }, user({ traits: roles }))).toBe(true)
    expect(evaluateRule({ trait: 'roles', in: ['owner', 'billing'] }, user({ traits: roles }))).toBe(true)
    expect(evaluateRule({ trait: 'roles', neq: 'admin' }, user({ traits: roles }))).toBe(false)
    expect(evaluateRule({ trait: 'roles', neq: 'owner' }, user({ traits: roles }))).toBe(true)
    expect(evaluateRule({ trait: 'roles', in: ['owner'] }, user({ traits: roles }))).toBe(false)
    expect(explainRule({ trait: 'roles', neq: 'admin' }, user({ traits: roles })).failed).toEqual(['trait roles neq "admin" (was ["admin","billing"])'])
  })

  it('a trait named like an object internal is just missing', () => {
    expect(evaluateRule({ trait: 'constructor', exists: true }, user({ traits }))).toBe(false)
  })
})

describe('usage, time and page rules', () => {
  it('counts events within the last N local days', () => {
    const profile = usage([
      ['Report Exported', '2026-03-01T09:00:00'],
      ['Report Exported', '2026-03-15T09:00:00'],
      ['Report Exported', '2026-03-20T08:00:00'],
    ])
    expect(evaluateRule({ event: 'Report Exported', count: { gte: 2 }, withinDays: 7 }, user({ profile }))).toBe(true)
    expect(explainRule({ event: 'Report Exported', count: { gte: 2 }, withinDays: 3 }, user({ profile })).failed).toEqual([
      'event "Report Exported" within 3 days count gte 2 (was 1)',
    ])
    expect(evaluateRule({ event: 'Report Exported', count: { eq: 3 } }, user({ profile }))).toBe(true)
    expect(evaluateRule({ event: 'Report Exported', count: { lte: 2 } }, user({ profile }))).toBe(false)
  })

  it('without a local day, windows use the UTC day of now', () => {
    const profile = usage([['Report Exported', '2026-03-19T23:00:00']]) // 14:00 UTC on the 19th
    const { today: _, ...utc } = user({ profile, now: Date.parse('2026-03-20T10:00:00Z') })
    expect(evaluateRule({ event: 'Report Exported', withinDays: 1 }, utc)).toBe(false)
    expect(evaluateRule({ event: 'Report Exported', withinDays: 2 }, utc)).toBe(true)
  })

  it('daysSince reads a date trait, and a missing or unreadable date never matches', () => {
    const traits = { createdAt: '2026-03-06', trialEndsAt: 'soon', paidAt: tokyo('2026-03-19T10:00:00') }
    expect(evaluateRule({ daysSince: 'createdAt', gte: 14 }, user({ traits }))).toBe(true)
    expect(evaluateRule({ daysSince: 'createdAt', lte: 13 }, user({ traits }))).toBe(false)
    expect(evaluateRule({ daysSince: 'paidAt', gte: 1, lte: 1 }, user({ traits }))).toBe(true)
    expect(explainRule({ daysSince: 'trialEndsAt', gte: 0 }, user({ traits })).failed).toEqual(['daysSince trialEndsAt (no date)'])
    expect(explainRule({ daysSince: 'firstSeen', lte: 30 }, user()).failed).toEqual(['daysSince firstSeen (no date)'])
    expect(evaluateRule({ daysSince: 'lastSeen', lte: 30 }, user())).toBe(false)
  })

  it('a date alone (createdAt "2026-03-20") counts the user’s calendar days: signed up today is day 0 in Tokyo at 8 am and in Los Angeles at 8 pm', () => {
    // 8 am in Tokyo is still the 19th in UTC; 8 pm in Los Angeles is already the 20th.
    const early = tokyo('2026-03-20T08:00:00')
    const signedUpToday = { createdAt: '2026-03-20', renewsAt: '2026-03-23' }
    expect(evaluateRule({ daysSince: 'createdAt', gte: 0, lte: 0 }, user({ traits: signedUpToday, now: early, today: dayKey(early) }))).toBe(true)
    expect(evaluateRule({ daysUntil: 'renewsAt', gte: 3, lte: 3 }, user({ traits: signedUpToday, now: early, today: dayKey(early) }))).toBe(true)
    const la = dayKeyIn('America/Los_Angeles')
    const evening = Date.parse('2026-03-19T20:00:00-07:00')
    const laUser = { createdAt: '2026-03-19', renewsAt: '2026-03-23' }
    // "Past their first day" is not the evening of the day they signed up.
    expect(explainRule({ daysSince: 'createdAt', gte: 1 }, user({ traits: laUser, now: evening, today: la(evening) })).failed).toEqual(['daysSince createdAt gte 1 (was 0)'])
    expect(explainRule({ daysUntil: 'renewsAt', lte: 3 }, user({ traits: laUser, now: evening, today: la(evening) })).failed).toEqual(['daysUntil renewsAt lte 3 (was 4)'])
    // A date with a time counts the day it falls on where the user is: 7 pm yesterday in Tokyo is
    // a day ago at 8 am, 13 hours on.
    expect(evaluateRule({ daysSince: 'createdAt', gte: 1, lte: 1 }, user({ traits: { createdAt: '2026-03-19T10:00:00Z' }, now: early, today: dayKey(early) }))).toBe(true)
  })

  it('daysSince lastSeen finds users who have been away: it counts from the visit before this one', () => {
    // Here on 1 March, back on the 20th: the event that brought them back is in the profile by
    // the time a rule asks (it used to read that event, and found 0 days).
    const back = usage([
      ['Dashboard Viewed', '2026-03-01T09:00:00'],
      ['Dashboard Viewed', '2026-03-20T09:55:00'],
    ])
    expect(evaluateRule({ daysSince: 'lastSeen', gte: 7 }, user({ profile: back }))).toBe(true)
    expect(explainRule({ daysSince: 'lastSeen', gte: 30 }, user({ profile: back })).failed).toEqual(['daysSince lastSeen gte 30 (was 19)'])
    // Twenty minutes in, still the same visit: still away 19 days before it.
    const later = usage([
      ['Dashboard Viewed', '2026-03-01T09:00:00'],
      ['Dashboard Viewed', '2026-03-20T09:35:00'],
      ['Report Exported', '2026-03-20T09:55:00'],
    ])
    expect(evaluateRule({ daysSince: 'lastSeen', gte: 7 }, user({ profile: later }))).toBe(true)
    // Here every day: never "away".
    const daily = usage([
      ['Dashboard Viewed', '2026-03-19T09:00:00'],
      ['Dashboard Viewed', '2026-03-20T09:55:00'],
    ])
    expect(evaluateRule({ daysSince: 'lastSeen', gte: 7 }, user({ profile: daily }))).toBe(false)
    // Before this visit tracked anything (its landing page view, a URL trigger as it starts), the
    // last visit is the last one seen: here yesterday, not "away".
    const yesterday = usage([
      ['Dashboard Viewed', '2026-02-17T09:00:00'],
      ['Dashboard Viewed', '2026-03-19T09:00:00'],
    ])
    expect(evaluateRule({ daysSince: 'lastSeen', gte: 7 }, user({ profile: yesterday }))).toBe(false)
    expect(evaluateRule({ daysSince: 'lastSeen', gte: 1 }, user({ profile: usage([['Dashboard Viewed', '2026-03-01T09:00:00']]) }))).toBe(true)
    // A first visit has no visit before it: not "back".
    expect(explainRule({ daysSince: 'lastSeen', lte: 3 }, user({ profile: usage([['Signed Up', '2026-03-20T09:55:00']]) })).failed).toEqual(['daysSince lastSeen (no date)'])
  })

  it('url globs match the full URL, the path or the hash', () => {
    const ctx = user({ url: 'https://app.acme.test/projects/42/board?tab=open#/settings/team' })
    expect(evaluateRule({ url: 'https://app.acme.test/*' }, ctx)).toBe(true)
    expect(evaluateRule({ url: '/projects/*' }, ctx)).toBe(true)
    expect(evaluateRule({ url: '/projects/*/board?tab=open' }, ctx)).toBe(true)
    expect(evaluateRule({ url: '#/settings/*' }, ctx)).toBe(true)
    expect(evaluateRule({ url: '/billing*' }, ctx)).toBe(false)
  })

  it('a path+hash glob matches the same page opened from a link with a query string', () => {
    expect(evaluateRule({ url: '/app#/settings*' }, user({ url: 'https://app.acme.test/app#/settings/team' }))).toBe(true)
    expect(evaluateRule({ url: '/app#/settings*' }, user({ url: 'https://app.acme.test/app?utm_source=mail#/settings/team' }))).toBe(true)
    expect(evaluateRule({ url: '/app#/settings*' }, user({ url: 'https://app.acme.test/other?x=/app#/settings' }))).toBe(false)
  })

  it('after a navigation, url rules see the new page, not the one checked before', () => {
    const rule = { url: '/billing*' }
    expect(evaluateRule(rule, user({ url: 'https://app.acme.test/projects/42' }))).toBe(false)
    expect(evaluateRule(rule, user({ url: 'https://app.acme.test/billing/invoices' }))).toBe(true)
    expect(evaluateRule({ url: '#/settings*' }, user({ url: 'https://app.acme.test/billing/invoices' }))).toBe(false)
    expect(evaluateRule({ url: '#/settings*' }, user({ url: 'https://app.acme.test/billing#/settings' }))).toBe(true)
    expect(evaluateRule(rule, user({ url: 'https://app.acme.test/projects/42' }))).toBe(false)
  })

  it('a page whose link carries a 2 MB encoded fragment: its url rules answer as on a short link, and why() quotes the start of the address, not all of it', () => {
    const url = 'https://app.acme.test/editor%20beta#' + 'a%20b/'.repeat(350_000)
    expect(evaluateRule({ url: '/editor beta*' }, user({ url }))).toBe(true)
    expect(evaluateRule({ url: '/editor beta*' }, user({ url: 'https://app.acme.test/editor' }))).toBe(false)
    expect(evaluateRule({ url: '/editor beta#a b/*' }, user({ url }))).toBe(true)
    const [said] = explainRule({ url: '/billing*' }, user({ url })).failed
    expect(said).toMatch(/^url "\/billing\*" \(was "https:\/\/app\.acme\.test\/editor%20beta#a%20b\/.*…"\)$/)
    expect(said!.length).toBeLessThan(400)
  })

  it('activeDays without a window counts the active days of the last 90 days', () => {
    const profile = usage([
      ['Dashboard Viewed', '2026-02-01T09:00:00'],
      ['Dashboard Viewed', '2026-03-19T09:00:00'],
    ])
    expect(evaluateRule({ activeDays: { gte: 2 } }, user({ profile }))).toBe(true)
    expect(evaluateRule({ activeDays: { lte: 1 }, withinDays: 7 }, user({ profile }))).toBe(true)
  })

  it('a user active for a month who comes back after 100 days away is not a regular by `activeDays` (the last 90 days)', () => {
    let profile = emptyProfile()
    for (let d = 130; d > 100; d--) profile = recordEvent(profile, { name: 'Page Opened', time: NOW - d * 86_400_000 }, dayKey)
    // Back today, before any event (a page view).
    expect(evaluateRule({ activeDays: { gte: 20 } }, user({ profile }))).toBe(false)
    expect(explainRule({ activeDays: { gte: 20 } }, user({ profile })).failed).toEqual(['activeDays gte 20 (was 0)'])
  })
})

describe('facts from other experiences', () => {
  const facts: AudienceFacts = {
    checklistStatus: (id) => (id === 'getting-started' ? 'dismissed' : 'not-started'),
    hasBadge: (id) => id === 'onboarded',
    surveyAnswered: (id) => id === 'nps-quarterly',
    points: () => 70,
  }

  it('reads checklist status, badges, survey answers and points', () => {
    expect(evaluateRule({ checklist: 'getting-started', status: 'dismissed' }, user({ facts }))).toBe(true)
    expect(evaluateRule({ badge: 'onboarded' }, user({ facts }))).toBe(true)
    expect(explainRule({ badge: 'reporter' }, user({ facts })).failed).toEqual(['badge reporter (not earned)'])
    expect(evaluateRule({ survey: 'nps-quarterly', answered: true }, user({ facts }))).toBe(true)
    expect(explainRule({ survey: 'csat-export', answered: true }, user({ facts })).failed).toEqual(['survey csat-export answered true (was false)'])
    expect(evaluateRule({ survey: 'csat-export', answered: false }, user({ facts }))).toBe(true)
    expect(evaluateRule({ points: 60 }, user({ facts }))).toBe(true)
    expect(explainRule({ points: 100 }, user({ facts })).failed).toEqual(['points gte 100 (was 70)'])
  })

  it('a fact that throws makes the rule fail with a reason, not the page', () => {
    const broken: AudienceFacts = { ...facts, hasBadge: () => { throw new Error('boom') } }
    expect(explainRule({ badge: 'x' }, user({ facts: broken }))).toEqual({ ok: false, failed: ['rule failed: Error: boom'] })
  })
})

describe('combining rules', () => {
  const profile = usage([['Project Created', '2026-03-19T09:00:00']])
  const pro = { plan: 'pro' }

  it('any passes on one match and lists every miss when none match', () => {
    const rule: Rule = { any: [{ trait: 'plan', eq: 'enterprise' }, { event: 'Project Created' }] }
    expect(evaluateRule(rule, user({ profile }))).toBe(true)
    expect(explainRule(rule, user()).failed).toEqual(['trait plan eq "enterprise" (was missing)', 'event "Project Created" count gte 1 (was 0)'])
    expect(evaluateRule({ any: [] }, user())).toBe(false)
  })

  it('all lists only the conditions that failed', () => {
    const rule: Rule = { all: [{ trait: 'plan', eq: 'pro' }, { event: 'Project Created', count: { gte: 2 } }] }
    expect(explainRule(rule, user({ profile, traits: pro })).failed).toEqual(['event "Project Created" count gte 2 (was 1)'])
    expect(evaluateRule({ all: [] }, user())).toBe(true)
  })

  it('not of a group names the whole group', () => {
    const rule: Rule = { not: { all: [{ trait: 'plan', eq: 'pro' }, { event: 'Project Created' }] } }
    expect(explainRule(rule, user({ profile, traits: pro })).failed).toEqual([
      'not (trait plan eq "pro" (was "pro") and event "Project Created" count gte 1 (was 1))',
    ])
    expect(evaluateRule(rule, user({ profile }))).toBe(true)
  })

  it('an unknown rule shape never matches, and says so', () => {
    expect(explainRule({ mood: 'happy' } as unknown as Rule, user())).toEqual({ ok: false, failed: ['unknown rule'] })
    expect(explainRule(null as unknown as Rule, user())).toEqual({ ok: false, failed: ['unknown rule'] })
    expect(evaluateRule({ all: [{ event: 'Project Created' }, 42 as unknown as Rule] }, user({ profile }))).toBe(false)
  })
})

describe('sample rules', () => {
  it('a user in the 5% holdout stays in it on every visit, for that experience only', () => {
    const users = Array.from({ length: 400 }, (_, i) => `u_${i}`)
    const held = users.filter((userKey) => evaluateRule({ sample: 0.05 }, user({ userKey, experienceId: 'save-offer' })))
    expect(held.length).toBeGreaterThan(5)
    expect(held.length).toBeLessThan(40)
    for (const userKey of held) {
      expect(evaluateRule({ sample: 0.05 }, user({ userKey, experienceId: 'save-offer', now: NOW + 30 * 86_400_000 }))).toBe(true)
      expect(inSample(userKey, 'save-offer', 0.05)).toBe(true)
    }
  })
})

describe('the quick check and the explained one agree', () => {
  const rules: Rule[] = [
    ...flows.checklists.map((c: any) => c.audience),
    ...flows.tours.map((t: any) => t.audience),
    ...flows.surveys.flatMap((s: any) => (s.audience ? [s.audience] : [])),
    ...flows.badges.map((b: any) => b.rule),
    { any: [{ trait: 'plan', eq: 'pro' }, { not: { url: '#/billing*' } }] },
    { all: [{ trait: 'seats', gte: 5 }, { event: 'Task Created', count: { gte: 3 }, withinDays: 7 }] },
  ]
  const people = [
    user(),
    user({ traits: { plan: 'pro', seats: 9 }, url: 'https://app.acme.test/app#/billing', profile: usage([['Task Created', '2026-03-19T09:00:00'], ['Task Created', '2026-03-19T10:00:00'], ['Task Created', '2026-03-20T09:00:00']]) }),
  ]

  it('evaluateRule gives the same yes/no as explainRule, which still says why afterwards', () => {
    for (const rule of rules) {
      for (const person of people) {
        const quick = evaluateRule(rule, person)
        const explained = explainRule(rule, person)
        expect(quick).toBe(explained.ok)
        if (!explained.ok) expect(explained.failed.length).toBeGreaterThan(0)
      }
    }
  })
})

describe('the quick yes/no and the explained verdict', () => {
  it('always agree, whichever part of a rule decides', () => {
    const rules: Rule[] = [
      ...flows.surveys.map((x: { audience?: Rule }) => x.audience).filter(Boolean),
      ...flows.checklists.flatMap((c: { audience?: Rule; tasks: Array<{ doneWhen: Rule }> }) => [c.audience, ...c.tasks.map((t) => t.doneWhen)]).filter(Boolean),
      { any: [] },
      { all: [] },
      { any: [{ trait: 'plan', eq: 'pro' }, { event: 'Page Viewed', count: { gte: 2, lte: 3 } }] },
      { all: [{ not: { url: '*/admin/*' } }, { daysSince: 'firstSeen', gte: 3, lte: 40 }, { activeDays: { gte: 2 }, withinDays: 7 }] },
    ]
    const users = [
      user(),
      user({ traits: { plan: 'pro' }, profile: usage([['Page Viewed', '2026-03-18T09:00:00'], ['Page Viewed', '2026-03-19T09:00:00', 'export']]) }),
      user({ url: 'https://app.acme.test/admin/users', profile: usage([['Page Viewed', '2026-02-10T09:00:00'], ['Project Created', '2026-03-19T09:00:00']]) }),
    ]
    for (const rule of rules) for (const ctx of users) expect(evaluateRule(rule, ctx), JSON.stringify(rule)).toBe(explainRule(rule, ctx).ok)
  })
})

describe('the quick check builds no words, and still agrees on every kind of rule', () => {
  it('2,000 random rules of every kind, operator and nesting, over varied users', () => {
    const random = seededRandom(7)
    const pick = <T,>(xs: T[]): T => xs[Math.floor(random() * xs.length)]
    const comparison = () => Object.fromEntries([['gte', 'gt', 'lte', 'lt', 'eq', 'median'], []].flatMap(() => (random() < 0.5 ? [[pick(['gte', 'gt', 'lte', 'lt', 'eq', 'median']), Math.floor(random() * 5)]] : [])))
    const leaf = (): Rule =>
      pick<() => any>([
        () => ({ trait: pick(['plan', 'seats', 'renews', 'tags', 'none']), ...(random() < 0.2 ? {} : { [pick(['eq', 'neq', 'in', 'exists', 'contains', 'gte', 'lt', 'like'])]: pick(['pro', 3, ['pro', 'team'], true, false, '2026-04-01']) }) }),
        () => ({ event: pick(['Page Viewed', 'Task Created', 'Nope']), ...(random() < 0.7 ? { count: comparison() } : {}), ...(random() < 0.4 ? { withinDays: pick([1, 7, 30]) } : {}) }),
        () => ({ [pick(['daysSince', 'daysUntil'])]: pick(['firstSeen', 'lastSeen', 'renews', 'none']), ...comparison() }),
        () => ({ feature: pick(['export', 'import']), ...(random() < 0.5 ? { count: comparison() } : {}), ...(random() < 0.5 ? { withinDays: pick([1, 30]) } : {}) }),
        () => ({ url: pick(['*/admin/*', '#/billing*', '/app']) }),
        () => ({ activeDays: comparison(), ...(random() < 0.5 ? { withinDays: 7 } : {}) }),
        () => ({ checklist: 'setup', status: pick(['completed', 'started', 'not-started']) }),
        () => ({ badge: pick(['first-task', 'none']) }),
        () => ({ survey: 'nps', answered: random() < 0.5, ...(random() < 0.5 ? { category: pick(['promoter', 'detractor']) } : {}) }),
        () => ({ sample: pick([0, 0.5, 1]) }),
        () => ({ streakDays: pick([0, 1, 2]) }),
        () => ({ distinctFeatures: pick([0, 1, 2]) }),
        () => ({ points: pick([0, 10, 50]) }),
        () => ({ unknown: true }),
      ])()
    const rule = (depth: number): Rule => {
      const r = random()
      if (depth > 2 || r < 0.5) return leaf()
      if (r < 0.7) return { all: Array.from({ length: Math.floor(random() * 3) }, () => rule(depth + 1)) }
      if (r < 0.9) return { any: Array.from({ length: Math.floor(random() * 3) }, () => rule(depth + 1)) }
      return { not: rule(depth + 1) }
    }
    const facts: AudienceFacts = { checklistStatus: () => 'started', hasBadge: (id) => id === 'first-task', surveyAnswered: () => true, surveyCategory: () => 'promoter', points: () => 10 }
    const users = [
      user(),
      user({ facts, traits: { plan: 'pro', seats: 3, renews: '2026-04-01', tags: ['pro'] }, url: 'https://app.acme.test/app#/billing', profile: usage([['Page Viewed', '2026-03-19T09:00:00', 'export'], ['Task Created', '2026-03-20T09:00:00']]) }),
      user({ traits: { plan: 'team', seats: '3' }, url: 'https://app.acme.test/admin/users', profile: usage([['Page Viewed', '2026-02-10T09:00:00'], ['Page Viewed', '2026-03-18T09:00:00', 'import']]) }),
    ]
    let yes = 0
    for (let i = 0; i < 2000; i++) {
      const r = rule(0)
      for (const ctx of users) {
        const explained = explainRule(r, ctx)
        expect(evaluateRule(r, ctx), JSON.stringify(r)).toBe(explained.ok)
        if (!explained.ok) expect(explained.failed.length, JSON.stringify(r)).toBeGreaterThan(0)
        yes += Number(explained.ok)
      }
    }
    // Both answers are common, so agreeing is not agreeing on "no".
    expect(yes).toBeGreaterThan(1000)
    expect(yes).toBeLessThan(5000)
  })
})

describe('billing dates, features used and survey categories', () => {
  const renewsIn = (hours: number) => ({ renewsAt: new Date(NOW + hours * 3_600_000).toISOString() })

  it('daysUntil counts the user’s calendar days left to a date trait, negative once it passed', () => {
    const rule: Rule = { daysUntil: 'renewsAt', lte: 7 }
    // 10 am in Tokyo: 23:00 on the 7th day on is still 7 days away, midnight after it 8.
    expect(evaluateRule(rule, user({ traits: renewsIn(7 * 24 + 13) }))).toBe(true)
    expect(explainRule(rule, user({ traits: renewsIn(7 * 24 + 14) })).failed).toEqual(['daysUntil renewsAt lte 7 (was 8)'])
    expect(evaluateRule({ daysUntil: 'renewsAt', gte: 0 }, user({ traits: renewsIn(-30) }))).toBe(false)
    expect(explainRule(rule, user()).failed).toEqual(['daysUntil renewsAt (no date)'])
  })

  it('a renewal date sent as Unix seconds (Stripe’s current_period_end) is a month away, not long past', () => {
    const inAMonth = Math.floor((NOW + 30 * 86_400_000) / 1000)
    expect(evaluateRule({ daysUntil: 'renewsAt', lte: 7 }, user({ traits: { renewsAt: inAMonth } }))).toBe(false)
    expect(explainRule({ daysUntil: 'renewsAt', lte: 7 }, user({ traits: { renewsAt: inAMonth } })).failed).toEqual(['daysUntil renewsAt lte 7 (was 30)'])
    // The same date in ms reads the same.
    expect(evaluateRule({ daysSince: 'createdAt', lte: -29 }, user({ traits: { createdAt: NOW + 30 * 86_400_000 } }))).toBe(true)
  })

  it('daysUntil turns with the user’s day, which a cached verdict reads, not at a time of its own', () => {
    const horizon = { at: Infinity }
    const rule: Rule = { daysUntil: 'renewsAt', lte: 2 }
    evaluateRule(rule, user({ traits: renewsIn(40), horizon }))
    // 40 hours from 10 am is 2 am the day after tomorrow: 2 days until the user's midnight.
    expect(explainRule({ daysUntil: 'renewsAt', lte: 1 }, user({ traits: renewsIn(40) })).failed).toEqual(['daysUntil renewsAt lte 1 (was 2)'])
    expect(horizon.at).toBe(Infinity)
    expect(readsOf(rule).today).toBe(true)
  })

  it('feature reads Feature Used events by their feature property, all-time or last used within N days', () => {
    const profile = usage([
      ['Feature Used', '2026-03-01T09:00:00', 'bulk-export'],
      ['Feature Used', '2026-03-02T09:00:00', 'bulk-export'],
      ['Feature Used', '2026-03-19T09:00:00', 'invoice-templates'],
    ])
    expect(evaluateRule({ feature: 'bulk-export' }, user({ profile }))).toBe(true)
    expect(explainRule({ feature: 'bulk-export', count: { gte: 3 } }, user({ profile })).failed).toEqual(['feature "bulk-export" count gte 3 (was 2)'])
    expect(explainRule({ feature: 'bulk-export', withinDays: 7 }, user({ profile })).failed).toEqual(['feature "bulk-export" not used within 7 days'])
    expect(evaluateRule({ feature: 'invoice-templates', withinDays: 7 }, user({ profile }))).toBe(true)
    expect(evaluateRule({ not: { feature: 'reports' } }, user({ profile }))).toBe(true)
  })

  it('survey category reaches exactly the users whose last answer fell in it', () => {
    const facts: AudienceFacts = { ...noFacts, surveyAnswered: (id) => id === 'nps', surveyCategory: (id) => (id === 'nps' ? 'detractor' : undefined) }
    expect(evaluateRule({ survey: 'nps', answered: true, category: 'detractor' }, user({ facts }))).toBe(true)
    expect(explainRule({ survey: 'nps', answered: true, category: 'promoter' }, user({ facts })).failed).toEqual(['survey nps category promoter (was "detractor")'])
    expect(evaluateRule({ survey: 'csat', answered: true, category: 'satisfied' }, user({ facts }))).toBe(false)
  })
})

describe('days to and from a date-time trait, as the user counts them (calendar days in their zone)', () => {
  // Monday 10:00 in Tokyo; the user's day keys come from their zone (the evaluator passes usage's dayKey).
  const monday = tokyo('2026-03-23T10:00:00')
  const inTokyo = (traits: Record<string, unknown>, now = monday) => user({ traits, now, today: dayKey(now), dayKey })

  it('"renews in 3 days or less" holds on Monday 10:00 for a plan renewing Thursday 23:00, as the renewal reminder counts it', () => {
    const zone = process.env.TZ
    process.env.TZ = 'Asia/Tokyo'
    try {
      const thursdayNight = { renewsAt: '2026-03-26T23:00:00+09:00' }
      // The renewal reminder (billing/stages.ts) says 3 days: the rule must not say 4.
      expect(daysUntil(thursdayNight, monday)).toBe(3)
      expect(evaluateRule({ daysUntil: 'renewsAt', lte: 3 }, inTokyo(thursdayNight))).toBe(true)
      expect(explainRule({ daysUntil: 'renewsAt', gte: 4 }, inTokyo(thursdayNight)).failed).toEqual(['daysUntil renewsAt gte 4 (was 3)'])
      // Sent as Unix seconds (Stripe's current_period_end): the same day count.
      const stripe = { renewsAt: Math.floor(Date.parse('2026-03-26T23:00:00+09:00') / 1000) }
      expect(daysUntil(stripe, monday)).toBe(3)
      expect(evaluateRule({ daysUntil: 'renewsAt', gte: 3, lte: 3 }, inTokyo(stripe))).toBe(true)
      // Renewing tonight is 0 days away (the renewal day), not 1.
      expect(explainRule({ daysUntil: 'renewsAt', gte: 1 }, inTokyo({ renewsAt: '2026-03-23T23:30:00+09:00' })).failed).toEqual(['daysUntil renewsAt gte 1 (was 0)'])
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })

  it('a user who signed up Sunday 23:00 is 1 day in on Monday morning, as one whose createdAt is the date alone', () => {
    const traits = { createdAt: '2026-03-22T23:00:00+09:00', signedUpOn: '2026-03-22' }
    expect(evaluateRule({ daysSince: 'signedUpOn', gte: 1, lte: 1 }, inTokyo(traits))).toBe(true)
    expect(evaluateRule({ daysSince: 'createdAt', gte: 1, lte: 1 }, inTokyo(traits))).toBe(true)
    expect(explainRule({ daysSince: 'createdAt', lte: 0 }, inTokyo(traits)).failed).toEqual(['daysSince createdAt lte 0 (was 1)'])
    // A trial ending tomorrow at 01:00, seen at 23:00 today: 1 day to go, so -1 day since.
    const late = tokyo('2026-03-23T23:00:00')
    expect(explainRule({ daysSince: 'trialEndsAt', gte: 0 }, inTokyo({ trialEndsAt: '2026-03-24T01:00:00+09:00' }, late)).failed).toEqual(['daysSince trialEndsAt gte 0 (was -1)'])
  })
})
