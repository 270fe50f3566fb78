import { describe, expect, it, vi } from 'vitest'
import { createFakePlatform } from './fake-platform'
import { createExperienceState } from './experience-state'
import { laggingStorage } from './lagging-storage'
import { emptyMeta, noteLocal, takeRemote } from './sync/merge'
import { fromFields, toFields } from './sync/fields'
import { createLinger } from './client'
// Loaded ahead, as a page that already ran has them (see client.test.ts).
import './sync/state-sync'
import './config/boot'
import './transport/adopt'

describe('per-user experience state', () => {
  it('persists across a reload', () => {
    const p = createFakePlatform()
    createExperienceState(p, 'u:1').set('checklist:start', { status: 'started' })
    expect(createExperienceState(p, 'u:1').get('checklist:start')).toEqual({ status: 'started' })
  })

  it('two tabs writing different keys keep both', () => {
    const shared = new Map<string, string>()
    const tabA = createExperienceState(createFakePlatform({ shared }), 'u:1')
    const tabB = createExperienceState(createFakePlatform({ shared }), 'u:1')
    tabA.set('badges', { earned: { onboarded: 1 } })
    tabB.set('checklist:start', { status: 'completed' })
    const reload = createExperienceState(createFakePlatform({ shared }), 'u:1')
    expect(reload.get('badges')).toEqual({ earned: { onboarded: 1 } })
    expect(reload.get('checklist:start')).toEqual({ status: 'completed' })
  })

  it('two tabs writing different keys at once, each before the other’s write reached it, keep both', () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const tabA = createExperienceState(lag.tab(), 'u:1')
    const tabB = createExperienceState(lag.tab(), 'u:1')
    tabA.set('badges', { earned: { onboarded: 1 } })
    tabB.set('checklist:start', { status: 'completed' })
    // Storage keeps B's write, the later one, which lacks A's badge; A hears of it.
    lag.deliver()
    lag.deliver()
    const reload = createExperienceState(lag.tab(), 'u:1')
    expect(reload.get('badges')).toEqual({ earned: { onboarded: 1 } })
    expect(reload.get('checklist:start')).toEqual({ status: 'completed' })
    expect(tabB.get('badges')).toEqual({ earned: { onboarded: 1 } })
  })

  it('a crossing write of another key, carrying the old copy of a badge this tab just granted, does not take the badge back', () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const tabA = createExperienceState(lag.tab(), 'u:1')
    const tabB = createExperienceState(lag.tab(), 'u:1')
    tabA.set('badges', { earned: {}, points: 0 })
    lag.deliver()
    // A grants a badge; B, before A's write reached it, moves a checklist on: its whole
    // document still holds the badges as they were.
    tabA.set('badges', { earned: { reporter: 1 }, points: 30 })
    tabB.set('checklist:start', { status: 'started' })
    lag.deliver()
    lag.deliver()
    for (const state of [tabA, tabB, createExperienceState(lag.tab(), 'u:1')]) {
      expect(state.get('badges')).toEqual({ earned: { reporter: 1 }, points: 30 })
      expect(state.get('checklist:start')).toEqual({ status: 'started' })
    }
  })

  it('a list finished in one tab while another, not yet told, ticked a task keeps the moment it was finished (the value review counts its reward in that month)', () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const tabA = createExperienceState(lag.tab(), 'u:1')
    const tabB = createExperienceState(lag.tab(), 'u:1')
    const finished = Date.parse('2026-02-27T16:00:00Z')
    // B finishes the list; A, not yet told, ticks a task of its own a moment later (the write storage keeps).
    tabB.set('checklist:start', { status: 'completed', done: { a: 1, b: 2 }, completedAt: finished })
    tabA.set('checklist:start', { status: 'started', done: { c: 3 } })
    lag.deliver()
    lag.deliver()
    const reload = createExperienceState(lag.tab(), 'u:1')
    expect(reload.get('checklist:start')).toMatchObject({ status: 'completed', completedAt: finished, done: { a: 1, b: 2, c: 3 } })
  })

  it('a later change another tab made on top of this tab’s write stays', () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const tabA = createExperienceState(lag.tab(), 'u:1')
    const tabB = createExperienceState(lag.tab(), 'u:1')
    tabA.set('checklist:start', { status: 'started' })
    lag.deliver()
    // B saw A's write, then moved the same checklist on: A must not put its older value back.
    tabB.set('checklist:start', { status: 'completed' })
    lag.deliver()
    expect(tabA.get('checklist:start')).toEqual({ status: 'completed' })
    expect(createExperienceState(lag.tab(), 'u:1').get('checklist:start')).toEqual({ status: 'completed' })
  })

  it("hears another tab's write and tells its subscribers", () => {
    const shared = new Map<string, string>()
    const pB = createFakePlatform({ shared })
    const tabA = createExperienceState(createFakePlatform({ shared }), 'u:1')
    const tabB = createExperienceState(pB, 'u:1')
    const seen = vi.fn()
    tabB.subscribe(seen)
    tabA.set('badges', { points: 10 })
    pB.fireStorage('linger:state:u:1')
    expect(seen).toHaveBeenCalled()
    expect(tabB.get('badges')).toEqual({ points: 10 })
  })

  it("fresh() sees another tab's write before its storage event arrives", () => {
    const shared = new Map<string, string>()
    const tabA = createExperienceState(createFakePlatform({ shared }), 'u:1')
    const tabB = createExperienceState(createFakePlatform({ shared }), 'u:1')
    tabA.set('badges', { earned: { onboarded: 1 } })
    expect(tabB.get('badges')).toBeUndefined()
    expect(tabB.fresh('badges')).toEqual({ earned: { onboarded: 1 } })
  })

  it('reads from memory: its own writes are not read back from storage', () => {
    const p = createFakePlatform()
    const s = createExperienceState(p, 'u:1')
    const progress = { status: 'started', done: { a: 1 } }
    s.set('checklist:start', progress)
    // The very object it was given: nothing was parsed back out of storage.
    expect(s.fresh('checklist:start')).toBe(progress)
    expect(s.get('checklist:start')).toBe(progress)
  })

  it('a storage event for a write this tab already knows does not wake its subscribers', () => {
    const p = createFakePlatform()
    const s = createExperienceState(p, 'u:1')
    s.set('x', 1)
    const seen = vi.fn()
    s.subscribe(seen)
    p.fireStorage('linger:state:u:1')
    expect(seen).not.toHaveBeenCalled()
  })

  it('a visitor who signs in brings how they answered each survey: joined with the user\'s answers, and theirs, the newer, for a survey both answered', () => {
    const p = createFakePlatform()
    const s = createExperienceState(p, 'a:anon')
    s.set('surveyAnswers', { category: { nps: 'detractor' } })
    const user = createExperienceState(p, 'u:42')
    // The user answered the NPS as a promoter on this device months ago, and the CES.
    user.set('surveyAnswers', { category: { nps: 'promoter', ces: 'easy' } })
    s.switchUser('u:42', true)
    expect(s.get('surveyAnswers')).toEqual({ category: { nps: 'detractor', ces: 'easy' } })
    s.switchUser('a:anon2')
    s.set('surveyAnswers', { category: { poll: 'b' } })
    s.switchUser('u:43', true)
    expect(s.get('surveyAnswers')).toEqual({ category: { poll: 'b' } })
  })

  it('keeps users apart and switches cleanly', () => {
    const p = createFakePlatform()
    const s = createExperienceState(p, 'a:anon')
    s.set('x', 1)
    s.switchUser('u:42')
    expect(s.get('x')).toBeUndefined()
    s.switchUser('a:anon')
    expect(s.get('x')).toBe(1)
  })

  it('a visitor who signs in brings their progress (checklists, badges) and what they were shown to the user: joined with the user\'s, never over what the user has', () => {
    const p = createFakePlatform()
    const s = createExperienceState(p, 'a:anon')
    s.set('checklist:start', { status: 'started', done: { 'create-project': 1 } })
    s.set('badges', { earned: { onboarded: 1 }, points: 10 })
    const DAY1 = Date.parse('2026-03-01T10:00:00Z')
    s.set('scheduler', { lastBlockingShown: DAY1, history: { csat: { shown: 1, lastShown: DAY1, completed: true, answered: true, dismissedAt: null, lastAnswered: DAY1 } } })
    s.set('announcements', { closed: { 'new-reports': DAY1 }, read: {} })
    s.set('checklist:invite', { status: 'started', done: { invite: 5, export: 6 } })
    const user = createExperienceState(p, 'u:42')
    user.set('badges', { earned: { reporter: 1 }, points: 30 })
    user.set('checklist:invite', { status: 'dismissed', done: { invite: 2, share: 4 } })
    const DAY0 = DAY1 - 86_400_000
    user.set('scheduler', { lastBlockingShown: DAY0, history: { nps: { shown: 2, lastShown: DAY0, completed: false, answered: false, dismissedAt: DAY0, lastAnswered: null } } })
    s.switchUser('u:42', true)
    expect(s.get('checklist:start')).toEqual({ status: 'started', done: { 'create-project': 1 } })
    // Both badges; the points are the badges controller's to work out again from what is earned
    // (points.ts). The list keeps the user's status and times, with the visitor's export task.
    expect(s.get('badges')).toEqual({ earned: { onboarded: 1, reporter: 1 }, points: 30 })
    expect(s.get('checklist:invite')).toEqual({ status: 'dismissed', done: { invite: 2, share: 4, export: 6 } })
    // Named for the user's sync, which lets what their other devices wrote win over them.
    // What was shown is not named: the sync joins it with the other devices' (takeIn) instead.
    expect(s.carried('u:42')).toEqual(['checklist:start', 'badges', 'checklist:invite'])
    // Taken: the sync notes them once.
    expect(s.carried('u:42')).toEqual([])
    // The CSAT the visitor answered stays answered for the user, and the cooldown runs from the
    // visitor's survey, the later one; the user's own NPS history stays theirs.
    expect(s.get('scheduler')).toEqual({
      lastBlockingShown: DAY1,
      history: {
        nps: { shown: 2, lastShown: DAY0, completed: false, answered: false, dismissedAt: DAY0, lastAnswered: null },
        csat: { shown: 1, lastShown: DAY1, completed: true, answered: true, dismissedAt: null, lastAnswered: DAY1 },
      },
    })
    expect(s.get('announcements')).toEqual({ closed: { 'new-reports': DAY1 }, read: {} })
    // written, so another tab and the next page load find it
    expect(createExperienceState(p, 'u:42').get('checklist:start')).toEqual({ status: 'started', done: { 'create-project': 1 } })
    // a switch that is not a sign-in (reset, another user) brings nothing
    s.switchUser('u:43')
    expect(s.get('checklist:start')).toBeUndefined()
  })

  it('a visitor who reached a level and signs in keeps it: the points of the level reached, the higher of the two copies', () => {
    const p = createFakePlatform()
    const s = createExperienceState(p, 'a:anon')
    // The visitor reached Power user (150 points); the user, on this device last week, Regular (60).
    s.set('badges', { earned: { onboarded: 1, reporter: 2 }, points: 150, level: 2, levelAt: 150 })
    createExperienceState(p, 'u:42').set('badges', { earned: { onboarded: 1 }, points: 100, level: 1, levelAt: 60 })
    s.switchUser('u:42', true)
    expect(s.get('badges')).toMatchObject({ level: 2, levelAt: 150 })
    // and the other way round: the user's is kept over the visitor's lower one
    s.switchUser('a:anon2')
    s.set('badges', { earned: {}, points: 0, level: 0, levelAt: 0 })
    s.switchUser('u:42', true)
    expect(s.get('badges')).toMatchObject({ level: 2, levelAt: 150 })
  })

  it("a visitor who was shown a month's value review and signs in keeps it shown: the later month of the two copies, and nothing for someone else who signs in", () => {
    const p = createFakePlatform()
    const s = createExperienceState(p, 'a:anon')
    s.set('review:month', { shown: '2026-11', at: 5 })
    // The user saw October's on this device, before.
    createExperienceState(p, 'u:42').set('review:month', { shown: '2026-10', at: 1 })
    s.switchUser('u:42', true)
    expect(s.get('review:month')).toEqual({ shown: '2026-11', at: 5 })
    // What was shown is not yielded to the user's other devices (an older copy would bring it back).
    expect(s.carried('u:42')).toEqual([])
    // A visitor behind the user: the user's later month stays.
    s.switchUser('a:anon2')
    s.set('review:month', { shown: '2026-09', at: 0 })
    s.switchUser('u:42', true)
    expect(s.get('review:month')).toEqual({ shown: '2026-11', at: 5 })
    // Someone else signing in on the shared device (no merge) gets nothing of it.
    s.switchUser('a:anon3')
    s.set('review:month', { shown: '2026-11', at: 7 })
    s.switchUser('u:43')
    expect(s.get('review:month')).toBeUndefined()
  })

  it('keeps working in memory when storage fails', () => {
    const p = createFakePlatform()
    p.failStorage = true
    const s = createExperienceState(p, 'u:1')
    s.set('x', 2)
    expect(s.get('x')).toBe(2)
  })
})

describe('what was shown and answered, kept true everywhere', () => {
  it("a visitor's answer carried to a verified user stays answered when their laptop's older copy comes in by the sync", () => {
    const p = createFakePlatform({ now: Date.parse('2026-03-20T10:00:00Z') })
    const state = createExperienceState(p, 'a:visitor')
    state.set('scheduler', { active: null, lastBlockingShown: 1, history: { nps: { shown: 1, lastShown: 1, completed: true, answered: true, dismissedAt: null, lastAnswered: 2 } } })
    state.switchUser('u:ana', true)
    // What state-sync does on its first run for this user, with the laptop's copy of the history.
    const meta = noteLocal(emptyMeta(), toFields({ scheduler: state.get('scheduler') }), p.now(), state.carried('u:ana'))
    const laptop = { shown: 1, lastShown: 0, completed: false, answered: false, dismissedAt: null, lastAnswered: null }
    const { changed } = takeRemote(meta, { 'scheduler.history:nps': { version: 1, at: p.now() - 86_400_000, value: laptop } }, toFields({ scheduler: state.get('scheduler') }))
    state.takeIn(fromFields({ scheduler: state.get('scheduler') }, changed))
    expect(state.get<{ history: Record<string, { answered: boolean }> }>('scheduler')!.history.nps.answered).toBe(true)
  })

  it('two tabs holding values of a shape this release does not write settle on one instead of writing back and forth', () => {
    const shared = new Map<string, string>()
    const pa = createFakePlatform({ shared })
    const pb = createFakePlatform({ shared })
    const a = createExperienceState(pa, 'u')
    const b = createExperienceState(pb, 'u')
    a.set('announcements', { closed: {}, read: {}, seen: ['x'] })
    b.set('announcements', { closed: {}, read: {}, seen: ['y'] })
    let writes = 0
    for (let i = 0; i < 6; i++) {
      const before = shared.get('linger:state:u')
      ;(i % 2 ? pb : pa).fireStorage('linger:state:u')
      if (shared.get('linger:state:u') !== before) writes++
    }
    expect(writes).toBeLessThanOrEqual(1)
  })
})

describe('state across tabs, as the user moves between them', () => {
  it('a tab restored from the back/forward cache shows the checklist the user finished in another tab meanwhile, without a reload', () => {
    const shared = new Map<string, string>()
    const pB = createFakePlatform({ shared })
    const tabA = createExperienceState(createFakePlatform({ shared }), 'u:1')
    const tabB = createExperienceState(pB, 'u:1')
    tabA.set('checklist:start', { status: 'started', done: {} })
    pB.fireStorage('linger:state:u:1')
    const seen = vi.fn()
    tabB.subscribe(seen)
    // B is in the back/forward cache (or frozen in the background): it hears no storage event.
    tabA.set('checklist:start', { status: 'completed', done: { a: 1 } })
    pB.show()
    expect(seen).toHaveBeenCalled()
    expect(tabB.get('checklist:start')).toEqual({ status: 'completed', done: { a: 1 } })
  })

  it('two save offers taken in two tabs at once both stay taken: neither tab offers the discount again', () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const tabA = createExperienceState(lag.tab(), 'u:1')
    const tabB = createExperienceState(lag.tab(), 'u:1')
    // Each tab's flow took an offer before the other's write reached it.
    tabA.set('cancel', { taken: { 'discount-50': 1 } })
    tabB.set('cancel', { taken: { 'pause-3': 2 } })
    lag.deliver()
    lag.deliver()
    for (const state of [tabA, tabB, createExperienceState(lag.tab(), 'u:1')]) expect(state.get('cancel')).toEqual({ taken: { 'discount-50': 1, 'pause-3': 2 } })
  })
  it('a task the laptop ticked, arriving by the sync in one tab while the user ticks another in a second tab, stays done in both tabs and after a reload', () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const tabA = createExperienceState(lag.tab(), 'u:1')
    const tabB = createExperienceState(lag.tab(), 'u:1')
    tabA.set('checklist:start', { status: 'started', done: {} })
    lag.deliver()
    // A's sync brings the laptop's tick; B, before that reached it, ticks another task.
    tabA.takeIn({ 'checklist:start': { status: 'started', done: { invite: 5 } } })
    tabB.set('checklist:start', { status: 'started', done: { export: 6 } })
    lag.deliver()
    for (const state of [tabA, tabB, createExperienceState(lag.tab(), 'u:1')]) expect(state.get('checklist:start')).toEqual({ status: 'started', done: { invite: 5, export: 6 } })
  })

  it('two badges granted in two tabs at once both stay earned, and a level reached in one stays reached', () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const tabA = createExperienceState(lag.tab(), 'u:1')
    const tabB = createExperienceState(lag.tab(), 'u:1')
    tabA.set('badges', { earned: { reporter: 1 }, points: 30, level: 1, levelAt: 30 })
    tabB.set('badges', { earned: { inviter: 2 }, points: 20, level: 0, levelAt: 0 })
    lag.deliver()
    for (const state of [tabA, tabB, createExperienceState(lag.tab(), 'u:1')]) expect(state.get('badges')).toMatchObject({ earned: { reporter: 1, inviter: 2 }, level: 1, levelAt: 30 })
  })
  it('a checklist hidden in one tab stays hidden when a second tab, not yet told, ticks one of its tasks at the same moment: the tick stays too', () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const tabA = createExperienceState(lag.tab(), 'u:1')
    const tabB = createExperienceState(lag.tab(), 'u:1')
    tabA.set('checklist:start', { status: 'started', done: { invite: 1 } })
    lag.deliver()
    tabA.set('checklist:start', { status: 'dismissed', done: { invite: 1 } })
    tabB.set('checklist:start', { status: 'started', done: { invite: 1, export: 2 } })
    lag.deliver()
    for (const state of [tabA, tabB, createExperienceState(lag.tab(), 'u:1')]) expect(state.get('checklist:start')).toEqual({ status: 'dismissed', done: { invite: 1, export: 2 } })
  })
  it('a checklist hidden in one tab and taken up again in another a few seconds later stays open, and the tabs do not write it back and forth', () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const pA = lag.tab()
    const tabA = createExperienceState(pA, 'u:1')
    const tabB = createExperienceState(lag.tab(), 'u:1')
    tabA.set('checklist:start', { status: 'started', done: { invite: 1 } })
    lag.deliver()
    tabA.set('checklist:start', { status: 'dismissed', done: { invite: 1 } })
    lag.deliver()
    // B heard of it; the user, in B, takes the list up again.
    tabB.set('checklist:start', { status: 'started', done: { invite: 1 } })
    lag.deliver()
    for (const state of [tabA, tabB, createExperienceState(lag.tab(), 'u:1')]) expect(state.get('checklist:start')).toEqual({ status: 'started', done: { invite: 1 } })
  })

  it('a survey shown in one tab and closed in another a moment later stays closed', () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const tabA = createExperienceState(lag.tab(), 'u:1')
    const tabB = createExperienceState(lag.tab(), 'u:1')
    tabA.set('x', 1)
    lag.deliver()
    tabA.set('x', 2)
    lag.deliver()
    tabB.set('x', 1)
    lag.deliver()
    for (const state of [tabA, tabB, createExperienceState(lag.tab(), 'u:1')]) expect(state.get('x')).toBe(1)
  })
})


describe("a visitor's record, once they sign in", () => {
  const progress = {
    version: 1,
    checklists: [{ id: 'start', title: 'Start', tasks: [{ id: 'send', title: 'Send an invoice', doneWhen: { event: 'Invoice Sent' } }, { id: 'pay', title: 'Get paid', doneWhen: { event: 'Invoice Paid' } }] }],
  }

  it("someone who signs out and back in every day keeps one progress record in the page's storage, not one more per sign-in", async () => {
    const platform = createFakePlatform({ now: Date.parse('2026-11-10T10:00:00Z') })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: progress }, { platform })
    await linger.ready
    // Before signing up, as a visitor: a task done.
    linger.track('Invoice Sent')
    await platform.advance(1000)
    linger.identify('ann')
    await platform.advance(1000)
    for (let day = 0; day < 3; day++) {
      linger.reset()
      await platform.advance(1000)
      linger.identify('ann')
      await platform.advance(1000)
    }
    linger.track('Invoice Paid')
    await platform.advance(1000)
    // The host's quota holds her record only: each visitor's was brought into it.
    expect(platform.storage.keys('linger:state:')).toEqual(['linger:state:u:ann'])
    expect(JSON.parse(platform.storage.get('linger:state:u:ann')!)['checklist:start']).toMatchObject({ status: 'completed', done: { send: expect.any(Number), pay: expect.any(Number) } })
    linger.destroy()
  })

  it("a sign-in whose merged record storage refused (the quota full) keeps the visitor's record: what they did is not lost with it", () => {
    const p = createFakePlatform()
    const visitor = createExperienceState(p, 'a:v')
    visitor.set('checklist:start', { status: 'started', done: { send: 1 } })
    const set = p.storage.set
    p.storage.set = (k, v) => k !== 'linger:state:u:ann' && set(k, v)
    visitor.switchUser('u:ann', true)
    expect(JSON.parse(p.storage.get('linger:state:a:v')!)['checklist:start']).toEqual({ status: 'started', done: { send: 1 } })
  })

  it('a task a second tab ticked as the visitor, just before the first tab signed them in, comes with them, the second tab signed in as well or already closed', () => {
    for (const closed of [false, true]) {
      const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
      const pa = lag.tab()
      const tabA = createExperienceState(pa, 'a:v')
      const tabB = createExperienceState(lag.tab(), 'a:v')
      tabA.set('checklist:start', { status: 'started', done: { send: 1 } })
      lag.deliver()
      // B ticks a task; A's copy of storage has it, its storage event not yet run.
      tabB.set('checklist:start', { status: 'started', done: { send: 1, pay: 2 } })
      const late = lag.deliver(Infinity, true)
      if (closed) tabB.dispose()
      tabA.switchUser('u:ann', true)
      late()
      lag.deliver()
      if (!closed) tabB.switchUser('u:ann', true)
      lag.deliver()
      const reload = lag.tab()
      expect(createExperienceState(reload, 'u:ann').get('checklist:start'), closed ? 'B closed' : 'B signed in').toEqual({ status: 'started', done: { send: 1, pay: 2 } })
      expect(reload.storage.keys('linger:state:')).toEqual(['linger:state:u:ann'])
    }
  })
})
