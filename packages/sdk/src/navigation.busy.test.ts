// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform, type FakePlatform } from './fake-platform'
import type { LingerEvent } from './events'
import './config/boot'
import { VIEW_WAIT_MS, viewWait } from './navigation'

// A route's own page view waits for the app's page() at least VIEW_WAIT_MS, then for the page's
// next frame: on a busy page, the router's render holds the timer back as long as the frame its
// effect (and page()) comes after. Here, on a page whose frames the test paints.
describe("a route change's page view on a busy page, waiting for the router's page() after the next frame", () => {
  const start = () => {
    const p = createFakePlatform({ frames: true })
    const views = viewWait(p)
    const wire: string[] = []
    const hold = (path: string) => views.hold(path, () => wire.push(`${path} (automatic)`))
    return { p, views, wire, hold }
  }

  it("a router whose render blocked the page past the wait, and whose page() comes after the frame that shows the screen: one page view, page()'s", async () => {
    const { p, views, wire, hold } = start()
    hold('/projects')
    // The render's long task is over: the wait's timer ran, no frame yet.
    await p.advance(VIEW_WAIT_MS)
    expect(wire).toEqual([])
    // The frame; the router's effect (asked for as it rendered) calls page() before the wait's turn.
    expect(views.claim('/projects')).toEqual([])
    wire.push('/projects Projects')
    p.paint()
    await p.advance(3000)
    expect(wire).toEqual(['/projects Projects'])
  })

  it('a screen the app calls no page() on gets its own view after the wait and the frame after it (a frame before the wait ran out does not end it)', async () => {
    const { p, wire, hold } = start()
    hold('/settings')
    p.paint()
    await p.advance(VIEW_WAIT_MS)
    expect(wire).toEqual([])
    p.paint()
    expect(wire).toEqual(['/settings (automatic)'])
  })

  it('a page that paints no frame (an iframe the host hides) still sends the view, once, after as long again', async () => {
    const { p, wire, hold } = start()
    hold('/hidden')
    await p.advance(VIEW_WAIT_MS)
    expect(wire).toEqual([])
    await p.advance(VIEW_WAIT_MS)
    expect(wire).toEqual(['/hidden (automatic)'])
    p.paint()
    await p.advance(3000)
    expect(wire).toEqual(['/hidden (automatic)'])
  })

  it("the next route change or a flush while it waits for the frame sends it at once, and that frame does not send the next screen's view early", async () => {
    const { p, views, wire, hold } = start()
    hold('/a')
    await p.advance(VIEW_WAIT_MS)
    hold('/b')
    expect(wire).toEqual(['/a (automatic)'])
    p.paint()
    expect(wire).toEqual(['/a (automatic)'])
    await p.advance(VIEW_WAIT_MS)
    views.go()
    p.paint()
    await p.advance(3000)
    expect(wire).toEqual(['/a (automatic)', '/b (automatic)'])
  })
})

// A slow phone: the router's render in slices (React's 5 ms, frames painted between them) runs
// for seconds, past afterFrame's bound, and its route effect calls page() only once it is done.
describe("a route change's page view on a slow phone, whose render outlasts the wait's bound", () => {
  const start = () => {
    const p = createFakePlatform({ frames: true })
    const views = viewWait(p)
    const wire: string[] = []
    const hold = (path: string) => views.hold(path, () => wire.push(`${path} (automatic)`))
    // The app's page() as the client makes it: sent, named (in the waiting view's place if it claims
    // it), unless its screen's view went already and the wait for it is not over.
    const page = (path: string, name: string) => views.claim(path) === false || wire.push(`${path} ${name}`)
    return { p, views, wire, hold, page }
  }

  it("the view goes when the bound runs out, and the router's page() at the end of the render is no second view", async () => {
    const { p, wire, hold, page } = start()
    hold('/projects')
    await p.advance(VIEW_WAIT_MS)
    p.paint(true) // frames painted, the render still going as the bound runs out
    expect(wire).toEqual(['/projects (automatic)'])
    p.paint(true) // seconds more of it
    page('/projects', 'Projects')
    p.paint()
    await p.advance(5000)
    expect(wire).toEqual(['/projects (automatic)'])
  })

  it('once the page was idle at last, a page() on that screen is one again (an app that counts a screen twice on purpose)', async () => {
    const { p, wire, hold, page } = start()
    hold('/projects')
    await p.advance(VIEW_WAIT_MS)
    p.paint(true)
    p.paint()
    page('/projects', 'Projects')
    expect(wire).toEqual(['/projects (automatic)', '/projects Projects'])
  })

  it('the next route change while the render goes on has its own view, and its page() names it', async () => {
    const { p, wire, hold, page } = start()
    hold('/a')
    await p.advance(VIEW_WAIT_MS)
    p.paint(true)
    hold('/b')
    page('/b', 'B')
    p.paint()
    await p.advance(5000)
    expect(wire).toEqual(['/a (automatic)', '/b B'])
  })
})

// A view waiting for a frame that does not come (the tab hid, a flush): it goes, once, with what
// waited behind it, in order.
const offs: Array<() => void> = []
afterEach(() => offs.splice(0).forEach((off) => off()))
const nextTask = () => new Promise((r) => setTimeout(r))
const sent = (p: FakePlatform): LingerEvent[] => [...p.requests, ...p.beacons].flatMap((r) => r.body?.batch ?? [])
const line = (e: LingerEvent) => `${e.type} ${e.context.page.path} ${e.name ?? e.event ?? ''}`.trim()

async function start() {
  history.replaceState(null, '', '/start')
  const p = createFakePlatform({ frames: true })
  p.setPage({ url: location.href, path: '/start', search: '', title: 'Home' })
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p, window })
  offs.push(() => linger.destroy())
  await p.advance(100)
  return { p, linger }
}
async function toWaitingForFrame(p: FakePlatform, linger: { track(e: string): void }, path: string) {
  history.pushState(null, '', path)
  p.setPage({ url: location.href, path, search: '', title: path.slice(1) })
  linger.track('Opened')
  await nextTask()
  await p.advance(300) // the timer ran out: now waiting for a frame
}

describe('a view waiting for the frame', () => {
  it("the user switches tabs as the busy render ends, before its frame: the view and the event go at once; back 5 s later, the router's page() (its effect, after the frame it had asked for) is no second view", async () => {
    const { p, linger } = await start()
    await toWaitingForFrame(p, linger, '/a')
    expect(sent(p).slice(1).map(line)).toEqual([])
    p.hide()
    await p.advance(0)
    expect(sent(p).slice(1).map(line)).toEqual(['page /a', 'track /a Opened'])
    await p.advance(5000)
    p.show()
    // The first frame back: the router's rAF (asked for first) posts its effect, which calls page().
    linger.page('A')
    p.paint()
    await p.advance(3000)
    expect(sent(p).slice(1).map(line)).toEqual(['page /a', 'track /a Opened'])
  })

  it('flush() while waiting for the frame sends the view and the event; a frame later sends nothing more', async () => {
    const { p, linger } = await start()
    await toWaitingForFrame(p, linger, '/b')
    ;(linger as any).flush()
    await p.advance(0)
    p.paint()
    await p.advance(3000)
    expect(sent(p).slice(1).map(line)).toEqual(['page /b', 'track /b Opened'])
  })
})

// The previous route's own timers (its frame and idle moment, or its no-frame cap) run between
// a pushState and the check of it: they send that route's view, not the next one's.
const push = (p: FakePlatform, path: string) => {
  history.pushState(null, '', path)
  p.setPage({ url: location.href, path, search: '', title: path.slice(1) })
}

describe("a route change made as the previous route's view is about to go", () => {
  it("the previous screen's frame (and idle moment) comes right after the click to /b: /b's view still waits for the router's page('B'): one view, named", async () => {
    const { p, linger } = await start()
    push(p, '/a')
    await nextTask()
    await p.advance(300) // /a waits for its frame
    push(p, '/b') // the user clicks on, before that frame
    p.paint() // /a's frame and idle moment: /a's view goes (not /b's)
    linger.page('B') // the router's effect for /b, a task later
    await nextTask()
    await p.advance(5000)
    ;(linger as any).flush()
    await p.advance(0)
    expect(sent(p).slice(1).map(line)).toEqual(['page /a', 'page /b B'])
  })

  it("/a painted no frame within 300 ms (a busy render); the click to /b comes as that cap runs out: /b's view is the router's page('B'), with its name", async () => {
    const { p, linger } = await start()
    push(p, '/a')
    await nextTask()
    await p.advance(300)
    push(p, '/b')
    await p.advance(300) // /a's no-frame cap runs before the watcher's check of /b
    await nextTask()
    linger.page('B', { plan: 'pro' })
    await p.advance(5000)
    ;(linger as any).flush()
    await p.advance(0)
    const b = sent(p).filter((e) => e.type === 'page' && e.context.page.path === '/b')
    expect(b.map((e) => e.name ?? '(automatic)')).toEqual(['B'])
  })
})

describe('a view sent busy, then the tab hidden for a minute', () => {
  it("a page() on that screen a minute later, the user back, is a page view (not swallowed by a wait that was to end ~8 s after)", async () => {
    history.replaceState(null, '', '/start')
    const p = createFakePlatform({ frames: true })
    p.setPage({ url: location.href, path: '/start', search: '', title: 'Home' })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p, window })
    offs.push(() => linger.destroy())
    await p.advance(100)
    history.pushState(null, '', '/a')
    p.setPage({ url: location.href, path: '/a', search: '', title: 'a' })
    await nextTask()
    await p.advance(300)
    p.paint(true) // the bound ran out with the render still going: /a's view goes unnamed
    p.hide() // the user switches away mid-render
    await p.advance(60_000)
    p.show()
    linger.page('A', { reason: 'back' }) // e.g. an app that counts a view when the user returns
    await p.advance(0)
    ;(linger as any).flush()
    await p.advance(0)
    expect(sent(p).slice(1).map(line)).toEqual(['page /a', 'page /a A'])
  })
})
