import { describe, expect, it } from 'vitest'
import { dirOf, resolveLocale, translator } from './i18n'
import { messages as en } from './messages/en'
import { messages as de } from './messages/de'
import { messages as ar } from './messages/ar'
import { messages as surveys } from '../surveys/messages-en'
import { messages as cancel } from '../cancel/messages-en'

describe('message catalogs', () => {
  it('pick the locale from the option first, then the browser, else English', () => {
    expect(resolveLocale('de-AT', ['ar'])).toBe('de')
    expect(resolveLocale('auto', ['fr-FR', 'ar-EG'])).toBe('ar')
    expect(resolveLocale(undefined, ['ja'])).toBe('en')
    expect(resolveLocale('xx', ['de_DE'])).toBe('de')
  })

  it('lay Arabic, Hebrew, Persian and Urdu out right to left', () => {
    expect(['ar', 'he-IL', 'fa', 'ur', 'de', 'en'].map(dirOf)).toEqual(['rtl', 'rtl', 'rtl', 'rtl', 'ltr', 'ltr'])
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

  it('translate every English key into German and Arabic', () => {
    const base = (k: string) => k.replace(/\.(zero|one|two|few|many|other)$/, '')
    const keys = (c: Record<string, string>) => new Set(Object.keys(c).map(base))
    const english = keys({ ...en, ...surveys, ...cancel })
    expect([...english].filter((k) => !keys(de).has(k))).toEqual([])
    expect([...english].filter((k) => !keys(ar).has(k))).toEqual([])
  })
})
