import { describe, expect, it } from 'vitest'
import { dirOf, resolveLocale, translator, widgetDir } from './i18n'
import { messages as en } from './messages/en'
import { messages as de } from './messages/de'
import { messages as ar } from './messages/ar'
import { messages as fr } from './messages/fr'
import { messages as es } from './messages/es'
import { messages as ja } from './messages/ja'
import { messages as zh } from './messages/zh'
import { messages as surveys } from '../surveys/messages-en'
import { messages as cancel } from '../cancel/messages-en'
import { messages as notice } from '../notice/messages-en'

describe('message catalogs', () => {
  it('pick the locale from the option first, then the browser, else English', () => {
    expect(resolveLocale('de-AT', ['ar'])).toBe('de')
    expect(resolveLocale('auto', ['ko-KR', 'ar-EG'])).toBe('ar')
    expect(resolveLocale(undefined, ['ko'])).toBe('en')
    expect(resolveLocale(undefined, ['ja-JP'])).toBe('ja')
    expect(resolveLocale('zh-Hant-TW', [])).toBe('zh')
    expect(resolveLocale('xx', ['de_DE'])).toBe('de')
  })

  it('lay Arabic, Hebrew, Persian and Urdu out right to left', () => {
    expect(['ar', 'he-IL', 'fa', 'ur', 'de', 'en'].map(dirOf)).toEqual(['rtl', 'rtl', 'rtl', 'rtl', 'ltr', 'ltr'])
  })

  it('lay every right-to-left language out right to left, whichever way its tag is written, and only those', () => {
    // A vendor with Pashto, Sorani Kurdish, Uyghur, Sindhi, Yiddish or Dhivehi users, Punjabi in
    // Shahmukhi, and a backend that still spells Hebrew `iw` (older Java).
    const rtl = ['ps', 'ckb', 'ug', 'sd', 'yi', 'dv', 'pa-Arab', 'iw', 'ar_EG', 'AR']
    const ltr = ['pa', 'ku', 'az', 'de_DE', 'zh-Hant-TW', 'ja', 'x-nonsense', '']
    expect(rtl.map(dirOf)).toEqual(rtl.map(() => 'rtl'))
    expect(ltr.map(dirOf)).toEqual(ltr.map(() => 'ltr'))
    expect(widgetDir('ps-AF', resolveLocale('ps-AF', ['en-US']), 'ltr')).toBe('rtl')
  })

  it('lay the vendor\'s text out in the direction of the language it asked for, catalog or not', () => {
    // Hebrew has no catalog: English messages, but the vendor's Hebrew titles read right to left.
    expect(widgetDir('he', resolveLocale('he', ['en-US']), 'ltr')).toBe('rtl')
    expect(widgetDir('en', 'en', 'rtl')).toBe('ltr')
    // Nothing asked for: a right-to-left page is right-to-left text; else the catalog's language.
    expect(widgetDir(undefined, 'en', 'rtl')).toBe('rtl')
    expect(widgetDir('auto', 'en', 'rtl')).toBe('rtl')
    expect(widgetDir('auto', 'ar', 'ltr')).toBe('rtl')
    expect(widgetDir(undefined, 'de', 'ltr')).toBe('ltr')
  })

  it('fill in variables and fall back to English for a missing key, then to the key', () => {
    const t = translator('de', { 'x.hello': 'Hallo {name}' }, { ...en, 'x.only': 'Only in English' })
    expect(t('x.hello', { name: 'Ada' })).toBe('Hallo Ada')
    expect(t('x.only')).toBe('Only in English')
    expect(t('x.nowhere')).toBe('x.nowhere')
    expect(t('x.hello')).toBe('Hallo {name}')
  })

  it('choose plural forms by the language rules', () => {
    expect(translator('en', en, en)('common.points', { count: 1 })).toBe('1 point')
    expect(translator('en', en, en)('common.points', { count: 7 })).toBe('7 points')
    expect(translator('de', de, en)('common.points', { count: 1 })).toBe('1 Punkt')
    expect(translator('ar', ar, en)('common.points', { count: 2 })).toBe('نقطتان')
    expect(translator('ar', ar, en)('common.points', { count: 5 })).toBe('5 نقاط')
  })

  const catalogs = { de, ar, fr, es, ja, zh }
  const base = (k: string) => k.replace(/\.(zero|one|two|few|many|other)$/, '')
  const keys = (c: Record<string, string>) => new Set(Object.keys(c).map(base))
  const english = { ...en, ...surveys, ...cancel, ...notice }

  it('translate every English key into German, Arabic, French, Spanish, Japanese and Chinese', () => {
    for (const [lang, c] of Object.entries(catalogs)) expect([...keys(english)].filter((k) => !keys(c).has(k)), lang).toEqual([])
  })

  it('give every count its plural forms: each form the language has, for every key with a {count}', () => {
    // The keys English gives a `.one` form: the ones that count something.
    const counted = Object.keys(english).flatMap((k) => (k.endsWith('.one') ? [k.slice(0, -4)] : []))
    expect(counted).toEqual(expect.arrayContaining(['common.points', 'checklist.open', 'checklist.progressLabel']))
    for (const [lang, c] of Object.entries({ en: english, ...catalogs })) {
      const forms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories
      for (const k of counted) for (const form of forms) expect(Object.hasOwn(c, `${k}.${form}`), `${lang}: ${k}.${form}`).toBe(true)
    }
  })

  it('never say "1 tasks" or "1 points": the counts read right at 0, 1, 2, 5 and 11', () => {
    for (const n of [0, 1, 2, 5, 11]) {
      const t = translator('en', english, english)
      expect(t('checklist.progressLabel', { done: 0, total: n, count: n })).toBe(`0 of ${n} task${n === 1 ? '' : 's'} done`)
      expect(t('common.points', { count: n })).toBe(`${n} point${n === 1 ? '' : 's'}`)
    }
    expect(translator('de', de, en)('checklist.progressLabel', { done: 1, total: 1, count: 1 })).toBe('1 von 1 Aufgabe erledigt')
    expect(translator('fr', fr, en)('common.points', { count: 0 })).toBe('0 point')
    expect(translator('ar', ar, en)('checklist.progressLabel', { done: 1, total: 2, count: 2 })).toBe('أُنجزت 1 من مهمتين')
    expect(translator('ja', ja, en)('common.points', { count: 1 })).toBe('1 ポイント')
  })
})
