import { describe, expect, it } from 'vitest'
import { createLinger } from '../../client'
import { createFakePlatform } from '../../fake-platform'
import type { LingerEvent } from '../../events'
// Loaded ahead, as a page that already ran has them (see client.test.ts).
import '../../sync/state-sync'
import '../../config/boot'
import '../../transport/adopt'

const HOUR = 3_600_000

// The fake clock reads Monday 2026-03-02T10:00Z; the release goes out at noon UTC.
const flows = {
  version: 1,
  settings: { cooldownDays: 0 },
  announcements: [
    { id: 'launch', format: 'banner', title: 'Templates are here', publishedAt: '2026-03-02T12:00:00Z' },
    { id: 'templates', format: 'feed', title: 'Templates are here', publishedAt: '2026-03-02T12:00:00Z' },
  ],
}

describe('a banner and a "what\'s new" item dated for noon, on a page left open all morning', () => {
  it('come at noon, with no click or event to bring them, and are counted Shown then', async () => {
    const platform = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    await linger.ready
    await platform.advance(1)
    const c = linger.experiences.announcements!
    expect([c.$banner.get(), c.$feed.get().items]).toEqual([null, []])
    // 11:59: the user reads the page; nothing yet.
    await platform.advance(2 * HOUR - 60_000)
    expect(c.$banner.get()).toBeNull()
    // Noon passes while they still read.
    await platform.advance(61_000)
    expect(c.$banner.get()?.id).toBe('launch')
    expect(c.$feed.get()).toMatchObject({ items: [{ id: 'templates' }], unread: 1 })
    await linger.flush()
    const shown = platform.requests.flatMap((r) => (r.body?.batch ?? []) as LingerEvent[]).filter((e) => e.event === 'Announcement Shown')
    expect(shown.map((e) => e.properties?.announcementId)).toEqual(['launch'])
    linger.destroy()
  })

  it('come within a minute of a laptop opened after noon, though its timers slept through the morning', async () => {
    const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
    const platform = createFakePlatform({ clock })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    await linger.ready
    await platform.advance(1)
    // Closed at 10:00, opened at 12:30: no timer ran meanwhile.
    clock.now += 2.5 * HOUR
    await platform.advance(60_000)
    expect(linger.experiences.announcements!.$banner.get()?.id).toBe('launch')
    linger.destroy()
  })
})
