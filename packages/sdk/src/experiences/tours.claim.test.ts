import { describe, expect, it } from 'vitest'
import { createLinger } from '../client'
import { laggingStorage, lockedTabs } from '../lagging-storage'
import type { FakePlatform } from '../fake-platform'

const tour = { id: 'welcome', trigger: { event: 'Dashboard Viewed' }, repeat: 'once', steps: [{ id: 'hi', target: '#nav', title: 'Your projects live here', waitMs: 60_000 }] }
const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [tour] }

/**
 * Windows of one browser: their claims in one lock manager, each with its own copy of storage that
 * hears of the others' writes late (`lag.deliver()`). `slowClaims`: the lock manager answers the
 * first window's first showing claim only at `answer()`, a moment later, as Chromium's may.
 */
function oneBrowser(document: object = flows, { slowClaims = false } = {}) {
  const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
  const locks = lockedTabs(lag)
  let first: FakePlatform | undefined
  let answer = () => {}
  const windows: Array<{ platform: FakePlatform; linger: ReturnType<typeof createLinger>; started: string[] }> = []
  const open = async (userId?: string) => {
    const platform = locks.tab()
    if (first) Object.assign(platform, { withLock: first.withLock, holdLock: first.holdLock, heldLocks: first.heldLocks })
    else if (slowClaims) {
      const withLock = platform.withLock!
      let slow = true
      platform.withLock = async (name, fn) => {
        if (slow && name.startsWith('linger:shown:')) await new Promise<void>((r) => (answer = () => ((slow = false), r())))
        return withLock(name, fn)
      }
    }
    first ??= platform
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: document }, { platform })
    const started: string[] = []
    linger.on('tour:started', (p) => started.push(p.tourId))
    if (userId) linger.identify(userId)
    await linger.ready
    const running = () => linger.experiences.tours!.$runs.get().map((r) => r.tour.id)
    /** The user lands on the dashboard: the tour's trigger, its claim answered. */
    const viewsDashboard = async () => {
      linger.track('Dashboard Viewed')
      await locks.settled()
      await platform.advance(0)
    }
    windows.push({ platform, linger, started })
    return { linger, platform, started, running, viewsDashboard }
  }
  /** Time passes in every window, in the order they opened. */
  const advance = async (ms: number) => {
    for (const w of windows) await w.platform.advance(ms)
  }
  /** Each window hears the others' writes and acts on them: the tours started in all of them. */
  const heard = async () => {
    lag.deliver()
    await advance(0)
    return windows.flatMap((w) => w.started)
  }
  const close = () => windows.forEach((w) => w.linger.destroy())
  /** The user's two windows: in A the tour has started, its target yet to come; B is open beside it. */
  const tourWaitingInA = async () => {
    const a = await open('u_1')
    const b = await open('u_1')
    lag.deliver()
    a.linger.track('Dashboard Viewed')
    await locks.settled()
    lag.deliver()
    expect(a.running()).toEqual(['welcome'])
    return { a, b }
  }
  return { lag, locks, open, advance, heard, close, tourWaitingInA, answer: () => answer() }
}

describe('a once-tour waiting for its target in one window, longer than the other tabs are held back', () => {
  it('is not started again in the user\'s other window: when both pages draw its target at once, it is shown and counted once', async () => {
    const { advance, heard, close, tourWaitingInA } = oneBrowser()
    // Its target is slow to come in window A (a list still loading, a step on a page the user has yet to open).
    const { a, b } = await tourWaitingInA()
    await advance(15_000)
    // In window B, side by side, the same page: its trigger too.
    await b.viewsDashboard()
    // The target comes in both at once, each before hearing of the other.
    a.linger.experiences.tours!.targetFound('welcome')
    b.linger.experiences.tours!.targetFound('welcome')
    expect(await heard()).toEqual(['welcome'])
    expect(b.running()).toEqual([])
    close()
  }, 20_000)
})

describe('a visitor with two tabs open who signs up in one of them', () => {
  it('sees the once-tour in the first tab, signs up in the second and comes to the same page there: the tour is not shown, nor counted, again', async () => {
    const { lag, locks, open, heard, close } = oneBrowser()
    const a = await open()
    lag.deliver()
    const b = await open()
    lag.deliver()
    a.linger.track('Dashboard Viewed')
    await locks.settled()
    a.linger.experiences.tours!.targetFound('welcome')
    // Tab B, whose copy of storage has not heard of it yet, is where she signs up, and lands on the dashboard.
    b.linger.identify('ann')
    await b.viewsDashboard()
    b.linger.experiences.tours!.targetFound('welcome')
    expect(await heard()).toEqual(['welcome'])
    expect(b.running()).toEqual([])
    close()
  }, 20_000)
})

describe('a visitor whose once-tour is being claimed as she signs up, its target slow to come', () => {
  it('is not started again in her other window 15 s later: when both pages draw its target, it is shown and counted once', async () => {
    // The lock manager answers a claim a moment later, as Chromium's does: she signs up in that moment.
    const { lag, locks, open, advance, heard, close, answer } = oneBrowser(flows, { slowClaims: true })
    const a = await open()
    const b = await open()
    lag.deliver()
    await a.viewsDashboard()
    a.linger.identify('ann')
    answer()
    await a.platform.advance(0)
    await locks.settled()
    await a.platform.advance(0)
    lag.deliver()
    expect(a.running()).toEqual(['welcome'])
    await advance(15_000)
    expect(b.linger.host.user.get().userId).toBe('ann')
    await b.viewsDashboard()
    a.linger.experiences.tours!.targetFound('welcome')
    b.linger.experiences.tours!.targetFound('welcome')
    expect(await heard()).toEqual(['welcome'])
    close()
  }, 20_000)
})

const survey = { id: 'csat-export', kind: 'csat', question: 'How satisfied are you with exporting reports?', scale: 5, trigger: { event: 'Report Exported' }, repeat: 'once' }

describe('a tour in window A waiting for a target that never comes', () => {
  it('the survey the user triggers in window B comes within the 10 s claim, not a minute later', async () => {
    const { lag, locks, advance, close, tourWaitingInA } = oneBrowser({ version: 1, settings: { cooldownDays: 2 }, tours: [tour], surveys: [survey] })
    const { b } = await tourWaitingInA()
    await advance(1000)
    b.linger.track('Report Exported')
    await locks.settled()
    let at = -1
    for (let t = 0; t <= 80_000 && at < 0; t += 1000) {
      await advance(1000)
      await locks.settled()
      lag.deliver()
      if (b.linger.experiences.surveys!.$session.get()) at = t
    }
    expect(at).toBeGreaterThanOrEqual(0)
    expect(at).toBeLessThan(20_000)
    close()
  }, 30_000)
})

describe('a once-tour waiting for its target while the user looks at another window a moment', () => {
  it('once they come back, see it and finish it, why() says it will not come again (not that it waits for its turn)', async () => {
    const { open } = oneBrowser()
    const { linger, platform, running, viewsDashboard } = await open('u_1')
    let away = false
    Object.assign(linger.host, { screen: { when: (fn: () => void) => fn(), away: () => away } })
    await viewsDashboard()
    expect(running()).toEqual(['welcome'])
    away = true
    await platform.advance(11_000)
    away = false
    linger.experiences.tours!.targetFound('welcome')
    await platform.advance(0)
    linger.experiences.tours!.next('welcome')
    await platform.advance(0)
    expect(linger.experiences.tours!.$runs.get()).toEqual([])
    expect(linger.why('welcome').reasons).not.toEqual(['waiting-for-turn'])
    linger.destroy()
  }, 20_000)
})
