/**
 * Everything the core needs from the outside world, injected so the core runs (and is tested)
 * without a browser. `browserPlatform()` in platform-browser.ts is the real one.
 */
export interface KeyValueStorage {
  /** Never throws: a storage that fails answers null. */
  get(key: string): string | null
  /** Never throws; returns false when the write did not persist (quota, private mode). */
  set(key: string, value: string): boolean
  remove(key: string): void
  /** Every stored key starting with `prefix` (how a tab finds the outboxes other tabs left). */
  keys(prefix: string): string[]
}

export interface HttpResponse {
  status: number
  headers: { get(name: string): string | null }
  /** The body; absent where it is not read (a worker's answer). */
  text?(): Promise<string>
}

export interface HttpRequest {
  method: 'POST' | 'GET' | 'PUT'
  headers: Record<string, string>
  body?: string
  keepalive?: boolean
  /** Abort after this many ms (the sender and the flows loader both need a timeout). */
  timeoutMs?: number
}

export interface PageInfo {
  url: string
  path: string
  search: string
  hash: string
  title: string
  referrer: string
}

export interface Platform {
  storage: KeyValueStorage
  /**
   * This tab's own storage (sessionStorage): it outlives a reload or a full page load in the tab,
   * and no other tab sees it. Absent: nothing outlives the page.
   */
  session?: KeyValueStorage
  now(): number
  /** A clock that setting the device's clock does not move (performance.now()). Absent: none. */
  elapsed?(): number
  random(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(id: unknown): void
  /** Resolves with the status, rejects on a network error or timeout. */
  request(url: string, init: HttpRequest): Promise<HttpResponse & { text(): Promise<string> }>
  /** navigator.sendBeacon when the page is going away; absent where unsupported. */
  beacon?(url: string, body: string): boolean
  page(): PageInfo
  /**
   * page().url alone, read as it is now (never cached: a host may push a route and track in one
   * task): rules and a trigger's wait read it ~8 times a track() on a page of 50 experiences,
   * where the whole page reads the title too. Absent: page().url.
   */
  url?(): string
  locale(): string
  timezone(): string
  /**
   * The user's local day (YYYY-MM-DD) of a time, as usage profiles key their days. Absent: the
   * runtime's own local day, which is that of `timezone()` wherever that is the runtime's own
   * zone (a browser); a platform that reports another zone says its days here.
   */
  dayKey?(ms: number): string
  userAgent(): string
  /** Fires when the page is hidden or unloading: the last chance to hand events to the browser. */
  onHide(fn: () => void): () => void
  /**
   * The page itself is going away (pagehide: reload, navigation, tab closed), unlike onHide
   * which also fires when the tab merely goes to the background.
   */
  onPageHide?(fn: () => void): () => void
  /** The page is shown again after onHide (the tab came back, or a page restored from the back/forward cache). */
  onShow?(fn: () => void): () => void
  /**
   * The page is being prerendered (Chrome's speculation rules: the user may never see it): true,
   * and `fn` runs once it is shown (activated). False, `fn` never run, for a page already shown.
   */
  prerendered?(fn: () => void): boolean
  /**
   * The browser is back online: a wait an outage left (up to a minute) need not run out first.
   * Absent: nothing says so, and the wait runs out.
   */
  onOnline?(fn: () => void): () => void
  /** False: the browser knows it is offline (navigator.onLine), so a failed request says nothing of the collector. */
  online?(): boolean
  /** Another tab changed `key` in storage. */
  onStorage(fn: (key: string) => void): () => void
  /**
   * Runs `fn` while holding an exclusive cross-tab lock (Web Locks): one tab at a time adopts the
   * outboxes of tabs that are gone, or grants a badge.
   * Resolves false without running `fn` when another tab holds it and `ifAvailable` is set.
   */
  withLock?(name: string, fn: () => Promise<void>): Promise<boolean>
  /**
   * Holds the exclusive lock `name` until the page is gone or the returned function lets it go,
   * so other tabs can tell this one is alive: their `withLock(name)` runs only after that (Web
   * Locks release a dead page's locks). Waits its turn if the lock is held. Absent without Web
   * Locks.
   */
  holdLock?(name: string): () => void
  /** The names of the cross-tab locks held now, by any tab (Web Locks' query()). Absent: not known. */
  heldLocks?(): Promise<string[]>
  /**
   * Runs `fn` once it holds the exclusive cross-tab lock `name`, waiting its turn (Web Locks);
   * absent without Web Locks.
   */
  exclusive?(name: string, fn: () => void | Promise<void>): void
  /**
   * Ends the current task and resumes in a new one, so long start-up work does not block the
   * page in one piece. Absent: the work goes on in the same task.
   */
  yieldTask?(): Promise<void>
  /**
   * Runs `fn` in a task after the next frame the page paints: an app's work for what it just
   * rendered (a router's effect, after the paint) is done by then: once the page is idle (a
   * render in slices paints frames as it goes), at most a few seconds after the frame: `busy`
   * when that bound ran out with the page still at work (a slow phone's render). `framed`: the
   * frame came (`fn` will run). A hidden page paints none until it shows again. Absent: no
   * frames to wait for.
   */
  afterFrame?(fn: (busy?: boolean) => void, framed?: () => void): void
  /** Console, for debug-mode messages. */
  log(level: 'warn' | 'error' | 'info', ...args: unknown[]): void
}
