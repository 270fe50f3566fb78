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

  it('a page rule written with or without a trailing slash matches the page either way', () => {
    expect(matchGlob('/billing', '/billing/')).toBe(true)
    expect(matchGlob('/billing/', '/billing')).toBe(true)
    expect(matchGlob('#/settings', '#/settings/')).toBe(true)
    expect(matchGlob('https://app.example.com/reports', 'https://app.example.com/reports/')).toBe(true)
    // Still anchored, and the root is no wildcard: "/" is the home page only.
    expect(matchGlob('/billing', '/billing/invoices')).toBe(false)
    expect(matchGlob('/', '')).toBe(false)
    expect(matchGlob('/', '/')).toBe(true)
    expect(matchGlob('/', '/billing')).toBe(false)
  })

  it('a rule written as the vendor reads the address (a space, an accent) matches the percent-encoded URL, and the other way round', () => {
    expect(matchGlob('/docs/getting started', '/docs/getting%20started')).toBe(true)
    expect(matchGlob('/menu/café/*', '/menu/caf%C3%A9/today')).toBe(true)
    expect(matchGlob('/menu/caf%C3%A9/*', '/menu/caf%C3%A9/today')).toBe(true)
    expect(matchGlob('/menu/caf%C3%A9', '/menu/café')).toBe(true)
    // A malformed escape is matched as written, never thrown.
    expect(matchGlob('/a%E0%A4%A/*', '/a%E0%A4%A/x')).toBe(true)
    expect(matchGlob('/menu/café', '/menu/cafe')).toBe(false)
    // An encoded slash stays one segment's character.
    expect(matchGlob('/files/a/b', '/files/a%2Fb')).toBe(false)
  })

  it('a hash route written without its query (#/settings) matches it with one (#/settings?tab=billing), as a path does', () => {
    expect(matchGlob('#/settings', '#/settings?tab=billing')).toBe(true)
    expect(matchGlob('#/settings', '#/settings/?tab=billing')).toBe(true)
    expect(matchGlob('https://app.example.com/reports', 'https://app.example.com/reports?range=30d#top')).toBe(true)
    // Still the page itself, not one under it or beside it.
    expect(matchGlob('#/settings', '#/settings/team?tab=billing')).toBe(false)
    expect(matchGlob('#/settings', '#/settingsx?tab=billing')).toBe(false)
    // A rule that names a query asks for that query.
    expect(matchGlob('/billing?tab=plans', '/billing?tab=invoices')).toBe(false)
  })

  it('a crafted 64 KB link into a two-star SPA route is still answered right, and at once', () => {
    // Was a 16 s frozen page in Chromium (a backtracking RegExp); now one pass over the URL.
    const long = '#/projects/' + 'x/tasks/'.repeat(8000)
    expect(matchGlob('#/projects/*/tasks/*/edit', long)).toBe(false)
    expect(matchGlob('#/projects/*/tasks/*/edit', long + 'y/edit')).toBe(true)
    expect(matchGlob('#/projects/*/tasks/*/edit', long + 'y/edit/?tab=' + '?'.repeat(8000))).toBe(true)
    expect(matchGlob('#/projects/*/tasks/*/*/*/edit', long + 'edit#' + '#'.repeat(8000))).toBe(true)
    expect(matchGlob('#/projects/*/tasks/*/edit', long + 'y/editor')).toBe(false)
    expect(matchGlob('#/projects/?/tasks/*', long)).toBe(true)
  })

  it('stars and question marks next to one another still need their characters', () => {
    expect(matchGlob('/a/*?', '/a/')).toBe(false)
    expect(matchGlob('/a/*?', '/a/b')).toBe(true)
    expect(matchGlob('/a*b*c', '/abc')).toBe(true)
    expect(matchGlob('/a*b*c', '/acb')).toBe(false)
    expect(matchGlob('/a*bb', '/abbb/')).toBe(true)
    expect(matchGlob('/a*/b', '/a/b?x')).toBe(true)
    expect(matchGlob('*', '')).toBe(true)
    expect(matchGlob('/x*', '/y')).toBe(false)
  })
})
