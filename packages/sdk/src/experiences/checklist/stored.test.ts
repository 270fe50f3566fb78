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
