// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { kept, type Synced } from '../sync/merge'
import type { FakePlatform } from '../fake-platform'
import type { Linger } from '../client'
import { billingPage, cancelButton, cancelEvents } from './cancel-hold.fixture'
import '../sync/state-sync'

afterEach(() => document.body.replaceChildren())

const choose = (t: ReturnType<typeof billingPage>) => {
  t.flow().dispatch({ type: 'choose', reasonId: 'too-expensive' })
  t.flow().dispatch({ type: 'submit' })
  return t.flow().$state.get().step
}

describe("holdForIdentify: the flow is the named person's, decided once the page knows who is here", () => {
  it("ann took the discount here last month; bob signed in since: she clicks Cancel before the app names her, and once named is not offered the discount again", async () => {
    const shared = new Map<string, string>()
    const before = billingPage({ shared, stored: 'ann' })
    await before.linger.ready
    expect(await before.tooExpensive()).toBe('offer')
    before.flow().dispatch({ type: 'accept' })
    before.answer()
    await before.p.advance(0)
    before.p.close()
    const ann = billingPage({ shared, stored: 'bob', holdForIdentify: 3000 })
    await ann.linger.ready
    await ann.p.advance(100)
    ann.linger.cancel()
    // Nothing is decided for bob meanwhile.
    expect(ann.flow().$state.get().step).toBe('closed')
    ann.linger.identify('ann')
    await ann.p.advance(0)
    expect(choose(ann)).toBe('confirm')
    expect(ann.onOfferAccepted).not.toHaveBeenCalled()
  })

  it("dana (held out of the offer) is still stored; ann, in the offer group, cancels before the app names her: she is offered the discount, and her run is counted as offered", async () => {
    const ann = billingPage({ shared: new Map(), stored: 'dana', holdForIdentify: 3000, flow: { holdout: 0.5 } })
    await ann.linger.ready
    await ann.p.advance(100)
    ann.linger.cancel()
    ann.linger.identify('ann')
    await ann.p.advance(0)
    expect(choose(ann)).toBe('offer')
    const [started] = await cancelEvents(ann)
    expect([started!.event, started!.userId, started!.properties?.variant]).toEqual(['Cancel Flow Started', 'ann', 'offer'])
  })

  it("bob's laptop, the page hidden and back before the app answers: ann's click waits on, and her flow opens once she is named", async () => {
    const { button, hostCancels } = cancelButton()
    const ann = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 3000 })
    await ann.linger.ready
    ann.p.hide()
    ann.p.show()
    button.click()
    await ann.p.advance(500)
    expect(ann.flow().$state.get().step).toBe('closed')
    expect(hostCancels).not.toHaveBeenCalled()
    ann.linger.identify('ann')
    await ann.p.advance(0)
    expect(ann.flow().$state.get().step).toBe('reasons')
    expect(choose(ann)).toBe('offer')
    ann.flow().dispatch({ type: 'decline' })
    ann.flow().dispatch({ type: 'confirm' })
    // Confirmed: the vendor's own cancel goes through, once.
    expect(hostCancels).toHaveBeenCalledTimes(1)
  })

  it("the vendor's Cancel is a link inside the box the flow watches; ann clicks it before the app names her, then confirms once her flow opens: the link itself takes her on to cancel", async () => {
    const box = document.body.appendChild(document.createElement('div'))
    box.id = 'cancel-subscription'
    const link = box.appendChild(document.createElement('a'))
    const followed = vi.fn()
    link.addEventListener('click', followed)
    const ann = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 3000 })
    await ann.linger.ready
    link.click()
    ann.linger.identify('ann')
    await ann.p.advance(0)
    expect(choose(ann)).toBe('offer')
    ann.flow().dispatch({ type: 'decline' })
    ann.flow().dispatch({ type: 'confirm' })
    expect(followed).toHaveBeenCalledTimes(1)
  })

  it('the app never answers: at the end of the wait the flow opens, as the stored user\'s', async () => {
    const { button } = cancelButton()
    const bob = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 3000 })
    await bob.linger.ready
    button.click()
    await bob.p.advance(2000)
    expect(bob.flow().$state.get().step).toBe('closed')
    await bob.p.advance(1000)
    expect(bob.flow().$state.get().step).toBe('reasons')
  })

  it('the person named is not one the flow is for (another plan): the click held goes on to the vendor\'s own cancel', async () => {
    const { button, hostCancels } = cancelButton()
    const ann = billingPage({ shared: new Map(), stored: 'bob', traits: { plan: 'pro' }, holdForIdentify: 3000, flow: { audience: { trait: 'plan', eq: 'pro' } } })
    await ann.linger.ready
    button.click()
    ann.linger.identify('ann', { plan: 'team' })
    await ann.p.advance(0)
    expect(ann.flow().$state.get().step).toBe('closed')
    expect(hostCancels).toHaveBeenCalledTimes(1)
  })

  it('clicked again past the grace while the page still waits: the user goes on to cancel at once (the vendor hears it), and nothing opens later', async () => {
    const { button, hostCancels } = cancelButton()
    const onCancel = vi.fn()
    const ann = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 10_000, onCancel })
    await ann.linger.ready
    button.click()
    await ann.p.advance(1000)
    expect(ann.flow().$state.get().step).toBe('closed')
    // A double click is the same request.
    button.click()
    expect(hostCancels).not.toHaveBeenCalled()
    await ann.p.advance(3000)
    button.click()
    expect(hostCancels).toHaveBeenCalledTimes(1)
    expect(onCancel).toHaveBeenCalledWith(null)
    ann.linger.identify('ann')
    await ann.p.advance(0)
    expect(ann.flow().$state.get().step).toBe('closed')
    expect(hostCancels).toHaveBeenCalledTimes(1)
  })
  it("bob's tab closed on the spinner yesterday (his take unanswered); ann on his laptop, the page hidden and back before the app answers: she is not handed his take to apply under his run", async () => {
    const shared = new Map<string, string>()
    const bob = billingPage({ shared, stored: 'bob' })
    await bob.linger.ready
    expect(await bob.tooExpensive()).toBe('offer')
    bob.flow().dispatch({ type: 'accept' })
    const [, , bobRun] = bob.onOfferAccepted.mock.calls[0]!
    bob.p.close()
    const ann = billingPage({ shared, holdForIdentify: 3000 })
    await ann.linger.ready
    ann.p.hide()
    ann.p.show()
    ann.linger.cancel()
    await ann.p.advance(0)
    // What she would answer, had a flow opened as bob's.
    choose(ann)
    ann.flow().dispatch({ type: 'accept' })
    await ann.p.advance(0)
    ann.linger.identify('ann')
    await ann.p.advance(0)
    if (choose(ann) === 'offer') ann.flow().dispatch({ type: 'accept' })
    expect(ann.onOfferAccepted.mock.calls.map(([, , run]) => run)).not.toContainEqual(bobRun)
  })
  it("bob paused his plan here last week; ann, on his laptop, clicks the vendor's Pause subscription before the app names her: once named, she is offered the pause (bob's was the one taken)", async () => {
    const shared = new Map<string, string>()
    const flow = { offers: [{ id: 'discount-30', kind: 'discount', title: '30% off your next 3 months', percent: 30, months: 3 }, { id: 'pause-3', kind: 'pause', title: 'Pause for up to 3 months', months: 3 }] }
    const bob = billingPage({ shared, stored: 'bob', flow })
    await bob.linger.ready
    bob.linger.show('pause-3')
    bob.flow().dispatch({ type: 'accept' })
    bob.answer()
    await bob.p.advance(0)
    bob.p.close()
    const ann = billingPage({ shared, stored: 'bob', holdForIdentify: 3000, flow })
    await ann.linger.ready
    ann.linger.show('pause-3')
    expect(ann.flow().$state.get().step).toBe('closed')
    ann.linger.identify('ann')
    await ann.p.advance(0)
    expect(ann.flow().$state.get()).toMatchObject({ step: 'offer', offerId: 'pause-3', standalone: true })
  })
})

// The collector's state endpoint, shared by ann's devices; it answers after `delay` ms.
function collector() {
  const fields: Record<string, Synced> = {}
  return (p: FakePlatform, delay = 0) =>
    (p.respond = (req) => {
      if (!req.url.includes('/v1/state')) return { status: 200, body: '{}' }
      if (req.init.method === 'PUT')
        for (const [n, f] of Object.entries(req.body.fields as Record<string, Synced>)) {
          const keep = kept(n, f, fields[n], p.now())
          if (keep) fields[n] = keep
        }
      const body = JSON.stringify({ ok: true, fields })
      return new Promise((r) => p.setTimeout(() => r({ status: 200, body }), delay))
    })
}
const HASH = { userHash: 'a'.repeat(64) }

async function annTookItOnHerPhone(server: ReturnType<typeof collector>) {
  const phone = billingPage({ shared: new Map() })
  server(phone.p)
  await phone.linger.ready
  phone.linger.identify('ann', {}, HASH)
  await phone.p.advance(100)
  expect(await phone.tooExpensive()).toBe('offer')
  phone.flow().dispatch({ type: 'accept' })
  phone.answer()
  await phone.p.advance(3000)
  phone.p.close()
}

describe('holdForIdentify: a verified user named during the wait, her progress 500 ms away', () => {
  const named: Array<[string, (l: Linger) => void]> = [
    ['identify() alone', (l) => l.identify('ann', {}, HASH)],
    ['identify() then group() (as apps do, same task)', (l) => (l.identify('ann', {}, HASH), l.group('acme', { plan: 'pro' }))],
    ['identify() called twice (on load, then with traits)', (l) => (l.identify('ann', {}, HASH), l.identify('ann', { plan: 'pro' }, HASH))],
  ]
  it.each(named)('%s: the flow waits for her progress, and does not offer the discount she took on her phone', async (_, name) => {
    const server = collector()
    await annTookItOnHerPhone(server)
    const laptop = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 3000 })
    server(laptop.p, 500)
    await laptop.linger.ready
    await laptop.p.advance(100)
    laptop.linger.cancel()
    name(laptop.linger)
    await laptop.p.advance(1500)
    expect(laptop.flow().$state.get().step).toBe('reasons')
    laptop.flow().dispatch({ type: 'choose', reasonId: 'too-expensive' })
    laptop.flow().dispatch({ type: 'submit' })
    expect(laptop.flow().$state.get().step).toBe('confirm')
  })
})

describe('holdForIdentify: the held click', () => {
  it("the app destroys Linger (unmount, sign-out that starts over) while the click waits: the click goes on to the vendor's cancel, not lost", async () => {
    const { button, hostCancels } = cancelButton()
    const onCancel = vi.fn()
    const t = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 10_000, onCancel })
    await t.linger.ready
    button.click()
    await t.p.advance(500)
    t.linger.destroy()
    await t.p.advance(0)
    expect(hostCancels.mock.calls.length + onCancel.mock.calls.length).toBeGreaterThan(0)
  })

  it('the user gives up and leaves (pagehide) while the click waits: the cancel they walked away from is not clicked as the page goes', async () => {
    const { button, hostCancels } = cancelButton()
    const t = billingPage({ shared: new Map(), stored: 'bob', traits: { plan: 'pro' }, holdForIdentify: 10_000, flow: { audience: { trait: 'plan', eq: 'team' } } })
    await t.linger.ready
    button.click()
    await t.p.advance(2000)
    t.p.pageHide()
    await t.p.advance(0)
    expect(hostCancels).not.toHaveBeenCalled()
  })

  it('the user gives up and leaves (pagehide, page kept in the back/forward cache) while the click waits: no flow opens as the page goes, none on screen when they come Back', async () => {
    const { button } = cancelButton()
    const t = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 10_000 })
    await t.linger.ready
    button.click()
    await t.p.advance(2000)
    t.p.pageHide()
    await t.p.advance(0)
    expect(t.flow().$state.get().step).toBe('closed')
  })

  it("Pause subscription (show(pause)) then Cancel subscription within 3 s, during the wait: once named, the cancel flow opens (the user's last ask), not the pause", async () => {
    const { button, hostCancels } = cancelButton()
    const onCancel = vi.fn()
    const flow = { offers: [{ id: 'discount-30', kind: 'discount', title: '30% off your next 3 months', percent: 30, months: 3 }, { id: 'pause-3', kind: 'pause', title: 'Pause for up to 3 months', months: 3 }] }
    const t = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 3000, flow, onCancel })
    await t.linger.ready
    t.linger.show('pause-3')
    await t.p.advance(500)
    button.click()
    t.linger.identify('ann')
    await t.p.advance(0)
    const s = t.flow().$state.get()
    // Either the cancel flow (the last ask) opens, or the click goes on to the host's cancel: not swallowed.
    expect(!s.standalone && s.step !== 'closed' || hostCancels.mock.calls.length > 0).toBe(true)
  })
})

describe('holdForIdentify: two tabs', () => {
  it('ann clicks Cancel in a new tab while it waits, then confirms in her tab already open on the flow; the new tab opens once named and she confirms there too: the vendor hears one cancellation', async () => {
    const shared = new Map<string, string>()
    const onCancel = vi.fn()
    const open = billingPage({ shared, stored: 'ann', onCancel })
    await open.linger.ready
    await open.p.advance(100)
    expect(await open.tooExpensive()).toBe('offer')
    const fresh = billingPage({ shared, stored: 'ann', holdForIdentify: 3000, onCancel })
    await fresh.linger.ready
    await fresh.p.advance(100)
    fresh.linger.cancel()
    await open.p.advance(1000)
    open.flow().dispatch({ type: 'decline' })
    open.flow().dispatch({ type: 'confirm' })
    await open.p.advance(0)
    expect(onCancel).toHaveBeenCalledTimes(1)
    // (Each fake page keeps its own clock, from the same start: the app answers 2 s into the wait.)
    await fresh.p.advance(2000)
    expect(fresh.p.now()).toBeGreaterThan(open.p.now())
    fresh.linger.identify('ann')
    await fresh.p.advance(0)
    fresh.flow().dispatch({ type: 'choose', reasonId: 'too-expensive' })
    fresh.flow().dispatch({ type: 'submit' })
    fresh.flow().dispatch({ type: 'decline' })
    fresh.flow().dispatch({ type: 'confirm' })
    await fresh.p.advance(0)
    expect(onCancel).toHaveBeenCalledTimes(1)
  })
})
