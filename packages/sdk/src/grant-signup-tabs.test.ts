import { describe, expect, it } from 'vitest'
import type { LingerEvent } from './events'
import { twoTabs } from './two-tabs.fixture'

const flows = {
  version: 1,
  checklists: [{ id: 'onboard', title: 'Get started', tasks: [{ id: 'invite', title: 'Invite a teammate', doneWhen: { event: 'Teammate Invited' } }, { id: 'report', title: 'Export a report', doneWhen: { event: 'Report Exported' } }] }],
  badges: [{ id: 'team', title: 'Team player', points: 20, rule: { event: 'Teammate Invited' } }],
  levels: [
    { name: 'Newcomer', points: 0 },
    { name: 'Regular', points: 20 },
  ],
}


describe('a visitor with two tabs open who signs up in one of them', () => {
  it('invites a teammate in the other tab at that moment: the collector counts the badge, the level and the task once each, and the badge is on her shelf in both tabs', async () => {
    const { lag, a, b } = await twoTabs(flows)
    // Tab A grants as the visitor; tab B, whose copy of storage has none of it yet, signs up.
    a.linger.track('Teammate Invited')
    await a.platform.advance(1)
    b.linger.identify('ann')
    await b.platform.advance(1)
    // The tabs hear of each other's writes, and go on.
    for (let i = 0; i < 6; i++) {
      lag.deliver()
      await a.platform.advance(500)
      await b.platform.advance(500)
    }
    await a.linger.flush()
    await b.linger.flush()
    const sent = [a, b].flatMap((t) => t.platform.requests.flatMap((r) => (r.body?.batch ?? []) as LingerEvent[]))
    // A collector keeps one event per messageId.
    const counted = (name: string) => new Set(sent.filter((e) => e.event === name).map((e) => e.messageId)).size
    expect({ badge: counted('Badge Earned'), level: counted('Level Reached'), task: counted('Checklist Task Completed') }).toEqual({ badge: 1, level: 1, task: 1 })
    for (const t of [a, b]) expect(Object.keys(t.linger.experiences.badges!.$state.get().earned)).toEqual(['team'])
    // Told once, in the tab where she earned it.
    const toasts = [a, b].flatMap((t) => t.linger.experiences.badges!.$toasts.get().map((x) => ('badge' in x ? x.badge.id : x.level)))
    expect(toasts.sort()).toEqual(['Regular', 'team'])
  })
})
