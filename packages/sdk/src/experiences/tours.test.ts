import { describe, expect, it } from 'vitest'
import { atom } from 'nanostores'
import { createFakePlatform } from '../fake-platform'
import { matchGlob } from '../glob'
import type { Flows } from '../config/flows-schema'
import type { Properties } from '../events'
import type { PageInfo } from '../platform'
import type { ExperienceHost, SlotRequest, UserView } from './host'
import type { Tour } from '../config/flows-schema'
import { createTours } from './tours'
import { createLinger } from '../client'
import { laggingStorage, lockedTabs } from '../lagging-storage'

/**
 * A host with just enough core: a blocking slot that one tour holds at a time, audience rules
 * answered by `allow`, event counts kept from what was tracked, URL rules matched on the hash,
 * and, as the engine's, a trigger that no longer holds refused as moved-on.
 */
function fakeHost(tours: Tour[], opts: { allow?: (req: SlotRequest) => boolean; hash?: string } = {}) {
  const platform = createFakePlatform()
  if (opts.hash) platform.setPage({ hash: opts.hash, url: `https://app.example.com/${opts.hash}` })
  const trackFns = new Set<(n: string, p: Properties, t: number) => void>()
  const pageFns = new Set<(p: PageInfo) => void>()
  const counts: Record<string, number> = {}
  const sent: Array<[string, Properties]> = []
  const requests: SlotRequest[] = []
  const released: Array<[string, string]> = []
  let blockingHeldBy: string | null = null
  const user = atom<UserView>({ userKey: 'u:1', anonymousId: 'a1', userId: '1', traits: {} })
  const track = (name: string, props: Properties = {}) => {
    counts[name] = (counts[name] ?? 0) + 1
    trackFns.forEach((fn) => fn(name, props, platform.now()))
  }
  const host = {
    platform,
    flows: atom({ tours } as unknown as Flows),
    user,
    emit: (name: string, props: Properties) => {
      sent.push([name, props])
      track(name, props)
    },
    onTrack: (fn: (n: string, p: Properties, t: number) => void) => (trackFns.add(fn), () => void trackFns.delete(fn)),
    onPage: (fn: (p: PageInfo) => void) => (pageFns.add(fn), () => void pageFns.delete(fn)),
    evaluate(rule: any) {
      if (rule && 'url' in rule) return { ok: matchGlob(rule.url, platform.page().hash), failed: [] }
      if (rule && 'event' in rule) return { ok: (counts[rule.event] ?? 0) >= (rule.count?.gte ?? 1), failed: [] }
      return { ok: true, failed: [] }
    },
    // As the engine's: a URL trigger holds while it matches, an event's while the user is on its page.
    still(rule: any) {
      const at = platform.page().url
      return () => ('url' in rule ? matchGlob(rule.url, platform.page().hash) : platform.page().url === at)
    },
    request(req: SlotRequest) {
      requests.push(req)
      if (req.still?.() === false) return { show: false, reasons: ['moved-on'] }
      if (opts.allow && !opts.allow(req)) return { show: false, reasons: ['audience'] }
      if (req.kind === 'tour' && blockingHeldBy) return { show: false, reasons: ['slot-busy'] }
      if (req.kind === 'tour') blockingHeldBy = req.id
      return { show: true, reasons: ['eligible'] }
    },
    release(id: string, outcome: string) {
      released.push([id, outcome])
      if (blockingHeldBy === id) blockingHeldBy = null
    },
    reportError: () => {},
    handlers: {},
    state: { get: () => undefined, subscribe: () => () => {} },
  } as unknown as ExperienceHost
  const navigate = (hash: string) => {
    platform.setPage({ hash, url: `https://app.example.com/${hash}` })
    pageFns.forEach((fn) => fn(platform.page()))
  }
  return { host, platform, track, navigate, sent, requests, released, user, names: () => sent.map(([n]) => n) }
}

const exportTour: Tour = {
  id: 'export-tour',
  trigger: { event: 'Dashboard Viewed' },
  audience: { not: { event: 'Report Exported' } },
  repeat: 'once',
  steps: [
    { id: 'open-reports', target: "[data-tour='reports-tab']", title: 'Your reports live here', advance: 'next' },
    { id: 'export-button', target: "[data-tour='export']", title: 'Export in one click', advance: 'click', onMissing: 'skip' },
  ],
}
const hint: Tour = {
  id: 'integrations-hint',
  trigger: { url: '#/settings*' },
  repeat: 'until-completed',
  steps: [{ id: 'slack', target: "[data-tour='integrations']", title: 'Connect Slack', beacon: true }],
}
const manual: Tour = { id: 'manual', steps: [{ id: 'one', target: '#one', title: 'One' }] }

describe('starting tours', () => {
  it('an event trigger starts the tour, asks for the blocking slot with its policies, and needs UI', () => {
    const h = fakeHost([exportTour])
    const tours = createTours(h.host)
    expect(tours.$needsUi.get()).toBe(false)
    h.track('Dashboard Viewed')
    // The slot taken, not yet counted as shown (`resumed`): its target is still to come.
    expect(h.requests).toEqual([{ id: 'export-tour', kind: 'tour', audience: exportTour.audience, repeat: 'once', priority: undefined, force: false, asked: false, still: expect.any(Function), look: undefined, resumed: true }])
    expect(tours.$runs.get().map((r) => r.tour.id)).toEqual(['export-tour'])
    expect(tours.$needsUi.get()).toBe(true)
    expect(h.sent).toEqual([])
    // Its first step on screen: started, and counted as shown.
    tours.targetFound('export-tour')
    expect(h.sent[0]).toEqual(['Tour Started', { tourId: 'export-tour', runId: expect.any(String), stepIndex: 0, stepId: 'open-reports' }])
    expect(h.requests[1]).toMatchObject({ id: 'export-tour', kind: 'tour', seen: true })
  })

  it('each run of a tour is named apart: a tour shown again after the user closed it counts as a second run, not as the first one finished', () => {
    const h = fakeHost([manual])
    const tours = createTours(h.host)
    tours.show!('manual')
    tours.targetFound('manual')
    tours.dismiss('manual', 'close')
    tours.show!('manual')
    tours.targetFound('manual')
    tours.next('manual')
    const runs = h.sent.map(([name, p]) => `${name} ${p.runId === h.sent[0][1].runId ? 'first' : typeof p.runId}`)
    expect(runs).toEqual(['Tour Started first', 'Tour Step Viewed first', 'Tour Dismissed first', 'Tour Started string', 'Tour Step Viewed string', 'Tour Completed string'])
    expect(new Set(h.sent.slice(3).map(([, p]) => p.runId)).size).toBe(1)
  })

  it('with widgets on screen, a triggered tour waits for a calm screen; a URL trigger is re-checked then', () => {
    const h = fakeHost([exportTour, hint], { hash: '#/dashboard' })
    const calm: Array<() => void> = []
    h.host.screen = { when: (fn) => void calm.push(fn) }
    const tours = createTours(h.host)
    h.track('Dashboard Viewed')
    h.track('Dashboard Viewed')
    expect(h.names()).toEqual([])
    expect(calm).toHaveLength(1)
    calm.splice(0).forEach((fn) => fn())
    expect(tours.$runs.get().map((r) => r.tour.id)).toEqual(['export-tour'])
    tours.targetFound('export-tour')
    expect(h.names()).toEqual(['Tour Started', 'Tour Step Viewed'])
    h.navigate('#/settings')
    expect(calm).toHaveLength(1)
    // The user left the settings page while the toast was up: the hotspot no longer applies.
    h.navigate('#/projects')
    calm.splice(0).forEach((fn) => fn())
    expect(tours.$runs.get().map((r) => r.tour.id)).toEqual(['export-tour'])
    expect(h.names()).toEqual(['Tour Started', 'Tour Step Viewed'])
    // linger.show(id) is the vendor's explicit call: at once.
    tours.show!('integrations-hint')
    expect(tours.$runs.get().map((r) => r.tour.id)).toContain('integrations-hint')
  })

  it('an event trigger with a count waits until the count is reached', () => {
    const h = fakeHost([{ ...manual, trigger: { event: 'Report Exported', count: { gte: 3 } } }])
    const tours = createTours(h.host)
    h.track('Report Exported')
    h.track('Report Exported')
    expect(tours.$runs.get()).toEqual([])
    h.track('Report Exported')
    expect(tours.$runs.get()).toHaveLength(1)
  })

  it('other events do not start it, and a second trigger while it runs does not restart it', () => {
    const h = fakeHost([exportTour])
    const tours = createTours(h.host)
    h.track('Project Created')
    expect(h.requests).toEqual([])
    h.track('Dashboard Viewed')
    tours.targetFound('export-tour')
    h.track('Dashboard Viewed')
    expect(h.names().filter((n) => n === 'Tour Started')).toHaveLength(1)
    expect(tours.$runs.get()).toHaveLength(1)
  })

  it('a URL trigger starts a hotspot on the page the user lands on, without the blocking slot', () => {
    const h = fakeHost([hint], { hash: '#/settings' })
    const tours = createTours(h.host)
    expect(h.requests[0]).toMatchObject({ id: 'integrations-hint', kind: 'hotspot', repeat: 'until-completed' })
    expect(tours.$runs.get()).toHaveLength(1)
  })

  it('a URL trigger starts when the single-page app navigates to a matching route', () => {
    const h = fakeHost([hint], { hash: '#/projects' })
    const tours = createTours(h.host)
    expect(tours.$runs.get()).toEqual([])
    h.navigate('#/settings/team')
    expect(tours.$runs.get().map((r) => r.tour.id)).toEqual(['integrations-hint'])
  })

  it('a URL trigger for pro users starts once identify(), just after the page loaded, says the user is on pro; the same identify again starts nothing', () => {
    const proHint: Tour = { ...hint, repeat: 'always' }
    const h = fakeHost([proHint], { hash: '#/settings', allow: () => h.user.get().traits.plan === 'pro' })
    const tours = createTours(h.host)
    expect(tours.$runs.get()).toEqual([])
    h.user.set({ ...h.user.get(), traits: { plan: 'pro' } })
    expect(tours.$runs.get().map((r) => r.tour.id)).toEqual(['integrations-hint'])
    tours.dismiss('integrations-hint', 'close')
    const asked = h.requests.length
    h.user.set({ ...h.user.get(), traits: { plan: 'pro' } })
    expect(h.requests).toHaveLength(asked)
    expect(tours.$runs.get()).toEqual([])
  })

  it('a user who left the page while its hotspot waited for a calm screen gets it when they come back', () => {
    const h = fakeHost([hint], { hash: '#/projects' })
    const calm: Array<() => void> = []
    h.host.screen = { when: (fn: () => void) => void calm.push(fn) } as unknown as ExperienceHost['screen']
    const tours = createTours(h.host)
    h.navigate('#/settings')
    h.navigate('#/dashboard')
    calm.splice(0).forEach((fn) => fn())
    expect(tours.$runs.get()).toEqual([])
    h.navigate('#/settings')
    calm.splice(0).forEach((fn) => fn())
    expect(tours.$runs.get().map((r) => r.tour.id)).toEqual(['integrations-hint'])
  })

  it('a hotspot and a blocking tour are on screen together', () => {
    const h = fakeHost([exportTour, hint], { hash: '#/settings' })
    const tours = createTours(h.host)
    h.track('Dashboard Viewed')
    expect(tours.$runs.get().map((r) => r.tour.id).sort()).toEqual(['export-tour', 'integrations-hint'])
  })

  it('linger.show starts a tour without a trigger, forced past audience and cooldown', () => {
    const h = fakeHost([manual])
    const tours = createTours(h.host)
    expect(tours.show?.('manual')).toBe(true)
    expect(h.requests[0]).toMatchObject({ id: 'manual', kind: 'tour', force: true })
    expect(tours.$runs.get()).toHaveLength(1)
  })

  it('show answers false for an id that is not a tour', () => {
    const h = fakeHost([manual])
    expect(createTours(h.host).show?.('getting-started')).toBe(false)
  })

  it('a tour the core says no to does not start, and why() gives the core’s reasons', () => {
    const h = fakeHost([exportTour], { allow: () => false })
    const tours = createTours(h.host)
    expect(tours.why?.('export-tour')).toEqual(['not-triggered'])
    h.track('Dashboard Viewed')
    expect(tours.$runs.get()).toEqual([])
    expect(h.names()).not.toContain('Tour Started')
    expect(tours.why?.('export-tour')).toEqual(['audience'])
    expect(tours.why?.('nps-quarterly')).toBeUndefined()
  })

  it('a second blocking tour is turned away while one is on screen', () => {
    const h = fakeHost([exportTour, manual])
    const tours = createTours(h.host)
    h.track('Dashboard Viewed')
    tours.show?.('manual')
    expect(tours.$runs.get().map((r) => r.tour.id)).toEqual(['export-tour'])
    expect(tours.why?.('manual')).toEqual(['slot-busy'])
  })

  it('a tour with no steps never starts', () => {
    const h = fakeHost([{ ...manual, steps: [] }])
    const tours = createTours(h.host)
    expect(tours.show?.('manual')).toBe(false)
    expect(h.requests).toEqual([])
  })
})

describe('running a tour', () => {
  it('walks the export tour to completion and frees the slot as completed', () => {
    const h = fakeHost([exportTour])
    const tours = createTours(h.host)
    h.track('Dashboard Viewed')
    tours.targetFound('export-tour')
    tours.next('export-tour')
    tours.targetFound('export-tour')
    tours.targetClicked('export-tour')
    expect(h.names()).toEqual(['Tour Started', 'Tour Step Viewed', 'Tour Step Viewed', 'Tour Completed'])
    expect(h.released).toEqual([['export-tour', 'completed']])
    expect(tours.$runs.get()).toEqual([])
  })

  it('closing records a dismissal with the step and reason', () => {
    const h = fakeHost([exportTour])
    const tours = createTours(h.host)
    h.track('Dashboard Viewed')
    tours.targetFound('export-tour')
    tours.dismiss('export-tour', 'close')
    expect(h.sent.at(-1)).toEqual(['Tour Dismissed', { tourId: 'export-tour', runId: expect.any(String), stepIndex: 0, stepId: 'open-reports', reason: 'close' }])
    expect(h.released).toEqual([['export-tour', 'dismissed']])
  })

  it('a tour that ends because its targets are missing is released as abandoned, not dismissed by the user', () => {
    const h = fakeHost([hint], { hash: '#/settings' })
    const tours = createTours(h.host)
    tours.targetMissing('integrations-hint')
    // A hotspot's dot never came, so never opened: nothing started (nor dismissed), the vendor told its target is missing.
    expect(h.names()).toEqual(['Tour Target Missing'])
    expect(h.released).toEqual([['integrations-hint', 'abandoned']])
  })

  it('a "click here" hotspot the user obeyed, clicking its target without opening the beacon, is recorded as completed and does not come back', () => {
    const clickHere: Tour = { ...hint, steps: [{ ...hint.steps[0], advance: 'click' }] }
    const h = fakeHost([clickHere], { hash: '#/settings' })
    const tours = createTours(h.host)
    tours.targetFound('integrations-hint')
    tours.targetClicked('integrations-hint')
    expect(h.names()).toEqual(['Tour Started', 'Tour Completed'])
    // Completed is what ends an until-completed hotspot for good.
    expect(h.released).toEqual([['integrations-hint', 'completed']])
  })

  it('the slot is free before Tour Completed goes out, so what it triggers can show', () => {
    const h = fakeHost([manual, { ...exportTour, trigger: { event: 'Tour Completed' } }])
    const tours = createTours(h.host)
    tours.show?.('manual')
    tours.targetFound('manual')
    tours.next('manual')
    expect(tours.$runs.get().map((r) => r.tour.id)).toEqual(['export-tour'])
  })

  it('a target gone with a route change pauses the tour, and it resumes on its page', () => {
    const h = fakeHost([exportTour], { hash: '#/dashboard' })
    const tours = createTours(h.host)
    h.track('Dashboard Viewed')
    tours.targetFound('export-tour')
    h.navigate('#/settings')
    expect(tours.$runs.get()[0].status).toBe('showing')
    tours.targetLost('export-tour')
    expect(tours.$runs.get()[0].status).toBe('paused')
    h.navigate('#/dashboard')
    expect(tours.$runs.get()[0].status).toBe('waiting')
    tours.targetFound('export-tour')
    expect(tours.$runs.get()[0].status).toBe('showing')
  })

  it('a hotspot left with its settings page comes back on another settings page its trigger matches, not only at the exact URL it left', () => {
    const h = fakeHost([hint], { hash: '#/settings' })
    const tours = createTours(h.host)
    tours.targetFound('integrations-hint')
    h.navigate('#/projects')
    tours.targetLost('integrations-hint')
    expect(tours.$runs.get()[0].status).toBe('paused')
    // The widget sees the target again on #/settings/notifications (its sidebar has the link).
    h.navigate('#/settings/notifications')
    tours.targetFound('integrations-hint')
    expect(tours.$runs.get()[0].status).toBe('showing')
  })

  it('a step paused on a page its url glob does not match stays paused there, its target there or not', () => {
    const twoPages: Tour = { id: 'two-pages', steps: [{ id: 'there', target: '#b', title: 'B', url: '#/reports*' }] }
    const h = fakeHost([twoPages], { hash: '#/dashboard' })
    const tours = createTours(h.host)
    tours.show?.('two-pages')
    expect(tours.$runs.get()[0].status).toBe('paused')
    tours.targetFound('two-pages')
    expect(tours.$runs.get()[0].status).toBe('paused')
    // Never on screen: not started.
    expect(h.names()).toEqual([])
  })

  it('a step bound to a page glob waits paused elsewhere, then looks for its target there', () => {
    const twoPages: Tour = {
      id: 'two-pages',
      steps: [
        { id: 'here', target: '#a', title: 'A' },
        { id: 'there', target: '#b', title: 'B', url: '#/reports*' },
      ],
    }
    const h = fakeHost([twoPages], { hash: '#/dashboard' })
    const tours = createTours(h.host)
    tours.show?.('two-pages')
    tours.targetFound('two-pages')
    tours.next('two-pages')
    expect(tours.$runs.get()[0]).toMatchObject({ index: 1, status: 'paused' })
    tours.targetMissing('two-pages')
    expect(tours.$runs.get()[0].status).toBe('paused')
    h.navigate('#/reports/q1')
    expect(tours.$runs.get()[0].status).toBe('waiting')
    tours.targetFound('two-pages')
    h.navigate('#/reports/q2')
    expect(tours.$runs.get()[0].status).toBe('showing')
    h.navigate('#/settings')
    expect(tours.$runs.get()[0].status).toBe('paused')
  })

  it('a step on the reports pages whose button re-renders as the user opens one report is looked for there, not paused as if elsewhere', () => {
    const exportReports: Tour = { id: 'reports', steps: [{ id: 'export', target: '#export', title: 'Export', url: '#/reports*' }] }
    const h = fakeHost([exportReports], { hash: '#/reports' })
    const tours = createTours(h.host)
    tours.show?.('reports')
    tours.targetFound('reports')
    h.navigate('#/reports/42')
    tours.targetLost('reports')
    expect(tours.$runs.get()[0].status).toBe('waiting')
    tours.targetFound('reports')
    expect(tours.$runs.get()[0].status).toBe('showing')
    expect(h.names()).toEqual(['Tour Started', 'Tour Step Viewed'])
  })

  it('actions for a tour that is not running are ignored', () => {
    const h = fakeHost([exportTour])
    const tours = createTours(h.host)
    tours.next('export-tour')
    tours.dismiss('nope', 'close')
    expect(h.sent).toEqual([])
  })

  it('another user signing in ends the tour quietly; new traits for the same user do not', () => {
    const h = fakeHost([exportTour])
    const tours = createTours(h.host)
    h.track('Dashboard Viewed')
    tours.targetFound('export-tour')
    h.user.set({ ...h.user.get(), traits: { plan: 'pro' } })
    expect(tours.$runs.get()).toHaveLength(1)
    h.user.set({ userKey: 'u:2', anonymousId: 'a1', userId: '2', traits: {} })
    expect(tours.$runs.get()).toEqual([])
    expect(h.names()).toEqual(['Tour Started', 'Tour Step Viewed'])
    expect(h.released).toEqual([['export-tour', 'abandoned']])
  })

  it('after dispose, triggers no longer start tours', () => {
    const h = fakeHost([exportTour])
    createTours(h.host).dispose()
    h.track('Dashboard Viewed')
    expect(h.requests).toEqual([])
  })
})

describe('a triggered tour the user moved on from', () => {
  it('triggered on the dashboard while a celebration was up, it does not start on the settings page the user went to: its "once" is kept for the dashboard', async () => {
    const tour = { id: 'welcome', trigger: { event: 'Dashboard Viewed' }, repeat: 'once', steps: [{ id: 'hi', target: '#widgets', title: 'Your widgets' }] }
    const platform = createFakePlatform()
    const go = (hash: string) => (platform.setPage({ hash, url: `https://app.example.com/${hash}` }), linger.page())
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1, settings: { cooldownDays: 0 }, tours: [tour] } }, { platform })
    linger.identify('u_1')
    await linger.ready
    const running = () => linger.experiences.tours!.$runs.get().map((r) => r.tour.id)
    const calm: Array<() => void> = []
    linger.host.screen = { when: (fn) => void calm.push(fn) }
    go('#/dashboard')
    linger.track('Dashboard Viewed')
    go('#/settings')
    calm.splice(0).forEach((fn) => fn())
    expect(running()).toEqual([])
    expect(linger.why('welcome').reasons).toEqual(['moved-on'])
    // Back on the dashboard, the next visit starts it there.
    go('#/dashboard')
    linger.track('Dashboard Viewed')
    calm.splice(0).forEach((fn) => fn())
    expect(running()).toEqual(['welcome'])
  })
})

describe('another person at the laptop', () => {
  it('asking why() is not told the last user\'s "no" (they closed it): the tour waits for its trigger, for them', async () => {
    const tour = { id: 'welcome', trigger: { event: 'Dashboard Viewed' }, repeat: 'once', steps: [{ id: 'hi', title: 'Your projects live here' }] }
    for (const next of ['reset', 'identify']) {
      const platform = createFakePlatform()
      const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1, settings: { cooldownDays: 0 }, tours: [tour] } }, { platform })
      linger.identify('ana')
      await linger.ready
      linger.track('Dashboard Viewed')
      await platform.advance(0)
      // On screen (the widget finds a step without a target at once), then closed.
      linger.experiences.tours!.targetFound('welcome')
      linger.experiences.tours!.dismiss('welcome', 'close')
      linger.track('Dashboard Viewed')
      await platform.advance(0)
      expect(linger.why('welcome').reasons).toEqual(['repeat-once'])
      if (next == 'reset') linger.reset()
      else linger.identify('bob')
      expect(linger.why('welcome').reasons).toEqual(['not-triggered'])
      linger.destroy()
    }
  })
})

describe('two tabs triggering a once-tour in the same moment', () => {
  it('shows it in one of them: the other, waiting for its target, hears it was shown and lets it go', async () => {
    const tour = { id: 'welcome', trigger: { event: 'Dashboard Viewed' }, repeat: 'once', steps: [{ id: 'hi', target: '#nav', title: 'Your projects live here', body: 'All of them.' }] }
    const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [tour] }
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const locks = lockedTabs(lag)
    const open = async () => {
      const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform: locks.tab() })
      linger.identify('u_1')
      await linger.ready
      return { linger, running: () => linger.experiences.tours!.$runs.get().map((r) => r.tour.id) }
    }
    const a = await open()
    const b = await open()
    lag.deliver()
    a.linger.track('Dashboard Viewed')
    b.linger.track('Dashboard Viewed')
    await locks.settled()
    lag.deliver()
    // Neither on screen yet (counted once it is: its target may never come).
    expect([a.running(), b.running()]).toEqual([['welcome'], ['welcome']])
    a.linger.experiences.tours!.targetFound('welcome')
    lag.deliver()
    expect([a.running(), b.running()]).toEqual([['welcome'], []])
    expect(b.linger.why('welcome').reasons).toEqual(['repeat-once'])
    // Its target then drawn in the other tab: nothing comes back there.
    b.linger.experiences.tours!.targetFound('welcome')
    expect(b.running()).toEqual([])
  })
})

describe('a tour in one tab and a survey in another, inside cooldownDays', () => {
  it('the survey shown in the other tab while the tour waited for its target: the tour lets it go, and the user is not asked twice', async () => {
    const tour = { id: 'reports', trigger: { event: 'Dashboard Viewed' }, steps: [{ id: 'hi', target: '#reports', title: 'Your reports live here', waitMs: 60_000 }] }
    const nps = { id: 'nps', kind: 'nps', question: 'How likely are you to recommend us?', trigger: { event: 'Survey Me' } }
    const flows = { version: 1, settings: { cooldownDays: 2 }, tours: [tour], surveys: [nps] }
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const locks = lockedTabs(lag)
    const open = async () => {
      const platform = locks.tab()
      const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
      const heard: string[] = []
      for (const name of ['tour:started', 'survey:shown']) linger.on(name, (p) => heard.push(`${name} ${p.tourId ?? p.surveyId}`))
      linger.identify('u_1')
      await linger.ready
      return { linger, platform, heard, running: () => linger.experiences.tours!.$runs.get().map((r) => r.tour.id) }
    }
    const a = await open()
    const b = await open()
    lag.deliver()
    a.linger.track('Dashboard Viewed')
    await locks.settled()
    lag.deliver()
    expect(a.running()).toEqual(['reports'])
    // The tour's target takes longer than the other tabs' 10 s claim: the survey comes in tab B.
    await b.platform.advance(15_000)
    b.linger.track('Survey Me')
    await locks.settled()
    await b.platform.advance(0)
    lag.deliver()
    expect(b.heard).toEqual(['survey:shown nps'])
    // Tab A's target is drawn now: that tour would be the second thing asked of the user.
    a.linger.experiences.tours!.targetFound('reports')
    expect(a.running()).toEqual([])
    expect(a.heard).toEqual([])
    a.linger.destroy()
    b.linger.destroy()
  })
})

describe('a tour last shown on another device whose clock runs an hour ahead of this one', () => {
  it('asked for here (linger.show), it still starts when its target comes, whatever the state writes meanwhile', () => {
    const h = fakeHost([manual])
    // The user's history, synced from the other device: its lastShown is that device's time.
    const scheduler = { lastBlockingShown: null, history: { manual: { shown: 1, lastShown: h.platform.now() + 3_600_000 } } }
    const wakes = new Set<() => void>()
    h.host.state = { get: (key: string) => (key == 'scheduler' ? scheduler : undefined), subscribe: (fn: () => void) => (wakes.add(fn), () => void wakes.delete(fn)) } as unknown as ExperienceHost['state']
    const tours = createTours(h.host)
    tours.show!('manual')
    // Another experience (a badge, a checklist) writes its state while the target loads.
    wakes.forEach((fn) => fn())
    tours.targetFound('manual')
    expect(h.names()).toEqual(['Tour Started', 'Tour Step Viewed'])
  })
})

describe('a visitor who signs up in the middle of a tour', () => {
  const tour = {
    id: 'try-editor',
    trigger: { event: 'Editor Opened' },
    repeat: 'once',
    steps: [
      { id: 'write', target: '#editor', title: 'Write here' },
      { id: 'save', target: '#save', title: 'Sign up to save your work' },
      { id: 'share', target: '#share', title: 'Share it' },
    ],
  }
  const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [tour] }
  async function visitor(session = new Map<string, string>(), shared = new Map<string, string>()) {
    const platform = createFakePlatform({ session, shared, clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    const heard: string[] = []
    for (const name of ['tour:started', 'tour:step-viewed', 'tour:completed', 'tour:dismissed']) linger.on(name, (p) => heard.push(`${name} ${p.stepIndex}`))
    await linger.ready
    const tours = linger.experiences.tours!
    return { platform, linger, tours, heard, run: () => tours.$runs.get().map((r) => `${r.tour.id}@${r.index}:${r.status}`) }
  }

  it('goes on as the user they became, and its completion is counted (a step that asks them to sign up does not end it unseen)', async () => {
    const v = await visitor()
    v.linger.track('Editor Opened')
    v.tours.targetFound('try-editor')
    v.tours.next('try-editor')
    v.tours.targetFound('try-editor')
    // The step's own ask: the sign-up form sent in the same page.
    v.linger.identify('new_user_1')
    await v.platform.advance(0)
    expect(v.run()).toEqual(['try-editor@1:showing'])
    v.tours.next('try-editor')
    v.tours.targetFound('try-editor')
    v.tours.next('try-editor')
    expect(v.heard).toEqual(['tour:started 0', 'tour:step-viewed 0', 'tour:step-viewed 1', 'tour:step-viewed 2', 'tour:completed 2'])
  })

  it('a full page load right after signing up (the app reloads to sign them in) takes the tour up where they were', async () => {
    const session = new Map<string, string>()
    const shared = new Map<string, string>()
    const v = await visitor(session, shared)
    v.linger.track('Editor Opened')
    v.tours.targetFound('try-editor')
    v.tours.next('try-editor')
    v.tours.targetFound('try-editor')
    v.linger.identify('new_user_1')
    await v.platform.advance(0)
    v.linger.destroy()
    const next = await visitor(session, shared)
    expect(next.linger.host.user.get().userId).toBe('new_user_1')
    expect(next.run()).toEqual(['try-editor@1:waiting'])
  })

  it('asked for by the app while Linger starts (show) for one person, who signs out before it is ready: the next visitor does not get it', async () => {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    const heard: string[] = []
    linger.on('tour:started', () => heard.push('started'))
    linger.identify('ana')
    linger.show('try-editor')
    linger.reset()
    await linger.ready
    await platform.advance(0)
    expect(linger.experiences.tours!.$runs.get()).toEqual([])
    expect(heard).toEqual([])
  })

  it('asked for while Linger starts by a visitor who then signs up: they get it, as the user they became', async () => {
    const platform = createFakePlatform({ clock: { now: Date.parse('2026-03-02T10:00:00Z') } })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    linger.show('try-editor')
    linger.identify('new_user_1')
    await linger.ready
    await platform.advance(0)
    expect(linger.experiences.tours!.$runs.get().map((r) => r.tour.id)).toEqual(['try-editor'])
  })

  it('someone else signing in on that laptop still ends the visitor\'s tour quietly', async () => {
    const v = await visitor()
    v.linger.identify('ana')
    v.linger.track('Editor Opened')
    v.tours.targetFound('try-editor')
    v.linger.identify('bob')
    await v.platform.advance(0)
    expect(v.run()).toEqual([])
    expect(v.heard).toEqual(['tour:started 0', 'tour:step-viewed 0'])
  })
})

describe('a full page load in the middle of a tour (a multi-page app, a reload)', () => {
  const tour = {
    id: 'welcome',
    trigger: { event: 'Dashboard Viewed' },
    repeat: 'once',
    steps: [
      { id: 'nav', target: '#nav', title: 'Your projects live here' },
      { id: 'export', target: '#export', title: 'Export in one click' },
      { id: 'share', target: '#share', title: 'Share it' },
    ],
  }
  const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [tour] }
  const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
  function tab(session = new Map<string, string>()) {
    const shared = new Map<string, string>()
    return async (user = 'u_1', document: object = flows) => {
      const platform = createFakePlatform({ shared, session, clock })
      const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: document }, { platform })
      linger.identify(user)
      const heard: string[] = []
      for (const name of ['tour:started', 'tour:step-viewed', 'tour:completed', 'tour:dismissed']) linger.on(name, (p) => heard.push(`${name} ${p.stepIndex}`))
      await linger.ready
      const tours = linger.experiences.tours!
      return { platform, linger, tours, heard, run: () => tours.$runs.get().map((r) => `${r.tour.id}@${r.index}:${r.status}`) }
    }
  }

  it('goes on in the next page at the step the user was on, without a second start or view', async () => {
    const open = tab()
    const first = await open()
    first.linger.track('Dashboard Viewed')
    first.tours.targetFound('welcome')
    first.tours.next('welcome')
    first.tours.targetFound('welcome')
    expect(first.heard).toEqual(['tour:started 0', 'tour:step-viewed 0', 'tour:step-viewed 1'])
    first.linger.destroy()

    const next = await open()
    expect(next.run()).toEqual(['welcome@1:waiting'])
    next.tours.targetFound('welcome')
    next.tours.next('welcome')
    next.tours.targetFound('welcome')
    next.tours.next('welcome')
    // Step 1's view was counted on the page before: only step 2's is new.
    expect(next.heard).toEqual(['tour:step-viewed 2', 'tour:completed 2'])

    const after = await open()
    expect(after.run()).toEqual([])
  })

  it('counts the run as shown once, however many pages it spans: the vendor’s shown count and the cooldown it starts are the start’s, not each page load’s', async () => {
    const open = tab()
    const shown = (page: Awaited<ReturnType<typeof open>>) => {
      const doc = JSON.parse(page.platform.storage.get('linger:state:u:u_1') ?? '{}')
      return [doc.scheduler?.history?.welcome?.shown, doc.scheduler?.lastBlockingShown]
    }
    const first = await open()
    first.linger.track('Dashboard Viewed')
    first.tours.targetFound('welcome')
    const started = clock.now
    expect(shown(first)).toEqual([1, started])
    first.linger.destroy()
    clock.now += 60_000
    const next = await open()
    expect(next.run()).toEqual(['welcome@0:waiting'])
    clock.now += 60_000
    next.linger.destroy()
    const third = await open()
    expect(third.run()).toEqual(['welcome@0:waiting'])
    expect(shown(third)).toEqual([1, started])
  })

  it('names the run on every event it sends, the same across the page load it spans, so the vendor’s collector can tie its completion to its start', async () => {
    const open = tab()
    const runIds = (page: Awaited<ReturnType<typeof open>>) => {
      const ids: unknown[] = []
      for (const name of ['tour:started', 'tour:step-viewed', 'tour:completed', 'tour:dismissed']) page.linger.on(name, (p) => ids.push(p.runId))
      return ids
    }
    const first = await open()
    const before = runIds(first)
    first.linger.track('Dashboard Viewed')
    first.tours.targetFound('welcome')
    first.linger.destroy()
    const next = await open()
    const after = runIds(next)
    for (let i = 0; i < 3; i++) next.tours.targetFound('welcome'), next.tours.next('welcome')
    expect(before).toHaveLength(2)
    expect(after).toEqual(['welcome', 'welcome', 'welcome'].map(() => before[0]))
    expect(before[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(before[1]).toBe(before[0])
  })

  it('is not taken up for another user, after half an hour, or once the vendor changed the step', async () => {
    const open = tab()
    const first = await open()
    first.linger.track('Dashboard Viewed')
    first.linger.destroy()
    expect((await open('u_2')).run()).toEqual([])

    const again = tab()
    const a = await again()
    a.linger.track('Dashboard Viewed')
    a.linger.destroy()
    clock.now += 31 * 60_000
    expect((await again()).run()).toEqual([])

    const edited = tab()
    const b = await edited()
    b.linger.track('Dashboard Viewed')
    b.linger.destroy()
    const moved = { ...flows, tours: [{ ...tour, steps: [tour.steps[1], tour.steps[0]] }] }
    expect((await edited('u_1', moved)).run()).toEqual([])
  })

  it('what this tab’s storage holds under the key, if not a tour Linger left, starts nothing and throws nothing', async () => {
    for (const junk of ['null', '{', '"tour"', '7', '{"id":"welcome","index":"1","step":"export","user":"u:u_1"}', '{"id":"welcome"}']) {
      const open = tab(new Map([['linger:tour:pk_test', junk]]))
      const page = await open()
      expect(page.run()).toEqual([])
      page.linger.track('Dashboard Viewed')
      expect(page.run()).toEqual(['welcome@0:waiting'])
    }
  })

  /** The tour starts on a first page, whose step shows; the user follows a link in the tab (the first page goes into the back/forward cache). */
  async function onToTheNextPage() {
    const open = tab()
    const first = await open()
    first.linger.track('Dashboard Viewed')
    first.tours.targetFound('welcome')
    first.platform.pageHide()
    return { first, next: await open() }
  }

  it('Back to the page before (the back/forward cache), after the next page finished the tour: that page lets its old copy go, and nothing is completed twice', async () => {
    const { first, next } = await onToTheNextPage()
    for (let i = 0; i < 3; i++) next.tours.targetFound('welcome'), next.tours.next('welcome')
    expect(next.heard).toEqual(['tour:step-viewed 1', 'tour:step-viewed 2', 'tour:completed 2'])
    next.platform.pageHide()
    first.platform.show()
    expect(first.run()).toEqual([])
    expect(first.heard).toEqual(['tour:started 0', 'tour:step-viewed 0'])
  })

  it('Back to the page before, after the next page moved the tour on: that page takes it up where the tab is', async () => {
    const { first, next } = await onToTheNextPage()
    next.tours.targetFound('welcome')
    next.tours.next('welcome')
    next.platform.pageHide()
    first.platform.show()
    expect(first.run()).toEqual(['welcome@1:waiting'])
  })

  it('a tour the user closed stays closed on the next page', async () => {
    const open = tab()
    const first = await open()
    first.linger.track('Dashboard Viewed')
    first.tours.dismiss('welcome', 'close')
    first.linger.destroy()
    expect((await open()).run()).toEqual([])
  })
})

describe('a hotspot open in several tabs', () => {
  const hotspot = { id: 'slack-hint', trigger: { event: 'Settings Viewed' }, steps: [{ id: 'slack', target: '#integrations', title: 'Connect Slack', beacon: true }] }
  const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [hotspot] }
  async function twoTabs() {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const open = async () => {
      const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform: lag.tab() })
      linger.identify('u_1')
      await linger.ready
      const tours = linger.experiences.tours!
      const heard: string[] = []
      for (const name of ['tour:completed', 'tour:dismissed']) linger.on(name, () => heard.push(name))
      linger.track('Settings Viewed')
      tours.targetFound('slack-hint')
      return { linger, tours, heard, running: () => tours.$runs.get().map((r) => r.tour.id) }
    }
    // The second tab opens on the first one's storage: the same visitor, signed in as u_1.
    const a = await open()
    lag.deliver()
    const b = await open()
    lag.deliver()
    return { a, b, lag }
  }

  for (const [how, end] of [
    ['closed', (t: ReturnType<typeof createTours>) => (t.open('slack-hint'), t.dismiss('slack-hint', 'close'))],
    ['done', (t: ReturnType<typeof createTours>) => (t.open('slack-hint'), t.next('slack-hint'))],
  ] as const)
    it(`${how} in one tab, it goes from the user's other tab too, quietly: nothing counted there`, async () => {
      const { a, b, lag } = await twoTabs()
      expect([a.running(), b.running()]).toEqual([['slack-hint'], ['slack-hint']])
      end(a.tours)
      lag.deliver()
      expect([a.running(), b.running()]).toEqual([[], []])
      expect(b.heard).toEqual([])
    })
})

/**
 * Opens, for u_1, a page of an app whose one tour is `tour`: `shared` stands for the origin's
 * localStorage, `session` for the tab's sessionStorage; the page has settled when it is returned.
 */
function pageOfTour(tour: object, clock: { now: number }) {
  const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [tour] }
  return async (shared: Map<string, string>, session: Map<string, string>) => {
    const platform = createFakePlatform({ shared, session, clock })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    linger.identify('u_1')
    await linger.ready
    await platform.advance(0)
    const tours = linger.experiences.tours!
    return { platform, linger, tours, run: () => tours.$runs.get().map((r) => `${r.tour.id}@${r.index}:${r.status}`) }
  }
}

describe('a tab the user duplicated in the middle of a tour (its sessionStorage copied)', () => {
  const tour = { id: 'welcome', trigger: { event: 'Dashboard Viewed' }, steps: [{ id: 'nav', target: '#nav', title: 'Your projects live here' }, { id: 'export', target: '#export', title: 'Export in one click' }] }
  const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
  const open = pageOfTour(tour, clock)

  it('does not take the tour up in the copy while the tab it came from still shows it: one tour on screen, not two', async () => {
    const shared = new Map<string, string>()
    const session = new Map<string, string>()
    const first = await open(shared, session)
    first.linger.track('Dashboard Viewed')
    first.tours.targetFound('welcome')
    first.tours.next('welcome')
    const copy = await open(shared, new Map(session))
    expect(copy.run()).toEqual([])
    expect(first.run()).toEqual(['welcome@1:waiting'])
    // A reload of the first tab still takes it up where it was.
    first.platform.pageHide()
    first.linger.destroy()
    expect((await open(shared, session)).run()).toEqual(['welcome@1:waiting'])
  })
})

describe('a tour left by a full page load, then finished in another tab', () => {
  const tour = { id: 'welcome', trigger: { event: 'Dashboard Viewed' }, repeat: 'until-completed', steps: [{ id: 'nav', target: '#nav', title: 'Your projects live here' }, { id: 'export', target: '#export', title: 'Export in one click' }] }
  const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
  const open = pageOfTour(tour, clock)

  it('is not taken up again when the user comes back to the first tab: done is done', async () => {
    const shared = new Map<string, string>()
    const first = new Map<string, string>()
    // Started in the first tab, which the user then leaves for another site.
    const a = await open(shared, first)
    a.linger.track('Dashboard Viewed')
    a.tours.targetFound('welcome')
    a.platform.pageHide()
    a.linger.destroy()
    clock.now += 60_000
    // In another tab, the checklist's "Show me": the tour, through to Done.
    const b = await open(shared, new Map())
    b.linger.show('welcome')
    for (let i = 0; i < 2; i++) b.tours.targetFound('welcome'), b.tours.next('welcome')
    expect(b.run()).toEqual([])
    clock.now += 60_000
    // Back in the first tab (Back from the other site: a full page load).
    const back = await open(shared, first)
    expect(back.run()).toEqual([])
  }, 30_000)
})

describe('a tour on screen when the user switches tabs and comes back', () => {
  const tour = { id: 'welcome', trigger: { event: 'Dashboard Viewed' }, steps: [{ id: 'nav', target: '#nav', title: 'Your projects live here' }, { id: 'export', target: '#export', title: 'Export in one click' }] }
  const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
  const open = pageOfTour(tour, clock)

  it('is still the tour on screen, and why() says it is shown, not "already on screen" as if refused', async () => {
    const page = await open(new Map(), new Map())
    page.linger.track('Dashboard Viewed')
    page.tours.targetFound('welcome')
    const before = page.linger.why('welcome')
    page.platform.hide()
    page.platform.show()
    await page.platform.advance(0)
    expect(page.run()).toEqual(['welcome@0:showing'])
    expect(page.linger.why('welcome')).toEqual(before)
  })
})

/**
 * The widgets' screen as far as the tab's visibility goes (widgets/platform/screen.ts `away`): away
 * while the fake platform's tab is hidden, each wait answered once the user looks at it again.
 */
function tabScreen(platform: ReturnType<typeof createFakePlatform>): NonNullable<ExperienceHost['screen']> {
  let hidden = false
  const waits = new Set<() => void>()
  platform.onHide(() => (hidden = true))
  platform.onShow!(() => {
    hidden = false
    const fns = [...waits]
    waits.clear()
    fns.forEach((fn) => fn())
  })
  return { when: (fn) => fn(), away: (then) => hidden && !!waits.add(then) }
}

describe('a tab the user is not looking at (another tab in front, or a link opened in a new tab)', () => {
  it('a step whose target appears while the user is in another tab counts as viewed when they come back to it, once, not before', () => {
    const h = fakeHost([exportTour])
    h.host.screen = tabScreen(h.platform)
    const tours = createTours(h.host)
    h.track('Dashboard Viewed')
    h.platform.hide()
    // The app draws the reports tab a moment later, while the user reads their mail.
    tours.targetFound('export-tour')
    expect(h.names(), 'no start nor view while nobody looks').toEqual([])
    expect(h.requests.filter((r) => (r as { seen?: true }).seen), 'nor its showing counted').toEqual([])
    h.platform.show()
    h.platform.hide()
    h.platform.show()
    expect(h.names()).toEqual(['Tour Started', 'Tour Step Viewed'])
    expect(h.sent[1][1]).toMatchObject({ stepIndex: 0, stepId: 'open-reports' })
    expect(h.requests.filter((r) => (r as { seen?: true }).seen)).toHaveLength(1)
  })

  it('a step that came and went while the user was away is not counted for it; seen later, it is, once', () => {
    const h = fakeHost([exportTour])
    h.host.screen = tabScreen(h.platform)
    const tours = createTours(h.host)
    h.track('Dashboard Viewed')
    h.platform.hide()
    tours.targetFound('export-tour')
    // The app re-rendered its page without the target before the user came back.
    tours.targetLost('export-tour')
    h.platform.show()
    expect(h.names()).toEqual([])
    tours.targetFound('export-tour')
    expect(h.names()).toEqual(['Tour Started', 'Tour Step Viewed'])
  })

  it('a tour or a hotspot triggered in a background tab starts when the user looks at it: no Tour Started, nor its "once" spent, for a screen nobody saw', () => {
    const h = fakeHost([exportTour, hint], { hash: '#/dashboard' })
    h.host.screen = tabScreen(h.platform)
    const tours = createTours(h.host)
    h.platform.hide()
    // The app's own route change and event (a redirect, a background job) in the tab the user left.
    h.navigate('#/settings')
    h.track('Dashboard Viewed')
    expect(h.names()).toEqual([])
    expect(h.requests.filter((r) => !r.look)).toEqual([])
    h.platform.show()
    expect(tours.$runs.get().map((r) => r.tour.id).sort()).toEqual(['export-tour', 'integrations-hint'])
    // The tour's start, once its step is on screen; the hotspot's waits for the user opening its dot.
    tours.targetFound('export-tour')
    tours.targetFound('integrations-hint')
    expect(h.sent.filter(([n]) => n == 'Tour Started').map(([n, p]) => `${n}:${p.tourId}`)).toEqual(['Tour Started:export-tour'])
  })

  it('linger.show(id) called by the app in a background tab (on load, after a redirect) starts the tour when the user looks at it: no Tour Started for a screen nobody saw, nor one after destroy()', () => {
    const h = fakeHost([manual])
    h.host.screen = tabScreen(h.platform)
    const tours = createTours(h.host)
    h.platform.hide()
    expect(tours.show!('manual')).toBe(true)
    expect(h.names()).toEqual([])
    expect(tours.$runs.get()).toEqual([])
    h.platform.show()
    expect(tours.$runs.get().map((r) => r.tour.id)).toEqual(['manual'])
    tours.targetFound('manual')
    expect(h.names()).toEqual(['Tour Started', 'Tour Step Viewed'])

    // The app stopped Linger while the tab was in the background: nothing starts later.
    const g = fakeHost([manual])
    g.host.screen = tabScreen(g.platform)
    const gone = createTours(g.host)
    g.platform.hide()
    gone.show!('manual')
    gone.dispose()
    g.platform.show()
    expect(g.requests.filter((r) => !r.look)).toEqual([])
    expect(gone.$runs.get()).toEqual([])
  })

  it('a step drawn in the background, then the tab reloaded before the user looked: the reloaded page counts it once it shows there', async () => {
    const tour = { id: 'welcome', trigger: { event: 'Dashboard Viewed' }, steps: [{ id: 'nav', target: '#nav', title: 'Your projects live here' }, { id: 'export', target: '#export', title: 'Export in one click' }] }
    const open = pageOfTour(tour, { now: Date.parse('2026-03-02T10:00:00Z') })
    const shared = new Map<string, string>()
    const session = new Map<string, string>()
    const viewed: unknown[] = []
    const first = await open(shared, session)
    first.linger.host.screen = tabScreen(first.platform)
    first.linger.on('tour:step-viewed', (p) => viewed.push(p.stepId))
    first.linger.track('Dashboard Viewed')
    first.platform.hide()
    first.tours.targetFound('welcome')
    expect(viewed).toEqual([])
    // The app reloads itself (a new version, a session refresh) before the user comes back.
    first.platform.pageHide()
    first.linger.destroy()
    const next = await open(shared, session)
    next.linger.on('tour:step-viewed', (p) => viewed.push(p.stepId))
    expect(next.run()).toEqual(['welcome@0:waiting'])
    next.tours.targetFound('welcome')
    expect(viewed).toEqual(['nav'])
  })
})

describe('linger.show(id) in a tab the user is not looking at, and what happens before they look', () => {
  const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [manual] }
  /** A tab of u_1 over `lag`'s storage, its visibility as the widgets' screen sees it. */
  async function tab(lag: ReturnType<typeof laggingStorage>) {
    const platform = lag.tab()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    linger.identify('u_1')
    await linger.ready
    linger.host.screen = tabScreen(platform)
    const started: string[] = []
    linger.on('tour:started', () => started.push(linger.host.user.get().userKey))
    const tours = linger.experiences.tours!
    return { platform, linger, tours, started, run: () => tours.$runs.get().map((r) => r.tour.id) }
  }

  it('the user took the tour through to the end in another tab: coming back to this one does not start it again', async () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const one = await tab(lag)
    const two = await tab(lag)
    lag.deliver()
    // The app asks for the tour on load in both tabs; the first is behind the second.
    one.platform.hide()
    one.linger.show('manual')
    two.linger.show('manual')
    two.tours.targetFound('manual')
    two.tours.next('manual')
    lag.deliver()
    one.platform.show()
    expect([one.run(), two.run()]).toEqual([[], []])
    expect([...one.started, ...two.started]).toEqual(['u:u_1'])
  })

  it('the user signed out (reset) before looking: the tour asked for them does not start for the visitor after them', async () => {
    const one = await tab(laggingStorage(Date.parse('2026-03-02T10:00:00Z')))
    one.platform.hide()
    one.linger.show('manual')
    one.linger.reset()
    one.platform.show()
    expect(one.run()).toEqual([])
    expect(one.started).toEqual([])
  })

  for (const how of ['dismiss', 'interrupt'] as const)
    it(`the app called it off (${how}(id)) before the user looked: it does not start when they do`, async () => {
      const one = await tab(laggingStorage(Date.parse('2026-03-02T10:00:00Z')))
      one.platform.hide()
      one.linger.show('manual')
      one.tours[how]!('manual', 'app')
      one.platform.show()
      expect(one.run()).toEqual([])
      expect(one.started).toEqual([])
      // Asked for again, it comes.
      one.linger.show('manual')
      expect(one.run()).toEqual(['manual'])
    })
})

describe('"Take the tour" pressed while the tour the app triggered waits for a calm screen', () => {
  it('the tour then starts as the user\'s: past the cooldown, and taking focus (asked)', () => {
    // The cooldown after another experience holds back what comes on its own, not what the user asks for.
    const h = fakeHost([exportTour], { allow: (req) => !!req.asked })
    const calm: Array<() => void> = []
    h.host.screen = { when: (fn) => void calm.push(fn) }
    const tours = createTours(h.host)
    // The app's own call on load, while a toast is up.
    h.track('Dashboard Viewed')
    // The user's click on "Take the tour", which tracks the same event.
    ;(globalThis as { event?: unknown }).event = { isTrusted: true, type: 'click' }
    try {
      h.track('Dashboard Viewed')
    } finally {
      delete (globalThis as { event?: unknown }).event
    }
    calm.splice(0).forEach((fn) => fn())
    expect(tours.$runs.get().map((r) => [r.tour.id, r.asked])).toEqual([['export-tour', true]])
  })
})
