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

describe('a "Take the tour" button clicked while another tour is on screen', () => {
  async function busy() {
    const platform = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { ...flows, settings: { cooldownDays: 0 } } }, { platform })
    linger.identify('u_1')
    await linger.ready
    const tours = linger.experiences.tours!
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
