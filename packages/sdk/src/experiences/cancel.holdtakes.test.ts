// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { billingPage, cancelEvents, takesTheDiscountOnceNamed } from './cancel-hold.fixture'

describe('holdForIdentify and the save offer', () => {
  it("Ann clicks Cancel while the page asks who is here: her flow opens once the app names her, she takes the discount and the vendor answers at once: back on this browser the next day, she is not offered it again (a second discount for her)", async () => {
    const shared = new Map<string, string>()
    const ann = await takesTheDiscountOnceNamed({ shared, stored: 'bob', holdForIdentify: 3000, names: 'ann' })
    ann.answer()
    await ann.p.advance(0)
    expect(ann.flow().$state.get().step).toBe('saved')
    ann.linger.identify('ann')
    await ann.p.advance(0)
    ann.flow().dispatch({ type: 'close' })
    const saves = (await cancelEvents(ann)).filter((e) => e.properties?.outcome === 'saved')
    expect(saves.map((e) => e.userId)).toEqual(['ann'])
    ann.p.close()
    const next = billingPage({ shared })
    await next.linger.ready
    next.linger.identify('ann')
    expect(await next.tooExpensive()).toBe('confirm')
    expect(next.onOfferAccepted).not.toHaveBeenCalled()
  })

  it("a signed-in user who cancels as a sign-in's progress is on its way (no holdForIdentify) still tells the collector which plan they left", async () => {
    const t = billingPage({ shared: new Map(), stored: 'carol', traits: { plan: 'pro' } })
    await t.linger.ready
    t.linger.identify('dan', { plan: 'team' }, { userHash: 'h'.repeat(64) } as never)
    expect(await t.tooExpensive()).toBe('offer')
    t.flow().dispatch({ type: 'decline' })
    t.flow().dispatch({ type: 'confirm' })
    await t.p.advance(0)
    const [cancelled] = (await cancelEvents(t)).filter((e) => e.properties?.outcome === 'cancelled')
    expect(cancelled!.userId).toBe('dan')
    expect(cancelled!.properties?.traits).toEqual({ plan: 'team' })
  })
})
