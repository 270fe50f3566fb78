import { computed } from 'nanostores'
import { afterEach, describe, expect, it } from 'vitest'
import { createFakePlatform } from './fake-platform'
import { createUsageStore, dayKeyIn, type EventStats } from './usage'
import { countOf } from './usage-reads'

// The store records in place for its own readers (a user with hundreds of event names paid a
// copy of them all per track()); what the host is handed (`linger.usage`) must still behave as
// an immutable value.
const dayKey = dayKeyIn('Asia/Tokyo')

describe('the usage profile the host is handed', () => {
  it('gives a computed over its events a new record on every event', () => {
    const store = createUsageStore({ platform: createFakePlatform(), key: 'u', dayKey })
    const seen: Array<Record<string, EventStats>> = []
    const unlisten = computed(store.$profile, (p) => p.events).listen((events) => seen.push(events))
    for (let i = 0; i < 3; i++) store.record({ name: 'Task Created' })
    unlisten()
    expect(seen.map((e) => e['Task Created']!.count)).toEqual([1, 2, 3])
    expect(new Set(seen).size).toBe(3)
  })

  it('never changes a profile the host kept, whether or not it listens', () => {
    const store = createUsageStore({ platform: createFakePlatform(), key: 'u', dayKey })
    store.record({ name: 'Task Created' })
    const kept = store.$profile.get()
    store.record({ name: 'Task Created' })
    store.record({ name: 'Report Exported' })
    const unlisten = store.$profile.listen(() => {})
    store.record({ name: 'Task Created' })
    unlisten()
    expect(kept.events['Task Created']!.count).toBe(1)
    expect(Object.keys(kept.events)).toEqual(['Task Created'])
    expect(countOf(store.$profile.get(), 'Task Created')).toBe(3)
    // Read twice with nothing new: the same value, so a host comparing them sees no change.
    expect(store.$profile.get()).toBe(store.$profile.get())
  })

  it('counts events named like what every object inherits, and keeps them over a reload', () => {
    const platform = createFakePlatform()
    const store = createUsageStore({ platform, key: 'u', dayKey })
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty']
    for (const name of [...names, ...names]) store.record({ name })
    store.destroy()
    for (const p of [store.$profile.get(), store.$live.get(), createUsageStore({ platform, key: 'u', dayKey }).$profile.get()]) {
      expect(names.map((n) => countOf(p, n))).toEqual([2, 2, 2, 2])
      expect(Object.getPrototypeOf(p.events)).toBe(Object.prototype)
    }
  })
})

describe('on a page that froze what every object inherits (SES lockdown)', () => {
  const { toString } = Object.prototype
  afterEach(() => {
    Object.defineProperty(Object.prototype, 'toString', { value: toString, writable: true })
  })

  it('still counts an event named like one of those methods', () => {
    Object.defineProperty(Object.prototype, 'toString', { writable: false })
    const store = createUsageStore({ platform: createFakePlatform(), key: 'u', dayKey })
    store.record({ name: 'toString' })
    store.record({ name: 'toString' })
    expect(countOf(store.$profile.get(), 'toString')).toBe(2)
  })
})
