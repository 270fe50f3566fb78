import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../test/harness'

// An app whose router also calls linger.page() on route changes (Segment's habit), where the
// router runs it: React's scheduler (a MessageChannel message) for a transition, the next frame,
// or a route effect after the route's data came. Counted at a real collector: one page view per
// screen, whichever task the app's page() comes in.
const suite = useBrowserSuite()

// The app's router: the URL first, then the title, then (in the task `how` names) its page() call.
const router = `
  window.later = function (how, fn) {
    if (how === 'message') { var c = new MessageChannel(); c.port1.onmessage = fn; c.port2.postMessage(0) }
    else if (how === 'frame') requestAnimationFrame(function () { requestAnimationFrame(fn) })
    else setTimeout(fn, how)
  };
  window.go = function (path, title, how) {
    history.pushState({}, '', path); document.title = title
    if (how !== undefined) later(how, function () { linger.page(title, { section: 'app' }) })
  };`

/** The page views of `prefix`'s screens, in the order the collector got them: path and name (none: the automatic one). */
const views = (events: Array<Record<string, any>>, prefix: string) =>
  events.filter((x) => x.type === 'page' && x.context.page.path.startsWith(prefix)).map((x) => `${x.context.page.path} ${x.name ?? '(automatic)'}`)

describe('a router that also calls page()', () => {
  for (const how of ['message', 'frame', 0, 50, 200] as const)
    it(`calling page() ${typeof how == 'number' ? `in a timer of ${how} ms` : how === 'message' ? "in React's scheduler message (a transition)" : 'once the new screen was painted (the frame after it)'} after the URL changed sends one page view for the screen: page()'s`, async () => {
      const base = `/r-${how}`
      const { page } = await suite.open(base, suite.hostPage({ script: `${router} ${suite.initScript()}` }))
      await page.waitForFunction(() => (window as any).linger?.loaded === true)
      await page.evaluate((a) => (window as any).go(a.path, 'Projects', a.how), { path: `${base}/projects`, how })
      await page.waitForFunction(() => document.title === 'Projects')
      // Something the user then did on that screen, to know all before it has come.
      await page.evaluate(() => new Promise((r) => setTimeout(r, 0)).then(() => (window as any).linger.track('Project Opened')))
      const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Project Opened' && x.context.page.path === `${base}/projects`))
      expect(views(events, base)).toEqual([`${base} (automatic)`, `${base}/projects Projects`])
      expect(events.find((x) => x.type === 'page' && x.context.page.path === `${base}/projects`)!.properties).toMatchObject({ section: 'app', title: 'Projects' })
      await page.close()
    })

  it('an app that calls page() on some routes only still gets one page view on every other screen, and what the user does there follows its page view, on that page', async () => {
    const { page } = await suite.open('/shop', suite.hostPage({ script: `${router} ${suite.initScript()}` }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    // Its product pages call page() (in a transition); the cart does not.
    await page.evaluate(() => (window as any).go('/shop/shoes', 'Shoes', 'message'))
    await suite.collector.waitFor((e) => views(e, '/shop').length >= 2)
    // On the cart, the user does something before its page view went.
    await page.evaluate(() => {
      ;(window as any).go('/shop/cart', 'Cart')
      return new Promise((r) => setTimeout(r, 0)).then(() => (window as any).linger.track('Cart Viewed', { items: 2 }))
    })
    // The checkout's page() comes once its data loaded.
    await page.evaluate(() => (window as any).go('/shop/checkout', 'Checkout', 200))
    await page.waitForFunction(() => document.title === 'Checkout')
    // And a last screen where the app calls nothing, nor does the user: its page view comes all the same.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)).then(() => (window as any).go('/shop/thanks', 'Thanks')))
    const events = await suite.collector.waitFor((e) => views(e, '/shop').some((v) => v.startsWith('/shop/thanks')))
    expect(views(events, '/shop')).toEqual(['/shop (automatic)', '/shop/shoes Shoes', '/shop/cart (automatic)', '/shop/checkout Checkout', '/shop/thanks (automatic)'])
    const mine = events.filter((x) => x.context.page.path === '/shop/cart').map((x) => x.event ?? x.type)
    expect(mine).toEqual(['page', 'Cart Viewed'])
    expect(events.find((x) => x.event === 'Cart Viewed')!.context.page.title).toBe('Cart')
    await page.close()
  })

  it('a page view still waiting for the app when the user leaves the site is delivered, once', async () => {
    suite.site.pages['/elsewhere'] = { html: '<!doctype html><title>Elsewhere</title><p>no linger here</p>' }
    // Sent on a schedule a minute away: only the page's going sends it.
    const { page } = await suite.open('/away', suite.hostPage({ script: `${router} ${suite.initScript({ flushIntervalMs: 60000 })}` }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    // An app that calls page() after its route changes: the next one's page view waits longer for it.
    await page.evaluate(() => (window as any).go('/away/plans', 'Plans', 'message'))
    await page.evaluate(() => new Promise((r) => setTimeout(r, 0)).then(() => (window as any).go('/away/team', 'Team')))
    await page.goto(suite.site.url + '/elsewhere')
    const events = await suite.collector.waitFor((e) => views(e, '/away').some((v) => v.startsWith('/away/team')), 10_000)
    expect(views(suite.collector.stored(), '/away')).toEqual(['/away (automatic)', '/away/plans Plans', '/away/team (automatic)'])
    expect(events.filter((x) => x.type === 'page' && x.context.page.path === '/away/team').map((x) => x.properties.title)).toEqual(['Team'])
  })

  it("a user who routes to an account switcher, clicks there and switches to bob before that screen's page view went: the page view and the click are the first user's, not bob's", async () => {
    const { page } = await suite.open('/who', suite.hostPage({ script: `${router} ${suite.initScript()}` }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.evaluate(() => (window as any).linger.identify('alice'))
    await page.evaluate(() => {
      ;(window as any).go('/who/switch', 'Switch')
      return new Promise((r) => setTimeout(r, 0)).then(() => ((window as any).linger.track('Clicked Switch'), (window as any).linger.identify('bob')))
    })
    const events = await suite.collector.waitFor((e) => e.some((x) => x.type === 'identify' && x.userId === 'bob'))
    const mine = events.filter((x) => x.context.page.path === '/who/switch').map((x) => `${x.event ?? x.type} as ${x.userId}`)
    expect(mine).toEqual(['page as alice', 'Clicked Switch as alice', 'identify as bob'])
    await page.close()
  })

  it('an app with holdForIdentify whose user moves to another screen before its session check answers: the landing page view comes first, then that screen\'s', async () => {
    const { page } = await suite.open('/held', suite.hostPage({ script: `${router} ${suite.initScript({ holdForIdentify: 10_000 })}` }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.evaluate(() => (window as any).go('/held/next', 'Next'))
    await page.waitForFunction(() => document.title === 'Next')
    // The session check answers.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 50)).then(() => (window as any).linger.identify('carol')))
    const events = await suite.collector.waitFor((e) => views(e, '/held').length >= 2)
    expect(views(events, '/held')).toEqual(['/held (automatic)', '/held/next (automatic)'])
    expect(events.filter((x) => x.type === 'page' && x.context.page.path.startsWith('/held')).map((x) => x.userId)).toEqual(['carol', 'carol'])
    await page.close()
  })
})
