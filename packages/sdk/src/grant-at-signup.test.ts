import { describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform } from './fake-platform'
import type { LingerEvent } from './events'
import './sync/state-sync'
import './config/boot'
import './transport/adopt'

const flows = {
  version: 1,
  checklists: [{ id: 'onboard', title: 'Get started', tasks: [{ id: 'invite', title: 'Invite a teammate', doneWhen: { event: 'Teammate Invited' } }, { id: 'report', title: 'Export a report', doneWhen: { event: 'Report Exported' } }] }],
  badges: [{ id: 'team', title: 'Team player', points: 20, rule: { event: 'Teammate Invited' } }],
}

describe('a grant made the moment a visitor signs up', () => {
  it('a visitor who invites a teammate and signs up while the lock manager is still answering has the badge and the task counted at the collector, once each, and sees the toast', async () => {
    const platform = createFakePlatform({ now: Date.parse('2026-12-07T10:00:00Z') })
    // A busy browser: the lock manager answers a grant's claim 300 ms late.
    const withLock = platform.withLock!.bind(platform)
    platform.withLock = (name, fn) => (name.startsWith('linger:granted:') ? new Promise<void>((r) => platform.setTimeout(r, 300)).then(() => withLock(name, fn)) : withLock(name, fn))
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    await linger.ready
    await platform.advance(1)
    linger.track('Teammate Invited')
    // The sign-up's request comes back 100 ms later.
    await platform.advance(100)
    linger.identify('ann')
    await platform.advance(2000)
    await linger.flush()
    const sent = platform.requests.flatMap((r) => (r.body?.batch ?? []) as LingerEvent[])
    const grants = sent.filter((e) => e.event === 'Badge Earned' || e.event === 'Checklist Task Completed').map((e) => `${e.event} ${e.properties?.badgeId ?? e.properties?.taskId}`)
    // On her shelf and in her list...
    expect(Object.keys(linger.experiences.badges!.$state.get().earned)).toEqual(['team'])
    expect(linger.experiences.checklists!.$checklists.get()[0]!.done).toHaveProperty('invite')
    // ...and counted by the collector, once each; and she was told.
    expect(grants.sort()).toEqual(['Badge Earned team', 'Checklist Task Completed invite'])
    expect(linger.experiences.badges!.$toasts.get().map((t) => ('badge' in t ? t.badge.id : t.level))).toEqual(['team'])
  })
})
