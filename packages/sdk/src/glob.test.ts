import { describe, expect, it } from 'vitest'
import { matchGlob } from './glob'

describe('URL globs', () => {
  it('a settings hint fires anywhere under the settings hash route', () => {
    expect(matchGlob('#/settings*', '#/settings')).toBe(true)
    expect(matchGlob('#/settings*', '#/settings/team')).toBe(true)
    expect(matchGlob('#/settings*', '#/projects')).toBe(false)
  })

  it('a star spans path segments, so /projects/* covers nested pages', () => {
    expect(matchGlob('/projects/*', '/projects/42/board')).toBe(true)
    expect(matchGlob('/projects/**', '/projects/42/board')).toBe(true)
    expect(matchGlob('/projects/*', '/projects')).toBe(false)
  })

  it('a glob is anchored: /billing does not match /billing/invoices or /old/billing', () => {
    expect(matchGlob('/billing', '/billing')).toBe(true)
    expect(matchGlob('/billing', '/billing/invoices')).toBe(false)
    expect(matchGlob('/billing', '/old/billing')).toBe(false)
  })

  it('a question mark stands for exactly one character', () => {
    expect(matchGlob('/v?/reports', '/v2/reports')).toBe(true)
    expect(matchGlob('/v?/reports', '/v10/reports')).toBe(false)
  })

  it('dots, pluses and brackets in a URL are literal, not regex', () => {
    expect(matchGlob('https://app.example.com/a+b/(x)[1]', 'https://app.example.com/a+b/(x)[1]')).toBe(true)
    expect(matchGlob('https://app.example.com/*', 'https://appXexampleYcom/dashboard')).toBe(false)
    expect(matchGlob('/reports$', '/reports$')).toBe(true)
  })

  it('a glob checked many times gives the same answer for each text, and other globs keep their own', () => {
    for (let i = 0; i < 3; i++) {
      expect(matchGlob('/projects/*', '/projects/42')).toBe(true)
      expect(matchGlob('/projects/*', '/billing')).toBe(false)
      expect(matchGlob('/billing', '/billing')).toBe(true)
    }
  })

  it('a page that builds many globs still matches each one right', () => {
    for (let i = 0; i < 1200; i++) expect(matchGlob(`/item/${i}/*`, `/item/${i}/edit`)).toBe(true)
    expect(matchGlob('/item/7/*', '/item/8/edit')).toBe(false)
  })
})
