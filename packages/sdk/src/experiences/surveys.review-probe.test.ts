import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createLinger } from '../client'
import { createFakePlatform, type FakePlatform } from '../fake-platform'
import { inSample } from '../sample'

const example = JSON.parse(readFileSync(new URL('../../../../test/fixtures/flows.json', import.meta.url), 'utf8'))
const DAY = 86_400_000
const surveyOf = (id: string) => example.surveys.find((s: { id: string }) => s.id === id)
const only = (surveys: object[], settings: object = example.settings) => ({ version: 1, settings, surveys })

async function start(flows: object, platform: FakePlatform = createFakePlatform()) {
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
  await linger.ready
  const surveys = linger.experiences.surveys!
  return { platform, linger, surveys, onScreen: () => surveys.$session.get()?.survey.id ?? null }
}

describe('review probe: signing in keeps the recontact rules of what the visitor was asked', () => {
  it('a visitor who answered a "once" CSAT and then signs up is not asked it again', async () => {
    const { linger, surveys, onScreen, platform } = await start(only([surveyOf('csat-export')], { cooldownDays: 0 }))
    linger.track('Report Exported')
    expect(onScreen()).toBe('csat-export')
    surveys.answer({ score: 4 })
    surveys.close()
    linger.identify('new_user_1')
    await platform.advance(0)
    linger.track('Report Exported')
    expect(onScreen()).toBeNull()
  })

  it('the global cooldown still holds right after sign-up', async () => {
    const { linger, surveys, onScreen, platform } = await start(only([surveyOf('csat-export'), surveyOf('ces-onboarding')]))
    linger.track('Report Exported')
    surveys.answer({ score: 4 })
    surveys.close()
    linger.identify('new_user_2')
    await platform.advance(0)
    linger.track('Checklist Completed')
    expect(onScreen()).toBeNull()
  })

  it('a sticky 50% sample is not re-rolled when the visitor signs in', async () => {
    const flows = only([{ ...surveyOf('nps-quarterly'), audience: undefined, delayMs: 0, repeat: 'always' }], { cooldownDays: 0 })
    const { linger, surveys, onScreen, platform } = await start(flows)
    const anonKey = linger.host.user.get().userKey
    const before = inSample(anonKey, 'nps-quarterly', 0.5)
    // a user id whose own bucket says the opposite
    let id = 0
    while (inSample(`u:user_${id}`, 'nps-quarterly', 0.5) === before) id++
    linger.track('Dashboard Viewed')
    expect(onScreen() !== null).toBe(before)
    surveys.close()
    linger.identify(`user_${id}`)
    await platform.advance(0)
    linger.track('Dashboard Viewed')
    expect(onScreen() !== null).toBe(before)
  })
})

describe('review probe: daysSince lastSeen', () => {
  it('a "welcome back" survey for users away 7+ days asks someone back after 30 days', async () => {
    const flows = only([{ id: 'welcome-back', kind: 'text', question: 'What brought you back?', trigger: { event: 'Dashboard Viewed' }, audience: { daysSince: 'lastSeen', gte: 7 }, repeat: 'always' }], { cooldownDays: 0 })
    const platform = createFakePlatform()
    const first = await start(flows, platform)
    first.linger.track('Signed In')
    first.linger.destroy()
    await platform.advance(30 * DAY)
    const back = await start(flows, platform)
    back.linger.track('Dashboard Viewed')
    expect(back.linger.why('welcome-back').reasons).not.toContain('audience')
    expect(back.onScreen()).toBe('welcome-back')
  })
})

describe('review probe: odd stored state never throws into the page', () => {
  it('a stored scheduler whose history is null does not make a delayed survey throw from its timer', async () => {
    const platform = createFakePlatform()
    const flows = only([{ ...surveyOf('csat-export'), delayMs: 1000 }])
    const warm = await start(flows, platform)
    const key = `linger:state:${warm.linger.host.user.get().userKey}`
    warm.linger.destroy()
    platform.storageMap.set(key, JSON.stringify({ scheduler: { history: null, lastBlockingShown: null } }))
    const { linger } = await start(flows, platform)
    linger.track('Report Exported')
    await expect(platform.advance(1000)).resolves.toBeUndefined()
  })
})
