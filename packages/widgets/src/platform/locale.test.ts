// @vitest-environment jsdom
import { atom } from 'nanostores'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Linger } from '@linger/sdk'
import { createWidgetPlatform } from './create-context'

// The language widgets speak and write numbers and dates in, as a vendor's page sets it up.
const linger = (settings?: { locale: string }) => ({ host: { options: {}, flows: atom({ version: 1, settings }), reportError: () => {} } }) as unknown as Linger
const browser = (...languages: string[]) => vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(languages)
const june2 = (locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(2026, 5, 2))

afterEach(() => {
  vi.restoreAllMocks()
  document.documentElement.removeAttribute('lang')
})

async function widget(settings?: { locale: string }) {
  const platform = await createWidgetPlatform(linger(settings))
  const { ctx } = platform.contextFor('test', () => {})
  const { hostEl } = ctx.surface('card', '')
  const seen = { done: ctx.t('checklist.done'), lang: hostEl.getAttribute('lang'), date: june2(ctx.locale), points: ctx.t('common.points', { count: 1000 }) }
  platform.dispose()
  return seen
}

describe('the language of a page that says it', () => {
  it('a German app (`<html lang="de">`, no locale option) shows German widgets, marked German, on an English browser', async () => {
    document.documentElement.lang = 'de'
    browser('en-US', 'en')
    expect(await widget()).toEqual({ done: 'Erledigt', lang: 'de', date: '2. Juni 2026', points: '1.000 Punkte' })
  })

  it('an app with a hard-coded `lang="en"` leaves the choice to the browser: a German browser gets German', async () => {
    document.documentElement.lang = 'en'
    browser('de-DE', 'en')
    expect(await widget()).toMatchObject({ done: 'Erledigt', lang: 'de-DE' })
  })

  it('the flows\' language setting still wins over the page\'s', async () => {
    document.documentElement.lang = 'de'
    browser('en-US')
    expect(await widget({ locale: 'fr' })).toMatchObject({ done: 'Terminé', lang: 'fr' })
  })
})

describe('dates and numbers as the user\'s region writes them', () => {
  it('a British user reads "2 June 2026", an American "June 2, 2026", in the same English widgets', async () => {
    browser('en-GB', 'en')
    expect(await widget()).toEqual({ done: 'Done', lang: 'en-GB', date: '2 June 2026', points: '1,000 points' })
    browser('en-US', 'en')
    expect(await widget()).toMatchObject({ date: 'June 2, 2026' })
  })

  it('a Swiss user of a German app reads numbers the Swiss way: 1’000 Punkte', async () => {
    browser('de-CH', 'de')
    // ’ or ' as the engine's CLDR has it; never the German "1.000".
    expect(await widget({ locale: 'de' })).toMatchObject({ done: 'Erledigt', points: expect.stringMatching(/^1[’']000 Punkte$/) })
  })
})

describe('Chinese in the script the user reads', () => {
  const resume = async (settings?: { locale: string }) => {
    const platform = await createWidgetPlatform(linger(settings))
    const { ctx } = platform.contextFor('test', () => {})
    const seen = { resume: ctx.t('checklist.resumeNamed', { title: '入門' }), locale: ctx.locale, points: ctx.t('common.points', { count: 1200 }) }
    platform.dispose()
    return seen
  }

  it('a user in Taiwan reads Traditional Chinese, "繼續清單", not the Simplified "继续清单"', async () => {
    browser('zh-TW', 'zh', 'en')
    expect(await resume()).toEqual({ resume: '繼續清單：入門', locale: 'zh-TW', points: '1,200 點' })
    browser('zh-HK')
    expect(await resume()).toMatchObject({ resume: '繼續清單：入門' })
    // The vendor's "zh" names the language; the browser's region names the script.
    browser('zh-TW')
    expect(await resume({ locale: 'zh' })).toMatchObject({ resume: '繼續清單：入門' })
  })

  it('a user in mainland China or Singapore, or a vendor that asks for zh-Hans, keeps Simplified Chinese', async () => {
    browser('zh-CN')
    expect(await resume()).toMatchObject({ resume: '继续清单：入門' })
    browser('zh-SG')
    expect(await resume()).toMatchObject({ resume: '继续清单：入門' })
    browser('zh-TW')
    expect(await resume({ locale: 'zh-Hans' })).toMatchObject({ resume: '继续清单：入門' })
  })
})
