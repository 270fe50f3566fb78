import { describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform, type FakePlatform } from './fake-platform'
import type { LingerEvent } from './events'
import './config/boot'
import './transport/adopt'

const sent = (p: FakePlatform): LingerEvent[] => p.requests.flatMap((r) => r.body?.batch ?? [])

// A teammate typed linger.track('Badge Earned', { badgeId: 'legend' }) in the console and topped
// the account's leaderboard with 500 points for a badge they never earned.
describe("the page tracking Linger's own grant events", () => {
  it('is refused and reported, and nothing is sent; the page’s other events go as ever', async () => {
    const p = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com' }, { platform: p })
    const errors: { code: string; message: string }[] = []
    linger.on('error', (e) => errors.push(e))
    for (const name of ['Badge Earned', 'Level Reached', 'Checklist Task Completed', 'Checklist Completed']) linger.track(name, { badgeId: 'legend', points: 500, checklistId: 'onboarding', taskId: 'invite' })
    linger.track('Report Exported')
    await p.advance(2000)
    expect(sent(p).filter((e) => e.type === 'track').map((e) => e.event)).toEqual(['Report Exported'])
    expect(errors.map((e) => [e.code, e.message])).toEqual(
      ['Badge Earned', 'Level Reached', 'Checklist Task Completed', 'Checklist Completed'].map((name) => ['invalid-call', `track("${name}"): a Linger event, sent by Linger only; not sent`]),
    )
    linger.destroy()
  })
})
