import { describe, expect, it } from 'vitest'
import { envelope, messageId } from './events'
import { createFakePlatform } from './fake-platform'
import type { PageInfo } from './platform'

describe('message ids', () => {
  it('are v4 UUIDs, and a thousand of them from the browser’s random source never repeat', () => {
    const ids = Array.from({ length: 1000 }, () => messageId(Math.random))
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(ids).size).toBe(1000)
  })

  it('use every draw of the random source: two sources that differ in any draw give two ids', () => {
    // A source that returns its extremes still gives well-formed ids.
    expect(messageId(() => 0)).toBe('00000000-0000-4000-8000-000000000000')
    expect(messageId(() => 0.9999999999)).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff')
    const draws = [0.1, 0.2, 0.3, 0.4]
    const base = messageId(((i) => () => draws[i++ % 4])(0))
    // The same draws give the same id as every earlier release made of them (a seeded test, a replay).
    expect(base).toBe('19999999-3333-4333-8ccc-cccc66666666')
    for (let k = 0; k < 4; k++) {
      const changed = draws.map((d, i) => (i === k ? d + 0.05 : d))
      expect(messageId(((i) => () => changed[i++ % 4])(0))).not.toBe(base)
    }
  })
})

describe('secrets in the page address never leave the page', () => {
  const who = { anonymousId: 'a1' }
  const on = (page: Partial<PageInfo>) => {
    const p = createFakePlatform()
    p.setPage(page)
    return p
  }

  it('a password reset link sends its path, not its token, nor the email it was sent to', () => {
    const url = 'https://app.example.com/reset?token=9f8e7d6c5b&email=jane.doe%40example.com&utm_source=mail'
    const p = on({ url, path: '/reset', search: '?token=9f8e7d6c5b&email=jane.doe%40example.com&utm_source=mail', title: 'Reset your password' })
    const e = envelope(p, who, { type: 'track', event: 'Reset Viewed' })
    const wire = JSON.stringify(e)
    expect(wire).not.toContain('9f8e7d6c5b')
    expect(wire).not.toContain('jane.doe')
    // What is not a secret stays for the vendor's reports.
    expect(e.context.page.path).toBe('/reset')
    expect(e.context.page.url).toContain('utm_source=mail')
    expect(e.context.page.search).toContain('utm_source=mail')
  })

  it('a magic link, an OAuth redirect (code, or a token in the fragment) and an email in the path or title send none of them', () => {
    const cases: Array<[Partial<PageInfo>, string[]]> = [
      [{ url: 'https://app.example.com/login/magic?apiKey=AIzaSyXX123&oobCode=Q1w2E3r4&mode=signIn', search: '?apiKey=AIzaSyXX123&oobCode=Q1w2E3r4&mode=signIn' }, ['AIzaSyXX123', 'Q1w2E3r4']],
      [{ url: 'https://app.example.com/callback?code=4/0AbCdEf&state=xyz', search: '?code=4/0AbCdEf&state=xyz' }, ['4/0AbCdEf']],
      [{ url: 'https://app.example.com/#access_token=eyJhbGciOi.payload.sig&token_type=bearer' }, ['eyJhbGciOi']],
      [{ url: 'https://app.example.com/users/jane@example.com/settings', path: '/users/jane@example.com/settings', title: 'Settings – jane@example.com' }, ['jane@example.com']],
      [{ url: 'https://app.example.com/welcome', referrer: 'https://app.example.com/verify?reset_token=s3cr3tT0k' }, ['s3cr3tT0k']],
    ]
    for (const [page, secrets] of cases) {
      const wire = JSON.stringify(envelope(on(page), who, { type: 'track', event: 'X' }))
      for (const s of secrets) expect(wire, `${page.url} sent ${s}`).not.toContain(s)
    }
  })

  it('a Supabase recovery link (?token_hash=…), a Clerk sign-in ticket, a CAS ticket and a JWT in ?jwt= send none of them', () => {
    const cases: Array<[string, string]> = [
      ['https://app.example.com/auth/confirm?token_hash=pkce_8d7f6e5a4b&type=recovery&next=/account', 'pkce_8d7f6e5a4b'],
      ['https://app.example.com/sign-in?__clerk_ticket=clk_tkt_9Z8Y7X&__clerk_status=sign_in', 'clk_tkt_9Z8Y7X'],
      ['https://app.example.com/cas/login?ticket=ST-1-aBcDeF123-cas', 'ST-1-aBcDeF123'],
      ['https://app.example.com/magic?jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', 'eyJhbGciOiJIUzI1NiJ9'],
    ]
    for (const [url, secret] of cases) {
      const e = envelope(on({ url, search: url.slice(url.indexOf('?')) }), who, { type: 'track', event: 'X' })
      expect(JSON.stringify(e), `${url} sent ${secret}`).not.toContain(secret)
      // Beside it, what is no secret stays.
      expect(e.context.page.url).toContain(url.slice(0, url.indexOf('?')))
    }
  })

  it('the page view itself (its url, path and title properties) carries no more than its context', () => {
    const page = { url: 'https://app.example.com/invite?invite_token=abc123XYZ', path: '/invite', search: '?invite_token=abc123XYZ', title: 'Join', hash: '', referrer: '' }
    const e = envelope(on(page), who, { type: 'page', properties: { plan: 'pro', url: page.url, path: page.path, title: page.title } })
    expect(JSON.stringify(e)).not.toContain('abc123XYZ')
    expect(e.properties).toMatchObject({ plan: 'pro', path: '/invite', title: 'Join' })
  })

  it('parameters that only look alike (a country code, a page key word) are kept', () => {
    const url = 'https://app.example.com/search?q=hello&country_code=FR&sort=name'
    const e = envelope(on({ url, search: '?q=hello&country_code=FR&sort=name' }), who, { type: 'track', event: 'Searched' })
    expect(e.context.page.url).toBe(url)
  })
})
