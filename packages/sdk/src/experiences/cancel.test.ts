// @vitest-environment jsdom
import { atom, type WritableAtom } from 'nanostores'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import type { Flows } from '../config/flows-schema'
import type { Properties } from '../events'
import { createFakePlatform, type FakePlatform } from '../fake-platform'
import { drawOf, inSample, sampleBucket } from '../sample'
import { emptyProfile, recordEvent } from '../usage'
import { createCancelFlow, type CancelController } from './cancel'
import type { CancelFlowConfig } from './cancel/flow'
import type { ExperienceHost, SlotRequest, UserView } from './host'
import { createLinger } from '../client'
import { createExperienceState } from '../experience-state'
import { laggingStorage } from '../lagging-storage'
import { runInNewContext } from 'node:vm'

const cancelFlow: CancelFlowConfig = {
  id: 'save-offer',
  trigger: { selector: '#cancel-subscription' },
  valueReminder: { title: 'Before you go', items: [{ event: 'Project Created', label: '{count} projects created' }] },
  reasons: [
    { id: 'too-expensive', label: 'It is too expensive', offer: 'discount-30' },
    { id: 'other', label: 'Something else', comment: true },
  ],
  offers: [{ id: 'discount-30', kind: 'discount', title: '30% off your next 3 months', percent: 30, months: 3 }],
  holdout: 0.05,
}

const RUN_ID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)

/** A user key outside (or inside) the holdout, found the way the sdk decides it. */
function userKeyWhere(inHoldout: boolean, rate = 0.05): string {
  for (let i = 0; ; i++) if (sampleBucket(`u:user-${i}`, drawOf('save-offer', 'holdout')) < rate === inHoldout) return `u:user-${i}`
}

function fakeHost(opts: { flow?: CancelFlowConfig | null; userKey?: string; slot?: boolean; audience?: boolean; traits?: Properties; groupTraits?: Properties } = {}) {
  const events: Array<[string, Record<string, unknown>]> = []
  // Each event's messageId where Linger gives one (a collector keeps one event per messageId).
  const messageIds: Array<string | undefined> = []
  const released: Array<[string, string]> = []
  const requests: SlotRequest[] = []
  const errors: string[] = []
  const store = new Map<string, unknown>()
  const user = { userKey: opts.userKey ?? userKeyWhere(false), anonymousId: 'a1', traits: opts.traits ?? {}, groupTraits: opts.groupTraits }
  const profile = recordEvent(emptyProfile(), { name: 'Project Created', time: Date.parse('2026-03-01T10:00:00Z') }, (ms) => new Date(ms).toISOString().slice(0, 10))
  const host: ExperienceHost = {
    platform: createFakePlatform(),
    flows: atom({ cancelFlow: opts.flow === null ? undefined : (opts.flow ?? cancelFlow) } as unknown as Flows),
    usage: atom(profile),
    user: atom(user),
    state: { get: (k) => store.get(k) as never, fresh: (k) => store.get(k) as never, set: (k, v) => void store.set(k, v), subscribe: () => () => {} },
    options: {},
    emit: (e, p, o) => void (events.push([e, p]), messageIds.push(o?.messageId)),
    onTrack: () => () => {},
    onPage: () => () => {},
    // The sample rule as audience.ts evaluates it; any other rule passes unless told otherwise.
    evaluate: (rule, id) => ({ ok: rule && 'sample' in rule ? inSample(user.userKey, id, rule.sample) : !rule || opts.audience !== false, failed: [] }),
    still: () => () => true,
    request: (req) => (requests.push(req), { show: opts.slot ?? true, reasons: [] }),
    release: (id, outcome) => void released.push([id, outcome]),
    reportError: (e) => void errors.push(e.message),
    handlers: {},
  }
  const names = () => events.map(([e]) => e)
  const last = (name: string) => [...events].reverse().find(([e]) => e === name)?.[1]
  return { host, events, messageIds, released, requests, errors, names, last }
}

const flush = () => new Promise((r) => setTimeout(r, 0))
let controller: CancelController | undefined
afterEach(() => {
  controller?.dispose()
  document.body.innerHTML = ''
})

/** The flow's controller for a vendor with an `onCancel` handler (`flow`: fakeHost's options). */
function flowWithOnCancel(...args: Parameters<typeof fakeHost>) {
  const f = fakeHost(...args)
  const onCancel = vi.fn()
  f.host.handlers = { onCancel }
  // Kept in the module's `controller` too, which afterEach disposes.
  const flow = (controller = createCancelFlow(f.host))
  return { f, onCancel, controller: flow }
}

function hostButton() {
  document.body.innerHTML = '<form id="billing"><button id="cancel-subscription" type="button"><span>Cancel subscription</span></button></form>'
  const button = document.getElementById('cancel-subscription') as HTMLButtonElement
  const hostCancel = vi.fn()
  button.addEventListener('click', hostCancel)
  return { button, hostCancel, inner: button.querySelector('span') as HTMLElement }
}

describe('starting the cancellation flow', () => {
  it('intercepts a click on the host cancel control before the host handles it', () => {
    const f = fakeHost()
    controller = createCancelFlow(f.host)
    const { inner, hostCancel } = hostButton()
    const documentListener = vi.fn()
    document.addEventListener('click', documentListener, true)
    inner.click()
    document.removeEventListener('click', documentListener, true)
    expect(hostCancel).not.toHaveBeenCalled()
    expect(documentListener).not.toHaveBeenCalled()
    expect(controller.$state.get().step).toBe('value')
    expect(controller.$needsUi.get()).toBe(true)
    expect(f.requests[0]).toMatchObject({ id: 'save-offer', kind: 'cancel', force: true })
    expect(f.last('Cancel Flow Started')).toEqual({ flowId: 'save-offer', runId: RUN_ID, variant: 'offer' })
  })

  it("reminds the user of the badges they hold now: one the vendor has since taken out of the flows is not counted (the shelf no longer shows it)", () => {
    const f = fakeHost({ flow: { ...cancelFlow, valueReminder: { title: 'Before you go', items: [{ points: true, label: '{points} points and {badges} badges' }] } } })
    const flows = f.host.flows as WritableAtom<Flows>
    flows.set({ ...flows.get(), badges: [{ id: 'onboarded', title: 'Onboarded', points: 10, rule: { event: 'Project Created' } }] } as never)
    f.host.state.set('badges', { earned: { onboarded: 1, 'old-launch-badge': 2 }, points: 10, level: -1 })
    controller = createCancelFlow(f.host)
    hostButton().inner.click()
    const s = controller.$state.get()
    expect(s.items).toEqual([{ label: '{points} points and {badges} badges', vars: { points: 10, badges: 1 } }])
  })

  it('leaves the host cancel untouched when there is no valid flow, the user is outside its audience, or no place on screen', () => {
    const outside = fakeHost({ flow: { ...cancelFlow, audience: { trait: 'plan', eq: 'pro' } }, audience: false })
    for (const f of [fakeHost({ flow: null }), fakeHost({ flow: { ...cancelFlow, reasons: [] } }), outside, fakeHost({ slot: false })]) {
      controller = createCancelFlow(f.host)
      const { button, hostCancel } = hostButton()
      button.click()
      expect(hostCancel).toHaveBeenCalledTimes(1)
      expect(f.names()).toEqual([])
      controller.dispose()
    }
  })

  it('why() tells the truth about the audience: a user outside it is not told "eligible"', () => {
    const outside = fakeHost({ flow: { ...cancelFlow, audience: { trait: 'plan', neq: 'starter' } }, audience: false })
    outside.host.evaluate = () => ({ ok: false, failed: ['trait plan neq "starter" (was "starter")'] })
    controller = createCancelFlow(outside.host)
    expect(controller.why?.(cancelFlow.id)).toEqual(['audience: trait plan neq "starter" (was "starter")'])
    controller.dispose()
    controller = createCancelFlow(fakeHost().host)
    expect(controller.why?.(cancelFlow.id)).toEqual(['eligible'])
    expect(controller.why?.('someone-else')).toBeUndefined()
    controller.dispose()
  })

  it('starts from linger.cancel(handlers) (show with the flow id) and reports onCancel(null) when it cannot run', () => {
    const ok = fakeHost()
    controller = createCancelFlow(ok.host)
    expect(controller.show?.('save-offer')).toBe(true)
    expect(controller.$state.get().step).toBe('value')
    expect(controller.show?.('some-tour')).toBe(false)

    const blocked = fakeHost({ slot: false })
    const onCancel = vi.fn()
    blocked.host.handlers = { onCancel }
    const c2 = createCancelFlow(blocked.host)
    expect(c2.show?.('save-offer')).toBe(true)
    expect(onCancel).toHaveBeenCalledWith(null)
  })

  it('swallows a double click while the UI loads, but lets the host cancel through once the UI has evidently failed', async () => {
    const { f, onCancel, controller } = flowWithOnCancel()
    const { button, hostCancel } = hostButton()
    button.click()
    await (f.host.platform as FakePlatform).advance(200)
    button.click()
    expect(hostCancel).not.toHaveBeenCalled()
    expect(controller.$state.get().step).toBe('value')
    await (f.host.platform as FakePlatform).advance(5000)
    button.click()
    // The user's own click goes through, once: Linger clicks nothing more.
    expect(hostCancel).toHaveBeenCalledTimes(1)
    // They went on to cancel: that is what the vendor's numbers and handler hear, with no reason
    // (none was asked), not a flow walked away from.
    expect(f.last('Cancel Flow Completed')).toMatchObject({ outcome: 'cancelled' })
    expect(f.last('Cancel Flow Completed')?.reasonId).toBeUndefined()
    expect(onCancel).toHaveBeenCalledWith(null)
  })

  it('holds a click on the host control once the flow was evidently on screen (the user answered in it): no bypass', async () => {
    const f = fakeHost()
    controller = createCancelFlow(f.host)
    const { button, hostCancel } = hostButton()
    button.click()
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId: 'too-expensive' })
    await (f.host.platform as FakePlatform).advance(5000)
    // The page behind the modal is inert: this click is a script's, not the user's.
    button.click()
    expect(hostCancel).not.toHaveBeenCalled()
    expect(controller.$state.get()).toMatchObject({ step: 'reasons', reasonId: 'too-expensive' })
    expect(f.names()).not.toContain('Cancel Flow Completed')
  })

  it('stops listening when disposed', () => {
    const f = fakeHost()
    createCancelFlow(f.host).dispose()
    const { button, hostCancel } = hostButton()
    button.click()
    expect(hostCancel).toHaveBeenCalledTimes(1)
  })
})

describe('an accepted offer', () => {
  function toOffer(f = fakeHost()) {
    controller = createCancelFlow(f.host)
    const btn = hostButton()
    btn.button.click()
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId: 'too-expensive' })
    controller.dispatch({ type: 'submit' })
    return { ...f, ...btn, c: controller }
  }

  it('is applied by the vendor handler, and the host cancel never happens', async () => {
    const t = toOffer()
    const onOfferAccepted = vi.fn(async () => {})
    t.host.handlers = { onOfferAccepted }
    expect(t.last('Cancel Offer Shown')).toMatchObject({ reasonId: 'too-expensive', offerId: 'discount-30', offerKind: 'discount', variant: 'offer' })
    t.c.dispatch({ type: 'accept' })
    expect(t.c.$state.get().step).toBe('applying')
    expect(onOfferAccepted).toHaveBeenCalledWith(expect.objectContaining({ id: 'discount-30', percent: 30 }), { id: 'too-expensive', label: 'It is too expensive' }, { runId: RUN_ID })
    await flush()
    expect(t.c.$state.get().step).toBe('saved')
    t.c.dispatch({ type: 'close' })
    expect(t.hostCancel).not.toHaveBeenCalled()
    expect(t.names()).toEqual(['Cancel Flow Started', 'Cancel Reason Selected', 'Cancel Offer Shown', 'Cancel Offer Accepted', 'Cancel Flow Completed'])
    expect(t.last('Cancel Flow Completed')).toMatchObject({ outcome: 'saved', applied: true, offerId: 'discount-30', offerKind: 'discount', reasonId: 'too-expensive', variant: 'offer' })
    expect(t.released).toEqual([['save-offer', 'completed']])
  })

  it("names the flow's run to the vendor's handler, so their server can report a save the page did not live to (a reload on the spinner)", async () => {
    const t = toOffer()
    const onOfferAccepted = vi.fn(() => new Promise(() => {}))
    t.host.handlers = { onOfferAccepted }
    t.c.dispatch({ type: 'accept' })
    const runId = t.last('Cancel Flow Started')!.runId
    expect(runId).toEqual(RUN_ID)
    expect(onOfferAccepted).toHaveBeenCalledWith(expect.objectContaining({ id: 'discount-30' }), { id: 'too-expensive', label: 'It is too expensive' }, { runId })
    // The page goes (a reload): nothing here says the save, the server's own event will.
    expect(t.names()).not.toContain('Cancel Flow Completed')
  })

  it('shows an error when the handler rejects or throws, and a retry can still save', async () => {
    const t = toOffer()
    let calls = 0
    t.host.handlers = {
      onOfferAccepted: () => {
        calls++
        if (calls === 1) return Promise.reject(new Error('billing down'))
        if (calls === 2) throw new Error('still down')
        return Promise.resolve()
      },
    }
    t.c.dispatch({ type: 'accept' })
    await flush()
    expect(t.c.$state.get().step).toBe('error')
    t.c.dispatch({ type: 'retry' })
    await flush()
    expect(t.c.$state.get().step).toBe('error')
    t.c.dispatch({ type: 'retry' })
    await flush()
    expect(t.c.$state.get()).toMatchObject({ step: 'saved', outcome: 'saved' })
    expect(t.errors).toEqual([expect.stringContaining('billing down'), expect.stringContaining('still down')])
    expect(t.names().filter((n) => n === 'Cancel Offer Accepted')).toHaveLength(1)
  })

  it('taken again after an error by way of Back (not Try again), is still one acceptance: the vendor hears of it once', async () => {
    const t = toOffer()
    let calls = 0
    t.host.handlers = { onOfferAccepted: async () => { if (++calls === 1) throw new Error('billing down') } }
    t.c.dispatch({ type: 'accept' })
    await flush()
    expect(t.c.$state.get().step).toBe('error')
    t.c.dispatch({ type: 'back' })
    t.c.dispatch({ type: 'accept' })
    await flush()
    expect(t.c.$state.get()).toMatchObject({ step: 'saved', outcome: 'saved' })
    expect(t.names().filter((n) => n === 'Cancel Offer Accepted')).toHaveLength(1)
  })

  it('a handler whose server answered with an error (fetch resolves on a 500) or that answers false is no save: the user sees the error', async () => {
    for (const answer of [new Response('{}', { status: 500 }), false]) {
      const t = toOffer()
      t.host.handlers = { onOfferAccepted: () => Promise.resolve(answer) }
      t.c.dispatch({ type: 'accept' })
      await flush()
      expect(t.c.$state.get().step).toBe('error')
      expect(t.names()).not.toContain('Cancel Flow Completed')
      expect(t.errors).toEqual([expect.stringContaining(answer ? 'answered 500' : 'answered false')])
      t.c.dispose()
    }
    // An ok Response is the server's yes.
    const t = toOffer()
    t.host.handlers = { onOfferAccepted: () => Promise.resolve(new Response('{}', { status: 200 })) }
    t.c.dispatch({ type: 'accept' })
    await flush()
    expect(t.last('Cancel Flow Completed')).toMatchObject({ outcome: 'saved', applied: true })
  })

  it('a handler in the vendor\'s billing iframe whose server refused the offer (a 409 Response from the iframe\'s fetch, another realm\'s object) is no save: the user sees the error', async () => {
    const t = toOffer()
    t.host.handlers = { onOfferAccepted: () => Promise.resolve(runInNewContext('({ ok: false, status: 409 })')) }
    t.c.dispatch({ type: 'accept' })
    await flush()
    expect([t.c.$state.get().step, t.names().includes('Cancel Flow Completed'), t.errors]).toEqual(['error', false, [expect.stringContaining('answered 409')]])
  })

  it('counts as saved but not applied with no handler at all: the vendor applies it from the event', async () => {
    const t = toOffer()
    t.c.dispatch({ type: 'accept' })
    await flush()
    expect(t.c.$state.get()).toMatchObject({ outcome: 'saved', pending: true })
    expect(t.last('Cancel Flow Completed')).toMatchObject({ outcome: 'saved', applied: false, offerId: 'discount-30' })
  })

  it('a handler that answers after the user closed the flow: the flow stays closed, and a save the server made is recorded under its run', async () => {
    const t = toOffer()
    let resolve!: () => void
    t.host.handlers = { onOfferAccepted: () => new Promise<void>((r) => (resolve = r)) }
    t.c.dispatch({ type: 'accept' })
    t.c.dispatch({ type: 'close' })
    resolve()
    await flush()
    expect(t.c.$state.get()).toMatchObject({ step: 'closed', outcome: 'abandoned' })
    const completions = t.events.filter(([n]) => n === 'Cancel Flow Completed').map(([, p]) => p)
    // The later outcome is the one the collector keeps: the discount is in place.
    expect(completions.map((p) => [p.outcome, p.applied])).toEqual([['abandoned', undefined], ['saved', true]])
    expect(completions[1]).toMatchObject({ runId: completions[0]!.runId, offerId: 'discount-30', reasonId: 'too-expensive' })
    expect(t.hostCancel).not.toHaveBeenCalled()
  })

  it('a late save names its own run, though the user has opened the flow again since', async () => {
    const t = toOffer()
    let resolve!: () => void
    t.host.handlers = { onOfferAccepted: () => new Promise<void>((r) => (resolve = r)) }
    t.c.dispatch({ type: 'accept' })
    t.c.dispatch({ type: 'close' })
    const first = t.last('Cancel Flow Started')!.runId
    t.button.click()
    const second = t.last('Cancel Flow Started')!.runId
    expect(second).not.toBe(first)
    resolve()
    await flush()
    expect(t.last('Cancel Flow Completed')).toMatchObject({ runId: first, outcome: 'saved', applied: true })
    // The flow on screen is the new one, untouched.
    expect(t.c.$state.get()).toMatchObject({ step: 'value', runId: second })
  })

  it('a handler that has not answered in 10 seconds: the user is told it is taking long (and may close), the offer is not asked for twice, and a late answer still saves', async () => {
    const t = toOffer()
    let resolve!: () => void
    const onOfferAccepted = vi.fn(() => new Promise<void>((r) => (resolve = r)))
    t.host.handlers = { onOfferAccepted }
    t.c.dispatch({ type: 'accept' })
    const platform = t.host.platform as FakePlatform
    await platform.advance(9_999)
    expect(t.c.$state.get()).toMatchObject({ step: 'applying' })
    expect(t.c.$state.get().slow).toBeFalsy()
    await platform.advance(1)
    expect(t.c.$state.get()).toMatchObject({ step: 'applying', slow: true })
    expect(onOfferAccepted).toHaveBeenCalledTimes(1)
    expect(t.names()).not.toContain('Cancel Flow Completed')
    resolve()
    await flush()
    expect(t.c.$state.get()).toMatchObject({ step: 'saved', outcome: 'saved' })
    expect(t.last('Cancel Flow Completed')).toMatchObject({ outcome: 'saved', applied: true })
  })

  it('tried again after a slow answer failed, the wait starts over: "taking long" only once the new try has taken 10 seconds', async () => {
    const t = toOffer()
    let reject!: (e: Error) => void
    t.host.handlers = { onOfferAccepted: () => new Promise<void>((_, r) => (reject = r)) }
    t.c.dispatch({ type: 'accept' })
    const platform = t.host.platform as FakePlatform
    await platform.advance(10_000)
    reject(new Error('timeout at the gateway'))
    await flush()
    expect(t.c.$state.get().step).toBe('error')
    t.c.dispatch({ type: 'retry' })
    expect(t.c.$state.get().step).toBe('applying')
    expect(t.c.$state.get().slow).toBeFalsy()
    await platform.advance(10_000)
    expect(t.c.$state.get()).toMatchObject({ step: 'applying', slow: true })
  })

  it('on screen in two tabs and taken in both is applied once: the vendor is not asked for a second discount', async () => {
    const a = fakeHost()
    const b = fakeHost()
    // one user's state, kept in step across their tabs
    b.host.state = a.host.state
    const inA = vi.fn(async () => {})
    const inB = vi.fn(async () => {})
    a.host.handlers = { onOfferAccepted: inA }
    b.host.handlers = { onOfferAccepted: inB }
    const tabA = createCancelFlow(a.host)
    const tabB = createCancelFlow(b.host)
    for (const c of [tabA, tabB]) {
      c.start()
      c.dispatch({ type: 'next' })
      c.dispatch({ type: 'choose', reasonId: 'too-expensive' })
      c.dispatch({ type: 'submit' })
      expect(c.$state.get()).toMatchObject({ step: 'offer', offerId: 'discount-30' })
    }
    await (a.host.platform as FakePlatform).advance(1000)
    tabA.dispatch({ type: 'accept' })
    await flush()
    // the user, in the other tab still showing the offer, takes it there too
    tabB.dispatch({ type: 'accept' })
    await flush()
    expect(inA).toHaveBeenCalledTimes(1)
    expect(inB).not.toHaveBeenCalled()
    expect(tabB.$state.get()).toMatchObject({ step: 'saved', outcome: 'saved' })
    tabA.dispose()
    tabB.dispose()
  })

  /**
   * One user's two tabs: their stored state, as the SDK keeps it, over one storage; a write in one
   * reaches the other a moment later (its storage event).
   */
  function tabsOfOneUser(a: ReturnType<typeof fakeHost>, b: ReturnType<typeof fakeHost>) {
    const shared = new Map<string, string>()
    const clock = { now: a.host.platform.now() }
    const [pa, pb] = [createFakePlatform({ shared, clock }), createFakePlatform({ shared, clock })]
    for (const [p, other] of [[pa, pb], [pb, pa]] as const) {
      const set = p.storage.set
      p.storage.set = (k, v) => (queueMicrotask(() => other.fireStorage(k)), set(k, v))
    }
    a.host.platform = pa
    b.host.platform = pb
    a.host.state = createExperienceState(pa, 'u:1')
    b.host.state = createExperienceState(pb, 'u:1')
  }
  /** The offer on screen in two tabs of one user; the first tab's vendor handler answers when told. */
  async function inTwoTabs(inB = vi.fn(async () => {}), takenInB = true) {
    const a = fakeHost()
    const b = fakeHost()
    tabsOfOneUser(a, b)
    const answerA: { ok?: () => void; refuse?: (e: Error) => void } = {}
    const inA = vi.fn(() => new Promise<void>((ok, refuse) => Object.assign(answerA, { ok, refuse })))
    a.host.handlers = { onOfferAccepted: inA }
    b.host.handlers = { onOfferAccepted: inB }
    const tabA = createCancelFlow(a.host)
    const tabB = createCancelFlow(b.host)
    onTestFinished(() => (tabA.dispose(), tabB.dispose()))
    for (const c of [tabA, tabB]) {
      c.start()
      c.dispatch({ type: 'next' })
      c.dispatch({ type: 'choose', reasonId: 'too-expensive' })
      c.dispatch({ type: 'submit' })
    }
    await (a.host.platform as FakePlatform).advance(1000)
    tabA.dispatch({ type: 'accept' })
    await flush()
    // the user, in the other tab still showing the offer, takes it there too
    if (takenInB) tabB.dispatch({ type: 'accept' })
    await flush()
    return { a, b, tabA, tabB, inA, inB, answerA }
  }

  it('taken in a second tab while the first is still applying it: the second tab waits for that answer and says the vendor refused it, never "saved"', async () => {
    const t = await inTwoTabs()
    expect(t.tabB.$state.get().step).toBe('applying')
    t.answerA.refuse!(new Error('card declined'))
    await flush()
    expect(t.tabA.$state.get().step).toBe('error')
    expect(t.tabB.$state.get().step).toBe('error')
    expect(t.b.names()).not.toContain('Cancel Flow Completed')
    // Try again in the second tab: nothing is being applied anywhere now, so its own handler applies it
    t.tabB.dispatch({ type: 'retry' })
    await flush()
    expect(t.inB).toHaveBeenCalledTimes(1)
    expect(t.tabB.$state.get()).toMatchObject({ step: 'saved', outcome: 'saved' })
    expect(t.inA).toHaveBeenCalledTimes(1)
  })

  it("refused by the vendor's server while another tab of the user's is open, it is offered again, in either tab: that tab's copy of the take does not bring it back", async () => {
    const t = await inTwoTabs(undefined, false)
    t.answerA.refuse!(new Error('card declined'))
    await flush()
    for (const c of [t.tabA, t.tabB]) c.dispatch({ type: 'close' })
    await flush()
    for (const c of [t.tabA, t.tabB]) {
      c.start()
      c.dispatch({ type: 'next' })
      c.dispatch({ type: 'choose', reasonId: 'too-expensive' })
      c.dispatch({ type: 'submit' })
      expect(c.$state.get()).toMatchObject({ step: 'offer', offerId: 'discount-30' })
    }
  })

  it('taken in a second tab while the first is still applying it: the second tab says saved once the first one\'s vendor applied it, asking nothing itself', async () => {
    const t = await inTwoTabs()
    expect(t.tabB.$state.get().step).toBe('applying')
    t.answerA.ok!()
    await flush()
    expect(t.tabB.$state.get()).toMatchObject({ step: 'saved', outcome: 'saved' })
    expect(t.b.last('Cancel Flow Completed')).toMatchObject({ outcome: 'saved', applied: true })
    expect(t.inB).not.toHaveBeenCalled()
  })

  it('taken in a second tab while the first is still applying it, and that answer long in coming: the second tab says it is taking long (the user may close), and closed, hears no more', async () => {
    const t = await inTwoTabs()
    await (t.b.host.platform as FakePlatform).advance(10_000)
    expect(t.tabB.$state.get()).toMatchObject({ step: 'applying', slow: true })
    t.tabB.dispatch({ type: 'close' })
    t.answerA.refuse!(new Error('card declined'))
    await flush()
    expect(t.tabB.$state.get()).toMatchObject({ step: 'closed', outcome: 'abandoned' })
    expect(t.b.events.filter(([n]) => n === 'Cancel Flow Completed').map(([, p]) => p.outcome)).toEqual(['abandoned'])
  })

  /**
   * One user's billing tabs as Chromium keeps them: each reads its own copy of storage, which
   * another tab's write reaches only once `deliver()` runs, and Web Locks granted (each in a task
   * of its own) whatever that copy holds yet, the two reaching a tab by separate ways. `tick()`:
   * a moment passes on the one clock. `close(i)`: that tab is gone, its locks with it.
   */
  function billingTabs(flow?: CancelFlowConfig) {
    const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
    const lag = laggingStorage(clock.now)
    type Ask = { tab: object; run: () => unknown; granted?: boolean }
    const lines = new Map<string, Ask[]>()
    const grant = (name: string) => {
      const head = lines.get(name)?.[0]
      if (!head || head.granted) return
      head.granted = true
      setTimeout(() => void Promise.resolve().then(head.run).then(() => leave(name, head), () => leave(name, head)), 0)
    }
    const leave = (name: string, ask: Ask) => {
      const line = lines.get(name) ?? []
      const i = line.indexOf(ask)
      if (i >= 0) line.splice(i, 1)
      if (i == 0) grant(name)
    }
    const ask = (name: string, a: Ask) => (lines.set(name, [...(lines.get(name) ?? []), a]), grant(name), a)
    const tabs: Array<ReturnType<typeof fakeHost> & { c: CancelController; tab: object }> = []
    return {
      deliver: () => lag.deliver(),
      tick: (ms = 1000) => void (clock.now += ms),
      /**
       * A tab with the flow open at the reason (`reasonId`'s offer on screen), its vendor handler
       * `onOfferAccepted`; with `alone`, that pause offered on its own instead (`show(<id>)`).
       */
      async open(onOfferAccepted: (...args: any[]) => unknown, reasonId = 'too-expensive', alone?: string) {
        const f = fakeHost({ flow })
        const tab = {}
        const platform = Object.assign(lag.tab(), {
          now: () => clock.now,
          holdLock: (name: string) => ((a) => () => leave(name, a))(ask(name, { tab, run: () => new Promise(() => {}) })),
          withLock: async (name: string, fn: () => Promise<void>) => {
            if (lines.get(name)?.length) return false
            const a = ask(name, { tab, run: () => {}, granted: true })
            await fn().finally(() => leave(name, a))
            return true
          },
        })
        f.host.platform = platform
        f.host.exclusive = (name, fn) => void ask(name, { tab, run: fn })
        f.host.state = createExperienceState(platform, 'u:1')
        f.host.handlers = { onOfferAccepted }
        const c = createCancelFlow(f.host)
        onTestFinished(() => c.dispose())
        if (alone) c.show!(alone)
        else {
          c.start()
          await flush()
          c.dispatch({ type: 'next' })
          c.dispatch({ type: 'choose', reasonId })
          c.dispatch({ type: 'submit' })
        }
        tabs.push({ ...f, c, tab })
        return tabs.at(-1)!
      },
      close(i: number) {
        const { c, tab } = tabs[i]!
        c.dispose()
        for (const [name, line] of lines) for (const a of line.filter((a) => a.tab === tab)) leave(name, a)
      },
    }
  }
  /** A vendor handler that answers when the test says so; `runs`: the run ids it was asked under. */
  const heldVendor = () => {
    const answers: Array<{ ok: () => void; refuse: (e: Error) => void }> = []
    const runs: string[] = []
    const fn = vi.fn((_offer: unknown, _reason: unknown, run: { runId: string }) => new Promise<void>((ok, refuse) => (runs.push(run.runId), answers.push({ ok, refuse }))))
    return Object.assign(fn, { answers, runs })
  }
  /** Two of the user's tabs on the offer (`alone`: that pause on its own); the first takes it, and its write reaches the second. */
  async function takenInTheFirstOfTwo(tabs: ReturnType<typeof billingTabs>, alone?: string) {
    const [inA, inB] = [heldVendor(), heldVendor()]
    const a = await tabs.open(inA, undefined, alone)
    const b = await tabs.open(inB, undefined, alone)
    tabs.tick()
    a.c.dispatch({ type: 'accept' })
    tabs.deliver()
    await flush()
    return { a, b, inA, inB }
  }
  /** Pauses are chosen by the reason "not using it enough". */
  const pauseFlow: CancelFlowConfig = { ...cancelFlow, valueReminder: undefined, reasons: [{ id: 'not-using', label: 'Not using it enough', offer: 'pause-3' }], offers: [{ id: 'pause-3', kind: 'pause', title: 'Pause for up to 3 months', months: 3 }] }
  /** A pause taken on its own under the release before (its terms with no word of its kind), that tab gone with no answer. */
  async function pauseOfTheReleaseBefore(tabs: ReturnType<typeof billingTabs>) {
    const neverAnswers = heldVendor()
    const first = await tabs.open(neverAnswers, 'not-using', 'pause-3')
    first.c.dispatch({ type: 'months', months: 1 })
    tabs.tick()
    first.c.dispatch({ type: 'accept' })
    // The release before kept the pause's terms as { months, resumesAt }.
    const stored = first.host.state.get<{ terms: Record<string, unknown> }>('cancel')!
    first.host.state.set('cancel', { ...stored, terms: { 'pause-3': { months: 1, resumesAt: '2026-04-02' } } })
    tabs.deliver()
    await flush()
    tabs.close(0)
    tabs.tick(60_000)
    return neverAnswers
  }
  /** A new tab takes the pause in the flow; the vendor, asked under the run that took it first, applies it. The runs said saved, and the new tab's. */
  async function appliedInANewTab(tabs: ReturnType<typeof billingTabs>, neverAnswers: ReturnType<typeof heldVendor>) {
    const applies = heldVendor()
    const tab = await tabs.open(applies, 'not-using')
    tab.c.dispatch({ type: 'accept' })
    await flush()
    await flush()
    expect(applies.runs).toEqual(neverAnswers.runs)
    applies.answers[0]!.ok()
    await flush()
    return { saved: tab.events.filter(([n, p]) => n === 'Cancel Flow Completed' && p.outcome === 'saved').map(([, p]) => p.runId), run: tab.c.$state.get().runId }
  }

  it('taken in a second tab while the first applies it, then refused there, the refusal slow to reach the second tab: that tab never asks its vendor for the refused offer, and says refused once it hears', async () => {
    const tabs = billingTabs()
    const { a, b, inA, inB } = await takenInTheFirstOfTwo(tabs)
    b.c.dispatch({ type: 'accept' })
    await flush()
    expect(b.c.$state.get().step).toBe('applying')
    inA.answers[0]!.refuse(new Error('card declined'))
    await flush()
    expect(a.c.$state.get().step).toBe('error')
    // the refusal has not reached the second tab's copy of storage yet
    await flush()
    await flush()
    expect(inB).not.toHaveBeenCalled()
    tabs.deliver()
    await flush()
    expect(b.c.$state.get().step).toBe('error')
    expect(inB).not.toHaveBeenCalled()
    expect(b.names()).not.toContain('Cancel Flow Completed')
  })

  it('a pause offered on its own ("Pause subscription"), taken in a tab closed before its answer and applied by another tab under that run: no cancellation flow is said saved, for none ran', async () => {
    const tabs = billingTabs({ ...cancelFlow, offers: [...cancelFlow.offers, { id: 'pause-3', kind: 'pause', title: 'Pause for up to 3 months', months: 3 }] })
    const { b, inA, inB } = await takenInTheFirstOfTwo(tabs, 'pause-3')
    tabs.close(0)
    b.c.dispatch({ type: 'accept' })
    await flush()
    await flush()
    expect(inB.runs).toEqual(inA.runs)
    inB.answers[0]!.ok()
    await flush()
    expect(b.last('Pause Offer Accepted')).toMatchObject({ source: 'standalone', applied: true })
    expect(b.names()).not.toContain('Cancel Flow Completed')
  })

  it('taken in three tabs, the first refused and still open, the second applying it then gone: the third, waiting on the second, applies it at once under the second tab\'s run', async () => {
    const tabs = billingTabs()
    const [inA, inB, inC] = [heldVendor(), heldVendor(), heldVendor()]
    const a = await tabs.open(inA)
    const b = await tabs.open(inB)
    const c = await tabs.open(inC)
    tabs.tick()
    a.c.dispatch({ type: 'accept' })
    tabs.deliver()
    await flush()
    inA.answers[0]!.refuse(new Error('card declined'))
    await flush()
    tabs.deliver()
    await flush()
    // refused, so the second tab applies it itself
    tabs.tick()
    b.c.dispatch({ type: 'accept' })
    tabs.deliver()
    await flush()
    expect(inB.runs).toEqual([b.c.$state.get().runId])
    // the third waits for the second tab's answer
    c.c.dispatch({ type: 'accept' })
    await flush()
    expect(c.c.$state.get().step).toBe('applying')
    expect(inC).not.toHaveBeenCalled()
    tabs.close(1)
    await flush()
    await flush()
    expect(inC.runs).toEqual(inB.runs)
    inC.answers[0]!.ok()
    await flush()
    expect(c.c.$state.get()).toMatchObject({ step: 'saved', outcome: 'saved' })
    expect(c.last('Cancel Flow Completed')).toMatchObject({ outcome: 'saved', applied: true })
    expect(a.c.$state.get().step).toBe('error')
  })

  it("applied in the first tab, which closed before its answer reached the second tab waiting on it: the second tab asks the vendor again under the first tab's run (answered ok), and the collector still gets one save for that run, not two", async () => {
    const tabs = billingTabs()
    const { a, b, inA, inB } = await takenInTheFirstOfTwo(tabs)
    b.c.dispatch({ type: 'accept' })
    await flush()
    inA.answers[0]!.ok()
    await flush()
    // gone the moment it heard, its write not yet in the second tab's copy of storage
    tabs.close(0)
    await flush()
    await flush()
    expect(inB.runs).toEqual(inA.runs)
    inB.answers[0]!.ok()
    await flush()
    tabs.deliver()
    expect(b.c.$state.get()).toMatchObject({ step: 'saved', outcome: 'saved' })
    // every save said of the first tab's run, by either tab, is one event to a collector that keeps one per messageId
    const savesOfA = [a, b].flatMap((t) => t.events.flatMap(([n, p], i) => (n === 'Cancel Flow Completed' && p.outcome === 'saved' && p.runId === inA.runs[0] ? [t.messageIds[i] ?? `random-${t === a ? 'a' : 'b'}-${i}`] : [])))
    expect(savesOfA.length).toBeGreaterThan(0)
    expect(new Set(savesOfA).size).toBe(1)
  })

  it('closed while it waited for another tab to apply the offer, that tab then gone with no answer: the offer still goes through, as the wait promised, and the save is recorded', async () => {
    const tabs = billingTabs()
    const { b, inA, inB } = await takenInTheFirstOfTwo(tabs)
    b.c.dispatch({ type: 'accept' })
    await flush()
    b.c.dispatch({ type: 'close' })
    tabs.close(0)
    await flush()
    await flush()
    expect(inB.runs).toEqual(inA.runs)
    inB.answers[0]!.ok()
    await flush()
    // this tab's run, and the first tab's, whose take it applied, both end saved
    const [mine, theirs] = [b.c.$state.get().runId, inA.runs[0]]
    expect(b.events.filter(([n]) => n === 'Cancel Flow Completed').map(([, p]) => [p.outcome, p.applied, p.runId])).toEqual([['abandoned', undefined, mine], ['saved', true, theirs], ['saved', true, mine]])
    expect(b.c.$state.get().step).toBe('closed')
  })

  it('a pause taken in two tabs at two lengths: the second tab says the pause the vendor applied, the first tab\'s, on screen and in its events', async () => {
    const flow = pauseFlow
    const a = fakeHost({ flow })
    const b = fakeHost({ flow })
    tabsOfOneUser(a, b)
    let answerA!: () => void
    const inA = vi.fn(() => new Promise<void>((ok) => (answerA = ok)))
    const inB = vi.fn(async () => {})
    a.host.handlers = { onPause: inA }
    b.host.handlers = { onPause: inB }
    const tabA = createCancelFlow(a.host)
    const tabB = createCancelFlow(b.host)
    onTestFinished(() => (tabA.dispose(), tabB.dispose()))
    for (const c of [tabA, tabB]) {
      c.start()
      c.dispatch({ type: 'choose', reasonId: 'not-using' })
      c.dispatch({ type: 'submit' })
    }
    // three months in the first tab (the fake clock reads 2 March 2026), then one in the second
    tabA.dispatch({ type: 'accept' })
    await flush()
    tabB.dispatch({ type: 'months', months: 1 })
    tabB.dispatch({ type: 'accept' })
    await flush()
    answerA()
    await flush()
    expect(inA).toHaveBeenCalledWith(expect.objectContaining({ months: 3, resumesAt: '2026-06-02' }))
    expect(inB).not.toHaveBeenCalled()
    expect(tabB.$state.get()).toMatchObject({ step: 'saved', months: 3, resumesAt: '2026-06-02' })
    expect(b.last('Pause Offer Accepted')).toMatchObject({ months: 3, resumesAt: '2026-06-02', applied: true })
  })

  describe('and the user back to cancel again', () => {
    const again = (t: ReturnType<typeof toOffer>) => {
      t.button.click()
      t.c.dispatch({ type: 'next' })
      t.c.dispatch({ type: 'choose', reasonId: 'too-expensive' })
      t.c.dispatch({ type: 'submit' })
      return t.c.$state.get()
    }

    it('who took the discount is not offered a second one: the reason goes on to confirming, and the vendor is asked once', async () => {
      const t = toOffer()
      const onOfferAccepted = vi.fn(async () => {})
      t.host.handlers = { onOfferAccepted }
      t.c.dispatch({ type: 'accept' })
      await flush()
      t.c.dispatch({ type: 'close' })
      expect(again(t)).toMatchObject({ step: 'confirm', offerId: undefined })
      expect(t.names().filter((n) => n === 'Cancel Offer Shown')).toHaveLength(1)
      expect(onOfferAccepted).toHaveBeenCalledTimes(1)
    })

    it('who closed the flow while the vendor was still applying the discount is not offered it again meanwhile', () => {
      const t = toOffer()
      t.host.handlers = { onOfferAccepted: () => new Promise(() => {}) }
      t.c.dispatch({ type: 'accept' })
      t.c.dispatch({ type: 'close' })
      expect(again(t)).toMatchObject({ step: 'confirm', offerId: undefined })
    })

    it('in another tab, or after a reload, is not offered it again either (the user\'s stored state says so)', async () => {
      const t = toOffer()
      t.c.dispatch({ type: 'accept' })
      await flush()
      t.c.dispatch({ type: 'close' })
      t.c.dispose()
      const next = (controller = createCancelFlow(t.host))
      t.button.click()
      next.dispatch({ type: 'next' })
      next.dispatch({ type: 'choose', reasonId: 'too-expensive' })
      next.dispatch({ type: 'submit' })
      expect(next.$state.get()).toMatchObject({ step: 'confirm', offerId: undefined })
    })

    it('who took the discount in a tab closed on the spinner (no answer ever came) is offered it again once that tab is gone, and taking it asks the vendor under that tab\'s run', async () => {
      const tabs = billingTabs()
      const neverAnswers = heldVendor()
      const first = await tabs.open(neverAnswers)
      tabs.tick()
      first.c.dispatch({ type: 'accept' })
      tabs.deliver()
      await flush()
      // still applying it there: not offered a second time meanwhile
      const meanwhile = await tabs.open(vi.fn())
      expect(meanwhile.c.$state.get()).toMatchObject({ step: 'confirm', offerId: undefined })
      // that tab closed (or reloaded) before the vendor answered
      tabs.close(0)
      tabs.tick(60_000)
      const applies = heldVendor()
      const back = await tabs.open(applies)
      expect(back.c.$state.get()).toMatchObject({ step: 'offer', offerId: 'discount-30' })
      back.c.dispatch({ type: 'accept' })
      await flush()
      await flush()
      expect(applies).toHaveBeenCalledTimes(1)
      expect(applies).toHaveBeenCalledWith(expect.objectContaining({ id: 'discount-30' }), expect.objectContaining({ id: 'too-expensive' }), { runId: neverAnswers.runs[0] })
      applies.answers[0]!.ok()
      await flush()
      expect(back.c.$state.get()).toMatchObject({ step: 'saved', outcome: 'saved' })
    })

    it('who took the discount in a tab closed on the spinner and takes it again: the save is that tab\'s run\'s (the one the vendor applied), said as that tab would have, so the collector counts the two visits as one flow saved by one offer, not two saves', async () => {
      const tabs = billingTabs()
      const neverAnswers = heldVendor()
      const first = await tabs.open(neverAnswers)
      tabs.tick()
      first.c.dispatch({ type: 'accept' })
      tabs.deliver()
      await flush()
      // the user gives up waiting: that run ends abandoned, then its tab closes before any answer
      first.c.dispatch({ type: 'close' })
      tabs.close(0)
      tabs.tick(3_600_000)
      const applies = heldVendor()
      const back = await tabs.open(applies)
      back.c.dispatch({ type: 'accept' })
      await flush()
      await flush()
      applies.answers[0]!.ok()
      await flush()
      const [earlier, now] = [neverAnswers.runs[0], back.c.$state.get().runId]
      const saves = back.events.filter(([n, p]) => n === 'Cancel Flow Completed' && p.outcome === 'saved').map(([, p]) => p)
      // the earlier run's later outcome is the save the vendor made under it; this run saved by the same offer after it
      expect(saves).toEqual([
        expect.objectContaining({ runId: earlier, offerId: 'discount-30', applied: true }),
        expect.objectContaining({ runId: now, offerId: 'discount-30', applied: true }),
      ])
    })

    it('who took a one-month pause in a tab closed on the spinner is offered it again at that length, which they cannot change there, and taking it asks the vendor for that pause under that tab\'s run', async () => {
      const tabs = billingTabs(pauseFlow)
      const neverAnswers = heldVendor()
      const first = await tabs.open(neverAnswers, 'not-using')
      // one month, from 2 March 2026 (the fake clock)
      first.c.dispatch({ type: 'months', months: 1 })
      tabs.tick()
      first.c.dispatch({ type: 'accept' })
      tabs.deliver()
      await flush()
      tabs.close(0)
      tabs.tick(60_000)
      const applies = heldVendor()
      const back = await tabs.open(applies, 'not-using')
      expect(back.c.$state.get()).toMatchObject({ step: 'offer', offerId: 'pause-3', months: 1, resumesAt: '2026-04-02' })
      back.c.dispatch({ type: 'months', months: 3 })
      expect(back.c.$state.get()).toMatchObject({ months: 1, resumesAt: '2026-04-02' })
      back.c.dispatch({ type: 'accept' })
      await flush()
      await flush()
      expect(applies).toHaveBeenCalledWith(expect.objectContaining({ id: 'pause-3', months: 1, resumesAt: '2026-04-02' }), expect.objectContaining({ id: 'not-using' }), { runId: neverAnswers.runs[0] })
      applies.answers[0]!.ok()
      await flush()
      expect(back.c.$state.get()).toMatchObject({ step: 'saved', months: 1, resumesAt: '2026-04-02' })
      expect(back.last('Pause Offer Accepted')).toMatchObject({ months: 1, resumesAt: '2026-04-02', applied: true })
    })

    it('who took a pause on its own under the release before (its record does not say so), that tab gone with no answer, then takes it in the flow: that run, no cancellation, is not counted saved', async () => {
      const tabs = billingTabs(pauseFlow)
      const neverAnswers = await pauseOfTheReleaseBefore(tabs)
      const back = await appliedInANewTab(tabs, neverAnswers)
      // this flow's save is said; the run of the pause on its own ran no flow to save
      expect(back.saved).toEqual([back.run])
    })

    it('who took a pause on its own under the release before, then in the flow in a second tab, both tabs gone with no answer: a third tab that applies it does not count the pause on its own as a saved cancellation either', async () => {
      const tabs = billingTabs(pauseFlow)
      const neverAnswers = await pauseOfTheReleaseBefore(tabs)
      const second = await tabs.open(heldVendor(), 'not-using')
      second.c.dispatch({ type: 'accept' })
      await flush()
      await flush()
      tabs.deliver()
      tabs.close(1)
      tabs.tick(60_000)
      const third = await appliedInANewTab(tabs, neverAnswers)
      expect(third.saved).toEqual([third.run])
    })

    it('who took a pause in two tabs at the same moment, at two lengths, both tabs gone with no answer: is offered one of those two pauses again, its length and its resume date together, under the run that asked for it', async () => {
      const tabs = billingTabs(pauseFlow)
      const [inA, inB] = [heldVendor(), heldVendor()]
      const a = await tabs.open(inA, 'not-using')
      const b = await tabs.open(inB, 'not-using')
      // three months in the first tab, one in the second (from 2 March 2026), neither write yet in the other tab
      tabs.tick()
      a.c.dispatch({ type: 'accept' })
      tabs.tick(1)
      b.c.dispatch({ type: 'months', months: 1 })
      b.c.dispatch({ type: 'accept' })
      await flush()
      tabs.deliver()
      await flush()
      tabs.close(0)
      tabs.close(1)
      tabs.tick(60_000)
      const applies = heldVendor()
      const back = await tabs.open(applies, 'not-using')
      await flush()
      const asked = [
        { months: 3, resumesAt: '2026-06-02', runId: inA.runs[0] },
        { months: 1, resumesAt: '2026-04-02', runId: inB.runs[0] },
      ]
      const { months, resumesAt } = back.c.$state.get()
      expect(asked.map(({ months, resumesAt }) => ({ months, resumesAt }))).toContainEqual({ months, resumesAt })
      back.c.dispatch({ type: 'accept' })
      await flush()
      await flush()
      const [pause, , run] = applies.mock.calls[0] as unknown as [{ months: number; resumesAt: string }, unknown, { runId: string }]
      expect(asked).toContainEqual({ months: pause.months, resumesAt: pause.resumesAt, runId: run.runId })
    })

    it('whose discount the vendor\'s server refused is offered it again', async () => {
      const t = toOffer()
      t.host.handlers = { onOfferAccepted: async () => false }
      t.c.dispatch({ type: 'accept' })
      await flush()
      expect(t.c.$state.get().step).toBe('error')
      t.c.dispatch({ type: 'close' })
      expect(again(t)).toMatchObject({ step: 'offer', offerId: 'discount-30' })
    })

    const DAY = 86_400_000
    const tookItThenCameBack = async (offerAgainAfterDays: number | undefined, daysLater: number) => {
      const offer = { ...cancelFlow.offers[0]!, ...(offerAgainAfterDays && { offerAgainAfterDays }) } as CancelFlowConfig['offers'][number]
      const t = toOffer(fakeHost({ flow: { ...cancelFlow, offers: [offer] } }))
      const onOfferAccepted = vi.fn(async () => {})
      t.host.handlers = { onOfferAccepted }
      t.c.dispatch({ type: 'accept' })
      await flush()
      t.c.dispatch({ type: 'close' })
      await (t.host.platform as FakePlatform).advance(daysLater * DAY)
      return { state: again(t), onOfferAccepted, t }
    }

    it('who took the discount a year ago is offered it again when the offer allows it after that many days (offerAgainAfterDays)', async () => {
      const { state, onOfferAccepted, t } = await tookItThenCameBack(365, 366)
      expect(state).toMatchObject({ step: 'offer', offerId: 'discount-30' })
      t.c.dispatch({ type: 'accept' })
      await flush()
      expect(t.c.$state.get().step).toBe('saved')
      expect(onOfferAccepted).toHaveBeenCalledTimes(2)
    })

    it('who took it fewer days ago than offerAgainAfterDays is not offered it yet', async () => {
      expect((await tookItThenCameBack(365, 364)).state).toMatchObject({ step: 'confirm', offerId: undefined })
    })

    it('without offerAgainAfterDays, is never offered it again, even ten years on', async () => {
      expect((await tookItThenCameBack(undefined, 3650)).state).toMatchObject({ step: 'confirm', offerId: undefined })
    })
  })

  it('a handler that fails after the user closed the flow changes nothing: abandoned, no error on screen', async () => {
    const t = toOffer()
    let reject!: (e: Error) => void
    t.host.handlers = { onOfferAccepted: () => new Promise<void>((_, r) => (reject = r)) }
    t.c.dispatch({ type: 'accept' })
    t.c.dispatch({ type: 'close' })
    reject(new Error('card declined'))
    await flush()
    expect(t.c.$state.get()).toMatchObject({ step: 'closed', outcome: 'abandoned' })
    expect(t.events.filter(([n]) => n === 'Cancel Flow Completed').map(([, p]) => p.outcome)).toEqual(['abandoned'])
  })
})

describe('confirming the cancellation', () => {
  it('runs onCancel, then the host cancel click proceeds exactly once', () => {
    const f = fakeHost()
    const order: string[] = []
    f.host.handlers = { onCancel: (r: unknown) => order.push(`onCancel:${JSON.stringify(r)}`) }
    controller = createCancelFlow(f.host)
    const { button } = hostButton()
    button.addEventListener('click', () => order.push('host'))
    button.click()
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId: 'other' })
    controller.dispatch({ type: 'comment', text: 'We are closing the team' })
    controller.dispatch({ type: 'submit' })
    expect(controller.$state.get().step).toBe('confirm')
    controller.dispatch({ type: 'confirm' })
    expect(order).toEqual(['onCancel:{"id":"other","label":"Something else","comment":"We are closing the team"}', 'host'])
    expect(f.last('Cancel Flow Completed')).toEqual({ flowId: 'save-offer', runId: RUN_ID, variant: 'offer', reasonId: 'other', comment: 'We are closing the team', outcome: 'cancelled' })
    // The pass-through was one-shot: the next click opens the flow again.
    button.click()
    expect(order).toHaveLength(2)
    expect(controller.$state.get().step).toBe('value')
  })

  /** Through the flow with one reason, to its end: `confirm` cancels, `accept` takes the offer. */
  function cancelWith(f: ReturnType<typeof fakeHost>, reasonId: string, end: 'confirm' | 'accept') {
    controller = createCancelFlow(f.host)
    hostButton().button.click()
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId })
    controller.dispatch({ type: 'submit' })
    controller.dispatch({ type: end })
  }

  /** Through a flow opened from the API (no host click) to the given reason's confirmation. */
  const toConfirm = (c: CancelController, reasonId = 'too-expensive') => {
    c.start()
    c.dispatch({ type: 'next' })
    c.dispatch({ type: 'choose', reasonId })
    c.dispatch({ type: 'submit' })
    c.dispatch({ type: 'decline' })
  }

  it('confirmed in two tabs open at once is one cancellation: the vendor hears of it once', () => {
    const a = flowWithOnCancel()
    const b = fakeHost()
    // one user's state, kept in step across their tabs
    b.host.state = a.f.host.state
    const onCancelB = vi.fn()
    b.host.handlers = { onCancel: onCancelB }
    const tabB = createCancelFlow(b.host)
    toConfirm(a.controller)
    toConfirm(tabB)
    a.controller.dispatch({ type: 'confirm' })
    expect(a.onCancel).toHaveBeenCalledTimes(1)
    // the user goes to the other tab, still on its confirmation, and confirms there too
    tabB.dispatch({ type: 'confirm' })
    expect(onCancelB).not.toHaveBeenCalled()
    expect(tabB.$state.get()).toMatchObject({ step: 'closed', outcome: 'cancelled' })
    tabB.dispose()
  })

  it('confirmed again in a flow opened after the last cancellation (the user came back, then left again) is a new one', async () => {
    const { f, onCancel, controller } = flowWithOnCancel()
    toConfirm(controller)
    controller.dispatch({ type: 'confirm' })
    await (f.host.platform as FakePlatform).advance(60_000)
    toConfirm(controller, 'other')
    controller.dispatch({ type: 'confirm' })
    expect(onCancel).toHaveBeenCalledTimes(2)
    expect(onCancel).toHaveBeenLastCalledWith({ id: 'other', label: 'Something else' })
  })

  it('records the plan the user cancelled from, which the vendor downgrades right after', () => {
    // Churn by plan must count this user under 'pro', not under what billing makes them next.
    const f = fakeHost({
      traits: { plan: 'pro', email: 'ada@example.com', emailAddress: 'ada@example.com', firstName: 'Ada', surname: 'L', phoneNumber: '+33', zipCode: '75001', trial: false, address: { city: 'Paris' }, planName: 'Pro' },
      groupTraits: { plan: 'team', seats: 5, name: 'Acme' },
    })
    cancelWith(f, 'other', 'confirm')
    // What segments them, not who they are: no email, name or address.
    expect(f.last('Cancel Flow Completed')).toMatchObject({ outcome: 'cancelled' })
    expect(f.last('Cancel Flow Completed')!.traits).toEqual({ plan: 'pro', seats: 5, trial: false, planName: 'Pro' })
  })

  it('sends no one\'s name or number with a cancellation, whatever the trait is called (an account owner, a contact, a mobile)', () => {
    const f = fakeHost({
      traits: { plan: 'pro', contactName: 'Ada Lovelace', billingName: 'Ada Lovelace', mobile: '+33 6 12 34 56 78', tel: '+33 1 23 45 67 89', tierName: 'Gold' },
      groupTraits: { ownerName: 'Charles Babbage', customer_name: 'Charles Babbage', seats: 5, planName: 'Team' },
    })
    cancelWith(f, 'other', 'confirm')
    expect(f.last('Cancel Flow Completed')!.traits).toEqual({ plan: 'pro', tierName: 'Gold', seats: 5, planName: 'Team' })
  })

  it('sends no traits with a save, nor for a user the page never described', async () => {
    const saved = fakeHost({ traits: { plan: 'pro' } })
    cancelWith(saved, 'too-expensive', 'accept')
    await flush()
    expect(saved.last('Cancel Flow Completed')).toMatchObject({ outcome: 'saved' })
    expect(saved.last('Cancel Flow Completed')).not.toHaveProperty('traits')
    controller?.dispose()
    const f = fakeHost()
    cancelWith(f, 'other', 'confirm')
    expect(f.last('Cancel Flow Completed')).not.toHaveProperty('traits')
  })

  it('clicks the host control again even if the host re-rendered it meanwhile', () => {
    const f = fakeHost()
    controller = createCancelFlow(f.host)
    hostButton().button.click()
    const { hostCancel } = hostButton()
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId: 'other' })
    controller.dispatch({ type: 'submit' })
    controller.dispatch({ type: 'confirm' })
    expect(hostCancel).toHaveBeenCalledTimes(1)
  })

  it('cancels when the cancel item sat in a menu the host closed (and took out of the page) while the flow was open', () => {
    const f = fakeHost()
    controller = createCancelFlow(f.host)
    // An account menu whose items are gone once it closes, as it does when focus leaves it for the dialog.
    document.body.innerHTML = '<div role="menu"><a id="cancel-subscription" role="menuitem" href="#cancel"><span>Cancel subscription</span></a></div>'
    const item = document.getElementById('cancel-subscription') as HTMLAnchorElement
    const hostCancel = vi.fn((e: Event) => e.preventDefault()) // jsdom cannot navigate
    item.addEventListener('click', hostCancel)
    item.querySelector('span')!.click()
    expect(hostCancel).not.toHaveBeenCalled()
    document.body.innerHTML = ''
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId: 'other' })
    controller.dispatch({ type: 'submit' })
    controller.dispatch({ type: 'confirm' })
    // The user confirmed: their click goes on to the host's cancel, not nowhere.
    expect(hostCancel).toHaveBeenCalledTimes(1)
    expect(hostCancel.mock.calls[0][0].target).toBe(item.querySelector('span'))
  })

  it('replays the click on what the user clicked, not on the wrapper the selector matched', () => {
    const f = fakeHost()
    controller = createCancelFlow(f.host)
    document.body.innerHTML = '<div id="cancel-subscription" class="card"><a id="cancel-link" href="#cancelled">Cancel subscription</a></div>'
    const link = document.getElementById('cancel-link') as HTMLAnchorElement
    const linkClicks = vi.fn()
    link.addEventListener('click', linkClicks)
    link.click()
    expect(linkClicks).not.toHaveBeenCalled()
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId: 'too-expensive' })
    controller.dispatch({ type: 'submit' })
    controller.dispatch({ type: 'decline' })
    controller.dispatch({ type: 'confirm' })
    expect(linkClicks).toHaveBeenCalledTimes(1)
    expect(linkClicks.mock.calls[0][0].target).toBe(link)
  })

  it('cancels when the user clicked the icon in the host button (an SVG, which has no click() of its own)', () => {
    const f = fakeHost()
    controller = createCancelFlow(f.host)
    document.body.innerHTML =
      '<button id="cancel-subscription" type="button"><svg viewBox="0 0 16 16" aria-hidden="true"><path d="M2 2l12 12M14 2L2 14"/></svg> Cancel subscription</button>'
    const button = document.getElementById('cancel-subscription') as HTMLButtonElement
    const hostCancel = vi.fn()
    button.addEventListener('click', hostCancel)
    document.querySelector('path')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
    expect(hostCancel).not.toHaveBeenCalled()
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId: 'other' })
    controller.dispatch({ type: 'submit' })
    // The user confirmed: their cancellation must go through, whatever part of the button they hit.
    expect(() => controller!.dispatch({ type: 'confirm' })).not.toThrow()
    expect(hostCancel).toHaveBeenCalledTimes(1)
    expect(f.last('Cancel Flow Completed')).toMatchObject({ outcome: 'cancelled', reasonId: 'other' })
  })

  it('still proceeds when onCancel throws, and reports it', async () => {
    const f = fakeHost()
    f.host.handlers = {
      onCancel: () => {
        throw new Error('oops')
      },
    }
    controller = createCancelFlow(f.host)
    const { button, hostCancel } = hostButton()
    button.click()
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId: 'other' })
    controller.dispatch({ type: 'submit' })
    controller.dispatch({ type: 'confirm' })
    expect(hostCancel).toHaveBeenCalledTimes(1)
    await flush()
    expect(f.errors).toEqual([expect.stringContaining('oops')])
  })

  it('does not click anything when started from the API', () => {
    const { f, onCancel, controller } = flowWithOnCancel()
    const { hostCancel } = hostButton()
    controller.show?.('save-offer')
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId: 'too-expensive' })
    controller.dispatch({ type: 'submit' })
    controller.dispatch({ type: 'decline' })
    controller.dispatch({ type: 'confirm' })
    expect(onCancel).toHaveBeenCalledWith({ id: 'too-expensive', label: 'It is too expensive' })
    expect(hostCancel).not.toHaveBeenCalled()
    expect(f.last('Cancel Flow Completed')).toMatchObject({ outcome: 'cancelled', offerId: 'discount-30' })
  })
})

describe('ending the flow without cancelling', () => {
  // Closing it is no answer; "Keep my subscription" is one, and frees the slot as completed.
  for (const [action, outcome, released] of [['close', 'abandoned', 'abandoned'], ['keep', 'kept', 'completed']] as const)
    it(`${action}: ${outcome}, and neither the host cancel nor onCancel happens`, () => {
      const { f, onCancel, controller } = flowWithOnCancel()
      const { button, hostCancel } = hostButton()
      button.click()
      controller.dispatch({ type: action })
      expect(controller.$needsUi.get()).toBe(false)
      expect(hostCancel).not.toHaveBeenCalled()
      expect(onCancel).not.toHaveBeenCalled()
      expect(f.last('Cancel Flow Completed')).toEqual({ flowId: 'save-offer', runId: RUN_ID, variant: 'offer', outcome })
      expect(f.released).toEqual([['save-offer', released]])
    })
})

describe('what the user did not send', () => {
  it('a reason picked and a comment typed, then left without Continue (closed, or kept from the value reminder), are not sent', () => {
    for (const leave of [['close'], ['back', 'keep']] as const) {
      const f = fakeHost()
      controller = createCancelFlow(f.host)
      const { button } = hostButton()
      button.click()
      controller.dispatch({ type: 'next' })
      controller.dispatch({ type: 'choose', reasonId: 'other' })
      controller.dispatch({ type: 'comment', text: 'My manager made me, and I think he is wrong' })
      // Second thoughts: the user never presses Continue.
      for (const type of leave) controller.dispatch({ type })
      expect(f.names()).toEqual(['Cancel Flow Started', 'Cancel Flow Completed'])
      const done = f.last('Cancel Flow Completed')!
      expect(done.outcome).toBe(leave.length === 1 ? 'abandoned' : 'kept')
      expect(done).not.toHaveProperty('reasonId', expect.anything())
      expect(done).not.toHaveProperty('comment', expect.anything())
      controller.dispose()
    }
  })

  it('a comment typed for one reason is not sent with another the user switched to, however the flow ends', () => {
    const f = fakeHost()
    controller = createCancelFlow(f.host)
    controller.start()
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId: 'too-expensive' })
    controller.dispatch({ type: 'submit' })
    controller.dispatch({ type: 'back' })
    controller.dispatch({ type: 'choose', reasonId: 'other' })
    controller.dispatch({ type: 'comment', text: 'We found a cheaper tool' })
    controller.dispatch({ type: 'choose', reasonId: 'too-expensive' })
    controller.dispatch({ type: 'close' })
    expect(f.last('Cancel Flow Completed')).not.toHaveProperty('comment', expect.anything())
  })
})

describe('a run of the flow', () => {
  // Two tabs can each have the flow open at once: the collector tells them apart by this id.
  it('names every event of one run with the same run id, and the next run with another', () => {
    const f = fakeHost()
    controller = createCancelFlow(f.host)
    const { button } = hostButton()
    button.click()
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId: 'too-expensive' })
    controller.dispatch({ type: 'submit' })
    controller.dispatch({ type: 'close' })
    const first = new Set(f.events.map(([, p]) => p.runId))
    expect(f.names()).toEqual(['Cancel Flow Started', 'Cancel Reason Selected', 'Cancel Offer Shown', 'Cancel Flow Completed'])
    expect(first.size).toBe(1)
    button.click()
    controller.dispatch({ type: 'keep' })
    const second = new Set(f.events.slice(4).map(([, p]) => p.runId))
    expect(second.size).toBe(1)
    expect([...second][0]).toEqual(RUN_ID)
    expect([...second][0]).not.toBe([...first][0])
  })
})

describe('the holdout', () => {
  it('can stay: a holdout user who keeps their subscription is kept, as in the offer arm', () => {
    const f = fakeHost({ userKey: userKeyWhere(true) })
    controller = createCancelFlow(f.host)
    hostButton().button.click()
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId: 'too-expensive' })
    controller.dispatch({ type: 'submit' })
    controller.dispatch({ type: 'keep' })
    expect(f.last('Cancel Flow Completed')).toMatchObject({ variant: 'holdout', outcome: 'kept', reasonId: 'too-expensive' })
  })

  it('gets no offer, and says so on every event', () => {
    const f = fakeHost({ userKey: userKeyWhere(true) })
    controller = createCancelFlow(f.host)
    hostButton().button.click()
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId: 'too-expensive' })
    controller.dispatch({ type: 'submit' })
    expect(controller.$state.get().step).toBe('confirm')
    controller.dispatch({ type: 'confirm' })
    expect(f.names()).toEqual(['Cancel Flow Started', 'Cancel Reason Selected', 'Cancel Flow Completed'])
    expect(f.events.every(([, p]) => p.variant === 'holdout')).toBe(true)
  })

  it('is drawn apart from an audience `{ sample }`: a holdout of 20% holds back a fifth of the users a 50% audience lets in', () => {
    const flow = { ...cancelFlow, audience: { sample: 0.5 }, holdout: 0.2 }
    const variants: string[] = []
    for (let i = 0; i < 3000; i++) {
      const f = fakeHost({ flow, userKey: `u:user-${i}` })
      const c = createCancelFlow(f.host)
      if (c.start()) variants.push(c.$state.get().variant!)
      c.dispose()
    }
    // About half let in; of them, a fifth held out (it was 40%: one draw, read twice).
    expect(variants.length / 3000).toBeCloseTo(0.5, 1)
    expect(Math.abs(variants.filter((v) => v === 'holdout').length / variants.length - 0.2)).toBeLessThan(0.04)
  })

  it('is the same users every time (sticky)', () => {
    const key = userKeyWhere(true)
    for (let i = 0; i < 3; i++) {
      const f = fakeHost({ userKey: key })
      const c = createCancelFlow(f.host)
      c.show?.('save-offer')
      expect(c.$state.get().variant).toBe('holdout')
      c.dispose()
    }
  })
})

describe('a tour or survey on screen when the user goes to cancel', () => {
  const flows = {
    version: 1,
    settings: { cooldownDays: 0 },
    surveys: [{ id: 'pulse', kind: 'csat', question: 'How is it going?', trigger: { event: 'Report Exported' } }],
    tours: [{ id: 'intro', trigger: { event: 'Dashboard Viewed' }, steps: [{ target: '#reports', title: 'Reports', body: 'They live here.' }] }],
    cancelFlow,
  }

  it.each([
    ['survey', 'pulse', 'survey:dismissed'],
    ['tour', 'intro', 'tour:dismissed'],
  ])('a %s does not stand in the way: it ends, saying why, and the cancel flow starts', async (_kind, id, dismissed) => {
    const linger = createLinger({ key: 'pk_test', endpoint: '', flows }, { platform: createFakePlatform() })
    const ended: Array<Record<string, unknown>> = []
    linger.on(dismissed, (p) => ended.push(p))
    const onCancel = vi.fn()
    await linger.ready
    linger.show(id)
    // The tour's step on screen (its target found): a tour nobody saw is neither started nor dismissed.
    if (id === 'intro') linger.experiences.tours!.targetFound(id)
    expect(linger.experiences.surveys!.$session.get()?.survey.id ?? linger.experiences.tours!.$runs.get()[0]?.tour.id).toBe(id)
    linger.cancel({ onCancel })
    expect(linger.experiences.cancel!.$state.get().step).toBe('reasons')
    expect(onCancel).not.toHaveBeenCalled()
    expect(ended).toEqual([expect.objectContaining({ reason: 'preempted-by:save-offer' })])
    expect(linger.experiences.surveys!.$session.get()).toBeNull()
    expect(linger.experiences.tours!.$runs.get()).toEqual([])
    linger.destroy()
  })

  it('a survey already answered (its comment box still open) leaves the screen too, with no more events', async () => {
    const asking = { ...flows, surveys: [{ ...flows.surveys[0], comment: true }] }
    const linger = createLinger({ key: 'pk_test', endpoint: '', flows: asking }, { platform: createFakePlatform() })
    const ended = vi.fn()
    linger.on('survey:dismissed', ended)
    await linger.ready
    linger.show('pulse')
    linger.experiences.surveys!.answer({ score: 4 })
    expect(linger.experiences.surveys!.$session.get()?.step).toBe('comment')
    linger.cancel()
    expect(linger.experiences.cancel!.$state.get().step).toBe('reasons')
    expect(linger.experiences.surveys!.$session.get()).toBeNull()
    expect(ended).not.toHaveBeenCalled()
    linger.destroy()
  })
})

describe('a pause', () => {
  const withPause: CancelFlowConfig = {
    ...cancelFlow,
    valueReminder: undefined,
    reasons: [...cancelFlow.reasons, { id: 'not-using', label: 'Not using it enough', offer: 'pause-3' }],
    offers: [...cancelFlow.offers, { id: 'pause-3', kind: 'pause', title: 'Pause for up to 3 months', months: 3 }],
  }
  // The fake clock reads 2 March 2026.
  function toPause(handlers: ExperienceHost['handlers'] = {}) {
    const f = fakeHost({ flow: withPause })
    f.host.handlers = handlers
    controller = createCancelFlow(f.host)
    controller.start()
    controller.dispatch({ type: 'choose', reasonId: 'not-using' })
    controller.dispatch({ type: 'submit' })
    return { ...f, c: controller }
  }

  it('goes to onPause with the months the user chose, the resume date and the reason the user gave (the vendor\'s billing logs why they paused)', async () => {
    const onPause = vi.fn(async () => {})
    const onOfferAccepted = vi.fn()
    const t = toPause({ onPause, onOfferAccepted })
    expect(t.last('Pause Offer Shown')).toEqual({ offerId: 'pause-3', months: 3, resumesAt: '2026-06-02', source: 'cancel-flow', runId: RUN_ID })
    t.c.dispatch({ type: 'months', months: 1 })
    t.c.dispatch({ type: 'accept' })
    // The run's id too: a pause the page did not live to report, the vendor's server can.
    expect(onPause).toHaveBeenCalledWith({ months: 1, resumesAt: '2026-04-02', offer: withPause.offers[1], runId: t.last('Cancel Flow Started')!.runId, reason: { id: 'not-using', label: 'Not using it enough' } })
    expect(onOfferAccepted).not.toHaveBeenCalled()
    await flush()
    expect(t.c.$state.get().step).toBe('saved')
    expect(t.last('Pause Offer Accepted')).toEqual({ offerId: 'pause-3', months: 1, resumesAt: '2026-04-02', source: 'cancel-flow', runId: RUN_ID, applied: true })
    expect(t.last('Cancel Flow Completed')).toMatchObject({ outcome: 'saved', applied: true, offerKind: 'pause' })
  })

  it('is shown after the reason it was chosen by: a funnel read by time sees the reason first, then the offers it led to', () => {
    const t = toPause()
    expect(t.names()).toEqual(['Cancel Flow Started', 'Cancel Reason Selected', 'Cancel Offer Shown', 'Pause Offer Shown'])
  })

  it("names the flow's run on the pause's events, as on the flow's own: the collector ties a pause to its flow", async () => {
    const t = toPause({ onPause: async () => {} })
    const runId = t.last('Cancel Flow Started')!.runId
    t.c.dispatch({ type: 'accept' })
    await flush()
    expect(t.last('Pause Offer Shown')!.runId).toBe(runId)
    expect(t.last('Pause Offer Accepted')!.runId).toBe(runId)
  })

  it('falls back to onOfferAccepted, with the chosen months and resume date in the offer', async () => {
    const onOfferAccepted = vi.fn(async () => {})
    const t = toPause({ onOfferAccepted })
    t.c.dispatch({ type: 'months', months: 2 })
    t.c.dispatch({ type: 'accept' })
    expect(onOfferAccepted).toHaveBeenCalledWith({ id: 'pause-3', kind: 'pause', title: 'Pause for up to 3 months', months: 2, resumesAt: '2026-05-02' }, { id: 'not-using', label: 'Not using it enough' }, { runId: RUN_ID })
    await flush()
    expect(t.last('Cancel Flow Completed')).toMatchObject({ outcome: 'saved', applied: true })
  })

  it('without any handler, is recorded as not applied (the user is not told it was)', async () => {
    const t = toPause()
    t.c.dispatch({ type: 'accept' })
    await flush()
    expect(t.c.$state.get()).toMatchObject({ step: 'saved', pending: true })
    expect(t.last('Cancel Flow Completed')).toMatchObject({ outcome: 'saved', applied: false })
  })

  it('a failing onPause shows the error and can be tried again; the pause is recorded once, when it is in place', async () => {
    let calls = 0
    const t = toPause({ onPause: async () => { if (++calls === 1) throw new Error('stripe down') } })
    t.c.dispatch({ type: 'accept' })
    await flush()
    expect(t.c.$state.get().step).toBe('error')
    expect(t.errors.join()).toContain('onPause: Error: stripe down')
    // The click alone is no pause: the collector counts paused people from this event.
    expect(t.names()).not.toContain('Pause Offer Accepted')
    t.c.dispatch({ type: 'retry' })
    await flush()
    expect(t.c.$state.get().step).toBe('saved')
    expect(t.names().filter((n) => n === 'Pause Offer Accepted')).toHaveLength(1)
  })

  it('without any handler, the pause is recorded as accepted but not applied: the vendor applies it from the event', async () => {
    const t = toPause()
    t.c.dispatch({ type: 'accept' })
    await flush()
    expect(t.last('Pause Offer Accepted')).toMatchObject({ offerId: 'pause-3', applied: false })
  })

  describe('offered on its own: show(<pause offer id>)', () => {
    /** The pause offered on its own, taken, and still being applied: the vendor's onPause has not answered. */
    function pauseBeingApplied() {
      const onPause = vi.fn(() => new Promise(() => {}))
      const f = fakeHost({ flow: withPause })
      f.host.handlers = { onPause }
      const c = (controller = createCancelFlow(f.host))
      c.show?.('pause-3')
      c.dispatch({ type: 'accept' })
      expect(c.$state.get().step).toBe('applying')
      return { f, onPause, c }
    }

    it('opens the pause, records only pause events, and leaves the host cancel alone', async () => {
      const onPause = vi.fn(async () => {})
      const f = fakeHost({ flow: withPause, audience: false })
      f.host.handlers = { onPause }
      controller = createCancelFlow(f.host)
      const { hostCancel } = hostButton()
      expect(controller.why?.("pause-3")).toEqual(['eligible'])
      expect(controller.show?.('pause-3')).toBe(true)
      expect(controller.$state.get()).toMatchObject({ step: 'offer', standalone: true, months: 3 })
      controller.dispatch({ type: 'accept' })
      await flush()
      controller.dispatch({ type: 'close' })
      expect(f.names()).toEqual(['Pause Offer Shown', 'Pause Offer Accepted'])
      expect(f.last('Pause Offer Accepted')).toEqual({ offerId: 'pause-3', months: 3, resumesAt: '2026-06-02', source: 'standalone', runId: RUN_ID, applied: true })
      // No reason was asked for: the vendor's billing logs the pause as taken on its own.
      expect(onPause).toHaveBeenCalledWith(expect.objectContaining({ offer: withPause.offers[1], reason: null }))
      expect(onPause).toHaveBeenCalledTimes(1)
      expect(f.released).toEqual([['pause-3', 'completed']])
      expect(hostCancel).not.toHaveBeenCalled()
    })

    it('whose UI never appeared does not stand in the way of cancelling: the host cancel goes through, and onCancel hears no flow ran', async () => {
      const { f, onCancel, controller } = flowWithOnCancel({ flow: withPause })
      const { button, hostCancel } = hostButton()
      controller.show?.('pause-3')
      await (f.host.platform as FakePlatform).advance(5000)
      button.click()
      expect(hostCancel).toHaveBeenCalledTimes(1)
      expect(onCancel).toHaveBeenCalledWith(null)
      expect(controller.$state.get()).toMatchObject({ step: 'closed', outcome: 'abandoned' })
      expect(f.released).toEqual([['pause-3', 'abandoned']])
      expect(f.names()).toEqual(['Pause Offer Shown'])
    })

    it('already taken (the tab closed on the spinner, then the page again), it does not open a second time: the vendor is not asked for a second pause', async () => {
      const { f, onPause, c } = pauseBeingApplied()
      // the tab goes, the page comes again with the user's stored state
      c.dispose()
      controller = createCancelFlow(f.host)
      expect(controller.why?.('pause-3')).toEqual(['already-taken'])
      expect(controller.show?.('pause-3')).toBe(false)
      expect(controller.$state.get().step).toBe('closed')
      expect(onPause).toHaveBeenCalledTimes(1)
      expect(f.names()).toEqual(['Pause Offer Shown'])
    })

    it('taken, it opens on its own again once its offerAgainAfterDays have passed', async () => {
      const pause = { ...withPause.offers[1]!, offerAgainAfterDays: 90 } as CancelFlowConfig['offers'][number]
      const onPause = vi.fn(async () => {})
      const f = fakeHost({ flow: { ...withPause, offers: [withPause.offers[0]!, pause] } })
      f.host.handlers = { onPause }
      controller = createCancelFlow(f.host)
      controller.show?.('pause-3')
      controller.dispatch({ type: 'accept' })
      await flush()
      controller.dispatch({ type: 'close' })
      await (f.host.platform as FakePlatform).advance(89 * 86_400_000)
      expect(controller.show?.('pause-3')).toBe(false)
      await (f.host.platform as FakePlatform).advance(86_400_000)
      expect(controller.why?.('pause-3')).toEqual(['eligible'])
      expect(controller.show?.('pause-3')).toBe(true)
      expect(controller.$state.get()).toMatchObject({ step: 'offer', standalone: true })
    })

    it("names its run on both of its events and to onPause: the collector ties the pause to the offer it was shown in", async () => {
      const onPause = vi.fn(async () => {})
      const f = fakeHost({ flow: withPause })
      f.host.handlers = { onPause }
      controller = createCancelFlow(f.host)
      controller.show?.('pause-3')
      controller.dispatch({ type: 'accept' })
      await flush()
      const runId = f.last('Pause Offer Shown')!.runId
      expect(runId).toEqual(RUN_ID)
      expect(f.last('Pause Offer Accepted')!.runId).toBe(runId)
      expect(onPause).toHaveBeenCalledWith(expect.objectContaining({ runId }))
    })

    it('declining closes it without cancelling anything', () => {
      const { f, onCancel, controller } = flowWithOnCancel({ flow: withPause })
      controller.show?.('pause-3')
      controller.dispatch({ type: 'decline' })
      expect(controller.$state.get().step).toBe('closed')
      expect(onCancel).not.toHaveBeenCalled()
      expect(f.released).toEqual([['pause-3', 'abandoned']])
    })

    it("why() tells the vendor it opens for a user outside the cancel flow's audience, as show() does", () => {
      const f = fakeHost({ flow: { ...withPause, audience: { trait: 'plan', eq: 'pro' } }, audience: false })
      f.host.evaluate = (rule) => (rule && 'trait' in rule ? { ok: false, failed: ['trait plan eq "pro" (was "free")'] } : { ok: true, failed: [] })
      controller = createCancelFlow(f.host)
      expect(controller.why?.('pause-3')).toEqual(['eligible'])
      expect(controller.show?.('pause-3')).toBe(true)
      expect(controller.$state.get()).toMatchObject({ step: 'offer', standalone: true })
      // the flow itself still keeps to its audience
      expect(controller.why?.('save-offer')).toEqual(['audience: trait plan eq "pro" (was "free")'])
    })

    it('asked for while the cancellation flow is on screen, it is not shown and the vendor is told so: show() false, why() names what holds the screen', () => {
      const { f, onCancel, controller } = flowWithOnCancel({ flow: withPause })
      hostButton().inner.click()
      expect(controller.$state.get().step).toBe('reasons')
      expect(controller.show?.('pause-3')).toBe(false)
      expect(controller.why?.('pause-3')).toEqual(['blocked-by:save-offer'])
      // the user's flow is untouched, and still the only one
      expect(controller.$state.get().step).toBe('reasons')
      expect(controller.$state.get().standalone).toBeUndefined()
      expect(f.requests).toHaveLength(1)
      expect(onCancel).not.toHaveBeenCalled()
    })

    it('taken and still being applied, why() says what the vendor sees: the pause on screen on its own is "showing", the one taken in the flow is held off by it, not "already-taken"', () => {
      const { onPause, c } = pauseBeingApplied()
      // show() says true (it is on screen): why() agrees
      expect(c.show?.('pause-3')).toBe(true)
      expect(c.why?.('pause-3')).toEqual(['showing'])
      c.dispose()
      const t = toPause({ onPause })
      t.c.dispatch({ type: 'accept' })
      expect(t.c.$state.get().step).toBe('applying')
      expect(t.c.show?.('pause-3')).toBe(false)
      expect(t.c.why?.('pause-3')).toEqual(['blocked-by:save-offer'])
    })

    it('on screen on its own, a script asking for the cancellation flow neither opens it nor cancels: show() false, the pause stays', () => {
      const { onCancel, controller } = flowWithOnCancel({ flow: withPause })
      expect(controller.show?.('pause-3')).toBe(true)
      // shown again: it is on screen
      expect(controller.show?.('pause-3')).toBe(true)
      expect(controller.show?.('save-offer')).toBe(false)
      expect(controller.why?.('save-offer')).toEqual(['blocked-by:pause-3'])
      expect(controller.$state.get()).toMatchObject({ step: 'offer', standalone: true, offerId: 'pause-3' })
      expect(onCancel).not.toHaveBeenCalled()
    })

    it('is not an entry point for other offers', () => {
      const f = fakeHost({ flow: withPause })
      controller = createCancelFlow(f.host)
      expect(controller.show?.('discount-30')).toBe(false)
      expect(controller.$state.get().step).toBe('closed')
    })
  })
})

describe('a flow whose UI is late or never comes (blocked, offline)', () => {
  /** A host whose widget UI draws when the test says so, as @linger/widgets' mount does. */
  function undrawnHost() {
    const t = flowWithOnCancel()
    let drawn = false
    const waiting: Array<() => void> = []
    t.f.host.undrawn = (kind, then) => kind === 'cancel' && !drawn && !!waiting.push(then)
    const draw = () => ((drawn = true), waiting.splice(0).forEach((fn) => fn()))
    return { ...t, draw }
  }

  it('counts the flow as started only once its UI is on screen, and before anything the user answers in it', () => {
    const { f, controller, draw } = undrawnHost()
    controller.show?.('save-offer')
    expect(controller.$state.get().step).toBe('value')
    // Decided, but nobody could see it yet: not a started flow.
    expect(f.names()).toEqual([])
    draw()
    expect(f.names()).toEqual(['Cancel Flow Started'])
    expect(f.last('Cancel Flow Started')).toEqual({ flowId: 'save-offer', runId: RUN_ID, variant: 'offer' })
    controller.dispatch({ type: 'next' })
    controller.dispatch({ type: 'choose', reasonId: 'other' })
    controller.dispatch({ type: 'submit' })
    controller.dispatch({ type: 'confirm' })
    expect(f.names()).toEqual(['Cancel Flow Started', 'Cancel Reason Selected', 'Cancel Flow Completed'])
  })

  it('a pause offered on its own is shown once its UI is on screen, not when decided', () => {
    const flow = { ...cancelFlow, offers: [...cancelFlow.offers, { id: 'pause-2', kind: 'pause', title: 'Take a break', months: 2 }] } as CancelFlowConfig
    const t = fakeHost({ flow })
    let drawn = false
    const waiting: Array<() => void> = []
    t.host.undrawn = (kind, then) => kind === 'cancel' && !drawn && !!waiting.push(then)
    controller = createCancelFlow(t.host)
    controller.show?.('pause-2')
    expect(t.names()).toEqual([])
    drawn = true
    waiting.splice(0).forEach((fn) => fn())
    expect(t.names()).toEqual(['Pause Offer Shown'])
  })

  it('linger.cancel() whose UI failed to load hands the user to the vendor\'s own cancel at once, with no outcome for a flow never seen', () => {
    const { f, onCancel, controller } = undrawnHost()
    controller.show?.('save-offer')
    controller.uiFailed()
    // The vendor's cancel path runs: the user is never left with a button that does nothing.
    expect(onCancel).toHaveBeenCalledWith(null)
    expect(controller.$state.get().step).toBe('closed')
    expect(controller.$needsUi.get()).toBe(false)
    expect(f.released).toEqual([['save-offer', 'completed']])
    // No flow was on screen: neither a started flow nor an outcome without one.
    expect(f.names()).toEqual([])
    // The next cancel tries the flow (and its UI) again.
    controller.show?.('save-offer')
    expect(controller.$state.get().step).toBe('value')
    expect(controller.$needsUi.get()).toBe(true)
  })

  it('a click on the host cancel button whose flow UI failed to load goes on to the host\'s own cancel', () => {
    const { f, onCancel, controller } = undrawnHost()
    const { button, hostCancel } = hostButton()
    button.click()
    expect(hostCancel).not.toHaveBeenCalled()
    controller.uiFailed()
    expect(hostCancel).toHaveBeenCalledTimes(1)
    expect(onCancel).toHaveBeenCalledWith(null)
    expect(f.names()).toEqual([])
  })

  it('a second click past the grace, the UI never drawn, cancels without an outcome for a flow that never started', async () => {
    const { f, onCancel, controller } = undrawnHost()
    const { button, hostCancel } = hostButton()
    button.click()
    await (f.host.platform as FakePlatform).advance(5000)
    button.click()
    expect(hostCancel).toHaveBeenCalledTimes(1)
    expect(onCancel).toHaveBeenCalledWith(null)
    expect(controller.$state.get().step).toBe('closed')
    expect(f.names()).toEqual([])
  })

  it('a UI failure once the flow was on screen changes nothing (its own close says what happened)', () => {
    const { f, onCancel, controller, draw } = undrawnHost()
    controller.show?.('save-offer')
    draw()
    controller.uiFailed()
    expect(onCancel).not.toHaveBeenCalled()
    expect(controller.$state.get().step).toBe('value')
    expect(f.names()).toEqual(['Cancel Flow Started'])
  })

  it('a pause offered on its own whose UI failed to load closes without cancelling anything', () => {
    const flow = { ...cancelFlow, offers: [...cancelFlow.offers, { id: 'pause-2', kind: 'pause', title: 'Take a break', months: 2 }] } as CancelFlowConfig
    const t = fakeHost({ flow })
    const onCancel = vi.fn()
    t.host.handlers = { onCancel }
    t.host.undrawn = (kind) => kind === 'cancel'
    controller = createCancelFlow(t.host)
    controller.show?.('pause-2')
    controller.uiFailed()
    expect(controller.$state.get().step).toBe('closed')
    expect(onCancel).not.toHaveBeenCalled()
    expect(t.names()).toEqual([])
  })

  it('linger.cancel() again while the UI has evidently not come (still loading past the grace): the user goes on to cancel the vendor\'s way', async () => {
    const { f, onCancel, controller } = undrawnHost()
    controller.show?.('save-offer')
    await (f.host.platform as FakePlatform).advance(200)
    // A double click while it loads: still the flow's.
    controller.show?.('save-offer')
    expect(onCancel).not.toHaveBeenCalled()
    await (f.host.platform as FakePlatform).advance(5000)
    controller.show?.('save-offer')
    expect(onCancel).toHaveBeenCalledTimes(1)
    expect(onCancel).toHaveBeenCalledWith(null)
    expect(controller.$state.get().step).toBe('closed')
    expect(f.names()).toEqual([])
  })

  it('linger.cancel() from a script while the flow is on screen does not cancel for the user', async () => {
    const { f, onCancel, controller, draw } = undrawnHost()
    controller.show?.('save-offer')
    draw()
    await (f.host.platform as FakePlatform).advance(5000)
    controller.show?.('save-offer')
    expect(onCancel).not.toHaveBeenCalled()
    expect(controller.$state.get().step).toBe('value')
    expect(f.names()).toEqual(['Cancel Flow Started'])
  })
})

describe('the user changes while the flow is open (a sign-out, another person signs in here or in another tab)', () => {
  const flow: CancelFlowConfig = { ...cancelFlow, offers: [...cancelFlow.offers, { id: 'pause-2', kind: 'pause', title: 'Take a break', months: 2 }] }
  /**
   * Alice signed in on a shared laptop, as the client hands a user change to the experiences:
   * `leaving` first, while what is sent is still hers (each event kept by who sent it), then the
   * next user, with their own experience state.
   */
  function sharedLaptop() {
    const f = fakeHost({ flow })
    const { host } = f
    const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
    host.platform = createFakePlatform({ clock })
    const user = host.user as WritableAtom<UserView>
    user.set({ ...user.get(), userId: 'alice' })
    // Who sent it, and when it was built (an event's timestamp, which the collector orders by).
    const sent: Array<[string, string, Record<string, unknown>, number]> = []
    let kept: Array<() => void> | undefined
    host.emit = (e, p) => {
      const who = host.user.get().userId ?? `visitor ${host.user.get().anonymousId}`
      const at = clock.now
      const go = () => void sent.push([who, e, p, at])
      kept ? kept.push(go) : go()
    }
    const stores = new Map<string, Map<string, unknown>>()
    const mine = () => stores.get(host.user.get().userKey) ?? stores.set(host.user.get().userKey, new Map()).get(host.user.get().userKey)!
    host.state = { get: (k) => mine().get(k) as never, fresh: (k) => mine().get(k) as never, set: (k, v) => void mine().set(k, v), subscribe: () => () => {} }
    const leaving = new Set<Parameters<NonNullable<ExperienceHost['leaving']>>[0]>()
    host.leaving = (fn) => (leaving.add(fn), () => leaving.delete(fn))
    const keep = (fn: () => void) => {
      const built: Array<() => void> = (kept = [])
      try {
        fn()
      } finally {
        kept = undefined
      }
      return () => built.forEach((go) => go())
    }
    const become = (next: UserView) => {
      if (next.userKey !== user.get().userKey) leaving.forEach((fn) => fn(next, keep))
      user.set(next)
    }
    // reset(): a new visitor on this device (a new anonymousId each time); identify(): that visitor signs in.
    let visitors = 1
    const reset = () => become({ userKey: `a:a${++visitors}`, anonymousId: `a${visitors}`, traits: {} })
    const identify = (userId: string) => become({ ...user.get(), userKey: `u:${userId}`, userId })
    const onOfferAccepted = vi.fn()
    const onPause = vi.fn()
    const onCancel = vi.fn()
    host.handlers = { onOfferAccepted, onPause, onCancel }
    controller = createCancelFlow(host)
    return { ...f, clock, sent, reset, identify, onOfferAccepted, onPause, onCancel, stateOf: (userKey: string) => stores.get(userKey)?.get('cancel'), c: controller }
  }
  /** From the value reminder, the reason "too expensive", to its offer. */
  const toTheOffer = (t: ReturnType<typeof sharedLaptop>) => {
    t.c.dispatch({ type: 'next' })
    t.c.dispatch({ type: 'choose', reasonId: 'too-expensive' })
    t.c.dispatch({ type: 'submit' })
  }
  /** Her run to the offer, ended as hers when the user changed: nothing of it as the next person. */
  const aliceGaveUp = [
    ['alice', 'Cancel Flow Started', undefined],
    ['alice', 'Cancel Reason Selected', undefined],
    ['alice', 'Cancel Offer Shown', undefined],
    ['alice', 'Cancel Flow Completed', 'abandoned'],
  ]
  /** Alice, on the discount's offer, takes it; the vendor's server is slow to answer. */
  function aliceTakesTheDiscount(t: ReturnType<typeof sharedLaptop>) {
    let answer!: (v?: unknown) => void
    let refuse!: (e: unknown) => void
    t.onOfferAccepted.mockImplementation(() => new Promise((r, j) => ((answer = r), (refuse = j))))
    t.c.start()
    toTheOffer(t)
    t.c.dispatch({ type: 'accept' })
    expect(t.c.$state.get().step).toBe('applying')
    return { answer: (v?: unknown) => answer(v), refuse: (e: unknown) => refuse(e) }
  }
  const completions = (t: ReturnType<typeof sharedLaptop>) => t.sent.filter(([, e]) => e === 'Cancel Flow Completed').map(([who, , p]) => [who, p.outcome])

  it("alice's save offer on screen, she signs out and bob signs in: the modal goes, her run ends as hers (abandoned), and bob is never offered, nor charged, her discount", () => {
    const t = sharedLaptop()
    const { button, hostCancel } = hostButton()
    button.click()
    toTheOffer(t)
    expect(t.c.$state.get().step).toBe('offer')
    t.reset()
    t.identify('bob')
    expect(t.c.$state.get().step).toBe('closed')
    expect(t.c.$needsUi.get()).toBe(false)
    // Whatever the widget still had in hand (a click on "Claim" as it went) does nothing.
    t.c.dispatch({ type: 'accept' })
    expect(t.onOfferAccepted).not.toHaveBeenCalled()
    expect(t.sent.map(([who, e, p]) => [who, e, p.outcome])).toEqual(aliceGaveUp)
    expect(new Set(t.sent.map(([, , p]) => p.runId)).size).toBe(1)
    // Her cancellation, held for the flow, was hers: it does not go through for bob.
    expect(hostCancel).not.toHaveBeenCalled()
    expect(t.onCancel).not.toHaveBeenCalled()
    expect(t.released).toEqual([['save-offer', 'abandoned']])
  })

  it('a flow opened as alice signs out in the same task (cancel(); reset()): nobody saw it, so it never started, for her or for the visitor', () => {
    const t = sharedLaptop()
    let drawn = false
    const waiting: Array<() => void> = []
    t.host.undrawn = (kind, then) => kind === 'cancel' && !drawn && !!waiting.push(then)
    t.c.show?.('save-offer')
    t.reset()
    drawn = true
    waiting.splice(0).forEach((fn) => fn())
    expect(t.c.$state.get().step).toBe('closed')
    expect(t.sent).toEqual([])
    expect(t.onCancel).not.toHaveBeenCalled()
  })

  it("alice took the discount and signed out before the vendor answered: the save, once made, is hers; bob's account hears nothing of it", async () => {
    const t = sharedLaptop()
    const { answer } = aliceTakesTheDiscount(t)
    t.reset()
    t.identify('bob')
    expect(t.c.$state.get().step).toBe('closed')
    answer()
    await flush()
    expect(t.sent.map(([who, e, p]) => [who, e, p.outcome])).toEqual([
      ['alice', 'Cancel Flow Started', undefined],
      ['alice', 'Cancel Reason Selected', undefined],
      ['alice', 'Cancel Offer Shown', undefined],
      ['alice', 'Cancel Offer Accepted', undefined],
      ['alice', 'Cancel Flow Completed', 'abandoned'],
      // The later outcome is the one the collector keeps: the discount is in place, on her account.
      ['alice', 'Cancel Flow Completed', 'saved'],
    ])
    expect(t.stateOf('u:bob')).toBeUndefined()
    expect(t.onOfferAccepted).toHaveBeenCalledTimes(1)
  })

  it('a pause offered on its own (the same dialog) closes too: bob is never paused for alice', () => {
    const t = sharedLaptop()
    expect(t.c.show?.('pause-2')).toBe(true)
    expect(t.c.$state.get()).toMatchObject({ step: 'offer', standalone: true })
    t.reset()
    t.identify('bob')
    expect(t.c.$state.get().step).toBe('closed')
    t.c.dispatch({ type: 'accept' })
    expect(t.onPause).not.toHaveBeenCalled()
    expect(t.sent.map(([who, e]) => [who, e])).toEqual([['alice', 'Pause Offer Shown']])
    expect(t.released).toEqual([['pause-2', 'abandoned']])
  })

  it('a visitor who signs in part way through is the same person: their flow goes on, as them', () => {
    const t = sharedLaptop()
    t.reset()
    t.c.start()
    t.c.dispatch({ type: 'next' })
    t.identify('carol')
    expect(t.c.$state.get().step).toBe('reasons')
    t.c.dispatch({ type: 'choose', reasonId: 'other' })
    t.c.dispatch({ type: 'submit' })
    expect(t.sent.map(([who, e]) => [who, e])).toEqual([
      ['visitor a2', 'Cancel Flow Started'],
      ['carol', 'Cancel Reason Selected'],
    ])
  })

  it("bob signs in over alice (no sign-out between, the shared laptop's usual way): her offer leaves the screen and her run ends as hers", () => {
    const t = sharedLaptop()
    t.c.start()
    toTheOffer(t)
    t.identify('bob')
    expect(t.c.$state.get().step).toBe('closed')
    t.c.dispatch({ type: 'accept' })
    expect(t.onOfferAccepted).not.toHaveBeenCalled()
    expect(t.sent.map(([who, e, p]) => [who, e, p.outcome])).toEqual(aliceGaveUp)
  })

  it.each([
    ['signs out, bob signs in, and signs out too', (t: ReturnType<typeof sharedLaptop>) => (t.reset(), t.identify('bob'), t.reset())],
    ['signs out, and the next visitor is reset again', (t: ReturnType<typeof sharedLaptop>) => (t.reset(), t.reset())],
  ])('alice took the discount and %s before the vendor answered: the save is still hers, and no one else is said saved', async (_, changes) => {
    const t = sharedLaptop()
    const vendor = aliceTakesTheDiscount(t)
    changes(t)
    vendor.answer()
    await flush()
    expect(completions(t)).toEqual([
      ['alice', 'abandoned'],
      ['alice', 'saved'],
    ])
  })

  it('alice took the discount, signed out before the vendor answered, and it was applied: her run reads as saved (her save is no older than her abandoned)', async () => {
    const t = sharedLaptop()
    const vendor = aliceTakesTheDiscount(t)
    // The page takes a moment as the modal goes (the widget unmounts it, gives focus back).
    t.c.$state.listen((s) => s.step === 'closed' && (t.clock.now += 5))
    t.reset()
    vendor.answer()
    await flush()
    const at = (outcome: string) => t.sent.find(([, e, p]) => e === 'Cancel Flow Completed' && p.outcome === outcome)![3]
    // The collector keeps a run's latest outcome: a save stamped before the abandoned lost to it.
    expect(at('saved')).toBeGreaterThanOrEqual(at('abandoned'))
  })

  it("alice took the discount, bob signed in, then the vendor refused it: bob's state records no refusal of hers", async () => {
    const t = sharedLaptop()
    const vendor = aliceTakesTheDiscount(t)
    t.identify('bob')
    vendor.refuse(new Error('card declined'))
    await flush()
    expect(t.stateOf('u:bob')).toBeUndefined()
    expect(completions(t)).toEqual([['alice', 'abandoned']])
  })

  it("alice's flow, closed as bob signs in, moves no focus onto her cancel control (a click that never focused it: Safari, Firefox on a Mac)", () => {
    const t = sharedLaptop()
    const { button } = hostButton()
    button.click()
    expect(t.c.$state.get().step).not.toBe('closed')
    expect(document.activeElement).toBe(document.body)
    t.identify('bob')
    expect(t.c.$state.get().step).toBe('closed')
    expect(document.activeElement).toBe(document.body)
  })
})
