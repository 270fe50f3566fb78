import { describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform } from './fake-platform'

const tour = (id: string, audience?: unknown) => ({ id, trigger: { event: 'Opened Board' }, audience, steps: [{ id: 'a', title: 'Here', body: 'This board.' }] })

async function start(flows: object | string, clock?: { now: number }) {
  const platform = createFakePlatform({ clock })
  const linger = createLinger({ key: 'pk_test', flows }, { platform })
  await linger.ready
  await platform.advance(0)
  return { platform, linger }
}

describe('the engine looks ahead for UI that will probably be needed', () => {
  it('a tour whose audience passes makes tours likely before its trigger; one whose audience fails does not', async () => {
    expect((await start({ version: 1, tours: [tour('for-pro', { trait: 'plan', eq: 'pro' })] })).linger.likely.get()).toEqual([])
    const { linger } = await start({ version: 1, tours: [tour('for-all')] })
    expect(linger.likely.get()).toEqual(['tours'])
  })

  it('badges and unfinished checklists, which any event may show, are likely from the start', async () => {
    const badge = { id: 'first', title: 'First project', points: 10, rule: { event: 'Project Created' } }
    expect((await start({ version: 1, badges: [badge] })).linger.likely.get()).toEqual(['badges'])
    const checklist = { id: 'later', title: 'Later', audience: { event: 'Report Exported' }, tasks: [{ id: 'a', title: 'Invite', doneWhen: { event: 'Invited' } }] }
    expect((await start({ version: 1, checklists: [checklist] })).linger.likely.get().sort()).toEqual(['checklists'])
  })

  it('becomes likely once the user comes into the audience', async () => {
    const { linger } = await start({ version: 1, surveys: [{ id: 'nps', kind: 'nps', question: 'Recommend us?', trigger: { event: 'Saved' }, audience: { trait: 'plan', eq: 'pro' } }] })
    expect(linger.likely.get()).toEqual([])
    linger.identify('u_42', { plan: 'pro' })
    expect(linger.likely.get()).toEqual(['surveys'])
  })
})

describe('why', () => {
  it('a triggered tour its audience refuses says which condition failed, though no call built the words before', async () => {
    const { linger } = await start({ version: 1, tours: [tour('for-pro', { trait: 'plan', eq: 'pro' })] })
    linger.identify('u_1', { plan: 'free' })
    linger.track('Opened Board')
    const { show, reasons } = linger.why('for-pro')
    expect(show).toBe(false)
    expect(reasons[0]).toBe('audience')
    expect(reasons.some((r) => r.includes('plan') && r.includes('free'))).toBe(true)
  })
})

describe('a triggered tour on a page with widgets', () => {
  it('outside its audience, waits for no calm screen, says why at once, and does not start when the screen calms', async () => {
    const { linger } = await start({ version: 1, tours: [tour('for-pro', { trait: 'plan', eq: 'pro' }), tour('for-all')] })
    const calm: Array<() => void> = []
    linger.host.screen = { when: (fn) => void calm.push(fn) } as NonNullable<typeof linger.host.screen>
    linger.identify('u_1', { plan: 'free' })
    linger.track('Opened Board')
    // Only the tour for everyone waits for the screen; the other one already knows its answer.
    expect(calm).toHaveLength(1)
    expect(linger.why('for-pro').reasons).toEqual(['audience', expect.stringContaining('free')])
    calm.forEach((fn) => fn())
    expect(linger.experiences.tours!.$runs.get().map((r) => r.tour.id)).toEqual(['for-all'])
  })

  it('on screen, its trigger firing again once the user left its audience does not change what why() says', async () => {
    const { linger } = await start({ version: 1, tours: [tour('for-pro', { trait: 'plan', eq: 'pro' })] })
    linger.identify('u_1', { plan: 'pro' })
    linger.track('Opened Board')
    expect(linger.experiences.tours!.$runs.get().map((r) => r.tour.id)).toEqual(['for-pro'])
    linger.experiences.tours!.targetFound('for-pro')
    linger.identify('u_1', { plan: 'free' })
    linger.track('Opened Board')
    expect(linger.experiences.tours!.$runs.get().map((r) => r.tour.id)).toEqual(['for-pro'])
    expect(linger.why('for-pro')).toMatchObject({ show: false, reasons: ['showing'] })
  })
})

describe('each experience hears what it reads', () => {
  it('a checklist task ticks on the event it waits for, even between events it does not read', async () => {
    const { linger } = await start({
      version: 1,
      checklists: [{ id: 'start', title: 'Start', tasks: [{ id: 'a', title: 'Create', doneWhen: { event: 'Project Created', count: { gte: 2 } } }] }],
    })
    linger.track('Project Created')
    linger.track('Search Used')
    linger.track('Project Created')
    expect(linger.experiences.checklists!.$checklists.get()[0].done).toEqual({ a: expect.any(Number) })
  })

  it('a checklist whose audience is a page starts on navigation, with no event tracked', async () => {
    const { platform, linger } = await start({
      version: 1,
      checklists: [{ id: 'billing', title: 'Billing', audience: { url: '/billing*' }, tasks: [{ id: 'a', title: 'Add a card', doneWhen: { event: 'Card Added' } }] }],
    })
    expect(linger.experiences.checklists!.$checklists.get()).toEqual([])
    platform.setPage({ url: 'https://app.test/billing', path: '/billing' })
    linger.page()
    expect(linger.experiences.checklists!.$checklists.get().map((c) => c.checklist.id)).toEqual(['billing'])
  })

  it('a checklist whose audience is a date starts once the day comes, at the next event, even one it does not read', async () => {
    const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
    const { platform, linger } = await start(
      {
        version: 1,
        checklists: [{ id: 'week-two', title: 'Week two', audience: { daysSince: 'firstSeen', gte: 7 }, tasks: [{ id: 'a', title: 'Export', doneWhen: { event: 'Report Exported' } }] }],
      },
      clock,
    )
    linger.track('Signed Up')
    await platform.advance(7 * 86_400_000 - 30_000)
    // The day comes between two looks of the minute timer: the next event sees it at once.
    clock.now += 30_000
    expect(linger.experiences.checklists!.$checklists.get()).toEqual([])
    linger.track('Search Used')
    expect(linger.experiences.checklists!.$checklists.get().map((c) => c.checklist.id)).toEqual(['week-two'])
  })

  it('a page left open with no event starts a date checklist within a minute of its day', async () => {
    const { platform, linger } = await start({
      version: 1,
      checklists: [{ id: 'week-two', title: 'Week two', audience: { daysSince: 'firstSeen', gte: 7 }, tasks: [{ id: 'a', title: 'Export', doneWhen: { event: 'Report Exported' } }] }],
    })
    linger.track('Signed Up')
    await platform.advance(7 * 86_400_000 - 60_000)
    expect(linger.experiences.checklists!.$checklists.get()).toEqual([])
    await platform.advance(120_000)
    expect(linger.experiences.checklists!.$checklists.get().map((c) => c.checklist.id)).toEqual(['week-two'])
  })

  it('a checklist whose audience is a group trait starts when the account gets it', async () => {
    const { linger } = await start({
      version: 1,
      checklists: [{ id: 'team', title: 'Team', audience: { trait: 'seats', gte: 5 }, tasks: [{ id: 'a', title: 'Invite', doneWhen: { event: 'Invited' } }] }],
    })
    linger.group('acme', { seats: 10 })
    expect(linger.experiences.checklists!.$checklists.get().map((c) => c.checklist.id)).toEqual(['team'])
  })
})

describe('a first visit validates its document in slices', () => {
  it("the page's own code runs between them, and what it changes meanwhile in the flows object it gave changes nothing", async () => {
    const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
    const platform = createFakePlatform({ clock })
    // Everything takes time here: each look at the clock is 1 ms later.
    platform.now = () => ++clock.now
    const flows = { version: 1, tours: Array.from({ length: 30 }, (_, i) => tour(`tour-${i}`)) }
    let pauses = 0
    platform.yieldTask = async () => {
      // The host's code, in the first task it gets after the document's key was made (before the
      // validation chunk is even in) and between two slices, reuses the object it passed to init.
      if (++pauses === 1) flows.tours[20].steps = []
      if (pauses === 4) flows.tours[25].steps = []
    }
    const errors: string[] = []
    const linger = createLinger({ key: 'pk_test', flows }, { platform })
    linger.on('error', (e: { code: string; message: string }) => errors.push(e.message))
    await linger.ready
    expect(pauses).toBeGreaterThan(6)
    expect(errors).toEqual([])
    // Validated and kept as the document read when the page loaded it.
    expect(linger.why('tour-20').reasons).not.toEqual(['unknown-experience'])
    expect(linger.why('tour-25').reasons).not.toEqual(['unknown-experience'])
    const [cached] = [...platform.storage.keys('linger:flows:')].map((k) => JSON.parse(platform.storage.get(k)!))
    expect(cached.flows.tours).toHaveLength(30)
    expect(cached.flows.tours[20].steps).toHaveLength(1)
    expect(cached.flows.tours[25].steps).toHaveLength(1)
  })

  it('a client destroyed by a listener of its config errors starts no experience and writes no progress', async () => {
    const platform = createFakePlatform()
    const checklist = { id: 'setup', title: 'Set up', tasks: [{ id: 'invite', title: 'Invite', doneWhen: { event: 'Invited' } }] }
    const linger = createLinger({ key: 'pk_test', flows: { version: 1, checklists: [checklist, { id: 'broken' }] } }, { platform })
    let heard = 0
    linger.on('error', () => (heard++, linger.destroy()))
    await linger.ready
    await platform.advance(60_000)
    expect(heard).toBe(1)
    expect(linger.experiences).toEqual({})
    expect(platform.storage.keys('linger:state:')).toEqual([])
  })

  it('a client destroyed a moment after its engine started stops it: none of its timers runs on', async () => {
    const platform = createFakePlatform()
    // A date rule: a running engine looks at it again every minute.
    const checklist = { id: 'setup', title: 'Set up', audience: { daysSince: 'firstSeen', gte: 0 }, tasks: [{ id: 'invite', title: 'Invite', doneWhen: { event: 'Invited' } }] }
    const linger = createLinger({ key: 'pk_test', flows: { version: 1, checklists: [checklist, { id: 'broken' }] } }, { platform })
    // The component unmounts in a microtask after the error: the engine has started by then.
    linger.on('error', () => queueMicrotask(() => linger.destroy()))
    await linger.ready
    let fired = 0
    const set = platform.setTimeout
    platform.setTimeout = (fn, ms) => set(() => (fired++, fn()), ms)
    await platform.advance(10 * 60_000)
    expect(linger.experiences).toEqual({})
    expect(fired).toBe(0)
  })

  it('a client destroyed in the task its engine started in never judges an audience after: a sampled tour records no draw for a visitor it no longer serves', async () => {
    const platform = createFakePlatform()
    // A sampled audience: judging it for a visitor records their draw in their stored progress.
    const sampled = tour('half', { sample: 0.5 })
    const linger = createLinger({ key: 'pk_test', flows: { version: 1, tours: [sampled, { id: 'broken' }] } }, { platform })
    // The component unmounts in a microtask after the error: the engine has started by then, in this task.
    linger.on('error', () => queueMicrotask(() => linger.destroy()))
    await linger.ready
    await platform.advance(60_000)
    expect(linger.experiences).toEqual({})
    expect(platform.storage.keys('linger:state:')).toEqual([])
  })

  it('a client destroyed while its document validates (a component unmounted) starts nothing and writes no progress', async () => {
    const platform = createFakePlatform()
    const checklists = Array.from({ length: 30 }, (_, i) => ({ id: `setup-${i}`, title: 'Set up', tasks: [{ id: 'invite', title: 'Invite', doneWhen: { event: 'Invited' } }] }))
    let pauses = 0
    let linger: ReturnType<typeof createLinger> | undefined
    platform.yieldTask = async () => {
      if (++pauses === 3) linger!.destroy()
    }
    const errors: string[] = []
    linger = createLinger({ key: 'pk_test', flows: { version: 1, checklists } }, { platform })
    linger.on('error', (e: { message: string }) => errors.push(e.message))
    // The component's cancel button and a show() were pressed as it went away.
    linger.cancel()
    await linger.ready
    await platform.advance(60_000)
    expect(pauses).toBeGreaterThanOrEqual(3)
    expect(linger.experiences).toEqual({})
    expect(linger.show('setup-1')).toBe(false)
    linger.track('Invited')
    await platform.advance(60_000)
    expect(platform.storage.keys('linger:state:')).toEqual([])
    expect(errors).toEqual([])
  })
})

describe('show', () => {
  it('says false when another blocking experience holds the screen, so a preview button can say nothing came; true once it is free', async () => {
    const surveys = [
      { id: 'nps', kind: 'nps', question: 'Recommend us?' },
      { id: 'csat', kind: 'csat', question: 'Happy with exports?' },
    ]
    const { linger, platform } = await start({ version: 1, settings: { cooldownDays: 0 }, surveys, tours: [tour('board')] })
    expect(linger.show('nps')).toBe(true)
    expect(linger.experiences.surveys?.$session.get()?.survey.id).toBe('nps')
    expect(linger.show('csat')).toBe(false)
    expect(linger.why('csat').reasons).toEqual(['blocked-by:nps'])
    expect(linger.show('board')).toBe(false)
    // Already up: it is on screen, as asked.
    expect(linger.show('nps')).toBe(true)
    expect(linger.show('no-such-survey')).toBe(false)
    linger.experiences.surveys?.close()
    await platform.advance(0)
    expect(linger.show('csat')).toBe(true)
    expect(linger.experiences.surveys?.$session.get()?.survey.id).toBe('csat')
  })
})

describe('a checklist record from another release', () => {
  async function withStored(status: string) {
    const flows = {
      version: 1,
      checklists: [{ id: 'setup', title: 'Set up', tasks: [{ id: 'a', title: 'Invite', doneWhen: { event: 'Invited' } }] }],
      tours: [tour('while-setting-up', { checklist: 'setup', status: 'started' })],
    }
    const platform = createFakePlatform()
    platform.storage.set('linger:identity', JSON.stringify({ anonymousId: 'anon-1', userId: 'u1', traits: {}, groupTraits: {} }))
    platform.storage.set('linger:state:u:u1', JSON.stringify({ 'checklist:setup': { status, done: {} } }))
    const linger = createLinger({ key: 'pk_test', flows }, { platform })
    await linger.ready
    await platform.advance(0)
    linger.track('Opened Board')
    return { runs: linger.experiences.tours!.$runs.get().map((r) => r.tour.id), reasons: linger.why('while-setting-up').reasons }
  }

  it('a list whose stored status this version does not know is under way to the rules, as the user sees it on screen', async () => {
    expect((await withStored('snoozed')).runs).toEqual(['while-setting-up'])
    const hidden = await withStored('dismissed')
    expect(hidden.runs).toEqual([])
    expect(hidden.reasons[0]).toBe('audience')
  })
})

describe('billing prompts whose audience reads an event', () => {
  it('a renewal reminder for those who opened billing shows as they open it, not at the next minute', async () => {
    const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
    const billing = { renewalReminders: { id: 'renewal', title: 'Your plan renews soon', action: 'Check payment details', days: [7, 3, 2], audience: { event: 'Billing Opened' } } }
    const { linger } = await start({ version: 1, billing }, clock)
    linger.identify('u_1', { renewsAt: '2026-03-05T12:00:00Z' })
    expect(linger.experiences.billing!.$banner.get()).toBeNull()
    linger.track('Billing Opened')
    expect(linger.experiences.billing!.$banner.get()).toMatchObject({ id: 'renewal' })
  })
})

describe('what an event costs the page', () => {
  // The page an event carries reads the title too; the rules and a trigger's wait need the URL
  // alone, as the address bar has it at that moment (platform.url()).
  it('a page whose surveys and checklists target URLs reads the whole page once per event, for the event itself', async () => {
    const survey = (id: string) => ({ id, kind: 'nps', question: 'Recommend us?', trigger: { event: 'Board Saved' }, audience: { url: '/board*' } })
    const checklist = (id: string) => ({ id, title: 'Boards', audience: { url: '/board*' }, tasks: [{ id: 'a', title: 'Share', doneWhen: { event: 'Board Shared' } }] })
    const platform = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1, surveys: ['s1', 's2', 's3'].map(survey), checklists: ['c1', 'c2'].map(checklist) } }, { platform })
    await linger.ready
    await platform.advance(0)
    expect(linger.experiences.checklists!.$checklists.get()).toEqual([])
    const whole = platform.page
    let reads = 0
    platform.page = () => (reads++, whole())
    // A route change just before the event, in the same task: the rules read the new URL.
    platform.setPage({ url: 'https://app.test/board/7', path: '/board/7' })
    linger.track('Board Saved')
    expect(linger.experiences.checklists!.$checklists.get().map((c) => c.checklist.id)).toEqual(['c1', 'c2'])
    // One read for each event the call made (its own, and what the experiences it moved said).
    await platform.advance(2000)
    const made = platform.requests.flatMap((r) => r.body?.batch ?? []).filter((e: { context: { page: { path: string } } }) => e.context.page.path === '/board/7')
    expect(made.length).toBeGreaterThan(0)
    expect(reads).toBe(made.length)
  })
})
