// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { billingPage, cancelButton, cancelEvents } from './cancel-hold.fixture'

afterEach(() => document.body.replaceChildren())

describe('holdForIdentify: the app says nobody is signed in (reset()) while the click waits', () => {
  it("bob's session expired on his laptop: he clicks Cancel, the app's session check answers reset(): no save offer for a new visitor, his click goes on to the vendor's own cancel", async () => {
    const { button, hostCancels } = cancelButton()
    const t = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 3000 })
    await t.linger.ready
    button.click()
    t.linger.reset()
    await t.p.advance(0)
    expect(t.flow().$state.get().step).toBe('closed')
    expect(hostCancels).toHaveBeenCalledTimes(1)
    expect(await cancelEvents(t)).toEqual([])
  })

  it.each([
    ['bob was signed in here', 'bob'],
    ['a visitor, nobody signed in', undefined],
  ])("%s: the app signs out and tears Linger down (reset(), then destroy()) while the click waits, the flow's UI still loading: the click still goes on to the vendor's cancel", async (_, stored) => {
    const { button, hostCancels } = cancelButton()
    const t = billingPage({ shared: new Map(), stored, holdForIdentify: 3000 })
    await t.linger.ready
    // The widgets are mounted, the flow's UI chunk still on its way.
    t.linger.host.undrawn = () => true
    button.click()
    t.linger.reset()
    t.linger.destroy()
    await t.p.advance(0)
    expect(hostCancels).toHaveBeenCalledTimes(1)
  })
})

describe('holdForIdentify: the app names the user while Linger is still starting', () => {
  it("ann clicks Cancel as the page's flows come in (a section misspelt in them), and the app names her before Linger is running: her flow opens", async () => {
    const { button, hostCancels } = cancelButton()
    const t = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 3000, doc: { tour: [{ id: 'welcome' }] } })
    // The console line that says the flows had a problem comes once the controllers are up, the
    // client not yet running: her click and the app's answer, then.
    const log = t.p.log
    t.p.log = (...args) => {
      if (!t.linger.experiences.cancel && /skipped|not run|version/i.test(args.map(String).join(' '))) button.click(), t.linger.identify('ann')
      log(...args)
    }
    await t.linger.ready
    await t.p.advance(0)
    expect(t.p.logs.length).toBeGreaterThan(0)
    expect([t.flow().$state.get().step, hostCancels.mock.calls.length]).toEqual(['reasons', 0])
  })
})

describe('holdForIdentify: what the vendor\'s code hears while the click waits', () => {
  it("why() while ann's Cancel waits for the app to name her says it waits for that, not 'eligible' (that was bob's audience speaking)", async () => {
    const t = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 3000 })
    await t.linger.ready
    t.linger.cancel()
    expect(t.linger.why('save-offer')).toEqual({ id: 'save-offer', show: false, reasons: ['waiting-for-identify'] })
    t.linger.identify('ann')
    await t.p.advance(0)
    expect(t.flow().$state.get().step).toBe('reasons')
  })

  it("ann paused her plan last week; on bob's laptop she clicks Pause subscription before the app names her: show() answers true (asked), why() says it waits, and once she is named nothing opens, why() says already-taken and debug mode says why", async () => {
    const shared = new Map<string, string>()
    const flow = { offers: [{ id: 'discount-30', kind: 'discount', title: '30% off your next 3 months', percent: 30, months: 3 }, { id: 'pause-3', kind: 'pause', title: 'Pause for up to 3 months', months: 3 }] }
    const before = billingPage({ shared, stored: 'ann', flow })
    await before.linger.ready
    before.linger.show('pause-3')
    before.flow().dispatch({ type: 'accept' })
    before.answer()
    await before.p.advance(0)
    before.p.close()
    const t = billingPage({ shared, stored: 'bob', holdForIdentify: 3000, flow, debug: true })
    await t.linger.ready
    expect(t.linger.show('pause-3')).toBe(true)
    expect(t.linger.why('pause-3').reasons).toEqual(['waiting-for-identify'])
    t.linger.identify('ann')
    await t.p.advance(0)
    expect(t.flow().$state.get().step).toBe('closed')
    expect(t.linger.why('pause-3').reasons).toEqual(['already-taken'])
    expect(t.p.logs.map((l) => l.join(' ')).filter((l) => l.includes('show("pause-3")'))).toEqual([expect.stringContaining('once the page knew who is here: already-taken')])
  })
})

const pauseFlow = { offers: [{ id: 'discount-30', kind: 'discount', title: '30% off your next 3 months', percent: 30, months: 3 }, { id: 'pause-3', kind: 'pause', title: 'Pause for up to 3 months', months: 3 }] }

describe('holdForIdentify: the app clears the last person, then names who is here (reset(); identify()) while the click waits', () => {
  it("bob is stored; ann clicks Cancel before the app answers; its session check says reset(); identify('ann'): ann gets her save offer, her click is not sent on to the vendor's cancel", async () => {
    const { button, hostCancels } = cancelButton()
    const t = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 3000 })
    await t.linger.ready
    button.click()
    t.linger.reset()
    // Not from inside the app's own reset() call either.
    expect(hostCancels).toHaveBeenCalledTimes(0)
    t.linger.identify('ann')
    await t.p.advance(0)
    expect([t.flow().$state.get().step, hostCancels.mock.calls.length]).toEqual(['reasons', 0])
  })

  it("the same with linger.cancel(): ann is offered her flow, the vendor's onCancel is not called with null", async () => {
    const onCancel = vi.fn()
    const t = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 3000, onCancel })
    await t.linger.ready
    t.linger.cancel()
    t.linger.reset()
    t.linger.identify('ann')
    await t.p.advance(0)
    expect([t.flow().$state.get().step, onCancel.mock.calls.length]).toEqual(['reasons', 0])
  })

  it('reset() alone still sends the click on to the vendor (a task later at most)', async () => {
    const { button, hostCancels } = cancelButton()
    const t = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 3000 })
    await t.linger.ready
    button.click()
    t.linger.reset()
    await t.p.advance(0)
    expect([t.flow().$state.get().step, hostCancels.mock.calls.length]).toEqual(['closed', 1])
    expect(await cancelEvents(t)).toEqual([])
  })
})

describe('destroy() never cancels for someone who only asked for a pause', () => {
  it('show(pause) while the hold waits, then an SPA route change destroys Linger: no onCancel, no host click', async () => {
    const { hostCancels } = cancelButton()
    const onCancel = vi.fn()
    const t = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 3000, flow: pauseFlow, onCancel })
    await t.linger.ready
    expect(t.linger.show('pause-3')).toBe(true)
    t.linger.destroy()
    await t.p.advance(0)
    expect([onCancel.mock.calls.length, hostCancels.mock.calls.length]).toEqual([0, 0])
  })

  it('show(pause) opened, its UI still loading, then destroy(): no onCancel, no host click, no events', async () => {
    const { hostCancels } = cancelButton()
    const onCancel = vi.fn()
    const t = billingPage({ shared: new Map(), stored: 'bob', flow: pauseFlow, onCancel })
    await t.linger.ready
    t.linger.host.undrawn = () => true
    expect(t.linger.show('pause-3')).toBe(true)
    t.linger.destroy()
    await t.p.advance(0)
    expect([onCancel.mock.calls.length, hostCancels.mock.calls.length]).toEqual([0, 0])
  })
})

describe('destroy() as the user leaves the page (the app tears Linger down in beforeunload)', () => {
  it("ann clicks Cancel, the flow's UI is still loading; she gives up and closes the tab: the vendor's onCancel is not called, the cancel is not clicked as the page goes", async () => {
    const { button, hostCancels } = cancelButton()
    const onCancel = vi.fn()
    const t = billingPage({ shared: new Map(), stored: 'ann', onCancel })
    await t.linger.ready
    t.linger.host.undrawn = () => true
    button.click()
    expect(t.flow().$state.get().step).toBe('reasons')
    const leave = () => t.linger.destroy()
    window.addEventListener('beforeunload', leave)
    window.dispatchEvent(new Event('beforeunload'))
    window.removeEventListener('beforeunload', leave)
    await t.p.advance(0)
    expect([onCancel.mock.calls.length, hostCancels.mock.calls.length]).toEqual([0, 0])
  })
})
