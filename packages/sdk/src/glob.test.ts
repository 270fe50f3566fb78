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
})
