import type { WritableAtom } from 'nanostores'
import { afterEach, describe, expect, it } from 'vitest'
import type { Announcement, Flows } from '../../config/flows-schema'
import { createAnnouncements, type AnnouncementsController } from '../announcements'
import { createTestHost } from '../badges/test-host'
import { $bannerClaims } from '../notice'
import { createLinger } from '../../client'
import { createFakePlatform } from '../../fake-platform'
import type { LingerEvent } from '../../events'
// Loaded ahead, as a page that already ran has them (see client.test.ts).
import '../../sync/state-sync'
import '../../config/boot'
import '../../transport/adopt'

let running: AnnouncementsController | undefined
afterEach(() => {
  running?.dispose()
  $bannerClaims.set({})
})

const DAY = 86_400_000

describe('a "what\'s new" item the vendor dated ahead (written today, for the release next week)', () => {
  // The fake clock reads 2026-03-02T10:00Z.
  const feed: Announcement[] = [
    { id: 'reports', format: 'feed', title: 'Live reports', publishedAt: '2026-02-20' },
    { id: 'templates', format: 'feed', title: 'Templates are here', publishedAt: '2026-03-09' },
  ]

  it('is not in the feed nor counted unread before its date, and is both once the day comes', async () => {
    const t = createTestHost({ announcements: feed })
    const c = (running = createAnnouncements(t.host))
    expect(c.$feed.get().items.map((a) => a.id)).toEqual(['reports'])
    expect(c.$feed.get().unread).toBe(1)
    // Opening the feed reads what is in it, not the item the user has not seen yet.
    c.openFeed()
    c.closeFeed()
    await t.platform.advance(7 * DAY)
    // The next thing the user does re-checks.
    t.track('Page Viewed')
    expect(c.$feed.get().items.map((a) => a.id)).toEqual(['templates', 'reports'])
    expect(c.$feed.get().unread).toBe(1)
  })

  it('tells a vendor debugging a missing item when it will be published', () => {
    const t = createTestHost({ announcements: feed })
    const c = (running = createAnnouncements(t.host))
    expect(c.why!('templates')).toEqual(['published-at: 2026-03-09'])
    expect(c.why!('reports')).toEqual(['eligible'])
  })
})

describe('a "what\'s new" item dated by day alone (publishedAt "2026-03-03"), read in New York', () => {
  it('is not in the feed the evening before (UTC\'s midnight), and is there from the user\'s own midnight', async () => {
    const zone = process.env.TZ
    process.env.TZ = 'America/New_York'
    try {
      const t = createTestHost({ announcements: [{ id: 'templates', format: 'feed', title: 'Templates are here', publishedAt: '2026-03-03' }] })
      const c = (running = createAnnouncements(t.host))
      // The clock's 10:00 UTC on March 2 is 05:00 in New York; on to 23:00 there, 04:00 UTC on the 3rd.
      await t.platform.advance(18 * 3_600_000)
      t.track('Page Viewed')
      expect(c.$feed.get()).toMatchObject({ items: [], unread: 0 })
      expect(c.why!('templates')).toEqual(['published-at: 2026-03-03'])
      // Midnight in New York: March 3 has come for this user.
      await t.platform.advance(3_600_000)
      t.track('Page Viewed')
      expect(c.$feed.get().items.map((a) => a.id)).toEqual(['templates'])
      expect(c.$feed.get().unread).toBe(1)
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })
})

describe('a visitor who signs up with a banner on screen (a single-page app: no reload)', () => {
  const flows = {
    version: 1,
    settings: { cooldownDays: 0 },
    announcements: [
      { id: 'dark-mode', format: 'banner', title: 'Dark mode is here' },
      { id: 'reports', format: 'feed', title: 'Live reports', publishedAt: '2026-02-20' },
    ],
  }

  it('is the same person: the banner they are reading is counted Shown once, and the feed they opened stays open and read', async () => {
    const platform = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    await linger.ready
    await platform.advance(1)
    const c = linger.experiences.announcements!
    expect(c.$banner.get()?.id).toBe('dark-mode')
    c.openFeed()
    c.seen('reports')
    linger.identify('ann')
    await platform.advance(1000)
    expect(c.$banner.get()?.id).toBe('dark-mode')
    expect(c.$feed.get()).toMatchObject({ unread: 0, open: true })
    await linger.flush()
    const shown = platform.requests.flatMap((r) => (r.body?.batch ?? []) as LingerEvent[]).filter((e) => e.event === 'Announcement Shown')
    expect(shown.map((e) => e.properties?.announcementId)).toEqual(['dark-mode', 'reports'])
    linger.destroy()
  })
})

describe('a "what\'s new" item the vendor publishes again (the same id, dated anew for its second part)', () => {
  it('counts as unread again: the user read the first part, not this one', async () => {
    const item: Announcement = { id: 'templates', format: 'feed', title: 'Templates are here', publishedAt: '2026-03-01' }
    const t = createTestHost({ announcements: [item] })
    const c = (running = createAnnouncements(t.host))
    c.openFeed()
    c.closeFeed()
    expect(c.$feed.get().unread).toBe(0)
    await t.platform.advance(7 * DAY)
    // The vendor's new flows document, as a later page (or a flows refresh) reads it.
    ;(t.host.flows as WritableAtom<Flows>).set({ ...t.host.flows.get(), announcements: [{ ...item, title: 'Templates: now shared', publishedAt: '2026-03-09' }] })
    expect(c.$feed.get().unread).toBe(1)
  })
})

describe('a "what\'s new" item whose link the user follows while its title is scrolled out of the panel', () => {
  it('was on screen: counted Shown (once) with its click, so no click comes without a showing', () => {
    const t = createTestHost({ announcements: [{ id: 'templates', format: 'feed', title: 'Templates', feature: 'templates', action: { label: 'Open', url: '/templates' } }] })
    const c = (running = createAnnouncements(t.host))
    c.openFeed()
    // Half its title never was in view (the UI did not call seen), but its button was pressed.
    c.act('templates')
    c.seen('templates')
    expect(t.emitted.filter((e) => e.event.startsWith('Announcement')).map((e) => e.event)).toEqual(['Announcement Shown', 'Announcement Clicked'])
  })
})

describe('a "what\'s new" item that comes out while the user has the feed open', () => {
  const feed: Announcement[] = [
    { id: 'reports', format: 'feed', title: 'Live reports', publishedAt: '2026-02-20' },
    { id: 'templates', format: 'feed', title: 'Templates are here', publishedAt: '2026-03-02T10:30:00Z' },
  ]

  it('is read once it comes into view in the open feed: the launcher does not count it unread after the user read it', async () => {
    // The fake clock reads 10:00; the item comes out at 10:30, with the feed open.
    const t = createTestHost({ announcements: feed })
    const c = (running = createAnnouncements(t.host))
    c.openFeed()
    c.seen('reports')
    await t.platform.advance(30 * 60_000)
    expect(c.$feed.get().items.map((a) => a.id)).toEqual(['templates', 'reports'])
    // The panel shows it at the top, in view (the UI says so).
    c.seen('templates')
    c.closeFeed()
    expect(c.$feed.get()).toMatchObject({ unread: 0, open: false })
  })

  it('is still unread when the user closes the feed before it came into view (under the panel\'s scroll)', async () => {
    const t = createTestHost({ announcements: feed })
    const c = (running = createAnnouncements(t.host))
    c.openFeed()
    await t.platform.advance(30 * 60_000)
    c.closeFeed()
    expect(c.$feed.get()).toMatchObject({ unread: 1, open: false })
  })
})
