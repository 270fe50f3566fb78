import { describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform } from './fake-platform'
import type { LingerEvent } from './events'
// Loaded ahead, as a page that already ran has them (see client.test.ts).
import './sync/state-sync'
import './config/boot'
import './transport/adopt'

// A time on the clock of the fake browser, whose zone is UTC (not the machine's: a CI runner in
// another zone reads the same days).
const local = (s: string) => Date.parse(`${s}Z`)
const flows = { version: 1, valueReviews: [{ id: 'month', title: 'Your month in Acme', items: [{ event: 'Invoice Sent', label: 'Invoices sent' }] }] }

/** One page of the app on `at`, in the browser whose storage is `shared`. */
async function page(at: string, shared: Map<string, string>) {
  const platform = createFakePlatform({ now: local(at), shared })
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
  await linger.ready
  await platform.advance(1)
  const shown = () => platform.requests.flatMap((r) => (r.body?.batch ?? []) as LingerEvent[]).filter((e) => e.event === 'Value Review Shown')
  return { platform, linger, shown }
}

/** November: invoices sent as a visitor (before signing up). */
async function november(shared: Map<string, string>) {
  const nov = await page('2026-11-10T10:00:00', shared)
  nov.linger.track('Invoice Sent')
  nov.linger.track('Invoice Sent')
  nov.platform.pageHide()
  nov.linger.destroy()
}

describe("a visitor's monthly value review, once they sign up", () => {
  it("a visitor who saw November's review on 1 December and signs up days later is not shown it again, nor is it counted Shown twice", async () => {
    const shared = new Map<string, string>()
    await november(shared)
    const dec = await page('2026-12-01T09:00:00', shared)
    expect(dec.linger.experiences.reviews!.$state.get().step).toBe('open')
    dec.linger.experiences.reviews!.close()
    await dec.linger.flush()
    dec.platform.pageHide()
    dec.linger.destroy()
    // Four days later, past the cooldown between blocking experiences, she signs up (a
    // single-page app: no reload).
    const signUp = await page('2026-12-05T09:00:00', shared)
    expect(signUp.linger.experiences.reviews!.$state.get().step).toBe('closed')
    signUp.linger.identify('ann')
    await signUp.platform.advance(1000)
    expect(signUp.linger.experiences.reviews!.$state.get().step).toBe('closed')
    expect(signUp.linger.experiences.reviews!.why!('month')).toContain('already-shown:2026-11')
    // And on the next page, now signed in.
    const next = await page('2026-12-05T09:05:00', shared)
    expect(next.linger.experiences.reviews!.$state.get().step).toBe('closed')
    await signUp.linger.flush()
    await next.linger.flush()
    expect([...dec.shown(), ...signUp.shown(), ...next.shown()].map((e) => e.properties?.period)).toEqual(['2026-11'])
  })

  it('a visitor who saw the review and signs up on the page that loads after the login (identify as the page starts) is not shown it again', async () => {
    const shared = new Map<string, string>()
    await november(shared)
    const dec = await page('2026-12-01T09:00:00', shared)
    dec.linger.experiences.reviews!.close()
    dec.platform.pageHide()
    dec.linger.destroy()
    // The login redirects: the next page, days later, identifies before the runtime starts.
    const platform = createFakePlatform({ now: local('2026-12-05T09:05:00'), shared })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    linger.identify('ann')
    await linger.ready
    await platform.advance(1000)
    expect(linger.experiences.reviews!.$state.get().step).toBe('closed')
    expect(linger.experiences.reviews!.why!('month')).toContain('already-shown:2026-11')
  })

  it("on a shared laptop, someone else who signs in after a visitor saw the review gets their own: nothing of the visitor's comes to them", async () => {
    const shared = new Map<string, string>()
    // Bob used the app last month, signed in, on this laptop.
    const bob = await page('2026-11-05T10:00:00', shared)
    bob.linger.identify('bob')
    bob.linger.track('Invoice Sent')
    bob.platform.pageHide()
    bob.linger.reset()
    bob.linger.destroy()
    // A visitor (someone new) sends invoices in November and sees the review on 1 December.
    await november(shared)
    const dec = await page('2026-12-01T09:00:00', shared)
    expect(dec.linger.experiences.reviews!.$state.get().step).toBe('open')
    dec.linger.experiences.reviews!.close()
    // The visitor leaves without signing up (reset: someone new), and Bob signs in.
    dec.linger.reset()
    dec.linger.identify('bob')
    await dec.platform.advance(1000)
    const s = dec.linger.experiences.reviews!.$state.get()
    // Bob's own November: his one invoice, not the visitor's two (and no "+1 vs October": Linger
    // first saw him in November).
    expect(s.step === 'open' && s.items).toEqual([{ label: 'Invoices sent', value: 1 }])
  })
})

describe("a visitor's progress, once they sign up", () => {
  const progress = {
    version: 1,
    checklists: [{ id: 'start', title: 'Start', reward: { points: 50 }, tasks: [{ id: 'send', title: 'Send an invoice', points: 20, doneWhen: { event: 'Invoice Sent' } }] }],
    badges: [{ id: 'first', title: 'First invoice', points: 10, rule: { event: 'Invoice Sent', count: { gte: 1 } } }],
  }

  it('a visitor who earned a badge and finished a list and then signs up is granted each once: nothing is granted again to the user they became', async () => {
    const platform = createFakePlatform({ now: local('2026-11-10T10:00:00') })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: progress }, { platform })
    await linger.ready
    linger.track('Invoice Sent')
    await platform.advance(1000)
    linger.identify('ann')
    await platform.advance(1000)
    linger.track('Invoice Sent')
    await platform.advance(1000)
    await linger.flush()
    const grants = platform.requests.flatMap((r) => (r.body?.batch ?? []) as LingerEvent[]).filter((e) => /Badge Earned|Checklist/.test(e.event ?? ''))
    expect(grants.map((e) => e.event).sort()).toEqual(['Badge Earned', 'Checklist Completed', 'Checklist Task Completed'].sort())
    expect(linger.host.user.get().userKey).toBe('u:ann')
  })

  it("a visitor whose stored progress holds an entry that is not a record (a hand edit, another script, an old release) signs up all the same: their events are sent as the user's, their progress comes with them", async () => {
    const shared = new Map<string, string>()
    // Ann used the app signed in on this laptop before: her state holds a list of an old release.
    shared.set('linger:state:u:ann', JSON.stringify({ 'checklist:legacy': { status: 'started', done: { old: 1 } } }))
    const platform = createFakePlatform({ now: local('2026-11-10T10:00:00'), shared })
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: progress }, { platform })
    await linger.ready
    linger.track('Invoice Sent')
    await platform.advance(1000)
    // Meanwhile another script on the page left the visitor's copy of that list as null, and a
    // value of the user's as a string.
    const visitorKey = `linger:state:${linger.host.user.get().userKey}`
    shared.set(visitorKey, JSON.stringify({ ...JSON.parse(shared.get(visitorKey)!), 'checklist:legacy': null, 'checklist:odd': 'x' }))
    shared.set('linger:state:u:ann', JSON.stringify({ 'checklist:legacy': { status: 'started', done: { old: 1 } }, badges: 'x' }))
    platform.fireStorage(visitorKey)
    platform.fireStorage('linger:state:u:ann')
    expect(() => linger.identify('ann')).not.toThrow()
    await platform.advance(1000)
    linger.track('Invoice Paid')
    await platform.advance(1000)
    await linger.flush()
    const sent = platform.requests.flatMap((r) => (r.body?.batch ?? []) as LingerEvent[])
    expect(sent.find((e) => e.event === 'Invoice Paid')?.userId).toBe('ann')
    expect(linger.host.user.get().userKey).toBe('u:ann')
    // The visitor's badge and finished list are hers, granted once; her old list stays hers.
    const state = JSON.parse(shared.get('linger:state:u:ann')!)
    expect(state.badges).toMatchObject({ earned: { first: expect.any(Number) } })
    expect(state['checklist:start']).toMatchObject({ status: 'completed' })
    expect(state['checklist:legacy']).toEqual({ status: 'started', done: { old: 1 } })
    expect(state['checklist:odd']).toBeUndefined()
    expect(sent.filter((e) => /Badge Earned|Checklist/.test(e.event ?? '')).map((e) => e.event).sort()).toEqual(['Badge Earned', 'Checklist Completed', 'Checklist Task Completed'].sort())
  })
})
