import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../test/harness'

// An app that asks its server who is signed in before it calls identify() (`init`, then
// `await fetch('/me')`, then `identify`), in a real Chromium, against a real collector.
const suite = useBrowserSuite({ pageErrors: 'all' })

// Bob signed in on this browser last; his session expired without a reset().
const BOB = `<script>localStorage.setItem('linger:identity', JSON.stringify({ anonymousId: 'anon-bob', userId: 'bob', userHash: 'bob-hash', traits: {}, groupTraits: {} }))</script>`

describe('holdForIdentify: the landing page view of an app that fetches its session', () => {
  it('names the user the session answer names, not the last user of a shared laptop', async () => {
    // A real round trip, not an answer from the app's cache, and later than Linger's script: on a
    // loaded machine an answer in 300 ms came first, was kept by the snippet and named who landed
    // before the page view was made (identify first, rightly), which is another test's story.
    // Sent only once Linger's script ran: 1.5 s alone was no bound on a loaded machine, where the
    // runtime's own loading can take longer.
    suite.site.files['/api/me'] = { body: JSON.stringify({ id: 'ann', hash: 'ann-hash' }), delayMs: 1500 }
    const context = await suite.browser.newContext()
    await context.route('**/api/me', async (route) => {
      await route.request().frame().waitForFunction(() => (window as any).linger?.loaded === true)
      await route.continue()
    })
    const app = `fetch('/api/me').then((r) => r.json()).then((me) => linger('identify', me.id, {}, { userHash: me.hash }));`
    await suite.open('/landing-net', suite.hostPage({ head: BOB, script: `${suite.initScript({ holdForIdentify: 10_000 })} ${app}` }), context)
    const events = (await suite.collector.waitFor((e) => e.some((x) => x.type === 'identify' && x.userId === 'ann') && e.some((x) => x.type === 'page' && x.context.page.path === '/landing-net')))
      .filter((e) => e.context.page.path === '/landing-net')
    expect(events.map((e) => `${e.type}:${e.userId}:${e.context.userHash}`)).toEqual(['page:ann:ann-hash', 'identify:ann:ann-hash'])
    await context.close()
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

describe('a signed-out visitor whose app answers "nobody is signed in" with reset() on every page', () => {
  // Both forms README gives the session check: read from the app's cache as the page starts
  // (Linger's script still loading: the snippet keeps the call), or fetched, with holdForIdentify.
  const checks = {
    cached: { options: {}, app: `linger('reset');` },
    fetched: { options: { holdForIdentify: 10_000 }, app: `fetch('/api/me-nobody').then((r) => r.json()).then((me) => (me.id ? linger('identify', me.id) : linger('reset')));` },
  }
  for (const [how, check] of Object.entries(checks)) {
    it(`(${how}) is one visitor over two pages, not a new person on each`, async () => {
      suite.site.files['/api/me-nobody'] = { body: '{}', delayMs: 200 }
      const landing = (path: string) => suite.collector.waitFor((e) => e.some((x) => x.type === 'page' && x.context.page.path === path), 10_000)
      const page = () => suite.hostPage({ script: `${suite.initScript(check.options)} ${check.app}` })
      const { context } = await suite.open(`/visit-1-${how}`, page())
      await landing(`/visit-1-${how}`)
      await suite.open(`/visit-2-${how}`, page(), context)
      await landing(`/visit-2-${how}`)
      const views = suite.collector.stored().filter((e) => e.type === 'page' && e.context.page.path.startsWith('/visit-') && e.context.page.path.endsWith(`-${how}`))
      expect(views).toHaveLength(2)
      expect(views[1].anonymousId).toBe(views[0].anonymousId)
    })
  }
})
