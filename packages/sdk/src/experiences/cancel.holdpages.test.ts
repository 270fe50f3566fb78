// @vitest-environment jsdom
// A cancel flow asked for while holdForIdentify waits, on the pages where that wait ends oddly: a
// prerendered page, a page left and restored, a flow that opens seconds after the click, destroy() as the page goes.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFakePlatform } from '../fake-platform'
import { createLinger, type Linger } from '../client'
import { billingPage, cancelButton, cancelFlow } from './cancel-hold.fixture'
import '../sync/state-sync'

const HASH = { userHash: 'a'.repeat(64) }
const mine: Linger[] = []
afterEach(() => (mine.splice(0).forEach((l) => l.destroy()), document.body.replaceChildren()))


describe('holdForIdentify on a prerendered page: the ask held meanwhile starts once the page is shown', () => {
  // Chrome prerenders the vendor's /account/cancel page (speculation rules, on hover of "Cancel
  // subscription"); the page calls linger.cancel() as it mounts, and its /me answers while still
  // prerendered. The user then navigates to it: the hold ended while `unseen`, so release()
  // notified nobody, and shown() calls arrived() but never $user.notify: offNamed never runs.
  it('prerendered /cancel page: cancel() on load, identify() before activation: once shown, the flow opens (or onCancel hears it)', async () => {
    const p = createFakePlatform({ shared: new Map() })
    const activations: Array<() => void> = []
    p.prerendered = (fn) => (activations.push(fn), true)
    p.storage.set('linger:identity', JSON.stringify({ anonymousId: 'anon-1', userId: 'bob', traits: {}, groupTraits: {} }))
    const onCancel = vi.fn()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1, cancelFlow }, holdForIdentify: 3000, handlers: { onCancel } } as never, { platform: p })
    mine.push(linger)
    await linger.ready
    await p.advance(100)
    linger.cancel()
    linger.identify('ann')
    await p.advance(0)
    activations.splice(0).forEach((fn) => fn())
    await p.advance(10_000)
    const step = linger.experiences.cancel!.$state.get().step
    expect(step !== 'closed' || onCancel.mock.calls.length > 0).toBe(true)
  })

  it('prerendered, nobody named: the cap ends the hold while unseen; once shown, the flow opens (or onCancel hears it)', async () => {
    const p = createFakePlatform({ shared: new Map() })
    const activations: Array<() => void> = []
    p.prerendered = (fn) => (activations.push(fn), true)
    const onCancel = vi.fn()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1, cancelFlow }, holdForIdentify: 3000, handlers: { onCancel } } as never, { platform: p })
    mine.push(linger)
    await linger.ready
    linger.cancel()
    await p.advance(5000)
    activations.splice(0).forEach((fn) => fn())
    await p.advance(10_000)
    const step = linger.experiences.cancel!.$state.get().step
    expect(step !== 'closed' || onCancel.mock.calls.length > 0).toBe(true)
  })
})

describe('holdForIdentify: the page left while a verified user\'s progress is on its way', () => {
  // The author's own rule (cancel.holdwait "pagehide, back/forward cache"): no flow on screen when
  // they come Back. `unloading` only guards the synchronous notify inside pagehide's release();
  // named before the pagehide (hold over, `arriving` still set), the wait survives it, and the
  // sync's timeout, run on restore, opens the flow out of nowhere (openedAt = the old ask: any
  // click on the trigger then bypasses it at once).
  it('ann named (userHash), her progress slow; she gives up and goes Back, then Forward: no flow opens on the restored page', async () => {
    const { button, hostCancels } = cancelButton()
    const t = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 10_000, slowSync: true })
    await t.linger.ready
    button.click()
    t.linger.identify('ann', {}, HASH)
    await t.p.advance(200)
    expect(t.flow().$state.get().step).toBe('closed')
    t.p.pageHide()
    // Restored from the back/forward cache.
    t.p.show()
    await t.p.advance(2000)
    expect(t.flow().$state.get().step).toBe('closed')
    expect(hostCancels).not.toHaveBeenCalled()
  })
})

describe('holdForIdentify: a flow that opens seconds after its click', () => {
  // The hold's cap (3 s) plus a verified user's sync (up to 1.5 s): the flow opens 4.5 s after the
  // click. openedAt is set to the ask, so gonePast() already holds for the flow as it opens: the
  // first click on the trigger (a second click of an impatient user as the UI draws, or the
  // vendor's own menu item that forwards to the button with .click()) bypasses the flow that
  // has just opened, without a look. Opened at the real time, it was swallowed for 3 s.
  it('opened 4.5 s after the click: a click on the trigger 100 ms after it opened does not bypass it', async () => {
    const { button, hostCancels } = cancelButton()
    const onCancel = vi.fn()
    const t = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 3000, slowSync: true, onCancel })
    await t.linger.ready
    button.click()
    await t.p.advance(2900)
    t.linger.identify('ann', {}, HASH)
    await t.p.advance(1500)
    expect(t.flow().$state.get().step).toBe('reasons')
    await t.p.advance(100)
    button.click()
    expect(t.flow().$state.get().step).toBe('reasons')
    expect(hostCancels).not.toHaveBeenCalled()
    expect(onCancel).not.toHaveBeenCalled()
  })
})

describe('holdForIdentify: destroy() as the page goes', () => {
  // dispose() passes the waiting click on to the host (go(w, false)) with no look at `unloading`:
  // an app that tears Linger down in its own pagehide listener (registered before Linger's, as
  // app code usually is) has the cancel the user walked away from clicked as the page goes, which
  // cancel.holdwait's "the user gives up and leaves (pagehide)" rules out.
  it("the app's own pagehide listener calls destroy() while the click waits: the vendor's cancel is not clicked as the page goes", async () => {
    const { button, hostCancels } = cancelButton()
    const onCancel = vi.fn()
    const t = billingPage({ shared: new Map(), stored: 'bob', holdForIdentify: 10_000, onCancel })
    const appTearsDown = () => t.linger.destroy()
    window.addEventListener('pagehide', appTearsDown)
    try {
      await t.linger.ready
      button.click()
      await t.p.advance(2000)
      window.dispatchEvent(new Event('pagehide'))
      await t.p.advance(0)
      expect(hostCancels).not.toHaveBeenCalled()
      expect(onCancel).not.toHaveBeenCalled()
    } finally {
      window.removeEventListener('pagehide', appTearsDown)
    }
  })
})
