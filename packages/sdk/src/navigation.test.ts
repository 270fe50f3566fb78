// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { createLinger, type CallSite } from './client'
import { createFakePlatform, type FakePlatform } from './fake-platform'
import type { LingerEvent } from './events'
import { ROUTER_WAIT_MS, VIEW_WAIT_MS, viewWait, watchNavigation } from './navigation'
import { identifyReducer, loadIdentity, saveIdentity } from './identity'
import { siteOf } from './snippet/replay'
import './config/boot'

const sent = (p: FakePlatform): LingerEvent[] => p.requests.flatMap((r) => r.body?.batch ?? [])
const offs: Array<() => void> = []
const nextTask = () => new Promise((r) => setTimeout(r))
afterEach(() => offs.splice(0).forEach((off) => off()))

describe('single-page-app navigation', () => {
  it('each real URL change is one page view (replaceState to the same URL is none)', async () => {
    history.replaceState(null, '', '/start')
    const seen: string[] = []
    offs.push(watchNavigation(window, () => seen.push(location.pathname)))
    history.pushState(null, '', '/projects')
    await nextTask()
    history.replaceState({ tab: 2 }, '', '/projects')
    await nextTask()
    history.pushState(null, '', '/settings')
    await nextTask()
    expect(seen).toEqual(['/projects', '/settings'])
  })

  it('a router that sets the title after pushState (as React, Vue and Angular routers do) gets a page view with the new page\'s title', async () => {
    history.replaceState(null, '', '/start')
    document.title = 'Home'
    const seen: string[] = []
    offs.push(watchNavigation(window, () => seen.push(`${location.pathname} ${document.title}`)))
    history.pushState(null, '', '/billing')
    document.title = 'Billing'
    await nextTask()
    expect(seen).toEqual(['/billing Billing'])
  })

  it('a redirect chain in one go (push /login, the guard replaces it with /dashboard) is the one page the user sees', async () => {
    history.replaceState(null, '', '/start')
    const seen: string[] = []
    offs.push(watchNavigation(window, () => seen.push(location.pathname)))
    history.pushState(null, '', '/login')
    await Promise.resolve()
    history.replaceState(null, '', '/dashboard')
    await nextTask()
    history.pushState(null, '', '/reports')
    await nextTask()
    expect(seen).toEqual(['/dashboard', '/reports'])
  })

  it('a docs page whose table of contents jumps to #install and #faq counts one page view, not one per heading; a hash router\'s #/settings still counts', async () => {
    history.replaceState(null, '', '/docs')
    document.body.innerHTML = '<h2 id="install">Install</h2><h2 id="faq">FAQ</h2>'
    const seen: string[] = []
    offs.push(watchNavigation(window, () => seen.push(location.pathname + location.hash)))
    for (const hash of ['#install', '#faq', '#top', '', '#install']) {
      location.hash = hash
      await nextTask()
      await nextTask()
    }
    expect(seen).toEqual([])
    location.hash = '#/settings'
    await nextTask()
    await nextTask()
    // Back to a heading of the docs page is back on the docs page.
    location.hash = '#faq'
    await nextTask()
    await nextTask()
    expect(seen).toEqual(['/docs#/settings', '/docs#faq'])
    document.body.innerHTML = ''
  })

  it('an app that cleans a sign-in token out of its URL (replaceState without #access_token=…) is not counted a second time', async () => {
    history.replaceState(null, '', '/callback#access_token=abc&state=1')
    const seen: string[] = []
    offs.push(watchNavigation(window, () => seen.push(location.href)))
    history.replaceState(null, '', '/callback')
    await nextTask()
    history.replaceState(null, '', '/home')
    await nextTask()
    expect(seen.map((u) => new URL(u).pathname + new URL(u).hash)).toEqual(['/home'])
  })

  it('a hash route no element of the page is named after (#inbox, as Backbone routes are written) still counts as a page view', async () => {
    history.replaceState(null, '', '/mail')
    const seen: string[] = []
    offs.push(watchNavigation(window, () => seen.push(location.hash)))
    location.hash = '#inbox'
    await nextTask()
    await nextTask()
    history.pushState(null, '', '#!/sent')
    await nextTask()
    expect(seen).toEqual(['#inbox', '#!/sent'])
  })

  it('a search box that mirrors each keystroke into the URL (replaceState ?q=) is one page view for the search screen, not one per keystroke', async () => {
    history.replaceState(null, '', '/start')
    const seen: string[] = []
    offs.push(watchNavigation(window, () => seen.push(location.pathname + location.search + location.hash)))
    history.pushState(null, '', '/search')
    await nextTask()
    for (const q of ['r', 're', 'rep', 'repo']) {
      history.replaceState(null, '', `/search?q=${q}`)
      await nextTask()
    }
    // The same in a hash router, whose query is in the hash.
    history.pushState(null, '', '/app#/search')
    await nextTask()
    for (const q of ['i', 'in']) {
      history.replaceState(null, '', `/app#/search?q=${q}`)
      await nextTask()
    }
    // A router that replaces one screen with another (a guard sending the user to sign in) is still one.
    history.replaceState(null, '', '/login')
    await nextTask()
    // Pages of results pushed as history entries are screens the user went to (Back returns to each).
    history.pushState(null, '', '/login?page=2')
    await nextTask()
    expect(seen).toEqual(['/search', '/app#/search', '/login', '/login?page=2'])
  })

  it('a tab or filter the app mirrors into the query (replaceState ?tab=billing) is no page view, but tells what reads the URL, once per burst', async () => {
    history.replaceState(null, '', '/settings')
    document.body.innerHTML = '<h2 id="plans">Plans</h2>'
    const views: string[] = []
    const urls: string[] = []
    offs.push(watchNavigation(window, () => views.push(location.pathname + location.search), undefined, () => urls.push(location.search + location.hash)))
    history.replaceState(null, '', '/settings?tab=billing')
    await nextTask()
    // Filters set in one go (three replaceState calls in one task): one look.
    for (const sort of ['name', 'date', 'size']) history.replaceState(null, '', `/settings?tab=billing&sort=${sort}`)
    await nextTask()
    // The same URL again, and an anchor on the page.
    history.replaceState(null, '', '/settings?tab=billing&sort=size')
    await nextTask()
    location.hash = '#plans'
    for (let i = 0; i < 3; i++) await nextTask()
    expect(views).toEqual([])
    expect(urls).toEqual(['?tab=billing', '?tab=billing&sort=size', '?tab=billing&sort=size#plans'])
  })

  it('a checklist for the billing tab appears when the app switches to that tab by rewriting its query, with no page view or event', async () => {
    history.replaceState(null, '', '/settings?tab=profile')
    const p = createFakePlatform()
    // The fake platform reads the page the test gives it: give it the browser's, as the real one does.
    p.url = () => location.href
    p.setPage({ url: location.href, path: location.pathname })
    const flows = {
      version: 1,
      checklists: [{ id: 'billing', title: 'Set up billing', audience: { url: '/settings?tab=billing*' }, tasks: [{ id: 'card', title: 'Add a card', doneWhen: { event: 'Card Added' } }] }],
    }
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform: p, window })
    offs.push(() => linger.destroy())
    await linger.ready
    await p.advance(100)
    const shown = () => linger.experiences.checklists!.$checklists.get().map((c) => c.checklist.id)
    expect(shown()).toEqual([])
    history.replaceState(null, '', '/settings?tab=billing')
    await nextTask()
    await p.advance(100)
    expect(shown()).toEqual(['billing'])
    // Still the one settings screen: no second page view for a tab.
    await p.advance(3000)
    expect(sent(p).filter((e) => e.type === 'page')).toHaveLength(1)
  })

  it('a page the app moved to before it was watched (a router redirect while Linger loaded) is seen at once, and only once', () => {
    history.replaceState(null, '', '/')
    const landed = location.href
    history.replaceState(null, '', '/dashboard')
    const seen: string[] = []
    offs.push(watchNavigation(window, () => seen.push(location.pathname), landed))
    history.replaceState(null, '', '/dashboard')
    expect(seen).toEqual(['/dashboard'])
    // Started from where the user is: nothing to report.
    offs.push(watchNavigation(window, () => seen.push('again')))
    expect(seen).toEqual(['/dashboard'])
  })

  /**
   * The page views of a runtime started on `landed` (by the snippet's init, or `npm`: created
   * there), while the app moved to `now` before the runtime arrived (none: it stayed).
   */
  async function pageViews(landed: string, now = landed, from: 'snippet' | 'npm' = 'snippet') {
    history.replaceState(null, '', landed)
    const site = from === 'snippet' ? siteOf([['init'], Date.now(), location.href, 'Home'], '') : undefined
    history.replaceState(null, '', now)
    const p = createFakePlatform()
    p.setPage({ url: location.href, path: location.pathname })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p, window, site })
    offs.push(() => linger.destroy())
    await p.advance(3000)
    return sent(p).filter((e) => e.type === 'page').map((e) => e.context.page.path)
  }

  it('an app whose router redirected / to /dashboard while the runtime loaded gets a page view for each, once', async () => {
    expect(await pageViews('/', '/dashboard')).toEqual(['/', '/dashboard'])
  })

  it('an app that only cleaned its URL of a query (utm, an auth code) while the runtime loaded gets one page view for the one screen', async () => {
    expect(await pageViews('/dashboard?utm_source=mail', '/dashboard')).toEqual(['/dashboard'])
  })

  it('an app whose router redirects in the task it created Linger in (/ replaced by /login, its title set) gets one page view: /login, with its title', async () => {
    history.replaceState(null, '', '/')
    const p = createFakePlatform()
    p.setPage({ url: location.href, path: '/', title: 'Acme' })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p, window })
    offs.push(() => linger.destroy())
    // The router's start, before anything was painted: the user never saw "/" titled "Acme".
    history.replaceState(null, '', '/login')
    p.setPage({ url: location.href, path: '/login', title: 'Sign in' })
    await p.advance(3000)
    expect(sent(p).filter((e) => e.type === 'page').map((e) => `${e.context.page.path} ${e.properties?.title}`)).toEqual(['/login Sign in'])
  })

  /**
   * The snippet's init on `/` at t0, the page as its task ended, and a call made there first
   * (`after`: made after init; `before`: queued before init, replayed as the runtime starts).
   */
  async function snippetLanding(settled: string, settledTitle: string, trackedFirst: false | 'after' | 'before' = false, method = 'track', prerendered = false) {
    history.replaceState(null, '', '/')
    const site = siteOf([['init'], Date.now(), location.href, 'Loading…'], '')
    const made: CallSite = { ...site }
    history.replaceState(null, '', settled)
    site.settled = { ...site.page!, url: location.href, path: location.pathname, title: settledTitle }
    const p = createFakePlatform()
    p.setPage({ url: location.href, path: location.pathname, title: settledTitle })
    // Chrome prerendering the page (speculation rules): `shown` is the user navigating to it.
    const shown: Array<() => void> = []
    if (prerendered) p.prerendered = (fn) => (shown.push(fn), true)
    const args = method === 'track' ? ['Hero Seen'] : []
    const queued: Array<[string, unknown[], CallSite]> | undefined = trackedFirst === 'before' ? [[method, args, made]] : undefined
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p, window, site, queued })
    offs.push(() => linger.destroy())
    if (trackedFirst === 'after') linger.call(method, args, made)
    await p.advance(3000)
    shown.forEach((fn) => fn())
    await p.advance(3000)
    return sent(p)
      .filter((e) => method === 'track' || e.type === 'page')
      .map((e) => `${e.type} ${e.context.page.url.replace(location.origin, '')} ${e.type === 'page' ? e.properties?.title : e.event}`)
  }

  it('a script-tag app whose router redirects in the task it called init in (its title set) gets one page view: the screen the user saw, with its title', async () => {
    expect(await snippetLanding('/#/home', 'Home — Acme')).toEqual(['page /#/home Home — Acme'])
  })

  it('a script-tag app that tracked on the first page before its redirect in that task gets a page view for each, once', async () => {
    expect(await snippetLanding('/dashboard', 'Dashboard', 'after')).toEqual(['page / Loading…', 'track / Hero Seen', 'page /dashboard Dashboard'])
  })

  it('a script-tag app that called page() on the first page after init (Segment\'s habit), then redirected in that task, gets its two page views in the order the user saw them', async () => {
    expect(await snippetLanding('/login', 'Sign in', 'after', 'page')).toEqual(['page / Loading…', 'page /login Sign in'])
  })

  it('an event queued on the first page before init keeps that page\'s page view when init\'s task redirects (a funnel "viewed / → saw hero" keeps its first step)', async () => {
    expect(await snippetLanding('/login', 'Sign in', 'before')).toEqual(['track / Hero Seen', 'page / Loading…', 'page /login Sign in'])
  })

  it('a prerendered page whose event was queued on the first page before a redirect gets that page\'s page view first once the user is shown it', async () => {
    expect(await snippetLanding('/login', 'Sign in', 'before', 'track', true)).toEqual(['page / Loading…', 'track / Hero Seen', 'page /login Sign in'])
  })

  it('an app that stayed where it landed gets one page view for it', async () => {
    expect(await pageViews('/home', '/home', 'npm')).toEqual(['/home'])
  })
})

describe("a router that calls page() in a later task than its URL change (React's transitions, a route effect after its data)", () => {
  it('sends one page view for the new screen, page()\'s; what the user did there meanwhile follows it and names that screen', async () => {
    history.replaceState(null, '', '/start')
    const p = createFakePlatform()
    p.setPage({ url: location.href, path: '/start', title: 'Home' })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p, window })
    offs.push(() => linger.destroy())
    await p.advance(100)
    history.pushState(null, '', '/projects')
    p.setPage({ url: location.href, path: '/projects', title: 'Projects' })
    await nextTask()
    await p.advance(50)
    linger.track('Project Opened')
    // The route's effect, once its data came.
    await p.advance(100)
    linger.page('Projects')
    await p.advance(3000)
    const wire = sent(p).filter((e) => e.type !== 'identify').map((e) => `${e.type} ${e.context.page.path} ${e.name ?? e.event ?? '(automatic)'}`)
    expect(wire).toEqual(['page /start (automatic)', 'page /projects Projects', 'track /projects Project Opened'])
  })
})

describe('an app that never calls page() on its route changes', () => {
  it('a user who goes to a screen, on, and back to it (quicker than a page view waits) gets a page view for each', async () => {
    history.replaceState(null, '', '/start')
    const p = createFakePlatform()
    p.url = () => location.href
    p.setPage({ url: location.href, path: '/start' })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p, window })
    offs.push(() => linger.destroy())
    await p.advance(100)
    for (const path of ['/projects', '/settings', '/projects']) {
      history.pushState(null, '', path)
      p.setPage({ url: location.href, path })
      await nextTask()
    }
    await p.advance(3000)
    expect(sent(p).filter((e) => e.type === 'page').map((e) => e.context.page.path)).toEqual(['/start', '/projects', '/settings', '/projects'])
  })
})

// The wait of a route's own page view for the app's page() (client.ts sends both; here, what
// goes out and in what order), on a clock the test moves.
describe("a route change's page view, waiting for the app's own page()", () => {
  const clock = () => {
    let timers: Array<{ fn: () => void; ms: number }> = []
    return {
      setTimeout: (fn: () => void, ms: number) => (timers.push({ fn, ms }), timers.at(-1)),
      clearTimeout: (t: unknown) => void (timers = timers.filter((x) => x !== t)),
      /** The waits now set, in ms. */
      waits: () => timers.map((t) => t.ms),
      /** The waits run out. */
      end: () => timers.splice(0).forEach((t) => t.fn()),
    }
  }

  it("a router's page() for that URL is its one page view (the named one); a screen it never calls page() for gets its own once the wait is over", () => {
    const c = clock()
    const views = viewWait(c)
    const wire: string[] = []
    views.hold('/projects', () => wire.push('/projects (automatic)'))
    expect(views.claim('/projects')).toEqual([])
    wire.push('/projects Projects')
    c.end()
    views.hold('/settings', () => wire.push('/settings (automatic)'))
    // A page() for another screen takes nothing's place.
    expect(views.claim('/billing')).toBeUndefined()
    c.end()
    c.end()
    expect(wire).toEqual(['/projects Projects', '/settings (automatic)'])
  })

  it('what the app sends while a view waits (the user already clicking on the new screen) goes after it, and after the page() that took its place', () => {
    const c = clock()
    const views = viewWait(c)
    const wire: string[] = []
    const send = (what: string) => (views.queue ? views.queue.push(() => wire.push(what)) : wire.push(what))
    views.hold('/cart', () => wire.push('/cart (automatic)'))
    send('Cart Viewed')
    c.end()
    views.hold('/checkout', () => wire.push('/checkout (automatic)'))
    send('Coupon Applied')
    const rest = views.claim('/checkout') || []
    wire.push('/checkout Checkout')
    rest.forEach((f) => f())
    expect(wire).toEqual(['/cart (automatic)', 'Cart Viewed', '/checkout Checkout', 'Coupon Applied'])
  })

  it('the next route, a flush, a hidden page or destroy sends the waiting view at once, and only once', () => {
    const c = clock()
    const views = viewWait(c)
    const wire: string[] = []
    views.hold('/a', () => wire.push('/a'))
    views.hold('/b', () => wire.push('/b'))
    expect(wire).toEqual(['/a'])
    views.go()
    views.go()
    c.end()
    expect(views.claim('/b')).toBeUndefined()
    expect(wire).toEqual(['/a', '/b'])
    expect(c.waits()).toEqual([])
  })

  it('an app seen calling page() after its route changes is given longer on the next ones, whether its page() came before the view was due or in its wait', () => {
    for (const before of [true, false]) {
      const c = clock()
      const views = viewWait(c)
      views.hold('/a', () => {})
      expect(c.waits()).toEqual([VIEW_WAIT_MS])
      // Its page() ran before the change was seen (in the task of its pushState), or during the wait.
      before ? (c.end(), views.hold('/b')) : views.claim('/a')
      views.hold('/c', () => {})
      expect(c.waits()).toEqual([ROUTER_WAIT_MS])
    }
  })
})

// What a route's waiting page view, and what is sent behind it, goes out as: the user, the time
// and the screen of when it happened, whatever happens before it is sent.
describe("a route change's page view, as it waits, stays the one the user made", () => {
  const wire = (p: FakePlatform) =>
    sent(p)
      .concat(p.beacons.flatMap((b) => b.body?.batch ?? []))
      .map((e) => `${e.type} ${e.context.page.path} ${e.name ?? e.event ?? e.groupId ?? ''}`.trim() + ` as ${e.userId ?? e.anonymousId.slice(0, 6)}${e.context.groupId ? ` of ${e.context.groupId}` : ''}`)
  async function start(options: Record<string, unknown> = {}, shared?: Map<string, string>) {
    history.replaceState(null, '', '/start')
    const p = createFakePlatform({ shared })
    p.setPage({ url: location.href, path: '/start', title: 'Home' })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 }, ...options }, { platform: p, window })
    offs.push(() => linger.destroy())
    await p.advance(100)
    return { p, linger, visitor: linger.host.user.get().anonymousId.slice(0, 6) }
  }
  async function go(p: FakePlatform, path: string) {
    history.pushState(null, '', path)
    p.setPage({ url: location.href, path, search: '', title: path })
    await nextTask()
  }

  it("a user who routes to /switch, clicks, and switches account (identify('bob')): the page view and the click are theirs, not bob's", async () => {
    const { p, linger } = await start()
    linger.identify('alice')
    await go(p, '/switch')
    linger.track('Clicked Switch')
    linger.identify('bob')
    await p.advance(3000)
    expect(wire(p).slice(2)).toEqual(['page /switch as alice', 'track /switch Clicked Switch as alice', 'identify /switch as bob'])
  })

  it('a user who routes to /logout and signs out there (reset()): the page view and "Signed Out" are theirs, not the next visitor\'s', async () => {
    const { p, linger } = await start()
    linger.identify('alice')
    await go(p, '/logout')
    linger.track('Signed Out')
    linger.reset()
    await go(p, '/login')
    await p.advance(3000)
    const next = linger.host.user.get().anonymousId.slice(0, 6)
    expect(wire(p).slice(2)).toEqual(['page /logout as alice', 'track /logout Signed Out as alice', `page /login as ${next}`])
  })

  it('a user who opens another workspace (group()) on a new screen: that screen\'s page view is the workspace they were in', async () => {
    const { p, linger } = await start()
    linger.identify('alice')
    linger.group('acme')
    await go(p, '/workspaces')
    linger.group('globex')
    await p.advance(3000)
    expect(wire(p).slice(3)).toEqual(['page /workspaces as alice of acme', 'group /workspaces globex as alice of globex'])
  })

  it('a user signed in as alice in this tab whose other tab signs in as bob: this tab\'s waiting page view is still alice\'s', async () => {
    const shared = new Map<string, string>()
    const { p, linger } = await start({}, shared)
    linger.identify('alice')
    await go(p, '/reports')
    linger.track('Report Opened')
    // The other tab's sign-in, as it writes it.
    const other = createFakePlatform({ shared, seed: 2 })
    saveIdentity(other.storage, identifyReducer(loadIdentity(other.storage, other.random), 'bob', {}, undefined))
    p.fireStorage('linger:identity')
    expect(linger.host.user.get().userId).toBe('bob')
    linger.track('Report Exported')
    await p.advance(3000)
    expect(wire(p).slice(2)).toEqual(['page /reports as alice', 'track /reports Report Opened as alice', 'track /reports Report Exported as bob'])
  })

  it("a router whose page() comes after the user already clicked on the new screen: ordered by time, the click is on that screen, not the one before", async () => {
    const { p, linger } = await start()
    await go(p, '/projects')
    await p.advance(50)
    linger.track('Project Opened')
    await p.advance(100)
    p.setPage({ title: 'Projects' })
    linger.page('Projects')
    await p.advance(3000)
    const byTime = sent(p)
      .slice(1)
      .sort((a, b) => a.timestamp.localeCompare(b.timestamp))
    expect(byTime.map((e) => `${e.type} ${e.name ?? e.event} ${e.context.page.title}`)).toEqual(['page Projects Projects', 'track Project Opened /projects'])
  })

  it('an app with holdForIdentify whose user moves on before its session check answers: the landing page view goes first, then the new screen\'s', async () => {
    const { p, linger } = await start({ holdForIdentify: 5000 })
    await go(p, '/next')
    linger.track('Next Opened')
    linger.identify('carol')
    await p.advance(6000)
    expect(wire(p)).toEqual(['page /start as carol', 'page /next as carol', 'track /next Next Opened as carol', 'identify /next as carol'])
  })

  it('a user who switches tabs while a screen\'s page view waits, and comes back as the router calls page(): one page view for that screen', async () => {
    const { p, linger } = await start()
    await go(p, '/inbox')
    p.hide()
    p.show()
    linger.page('Inbox')
    await p.advance(3000)
    expect(wire(p).filter((e) => e.startsWith('page /inbox'))).toHaveLength(1)
  })

  it('a screen that rewrites its query as it mounts (?tab=profile), then the router calls page(): one page view, page()\'s, with that URL', async () => {
    const { p, linger } = await start()
    await go(p, '/settings')
    history.replaceState(null, '', '/settings?tab=profile')
    p.setPage({ url: location.href, search: '?tab=profile' })
    await nextTask()
    linger.page('Settings')
    await p.advance(3000)
    const views = sent(p).filter((e) => e.type === 'page' && e.context.page.path === '/settings')
    expect(views.map((e) => `${e.name} ${e.properties!.url}`)).toEqual([`Settings ${location.origin}/settings?tab=profile`])
  })

  it('a user who opts out in another tab while this tab\'s screen waits for its page view, then opts back in: nothing this tab did before is sent', async () => {
    const shared = new Map<string, string>()
    const { p, linger } = await start({}, shared)
    await p.advance(2000)
    await go(p, '/private')
    linger.track('Private Opened')
    // The other tab's privacy switch, off and on again, as it writes it.
    shared.set('linger:optout', '1')
    p.fireStorage('linger:optout')
    shared.delete('linger:optout')
    p.fireStorage('linger:optout')
    await p.advance(3000)
    expect(wire(p).filter((e) => e.includes('/private'))).toEqual([])
  })

  it('a user who opts out while a screen\'s page view waits, and opts back in: nothing done before the opt-out is sent', async () => {
    const { p, linger } = await start()
    await p.advance(2000)
    await go(p, '/private')
    linger.track('Private Opened')
    linger.optOut()
    linger.optIn()
    await p.advance(3000)
    expect(wire(p).filter((e) => e.includes('/private'))).toEqual([])
  })
})
