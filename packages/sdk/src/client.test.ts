import { computed } from 'nanostores'
import { describe, expect, it, vi } from 'vitest'
import { createLinger, type Linger } from './client'
import type { LingerOptions } from './config/init-options'
import { createFakePlatform, type FakeAnswer, type FakePlatform } from './fake-platform'
import type { LingerEvent } from './events'
import { wins } from './sync/merge'
import { createFront } from './snippet/replay'
// Loaded ahead, as a page that already synced has it: a sign-in's wait is then the collector's.
import './sync/state-sync'
// The start chunk (with what sends events on a schedule), loaded ahead as a page has it a few ms
// after start: its import() then settles within the fake clock's turns, not after a file read.
import './config/boot'
// Another tab's outbox (left by a destroyed client) is adopted by a chunk of its own: loaded ahead too.
import './transport/adopt'

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

  it('sends to {endpoint}/v1/batch when the endpoint ends with slashes too (no //v1/batch a collector would 404)', async () => {
    const { p } = start(createFakePlatform(), { endpoint: 'https://collect.example.com//', flows: { version: 1 } })
    await p.advance(2000)
    expect(p.requests[0].url).toBe('https://collect.example.com/v1/batch')
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
    const identify = sent(p).find((e) => e.type === 'identify')
    const after = sent(p).find((e) => e.event === 'After')
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

  it('refuses ids and event names the collector would refuse, by name, and keeps the user signed in and their other events', async () => {
    const { p, linger } = start(createFakePlatform(), { flows: { version: 1 } })
    const errors: string[] = []
    linger.on('error', (e) => errors.push(e.message))
    linger.identify('ada')
    linger.identify('u'.repeat(201))
    linger.track('Checkout ' + 'x'.repeat(200))
    linger.page('P'.repeat(201))
    linger.track('Later')
    await p.advance(2000)
    expect(errors).toEqual([
      'identify needs a user id (a non-empty string of at most 200 characters), got "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu…" (201 characters)',
      'track needs an event name (a non-empty string of at most 200 characters), got "Checkout xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…" (209 characters)',
      'page needs a name of at most 200 characters, got "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP…" (201 characters)',
    ])
    linger.identify('ada', {}, { userHash: 123 as unknown as string })
    expect(errors.pop()).toBe('identify needs a userHash that is a string (hex), got number')
    // Every event still goes, as Ada's (the landing page view too: she is who the page named in
    // the task it started in), the page view without its name.
    expect(sent(p).map((e) => `${e.type}:${e.event ?? e.name ?? ''}:${e.userId}`)).toEqual(['identify::ada', 'page::ada', 'page::ada', 'track:Later:ada'])
  })

  it('refuses a user id the collector refuses (U+0001 first: its mark of a visitor) or cannot store (a NUL), by name: the device does not lose every event after it', async () => {
    const { p, linger } = start(createFakePlatform(), { flows: { version: 1 } })
    const errors: string[] = []
    linger.on('error', (e) => errors.push(e.message))
    linger.identify('ada')
    linger.identify('\u0001ada')
    linger.identify('ada\u0000')
    linger.track('Later')
    await p.advance(2000)
    expect(errors).toEqual([
      'identify needs a user id without NUL or U+0001 first, got "\u0001ada"',
      'identify needs a user id without NUL or U+0001 first, got "ada\u0000"',
    ])
    // Still Ada, on this page and the next (a refused id once stored was put on every event).
    expect(sent(p).map((e) => `${e.type}:${e.event ?? ''}:${e.userId}`)).toEqual(['identify::ada', 'page::ada', 'track:Later:ada'])
    expect(JSON.parse(p.storage.get('linger:identity')!).userId).toBe('ada')
  })

  it('refuses a group id holding a NUL, by name: stored, it made the next page drop who was signed in', async () => {
    const { p, linger } = start(createFakePlatform(), { flows: { version: 1 } })
    const errors: string[] = []
    linger.on('error', (e) => errors.push(e.message))
    linger.identify('ada')
    linger.group('acme\u0000')
    linger.track('Later')
    await p.advance(2000)
    expect(errors).toEqual(['group needs a group id without NUL, got "acme\u0000"'])
    expect(sent(p).map((e) => `${e.type}:${e.event ?? ''}:${e.userId}`)).toEqual(['identify::ada', 'page::ada', 'track:Later:ada'])
    expect(JSON.parse(p.storage.get('linger:identity')!).groupId).toBeUndefined()
  })

  it("page() takes its properties first, as Segment's analytics.page does, and says so of a name that is no string", async () => {
    const { p, linger } = start(createFakePlatform(), { flows: { version: 1 } })
    const errors: string[] = []
    linger.on('error', (e) => errors.push(e.message))
    // A vendor moving from Segment keeps its calls: the plan goes with the page view.
    linger.page({ plan: 'pro' })
    ;(linger.page as (n: unknown) => void)(42)
    await p.advance(2000)
    // The first, on the screen the user landed on, is the landing page view itself.
    const views = sent(p).filter((e) => e.type === 'page')
    expect(views.map((e) => [e.name ?? '', e.properties?.plan ?? ''])).toEqual([
      ['', 'pro'],
      ['', ''],
    ])
    expect(errors).toEqual(['page needs a name (a string), got number'])
  })

  it('the npm object never throws into the page, whatever it is handed', async () => {
    const { p, linger } = start()
    const errors: string[] = []
    linger.on('error', (e) => errors.push(e.code))
    const boom = () => {
      throw new Error('boom')
    }
    expect(() => {
      linger.identify('ada', {}, new Proxy({}, { get: boom }))
      linger.cancel(Object.defineProperty({}, 'onCancel', { enumerable: true, get: boom }))
      const off = linger.on({ toString: boom } as unknown as string, () => {})
      off()
      linger.off({ toString: boom } as unknown as string, () => {})
    }).not.toThrow()
    expect(errors).toEqual(['invalid-call', 'invalid-call', 'invalid-call', 'invalid-call'])
    // A ready listener added after ready that throws is logged like any listener, not left to reject.
    await linger.ready
    linger.on('ready', boom)
    await p.advance(0)
    expect(p.logs.some((l) => l[1] === 'a listener threw')).toBe(true)
  })

  it('group() called again for the same account keeps its plan and billing traits (audiences read them)', async () => {
    const { p, linger } = start()
    linger.identify('ada')
    linger.group('acme', { plan: 'enterprise', paymentStatus: 'past_due' })
    // Another route of the app names the account without its traits.
    linger.group('acme')
    linger.group('acme', { seats: 12 })
    expect(linger.host.user.get().groupTraits).toEqual({ plan: 'enterprise', paymentStatus: 'past_due', seats: 12 })
    // A page load later, the same.
    const next = createFakePlatform({ shared: p.storageMap })
    expect(start(next).linger.host.user.get().groupTraits).toEqual({ plan: 'enterprise', paymentStatus: 'past_due', seats: 12 })
    // Another account: its own traits only.
    linger.group('globex', { plan: 'free' })
    expect(linger.host.user.get()).toMatchObject({ groupId: 'globex', groupTraits: { plan: 'free' } })
  })

  it('group(), reset() and the other commands never throw into the page either, and still do their work', async () => {
    const { p, linger } = start()
    const errors: string[] = []
    linger.on('error', (e) => errors.push(e.code))
    const boom = () => {
      throw new Error('boom')
    }
    linger.identify('ada')
    expect(() => linger.group('acme', {}, new Proxy({}, { get: boom }))).not.toThrow()
    // The host's own listeners, buggy, hear the account change and the sign-out.
    linger.host.user.listen(boom)
    linger.usage.listen(boom)
    expect(() => linger.group('globex', { plan: 'pro' })).not.toThrow()
    expect(() => linger.reset()).not.toThrow()
    expect(linger.host.user.get().userId).toBeUndefined()
    await p.advance(2000)
    // The account call went out all the same.
    expect(sent(p).filter((e) => e.type === 'group').map((e) => `${e.groupId}:${e.userId}`)).toEqual(['globex:ada'])
    // An experience that fails to explain itself; a storage that refuses to remember an opt-out.
    await linger.ready
    linger.experiences.checklists!.why = boom
    expect(linger.why('getting-started')).toEqual({ id: 'getting-started', show: false, reasons: ['unknown-experience'] })
    const { set, remove } = p.storage
    p.storage.set = (key, value) => (key === 'linger:optout' ? boom() : set(key, value))
    p.storage.remove = (key) => (key === 'linger:optout' ? boom() : remove(key))
    linger.track('Before Opt-Out')
    expect(() => linger.optOut()).not.toThrow()
    linger.track('After Opt-Out')
    await p.advance(2000)
    expect(sent(p).filter((e) => e.event?.endsWith('Opt-Out'))).toEqual([])
    expect(() => linger.optIn()).not.toThrow()
    expect(errors).toEqual(Array(7).fill('invalid-call'))
  })

  it('a user who signs in while a host usage listener throws is still announced to the collector', async () => {
    const { p, linger } = start(createFakePlatform(), { flows: { version: 1 } })
    linger.track('Task Created')
    linger.usage.listen(() => {
      throw new Error('host bug')
    })
    linger.identify('u_42', { plan: 'pro' })
    await p.advance(3000)
    expect(sent(p).filter((e) => e.type === 'identify').map((e) => `${e.userId}:${e.traits?.plan}`)).toEqual(['u_42:pro'])
  })

  it('a page view at init goes out once, as the user the page names right away (identify in the same task), not the one this browser stored: a shared laptop whose last user never logged out', async () => {
    const p = createFakePlatform()
    start(p, { flows: { version: 1 } }).linger.identify('bob', {}, { userHash: 'bob-hash' })
    await p.advance(2000)
    const next = createFakePlatform({ shared: p.storageMap, seed: 2 })
    const { linger } = start(next, { flows: { version: 1 } })
    linger.identify('ann', {}, { userHash: 'ann-hash' })
    linger.track('Report Exported')
    await next.advance(2000)
    expect(sent(next).map((e) => `${e.type}:${e.userId}:${e.context.userHash}`)).toEqual(['identify:ann:ann-hash', 'page:ann:ann-hash', 'track:ann:ann-hash'])
  })

  it('a snippet that queued identify() before init sends the landing page view as that user, not as the last one this browser stored', async () => {
    const p = createFakePlatform()
    // Bob used this browser last and his session expired (no reset()); Ann signs in.
    p.storage.set('linger:identity', JSON.stringify({ anonymousId: 'anon-1', userId: 'bob', userHash: 'bob-hash', traits: {}, groupTraits: {} }))
    const { replay } = createFront((options, site, queued) => createLinger(options as LingerOptions, { platform: p, site, queued }), '', () => {})
    const home = 'https://app.example.com/home'
    replay([
      [['identify', 'ann', {}, { userHash: 'ann-hash' }], 1000, home, 'Home'],
      [['init', { key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }], 1001, home, 'Home'],
      [['track', 'Report Exported'], 1002, home, 'Home'],
    ])
    await p.advance(3000)
    // In the order they were made: the identify, init's page view, what came after init.
    expect(sent(p).map((e) => `${e.type}:${e.context.page.path}:${e.userId}:${e.context.userHash}`)).toEqual([
      'identify:/home:ann:ann-hash',
      'page:/home:ann:ann-hash',
      'track:/home:ann:ann-hash',
    ])
  })

  it('mounted, destroyed and mounted again (React Strict Mode), one landing is one page view, this page or the next', async () => {
    const shared = new Map<string, string>()
    const p = createFakePlatform({ shared, seed: 1 })
    p.setPage({ url: 'https://app.example.com/landing', path: '/landing' })
    start(p, { flows: { version: 1 } }).linger.destroy()
    const second = start(p, { flows: { version: 1 } }).linger
    await p.advance(30_000)
    second.destroy()
    p.close()
    // The user opens the app again later: that page sends what the last one left in storage.
    const next = createFakePlatform({ shared, seed: 2 })
    next.setPage({ url: 'https://app.example.com/next', path: '/next' })
    const again = start(next, { flows: { version: 1 } }).linger
    await next.advance(30_000)
    again.destroy()
    const landings = [...sent(p), ...sent(next)].filter((e) => e.type === 'page' && e.context.page.path === '/landing')
    expect(new Set(landings.map((e) => e.messageId)).size).toBe(1)
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

  it('why() names the condition the audience of a tour failed on, after more events the tour did not hear', async () => {
    const tour = { id: 't', trigger: { event: 'Opened Board' }, audience: { event: 'Task Created', count: { gte: 3 } }, steps: [{ id: 's', target: '#s', title: 'Look here' }] }
    const { linger } = start(createFakePlatform(), { flows: { version: 1, tours: [tour] } })
    await linger.ready
    linger.track('Opened Board')
    linger.track('Task Created')
    linger.track('Opened Board')
    linger.track('Task Created')
    linger.track('Task Created')
    expect(linger.why('t').reasons).toEqual(['audience', 'event "Task Created" count gte 3 (was 1)'])
  })

  it('hands the widgets (linger.host) a usage profile that stays as it was read, as linger.usage does', async () => {
    const { linger } = start()
    await linger.ready
    linger.track('Task Created')
    const kept = linger.host.usage.get()
    const seen: number[] = []
    const unlisten = computed(linger.host.usage, (p) => p.events).listen((events) => seen.push(events['Task Created']!.count))
    linger.track('Task Created')
    linger.track('Task Created')
    unlisten()
    expect(kept.events['Task Created']!.count).toBe(1)
    expect(seen).toEqual([2, 3])
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
    // Not tracked in the user's click: the tours it triggers are not theirs (experiences/tours.asked.test.ts).
    expect(seen).toHaveBeenCalledWith('Project Created', {}, expect.any(Number), null)
  })

  it('a client destroyed while its flows document loads never starts the engine, mounts widgets or reports', async () => {
    const p = createFakePlatform()
    let answer!: (a: FakeAnswer) => void
    p.respond = () => new Promise<FakeAnswer>((r) => (answer = r))
    const mounted = vi.fn()
    const errors = vi.fn()
    const linger = createLinger({ key: 'k', endpoint: '', flows: 'https://cdn.example.com/flows.json' }, { platform: p, onExperiences: mounted })
    linger.on('error', errors)
    await p.advance(0)
    linger.destroy()
    answer({ status: 200, body: JSON.stringify(flows) })
    await linger.ready
    await p.advance(60_000)
    expect(mounted).not.toHaveBeenCalled()
    expect(linger.experiences).toEqual({})
    expect(p.storage.keys('linger:state:')).toEqual([])
    expect(errors).not.toHaveBeenCalled()
  })

  it("a survey triggered at ready, while the script-tag runtime's widgets are still on their way, waits for their screen and then for the page's dialog; ready does not wait for them", async () => {
    // The engine is in (warm), the mount is still on its way when the user's export lands.
    await Promise.all([import('./engine'), import('./config/validate-flows')])
    const p = createFakePlatform()
    let mount!: () => void
    const asked = vi.fn()
    const onExperiences = (api: Linger) =>
      new Promise<void>((resolve) => {
        // The mount's screen, with the page's own modal dialog open: nothing may open yet.
        mount = () => resolve(void (api.host.screen = { when: asked }))
      })
    const surveys = [{ id: 'ease', kind: 'ces', question: 'Was exporting easy?', trigger: { event: 'Report Exported' } }]
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1, surveys } }, { platform: p, onExperiences })
    linger.track('Report Exported')
    await vi.waitFor(async () => expect(await p.advance(10).then(() => mount)).toBeTypeOf('function'))
    await linger.ready
    await p.advance(5000)
    expect(sent(p).filter((e) => e.event === 'Survey Shown')).toEqual([])
    mount()
    await p.advance(5000)
    expect(asked).toHaveBeenCalled()
    expect(sent(p).filter((e) => e.event === 'Survey Shown')).toEqual([])
  })

  it("an answer an experience sends late (a \"No thanks\" given on the laptop three weeks ago, sent from the phone now) carries the time it was given", async () => {
    const { p, linger } = start(createFakePlatform(), { flows: { version: 1 } })
    const said = p.now() - 21 * 86_400_000
    linger.host.emit('Plan Offer Declined', { offerId: 'go-annual' }, { messageId: 'plan-offer-declined:go-annual', time: said })
    await p.advance(2000)
    const declined = sent(p).filter((e) => e.event === 'Plan Offer Declined')
    expect(declined.map((e) => [e.messageId, e.timestamp])).toEqual([['plan-offer-declined:go-annual', new Date(said).toISOString()]])
    // On this phone the user is here now: not someone away three weeks ("welcome back" audiences read this).
    const { firstSeen, lastSeen } = linger.usage.get()
    expect([firstSeen, lastSeen]).toEqual([p.now() - 2000, p.now() - 2000])
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

  it('a visitor who ticked a task and signs in is not granted it again: one grant, as the user', async () => {
    const { p, linger } = start()
    await linger.ready
    linger.track('Project Created')
    await p.advance(3000)
    linger.identify('u_42')
    linger.track('Page Looked At')
    await p.advance(3000)
    const grants = sent(p).filter((e) => e.event === 'Checklist Task Completed' || e.event === 'Checklist Completed')
    expect(grants.map((e) => e.event)).toEqual(['Checklist Task Completed', 'Checklist Completed'])
    expect(grants.every((e) => e.userId === undefined)).toBe(true)
  })

  it('a user who signs out, earns a badge as a visitor and signs back in is not granted it again, and has both badges\' points', async () => {
    const badges = [
      { id: 'first', title: 'First project', points: 60, rule: { event: 'Project Created', count: { gte: 1 } } },
      { id: 'reporter', title: 'Reporter', points: 40, rule: { event: 'Report Exported', count: { gte: 1 } } },
    ]
    const { p, linger } = start(createFakePlatform(), { flows: { version: 1, badges } })
    await linger.ready
    linger.identify('u_42')
    linger.track('Project Created')
    await p.advance(3000)
    linger.reset()
    linger.track('Report Exported')
    await p.advance(3000)
    linger.identify('u_42')
    linger.track('Page Looked At')
    await p.advance(3000)
    expect(sent(p).filter((e) => e.event === 'Badge Earned').map((e) => [e.properties?.badgeId, e.userId ?? 'visitor'])).toEqual([
      ['first', 'u_42'],
      ['reporter', 'visitor'],
    ])
    expect(linger.experiences.badges!.$state.get()).toMatchObject({ earned: { first: expect.any(Number), reporter: expect.any(Number) }, points: 100 })
  })

  it('a user who signs out, finishes a list and reaches a level as a visitor, and signs back in is granted neither again', async () => {
    const progress = {
      version: 1,
      levels: [{ name: 'Newcomer', points: 0 }, { name: 'Regular', points: 50 }],
      checklists: [{ id: 'start', title: 'Start', tasks: [{ id: 'p', title: 'Create', doneWhen: { event: 'Project Created' } }, { id: 'r', title: 'Export', doneWhen: { event: 'Report Exported' } }] }],
      badges: [{ id: 'first', title: 'First project', points: 60, rule: { event: 'Project Created', count: { gte: 1 } } }],
    }
    const { p, linger } = start(createFakePlatform(), { flows: progress })
    await linger.ready
    linger.identify('u_42')
    await p.advance(3000)
    linger.reset()
    linger.track('Project Created')
    linger.track('Report Exported')
    await p.advance(3000)
    linger.identify('u_42')
    linger.track('Page Looked At')
    await p.advance(3000)
    const grants = sent(p).filter((e) => ['Checklist Completed', 'Level Reached', 'Badge Earned'].includes(e.event!))
    expect(grants.map((e) => [e.event, e.userId ?? 'visitor'])).toEqual([
      ['Badge Earned', 'visitor'],
      ['Level Reached', 'visitor'],
      ['Checklist Completed', 'visitor'],
    ])
    expect(linger.experiences.checklists!.$checklists.get().map((l) => l.status)).toEqual(['completed'])
    expect(linger.experiences.badges!.$state.get()).toMatchObject({ points: 60, level: 1 })
  })

  it('a visitor whose page signs them in as it loads (the page after a login) brings their progress: nothing granted again', async () => {
    const shared = new Map<string, string>()
    const first = start(createFakePlatform({ seed: 1, shared }))
    await first.linger.ready
    first.linger.track('Project Created')
    await first.p.advance(3000)
    first.p.close()
    // The next page: identify() runs before the start chunk (and the experience state) is there.
    const next = start(createFakePlatform({ seed: 2, shared }))
    next.linger.identify('u_42')
    await next.linger.ready
    next.linger.track('Page Looked At')
    await next.p.advance(3000)
    const grants = [first.p, next.p].flatMap((p) => sent(p)).filter((e) => e.event === 'Checklist Task Completed' || e.event === 'Checklist Completed')
    expect(grants.map((e) => [e.event, e.userId ?? 'visitor'])).toEqual([
      ['Checklist Task Completed', 'visitor'],
      ['Checklist Completed', 'visitor'],
    ])
    expect(next.linger.experiences.checklists!.$checklists.get().map((l) => l.status)).toEqual(['completed'])
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
      // The host's own listener bug is reported, not thrown into the page from identify().
      expect(() => a.linger.identify('u_42')).not.toThrow()
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
  describe('a page Chrome prerenders (speculation rules) that the user may never see', () => {
    /** A fake page being prerendered: `activate()` is the user navigating to it. */
    function prerendered() {
      const p = createFakePlatform()
      const activations: Array<() => void> = []
      p.prerendered = (fn) => (activations.push(fn), true)
      return { p, activate: () => activations.splice(0).forEach((fn) => fn()) }
    }

    it('sends nothing, and leaves nothing for the next page to send, while it is not shown', async () => {
      const { p } = prerendered()
      const { linger } = start(p, { flows: { version: 1 } })
      linger.track('Project Created')
      await p.advance(60_000)
      // Discarded unseen (the user went elsewhere).
      p.pageHide()
      await p.advance(0)
      p.close()
      expect(p.requests).toEqual([])
      expect(p.beacons).toEqual([])
      // The next page of the site (or another tab) finds nothing of it to send.
      const next = createFakePlatform({ shared: p.storageMap, now: p.now() + 1000 })
      start(next, { flows: { version: 1 } })
      await next.advance(10 * 60_000)
      expect(sent(next).map((e) => e.type + ':' + (e.event ?? ''))).toEqual(['page:'])
    })

    it('once shown, sends its landing page view first, then what was tracked while prerendering, nothing lost', async () => {
      const { p, activate } = prerendered()
      const { linger } = start(p, { flows: { version: 1 } })
      linger.track('Project Created', { n: 1 })
      await p.advance(30_000)
      expect(p.requests).toEqual([])
      const shownAt = p.now()
      activate()
      linger.track('Project Created', { n: 2 })
      await p.advance(2000)
      expect(sent(p).map((e) => `${e.type}:${e.event ?? ''}:${e.properties?.n ?? ''}`)).toEqual(['page::', 'track:Project Created:1', 'track:Project Created:2'])
      // The page view is when the user saw the page, not when Chrome loaded it.
      expect(Date.parse(sent(p)[0].timestamp)).toBe(shownAt)
    })

    it('counts nothing toward the user\'s usage or progress, and opens nothing, until shown; then all of it, once', async () => {
      const { p, activate } = prerendered()
      const progress = {
        version: 1,
        checklists: [{ id: 'start', title: 'Start', tasks: [{ id: 'p', title: 'Create', doneWhen: { event: 'Project Created' } }] }],
        badges: [{ id: 'first', title: 'First project', points: 5, rule: { event: 'Project Created', count: { gte: 1 } } }],
        announcements: [{ id: 'v3', format: 'modal', title: 'Acme 3.0', body: 'A faster editor.' }],
      }
      const { linger } = start(p, { flows: progress })
      const heard: string[] = []
      linger.on('project:created', () => heard.push('Project Created'))
      // The app tracks as it loads, in a page Chrome loaded ahead of a navigation the user may never make.
      linger.track('Project Created')
      linger.page('Dashboard')
      await linger.ready
      await p.advance(30_000)
      const seen = () => ({
        count: linger.usage.get().events['Project Created']?.count ?? 0,
        days: linger.usage.get().activeDays?.length ?? 0,
        done: Object.keys(linger.experiences.checklists!.$checklists.get()[0]?.done ?? {}),
        earned: Object.keys(linger.experiences.badges!.$state.get().earned),
        modal: linger.experiences.announcements!.$modal.get()?.id ?? null,
        heard: heard.length,
      })
      expect(seen()).toEqual({ count: 0, days: 0, done: [], earned: [], modal: null, heard: 0 })
      // The user goes there: it all happens now, once.
      activate()
      await p.advance(2000)
      expect(seen()).toEqual({ count: 1, days: 1, done: ['p'], earned: ['first'], modal: 'v3', heard: 1 })
      expect(sent(p).map((e) => `${e.type}:${e.event ?? e.name ?? ''}`).filter((e) => !e.startsWith('track:Badge') && !e.startsWith('track:Checklist') && !e.startsWith('track:Announcement'))).toEqual([
        'page:',
        'track:Project Created',
        'page:Dashboard',
      ])
    })
  })
})

describe('a verified user who signs in on this device', () => {
  const whatsNew = { version: 1, announcements: [{ id: 'v3', format: 'modal', title: 'Acme 3.0', body: 'A faster editor.' }] }
  // For customers only: the visitor Ana was on this phone never saw it (what a visitor closed
  // comes with them as they sign in, experience-state.ts).
  const customersNew = { version: 1, announcements: [{ ...whatsNew.announcements[0], audience: { trait: 'plan', exists: true } }] }
  const tourOn = (trigger: object) => ({ version: 1, tours: [{ id: 'hint', trigger, steps: [{ id: 's', target: '#s', title: 'Look here' }] }] })
  const closed = (id: string) => ({ [`announcements.closed:${id}`]: { value: 1000, version: 1, at: 1000 } })

  /**
   * A page running `flows`, whose collector answers /v1/state `after` ms late with what Ana's other
   * devices wrote (`fields`). `signIn`: Ana signs in as the experiences start; `landed`: the page
   * the runtime starts on.
   */
  async function running(flows: object, fields: Record<string, unknown> = {}, { after = 400, signIn = false, landed = {} } = {}) {
    const p = createFakePlatform()
    p.setPage(landed)
    const states: string[] = []
    p.respond = (req) => {
      if (!req.url.includes('/v1/state')) return { status: 200 }
      states.push(req.url)
      return new Promise((r) => p.setTimeout(() => r({ status: 200, body: JSON.stringify({ ok: true, fields }) }), after))
    }
    const onExperiences = signIn ? (api: Linger) => api.identify('ana', {}, { userHash: 'h' }) : undefined
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform: p, onExperiences })
    await linger.ready
    const modal = () => linger.experiences.announcements?.$modal.get()?.id ?? null
    const tours = () => linger.experiences.tours!.$runs.get().map((r) => r.tour.id)
    return { p, linger, states, modal, tours }
  }

  it('does not get a "what\'s new" they closed on their laptop again, while their progress is on its way', async () => {
    const { p, linger, states, modal } = await running(customersNew, closed('v3'))
    expect(modal()).toBeNull()
    // Ana signs in on this phone; she closed it on her laptop.
    linger.identify('ana', { plan: 'pro' }, { userHash: 'h' })
    await p.advance(0)
    expect(modal()).toBeNull()
    expect(linger.why('v3')).toEqual({ id: 'v3', show: false, reasons: ['syncing'] })
    await p.advance(500)
    expect(states.length).toBeGreaterThan(0)
    expect(modal()).toBeNull()
    expect(linger.why('v3').reasons).toEqual(['already-closed'])
    expect(sent(p).filter((e) => e.event === 'Announcement Shown' && e.userId === 'ana')).toEqual([])
  })

  it('gets it once their progress says it is new to them, and their events of the wait still count', async () => {
    const checklists = [{ id: 'start', title: 'Start', tasks: [{ id: 'p', title: 'Create', doneWhen: { event: 'Project Created' } }] }]
    const { p, linger, modal } = await running({ ...customersNew, checklists })
    linger.identify('ana', { plan: 'pro' }, { userHash: 'h' })
    linger.track('Project Created')
    await p.advance(0)
    expect(modal()).toBeNull()
    await p.advance(500)
    expect(modal()).toBe('v3')
    expect(Object.keys(linger.experiences.checklists!.$checklists.get().find((l) => l.checklist.id === 'start')?.done ?? {})).toEqual(['p'])
  })

  it('another verified user signing in on this device sees none of the last user\'s ticks, badges or toasts while their progress is on its way', async () => {
    const progress = {
      version: 1,
      checklists: [{ id: 'start', title: 'Start', tasks: [{ id: 'p', title: 'Create', doneWhen: { event: 'Project Created' }, points: 10 }] }],
      badges: [{ id: 'first', title: 'First project', points: 5, rule: { event: 'Project Created', count: { gte: 1 } } }],
    }
    const { p, linger } = await running(progress)
    linger.identify('ana', {}, { userHash: 'h' })
    await p.advance(500)
    linger.track('Project Created')
    await p.advance(100)
    const shown = () => ({
      done: Object.keys(linger.experiences.checklists!.$checklists.get().find((l) => l.checklist.id === 'start')?.done ?? {}),
      earned: Object.keys(linger.experiences.badges!.$state.get().earned),
      toasts: linger.experiences.badges!.$toasts.get().length,
    })
    expect(shown()).toEqual({ done: ['p'], earned: ['first'], toasts: 1 })
    linger.identify('bob', {}, { userHash: 'h' })
    await p.advance(0)
    expect(shown()).toEqual({ done: [], earned: [], toasts: 0 })
    await p.advance(500)
    expect(shown()).toEqual({ done: [], earned: [], toasts: 0 })
  })

  it('a list their laptop started with no task done yet ticks here, and the task reaches the laptop', async () => {
    // For customers only: the visitor Ana was on this phone never had the list.
    const audience = { trait: 'plan', eq: 'pro' }
    const checklists = [{ id: 'start', title: 'Start', audience, tasks: [{ id: 'p', title: 'Create', doneWhen: { event: 'Project Created' } }, { id: 'i', title: 'Invite', doneWhen: { event: 'Member Invited' } }] }]
    // All the laptop wrote: the list's status (a task is a field of its own once done).
    const { p, linger } = await running({ version: 1, checklists }, { 'checklist:start.status': { value: 'started', version: 1, at: 1000 } })
    const errors: unknown[] = []
    linger.on('error', (e) => errors.push(e))
    expect(linger.experiences.checklists!.$checklists.get()).toEqual([])
    linger.identify('ana', { plan: 'pro' }, { userHash: 'h' })
    await p.advance(500)
    linger.track('Project Created')
    await p.advance(1500)
    expect(errors).toEqual([])
    expect(linger.experiences.checklists!.$checklists.get().map((l) => [l.status, Object.keys(l.done)])).toEqual([['started', ['p']]])
    expect(sent(p).filter((e) => e.event === 'Checklist Task Completed').map((e) => e.properties?.taskId)).toEqual(['p'])
    const put = p.requests.filter((r) => r.url.endsWith('/v1/state') && r.init.method === 'PUT').map((r) => Object.keys(r.body.fields))
    expect(put.flat()).toContain('checklist:start.done:p')
  })

  const twoTasks = [{ id: 'start', title: 'Start', tasks: [{ id: 'p', title: 'Create', doneWhen: { event: 'Project Created' } }, { id: 'i', title: 'Invite', doneWhen: { event: 'Member Invited' } }] }]
  const listOf = (linger: Linger) => linger.experiences.checklists!.$checklists.get().map((l) => [l.status, Object.keys(l.done).sort()])
  const putFields = (p: ReturnType<typeof createFakePlatform>) => Object.assign({}, ...p.requests.filter((r) => r.url.endsWith('/v1/state') && r.init.method === 'PUT').map((r) => r.body.fields))

  it('a task they did as a visitor just before signing in is granted once, joins what their laptop did, and the list completes once', async () => {
    const laptop = { 'checklist:start.status': { value: 'started', version: 1, at: 1000 }, 'checklist:start.done:i': { value: 900, version: 1, at: 1000 } }
    const { p, linger } = await running({ version: 1, checklists: twoTasks }, laptop)
    linger.track('Project Created')
    await p.advance(100)
    expect(listOf(linger)).toEqual([['started', ['p']]])
    linger.identify('ana', {}, { userHash: 'h' })
    await p.advance(3000)
    expect(listOf(linger)).toEqual([['completed', ['i', 'p']]])
    // Granted once, to the visitor they were: not again as the user.
    expect(sent(p).filter((e) => e.event === 'Checklist Task Completed').map((e) => e.properties?.taskId)).toEqual(['p'])
    expect(sent(p).filter((e) => e.event === 'Checklist Completed')).toHaveLength(1)
    // The laptop hears of the task and of the finished list.
    expect(putFields(p)).toMatchObject({ 'checklist:start.done:p': { version: 1 }, 'checklist:start.status': { value: 'completed', version: 2 } })
  })

  it('a list they finished on their laptop stays finished when their visitor self had just started it here', async () => {
    const laptop = { 'checklist:start.status': { value: 'completed', version: 1, at: 1000 }, 'checklist:start.done:i': { value: 900, version: 1, at: 1000 }, 'checklist:start.done:p': { value: 950, version: 1, at: 1000 } }
    const { p, linger } = await running({ version: 1, checklists: twoTasks }, laptop)
    linger.track('Project Created')
    await p.advance(100)
    linger.identify('ana', {}, { userHash: 'h' })
    await p.advance(3000)
    expect(listOf(linger)).toEqual([['completed', ['i', 'p']]])
    // Completed on the laptop, under its own grant: nothing completes here again.
    expect(sent(p).filter((e) => e.event === 'Checklist Completed' && e.userId === 'ana')).toEqual([])
    // What this phone sends of the list it started loses to the laptop's at the collector too.
    expect(wins(putFields(p)['checklist:start.status'] ?? { version: 0, at: 0 }, laptop['checklist:start.status'])).toBe(false)
  })

  it('a visitor\'s progress does not roll back what their other devices did: no level reached again', async () => {
    const progress = {
      version: 1,
      levels: [{ name: 'Newcomer', points: 0 }, { name: 'Regular', points: 50 }],
      badges: [{ id: 'first', title: 'First project', points: 60, rule: { event: 'Project Created', count: { gte: 1 } } }],
    }
    const synced = (value: unknown) => ({ value, version: 1, at: 1000 })
    const fields = { 'badges.earned:first': synced(1000), 'badges.points': synced(60), 'badges.level': synced(1) }
    const { p, linger } = await running(progress, fields)
    linger.identify('ana', {}, { userHash: 'h' })
    await p.advance(2000)
    expect(linger.experiences.badges!.$state.get()).toMatchObject({ points: 60, level: 1 })
    expect(sent(p).filter((e) => e.event === 'Level Reached' || e.event === 'Badge Earned')).toEqual([])
    expect(linger.experiences.badges!.$toasts.get()).toEqual([])
  })

  it('waits at most 1.5 s for a collector that does not answer', async () => {
    const { p, linger, modal } = await running(customersNew, {}, { after: 60_000 })
    linger.identify('ana', { plan: 'pro' }, { userHash: 'h' })
    await p.advance(1400)
    expect(modal()).toBeNull()
    await p.advance(200)
    expect(modal()).toBe('v3')
  })

  it('does not see, even for a moment, a banner they closed on their laptop', async () => {
    const banner = { version: 1, announcements: [{ id: 'b1', format: 'banner', title: 'Maintenance tonight', body: 'From 22:00 UTC.', audience: { trait: 'plan', exists: true } }] }
    const { p, linger } = await running(banner, closed('b1'))
    const onScreen = () => linger.experiences.announcements!.$banner.get()?.id ?? null
    expect(onScreen()).toBeNull()
    linger.identify('ana', { plan: 'pro' }, { userHash: 'h' })
    await p.advance(0)
    expect(onScreen()).toBeNull()
    await p.advance(500)
    expect(onScreen()).toBeNull()
    expect(linger.why('b1').reasons).toEqual(['already-closed'])
  })

  it('still gets the tour of a page they open while their progress is on its way, once it came', async () => {
    const { p, linger, tours } = await running(tourOn({ url: '/settings*' }))
    linger.identify('ana', {}, { userHash: 'h' })
    p.setPage({ url: 'https://app.example.com/settings', path: '/settings', title: 'Settings' })
    linger.page()
    await p.advance(0)
    expect(tours()).toEqual([])
    expect(linger.why('hint').reasons).toEqual(['syncing'])
    await p.advance(500)
    expect(tours()).toEqual(['hint'])
  })

  it('gets the tour an event of the wait triggered, once their progress came', async () => {
    const { p, linger, tours } = await running(tourOn({ event: 'Report Opened' }))
    linger.identify('ana', {}, { userHash: 'h' })
    linger.track('Report Opened')
    await p.advance(0)
    expect(tours()).toEqual([])
    await p.advance(500)
    expect(tours()).toEqual(['hint'])
  })

  it('is not granted again a badge they earned on their laptop', async () => {
    const badges = { version: 1, badges: [{ id: 'pro', title: 'Pro', points: 10, rule: { trait: 'plan', eq: 'pro' } }] }
    const { p, linger } = await running(badges, { 'badges.earned:pro': { value: 900, version: 1, at: 900 }, 'badges.points': { value: 10, version: 1, at: 900 } })
    linger.identify('ana', { plan: 'pro' }, { userHash: 'h' })
    await p.advance(500)
    await p.advance(3000)
    expect(linger.experiences.badges!.$state.get().earned).toEqual({ pro: 900 })
    expect(linger.experiences.badges!.$toasts.get()).toEqual([])
    expect(sent(p).filter((e) => e.event === 'Badge Earned')).toEqual([])
  })

  it('is not offered yearly billing again after declining it on their laptop', async () => {
    const annualOffer = { id: 'go-annual', title: 'Save 20% with yearly billing', action: 'Switch to yearly', percent: 20, afterMonths: 3, holdout: 0 }
    const { p, linger } = await running({ version: 1, billing: { annualOffer } }, { 'billing.offer': { value: { variant: 'offer', at: 900, outcome: 'declined' }, version: 1, at: 900 } })
    const subscribedAt = new Date(p.now() - 120 * 86_400_000).toISOString()
    linger.identify('ana', { billingInterval: 'month', subscribedAt }, { userHash: 'h' })
    await p.advance(500)
    await p.advance(3000)
    expect(linger.experiences.billing!.$banner.get()).toBeNull()
    expect(sent(p).filter((e) => e.event === 'Plan Offer Shown')).toEqual([])
    expect(linger.why('go-annual').reasons).toEqual(['offer offer declined'])
  })

  it('who signs out before their progress came leaves nothing started behind', async () => {
    const { p, linger, tours } = await running(tourOn({ event: 'Report Opened' }))
    linger.identify('ana', {}, { userHash: 'h' })
    linger.track('Report Opened')
    linger.reset()
    await p.advance(3000)
    expect(tours()).toEqual([])
    expect(sent(p).filter((e) => e.event === 'Tour Started')).toEqual([])
  })

  it('who signs out as the page loads, before the runtime runs, leaves nothing started for the next person', async () => {
    const p = createFakePlatform()
    const before = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p })
    before.identify('ana')
    await before.ready
    before.destroy()
    // Ana's next page signs her out as it loads
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: tourOn({ event: 'Report Opened' }) }, { platform: p })
    linger.track('Report Opened')
    linger.reset()
    await linger.ready
    await p.advance(3000)
    expect(linger.experiences.tours!.$runs.get()).toEqual([])
    expect(sent(p).filter((e) => e.event === 'Tour Started')).toEqual([])
  })

  it('a visitor who signs up before the runtime runs keeps what they just did', async () => {
    const p = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: tourOn({ event: 'Report Opened' }) }, { platform: p })
    linger.track('Report Opened')
    linger.identify('ana')
    await linger.ready
    await p.advance(3000)
    expect(linger.experiences.tours!.$runs.get().map((r) => r.tour.id)).toEqual(['hint'])
    // Started once its step is on screen.
    linger.experiences.tours!.targetFound('hint')
    await p.advance(3000)
    expect(sent(p).filter((e) => e.event === 'Tour Started').map((e) => e.userId)).toEqual(['ana'])
  })

  // A session restored (a /me request) as the experiences start.
  it('who signs in while the runtime starts waits for their progress too', async () => {
    const { p, linger, modal } = await running(whatsNew, closed('v3'), { signIn: true })
    await p.advance(0)
    expect(modal()).toBeNull()
    await p.advance(500)
    expect(modal()).toBeNull()
    expect(linger.why('v3').reasons).toEqual(['already-closed'])
    await p.advance(2000)
    expect(sent(p).filter((e) => e.event === 'Announcement Shown')).toEqual([])
  })

  it('who signs in while the runtime starts still gets the tour of the page they landed on', async () => {
    const landed = { url: 'https://app.example.com/settings', path: '/settings', title: 'Settings' }
    const { p, tours } = await running(tourOn({ url: '/settings*' }), {}, { signIn: true, landed })
    await p.advance(0)
    expect(tours()).toEqual([])
    await p.advance(500)
    expect(tours()).toEqual(['hint'])
  })
})

describe('through track(), as a vendor calls it', () => {
  it('a profile written while the clock ran a month ahead counts three real days as a streak of three once it is right', async () => {
    const ahead = createFakePlatform({ now: Date.parse('2026-04-10T10:00:00Z') })
    const a = createLinger({ key: 'pk', endpoint: 'https://c.test', flows: { version: 1 } }, { platform: ahead })
    a.track('Report Exported')
    await ahead.advance(10_000)
    ahead.hide()
    a.destroy()
    const right = createFakePlatform({ now: Date.parse('2026-03-02T10:00:00Z'), shared: ahead.storageMap })
    const b = createLinger({ key: 'pk', endpoint: 'https://c.test', flows: { version: 1 } }, { platform: right })
    for (let d = 0; d < 3; d++) {
      b.track('Report Exported')
      await right.advance(24 * 3600_000)
    }
    expect(b.usage.get().streak.current).toBe(3)
  })

  it('flush() right after start sends the landing page view with it', async () => {
    const types = async (before: (l: Linger) => void) => {
      const p = createFakePlatform()
      const linger = createLinger({ key: 'pk', endpoint: 'https://c.test', flows: { version: 1 } }, { platform: p })
      before(linger)
      void linger.flush()
      await p.advance(0)
      return sent(p).map((e) => e.type)
    }
    expect(await types((l) => l.track('X'))).toEqual(['page', 'track'])
    expect(await types(() => {})).toEqual(['page'])
  })
})

describe('a vendor setting Linger up, as the console tells them', () => {
  it('init given the key alone (a string) says that init takes an options object { key }, and what it was given, even without debug', async () => {
    const p = createFakePlatform()
    const linger = createLinger('pk_live_x' as unknown as LingerOptions, { platform: p })
    const errors: string[] = []
    linger.on('error', (e) => errors.push(e.message))
    await linger.ready
    const said = `init takes an options object { key: "…" }, got "pk_live_x"; Linger cannot send events`
    expect(errors).toEqual([said])
    // Nothing will ever be sent: a page without debug (it cannot be on here) says so once too.
    expect(p.logs.filter((l) => String(l[1]).includes('init takes an options object'))).toEqual([['warn', said]])
    linger.destroy()
  })

  it('a key-less client mounted, destroyed and mounted again (React Strict Mode) warns once', async () => {
    const p = createFakePlatform()
    createLinger('pk_live_x' as unknown as LingerOptions, { platform: p }).destroy()
    await createLinger('pk_live_x' as unknown as LingerOptions, { platform: p }).ready
    expect(p.logs.filter((l) => String(l[1]).includes('init takes an options object'))).toHaveLength(1)
  })

  it('init with an object but no key still says that the key is required', async () => {
    const p = createFakePlatform()
    const linger = createLinger({ endpoint: 'https://collect.example.com' } as unknown as LingerOptions, { platform: p })
    const errors: string[] = []
    linger.on('error', (e) => errors.push(e.message))
    await linger.ready
    expect(errors).toEqual(['key: is required (a non-empty string); Linger cannot send events'])
    linger.destroy()
  })

  it('a javascript: flows URL is reported once, naming the option and the rule (http(s) or relative)', async () => {
    for (const debug of [true, false]) {
      const p = createFakePlatform()
      const linger = createLinger({ key: 'pk_test', flows: 'javascript:alert(1)', debug }, { platform: p })
      const errors: string[] = []
      linger.on('error', (e) => errors.push(e.message))
      await linger.ready
      await p.advance(0)
      expect(errors.filter((m) => m.includes('javascript:'))).toEqual(['flows: must be a flows object or an http(s) or relative URL, got "javascript:alert(1)"; ignored'])
      const lines = p.logs.filter((l) => String(l[1]).includes('javascript:'))
      expect(lines).toHaveLength(1)
      expect(String(lines[0][1])).toContain('flows: must be a flows object or an http(s) or relative URL')
      linger.destroy()
    }
  })

  it('cancel(handlers) drops a handler that is not a function and says so, keeping the one init gave', async () => {
    const p = createFakePlatform()
    const onCancel = vi.fn()
    const linger = createLinger({ key: 'pk_test', flows: { version: 1 }, handlers: { onCancel } }, { platform: p })
    const errors: string[] = []
    linger.on('error', (e) => errors.push(e.message))
    await linger.ready
    // The compiler says so first, to a vendor in TypeScript.
    // @ts-expect-error a handler is a function
    const typed: Parameters<Linger['cancel']>[0] = { onCancel: 'close' }
    linger.cancel({ ...typed, onPause: () => {} })
    expect(linger.host.handlers.onCancel).toBe(onCancel)
    expect(typeof linger.host.handlers.onPause).toBe('function')
    expect(errors).toContain('cancel(): handlers.onCancel: expected a function, got "close"; ignored')
    // No cancel flow in these flows: the vendor's own onCancel hears that it could not run.
    expect(onCancel).toHaveBeenCalledWith(null)
    linger.destroy()
  })
})
