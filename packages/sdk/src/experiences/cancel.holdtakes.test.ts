// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFakePlatform, type FakePlatform } from '../fake-platform'
import { createLinger, type Linger } from '../client'
import type { LingerEvent } from '../events'
import '../config/boot'
import '../engine'
import '../config/validate-flows'

const cancelFlow = {
  id: 'save-offer',
  trigger: { selector: '#cancel-subscription' },
  reasons: [{ id: 'too-expensive', label: 'It is too expensive', offer: 'discount-30' }],
  offers: [{ id: 'discount-30', kind: 'discount', title: '30% off your next 3 months', percent: 30, months: 3 }],
}

const pages: Linger[] = []
afterEach(() => pages.splice(0).forEach((l) => l.destroy()))

function billingPage(opts: { shared: Map<string, string>; stored?: string; traits?: Record<string, unknown>; holdForIdentify?: number }) {
  const p = createFakePlatform({ shared: opts.shared })
  p.exclusive = (name, fn) => void p.withLock!(name, async () => fn())
  if (opts.stored) p.storage.set('linger:identity', JSON.stringify({ anonymousId: 'anon-1', userId: opts.stored, traits: opts.traits ?? {}, groupTraits: {} }))
  const answers: Array<(v?: unknown) => void> = []
  const onOfferAccepted = vi.fn((..._: unknown[]) => new Promise((r) => answers.push(r)))
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1, cancelFlow }, holdForIdentify: opts.holdForIdentify, handlers: { onOfferAccepted } } as never, { platform: p })
  pages.push(linger)
  const flow = () => linger.experiences.cancel!
  const tooExpensive = async () => {
    linger.cancel()
    flow().dispatch({ type: 'choose', reasonId: 'too-expensive' })
    flow().dispatch({ type: 'submit' })
    await p.advance(0)
    return flow().$state.get().step
  }
  return { p, linger, flow, tooExpensive, onOfferAccepted, answer: () => answers.shift()!() }
}

const cancelEvents = async (...tabs: Array<{ p: FakePlatform; linger: Linger }>) => {
  for (const t of tabs) await t.linger.flush()
  return tabs.flatMap(({ p }) => p.requests.flatMap((r) => (r.body?.batch ?? []) as LingerEvent[])).filter((e) => e.event?.startsWith('Cancel'))
}

describe('review: holdForIdentify and the save offer', () => {
  it("Ann takes the discount while the page asks who is here and the vendor answers at once; the app then names her: back on this browser the next day, she is not offered it again (a second discount for her)", async () => {
    const shared = new Map<string, string>()
    const ann = billingPage({ shared, stored: 'bob', holdForIdentify: 3000 })
    await ann.linger.ready
    await ann.p.advance(100)
    expect(await ann.tooExpensive()).toBe('offer')
    ann.flow().dispatch({ type: 'accept' })
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
