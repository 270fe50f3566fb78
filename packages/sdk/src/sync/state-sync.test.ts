import { describe, expect, it } from 'vitest'
import { createExperienceState } from '../experience-state'
import { createFakePlatform, type FakePlatform } from '../fake-platform'
import { wins, type Synced } from './merge'
import { startStateSync } from './state-sync'

/** A collector's /v1/state in memory, with the same rule the real one uses. */
function fakeCollector() {
  const stored: Record<string, Synced> = {}
  let online = true
  return {
    stored,
    setOnline: (v: boolean) => (online = v),
    attach(p: FakePlatform) {
      p.respond = (req) => {
        if (!online) return 'network-error'
        if (req.init.method === 'PUT') for (const [n, f] of Object.entries(req.body.fields as Record<string, Synced>)) if (wins(f, stored[n])) stored[n] = f
        return { status: 200, body: JSON.stringify({ ok: true, fields: stored }) }
      }
    },
  }
}

const device = (collector: ReturnType<typeof fakeCollector>, at: number) => {
  const platform = createFakePlatform({ now: at })
  collector.attach(platform)
  const state = createExperienceState(platform, 'u:ana')
  const sync = startStateSync({ platform, state, endpoint: 'https://c.test', writeKey: 'pk', userId: 'ana', userHash: 'h', userKey: 'u:ana', onError: () => {} })
  return { platform, state, sync }
}

describe('progress on every device', () => {
  it('a checklist finished on the laptop is finished on the phone, even where the phone had started it', async () => {
    const collector = fakeCollector()
    const laptop = device(collector, 1000)
    await laptop.sync.ready
    laptop.state.set('checklist:onboarding', { status: 'started', done: {} })
    laptop.state.set('checklist:onboarding', { status: 'completed', done: { a: 1 } })
    // Offline first: the change waits, then goes out when the collector is back.
    collector.setOnline(false)
    await laptop.platform.advance(1500)
    expect(collector.stored['checklist:onboarding.status']).toBeUndefined()
    collector.setOnline(true)
    await laptop.platform.advance(3000)
    expect([collector.stored['checklist:onboarding.status']?.value, collector.stored['checklist:onboarding.done:a']?.value]).toEqual(['completed', 1])

    const phone = device(collector, 9000)
    await phone.sync.ready
    expect(phone.state.get('checklist:onboarding')).toEqual({ status: 'completed', done: { a: 1 } })
    // A newer local change on the phone wins over the laptop's older one.
    phone.state.set('checklist:onboarding', { status: 'dismissed', done: { a: 1 } })
    await phone.platform.advance(1500)
    expect(collector.stored['checklist:onboarding.status']?.value).toBe('dismissed')
  })

  it('a task ticked on the laptop and another ticked on the phone before they synced: both stay done, everywhere', async () => {
    const collector = fakeCollector()
    const laptop = device(collector, 1000)
    const phone = device(collector, 1000)
    await laptop.sync.ready
    await phone.sync.ready
    laptop.state.set('checklist:onboarding', { status: 'started', done: { a: 1 } })
    await laptop.platform.advance(1500)
    phone.state.set('checklist:onboarding', { status: 'started', done: { a: 1 } })
    await phone.platform.advance(1500)
    // Neither has heard of the other's next tick.
    laptop.state.set('checklist:onboarding', { status: 'started', done: { a: 1, b: 2000 } })
    phone.state.set('checklist:onboarding', { status: 'started', done: { a: 1, c: 2100 } })
    await laptop.platform.advance(1500)
    await phone.platform.advance(1500)
    // The next sync of each (a sign-in, or the page shown again) takes the other's in.
    const later = device(collector, 9000)
    await later.sync.ready
    expect(later.state.get('checklist:onboarding')).toEqual({ status: 'started', done: { a: 1, b: 2000, c: 2100 } })
  })

  it('a whole checklist an older SDK synced joins the tasks done here and does not take their status back', async () => {
    const collector = fakeCollector()
    collector.stored['checklist:onboarding'] = { value: { status: 'started', done: { a: 1 } }, version: 3, at: 500 }
    const phone = device(collector, 1000)
    phone.state.set('checklist:onboarding', { status: 'completed', done: { b: 2, c: 3 } })
    await phone.sync.ready
    expect(phone.state.get('checklist:onboarding')).toEqual({ status: 'completed', done: { a: 1, b: 2, c: 3 } })
  })

  it('pending changes survive a reload while offline', async () => {
    const collector = fakeCollector()
    collector.setOnline(false)
    const shared = new Map<string, string>()
    const p1 = createFakePlatform({ shared })
    collector.attach(p1)
    const s1 = createExperienceState(p1, 'u:ana')
    const sync1 = startStateSync({ platform: p1, state: s1, endpoint: 'https://c.test', writeKey: 'pk', userId: 'ana', userHash: 'h', userKey: 'u:ana', onError: () => {} })
    await sync1.ready
    s1.set('badges', { earned: { first: 5 }, points: 10, level: 0 })
    await p1.advance(1500)
    p1.close()
    sync1.stop()
    collector.setOnline(true)
    const p2 = createFakePlatform({ shared })
    collector.attach(p2)
    const s2 = createExperienceState(p2, 'u:ana')
    await startStateSync({ platform: p2, state: s2, endpoint: 'https://c.test', writeKey: 'pk', userId: 'ana', userHash: 'h', userKey: 'u:ana', onError: () => {} }).ready
    expect(collector.stored['badges.earned:first']?.value).toBe(5)
    expect(collector.stored['badges.points']?.value).toBe(10)
  })
})

describe('progress a visitor brings as they sign in', () => {
  /** The phone: a visitor's list, then the sign-in, on a page that went before its sync ran. */
  const signedInOnPhone = (list: object) => {
    const shared = new Map<string, string>()
    const page = createFakePlatform({ shared, now: 9000 })
    const visitor = createExperienceState(page, 'a:anon')
    visitor.set('checklist:onboarding', list)
    visitor.switchUser('u:ana', true)
    page.close()
    return createFakePlatform({ shared, now: 10_000 })
  }
  /** The laptop wrote `laptopList`; then the phone's next page syncs, after the sign-in. */
  const laptopThenPhone = async (laptopList: object, visitorList: object) => {
    const collector = fakeCollector()
    const laptop = device(collector, 1000)
    await laptop.sync.ready
    laptop.state.set('checklist:onboarding', laptopList)
    await laptop.platform.advance(1500)
    const next = signedInOnPhone(visitorList)
    collector.attach(next)
    const state = createExperienceState(next, 'u:ana')
    const sync = startStateSync({ platform: next, state, endpoint: 'https://c.test', writeKey: 'pk', userId: 'ana', userHash: 'h', userKey: 'u:ana', onError: () => {} })
    await sync.ready
    return { collector, next, phone: { state, sync } }
  }

  it('fills gaps and yields to the laptop, though its sync first runs on the next page: a list dismissed there stays dismissed', async () => {
    const { collector, next, phone } = await laptopThenPhone({ status: 'dismissed', done: { a: 900 } }, { status: 'started', done: { b: 8000 } })
    await next.advance(1500)
    expect(phone.state.get('checklist:onboarding')).toEqual({ status: 'dismissed', done: { a: 900, b: 8000 } })
    expect([collector.stored['checklist:onboarding.status']?.value, collector.stored['checklist:onboarding.done:b']?.value]).toEqual(['dismissed', 8000])
    // Taken in once: named no more.
    expect(phone.state.carried('u:ana')).toEqual([])
    // Taken in once: the user's own change on the phone later goes out as any other, and wins.
    phone.state.set('checklist:onboarding', { status: 'started', done: { a: 900, b: 8000 } })
    await next.advance(1500)
    expect(collector.stored['checklist:onboarding.status']?.value).toBe('started')
  })

  it('a list the visitor finished stays finished when the laptop\'s started one comes, and the laptop hears it is done', async () => {
    const { collector, next, phone } = await laptopThenPhone({ status: 'started', done: { a: 900 } }, { status: 'completed', done: { a: 7000, b: 8000 } })
    expect(phone.state.get('checklist:onboarding')).toEqual({ status: 'completed', done: { a: 900, b: 8000 } })
    await next.advance(1500)
    expect(collector.stored['checklist:onboarding.status']?.value).toBe('completed')
  })
})

describe('a sync the collector refuses', () => {
  it('reports it once and does not hammer the collector', async () => {
    const platform = createFakePlatform()
    platform.respond = () => ({ status: 403, body: '{"ok":false,"errors":["userHash: does not match userId"]}' })
    const errors: string[] = []
    const state = createExperienceState(platform, 'u:ana')
    const sync = startStateSync({ platform, state, endpoint: 'https://c.test', writeKey: 'pk', userId: 'ana', userHash: 'forged', userKey: 'u:ana', onError: (e) => errors.push(e.code) })
    await sync.ready
    await platform.advance(120_000)
    expect(errors).toEqual(['sync-refused'])
    expect(platform.requests).toHaveLength(1)
  })
})

describe('a collector that says "too many requests"', () => {
  it('waits as long as Retry-After says, then sends every change made meanwhile, without reporting an error', async () => {
    const collector = fakeCollector()
    const platform = createFakePlatform({ now: 0 })
    collector.attach(platform)
    const answer = platform.respond
    // The collector refuses this user's requests for the next 30 s.
    let limitedUntil = 30_000
    platform.respond = (req) =>
      platform.now() < limitedUntil ? { status: 429, headers: { 'Retry-After': String(Math.ceil((limitedUntil - platform.now()) / 1000)) }, body: '{"ok":false}' } : answer(req)
    const errors: string[] = []
    const state = createExperienceState(platform, 'u:ana')
    const sync = startStateSync({ platform, state, endpoint: 'https://c.test', writeKey: 'pk', userId: 'ana', userHash: 'h', userKey: 'u:ana', onError: (e) => errors.push(e.code) })
    await sync.ready
    expect(platform.requests).toHaveLength(1)
    // Changes while told to wait, and the page going to the background: nothing goes out yet.
    state.set('badges', { earned: { first: 5 }, points: 10, level: 0 })
    await platform.advance(5_000)
    state.set('checklist:onboarding', { status: 'completed', done: { a: 1 } })
    platform.hide()
    await platform.advance(24_000)
    expect(platform.requests).toHaveLength(1)
    expect(collector.stored).toEqual({})
    // Retry-After is over: one request carries both changes.
    await platform.advance(1_000)
    expect(platform.requests).toHaveLength(2)
    expect(platform.requests[1]!.init.method).toBe('PUT')
    expect(collector.stored['badges.points']?.value).toBe(10)
    expect([collector.stored['checklist:onboarding.status']?.value, collector.stored['checklist:onboarding.done:a']?.value]).toEqual(['completed', 1])
    expect(errors).toEqual([])
    // Told to wait again: the queued change survives a reload and goes out from the next page.
    limitedUntil = platform.now() + 60_000
    state.set('badges', { earned: { first: 5 }, points: 25, level: 1 })
    await platform.advance(2_000)
    expect(platform.requests).toHaveLength(3)
    expect(collector.stored['badges.points']?.value).toBe(10)
    sync.stop()
    platform.close()
    const next = createFakePlatform({ shared: platform.storageMap, now: platform.now() + 60_000 })
    collector.attach(next)
    await startStateSync({ platform: next, state: createExperienceState(next, 'u:ana'), endpoint: 'https://c.test', writeKey: 'pk', userId: 'ana', userHash: 'h', userKey: 'u:ana', onError: () => {} }).ready
    expect(collector.stored['badges.points']?.value).toBe(25)
  })
})
