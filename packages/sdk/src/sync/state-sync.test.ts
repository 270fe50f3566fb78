import type { WritableAtom } from 'nanostores'
import { describe, expect, it } from 'vitest'
import type { Billing } from '../config/flows-schema'
import { createTestHost } from '../experiences/badges/test-host'
import { createBilling } from '../experiences/billing'
import type { UserView } from '../experiences/host'
import { $bannerClaims } from '../experiences/notice'
import { createExperienceState } from '../experience-state'
import { createFakePlatform, type FakeAnswer, type FakePlatform } from '../fake-platform'
import { laggingStorage } from '../lagging-storage'
import { kept, type Synced } from './merge'
import { startStateSync } from './state-sync'

/** A collector's /v1/state in memory, with the rule the real one uses (its state-merge.ts is this `kept`), on the clock of the device it answers. */
function fakeCollector() {
  const stored: Record<string, Synced> = {}
  let online = true
  const collector = {
    stored,
    /** How long an answer takes to come back: a device's change can be made while it is on its way. */
    delay: 0,
    /** The collector's own clock; by default, that of the device it answers. */
    now: undefined as (() => number) | undefined,
    setOnline: (v: boolean) => (online = v),
    attach(p: FakePlatform) {
      p.respond = (req) => {
        if (!online) return 'network-error'
        if (req.init.method === 'PUT')
          for (const [n, f] of Object.entries(req.body.fields as Record<string, Synced>)) {
            const keep = kept(n, f, stored[n], collector.now?.() ?? p.now())
            if (keep) stored[n] = keep
          }
        const answer = { status: 200, body: JSON.stringify({ ok: true, fields: stored }) }
        return collector.delay ? new Promise((r) => p.setTimeout(() => r(answer), collector.delay)) : answer
      }
    },
  }
  return collector
}

type Collector = ReturnType<typeof fakeCollector>
type SyncOptions = Parameters<typeof startStateSync>[0]

/** Ana's sync, as her signed-in page starts it. */
const syncAna = (platform: FakePlatform, state: SyncOptions['state'], onError: SyncOptions['onError'] = () => {}) =>
  startStateSync({ platform, state, endpoint: 'https://c.test', writeKey: 'pk', userId: 'ana', userHash: 'h', userKey: 'u:ana', onError })

describe('where progress is synced', () => {
  it('a vendor whose endpoint has a path and a tenant query, or is given as its /v1/batch URL, has progress synced beside its batches', async () => {
    for (const [endpoint, expected] of [
      ['https://c.test/ingest?tenant=a', 'https://c.test/ingest/v1/state?tenant=a'],
      ['https://c.test/v1/batch', 'https://c.test/v1/state'],
    ]) {
      const platform = createFakePlatform({ now: 1000 })
      fakeCollector().attach(platform)
      const sync = startStateSync({ platform, state: createExperienceState(platform, 'u:ana'), endpoint, writeKey: 'pk', userId: 'ana', userHash: 'h', userKey: 'u:ana', onError: () => {} })
      await sync.ready
      // Ana's own progress is asked for with her id joining the tenant's query, not a second `?`.
      expect(new Set(platform.requests.map((r) => r.url.replace(/[?&]userId=ana$/, '')))).toEqual(new Set([expected]))
      // The userHash goes in a header, never in a request line that proxies and CDNs log.
      for (const r of platform.requests.filter((r) => r.init.method === 'GET')) expect([r.url.includes('userHash'), (r.init.headers as Record<string, string>)['X-Linger-User-Hash']]).toEqual([false, 'h'])
      expect(platform.requests.filter((r) => r.init.method === 'GET').map((r) => new URL(r.url).searchParams.get('tenant') ?? 'none')).toEqual([endpoint.includes('tenant') ? 'a' : 'none'])
    }
  })
})

const device = (collector: Collector, at: number) => {
  const platform = createFakePlatform({ now: at })
  collector.attach(platform)
  const state = createExperienceState(platform, 'u:ana')
  const sync = syncAna(platform, state)
  return { platform, state, sync }
}

/** The laptop, open since `at`, writes `value` under `key` and syncs it. */
async function laptopWrote(key: string, value: unknown, at = 1000) {
  const collector = fakeCollector()
  const laptop = device(collector, at)
  await laptop.sync.ready
  laptop.state.set(key, value)
  await laptop.platform.advance(1500)
  return { collector, laptop }
}

/** The laptop and a tab on the phone, both open since 1000 and synced, with nothing yet to tell each other. */
async function laptopAndPhone() {
  const collector = fakeCollector()
  const laptop = device(collector, 1000)
  const phone = device(collector, 1000)
  await laptop.sync.ready
  await phone.sync.ready
  return { collector, laptop, phone }
}

/** On the phone at `at`, a visitor's record under `key`; they sign in as Ana, and her next page, a second on, syncs. */
async function visitorSignsInOnPhone(collector: Collector, at: number, key: string, record: unknown) {
  const shared = new Map<string, string>()
  const page = createFakePlatform({ shared, now: at })
  const visitor = createExperienceState(page, 'a:anon')
  visitor.set(key, record)
  visitor.switchUser('u:ana', true)
  page.close()
  const next = createFakePlatform({ shared, now: at + 1000 })
  collector.attach(next)
  const state = createExperienceState(next, 'u:ana')
  const sync = syncAna(next, state)
  await sync.ready
  return { next, state, sync }
}

/** Ana's page on a collector that answers `busy(now)` while it has an answer, and as `collector` does after; the errors her host hears, kept. */
function pageWhileBusy(collector: Collector, busy: (now: number) => FakeAnswer | undefined) {
  const platform = createFakePlatform({ now: 0 })
  collector.attach(platform)
  const answer = platform.respond
  platform.respond = (req) => busy(platform.now()) ?? answer(req)
  const errors: string[] = []
  const state = createExperienceState(platform, 'u:ana')
  const sync = syncAna(platform, state, (e) => errors.push(e.code))
  return { platform, state, sync, errors }
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
  })

  it('a list dismissed on the laptop and taken up again later on the phone is open everywhere: the later choice wins', async () => {
    const { collector, laptop } = await laptopWrote('checklist:onboarding', { status: 'started', done: { a: 1 } })
    laptop.state.set('checklist:onboarding', { status: 'dismissed', done: { a: 1 } })
    await laptop.platform.advance(1500)
    const phone = device(collector, 9000)
    await phone.sync.ready
    expect(phone.state.get('checklist:onboarding')).toEqual({ status: 'dismissed', done: { a: 1 } })
    phone.state.set('checklist:onboarding', { status: 'started', done: { a: 1 } })
    await phone.platform.advance(1500)
    const tablet = device(collector, 20_000)
    await tablet.sync.ready
    expect(collector.stored['checklist:onboarding.status']?.value).toBe('started')
    expect(tablet.state.get('checklist:onboarding')).toEqual({ status: 'started', done: { a: 1 } })
  })

  it('a task ticked on the laptop and another ticked on the phone before they synced: both stay done, everywhere', async () => {
    const { collector, laptop, phone } = await laptopAndPhone()
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

  it('a phone tab left open hears, when the user comes back to it, of the survey they answered on the laptop meanwhile: it is not asked again', async () => {
    const collector = fakeCollector()
    const phone = device(collector, 1000)
    await phone.sync.ready
    // The user leaves the phone; an hour later, on the laptop, answers the NPS.
    phone.platform.hide()
    await phone.platform.advance(3_600_000)
    const laptop = device(collector, phone.platform.now())
    await laptop.sync.ready
    const answered = { shown: 1, lastShown: 5, completed: true, answered: true, dismissedAt: null, lastAnswered: 5 }
    laptop.state.set('scheduler', { active: null, lastBlockingShown: 5, history: { nps: answered } })
    await laptop.platform.advance(1500)
    expect(collector.stored['scheduler.history:nps']?.value).toEqual(answered)
    // Back on the phone, its page never reloaded.
    phone.platform.show()
    await phone.platform.advance(100)
    expect(phone.state.get<{ history: Record<string, unknown> }>('scheduler')?.history.nps).toEqual(answered)
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
    const sync1 = syncAna(p1, s1)
    await sync1.ready
    s1.set('badges', { earned: { first: 5 }, points: 10, level: 0 })
    await p1.advance(1500)
    p1.close()
    sync1.stop()
    collector.setOnline(true)
    const p2 = createFakePlatform({ shared })
    collector.attach(p2)
    const s2 = createExperienceState(p2, 'u:ana')
    await syncAna(p2, s2).ready
    expect(collector.stored['badges.earned:first']?.value).toBe(5)
    expect(collector.stored['badges.points']?.value).toBe(10)
  })
})

describe('progress a visitor brings as they sign in', () => {
  /** The laptop wrote `laptopList`; then the phone's visitor, with `visitorList`, signs in, and the sync first runs on the next page. */
  const laptopThenPhone = async (laptopList: object, visitorList: object) => {
    const { collector } = await laptopWrote('checklist:onboarding', laptopList)
    const { next, state, sync } = await visitorSignsInOnPhone(collector, 9000, 'checklist:onboarding', visitorList)
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

  it('a second tab of the phone, whose sync starts as the first one\'s does, yields to the laptop too: the list dismissed there stays dismissed', async () => {
    const { collector } = await laptopWrote('checklist:onboarding', { status: 'dismissed', done: { a: 900 } })
    // Two tabs of the phone; the visitor signs in in A, and B follows.
    const lag = laggingStorage(9000)
    const [pA, pB] = [lag.tab(), lag.tab()]
    const visitor = createExperienceState(pA, 'a:anon')
    visitor.set('checklist:onboarding', { status: 'started', done: { b: 8000 } })
    visitor.switchUser('u:ana', true)
    lag.deliver()
    const tabB = createExperienceState(pB, 'u:ana')
    const sync = (p: FakePlatform, state: typeof tabB) => (collector.attach(p), syncAna(p, state))
    const a = sync(pA, visitor)
    // B's copy of storage has A's first write since, and not the next.
    lag.deliver(1)
    const b = sync(pB, tabB)
    await Promise.all([a.ready, b.ready])
    // Not even for a moment does the collector hold the list open (the laptop would take it so).
    expect(collector.stored['checklist:onboarding.status']?.value).toBe('dismissed')
    lag.deliver()
    await pA.advance(3000)
    await pB.advance(3000)
    expect(collector.stored['checklist:onboarding.status']?.value).toBe('dismissed')
    expect([visitor.get('checklist:onboarding'), tabB.get('checklist:onboarding')]).toEqual([{ status: 'dismissed', done: { a: 900, b: 8000 } }, { status: 'dismissed', done: { a: 900, b: 8000 } }])
  })

  it('a list the visitor finished stays finished when the laptop\'s started one comes, and the laptop hears it is done', async () => {
    const { collector, next, phone } = await laptopThenPhone({ status: 'started', done: { a: 900 } }, { status: 'completed', done: { a: 7000, b: 8000 } })
    expect(phone.state.get('checklist:onboarding')).toEqual({ status: 'completed', done: { a: 900, b: 8000 } })
    await next.advance(1500)
    expect(collector.stored['checklist:onboarding.status']?.value).toBe('completed')
  })
})

describe('what one device recorded, whichever device writes last', () => {
  type History = { history: Record<string, { answered: boolean; dismissedAt: number | null }> }
  const never = { shown: 0, lastShown: null, completed: false, answered: false, dismissedAt: null, lastAnswered: null }
  const answeredOnLaptop = { active: null, lastBlockingShown: 2000, history: { nps: { ...never, shown: 1, lastShown: 2000, completed: true, answered: true, lastAnswered: 2100 } } }
  const nps = (state: { get<T>(key: string): T | undefined }) => state.get<History>('scheduler')!.history.nps
  const offerOf = (state: { get<T>(key: string): T | undefined }) => state.get<{ offer: { outcome?: string } }>('billing')!.offer

  it('a survey answered on the laptop stays answered when a phone tab, not yet told, showed it and the user closed it later: on the phone, the collector and a new device', async () => {
    // A tab open on the phone since before the answer.
    const { collector, laptop, phone } = await laptopAndPhone()
    laptop.state.set('scheduler', answeredOnLaptop)
    await laptop.platform.advance(1500)
    // The phone's write is the later one: an "until-answered" survey would be asked again.
    await phone.platform.advance(10_000)
    phone.state.set('scheduler', { active: null, lastBlockingShown: 11_000, history: { nps: { ...never, shown: 1, lastShown: 11_000, dismissedAt: 11_050 } } })
    await phone.platform.advance(1500)
    const tablet = device(collector, 20_000)
    await tablet.sync.ready
    expect(collector.stored['scheduler.history:nps']?.value).toMatchObject({ answered: true, dismissedAt: 11_050 })
    expect(nps(phone.state)).toMatchObject({ answered: true, dismissedAt: 11_050 })
    expect(nps(tablet.state)).toMatchObject({ answered: true, dismissedAt: 11_050 })
  })

  it('a visitor who was shown the survey on the phone and signs in keeps the answer they gave on the laptop', async () => {
    const { collector } = await laptopWrote('scheduler', answeredOnLaptop)
    const phone = createFakePlatform({ now: 50_000 })
    collector.attach(phone)
    const state = createExperienceState(phone, 'a:anon')
    state.set('scheduler', { active: null, lastBlockingShown: 49_000, history: { nps: { ...never, shown: 1, lastShown: 49_000, dismissedAt: 49_100 } } })
    state.switchUser('u:ana', true)
    await syncAna(phone, state).ready
    await phone.advance(3000)
    expect(nps(state).answered).toBe(true)
    expect(collector.stored['scheduler.history:nps']?.value).toMatchObject({ answered: true, dismissedAt: 49_100 })
  })

  it('a checklist finished on the laptop stays finished, with its reward, when the phone, not yet told, dismissed it later', async () => {
    const collector = fakeCollector()
    const laptop = device(collector, 1000)
    const phone = device(collector, 1000)
    laptop.state.set('checklist:onboarding', { status: 'started', done: { a: 900 } })
    phone.state.set('checklist:onboarding', { status: 'started', done: { a: 900 } })
    await laptop.platform.advance(1500)
    await phone.platform.advance(1500)
    laptop.state.set('checklist:onboarding', { status: 'completed', done: { a: 900, b: 2000 } })
    await laptop.platform.advance(1500)
    await phone.platform.advance(5000)
    phone.state.set('checklist:onboarding', { status: 'dismissed', done: { a: 900 } })
    await phone.platform.advance(1500)
    const tablet = device(collector, 20_000)
    await tablet.sync.ready
    expect(collector.stored['checklist:onboarding.status']?.value).toBe('completed')
    expect(phone.state.get('checklist:onboarding')).toEqual({ status: 'completed', done: { a: 900, b: 2000 } })
    expect(tablet.state.get('checklist:onboarding')).toEqual({ status: 'completed', done: { a: 900, b: 2000 } })
  })

  it('an annual offer declined on the laptop stays declined when the phone, not yet told, showed it later', async () => {
    const { collector, laptop, phone } = await laptopAndPhone()
    laptop.state.set('billing', { offer: { variant: 'offer', at: 1000, outcome: 'declined' } })
    await laptop.platform.advance(1500)
    await phone.platform.advance(10_000)
    phone.state.set('billing', { offer: { variant: 'offer', at: 11_000 } })
    await phone.platform.advance(1500)
    const tablet = device(collector, 20_000)
    await tablet.sync.ready
    expect(collector.stored['billing.offer']?.value).toMatchObject({ outcome: 'declined' })
    expect(offerOf(phone.state).outcome).toBe('declined')
    expect(offerOf(tablet.state).outcome).toBe('declined')
  })

  it("an offer declined on the phone while the collector's answer is on its way stays declined, though the answer brings the laptop's later showing of it", async () => {
    const { collector, laptop, phone } = await laptopAndPhone()
    phone.state.set('billing', { offer: { variant: 'offer', at: 1000 } })
    await phone.platform.advance(1500)
    // The laptop, not yet told, shows the offer too: its write is the later one.
    await laptop.platform.advance(4000)
    laptop.state.set('billing', { offer: { variant: 'offer', at: 5000 } })
    await laptop.platform.advance(1500)
    expect(collector.stored['billing.offer']?.value).toEqual({ variant: 'offer', at: 5000 })
    // The phone closes a "what's new"; while that goes out, the user says no thanks to the offer.
    collector.delay = 500
    phone.state.set('announcements', { closed: { v3: 2500 }, read: {} })
    await phone.platform.advance(1000)
    expect(phone.platform.requests.at(-1)!.init.method).toBe('PUT')
    await phone.platform.advance(200)
    phone.state.set('billing', { offer: { variant: 'offer', at: 1000, outcome: 'declined' } })
    await phone.platform.advance(3000)
    expect(offerOf(phone.state).outcome).toBe('declined')
    expect(collector.stored['billing.offer']?.value).toMatchObject({ outcome: 'declined' })
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

describe('an endpoint that is another collector (Segment, RudderStack), which has no /v1/state', () => {
  it('says so once, honestly, and stops asking for an hour: no report and no 404 for each checklist tick', async () => {
    const platform = createFakePlatform()
    platform.respond = (req) => (req.url.includes('/v1/state') ? { status: 404, body: 'Not Found' } : { status: 200, body: '{}' })
    const errors: string[] = []
    const onError = (e: { code: string; message: string }) => errors.push(`${e.code}: ${e.message}`)
    const start = () => startStateSync({ platform, state, endpoint: 'https://api.segment.test', writeKey: 'pk', userId: 'ana', userHash: 'h', userKey: 'u:ana', onError })
    const state = createExperienceState(platform, 'u:ana')
    await start().ready
    const done: Record<string, number> = {}
    for (let task = 0; task < 30; task++) {
      done[`task-${task}`] = 1
      state.set('checklist:onboarding', { status: 'started', done: { ...done } })
      await platform.advance(1100)
    }
    // The same page's sync for the next user (a sign-in) knows it too.
    await start().ready
    await platform.advance(120_000)
    expect(errors).toEqual(['sync-refused: state sync: 404 no /v1/state, asked again in an hour'])
    expect(platform.requests.filter((r) => r.url.includes('/v1/state'))).toHaveLength(1)
  })

  it('a proxy\'s passing 404 (a deploy) does not stop sync for a tab open all day: the checklist ticked meanwhile reaches the other devices an hour later, said once', async () => {
    const platform = createFakePlatform()
    const collector = fakeCollector()
    platform.respond = () => ({ status: 404, body: 'Not Found' })
    const errors: string[] = []
    const state = createExperienceState(platform, 'u:ana')
    await startStateSync({ platform, state, endpoint: 'https://collect.deploying.test', writeKey: 'pk', userId: 'ana', userHash: 'h', userKey: 'u:ana', onError: (e) => errors.push(e.code) }).ready
    // The deploy is over; the user ticks a task five minutes later.
    collector.attach(platform)
    await platform.advance(5 * 60_000)
    state.set('checklist:onboarding', { status: 'started', done: { invite: 1 } })
    await platform.advance(60 * 60_000)
    expect(collector.stored['checklist:onboarding.done:invite']?.value).toBe(1)
    expect(errors).toEqual(['sync-refused'])
  })
})

describe('a collector that says "too many requests"', () => {
  it('waits as long as Retry-After says, then sends every change made meanwhile, without reporting an error', async () => {
    const collector = fakeCollector()
    // The collector refuses this user's requests for the next 30 s.
    let limitedUntil = 30_000
    const { platform, state, sync, errors } = pageWhileBusy(collector, (now) =>
      now < limitedUntil ? { status: 429, headers: { 'Retry-After': String(Math.ceil((limitedUntil - now) / 1000)) }, body: '{"ok":false}' } : undefined,
    )
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
    await syncAna(next, createExperienceState(next, 'u:ana')).ready
    expect(collector.stored['badges.points']?.value).toBe(25)
  })
})

describe('a collector that is upgrading (503 while it migrates)', () => {
  it('comes back when Retry-After says, not on its own shorter backoff, and then sends the change made meanwhile', async () => {
    const collector = fakeCollector()
    // A migration of three minutes: the collector asks every client back in 30 s, as it does.
    const upgradedAt = 180_000
    const { platform, state, sync, errors } = pageWhileBusy(collector, (now) =>
      now < upgradedAt ? { status: 503, headers: { 'Retry-After': '30' }, body: '{"ok":false,"ready":false}' } : undefined,
    )
    await sync.ready
    state.set('badges', { earned: { first: 5 }, points: 10, level: 0 })
    const asked: number[] = []
    const seen = () => {
      while (asked.length < platform.requests.length) asked.push(platform.now())
    }
    for (let t = 0; t < 240_000; t += 500) {
      seen()
      await platform.advance(500)
    }
    seen()
    // Never sooner than the 30 s the collector asked for, while it answered 503.
    const gaps = asked.slice(1).map((at, i) => at - asked[i]!).filter((_, i) => asked[i]! < upgradedAt)
    expect(gaps.filter((gap) => gap < 30_000)).toEqual([])
    // Back up: the change goes out, and nothing was reported to the host.
    expect(collector.stored['badges.points']?.value).toBe(10)
    expect(errors).toEqual([])
    sync.stop()
  })
})

describe("a month's value review, shown once for one person", () => {
  const DEC_2 = Date.UTC(2026, 11, 2, 12)
  const DEC_3 = Date.UTC(2026, 11, 3, 12)
  const review = (state: { get<T>(key: string): T | undefined }) => state.get<{ shown: string }>('review:monthly')?.shown
  /** The laptop showed November's review on December 2 and synced it. */
  const novemberOnLaptop = () => laptopWrote('review:monthly', { shown: '2026-11', at: DEC_2 }, DEC_2)
  /** The phone on December 3: a visitor's review record, then the sign-in, then the user's sync on the next page. */
  const visitorSignsInOnPhoneWith = async (collector: Collector, record: object) => {
    const { next, state } = await visitorSignsInOnPhone(collector, DEC_3, 'review:monthly', record)
    await next.advance(3000)
    return state
  }

  it("a visitor last shown October's review signs in on the phone: November's, shown on the laptop, does not come again on the phone or the laptop", async () => {
    const { collector, laptop } = await novemberOnLaptop()
    const phone = await visitorSignsInOnPhoneWith(collector, { shown: '2026-10', at: Date.UTC(2026, 10, 1) })
    expect(collector.stored['review:monthly']?.value).toMatchObject({ shown: '2026-11' })
    expect(review(phone)).toBe('2026-11')
    await laptop.platform.advance(60_000)
    laptop.state.set('checklist:onboarding', { status: 'started', done: {} })
    await laptop.platform.advance(1500)
    expect(review(laptop.state)).toBe('2026-11')
  })

  it("a visitor's record from a clock that ran months ahead does not silence the review: November's, shown on the laptop, stays the month shown", async () => {
    const { collector } = await novemberOnLaptop()
    const phone = await visitorSignsInOnPhoneWith(collector, { shown: '2027-08', at: Date.UTC(2027, 8, 1) })
    expect(collector.stored['review:monthly']?.value).toMatchObject({ shown: '2026-11' })
    expect(review(phone)).toBe('2026-11')
  })

  it("a month a wrong clock once wrote gives way to the month the phone then shows: it is not kept over it on the phone or the collector", async () => {
    // The laptop's clock once ran to September 2027.
    const { collector } = await laptopWrote('review:monthly', { shown: '2027-08', at: Date.UTC(2027, 8, 1) }, Date.UTC(2027, 8, 1))
    // The phone, on December 2: the record is ahead of the month, so November's review was due and shown.
    const phone = device(collector, DEC_2)
    await phone.sync.ready
    phone.state.set('review:monthly', { shown: '2026-11', at: DEC_2 })
    await phone.platform.advance(3000)
    expect(collector.stored['review:monthly']?.value).toMatchObject({ shown: '2026-11' })
    expect(review(phone.state)).toBe('2026-11')
  })

  it("a phone whose clock runs weeks behind takes the collector's later month and does not send its own back and forth", async () => {
    const { collector } = await novemberOnLaptop()
    collector.now = () => DEC_3
    // The phone thinks it is mid-October: it takes in November's record, and shows September's review.
    const phone = device(collector, Date.UTC(2026, 9, 15))
    await phone.sync.ready
    phone.state.set('review:monthly', { shown: '2026-09', at: Date.UTC(2026, 9, 15) })
    await phone.platform.advance(3000)
    expect(collector.stored['review:monthly']?.value).toMatchObject({ shown: '2026-11' })
    expect(review(phone.state)).toBe('2026-11')
    const sent = phone.platform.requests.length
    await phone.platform.advance(30_000)
    expect(phone.platform.requests.length).toBe(sent)
  })
})

describe('a failed payment on the laptop and the phone', () => {
  const DAY = 86_400_000
  const payment: Billing = { paymentPrompt: { id: 'card-failed', title: 'Your last payment failed', action: 'Update card', wallAfterDays: 5, remindAfterHours: 24 } }
  type Due = Record<string, { pastDueSeenAt?: number; snoozedUntil?: number; prompted?: unknown }>
  const dueOf = (state: { get<T>(key: string): T | undefined }) => state.get<{ due: Due }>('billing')!.due

  /** A page of the app on one device: its state synced for Ana, its billing prompts on her traits. */
  function page(collector: Collector, platform: FakePlatform, groupId: string, paymentStatus = 'past_due') {
    collector.attach(platform)
    const state = createExperienceState(platform, 'u:ana')
    const sync = syncAna(platform, state)
    const t = createTestHost({ billing: payment }, { platform })
    // The vendor's billing portal: without it a wall stays a banner.
    Object.assign(t.host, { state })
    Object.assign(t.host.handlers, { onUpdatePayment: () => {} })
    const user = t.host.user as WritableAtom<UserView>
    user.set({ ...user.get(), groupId, groupTraits: { paymentStatus } })
    const billing = createBilling(t.host)
    const close = () => (billing.dispose(), sync.stop(), $bannerClaims.set({}))
    return { ...t, state, sync, billing, user, close }
  }
  /** The laptop, on workspace A since 1000, has synced A's failure; then the phone opens A at `phoneAt` and hears of it. */
  async function failureOnLaptopThenPhone(phoneAt: number) {
    const collector = fakeCollector()
    const laptopTab = createFakePlatform({ now: 1000 })
    const laptop = page(collector, laptopTab, 'acct_a')
    await laptop.sync.ready
    await laptopTab.advance(1500)
    const phoneTab = createFakePlatform({ now: phoneAt })
    const phone = page(collector, phoneTab, 'acct_a')
    await phone.sync.ready
    return { collector, laptopTab, laptop, phoneTab, phone }
  }
  /** `after` ms on, the laptop loads its next page on workspace A, whose payment is `paymentStatus`. */
  async function laptopNextPage(collector: Collector, laptopTab: FakePlatform, after: number, paymentStatus?: string) {
    await laptopTab.advance(after)
    const next = page(collector, laptopTab, 'acct_a', paymentStatus)
    await next.sync.ready
    await laptopTab.advance(10)
    return next
  }

  it("'Remind me later' on the laptop holds when the phone, open on another workspace, writes its own workspace's prompt later", async () => {
    // The phone opens workspace B, having heard of A's failure.
    const { collector, laptopTab, laptop, phoneTab, phone } = await failureOnLaptopThenPhone(5000)
    phone.user.set({ ...phone.user.get(), groupId: 'acct_b' })
    // On the laptop, "Remind me later".
    laptop.billing.dismiss('card-failed')
    await laptopTab.advance(1500)
    // The phone's write (B's first sighting) goes out later.
    await phoneTab.advance(20_000)
    laptop.close()
    phone.close()
    // An hour later the laptop loads the next page: A's banner is still put off for the day.
    const next = await laptopNextPage(collector, laptopTab, 3_600_000)
    expect(next.billing.$banner.get()).toBeNull()
    expect(dueOf(next.state).acct_a!.snoozedUntil).toBeGreaterThan(laptopTab.now())
    expect(dueOf(next.state).acct_b!.pastDueSeenAt).toBe(5000)
    next.close()
  })

  it('two devices in two workspaces keep each workspace\'s first-seen date: the wall comes on the day it is due, not later', async () => {
    const collector = fakeCollector()
    const laptopTab = createFakePlatform({ now: 1000 })
    const laptop = page(collector, laptopTab, 'acct_a')
    await laptop.sync.ready
    const phoneTab = createFakePlatform({ now: 1200 })
    const phone = page(collector, phoneTab, 'acct_b')
    await phone.sync.ready
    // Each writes its workspace's first sighting before hearing of the other's: the phone's goes last.
    await laptopTab.advance(1500)
    await phoneTab.advance(3000)
    laptop.close()
    phone.close()
    // Five days on (wallAfterDays), the laptop opens workspace A again: the wall.
    const next = await laptopNextPage(collector, laptopTab, 5 * DAY)
    expect(dueOf(next.state).acct_a!.pastDueSeenAt).toBe(1000)
    expect(dueOf(next.state).acct_b!.pastDueSeenAt).toBe(1200)
    expect(next.billing.$wall.get()?.id).toBe('card-failed')
    next.close()
  })

  it('paid again on the laptop: the phone\'s older past-due record, written later, does not bring the prompt back nor count the recovery twice', async () => {
    const { collector, laptopTab, laptop, phoneTab, phone } = await failureOnLaptopThenPhone(1000)
    await phoneTab.advance(1500)
    expect(dueOf(phone.state).acct_a).toEqual(dueOf(laptop.state).acct_a)
    // The laptop hears the card went through.
    laptop.user.set({ ...laptop.user.get(), groupTraits: { paymentStatus: 'active' } })
    expect(laptop.events('Payment Prompt Resolved')).toHaveLength(1)
    await laptopTab.advance(1500)
    // The phone, on a page loaded before the payment, moves to day 1 of the prompt; the user puts
    // it away, and that write goes out as the page hides: later than the laptop's.
    await phoneTab.advance(DAY)
    phone.track('Page Viewed')
    expect(dueOf(phone.state).acct_a!.prompted).toEqual({ stage: 'banner', daysPastDue: 1 })
    phone.billing.dispose()
    phoneTab.hide()
    await phoneTab.advance(10)
    phone.close()
    laptop.close()
    // The laptop's next page, with the account active: nothing recovered a second time.
    const next = await laptopNextPage(collector, laptopTab, DAY + 60_000, 'active')
    expect(dueOf(next.state).acct_a).not.toHaveProperty('prompted')
    expect(next.events('Payment Prompt Resolved')).toEqual([])
    next.close()
  })

  it("'Remind me later' on the laptop holds when the phone, open on the same workspace and not told, moves the prompt to day 1 later: on the laptop's next page and on the phone", async () => {
    const { collector, laptopTab, laptop, phoneTab, phone } = await failureOnLaptopThenPhone(2000)
    await phoneTab.advance(1500)
    // Late on day 0, on the laptop: "Remind me later".
    await laptopTab.advance(23 * 3_600_000)
    laptop.billing.dismiss('card-failed')
    await laptopTab.advance(1500)
    expect(collector.stored['billing.due:acct_a']?.value).toHaveProperty('snoozedUntil')
    // Early on day 1 the phone, its tab open all along, moves the prompt to day 1: its write is the later one.
    await phoneTab.advance(24 * 3_600_000)
    phone.track('Page Viewed')
    await phoneTab.advance(1500)
    expect(phone.billing.$banner.get()).toBeNull()
    laptop.close()
    phone.close()
    // Two hours later, the laptop's next page: the banner is still put off.
    const next = await laptopNextPage(collector, laptopTab, 2 * 3_600_000)
    expect(next.billing.$banner.get()).toBeNull()
    next.close()
  })

  it("'Remind me later' tapped on the phone as it comes back to the tab holds, though the answer to its question for news brings the laptop's day-1 prompt", async () => {
    const { collector, laptopTab, laptop, phoneTab, phone } = await failureOnLaptopThenPhone(1000)
    await phoneTab.advance(1500)
    phoneTab.hide()
    // A day on, the laptop moves to day 1 of the prompt.
    await laptopTab.advance(DAY)
    laptop.track('Page Viewed')
    await laptopTab.advance(1500)
    expect(collector.stored['billing.due:acct_a']?.value).toMatchObject({ prompted: { stage: 'banner', daysPastDue: 1 } })
    // The user picks up the phone: its tab asks for news; before the answer comes, they put the banner off.
    await phoneTab.advance(DAY)
    collector.delay = 500
    phoneTab.show()
    await phoneTab.advance(100)
    expect(phone.billing.$banner.get()?.id).toBe('card-failed')
    phone.billing.dismiss('card-failed')
    await phoneTab.advance(3000)
    expect(phone.billing.$banner.get()).toBeNull()
    expect(dueOf(phone.state).acct_a!.snoozedUntil).toBeGreaterThan(phoneTab.now())
    // And the collector holds it: the laptop's next page puts the banner off too.
    expect(collector.stored['billing.due:acct_a']?.value).toMatchObject({ snoozedUntil: dueOf(phone.state).acct_a!.snoozedUntil })
    laptop.close()
    phone.close()
  })

  it('a failure on the user\'s own traits (no workspace), or in a workspace of any name, syncs as its own record too', async () => {
    const { collector } = await laptopWrote('billing', { due: { '': { pastDueSeenAt: 900 }, acct_a: { pastDueSeenAt: 950 }, 'acme.io\nEU': { pastDueSeenAt: 990 } } })
    const tablet = device(collector, 20_000)
    await tablet.sync.ready
    expect(dueOf(tablet.state)).toEqual({ '': { pastDueSeenAt: 900 }, acct_a: { pastDueSeenAt: 950 }, 'acme.io\nEU': { pastDueSeenAt: 990 } })
  })
})
