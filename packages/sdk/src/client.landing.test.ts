import { describe, expect, it } from 'vitest'
import { createFakePlatform, type FakePlatform } from './fake-platform'
import { createLinger, type Linger } from './client'
import type { LingerEvent } from './events'

const sent = (p: FakePlatform): LingerEvent[] => p.requests.flatMap((r) => r.body?.batch ?? [])
// An app's own sign-in check that answers from its cache: a few awaits, no network.
const cachedSession = async () => {
  for (let i = 0; i < 5; i++) await null
  return { userId: 'ann', userHash: 'ann-hash' }
}

describe('the landing page view of an app that awaits its session before identify()', () => {
  it('goes as the user the app names, not as the last user of a shared laptop (with their userHash)', async () => {
    const p = createFakePlatform()
    // Bob used this browser last and his session expired (no reset()); Ann signs in.
    p.storage.set('linger:identity', JSON.stringify({ anonymousId: 'anon-1', userId: 'bob', userHash: 'bob-hash', traits: {}, groupTraits: {} }))
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p })
    const session = await cachedSession()
    linger.identify(session.userId, {}, { userHash: session.userHash })
    await linger.ready
    await p.advance(3000)
    expect(sent(p).map((e) => `${e.type}:${e.userId}:${e.context.userHash}`)).toEqual(['identify:ann:ann-hash', 'page:ann:ann-hash'])
  })

  it('an app whose session check finds nobody signed in (reset() as it starts) sends it as a new visitor, not as the last user of a shared laptop', async () => {
    const p = createFakePlatform()
    p.storage.set('linger:identity', JSON.stringify({ anonymousId: 'anon-1', userId: 'bob', userHash: 'bob-hash', traits: {}, groupTraits: {} }))
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p })
    await null // the app's cached session: nobody
    linger.reset()
    await p.advance(3000)
    const events = sent(p)
    expect(events.map((e) => `${e.type}:${e.userId ?? ''}:${e.context.userHash ?? ''}`)).toEqual(['page::'])
    expect(events[0].anonymousId).not.toBe('anon-1')
  })

  it('still goes when nothing names anyone: an anonymous visitor\'s, once', async () => {
    const p = createFakePlatform()
    await createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p }).ready
    await p.advance(3000)
    expect(sent(p).map((e) => `${e.type}:${e.userId ?? ''}`)).toEqual(['page:'])
  })
})

// An app that asks its server who is signed in (`init`, `await fetch('/me')`, `identify`): the
// answer comes a network round trip after Linger started, later than the landing page view.
describe('holdForIdentify: the landing page view of an app that fetches its session over the network', () => {
  const BOB = { anonymousId: 'anon-1', userId: 'bob', userHash: 'bob-hash', traits: {}, groupTraits: {} }
  const who = (e: LingerEvent) => `${e.type}:${e.userId ?? ''}:${e.context.userHash ?? ''}`
  const start = (p: FakePlatform, extra: Record<string, unknown> = {}) =>
    createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 }, holdForIdentify: 3000, ...extra } as never, { platform: p })
  const sharedLaptop = () => {
    const p = createFakePlatform()
    // Bob used this browser last and his session expired (no reset()); Ann lands and is signed in.
    p.storage.set('linger:identity', JSON.stringify(BOB))
    return p
  }

  it('names the user the session answer names (not the last user of a shared laptop, with his userHash), at the time they landed', async () => {
    const p = sharedLaptop()
    const landedAt = p.now()
    const linger = start(p)
    await p.advance(400) // GET /me
    linger.identify('ann', {}, { userHash: 'ann-hash' })
    await p.advance(3000)
    const events = sent(p)
    expect(events.map(who)).toEqual(['page:ann:ann-hash', 'identify:ann:ann-hash'])
    expect(events.filter((e) => e.userId === 'bob' || e.context.userHash === 'bob-hash')).toEqual([])
    expect(Date.parse(events[0].timestamp)).toBe(landedAt)
  })

  it('what the user did before the answer came goes as them too, in order and at its own time', async () => {
    const p = sharedLaptop()
    const linger = start(p)
    await p.advance(150)
    const clickedAt = p.now()
    linger.track('Export Clicked')
    await p.advance(250)
    linger.identify('ann', {}, { userHash: 'ann-hash' })
    await p.advance(3000)
    const events = sent(p)
    expect(events.map(who)).toEqual(['page:ann:ann-hash', 'track:ann:ann-hash', 'identify:ann:ann-hash'])
    expect(Date.parse(events[1].timestamp)).toBe(clickedAt)
  })

  it("what the user did before the answer came counts in their usage profile, not in the last user's of a shared laptop", async () => {
    const p = sharedLaptop()
    const linger = start(p)
    await p.advance(150)
    linger.track('Export Clicked')
    // A slow session answer: longer than the profile waits to be written.
    await p.advance(1500)
    linger.identify('ann', {}, { userHash: 'ann-hash' })
    await p.advance(3000)
    const count = (key: string) => JSON.parse(p.storage.get(`linger:usage:${key}`) ?? '{"events":{}}').events['Export Clicked']?.count ?? 0
    expect(count('u:bob')).toBe(0)
    expect(count('u:ann')).toBe(1)
    expect(linger.usage.get().events['Export Clicked']?.count).toBe(1)
  })

  it('a route the app moved to while it waited is reported on its own page, after the landing page view', async () => {
    const p = sharedLaptop()
    const linger = start(p)
    await p.advance(100)
    p.setPage({ url: 'https://app.example.com/projects', path: '/projects', title: 'Projects' })
    linger.page()
    await p.advance(200)
    p.setPage({ url: 'https://app.example.com/projects/42', path: '/projects/42', title: 'Roadmap' })
    await p.advance(100)
    linger.identify('ann', {}, { userHash: 'ann-hash' })
    await p.advance(3000)
    const pages = sent(p).filter((e) => e.type === 'page')
    expect(pages.map((e) => `${e.userId}:${e.properties?.path}:${e.context.page.path}`)).toEqual(['ann:/dashboard:/dashboard', 'ann:/projects:/projects'])
  })

  it('a host that calls flush() has what waits sent now, as it is', async () => {
    const p = sharedLaptop()
    const linger = start(p)
    await p.advance(100)
    await linger.flush()
    expect(sent(p).map(who)).toEqual(['page:bob:bob-hash'])
  })

  it('a session answer that says nobody is signed in (reset) sends it as a new anonymous visitor', async () => {
    const p = sharedLaptop()
    const linger = start(p)
    await p.advance(400)
    linger.reset()
    await p.advance(3000)
    const events = sent(p)
    expect(events.map(who)).toEqual(['page::'])
    expect(events[0].anonymousId).not.toBe('anon-1')
  })

  it('no answer within the cap: it goes as it is, once, when the cap ends', async () => {
    const p = createFakePlatform()
    const landedAt = p.now()
    const linger = start(p)
    // Past the 2 s a batch waits at most: held, not merely queued.
    await p.advance(2900)
    expect(sent(p).filter((e) => e.type === 'page')).toEqual([])
    await p.advance(2500)
    const events = sent(p)
    expect(events.map(who)).toEqual(['page::'])
    expect(Date.parse(events[0].timestamp)).toBe(landedAt)
  })

  it('a page left before the answer came still sends it (as it is) as it unloads', async () => {
    const p = createFakePlatform()
    start(p)
    await p.advance(300)
    p.pageHide()
    await p.advance(0)
    const unload = [...p.requests.filter((r) => r.init.keepalive).flatMap((r) => r.body.batch), ...p.beacons.flatMap((b) => b.body.batch)] as LingerEvent[]
    expect(unload.map(who)).toContain('page::')
  })

  it('opted out before the answer came: none of it is sent', async () => {
    const p = sharedLaptop()
    const linger = start(p)
    linger.track('Export Clicked')
    await p.advance(100)
    linger.optOut()
    linger.identify('ann', {}, { userHash: 'ann-hash' })
    await p.advance(5000)
    expect(sent(p)).toEqual([])
  })

  it('opted out and back in before the answer came: what was made before the opt-out is not sent, what came after is', async () => {
    const p = sharedLaptop()
    const linger = start(p)
    linger.track('Export Clicked')
    await p.advance(100)
    linger.optOut()
    linger.optIn()
    linger.track('Import Clicked')
    linger.identify('ann', {}, { userHash: 'ann-hash' })
    await p.advance(5000)
    expect(sent(p).map((e) => e.event ?? e.type)).toEqual(['Import Clicked', 'identify'])
  })

  it('without the option nothing waits: the page view goes in the next task', async () => {
    const p = createFakePlatform()
    createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p })
    await p.advance(2100)
    expect(sent(p).map(who)).toEqual(['page::'])
  })
})

describe("a vendor coming from Segment, whose snippet calls page() right after init", () => {
  it('sends one page view for the screen the user landed on, with the name and properties page() gave, not two', async () => {
    const p = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p })
    linger.page('Dashboard', { plan: 'pro' })
    await linger.ready
    await p.advance(3000)
    const pages = sent(p).filter((e) => e.type === 'page')
    expect(pages.map((e) => [e.name, e.properties?.plan, e.properties?.path])).toEqual([['Dashboard', 'pro', '/dashboard']])
  })

  it('still counts a page() made later on the same screen (a virtual page view: a modal the app treats as a page)', async () => {
    const p = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p })
    await linger.ready
    await p.advance(3000)
    linger.page('Invite dialog')
    await p.advance(3000)
    expect(sent(p).filter((e) => e.type === 'page').map((e) => e.name ?? '(landing)')).toEqual(['(landing)', 'Invite dialog'])
  })
})

// The session check the README describes: the app asks who is signed in (from its own cache,
// or over the network with holdForIdentify), then identify() or, when nobody is, reset(). It runs
// on every page a signed-out visitor opens.
describe('a signed-out visitor whose app answers "nobody is signed in" (reset) on every page', () => {
  const flows = { version: 1, settings: { cooldownDays: 0 }, surveys: [{ id: 'nps', kind: 'nps', question: 'Recommend us?', trigger: { event: 'Dashboard Viewed' }, delayMs: 0 }] }
  const make = (p: FakePlatform, options: object = {}, queued?: Array<[string, unknown[], object]>) =>
    createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows, ...options } as never, { platform: p, queued })
  const checks: Record<string, (p: FakePlatform) => Promise<Linger>> = {
    'from its cache': async (p) => {
      const linger = make(p)
      await cachedSession()
      linger.reset()
      return linger
    },
    'over the network, with holdForIdentify': async (p) => {
      const linger = make(p, { holdForIdentify: 3000 })
      await p.advance(300)
      linger.reset()
      return linger
    },
    // The snippet's stub took the call: Linger's script was still loading.
    'before Linger loaded': async (p) => make(p, {}, [['reset', [], {}]]),
  }
  for (const [how, answer] of Object.entries(checks)) {
    const openPage = async (shared: Map<string, string>) => {
      const p = createFakePlatform({ shared })
      const linger = await answer(p)
      await linger.ready
      linger.track('Dashboard Viewed')
      return { p, linger, asked: !!linger.experiences.surveys!.$session.get() }
    }

    it(`(${how}) stays one visitor: the survey they closed on the first page is not asked again on the next, and both pages are counted as the same person`, { timeout: 30_000 }, async () => {
      const shared = new Map<string, string>()
      const first = await openPage(shared)
      expect(first.asked).toBe(true)
      first.linger.experiences.surveys!.close()
      await first.p.advance(3000)
      first.linger.destroy()
      const second = await openPage(shared)
      await second.p.advance(3000)
      expect(second.asked).toBe(false)
      const visitors = new Set([...sent(first.p), ...sent(second.p)].map((e) => e.anonymousId))
      expect(visitors.size).toBe(1)
    })
  }

  it('a visitor who leaves with reset() later on the page is someone new, as is a signed-in user who logs out', async () => {
    const p = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 }, holdForIdentify: 3000 } as never, { platform: p })
    await p.advance(3500)
    const visitor = linger.host.user.get().anonymousId
    linger.reset()
    const next = linger.host.user.get().anonymousId
    expect(next).not.toBe(visitor)
    linger.identify('ann', {}, { userHash: 'ann-hash' })
    linger.reset()
    expect(linger.host.user.get()).toMatchObject({ userId: undefined })
    expect(linger.host.user.get().anonymousId).not.toBe(next)
  })
})
