import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { createFront, siteOf, type QueuedCall } from './replay'
import { createLinger, type CallSite, type Linger } from '../client'
import type { LingerOptions } from '../config/init-options'
import { createFakePlatform, type FakePlatform } from '../fake-platform'
import type { LingerEvent } from '../events'
// The start chunk, loaded ahead as a page has it a few ms after start (see client.test.ts).
import '../config/boot'

type Stub = ((...a: unknown[]) => unknown) & Record<string, (...a: unknown[]) => unknown> & { q: QueuedCall[] }
type Script = { src?: string; onload?: () => void; onerror?: () => void }

/** The vendor's page: the snippet as pasted, run against a stand-in window and document. */
function pasteSnippet(href = 'https://app.example.com/checkout') {
  const w: { linger?: Stub; event?: unknown } = {}
  const scripts: Script[] = []
  const doc = { title: 'Checkout', currentScript: null, createElement: () => ({}), head: { appendChild: (s: Script) => scripts.push(s) } }
  const code = readFileSync(new URL('./snippet.js', import.meta.url), 'utf8')
  new Function('window', 'document', 'location', code)(w, doc, { href })
  return { w, linger: w.linger!, runtimeScript: scripts[0] }
}

/** The runtime arriving on that page as widgets' cdn.ts does (on a fake platform), then its script's load event. */
function loadRuntime(p: FakePlatform, page: ReturnType<typeof pasteSnippet>) {
  const { front, replay } = createFront((options, site, queued) => createLinger(options as LingerOptions, { platform: p, site, queued }), '', () => {})
  page.w.linger = front as unknown as Stub
  replay(page.linger.q)
  page.runtimeScript.onload?.()
  return front
}

const sent = (p: FakePlatform): LingerEvent[] => p.requests.flatMap((r) => r.body?.batch ?? [])
const INIT = { key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }

function fakeClient() {
  const calls: Array<[string, unknown[], unknown]> = []
  return { calls, client: { call: (m: string, a: unknown[], s: unknown) => void calls.push([m, a, s]) } as unknown as Linger }
}

describe('the script-tag front', () => {
  it('replays queued calls in order, each with the time and page it was made on', () => {
    const { calls, client } = fakeClient()
    const create = vi.fn(() => client)
    const { replay } = createFront(create, 'https://ref.example/', () => {})
    const queue: QueuedCall[] = [
      [['init', { key: 'pk' }], 1000, 'https://app.example.com/a?x=1#/h', 'A'],
      [['identify', 'u_42', { plan: 'pro' }], 1001, 'https://app.example.com/a', 'A'],
      [['track', 'Project Created', { template: 'kanban' }], 1002, 'https://app.example.com/b', 'B'],
    ]
    replay(queue)
    expect(create).toHaveBeenCalledWith({ key: 'pk' }, siteOf(queue[0], 'https://ref.example/'), [])
    expect(calls.map((c) => c[0])).toEqual(['identify', 'track'])
    expect(calls[1][2]).toEqual({ time: 1002, page: { url: 'https://app.example.com/b', path: '/b', search: '', hash: '', title: 'B', referrer: 'https://ref.example/' } })
  })

  it('a queued call whose name cannot be read (no toString) is skipped and reported; the calls after it, init too, still run', () => {
    const { calls, client } = fakeClient()
    const create = vi.fn(() => client)
    const { front, replay } = createFront(create, '', () => {})
    const queue: QueuedCall[] = [
      [[Object.create(null)], 1000, 'https://app.example.com/', 'A'],
      [['init', { key: 'pk' }], 1001, 'https://app.example.com/', 'A'],
      [['track', 'After'], 1002, 'https://app.example.com/', 'A'],
    ]
    expect(() => replay(queue)).not.toThrow()
    expect(create).toHaveBeenCalledTimes(1)
    // The runtime hears of the bad call by an empty name (reported as an unknown command), in its place.
    expect(calls.map((c) => c[0])).toEqual(['', 'track'])
    expect(() => front(Object.create(null))).not.toThrow()
  })

  it('holds calls made before init until init arrives, keeping their order', () => {
    const { calls, client } = fakeClient()
    const { front, replay } = createFront(() => client, '', () => {})
    replay([[['track', 'Early'], 5, 'https://x.example/', 'X']])
    ;(front.track as (...a: unknown[]) => void)('Later')
    expect(calls).toEqual([])
    front('init', { key: 'pk' })
    expect(calls.map((c) => c[1][0])).toEqual(['Early', 'Later'])
  })

  it('hands the calls made before init to the client as it is created (to run before init\'s page view), and replays those it left', () => {
    const { calls, client } = fakeClient()
    const taken: unknown[] = []
    const { replay } = createFront(
      (_options, _site, queued) => (taken.push(...queued.splice(0, 1).map((c) => c[1][0])), client),
      '',
      () => {},
    )
    replay([
      [['identify', 'ann'], 1, 'https://x.example/', 'X'],
      [['track', 'Early'], 2, 'https://x.example/', 'X'],
      [['init', { key: 'pk' }], 3, 'https://x.example/', 'X'],
      [['track', 'Later'], 4, 'https://x.example/', 'X'],
    ])
    expect(taken).toEqual(['ann'])
    expect(calls.map((c) => c[1][0])).toEqual(['Early', 'Later'])
  })

  it('both call styles reach the client after load', () => {
    const { calls, client } = fakeClient()
    const { front } = createFront(() => client, '', () => {})
    front('init', { key: 'pk' })
    front('track', 'A')
    ;(front.track as (...a: unknown[]) => void)('B')
    expect(calls.map((c) => [c[0], c[1][0]])).toEqual([['track', 'A'], ['track', 'B']])
  })

  it('a second init goes to the client, which ignores it with a warning', () => {
    const { calls, client } = fakeClient()
    const create = vi.fn(() => client)
    const { front } = createFront(create, '', () => {})
    front('init', { key: 'a' })
    front('init', { key: 'b' })
    expect(create).toHaveBeenCalledTimes(1)
    expect(calls[0][0]).toBe('init')
  })

  it('a host that awaits flush() before navigating, while the runtime is still loading, gets a promise that settles once its events were sent', async () => {
    const p = createFakePlatform()
    const page = pasteSnippet()
    const { linger } = page
    linger('init', INIT)
    linger.track('Checkout Started', { plan: 'pro' })
    const done = linger.flush() as Promise<void> | undefined
    // `linger.flush().then(go)` must not throw a TypeError into the page.
    expect(typeof done?.then).toBe('function')
    let sentWhenSettled: string[] | undefined
    void done!.then(() => (sentWhenSettled = sent(p).map((e) => e.type + ':' + (e.event ?? ''))))
    loadRuntime(p, page)
    // Well within the 2 s batch interval: only the flush can have sent them.
    await p.advance(100)
    expect(sentWhenSettled).toEqual(['page:', 'track:Checkout Started'])
  })

  it("linger('flush') and linger.flush() are promises once the runtime is in, before init too", async () => {
    const p = createFakePlatform()
    const page = pasteSnippet()
    const front = loadRuntime(p, page)
    await expect(front('flush')).resolves.toBeUndefined()
    await expect((front.flush as () => unknown)()).resolves.toBeUndefined()
  })

  it('a runtime that cannot load (an ad blocker) leaves no host waiting on flush(), before or after it failed', async () => {
    const { linger, runtimeScript } = pasteSnippet()
    const before = linger.flush() as Promise<unknown>
    runtimeScript.onerror!()
    const after = linger('flush') as Promise<unknown>
    await expect(Promise.all([before, after])).resolves.toHaveLength(2)
  })

  it('why() before the runtime loads answers as it does while the runtime starts (nothing shows yet), never undefined', () => {
    const { linger } = pasteSnippet()
    // `linger.why(id).reasons` must not throw a TypeError into the page.
    expect(linger.why('welcome-tour')).toEqual({ id: 'welcome-tour', show: false, reasons: ['loading'] })
    expect(linger('why', 'welcome-tour')).toEqual({ id: 'welcome-tour', show: false, reasons: ['loading'] })
  })

  it('a properties object the host changes after tracking, while the runtime loads, is sent as it was when tracked', async () => {
    const p = createFakePlatform()
    const page = pasteSnippet()
    const { linger } = page
    linger('init', INIT)
    const cart = { items: 1, plan: 'pro' }
    linger.track('Cart Updated', cart)
    cart.items = 2
    linger.track('Cart Updated', cart)
    loadRuntime(p, page)
    await p.advance(3000)
    expect(sent(p).filter((e) => e.event === 'Cart Updated').map((e) => e.properties)).toEqual([{ items: 1, plan: 'pro' }, { items: 2, plan: 'pro' }])
  })

  it('an object that refers to itself, tracked while the runtime loads, is sent as it is once loaded: the reference marked [Circular]', async () => {
    const p = createFakePlatform()
    const page = pasteSnippet()
    page.linger('init', INIT)
    const cyc: Record<string, unknown> = { n: 1 }
    cyc.self = cyc
    page.linger.track('Cyclic', cyc)
    const front = loadRuntime(p, page)
    ;(front.track as (...a: unknown[]) => void)('Cyclic', cyc)
    await p.advance(3000)
    expect(sent(p).filter((e) => e.event === 'Cyclic').map((e) => e.properties)).toEqual([
      { n: 1, self: '[Circular]' },
      { n: 1, self: '[Circular]' },
    ])
  })

  it('whatever a host passes before the runtime loads (a name that is no text, a hostile object), the call does not throw into the page', () => {
    const { linger } = pasteSnippet()
    const hostile = new Proxy({}, { getPrototypeOf: () => { throw new Error('no') }, get: () => { throw new Error('no') } })
    expect(() => linger(Object.create(null))).not.toThrow()
    expect(() => linger.track('Hostile', hostile)).not.toThrow()
    expect(linger.q).toHaveLength(2)
  })
})

describe("a call the host makes in the user's click, while the runtime loads", () => {
  const click = { type: 'click', isTrusted: true } as unknown as Event

  it('is replayed with that click (window.event then), so a tour it starts is the user\'s; one made outside any event, or in a browser without window.event, with none', () => {
    const page = pasteSnippet()
    page.linger('init', { key: 'pk' })
    page.w.event = click
    page.linger.track('Tour Requested')
    page.w.event = undefined
    page.linger('track', 'Page Loaded')
    const { calls, client } = fakeClient()
    createFront(() => client, '', () => {}).replay(page.linger.q)
    expect(calls.map(([, a, site]) => [a[0], (site as CallSite).event])).toEqual([
      ['Tour Requested', click],
      ['Page Loaded', undefined],
    ])
  })

  it('made after the runtime loaded, before a late init, waits with that click too', () => {
    vi.stubGlobal('document', { title: 'Dashboard' })
    vi.stubGlobal('location', { href: 'https://app.example.com/dashboard' })
    vi.stubGlobal('event', click)
    try {
      const { calls, client } = fakeClient()
      const { front } = createFront(() => client, '', () => {})
      ;(front.track as (...a: unknown[]) => void)('Tour Requested')
      vi.stubGlobal('event', undefined)
      front('init', { key: 'pk' })
      expect(calls.map(([, a, site]) => [a[0], (site as CallSite).event, (site as CallSite).page?.path])).toEqual([['Tour Requested', click, '/dashboard']])
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it("the runtime hears each replayed call with the event it was made in, not with whatever event is going on as it replays", async () => {
    const p = createFakePlatform()
    const heard: Array<[string, Event | null | undefined]> = []
    const key = { type: 'keydown', isTrusted: true } as unknown as Event
    // Replayed while the user presses a key: the call was made earlier, outside any event.
    vi.stubGlobal('event', key)
    let linger: Linger
    try {
      linger = createLinger(INIT as LingerOptions, { platform: p, queued: [['track', ['Page Loaded'], { time: 1 }]] })
    } finally {
      vi.unstubAllGlobals()
    }
    linger.host.onTrack((name, _p, _t, e) => heard.push([name, e]))
    // Replayed outside any event: made in the user's click.
    linger.call('track', ['Tour Requested'], { time: 2, event: click })
    await linger.ready
    await p.advance(10)
    expect(heard).toEqual([
      ['Page Loaded', null],
      ['Tour Requested', click],
    ])
    linger.destroy()
  })
})

describe('calls made after the runtime loaded, before a late init', () => {
  it('a properties object the host changes between two tracks (waiting for consent, say) is sent as it was at each, as the snippet sends it', async () => {
    const p = createFakePlatform()
    const { front } = createFront((options, site, queued) => createLinger(options as LingerOptions, { platform: p, site, queued }), '', () => {})
    const track = front.track as (...a: unknown[]) => void
    const cart = { items: 1, plan: 'pro' }
    track('Cart Updated', cart)
    cart.items = 2
    track('Cart Updated', cart)
    const cyc: Record<string, unknown> = { n: 1 }
    cyc.self = cyc
    track('Cyclic', cyc)
    // Copying reads the object: one that throws at every read is passed on as it is, never thrown into the page.
    const hostile = new Proxy({}, { getPrototypeOf: () => { throw new Error('no') }, get: () => { throw new Error('no') }, ownKeys: () => { throw new Error('no') } })
    expect(() => track('Hostile', hostile)).not.toThrow()
    cart.items = 3
    front('init', INIT)
    await p.advance(3000)
    expect(sent(p).filter((e) => e.event === 'Cart Updated').map((e) => e.properties)).toEqual([{ items: 1, plan: 'pro' }, { items: 2, plan: 'pro' }])
    expect(sent(p).find((e) => e.event === 'Cyclic')!.properties).toEqual({ n: 1, self: '[Circular]' })
  })

  it('each goes out with the time and page it was called on, not those of init', async () => {
    // The page's clock when init runs, a second after the call.
    const p = createFakePlatform({ now: Date.parse('2026-03-02T09:00:01Z') })
    vi.useFakeTimers({ toFake: ['Date'] })
    const page = { title: 'Pricing' }
    vi.stubGlobal('document', page)
    vi.stubGlobal('location', { href: 'https://app.example.com/pricing?plan=pro' })
    try {
      vi.setSystemTime(Date.parse('2026-03-02T09:00:00Z'))
      const { front } = createFront((options, site, queued) => createLinger(options as LingerOptions, { platform: p, site, queued }), 'https://ref.example/', () => {})
      ;(front.track as (...a: unknown[]) => void)('Pricing Viewed')
      // A second later, on another page, the vendor's app calls init.
      vi.setSystemTime(Date.parse('2026-03-02T09:00:01Z'))
      p.setPage({ url: 'https://app.example.com/dashboard', path: '/dashboard', search: '', title: 'Dashboard' })
      front('init', INIT)
      await p.advance(3000)
      const tracked = sent(p).find((e) => e.event === 'Pricing Viewed')!
      expect(tracked.timestamp).toBe('2026-03-02T09:00:00.000Z')
      expect(tracked.context.page).toMatchObject({ url: 'https://app.example.com/pricing?plan=pro', path: '/pricing', search: '?plan=pro', title: 'Pricing' })
    } finally {
      vi.unstubAllGlobals()
      vi.useRealTimers()
    }
  })
})

describe('what a host reads from a call made after the runtime loaded, before a late init', () => {
  it('why() answers "loading" as the snippet does (never undefined, so `.reasons` cannot throw), and is not queued', () => {
    const { calls, client } = fakeClient()
    const { front } = createFront(() => client, '', () => {})
    expect((front.why as (id: string) => unknown)('welcome-tour')).toEqual({ id: 'welcome-tour', show: false, reasons: ['loading'] })
    expect(front('why', 'welcome-tour')).toEqual({ id: 'welcome-tour', show: false, reasons: ['loading'] })
    front('init', { key: 'pk' })
    // A question asked while loading has nothing to replay.
    expect(calls.map((c) => c[0])).toEqual([])
  })
})
