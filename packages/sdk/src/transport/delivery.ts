import { messageId, type LingerError, type LingerEvent } from '../events'
import { toJson } from '../json'
import type { Platform } from '../platform'
import { MAX_RETRY_AFTER_MS, sharedBackoff, type SharedBackoff } from './shared-backoff'
import { classify } from './classify'
import { append, claimItems, createOutbox, isFree, outboxPrefix, removeItems, type Outbox, type OutboxItem } from './outbox'
import { slot } from '../slot'
import { batchBody, batchHeaders, batchUrl, byteLength, fitBatch } from './wire'

export interface DeliveryOptions {
  platform: Platform
  /** Empty: nothing is queued or sent. */
  endpoint: string
  writeKey: string
  flushIntervalMs?: number
  batchSize?: number
  /** Bound on each tab's own outbox (so an origin with n tabs open may hold n times this). */
  maxQueue?: number
  maxBatchBytes?: number
  onError(error: LingerError): void
  onDrop?(count: number, reason: string): void
  /**
   * Loads the sending machinery (sender.ts; the runtime's start chunk carries it). Until it is
   * here events queue, and a page that goes away hands them to the browser itself.
   */
  sender(): Promise<{ createSender(queue: Queue): Sender }>
}

export interface Delivery {
  enqueue(event: LingerEvent): void
  /**
   * Sends every queued event now (still honouring a backoff); never rejects. Before the sender is
   * here, by keepalive, resolving once answered; what is over its quota waits for the sender.
   */
  flush(): Promise<void>
  /**
   * The page may be going away: hand everything queued to the browser, synchronously. `leaving`:
   * it is (pagehide), and the requests still unanswered go with it, so their events go again.
   */
  flushOnHide(leaving?: boolean): void
  /**
   * Forgets this tab's queue and what tabs that are gone left behind (the user opted out: the
   * next page must not send it either). Other live tabs keep their own queues until they see
   * the opt-out themselves.
   */
  clear(): void
  /** Events in this tab's outbox. */
  pending(): number
  stop(): void
}

/** What the browser lets keepalive bodies total while in flight, per page. */
export const KEEPALIVE_QUOTA = 65_536
export const REQUEST_TIMEOUT_MS = 10_000
/** Longer than any request may take, so a live tab's claim never lapses under it. */
export const CLAIM_MS = 30_000
/**
 * How often a tab without Web Locks tells the others it is alive (it counts as gone after
 * CLAIM_MS of silence), and how often a tab looks again at outboxes live tabs hold. Also how long
 * a page waits for the sender before its queue leaves without it, and how often it then does.
 */
export const HEARTBEAT_MS = 10_000

/** What the sending machinery (sender.ts) works on: this tab's queue and how its requests leave. */
export interface Queue {
  platform: Platform
  writeKey: string
  /** When this tab's delivery started. */
  startedAt: number
  flushIntervalMs: number
  batchSize: number
  maxBatchBytes: number
  prefix: string
  tab: string
  outbox: Outbox
  backoff: SharedBackoff
  webLocks: boolean
  tabLock(id: string): string
  /** Where an opt-out's time is kept (queued before it: the user's too, whichever page holds it). */
  optedOutKey: string
  fixedBytes: number
  sizeOf(event: LingerEvent): number
  bodyOf(batch: LingerEvent[], now: number): string
  add(items: OutboxItem[]): void
  /**
   * Sends one batch; resolves true once the collector's answer settled it. `keepalive`: the bytes
   * it holds of the page's keepalive quota (0: a normal request).
   */
  post(batch: LingerEvent[], body: string, keepalive: number): Promise<boolean>
  report(error: LingerError): void
}

/** Sending on a schedule: what `createSender` in sender.ts returns. */
export interface Sender {
  /** An event was queued at `now`. */
  queued(now: number): void
  schedule(): void
  flush(): Promise<void>
  /**
   * Applies the collector's answer (null: no answer), given `at` (default: now), to a batch sent
   * at `sentAt`; true when it is settled.
   */
  settle(batch: LingerEvent[], sentAt: number, status: number | null, retryAfter: string | null, at?: number): boolean
  /** The user opted out: what gone tabs left is looked at (and dropped) now. */
  cleared(): void
  stop(): void
}

let instances = 0

const idsOf = (events: LingerEvent[]) => new Set(events.map((e) => e.messageId))
// Events never change once queued: each is serialised and measured once, at enqueue, not on
// every batch it could join.
const texts = slot<LingerEvent, { json: string; bytes: number }>()
const textOf = (event: LingerEvent) => {
  let t = texts.get(event)
  if (!t) {
    const json = toJson(event)
    texts.set(event, (t = { json, bytes: byteLength(json) }))
  }
  return t
}
const sizeOf = (event: LingerEvent) => textOf(event).bytes

/**
 * Loss-free, at-least-once delivery: every event waits in its tab's outbox until a collector
 * accepted it (2xx) or rejected it for good (4xx), and keeps its messageId throughout, so the
 * collector can drop the rare duplicate (a page that died before hearing back). Each tab sends
 * its own outbox; a live tab adopts the outboxes of tabs that are gone, one at a time.
 *
 * What every page view loads is the queue and the way out of a page that goes away; sending on a
 * schedule (sender.ts) comes with `opts.sender`, loaded beside the runtime's start.
 */
export function createDelivery(opts: DeliveryOptions): Delivery {
  // A full batch leaves at once. 100, not 50: each request costs the page ~2–3 ms of main thread
  // whatever its size (bench/fetch-body.mjs), so during heavy use half as many of them cut
  // track()'s total cost by ~40% (bench/ab.mjs); at 200 the larger bodies made the longest task worse.
  const { platform, endpoint, writeKey, flushIntervalMs = 2000, maxQueue = 1000, maxBatchBytes = 500_000 } = opts
  // A batch that fills half the outbox leaves: one as large as the bound would only be full once
  // the outbox drops events.
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 100, Math.floor(maxQueue / 2)))
  const { storage } = platform
  const prefix = outboxPrefix(writeKey)
  // Two clients in one page (or two fake tabs in one test) must still tell their claims apart.
  const tab = `${messageId(platform.random)}-${++instances}`
  const outbox = createOutbox(storage, prefix + tab, platform.now, platform.setTimeout)
  const backoff = sharedBackoff(storage, writeKey)
  // Web Locks tell a dead tab from a live one for certain; without them, a silent outbox is a dead one.
  const webLocks = !!(platform.holdLock && platform.withLock)
  const tabLock = (id: string) => `linger-tab-${writeKey}-${id}`
  const url = batchUrl(endpoint)
  const headers = batchHeaders(writeKey)
  const fixedBytes = byteLength(batchBody([], writeKey, 0))
  const bodyOf = (batch: LingerEvent[], now: number) => batchBody(batch, writeKey, now, (e) => textOf(e).json)
  let keepaliveBytes = 0
  // messageIds of the events in this page's unanswered requests (not keepalive ones): a page that
  // unloads cuts them off, and their claim would hold the events back for CLAIM_MS.
  const unanswered = new Set<string>()
  // Of those, the ones handed to a keepalive copy as the page left: the original's failure (the
  // unload cutting it off) is not the collector's, so it neither backs off nor frees them.
  const cutOff = new Set<string>()
  let stopped = !endpoint
  // After an opt-out, what was queued before it is the user's too, whichever page adopts it: when
  // it happened is kept in storage (an opt-in does not remove it), so a page that left before it
  // adopted, or the next page after an opt-in, still drops it.
  const optedOutKey = `linger:opted-out-at:${writeKey}`
  let sender: Sender | undefined
  // Until the sender is here to keep the shared backoff, the collector's wait (a 429's or 503's
  // Retry-After) holds this page's next hand-over back; a failed batch itself waits out its claim.
  let held = 0
  // This page's keepalive requests still unanswered: flush() before the sender waits for them.
  const open = new Set<Promise<unknown>>()
  // The sender's stand-in while it is not here (see withoutSender).
  let alone: unknown
  const queue: Queue = {
    platform,
    writeKey,
    startedAt: platform.now(),
    flushIntervalMs,
    batchSize,
    maxBatchBytes,
    prefix,
    tab,
    outbox,
    backoff,
    webLocks,
    tabLock,
    optedOutKey,
    fixedBytes,
    sizeOf,
    bodyOf,
    add,
    post,
    report,
  }
  // Never rejects: a sender that did not load (or start) is reported once, and until the next page
  // view this page's events leave only as it goes away or on flush().
  const ready: Promise<Sender | undefined> = stopped
    ? Promise.resolve(undefined)
    : opts
        .sender()
        .then((m) => {
          platform.clearTimeout(alone)
          return stopped ? undefined : (sender = m.createSender(queue))
        })
        .catch((e) => {
          report({ code: 'internal', message: `delivery: sender: ${String(e)}` })
          withoutSender()
          return undefined
        })
  if (!stopped && webLocks) platform.holdLock!(tabLock(tab))
  // A sender that failed to load, or has not come in HEARTBEAT_MS (a stalled chunk): a page that
  // stays open (a dashboard left on) still sends its queue, by keepalive, and tells the other
  // tabs it is alive, so none of them adopts (and sends again) what it holds.
  function withoutSender() {
    platform.clearTimeout(alone)
    if (sender || stopped) return
    safely(() => {
      if (!webLocks && outbox.read().items.length) outbox.update((s) => ({ ...s }))
      void handOver(false, false)?.catch(() => {})
    })
    alone = platform.setTimeout(withoutSender, HEARTBEAT_MS)
  }
  if (!stopped) alone = platform.setTimeout(withoutSender, HEARTBEAT_MS)

  function report(error: LingerError) {
    try {
      opts.onError(error)
    } catch {
      /* a throwing handler must not stop delivery */
    }
  }

  function safely(fn: () => void) {
    try {
      fn()
    } catch (e) {
      report({ code: 'internal', message: `delivery: ${String(e)}` })
    }
  }

  function add(items: OutboxItem[]) {
    let dropped = 0
    outbox.update((s) => {
      const r = append(s, items, maxQueue)
      dropped = r.dropped
      return r.state
    })
    if (dropped) {
      if (opts.onDrop) opts.onDrop(dropped, 'queue-full')
      else report({ code: 'dropped', message: `outbox full: ${dropped} oldest event(s) dropped`, details: { count: dropped } })
    }
  }

  // Not awaited before the request starts: on unload the request must leave synchronously.
  async function post(batch: LingerEvent[], body: string, keepalive: number): Promise<boolean> {
    const sentAt = platform.now()
    let status: number | null = null
    let retryAfter: string | null = null
    const ids = keepalive ? [] : batch.map((e) => e.messageId)
    ids.forEach((id) => unanswered.add(id))
    keepaliveBytes += keepalive
    try {
      const res = await platform.request(url, { method: 'POST', headers, body, keepalive: !!keepalive, timeoutMs: REQUEST_TIMEOUT_MS })
      status = res.status
      retryAfter = res.headers.get('Retry-After')
    } catch {
      /* network error or timeout: a retry */
    }
    keepaliveBytes -= keepalive
    ids.forEach((id) => unanswered.delete(id))
    if (status === null && ids.some((id) => cutOff.has(id))) return false
    // The sender applies the answer, the shared backoff included.
    if (sender) return sender.settle(batch, sentAt, status, retryAfter)
    // Before it is here (the page hidden early, flush(), or a chunk that never came), whoever
    // waits for the request need not wait for a chunk. What the collector took, or refused for
    // good, leaves the queue at once, so a page that navigates right after flush() leaves nothing
    // delivered behind for the next page to send again. A failure holds this page back.
    const at = platform.now()
    const settled = classify(status) !== 'retry'
    if (settled) outbox.update((st) => removeItems(st, idsOf(batch)))
    // Delay-seconds only (the usual form); the sender reads a date too.
    else if (status === 429 || status === 503) held = Math.max(held, at + Math.min(Number(retryAfter) * 1000 || 0, MAX_RETRY_AFTER_MS))
    // The rest of the answer (the shared backoff, a rejection's report) once the sender is here,
    // as of when it came. A batch that was not settled keeps its claim for CLAIM_MS, then goes again.
    void ready.then((s) => s && safely(() => (s.settle(batch, sentAt, status, retryAfter, at), s.schedule())))
    return settled
  }

  /**
   * Hands the queue to keepalive requests, and, when `hiding`, beacons beyond their quota (a page
   * that lives on keeps what a beacon would take, which cannot be retried); resolves once the
   * requests are answered.
   */
  function handOver(leaving: boolean, hiding: boolean): Promise<unknown> | undefined {
    const now = platform.now()
    const state = outbox.read()
    // Honour the server's wait, unless the page may be going away with the only copy in memory.
    if (now < Math.max(backoff.read().retryAt, sender ? 0 : held) && (outbox.persisted() || !hiding)) return
    // A request the page leaves unanswered may never have reached the collector: its events go
    // again, by keepalive. If it did arrive, the collector drops the copy by its messageId.
    const events = state.items.filter((i) => isFree(i, now) || (leaving && unanswered.has(i.event.messageId))).map((i) => i.event)
    if (leaving) unanswered.forEach((id) => cutOff.add(id))
    const eventBytes = events.map(sizeOf)
    const viaFetch: Array<{ chunk: LingerEvent[]; body: string; bytes: number }> = []
    const overflow: Array<{ chunk: LingerEvent[]; body: string }> = []
    let budget = KEEPALIVE_QUOTA - keepaliveBytes
    for (let i = 0; i < events.length; ) {
      const { count, bytes } = fitBatch(eventBytes.slice(i), batchSize, KEEPALIVE_QUOTA, fixedBytes)
      // Too big for any unload request: it stays queued for a normal send.
      if (!count) {
        i++
        continue
      }
      const chunk = events.slice(i, (i += count))
      const body = bodyOf(chunk, now)
      if (bytes <= budget) {
        budget -= bytes
        viaFetch.push({ chunk, body, bytes })
      } else overflow.push({ chunk, body })
    }
    // Claimed before they leave: settled by the answer if the page lives on, resent by anyone
    // once the claim lapses if it does not.
    if (viaFetch.length) outbox.update((s) => claimItems(s, idsOf(viaFetch.flatMap((f) => f.chunk)), { by: tab, until: now + CLAIM_MS }))
    outbox.persist()
    const posts = viaFetch.map(({ chunk, body, bytes }) => post(chunk, body, bytes).then(() => sender?.schedule()))
    for (const p of posts) {
      open.add(p)
      const done = () => open.delete(p)
      p.then(done, done)
    }
    // After the fetches: Chromium counts beacons against the same 64 KiB, and whichever asks
    // first wins. A beacon never reports back, so what the browser accepts counts as delivered;
    // what it refuses stays queued for the next send.
    const beaconed = overflow.flatMap(({ chunk, body }) => (hiding && platform.beacon?.(url, body) ? chunk : []))
    if (beaconed.length) outbox.update((s) => removeItems(s, idsOf(beaconed)))
    return Promise.all(posts)
  }

  return {
    enqueue(event) {
      if (stopped) return
      safely(() => {
        try {
          // Serialised once here: the check, and the text and size every batch it joins reads.
          textOf(event)
        } catch (e) {
          return report({ code: 'invalid-event', message: `event cannot be serialised: ${String(e)}` })
        }
        const now = platform.now()
        add([{ event, queuedAt: now }])
        sender?.queued(now)
      })
    },
    // Before the sender is here (or if it never comes), the queue leaves by keepalive now, not
    // once a chunk has loaded; what is over the quota waits for the sender.
    async flush() {
      if (sender) return sender.flush()
      // With what is already on its way (a hide's requests, the stand-in's): once this resolves,
      // what the collector took has left the queue, and a page that navigates leaves none of it.
      if (!stopped) safely(() => void handOver(false, false)?.catch(() => {}))
      await Promise.all(open).catch(() => {})
    },
    flushOnHide: (leaving = false) => {
      if (!stopped) safely(() => void handOver(leaving, true)?.catch(() => {}))
      // Whatever happened above, the page may be gone next: storage must hold the truth now.
      safely(outbox.persist)
    },
    clear: () =>
      safely(() => {
        outbox.clear()
        storage.set(optedOutKey, String(platform.now()))
        void ready.then((s) => safely(() => s?.cleared()))
      }),
    pending: () => outbox.read().items.length,
    stop() {
      safely(outbox.persist)
      stopped = true
      platform.clearTimeout(alone)
      sender?.stop()
    },
  }
}
