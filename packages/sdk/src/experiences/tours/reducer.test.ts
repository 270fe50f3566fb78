import { describe, expect, it } from 'vitest'
import { reduceTour, startTour, type TourAction, type TourConfig, type TourRun } from './reducer'

const URL = 'https://app.example.com/#/dashboard'

const exportTour: TourConfig = {
  id: 'export-tour',
  steps: [
    { id: 'open-reports', target: "[data-tour='reports-tab']", advance: 'next' },
    { id: 'export-button', target: "[data-tour='export']", advance: 'click', onMissing: 'skip' },
  ],
}
const threeSteps: TourConfig = {
  id: 'three',
  steps: [
    { id: 'a', target: '#a' },
    { id: 'b', target: '#b', onMissing: 'end' },
    { id: 'c', target: '#c', onMissing: 'center' },
  ],
}
const hotspot: TourConfig = { id: 'integrations-hint', steps: [{ id: 'slack', target: "[data-tour='integrations']", beacon: true }] }

/** Runs the actions in order and returns the final run plus every event sent on the way. */
function play(tour: TourConfig, ...actions: TourAction[]) {
  let run: TourRun = startTour(tour)
  const sent = [...run.events]
  for (const a of actions) {
    run = reduceTour(run, a)
    sent.push(...run.events)
  }
  return { run, sent, names: sent.map(([name]) => name) }
}
const found = (url = URL): TourAction => ({ type: 'found', url })
const lost = (url = URL): TourAction => ({ type: 'lost', url })

describe('a product tour, step by step', () => {
  it('waits for the first target, and reports Tour Started once its first step is on screen: not for a tip nobody saw', () => {
    const { run, sent } = play(exportTour)
    expect(run.status).toBe('waiting')
    expect(run.index).toBe(0)
    expect(sent).toEqual([])
    expect(play(exportTour, found()).sent[0]).toEqual(['Tour Started', { tourId: 'export-tour', stepIndex: 0, stepId: 'open-reports' }])
  })

  it('shows a step once its target is found and reports the view with the step', () => {
    const { run, sent } = play(exportTour, found())
    expect(run.status).toBe('showing')
    expect(sent[1]).toEqual(['Tour Step Viewed', { tourId: 'export-tour', stepIndex: 0, stepId: 'open-reports' }])
  })

  it('Next walks to the last step and Next on the last step completes the tour', () => {
    const { run, names, sent } = play(threeSteps, found(), { type: 'next' }, found(), { type: 'next' }, found(), { type: 'next' })
    expect(run.status).toBe('completed')
    expect(names).toEqual(['Tour Started', 'Tour Step Viewed', 'Tour Step Viewed', 'Tour Step Viewed', 'Tour Completed'])
    expect(sent.at(-1)?.[1]).toMatchObject({ stepIndex: 2, stepId: 'c' })
  })

  it('Back returns to the previous step, and the first step has nowhere to go back to', () => {
    const back = play(threeSteps, found(), { type: 'next' }, found(), { type: 'back' })
    expect(back.run).toMatchObject({ index: 0, status: 'waiting' })
    const first = play(threeSteps, found(), { type: 'back' })
    expect(first.run).toMatchObject({ index: 0, status: 'showing' })
    expect(first.run.events).toEqual([])
  })

  it('Back passes over a step skipped for a missing target: not waited for, nor reported missing, twice', () => {
    const skipFirst: TourConfig = { id: 'skip', steps: [{ id: 'a', target: '#a' }, { id: 'b', target: '#b' }, { id: 'c', target: '#c' }] }
    const { run, names } = play(skipFirst, found(), { type: 'next' }, { type: 'missing' }, found(), { type: 'back' })
    expect(run).toMatchObject({ index: 0, status: 'waiting' })
    expect(names.filter((n) => n === 'Tour Target Missing')).toHaveLength(1)
    // Nothing before it but skipped steps: Back does nothing.
    const onlySkipped = play(skipFirst, { type: 'missing' }, found(), { type: 'back' })
    expect(onlySkipped.run).toMatchObject({ index: 1, status: 'showing' })
    expect(onlySkipped.run.events).toEqual([])
  })

  it('Back, then Next again, passes over the skipped step too: not waited for, nor reported missing, twice', () => {
    const skipMiddle: TourConfig = { id: 'skip', steps: [{ id: 'a', target: '#a' }, { id: 'b', target: '#b' }, { id: 'c', target: '#c' }] }
    const { run, names } = play(skipMiddle, found(), { type: 'next' }, { type: 'missing' }, found(), { type: 'back' }, found(), { type: 'next' })
    expect(run).toMatchObject({ index: 2, status: 'waiting' })
    expect(names.filter((n) => n === 'Tour Target Missing')).toHaveLength(1)
  })

  it('a step seen again after Back is reported as viewed again', () => {
    const { names } = play(threeSteps, found(), { type: 'next' }, found(), { type: 'back' }, found())
    expect(names.filter((n) => n === 'Tour Step Viewed')).toHaveLength(3)
  })

  it('Next does nothing while the step is still waiting for its target', () => {
    const { run } = play(threeSteps, { type: 'next' })
    expect(run).toMatchObject({ index: 0, status: 'waiting' })
  })

  it('a step that asks the user to click its target is not passed by Next: no view of the step after it, no Tour Completed, until the click', () => {
    const clickFirst: TourConfig = { id: 'c', steps: [{ id: 'press', target: '#t', advance: 'click' }, { id: 'then', target: '#u' }] }
    const pressedNext = play(clickFirst, found(), { type: 'next' })
    expect(pressedNext.run).toMatchObject({ index: 0, status: 'showing' })
    expect(pressedNext.names).toEqual(['Tour Started', 'Tour Step Viewed'])
    const doneOnLast = play(exportTour, found(), { type: 'next' }, found(), { type: 'next' })
    expect(doneOnLast.names).not.toContain('Tour Completed')
    expect(doneOnLast.run).toMatchObject({ index: 1, status: 'showing' })
    // An opened "click here" hotspot: its tip's button does not count as the click either.
    const clickHere: TourConfig = { id: 'h', steps: [{ id: 's', target: '#integrations', beacon: true, advance: 'click' }] }
    expect(play(clickHere, found(), { type: 'open' }, { type: 'next' }).run.status).toBe('showing')
    // Its target never came and the step shows mid-screen instead: nothing to click, Next goes on.
    const centred: TourConfig = { id: 'm', steps: [{ id: 'press', target: '#t', advance: 'click', onMissing: 'center' }, { id: 'then', target: '#u' }] }
    expect(play(centred, { type: 'missing' }, { type: 'next' }).run).toMatchObject({ index: 1, status: 'waiting' })
  })

  it('a click on the target advances a click step, but not a Next step', () => {
    const onNextStep = play(exportTour, found(), { type: 'targetClick' })
    expect(onNextStep.run).toMatchObject({ index: 0, status: 'showing' })
    const onClickStep = play(exportTour, found(), { type: 'next' }, found(), { type: 'targetClick' })
    expect(onClickStep.run.status).toBe('completed')
    expect(onClickStep.names.at(-1)).toBe('Tour Completed')
  })

  it('closing reports the step the user was on and the reason', () => {
    const { run, sent } = play(threeSteps, found(), { type: 'next' }, found(), { type: 'dismiss', reason: 'escape' })
    expect(run).toMatchObject({ status: 'dismissed', reason: 'escape' })
    expect(sent.at(-1)).toEqual(['Tour Dismissed', { tourId: 'three', stepIndex: 1, stepId: 'b', reason: 'escape' }])
  })

  it('a finished tour ignores anything that comes after', () => {
    const { run, sent } = play(threeSteps, found(), { type: 'dismiss', reason: 'close' }, found(), { type: 'next' }, { type: 'dismiss', reason: 'again' })
    expect(run).toMatchObject({ status: 'dismissed', reason: 'close' })
    expect(sent.filter(([n]) => n === 'Tour Dismissed')).toHaveLength(1)
  })
})

describe('targets that are missing', () => {
  it('onMissing skip moves on to the next step and reports which target was missing', () => {
    const { run, sent } = play({ ...exportTour, steps: [exportTour.steps[1], exportTour.steps[0]] }, { type: 'missing' })
    expect(run).toMatchObject({ index: 1, status: 'waiting' })
    expect(sent.at(-1)).toEqual(['Tour Target Missing', { tourId: 'export-tour', stepIndex: 0, stepId: 'export-button', reason: 'skip' }])
  })

  it('skipping a missing last step does not count as completed: the user never saw the end', () => {
    const { run, names, sent } = play(exportTour, found(), { type: 'next' }, { type: 'missing' })
    expect(run).toMatchObject({ status: 'dismissed', reason: 'target-missing' })
    expect(names.slice(-2)).toEqual(['Tour Target Missing', 'Tour Dismissed'])
    expect(names).not.toContain('Tour Completed')
    expect(sent.at(-1)?.[1]).toMatchObject({ reason: 'target-missing' })
  })

  it('the app removes the last step while the user reads it: the tour ends dismissed, never completed, since they never pressed Done', () => {
    const { run, names, sent } = play(exportTour, found(), { type: 'next' }, found(), lost(), { type: 'missing' })
    expect(run).toMatchObject({ status: 'dismissed', reason: 'target-missing' })
    expect(names).not.toContain('Tour Completed')
    expect(sent.at(-1)).toEqual(['Tour Dismissed', { tourId: 'export-tour', stepIndex: 1, stepId: 'export-button', reason: 'target-missing' }])
  })

  it('a skipped middle step still completes once the last step is seen', () => {
    const three = { ...exportTour, steps: [...exportTour.steps, { id: 'third', target: '#third' }] }
    const { run, names } = play(three, found(), { type: 'next' }, { type: 'missing' }, found(), { type: 'next' })
    expect(run.status).toBe('completed')
    expect(names.at(-1)).toBe('Tour Completed')
  })

  it('a tour finished with a middle step skipped for its missing target says so on Tour Completed: the vendor can tell it from one seen whole', () => {
    const four = { ...exportTour, steps: [exportTour.steps[0], { id: 'b', target: '#b' }, { id: 'c', target: '#c' }, { id: 'd', target: '#d' }] }
    const skipped = play(four, found(), { type: 'next' }, { type: 'missing' }, { type: 'missing' }, found(), { type: 'next' }).sent.at(-1)
    expect(skipped).toEqual(['Tour Completed', expect.objectContaining({ stepIndex: 3, stepsSkipped: 2 })])
    const whole = play(four, found(), { type: 'next' }, found(), { type: 'next' }, found(), { type: 'next' }, found(), { type: 'next' }).sent.at(-1)
    expect(whole).toEqual(['Tour Completed', expect.objectContaining({ stepIndex: 3, stepsSkipped: 0 })])
    // Back over a skipped step and Next again: still two steps the user never saw, not counted twice.
    const back = play(four, found(), { type: 'next' }, { type: 'missing' }, { type: 'missing' }, found(), { type: 'back' }, found(), { type: 'next' }, found(), { type: 'next' }).sent.at(-1)
    expect(back).toEqual(['Tour Completed', expect.objectContaining({ stepsSkipped: 2 })])
  })

  it('a tour whose every target is missing ends dismissed, not completed', () => {
    const { run, sent } = play({ id: 'integrations-hint', steps: [{ id: 'slack', target: "[data-tour='integrations']" }] }, { type: 'missing' })
    expect(run).toMatchObject({ status: 'dismissed', reason: 'target-missing' })
    // Nothing was on screen: no start, nor its dismissal; the vendor is told the target is missing.
    expect(sent.map(([n]) => n)).toEqual(['Tour Target Missing'])
    // Seen, then its last step's target never came: started, and dismissed for it.
    expect(play(threeSteps, found(), { type: 'next' }, { type: 'missing' }).names).toEqual(['Tour Started', 'Tour Step Viewed', 'Tour Target Missing', 'Tour Dismissed'])
  })

  it('onMissing end dismisses the tour with reason target-missing', () => {
    const { run, sent } = play(threeSteps, found(), { type: 'next' }, { type: 'missing' })
    expect(run).toMatchObject({ status: 'dismissed', reason: 'target-missing' })
    expect(sent.slice(-2)).toEqual([
      ['Tour Target Missing', { tourId: 'three', stepIndex: 1, stepId: 'b', reason: 'end' }],
      ['Tour Dismissed', { tourId: 'three', stepIndex: 1, stepId: 'b', reason: 'target-missing' }],
    ])
  })

  it('onMissing center shows the step in the middle of the screen and counts it as viewed', () => {
    const { run, names } = play(threeSteps, found(), { type: 'next' }, found(), { type: 'next' }, { type: 'missing' })
    expect(run).toMatchObject({ index: 2, status: 'showing', centered: true })
    expect(names.slice(-2)).toEqual(['Tour Target Missing', 'Tour Step Viewed'])
  })

  it('a target removed mid-step is waited for again, without a second view when it returns', () => {
    const gone = play(threeSteps, found(), lost())
    expect(gone.run.status).toBe('waiting')
    expect(gone.run.attempt).toBeGreaterThan(play(threeSteps, found()).run.attempt)
    const back = play(threeSteps, found(), lost(), found())
    expect(back.run.status).toBe('showing')
    expect(back.names.filter((n) => n === 'Tour Step Viewed')).toHaveLength(1)
  })

  it('a target removed mid-step that never returns follows onMissing', () => {
    const { run, names } = play(threeSteps, found(), { type: 'next' }, found(), lost(), { type: 'missing' })
    expect(run.status).toBe('dismissed')
    expect(names.slice(-2)).toEqual(['Tour Target Missing', 'Tour Dismissed'])
  })
})

describe('single-page apps', () => {
  const other = 'https://app.example.com/#/settings'
  const go = (url: string): TourAction => ({ type: 'page', url })

  it('a shown step whose target survives the route change (a nav link) stays up', () => {
    const { run } = play(threeSteps, found(URL), go(other))
    expect(run).toMatchObject({ status: 'showing', index: 0 })
  })

  it('a target that leaves with a route change pauses the tour instead of counting as missing', () => {
    const { run, names } = play(threeSteps, found(URL), go(other), lost(other))
    expect(run).toMatchObject({ status: 'paused', index: 0 })
    expect(names).not.toContain('Tour Target Missing')
  })

  it('a paused tour stays paused on other pages and resumes when its page returns', () => {
    const elsewhere = play(threeSteps, found(URL), go(other), lost(other), go(`${other}/team`))
    expect(elsewhere.run.status).toBe('paused')
    const back = play(threeSteps, found(URL), go(other), lost(other), go(URL))
    expect(back.run).toMatchObject({ status: 'waiting', index: 0 })
    const shown = play(threeSteps, found(URL), go(other), lost(other), go(URL), found(URL))
    expect(shown.run.status).toBe('showing')
    expect(shown.names.filter((n) => n === 'Tour Step Viewed')).toHaveLength(1)
  })

  it('a paused step whose target is back on another URL of its page (sorted by name: not the exact URL it left) shows there, counted viewed once', () => {
    const away = play(threeSteps, found(URL), go(other), lost(other)).run
    // Each route change is a fresh look for the target (the widget waits for it again), still paused.
    const sorted = reduceTour(away, go(`${URL}?sort=name`))
    expect(sorted).toMatchObject({ status: 'paused', attempt: away.attempt + 1 })
    const { run, names } = play(threeSteps, found(URL), go(other), lost(other), go(`${URL}?sort=name`), found(`${URL}?sort=name`))
    expect(run).toMatchObject({ status: 'showing', index: 0, page: `${URL}?sort=name` })
    expect(names.filter((n) => n === 'Tour Step Viewed')).toHaveLength(1)
  })

  it('a paused step bound to a page glob is not brought back by its target on a page the glob does not match', () => {
    const paused = play(threeSteps, found(URL), go(other), { type: 'page', url: other, here: false }).run
    expect(paused.status).toBe('paused')
    expect(reduceTour(paused, { type: 'found', url: other, here: false }).status).toBe('paused')
  })

  it('a router that re-renders before it changes the URL: lost in place, then the route change pauses', () => {
    const { run } = play(threeSteps, found(URL), lost(URL), go(other))
    expect(run.status).toBe('paused')
  })

  it('a paused tour does not time out: missing targets only count while waiting', () => {
    const { run } = play(threeSteps, found(URL), go(other), lost(other), { type: 'missing' })
    expect(run.status).toBe('paused')
  })

  it('a step not shown yet keeps looking on the new page, with a fresh wait', () => {
    const before = play(exportTour, found(URL), { type: 'next' })
    const after = reduceTour(before.run, go(other))
    expect(after.status).toBe('waiting')
    expect(after.attempt).toBe(before.run.attempt + 1)
    expect(reduceTour(after, found(other)).status).toBe('showing')
  })
})

describe('steps without a target, or bound to pages', () => {
  it('a step with no target shows centred as soon as it is reached', () => {
    const { run, names } = play({ id: 'intro', steps: [{ id: 'welcome' }] }, found())
    expect(run).toMatchObject({ status: 'showing', centered: true })
    expect(names).toEqual(['Tour Started', 'Tour Step Viewed'])
  })

  it('a step whose page glob does not match pauses, even before it was shown, and resumes when it matches', () => {
    const paused = play(threeSteps, { type: 'page', url: 'https://app.example.com/#/settings', here: false })
    expect(paused.run.status).toBe('paused')
    expect(reduceTour(paused.run, { type: 'missing' }).status).toBe('paused')
    const back = reduceTour(paused.run, { type: 'page', url: 'https://app.example.com/#/reports/1', here: true })
    expect(back.status).toBe('waiting')
  })

  it('a user who saw only the card saying the tour goes on on another page, and ended it there, started no tour: nothing counted, nothing dismissed', () => {
    const billing = 'https://app.example.com/#/dashboard'
    // Its first step lives on #/billing; the user is on the dashboard: the card says so.
    const elsewhere = play(threeSteps, { type: 'page', url: billing, here: false })
    expect(elsewhere.run.status).toBe('paused')
    for (const reason of ['close', 'escape']) {
      const ended = reduceTour(elsewhere.run, { type: 'dismiss', reason })
      expect(ended).toMatchObject({ status: 'dismissed', reason })
      expect(ended.events).toEqual([])
    }
    // The same card for a first target slow to come (shown while the step waits): the same.
    expect(play(threeSteps, { type: 'dismiss', reason: 'close' }).names).toEqual([])
    // Once a step was on screen, ending the tour from that card is the started tour's dismissal.
    const later = play(threeSteps, found(), { type: 'next' }, { type: 'page', url: billing, here: false }, { type: 'dismiss', reason: 'close' })
    expect(later.names).toEqual(['Tour Started', 'Tour Step Viewed', 'Tour Dismissed'])
  })

  it('a shown step stays up while the route changes within its page glob', () => {
    const { run } = play(threeSteps, found(), { type: 'page', url: 'https://app.example.com/#/reports/2', here: true })
    expect(run.status).toBe('showing')
  })

  it('a user opening one report re-renders the step target: on a page its glob matches, it is looked for again, not paused as elsewhere', () => {
    const report = 'https://app.example.com/#/reports/42'
    const before = play(threeSteps, found(), { type: 'page', url: report, here: true })
    const after = reduceTour(before.run, { type: 'lost', url: report, here: true })
    expect(after).toMatchObject({ status: 'waiting', attempt: before.run.attempt + 1 })
    // Off its glob, it waits for the user to come back instead.
    expect(reduceTour(before.run, { type: 'lost', url: report, here: false }).status).toBe('paused')
  })
})

describe('hotspots (beacon steps)', () => {
  it('a found beacon shows its marker; the step counts as viewed only when opened', () => {
    const marker = play(hotspot, found())
    expect(marker.run).toMatchObject({ status: 'showing', open: false })
    const opened = play(hotspot, found(), { type: 'open' })
    expect(opened.run.open).toBe(true)
    expect(opened.names).toEqual(['Tour Started', 'Tour Step Viewed'])
  })

  it('a dot nobody opens is no tour started: the dashboard reads starts as the users who opened it (or did what it pointed at), and completions out of those', () => {
    // Seen and never opened, its target gone before anyone did: nothing started, nothing dismissed.
    expect(play(hotspot, found()).names).toEqual([])
    expect(play(hotspot, found(), lost(), { type: 'missing' }).names).toEqual(['Tour Target Missing'])
    // One opens it: started then, at its first step, and viewed.
    expect(play(hotspot, found(), { type: 'open' }).sent).toEqual([
      ['Tour Started', { tourId: 'integrations-hint', stepIndex: 0, stepId: 'slack' }],
      ['Tour Step Viewed', { tourId: 'integrations-hint', stepIndex: 0, stepId: 'slack' }],
    ])
    // Opened and closed: a start, and the user's dismissal of it.
    expect(play(hotspot, found(), { type: 'open' }, { type: 'dismiss', reason: 'close' }).names).toEqual(['Tour Started', 'Tour Step Viewed', 'Tour Dismissed'])
  })

  it('done on an opened hotspot completes it; closing dismisses it', () => {
    expect(play(hotspot, found(), { type: 'open' }, { type: 'next' }).run.status).toBe('completed')
    expect(play(hotspot, found(), { type: 'open' }, { type: 'dismiss', reason: 'close' }).run.status).toBe('dismissed')
  })

  it('a "click here" hotspot whose target the user clicks, its beacon never opened, is completed: done, though its tip was never read', () => {
    const clickHere: TourConfig = { id: 'h', steps: [{ id: 's', target: '#integrations', beacon: true, advance: 'click' }] }
    const { run, names } = play(clickHere, found(), { type: 'targetClick' })
    expect(run.status).toBe('completed')
    // No Step Viewed: that counts the tips opened, and this one never was.
    expect(names).toEqual(['Tour Started', 'Tour Completed'])
  })

  it('a tour that ends on a "click here" beacon is completed when the user clicks its target, having read the steps before', () => {
    const endsOnSpot: TourConfig = { id: 'h', steps: [{ id: 's', target: '#a' }, { id: 't', target: '#b', beacon: true, advance: 'click' }] }
    const { run, sent } = play(endsOnSpot, found(), { type: 'next' }, found(), { type: 'targetClick' })
    expect(run.status).toBe('completed')
    expect(sent.map(([n, p]) => `${n}@${p.stepIndex}`)).toEqual(['Tour Started@0', 'Tour Step Viewed@0', 'Tour Completed@1'])
  })

  it('a "click here" hotspot with more steps starts when the user clicks its target, as a one-step one does: the steps after it belong to a started tour', () => {
    const spotThenTip: TourConfig = { id: 'h', steps: [{ id: 's', target: '#integrations', beacon: true, advance: 'click' }, { id: 't', target: '#slack' }] }
    // The user clicks Integrations without opening the dot: the tour moves to its next step.
    const clicked = play(spotThenTip, found(), { type: 'targetClick' })
    expect(clicked.run).toMatchObject({ status: 'waiting', index: 1 })
    expect(clicked.sent.map(([n, p]) => `${n}@${p.stepIndex}`)).toEqual(['Tour Started@0'])
    // The Slack card never comes: the run that ends for it is one the read-out counted as started.
    const gone = play(spotThenTip, found(), { type: 'targetClick' }, { type: 'missing' })
    expect(gone.sent.map(([n, p]) => `${n}@${p.stepIndex}`)).toEqual(['Tour Started@0', 'Tour Target Missing@1', 'Tour Dismissed@1'])
  })

  it('a beacon step with no target at all shows as a plain centred step', () => {
    const { run, names } = play({ id: 'h', steps: [{ id: 's', beacon: true }] }, found())
    expect(run).toMatchObject({ status: 'showing', centered: true })
    expect(names).toEqual(['Tour Started', 'Tour Step Viewed'])
  })

  it('a beacon whose target is missing is never centred: it is skipped', () => {
    const { run } = play({ id: 'h', steps: [{ id: 's', target: '#x', beacon: true, onMissing: 'center' }] }, { type: 'missing' })
    expect(run.status).toBe('dismissed')
  })
})
