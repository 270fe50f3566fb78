import { describe, expect, it } from 'vitest'
import type { LingerEvent } from './events'
import { lockedTwoTabs, twoTabs } from './two-tabs.fixture'

const flows = {
  version: 1,
  settings: { cooldownDays: 0 },
  badges: [{ id: 'team', title: 'Team player', points: 20, rule: { event: 'Teammate Invited' } }],
  surveys: [{ id: 'csat-export', kind: 'csat', question: 'How satisfied are you with exporting reports?', scale: 5, trigger: { event: 'Report Exported' }, repeat: 'once' }],
}


describe('two people on one shared laptop, the second signing in over the first without reset()', () => {
  it('Bob earns the badge Ann earned in her tab a few seconds before: the collector hears of Bob\'s badge', async () => {
    const { lag, a, b } = await twoTabs(flows)
    a.linger.identify('ann')
    lag.deliver()
    await a.platform.advance(1)
    await b.platform.advance(1)
    a.linger.track('Teammate Invited')
    await a.platform.advance(1)
    lag.deliver()
    await b.platform.advance(1)
    // Ann leaves; Bob signs in in the other tab and invites his teammate.
    b.linger.identify('bob')
    lag.deliver()
    await a.platform.advance(1000)
    await b.platform.advance(1000)
    b.linger.track('Teammate Invited')
    for (let i = 0; i < 6; i++) {
      lag.deliver()
      await a.platform.advance(500)
      await b.platform.advance(500)
    }
    await a.linger.flush()
    await b.linger.flush()
    const sent = [a, b].flatMap((t) => t.platform.requests.flatMap((r) => (r.body?.batch ?? []) as LingerEvent[]))
    const badges = sent.filter((e) => e.event === 'Badge Earned').map((e) => e.userId)
    expect(Object.keys(b.linger.experiences.badges!.$state.get().earned)).toEqual(['team'])
    expect([...new Set(badges)].sort()).toEqual(['ann', 'bob'])
  }, 20_000)

  it('Bob exports a report a few seconds after Ann was asked its once-survey in her tab: Bob is asked too', async () => {
    const { lag, locks, a, b } = await lockedTwoTabs(flows)
    a.linger.identify('ann')
    lag.deliver()
    a.linger.track('Report Exported')
    await locks.settled()
    await a.platform.advance(1)
    expect(a.linger.experiences.surveys!.$session.get()?.survey.id).toBe('csat-export')
    // Ann's tab has yet to hear of Bob (its survey still up) as he exports his report in the other.
    b.linger.identify('bob')
    await b.platform.advance(1000)
    b.linger.track('Report Exported')
    await locks.settled()
    await b.platform.advance(1)
    expect(b.linger.why('csat-export').reasons).not.toContain('shown-in-another-tab')
    expect(b.linger.experiences.surveys!.$session.get()?.survey.id).toBe('csat-export')
  }, 20_000)
})
