import { describe, expect, it } from 'vitest'
import type { WritableAtom } from 'nanostores'
import type { Flows } from '../config/flows-schema'
import type { LiveExperienceState } from '../experience-state'
import { createFakePlatform } from '../fake-platform'
import { kept, type Synced } from '../sync/merge'
import { startStateSync } from '../sync/state-sync'
import { createBadges } from './badges'
import { sortedLevels } from './badges/points'
import { createTestHost } from './badges/test-host'
import { createChecklists } from './checklist'
import { exampleFlows } from './checklist/example.fixture'

/** The collector's /v1/state in memory, storing each field as the real one does (merge.ts `kept`). */
function collector() {
  const stored: Record<string, Synced> = {}
  return {
    stored,
    device(now: number) {
      const platform = createFakePlatform({ now })
      platform.respond = (req) => {
        if (req.init.method === 'PUT')
          for (const [n, f] of Object.entries(req.body.fields as Record<string, Synced>)) {
            const keep = kept(n, f, stored[n], platform.now())
            if (keep) stored[n] = keep
          }
        return { status: 200, body: JSON.stringify({ ok: true, fields: stored }) }
      }
      const t = createTestHost(exampleFlows, { platform })
      const checklists = createChecklists(t.host)
      const badges = createBadges(t.host)
      const sync = startStateSync({ platform, state: t.host.state as LiveExperienceState, endpoint: 'https://c.test', writeKey: 'pk', userId: 'ada', userHash: 'h', userKey: 'u:ada', onError: () => {} })
      /** The level the shelf names. */
      const shelfLevel = () => sortedLevels(t.host.flows.get().levels ?? [])[badges.$state.get().level]?.name
      const withLevels = (levels: Flows['levels']) => (t.host.flows as WritableAtom<Flows>).set({ ...t.host.flows.get(), levels })
      return { ...t, checklists, badges, sync, shelfLevel, withLevels }
    },
  }
}

const ONBOARDING = ['Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported']
const LEVELS = exampleFlows.levels!

describe('a level reached on the phone, while the laptop, not told, reached a lower one', () => {
  it('stays the level the user has on both: the laptop’s later write of the lower one does not take it back, even once the vendor raises its threshold', async () => {
    const c = collector()
    const laptop = c.device(1000)
    await laptop.sync.ready
    const phone = c.device(1000)
    await phone.sync.ready
    // On the phone: onboarding done, ten reports, five features: 150 points, "Power user".
    ONBOARDING.forEach((e) => phone.track(e))
    for (let i = 0; i < 9; i++) phone.track('Report Exported')
    for (const f of ['a', 'b', 'c', 'd', 'e']) phone.track('Feature Used', { feature: f })
    expect(phone.events('Level Reached').map((e) => e.properties.level)).toEqual(['Regular', 'Power user'])
    await phone.platform.advance(1500)
    // Later, on the laptop, its tab open all along and not told: onboarding, 100 points, "Regular".
    await laptop.platform.advance(60_000)
    ONBOARDING.forEach((e) => laptop.track(e))
    await laptop.platform.advance(1500)
    // Its write brought the phone's progress back with the collector's answer.
    expect(laptop.badges.$state.get().points).toBe(150)
    expect(laptop.shelfLevel()).toBe('Power user')
    await laptop.platform.advance(1500)
    await phone.platform.advance(120_000)
    phone.platform.hide()
    phone.platform.show()
    await phone.platform.advance(1500)

    // Power user now asks 300 points. The user reached it at 150: it stays theirs, on both.
    const raised = [LEVELS[0]!, LEVELS[1]!, { ...LEVELS[2]!, points: 300 }]
    laptop.withLevels(raised)
    phone.withLevels(raised)
    expect([laptop.shelfLevel(), phone.shelfLevel()]).toEqual(['Power user', 'Power user'])
  })
})
