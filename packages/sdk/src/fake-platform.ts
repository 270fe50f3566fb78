import type { HttpRequest, HttpResponse, KeyValueStorage, PageInfo, Platform } from './platform'
import { dayKeyIn } from './usage'

/**
 * A deterministic platform for unit tests: a manual clock with timers, a seeded random, a
 * shared in-memory storage (two fakes given the same `shared` map act as two tabs), and a
 * scripted network that records every request. Fakes sharing a `shared` map also share their
 * locks, as tabs of one origin do.
 */
export interface FakeRequest { url: string; init: HttpRequest; body: any }
export type FakeAnswer = { status: number; headers?: Record<string, string>; body?: string } | 'network-error'

export interface FakePlatform extends Platform {
  /** Moves the clock forward, running every timer that falls due, in order. */
  advance(ms: number): Promise<void>
  requests: FakeRequest[]
  beacons: { url: string; body: any }[]
  respond: (req: FakeRequest) => FakeAnswer | Promise<FakeAnswer>
  setPage(page: Partial<PageInfo>): void
  hide(): void
  /** The page goes away (pagehide: reload, navigation, tab closed). */
  pageHide(): void
  /** The page is shown again (the tab came back). */
  show(): void
  storageMap: Map<string, string>
  failStorage: boolean
  logs: unknown[][]
  /** Simulates another tab writing to storage. */
  fireStorage(key: string): void
  /** The browser says it is offline (`online()` answers false). */
  offline: boolean
  /** The page is gone (closed, crashed, reloaded): its timers never run and its locks are released. */
  close(): void
  /**
   * The page paints a frame (with `frames`): what waits for one (afterFrame) runs. `busy`: the
   * page's work after it outlasts afterFrame's bound (a slow phone's render): it runs as such.
   */
  paint(busy?: boolean): void
}

type LockRegistry = { held: Map<string, object>; waiting: Array<{ name: string; owner: object }>; tabs: number }
const registries = new WeakMap<Map<string, string>, LockRegistry>()

function release(locks: LockRegistry, name: string) {
  locks.held.delete(name)
  const next = locks.waiting.findIndex((w) => w.name === name)
  if (next >= 0) locks.held.set(name, locks.waiting.splice(next, 1)[0].owner)
}

function mapStorage(map: Map<string, string>): KeyValueStorage {
  return {
    get: (k) => map.get(k) ?? null,
    set: (k, v) => (map.set(k, v), true),
    remove: (k) => void map.delete(k),
    keys: (prefix) => [...map.keys()].filter((k) => k.startsWith(prefix)),
  }
}

export function seededRandom(seed = 42): () => number {
  let s = seed >>> 0
  return () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * `session`: the tab's sessionStorage. A fake given the `session` (and `shared`) map of an earlier
 * one is the next page loaded in that tab.
 */
export function createFakePlatform(opts: { now?: number; seed?: number; shared?: Map<string, string>; session?: Map<string, string>; clock?: { now: number }; frames?: boolean } = {}): FakePlatform {
  const clock = opts.clock ?? { now: opts.now ?? Date.parse('2026-03-02T10:00:00Z') }
  let timers: { id: number; at: number; fn: () => void }[] = []
  let nextId = 1
  const hideFns = new Set<() => void>()
  const pageHideFns = new Set<() => void>()
  const showFns = new Set<() => void>()
  const storageFns = new Set<(key: string) => void>()
  const storageMap = opts.shared ?? new Map<string, string>()
  let page: PageInfo = { url: 'https://app.example.com/dashboard', path: '/dashboard', search: '', hash: '', title: 'Dashboard', referrer: '' }
  let locks = opts.shared && registries.get(opts.shared)
  if (!locks) {
    locks = { held: new Map(), waiting: [], tabs: 0 }
    if (opts.shared) registries.set(opts.shared, locks)
  }
  const lockTable = locks
  const owner = {}
  let closed = false
  let frameFns: Array<(busy?: boolean) => void> = []

  let days: { zone: string; of: (ms: number) => string } | undefined
  const fake: FakePlatform = {
    storageMap,
    failStorage: false,
    offline: false,
    online: () => !fake.offline,
    logs: [],
    requests: [],
    beacons: [],
    respond: () => ({ status: 200 }),
    storage: {
      get: (k) => (fake.failStorage ? null : storageMap.get(k) ?? null),
      set: (k, v) => {
        if (fake.failStorage) return false
        storageMap.set(k, v)
        return true
      },
      remove: (k) => void storageMap.delete(k),
      keys: (prefix) => (fake.failStorage ? [] : [...storageMap.keys()].filter((k) => k.startsWith(prefix))),
    } satisfies KeyValueStorage,
    session: mapStorage(opts.session ?? new Map()),
    now: () => clock.now,
    // Tabs of one storage draw different numbers, as real tabs do (ids they make must differ).
    random: seededRandom(opts.seed ?? 42 + lockTable.tabs++),
    setTimeout(fn, ms) {
      const id = nextId++
      if (!closed) timers.push({ id, at: clock.now + Math.max(0, ms), fn })
      return id
    },
    clearTimeout(id) {
      timers = timers.filter((t) => t.id !== id)
    },
    async request(url, init) {
      const req: FakeRequest = { url, init, body: init.body ? JSON.parse(init.body) : undefined }
      fake.requests.push(req)
      const answer = await fake.respond(req)
      if (answer === 'network-error') throw new TypeError('Failed to fetch')
      const headers = new Map(Object.entries(answer.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]))
      const res: HttpResponse & { text(): Promise<string> } = {
        status: answer.status,
        headers: { get: (n) => headers.get(n.toLowerCase()) ?? null },
        text: async () => answer.body ?? '',
      }
      return res
    },
    beacon(url, body) {
      fake.beacons.push({ url, body: JSON.parse(body) })
      return true
    },
    page: () => page,
    url: () => page.url,
    locale: () => 'en-US',
    timezone: () => 'UTC',
    // Its zone (UTC, or what a test sets) is not necessarily the runtime's: its days follow it.
    dayKey(ms) {
      const zone = fake.timezone()
      if (days?.zone !== zone) days = { zone, of: dayKeyIn(zone) }
      return days.of(ms)
    },
    userAgent: () => 'FakeAgent/1.0',
    onHide(fn) {
      hideFns.add(fn)
      return () => hideFns.delete(fn)
    },
    onShow(fn) {
      showFns.add(fn)
      return () => showFns.delete(fn)
    },
    onPageHide(fn) {
      pageHideFns.add(fn)
      return () => pageHideFns.delete(fn)
    },
    onStorage(fn) {
      storageFns.add(fn)
      return () => storageFns.delete(fn)
    },
    async withLock(name, fn) {
      if (closed || lockTable.held.has(name)) return false
      lockTable.held.set(name, owner)
      try {
        await fn()
      } finally {
        if (lockTable.held.get(name) === owner) release(lockTable, name)
      }
      return true
    },
    holdLock(name) {
      if (closed) return () => {}
      const wait = { name, owner }
      if (lockTable.held.has(name)) lockTable.waiting.push(wait)
      else lockTable.held.set(name, owner)
      return () => {
        const i = lockTable.waiting.indexOf(wait)
        if (i >= 0) lockTable.waiting.splice(i, 1)
        else if (lockTable.held.get(name) === owner) release(lockTable, name)
      }
    },
    heldLocks: async () => [...lockTable.held.keys()],
    log: (...args) => void fake.logs.push(args),
    async advance(ms) {
      const end = clock.now + ms
      for (;;) {
        // Let pending promise chains settle so they can schedule timers before we look.
        for (let i = 0; i < 20; i++) await Promise.resolve()
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0]
        if (!due) break
        timers = timers.filter((t) => t !== due)
        clock.now = Math.max(clock.now, due.at)
        due.fn()
      }
      clock.now = end
      for (let i = 0; i < 20; i++) await Promise.resolve()
    },
    setPage(p) {
      page = { ...page, ...p }
    },
    hide() {
      hideFns.forEach((fn) => fn())
    },
    pageHide() {
      hideFns.forEach((fn) => fn())
      pageHideFns.forEach((fn) => fn())
    },
    show() {
      showFns.forEach((fn) => fn())
    },
    fireStorage(key) {
      storageFns.forEach((fn) => fn(key))
    },
    paint(busy) {
      const fns = frameFns
      frameFns = []
      fns.forEach((fn) => fn(busy))
    },
    close() {
      closed = true
      timers = []
      lockTable.waiting = lockTable.waiting.filter((w) => w.owner !== owner)
      for (const [name, by] of [...lockTable.held]) if (by === owner) release(lockTable, name)
    },
  }
  // `frames`: a page whose frames the test paints; without, a platform with none to wait for.
  if (opts.frames) fake.afterFrame = (fn: (busy?: boolean) => void, framed) => void frameFns.push((busy) => (framed?.(), fn(busy)))
  return fake
}

/** A claim a `lateLocks()` manager has yet to answer: which tab asked, for which name. */
export interface AskedClaim { name: string; tab: Platform }

/**
 * One browser's lock manager under load, for tests: each claim (withLock, asked if available) waits
 * until the test answers it, in whatever order it picks, as Chromium's may answer two tabs' requests
 * out of the order they were made. Answered, a claim of a name no one holds is granted and held
 * until its holder lets go; one of a held name is refused. `tab(platform)` gives a tab this manager.
 */
export function lateLocks() {
  const held = new Set<string>()
  const asked: Array<AskedClaim & { go(): void }> = []
  return {
    asked: asked as readonly AskedClaim[],
    held: held as ReadonlySet<string>,
    tab<T extends Platform>(platform: T): T {
      platform.withLock = (name, fn) =>
        new Promise<boolean>((resolve) =>
          asked.push({
            name,
            tab: platform,
            go: () => {
              if (held.has(name)) return resolve(false)
              held.add(name)
              // Resolved once its holder lets go, as Web Locks' request() is.
              void fn().finally(() => (held.delete(name), resolve(true)))
            },
          }),
        )
      return platform
    },
    /** Answers the first claim still waiting that `which` picks (any, by default); false when none. */
    answer(which: (claim: AskedClaim) => boolean = () => true): boolean {
      const i = asked.findIndex(which)
      if (i < 0) return false
      asked.splice(i, 1)[0].go()
      return true
    },
  }
}
