import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { createLinger, type Linger } from '../client'
import { createFakePlatform, type FakePlatform } from '../fake-platform'
import { laggingStorage, lockedTabs } from '../lagging-storage'
import { webLocks } from './badges/test-host'
import { drawOf, inSample } from '../sample'
import { COMMENT_MAX } from './surveys/session'
import { HEARTBEAT_MS, THANKS_MS } from './surveys'
import { CLAIM_MS } from './across-tabs'
import { heldClaims } from './across-tabs.fixture'

const example = JSON.parse(readFileSync(new URL('../../../../test/fixtures/flows.json', import.meta.url), 'utf8'))
const DAY = 86_400_000
const surveyOf = (id: string) => example.surveys.find((s: { id: string }) => s.id === id)

type Seen = { name: string; props: Record<string, any> }

async function start(flows: object = example, opts: { platform?: FakePlatform; userId?: string } = {}) {
  const platform = opts.platform ?? createFakePlatform()
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
  const seen: Seen[] = []
  for (const name of ['shown', 'answered', 'dismissed']) linger.on(`survey:${name}`, (props) => seen.push({ name, props }))
  if (opts.userId) linger.identify(opts.userId)
  await linger.ready
  const surveys = linger.experiences.surveys!
  return { platform, linger, surveys, seen, onScreen: () => surveys.$session.get()?.survey.id ?? null }
}

/** Flows with only the given surveys (and the example's settings unless overridden). */
const only = (surveys: object[], settings: object = example.settings) => ({ version: 1, settings, surveys })

/** A user the NPS audience accepts: first seen 14 days ago, active on 3 days since. */
async function regularUser(linger: Linger, platform: FakePlatform) {
  linger.track('Signed In')
  await platform.advance(7 * DAY)
  linger.track('Signed In')
  await platform.advance(7 * DAY)
  linger.track('Signed In')
}
/** A user id inside (or outside) a survey's sticky sample. */
const userIn = (surveyId: string, rate: number, inside = true) => {
  for (let i = 0; ; i++) if (inSample(`u:user_${i}`, drawOf(surveyId, 'sample'), rate) === inside) return `user_${i}`
}

// Linger sends Checklist Completed itself as a list is finished (the page's own track() of it is
// refused): a survey triggered by it hears it as the engine emits it.
const finishChecklist = (linger: { host: { emit(event: string, properties: Record<string, unknown>): void } }) =>
  linger.host.emit('Checklist Completed', { checklistId: 'getting-started' })

describe('when a survey shows', () => {
  it('the CSAT survey shows when a report is exported, and not on other events', async () => {
    const { linger, onScreen, seen } = await start()
    linger.track('Dashboard Viewed')
    expect(onScreen()).toBeNull()
    linger.track('Report Exported')
    expect(onScreen()).toBe('csat-export')
    expect(seen).toEqual([{ name: 'shown', props: { surveyId: 'csat-export', kind: 'csat', responseId: expect.any(String) } }])
  })

  it('a trigger count waits for the third export', async () => {
    const { linger, onScreen, surveys, platform } = await start(only([surveyOf('next-feature')], { cooldownDays: 0 }))
    linger.track('Report Exported')
    linger.track('Report Exported')
    expect(onScreen()).toBeNull()
    await platform.advance(1000)
    linger.track('Report Exported')
    expect(onScreen()).toBe('next-feature')
    expect(surveys.why?.('next-feature')).toEqual(['eligible'])
  })

  it('NPS waits its 3 s delay after the dashboard is viewed, without polling', async () => {
    const { linger, platform, onScreen } = await start(only([surveyOf('nps-quarterly')]), { userId: userIn('nps-quarterly', 0.5) })
    await regularUser(linger, platform)
    linger.track('Dashboard Viewed')
    await platform.advance(2999)
    expect(onScreen()).toBeNull()
    expect(linger.why('nps-quarterly').reasons).toEqual(['waiting-for-delay'])
    await platform.advance(1)
    expect(onScreen()).toBe('nps-quarterly')
  })

  it('when the delay ends the slot is checked again: a survey shown meanwhile keeps it', async () => {
    const { linger, platform, onScreen } = await start(only([surveyOf('nps-quarterly'), surveyOf('csat-export')]), { userId: userIn('nps-quarterly', 0.5) })
    await regularUser(linger, platform)
    linger.track('Dashboard Viewed')
    linger.track('Report Exported')
    expect(onScreen()).toBe('csat-export')
    await platform.advance(3000)
    expect(onScreen()).toBe('csat-export')
    expect(linger.why('nps-quarterly').show).toBe(false)
  })

  it('a user outside the audience never starts the delay', async () => {
    const { linger, platform, onScreen } = await start(example, { userId: userIn('nps-quarterly', 0.5) })
    linger.track('Dashboard Viewed') // first seen today: not 14 days yet
    await platform.advance(5000)
    expect(onScreen()).toBeNull()
    expect(linger.why('nps-quarterly').reasons).toEqual(['audience'])
  })

  it('a URL trigger fires on navigation and on the page the app started on', async () => {
    const settingsSurvey = { id: 'settings-poll', kind: 'text', question: 'What are you looking for?', trigger: { url: '#/settings*' } }
    const first = await start(only([settingsSurvey]))
    expect(first.onScreen()).toBeNull()
    first.platform.setPage({ url: 'https://app.example.com/#/settings/team', hash: '#/settings/team' })
    first.linger.page()
    expect(first.onScreen()).toBe('settings-poll')

    const platform = createFakePlatform()
    platform.setPage({ url: 'https://app.example.com/#/settings', hash: '#/settings' })
    expect((await start(only([settingsSurvey]), { platform })).onScreen()).toBe('settings-poll')
  })

  it('with widgets on screen, a triggered survey waits for a calm screen, then is checked again', async () => {
    const { linger, onScreen, seen } = await start()
    const calm: Array<() => void> = []
    linger.host.screen = { when: (fn) => void calm.push(fn) }
    linger.track('Report Exported')
    linger.track('Report Exported')
    // Nothing yet, and nothing counted as shown: the badge toast or celebration is still up.
    expect(onScreen()).toBeNull()
    expect(seen).toEqual([])
    expect(calm).toHaveLength(1)
    calm.splice(0).forEach((fn) => fn())
    expect(onScreen()).toBe('csat-export')
    expect(seen.map((e) => e.name)).toEqual(['shown'])
  })

  it('why() says a survey with no delay, held while the badge toast and celebration are up, waits for a calm screen, not for a delay it does not have', async () => {
    const { linger } = await start()
    const calm: Array<() => void> = []
    linger.host.screen = { when: (fn) => void calm.push(fn) }
    linger.track('Report Exported')
    expect(calm).toHaveLength(1)
    expect(linger.why('csat-export').reasons).toEqual(['waiting-for-calm'])
    calm.splice(0).forEach((fn) => fn())
    expect(linger.why('csat-export').reasons).toEqual(['eligible'])
  })

  it('a survey whose user left the page before the screen was calm is not asked there; the trigger asks again', async () => {
    const { linger, platform, onScreen, seen } = await start()
    const calm: Array<() => void> = []
    linger.host.screen = { when: (fn) => void calm.push(fn) }
    platform.setPage({ url: 'https://app.example.com/#/reports', hash: '#/reports' })
    linger.page()
    linger.track('Report Exported')
    // The badge toast is up; the user goes to the settings page meanwhile.
    platform.setPage({ url: 'https://app.example.com/#/settings', hash: '#/settings' })
    linger.page()
    calm.splice(0).forEach((fn) => fn())
    expect(onScreen()).toBeNull()
    expect(seen).toEqual([])
    expect(linger.why('csat-export').reasons).toEqual(['moved-on'])
    // Exporting again, and staying: now it is asked.
    linger.track('Report Exported')
    calm.splice(0).forEach((fn) => fn())
    expect(onScreen()).toBe('csat-export')
  })

  it('the same event again on another page, while the survey waits, makes that page its page', async () => {
    const { linger, platform, onScreen } = await start()
    const calm: Array<() => void> = []
    linger.host.screen = { when: (fn) => void calm.push(fn) }
    platform.setPage({ url: 'https://app.example.com/', hash: '' })
    linger.track('Report Exported')
    platform.setPage({ url: 'https://app.example.com/#/reports', hash: '#/reports' })
    linger.page()
    linger.track('Report Exported')
    calm.splice(0).forEach((fn) => fn())
    expect(onScreen()).toBe('csat-export')
  })

  it('a URL-triggered survey waiting for a calm screen still shows on another page its glob matches', async () => {
    const settingsSurvey = { id: 'settings-poll', kind: 'text', question: 'What are you looking for?', trigger: { url: '#/settings*' } }
    const { linger, platform, onScreen } = await start(only([settingsSurvey]))
    const calm: Array<() => void> = []
    linger.host.screen = { when: (fn) => void calm.push(fn) }
    platform.setPage({ url: 'https://app.example.com/#/settings/team', hash: '#/settings/team' })
    linger.page()
    platform.setPage({ url: 'https://app.example.com/#/settings/billing', hash: '#/settings/billing' })
    linger.page()
    calm.splice(0).forEach((fn) => fn())
    expect(onScreen()).toBe('settings-poll')
  })

  it('linger.show(id) shows at once, whatever the audience, the sample or the delay', async () => {
    const { linger, onScreen } = await start(example, { userId: userIn('nps-quarterly', 0.5, false) })
    expect(linger.show('nps-quarterly')).toBe(true)
    expect(onScreen()).toBe('nps-quarterly')
  })

  it('a survey opened by show(id) (a "Give feedback" button) is marked as asked for, so its card may take the focus of the user who asked; one a trigger opened is not', async () => {
    const { linger, surveys } = await start(only([surveyOf('csat-export'), surveyOf('ces-onboarding')], { cooldownDays: 0 }))
    linger.track('Report Exported')
    expect(surveys.$session.get()).toMatchObject({ survey: { id: 'csat-export' }, asked: false })
    surveys.close()
    linger.show('ces-onboarding')
    expect(surveys.$session.get()).toMatchObject({ survey: { id: 'ces-onboarding' }, asked: true })
  })
})

describe('sticky sampling', () => {
  const flows = only([{ ...surveyOf('nps-quarterly'), audience: undefined, delayMs: 0, repeat: 'always' }], { cooldownDays: 0 })
  /** Which of `n` users see the 50% NPS survey on a fresh device. */
  async function asked(n: number, document: object = flows) {
    const { linger, surveys } = await start(document)
    const ids: string[] = []
    for (let i = 0; i < n; i++) {
      linger.identify(`user_${i}`)
      linger.track('Dashboard Viewed')
      if (surveys.$session.get()) ids.push(`user_${i}`)
      surveys.close()
      // Keeps the fake outbox short, so the test stays fast.
      if (i % 25 === 0) await linger.flush()
    }
    linger.destroy()
    return ids
  }

  it('the 50% NPS sample asks about half of 300 users, and the same ones on another device', { timeout: 30_000 }, async () => {
    const first = await asked(300)
    expect(Math.abs(first.length / 300 - 0.5)).toBeLessThanOrEqual(0.07)
    expect(await asked(300)).toEqual(first)
  })

  it('a 50% sample inside an audience `{ sample: 0.5 }` asks about a quarter: two draws, not one read twice', { timeout: 30_000 }, async () => {
    const both = only([{ ...surveyOf('nps-quarterly'), audience: { sample: 0.5 }, delayMs: 0, repeat: 'always' }], { cooldownDays: 0 })
    expect(Math.abs((await asked(400, both)).length / 400 - 0.25)).toBeLessThanOrEqual(0.07)
  })

  it('a user outside the sample is told so by why()', async () => {
    const { linger, onScreen } = await start(flows, { userId: userIn('nps-quarterly', 0.5, false) })
    linger.track('Dashboard Viewed')
    expect(onScreen()).toBeNull()
    expect(linger.why('nps-quarterly').reasons).toEqual(['not-sampled'])
  })
})

describe('answering', () => {
  it('the score is sent at once with its category and a response id; the comment follows with the same id', async () => {
    const { linger, surveys, seen } = await start(example, { userId: userIn('nps-quarterly', 0.5) })
    linger.show('nps-quarterly')
    surveys.answer({ score: 4 })
    const answered = seen.filter((e) => e.name === 'answered')
    expect(answered).toEqual([{ name: 'answered', props: { surveyId: 'nps-quarterly', kind: 'nps', score: 4, category: 'detractor', responseId: seen[0].props.responseId } }])
    expect(surveys.$session.get()?.prompt).toBe('What disappointed you the most?')

    surveys.comment('Exports are slow')
    const last = seen[seen.length - 1]
    expect(last.name).toBe('answered')
    expect(last.props).toMatchObject({ responseId: seen[0].props.responseId, comment: 'Exports are slow', score: 4, category: 'detractor' })
    expect(seen.some((e) => e.name === 'dismissed')).toBe(false)
  })

  it('answers reach the collector as Survey Answered events', async () => {
    const { linger, surveys, platform } = await start()
    linger.track('Report Exported')
    surveys.answer({ score: 2 })
    await linger.flush()
    const sent = platform.requests.flatMap((r) => r.body?.batch ?? [])
    expect(sent.find((e: any) => e.event === 'Survey Answered')?.properties).toMatchObject({ surveyId: 'csat-export', kind: 'csat', score: 2, category: 'dissatisfied' })
  })

  it('a long comment is cut to the cap and the event says how much was cut', async () => {
    const { linger, surveys, seen } = await start()
    linger.track('Report Exported')
    surveys.answer({ score: 1 })
    surveys.comment('x'.repeat(COMMENT_MAX + 5))
    expect(seen[seen.length - 1].props).toMatchObject({ comment: 'x'.repeat(COMMENT_MAX), commentTrimmed: 5 })
  })

  it('skipping the comment or closing after the score is not a dismissal', async () => {
    const { linger, surveys, seen, onScreen } = await start()
    linger.track('Report Exported')
    surveys.answer({ score: 1 })
    surveys.close()
    expect(onScreen()).toBeNull()
    expect(seen.map((e) => e.name)).toEqual(['shown', 'answered'])
  })

  it('the thank-you closes by itself', async () => {
    const { linger, surveys, platform, onScreen } = await start()
    linger.track('Report Exported')
    surveys.answer({ score: 5 })
    expect(surveys.$session.get()?.step).toBe('thanks')
    await platform.advance(THANKS_MS)
    expect(onScreen()).toBeNull()
  })

  it('an answered survey is not asked again after a reload', async () => {
    const platform = createFakePlatform()
    const first = await start(only([surveyOf('next-feature')], { cooldownDays: 0 }), { platform })
    for (let i = 0; i < 3; i++) first.linger.track('Report Exported')
    first.surveys.answer({ choices: ['Gantt charts'] })
    first.linger.destroy()

    const reloaded = await start(only([surveyOf('next-feature')], { cooldownDays: 0 }), { platform })
    reloaded.linger.track('Report Exported')
    expect(reloaded.onScreen()).toBeNull()
    expect(reloaded.linger.why('next-feature').reasons).toContain('already-answered')
  })

  it('linger.on("survey:answered") hears every answer, for vendors who route them elsewhere', async () => {
    const { linger, surveys } = await start()
    const heard: unknown[] = []
    linger.on('survey:answered', (p) => heard.push(p.score))
    linger.track('Report Exported')
    surveys.answer({ score: 3 })
    expect(heard).toEqual([3])
  })
})

describe('dismissing, repeat and cooldown', () => {
  it('a dismissal is its own event and snoozes the survey until the cooldown is over', async () => {
    const { linger, surveys, platform, seen, onScreen } = await start(only([surveyOf('next-feature')]))
    for (let i = 0; i < 3; i++) linger.track('Report Exported')
    surveys.close()
    expect(seen.map((e) => e.name)).toEqual(['shown', 'dismissed'])
    expect(seen[1].props).toMatchObject({ surveyId: 'next-feature', kind: 'choice', responseId: seen[0].props.responseId })

    await platform.advance(2 * DAY - 1000)
    linger.track('Report Exported')
    expect(onScreen()).toBeNull()
    expect(linger.why('next-feature').reasons).toContain('dismissed-snooze')

    await platform.advance(1000)
    linger.track('Report Exported')
    expect(onScreen()).toBe('next-feature') // "until-answered": back after the snooze
  })

  it('repeat "once": a dismissed CSAT never comes back', async () => {
    const { linger, surveys, platform, onScreen } = await start()
    linger.track('Report Exported')
    surveys.close()
    await platform.advance(30 * DAY)
    linger.track('Report Exported')
    expect(onScreen()).toBeNull()
    expect(linger.why('csat-export').reasons).toEqual(['repeat-once'])
    // A month of the fake clock runs every minute's tick: seconds on a loaded CI machine.
  }, 20_000)

  it('repeat {afterDays: 90}: NPS is asked again after 90 days, not before', async () => {
    const { linger, surveys, platform, onScreen } = await start(only([{ ...surveyOf('nps-quarterly'), audience: undefined, delayMs: 0 }]), { userId: userIn('nps-quarterly', 0.5) })
    linger.track('Dashboard Viewed')
    surveys.answer({ score: 10 })
    surveys.close()
    await platform.advance(89 * DAY)
    linger.track('Dashboard Viewed')
    expect(onScreen()).toBeNull()
    expect(linger.why('nps-quarterly').reasons).toEqual(['repeat-wait'])
    await platform.advance(1 * DAY)
    linger.track('Dashboard Viewed')
    expect(onScreen()).toBe('nps-quarterly')
  })

  it('the global cooldown spaces surveys two days apart', async () => {
    const { linger, surveys, platform, onScreen } = await start()
    linger.track('Report Exported')
    surveys.answer({ score: 5 })
    surveys.close()
    finishChecklist(linger)
    expect(onScreen()).toBeNull()
    expect(linger.why('ces-onboarding').reasons).toEqual(['cooldown'])
    await platform.advance(2 * DAY)
    finishChecklist(linger)
    expect(onScreen()).toBe('ces-onboarding')
  })
})

describe('a daily pulse', () => {
  it('answered on Monday evening in New York, it is asked again on Tuesday morning, their next day', async () => {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T18:00:00-05:00') } })
    platform.timezone = () => 'America/New_York'
    const flows = { version: 1, settings: { cooldownDays: 0 }, surveys: [{ id: 'pulse', kind: 'csat', question: 'How was today?', trigger: { event: 'Report Exported' }, repeat: { afterDays: 1 } }] }
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    linger.identify('u_1')
    await linger.ready
    const surveys = linger.experiences.surveys!
    linger.track('Report Exported')
    surveys.answer({ score: 4 })
    surveys.close()
    await platform.advance(15 * 3_600_000) // Tuesday 9:00 in New York
    linger.track('Report Exported')
    expect(surveys.$session.get()?.survey.id ?? linger.why('pulse').reasons).toBe('pulse')
  })
})

describe('two tabs', () => {
  it("a vendor's \"Give feedback\" button in a second tab, while the survey is up in the first: show() answers false (nothing came) and why() says where it is", async () => {
    const shared = new Map<string, string>()
    const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
    const flows = only([{ id: 'pulse', kind: 'csat', question: 'How is it going?', trigger: { event: 'Report Exported' }, repeat: 'always' }], { cooldownDays: 0 })
    const a = await start(flows, { platform: createFakePlatform({ shared, clock, seed: 1 }), userId: 'u_1' })
    const b = await start(flows, { platform: createFakePlatform({ shared, clock, seed: 2 }), userId: 'u_1' })
    a.linger.track('Report Exported')
    for (const key of shared.keys()) b.platform.fireStorage(key)
    expect(b.linger.show('pulse')).toBe(false)
    expect(b.onScreen()).toBeNull()
    expect(b.linger.why('pulse')).toMatchObject({ show: false, reasons: ['shown-in-another-tab'] })
  })

  it('a survey on screen in one tab does not also show in the other', async () => {
    const shared = new Map<string, string>()
    const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
    const survey = { id: 'pulse', kind: 'csat', question: 'How is it going?', trigger: { event: 'Report Exported' }, repeat: 'always' }
    const flows = only([survey], { cooldownDays: 0 })
    const a = await start(flows, { platform: createFakePlatform({ shared, clock, seed: 1 }), userId: 'u_1' })
    const b = await start(flows, { platform: createFakePlatform({ shared, clock, seed: 2 }), userId: 'u_1' })
    a.linger.track('Report Exported')
    expect(a.onScreen()).toBe('pulse')
    for (const key of shared.keys()) b.platform.fireStorage(key)
    b.linger.track('Report Exported')
    expect(b.onScreen()).toBeNull()
    expect(b.linger.why('pulse').reasons).toEqual(['shown-in-another-tab'])

    // Once it is closed there, this tab may show it again (repeat "always", no cooldown).
    a.surveys.close()
    for (const key of shared.keys()) b.platform.fireStorage(key)
    b.linger.track('Report Exported')
    expect(b.onScreen()).toBe('pulse')
  })
})

describe('a URL-triggered survey and who the user turns out to be', () => {
  it('shows once identify(), a moment after the page loaded, brings the user into its audience; the same identify again asks nothing', async () => {
    const platform = createFakePlatform()
    platform.setPage({ url: 'https://app.acme.test/dashboard', path: '/dashboard', title: 'Dashboard' })
    const pro = { id: 'pro-nps', kind: 'nps', question: 'Recommend us?', trigger: { url: '/dashboard*' }, audience: { trait: 'plan', eq: 'pro' }, delayMs: 0, repeat: 'always' }
    const { linger, surveys, onScreen } = await start(only([pro], { cooldownDays: 0 }), { platform })
    expect(onScreen()).toBeNull()
    // The app resolved its session.
    linger.identify('u_1', { plan: 'pro' })
    await platform.advance(0)
    expect(onScreen()).toBe('pro-nps')
    surveys.close()
    // Apps call identify() on every route with what they know: nothing changed, nothing asked.
    linger.identify('u_1', { plan: 'pro' })
    await platform.advance(0)
    expect(onScreen()).toBeNull()
  })

  it('a trial user who upgrades while the trial survey is up keeps it for the answer they are giving, and why() does not call the survey on their screen "audience"', async () => {
    const trial = { id: 'trial-csat', kind: 'csat', question: 'How is your trial going?', trigger: { event: 'Report Exported' }, audience: { trait: 'plan', eq: 'trial' }, repeat: 'always' }
    const { linger, onScreen } = await start(only([trial], { cooldownDays: 0 }))
    linger.identify('u_1', { plan: 'trial' })
    linger.track('Report Exported')
    expect(onScreen()).toBe('trial-csat')
    linger.identify('u_1', { plan: 'pro' })
    linger.track('Report Exported')
    expect(onScreen()).toBe('trial-csat')
    expect(linger.why('trial-csat')).toMatchObject({ show: true, reasons: ['eligible'] })
  })
})

describe('a "welcome back" survey', () => {
  it('asks someone back after 30 days away, and not someone who was here yesterday', async () => {
    const back = { id: 'welcome-back', kind: 'text', question: 'What brought you back?', trigger: { event: 'Dashboard Viewed' }, audience: { daysSince: 'lastSeen', gte: 7 }, delayMs: 0, repeat: 'always' }
    const platform = createFakePlatform()
    const first = await start(only([back], { cooldownDays: 0 }), { platform })
    first.linger.track('Dashboard Viewed')
    expect(first.onScreen()).toBeNull()
    first.linger.destroy()
    await platform.advance(30 * DAY)
    const later = await start(only([back], { cooldownDays: 0 }), { platform })
    later.linger.track('Dashboard Viewed')
    expect(later.onScreen()).toBe('welcome-back')
    later.surveys.close()
    later.linger.destroy()
    await platform.advance(DAY)
    const next = await start(only([back], { cooldownDays: 0 }), { platform })
    next.linger.track('Dashboard Viewed')
    expect(next.onScreen()).toBeNull()
  })
})

describe('signing up, and two tabs answering apart', () => {
  it('a visitor who answered a "once" CSAT and then signs up is not asked it again, and the cooldown runs on', async () => {
    const { linger, surveys, onScreen, platform } = await start(only([surveyOf('csat-export'), surveyOf('ces-onboarding')], { cooldownDays: 2 }))
    linger.track('Report Exported')
    expect(onScreen()).toBe('csat-export')
    surveys.answer({ score: 4 })
    surveys.close()
    linger.identify('new_user_1')
    await platform.advance(0)
    linger.track('Report Exported')
    expect(onScreen()).toBeNull()
    expect(linger.why('csat-export').reasons).toContain('repeat-once')
    // A blocking survey shown minutes ago, as a visitor: the next one waits its two days.
    finishChecklist(linger)
    expect(onScreen()).toBeNull()
    expect(linger.why('ces-onboarding').reasons).toContain('cooldown')
  })

  it('a "once" survey answered in one tab stays answered when another tab, not yet told, closes another survey', async () => {
    const flows = only([surveyOf('csat-export'), surveyOf('ces-onboarding')], { cooldownDays: 0 })
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const a = await start(flows, { platform: lag.tab(), userId: 'u_1' })
    const b = await start(flows, { platform: lag.tab(), userId: 'u_1' })
    lag.deliver()
    a.linger.track('Report Exported')
    expect(a.onScreen()).toBe('csat-export')
    a.surveys.answer({ score: 5 })
    a.surveys.close()
    // Tab B, in the same moment: its copy of storage has not heard of A's answer.
    finishChecklist(b.linger)
    expect(b.onScreen()).toBe('ces-onboarding')
    b.surveys.close()
    lag.deliver()
    await a.platform.advance(60_000)
    await b.platform.advance(60_000)
    lag.deliver()
    a.linger.track('Report Exported')
    b.linger.track('Report Exported')
    expect([a.onScreen(), b.onScreen()]).toEqual([null, null])
    // B's showing of the other survey is kept too.
    const stored = JSON.parse(lag.storage.get('linger:state:u:u_1')!).scheduler.history
    expect([stored['csat-export'].answered, stored['ces-onboarding'].shown]).toEqual([true, 1])
  })

  it('a stored history of another shape (an older release, a hand edit) does not make a delayed survey throw from its timer', async () => {
    const platform = createFakePlatform()
    const flows = only([{ ...surveyOf('csat-export'), delayMs: 1000 }])
    const warm = await start(flows, { platform })
    const key = `linger:state:${warm.linger.host.user.get().userKey}`
    warm.linger.destroy()
    for (const scheduler of [{ history: null, lastBlockingShown: null }, { history: { 'csat-export': null } }, 7]) {
      platform.storageMap.set(key, JSON.stringify({ scheduler }))
      const { linger, onScreen } = await start(flows, { platform })
      linger.track('Report Exported')
      await expect(platform.advance(1000)).resolves.toBeUndefined()
      expect(onScreen()).toBe('csat-export')
      linger.destroy()
    }
  })
})

/**
 * Tabs of one browser as Chromium is under load: a lock's next holder need not have the last
 * holder's storage writes yet. What a tab claims in the lock manager is held until it lets go
 * (CLAIM_MS on its clock, or at once).
 */
function underLoad(lag: ReturnType<typeof laggingStorage>) {
  const locks = webLocks()
  const { claimed, claiming } = heldClaims()
  const tab = () => Object.assign(claiming(lag.tab()), { exclusive: locks.exclusive })
  return { locks, claimed, tab }
}

describe('two tabs triggering it in the same moment', () => {
  const once = { id: 'once', kind: 'csat', question: 'How was the export?', trigger: { event: 'Report Exported' }, repeat: 'once' }
  const flows = only([once], { cooldownDays: 0 })
  /** Two tabs of u_1 whose storage lags, taking turns under Web Locks. */
  async function twoTabs() {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const locks = lockedTabs(lag)
    const a = await start(flows, { platform: locks.tab(), userId: 'u_1' })
    const b = await start(flows, { platform: locks.tab(), userId: 'u_1' })
    lag.deliver()
    return { a, b, lag, locks }
  }

  it('a once-survey shows in one of them, and the other, in its turn, hears it was shown', async () => {
    const { a, b, lag, locks } = await twoTabs()
    // Each exports before the other's write can reach it.
    a.linger.track('Report Exported')
    b.linger.track('Report Exported')
    await locks.settled()
    lag.deliver()
    expect([a.onScreen(), b.onScreen()]).toEqual(['once', null])
    expect(b.linger.why('once').reasons).toEqual(['shown-in-another-tab'])
    expect([...a.seen, ...b.seen].map((e) => e.name)).toEqual(['shown'])

    // Answered there: the other tab never asks again.
    a.surveys.answer({ score: 5 })
    lag.deliver()
    b.linger.track('Report Exported')
    await locks.settled()
    expect(b.onScreen()).toBeNull()
    expect(b.linger.why('once').reasons).toEqual(['repeat-once'])
  })

  it('a tab whose copy of storage has not heard of the other tab\'s showing when its turn comes stays quiet all the same: the showing is claimed in the lock manager', async () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const { locks, claimed, tab } = underLoad(lag)
    const a = await start(flows, { platform: tab(), userId: 'u_1' })
    const b = await start(flows, { platform: tab(), userId: 'u_1' })
    lag.deliver()
    a.linger.track('Report Exported')
    b.linger.track('Report Exported')
    await locks.settled()
    await a.platform.advance(0)
    expect([a.onScreen(), b.onScreen()]).toEqual(['once', null])
    expect(b.linger.why('once').reasons).toEqual(['shown-in-another-tab'])
    expect([...a.seen, ...b.seen].map((e) => e.name)).toEqual(['shown'])
    // Claimed for the device's person (its anonymousId) and, signed in, for the user too (a tab
    // that signed out and in again claims under another anonymousId): see across-tabs.ts inTurn.
    expect([...claimed].sort()).toEqual([`linger:shown:${a.linger.host.user.get().anonymousId}:once`, 'linger:shown:u:u_1:once'].sort())
  })

  it('a trigger whose answer is "no" from this tab\'s own copy takes no turn (a lock costs the page ~0.4 ms)', async () => {
    const { a, locks } = await twoTabs()
    a.linger.track('Report Exported')
    await locks.settled()
    expect(locks.requests).toHaveLength(1)
    a.surveys.close()
    for (let i = 0; i < 5; i++) a.linger.track('Report Exported')
    await locks.settled()
    expect(locks.requests).toHaveLength(1)
    expect(a.linger.why('once').reasons).toEqual(['repeat-once'])
  })

  /** A tab of u_1 with the widgets' screen (calm a task after it is asked) and a badge for `badgeFor`. */
  async function withScreen(badgeFor: string) {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const locks = lockedTabs(lag)
    const badges = [{ id: 'exporter', title: 'Exporter', icon: '📤', rule: { event: badgeFor } }]
    const a = await start({ ...flows, badges }, { platform: locks.tab(), userId: 'u_1' })
    await locks.settled()
    const waiting: Array<() => void> = []
    a.linger.host.screen = { when: (fn) => void waiting.push(fn) }
    // Calm a task later, as the widgets' screen is: the event's grant pass has looked by then.
    const calm = async () => {
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 0))
        waiting.splice(0).forEach((fn) => fn())
        await locks.settled()
      }
    }
    const before = locks.requests.length
    return { a, calm, turns: () => locks.requests.slice(before) }
  }

  it('a survey whose event earned nothing takes one turn of the user\'s, its own: none of its page\'s grants to wait for (each lock is a task more before its first frame)', async () => {
    const { a, calm, turns } = await withScreen('Project Created')
    a.linger.track('Report Exported')
    await calm()
    expect(a.onScreen()).toBe('once')
    expect(turns()).toEqual(['linger:grant:u:u_1'])
  })

  it('a survey whose event earned a badge waits for the turn that grants it, then takes its own', async () => {
    const { a, calm, turns } = await withScreen('Report Exported')
    a.linger.track('Report Exported')
    await calm()
    expect(a.onScreen()).toBe('once')
    expect(Object.keys(a.linger.experiences.badges!.$state.get().earned)).toEqual(['exporter'])
    // The badge's turn, the survey's wait for it, the survey's own.
    expect(turns()).toEqual(['linger:grant:u:u_1', 'linger:grant:u:u_1', 'linger:grant:u:u_1'])
  })

  it('a visitor who signs up while their trigger waits for its turn is asked it all the same, once, as the user they became', async () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const locks = lockedTabs(lag)
    const a = await start(flows, { platform: locks.tab() })
    a.linger.track('Report Exported')
    // The sign-up form's submit, in the same task as the export it followed.
    a.linger.identify('new_user_1')
    await locks.settled()
    await a.platform.advance(0)
    expect(a.onScreen()).toBe('once')
    expect(a.seen.map((e) => e.name)).toEqual(['shown'])
    expect(a.linger.host.user.get().userId).toBe('new_user_1')
  })

  it('a visitor who signs up as a verified user (userHash) while their trigger waits for its turn is asked it once their progress from other devices is in', async () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const locks = lockedTabs(lag)
    const platform = locks.tab()
    // Their progress from other devices answers late (a slow collector).
    let answer!: () => void
    const late = new Promise<void>((r) => (answer = r))
    platform.respond = async (req) => (req.url.includes('/state') && (await late), { status: 200 })
    const a = await start(flows, { platform })
    a.linger.track('Report Exported')
    a.linger.identify('new_user_1', {}, { userHash: 'h'.repeat(64) })
    await locks.settled()
    await platform.advance(0)
    expect(a.onScreen()).toBe(null)
    answer()
    await vi.waitFor(async () => {
      await platform.advance(0)
      expect(a.linger.host.syncing?.()).toBe(false)
    })
    await locks.settled()
    await platform.advance(0)
    expect(a.onScreen()).toBe('once')
    expect(a.seen.map((e) => e.name)).toEqual(['shown'])
  })

  it('a visitor who signs up while the lock manager has yet to answer their survey\'s claim is asked it all the same, once', async () => {
    const locks = lockedTabs(laggingStorage(Date.parse('2026-03-02T10:00:00Z')))
    const platform = locks.tab()
    // The lock manager answers the claim late (Chromium under load).
    let answer!: () => void
    const late = new Promise<void>((r) => (answer = r))
    const withLock = platform.withLock!
    platform.withLock = async (name, fn) => (await late, withLock(name, fn))
    const a = await start(flows, { platform })
    a.linger.track('Report Exported')
    await locks.settled()
    a.linger.identify('new_user_1')
    answer()
    await platform.advance(0)
    await locks.settled()
    await platform.advance(0)
    expect(a.onScreen()).toBe('once')
    expect(a.seen.map((e) => e.name)).toEqual(['shown'])
  })

  /** Two tabs of one visitor (claims held as Chromium's lock manager holds them); A's claims are answered when `answer()` is called. */
  async function visitorTabs() {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const { locks, tab } = underLoad(lag)
    const a = await start(flows, { platform: tab() })
    lag.deliver()
    const b = await start(flows, { platform: tab() })
    let answer!: () => void
    const late = new Promise<void>((r) => (answer = r))
    const withLock = a.platform.withLock!
    a.platform.withLock = async (name, fn) => (await late, withLock(name, fn))
    return { a, b, lag, locks, answer }
  }

  it('a visitor who signs up in one tab while their survey\'s claim is answered, and exports in the other tab that has yet to hear of it, is asked it once, not in both tabs', async () => {
    const { a, b, locks, answer } = await visitorTabs()
    expect(b.linger.host.user.get().userKey).toBe(a.linger.host.user.get().userKey)
    a.linger.track('Report Exported')
    await locks.settled()
    a.linger.identify('new_user_1')
    answer()
    await a.platform.advance(0)
    // B is still the visitor: the sign-up has not reached its copy of storage.
    b.linger.track('Report Exported')
    await locks.settled()
    await a.platform.advance(0)
    await b.platform.advance(0)
    await locks.settled()
    expect([a.onScreen(), b.onScreen()]).toEqual(['once', null])
    expect([...a.seen, ...b.seen].map((e) => e.name)).toEqual(['shown'])
  })

  it('a visitor who signs up while their survey\'s claim is answered, then hands the laptop to someone else who signs in before the new account\'s turn: nothing is asked of that someone else', async () => {
    const { a, locks, answer } = await visitorTabs()
    a.linger.track('Report Exported')
    await locks.settled()
    a.linger.identify('new_user_1')
    answer()
    await a.platform.advance(0)
    a.linger.identify('someone_else')
    await locks.settled()
    await a.platform.advance(0)
    await locks.settled()
    expect(a.onScreen()).toBeNull()
    expect(a.seen).toEqual([])
  })

  it('the user signing out while the turn is on its way: nothing opens for them', async () => {
    const { a, locks } = await twoTabs()
    a.linger.track('Report Exported')
    a.linger.reset()
    await locks.settled()
    expect(a.onScreen()).toBeNull()
    expect(a.seen).toEqual([])
  })
})

describe('two tabs, two different surveys, and the global cooldown', () => {
  // Two days between blocking experiences: no repeat policy and no record of the same id keeps
  // the second one away, only the cooldown.
  const exported = { id: 'export-pulse', kind: 'csat', question: 'How was the export?', trigger: { event: 'Report Exported' }, repeat: 'always' }
  const viewed = { id: 'dashboard-pulse', kind: 'csat', question: 'How is the dashboard?', trigger: { event: 'Dashboard Viewed' }, repeat: 'always' }
  const welcome = { id: 'welcome', trigger: { event: 'Dashboard Viewed' }, repeat: 'always', steps: [{ id: 'hi', title: 'Your projects live here', body: 'All of them.' }] }
  const whatsNew = { id: 'v3', format: 'modal', title: 'Acme 3.0 is here', audience: { event: 'Dashboard Viewed' } }
  /** Three tabs of u_1 (most tests use two) as Chromium under load (see underLoad). */
  async function userTabs(flows: object) {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const { locks, tab } = underLoad(lag)
    const a = await start(flows, { platform: tab(), userId: 'u_1' })
    const b = await start(flows, { platform: tab(), userId: 'u_1' })
    const c = await start(flows, { platform: tab(), userId: 'u_1' })
    lag.deliver()
    return { a, b, c, lag, locks }
  }
  const goTo = (tab: { platform: FakePlatform; linger: Linger }, hash: string) => {
    tab.platform.setPage({ url: `https://app.example.com/${hash}`, hash })
    tab.linger.page()
  }
  /** Both tabs' clocks run on past the claims (CLAIM_MS), storage reaching each, turns taken. */
  async function later(a: { platform: FakePlatform }, b: { platform: FakePlatform }, lag: ReturnType<typeof laggingStorage>, locks: ReturnType<typeof webLocks>) {
    await a.platform.advance(CLAIM_MS)
    lag.deliver()
    await b.platform.advance(CLAIM_MS)
    await locks.settled()
    await a.platform.advance(0)
    await b.platform.advance(0)
    lag.deliver()
  }

  it('one tab exporting while the other opens the dashboard, in the same moment: the user is asked one survey, not one in each tab', async () => {
    const { a, b, locks } = await userTabs(only([exported, viewed], { cooldownDays: 2 }))
    a.linger.track('Report Exported')
    b.linger.track('Dashboard Viewed')
    await locks.settled()
    await a.platform.advance(0)
    expect([a.onScreen(), b.onScreen()]).toEqual(['export-pulse', null])
    expect([...a.seen, ...b.seen].map((e) => [e.name, e.props.surveyId])).toEqual([['shown', 'export-pulse']])
    expect(b.linger.why('dashboard-pulse').reasons).toEqual(['cooldown'])
  })

  it('the held-back tab asks again once the claim is over, and stays quiet: the other tab did ask, so the cooldown is true', async () => {
    const { a, b, lag, locks } = await userTabs(only([exported, viewed], { cooldownDays: 2 }))
    a.linger.track('Report Exported')
    b.linger.track('Dashboard Viewed')
    await locks.settled()
    await a.platform.advance(0)
    await later(a, b, lag, locks)
    expect([a.onScreen(), b.onScreen()]).toEqual(['export-pulse', null])
    expect([...a.seen, ...b.seen].map((e) => e.props.surveyId)).toEqual(['export-pulse'])
    expect(b.linger.why('dashboard-pulse').reasons).toEqual(['cooldown'])
  })

  it('the tab that took the turn first shows nothing (the user left its page meanwhile): the other tab\'s survey is asked a moment later, not lost to a cooldown nothing started', async () => {
    const { a, b, lag, locks } = await userTabs(only([exported, viewed], { cooldownDays: 2 }))
    goTo(a, '#/reports')
    a.linger.track('Report Exported')
    b.linger.track('Dashboard Viewed')
    // Before the turns come round, the user goes from the reports to the settings in tab A.
    goTo(a, '#/settings')
    await locks.settled()
    await a.platform.advance(0)
    expect(a.linger.why('export-pulse').reasons).toEqual(['moved-on'])
    await later(a, b, lag, locks)
    expect([a.onScreen(), b.onScreen()]).toEqual([null, 'dashboard-pulse'])
    expect([...a.seen, ...b.seen].map((e) => [e.name, e.props.surveyId])).toEqual([['shown', 'dashboard-pulse']])
    expect(b.linger.why('dashboard-pulse').reasons).toEqual(['eligible'])
  })

  it('the same survey triggered in both tabs, under the default two-day cooldown: the quiet tab says it was shown in another tab', async () => {
    const { a, b, locks } = await userTabs(only([exported], { cooldownDays: 2 }))
    a.linger.track('Report Exported')
    b.linger.track('Report Exported')
    await locks.settled()
    await a.platform.advance(0)
    expect([a.onScreen(), b.onScreen()]).toEqual(['export-pulse', null])
    expect(b.linger.why('export-pulse').reasons).toEqual(['shown-in-another-tab'])
  })

  it('a survey in one tab and a welcome tour in the other, in the same moment: one of them, the cooldown keeps the other away', async () => {
    const { a, b, locks } = await userTabs({ ...only([exported], { cooldownDays: 2 }), tours: [welcome] })
    a.linger.track('Report Exported')
    b.linger.track('Dashboard Viewed')
    await locks.settled()
    await a.platform.advance(0)
    expect([a.onScreen(), b.linger.experiences.tours!.$runs.get().length]).toEqual(['export-pulse', 0])
    expect(b.linger.why('welcome').reasons).toEqual(['cooldown'])
  })

  /** Tab A's survey comes to nothing (the user left its page before the turns came round) as tab B's dashboard opens; then the claims are over. */
  async function nothingInA(flows: object) {
    const { a, b, lag, locks } = await userTabs(flows)
    goTo(a, '#/reports')
    a.linger.track('Report Exported')
    b.linger.track('Dashboard Viewed')
    goTo(a, '#/settings')
    await locks.settled()
    await a.platform.advance(0)
    await later(a, b, lag, locks)
    return { a, b }
  }

  it('a survey in one tab that comes to nothing (the user left its page), a welcome tour in the other: the tour starts a moment later', async () => {
    const { a, b } = await nothingInA({ ...only([exported], { cooldownDays: 2 }), tours: [welcome] })
    expect([a.onScreen(), b.linger.experiences.tours!.$runs.get().map((r) => r.tour.id)]).toEqual([null, ['welcome']])
    expect(a.seen).toEqual([])
  })

  it('three tabs: while the first shows its survey and the second waits out the claim, the third, triggered too, is told the cooldown holds it, not that the survey is on screen elsewhere', async () => {
    const { a, b, c, locks } = await userTabs(only([exported, viewed], { cooldownDays: 2 }))
    a.linger.track('Report Exported')
    b.linger.track('Dashboard Viewed')
    c.linger.track('Dashboard Viewed')
    await locks.settled()
    await a.platform.advance(0)
    expect([a.onScreen(), b.onScreen(), c.onScreen()]).toEqual(['export-pulse', null, null])
    expect([b.linger.why('dashboard-pulse').reasons, c.linger.why('dashboard-pulse').reasons]).toEqual([['cooldown'], ['cooldown']])
  })

  it('three tabs, the first one\'s card never loading: the user leaves the dashboard in the second, and the third, still on it, asks its survey once the claim is over', async () => {
    const { a, b, c, lag, locks } = await userTabs(only([exported, viewed], { cooldownDays: 2 }))
    // The page blocks the first tab's survey chunk: decided, never drawn, never shown.
    a.linger.host.undrawn = () => true
    goTo(b, '#/dashboard')
    goTo(c, '#/dashboard')
    a.linger.track('Report Exported')
    b.linger.track('Dashboard Viewed')
    c.linger.track('Dashboard Viewed')
    await locks.settled()
    await a.platform.advance(0)
    a.surveys.uiFailed!()
    goTo(b, '#/settings')
    await later(a, b, lag, locks)
    await c.platform.advance(CLAIM_MS)
    await locks.settled()
    await c.platform.advance(0)
    expect([a.onScreen(), b.onScreen(), c.onScreen()]).toEqual([null, null, 'dashboard-pulse'])
    expect([...a.seen, ...b.seen, ...c.seen].map((e) => [e.name, e.props.surveyId])).toEqual([['shown', 'dashboard-pulse']])
  })

  it('the same survey in two tabs, the first tab\'s user gone from its page before its turn: the second asks it, not told it is on screen elsewhere', async () => {
    const { a, b, locks } = await userTabs(only([exported], { cooldownDays: 2 }))
    goTo(a, '#/reports')
    a.linger.track('Report Exported')
    b.linger.track('Report Exported')
    goTo(a, '#/settings')
    await locks.settled()
    await b.platform.advance(0)
    expect([a.onScreen(), b.onScreen()]).toEqual([null, 'export-pulse'])
    expect(a.linger.why('export-pulse').reasons).toEqual(['moved-on'])
  })

  it('a survey in one tab and a "what\'s new" modal in the other, in the same moment: one of them, the cooldown keeps the other away', async () => {
    const { a, b, lag, locks } = await userTabs({ ...only([exported], { cooldownDays: 2 }), announcements: [whatsNew] })
    a.linger.track('Report Exported')
    b.linger.track('Dashboard Viewed')
    await locks.settled()
    await a.platform.advance(0)
    await b.platform.advance(0)
    const modal = () => b.linger.experiences.announcements!.$modal.get()?.id ?? null
    expect([a.onScreen(), modal()]).toEqual(['export-pulse', null])
    // Asked again once the claim is over: the survey was shown, so the cooldown is true.
    await later(a, b, lag, locks)
    expect([a.onScreen(), modal()]).toEqual(['export-pulse', null])
    expect(b.linger.why('v3').reasons).toEqual(['cooldown'])
  })

  it('a survey in one tab that comes to nothing (the user left its page), a "what\'s new" modal in the other: the modal opens a moment later', async () => {
    const { a, b } = await nothingInA({ ...only([exported], { cooldownDays: 2 }), announcements: [whatsNew] })
    expect([a.onScreen(), b.linger.experiences.announcements!.$modal.get()?.id]).toEqual([null, 'v3'])
  })

  /** From now on the tab's lock manager answers its claims only once the returned function is called. */
  function answersLate(tab: { platform: FakePlatform }) {
    let answer!: () => void
    const late = new Promise<void>((r) => (answer = r))
    const withLock = tab.platform.withLock!
    tab.platform.withLock = async (name, fn) => (await late, withLock(name, fn))
    return answer
  }
  /** Tab A asks its survey; then tab B opens the dashboard, and its claims are answered once `answer()` is called. */
  async function slowClaimInB(flows: object) {
    const { a, b, lag, locks } = await userTabs(flows)
    a.linger.track('Report Exported')
    await locks.settled()
    await a.platform.advance(0)
    const answer = answersLate(b)
    b.linger.track('Dashboard Viewed')
    await locks.settled()
    return { a, b, lag, locks, answer }
  }

  it('another person signing in to the held-back tab while its claim is answered is not asked the last user\'s survey, nor told the last user\'s cooldown', async () => {
    const { a, b, lag, locks, answer } = await slowClaimInB(only([exported, viewed], { cooldownDays: 2 }))
    b.linger.identify('bob')
    answer()
    await b.platform.advance(0)
    expect([a.onScreen(), b.onScreen()]).toEqual(['export-pulse', null])
    // Bob never opened the dashboard: nothing waits for him.
    expect(b.linger.why('dashboard-pulse').reasons).toEqual(['not-triggered'])
    await later(a, b, lag, locks)
    expect(b.onScreen()).toBeNull()
    expect(b.seen).toEqual([])
  })

  it('another person signing in to the held-back tab while its claim is answered does not get the last user\'s welcome tour a moment later', async () => {
    const { a, b, lag, locks, answer } = await slowClaimInB({ ...only([exported], { cooldownDays: 2 }), tours: [welcome] })
    b.linger.identify('bob')
    answer()
    await b.platform.advance(0)
    expect(b.linger.why('welcome').reasons).toEqual(['not-triggered'])
    await later(a, b, lag, locks)
    expect(b.linger.experiences.tours!.$runs.get()).toEqual([])
  })

  it('Linger stopped (destroy()) while a survey\'s claim is answered asks no one: not spent, the page that starts Linger again (a component mounted again) asks it', async () => {
    const flows = only([exported], { cooldownDays: 2 })
    const { a, locks } = await userTabs(flows)
    const answer = answersLate(a)
    a.linger.track('Report Exported')
    await locks.settled()
    a.linger.destroy()
    answer()
    await a.platform.advance(100)
    const again = await start(flows, { platform: a.platform, userId: 'u_1' })
    again.linger.track('Report Exported')
    await locks.settled()
    await a.platform.advance(100)
    expect([a.seen, again.onScreen()]).toEqual([[], 'export-pulse'])
    expect(again.seen.map((e) => [e.name, e.props.surveyId])).toEqual([['shown', 'export-pulse']])
  })

  it('Linger stopped (destroy()) while a tour\'s claim is answered starts nothing: the stopped client says nothing, the page that starts Linger again starts the tour', async () => {
    const flows = { ...only([], { cooldownDays: 2 }), tours: [welcome] }
    const { a, locks } = await userTabs(flows)
    const answer = answersLate(a)
    const started: string[][] = [[], []]
    a.linger.on('tour:started', (p: { tourId: string }) => started[0].push(p.tourId))
    a.linger.track('Dashboard Viewed')
    await locks.settled()
    a.linger.destroy()
    answer()
    await a.platform.advance(100)
    const again = await start(flows, { platform: a.platform, userId: 'u_1' })
    again.linger.on('tour:started', (p: { tourId: string }) => started[1].push(p.tourId))
    again.linger.track('Dashboard Viewed')
    await locks.settled()
    await a.platform.advance(100)
    // Started once its step is on screen (its target found).
    a.linger.experiences.tours?.targetFound('welcome')
    again.linger.experiences.tours!.targetFound('welcome')
    expect(started).toEqual([[], ['welcome']])
  })

  it('a visitor signing up in the held-back tab while its claim is answered keeps their trigger: the survey the other tab never drew is asked a moment later, of the user they became', async () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const { locks, tab } = underLoad(lag)
    const flows = only([exported, viewed], { cooldownDays: 2 })
    const a = await start(flows, { platform: tab() })
    lag.deliver()
    // The same visitor (one device) in a second tab.
    const b = await start(flows, { platform: tab() })
    expect(b.linger.host.user.get().anonymousId).toBe(a.linger.host.user.get().anonymousId)
    // The page blocks the first tab's survey chunk: decided (its claims held), never drawn.
    a.linger.host.undrawn = () => true
    a.linger.track('Report Exported')
    await locks.settled()
    await a.platform.advance(0)
    a.surveys.uiFailed!()
    const answer = answersLate(b)
    b.linger.track('Dashboard Viewed')
    await locks.settled()
    b.linger.identify('new_user_1')
    answer()
    await b.platform.advance(0)
    expect(b.onScreen()).toBeNull()
    await later(a, b, lag, locks)
    expect([a.onScreen(), b.onScreen()]).toEqual([null, 'dashboard-pulse'])
    expect(b.seen.map((e) => [e.name, e.props.surveyId])).toEqual([['shown', 'dashboard-pulse']])
  })

  it('without a cooldown (cooldownDays 0) both tabs ask theirs: nothing is held back that the vendor allowed', async () => {
    const { a, b, locks } = await userTabs(only([exported, viewed], { cooldownDays: 0 }))
    a.linger.track('Report Exported')
    b.linger.track('Dashboard Viewed')
    await locks.settled()
    await a.platform.advance(0)
    expect([a.onScreen(), b.onScreen()]).toEqual(['export-pulse', 'dashboard-pulse'])
  })
})

describe('a tab that goes away mid-survey', () => {
  const shared = () => ({ shared: new Map<string, string>(), clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
  const pulse = { id: 'pulse', kind: 'csat', question: 'How is it going?', trigger: { event: 'Report Exported' }, repeat: 'until-answered' }
  const flows = only([pulse], { cooldownDays: 0 })

  it('a reload mid-survey: the reloaded page (the only tab) shows it again', async () => {
    const tab = shared()
    const before = await start(flows, { platform: createFakePlatform({ ...tab, seed: 1 }), userId: 'u_1' })
    before.linger.track('Report Exported')
    expect(before.onScreen()).toBe('pulse')
    before.platform.pageHide()
    before.platform.close()
    const after = await start(flows, { platform: createFakePlatform({ ...tab, seed: 2 }), userId: 'u_1' })
    after.linger.track('Report Exported')
    expect(after.onScreen()).toBe('pulse')
    expect(after.linger.why('pulse').reasons).not.toContain('shown-in-another-tab')
  })

  it('a tab that died without pagehide (a crash) hides it from the others for two minutes, not longer', async () => {
    const tab = shared()
    const crashed = await start(flows, { platform: createFakePlatform({ ...tab, seed: 1 }), userId: 'u_1' })
    crashed.linger.track('Report Exported')
    crashed.platform.close()
    const other = await start(flows, { platform: createFakePlatform({ ...tab, seed: 2 }), userId: 'u_1' })
    other.linger.track('Report Exported')
    expect(other.linger.why('pulse').reasons).toEqual(['shown-in-another-tab'])
    await other.platform.advance(2 * 60_000)
    other.linger.track('Report Exported')
    expect(other.onScreen()).toBe('pulse')
  })

  it('a page left mid-survey and brought back from the back/forward cache after the survey was answered on the next page takes no second answer: it leaves the screen', async () => {
    const tab = shared()
    const first = await start(flows, { platform: createFakePlatform({ ...tab, seed: 1 }), userId: 'u_1' })
    first.linger.track('Report Exported')
    expect(first.onScreen()).toBe('pulse')
    // The user goes on to the next page: this one is kept in the back/forward cache, not closed.
    first.platform.pageHide()
    const next = await start(flows, { platform: createFakePlatform({ ...tab, seed: 2 }), userId: 'u_1' })
    next.linger.track('Report Exported')
    expect(next.onScreen()).toBe('pulse')
    next.surveys.answer({ score: 4 })
    next.platform.pageHide()
    next.platform.close()
    // Back: the first page comes back as it was left, its survey still asking.
    for (const key of tab.shared.keys()) first.platform.fireStorage(key)
    first.platform.show()
    first.surveys.answer({ score: 2 })
    expect(first.seen.filter((e) => e.name === 'answered')).toEqual([])
    expect(next.seen.filter((e) => e.name === 'answered')).toHaveLength(1)
    expect(first.onScreen()).toBeNull()
    // Not the user's dismissal: nothing is said about it.
    expect(first.seen.filter((e) => e.name === 'dismissed')).toEqual([])
  })

  it('brought back without a word from the browser, that page does not take the survey back at its next heartbeat, nor a second answer', async () => {
    const tab = shared()
    const first = await start(flows, { platform: createFakePlatform({ ...tab, seed: 1 }), userId: 'u_1' })
    first.linger.track('Report Exported')
    first.platform.pageHide()
    const next = await start(flows, { platform: createFakePlatform({ ...tab, seed: 2 }), userId: 'u_1' })
    next.linger.track('Report Exported')
    expect(next.onScreen()).toBe('pulse')
    await first.platform.advance(HEARTBEAT_MS)
    first.surveys.answer({ score: 2 })
    expect(first.seen.filter((e) => e.name === 'answered')).toEqual([])
    // Still asking in the page the user is on: it is that page's, not taken back.
    for (const key of tab.shared.keys()) next.platform.fireStorage(key)
    next.surveys.answer({ score: 4 })
    expect(next.seen.filter((e) => e.name === 'answered')).toHaveLength(1)
  })

  it('a tab still showing it keeps it to itself however long the user takes', async () => {
    const tab = shared()
    const showing = await start(flows, { platform: createFakePlatform({ ...tab, seed: 1 }), userId: 'u_1' })
    showing.linger.track('Report Exported')
    await showing.platform.advance(20 * 60_000)
    const other = await start(flows, { platform: createFakePlatform({ ...tab, seed: 2 }), userId: 'u_1' })
    other.linger.track('Report Exported')
    expect(other.onScreen()).toBeNull()
    expect(other.linger.why('pulse').reasons).toEqual(['shown-in-another-tab'])
  })
})

describe('one survey at a time', () => {
  it('a survey triggered while another is on screen is blocked-by that one, as why() documents', async () => {
    const poll = { id: 'poll', kind: 'csat', question: 'And this?', trigger: { event: 'Dashboard Viewed' }, repeat: 'always' }
    const { linger, onScreen } = await start(only([surveyOf('csat-export'), poll], { cooldownDays: 0 }))
    linger.track('Report Exported')
    linger.track('Dashboard Viewed')
    expect(onScreen()).toBe('csat-export')
    expect(linger.why('poll').reasons).toEqual(['blocked-by:csat-export'])
  })

  it('a "Give feedback" button pressed while another survey is up, and this one\'s own trigger is waiting out its delay: show() answers false (nothing came) and why() says what is in the way', async () => {
    const nps = { id: 'nps', kind: 'nps', question: 'How likely…?', trigger: { event: 'Dashboard Viewed' }, delayMs: 3000, repeat: 'always' }
    const { linger, onScreen } = await start(only([surveyOf('csat-export'), nps], { cooldownDays: 0 }))
    linger.track('Report Exported')
    linger.track('Dashboard Viewed')
    expect(linger.show('nps')).toBe(false)
    expect(onScreen()).toBe('csat-export')
    expect(linger.why('nps').reasons).toEqual(['blocked-by:csat-export'])
  })
})

describe('a "Give feedback" button and the trigger it overtook', () => {
  it('pressed while the survey\'s own trigger waits out its delay: the survey is asked and answered once, and does not come back when the delay ends; the next trigger asks again', async () => {
    const nps = { id: 'nps', kind: 'nps', question: 'How likely…?', trigger: { event: 'Dashboard Viewed' }, delayMs: 3000, repeat: 'always' }
    const { linger, surveys, platform, seen, onScreen } = await start(only([nps], { cooldownDays: 0 }))
    linger.track('Dashboard Viewed')
    await platform.advance(1000)
    expect(linger.show('nps')).toBe(true)
    surveys.answer({ score: 9 })
    surveys.close()
    await platform.advance(2000)
    expect(onScreen()).toBeNull()
    expect(seen.map((e) => e.name)).toEqual(['shown', 'answered'])
    // Repeat "always": the dashboard viewed again is a new trigger, and asks after its delay.
    linger.track('Dashboard Viewed')
    await platform.advance(3000)
    expect(onScreen()).toBe('nps')
  })
})

describe('a visitor who signs up while answering', () => {
  const csat = { ...surveyOf('csat-export'), followUp: undefined, comment: true }
  it('keeps the survey on screen: the answer goes out once, as the user they became, and is theirs ("until-answered" asks them no more)', async () => {
    const { linger, surveys, platform, seen, onScreen } = await start(only([{ ...csat, repeat: 'until-answered' }], { cooldownDays: 0 }))
    linger.track('Report Exported')
    expect(onScreen()).toBe('csat-export')
    linger.identify('new_user_1')
    await platform.advance(0)
    expect(onScreen()).toBe('csat-export')
    surveys.answer({ score: 2 })
    surveys.comment('The CSV had no headers')
    surveys.close()
    linger.track('Report Exported')
    expect(onScreen()).toBeNull()
    expect(linger.why('csat-export').reasons).toContain('already-answered')
    await linger.flush()
    const sent = platform.requests.flatMap((r) => r.body?.batch ?? []).filter((e: any) => e.event?.startsWith('Survey '))
    expect(sent.map((e: any) => [e.event, e.userId ?? 'visitor', e.properties.responseId])).toEqual([
      ['Survey Shown', 'visitor', seen[0].props.responseId],
      ['Survey Answered', 'new_user_1', seen[0].props.responseId],
      ['Survey Answered', 'new_user_1', seen[0].props.responseId],
    ])
  })

  it('a survey whose delay was running when they signed up still comes, once, for the user they became', async () => {
    const delayed = { ...csat, repeat: 'always', delayMs: 3000 }
    const { linger, platform, seen, onScreen } = await start(only([delayed], { cooldownDays: 0 }))
    linger.track('Report Exported')
    linger.identify('new_user_1')
    await platform.advance(3000)
    expect(onScreen()).toBe('csat-export')
    expect(seen.map((e) => e.name)).toEqual(['shown'])
  })

  it('their other tab, which follows the sign-up, does not also ask it while it is up in the first', async () => {
    const shared = new Map<string, string>()
    const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
    const flows = only([{ ...csat, repeat: 'always' }], { cooldownDays: 0 })
    const a = await start(flows, { platform: createFakePlatform({ shared, clock, seed: 1 }) })
    const b = await start(flows, { platform: createFakePlatform({ shared, clock, seed: 2 }) })
    a.linger.track('Report Exported')
    expect(a.onScreen()).toBe('csat-export')
    a.linger.identify('new_user_1')
    for (const key of shared.keys()) b.platform.fireStorage(key)
    expect(b.linger.host.user.get().userId).toBe('new_user_1')
    b.linger.track('Report Exported')
    expect([a.onScreen(), b.onScreen()]).toEqual(['csat-export', null])
    expect(b.linger.why('csat-export').reasons).toEqual(['shown-in-another-tab'])
  })

  it('someone who already answered it, signing in on a page where they were asked as a visitor, is not asked a second time: "once" is once a person', async () => {
    const { linger, platform, surveys, onScreen } = await start(only([csat], { cooldownDays: 0 }), { userId: 'bob' })
    linger.track('Report Exported')
    surveys.answer({ score: 5 })
    surveys.close()
    // Signed out (or on his phone, never signed in there yet): a visitor, asked.
    linger.reset()
    linger.track('Report Exported')
    expect(onScreen()).toBe('csat-export')
    linger.identify('bob')
    await platform.advance(0)
    expect(onScreen()).toBeNull()
    linger.track('Report Exported')
    expect(onScreen()).toBeNull()
    expect(linger.why('csat-export').reasons).toContain('repeat-once')
  })

  it('someone else signing in (a shared laptop) still takes the last user\'s survey off the screen', async () => {
    const { linger, platform, seen, onScreen } = await start(only([csat], { cooldownDays: 0 }), { userId: 'ana' })
    linger.track('Report Exported')
    linger.identify('bob')
    await platform.advance(0)
    expect(onScreen()).toBeNull()
    expect(seen.map((e) => e.name)).toEqual(['shown'])
  })
})

describe('switching users', () => {
  it('reset() takes the previous user\'s survey off the screen', async () => {
    const { linger, onScreen, seen } = await start()
    linger.track('Report Exported')
    linger.reset()
    expect(onScreen()).toBeNull()
    expect(seen.map((e) => e.name)).toEqual(['shown'])
  })

  it('the next person at the laptop asking why() is not told the last user\'s "no" (they answered it): it waits for its trigger, for them', async () => {
    const csat = { id: 'csat', kind: 'csat', question: 'How was the export?', trigger: { event: 'Report Exported' }, repeat: 'once' }
    for (const next of [(l: Linger) => l.reset(), (l: Linger) => l.identify('bob')]) {
      const { linger, surveys } = await start(only([csat], { cooldownDays: 0 }), { userId: 'ana' })
      linger.track('Report Exported')
      surveys.answer({ score: 5 })
      surveys.close()
      linger.track('Report Exported')
      expect(linger.why('csat').reasons).toEqual(['repeat-once'])
      next(linger)
      expect(linger.why('csat').reasons).toEqual(['not-triggered'])
      linger.destroy()
    }
  })
})

describe('every example survey works as written', () => {
  const ids: string[] = example.surveys.map((s: { id: string }) => s.id)
  it.each(ids)('%s', async (id) => {
    const s = surveyOf(id)
    const { linger, platform, surveys, seen } = await start(only([s]), { userId: userIn(id, s.sample ?? 1) })
    if (s.audience) await regularUser(linger, platform)
    const count = s.trigger.count?.gte ?? 1
    for (let i = 0; i < count; i++) s.trigger.event === 'Checklist Completed' ? finishChecklist(linger) : linger.track(s.trigger.event)
    await platform.advance(s.delayMs ?? 0)
    expect(surveys.$session.get()?.survey.id).toBe(id)
    surveys.answer(s.kind === 'choice' ? { choices: [s.options[0]] } : { score: s.kind === 'nps' ? 0 : 1 })
    expect(seen.find((e) => e.name === 'answered')?.props.surveyId).toBe(id)
  })
})

describe('you asked, we built it', () => {
  it('an answer\'s category is remembered, so an announcement can reach exactly the detractors', async () => {
    const flows = {
      ...only([surveyOf('nps-quarterly')], { cooldownDays: 0 }),
      announcements: [{ id: 'faster-exports', format: 'banner', title: 'Exports are 5× faster', audience: { survey: 'nps-quarterly', answered: true, category: 'detractor' } }],
    }
    const detractor = await start(flows, { userId: userIn('nps-quarterly', 0.5) })
    expect(detractor.linger.experiences.announcements!.$banner.get()).toBeNull()
    detractor.linger.show('nps-quarterly')
    detractor.surveys.answer({ score: 3 })
    expect(detractor.linger.experiences.announcements!.$banner.get()?.title).toBe('Exports are 5× faster')
    detractor.linger.experiences.announcements!.dispose()

    const promoter = await start(flows, { userId: userIn('nps-quarterly', 0.5) })
    promoter.linger.show('nps-quarterly')
    promoter.surveys.answer({ score: 10 })
    expect(promoter.linger.why('faster-exports').reasons).toEqual(['audience: survey nps-quarterly category detractor (was "promoter")'])
  })
})

describe('you asked, we built it: after signing up', () => {
  // A sign-in carried the visitor's `scheduler` (so the survey was "answered") but not
  // `surveyAnswers` (its category): the rule read "category detractor (was missing)".
  it('a visitor who answered as a detractor and then signs up is still a detractor to an audience rule, as they are "answered"', async () => {
    const flows = {
      ...only([surveyOf('nps-quarterly')], { cooldownDays: 0 }),
      announcements: [{ id: 'faster-exports', format: 'banner', title: 'Exports are 5× faster', audience: { survey: 'nps-quarterly', answered: true, category: 'detractor' } }],
    }
    const { linger, surveys, platform } = await start(flows)
    linger.show('nps-quarterly')
    surveys.answer({ score: 3 })
    surveys.close()
    const banner = () => linger.experiences.announcements!.$banner.get()?.title
    expect(banner()).toBe('Exports are 5× faster')
    linger.identify('signed_up_1')
    await platform.advance(0)
    expect(linger.why('faster-exports').reasons.filter((r) => r.startsWith('audience'))).toEqual([])
    expect(banner()).toBe('Exports are 5× faster')
  })
})

describe('manners while the user is busy, and after they answered', () => {
  it('a centred (modal) survey that opens on its own waits while the user types, and comes once they pause', async () => {
    const { linger, surveys, onScreen } = await start(only([{ id: 'nps-modal', kind: 'nps', question: 'Recommend us?', placement: 'center', trigger: { event: 'Comment Posted' } }], { cooldownDays: 0 }))
    let typing = true
    let paused: (() => void) | undefined
    linger.host.screen = { when: (fn) => fn(), typing: (then) => ((paused = then), typing) }
    // The app tracks this while the user is still typing in its own field: a modal taking focus
    // now would turn their next space and Enter into a score of 0, sent.
    linger.track('Comment Posted')
    expect(onScreen()).toBeNull()
    typing = false
    paused!()
    expect(onScreen()).toBe('nps-modal')
    expect(surveys.$session.get()?.step).toBe('ask')
  })

  it('why() says a centred survey held until the user pauses their typing waits for a calm moment: it has no delay, and its delay is not what holds it', async () => {
    const { linger } = await start(only([{ id: 'nps-modal', kind: 'nps', question: 'Recommend us?', placement: 'center', trigger: { event: 'Comment Posted' } }], { cooldownDays: 0 }))
    let paused: (() => void) | undefined
    linger.host.screen = { when: (fn) => fn(), typing: (then) => ((paused = then), true) }
    linger.track('Comment Posted')
    expect(paused).toBeDefined()
    expect(linger.why('nps-modal').reasons).toEqual(['waiting-for-calm'])
  })

  it('a survey whose delay ends while the user is in another tab waits for them to come back: no Survey Shown for a screen nobody looks at', async () => {
    const { linger, seen, onScreen, platform } = await start(only([{ id: 'nps-later', kind: 'nps', question: 'Recommend us?', trigger: { event: 'Dashboard Viewed' }, delayMs: 3000 }], { cooldownDays: 0 }))
    let hidden = false
    const back: Array<() => void> = []
    linger.host.screen = { when: (fn) => fn(), away: (then) => hidden && (back.push(then), true) }
    linger.track('Dashboard Viewed')
    // They opened something in another tab before the 3 s were up.
    hidden = true
    await platform.advance(3000)
    expect(onScreen()).toBeNull()
    expect(seen.filter((e) => e.name === 'shown')).toEqual([])
    hidden = false
    back.forEach((fn) => fn())
    expect(onScreen()).toBe('nps-later')
    expect(seen.filter((e) => e.name === 'shown')).toHaveLength(1)
  })

  it('a corner survey does not wait for typing: it takes no focus', async () => {
    const { linger, onScreen } = await start(only([{ id: 'nps-corner', kind: 'nps', question: 'Recommend us?', trigger: { event: 'Comment Posted' } }], { cooldownDays: 0 }))
    linger.host.screen = { when: (fn) => fn(), typing: () => true }
    linger.track('Comment Posted')
    expect(onScreen()).toBe('nps-corner')
  })

  it('no tour opens beside an answered survey still asking for its comment; once it leaves the screen, one may', async () => {
    const flows = {
      ...only([{ id: 'pulse', kind: 'nps', question: 'Recommend us?', comment: true, trigger: { event: 'Report Exported' } }], { cooldownDays: 0 }),
      tours: [{ id: 'tour', trigger: { event: 'Project Opened' }, steps: [{ title: 'Hi', body: 'Welcome' }] }],
    }
    const { linger, surveys } = await start(flows)
    const tours = () => linger.experiences.tours!.$runs.get().map((r) => r.tour.id)
    linger.track('Report Exported')
    surveys.answer({ score: 3 })
    expect(surveys.$session.get()?.step).toBe('comment')
    linger.track('Project Opened')
    expect(tours()).toEqual([])
    expect(linger.why('tour').reasons).toContain('blocked-by:pulse')
    surveys.comment('Too slow')
    surveys.close()
    linger.track('Project Opened')
    expect(tours()).toEqual(['tour'])
  })

  it('repeat "until-completed" on a survey: answering completes it, so it is not asked again', async () => {
    const { linger, surveys, platform, onScreen } = await start(only([{ id: 'pulse', kind: 'csat', question: 'OK?', repeat: 'until-completed', trigger: { event: 'Report Exported' } }], { cooldownDays: 0 }))
    linger.track('Report Exported')
    surveys.answer({ score: 4 })
    await platform.advance(THANKS_MS + 1000)
    expect(onScreen()).toBeNull()
    linger.track('Report Exported')
    expect(onScreen()).toBeNull()
    expect(linger.why('pulse').reasons).toContain('already-completed')
  })
})

describe('a vendor with a survey UI of their own', () => {
  it('an answer that is not one (nothing, or the score as the text of a field) is refused with an invalid-call error, never thrown into the page, and the survey waits for a real one', async () => {
    const { linger, surveys, seen } = await start()
    const errors: string[] = []
    linger.on('error', (e) => errors.push(e.code))
    linger.track('Report Exported')
    expect(() => surveys.answer(undefined as never)).not.toThrow()
    expect(() => surveys.answer(null as never)).not.toThrow()
    surveys.answer({ score: '4' } as never)
    expect(errors).toEqual(['invalid-call', 'invalid-call', 'invalid-call'])
    expect(seen.map((e) => e.name)).toEqual(['shown'])
    expect(surveys.$session.get()?.step).toBe('ask')
    surveys.answer({ score: 4 })
    expect(seen.map((e) => e.name)).toEqual(['shown', 'answered'])
    expect(errors).toHaveLength(3)
  })

  it('a comment sent before the score is refused by name, not lost without a word: the vendor learns their UI sends them in the wrong order', async () => {
    const { linger, surveys, seen } = await start(example, { userId: userIn('nps-quarterly', 0.5) })
    const errors: string[] = []
    linger.on('error', (e) => errors.push(`${e.code}: ${e.message}`))
    linger.show('nps-quarterly')
    surveys.comment('Exports are slow')
    expect(errors).toEqual(['invalid-call: comment(): before answer() for survey nps-quarterly'])
    expect(seen.map((e) => e.name)).toEqual(['shown'])
    surveys.answer({ score: 4 })
    surveys.comment('Exports are slow')
    expect(seen.map((e) => [e.name, e.props.comment])).toEqual([['shown', undefined], ['answered', undefined], ['answered', 'Exports are slow']])
    expect(errors).toHaveLength(1)
  })
})

describe('the page starts Linger again mid-survey (a component that unmounts and mounts again)', () => {
  it('the survey that left the screen with the old instance may show in the new one at once: no other tab has it', async () => {
    const tab = { shared: new Map<string, string>(), clock: { now: Date.parse('2026-03-02T10:00:00Z') } }
    const pulse = { id: 'pulse', kind: 'csat', question: 'How is it going?', trigger: { event: 'Report Exported' }, repeat: 'until-answered' }
    const flows = only([pulse], { cooldownDays: 0 })
    const before = await start(flows, { platform: createFakePlatform({ ...tab, seed: 1 }), userId: 'u_1' })
    before.linger.track('Report Exported')
    expect(before.onScreen()).toBe('pulse')
    before.linger.destroy()
    const after = await start(flows, { platform: createFakePlatform({ ...tab, seed: 2 }), userId: 'u_1' })
    after.linger.track('Report Exported')
    expect(after.linger.why('pulse').reasons).not.toContain('shown-in-another-tab')
    expect(after.onScreen()).toBe('pulse')
  })
})

describe('a "once" survey is spent when the user could see it, not when it was decided', () => {
  const once = { id: 'once', kind: 'nps', question: 'Recommend us?', trigger: { event: 'Report Exported' }, repeat: 'once' }
  const flows = only([once], { cooldownDays: 0 })
  /** The widgets' UI for surveys still on its way: nothing is drawn until `draw()`. */
  function undrawn(linger: Linger) {
    let drawn = false
    const waiting: Array<() => void> = []
    linger.host.undrawn = (kind, then) => kind === 'surveys' && !drawn && !!waiting.push(then)
    return () => ((drawn = true), waiting.splice(0).forEach((fn) => fn()))
  }

  it('a survey decided while its UI was still loading, then left with the page before it came, is asked on the next page (one Survey Shown in all)', async () => {
    const tab = { shared: new Map<string, string>(), clock: { now: Date.parse('2026-03-02T10:00:00Z') } }
    const before = await start(flows, { platform: createFakePlatform({ ...tab, seed: 1 }), userId: 'u_1' })
    undrawn(before.linger)
    before.linger.track('Report Exported')
    expect(before.seen).toEqual([])
    // The user followed a link before the survey's UI arrived: they never saw it.
    before.platform.pageHide()
    before.platform.close()
    const after = await start(flows, { platform: createFakePlatform({ ...tab, seed: 2 }), userId: 'u_1' })
    after.linger.track('Report Exported')
    expect(after.linger.why('once').reasons).toEqual(['eligible'])
    expect(after.onScreen()).toBe('once')
    expect([...before.seen, ...after.seen].map((e) => e.name)).toEqual(['shown'])
    // Seen now: spent, on the next page too.
    after.surveys.close()
    after.linger.track('Report Exported')
    expect(after.linger.why('once').reasons).toContain('repeat-once')
  })

  it('a survey the cancel flow takes off the screen before its UI came says nothing: no Survey Dismissed for a survey never shown', async () => {
    const { linger, seen, onScreen } = await start({ ...flows, cancelFlow: example.cancelFlow })
    undrawn(linger)
    linger.track('Report Exported')
    expect(onScreen()).toBe('once')
    linger.cancel()
    expect(onScreen()).toBeNull()
    expect(seen).toEqual([])
    expect(linger.why('once').reasons).not.toContain('repeat-once')
  })

  it('a tour that took the screen while the survey\'s UI loaded keeps it alone: the survey never comes over it, and is not spent', async () => {
    const withTour = { ...flows, tours: [{ id: 'tour', trigger: { event: 'Project Opened' }, steps: [{ title: 'Hi', body: 'Welcome' }] }] }
    const { linger, seen, onScreen } = await start(withTour)
    const tours = () => linger.experiences.tours!.$runs.get().map((r) => r.tour.id)
    const draw = undrawn(linger)
    linger.track('Report Exported')
    linger.track('Project Opened')
    expect(tours()).toEqual(['tour'])
    draw()
    expect(onScreen()).toBeNull()
    expect(seen).toEqual([])
    expect(linger.why('once').reasons).toEqual(['blocked-by:tour'])
    linger.experiences.tours!.dismiss('tour', 'closed')
    linger.track('Report Exported')
    expect(onScreen()).toBe('once')
    expect(seen.map((e) => e.name)).toEqual(['shown'])
  })

  it('a survey whose UI came while the user was in another tab counts once they look at it; the tab closed unseen, it is asked on the next page', async () => {
    const tab = { shared: new Map<string, string>(), clock: { now: Date.parse('2026-03-02T10:00:00Z') } }
    const first = await start(flows, { platform: createFakePlatform({ ...tab, seed: 1 }), userId: 'u_1' })
    let hidden = false
    const back: Array<() => void> = []
    first.linger.host.screen = { when: (fn) => fn(), away: (then) => hidden && (back.push(then), true) }
    const draw = undrawn(first.linger)
    first.linger.track('Report Exported')
    // They switched tabs while its UI loaded; it came in the background.
    hidden = true
    draw()
    expect(first.seen).toEqual([])
    first.platform.pageHide()
    first.platform.close()
    const next = await start(flows, { platform: createFakePlatform({ ...tab, seed: 2 }), userId: 'u_1' })
    let away = true
    const looked: Array<() => void> = []
    next.linger.host.screen = { when: (fn) => fn(), away: (then) => away && (looked.push(then), true) }
    undrawn(next.linger)()
    // The next page is in the background too when its trigger fires: it waits for the user.
    next.linger.track('Report Exported')
    expect(next.seen).toEqual([])
    away = false
    looked.splice(0).forEach((fn) => fn())
    expect(next.onScreen()).toBe('once')
    expect([...first.seen, ...next.seen].map((e) => e.name)).toEqual(['shown'])
  })

  it('a survey whose UI can never come (its chunk blocked, the network gone) leaves the tab: another tab and the next survey may ask, nothing is said or spent for it', async () => {
    const tab = { shared: new Map<string, string>(), clock: { now: Date.parse('2026-03-02T10:00:00Z') } }
    const other = { id: 'other', kind: 'csat', question: 'How was it?', trigger: { event: 'Project Opened' } }
    const a = await start(only([once, other], { cooldownDays: 0 }), { platform: createFakePlatform({ ...tab, seed: 1 }), userId: 'u_1' })
    undrawn(a.linger)
    a.linger.track('Report Exported')
    expect(a.onScreen()).toBe('once')
    // The widgets' mount gave up on the surveys chunk (it says so, as it does to the cancel flow).
    a.surveys.uiFailed?.()
    expect(a.onScreen()).toBeNull()
    a.linger.track('Project Opened')
    expect(a.linger.why('other').reasons).not.toContain('blocked-by:once')
    const b = await start(flows, { platform: createFakePlatform({ ...tab, seed: 2 }), userId: 'u_1' })
    b.linger.track('Report Exported')
    expect(b.linger.why('once').reasons).toEqual(['eligible'])
    expect(b.onScreen()).toBe('once')
    expect([...a.seen, ...b.seen].map((e) => e.name)).toEqual(['shown'])
  })

  it('a survey whose UI chunk never came: the next survey asks the widgets again (the mount tries the chunk again on a new need), rather than waiting for ever', async () => {
    const other = { id: 'other', kind: 'csat', question: 'How was it?', trigger: { event: 'Project Opened' } }
    const { linger, surveys, onScreen } = await start(only([once, other], { cooldownDays: 0 }))
    undrawn(linger)
    let needs = 0
    surveys.$needsUi.subscribe((v) => void (v && needs++))
    linger.track('Report Exported')
    expect(needs).toBe(1)
    // Six retries later, the mount gives up on the chunk (the network was down).
    surveys.uiFailed?.(true)
    linger.track('Project Opened')
    expect(onScreen()).toBe('other')
    expect(needs).toBe(2)
  })

  it('a survey on screen whose widget then breaks (a render error removes it) gives the screen back: the next survey shows, and is drawn by the widgets again', async () => {
    const other = { id: 'other', kind: 'csat', question: 'How was it?', trigger: { event: 'Project Opened' } }
    const { linger, surveys, seen, onScreen } = await start(only([once, other], { cooldownDays: 0 }))
    // What the widgets' mount does: it renders the surveys each time their need turns true.
    let renders = 0
    surveys.$needsUi.subscribe((v) => void (v && renders++))
    linger.track('Report Exported')
    expect(onScreen()).toBe('once')
    expect(renders).toBe(1)
    // Its render threw: the mount removed the widget and says so.
    surveys.uiFailed?.()
    expect(onScreen()).toBeNull()
    linger.track('Project Opened')
    expect(linger.why('other').reasons).toEqual(['eligible'])
    expect(onScreen()).toBe('other')
    expect(renders).toBe(2)
    // The broken one was seen: spent, with one Survey Shown, and no answer or dismissal made up for it.
    expect(seen.map((e) => [e.name, e.props.surveyId])).toEqual([
      ['shown', 'once'],
      ['shown', 'other'],
    ])
    surveys.close()
    linger.track('Report Exported')
    expect(linger.why('once').reasons).toContain('repeat-once')
  })

  it('Linger stopped (destroy()) while the survey\'s UI loaded: the UI arriving afterwards spends nothing for the instance that is gone', async () => {
    const tab = { shared: new Map<string, string>(), clock: { now: Date.parse('2026-03-02T10:00:00Z') } }
    const before = await start(flows, { platform: createFakePlatform({ ...tab, seed: 1 }), userId: 'u_1' })
    const waiting: Array<() => void> = []
    before.linger.host.undrawn = (kind, then) => kind === 'surveys' && !!waiting.push(then)
    before.linger.track('Report Exported')
    before.linger.destroy()
    // What was waiting for the widgets is asked again once they are in (or failed): no UI now.
    delete before.linger.host.undrawn
    waiting.splice(0).forEach((fn) => fn())
    const after = await start(flows, { platform: createFakePlatform({ ...tab, seed: 2 }), userId: 'u_1' })
    after.linger.track('Report Exported')
    expect(after.onScreen()).toBe('once')
  })

  it('two tabs: held in one while its UI loads, the other stays quiet; drawn there, it is spent for both, with one Survey Shown', async () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const locks = lockedTabs(lag)
    const a = await start(flows, { platform: locks.tab(), userId: 'u_1' })
    const b = await start(flows, { platform: locks.tab(), userId: 'u_1' })
    lag.deliver()
    const drawA = undrawn(a.linger)
    a.linger.track('Report Exported')
    await locks.settled()
    lag.deliver()
    expect(a.onScreen()).toBe('once')
    b.linger.track('Report Exported')
    await locks.settled()
    expect(b.onScreen()).toBeNull()
    expect(b.linger.why('once').reasons).toEqual(['shown-in-another-tab'])
    drawA()
    lag.deliver()
    a.surveys.close()
    lag.deliver()
    await b.platform.advance(11_000)
    b.linger.track('Report Exported')
    await locks.settled()
    expect(b.onScreen()).toBeNull()
    expect(b.linger.why('once').reasons).toContain('repeat-once')
    expect([...a.seen, ...b.seen].map((e) => e.name)).toEqual(['shown', 'dismissed'])
  })

  it('two tabs: held in one while its UI loads and closed there before it came, the other tab may ask it', async () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const locks = lockedTabs(lag)
    const a = await start(flows, { platform: locks.tab(), userId: 'u_1' })
    const b = await start(flows, { platform: locks.tab(), userId: 'u_1' })
    lag.deliver()
    undrawn(a.linger)
    a.linger.track('Report Exported')
    await locks.settled()
    a.platform.pageHide()
    a.platform.close()
    lag.deliver()
    await b.platform.advance(11_000)
    b.linger.track('Report Exported')
    await locks.settled()
    expect(b.onScreen()).toBe('once')
    expect([...a.seen, ...b.seen].map((e) => e.name)).toEqual(['shown'])
  })
})
