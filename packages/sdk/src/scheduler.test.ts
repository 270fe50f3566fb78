import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  decide,
  emptySchedulerState,
  onClosed,
  onShown,
  pickNext,
  REASONS,
  type Decision,
  type ScheduleRequest,
  type SchedulerState,
} from './scheduler'
import { dayKeyIn } from './usage'

const flows = JSON.parse(readFileSync(new URL('../../../test/fixtures/flows.json', import.meta.url), 'utf8'))
const settings = flows.settings as { cooldownDays: number } // 2 days in the example
const repeatOf = (list: Array<{ id: string; repeat: unknown }>, id: string) => list.find((x) => x.id === id)!.repeat as ScheduleRequest['repeat']

const DAY = 86_400_000
const T0 = Date.parse('2026-03-02T10:00:00Z')

const nps: ScheduleRequest = { id: 'nps-quarterly', kind: 'survey', repeat: repeatOf(flows.surveys, 'nps-quarterly'), audienceOk: true, sampled: true }
const csat: ScheduleRequest = { id: 'csat-export', kind: 'survey', repeat: repeatOf(flows.surveys, 'csat-export'), audienceOk: true, sampled: true }
const poll: ScheduleRequest = { id: 'next-feature', kind: 'survey', repeat: repeatOf(flows.surveys, 'next-feature'), audienceOk: true, sampled: true }
const exportTour: ScheduleRequest = { id: 'export-tour', kind: 'tour', repeat: repeatOf(flows.tours, 'export-tour'), audienceOk: true, sampled: true }
const hint: ScheduleRequest = { id: 'integrations-hint', kind: 'tour', repeat: repeatOf(flows.tours, 'integrations-hint'), audienceOk: true, sampled: true }
const checklist: ScheduleRequest = { id: 'getting-started', kind: 'checklist', repeat: 'always', audienceOk: true, sampled: true }

/** Shows an experience and closes it with an outcome, as the client would. */
function visit(state: SchedulerState, req: ScheduleRequest, at: number, outcome: Parameters<typeof onClosed>[2]): SchedulerState {
  return onClosed(onShown(state, req.id, req.kind, req.priority ?? 0, at), req.id, outcome, at + 60_000)
}

describe('repeat policies from the example flows', () => {
  it('a promoter who answered the quarterly NPS is not asked again for 90 days', () => {
    const after = visit(emptySchedulerState(), nps, T0, 'answered')
    expect(decide(nps, after, T0 + 30 * DAY, settings)).toEqual({ show: false, reasons: ['repeat-wait'], failed: [] })
    expect(decide(nps, after, T0 + 89 * DAY, settings).reasons).toEqual(['repeat-wait'])
    expect(decide(nps, after, T0 + 90 * DAY, settings)).toEqual({ show: true, reasons: ['eligible'], failed: [] })
  })

  it('the export CSAT is asked once, however it ended', () => {
    for (const outcome of ['answered', 'dismissed', 'abandoned'] as const) {
      const after = visit(emptySchedulerState(), csat, T0, outcome)
      expect(decide(csat, after, T0 + 365 * DAY, settings).reasons).toEqual(['repeat-once'])
    }
  })

  it('the feature poll comes back after a dismissal, but only once the cooldown is over', () => {
    const dismissed = visit(emptySchedulerState(), poll, T0, 'dismissed')
    expect(decide(poll, dismissed, T0 + DAY, settings).reasons).toEqual(['dismissed-snooze', 'cooldown'])
    expect(decide(poll, dismissed, T0 + 2 * DAY + 60_000, settings).show).toBe(true)
  })

  it('the feature poll, once answered, never comes back', () => {
    const answered = visit(emptySchedulerState(), poll, T0, 'answered')
    expect(decide(poll, answered, T0 + 400 * DAY, settings).reasons).toEqual(['already-answered'])
  })

  it('the integrations hint returns until the user completes it', () => {
    const dismissed = visit(emptySchedulerState(), hint, T0, 'dismissed')
    expect(decide(hint, dismissed, T0 + 3 * DAY, settings).show).toBe(true)
    const completed = visit(dismissed, hint, T0 + 3 * DAY, 'completed')
    expect(decide(hint, completed, T0 + 30 * DAY, settings).reasons).toEqual(['already-completed'])
  })

  it('the export tour runs once', () => {
    const shown = visit(emptySchedulerState(), exportTour, T0, 'completed')
    expect(decide(exportTour, shown, T0 + 10 * DAY, settings).reasons).toEqual(['repeat-once'])
  })

  it('an unknown repeat policy behaves like "once" rather than nagging', () => {
    const odd = { ...csat, repeat: 'sometimes' as unknown as ScheduleRequest['repeat'] }
    expect(decide(odd, visit(emptySchedulerState(), odd, T0, 'dismissed'), T0 + 30 * DAY, settings).reasons).toEqual(['repeat-once'])
  })

  it('"always" shows again every time, outside the cooldown', () => {
    const always: ScheduleRequest = { ...hint, repeat: 'always' }
    const done = visit(emptySchedulerState(), always, T0, 'completed')
    expect(decide(always, done, T0 + 3 * DAY, settings).show).toBe(true)
  })
})

describe('{afterDays: n} counts the days on the user\'s calendar', () => {
  // A weekly pulse, in New York: a day is from their midnight to the next.
  const weekly: ScheduleRequest = { id: 'pulse', kind: 'survey', repeat: { afterDays: 7 }, audienceOk: true, sampled: true }
  const daily: ScheduleRequest = { ...weekly, repeat: { afterDays: 1 } }
  const newYork = { cooldownDays: 0, dayKey: dayKeyIn('America/New_York') }

  it('a daily check-in answered on Monday evening is asked again on Tuesday morning, not on Monday night', () => {
    const monday6pm = Date.parse('2026-03-02T18:00:00-05:00')
    const after = visit(emptySchedulerState(), daily, monday6pm, 'answered')
    expect(decide(daily, after, Date.parse('2026-03-02T23:30:00-05:00'), newYork).reasons).toEqual(['repeat-wait'])
    expect(decide(daily, after, Date.parse('2026-03-03T09:00:00-05:00'), newYork)).toEqual({ show: true, reasons: ['eligible'], failed: [] })
  })

  it('a weekly pulse shown Monday 9:00 comes back the next Monday at 9:00, though the clocks sprang forward that week', () => {
    // 2026-03-08 is the US change to summer time: that week has 167 hours.
    const monday = Date.parse('2026-03-02T09:00:00-05:00')
    const after = visit(emptySchedulerState(), weekly, monday, 'answered')
    expect(decide(weekly, after, Date.parse('2026-03-08T23:00:00-04:00'), newYork).reasons).toEqual(['repeat-wait'])
    expect(decide(weekly, after, Date.parse('2026-03-09T09:00:00-04:00'), newYork)).toEqual({ show: true, reasons: ['eligible'], failed: [] })
  })

  it('a time shown from a clock that ran ahead is counted in days either way, not a silence until that date', () => {
    const after = visit(emptySchedulerState(), weekly, Date.parse('2027-03-02T09:00:00-05:00'), 'answered')
    expect(decide(weekly, after, Date.parse('2026-03-02T09:00:00-05:00'), newYork)).toEqual({ show: true, reasons: ['eligible'], failed: [] })
  })
})

describe('one blocking experience at a time', () => {
  const touring = onShown(emptySchedulerState(), 'export-tour', 'tour', 0, T0)

  it('a survey waits while a tour is on screen, and says which one', () => {
    expect(decide(nps, touring, T0 + 1000, settings).reasons).toContain('blocked-by:export-tour')
  })

  it('checklists and badges show beside a tour and do not start a cooldown', () => {
    expect(decide(checklist, touring, T0 + 1000, settings).show).toBe(true)
    expect(decide({ ...checklist, id: 'onboarded', kind: 'badge' }, touring, T0 + 1000, settings).show).toBe(true)
    const withChecklist = onShown(emptySchedulerState(), 'getting-started', 'checklist', 0, T0)
    expect(withChecklist.active).toBeNull()
    expect(decide(nps, withChecklist, T0 + 1000, settings).show).toBe(true)
  })

  it('asking again for what is already on screen says it is showing', () => {
    expect(decide(exportTour, touring, T0 + 1000, { cooldownDays: 0 }).reasons).toEqual(['showing'])
  })

  it('linger.show(id) cannot push a blocking experience aside', () => {
    expect(decide({ ...nps, force: true }, touring, T0 + 1000, settings)).toEqual({ show: false, reasons: ['blocked-by:export-tour'], failed: [] })
  })

  it('after the tour ends the slot is free, but the cooldown keeps the next survey away for two days', () => {
    const ended = onClosed(touring, 'export-tour', 'completed', T0 + 60_000)
    expect(ended.active).toBeNull()
    expect(decide(nps, ended, T0 + DAY, settings).reasons).toEqual(['cooldown'])
    expect(decide(nps, ended, T0 + 2 * DAY, settings).show).toBe(true)
  })

  it('a tour the user asked for ("Take the tour" tracks its trigger) comes while the cooldown after a survey runs; one that comes on its own still waits', () => {
    const answered = visit(emptySchedulerState(), csat, T0, 'answered')
    expect(decide(exportTour, answered, T0 + DAY, settings).reasons).toEqual(['cooldown'])
    expect(decide({ ...exportTour, asked: true }, answered, T0 + DAY, settings)).toEqual({ show: true, reasons: ['eligible'], failed: [] })
    // Asking is no licence past the rest: the vendor's repeat policy, the audience, a survey on screen.
    const shown = visit(answered, exportTour, T0 + DAY, 'completed')
    expect(decide({ ...exportTour, asked: true }, shown, T0 + 2 * DAY, settings).reasons).toEqual(['repeat-once'])
    expect(decide({ ...exportTour, asked: true, audienceOk: false }, answered, T0 + DAY, settings).reasons).toEqual(['audience'])
    const surveying = onShown(answered, 'nps-quarterly', 'survey', 0, T0 + DAY)
    expect(decide({ ...exportTour, asked: true }, surveying, T0 + DAY, settings).reasons).toEqual(['blocked-by:nps-quarterly'])
  })

  it('linger.show(id) skips the cooldown, audience, sample and repeat policy', () => {
    const ended = visit(emptySchedulerState(), csat, T0, 'answered')
    const forced = decide({ ...csat, audienceOk: false, sampled: false, force: true }, ended, T0 + 1000, settings)
    expect(forced).toEqual({ show: true, reasons: ['forced'], failed: [] })
  })

  it('closing something else leaves the slot to its holder', () => {
    expect(onClosed(touring, 'getting-started', 'dismissed', T0).active?.id).toBe('export-tour')
  })

  it('a blocking time from a clock that ran years ahead does not silence everything until then', () => {
    const skewed = onClosed(onShown(emptySchedulerState(), 'export-tour', 'tour', 0, T0 + 900 * DAY), 'export-tour', 'abandoned', T0 + 900 * DAY)
    expect(decide(nps, skewed, T0, settings).show).toBe(true)
  })
})

describe('priorities among pending experiences', () => {
  it('the higher priority wins when several are triggered together', () => {
    const pick = pickNext([{ ...poll, priority: 1 }, { ...nps, priority: 5 }, exportTour], emptySchedulerState(), T0, settings)
    expect(pick?.id).toBe('nps-quarterly')
    expect(pick?.decision.reasons).toEqual(['eligible'])
  })

  it('on a tie, the first one triggered wins', () => {
    expect(pickNext([poll, nps], emptySchedulerState(), T0, settings)?.id).toBe('next-feature')
  })

  it('an ineligible high-priority candidate does not hold the others back', () => {
    expect(pickNext([{ ...nps, priority: 9, sampled: false }, poll], emptySchedulerState(), T0, settings)?.id).toBe('next-feature')
  })

  it('even the highest priority does not pre-empt what is on screen', () => {
    const touring = onShown(emptySchedulerState(), 'export-tour', 'tour', 0, T0)
    expect(pickNext([{ ...nps, priority: 100 }], touring, T0 + 1000, settings)).toBeNull()
  })
})

describe('every no has a reason', () => {
  it('an audience miss carries the failed conditions, and a sample miss is named', () => {
    const d = decide({ ...nps, audienceOk: false, audienceFailed: ['daysSince firstSeen gte 14 (was 3)'], sampled: false }, emptySchedulerState(), T0, settings)
    expect(d).toEqual({ show: false, reasons: ['audience', 'not-sampled'], failed: ['daysSince firstSeen gte 14 (was 3)'] })
  })

  it('every reason the scheduler gives is documented in REASONS', () => {
    const touring = onShown(emptySchedulerState(), 'export-tour', 'tour', 0, T0)
    const seen: Decision[] = [
      decide(nps, emptySchedulerState(), T0, settings),
      decide({ ...nps, force: true }, emptySchedulerState(), T0, settings),
      decide(nps, touring, T0, settings),
      decide(exportTour, touring, T0, settings),
      decide({ ...nps, audienceOk: false, sampled: false }, emptySchedulerState(), T0, settings),
      decide(csat, visit(emptySchedulerState(), csat, T0, 'dismissed'), T0 + DAY, settings),
      decide(hint, visit(emptySchedulerState(), hint, T0, 'completed'), T0 + 9 * DAY, settings),
      decide(poll, visit(emptySchedulerState(), poll, T0, 'answered'), T0 + 9 * DAY, settings),
      decide(nps, visit(emptySchedulerState(), nps, T0, 'answered'), T0 + 9 * DAY, settings),
    ]
    const codes = new Set(seen.flatMap((d) => d.reasons).map((r) => r.replace(/^blocked-by:.*/, 'blocked-by:<id>')))
    expect([...codes].sort()).toEqual(Object.keys(REASONS).sort())
  })
})

describe('history', () => {
  it('records how often and when it was shown, and each outcome', () => {
    let s = visit(emptySchedulerState(), poll, T0, 'dismissed')
    s = visit(s, poll, T0 + 3 * DAY, 'answered')
    expect(s.history['next-feature']).toEqual({
      shown: 2,
      lastShown: T0 + 3 * DAY,
      // A survey's answer is its completion ("until-completed" on a survey: until answered).
      completed: true,
      answered: true,
      dismissedAt: T0 + 60_000,
      lastAnswered: T0 + 3 * DAY + 60_000,
    })
    expect(s.lastBlockingShown).toBe(T0 + 3 * DAY)
  })

  it('a tour ended from the card saying its first step is on another page (no step seen) spends its "once", not the cooldown nor a repeat\'s wait', () => {
    const once = { ...exportTour, id: 'billing-tour', repeat: 'once' as const }
    const weekly = { ...exportTour, id: 'weekly-tour', repeat: { afterDays: 7 } }
    // Each took the slot uncounted as its run began, and the user pressed End tour on its card.
    const ended = (s: SchedulerState, req: ScheduleRequest) =>
      onClosed(onShown(onShown(s, req.id, 'tour', 0, T0, true), req.id, 'tour', 0, T0 + 1000, 'once'), req.id, 'dismissed', T0 + 1000)
    const s = ended(ended(emptySchedulerState(), once), weekly)
    expect(decide(once, s, T0 + 30 * DAY, settings).reasons).toEqual(['repeat-once'])
    expect(decide(weekly, s, T0 + 3 * DAY, settings)).toEqual({ show: true, reasons: ['eligible'], failed: [] })
    expect(s.lastBlockingShown).toBeNull()
    expect(decide(nps, s, T0 + 2000, settings).show).toBe(true)
  })

  it('never changes the state it was given', () => {
    const s = emptySchedulerState()
    const shown = onShown(s, 'nps-quarterly', 'survey', 0, T0)
    onClosed(shown, 'nps-quarterly', 'answered', T0)
    expect(s).toEqual(emptySchedulerState())
    expect(shown.history['nps-quarterly'].answered).toBe(false)
  })
})
