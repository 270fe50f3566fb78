import { describe, expect, it, vi } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform, type FakePlatform } from './fake-platform'
import type { LingerEvent } from './events'

const flows = {
  version: 1,
  settings: { cooldownDays: 2 },
  checklists: [{ id: 'getting-started', title: 'Start', tasks: [{ id: 'create-project', title: 'Create', doneWhen: { event: 'Project Created' } }] }],
}

function start(p: FakePlatform = createFakePlatform(), options: Record<string, unknown> = {}) {
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows, ...options }, { platform: p })
  return { p, linger }
}
const sent = (p: FakePlatform): LingerEvent[] => p.requests.flatMap((r) => r.body?.batch ?? [])

describe('createLinger', () => {
  it('sends a page view at init and tracked events in one batch to {endpoint}/v1/batch', async () => {
    const { p, linger } = start(createFakePlatform(), { flows: { version: 1 } })
    linger.track('Project Created', { template: 'kanban' })
    await p.advance(2000)
    expect(p.requests[0].url).toBe('https://collect.example.com/v1/batch')
    expect(sent(p).map((e) => e.type + ':' + (e.event ?? ''))).toEqual(['page:', 'track:Project Created'])
  })

  it('keeps a usage profile the experiences read: counts, first and last seen', async () => {
    const { p, linger } = start()
    linger.track('Task Created')
    await p.advance(60_000)
    linger.track('Task Created')
    const profile = linger.usage.get()
    expect(profile.events['Task Created'].count).toBe(2)
    expect(profile.lastSeen! - profile.firstSeen!).toBe(60_000)
  })

  it('identify merges what the visitor did anonymously into the user, and reset starts someone new', () => {
    const { linger } = start()
    linger.track('Project Created')
    linger.identify('u_42', { plan: 'pro' })
    expect(linger.usage.get().events['Project Created'].count).toBe(1)
    const anonBefore = linger.host.user.get().anonymousId
    linger.reset()
    expect(linger.usage.get().events['Project Created']).toBeUndefined()
    expect(linger.host.user.get().anonymousId).not.toBe(anonBefore)
    expect(linger.host.user.get().userId).toBeUndefined()
  })

  it('a returning user gets their own usage back after someone else used the device', () => {
    const p = createFakePlatform()
    const { linger } = start(p)
    linger.identify('u_1')
    linger.track('Report Exported')
    linger.reset()
    linger.identify('u_2')
    expect(linger.usage.get().events['Report Exported']).toBeUndefined()
    linger.reset()
    linger.identify('u_1')
    expect(linger.usage.get().events['Report Exported'].count).toBe(1)
  })

  it('sends identify with traits and the userHash in context on every later event', async () => {
    const { p, linger } = start()
    linger.identify('u_42', { plan: 'pro' }, { userHash: 'h' })
    linger.track('After')
    await p.advance(2000)
    const [identify, after] = sent(p).slice(1)
    expect(identify).toMatchObject({ type: 'identify', userId: 'u_42', traits: { plan: 'pro' }, context: { userHash: 'h' } })
    expect(after).toMatchObject({ userId: 'u_42', context: { userHash: 'h' } })
  })

  it('emits ready once flows are loaded, even to a listener added afterwards', async () => {
    const { p, linger } = start()
    await linger.ready
    const late = vi.fn()
    linger.on('ready', late)
    await p.advance(0)
    expect(late).toHaveBeenCalledTimes(1)
  })

  it('on(short name) hears Linger and host events with their properties', () => {
    const { linger } = start()
    const fn = vi.fn()
    linger.on('project:created', fn)
    linger.track('Project Created', { template: 'list' })
    expect(fn).toHaveBeenCalledWith({ template: 'list' })
  })

  it('reports bad calls as errors and never throws', () => {
    const { linger } = start()
    const errors = vi.fn()
    linger.on('error', errors)
    expect(() => {
      linger.call('frobnicate', [])
      linger.track(undefined as unknown as string)
      linger.identify(42 as unknown as string)
      linger.group('')
      linger.on('x', 'not a function' as unknown as () => void)
    }).not.toThrow()
    expect(errors.mock.calls.map((c) => c[0].code)).toEqual(['unknown-command', 'invalid-call', 'invalid-call', 'invalid-call', 'invalid-call'])
  })

  it('logs a [linger] message once per distinct problem in debug mode', () => {
    const { p, linger } = start(createFakePlatform(), { debug: true })
    linger.track('')
    linger.track('')
    expect(p.logs.filter((l) => String(l[1]).includes('track needs an event name'))).toHaveLength(1)
  })

  it('why() explains an experience and says when an id is unknown', async () => {
    const { linger } = start()
    await linger.ready
    expect(linger.why('nope').reasons).toEqual(['unknown-experience'])
  })

  it('optOut clears what is queued and stops collecting, remembered across reloads', async () => {
    const p = createFakePlatform()
    const { linger } = start(p)
    linger.track('Queued')
    linger.optOut()
    linger.track('Ignored')
    await p.advance(5000)
    expect(sent(p)).toEqual([])
    const again = start(p).linger
    again.track('Still Out')
    await p.advance(5000)
    expect(sent(p)).toEqual([])
    again.optIn()
    again.track('Back')
    await p.advance(5000)
    expect(sent(p).map((e) => e.event)).toEqual(['Back'])
  })

  it('an event tracked while flows load still reaches the experiences', async () => {
    const p = createFakePlatform()
    p.respond = () => ({ status: 200, body: JSON.stringify(flows) })
    const linger = createLinger({ key: 'k', endpoint: '', flows: 'https://cdn.example.com/flows.json' }, { platform: p })
    linger.track('Project Created')
    const seen = vi.fn()
    linger.host.onTrack(seen)
    await linger.ready
    expect(seen).toHaveBeenCalledWith('Project Created', {}, expect.any(Number))
  })

  it('a grant sent from two devices of one user carries one messageId, so the collector keeps one', async () => {
    // Two devices: nothing shared, so both grant the task; only the messageId can tell it is one grant.
    const devices = [createFakePlatform({ seed: 1 }), createFakePlatform({ seed: 2 })].map((p) => start(p))
    for (const { linger } of devices) {
      linger.identify('u_42')
      await linger.ready
      linger.track('Project Created')
    }
    const grants = []
    for (const { p } of devices) {
      await p.advance(3000)
      grants.push(...sent(p).filter((e) => e.event === 'Checklist Task Completed' || e.event === 'Checklist Completed'))
    }
    expect(grants).toHaveLength(4)
    expect(new Set(grants.map((e) => e.messageId)).size).toBe(2)
    expect(grants[0].messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    // Another user's grant of the same task is theirs, not a duplicate.
    const other = start(createFakePlatform({ seed: 3 }))
    other.linger.identify('u_43')
    await other.linger.ready
    other.linger.track('Project Created')
    await other.p.advance(3000)
    const theirs = sent(other.p).find((e) => e.event === 'Checklist Task Completed')!
    expect(grants.map((e) => e.messageId)).not.toContain(theirs.messageId)
  })

  describe('tabs of one browser follow one another', () => {
    const twoTabs = () => {
      const shared = new Map<string, string>()
      // Opened one after the other: the second finds the first's visitor.
      const [a, b] = [1, 2].map((seed) => start(createFakePlatform({ seed, shared }), { flows: { version: 1 } }))
      return { shared, a, b }
    }
    const count = (linger: { usage: { get(): { events: Record<string, { count: number }> } } }, name: string) => linger.usage.get().events[name]?.count ?? 0

    it('when the visitor signs in in one tab, the other follows: its events are the user’s, and its usage counts each event once', async () => {
      const { shared, a, b } = twoTabs()
      const visitor = `linger:usage:a:${a.linger.host.user.get().anonymousId}`
      for (let i = 0; i < 3; i++) a.linger.track('Task Created')
      b.linger.track('Task Created')
      for (const { p } of [a, b]) await p.advance(1000)
      for (const { p } of [a, b]) p.fireStorage(visitor)
      a.linger.identify('u_42')
      // Tab B hears of each key tab A changed, in the order A changed them.
      b.p.fireStorage(visitor)
      b.p.fireStorage('linger:usage:u:u_42')
      b.p.fireStorage('linger:identity')
      expect(b.linger.host.user.get().userId).toBe('u_42')
      b.linger.track('Task Created')
      expect(count(b.linger, 'Task Created')).toBe(5)
      // The page in tab B identifies the same user when it next renders: nothing is merged twice.
      b.linger.identify('u_42')
      await b.p.advance(2000)
      expect(count(b.linger, 'Task Created')).toBe(5)
      expect(JSON.parse(shared.get('linger:usage:u:u_42')!).events['Task Created'].count).toBe(5)
      expect(shared.has(visitor)).toBe(false)
      const fromB = sent(b.p).filter((e) => e.event === 'Task Created')
      expect(fromB.map((e) => e.userId)).toEqual([undefined, 'u_42'])
      // Tab B does not announce tab A's sign-in a second time.
      expect(sent(b.p).filter((e) => e.type === 'identify')).toHaveLength(1)
    })

    it('signing out in one tab signs out the other: its next events belong to the new visitor', async () => {
      const { a, b } = twoTabs()
      a.linger.identify('u_42')
      b.p.fireStorage('linger:identity')
      a.linger.reset()
      b.p.fireStorage('linger:identity')
      b.linger.track('Report Exported')
      await b.p.advance(2000)
      const last = sent(b.p).find((e) => e.event === 'Report Exported')!
      expect(last.userId).toBeUndefined()
      expect(last.anonymousId).toBe(a.linger.host.user.get().anonymousId)
      expect(count(b.linger, 'Report Exported')).toBe(1)
      b.linger.identify('u_42')
      expect(count(b.linger, 'Report Exported')).toBe(1)
    })

    it('a tab that heard nothing (restored from the back/forward cache) catches up when shown: opted out, and the new user', async () => {
      const { shared, a, b } = twoTabs()
      a.linger.track('Task Created')
      b.linger.track('Task Created')
      await a.p.advance(2000)
      await b.p.advance(2000)
      a.linger.identify('u_42')
      a.linger.optOut()
      // No storage event reaches tab B; it is shown again.
      b.p.show()
      expect(b.linger.host.user.get().userId).toBe('u_42')
      // The visitor's two events, each counted once in the user's profile.
      expect(count(b.linger, 'Task Created')).toBe(2)
      expect(JSON.parse(shared.get('linger:usage:u:u_42')!).events['Task Created'].count).toBe(2)
      b.linger.track('Report Exported')
      await b.p.advance(2000)
      expect(sent(b.p).filter((e) => e.event === 'Report Exported')).toHaveLength(0)
    })

    it('a tab that has not heard of a sign-in yet does not undo it when it names the account', async () => {
      const { shared, a, b } = twoTabs()
      a.linger.identify('u_42')
      b.linger.group('acme', { plan: 'pro' })
      const stored = JSON.parse(shared.get('linger:identity')!)
      expect(stored.userId).toBe('u_42')
      expect(stored.groupId).toBe('acme')
      expect(b.linger.host.user.get().userId).toBe('u_42')
      b.linger.track('Report Exported')
      await b.p.advance(2000)
      expect(sent(b.p).find((e) => e.event === 'Report Exported')!.userId).toBe('u_42')
    })

    it('a host listener that throws while a tab follows another is reported, never thrown into the page', () => {
      const { a, b } = twoTabs()
      const errors: string[] = []
      b.linger.on('error', (e) => errors.push((e as { code: string }).code))
      b.linger.host.user.listen(() => {
        throw new Error('host bug')
      })
      a.linger.identify('u_42')
      expect(() => b.p.fireStorage('linger:identity')).not.toThrow()
      expect(errors).toContain('internal')
    })

    it('a host usage listener that throws does not leave a sign-in half done', () => {
      const { shared, a } = twoTabs()
      a.linger.track('Task Created')
      a.linger.usage.listen(() => {
        throw new Error('host bug')
      })
      expect(() => a.linger.identify('u_42')).toThrow('host bug')
      // Signed in all the same: saved, so the next page starts as the user and merges nothing again.
      expect(JSON.parse(shared.get('linger:identity')!).userId).toBe('u_42')
      expect(a.linger.host.user.get().userId).toBe('u_42')
      expect(JSON.parse(shared.get('linger:usage:u:u_42')!).events['Task Created'].count).toBe(1)
    })

    it('opting out in one tab stops the other from sending; opting back in resumes it', async () => {
      const { a, b } = twoTabs()
      await b.p.advance(2000)
      a.linger.optOut()
      b.p.fireStorage('linger:optout')
      b.linger.track('Report Exported')
      await b.p.advance(2000)
      expect(sent(b.p).filter((e) => e.event === 'Report Exported')).toHaveLength(0)
      a.linger.optIn()
      b.p.fireStorage('linger:optout')
      b.linger.track('Report Exported')
      await b.p.advance(2000)
      expect(sent(b.p).filter((e) => e.event === 'Report Exported')).toHaveLength(1)
    })
  })

  it('two tabs side by side that each track half of what a badge needs: it is granted once their counts meet, with no further event', async () => {
    const shared = new Map<string, string>()
    const badgeFlows = { version: 1, settings: { cooldownDays: 0 }, badges: [{ id: 'reporter', title: 'Report pro', points: 30, rule: { event: 'Report Exported', count: { gte: 10 } } }] }
    const tabs = [1, 2].map((seed) => start(createFakePlatform({ seed, shared }), { flows: badgeFlows }))
    for (const { linger } of tabs) {
      linger.identify('u_42')
      await linger.ready
    }
    for (const { linger } of tabs) for (let i = 0; i < 5; i++) linger.track('Report Exported')
    // Each tab writes its usage within the second, and hears of the other's write.
    for (const { p } of tabs) await p.advance(1000)
    for (const { p } of tabs) p.fireStorage('linger:usage:u:u_42')
    for (const { p } of tabs) p.fireStorage('linger:state:u:u_42')
    for (const { p } of tabs) await p.advance(3000)
    const earned = tabs.flatMap(({ p }) => sent(p)).filter((e) => e.event === 'Badge Earned')
    expect(earned.map((e) => e.properties?.badgeId)).toEqual(['reporter'])
    for (const { linger } of tabs) expect(linger.experiences.badges!.$state.get().earned).toHaveProperty('reporter')
  })
})
