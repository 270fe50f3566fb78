import { afterEach, expect, vi } from 'vitest'
import { createFakePlatform, type FakePlatform } from '../fake-platform'
import { createLinger, type Linger } from '../client'
import type { LingerEvent } from '../events'
import '../config/boot'
// Loaded with the file, not in the first test: the engine and the flows' check the runtime would fetch.
import '../engine'
import '../config/validate-flows'

/** The vendor's save-offer flow: one reason, whose offer is a discount. */
export const cancelFlow = {
  id: 'save-offer',
  trigger: { selector: '#cancel-subscription' },
  reasons: [{ id: 'too-expensive', label: 'It is too expensive', offer: 'discount-30' }],
  offers: [{ id: 'discount-30', kind: 'discount', title: '30% off your next 3 months', percent: 30, months: 3 }],
}

const pages: Linger[] = []
afterEach(() => pages.splice(0).forEach((l) => l.destroy()))

/**
 * One page of the vendor's app on this browser (pages given the same `shared` storage are its
 * tabs, or the page after a reload), whose server applies the discount when `answer` is called.
 * `stored`: who this browser last had signed in; `slowSync`: a verified user's progress never
 * arrives (the collector's state endpoint on a slow network); `doc`: more of the flows document.
 */
export function billingPage(opts: { shared: Map<string, string>; stored?: string; traits?: Record<string, unknown>; holdForIdentify?: number; slowSync?: boolean; flow?: Record<string, unknown>; doc?: Record<string, unknown>; onCancel?: () => void; onPause?: (...a: unknown[]) => unknown; debug?: boolean }) {
  const p = createFakePlatform({ shared: opts.shared })
  p.exclusive = (name, fn) => void p.withLock!(name, async () => fn())
  if (opts.slowSync) p.respond = (req) => (req.url.includes('/v1/state') ? new Promise(() => {}) : { status: 200 })
  if (opts.stored) p.storage.set('linger:identity', JSON.stringify({ anonymousId: 'anon-1', userId: opts.stored, traits: opts.traits ?? {}, groupTraits: {} }))
  const answers: Array<(v?: unknown) => void> = []
  const onOfferAccepted = vi.fn((..._: unknown[]) => new Promise((r) => answers.push(r)))
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1, cancelFlow: { ...cancelFlow, ...opts.flow }, ...opts.doc }, holdForIdentify: opts.holdForIdentify, debug: opts.debug, handlers: { onOfferAccepted, onCancel: opts.onCancel, onPause: opts.onPause } } as never, { platform: p })
  pages.push(linger)
  const flow = () => linger.experiences.cancel!
  /** Cancel, "too expensive": where the flow goes from there (the discount's offer, or straight to confirming). */
  const tooExpensive = async () => {
    linger.cancel()
    flow().dispatch({ type: 'choose', reasonId: 'too-expensive' })
    flow().dispatch({ type: 'submit' })
    await p.advance(0)
    return flow().$state.get().step
  }
  return { p, linger, flow, tooExpensive, onOfferAccepted, answer: () => answers.shift()!() }
}

/** The cancel flow's events these tabs sent, once each has flushed. */
export const cancelEvents = async (...tabs: Array<{ p: FakePlatform; linger: Linger }>) => {
  for (const t of tabs) await t.linger.flush()
  return tabs.flatMap(({ p }) => p.requests.flatMap((r) => (r.body?.batch ?? []) as LingerEvent[])).filter((e) => e.event?.startsWith('Cancel'))
}

/**
 * A page on a browser that still has someone stored (`stored`), waiting for the app to say who is
 * here (`holdForIdentify`): the person at the keyboard clicks Cancel before anyone is named, and
 * nothing opens until the app names them (`names`). Then "too expensive", and they take the
 * discount. The vendor has not answered yet (`answer`).
 */
export async function takesTheDiscountOnceNamed(opts: Parameters<typeof billingPage>[0] & { names: string; userHash?: string }) {
  const page = billingPage(opts)
  await page.linger.ready
  await page.p.advance(100)
  page.linger.cancel()
  expect(page.flow().$state.get().step).toBe('closed')
  page.linger.identify(opts.names, {}, opts.userHash ? { userHash: opts.userHash } : undefined)
  // A verified user's progress is waited for too, at most the 1.5 s a sign-in waits for it.
  await page.p.advance(opts.userHash ? 1500 : 0)
  page.flow().dispatch({ type: 'choose', reasonId: 'too-expensive' })
  page.flow().dispatch({ type: 'submit' })
  expect(page.flow().$state.get().step).toBe('offer')
  page.flow().dispatch({ type: 'accept' })
  return page
}

/** The vendor's own "Cancel subscription" button, whose click cancels on their side. */
export function cancelButton() {
  const button = document.body.appendChild(document.createElement('button'))
  button.id = 'cancel-subscription'
  const hostCancels = vi.fn()
  button.addEventListener('click', hostCancels)
  return { button, hostCancels }
}
