import { describe, expect, it } from 'vitest'
import { createFakePlatform } from '../fake-platform'
import { createLinger } from '../client'

/**
 * A tour counts as shown (its Tour Started, the cooldown it starts, its "once") when its first
 * step is on screen, not when its run began: a target that never comes spends nothing.
 */
const ghost = { id: 'ghost-tour', trigger: { event: 'Ghost' }, steps: [{ id: 'gone', target: '.does-not-exist', title: 'Nothing here' }] }
const late = { id: 'late-tour', trigger: { event: 'Late' }, repeat: 'once', steps: [{ id: 'new', target: '#late', title: 'New here', waitMs: 500 }] }
const nps = { id: 'nps', kind: 'nps', question: 'How likely are you to recommend us?', trigger: { event: 'Survey Me' } }
const flows = { version: 1, settings: { cooldownDays: 2 }, tours: [ghost, late], surveys: [nps] }

async function page() {
  const platform = createFakePlatform()
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
  const heard: string[] = []
  for (const name of ['tour:started', 'tour:target-missing', 'tour:dismissed']) linger.on(name, (p) => heard.push(`${name} ${p.tourId}`))
  linger.identify('u_1')
  await linger.ready
  await platform.advance(0)
  const tours = linger.experiences.tours!
  return { platform, linger, tours, heard, running: () => tours.$runs.get().map((r) => r.tour.id) }
}

describe('a tour whose target never appears', () => {
  it('spends nothing: no Tour Started, no cooldown (the NPS survey still comes), and why() says it may come again', async () => {
    const { platform, linger, tours, heard } = await page()
    linger.track('Ghost')
    // The widget looked for `.does-not-exist` for its waitMs.
    tours.targetMissing('ghost-tour')
    expect(heard).toEqual(['tour:target-missing ghost-tour'])
    expect(linger.why('ghost-tour').reasons).toEqual(['eligible'])
    linger.track('Survey Me')
    await platform.advance(0)
    expect(linger.why('nps').reasons).not.toContain('cooldown')
    expect(linger.why('nps').show).toBe(true)
  })

  it('a "once" tour triggered before its element rendered comes at its next trigger, and is then spent', async () => {
    const { platform, linger, tours, heard, running } = await page()
    linger.track('Late')
    tours.targetMissing('late-tour')
    expect(running()).toEqual([])
    // The app has drawn #late now.
    linger.track('Late')
    expect(running()).toEqual(['late-tour'])
    tours.targetFound('late-tour')
    // On screen, it holds the screen: the survey triggered meanwhile does not come over it.
    linger.track('Survey Me')
    await platform.advance(0)
    expect(linger.why('nps').reasons).toContain('blocked-by:late-tour')
    tours.next('late-tour')
    expect(heard).toEqual(['tour:target-missing late-tour', 'tour:started late-tour'])
    linger.track('Late')
    expect(running()).toEqual([])
    expect(linger.why('late-tour').reasons).toContain('repeat-once')
  })
})

describe('a hotspot whose target never appears', () => {
  it('spends nothing either: its dot comes at the next trigger, and once it was on screen its "once" is spent', async () => {
    const dot = { id: 'dot', trigger: { event: 'Dot' }, repeat: 'once', steps: [{ id: 'here', target: '#here', title: 'New', beacon: true }] }
    const platform = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { ...flows, tours: [dot] } }, { platform })
    await linger.ready
    const tours = linger.experiences.tours!
    const running = () => tours.$runs.get().map((r) => r.tour.id)
    linger.track('Dot')
    tours.targetMissing('dot')
    linger.track('Dot')
    expect(running()).toEqual(['dot'])
    // Its dot on screen; the user goes on without it (it leaves with its target).
    tours.targetFound('dot')
    tours.dismiss('dot', 'user-changed')
    linger.track('Dot')
    expect(running()).toEqual([])
    expect(linger.why('dot').reasons).toContain('repeat-once')
  })
})

describe('why() for a tour', () => {
  it('says what it waits for, that it is on screen, and, once the user finished it, why it will not come again', async () => {
    const { platform, linger, tours } = await page()
    const calm: Array<() => void> = []
    // The widgets' calm-screen gate: a toast is up.
    Object.assign(linger.host, { screen: { when: (fn: () => void) => void calm.push(fn) } })
    linger.track('Late')
    expect(linger.why('late-tour').reasons).toEqual(['waiting-for-calm'])
    calm.splice(0).forEach((fn) => fn())
    await platform.advance(0)
    // Its slot taken, its element still to come: nothing on screen yet.
    expect(linger.why('late-tour').reasons).toEqual(['waiting-for-draw'])
    tours.targetFound('late-tour')
    expect(linger.why('late-tour').reasons).toEqual(['showing'])
    tours.next('late-tour')
    expect(linger.why('late-tour').reasons).toContain('repeat-once')
  })
})

describe('a selector that matches nothing', () => {
  it('in debug mode, the console names the tour, the step and the selector; without debug, nothing is logged', async () => {
    const logs = async (debug: boolean) => {
      const platform = createFakePlatform()
      const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows, debug }, { platform })
      await linger.ready
      linger.track('Ghost')
      linger.experiences.tours!.targetMissing('ghost-tour')
      return platform.logs.map((args) => args.join(' '))
    }
    expect(await logs(true)).toContainEqual('warn tour "ghost-tour" step 1: no element matches .does-not-exist')
    expect((await logs(false)).filter((line) => line.includes('ghost-tour'))).toEqual([])
  })
})

describe('a tour whose first step lives on another page', () => {
  const billing = { id: 'billing-tour', trigger: { event: 'Billing Tour' }, repeat: 'once', steps: [{ id: 'plan', target: '#plan', title: 'Your plan', url: '#/billing*' }] }
  async function onDashboard(tour: object, settings = flows.settings) {
    const platform = createFakePlatform()
    platform.setPage({ hash: '#/dashboard', url: 'https://app.example.com/#/dashboard' })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { ...flows, settings, tours: [tour] } }, { platform })
    const heard: string[] = []
    for (const name of ['tour:started', 'tour:dismissed']) linger.on(name, (p) => heard.push(`${name} ${p.tourId}`))
    await linger.ready
    const tours = linger.experiences.tours!
    // On the dashboard, the card says "this continues on #/billing"; the user presses End tour.
    linger.track('Billing Tour')
    expect(tours.$runs.get().map((r) => r.status)).toEqual(['paused'])
    tours.dismiss('billing-tour', 'close')
    expect(tours.$runs.get()).toEqual([])
    return { platform, linger, tours, heard }
  }

  it('ended from the card that says so, before any step was seen: no Tour Started nor Dismissed, no cooldown for the next survey, but the user said "End tour": a "once" tour is spent', async () => {
    const { platform, linger, heard } = await onDashboard(billing)
    expect(heard).toEqual([])
    expect(linger.why('billing-tour').reasons).toEqual(['repeat-once', 'dismissed-snooze'])
    // No tour was shown, only a card: the survey the user triggers next is not held back by a cooldown.
    linger.track('Survey Me')
    await platform.advance(0)
    expect(linger.why('nps').reasons).not.toContain('cooldown')
    expect(linger.why('nps').show).toBe(true)
  })

  it('even with no cooldown at all, a "once" tour ended from its card does not come back at its next trigger, on its own page', async () => {
    const { platform, linger, tours, heard } = await onDashboard(billing, { cooldownDays: 0 })
    platform.setPage({ hash: '#/billing', url: 'https://app.example.com/#/billing' })
    linger.track('Billing Tour')
    await platform.advance(0)
    expect(tours.$runs.get()).toEqual([])
    expect(heard).toEqual([])
    expect(linger.why('billing-tour').reasons).toEqual(['repeat-once'])
  })

  it('the same from the card of a first step whose target is slow to come: "once" spent, nothing sent', async () => {
    const { platform, linger, tours, heard } = await page()
    linger.track('Late')
    await platform.advance(0)
    // Still looking for #late; the card says the step is on its way, and the user presses End tour.
    expect(tours.$runs.get().map((r) => r.status)).toEqual(['waiting'])
    tours.dismiss('late-tour', 'escape')
    linger.track('Late')
    await platform.advance(0)
    expect(tours.$runs.get()).toEqual([])
    expect(heard).toEqual([])
    expect(linger.why('late-tour').reasons).toEqual(['repeat-once', 'dismissed-snooze'])
  })

  it('a tour that repeats, ended from its card, keeps away for the snooze of a dismissal only: its repeat\'s wait starts at a showing, and there was none', async () => {
    const { linger } = await onDashboard({ ...billing, repeat: { afterDays: 30 } })
    expect(linger.why('billing-tour').reasons).toEqual(['dismissed-snooze'])
  })
})
