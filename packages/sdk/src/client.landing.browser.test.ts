import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../test/harness'

// An app that asks its server who is signed in before it calls identify() (`init`, then
// `await fetch('/me')`, then `identify`), in a real Chromium, against a real collector.
const suite = useBrowserSuite({ pageErrors: 'all' })

// Bob signed in on this browser last; his session expired without a reset().
const BOB = `<script>localStorage.setItem('linger:identity', JSON.stringify({ anonymousId: 'anon-bob', userId: 'bob', userHash: 'bob-hash', traits: {}, groupTraits: {} }))</script>`

describe('holdForIdentify: the landing page view of an app that fetches its session', () => {
  it('names the user the session answer names, not the last user of a shared laptop', async () => {
    // A real round trip, not an answer from the app's cache.
    suite.site.files['/api/me'] = { body: JSON.stringify({ id: 'ann', hash: 'ann-hash' }), delayMs: 300 }
    const app = `fetch('/api/me').then((r) => r.json()).then((me) => linger('identify', me.id, {}, { userHash: me.hash }));`
    await suite.open('/landing-net', suite.hostPage({ head: BOB, script: `${suite.initScript({ holdForIdentify: 10_000 })} ${app}` }))
    const events = (await suite.collector.waitFor((e) => e.some((x) => x.type === 'identify' && x.userId === 'ann') && e.some((x) => x.type === 'page' && x.context.page.path === '/landing-net')))
      .filter((e) => e.context.page.path === '/landing-net')
    expect(events.map((e) => `${e.type}:${e.userId}:${e.context.userHash}`)).toEqual(['page:ann:ann-hash', 'identify:ann:ann-hash'])
  })

  it('a page left before the answer came still delivers its landing page view, as it is, once', async () => {
    suite.site.pages['/elsewhere'] = { html: '<!doctype html><title>Elsewhere</title><p>no linger here</p>' }
    // The session answer never comes while the page is open.
    suite.site.files['/api/me-slow'] = { body: '{}', delayMs: 60_000 }
    const app = `fetch('/api/me-slow').then((r) => r.json()).then(() => linger('identify', 'ann'));`
    const { page } = await suite.open('/landing-left', suite.hostPage({ head: BOB, script: `${suite.initScript({ holdForIdentify: 10_000, flushIntervalMs: 200 })} ${app}` }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.goto(suite.site.url + '/elsewhere')
    await suite.collector.waitFor((e) => e.some((x) => x.type === 'page' && x.context.page.path === '/landing-left'), 10_000)
    const landing = suite.collector.stored().filter((e) => e.type === 'page' && e.context.page.path === '/landing-left')
    expect(landing.map((e) => `${e.userId}:${e.context.userHash}`)).toEqual(['bob:bob-hash'])
  })
})
