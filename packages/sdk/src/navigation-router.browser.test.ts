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

  it('a click handler that navigates and tracks "Report Opened" in one go: the collector gets the /reports page view first, then the event, on /reports, not earlier in time', async () => {
    const { page } = await suite.open('/click', suite.hostPage({ script: `${router} ${suite.initScript()}` }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.evaluate(() => {
      ;(window as any).go('/click/reports', 'Reports')
      ;(window as any).linger.track('Report Opened')
    })
    const mine = (await suite.collector.waitFor((e) => views(e, '/click/reports').length > 0 && e.some((x) => x.event === 'Report Opened'))).filter((x) =>
      x.type === 'page' ? x.context.page.path === '/click/reports' : x.event === 'Report Opened',
    )
    expect(mine.map((x) => `${x.event ?? x.type} ${x.context.page.path} ${x.context.page.title}`)).toEqual(['page /click/reports Reports', 'Report Opened /click/reports Reports'])
    expect(Date.parse(mine[0].timestamp)).toBeLessThanOrEqual(Date.parse(mine[1].timestamp))
    await page.close()
  })

  it("a user who opens Billing and switches tabs before the router's page('Billing') came: one page view for the screen, and the debug console says the name was not sent", async () => {
    const { page } = await suite.open('/tab', suite.hostPage({ script: `${router} ${suite.initScript({ debug: true })}` }))
    const said: string[] = []
    page.on('console', (m) => void said.push(m.text()))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.evaluate(() => (window as any).go('/tab/billing', 'Billing'))
    await page.evaluate(() => {
      // The user switches to another tab, and back: as Chromium tells a page.
      const seen = (state: string) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state })
        document.dispatchEvent(new Event('visibilitychange'))
      }
      seen('hidden')
      seen('visible')
      ;(window as any).linger.page('Billing', { section: 'app' })
      ;(window as any).linger.track('Invoice Opened')
    })
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Invoice Opened'))
    expect(views(events, '/tab')).toEqual(['/tab (automatic)', '/tab/billing (automatic)'])
    expect(said).toContainEqual(expect.stringMatching(/page\(\) on \S+\/tab\/billing: its page view went unnamed as the tab was hidden/))
    await page.close()
  })
})

// A router on a busy page: the new screen's render keeps the page busy (one long task: a big list,
// a slow phone; or React's concurrent render in 5 ms slices, painting between them), and its route
// effect calls page() after the frame that shows it. The render holds back the wait's timer too.
const busyRouters = `
  var spin = function (ms) { var t = performance.now(); while (performance.now() - t < ms) {} }
  var msg = function (fn) { var c = new MessageChannel(); c.port1.onmessage = fn; c.port2.postMessage(0) }
  window.ways = {
    // One long render; the effect after the frame: an animation frame, then a message (React's).
    frameMessage: function (ms, page) { setTimeout(function () { spin(ms); requestAnimationFrame(function () { msg(page) }) }) },
    // React 18's startTransition (React Router v7 by default): 5 ms slices in scheduler messages,
    // frames painted between them; commit, then the passive effects in a later message.
    sliced: function (ms, page) {
      var left = ms
      var step = function () { spin(5); left -= 5; if (left > 0) msg(step); else msg(page) }
      msg(step)
    },
    // The render in a scheduler message; the route effect defers page() with setTimeout(0), no frame.
    effectTimer: function (ms, page) { msg(function () { spin(ms); msg(function () { setTimeout(page, 0) }) }) },
    // page() in a microtask queued from an animation frame (Vue's nextTick after a render).
    frameMicrotask: function (ms, page) { setTimeout(function () { spin(ms); requestAnimationFrame(function () { queueMicrotask(page) }) }) },
    frameTimer: function (ms, page) { setTimeout(function () { spin(ms); requestAnimationFrame(function () { setTimeout(page, 0) }) }) },
  }
  window.go = function (how, path, title, ms) {
    history.pushState({}, '', path); document.title = title
    ways[how](ms, function () { linger.page(title); window.routed = title })
  };`

// Safari has no requestIdleCallback: taken away here, the page's idle moment is found otherwise.
const noIdle = 'delete window.requestIdleCallback; delete Window.prototype.requestIdleCallback;'

describe('a router on a busy page', () => {
  const cases = [...[150, 350, 600].map((ms) => ['frameMessage', ms, ''] as const), ...(['sliced', 'effectTimer', 'frameMicrotask', 'frameTimer'] as const).map((how) => [how, 600, ''] as const)]
  for (const [how, ms, safari] of [...cases, ['sliced', 600, noIdle], ['frameMessage', 600, noIdle]] as const)
    it(`whose render of the new screen keeps the page busy for ${ms} ms (${how}${safari && ', no requestIdleCallback'}), then calls page() in its route effect: one page view for the screen, page()'s`, async () => {
      const base = `/busy-${how}-${ms}${safari && '-noidle'}`
      const { page } = await suite.open(base, suite.hostPage({ script: `${safari} ${busyRouters} ${suite.initScript()}` }))
      await page.waitForFunction(() => (window as any).linger?.loaded === true)
      if (safari) expect(await page.evaluate(() => typeof (window as any).requestIdleCallback)).toBe('undefined')
      await page.evaluate((a) => (window as any).go(a.how, a.path, 'Projects', a.ms), { how, path: `${base}/projects`, ms })
      await page.waitForFunction(() => (window as any).routed === 'Projects')
      // The user clicks on, and the app flushes: what waited for the screen has gone.
      await page.evaluate(() => ((window as any).linger.track('Project Opened'), (window as any).linger.flush()))
      const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Project Opened' && x.context.page.path === `${base}/projects`))
      expect(views(events, base)).toEqual([`${base} (automatic)`, `${base}/projects Projects`])
      await page.close()
    })
})

// The same routers on a slow phone: Chromium's CPU made 6 times slower (a mid/low-end phone).
// The render is work, not time: measured before the CPU slows down, it takes 6 times as long
// after. React's slices stay 5 ms each, so there are 6 times as many, for seconds.
const slowPhone = `
  var msg = function (fn) { var c = new MessageChannel(); c.port1.onmessage = fn; c.port2.postMessage(0) }
  var x = 0
  var work = function (units, ms) {
    var t = performance.now()
    while (units > 0 && performance.now() - t < ms) for (var k = 0, n = Math.min(units, 1000); k < n; k++, units--) x = (x * 31 + k) | 0
    return units
  }
  // Measured once the loop is warm (compiled): the fastest of 20 runs of 5 ms (a busy machine
  // only ever makes a run slower).
  for (var perMs = 0, i = 0; i < 21; i++) perMs = Math.max(perMs, i && (1e9 - work(1e9, 5)) / 5)
  window.ways = {
    frameMessage: function (ms, page) { setTimeout(function () { work(ms * perMs, Infinity); requestAnimationFrame(function () { msg(page) }) }) },
    sliced: function (ms, page) {
      var left = ms * perMs
      var step = function () { left = work(left, 5); msg(left > 0 ? step : page) }
      msg(step)
    },
  }
  window.go = function (how, path, title, ms) {
    history.pushState({}, '', path); document.title = title
    ways[how](ms, function () { linger.page(title); window.routed = title })
  };`

describe('a router on a slow phone', () => {
  // Renders that end within the wait's bound keep page()'s name; one that outlasts it (300 ms of
  // work in slices: seconds here) has its view go unnamed at the bound, and page() at its end is
  // not a second one.
  const cases = [
    ['sliced', 300, '', 'one'],
    ['sliced', 300, noIdle, 'one'],
    ['sliced', 50, '', "page()'s"],
    ['frameMessage', 600, '', "page()'s"],
  ] as const
  for (const [how, ms, safari, whose] of cases)
    it(`whose render of the new screen is ${ms} ms of work (${how}${safari && ', no requestIdleCallback'}), then calls page() in its route effect: one page view for the screen${whose == 'one' ? '' : ", page()'s"}`, async () => {
      const base = `/slow-${how}-${ms}${safari && '-noidle'}`
      const { page } = await suite.open(base, suite.hostPage({ script: `${safari} ${slowPhone} ${suite.initScript({ debug: true })}` }))
      const said: string[] = []
      page.on('console', (m) => void said.push(m.text()))
      await page.waitForFunction(() => (window as any).linger?.loaded === true)
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 })
      await page.evaluate((a) => (window as any).go(a.how, a.path, 'Projects', a.ms), { how, path: `${base}/projects`, ms })
      await page.waitForFunction(() => (window as any).routed === 'Projects')
      await page.evaluate(() => ((window as any).linger.track('Project Opened'), (window as any).linger.flush()))
      const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Project Opened' && x.context.page.path === `${base}/projects`), 30_000)
      const screen = events.filter((x) => x.type === 'page' && x.context.page.path === `${base}/projects`)
      if (whose == 'one') {
        expect(screen.map((x) => x.properties.title)).toEqual(['Projects'])
        // The vendor, debugging, is told why the name is missing.
        expect(said).toContainEqual(expect.stringMatching(/page\(\) on \S+\/projects: its page view went unnamed/))
      } else expect(views(events, base)).toEqual([`${base} (automatic)`, `${base}/projects Projects`])
      expect(views(events, base)).toHaveLength(2)
      await page.close()
    })
})

// Route changes Linger hears late, or in a tab nobody looks at. A script-tag install: the app's
// own popstate listener was added first, and runs before Linger's.
const lateApp = `
  window.go = function (path, title) { history.pushState({}, '', path); document.title = title };
  addEventListener('popstate', function () { document.title = 'Back'; linger.track('Went Back') });
  // The user switches to another tab: as Chromium tells a page.
  window.hide = function () {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: function () { return 'hidden' } })
    document.dispatchEvent(new Event('visibilitychange'))
  };
  // What this page would leave to the next one if it were discarded now: its outbox.
  window.outbox = function () {
    return Object.keys(localStorage).filter(function (k) { return k.indexOf('linger:outbox:') === 0 }).map(function (k) { return localStorage.getItem(k) }).join()
  };`

describe('a route change Linger hears late', () => {
  it('Back, where the app\'s popstate listener tracks "Went Back" before Linger hears it: the collector gets the page view of the screen gone back to, then the event', async () => {
    const { page } = await suite.open('/late', suite.hostPage({ script: `${lateApp} ${suite.initScript()}` }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.evaluate(() => (window as any).go('/late/next', 'Next'))
    await suite.collector.waitFor((e) => views(e, '/late/next').length > 0)
    await page.goBack()
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Went Back') && views(e, '/late').length >= 3)
    const mine = events.filter((x) => x.context.page.path.startsWith('/late')).map((x) => `${x.event ?? x.type} ${x.context.page.path}`)
    expect(mine).toEqual(['page /late', 'page /late/next', 'page /late', 'Went Back /late'])
    await page.close()
  })
})

describe('a route change in a background tab', () => {
  it("an app that routes to its inbox on a socket message while the tab is hidden, and tracks there; its router calls page('Inbox') a task later: the collector gets that screen's one page view, named, then the event", async () => {
    const { page } = await suite.open('/bg', suite.hostPage({ script: `${lateApp} ${suite.initScript()}` }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.evaluate(() => {
      ;(window as any).hide()
      ;(window as any).go('/bg/inbox', 'Inbox')
      ;(window as any).linger.track('Message Received')
      // The router's effect, a posted message later (not a timer: those a hidden tab throttles).
      const ch = new MessageChannel()
      ch.port1.onmessage = () => (window as any).linger.page('Inbox')
      ch.port2.postMessage(0)
    })
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Message Received' && x.context.page.path === '/bg/inbox'))
    const mine = events.filter((x) => x.context.page.path === '/bg/inbox').map((x) => `${x.event ?? x.type} ${x.name ?? ''}`.trim())
    expect(mine).toEqual(['page Inbox', 'Message Received'])
    await page.close()
  })

  it('a hidden tab the browser freezes in the very task it routed and tracked in (a frozen tab may be discarded without pagehide): the page view and the event are in the outbox as it freezes', async () => {
    const { page } = await suite.open('/frozen', suite.hostPage({ script: `${lateApp} ${suite.initScript()}` }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    const outbox = await page.evaluate(() => {
      ;(window as any).hide()
      ;(window as any).go('/frozen/inbox', 'Inbox')
      ;(window as any).linger.track('Message Received')
      document.dispatchEvent(new Event('freeze'))
      return (window as any).outbox()
    })
    expect(outbox).toContain('/frozen/inbox')
    expect(outbox).toContain('Message Received')
    await page.close()
  })
})

// A host that shims requestIdleCallback for Safari the naive way (`setTimeout(cb, 1)`: no deadline).
const shim = 'window.requestIdleCallback = function (cb) { return setTimeout(cb, 1) };'

describe('a host page with a naive requestIdleCallback shim', () => {
  it('a route change with no page() from the app: its view goes by itself, and nothing throws into the page', async () => {
    const { page } = await suite.open('/shim', suite.hostPage({ script: `${shim} ${suite.initScript()}` }))
    const errors: string[] = []
    page.on('pageerror', (e) => void errors.push(String(e)))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.evaluate(() => {
      history.pushState({}, '', '/shim/projects')
      document.title = 'Projects'
      ;(window as any).linger.track('Shimmed Project Opened')
    })
    // No flush, no hide: the view (and the event behind it) goes once the wait is over (~1 s here).
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Shimmed Project Opened'), 8_000)
    expect(events.filter((x) => x.type === 'page' && x.context.page.path === '/shim/projects')).toHaveLength(1)
    expect(errors).toEqual([])
    await page.close()
  })
})
