import { describe, expect, it } from 'vitest'
import { closedState, offerFor, reduceCancel, type CancelAction, type CancelFlowConfig, type CancelState, type CancelVariant } from './flow'

const flow: CancelFlowConfig = {
  id: 'save-offer',
  reasons: [
    { id: 'too-expensive', label: 'It is too expensive', offer: 'discount-30' },
    { id: 'missing-features', label: 'Missing features', offer: 'talk-to-us', comment: true },
    { id: 'ghost', label: 'Names an offer that is not configured', offer: 'nope' },
    { id: 'other', label: 'Something else', comment: true },
    { id: 'closing', label: 'Closing the company', comment: 'required' },
    { id: 'not-using', label: 'Not using it enough', offer: 'pause-2' },
  ],
  offers: [
    { id: 'discount-30', kind: 'discount', title: '30% off', percent: 30, months: 3 },
    { id: 'talk-to-us', kind: 'contact', title: 'Talk to us', url: 'https://example.com' },
    { id: 'pause-2', kind: 'pause', title: 'Pause for up to 2 months', months: 2 },
  ],
}
const items = [{ label: '{count} projects created', vars: { count: 3 } }]

function run(actions: CancelAction[], from: CancelState = closedState): CancelState {
  return actions.reduce(reduceCancel, from)
}
const start = (variant: CancelVariant = 'offer', withItems = items): CancelAction => ({ type: 'start', flow, variant, items: withItems, now: Date.UTC(2026, 0, 31, 12) })

describe('the cancellation flow', () => {
  it('opens on the value reminder when the user has built something, else on the reasons', () => {
    expect(run([start()]).step).toBe('value')
    expect(run([start('offer', [])]).step).toBe('reasons')
  })

  it('asks for a reason before going on, and only accepts reasons it knows', () => {
    const s = run([start(), { type: 'next' }, { type: 'submit' }])
    expect(s.step).toBe('reasons')
    expect(run([{ type: 'choose', reasonId: 'made-up' }], s).reasonId).toBeUndefined()
  })

  it('shows the offer mapped to the reason, and saving it ends the flow as saved', () => {
    let s = run([start(), { type: 'next' }, { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }])
    expect(s).toMatchObject({ step: 'offer', offerId: 'discount-30' })
    s = run([{ type: 'accept' }], s)
    expect(s.step).toBe('applying')
    s = run([{ type: 'applied' }], s)
    expect(s).toMatchObject({ step: 'saved', outcome: 'saved' })
    expect(run([{ type: 'close' }], s)).toMatchObject({ step: 'closed', outcome: 'saved' })
  })

  it('goes from a declined offer to confirming, and confirming is a cancellation naming the declined offer', () => {
    const s = run([start(), { type: 'next' }, { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }, { type: 'decline' }])
    expect(s.step).toBe('confirm')
    expect(run([{ type: 'confirm' }], s)).toMatchObject({ step: 'closed', outcome: 'cancelled', offerId: 'discount-30', reasonId: 'too-expensive' })
  })

  it('goes straight to confirming for a reason without an offer, or whose offer is not configured', () => {
    for (const reasonId of ['other', 'ghost']) {
      const s = run([start('offer', []), { type: 'choose', reasonId }, { type: 'submit' }])
      expect(s.step).toBe('confirm')
      expect(s.offerId).toBeUndefined()
    }
  })

  it('never shows an offer to a holdout user', () => {
    const s = run([start('holdout', []), { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }])
    expect(s).toMatchObject({ step: 'confirm', variant: 'holdout' })
    expect(s.offerId).toBeUndefined()
    expect(offerFor(flow, 'too-expensive', 'holdout')).toBeUndefined()
    expect(offerFor(flow, 'too-expensive', 'offer')?.id).toBe('discount-30')
  })

  it('keeps the comment only for a reason that asks for one', () => {
    const typed = [start('offer', []), { type: 'choose', reasonId: 'other' }, { type: 'comment', text: '  Budget cuts  ' }] as CancelAction[]
    expect(run([...typed, { type: 'submit' }]).comment).toBe('Budget cuts')
    expect(run([...typed, { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }]).comment).toBe('')
  })

  it('bounds a very long comment', () => {
    const s = run([start('offer', []), { type: 'choose', reasonId: 'other' }, { type: 'comment', text: 'x'.repeat(5000) }])
    expect(s.comment.length).toBe(1000)
  })

  it('lets the user retry after the offer could not be applied, or go back to the offer', () => {
    const failed = run([start('offer', []), { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }, { type: 'accept' }, { type: 'failed' }])
    expect(failed.step).toBe('error')
    expect(run([{ type: 'retry' }], failed).step).toBe('applying')
    expect(run([{ type: 'retry' }, { type: 'applied' }], failed).outcome).toBe('saved')
    expect(run([{ type: 'back' }], failed).step).toBe('offer')
  })

  it('a contact offer taken is its own outcome, contacted: nothing to apply, not a save', () => {
    const s = run([start('offer', []), { type: 'choose', reasonId: 'missing-features' }, { type: 'submit' }, { type: 'accept' }])
    expect(s).toMatchObject({ step: 'contacted', outcome: 'contacted', offerId: 'talk-to-us' })
    expect(run([{ type: 'applied' }, { type: 'close' }], s)).toMatchObject({ step: 'closed', outcome: 'contacted' })
  })

  it('an offer nobody applied is saved but pending, never applied', () => {
    const accepted = run([start('offer', []), { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }, { type: 'accept' }])
    expect(run([{ type: 'applied', pending: true }], accepted)).toMatchObject({ step: 'saved', outcome: 'saved', pending: true })
    expect(run([{ type: 'applied' }], accepted).pending).toBeUndefined()
  })

  it('a reason that requires a comment goes on only with one', () => {
    const chosen = run([start('offer', []), { type: 'choose', reasonId: 'closing' }, { type: 'comment', text: '   ' }])
    expect(run([{ type: 'submit' }], chosen)).toBe(chosen)
    expect(run([{ type: 'comment', text: ' Retiring ' }, { type: 'submit' }], chosen)).toMatchObject({ step: 'confirm', comment: 'Retiring' })
  })

  it('treats closing at any step before an outcome as abandoned', () => {
    const paths: CancelAction[][] = [
      [start()],
      [start(), { type: 'next' }],
      [start('offer', []), { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }],
      [start('offer', []), { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }, { type: 'accept' }],
      [start('offer', []), { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }, { type: 'accept' }, { type: 'failed' }],
      [start('offer', []), { type: 'choose', reasonId: 'other' }, { type: 'submit' }],
    ]
    for (const path of paths) expect(run([...path, { type: 'close' }])).toMatchObject({ step: 'closed', outcome: 'abandoned' })
  })

  it('"Keep my subscription" is an answer, kept, on the value reminder and after the reasons, in either arm', () => {
    expect(run([start(), { type: 'keep' }])).toMatchObject({ step: 'closed', outcome: 'kept' })
    const holdout = run([start('holdout', []), { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }])
    expect(run([{ type: 'keep' }], holdout)).toMatchObject({ step: 'closed', outcome: 'kept', variant: 'holdout' })
    const declined = run([start('offer', []), { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }, { type: 'decline' }])
    expect(run([{ type: 'keep' }], declined)).toMatchObject({ step: 'closed', outcome: 'kept', offerId: 'discount-30' })
    // Not on a step that has no such choice: the offer is taken or declined, the reasons go on.
    const offer = run([start('offer', []), { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }])
    expect(run([{ type: 'keep' }], offer)).toBe(offer)
  })

  it('a user who goes past a flow that never appeared, to cancel, cancelled', () => {
    expect(run([start(), { type: 'bypass' }])).toMatchObject({ step: 'closed', outcome: 'cancelled' })
    const saved = run([start('offer', []), { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }, { type: 'accept' }, { type: 'applied' }])
    expect(run([{ type: 'bypass' }], saved)).toMatchObject({ step: 'closed', outcome: 'saved' })
  })

  it('walks back one step at a time', () => {
    const s = run([start(), { type: 'next' }, { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }])
    const back = run([{ type: 'back' }], s)
    expect(back.step).toBe('reasons')
    expect(back.offerId).toBeUndefined()
    expect(run([{ type: 'back' }], back).step).toBe('value')
  })

  it('walks back from confirming to the offer the user declined, not past it to the reasons', () => {
    const confirming = run([start(), { type: 'next' }, { type: 'choose', reasonId: 'not-using' }, { type: 'submit' }, { type: 'months', months: 1 }, { type: 'decline' }])
    expect(confirming.step).toBe('confirm')
    const back = run([{ type: 'back' }], confirming)
    expect(back).toMatchObject({ step: 'offer', reasonId: 'not-using', offerId: 'pause-2', months: 1 })
    expect(back.outcome).toBeUndefined()
    expect(run([{ type: 'back' }], back).step).toBe('reasons')
    // Without an offer for the reason, confirming comes straight after the reasons, and Back goes there.
    const noOffer = run([start(), { type: 'next' }, { type: 'choose', reasonId: 'other' }, { type: 'submit' }, { type: 'back' }])
    expect(noOffer.step).toBe('reasons')
  })

  it('ignores a second start while open, and anything but a start while closed', () => {
    const open = run([start(), { type: 'next' }])
    expect(run([start()], open)).toBe(open)
    expect(run([{ type: 'next' }, { type: 'confirm' }, { type: 'close' }])).toBe(closedState)
  })

  it('ignores a result that arrives at the wrong step', () => {
    const reasons = run([start('offer', [])])
    expect(run([{ type: 'applied' }, { type: 'failed' }, { type: 'confirm' }, { type: 'accept' }], reasons)).toBe(reasons)
  })

  it('starts clean after an earlier flow ended', () => {
    const ended = run([start('offer', []), { type: 'choose', reasonId: 'other' }, { type: 'comment', text: 'x' }, { type: 'submit' }, { type: 'confirm' }])
    const again = run([start('holdout', [])], ended)
    expect(again).toEqual({ step: 'reasons', variant: 'holdout', startedAt: Date.UTC(2026, 0, 31, 12), flow, items: [], comment: '' })
  })
})

describe('a pause offer', () => {
  const paused = () => run([start('offer', []), { type: 'choose', reasonId: 'not-using' }, { type: 'submit' }])

  it('starts at the longest pause the offer allows, with the date billing resumes', () => {
    // Opened 31 January: two months on is 31 March.
    expect(paused()).toMatchObject({ step: 'offer', offerId: 'pause-2', months: 2, resumesAt: '2026-03-31' })
  })

  it('lets the user choose a shorter pause, never a longer one than offered', () => {
    // 31 January + 1 month ends on February's last day, not in March.
    expect(run([{ type: 'months', months: 1 }], paused())).toMatchObject({ months: 1, resumesAt: '2026-02-28' })
    const offered = paused()
    expect(run([{ type: 'months', months: 3 }], offered)).toBe(offered)
    expect(run([{ type: 'months', months: 0 }], offered)).toBe(offered)
  })

  it('forgets the chosen length when the user goes back to the reasons', () => {
    const back = run([{ type: 'months', months: 1 }, { type: 'back' }], paused())
    expect(back).toMatchObject({ step: 'reasons', offerId: undefined, months: undefined, resumesAt: undefined })
  })

  it('ignores a length for an offer that is not a pause', () => {
    const discount = run([start('offer', []), { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }])
    expect(run([{ type: 'months', months: 1 }], discount)).toBe(discount)
  })

  describe('on its own (standalone)', () => {
    const offer = (id: string) => flow.offers.find((o) => o.id === id)
    // The controller opens it with the offer, no value reminder and never in the holdout.
    const standalone = (id = 'pause-2'): CancelAction => ({ type: 'start', flow, variant: 'offer', items: [], now: Date.UTC(2026, 10, 15), pause: offer(id) })

    it('opens straight on the offer, at its longest pause', () => {
      expect(run([standalone()])).toMatchObject({ step: 'offer', standalone: true, offerId: 'pause-2', months: 2, resumesAt: '2027-01-15' })
    })

    it('is the plain cancel flow for an offer that is not a pause', () => {
      expect(run([standalone('discount-30')]).step).toBe('reasons')
      expect(run([standalone('discount-30')]).standalone).toBeUndefined()
    })

    it('gone past (its UI never appeared) is abandoned: no cancellation flow ran to be cancelled', () => {
      expect(run([standalone(), { type: 'bypass' }])).toMatchObject({ step: 'closed', outcome: 'abandoned' })
    })

    it('has no reasons to go back to: back or declining closes it, and nothing is cancelled', () => {
      expect(run([standalone(), { type: 'back' }])).toMatchObject({ step: 'closed', outcome: 'abandoned' })
      expect(run([standalone(), { type: 'decline' }])).toMatchObject({ step: 'closed', outcome: 'abandoned' })
    })

    it('is saved once the pause is applied', () => {
      expect(run([standalone(), { type: 'months', months: 1 }, { type: 'accept' }, { type: 'applied' }])).toMatchObject({ step: 'saved', outcome: 'saved', months: 1, resumesAt: '2026-12-15' })
    })
  })
})
