import { describe, expect, it } from 'vitest'
import { createChecklists } from './checklist'
import { createTestHost } from './badges/test-host'
import { exampleFlows } from './checklist/example.fixture'
import { createFakePlatform } from '../fake-platform'
import type { LiveExperienceState } from '../experience-state'

const DAY = 86_400_000
const doneTasks = (c: ReturnType<typeof createChecklists>) => Object.keys(c.$checklists.get()[0]?.done ?? {})

describe('onboarding checklist', () => {
  it('shows a new user the list and ticks tasks from events tracked before it first showed', () => {
    const t = createTestHost(exampleFlows)
    t.track('Project Created')
    const checklists = createChecklists(t.host)
    expect(checklists.$needsUi.get()).toBe(true)
    expect(checklists.$checklists.get()[0]).toMatchObject({ status: 'started', done: { 'create-project': expect.any(Number) } })
    expect(t.events('Checklist Task Completed')).toEqual([{ event: 'Checklist Task Completed', properties: { checklistId: 'getting-started', taskId: 'create-project', points: 10 } }])
  })

  it('ticks "Add three tasks" only on the third Task Created, panel open or not', () => {
    const t = createTestHost(exampleFlows)
    const checklists = createChecklists(t.host)
    t.track('Task Created')
    t.track('Task Created')
    expect(doneTasks(checklists)).toEqual([])
    t.track('Task Created')
    expect(doneTasks(checklists)).toEqual(['add-tasks'])
  })

  it('tells the widget which list this page finished: not one that arrived done, nor another user\'s of the same id', () => {
    const t = createTestHost(exampleFlows)
    const checklists = createChecklists(t.host)
    for (const e of ['Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported']) t.track(e)
    expect(checklists.$checklists.get()[0]).toMatchObject({ status: 'completed', finishedHere: true })
    // Bob signs in on this device; his list of that id, finished on his laptop, comes by sync.
    ;(t.host.state as LiveExperienceState).switchUser('u:bob')
    ;(t.host.user as unknown as { set(v: object): void }).set({ ...t.host.user.get(), userKey: 'u:bob', userId: 'bob' })
    t.host.state.set('checklist:getting-started', { status: 'completed', done: { 'create-project': 1, 'add-tasks': 2, invite: 3, export: 4 } })
    expect(checklists.$checklists.get()[0]).toMatchObject({ status: 'completed', finishedHere: false })
  })

  it('a list whose tasks were all done elsewhere (each on another device, synced task by task) completes here, once', () => {
    const t = createTestHost(exampleFlows)
    const checklists = createChecklists(t.host)
    t.track('Signed In')
    const ids = exampleFlows.checklists![0]!.tasks.map((task) => task.id)
    // What the sync takes in: every task done, the status as a device last wrote it.
    t.host.state.set('checklist:getting-started', { status: 'started', done: Object.fromEntries(ids.map((id, i) => [id, i + 1])) })
    expect(checklists.$checklists.get()[0]?.status).toBe('completed')
    expect(t.events('Checklist Completed')).toHaveLength(1)
    expect(t.events('Checklist Task Completed')).toEqual([])
    t.track('Signed In')
    expect(t.events('Checklist Completed')).toHaveLength(1)
  })

  it('completes with every task, once, emitting the reward points', () => {
    const t = createTestHost(exampleFlows)
    const checklists = createChecklists(t.host)
    for (const e of ['Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported', 'Report Exported']) t.track(e)
    expect(checklists.$checklists.get()[0].status).toBe('completed')
    expect(t.events('Checklist Task Completed').map((e) => e.properties.taskId)).toEqual(['create-project', 'add-tasks', 'invite', 'export'])
    expect(t.events('Checklist Completed')).toEqual([{ event: 'Checklist Completed', properties: { checklistId: 'getting-started', points: 50 } }])
  })

  it('a task the vendor named "completed" and the list it finishes reach the collector as two events, not one dropped as a copy of the other', () => {
    const [list] = exampleFlows.checklists!
    const t = createTestHost({ ...exampleFlows, checklists: [{ ...list, tasks: [{ id: 'completed', title: 'Complete your profile', doneWhen: { event: 'Profile Completed' } }] }] })
    const ids = new Map<string, string | undefined>()
    const emit = t.host.emit
    t.host.emit = (event, properties, options) => (ids.set(event, options?.messageId), emit(event, properties, options))
    createChecklists(t.host)
    t.track('Profile Completed')
    expect([...ids.keys()]).toEqual(['Checklist Task Completed', 'Checklist Completed'])
    // The collector keeps one event per messageId and sender.
    expect(ids.get('Checklist Task Completed')).not.toBe(ids.get('Checklist Completed'))
  })

  it('a task the vendor adds to a list the user already finished still ticks when they do it, with its points, and the list is not completed twice', () => {
    const t = createTestHost(exampleFlows)
    const checklists = createChecklists(t.host)
    for (const e of ['Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported']) t.track(e)
    expect(checklists.$checklists.get()[0].status).toBe('completed')
    // The next release of the flows asks for one more thing.
    const [list] = exampleFlows.checklists!
    const slack = { id: 'slack', title: 'Connect Slack', doneWhen: { event: 'Slack Connected' }, points: 15 }
    ;(t.host.flows as unknown as { set(v: object): void }).set({ ...t.host.flows.get(), checklists: [{ ...list, tasks: [...list.tasks, slack] }] })
    expect(doneTasks(checklists)).toHaveLength(4)
    t.track('Slack Connected')
    expect(doneTasks(checklists)).toContain('slack')
    expect(checklists.$checklists.get()[0].status).toBe('completed')
    expect(t.events('Checklist Task Completed').at(-1)).toEqual({ event: 'Checklist Task Completed', properties: { checklistId: 'getting-started', taskId: 'slack', points: 15 } })
    expect(t.events('Checklist Completed')).toHaveLength(1)
  })

  describe('a finished list on the launcher', () => {
    const ONBOARDING = ['Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported']
    const view = (c: ReturnType<typeof createChecklists>) => c.$checklists.get()[0]!

    it('stays on the launcher while its celebration is on screen, leaves it once the user has seen it, and is gone on the next page; linger.show(id) still opens it', () => {
      const platform = createFakePlatform()
      const t = createTestHost(exampleFlows, { platform })
      const checklists = createChecklists(t.host)
      for (const e of ONBOARDING) t.track(e)
      expect(view(checklists)).toMatchObject({ status: 'completed', away: false })
      expect(checklists.why?.('getting-started')).toEqual(['eligible'])
      // The celebration panel closed.
      checklists.seen('getting-started')
      expect(view(checklists)).toMatchObject({ status: 'completed', away: true })
      expect(checklists.why?.('getting-started')).toEqual(['already-completed'])
      // The next page, the panel never opened on the first one: the launcher has no list to show.
      const next = createChecklists(createTestHost(exampleFlows, { platform }).host)
      expect(view(next)).toMatchObject({ status: 'completed', away: true })
      expect(next.show?.('getting-started')).toBe(true)
      expect(next.$opened.get()).toEqual({ id: 'getting-started' })
      // Its completion and reward, once, as before; nobody hid it.
      expect(t.events('Checklist Completed')).toHaveLength(1)
      expect(t.events('Checklist Dismissed')).toEqual([])
    })

    it('a list finished in another tab, seen unfinished here, arrives done on the launcher; one done before this page is not on it', () => {
      const t = createTestHost(exampleFlows)
      const checklists = createChecklists(t.host)
      t.track('Signed In')
      const done = { 'create-project': 1, 'add-tasks': 2, invite: 3, export: 4 }
      t.host.state.set('checklist:getting-started', { status: 'completed', done })
      expect(view(checklists)).toMatchObject({ status: 'completed', away: false })
      const reloaded = createChecklists(t.host)
      expect(view(reloaded)).toMatchObject({ status: 'completed', away: true })
    })

    it('a list whose tasks were all done before it started (its audience met later) is not on the launcher: it came done, as one done before this page', () => {
      const [list] = exampleFlows.checklists!
      const t = createTestHost({ ...exampleFlows, checklists: [{ ...list, audience: { event: 'Upgraded' } }] })
      const checklists = createChecklists(t.host)
      for (const e of [...ONBOARDING, 'Upgraded']) t.track(e)
      expect(view(checklists)).toMatchObject({ status: 'completed', finishedHere: false, away: true })
      // Its tasks, completion and reward are counted all the same.
      expect(t.events('Checklist Task Completed')).toHaveLength(4)
      expect(t.events('Checklist Completed')).toHaveLength(1)
    })

    it('hidden by the user ("Hide checklist"), it leaves the launcher; Checklist Dismissed says the list was completed, the list stays completed, and why(id) says it is done', () => {
      const t = createTestHost(exampleFlows)
      const checklists = createChecklists(t.host)
      for (const e of ONBOARDING) t.track(e)
      checklists.dismiss('getting-started')
      expect(view(checklists)).toMatchObject({ status: 'completed', away: true })
      expect(t.host.state.get('checklist:getting-started')).toMatchObject({ status: 'completed' })
      expect(t.events('Checklist Dismissed')).toEqual([{ event: 'Checklist Dismissed', properties: { checklistId: 'getting-started', points: 0, completed: true } }])
      expect(t.events('Checklist Completed')).toHaveLength(1)
      expect(checklists.why?.('getting-started')).toEqual(['already-completed'])
    })

    it('hidden by the user before it was done, and finished afterwards (here or in another tab), it stays off the launcher: its completion and reward are counted all the same', () => {
      const t = createTestHost(exampleFlows)
      const checklists = createChecklists(t.host)
      t.track('Project Created')
      checklists.dismiss('getting-started')
      for (const e of ONBOARDING) t.track(e)
      expect(view(checklists)).toMatchObject({ status: 'completed', away: true })
      expect(t.events('Checklist Completed')).toHaveLength(1)
      // In another tab: this one hears the record, completed.
      const other = createTestHost(exampleFlows)
      const here = createChecklists(other.host)
      other.track('Signed In')
      here.dismiss('getting-started')
      other.host.state.set('checklist:getting-started', { status: 'completed', done: { 'create-project': 1, 'add-tasks': 2, invite: 3, export: 4 } })
      expect(view(here)).toMatchObject({ status: 'completed', away: true })
    })

    it('a finished list the vendor adds a task to comes back to the launcher: there is something to do', () => {
      const t = createTestHost(exampleFlows)
      const checklists = createChecklists(t.host)
      for (const e of ONBOARDING) t.track(e)
      checklists.seen('getting-started')
      const [list] = exampleFlows.checklists!
      const slack = { id: 'slack', title: 'Connect Slack', doneWhen: { event: 'Slack Connected' } }
      ;(t.host.flows as unknown as { set(v: object): void }).set({ ...t.host.flows.get(), checklists: [{ ...list, tasks: [...list.tasks, slack] }] })
      expect(view(checklists)).toMatchObject({ status: 'completed', away: false })
      expect(checklists.why?.('getting-started')).toEqual(['eligible'])
    })
  })

  it('is not shown to a user outside its audience, and says why', async () => {
    const t = createTestHost(exampleFlows)
    t.track('Signed In')
    await t.platform.advance(31 * DAY)
    const checklists = createChecklists(t.host)
    expect(checklists.$checklists.get()).toEqual([])
    expect(checklists.$needsUi.get()).toBe(false)
    expect(checklists.why?.('getting-started')?.[0]).toMatch(/^audience: daysSince firstSeen/)
  })

  it('dismisses and resumes, keeping progress, and emits Checklist Dismissed', () => {
    const t = createTestHost(exampleFlows)
    const checklists = createChecklists(t.host)
    t.track('Project Created')
    checklists.dismiss('getting-started')
    expect(checklists.$checklists.get()[0]).toMatchObject({ status: 'dismissed', done: { 'create-project': expect.any(Number) } })
    expect(t.events('Checklist Dismissed')).toEqual([{ event: 'Checklist Dismissed', properties: { checklistId: 'getting-started', points: 0 } }])
    expect(checklists.why?.('getting-started')).toEqual(['dismissed'])
    checklists.resume('getting-started')
    expect(checklists.$checklists.get()[0].status).toBe('started')
    expect(checklists.why?.('getting-started')).toEqual(['eligible'])
  })

  it('opens on linger.show(id), resuming a dismissed list', () => {
    const t = createTestHost(exampleFlows)
    const checklists = createChecklists(t.host)
    checklists.dismiss('getting-started')
    expect(checklists.show?.('getting-started')).toBe(true)
    expect(checklists.$opened.get()).toEqual({ id: 'getting-started' })
    expect(checklists.$checklists.get()[0].status).toBe('started')
    expect(checklists.show?.('nope')).toBe(false)
  })

  it('opened by the app (linger.show) for a user outside its audience, it starts with the tasks they did long ago already done: another tab does not see them tick one by one, as if done just now', async () => {
    const shared = new Map<string, string>()
    const a = createTestHost(exampleFlows, { shared })
    const b = createTestHost(exampleFlows, { shared })
    // A month ago, the user created a project; the list is for the first 30 days.
    a.track('Project Created')
    await a.platform.advance(31 * DAY)
    const tabA = createChecklists(a.host)
    const tabB = createChecklists(b.host)
    // Tab B hears each of tab A's writes as it is made.
    const set = a.platform.storage.set
    a.platform.storage.set = (k, v) => {
      const ok = set(k, v)
      b.platform.fireStorage(k)
      return ok
    }
    const heard: string[][] = []
    tabB.$checklists.listen((views) => heard.push(Object.keys(views[0]?.done ?? {})))
    expect(tabA.show?.('getting-started')).toBe(true)
    expect(doneTasks(tabA)).toEqual(['create-project'])
    expect(heard).toEqual([['create-project']])
    expect(a.events('Checklist Task Completed')).toHaveLength(1)
  })

  it('opened by the app (linger.show) while a signed-in user\'s progress from their other devices is on its way, the list ticks and grants nothing from this device\'s copy until it came', () => {
    const t = createTestHost(exampleFlows)
    const checklists = createChecklists(t.host)
    t.track('Signed In')
    let syncing = true
    t.host.syncing = () => syncing
    // This device's usage says every task is done; the laptop may have granted them already.
    for (const e of ['Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported']) t.track(e)
    expect(checklists.show?.('getting-started')).toBe(true)
    expect(checklists.$opened.get()).toEqual({ id: 'getting-started' })
    expect(t.emitted.filter((e) => e.event.startsWith('Checklist'))).toEqual([])
    expect(checklists.$checklists.get()[0]).toMatchObject({ status: 'started', done: {} })
    // The progress came (nothing from elsewhere): every experience looks again.
    syncing = false
    t.track('Signed In')
    expect(t.events('Checklist Task Completed')).toHaveLength(4)
    expect(t.events('Checklist Completed')).toHaveLength(1)
  })

  it('keeps progress across a reload, and a task done stays done when its withinDays window passes', async () => {
    const flows = { ...exampleFlows, checklists: [{ id: 'weekly', title: 'This week', tasks: [{ id: 'w', title: 'Export this week', doneWhen: { event: 'Report Exported', withinDays: 7 } }, { id: 'p', title: 'Create', doneWhen: { event: 'Project Created' } }] }] } as never
    const platform = createFakePlatform()
    const t = createTestHost(flows, { platform })
    createChecklists(t.host)
    t.track('Report Exported')
    await platform.advance(10 * DAY)
    const reloaded = createChecklists(createTestHost(flows, { platform }).host)
    expect(Object.keys(reloaded.$checklists.get()[0].done)).toEqual(['w'])
  })

  it('keeps two tabs in step without completing a task twice', async () => {
    const shared = new Map<string, string>()
    const a = createTestHost(exampleFlows, { shared })
    const b = createTestHost(exampleFlows, { shared })
    const tabA = createChecklists(a.host)
    const tabB = createChecklists(b.host)
    a.track('Project Created')
    await a.platform.advance(1000)
    b.platform.fireStorage('linger:usage:u:ada')
    b.platform.fireStorage('linger:state:u:ada')
    expect(doneTasks(tabB)).toEqual(['create-project'])
    b.track('Teammate Invited')
    a.platform.fireStorage('linger:state:u:ada')
    expect(doneTasks(tabA).sort()).toEqual(['create-project', 'invite'])
    expect([...a.emitted, ...b.emitted].filter((e) => e.event === 'Checklist Task Completed').map((e) => e.properties.taskId)).toEqual(['create-project', 'invite'])
  })
})
