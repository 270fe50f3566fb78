// @vitest-environment jsdom
import { afterEach, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform, type FakePlatform } from './fake-platform'
import type { LingerEvent } from './events'
import './config/boot'

// A route's automatic page view waits for the app's own page(); what waits with it is still the
// person's who was there, and every screen keeps its own view.
const sent = (p: FakePlatform): LingerEvent[] => p.requests.flatMap((r) => r.body?.batch ?? []).concat(p.beacons.flatMap((b) => b.body?.batch ?? []))
const offs: Array<() => void> = []
const nextTask = () => new Promise((r) => setTimeout(r))
afterEach(() => offs.splice(0).forEach((off) => off()))
const who = (e: LingerEvent) => `${e.userId ?? 'visitor'}${e.context.userHash ? '#' + e.context.userHash : ''}`
const path = (e: LingerEvent) => (e.properties?.url ? String(e.properties.url).replace(location.origin, '') : e.context.page.path)
const wire = (p: FakePlatform) => sent(p).map((e) => `${e.type} ${path(e)} ${e.name ?? e.event ?? ''}`.replace(/ $/, '') + ` as ${who(e)}`)

async function start(options: Record<string, unknown> = {}) {
  history.replaceState(null, '', '/start')
  const p = createFakePlatform({})
  p.setPage({ url: location.href, path: '/start', title: 'Home' })
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 }, ...options }, { platform: p, window })
  offs.push(() => linger.destroy())
  await p.advance(100)
  return { p, linger }
}
/** The page as the platform reads it, from where history is now. */
const here = (p: FakePlatform, title: string) => {
  const u = new URL(location.href)
  p.setPage({ url: location.href, path: u.pathname, search: u.search, title })
}
async function go(p: FakePlatform, to: string) {
  history.pushState(null, '', to)
  here(p, to)
  await nextTask()
}

it("Back to a list's first page, then a link to its second that calls page() in its own task: each page of the list has its view", async () => {
  const { p, linger } = await start()
  // Links push and call page() in the same task: the app is one that calls page().
  history.pushState(null, '', '/list?page=3')
  here(p, 'p3')
  linger.page('List')
  await nextTask()
  // Back: no page() from the app, Linger's own view of ?page=1 waits for one.
  await go(p, '/list?page=1')
  await p.advance(500)
  history.pushState(null, '', '/list?page=2')
  here(p, 'p2')
  linger.page('List')
  await nextTask()
  await p.advance(3000)
  expect(wire(p).filter((e) => e.startsWith('page /list?page=1'))).toHaveLength(1)
  expect(wire(p).filter((e) => e.startsWith('page /list?page=2'))).toEqual(['page /list?page=2 List as visitor'])
})

it("waiting for the session (holdForIdentify), a route's view and click are the person the session names, though another signs in before the view goes", async () => {
  const { p, linger } = await start({ holdForIdentify: 5000 })
  await go(p, '/next')
  linger.track('Next Opened')
  linger.identify('carol', {}, { userHash: 'aa' })
  linger.identify('dave', {}, { userHash: 'bb' })
  await p.advance(6000)
  expect(wire(p).filter((e) => e.includes('/next'))).toEqual(['page /next as carol#aa', 'track /next Next Opened as carol#aa', 'identify /next as carol#aa', 'identify /next as dave#bb'])
})

it('waiting for the session, a route, the session names carol and she signs out before the view goes: her view, click and traits stay hers', async () => {
  const { p, linger } = await start({ holdForIdentify: 5000 })
  await go(p, '/next')
  linger.track('Next Opened')
  linger.identify('carol', { email: 'carol@example.com' }, { userHash: 'aa' })
  await p.advance(100)
  linger.reset()
  await p.advance(6000)
  const carols = sent(p).filter((e) => e.type === 'identify' || (e.type === 'page' && path(e) === '/next') || e.event === 'Next Opened')
  expect(carols.map((e) => `${e.type} ${who(e)}`)).toEqual(['page carol#aa', 'track carol#aa', 'identify carol#aa'])
})
