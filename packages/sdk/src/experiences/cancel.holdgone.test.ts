// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { billingPage, takesTheDiscountOnceNamed } from './cancel-hold.fixture'

describe('holdForIdentify, the named user verified, the page gone while her progress is on its way', () => {
  it("ann clicks Cancel before the app names her (verified): her flow opens once her progress is in (or its wait is over); she takes the discount, sees it saved and closes the tab: her next visit does not offer the discount again (a second one on her account)", async () => {
    const shared = new Map<string, string>()
    const ann = await takesTheDiscountOnceNamed({ shared, stored: 'bob', holdForIdentify: 3000, slowSync: true, names: 'ann', userHash: 'a'.repeat(64) })
    ann.answer()
    await ann.p.advance(0)
    expect(ann.flow().$state.get().step).toBe('saved')
    ann.p.pageHide()
    ann.p.close()
    const again = billingPage({ shared })
    await again.linger.ready
    await again.p.advance(2000)
    expect(await again.tooExpensive()).toBe('confirm')
  })
})

describe("holdForIdentify, the stored user is the one at the keyboard, her first tab open", () => {
  it("ann's billing tab is open on the offer; in a new tab she clicks Cancel before the app there names her, takes the discount once it has, then takes it in the first tab too: the vendor is asked once", async () => {
    const shared = new Map<string, string>()
    const first = billingPage({ shared, stored: 'ann' })
    await first.linger.ready
    expect(await first.tooExpensive()).toBe('offer')
    const second = await takesTheDiscountOnceNamed({ shared, stored: 'ann', holdForIdentify: 3000, names: 'ann' })
    await second.p.advance(0)
    first.p.fireStorage('linger:state:u:ann')
    first.flow().dispatch({ type: 'accept' })
    await first.p.advance(0)
    expect(first.onOfferAccepted.mock.calls.length + second.onOfferAccepted.mock.calls.length).toBe(1)
  })
})
