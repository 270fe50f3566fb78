import { afterEach, describe, expect, it } from 'vitest'
import type { Announcement } from '../config/flows-schema'
import { createAnnouncements, type AnnouncementsController } from './announcements'
import { createTestHost, webLocks } from './badges/test-host'
import { CLAIM_MS, DRAW_MS, inTurn } from './across-tabs'
import { $bannerClaims, claimBanner } from './notice'
import { createLinger } from '../client'
import { laggingStorage, lockedTabs } from '../lagging-storage'
import { createFakePlatform, type FakePlatform } from '../fake-platform'

const list: Announcement[] = [
  { id: 'bulk-export', format: 'banner', title: 'Export many invoices at once', feature: 'bulk-export', action: { label: 'Try it', url: '/invoices?export=1' }, audience: { feature: 'invoice-export' } },
  { id: 'dark-mode', format: 'banner', title: 'Dark mode is here', priority: -1 },
  { id: 'v3', format: 'modal', title: 'Acme 3.0', body: 'A faster editor.' },
  { id: 'feed-old', format: 'feed', title: 'Reports', publishedAt: '2026-01-10' },
  { id: 'feed-new', format: 'feed', title: 'Templates', publishedAt: '2026-02-20' },
]

let running: AnnouncementsController | undefined
afterEach(() => {
  running?.dispose()
  $bannerClaims.set({})
})

function setup(requests: string[] = []) {
  const t = createTestHost({ announcements: list })
  // The requests that take the blocking slot (a look only decides).
  t.host.request = (req) => (req.look || requests.push(req.id), { show: true, reasons: ['eligible'] })
  const c = (running = createAnnouncements(t.host))
  return { ...t, c }
}

describe('announcement banners', () => {
  it('count as shown once their UI is on the page, not when decided; a banner gone before that never counts', () => {
    const t = createTestHost({ announcements: list.filter((a) => a.format === 'banner') })
    t.host.request = () => ({ show: true, reasons: ['eligible'] })
    // The banner UI's chunk is still on its way (or blocked by the page).
    let drawn = false
    const waiting: Array<() => void> = []
    t.host.undrawn = (kind, then) => kind === 'announcements' && !drawn && !!waiting.push(then)
    const c = (running = createAnnouncements(t.host))
    expect(c.$banner.get()?.id).toBe('dark-mode')
    // The user's export makes the targeted banner the one to show, before anything was drawn.
    t.track('Feature Used', { feature: 'invoice-export' })
    expect(c.$banner.get()?.id).toBe('bulk-export')
    expect(t.events('Announcement Shown')).toEqual([])
    drawn = true
    waiting.splice(0).forEach((fn) => fn())
    expect(t.events('Announcement Shown').map((e) => e.properties.announcementId)).toEqual(['bulk-export'])
  })

  it('one banner at a time, the one the audience fits best; dismissed banners never return', () => {
    const { c, track, events } = setup()
    expect(c.$banner.get()?.id).toBe('dark-mode')
    track('Feature Used', { feature: 'invoice-export' })
    // "Used feature X" now holds: the targeted banner (higher priority) takes the one place.
    expect(c.$banner.get()).toMatchObject({ id: 'bulk-export', layout: 'banner', action: { label: 'Try it', url: '/invoices?export=1' } })
    c.act('bulk-export')
    expect(c.$banner.get()?.id).toBe('dark-mode')
    c.dismiss('dark-mode')
    expect(c.$banner.get()).toBeNull()
    expect(events('Announcement Shown').map((e) => e.properties.announcementId)).toEqual(['dark-mode', 'v3', 'bulk-export'])
    expect(events('Announcement Clicked').map((e) => e.properties)).toEqual([{ announcementId: 'bulk-export', format: 'banner', feature: 'bulk-export' }])
    expect(events('Announcement Dismissed').map((e) => e.properties)).toEqual([{ announcementId: 'dark-mode', format: 'banner' }])
  })

  it('a "Got it" button (no url) is a dismissal, not a click: only a link the user followed counts as clicked', () => {
    const t = createTestHost({ announcements: [{ id: 'export', format: 'banner', title: 'Export is here', action: { label: 'Got it' } }] })
    const c = (running = createAnnouncements(t.host))
    c.act('export')
    expect(c.$banner.get()).toBeNull()
    expect(t.events('Announcement Clicked')).toEqual([])
    expect(t.events('Announcement Dismissed').map((e) => e.properties.announcementId)).toEqual(['export'])
  })

  it('a banner the vendor opens with linger.show(id) (from their "What\'s new?" menu) stays while the page goes on, until the user closes it', () => {
    const { c, host, events } = setup()
    c.dismiss('dark-mode')
    expect(c.show!('dark-mode')).toBe(true)
    // A badge, a checklist task or another tab writing the user's state re-checks.
    host.state.set('badges', { points: 1 })
    expect(c.$banner.get()?.id).toBe('dark-mode')
    c.dismiss('dark-mode')
    expect(c.$banner.get()).toBeNull()
    host.state.set('badges', { points: 2 })
    expect(c.$banner.get()).toBeNull()
    expect(events('Announcement Dismissed')).toHaveLength(2)
  })

  // What the UI gives focus back to, closed by keyboard: the app's button only when the user's
  // own click asked (a real event: the page's window.event while show() runs).
  it('knows a banner the user asked for with the app\'s "What\'s new" button from one the app showed from a timer, and forgets it for the next person', () => {
    const { c, $user } = setup()
    const during = <T,>(event: object | undefined, fn: () => T) => {
      ;(globalThis as { event?: object }).event = event
      try {
        return fn()
      } finally {
        delete (globalThis as { event?: object }).event
      }
    }
    expect(c.asked()).toBe('')
    during({ isTrusted: true, type: 'click' }, () => c.show!('dark-mode'))
    expect(c.asked()).toBe('dark-mode')
    // The app's script clicking its own button (untrusted), its scroll handler (a keyboard user
    // Tabbing down the page scrolls it), then its schedule (no event at all).
    during({ isTrusted: false, type: 'click' }, () => c.show!('dark-mode'))
    expect(c.asked()).toBe('')
    during({ isTrusted: true, type: 'keydown' }, () => c.show!('dark-mode'))
    during({ isTrusted: true, type: 'scroll' }, () => c.show!('dark-mode'))
    expect(c.asked()).toBe('')
    during({ isTrusted: true, type: 'keydown' }, () => c.show!('feed-new'))
    expect(c.asked()).toBe('feed-new')
    c.show!('dark-mode')
    expect(c.asked()).toBe('')
    during({ isTrusted: true, type: 'click' }, () => c.show!('dark-mode'))
    $user.set({ userKey: 'u:bob', anonymousId: 'a2', userId: 'bob', traits: {} })
    expect(c.asked()).toBe('')
  })

  it('gives the place up while a billing prompt (higher rank) holds it', () => {
    const { c } = setup()
    claimBanner('billing', 2)
    expect(c.$banner.get()).toBeNull()
    claimBanner('billing', null)
    expect(c.$banner.get()?.id).toBe('dark-mode')
  })
})

describe('in a tab the user has not looked at yet', () => {
  it('opens no "what\'s new" and counts no banner shown until the user looks, then both', () => {
    const t = createTestHost({ announcements: list })
    const requests: string[] = []
    t.host.request = (req) => (requests.push(req.id), { show: true, reasons: ['eligible'] })
    let hidden = true
    const waiting: Array<() => void> = []
    t.host.screen = { when: (fn) => fn(), away: (then) => hidden && (waiting.push(then), true) }
    const c = (running = createAnnouncements(t.host))
    expect(c.$modal.get()).toBeNull()
    expect(requests).toEqual([])
    expect(t.events('Announcement Shown')).toEqual([])
    // The user switches to the tab.
    hidden = false
    waiting.splice(0).forEach((fn) => fn())
    expect(c.$modal.get()?.id).toBe('v3')
    expect(t.events('Announcement Shown').map((e) => e.properties.announcementId).sort()).toEqual(['dark-mode', 'v3'])
  })
})

describe('a "what\'s new" that becomes due while the screen is busy', () => {
  it('waits while a badge celebration (or the open feed, or the page\'s own dialog) is on screen, then opens and is counted shown', () => {
    const t = createTestHost({ announcements: [{ id: 'v3', format: 'modal', title: 'Acme 3.0', audience: { feature: 'invoice-export' } }] })
    t.host.request = () => ({ show: true, reasons: ['eligible'] })
    // The widgets' screen: busy until the celebration the same click earned is gone.
    const calm: Array<() => void> = []
    t.host.screen = { when: (fn) => void calm.push(fn) }
    const c = (running = createAnnouncements(t.host))
    // The export that makes the user due for "what's new" also earns them a badge.
    t.track('Feature Used', { feature: 'invoice-export' })
    t.track('Feature Used', { feature: 'invoice-export' })
    expect(c.$modal.get()).toBeNull()
    expect(t.events('Announcement Shown')).toEqual([])
    // One wait, however many events came meanwhile.
    expect(calm).toHaveLength(1)
    // The celebration is gone: now it opens.
    calm.splice(0).forEach((fn) => fn())
    expect(c.$modal.get()?.id).toBe('v3')
    expect(t.events('Announcement Shown').map((e) => e.properties.announcementId)).toEqual(['v3'])
  })
})

describe('what\'s new modal and feed', () => {
  it('asks the scheduler for the blocking slot, and once closed never asks again', () => {
    const requests: string[] = []
    const { c } = setup(requests)
    expect(c.$modal.get()).toMatchObject({ id: 'v3', layout: 'modal', title: 'Acme 3.0' })
    c.dismiss('v3')
    expect(c.$modal.get()).toBeNull()
    expect(requests).toEqual(['v3'])
  })

  it('the feed lists items newest first with an unread count that opening clears', () => {
    const { c, events } = setup()
    expect(c.$feed.get()).toMatchObject({ unread: 2, open: false })
    expect(c.$feed.get().items.map((a) => a.id)).toEqual(['feed-new', 'feed-old'])
    c.openFeed()
    expect(c.$feed.get()).toMatchObject({ unread: 0, open: true })
    // Shown as each comes into view in the open feed (the UI says so), once per tab.
    expect(events('Announcement Shown').filter((e) => e.properties.format === 'feed')).toHaveLength(0)
    c.seen('feed-new')
    c.seen('feed-old')
    expect(events('Announcement Shown').filter((e) => e.properties.format === 'feed')).toHaveLength(2)
    c.closeFeed()
    // A closed feed shows nothing.
    c.seen('feed-new')
    c.openFeed()
    c.seen('feed-new')
    expect(events('Announcement Shown').filter((e) => e.properties.format === 'feed')).toHaveLength(2)
  })

  it('a feed item\'s link followed twice (back to the page, the feed still open) is one click, as it was one showing', () => {
    const t = createTestHost({ announcements: [{ id: 'templates', format: 'feed', title: 'Templates', feature: 'templates', action: { label: 'Open', url: '/templates' } }] })
    const c = (running = createAnnouncements(t.host))
    c.openFeed()
    c.seen('templates')
    c.act('templates')
    c.act('templates')
    expect(t.events('Announcement Shown')).toHaveLength(1)
    expect(t.events('Announcement Clicked').map((e) => e.properties)).toEqual([{ announcementId: 'templates', format: 'feed', feature: 'templates' }])
  })

  it('a state synced from another device, which closed the modal there but read nothing, still shows the feed and takes a dismissal', () => {
    const t = createTestHost({ announcements: list })
    t.host.request = () => ({ show: true, reasons: ['eligible'] })
    // What state sync writes when the collector holds only `announcements.closed:v3` for this user.
    t.host.state.set('announcements', { closed: { v3: 5 } })
    const c = (running = createAnnouncements(t.host))
    expect(c.$modal.get()).toBeNull()
    expect(c.$feed.get()).toMatchObject({ unread: 2 })
    c.dismiss('dark-mode')
    expect(c.$banner.get()).toBeNull()
    expect(t.events('Announcement Dismissed').map((e) => e.properties.announcementId)).toEqual(['dark-mode'])
    c.openFeed()
    expect(c.$feed.get()).toMatchObject({ unread: 0 })
  })
})

describe('a banner or "what\'s new" dated for next week\'s release (publishedAt)', () => {
  it('waits for its date, as a feed item does: not shown (nor counted) before the feature is out, and why(id) says so', async () => {
    // The clock is Monday 2 March; the release is Monday 9 March, 09:00 UTC.
    const dated: Announcement[] = [
      { id: 'launch-banner', format: 'banner', title: 'Templates are here', publishedAt: '2026-03-09T09:00:00Z' },
      { id: 'launch-modal', format: 'modal', title: 'Acme 4.0', publishedAt: '2026-03-09T09:00:00Z' },
    ]
    const t = createTestHost({ announcements: dated })
    const requests: string[] = []
    t.host.request = (req) => (req.look || requests.push(req.id), { show: true, reasons: ['eligible'] })
    const c = (running = createAnnouncements(t.host))
    await t.platform.advance(1)
    expect([c.$banner.get(), c.$modal.get(), requests]).toEqual([null, null, []])
    expect(t.events('Announcement Shown')).toEqual([])
    expect(c.why!('launch-banner')).toEqual(['published-at: 2026-03-09T09:00:00Z'])
    // Release day: the next look (any tracked event) shows them.
    await t.platform.advance(7 * 86_400_000)
    t.track('Page Opened')
    await t.platform.advance(1)
    expect([c.$banner.get()?.id, c.$modal.get()?.id, requests]).toEqual(['launch-banner', 'launch-modal', ['launch-modal']])
  })
})

describe('stored announcements state of another shape (an older release, a hand edit)', () => {
  it('a "closed" that is no record does not keep every banner away for good', () => {
    const t = createTestHost({ announcements: list })
    t.host.state.set('announcements', { closed: null, read: [] })
    const c = (running = createAnnouncements(t.host))
    expect(c.$banner.get()?.id).toBe('dark-mode')
    expect(c.$feed.get().unread).toBe(2)
    c.dismiss('dark-mode')
    expect(c.$banner.get()).toBeNull()
  })
})

describe('two windows of one user restored at once', () => {
  async function tab(platform: FakePlatform) {
    const flows = { version: 1, settings: { cooldownDays: 0 }, announcements: [{ id: 'v3', format: 'modal', title: 'Acme 3.0', audience: { trait: 'plan', eq: 'pro' } }] }
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    const shown: string[] = []
    linger.on('announcement:shown', (p: { announcementId: string }) => shown.push(p.announcementId))
    await linger.ready
    await platform.advance(0)
    return { linger, platform, shown }
  }

  it('a "what\'s new" waiting for its turn when identify() comes just after load opens for the user who signed in', async () => {
    const locks = lockedTabs(laggingStorage(Date.parse('2026-03-02T10:00:00Z')))
    const flows = { version: 1, settings: { cooldownDays: 0 }, announcements: [{ id: 'v3', format: 'modal', title: 'Acme 3.0' }] }
    const platform = locks.tab()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    const shown: string[] = []
    linger.on('announcement:shown', (p: { announcementId: string }) => shown.push(p.announcementId))
    await linger.ready
    // The page's sign-in lands while the modal waits for the cross-tab lock.
    linger.identify('u_3')
    await locks.settled()
    await platform.advance(100)
    expect(linger.experiences.announcements!.$modal.get()?.id).toBe('v3')
    // Its UI is asked for, or the modal the user is counted as shown would never be drawn.
    expect(linger.experiences.announcements!.$needsUi.get()).toBe(true)
    expect(shown).toEqual(['v3'])
    linger.destroy()
  })

  it('why(id) tells the vendor a "what\'s new" waits for the user\'s cross-tab turn, not that it is eligible', async () => {
    const locks = lockedTabs(laggingStorage(Date.parse('2026-03-02T10:00:00Z')))
    const flows = { version: 1, settings: { cooldownDays: 0 }, announcements: [{ id: 'v3', format: 'modal', title: 'Acme 3.0' }] }
    const platform = locks.tab()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    await linger.ready
    expect(locks.requests).toHaveLength(1)
    expect(linger.why('v3')).toMatchObject({ show: false, reasons: ['waiting-for-turn'] })
    await locks.settled()
    await platform.advance(100)
    expect(linger.why('v3').reasons).toEqual(['showing'])
    linger.destroy()
  })

  it('open the once "what\'s new" in one of them, and count it Shown once', async () => {
    const lag = laggingStorage(Date.parse('2026-03-02T10:00:00Z'))
    const locks = lockedTabs(lag)
    const a = await tab(locks.tab())
    const b = await tab(locks.tab())
    a.linger.identify('u_2', { plan: 'pro' })
    b.linger.identify('u_2', { plan: 'pro' })
    await a.platform.advance(0)
    await b.platform.advance(0)
    await locks.settled()
    lag.deliver()
    await a.platform.advance(100)
    await b.platform.advance(100)
    expect([...a.shown, ...b.shown]).toEqual(['v3'])
    a.linger.destroy()
    b.linger.destroy()
  })
})

/**
 * Windows of one user's browser, sharing its lock manager. `spent`: the scheduler's "once", as
 * the windows share it through storage; `copies` gives each window its own copy, reaching the
 * others only when `deliver()` is called (storage slow to reach them, Chromium under load).
 */
function userWindows(copies = false) {
  const shared = new Map<string, string>()
  const locks = webLocks()
  const spent = new Set<string>()
  const windows: Array<Set<string>> = []
  const open = () => {
    const platform = createFakePlatform({ now: Date.parse('2026-03-02T10:00:00Z'), shared })
    const t = createTestHost({ announcements: [{ id: 'v3', format: 'modal', title: 'Acme 3.0' }] }, { platform, exclusive: locks.exclusive })
    const mine = copies ? new Set<string>() : spent
    windows.push(mine)
    t.host.request = (req) => {
      const show = !!req.force || !mine.has(req.id)
      if (show && !req.look) mine.add(req.id), spent.add(req.id)
      return { show, reasons: [show ? 'eligible' : 'repeat-once'] }
    }
    // The modal UI's chunk is on its way until `draw()`.
    let drawn = true
    const waiting: Array<() => void> = []
    t.host.undrawn = (kind, then) => kind === 'announcements' && !drawn && !!waiting.push(then)
    const slow = () => void (drawn = false)
    const draw = () => ((drawn = true), waiting.splice(0).forEach((fn) => fn()))
    return { ...t, slow, draw }
  }
  const deliver = () => windows.forEach((w) => spent.forEach((id) => w.add(id)))
  return { locks, open, deliver }
}

/** Two windows of one user opened at once, the first (`a`) slow to draw its modal UI: both have had their turn. */
async function firstOfTwoSlow(copies = false) {
  const { locks, open, deliver } = userWindows(copies)
  const a = open()
  a.slow()
  const ca = createAnnouncements(a.host)
  const b = open()
  const cb = createAnnouncements(b.host)
  await locks.settled()
  await a.platform.advance(1)
  await b.platform.advance(1)
  return { a, b, ca, cb, locks, deliver }
}

/** The one blocking place on the user's screen, as the scheduler keeps it: the first to ask for it (not a look) has it. */
function oneBlockingPlace(host: Parameters<typeof createAnnouncements>[0]) {
  const place = { holder: '' }
  host.request = (req) => {
    const show = !place.holder || place.holder === req.id
    if (show && !req.look) place.holder = req.id
    return { show, reasons: [show ? 'eligible' : `blocked-by:${place.holder}`] }
  }
  return place
}

type UserWindows = ReturnType<typeof userWindows>

/** A survey's turn in window `a`, as surveys.ts takes it (through inTurn, spaced by the cooldown). */
async function surveyTurnIn(a: ReturnType<UserWindows['open']>, locks: UserWindows['locks']) {
  inTurn(a.host, (look) => !!look || a.host.request({ id: 'pulse', kind: 'survey' }).show, () => true, 'pulse', () => {}, true)
  await locks.settled()
  await a.platform.advance(1)
}

/** A new window, its storage yet to hear of any survey: whether it asks its own, and if not, why. */
async function anotherWindowAsks({ locks, open }: Pick<UserWindows, 'locks' | 'open'>) {
  const b = open()
  let asked = false
  let why = ''
  inTurn(b.host, (look) => !!look || (asked = true), () => true, 'nps', (r) => (why = r), true)
  await locks.settled()
  await b.platform.advance(1)
  return [asked, why]
}

describe('the window whose claim held the "what\'s new" back closes before its modal came', () => {
  it('the other window shows it, counted Shown once: it was seen by no one in the first', async () => {
    const { a, b, ca, cb, locks } = await firstOfTwoSlow()
    expect([ca.$modal.get()?.id, cb.$modal.get()?.id]).toEqual(['v3', undefined])
    // Window A's modal UI is still on its way when the user closes that window.
    ca.dispose()
    a.platform.close()
    await b.platform.advance(CLAIM_MS)
    await locks.settled()
    await b.platform.advance(1)
    expect(cb.$modal.get()?.id).toBe('v3')
    expect([...a.events('Announcement Shown'), ...b.events('Announcement Shown')].map((e) => e.properties.announcementId)).toEqual(['v3'])
    cb.dispose()
  })
})

describe('two windows of one user, the first slow to draw the "what\'s new" it picked', () => {
  it('while the first window\'s claim holds it back, why(id) tells the vendor so in the other, not that it is eligible', async () => {
    const { ca, cb } = await firstOfTwoSlow()
    expect([ca.$modal.get()?.id, cb.$modal.get()?.id]).toEqual(['v3', undefined])
    expect(cb.why!('v3')).toEqual(['shown-in-another-tab'])
    ca.dispose()
    cb.dispose()
  })

  it('its UI drawn 15 s after the pick: the other window, whose copy of storage has not heard of it, does not show it too, counted Shown once', async () => {
    const { a, b, ca, cb, locks, deliver } = await firstOfTwoSlow(true)
    await a.platform.advance(CLAIM_MS)
    await b.platform.advance(CLAIM_MS)
    await locks.settled()
    await b.platform.advance(1)
    await a.platform.advance(5_000)
    a.draw()
    deliver()
    await b.platform.advance(CLAIM_MS)
    await locks.settled()
    await b.platform.advance(1)
    expect([ca.$modal.get()?.id, cb.$modal.get()?.id]).toEqual(['v3', undefined])
    expect([...a.events('Announcement Shown'), ...b.events('Announcement Shown')].map((e) => e.properties.announcementId)).toEqual(['v3'])
    ca.dispose()
    cb.dispose()
  })

  it('the vendor\'s "What\'s new" button pressed while it loads: show(id) said yes, so it comes, though a survey asked for the screen meanwhile', async () => {
    const { a, ca, cb } = await firstOfTwoSlow()
    oneBlockingPlace(a.host)
    expect(ca.show!('v3')).toBe(true)
    const survey = a.host.request({ id: 'pulse', kind: 'survey' }).show
    a.draw()
    expect([ca.$modal.get()?.id, survey]).toEqual(['v3', false])
    expect(a.events('Announcement Shown').map((e) => e.properties.announcementId)).toEqual(['v3'])
    ca.dispose()
    cb.dispose()
  })
})

describe('two windows of one user, the first never drawing the "what\'s new" it picked', () => {
  async function picked(hidden?: () => boolean) {
    const { locks, open } = userWindows()
    const a = open()
    a.slow()
    // The user looks at the first window (or not, with `hidden`); back: they look at it again.
    const back: Array<() => void> = []
    a.host.screen = { when: (fn) => fn(), away: (then) => !!hidden?.() && !!back.push(then) }
    const ca = createAnnouncements(a.host)
    const b = open()
    const cb = createAnnouncements(b.host)
    await locks.settled()
    await a.platform.advance(1)
    await b.platform.advance(1)
    expect([ca.$modal.get()?.id, cb.$modal.get()?.id]).toEqual(['v3', undefined])
    // Each window's look-again after another's claim held it back.
    const later = async (ms: number) => {
      await a.platform.advance(ms)
      await b.platform.advance(ms)
      await locks.settled()
      await b.platform.advance(1)
    }
    const shown = () => [...a.events('Announcement Shown'), ...b.events('Announcement Shown')].map((e) => e.properties.announcementId)
    return { a, b, ca, cb, later, shown, back }
  }

  it('its UI chunk failed every try: the other window shows it at its next look, not only once the first window is closed', async () => {
    const { ca, cb, later, shown } = await picked()
    ca.uiFailed?.(true)
    await later(CLAIM_MS)
    expect([ca.$modal.get()?.id, cb.$modal.get()?.id]).toEqual([undefined, 'v3'])
    expect(shown()).toEqual(['v3'])
    ca.dispose()
    cb.dispose()
  })

  it('its UI never drawn and nothing says so (the widgets mounted again while it loaded): the other window shows it within a minute, and the first, drawing it later, does not show it too', async () => {
    const { a, ca, cb, later, shown } = await picked()
    for (let t = 0; t <= DRAW_MS; t += CLAIM_MS) await later(CLAIM_MS)
    expect(cb.$modal.get()?.id).toBe('v3')
    a.draw()
    expect([ca.$modal.get()?.id, cb.$modal.get()?.id]).toEqual([undefined, 'v3'])
    expect(shown()).toEqual(['v3'])
    ca.dispose()
    cb.dispose()
  })

  it('the user leaves the first window while its UI loads, for the other: that one shows it at its next look, and the first, looked at again, does not show it too', async () => {
    let hidden = false
    const { a, ca, cb, later, shown, back } = await picked(() => hidden)
    hidden = true
    a.draw()
    await later(CLAIM_MS)
    expect(cb.$modal.get()?.id).toBe('v3')
    hidden = false
    back.splice(0).forEach((fn) => fn())
    expect([ca.$modal.get()?.id, cb.$modal.get()?.id]).toEqual([undefined, 'v3'])
    expect(shown()).toEqual(['v3'])
    ca.dispose()
    cb.dispose()
  })
})

describe('a "what\'s new" picked in a window the user then leaves, its claim let go meanwhile', () => {
  it('claims it again when the user comes back and it is drawn: a third window, its storage yet to hear of it, does not show it too', async () => {
    const { locks, open } = userWindows(true)
    const a = open()
    a.slow()
    let hidden = false
    const back: Array<() => void> = []
    a.host.screen = { when: (fn) => fn(), away: (then) => hidden && !!back.push(then) }
    const ca = createAnnouncements(a.host)
    await locks.settled()
    await a.platform.advance(1)
    hidden = true
    a.draw()
    await a.platform.advance(2 * CLAIM_MS)
    hidden = false
    back.splice(0).forEach((fn) => fn())
    await locks.settled()
    await a.platform.advance(1)
    expect(a.events('Announcement Shown').map((e) => e.properties.announcementId)).toEqual(['v3'])
    const c = open()
    const cc = createAnnouncements(c.host)
    await locks.settled()
    await c.platform.advance(1)
    expect([cc.$modal.get()?.id, cc.why!('v3')]).toEqual([undefined, ['shown-in-another-tab']])
    ca.dispose()
    cc.dispose()
  })
})

describe('a survey that comes in the window whose "what\'s new" is still loading', () => {
  it('keeps the user\'s one showing claimed when the "what\'s new" is dropped for it: another tab, its storage yet to hear of the survey, asks nothing during the cooldown', async () => {
    const { locks, open } = userWindows(true)
    const a = open()
    a.slow()
    const place = oneBlockingPlace(a.host)
    const ca = createAnnouncements(a.host)
    await locks.settled()
    await a.platform.advance(1)
    expect(ca.$modal.get()?.id).toBe('v3')
    await surveyTurnIn(a, locks)
    expect(place.holder).toBe('pulse')
    a.draw()
    expect(ca.$modal.get()).toBe(null)
    await a.platform.advance(1_000)
    expect(await anotherWindowAsks({ locks, open })).toEqual([false, 'cooldown'])
    ca.dispose()
  })
})

describe('Linger stopped (destroy()) while the "what\'s new" waits on its claim across tabs', () => {
  it('spends nothing for no one: the page that starts Linger again (a component mounted again) shows it, once', async () => {
    const locks = lockedTabs(laggingStorage(Date.parse('2026-03-02T10:00:00Z')))
    const flows = { version: 1, settings: { cooldownDays: 2 }, announcements: [{ id: 'v3', format: 'modal', title: 'Acme 3.0' }] }
    const platform = locks.tab()
    // The lock manager answers the claim late (Chromium under load).
    let answer!: () => void
    const late = new Promise<void>((r) => (answer = r))
    const withLock = platform.withLock!
    platform.withLock = async (name, fn) => (await late, withLock(name, fn))
    const shown: string[] = []
    const first = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    first.on('announcement:shown', (p: { announcementId: string }) => shown.push(p.announcementId))
    await first.ready
    await locks.settled()
    first.destroy()
    answer()
    await platform.advance(100)
    const again = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    again.on('announcement:shown', (p: { announcementId: string }) => shown.push(p.announcementId))
    await again.ready
    await locks.settled()
    await platform.advance(100)
    expect(again.experiences.announcements!.$modal.get()?.id).toBe('v3')
    expect(shown).toEqual(['v3'])
    again.destroy()
  })
})

describe('another user signing in', () => {
  it('takes the last user\'s "what\'s new" modal off screen; it is not the new user\'s dismissal, and they get their own showing', () => {
    const t = createTestHost({ announcements: [{ id: 'v3', format: 'modal', title: 'Acme 3.0 for Pro', audience: { trait: 'plan', eq: 'pro' } }] })
    const released: string[] = []
    t.host.request = () => ({ show: true, reasons: ['eligible'] })
    t.host.release = (id, outcome) => void released.push(`${id} ${outcome}`)
    const user = t.$user
    user.set({ ...user.get(), traits: { plan: 'pro' } })
    const c = (running = createAnnouncements(t.host))
    expect(c.$modal.get()?.id).toBe('v3')
    // Ann (Pro) signs out on a shared laptop and Bob (Free) signs in.
    user.set({ userKey: 'u:bob', anonymousId: 'a2', userId: 'bob', traits: { plan: 'free' } })
    expect(c.$modal.get()).toBeNull()
    expect(released).toEqual(['v3 abandoned'])
    expect(t.events('Announcement Dismissed')).toEqual([])
    expect(t.host.state.get('announcements')).toBeUndefined()
    // Bob upgrades: the modal is his to see, and his showing is counted.
    user.set({ userKey: 'u:bob', anonymousId: 'a2', userId: 'bob', traits: { plan: 'pro' } })
    expect(c.$modal.get()?.id).toBe('v3')
    expect(t.events('Announcement Shown')).toHaveLength(2)
  })
})

describe('why(id)', () => {
  it('says what keeps an announcement off screen', () => {
    const { c, track } = setup()
    expect(c.why!('bulk-export')).toEqual(['audience: feature "invoice-export" count gte 1 (was 0)'])
    expect(c.why!('dark-mode')).toEqual(['showing'])
    track('Feature Used', { feature: 'invoice-export' })
    expect(c.why!('dark-mode')).toEqual(['banner-taken'])
    c.dismiss('bulk-export')
    expect(c.why!('bulk-export')).toEqual(['already-closed'])
    expect(c.why!('nope')).toBeUndefined()
  })

  it('says a banner that pushes the page waits for a calm moment while it does (nothing on screen, no other banner in its place), then that it is showing', () => {
    const t = createTestHost({ announcements: [{ id: 'velocity', format: 'banner', title: 'Faster boards', pushLayout: true }] })
    // The widgets' screen: a toast is up, so the banner waits for it to go.
    const calm: Array<() => void> = []
    t.host.screen = { when: (fn) => void calm.push(fn), typing: () => false, away: () => false }
    const c = (running = createAnnouncements(t.host))
    expect(c.$banner.get()).toBeNull()
    expect(c.why!('velocity')).toEqual(['waiting-for-calm'])
    calm.splice(0).forEach((fn) => fn())
    expect(c.$banner.get()?.id).toBe('velocity')
    expect(c.why!('velocity')).toEqual(['showing'])
  })

  it('a banner that pushes the page, on a screen that never calms down (focus left in an embedded editor reads as typing), still comes within a minute, not never', async () => {
    const t = createTestHost({ announcements: [{ id: 'velocity', format: 'banner', title: 'Faster boards', pushLayout: true }] })
    // Calm, but someone always typing (focus in the iframe).
    t.host.screen = { when: (fn) => fn(), typing: () => true, away: () => false }
    const c = (running = createAnnouncements(t.host))
    await t.platform.advance(10_000)
    expect(c.$banner.get()).toBeNull()
    await t.platform.advance(50_000)
    expect(c.$banner.get()?.id).toBe('velocity')
    expect(c.why!('velocity')).toEqual(['showing'])
  })

  it("a banner that pushes the page waits on while the page's own dialog or a full-screen video stays up: it does not come over them after a while", async () => {
    const t = createTestHost({ announcements: [{ id: 'velocity', format: 'banner', title: 'Faster boards', pushLayout: true }] })
    // The screen is never calm: its `when` is never answered.
    t.host.screen = { when: () => {}, typing: () => false, away: () => false }
    const c = (running = createAnnouncements(t.host))
    await t.platform.advance(10 * 60_000)
    expect(c.$banner.get()).toBeNull()
    expect(c.why!('velocity')).toEqual(['waiting-for-calm'])
  })

  it('a 50% announcement sample of an audience that is itself a 50% `{ sample }` reaches about a quarter of 400 users, not half', () => {
    const t = createTestHost({ announcements: [{ id: 'dark-mode', format: 'banner', title: 'Dark mode is here', sample: 0.5, audience: { sample: 0.5 } }] })
    const c = (running = createAnnouncements(t.host))
    let reached = 0
    for (let i = 0; i < 400; i++) {
      t.$user.set({ ...t.$user.get(), userKey: `u:user_${i}`, userId: `user_${i}` })
      if (c.$banner.get()?.id === 'dark-mode') reached++
    }
    // The two shares multiply (docs: "share of the audience"): 100 expected, 8.7 the spread.
    expect(reached).toBeGreaterThan(70)
    expect(reached).toBeLessThan(130)
  })

  it('tells a vendor debugging a missing announcement the real reason: sampled out, or the scheduler\'s', () => {
    const t = createTestHost({
      announcements: [
        { id: 'dark-mode', format: 'banner', title: 'Dark mode is here', sample: 0 },
        { id: 'v3', format: 'modal', title: 'Acme 3.0', sample: 0 },
        { id: 'v4', format: 'modal', title: 'Acme 4.0' },
      ],
    })
    t.host.request = () => ({ show: false, reasons: ['cooldown'] })
    const c = (running = createAnnouncements(t.host))
    expect(c.why!('dark-mode')).toEqual([expect.stringMatching(/^audience: sample/)])
    expect(c.why!('v3')).toEqual([expect.stringMatching(/^audience: sample/)])
    expect(c.why!('v4')).toEqual(['cooldown'])
  })
})

describe('a "what\'s new" the vendor opens with linger.show(id) while a tour holds the screen', () => {
  it('is not opened, show() says so, and why(id) names the tour first, whatever its audience or an earlier close would say', () => {
    const t = createTestHost({ announcements: [{ id: 'v3', format: 'modal', title: 'Acme 3.0', audience: { trait: 'plan', eq: 'pro' } }] })
    let touring = true
    // The scheduler's word with a tour on screen: forced or not, nothing else blocking comes.
    t.host.request = () => (touring ? { show: false, reasons: ['blocked-by:export-tour'] } : { show: true, reasons: ['forced'] })
    const c = (running = createAnnouncements(t.host))
    expect(c.show!('v3')).toBe(false)
    expect(c.$modal.get()).toBeNull()
    expect(c.why!('v3')).toEqual(['blocked-by:export-tour'])
    touring = false
    expect(c.show!('v3')).toBe(true)
    expect(c.$modal.get()?.id).toBe('v3')
    c.dismiss('v3')
    // Closed once, and a tour up again: asked for again, it is the tour that keeps it away.
    touring = true
    expect(c.show!('v3')).toBe(false)
    expect(c.why!('v3')).toEqual(['blocked-by:export-tour'])
    touring = false
    expect(c.why!('v3')).toEqual(['already-closed'])
  })
})

describe('a "what\'s new" picked in a window the user leaves and comes back to, then dropped for a survey there', () => {
  it('does not let go of the survey\'s hold on the user\'s one showing: another tab, its storage yet to hear of the survey, asks nothing during the cooldown', async () => {
    const { locks, open } = userWindows(true)
    const a = open()
    a.slow()
    let hidden = false
    a.host.screen = { when: (fn) => fn(), away: () => hidden }
    const place = oneBlockingPlace(a.host)
    const ca = createAnnouncements(a.host)
    await locks.settled()
    await a.platform.advance(1)
    expect(ca.$modal.get()?.id).toBe('v3')
    // The user leaves the window while the modal's UI loads, and comes back.
    hidden = true
    await a.platform.advance(CLAIM_MS + 1)
    hidden = false
    await surveyTurnIn(a, locks)
    expect(place.holder).toBe('pulse')
    a.draw()
    expect(ca.$modal.get()).toBe(null)
    await a.platform.advance(1_000)
    expect(await anotherWindowAsks({ locks, open })).toEqual([false, 'cooldown'])
    ca.dispose()
  })
})

describe('a "what\'s new" whose UI has not drawn a minute after the pick, in a window the user looks at', () => {
  it('is given up there once the other window may show it: drawn late in the first, before its storage hears of the other\'s showing, it is not shown twice', async () => {
    const { a, b, ca, cb, locks } = await firstOfTwoSlow(true)
    expect([ca.$modal.get()?.id, cb.$modal.get()?.id]).toEqual(['v3', undefined])
    // Each window's look-again, until the other window shows it.
    for (let t = 0; t <= DRAW_MS && !cb.$modal.get(); t += CLAIM_MS) {
      await a.platform.advance(CLAIM_MS)
      await b.platform.advance(CLAIM_MS)
      await locks.settled()
      await b.platform.advance(1)
    }
    expect(cb.$modal.get()?.id).toBe('v3')
    a.draw()
    expect([ca.$modal.get()?.id, cb.$modal.get()?.id]).toEqual([undefined, 'v3'])
    expect([...a.events('Announcement Shown'), ...b.events('Announcement Shown')].map((e) => e.properties.announcementId)).toEqual(['v3'])
    ca.dispose()
    cb.dispose()
  })
})

describe('a "what\'s new" whose UI chunk load hangs (never failing, never coming)', () => {
  it('holds the user\'s one showing a minute, not a minute of every seventy seconds: a survey in another tab is asked, and the modal comes once its UI does', async () => {
    const { locks, open } = userWindows(true)
    const a = open()
    a.slow()
    const ca = createAnnouncements(a.host)
    await locks.settled()
    await a.platform.advance(1)
    expect(ca.$modal.get()?.id).toBe('v3')
    // Let go at the minute; its look-again ten seconds later, and five more.
    for (let t = 0; t < DRAW_MS + CLAIM_MS + CLAIM_MS / 2; t += CLAIM_MS / 2) {
      await a.platform.advance(CLAIM_MS / 2)
      await locks.settled()
    }
    expect(await anotherWindowAsks({ locks, open })).toEqual([true, ''])
    ca.dispose()
  })

  it('comes when its UI finally does, counted Shown once', async () => {
    const { locks, open } = userWindows(true)
    const a = open()
    a.slow()
    const ca = createAnnouncements(a.host)
    await locks.settled()
    for (let t = 0; t < 2 * DRAW_MS; t += CLAIM_MS / 2) {
      await a.platform.advance(CLAIM_MS / 2)
      await locks.settled()
    }
    a.draw()
    await locks.settled()
    await a.platform.advance(1)
    expect([ca.$modal.get()?.id, a.events('Announcement Shown').length]).toEqual(['v3', 1])
    ca.dispose()
  })
})

describe('a "what\'s new" whose UI chunk fails for good after its minute without a draw (offline past the loader\'s last try)', () => {
  it('asks for its UI again at the next look once the network is back, and comes: not waiting for good for a draw nothing will make', async () => {
    const { locks, open } = userWindows(true)
    const a = open()
    a.slow()
    const ca = createAnnouncements(a.host)
    await locks.settled()
    await a.platform.advance(1)
    expect(ca.$modal.get()?.id).toBe('v3')
    // Let go at the minute, waiting for its UI; the loader's last try fails after.
    for (let t = 0; t < DRAW_MS + CLAIM_MS; t += CLAIM_MS / 2) {
      await a.platform.advance(CLAIM_MS / 2)
      await locks.settled()
    }
    ca.uiFailed?.(true)
    // Nothing to draw: no UI asked for now (the mount loads again when asked again).
    expect(ca.$needsUi.get()).toBe(false)
    // The network is back; the user goes on working: picked again, its UI asked for.
    a.draw()
    a.track('Report Exported')
    await a.platform.advance(CLAIM_MS + 1)
    await locks.settled()
    await a.platform.advance(1)
    expect([ca.$modal.get()?.id, ca.$needsUi.get(), ca.why!('v3')]).toEqual(['v3', true, ['showing']])
    ca.dispose()
  })
})

describe('the vendor\'s "What\'s new" button pressed while the modal\'s UI loads, the UI then failing for good', () => {
  it('gives the blocking place back: the tab\'s surveys can come, and no UI is asked for', async () => {
    const { locks, open } = userWindows()
    const a = open()
    a.slow()
    const place = oneBlockingPlace(a.host)
    a.host.release = (id) => void (place.holder === id && (place.holder = ''))
    const ca = createAnnouncements(a.host)
    await locks.settled()
    await a.platform.advance(1)
    expect(ca.show!('v3')).toBe(true)
    ca.uiFailed?.(true)
    expect([ca.$modal.get(), ca.$needsUi.get(), a.host.request({ id: 'pulse', kind: 'survey' }).show]).toEqual([null, false, true])
    ca.dispose()
  })
})

describe('why(id) for a "what\'s new" picked while its UI is still on its way', () => {
  it('tells the vendor it waits for its UI to draw, not that it is showing, until the user can see it', async () => {
    const { locks, open } = userWindows()
    const a = open()
    a.slow()
    const ca = createAnnouncements(a.host)
    await locks.settled()
    await a.platform.advance(1)
    expect([ca.$modal.get()?.id, ca.why!('v3')]).toEqual(['v3', ['waiting-for-draw']])
    a.draw()
    expect(ca.why!('v3')).toEqual(['showing'])
    ca.dispose()
  })

  it('says it is showing when the user closed it and opens it again from the vendor\'s "What\'s new" button, Shown counted once', async () => {
    const { locks, open } = userWindows()
    const a = open()
    const shown: string[] = []
    const emit = a.host.emit
    a.host.emit = (event, props) => (event === 'Announcement Shown' && shown.push(event), emit(event, props))
    const ca = createAnnouncements(a.host)
    await locks.settled()
    await a.platform.advance(1)
    expect([ca.$modal.get()?.id, ca.why!('v3')]).toEqual(['v3', ['showing']])
    ca.dismiss!('v3')
    expect(ca.show!('v3')).toBe(true)
    expect([ca.$modal.get()?.id, ca.why!('v3'), shown.length]).toEqual(['v3', ['showing'], 1])
    ca.dispose()
  })
})
