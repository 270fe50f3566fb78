// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { kept, type Synced } from '../sync/merge'
import { billingPage, takesTheDiscountOnceNamed } from './cancel-hold.fixture'
import type { FakePlatform } from '../fake-platform'

describe("holdForIdentify with the stored user's own tab still open", () => {
  // The browser tells every other tab of each write, in the order made: Bob's state, then who is signed in.
  const tell = (tab: ReturnType<typeof billingPage>, ...keys: string[]) => keys.forEach((k) => tab.p.fireStorage(k))

  it("bob's tab left open on the shared laptop; ann, in a new tab, clicks Cancel before the app names her and takes the discount once it has: bob, back the next day, is offered the discount under his own run, not ann's", async () => {
    const shared = new Map<string, string>()
    const bobsTab = billingPage({ shared, stored: 'bob' })
    await bobsTab.linger.ready
    const ann = await takesTheDiscountOnceNamed({ shared, stored: 'bob', holdForIdentify: 3000, names: 'ann' })
    const [, , annRun] = ann.onOfferAccepted.mock.calls[0]!
    tell(bobsTab, 'linger:state:u:bob')
    ann.linger.identify('ann')
    tell(bobsTab, 'linger:state:u:bob', 'linger:identity')
    await ann.p.advance(0)
    ann.answer()
    await ann.p.advance(0)
    expect(ann.flow().$state.get().step).toBe('saved')
    ann.p.close()
    bobsTab.p.close()
    const bob = billingPage({ shared })
    await bob.linger.ready
    bob.linger.identify('bob')
    await bob.tooExpensive()
    bob.flow().dispatch({ type: 'accept' })
    expect(bob.onOfferAccepted).toHaveBeenCalledTimes(1)
    expect(bob.onOfferAccepted.mock.calls[0]![2]).not.toEqual(annRun)
  })

  it("bob's tab left open; ann clicks Cancel before the app names her, takes the discount once it has and the vendor applies it at once: bob, who never took it, is still offered the discount", async () => {
    const shared = new Map<string, string>()
    const bobsTab = billingPage({ shared, stored: 'bob' })
    await bobsTab.linger.ready
    const ann = await takesTheDiscountOnceNamed({ shared, stored: 'bob', holdForIdentify: 3000, names: 'ann' })
    ann.answer()
    await ann.p.advance(0)
    tell(bobsTab, 'linger:state:u:bob')
    ann.linger.identify('ann')
    tell(bobsTab, 'linger:state:u:bob', 'linger:identity')
    await ann.p.advance(0)
    ann.p.close()
    bobsTab.p.close()
    const bob = billingPage({ shared })
    await bob.linger.ready
    bob.linger.identify('bob')
    expect(await bob.tooExpensive()).toBe('offer')
  })
})

describe('the named user opens a second tab while the vendor still applies her take', () => {
  it("ann clicks Cancel before the app names her and takes the discount once it has, then opens her account in a second tab as the vendor still applies it: that tab does not ask the vendor for it again", async () => {
    const shared = new Map<string, string>()
    const ann = await takesTheDiscountOnceNamed({ shared, stored: 'bob', holdForIdentify: 3000, names: 'ann' })
    ann.linger.identify('ann')
    await ann.p.advance(0)
    const second = billingPage({ shared })
    await second.linger.ready
    second.linger.identify('ann')
    const step = await second.tooExpensive()
    if (step === 'offer') second.flow().dispatch({ type: 'accept' })
    await second.p.advance(0)
    expect(second.onOfferAccepted).not.toHaveBeenCalled()
  })
})

describe('holdForIdentify, the stored user verified (their state synced to every device)', () => {
  it("bob, verified, still stored; ann clicks Cancel before the app names her and takes the discount once it has: bob, on his phone, who never took it, is still offered the discount", async () => {
    const fields: Record<string, Synced> = {}
    const server = (p: FakePlatform) =>
      (p.respond = (req) => {
        if (!req.url.includes('/v1/state')) return { status: 200, body: '{}' }
        if (req.init.method === 'PUT')
          for (const [n, f] of Object.entries(req.body.fields as Record<string, Synced>)) {
            const keep = kept(n, f, fields[n], p.now())
            if (keep) fields[n] = keep
          }
        return { status: 200, body: JSON.stringify({ ok: true, fields }) }
      })
    const verifiedBob = JSON.stringify({ anonymousId: 'anon-1', userId: 'bob', userHash: 'b'.repeat(64), traits: {}, groupTraits: {} })
    const laptop = new Map([['linger:identity', verifiedBob]])
    const ann = billingPage({ shared: laptop, holdForIdentify: 3000 })
    server(ann.p)
    await ann.linger.ready
    await ann.p.advance(100)
    ann.linger.cancel()
    // A second and a half into the hold: bob's sync has sent what changed in "his" state.
    await ann.p.advance(1500)
    ann.linger.identify('ann')
    await ann.p.advance(0)
    ann.flow().dispatch({ type: 'choose', reasonId: 'too-expensive' })
    ann.flow().dispatch({ type: 'submit' })
    expect(ann.flow().$state.get().step).toBe('offer')
    ann.flow().dispatch({ type: 'accept' })
    ann.answer()
    await ann.p.advance(2000)
    ann.p.close()
    const phone = billingPage({ shared: new Map([['linger:identity', verifiedBob]]) })
    server(phone.p)
    await phone.linger.ready
    await phone.p.advance(100)
    expect(await phone.tooExpensive()).toBe('offer')
  })
})

describe('holdForIdentify, the app unmounts Linger before it names anyone', () => {
  it("ann clicks Cancel while the page asks who is here and takes the discount once named, the client destroyed right after the vendor's answer: a new page does not offer the discount again (a second one on the account)", async () => {
    const shared = new Map<string, string>()
    const t = await takesTheDiscountOnceNamed({ shared, stored: 'bob', holdForIdentify: 3000, names: 'ann' })
    t.answer()
    await t.p.advance(0)
    t.linger.destroy()
    t.p.close()
    const again = billingPage({ shared })
    await again.linger.ready
    expect(await again.tooExpensive()).toBe('confirm')
  })
})
