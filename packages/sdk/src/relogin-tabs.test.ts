import { describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { laggingStorage } from './lagging-storage'
import { webLocks } from './experiences/badges/test-host'
import type { FakePlatform } from './fake-platform'
import './sync/state-sync'
import './config/boot'
import './transport/adopt'

const flows = {
  version: 1,
  settings: { cooldownDays: 0 },
  surveys: [{ id: 'csat-export', kind: 'csat', question: 'How satisfied are you with exporting reports?', scale: 5, trigger: { event: 'Report Exported' }, repeat: 'once' }],
}

// Two tabs of Ann's. In Chromium a lock's next holder need not have the last holder's storage writes.
async function twoTabs() {
  const lag = laggingStorage(Date.parse('2026-12-07T10:00:00Z'))
  const locks = webLocks()
  let first: FakePlatform | undefined
  const open = async () => {
    const platform = Object.assign(lag.tab(), { exclusive: locks.exclusive })
    if (first) Object.assign(platform, { withLock: first.withLock, holdLock: first.holdLock, heldLocks: first.heldLocks })
    first ??= platform
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    await linger.ready
    return { platform, linger }
  }
  const a = await open()
  const b = await open()
  a.linger.identify('ann')
  lag.deliver()
  await a.platform.advance(1)
  await b.platform.advance(1)
  return { lag, locks, a, b }
}
const shown = (ts: any[]) => ts.map((t) => t.linger.experiences.surveys!.$session.get()?.survey.id ?? '-')

// Ann signs out and in again (reset(); identify('ann')) in both of her tabs, as an app that does so
// on each page load would when the browser restores two tabs at once: reset() gives each a new
// anonymousId, and a tab not yet told of the other's claimed under the one it had.
describe('Ann, signed out and in again in two tabs, exports a report in both', () => {
  it('is asked the once-survey in one tab only', async () => {
    const { locks, a, b } = await twoTabs()
    for (const t of [a, b]) t.linger.reset(), t.linger.identify('ann')
    await a.platform.advance(1)
    await b.platform.advance(1)
    a.linger.track('Report Exported')
    b.linger.track('Report Exported')
    await locks.settled()
    await a.platform.advance(1)
    await b.platform.advance(1)
    expect(shown([a, b]).sort()).toEqual(['-', 'csat-export'])
  })
})
