// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { billingPage, cancelEvents, takesTheDiscountOnceNamed } from './cancel-hold.fixture'

describe('the vendor still applying a save offer as the user changes', () => {
  it("holdForIdentify: Bob's name still stored from yesterday, Ann clicks Cancel before the app's answer names her, then takes the discount: her run is saved, as hers, and Bob, back later, is offered the discount under his own run", async () => {
    const shared = new Map<string, string>()
    const ann = await takesTheDiscountOnceNamed({ shared, stored: 'bob', holdForIdentify: 3000, names: 'ann' })
    expect(ann.flow().$state.get().step).toBe('applying')
    ann.answer()
    await ann.p.advance(0)
    expect(ann.flow().$state.get().step).toBe('saved')
    const sent = await cancelEvents(ann)
    expect(sent.map((e) => [e.userId, e.event, e.properties?.outcome])).toEqual([
      ['ann', 'Cancel Flow Started', undefined],
      ['ann', 'Cancel Reason Selected', undefined],
      ['ann', 'Cancel Offer Shown', undefined],
      ['ann', 'Cancel Offer Accepted', undefined],
      ['ann', 'Cancel Flow Completed', 'saved'],
    ])
    expect(new Set(sent.map((e) => e.properties?.runId)).size).toBe(1)
    const annRun = sent[0]!.properties!.runId
    // Her tab closed; Bob signs in on this browser, and goes to cancel.
    ann.p.close()
    const bob = billingPage({ shared })
    await bob.linger.ready
    bob.linger.identify('bob')
    expect(await bob.tooExpensive()).toBe('offer')
    bob.flow().dispatch({ type: 'accept' })
    expect(bob.onOfferAccepted).toHaveBeenCalledTimes(1)
    expect(bob.onOfferAccepted.mock.calls[0]![2]).not.toEqual({ runId: annRun })
  })

  it('Alice takes the discount and signs out while the vendor applies it; back on a new page, she is not offered it again (the collector would count a second save for that run)', async () => {
    const shared = new Map<string, string>()
    const alice = billingPage({ shared, stored: 'alice' })
    await alice.linger.ready
    expect(await alice.tooExpensive()).toBe('offer')
    alice.flow().dispatch({ type: 'accept' })
    alice.linger.reset()
    alice.answer()
    await alice.p.advance(0)
    alice.p.close()
    const again = billingPage({ shared })
    await again.linger.ready
    again.linger.identify('alice')
    expect(await again.tooExpensive()).toBe('confirm')
    expect(again.onOfferAccepted).not.toHaveBeenCalled()
    const saves = (await cancelEvents(alice, again)).filter((e) => e.properties?.outcome === 'saved')
    expect(saves.map((e) => e.userId)).toEqual(['alice'])
  })
  it("holdForIdentify: Bob's tab closed on the spinner yesterday (his discount taken, no answer); Ann at the keyboard today, Bob's name still stored, is not handed his take to apply again under his run", async () => {
    const shared = new Map<string, string>()
    const bob = billingPage({ shared, stored: 'bob' })
    await bob.linger.ready
    expect(await bob.tooExpensive()).toBe('offer')
    bob.flow().dispatch({ type: 'accept' })
    const [, , bobRun] = bob.onOfferAccepted.mock.calls[0]!
    bob.p.close()
    const ann = billingPage({ shared, holdForIdentify: 3000 })
    await ann.linger.ready
    await ann.p.advance(100)
    if ((await ann.tooExpensive()) === 'offer') ann.flow().dispatch({ type: 'accept' })
    ann.linger.identify('ann')
    await ann.p.advance(0)
    expect(ann.onOfferAccepted.mock.calls.map(([, , run]) => run)).not.toContainEqual(bobRun)
  })

  it('opted out while the vendor applies the discount: the flow goes on to its end for the user, and nothing of it is sent from then on', async () => {
    const shared = new Map<string, string>()
    const t = billingPage({ shared, stored: 'alice' })
    await t.linger.ready
    expect(await t.tooExpensive()).toBe('offer')
    t.flow().dispatch({ type: 'accept' })
    const before = (await cancelEvents(t)).length
    t.linger.optOut()
    t.answer()
    await t.p.advance(0)
    expect(t.flow().$state.get().step).toBe('saved')
    t.flow().dispatch({ type: 'close' })
    expect((await cancelEvents(t)).length).toBe(before)
  })
  it("holdForIdentify: Bob (on the Pro plan) still stored, Ann (on Team) clicks Cancel before the app's answer names her: her cancellation says she left the Team plan", async () => {
    const t = billingPage({ shared: new Map(), stored: 'bob', traits: { plan: 'pro' }, holdForIdentify: 3000 })
    await t.linger.ready
    await t.p.advance(100)
    t.linger.cancel()
    t.linger.identify('ann', { plan: 'team' })
    await t.p.advance(0)
    t.flow().dispatch({ type: 'choose', reasonId: 'too-expensive' })
    t.flow().dispatch({ type: 'submit' })
    t.flow().dispatch({ type: 'decline' })
    t.flow().dispatch({ type: 'confirm' })
    const [cancelled] = (await cancelEvents(t)).filter((e) => e.properties?.outcome === 'cancelled')
    expect(cancelled!.userId).toBe('ann')
    expect(cancelled!.properties?.traits).toEqual({ plan: 'team' })
  })
})
