import { describe, expect, test } from 'vitest'
import example from '../../../../test/fixtures/flows.json'
import type { Rule } from '../rule'
import { validateFlows, type FlowsValidation } from './validate-flows'

type Doc = any

/** The reference example with one change applied, like a vendor editing their config. */
function exampleWith(change: (doc: Doc) => void): Doc {
  const doc = structuredClone(example) as Doc
  change(doc)
  return doc
}

/** What would run: the ids of every kept experience, per kind. */
function running({ flows }: FlowsValidation) {
  return {
    checklists: flows.checklists.map((c) => c.id),
    tours: flows.tours.map((t) => t.id),
    badges: flows.badges.map((b) => b.id),
    levels: flows.levels.map((l) => l.name),
    surveys: flows.surveys.map((s) => s.id),
    cancelReasons: flows.cancelFlow?.reasons.map((r) => r.id),
  }
}
const everything = running(validateFlows(example))
const without = (kind: keyof typeof everything, ...ids: string[]) => ({
  ...everything,
  [kind]: everything[kind]?.filter((id) => !ids.includes(id)),
})
const messages = (result: FlowsValidation) => result.errors.map((e) => e.message)

describe('the reference example', () => {
  test('validates unchanged with no errors and every experience kept as written', () => {
    const result = validateFlows(example)
    expect(result.errors).toEqual([])
    const { version: _version, ...rest } = example
    expect(result.flows).toEqual(rest)
  })

  test('is not modified by validation', () => {
    const before = structuredClone(example)
    validateFlows(example)
    expect(example).toEqual(before)
  })

  test('a frozen document validates too (nothing writes to the input)', () => {
    const frozen = deepFreeze(structuredClone(example))
    expect(validateFlows(frozen).errors).toEqual([])
  })
})

describe('issue 3: checklists, badges and levels', () => {
  test('a task whose rule names an unknown badge skips that checklist only', () => {
    const result = validateFlows(exampleWith((d) => (d.checklists[0].tasks[1].doneWhen = { badge: 'not-a-badge' })))
    expect(messages(result)).toEqual(['checklists[0].tasks[1].doneWhen.badge: names unknown badge "not-a-badge"'])
    expect(running(result)).toEqual(without('checklists', 'getting-started'))
  })

  test('a task naming an unknown tour keeps the task but drops the link', () => {
    const result = validateFlows(exampleWith((d) => (d.checklists[0].tasks[3].tour = 'export-tuor')))
    expect(result.errors).toEqual([
      expect.objectContaining({ path: 'checklists[0].tasks[3].tour', rule: 'unknown_reference', message: 'checklists[0].tasks[3].tour: names unknown tour "export-tuor"; the task has no tour' }),
    ])
    expect(running(result)).toEqual(everything)
    expect(result.flows.checklists[0].tasks[3].tour).toBeUndefined()
  })

  test('a task linking a tour that was itself invalid says so', () => {
    const result = validateFlows(exampleWith((d) => (d.tours[0].steps[0].placement = 'middle')))
    expect(messages(result)).toContain('checklists[0].tasks[3].tour: names tour "export-tour", which is invalid (see its own error); the task has no tour')
  })

  test('a rule naming a checklist, badge or survey that is itself skipped says so where it is named (a task that could never be done); the experience using it still runs', () => {
    // The badge for finishing a checklist that cannot run could never be earned: said where it is used.
    const result = validateFlows(exampleWith((d) => (d.checklists[0].tasks = [])))
    expect(messages(result)).toEqual([
      'checklists[0].tasks: a checklist needs at least one task',
      'badges[0].rule.checklist: names checklist "getting-started", which is invalid (see its own error)',
    ])
    expect(running(result).badges).toEqual(everything.badges)
    // A task done by earning a badge that is dropped, and an audience reading a survey dropped as a duplicate.
    const task = { id: 'pro', title: 'Become a pro', doneWhen: { badge: 'pro' } }
    const more = validateFlows({
      badges: [{ id: 'pro', title: 'Pro', rule: { evnt: 'Upgraded' } }],
      checklists: [{ id: 'start', title: 'Start', tasks: [task] }],
      surveys: [{ id: 'start', kind: 'nps', question: 'How likely?' }],
      announcements: [{ id: 'thanks', format: 'banner', title: 'Thanks!', audience: { survey: 'start', answered: true } }],
    })
    expect(messages(more).slice(1)).toEqual([
      'surveys[0].id: duplicate id "start", already used by checklists[0]',
      'checklists[0].tasks[0].doneWhen.badge: names badge "pro", which is invalid (see its own error)',
      'announcements[0].audience.survey: names survey "start", which is invalid (see its own error)',
    ])
    expect(more.flows.checklists.map((c) => c.id)).toEqual(['start'])
    expect(more.flows.announcements?.map((a) => a.id)).toEqual(['thanks'])
  })

  test('a checklist reward naming an unknown badge grants the points only', () => {
    const result = validateFlows(exampleWith((d) => (d.checklists[0].reward.badge = 'onbaorded')))
    expect(messages(result)).toEqual(['checklists[0].reward.badge: names unknown badge "onbaorded"; no badge is granted'])
    expect(result.flows.checklists[0].reward).toEqual({ points: 50 })
  })

  test('a checklist with no tasks is reported and skipped', () => {
    const result = validateFlows(exampleWith((d) => (d.checklists[0].tasks = [])))
    expect(messages(result)).toEqual(['checklists[0].tasks: a checklist needs at least one task', 'badges[0].rule.checklist: names checklist "getting-started", which is invalid (see its own error)'])
    expect(running(result)).toEqual(without('checklists', 'getting-started'))
  })

  test('a duplicate badge id keeps the first badge', () => {
    const result = validateFlows(exampleWith((d) => (d.badges[3].id = 'reporter')))
    expect(result.errors).toEqual([
      { path: 'badges[3].id', rule: 'duplicate_id', message: 'badges[3].id: duplicate id "reporter", already used by badges[1]' },
    ])
    expect(running(result)).toEqual(without('badges', 'explorer'))
  })

  test('duplicate task ids inside a checklist skip the checklist', () => {
    const result = validateFlows(exampleWith((d) => (d.checklists[0].tasks[2].id = 'add-tasks')))
    expect(messages(result)).toEqual(['checklists[0].tasks[2].id: duplicate id "add-tasks"'])
    expect(running(result).checklists).toEqual([])
  })

  test.each([
    ['a number', 42, 'badges[1].icon: expected a string, got 42'],
    ['a long string', '<svg>'.repeat(20), 'badges[1].icon: must be an icon name or an emoji (at most 16 characters), or an image URL (http(s) or /…)'],
    ['empty', '', 'badges[1].icon: must be an icon name or an emoji (at most 16 characters), or an image URL (http(s) or /…)'],
    ['a long javascript: URL', 'javascript:alert(document.cookie)//', 'badges[1].icon: must be an icon name or an emoji (at most 16 characters), or an image URL (http(s) or /…)'],
  ])('an icon that is %s is reported and that badge skipped', (_, icon, message) => {
    const result = validateFlows(exampleWith((d) => (d.badges[1].icon = icon)))
    expect(messages(result)).toEqual([message])
    expect(running(result)).toEqual(without('badges', 'reporter'))
  })

  test('a badge icon may be a built-in icon name, an emoji or an http(s) image URL', () => {
    const url = 'https://cdn.example.com/badges/onboarded-badge.svg'
    const result = validateFlows(exampleWith((d) => ((d.badges[0].icon = url), (d.badges[1].icon = '🏅'), (d.badges[2].icon = 'flame'))))
    expect(result.errors).toEqual([])
    expect(result.flows.badges!.map((b) => b.icon).slice(0, 3)).toEqual([url, '🏅', 'flame'])
  })

  test('a badge or level icon on the vendor’s own site (a root-relative image path, as the shelf shows it) is kept whatever its length', () => {
    const own = '/static/badges/first-project.svg'
    const result = validateFlows(exampleWith((d) => ((d.badges[0].icon = own), (d.levels[0].icon = '/img/levels/newcomer.png'))))
    expect(result.errors).toEqual([])
    expect(result.flows.badges[0].icon).toBe(own)
    expect(result.flows.levels[0].icon).toBe('/img/levels/newcomer.png')
    // Not an image the shelf can show: a protocol-relative or a script URL stays refused.
    for (const icon of ['//cdn.example.com/badges/first.svg', '/\\evil.example.com/badge.svg', 'javascript:alert(document.cookie)//'])
      expect(messages(validateFlows(exampleWith((d) => (d.badges[1].icon = icon))))).toEqual([
        'badges[1].icon: must be an icon name or an emoji (at most 16 characters), or an image URL (http(s) or /…)',
      ])
  })

  test('config text containing markup is kept verbatim, as text', () => {
    const xss = '<img src=x onerror="alert(1)">'
    const result = validateFlows(exampleWith((d) => (d.checklists[0].tasks[0].title = xss)))
    expect(result.errors).toEqual([])
    expect(result.flows.checklists[0].tasks[0].title).toBe(xss)
  })

  test('a javascript: link in a call to action is rejected', () => {
    const result = validateFlows(exampleWith((d) => (d.checklists[0].tasks[0].cta.url = 'JavaScript:alert(1)')))
    expect(messages(result)).toEqual(['checklists[0].tasks[0].cta.url: must be an http(s) or relative URL, got "JavaScript:alert(1)"', 'badges[0].rule.checklist: names checklist "getting-started", which is invalid (see its own error)'])
  })

  test('two levels of one name (a copy-pasted tier): the second is reported and dropped, not reached as the same level again', () => {
    // A level is known by its name (the level reached, Level Reached, its once-ever grant): both
    // kept, a user was told "Level reached: Regular" twice, and the collector kept one of its events.
    const result = validateFlows(exampleWith((d) => (d.levels[2].name = 'Regular')))
    expect(result.errors).toEqual([
      { path: 'levels[2].name', rule: 'duplicate_id', message: 'levels[2].name: duplicate level name "Regular", already used by levels[1]' },
    ])
    expect(running(result).levels).toEqual(['Newcomer', 'Regular'])
  })

  test('an invalid level is skipped and the other levels kept', () => {
    const result = validateFlows(exampleWith((d) => (d.levels[1].points = -5)))
    expect(messages(result)).toEqual(['levels[1].points: must be at least 0, got -5'])
    expect(running(result).levels).toEqual(['Newcomer', 'Power user'])
  })

  test('a title of blanks only (a field left at a space) is reported and its badge skipped, not drawn as an empty toast with a nameless button', () => {
    const result = validateFlows(exampleWith((d) => (d.badges[0].title = '   ')))
    expect(messages(result)).toEqual([
      'badges[0].title: only blanks: nothing would show, got "   "',
      'checklists[0].reward.badge: names badge "onboarded", which is invalid (see its own error); no badge is granted',
    ])
    expect(running(result).badges).toEqual(everything.badges.slice(1))
  })

  test('a huge title is reported, not kept', () => {
    const result = validateFlows(exampleWith((d) => (d.badges[0].title = 'x'.repeat(100_000))))
    expect(messages(result)).toEqual([
      'badges[0].title: is 100000 characters long, at most 100',
      'checklists[0].reward.badge: names badge "onboarded", which is invalid (see its own error); no badge is granted',
    ])
  })
})

describe('issue 4: tours', () => {
  test('a step with an invalid CSS selector skips that tour only', () => {
    const result = validateFlows(exampleWith((d) => (d.tours[1].steps[0].target = "[data-tour='integrations'")))
    expect(result.errors).toEqual([
      {
        path: 'tours[1].steps[0].target',
        rule: 'custom',
        message: 'tours[1].steps[0].target: is not a valid CSS selector, got "[data-tour=\'integrations\'"',
      },
    ])
    expect(running(result)).toEqual(without('tours', 'integrations-hint'))
  })

  test('a placement that does not exist names the valid ones', () => {
    const result = validateFlows(exampleWith((d) => (d.tours[0].steps[1].placement = 'middle')))
    expect(result.errors[0]).toMatchObject({ path: 'tours[0].steps[1].placement', rule: 'invalid_value' })
    expect(result.errors[0].message).toMatch(/^tours\[0\]\.steps\[1\]\.placement: expected one of "top", .*"left-end", got "middle"$/)
    expect(running(result)).toEqual(without('tours', 'export-tour'))
  })

  test('an empty steps list is reported and skipped', () => {
    const result = validateFlows(exampleWith((d) => (d.tours[1].steps = [])))
    expect(messages(result)).toEqual(['tours[1].steps: a tour needs at least one step'])
    expect(running(result)).toEqual(without('tours', 'integrations-hint'))
  })

  test('a click-to-advance step without a target is reported', () => {
    const result = validateFlows(exampleWith((d) => delete d.tours[0].steps[1].target))
    expect(messages(result)).toEqual([
      'tours[0].steps[1].advance: "click" needs a target to click',
      'checklists[0].tasks[3].tour: names tour "export-tour", which is invalid (see its own error); the task has no tour',
    ])
  })

  test('an unknown onMissing and a trigger selector that is not CSS are both reported', () => {
    const result = validateFlows(
      exampleWith((d) => {
        d.tours[0].steps[1].onMissing = 'wait'
        d.cancelFlow.trigger = { selector: 'button!!' }
      }),
    )
    expect(messages(result)).toEqual([
      'tours[0].steps[1].onMissing: expected one of "skip", "end", "center", got "wait"',
      'cancelFlow.trigger.selector: is not a valid CSS selector, got "button!!"',
      'checklists[0].tasks[3].tour: names tour "export-tour", which is invalid (see its own error); the task has no tour',
    ])
    expect(result.flows.cancelFlow).toBeUndefined()
  })

  test('a tour set to repeat "until-answered" is reported and skipped: a tour is never answered, so it would show every time', () => {
    const result = validateFlows(exampleWith((d) => (d.tours[1].repeat = 'until-answered')))
    expect(messages(result)).toEqual([
      'tours[1].repeat: "until-answered" is for surveys: a tour is never answered, so it would show every time; use "until-completed" or "once", got "until-answered"',
    ])
    expect(running(result)).toEqual(without('tours', 'integrations-hint'))
  })

  test('a tour id reused by a survey is reported: show(id) must name one experience', () => {
    const result = validateFlows(exampleWith((d) => (d.surveys[3].id = 'export-tour')))
    expect(messages(result)).toEqual(['surveys[3].id: duplicate id "export-tour", already used by tours[0]'])
    expect(running(result)).toEqual(without('surveys', 'next-feature'))
  })
})

describe('issue 5: surveys', () => {
  test('an unknown kind names the kinds there are', () => {
    const result = validateFlows(exampleWith((d) => (d.surveys[2].kind = 'stars')))
    expect(messages(result)).toEqual(['surveys[2].kind: expected one of "nps", "csat", "ces", "choice", "text", got "stars"'])
    expect(running(result)).toEqual(without('surveys', 'ces-onboarding'))
  })

  test.each([
    [1, 11, 'surveys[1].scale: csat supports a scale of 5, got 11'],
    [2, 6, 'surveys[2].scale: ces supports a scale of 5 or 7, got 6'],
    [0, 5, 'surveys[0].scale: nps has a fixed 0–10 scale, got 5'],
  ])('surveys[%i] with a scale of %i its kind does not support is skipped', (index, scale, message) => {
    const result = validateFlows(exampleWith((d) => (d.surveys[index].scale = scale)))
    expect(result.errors).toEqual([{ path: `surveys[${index}].scale`, rule: 'invalid_value', message }])
    expect(running(result)).toEqual(without('surveys', example.surveys[index].id))
  })

  test.each([
    [1, '5', 'surveys[1].scale: expected a number, got "5"'],
    [2, '7', 'surveys[2].scale: expected a number, got "7"'],
    [0, '10', 'surveys[0].scale: expected a number, got "10"'],
  ])('surveys[%i] with its scale written as the string %j is told a number is expected, not that the scale is unsupported', (index, scale, message) => {
    const result = validateFlows(exampleWith((d) => (d.surveys[index].scale = scale)))
    expect(result.errors).toEqual([{ path: `surveys[${index}].scale`, rule: 'invalid_value', message }])
    expect(running(result)).toEqual(without('surveys', example.surveys[index].id))
  })

  test('ces accepts a 5-point scale too', () => {
    expect(validateFlows(exampleWith((d) => (d.surveys[2].scale = 5))).errors).toEqual([])
  })

  test('a choice survey without options is skipped', () => {
    const result = validateFlows(exampleWith((d) => delete d.surveys[3].options))
    expect(messages(result)).toEqual(['surveys[3].options: a choice survey needs options'])
    expect(running(result)).toEqual(without('surveys', 'next-feature'))
  })

  test('a choice survey with an empty options list is skipped', () => {
    const result = validateFlows(exampleWith((d) => (d.surveys[3].options = [])))
    expect(messages(result)).toEqual(['surveys[3].options: a choice survey needs at least one option'])
  })

  test('a follow-up for a category the kind does not have is reported; the survey runs without it', () => {
    const result = validateFlows(exampleWith((d) => (d.surveys[1].followUp.detractor = 'Why so low?')))
    expect(result.errors).toEqual([
      {
        path: 'surveys[1].followUp.detractor',
        rule: 'unknown_key',
        message: 'surveys[1].followUp.detractor: csat follow-ups are keyed by dissatisfied, neutral, satisfied; ignored',
      },
    ])
    expect(running(result)).toEqual(everything)
    expect(result.flows.surveys[1]).toMatchObject({ followUp: { dissatisfied: 'What went wrong?' } })
    expect((result.flows.surveys[1] as any).followUp).not.toHaveProperty('detractor')
  })

  test('csat display and choice "other" are accepted', () => {
    const result = validateFlows(
      exampleWith((d) => {
        d.surveys[1].display = 'stars'
        d.surveys[3].other = true
        d.surveys[3].multiple = true
      }),
    )
    expect(result.errors).toEqual([])
  })

  test('a repeat policy that does not exist is reported', () => {
    const result = validateFlows(exampleWith((d) => (d.surveys[0].repeat = { afterDays: 0 })))
    expect(messages(result)).toEqual(['surveys[0].repeat.afterDays: must be at least 1, got 0'])
  })

  test('a rule naming an unknown survey skips the experience using it', () => {
    const result = validateFlows(exampleWith((d) => (d.tours[1].audience = { survey: 'nps-yearly', answered: true })))
    expect(messages(result)).toEqual(['tours[1].audience.survey: names unknown survey "nps-yearly"'])
    expect(running(result)).toEqual(without('tours', 'integrations-hint'))
  })
})

describe('a survey rule that could never match', () => {
  const csat = { id: 'csat', kind: 'csat', question: 'Happy?' }
  const poll = { id: 'poll', kind: 'choice', question: 'Which?', options: ['A', 'B'] }
  const thanks = (audience: Rule) => ({ id: 'we-listened', format: 'banner', title: 'You asked', audience })

  test('a "promoter" category on a CSAT survey (it records dissatisfied, neutral, satisfied) skips the announcement, saying why', () => {
    const result = validateFlows({ surveys: [csat], announcements: [thanks({ survey: 'csat', answered: true, category: 'promoter' })] })
    expect(messages(result)).toEqual(['announcements[0].audience.category: "promoter" can never match: a csat survey records dissatisfied, neutral, satisfied'])
    expect(result.flows.announcements).toBeUndefined()
  })

  test('any category on a choice poll (it records none) is reported; a category the kind records is fine', () => {
    const result = validateFlows({
      surveys: [poll, csat],
      announcements: [thanks({ survey: 'poll', answered: true, category: 'satisfied' }), { ...thanks({ all: [{ survey: 'csat', answered: true, category: 'satisfied' }] }), id: 'happy' }],
    })
    expect(messages(result)).toEqual(['announcements[0].audience.category: "satisfied" can never match: a choice survey records no category'])
    expect(result.flows.announcements?.map((a) => a.id)).toEqual(['happy'])
  })
})

describe('issue 6: the cancel flow', () => {
  // A user leaving for that reason can still say so (the churn reasons stay true): they go on
  // to confirm, offered nothing.
  const offerOf = (result: FlowsValidation, id: string) => result.flows.cancelFlow?.reasons.find((r) => r.id === id)?.offer
  test('a reason naming an offer that does not exist still runs, offering nothing; the other reasons keep theirs', () => {
    const result = validateFlows(exampleWith((d) => (d.cancelFlow.reasons[1].offer = 'pause-3')))
    expect(messages(result)).toEqual(['cancelFlow.reasons[1].offer: names unknown offer "pause-3"; this reason offers nothing'])
    expect(running(result)).toEqual(everything)
    expect(offerOf(result, 'not-using')).toBeUndefined()
    expect(offerOf(result, 'too-expensive')).toBe('discount-30')
  })

  test('an offer kind not in the list drops that offer; the reasons using it run, offering nothing', () => {
    const result = validateFlows(exampleWith((d) => (d.cancelFlow.offers[2].kind = 'gift')))
    expect(messages(result)).toEqual([
      'cancelFlow.offers[2].kind: expected one of "discount", "pause", "downgrade", "contact", got "gift"',
      'cancelFlow.reasons[4].offer: names offer "downgrade", which is invalid (see its own error); this reason offers nothing',
    ])
    expect(running(result)).toEqual(everything)
    expect(offerOf(result, 'switching')).toBeUndefined()
    expect(result.flows.cancelFlow?.offers.map((o) => o.id)).toEqual(['discount-30', 'pause-2', 'talk-to-us'])
  })

  test.each([0, 150, 100.5])('a discount of %s percent is outside 1–100', (percent) => {
    const result = validateFlows(exampleWith((d) => (d.cancelFlow.offers[0].percent = percent)))
    expect(result.errors[0]).toEqual({
      path: 'cancelFlow.offers[0].percent',
      rule: percent < 1 ? 'too_small' : 'too_big',
      message: `cancelFlow.offers[0].percent: a discount is 1–100 %, got ${percent}`,
    })
    expect(running(result)).toEqual(everything)
    expect(offerOf(result, 'too-expensive')).toBeUndefined()
  })

  test.each([0, 4, 12])('a pause of %s months is outside 1–3 (the user chooses up to 3)', (months) => {
    const result = validateFlows(exampleWith((d) => (d.cancelFlow.offers[1].months = months)))
    expect(result.errors[0]).toEqual({
      path: 'cancelFlow.offers[1].months',
      rule: months < 1 ? 'too_small' : 'too_big',
      message: `cancelFlow.offers[1].months: a pause is 1–3 months, got ${months}`,
    })
    expect(running(result)).toEqual(everything)
    expect(offerOf(result, 'not-using')).toBeUndefined()
  })

  test('an offer taken may be offered again after offerAgainAfterDays (whole days, 1–3650): a year is kept as given', () => {
    const result = validateFlows(exampleWith((d) => (d.cancelFlow.offers[0].offerAgainAfterDays = 365)))
    expect(result.errors).toEqual([])
    expect(result.flows.cancelFlow?.offers[0]).toMatchObject({ id: 'discount-30', offerAgainAfterDays: 365 })
  })

  test.each([
    [0, 'must be at least 1, got 0'],
    [0.5, 'expected a whole number, got 0.5'],
    ['365', 'expected a number, got "365"'],
  ])('an offerAgainAfterDays of %j is refused with an error naming it', (days, message) => {
    const result = validateFlows(exampleWith((d) => (d.cancelFlow.offers[0].offerAgainAfterDays = days)))
    expect(messages(result)[0]).toBe(`cancelFlow.offers[0].offerAgainAfterDays: ${message}`)
    expect(running(result)).toEqual(everything)
  })

  test('a contact offer on the vendor’s own site (a relative link) is kept, as every other link in the flows', () => {
    const result = validateFlows(exampleWith((d) => (d.cancelFlow.offers[3].url = '/book-a-call')))
    expect(result.errors).toEqual([])
    expect(result.flows.cancelFlow?.offers[3]).toMatchObject({ kind: 'contact', url: '/book-a-call' })
  })

  test.each(['mailto:sales@example.com', 'javascript:alert(1)', 'data:text/html,hi'])(
    'a contact offer whose url is %s (neither http(s) nor relative) is dropped',
    (url) => {
      const result = validateFlows(exampleWith((d) => (d.cancelFlow.offers[3].url = url)))
      expect(result.errors[0].message).toBe(`cancelFlow.offers[3].url: must be an http(s) or relative URL, got ${JSON.stringify(url)}`)
      expect(running(result)).toEqual(everything)
      expect([offerOf(result, 'missing-features'), offerOf(result, 'too-complex')]).toEqual([undefined, undefined])
    },
  )

  test('a pause offer sharing its id with a survey, or with the flow itself, is reported, as show(id) opens only one of them; the flow keeps the offer', () => {
    const result = validateFlows(exampleWith((d) => ((d.cancelFlow.offers[1].id = 'nps-quarterly'), (d.cancelFlow.reasons[1].offer = 'nps-quarterly'))))
    expect(result.errors).toEqual([
      {
        path: 'cancelFlow.offers[1].id',
        rule: 'duplicate_id',
        message: 'cancelFlow.offers[1].id: duplicate id "nps-quarterly", already used by surveys[0]',
      },
    ])
    expect(running(result)).toEqual(everything)
    const own = validateFlows(exampleWith((d) => ((d.cancelFlow.offers[1].id = 'save-offer'), (d.cancelFlow.reasons[1].offer = 'save-offer'))))
    expect(messages(own)).toEqual([
      'cancelFlow.offers[1].id: duplicate id "save-offer", already used by cancelFlow',
    ])
    // Only a pause opens on its own: another kind of offer may share an id.
    expect(validateFlows(exampleWith((d) => (d.cancelFlow.offers[0].id = d.cancelFlow.reasons[0].offer = 'nps-quarterly'))).errors).toEqual([])
  })

  test('with no valid reason left the flow is off, so the host cancel proceeds untouched', () => {
    const result = validateFlows(exampleWith((d) => d.cancelFlow.reasons.forEach((r: Doc) => (r.label = 42))))
    expect(result.flows.cancelFlow).toBeUndefined()
    expect(messages(result).at(-1)).toBe('cancelFlow: has no valid reason left; the cancel flow is off and the host cancels as usual')
    expect(running(result).surveys).toEqual(everything.surveys)
  })

  test('a holdout outside 0..1 is reported', () => {
    const result = validateFlows(exampleWith((d) => (d.cancelFlow.holdout = 5)))
    expect(messages(result)).toEqual(['cancelFlow.holdout: must be at most 1, got 5'])
    expect(result.flows.cancelFlow).toBeUndefined()
  })
})

describe('issue 2: the document as a whole', () => {
  test.each([
    [null, 'flows must be a JSON object, got null'],
    ['{"version":1}', 'flows must be a JSON object, got "{\\"version\\":1}"'],
    [[], 'flows must be a JSON object, got an array'],
    [undefined, 'flows must be a JSON object, got a undefined'],
  ])('%j is reported at the top level and nothing runs', (input, message) => {
    const result = validateFlows(input)
    expect(result.errors).toEqual([{ path: '', message, rule: 'invalid_type' }])
    expect(result.flows).toEqual({ settings: { cooldownDays: 2, locale: 'auto' }, checklists: [], tours: [], badges: [], levels: [], surveys: [] })
  })

  test('a section that is not a list is reported; the other sections run', () => {
    const result = validateFlows(exampleWith((d) => (d.tours = { id: 'export-tour' })))
    expect(messages(result)).toContain('tours: expected an array, got an object')
    expect(running(result).surveys).toEqual(everything.surveys)
  })

  test('an unknown top-level key is reported and ignored; $schema is allowed', () => {
    const result = validateFlows(exampleWith((d) => Object.assign(d, { $schema: './flows.schema.json', experiments: [] })))
    expect(result.errors).toEqual([{ path: 'experiments', rule: 'unknown_key', message: 'experiments: is not a known section; ignored' }])
    expect(running(result)).toEqual(everything)
  })

  test('a misspelt section names the one meant and says that nothing in it runs', () => {
    const result = validateFlows(exampleWith((d) => Object.assign(d, { anouncements: [{ id: 'v3', format: 'banner', title: 'New' }] })))
    expect(messages(result)).toEqual(['anouncements: is not a known section; did you mean `announcements`? Nothing in it runs'])
  })

  test('an unknown key on an experience is reported and ignored, so newer configs still run', () => {
    const result = validateFlows(exampleWith((d) => (d.tours[0].steps[0].animation = 'fade')))
    expect(messages(result)).toEqual(['tours[0].steps[0].animation: is not a known field; ignored'])
    expect(running(result)).toEqual(everything)
  })

  test('an unknown key inside a rule skips the experience: a typo must not widen the audience', () => {
    const result = validateFlows(exampleWith((d) => (d.checklists[0].tasks[1].doneWhen = { event: 'Task Created', cuont: { gte: 3 } })))
    expect(messages(result)).toEqual(['checklists[0].tasks[1].doneWhen.cuont: is not a known field; did you mean `count`?', 'badges[0].rule.checklist: names checklist "getting-started", which is invalid (see its own error)'])
    expect(running(result).checklists).toEqual([])
  })

  test('an operator a rule does not have, as other tools spell it, is answered with the operators it has', () => {
    const result = validateFlows(exampleWith((d) => (d.surveys[1].audience = { trait: 'plan', equals: 'pro' })))
    expect(messages(result)).toEqual(['surveys[1].audience.equals: is not a known operator; use eq, neq, in, gt, gte, lt, lte, exists or contains'])
    expect(running(result)).toEqual(without('surveys', 'csat-export'))
  })

  test('a count compared with an operator it does not have names the comparisons there are', () => {
    const result = validateFlows(exampleWith((d) => (d.checklists[0].tasks[1].doneWhen = { event: 'Task Created', count: { atLeast: 3 } })))
    expect(messages(result)[0]).toBe('checklists[0].tasks[1].doneWhen.count.atLeast: is not a known operator; use eq, gte, lte, gt or lt')
  })

  test.each([
    ['nin', { trait: 'plan', nin: ['free'] }, 'eq, neq, in, gt, gte, lt, lte, exists or contains'],
    ['ge', { trait: 'seats', ge: 5 }, 'eq, neq, in, gt, gte, lt, lte, exists or contains'],
    ['le', { trait: 'seats', le: 5 }, 'eq, neq, in, gt, gte, lt, lte, exists or contains'],
    ['neq', { feature: 'export', count: { neq: 0 } }, 'eq, gte, lte, gt or lt'],
  ])('an operator %j, close in letters to one that says the opposite or one off, is answered with the list, never a reversing "did you mean"', (key, audience, list) => {
    const result = validateFlows(exampleWith((d) => (d.surveys[1].audience = audience)))
    expect(messages(result)).toEqual([`surveys[1].audience.${'count' in audience ? 'count.' : ''}${key}: is not a known operator; use ${list}`])
    // Still a rule it cannot read: the survey waits rather than reach everyone.
    expect(running(result)).toEqual(without('surveys', 'csat-export'))
  })

  test.each([
    ['exist', 'exists'],
    ['contain', 'contains'],
    ['gteq', 'gte'],
  ])('an operator spelt short or long (%j) is still asked "did you mean %j"', (key, meant) => {
    const result = validateFlows(exampleWith((d) => (d.surveys[1].audience = { trait: 'plan', [key]: true })))
    expect(messages(result)).toEqual([`surveys[1].audience.${key}: is not a known field; did you mean \`${meant}\`?`])
  })

  test('a near miss of an operator still gets its "did you mean"', () => {
    const result = validateFlows(exampleWith((d) => (d.surveys[1].audience = { trait: 'plan', eqq: 'pro' })))
    expect(messages(result)).toEqual(['surveys[1].audience.eqq: is not a known field; did you mean `eq`?'])
  })

  test.each([
    ['Eq', 'eq', { trait: 'plan', Eq: 'pro' }],
    ['GTE', 'gte', { feature: 'export', count: { GTE: 3 } }],
  ])('an operator typed in another case (%j) is asked "did you mean %j", not handed the whole list', (key, meant, audience) => {
    const result = validateFlows(exampleWith((d) => (d.surveys[1].audience = audience)))
    expect(messages(result)).toEqual([`surveys[1].audience.${'count' in audience ? 'count.' : ''}${key}: is not a known field; did you mean \`${meant}\`?`])
  })

  test.each([
    ['GTE beside a gte', { trait: 'age', gte: 18, GTE: 21 }, 'GTE'],
    ['GT beside a gt', { trait: 'age', gt: 18, GT: 21 }, 'GT'],
    ['neq for active days', { activeDays: { neq: 3 } }, 'activeDays.neq'],
  ])('an operator given twice in two cases, or one the rule lacks (%s), is handed the list, never a hint one operator off', (_, audience, path) => {
    const result = validateFlows(exampleWith((d) => (d.surveys[1].audience = audience)))
    expect(messages(result)).toEqual([expect.stringMatching(new RegExp(`^surveys\\[1\\]\\.audience\\.${path.replace('.', '\\.')}: is not a known operator; use eq, `))])
  })

  test('a rule that matches no form lists the forms there are', () => {
    const result = validateFlows(exampleWith((d) => (d.badges[2].rule = { streak: 5 })))
    expect(messages(result)).toEqual([expect.stringMatching(/^badges\[2\]\.rule: matches no known form: expected one of the keys event, daysSince, all, not, any, .*streakDays/)])
  })

  test('a rule missing one key of its form names that key', () => {
    const result = validateFlows(exampleWith((d) => (d.badges[0].rule = { checklist: 'getting-started' })))
    expect(messages(result)).toEqual([
      'badges[0].rule.status: is required: one of "completed", "dismissed", "started", "not-started"',
      'checklists[0].reward.badge: names badge "onboarded", which is invalid (see its own error); no badge is granted',
    ])
  })

  test('invalid settings fall back to the defaults field by field', () => {
    const result = validateFlows(exampleWith((d) => (d.settings = { cooldownDays: 'two', locale: 'de', theme: 'dark' })))
    expect(messages(result)).toEqual([
      'settings.theme: is not a known option; ignored',
      'settings.cooldownDays: expected a number, got "two"; using the default 2',
    ])
    expect(result.flows.settings).toEqual({ cooldownDays: 2, locale: 'de' })
  })

  test('a misspelt setting names the one meant (the default still applies)', () => {
    const result = validateFlows(exampleWith((d) => (d.settings = { cooldownDay: 1 })))
    expect(messages(result)).toEqual(['settings.cooldownDay: is not a known option (did you mean `cooldownDays`?); ignored'])
    expect(result.flows.settings).toEqual({ cooldownDays: 2, locale: 'auto' })
  })

  test('settings that are not an object are replaced by the defaults', () => {
    const result = validateFlows(exampleWith((d) => (d.settings = 'fast')))
    expect(messages(result)).toEqual(['settings: expected an object, got "fast"; using the defaults'])
    expect(result.flows.settings).toEqual({ cooldownDays: 2, locale: 'auto' })
  })

  test('a version other than 1 is reported and read as version 1', () => {
    const result = validateFlows(exampleWith((d) => (d.version = 2)))
    expect(messages(result)).toEqual(['version: expected 1, got 2; read as version 1'])
    expect(running(result)).toEqual(everything)
  })

  test('an experience that refers to itself is reported, not followed forever', () => {
    const doc = exampleWith(() => {})
    doc.surveys[0].audience.all.push(doc.surveys[0].audience)
    const result = validateFlows(doc)
    expect(messages(result)).toEqual(['surveys[0]: is nested more than 24 levels deep (or refers to itself)'])
    expect(running(result)).toEqual(without('surveys', 'nps-quarterly'))
  })

  test('a getter that throws costs only its experience', () => {
    const doc = exampleWith(() => {})
    Object.defineProperty(doc.tours[1], 'steps', { enumerable: true, get: () => { throw new Error('boom') } })
    const result = validateFlows(doc)
    expect(messages(result)).toEqual(['tours[1]: could not be read as plain data'])
    expect(running(result)).toEqual(without('tours', 'integrations-hint'))
  })

  test('__proto__ keys are reported as unknown and never reach a prototype', () => {
    const doc = JSON.parse(JSON.stringify(example).replace('"id":"slack",', '"id":"slack","__proto__":{"polluted":true},'))
    const result = validateFlows(doc)
    expect(messages(result)).toEqual(['tours[1].steps[0].__proto__: is not a known field; ignored'])
    expect(({} as any).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(result.flows.tours[1].steps[0])).toBe(Object.prototype)
  })
})

describe('rules accept every form of the contract (../rule.ts)', () => {
  const forms: Rule[] = [
    { all: [{ event: 'A' }, { any: [{ url: '/x*' }, { not: { badge: 'onboarded' } }] }] },
    { trait: 'plan', eq: 'pro' },
    { trait: 'plan', neq: null },
    { trait: 'seats', in: [1, 2, 'three'] },
    { trait: 'seats', gt: 1, gte: 2, lt: 10, lte: 9 },
    { trait: 'createdAt', gte: '2026-01-01' },
    { trait: 'email', exists: true },
    { trait: 'email', contains: '@acme' },
    { event: 'Report Exported', count: { gte: 10, lte: 20, eq: 15, gt: 1, lt: 30 }, withinDays: 7 },
    { daysSince: 'firstSeen', gte: 14, lte: 30 },
    { daysSince: 'lastSeen', lte: 1 },
    { daysSince: 'createdAt', gte: 1 },
    { url: '#/settings*' },
    { activeDays: { gte: 3 }, withinDays: 30 },
    { checklist: 'getting-started', status: 'completed' },
    { checklist: 'getting-started', status: 'not-started' },
    { badge: 'onboarded' },
    { survey: 'nps-quarterly', answered: false },
    { sample: 0.25 },
    { streakDays: 5 },
    { distinctFeatures: 5 },
    { points: 100 },
  ]
  test.each(forms.map((rule) => [JSON.stringify(rule), rule] as const))('%s', (_, rule) => {
    const result = validateFlows(exampleWith((d) => (d.tours[1].audience = rule)))
    expect(result.errors).toEqual([])
    expect(result.flows.tours[1].audience).toEqual(rule)
  })
})

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze)
    Object.freeze(value)
  }
  return value
}

describe('triggers fit the experience they start', () => {
  const it = test
  const fresh = () => structuredClone(example) as any

  it('a survey or tour cannot start on a click selector; the cancel flow only on one', () => {
    const doc = fresh()
    doc.surveys[0].trigger = { selector: '#x' }
    doc.tours[0].trigger = { selector: '#y' }
    doc.cancelFlow.trigger = { event: 'Billing Viewed' }
    const { flows, errors } = validateFlows(doc)
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(['surveys[0].trigger', 'tours[0].trigger', 'cancelFlow.trigger.selector']))
    expect(flows.cancelFlow).toBeUndefined()
    expect(flows.surveys.map((s) => s.id)).not.toContain('nps-quarterly')
    expect(flows.surveys).toHaveLength(3)
    expect(flows.tours.map((t) => t.id)).toEqual(['integrations-hint'])
  })

  it('a choice survey with two equal options is reported; the other surveys run', () => {
    const doc = fresh()
    doc.surveys[3].options = ['Gantt charts', 'gantt charts ']
    const { flows, errors } = validateFlows(doc)
    expect(errors.find((e) => e.path.startsWith('surveys[3].options'))?.message).toMatch(/different/)
    expect(flows.surveys.map((s) => s.id)).toEqual(['nps-quarterly', 'csat-export', 'ces-onboarding'])
  })

  it('a poll option named "other" is reported (its answers would be read as the built-in Other\'s); the other surveys run', () => {
    const doc = fresh()
    doc.surveys[3].options = ['Gantt charts', 'other']
    const { flows, errors } = validateFlows(doc)
    expect(errors.find((e) => e.path.startsWith('surveys[3].options'))?.message).toBe('surveys[3].options: an option cannot be "other": the built-in Other option is sent as "other" (use other: true), got an array')
    expect(flows.surveys.map((s) => s.id)).toEqual(['nps-quarterly', 'csat-export', 'ces-onboarding'])
  })
})

describe('a hotspot needs something to mark', () => {
  test('a beacon step without a target is reported and its tour skipped; the other tour runs', () => {
    const doc = structuredClone(example) as any
    delete doc.tours[1].steps[0].target
    const { flows, errors } = validateFlows(doc)
    expect(errors.find((e) => e.path === 'tours[1].steps[0].beacon')?.message).toMatch(/beacon marks a target/)
    expect(flows.tours.map((t) => t.id)).toEqual(['export-tour'])
  })
})

describe('announcements and billing prompts', () => {
  const banner = { id: 'bulk-export', format: 'banner', title: 'Export many invoices at once', action: { label: 'Try it', url: '/invoices' } }

  test('a bad announcement is reported with its path and rule and skipped; the others run', () => {
    const doc = { announcements: [banner, { ...banner, id: 'v3', format: 'popup' }, { ...banner, id: 'evil', action: { label: 'Go', url: 'javascript:alert(1)' } }] }
    const result = validateFlows(doc)
    expect(result.errors.map((e) => `${e.path}: ${e.rule}`)).toEqual(['announcements[1].format: invalid_value', 'announcements[2].action.url: custom'])
    expect(result.flows.announcements?.map((a) => a.id)).toEqual(['bulk-export'])
  })

  test('an announcement id shared with a survey is reported: show(id) must name one experience', () => {
    const result = validateFlows(exampleWith((d) => ((d as Record<string, unknown>).announcements = [{ ...banner, id: 'nps-quarterly' }])))
    expect(messages(result)).toEqual([expect.stringMatching(/^announcements\[0\]\.id: .*nps-quarterly/)])
  })

  test('billing prompts take their defaults, and a discount over 100 % is reported', () => {
    const ok = validateFlows({ billing: { paymentPrompt: { id: 'card-failed', title: 'Payment failed', action: 'Update card' }, renewalReminders: { id: 'renewal', title: 'Renews soon', action: 'Check card' } } })
    expect(ok.errors).toEqual([])
    expect(ok.flows.billing?.paymentPrompt).toMatchObject({ wallAfterDays: 7, remindAfterHours: 24 })
    expect(ok.flows.billing?.renewalReminders?.days).toEqual([7, 3, 2])
    const bad = validateFlows({ billing: { annualOffer: { id: 'go-annual', title: 'Yearly', action: 'Switch', percent: 150 } } })
    expect(messages(bad)).toEqual(['billing.annualOffer.percent: a discount is 1–100 %, got 150'])
    expect(bad.flows.billing).toBeUndefined()
  })

  test('rules that name a survey category, a feature and days until a date trait validate; a typo does not', () => {
    const audience = { all: [{ survey: 'nps', answered: true, category: 'detractor' }, { feature: 'bulk-export', withinDays: 30 }, { daysUntil: 'renewsAt', lte: 7 }] }
    const doc = { surveys: [{ id: 'nps', kind: 'nps', question: 'How likely?' }], announcements: [{ ...banner, audience }] }
    expect(validateFlows(doc).errors).toEqual([])
    const typo = validateFlows({ ...doc, announcements: [{ ...banner, audience: { survey: 'nps', answered: true, category: 'detractors' } }] })
    expect(typo.errors.map((e) => e.path)).toEqual(["announcements[0].audience.category"])
  })
})
