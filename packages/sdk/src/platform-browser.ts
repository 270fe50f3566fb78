import type { KeyValueStorage, PageInfo, Platform } from './platform'
import { runtimeZone } from './usage'
import { listen } from './listen'

/**
 * localStorage when it works, memory when it does not (private mode, quota, sandboxed iframe,
 * disabled cookies): reading `window.localStorage` itself can throw, so every touch is guarded.
 * A write kept in memory stands in for the key until another tab writes it (storage then holds
 * something else than under our write): from then on storage, which the tabs share, is the truth.
 */
export function safeStorage(getStore: () => Storage | undefined): KeyValueStorage {
  const memory = new Map<string, { value: string; under: string | null }>()
  let store: Storage | undefined
  // No test write: a storage the app filled refused it, and everything Linger kept there (the
  // visitor, their progress, their queued events) went unread; and each write and removal is a
  // storage event in every other tab of the app. A write that fails is kept in memory (set).
  try {
    store = getStore() ?? undefined
  } catch {
    store = undefined
  }
  const storage: KeyValueStorage = {
    get(key) {
      let stored: string | null = null
      try {
        stored = store ? store.getItem(key) : null
      } catch {}
      const kept = memory.get(key)
      if (kept) {
        if (kept.under === stored) return kept.value
        memory.delete(key)
      }
      return stored
    },
    set(key, value) {
      try {
        if (store) {
          store.setItem(key, value)
          memory.delete(key)
          return true
        }
      } catch {
        /* quota or revoked access: keep it in memory for this page's life */
      }
      let under: string | null = null
      try {
        under = store ? store.getItem(key) : null
      } catch {}
      memory.set(key, { value, under })
      return false
    },
    remove(key) {
      memory.delete(key)
      try {
        store?.removeItem(key)
      } catch {
        /* nothing to do */
      }
    },
    keys(prefix) {
      const all = new Set(memory.keys())
      try {
        for (let i = 0; store && i < store.length; i++) all.add(store.key(i)!)
      } catch {
        /* what memory holds is all there is */
      }
      return [...all].filter((k) => k.startsWith(prefix))
    },
  }
  return storage
}

function readZone(): string {
  try {
    return runtimeZone() ?? Intl.DateTimeFormat().resolvedOptions().timeZone
  } catch {
    return 'UTC'
  }
}

/**
 * Chromium copies a string body into the request on the calling task, about 30 µs of the page's
 * main thread per KB, against about 8 for the same bytes as a Blob (250 events, 129 KB: 5.6 ms
 * against 2.9; bench/fetch-body.mjs). Under ~10 KB a Blob costs a little more, and keepalive
 * requests (a closing page) keep the plain string their quota is counted in.
 */
const BLOB_FROM_CHARS = 16_384
function asBody(body: string | undefined, keepalive?: boolean): BodyInit | undefined {
  return body && body.length >= BLOB_FROM_CHARS && !keepalive ? new Blob([body]) : body
}

/** The real platform. Captures the globals once, so a host that later overrides fetch or JSON
 * in a bad way does not break delivery. */
export function browserPlatform(): Platform {
  const w = window
  // A page without fetch (an old embedded browser, a host that deleted it): requests fail, the
  // events wait in the outbox, and nothing is thrown at start-up.
  const fetchFn: typeof fetch = typeof w.fetch === 'function' ? w.fetch.bind(w) : () => Promise.reject(new TypeError('fetch is not available'))
  const nav = w.navigator
  const beaconFn = typeof nav.sendBeacon === 'function' ? nav.sendBeacon.bind(nav) : undefined
  const setT = w.setTimeout.bind(w)
  const sched = (w as { scheduler?: { postTask?(fn: () => void): unknown } }).scheduler
  const clearT = w.clearTimeout.bind(w)
  const raf = w.requestAnimationFrame?.bind(w)
  const idle = w.requestIdleCallback?.bind(w)
  const locks = (nav as Navigator & { locks?: LockManager }).locks
  // No requestIdleCallback (Safari): idle once a posted message runs at once. A render in slices
  // (React's scheduler) always has its next slice's message queued ahead of it; at most until `by`.
  const quiet = (fn: (busy?: boolean) => void, by: number) => {
    const c = new MessageChannel()
    const t = performance.now()
    c.port1.onmessage = () => {
      c.port1.close()
      const now = performance.now()
      now - t < 1 ? fn() : now > by ? fn(true) : quiet(fn, by)
    }
    c.port2.postMessage(0)
  }
  let zone: string | undefined
  let lastPage: PageInfo | undefined
  // The document's referrer never changes: read once.
  let referrer: string | undefined
  let agent: string | undefined
  return {
    storage: safeStorage(() => w.localStorage),
    session: safeStorage(() => w.sessionStorage),
    now: () => Date.now(),
    elapsed: () => performance.now(),
    random: () => Math.random(),
    setTimeout: (fn, ms) => setT(fn, ms),
    clearTimeout: (id) => clearT(id as number),
    async request(url, init) {
      // Every browser with Object.hasOwn (the runtime's baseline) has AbortController.
      const ctrl = new AbortController()
      const timer = init.timeoutMs ? setT(() => ctrl.abort(), init.timeoutMs) : undefined
      try {
        const res = await fetchFn(url, {
          method: init.method,
          headers: init.headers,
          body: asBody(init.body, init.keepalive),
          keepalive: init.keepalive,
          signal: ctrl.signal,
          credentials: 'omit',
          mode: 'cors',
        })
        return { status: res.status, headers: res.headers, text: () => res.text() }
      } finally {
        if (timer !== undefined) clearT(timer)
      }
    },
    // prerenderingchange fires once, as the page is activated.
    prerendered: (fn) => !!(w.document as { prerendering?: boolean }).prerendering && (w.document.addEventListener('prerenderingchange', fn), true),
    beacon: beaconFn ? (url, body) => beaconFn(url, new Blob([body], { type: 'text/plain' })) : undefined,
    page() {
      const l = w.location
      // document.URL is location.href by definition, at a tenth of the cost (~0.03 µs a read in
      // Chromium against ~0.3: Location's getters check the caller's origin each time).
      const href = w.document.URL
      const title = w.document.title
      // Every event carries the page: while its URL and title stay, the same object (the other
      // parts of the URL are slow getters, and an app's events come one task each).
      if (lastPage?.url !== href || lastPage.title !== title) {
        if (referrer === undefined) {
          try {
            referrer = w.document.referrer
          } catch {
            referrer = '' // sandboxed
          }
        }
        lastPage = { url: href, path: l.pathname, search: l.search, hash: l.hash, title, referrer }
      }
      return lastPage
    },
    // Not cached: a host may push a route and track in one task, and the rules must see it.
    url: () => w.document.URL,
    // A task of the Scheduler API is neither clamped to 4 ms when chained nor held to once a
    // second in a background tab, as timers are; it runs at the default, user-visible priority.
    // Not scheduler.yield(): its continuation takes on the abort signal and priority of the
    // host's task that called init.
    yieldTask: () => new Promise<void>((resolve) => (sched?.postTask ? sched.postTask(resolve) : setT(resolve, 0))),
    // The frame's own callbacks (a router's, asked for as it rendered) run before this one, and
    // what they post in a task before it. A hidden page's next frame is when it shows again.
    // Then the page's idle time: React's concurrent render yields in 5 ms slices and the browser
    // paints between them; its effects (and a router's page()) come once it is done. `fn(true)`:
    // the page was still busy when the bound ran out (a slow phone's render, for seconds). A host's
    // shim (`setTimeout(cb, 1)`, for Safari) may give no deadline: not busy, and nothing thrown.
    afterFrame: raf && ((fn: (busy?: boolean) => void, framed) => raf(() => (framed?.(), idle ? idle((d) => fn(d?.didTimeout), { timeout: 2000 }) : quiet(fn, performance.now() + 2000)))),
    locale: () => nav.language || 'en',
    // Every event carries the zone: asked once. Temporal answers at no cost where it exists; a
    // page's first Intl call costs ~40 ms (its locale data loads).
    timezone: () => (zone ??= readZone()),
    userAgent: () => (agent ??= nav.userAgent),
    onHide(fn) {
      let left = false
      const offPage = listen(w, 'pagehide', () => ((left = true), fn()))
      const offBack = listen(w, 'pageshow', () => (left = false))
      const offVis = listen(w.document, 'visibilitychange', () => w.document.visibilityState === 'hidden' && fn())
      // A hidden tab the browser freezes may be discarded without a pagehide: its last chance. Not
      // a page going into the back/forward cache (frozen after its pagehide handed over): the
      // requests of a second hand-over waited in the frozen page and left on Back, beside a
      // request the first still counted on (a backlog's events sent twice).
      const offFreeze = listen(w.document, 'freeze', () => left || fn())
      return () => (offPage(), offBack(), offVis(), offFreeze())
    },
    onPageHide: (fn) => listen(w, 'pagehide', fn),
    // A page restored from the back/forward cache turns visible too.
    onShow(fn) {
      const offVis = listen(w.document, 'visibilitychange', () => w.document.visibilityState === 'visible' && fn())
      // A page restored from the back/forward cache: not every browser says visibilitychange.
      const offRestore = listen<PageTransitionEvent>(w, 'pageshow', (e) => e.persisted && fn())
      return () => (offVis(), offRestore())
    },
    onOnline: (fn) => listen(w, 'online', fn),
    online: () => nav.onLine !== false,
    onStorage: (fn) => listen<StorageEvent>(w, 'storage', (e) => e.key && fn(e.key)),
    withLock: locks
      ? async (name, fn) => {
          let ran = false
          await locks.request(name, { ifAvailable: true }, async (lock) => {
            if (!lock) return
            ran = true
            await fn()
          })
          return ran
        }
      : undefined,
    exclusive: locks
      ? (name, fn) => {
          let ran = false
          const run = () => ((ran = true), fn())
          // Where Web Locks exist but are refused (an opaque-origin iframe), run anyway: a grant
          // must never wait on a lock that will not come.
          try {
            locks.request(name, run).catch(() => ran || fn())
          } catch {
            run()
          }
        }
      : undefined,
    heldLocks: locks ? async () => (await locks.query()).held!.map((l) => l.name!) : undefined,
    holdLock: locks
      ? (name) => {
          let release!: () => void
          const held = new Promise<void>((r) => (release = r))
          locks.request(name, () => held).catch(() => {})
          return release
        }
      : undefined,
    log: (level, ...args) => {
      try {
        console[level]('[linger]', ...args)
      } catch {
        /* a host that removed console */
      }
    },
  }
}
