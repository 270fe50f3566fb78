import { createLinger } from './client'
import { laggingStorage, lockedTabs } from './lagging-storage'
import type { FakePlatform } from './fake-platform'
// Loaded ahead, as a page that already ran has them (see client.test.ts).
import './sync/state-sync'
import './config/boot'
import './transport/adopt'

/** Two tabs of one browser, each with its own lagging copy of storage (as Chromium keeps it), sharing its locks. */
export async function twoTabs(flows: object) {
  const lag = laggingStorage(Date.parse('2026-12-07T10:00:00Z'))
  const open = async (platform: FakePlatform, first?: FakePlatform) => {
    if (first) Object.assign(platform, { withLock: first.withLock, holdLock: first.holdLock, heldLocks: first.heldLocks })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    await linger.ready
    await platform.advance(1)
    return { platform, linger }
  }
  const a = await open(lag.tab())
  lag.deliver()
  const b = await open(lag.tab(), a.platform)
  lag.deliver()
  return { lag, a, b }
}

/** Two tabs of one browser whose copies of storage lag, sharing one lock manager that hands each its turn (lockedTabs). */
export async function lockedTwoTabs(flows: object) {
  const lag = laggingStorage(Date.parse('2026-12-07T10:00:00Z'))
  const locks = lockedTabs(lag)
  const open = async (first?: FakePlatform) => {
    const platform = locks.tab()
    if (first) Object.assign(platform, { withLock: first.withLock, holdLock: first.holdLock, heldLocks: first.heldLocks })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    await linger.ready
    return { platform, linger }
  }
  const a = await open()
  return { lag, locks, a, b: await open(a.platform) }
}
