import { describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform } from './fake-platform'
import { laggingStorage, lockedTabs } from './lagging-storage'
import type { LingerEvent } from './events'
import type { ExperienceHost } from './experiences/host'
import { grantMessageId } from './experiences/grant-id'
import { lockedTwoTabs } from './two-tabs.fixture'
import { atom } from 'nanostores'
import './sync/state-sync'
import './config/boot'
import './transport/adopt'

const flows = {
  version: 1,
  checklists: [{ id: 'onboard', title: 'Get started', tasks: [{ id: 'invite', title: 'Invite a teammate', doneWhen: { event: 'Teammate Invited' } }, { id: 'report', title: 'Export a report', doneWhen: { event: 'Report Exported' } }] }],
  badges: [{ id: 'team', title: 'Team player', points: 20, rule: { event: 'Teammate Invited' } }],
  levels: [{ name: 'Rookie', points: 0 }, { name: 'Regular', points: 20 }],
}

// A busy browser: the lock manager answers a grant's claim 300 ms late.
function busyLocks(shared?: Map<string, string>) {
  const platform = createFakePlatform({ now: Date.parse('2026-12-07T10:00:00Z'), shared })
  const withLock = platform.withLock!.bind(platform)
  platform.withLock = (name, fn) => (name.startsWith('linger:granted:') ? new Promise<void>((r) => platform.setTimeout(r, 300)).then(() => withLock(name, fn)) : withLock(name, fn))
  return platform
}

const grantsIn = (platform: ReturnType<typeof createFakePlatform>) =>
  platform.requests
    .flatMap((r) => (r.body?.batch ?? []) as LingerEvent[])
    .filter((e) => /^(Badge Earned|Level Reached|Checklist Task Completed)$/.test(e.event ?? ''))
    .map((e) => `${e.event} ${e.properties?.badgeId ?? e.properties?.level ?? e.properties?.taskId} by ${e.userId ?? 'visitor'} ${e.messageId}`)

const ANN = ['Badge Earned team by ann', 'Checklist Task Completed invite by ann', 'Level Reached Regular by ann']
const sorted = (platform: ReturnType<typeof createFakePlatform>) => grantsIn(platform).map((g) => g.split(' ').slice(0, -1).join(' ')).sort()

type Tab = { platform: ReturnType<typeof createFakePlatform>; linger: ReturnType<typeof createLinger> }

/** Time for the lock manager to answer and the page to send: its grants are then claimed and sent. */
async function grantsSent({ platform, linger }: Tab) {
  await platform.advance(2000)
  await linger.flush()
}

/**
 * What two tabs sent once their grants settle, as a pipeline that does not deduplicate (Segment,
 * RudderStack) counts them: `a: Badge Earned team by ann`, each send once.
 */
async function sendsOf(a: Tab, b: Tab) {
  for (const t of [a, b]) await grantsSent(t)
  return [...sorted(a.platform).map((g) => `a: ${g}`), ...sorted(b.platform).map((g) => `b: ${g}`)].sort()
}

// Ann, signed in, invites a teammate; the lock manager still answers her grants' claims 100 ms on.
// `listen`: what the app hears of Linger, from its start.
async function annInvites(listen = (_linger: Tab['linger']) => {}) {
  const platform = busyLocks()
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
  listen(linger)
  linger.identify('ann')
  await linger.ready
  await platform.advance(1)
  linger.track('Teammate Invited')
  await platform.advance(100)
  return { platform, linger }
}

// Two tabs of one browser whose copies of storage lag, sharing one lock manager.
const lockedPair = () => lockedTwoTabs(flows)

describe('a grant still being claimed as the user signs out', () => {
  it('Ann invites a teammate and signs out at once: the collector counts her badge, her level and her task, once each, as hers', async () => {
    // The app signs her out 100 ms later, the lock manager still answering.
    const { platform, linger } = await annInvites()
    linger.reset()
    await grantsSent({ platform, linger })
    const grants = grantsIn(platform)
    expect(sorted(platform)).toEqual(ANN)
    // Under the ids her other tabs and devices send them with: the collector keeps one of each.
    const hers = { options: { key: 'pk_test' }, user: atom({ userKey: 'u:ann' }) } as unknown as ExperienceHost
    expect(grants.map((g) => g.split(' ').pop()).sort()).toEqual(['badge:team', 'checklist:onboard:invite', 'level:Regular'].map((g) => grantMessageId(hers, g)).sort())
  })

  it('Bob signs in over Ann on the shared laptop as her badge is still being claimed: the collector counts it as hers, not his', async () => {
    const { platform, linger } = await annInvites()
    linger.identify('bob')
    await grantsSent({ platform, linger })
    expect(sorted(platform)).toEqual(ANN)
  })

  it('Ann signs out in her other tab as this one still claims her badge: the collector counts it as hers', async () => {
    const shared = new Map<string, string>()
    const open = async () => {
      const platform = busyLocks(shared)
      const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
      await linger.ready
      await platform.advance(1)
      return { platform, linger }
    }
    const a = await open()
    const b = await open()
    a.linger.identify('ann')
    b.platform.fireStorage('linger:identity')
    a.linger.track('Teammate Invited')
    await a.platform.advance(100)
    b.linger.reset()
    a.platform.fireStorage('linger:identity')
    await grantsSent(a)
    expect(sorted(a.platform)).toEqual(ANN)
  })
})

describe('a grant pass still waiting for its turn as the user signs out', () => {
  it('Ann invites a teammate and signs out in the same click: the collector counts her badge and her task, as hers', async () => {
    const lag = laggingStorage(Date.parse('2026-12-07T10:00:00Z'))
    const locks = lockedTabs(lag)
    const platform = locks.tab()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    linger.identify('ann')
    await linger.ready
    await locks.settled()
    await platform.advance(1)
    linger.track('Teammate Invited')
    linger.reset()
    await locks.settled()
    await grantsSent({ platform, linger })
    expect(sorted(platform)).toEqual(ANN)
  })
})

describe('two tabs of one user as they sign out', () => {
  it('Ann invites a teammate in one tab and signs out in the same click, her other tab following: the collector keeps one badge and one task, hers', async () => {
    const { lag, locks, a, b } = await lockedPair()
    a.linger.identify('ann')
    lag.deliver()
    await locks.settled()
    a.linger.track('Teammate Invited')
    lag.deliver()
    b.linger.track('Teammate Invited')
    a.linger.reset()
    lag.deliver()
    await locks.settled()
    // Every send, from either tab.
    expect((await sendsOf(a, b)).map((g) => g.replace(/^[ab]: /, '')).sort()).toEqual(['Badge Earned team by ann', 'Checklist Task Completed invite by ann', 'Level Reached Regular by ann'])
  })

  it("the app's live feed tells both of Ann's tabs of her invite, the second yet to hear of the first's badge, and she signs out there: the badge is sent once", async () => {
    const { lag, locks, a, b } = await lockedPair()
    a.linger.identify('ann')
    lag.deliver()
    await locks.settled()
    a.linger.track('Teammate Invited')
    await locks.settled()
    // Tab b's grant pass, its turn still to come, runs as she leaves: from b's copy of storage,
    // which has yet to hear what tab a granted.
    b.linger.track('Teammate Invited')
    b.linger.reset()
    lag.deliver()
    await locks.settled()
    expect(await sendsOf(a, b)).toEqual(['a: Badge Earned team by ann', 'a: Checklist Task Completed invite by ann', 'a: Level Reached Regular by ann'])
  })
})

describe('a grant another tab already sent, its claim still waiting here as the user leaves', () => {
  // Two tabs whose copies of storage lag (each grants from its own), one lock manager, which
  // answers tab b's grant claims 300 ms late.
  const twoTabs = async () => {
    const lag = laggingStorage(Date.parse('2026-12-07T10:00:00Z'))
    const open = async (first?: ReturnType<typeof lag.tab>) => {
      const platform = lag.tab()
      if (first) Object.assign(platform, { withLock: first.withLock, holdLock: first.holdLock, heldLocks: first.heldLocks })
      const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
      await linger.ready
      await platform.advance(1)
      lag.deliver()
      return { platform, linger }
    }
    const a = await open()
    const b = await open(a.platform)
    const withLock = b.platform.withLock!
    b.platform.withLock = (name, fn) => (name.startsWith('linger:granted:') ? new Promise<void>((r) => b.platform.setTimeout(r, 300)).then(() => withLock(name, fn)) : withLock(name, fn))
    return { a, b, lag, sends: () => sendsOf(a, b) }
  }

  it('a visitor invites a teammate in two tabs, signs up in the second and signs out as its claim is still answered: the collector counts the badge once', async () => {
    const { a, b, sends } = await twoTabs()
    a.linger.track('Teammate Invited')
    b.linger.track('Teammate Invited')
    b.linger.identify('ann')
    b.linger.reset()
    // Tab a claimed and sent them as the visitor; tab b, refused, sends nothing (as Ann, they were
    // a second badge to the collector: another messageId, another sender).
    expect(await sends()).toEqual(['a: Badge Earned team by visitor', 'a: Checklist Task Completed invite by visitor', 'a: Level Reached Regular by visitor'])
  })

  it('Ann invites a teammate in two tabs and signs out in the second as its claim is still answered: her badge is sent once', async () => {
    const { a, b, lag, sends } = await twoTabs()
    a.linger.identify('ann')
    lag.deliver()
    await b.platform.advance(1)
    a.linger.track('Teammate Invited')
    b.linger.track('Teammate Invited')
    b.linger.reset()
    expect(await sends()).toEqual(['a: Badge Earned team by ann', 'a: Checklist Task Completed invite by ann', 'a: Level Reached Regular by ann'])
  })
})

describe('a grant still being claimed as the app stops Linger', () => {
  it("Ann invites a teammate and signs out, the app's cleanup calling reset() then destroy(): the collector still counts her badge, her level and her task, as hers", async () => {
    const { platform, linger } = await annInvites()
    // README's React useEffect cleanup, as the sign-out unmounts the signed-in app.
    linger.reset()
    linger.destroy()
    const next = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    await next.ready
    await grantsSent({ platform, linger: next })
    expect(sorted(platform)).toEqual(ANN)
  })

  it('Ann invites a teammate and the app unmounts Linger (she stays signed in): her badge, her level and her task are counted, once each', async () => {
    const { platform, linger } = await annInvites()
    linger.destroy()
    const next = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    await next.ready
    await grantsSent({ platform, linger: next })
    expect(sorted(platform)).toEqual(ANN)
  })
})

describe('what the page shows and hears of a grant kept for the user who left', () => {
  it('Ann signs out as her badge is still being claimed: the next visitor gets no badge toast, and the page loads no badge UI for them', async () => {
    const { platform, linger } = await annInvites()
    linger.reset()
    await grantsSent({ platform, linger })
    const badges = linger.experiences.badges!
    expect(sorted(platform)).toContain('Badge Earned team by ann')
    expect({ toasts: badges.$toasts.get(), needsUi: badges.$needsUi.get() }).toEqual({ toasts: [], needsUi: false })
  })

  it("the app's on('badge:earned') hears Ann's badge when it is sent for her after she signed out", async () => {
    const heard: string[] = []
    const { platform, linger } = await annInvites((linger) => {
      linger.on('badge:earned', (p) => heard.push(String(p.badgeId)))
      linger.on('level:reached', (p) => heard.push(String(p.level)))
    })
    linger.reset()
    expect(heard).toEqual([])
    await grantsSent({ platform, linger })
    expect(heard.sort()).toEqual(['Regular', 'team'])
  })
})

