import { describe, expect, it } from 'vitest'
import { envelope, type LingerEvent } from '../events'
import { createFakePlatform } from '../fake-platform'
import { append, CLAIM_MS, claimItems, createOutbox, EMPTY_OUTBOX, isFree, releaseItems, removeItems, type OutboxState } from './outbox'
import { dueAt } from './outbox-send'
import { readOutbox } from './outbox-decode'

const p = createFakePlatform()
const event = (): LingerEvent => envelope(p, { anonymousId: 'a' }, { type: 'track', event: 'Report Exported' })
const stateOf = (...queuedAt: number[]): OutboxState => ({ ...EMPTY_OUTBOX, items: queuedAt.map((t) => ({ event: event(), queuedAt: t })) })
const ids = (s: OutboxState) => s.items.map((i) => i.event.messageId)
const KEY = 'linger:outbox:k:tab-1'
const clock = () => 1000

describe('the queue', () => {
  it('an event queued before the clock was set back is due at once, not a day later', () => {
    const queuedAt = 86_400_000 + 5_000
    expect(dueAt(stateOf(queuedAt), 5_000, 50, 2000, 0)).toBe(5_000)
  })

  it('when full, drops the oldest events not already in flight (those may yet be delivered)', () => {
    const s = stateOf(1, 2, 3)
    const inFlight = claimItems(s, new Set([s.items[0].event.messageId]), { by: 't', until: 9_999 })
    const { state, dropped } = append(inFlight, [{ event: event(), queuedAt: 4 }], 3)
    expect(dropped).toBe(1)
    expect(state.items.map((i) => i.queuedAt)).toEqual([1, 3, 4])
  })

  it('events on their way are neither dropped nor counted dropped, even past the bound: the collector may have them', () => {
    const s = stateOf(1, 2)
    const mine = claimItems(s, new Set(ids(s)), { by: 't', until: 9_999 })
    // A gone tab's events, handed to a keepalive request as it closed.
    const theirs = stateOf(0).items.map((i) => ({ ...i, claim: { by: 'gone', until: 9_999 } }))
    const { state, dropped } = append(mine, theirs, 2)
    expect(dropped).toBe(0)
    expect(state.items.map((i) => i.queuedAt)).toEqual([0, 1, 2])
    // Once one is answered with a failure (released), the next event takes the queue back to its bound, counted.
    const released = releaseItems(state, new Set([state.items[0].event.messageId]), 'gone', 9_999)
    const next = append(released, [{ event: event(), queuedAt: 3 }], 2)
    expect(next.dropped).toBe(2)
    expect(next.state.items.map((i) => i.queuedAt)).toEqual([1, 2])
  })

  it('a long queue takes events one by one, in order, each once', () => {
    let s = stateOf()
    const events = Array.from({ length: 300 }, (_, i) => ({ event: event(), queuedAt: i }))
    for (const item of events) s = append(s, [item], 1000).state
    s = append(s, [events[5], events[299]], 1000).state
    expect(ids(s)).toEqual(events.map((e) => e.event.messageId))
    // One that arrives late (replayed from before a reload) still takes its place by time.
    const late = { event: event(), queuedAt: 150.5 }
    s = append(s, [late], 1000).state
    expect(s.items.findIndex((i) => i === late)).toBe(151)
  })

  it('a queue appended to twice from the same state keeps each result whole (the reducer stays pure)', () => {
    const s = stateOf(1, 2)
    const a = { event: event(), queuedAt: 3 }
    const b = { event: event(), queuedAt: 3 }
    expect(append(s, [a], 10).state.items).toHaveLength(3)
    expect(append(s, [a], 10).state.items).toHaveLength(3)
    expect(ids(append(s, [b], 10).state)).toEqual([...ids(s), b.event.messageId])
    // So does a state append made itself, kept by its caller: only an outbox, which replaces its
    // own queue, lets append add to it in place.
    const made = append(s, [a], 10).state
    const kept = ids(made)
    expect(ids(append(made, [b], 10).state)).toEqual([...kept, b.event.messageId])
    expect(ids(append(made, [{ event: event(), queuedAt: 4 }], 10).state)).toHaveLength(4)
    expect(ids(made)).toEqual(kept)
  })

  it('an event joining a long queue in an outbox adds to it, not a copy of it (a 10,000-event burst allocated ~1 KB per event copying)', () => {
    const fake = createFakePlatform()
    const box = createOutbox(fake.storage, KEY, clock, (fn) => fn())
    const events = Array.from({ length: 300 }, (_, i) => ({ event: event(), queuedAt: i }))
    box.update((s) => append(s, events.slice(0, 299), 1000).state)
    const list = box.read().items
    box.update((s) => append(s, [events[299]], 1000).state)
    expect(box.read().items).toBe(list)
    // What is kept, stored and counted is as before: every event once, in order, all written.
    expect(ids(box.read())).toEqual(events.map((e) => e.event.messageId))
    expect(readOutbox(fake.storage, KEY).items.map((i) => i.event.messageId)).toEqual(events.map((e) => e.event.messageId))
    // A claim makes a new list; the next event copies it once, then adds to its own again.
    box.update((s) => claimItems(s, new Set(ids(s).slice(0, 100)), { by: 'tab-1', until: 5000 }))
    const claimed = box.read().items
    box.update((s) => append(s, [{ event: event(), queuedAt: 400 }], 1000).state)
    expect(claimed).toHaveLength(300)
    expect(box.read().items.filter((i) => i.claim)).toHaveLength(100)
  })

  it('drops the oldest beyond its bound and says how many', () => {
    let s = stateOf(1, 2, 3)
    const kept = ids(s).slice(1)
    const r = append(s, [{ event: event(), queuedAt: 4 }], 3)
    s = r.state
    expect(r.dropped).toBe(1)
    expect(ids(s).slice(0, 2)).toEqual(kept)
  })

  it('adopting another tab’s items skips what is already queued, keeps claims, and stays in tracked order', () => {
    const mine = stateOf(10, 30)
    const theirs = stateOf(20, 40)
    const claimed = { ...theirs.items[0], claim: { by: 'gone-tab', until: 99_000 } }
    const r = append(mine, [claimed, theirs.items[1], mine.items[0]], 10)
    expect(r.dropped).toBe(0)
    expect(r.state.items.map((i) => i.queuedAt)).toEqual([10, 20, 30, 40])
    expect(r.state.items[1].claim).toEqual({ by: 'gone-tab', until: 99_000 })
  })

  it('adopting beyond the bound drops the oldest, whichever tab queued them', () => {
    const r = append(stateOf(30, 40), stateOf(10, 20, 50).items, 3)
    expect(r.dropped).toBe(2)
    expect(r.state.items.map((i) => i.queuedAt)).toEqual([30, 40, 50])
  })

  it('a full queue holding an earlier release’s events (no performance.now recorded) keeps this page’s newest event and drops those old ones first', () => {
    const at = (queuedAt: number, e?: number) => ({ event: event(), queuedAt, e })
    // Left by a release before 45 (or a damaged row): no `e`. This page's own, with one, on a device clock set back.
    const [x4, own3, x2, x1, own0] = [at(6932), at(3475, 2752), at(1830), at(5100), at(5985, 985)]
    const { state, dropped } = append(EMPTY_OUTBOX, [x4, own3, x2, x1, own0], 2)
    expect(dropped).toBe(3)
    expect(ids(state)).toEqual([own0, own3].map((i) => i.event.messageId))
    // One order whatever comes first: the same queue added one at a time ends the same.
    const oneByOne = [x1, own3, x4, own0, x2].reduce((s, i) => append(s, [i], 2).state, EMPTY_OUTBOX)
    expect(ids(oneByOne)).toEqual(ids(state))
  })

  it('a release only returns what this tab claimed', () => {
    const s = stateOf(1, 2)
    const [a, b] = ids(s)
    const claimed = claimItems(claimItems(s, new Set([a]), { by: 'tab-1', until: 99 }), new Set([b]), { by: 'tab-2', until: 99 })
    const released = releaseItems(claimed, new Set([a, b]), 'tab-1', 99)
    expect(released.items.map((i) => i.claim?.by)).toEqual([undefined, 'tab-2'])
  })

  it('a late failure does not release a newer claim of the same tab: that request is still under way', () => {
    const s = stateOf(1, 2)
    const [a, b] = ids(s)
    const claimed = claimItems(claimItems(s, new Set([a]), { by: 'tab-1', until: 99 }), new Set([b]), { by: 'tab-1', until: 150 })
    // The failed request claimed until 99 at most; b was claimed again since, by a newer one.
    const released = releaseItems(claimed, new Set([a, b]), 'tab-1', 99)
    expect(released.items.map((i) => i.claim?.until)).toEqual([undefined, 150])
  })

  it('removing by messageId leaves the others in order', () => {
    const s = stateOf(1, 2, 3)
    const [a, b, c] = ids(s)
    expect(ids(removeItems(s, new Set([b])))).toEqual([a, c])
  })
})

describe('when to send', () => {
  it('is never, with nothing queued', () => {
    expect(dueAt(EMPTY_OUTBOX, 0, 50, 2000, 0)).toBeNull()
  })

  it('is the flush interval after the oldest free event, or now for a full batch', () => {
    expect(dueAt(stateOf(100, 500), 600, 50, 2000, 0)).toBe(2100)
    expect(dueAt(stateOf(100, 500), 600, 2, 2000, 0)).toBe(600)
  })

  it('waits for the backoff', () => {
    expect(dueAt(stateOf(100), 600, 50, 2000, 9000)).toBe(9000)
  })

  it('looks again when another tab’s claim lapses', () => {
    const s = stateOf(100)
    const claimed = claimItems(s, new Set(ids(s)), { by: 'other', until: 30_000 })
    expect(dueAt(claimed, 600, 50, 2000, 0)).toBe(30_000)
    // Once lapsed, the event is free again and long overdue.
    expect(dueAt(claimed, 30_000, 50, 2000, 0)).toBeLessThanOrEqual(30_000)
  })
})

/** Writes at once, as if the write delay had passed. */
const now = (fn: () => void) => fn()

describe('persistence', () => {
  it('coalesces a burst of changes into one write, after a short delay', () => {
    const fake = createFakePlatform()
    const writes: string[] = []
    const storage = { ...fake.storage, set: (k: string, v: string) => (writes.push(v), fake.storage.set(k, v)) }
    let pending: (() => void) | undefined
    const box = createOutbox(storage, KEY, clock, (fn) => (pending = fn))
    for (let i = 0; i < 100; i++) box.update((s) => append(s, [{ event: event(), queuedAt: i }], 1000).state)
    expect(writes).toHaveLength(0)
    pending!()
    expect(writes).toHaveLength(1)
    expect(readOutbox(fake.storage, KEY).items).toHaveLength(100)
  })

  it('persist() writes a pending change at once (the page may be going away)', () => {
    const fake = createFakePlatform()
    const box = createOutbox(fake.storage, KEY, clock, () => {})
    box.update(() => stateOf(1, 2))
    box.persist()
    expect(readOutbox(fake.storage, KEY).items).toHaveLength(2)
  })

  it('writes through to storage, stamped with when its tab was last alive', () => {
    const storage = createFakePlatform().storage
    const s = stateOf(1)
    createOutbox(storage, KEY, clock, now).update(() => s)
    expect(readOutbox(storage, KEY)).toEqual({ ...s, alive: 1000 })
  })

  it('reads an unreadable outbox (another tab’s, to adopt) as empty', () => {
    const fake = createFakePlatform()
    fake.storageMap.set(KEY, '{not json')
    expect(readOutbox(fake.storage, KEY)).toEqual(EMPTY_OUTBOX)
  })

  it('keeps the queue in memory while storage refuses writes, and in storage again once the host frees room', () => {
    const fake = createFakePlatform()
    const box = createOutbox(fake.storage, KEY, clock, now)
    fake.failStorage = true
    box.update(() => stateOf(1))
    expect(box.persisted()).toBe(false)
    expect(fake.storageMap.size).toBe(0)
    fake.failStorage = false
    box.update((s) => append(s, [{ event: event(), queuedAt: 2 }], 10).state)
    expect(box.read().items).toHaveLength(2)
    // A crash from here on loses nothing: another tab finds both events.
    expect(readOutbox(fake.storage, KEY).items).toHaveLength(2)
    expect(box.persisted()).toBe(true)
  })

  it('takes its last copy out of storage when a write is refused: a tab adopting it would send delivered events again', () => {
    const fake = createFakePlatform()
    const box = createOutbox(fake.storage, KEY, clock, now)
    box.update(() => stateOf(1, 2, 3))
    expect(readOutbox(fake.storage, KEY).items).toHaveLength(3)
    // the three are delivered; storage is full when the next event is written
    fake.failStorage = true
    box.update((s) => append(removeItems(s, new Set(ids(s))), [{ event: event(), queuedAt: 5 }], 10).state)
    expect(box.persisted()).toBe(false)
    expect(fake.storageMap.has(KEY)).toBe(false)
    expect(box.read().items).toHaveLength(1)
  })

  it('storage full: keeps there the newest events still queued that fit, not the delivered ones, and not nothing', () => {
    const fake = createFakePlatform()
    let quota = Infinity
    const storage = { ...fake.storage, set: (k: string, v: string) => v.length <= quota && fake.storage.set(k, v) }
    const box = createOutbox(storage, KEY, clock, now)
    box.update(() => stateOf(1, 2, 3))
    const [first, second, third] = box.read().items.map((i) => i.event.messageId)
    // the first two are delivered; the page fills the rest of the quota; three more events come
    quota = fake.storageMap.get(KEY)!.length
    const later = [5, 6, 7].map((queuedAt) => ({ event: event(), queuedAt }))
    box.update((s) => append(removeItems(s, new Set([first, second])), later, 10).state)
    expect(box.persisted()).toBe(false)
    // Of the four queued, the newest two take no more room than the three it held.
    expect(readOutbox(fake.storage, KEY).items.map((i) => i.event.messageId)).toEqual(later.slice(1).map((i) => i.event.messageId))
    expect(box.read().items).toHaveLength(4)
    // delivered at last, which frees its room: the three later ones fit and are stored
    box.update((s) => removeItems(s, new Set([third])))
    expect(readOutbox(fake.storage, KEY).items.map((i) => i.event.messageId)).toEqual(later.map((i) => i.event.messageId))
    expect(box.persisted()).toBe(true)
  })

  it('storage full as the page leaves: keeps there what a request carries (the oldest, handed to keepalive) before the newest, so one that never arrives is sent again', () => {
    const fake = createFakePlatform()
    let quota = Infinity
    const storage = { ...fake.storage, set: (k: string, v: string) => v.length <= quota && fake.storage.set(k, v) }
    const box = createOutbox(storage, KEY, clock, now)
    box.update(() => stateOf(1, 2, 3))
    const [oldest] = ids(box.read())
    // the page fills the rest of the quota; five more events come, and the oldest leaves by keepalive
    quota = fake.storageMap.get(KEY)!.length
    const later = stateOf(5, 6, 7, 8, 9).items
    box.update((s) => claimItems(append(s, later, 10).state, new Set([oldest]), { by: 'tab-1', until: clock() + CLAIM_MS }))
    expect(box.persisted()).toBe(false)
    // Room for the claimed one and the newest: the oldest of those not carried are what is lost.
    expect(new Set(ids(readOutbox(fake.storage, KEY)))).toEqual(new Set([oldest, later[4].event.messageId]))
    expect(box.read().items).toHaveLength(8)
  })

  it('frees an event whose claim ends further off than any request lasts: a clock since set back made it', () => {
    const claimed = (until: number) => ({ event: event(), queuedAt: 1, claim: { by: 'tab-2', until } })
    expect(isFree(claimed(1000 + CLAIM_MS), 1000)).toBe(false)
    expect(isFree(claimed(1000 + 86_400_000), 1000)).toBe(true)
    expect(isFree(claimed(1000), 1000)).toBe(true)
  })

  it('leaves no key behind once everything is delivered', () => {
    const fake = createFakePlatform()
    const box = createOutbox(fake.storage, KEY, clock, now)
    box.update(() => stateOf(1))
    box.update((s) => removeItems(s, new Set(ids(s))))
    expect(fake.storageMap.size).toBe(0)
  })
})
