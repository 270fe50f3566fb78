// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { createLinger, type Linger } from './client'
import { createFakePlatform, type FakePlatform } from './fake-platform'
import type { LingerEvent } from './events'
import './config/boot'

// The order and page the vendor's funnels and paths are built from: what a click handler does in
// the one task it runs in (navigate, then track), and a page() that comes after the tab was hidden.
const offs: Array<() => void> = []
afterEach(() => offs.splice(0).forEach((off) => off()))
const nextTask = () => new Promise((r) => setTimeout(r))
const microtasks = async () => {
  for (let i = 0; i < 20; i++) await null
}
const sent = (p: FakePlatform): LingerEvent[] => [...p.requests, ...p.beacons].flatMap((r) => r.body?.batch ?? [])
const line = (e: LingerEvent) => `${e.type} ${e.context.page.path} ${e.name ?? e.event ?? ''}`.trim()
// What the page handed over: its outbox in storage (what the next page sends), beacons and requests.
const stored = (p: FakePlatform) => [...p.storageMap].filter(([k]) => k.startsWith('linger:outbox:')).map(([, v]) => v).join()

async function start(options: Record<string, unknown> = {}) {
  history.replaceState(null, '', '/start')
  const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
  const p = createFakePlatform({ clock })
  p.setPage({ url: location.href, path: '/start', search: '', title: 'Home' })
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 }, ...options }, { platform: p, window })
  offs.push(() => linger.destroy())
  await p.advance(100)
  return { p, linger, clock }
}
// A router's navigation, in the caller's task: the URL, then the screen's title.
function navigate(p: FakePlatform, path: string) {
  history.pushState(null, '', path)
  p.setPage({ url: location.href, path, search: '', title: path.slice(1) })
}

describe('a click that navigates and tracks in one handler', () => {
  it('"Report Opened" tracked right after the pushState comes after the /reports page view, on /reports, and not before it in time', async () => {
    const { p, linger, clock } = await start()
    await p.advance(10)
    navigate(p, '/reports')
    // The user's click handler runs on a busy page: the track() comes a moment after the pushState.
    clock.now += 5
    linger.track('Report Opened')
    // ...and the route's next task comes later still.
    clock.now += 5
    await nextTask()
    await p.advance(3000)
    const mine = sent(p).slice(1)
    expect(mine.map(line)).toEqual(['page /reports', 'track /reports Report Opened'])
    expect(Date.parse(mine[0].timestamp)).toBeLessThanOrEqual(Date.parse(mine[1].timestamp))
  })

  it('a user who clicks through to /b while /a still waits for its page view: /a, then /b, then the click on /b', async () => {
    const { p, linger } = await start()
    navigate(p, '/a')
    await nextTask()
    navigate(p, '/b')
    linger.track('B Opened')
    await nextTask()
    await p.advance(3000)
    expect(sent(p).slice(1).map(line)).toEqual(['page /a', 'page /b', 'track /b B Opened'])
  })

  it("a router that calls page() in the handler too, before or after the track(): one page view for the screen, page()'s, each in the order the app made them", async () => {
    const { p, linger } = await start()
    navigate(p, '/plans')
    linger.page('Plans')
    linger.track('Plans Opened')
    await nextTask()
    navigate(p, '/team')
    linger.track('Team Opened')
    linger.page('Team')
    await nextTask()
    await p.advance(3000)
    expect(sent(p).slice(1).map(line)).toEqual(['page /plans Plans', 'track /plans Plans Opened', 'track /team Team Opened', 'page /team Team'])
  })

  it("a jump to an anchor while a screen waits for its page view, and a click there: one page view for the screen, the click after it", async () => {
    const { p, linger } = await start()
    document.body.innerHTML = '<h2 id="faq">FAQ</h2>'
    navigate(p, '/docs')
    await nextTask()
    location.hash = '#faq'
    await nextTask()
    linger.track('FAQ Read')
    await nextTask()
    await p.advance(3000)
    expect(sent(p).slice(1).map(line)).toEqual(['page /docs', 'track /docs FAQ Read'])
  })

  it("a router whose page() comes in the task of a later pushState to the same URL (state only): page()'s view first, then what was done before and after", async () => {
    const { p, linger } = await start()
    navigate(p, '/inbox')
    await nextTask()
    linger.track('Inbox Opened')
    history.pushState({ open: 1 }, '', location.href)
    linger.page('Inbox')
    linger.track('Message Opened')
    await nextTask()
    await p.advance(3000)
    expect(sent(p).slice(1).map(line)).toEqual(['page /inbox Inbox', 'track /inbox Inbox Opened', 'track /inbox Message Opened'])
  })

  it('a client destroyed in the very handler that navigated and tracked keeps that event for the next page, as any other', async () => {
    const { p, linger } = await start()
    navigate(p, '/bye')
    linger.track('Signed Out')
    linger.destroy()
    await nextTask()
    expect([...p.storageMap.values()].join()).toContain('Signed Out')
  })
})

describe('a page() after the tab was hidden', () => {
  it("a user who opens Billing and switches tabs before the router's page('Billing') came: one page view for /billing, and with debug the console says page()'s name was not sent", async () => {
    const { p, linger } = await start({ debug: true })
    navigate(p, '/billing')
    await nextTask()
    p.hide()
    p.show()
    linger.page('Billing', { plan: 'pro' })
    await p.advance(3000)
    expect(sent(p).filter((e) => e.type === 'page' && e.context.page.path === '/billing').map(line)).toEqual(['page /billing'])
    expect(p.logs.map((l) => l.join(' '))).toContainEqual(expect.stringMatching(/page\(\) on \S+\/billing: its page view went unnamed as the tab was hidden/))
  })
})

// A route change's events wait for its page view in memory: whatever ends the page, or asks for
// everything sent, hands them over with it (a tab closed in the task it navigated in lost them).
describe('what waits behind a route change not yet looked at, when the page goes', () => {
  it('control (no pushState): an event tracked in the task the page is left in is written to the outbox before the page goes', async () => {
    const { p, linger } = await start()
    linger.track('Checkout Started')
    p.pageHide()
    await microtasks()
    expect(stored(p) + JSON.stringify(sent(p))).toContain('Checkout Started')
  })

  it('an event tracked after a pushState, in a tab left (pagehide, or hidden and then killed) before the next task: handed over before the page goes, not kept in memory', async () => {
    const { p, linger } = await start()
    navigate(p, '/checkout')
    linger.track('Checkout Started')
    // A hidden tab's timers wait for its next 1 s wake-up (or never run: frozen, discarded, closed).
    p.pageHide()
    await microtasks()
    expect(stored(p) + JSON.stringify(sent(p))).toContain('Checkout Started')
  })

  it('the same with a previous screen whose page view still waits: both page views and the event are handed over', async () => {
    const { p, linger } = await start()
    navigate(p, '/a')
    await nextTask()
    navigate(p, '/b')
    linger.track('B Opened')
    p.hide()
    await microtasks()
    const all = stored(p) + JSON.stringify(sent(p))
    expect(all).toContain('"/a"')
    expect(all).toContain('B Opened')
  })
})

describe('flush() right after a pushState', () => {
  it('control (no pushState): flush() resolves with the event sent', async () => {
    const { p, linger } = await start()
    linger.track('Signed Out')
    await linger.flush()
    expect(sent(p).map(line)).toContain('track /start Signed Out')
  })

  it('navigate, track, await flush(): the route\'s page view and the event are sent by the time flush() resolves', async () => {
    const { p, linger } = await start()
    navigate(p, '/bye')
    linger.track('Signed Out')
    await linger.flush()
    expect(sent(p).slice(1).map(line)).toEqual(['page /bye', 'track /bye Signed Out'])
  })
})

describe("the snippet's landing page view, when a route change is heard before it went", () => {
  it('a router that navigates in a task between init and the landing page view (a click as the runtime loads): the landing page view goes first', async () => {
    history.replaceState(null, '', '/start')
    const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
    const p = createFakePlatform({ clock })
    p.setPage({ url: location.href, path: '/start', search: '', title: 'Home' })
    const home = p.page()
    // As the script-tag runtime starts: init's call site (the page as the snippet saw it).
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p, window, site: { time: clock.now, page: home, settled: home } })
    offs.push(() => linger.destroy())
    await microtasks() // the navigation watcher is in; the landing page view's timer has not run
    clock.now += 5
    navigate(p, '/projects')
    await nextTask()
    await p.advance(3000)
    expect(sent(p).map(line)).toEqual(['page /start', 'page /projects'])
  })
})
