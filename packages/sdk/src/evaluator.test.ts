import { describe, expect, it } from 'vitest'
import type { AudienceFacts } from './audience'
import { createEvaluator, type EvaluatorInput } from './evaluator'
import type { Rule } from './rule'
import { dayKeyIn, emptyProfile, mergeProfiles, recordEvent, type UsageProfile } from './usage'

const DAY = 86_400_000
const dayKey = dayKeyIn('UTC')
const START = Date.parse('2026-03-02T10:00:00Z')

/** A user whose profile, traits, page, clock and experience state the test moves by hand. */
function world() {
  const w = {
    now: START,
    profile: emptyProfile() as UsageProfile,
    who: { userKey: 'u_42', traits: { plan: 'free' } as Record<string, unknown> },
    url: 'https://app.test/projects',
    version: 0,
    status: 'not-started' as ReturnType<AudienceFacts['checklistStatus']>,
    judged: 0,
    track(name: string) {
      w.profile = recordEvent(w.profile, { name, time: w.now }, dayKey)
    },
  }
  const input: EvaluatorInput = {
    now: () => w.now,
    profile: () => w.profile,
    who: () => w.who,
    dayKey,
    url: () => w.url,
    stateVersion: () => w.version,
    facts: {
      checklistStatus: () => (w.judged++, w.status),
      hasBadge: () => false,
      surveyAnswered: () => false,
      points: () => 0,
    },
  }
  return { w, evaluate: createEvaluator(input) }
}

describe('incremental audience checks', () => {
  it('a verdict follows the events its rule reads, and an unrelated event changes nothing', () => {
    const { w, evaluate } = world()
    const rule: Rule = { all: [{ event: 'Project Created', count: { gte: 2 } }, { checklist: 'setup', status: 'not-started' }] }
    expect(evaluate(rule, 'tour').ok).toBe(false)
    w.track('Project Created')
    expect(evaluate(rule, 'tour').ok).toBe(false)
    const judged = w.judged
    w.track('Search Used')
    expect(evaluate(rule, 'tour').ok).toBe(false)
    // Nothing the rule reads moved: it was not judged again.
    expect(w.judged).toBe(judged)
    w.track('Project Created')
    expect(evaluate(rule, 'tour').ok).toBe(true)
    expect(w.judged).toBe(judged + 1)
  })

  it('a trigger made anew on each event ({ event, count }, as surveys and tours make it) says yes once its count is reached, for each experience and each count on its own', () => {
    const { w, evaluate } = world()
    const three = { gte: 3 }
    const trigger = (count?: object): Rule => ({ event: 'Report Exported', count }) as Rule
    w.track('Report Exported')
    expect(evaluate(trigger(three), 'survey-a').ok).toBe(false)
    // The same words with no count: at least once.
    expect(evaluate(trigger(), 'survey-a').ok).toBe(true)
    expect(evaluate({ event: 'Report Exported', count: { gte: 2 } } as Rule, 'survey-a').ok).toBe(false)
    w.track('Report Exported')
    expect(evaluate({ event: 'Report Exported', count: { gte: 2 } } as Rule, 'survey-a').ok).toBe(true)
    expect(evaluate(trigger(three), 'survey-a').ok).toBe(false)
    w.track('Report Exported')
    expect(evaluate(trigger(three), 'survey-a').ok).toBe(true)
    expect(evaluate(trigger(three), 'tour-b').ok).toBe(true)
    // Another event of the same count is its own rule.
    expect(evaluate({ event: 'Search Used', count: three } as Rule, 'survey-a').ok).toBe(false)
    // A rule with more than an event and a count is its own rule too.
    expect(evaluate({ event: 'Report Exported', count: three, withinDays: 1 } as Rule, 'survey-a').ok).toBe(true)
    w.now += 3 * DAY
    expect(evaluate({ event: 'Report Exported', count: three, withinDays: 1 } as Rule, 'survey-a').ok).toBe(false)
    expect(evaluate(trigger(three), 'survey-a').ok).toBe(true)
    // Its words, asked for a "no", are the rule's.
    expect(evaluate(trigger({ gte: 5 }), 'survey-a').failed).toEqual(evaluate({ event: 'Report Exported', count: { gte: 5 } } as Rule, 'tour-c').failed)
  })

  it('an audience that fails on a part that did not move is not judged again, whatever else moved', () => {
    const { w, evaluate } = world()
    // The checklist part comes first and moves with every state change; the plan part fails.
    const rule: Rule = { all: [{ checklist: 'setup', status: 'not-started' }, { trait: 'plan', eq: 'enterprise' }] }
    expect(evaluate(rule, 'tour').ok).toBe(false)
    const judged = w.judged
    w.version++
    w.status = 'completed'
    expect(evaluate(rule, 'tour').ok).toBe(false)
    expect(w.judged).toBe(judged)
    // Its words are still those of what holds now: both parts fail.
    expect(evaluate(rule, 'tour').failed).toHaveLength(2)
    // The failing part moves: judged again, and it holds once both parts do.
    w.who = { ...w.who, traits: { plan: 'enterprise' } }
    expect(evaluate(rule, 'tour').ok).toBe(false)
    w.status = 'not-started'
    w.version++
    expect(evaluate(rule, 'tour').ok).toBe(true)
  })

  it('a feature last used before its window is not judged again as time passes, only when used again', () => {
    const { w, evaluate } = world()
    w.profile = recordEvent(w.profile, { name: 'Feature Used', time: START - 10 * DAY, feature: 'export' }, dayKey)
    const rule: Rule = { all: [{ checklist: 'setup', status: 'not-started' }, { feature: 'export', withinDays: 7 }] }
    expect(evaluate(rule, 'tour').ok).toBe(false)
    const judged = w.judged
    w.now += DAY
    expect(evaluate(rule, 'tour').ok).toBe(false)
    expect(w.judged).toBe(judged)
    w.profile = recordEvent(w.profile, { name: 'Feature Used', time: w.now, feature: 'export' }, dayKey)
    expect(evaluate(rule, 'tour').ok).toBe(true)
    // Recent now: the verdict turns by itself once the week is over.
    w.now += 7 * DAY + 1
    expect(evaluate(rule, 'tour').ok).toBe(false)
  })

  it('an `all` with holes (a rule built in code) is a "no", never an exception', () => {
    const { evaluate } = world()
    const rule = { all: new Array(2) } as Rule
    expect(() => evaluate(rule, 'tour')).not.toThrow()
    expect(evaluate(rule, 'tour').ok).toBe(false)
  })

  it('traits, the page and other experiences’ state turn a verdict when they change', () => {
    const { w, evaluate } = world()
    const rule: Rule = { all: [{ trait: 'plan', eq: 'pro' }, { url: '/billing*' }, { checklist: 'setup', status: 'completed' }] }
    expect(evaluate(rule, 'survey').ok).toBe(false)
    w.who = { ...w.who, traits: { plan: 'pro' } }
    w.url = 'https://app.test/billing'
    expect(evaluate(rule, 'survey').ok).toBe(false)
    w.status = 'completed'
    // Same state version: the evaluator is told of state changes by the version, not by polling.
    w.version++
    expect(evaluate(rule, 'survey').ok).toBe(true)
    w.url = 'https://app.test/projects'
    expect(evaluate(rule, 'survey').ok).toBe(false)
  })

  it('a daysSince rule turns true when the day comes, with no event in between', () => {
    const { w, evaluate } = world()
    w.track('Signed Up')
    const rule: Rule = { daysSince: 'firstSeen', gte: 7 }
    expect(evaluate(rule, 'nps').ok).toBe(false)
    w.now = START + 7 * DAY - 1
    expect(evaluate(rule, 'nps').ok).toBe(false)
    w.now = START + 7 * DAY
    expect(evaluate(rule, 'nps').ok).toBe(true)
    // A clock set back is not trusted with a verdict from the future.
    w.now = START + DAY
    expect(evaluate(rule, 'nps').ok).toBe(false)
  })

  it('a "past their first day" rule on a date alone (createdAt) turns at the user’s own midnight, with no event in between', () => {
    const { w } = world()
    let now = Date.parse('2026-03-20T23:59:00+09:00')
    const who = { userKey: 'u_9', traits: { createdAt: '2026-03-20' } }
    const evaluate = createEvaluator({ now: () => now, profile: () => w.profile, who: () => who, dayKey: dayKeyIn('Asia/Tokyo'), url: () => w.url, stateVersion: () => 0, facts: { checklistStatus: () => 'not-started', hasBadge: () => false, surveyAnswered: () => false, points: () => 0 } })
    const rule: Rule = { daysSince: 'createdAt', gte: 1 }
    expect(evaluate(rule, 'tour').ok).toBe(false)
    // Midnight in Tokyo: 3 pm in UTC, still the 20th there.
    now = Date.parse('2026-03-21T00:00:00+09:00')
    expect(evaluate(rule, 'tour').ok).toBe(true)
  })

  it('"renews in 3 days or less" on a renewal date-time turns at the user’s own midnight, with no event in between', () => {
    const { w } = world()
    // Sunday 23:59 in Tokyo; the plan renews Thursday 23:00 there: 4 calendar days off until midnight.
    let now = Date.parse('2026-03-22T23:59:00+09:00')
    const who = { userKey: 'u_9', traits: { renewsAt: '2026-03-26T23:00:00+09:00' } }
    const evaluate = createEvaluator({ now: () => now, profile: () => w.profile, who: () => who, dayKey: dayKeyIn('Asia/Tokyo'), url: () => w.url, stateVersion: () => 0, facts: { checklistStatus: () => 'not-started', hasBadge: () => false, surveyAnswered: () => false, points: () => 0 } })
    const rule: Rule = { daysUntil: 'renewsAt', lte: 3 }
    expect(evaluate(rule, 'renewal-tip').failed).toEqual(['daysUntil renewsAt lte 3 (was 4)'])
    now = Date.parse('2026-03-23T00:00:00+09:00')
    expect(evaluate(rule, 'renewal-tip').ok).toBe(true)
  })

  it('a win-back rule (away 7+ days) holds as soon as signing in brings back a user away for 10 days', () => {
    const { w, evaluate } = world()
    const user = recordEvent(emptyProfile(), { name: 'Page Opened', time: START - 10 * DAY }, dayKey)
    // A minute as a visitor first: not away.
    w.now = START + 60_000
    w.track('Page Opened')
    const rule: Rule = { daysSince: 'lastSeen', gte: 7 }
    expect(evaluate(rule, 'winback').ok).toBe(false)
    // identify(): the user's last visit, 10 days ago, is the visit before this one; no event yet.
    w.profile = mergeProfiles(w.profile, user)
    w.who = { userKey: 'u_7', traits: {} }
    expect(evaluate(rule, 'winback').ok).toBe(true)
  })

  it('an activeDays rule with no window stops holding as the days pass with no event', () => {
    const { w, evaluate } = world()
    w.track('Page Opened')
    const rule: Rule = { activeDays: { gte: 1 } }
    expect(evaluate(rule, 'power').ok).toBe(true)
    // 90 days on, that day is outside the last 90.
    w.now += 90 * DAY
    expect(evaluate(rule, 'power').ok).toBe(false)
  })

  it('a withinDays window moves with the day', () => {
    const { w, evaluate } = world()
    w.track('Report Exported')
    const rule: Rule = { event: 'Report Exported', withinDays: 3 }
    expect(evaluate(rule, 'tip').ok).toBe(true)
    w.now = START + 3 * DAY
    expect(evaluate(rule, 'tip').ok).toBe(false)
  })

  it('says why not, with the values it saw', () => {
    const { w, evaluate } = world()
    w.track('Project Created')
    expect(evaluate({ event: 'Project Created', count: { gte: 3 } }, 'tour').failed).toEqual(['event "Project Created" count gte 3 (was 1)'])
    expect(evaluate({ trait: 'plan', eq: 'free' }, 'tour').failed).toEqual([])
  })

  it('says why not with the counts it judged, even when the profile it read is changed in place by later events', () => {
    const { w, evaluate } = world()
    // As the usage store hands it over (usage.ts `$live`): a new profile per event around the same events record.
    w.track = (name) => void (w.profile = recordEvent(w.profile, { name, time: w.now }, dayKey, true))
    w.track('Task Created')
    const rule: Rule = { all: [{ event: 'Task Created', count: { gte: 3 } }, { trait: 'plan', eq: 'free' }] }
    const no = evaluate(rule, 'tour')
    expect(no.ok).toBe(false)
    // The tour keeps its "no" and reads the words later; its trigger alone makes it check again.
    w.track('Task Created')
    w.track('Task Created')
    expect(no.failed).toEqual(['event "Task Created" count gte 3 (was 1)'])
    // An event named like what every object inherits is a count like any other.
    w.track('__proto__')
    const odd = evaluate({ event: '__proto__', count: { gte: 2 } }, 'tour')
    w.track('__proto__')
    expect(odd.failed).toEqual(['event "__proto__" count gte 2 (was 1)'])
  })

  it('says why not with the counts it judged after a check that kept the "no" for its failing part, even when later events changed the profile in place', () => {
    const { w, evaluate } = world()
    w.track = (name) => void (w.profile = recordEvent(w.profile, { name, time: w.now }, dayKey, true))
    w.track('Task Created')
    w.status = 'completed'
    const rule: Rule = { all: [{ event: 'Task Created', count: { gte: 3 } }, { checklist: 'setup', status: 'not-started' }] }
    expect(evaluate(rule, 'tour').ok).toBe(false)
    // Only the checklist moved: the count that failed is not judged again, and the "no" is kept.
    w.version++
    const no = evaluate(rule, 'tour')
    expect(no.ok).toBe(false)
    w.track('Task Created')
    w.track('Task Created')
    expect(no.failed).toEqual(['event "Task Created" count gte 3 (was 1)', 'checklist setup not-started (was completed)'])
  })

  it('sticky samples stay per experience and per user', () => {
    const { w, evaluate } = world()
    const rule: Rule = { sample: 0.5 }
    const verdicts = (user: string) => {
      w.who = { ...w.who, userKey: user }
      return Array.from({ length: 20 }, (_, i) => evaluate(rule, `exp-${i}`).ok)
    }
    const a = verdicts('u_1')
    const b = verdicts('u_2')
    expect(a).not.toEqual(b)
    expect(verdicts('u_1')).toEqual(a)
  })
})
