import { describe, expect, it } from 'vitest'
import { createChecklists } from '../checklist'
import { createTestHost } from '../badges/test-host'
import { exampleFlows } from './example.fixture'

const [list] = exampleFlows.checklists!
const flows = { ...exampleFlows, checklists: [list!, { ...list!, id: 'team-setup', title: 'Set up your team', priority: -1 }] }

// Stored JSON is of any shape (a hand edit in the devtools, another release, a device's copy).
describe('a checklist record stored in another shape', () => {
  for (const record of [{ status: 'started' }, { status: 'dismissed', done: null }, 'started']) {
    it(`(${JSON.stringify(record)}) does not take the user's lists away: it ticks from their events again, and the next list still starts`, () => {
      const t = createTestHost(flows)
      t.host.state.set('checklist:getting-started', record)
      const errors: unknown[] = []
      t.host.reportError = (e) => void errors.push(e)
      const checklists = createChecklists(t.host)
      t.track('Project Created')
      const views = checklists.$checklists.get()
      expect(views.map((v) => [v.checklist.id, Object.keys(v.done)])).toEqual([
        ['getting-started', ['create-project']],
        ['team-setup', ['create-project']],
      ])
      expect(errors).toEqual([])
    })
  }
})

// A newer release (or another device on one) may store a status this version does not know.
describe('a checklist record whose status this version does not know', () => {
  for (const record of [{ status: 'snoozed', done: { 'create-project': 5 }, by: 'v9' }, { done: { 'create-project': 5 } }]) {
    it(`(${JSON.stringify(record)}) the user hides it: it goes, its done task and the rest of the record kept, one Checklist Dismissed`, () => {
      const t = createTestHost(flows)
      t.host.state.set('checklist:getting-started', record)
      const checklists = createChecklists(t.host)
      checklists.dismiss('getting-started')
      expect(checklists.$checklists.get().find((v) => v.checklist.id === 'getting-started')?.status).toBe('dismissed')
      expect(t.host.state.get('checklist:getting-started')).toEqual({ ...record, status: 'dismissed' })
      expect(t.events('Checklist Dismissed')).toEqual([{ event: 'Checklist Dismissed', properties: { checklistId: 'getting-started', points: 0 } }])
      expect(checklists.why?.('getting-started')).toEqual(['dismissed'])
      // And back on the user's word.
      checklists.resume('getting-started')
      expect(t.host.state.get('checklist:getting-started')).toEqual({ ...record, status: 'started' })
    })
  }
})

// A newer release (another tab, another device on it) may keep more in the record than this one knows.
describe('a checklist record with fields this version does not know', () => {
  it('a task ticked here keeps them: this release does not erase what a newer one stored', () => {
    const t = createTestHost(flows)
    const record = { status: 'started', done: {}, snoozedUntil: 1_900_000_000_000, by: 'v9' }
    t.host.state.set('checklist:getting-started', record)
    createChecklists(t.host)
    t.track('Project Created')
    const stored = t.host.state.get('checklist:getting-started') as Record<string, unknown>
    expect(Object.keys(stored.done as object)).toEqual(['create-project'])
    expect(stored).toMatchObject({ status: 'started', snoozedUntil: 1_900_000_000_000, by: 'v9' })
  })
})
