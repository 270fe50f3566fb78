// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform, type FakePlatform } from './fake-platform'
import type { LingerEvent } from './events'
import './config/boot'

// The order, page and person of what a vendor's funnels and paths are built from, where Linger
// hears a route change late (or in a tab nobody looks at): Back heard by the app's own popstate
// listener first, a hash route set by hand, a route changed in a background tab.
const offs: Array<() => void> = []
afterEach(() => offs.splice(0).forEach((off) => off()))
const nextTask = () => new Promise((r) => setTimeout(r))
const sent = (p: FakePlatform): LingerEvent[] => [...p.requests, ...p.beacons].flatMap((r) => r.body?.batch ?? [])
const line = (e: LingerEvent) => `${e.type} ${e.context.page.url.replace(location.origin, '')} ${e.name ?? e.event ?? ''}`.trim()
const who = (e: LingerEvent) => `${line(e)} as ${e.userId ?? 'visitor'}`
// What the page handed over: its outbox in storage (what the next page sends), beacons and requests.
const handedOver = (p: FakePlatform) => [...p.storageMap].filter(([k]) => k.startsWith('linger:outbox:')).map(([, v]) => v).join() + JSON.stringify(sent(p))
/** The page as the platform reads it, from where history is now. */
const here = (p: FakePlatform, title: string) => {
  const u = new URL(location.href)
  p.setPage({ url: location.href, path: u.pathname, search: u.search, hash: u.hash, title })
}

async function start(options: Record<string, unknown> = {}) {
  history.replaceState(null, '', '/start')
  const p = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
  here(p, 'Home')
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 }, ...options }, { platform: p, window })
  offs.push(() => linger.destroy())
  await p.advance(100)
  return { p, linger }
}

describe('a route change the app acts on before Linger hears it', () => {
  it('Back, where the app\'s popstate listener (added before Linger\'s, a script-tag install) tracks "Went Back": the /back page view first, then the event', async () => {
    // The app registered first: its listener runs before Linger's.
    const app = () => {
      here(p, 'Back')
      linger.track('Went Back')
    }
    addEventListener('popstate', app)
    offs.push(() => removeEventListener('popstate', app))
    const { p, linger } = await start()
    history.replaceState(null, '', '/back')
    here(p, 'Back')
    history.pushState(null, '', '/forward')
    here(p, 'Forward')
    await nextTask()
    history.back()
    await new Promise<void>((r) => addEventListener('popstate', () => r(), { once: true }))
    await nextTask()
    await p.advance(3000)
    expect(sent(p).slice(1).map(line)).toEqual(['page /forward', 'page /back', 'track /back Went Back'])
  })

  it("a hash route set by hand (`location.hash = '#/settings'`) and a track() in that task: the settings page view first, then the event", async () => {
    const { p, linger } = await start()
    location.hash = '#/settings'
    here(p, 'Settings')
    linger.track('Settings Opened')
    await nextTask()
    await nextTask()
    await p.advance(3000)
    expect(sent(p).slice(1).map(line)).toEqual(['page /start#/settings', 'track /start#/settings Settings Opened'])
  })

  it('an anchor jumped to by hand on the same screen, then a click: no page view, the click sent as it is', async () => {
    const { p, linger } = await start()
    document.body.innerHTML = '<h2 id="pricing">Pricing</h2>'
    location.hash = '#pricing'
    here(p, 'Home')
    linger.track('Pricing Read')
    await nextTask()
    await nextTask()
    await p.advance(3000)
    expect(sent(p).slice(1).map(line)).toEqual(['track /start#pricing Pricing Read'])
  })
})

describe('a route change in a background tab', () => {
  it("an app that routes to /inbox on a socket message while the tab is hidden, and tracks there: its router's page('Inbox') a task later names that screen's one page view, the event after it", async () => {
    const { p, linger } = await start()
    p.hide()
    history.pushState(null, '', '/inbox')
    here(p, 'Inbox')
    linger.track('Message Received')
    // The router's effect: a posted-message task after the route (not throttled in a hidden tab).
    await nextTask()
    linger.page('Inbox', { folder: 'unread' })
    await p.advance(3000)
    expect(sent(p).slice(1).map(line)).toEqual(['page /inbox Inbox', 'track /inbox Message Received'])
    expect(sent(p)[1].properties?.folder).toBe('unread')
  })

  it('the hidden tab frozen (Chromium: freeze, as a hide) before its throttled timers end the wait: the page view and the event are handed over as it freezes', async () => {
    const { p, linger } = await start()
    p.hide()
    history.pushState(null, '', '/inbox')
    here(p, 'Inbox')
    linger.track('Message Received')
    await nextTask()
    linger.track('Message Read')
    expect(handedOver(p)).not.toContain('Message Received')
    p.hide()
    for (let i = 0; i < 20; i++) await null
    const got = handedOver(p)
    expect(got).toContain('/inbox')
    expect(got).toContain('Message Received')
    expect(got).toContain('Message Read')
  })
})

describe('who a route change was made by', () => {
  it("a router's push to /welcome and identify('bob') in the same task: the /welcome page view is the visitor's who was shown it, what comes after it Bob's", async () => {
    const { p, linger } = await start()
    history.pushState(null, '', '/welcome')
    here(p, 'Welcome')
    linger.identify('bob')
    linger.track('Tour Started')
    await nextTask()
    await p.advance(3000)
    expect(sent(p).slice(1).map(who)).toEqual(['page /welcome as visitor', 'identify /welcome as bob', 'track /welcome Tour Started as bob'])
  })
})

describe('a hash route whose query changes, set by hand', () => {
  it("`location.hash = '#/search?q=shoes'` on #/search?q=hats, and a track() in that task: that screen's page view first, then the event", async () => {
    const { p, linger } = await start()
    location.hash = '#/search?q=hats'
    here(p, 'Hats')
    await nextTask()
    await nextTask()
    await p.advance(3000)
    location.hash = '#/search?q=shoes'
    here(p, 'Shoes')
    linger.track('Searched')
    await nextTask()
    await nextTask()
    await p.advance(3000)
    expect(sent(p).slice(1).map(line)).toEqual(['page /start#/search?q=hats', 'page /start#/search?q=shoes', 'track /start#/search?q=shoes Searched'])
  })
})
