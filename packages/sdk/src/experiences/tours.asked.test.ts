import { afterEach, describe, expect, it } from 'vitest'
import { createFakePlatform } from '../fake-platform'
import { createLinger } from '../client'

/**
 * A "Take the tour" button whose handler tracks the tour's trigger: the user asked for the tour,
 * so the cooldown after the last blocking experience does not hold it back (scheduler.ts).
 */
const tour = { id: 'reports-tour', trigger: { event: 'Tour Requested' }, steps: [{ id: 'a', target: '#reports', title: 'Your reports' }] }
const welcome = { id: 'welcome', steps: [{ id: 'hi', target: '#nav', title: 'Welcome' }] }
const flows = { version: 1, settings: { cooldownDays: 2 }, tours: [welcome, tour] }

// What a browser's window.event is while a click handler runs.
const inClick = (fn: () => void) => {
  ;(globalThis as { event?: unknown }).event = { isTrusted: true, type: 'click' }
  try {
    fn()
  } finally {
    delete (globalThis as { event?: unknown }).event
  }
}
afterEach(() => void delete (globalThis as { event?: unknown }).event)

/** The user was shown (and closed) the welcome tour a minute ago: the cooldown holds. */
async function pageAfterWelcome() {
  const shared = new Map<string, string>()
  const first = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform: createFakePlatform({ shared }) })
  first.identify('u_1')
  await first.ready
  first.show('welcome')
  first.experiences.tours!.targetFound('welcome')
  first.experiences.tours!.dismiss('welcome', 'close')
  first.destroy()
  const platform = createFakePlatform({ shared, now: Date.parse('2026-03-02T10:01:00Z') })
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
  linger.identify('u_1')
  return { linger, running: () => linger.experiences.tours?.$runs.get().map((r) => r.tour.id) ?? [] }
}

describe('a "Take the tour" button clicked during the cooldown', () => {
  it('clicked once the page is running, the tour starts', async () => {
    const { linger, running } = await pageAfterWelcome()
    await linger.ready
    linger.track('Tour Requested')
    expect(running()).toEqual([])
    expect(linger.why('reports-tour').reasons).toEqual(['cooldown'])
    inClick(() => linger.track('Tour Requested'))
    expect(running()).toEqual(['reports-tour'])
  })

  it('clicked while Linger is still starting (its flows not yet in), the tour starts once they are: the click is not lost', async () => {
    const { linger, running } = await pageAfterWelcome()
    inClick(() => linger.track('Tour Requested'))
    await linger.ready
    expect(running()).toEqual(['reports-tour'])
  })

  it('tracked while starting but not in a click (the app\'s own start-up), the cooldown still holds it back', async () => {
    const { linger, running } = await pageAfterWelcome()
    linger.track('Tour Requested')
    await linger.ready
    expect(running()).toEqual([])
    expect(linger.why('reports-tour').reasons).toEqual(['cooldown'])
  })
})

/** The app signed in as u_1 on this platform (whose storage the user's other tab may share). */
async function signedIn(platform: ReturnType<typeof createFakePlatform>, settings?: { cooldownDays: number }) {
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: settings ? { ...flows, settings } : flows }, { platform })
  linger.identify('u_1')
  await linger.ready
  return { linger, tours: linger.experiences.tours! }
}

describe('a "Take the tour" button clicked while another tour is on screen', () => {
  async function busy() {
    const platform = createFakePlatform()
    const { linger, tours } = await signedIn(platform, { cooldownDays: 0 })
    linger.show('welcome')
    inClick(() => linger.track('Tour Requested'))
    await platform.advance(0)
    return { platform, linger, tours, running: () => tours.$runs.get().map((r) => r.tour.id) }
  }

  it('starts the tour the user asked for once the other one closes, rather than never', async () => {
    const { platform, linger, tours, running } = await busy()
    expect(running()).toEqual(['welcome'])
    expect(linger.why('reports-tour').reasons).toEqual(['blocked-by:welcome'])
    await platform.advance(10_000)
    tours.dismiss('welcome', 'close')
    await platform.advance(0)
    expect(running()).toEqual(['reports-tour'])
  })

  it('does not start it out of the blue once the other has been up for more than 30 s: the moment has passed', async () => {
    const { platform, tours, running } = await busy()
    await platform.advance(31_000)
    tours.dismiss('welcome', 'close')
    await platform.advance(0)
    expect(running()).toEqual([])
  })

  it('does not start it on another page the user went to meanwhile', async () => {
    const { platform, linger, tours, running } = await busy()
    platform.setPage({ hash: '#/settings', url: 'https://app.example.com/#/settings' })
    linger.page()
    tours.dismiss('welcome', 'close')
    await platform.advance(0)
    expect(running()).toEqual([])
  })
})

describe('a "Take the tour" button clicked while the tab waits for its turn across the user\'s tabs', () => {
  it('the tour, already on its way on its own, comes as the one the user asked for: its first step takes focus', async () => {
    const platform = createFakePlatform()
    // The user's tours lock, held by their other tab a moment longer: this tab's turn comes when we say.
    const turns: Array<() => void | Promise<void>> = []
    platform.exclusive = (_name, fn) => void turns.push(fn)
    const { linger, tours } = await signedIn(platform, { cooldownDays: 0 })
    // The app tracks the trigger on its own (a first visit to Reports): the tab waits for its turn.
    linger.track('Tour Requested')
    await platform.advance(0)
    expect(turns).toHaveLength(1)
    // Meanwhile the user presses "Take the tour".
    inClick(() => linger.track('Tour Requested'))
    await platform.advance(0)
    turns.splice(0).forEach((fn) => fn())
    await platform.advance(0)
    // `asked` is what the tour's view reads to move focus into its first tip.
    expect(tours.$runs.get().map((r) => [r.tour.id, !!r.asked])).toEqual([['reports-tour', true]])
  })
})

describe('a "Take the tour" button clicked while the tab waits for its turn, and another tab showed something seconds ago', () => {
  it('the tour the user asked for comes at once: another tab\'s recent showing spaces what comes on its own, not what they ask for', async () => {
    const shared = new Map<string, string>()
    const platform = createFakePlatform({ shared })
    // The user's other tab put a survey on screen a moment ago: it holds their one showing across
    // tabs (its write to storage not here yet). Their tours lock is held by it a moment longer too.
    const turns: Array<() => void | Promise<void>> = []
    platform.exclusive = (_name, fn) => void turns.push(fn)
    const { linger, tours } = await signedIn(platform)
    // (Claimed for the device's person: see across-tabs.ts inTurn.)
    createFakePlatform({ shared }).holdLock!(`linger:shown:${linger.host.user.get().anonymousId}`)
    // The app tracks the trigger on its own: the tab waits for its turn.
    linger.track('Tour Requested')
    await platform.advance(0)
    expect(turns).toHaveLength(1)
    // Meanwhile the user presses "Take the tour"; then each turn this tab waits for comes.
    inClick(() => linger.track('Tour Requested'))
    for (let i = 0; i < 5 && turns.length; i++) {
      turns.splice(0).forEach((fn) => fn())
      await platform.advance(0)
    }
    expect(tours.$runs.get().map((r) => [r.tour.id, !!r.asked])).toEqual([['reports-tour', true]])
    expect(linger.why('reports-tour').reasons).toEqual(['waiting-for-draw'])
  })
})

describe('a "Take the tour" button clicked while the tour waits to be tried again, another tab having shown something seconds ago', () => {
  it('the tour comes at the click, not when the other tab\'s hold runs out seconds later', async () => {
    const shared = new Map<string, string>()
    const platform = createFakePlatform({ shared })
    // The user's other tab put a survey on screen a moment ago: it holds their one showing across tabs.
    platform.exclusive = (_name, fn) => void fn()
    const { linger, tours } = await signedIn(platform)
    createFakePlatform({ shared }).holdLock!(`linger:shown:${linger.host.user.get().anonymousId}`)
    // The app tracks the trigger on its own: spaced from the other tab's survey, it is tried again later.
    linger.track('Tour Requested')
    await platform.advance(0)
    expect(linger.why('reports-tour').reasons).toEqual(['cooldown'])
    await platform.advance(1_000)
    // A second later the user presses "Take the tour".
    inClick(() => linger.track('Tour Requested'))
    await platform.advance(0)
    expect(tours.$runs.get().map((r) => [r.tour.id, !!r.asked])).toEqual([['reports-tour', true]])
  })
})
