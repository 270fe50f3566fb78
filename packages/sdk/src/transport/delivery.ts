import { messageId, type LingerError, type LingerEvent } from '../events'
import { toJson } from '../json'
import type { Platform } from '../platform'
import { retryDelay, sharedBackoff } from './backoff'
import { classify } from './classify'
import type { Adoption } from './adopt'
import { append, claimItems, createOutbox, dueAt, isFree, outboxPrefix, releaseItems, removeItems, type OutboxItem } from './outbox'
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
}

export interface Delivery {
  enqueue(event: LingerEvent): void
  /** Sends every queued event now (still honouring a backoff); never rejects. */
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
 * CLAIM_MS of silence), and how often a tab looks again at outboxes live tabs hold.
 */
export const HEARTBEAT_MS = 10_000
/**
 * Requests one tab may have in flight at once, each with its own events: with one, a burst of
 * 2,000 events a second outran it (each request costs the browser a few ms of main thread and
 * a round trip) and the bounded outbox dropped events. The collector takes batches in any order.
 */
export const IN_FLIGHT = 2
/** How long after its start a page looks at the outboxes that other tabs left. */
export const ADOPT_AFTER_START_MS = 2000
/**
 * A backlog (more than `batchSize` free events) goes out in batches this many times larger, up
 * to MAX_BATCH_EVENTS and the byte limit: the browser's cost per request is mostly fixed, so
 * catching up takes fewer of them.
 */
export const DEEP_BATCH_FACTOR = 5
/**
 * Far under the collector's limit of 2,000 events per batch: handing a body to fetch() costs main
 * thread in proportion to its size, and one request must stay well inside a frame.
 */
export const MAX_BATCH_EVENTS = 250

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
  const own = prefix + tab
  const outbox = createOutbox(storage, own, platform.now, platform.setTimeout)
  const backoff = sharedBackoff(storage, writeKey)
  // Web Locks tell a dead tab from a live one for certain; without them, a silent outbox is a dead one.
  const webLocks = platform.holdLock && platform.withLock
  const tabLock = (id: string) => `linger-tab-${writeKey}-${id}`
  const lockName = `linger-send-${writeKey}`
  const url = batchUrl(endpoint)
  const headers = batchHeaders(writeKey)
  const fixedBytes = byteLength(batchBody([], writeKey, 0))
  const bodyOf = (batch: LingerEvent[], now: number) => batchBody(batch, writeKey, now, (e) => textOf(e).json)
  let timer: unknown = null
  let timerAt = Infinity
  let running: Promise<void> | null = null
  let keepaliveBytes = 0
  // messageIds of the events in this page's unanswered requests (not keepalive ones): a page that
  // unloads cuts them off, and their claim would hold the events back for CLAIM_MS.
  const unanswered = new Set<string>()
  // Of those, the ones handed to a keepalive copy as the page left: the original's failure (the
  // unload cutting it off) is not the collector's, so it neither backs off nor frees them.
  const cutOff = new Set<string>()
  let stopped = !endpoint
  // When to look for outboxes of tabs that are gone: soon if another tab left one, but after the
  // page's start-up (a page navigated away from leaves the batch it sent on its way out, claimed;
  // its adoption chunk and lock are not worth a place beside the start-up's chunks and document),
  // else once a heartbeat later: the page this one replaced may have written its outbox too late
  // for this page's copy of storage to hold it, and no storage event tells a page of what came
  // before it.
  let scanAt = platform.now() + (storage.keys(prefix).length ? ADOPT_AFTER_START_MS : HEARTBEAT_MS)
  // Other tabs' outboxes (with a `:` after the prefix, a key of another write key that merely
  // starts like this one): only when there is one does the adoption chunk load.
  const othersKeys = () => storage.keys(prefix).filter((k) => k !== own && !k.slice(prefix.length).includes(':'))
  // The adoption chunk, once loaded. It loads in the background: this tab's own sends never wait
  // for it. A browser keeps a failed module fetch for the page's life, so after a failure this
  // page adopts nothing (reported once); the next page view does.
  let adopter: typeof import('./adopt') | undefined
  let loading = false
  function loadAdopter() {
    if (loading) return
    loading = true
    import('./adopt').then(
      (m) => {
        adopter = m
        scanAt = 0
        schedule()
      },
      (e) => report({ code: 'internal', message: `delivery: adopt: ${String(e)}` }),
    )
  }
  const adoption: Adoption = {
    platform,
    keys: othersKeys,
    prefix,
    tab,
    webLocks: !!webLocks,
    tabLock,
    claimMs: CLAIM_MS,
    lookAgainMs: HEARTBEAT_MS,
    take(items) {
      const cut = Number(storage.get(optedOutKey)) || -Infinity
      add(items.filter((i) => i.queuedAt > cut))
      // Only this outbox holds them now: written at once, not after the write delay.
      outbox.persist()
    },
  }
  // After an opt-out, what was queued before it is the user's too, whichever page adopts it: when
  // it happened is kept in storage (an opt-in does not remove it), so a page that left before it
  // adopted, or the next page after an opt-in, still drops it.
  const optedOutKey = `linger:opted-out-at:${writeKey}`
  const unsubscribe = stopped
    ? () => {}
    : platform.onStorage((k) => {
        if (!k.startsWith(prefix)) return
        scanAt = Math.min(scanAt, platform.now() + HEARTBEAT_MS)
        schedule()
      })
  if (!stopped && webLocks) platform.holdLock!(tabLock(tab))

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

  function cancel() {
    if (timer !== null) platform.clearTimeout(timer)
    timer = null
    timerAt = Infinity
  }

  function schedule() {
    if (stopped) return
    const now = platform.now()
    const state = outbox.read()
    const due = dueAt(state, now, batchSize, flushIntervalMs, backoff.read().retryAt) ?? Infinity
    const beat = !webLocks && state.items.length ? state.alive + HEARTBEAT_MS : Infinity
    const at = Math.min(due, beat, scanAt)
    if (at === Infinity) return cancel()
    if (timer !== null && timerAt <= at) return
    cancel()
    timerAt = at
    timer = platform.setTimeout(() => {
      timer = null
      timerAt = Infinity
      void pump(false)
    }, at - now)
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

  /** Applies the collector's answer (null: no answer) to the batch; true when it is settled. */
  function settle(batch: LingerEvent[], sentAt: number, status: number | null, retryAfter: string | null): boolean {
    const ids = idsOf(batch)
    const outcome = classify(status)
    const now = platform.now()
    if (outcome !== 'retry') {
      outbox.update((s) => removeItems(s, ids))
      // A wait set while this request was in flight (by the request beside it, or another tab)
      // is the server's word since: one success does not lift it.
      if (backoff.read().retryAt <= now) backoff.write({ failures: 0, retryAt: 0 })
    } else {
      outbox.update((s) => releaseItems(s, ids, tab))
      // Nothing is sent before retryAt, so one later than this request means the request beside
      // it (or another tab) already failed since: the same outage, one failure, not two. Counting
      // both grew the wait fourfold per round with two requests in flight.
      const last = backoff.read()
      if (last.retryAt <= sentAt) {
        const failures = last.failures + 1
        backoff.write({ failures, retryAt: now + retryDelay(failures, platform.random, now, status, retryAfter) })
      }
    }
    // A delivered batch is not written at once: the next claim (which must be) or the outbox's
    // coalesced write carries it, and a page that goes away writes everything (flushOnHide). A
    // crash before then can only resend, once the claim lapses, what was delivered (with its
    // messageIds). A released claim is written at once, so a crash does not hold it back.
    if (outcome === 'retry') outbox.persist()
    if (outcome === 'drop') {
      report({ code: 'rejected', message: `the collector rejected ${batch.length} event(s) with HTTP ${status}`, details: { status, count: batch.length } })
    }
    return outcome !== 'retry'
  }

  // Not awaited before the request starts: on unload the request must leave synchronously.
  async function post(batch: LingerEvent[], body: string, keepalive: boolean): Promise<boolean> {
    const sentAt = platform.now()
    let status: number | null = null
    let retryAfter: string | null = null
    const ids = keepalive ? [] : batch.map((e) => e.messageId)
    ids.forEach((id) => unanswered.add(id))
    try {
      const res = await platform.request(url, { method: 'POST', headers, body, keepalive, timeoutMs: REQUEST_TIMEOUT_MS })
      status = res.status
      retryAfter = res.headers.get('Retry-After')
    } catch {
      /* network error or timeout: a retry */
    }
    ids.forEach((id) => unanswered.delete(id))
    if (status === null && ids.some((id) => cutOff.has(id))) return false
    return settle(batch, sentAt, status, retryAfter)
  }

  /**
   * Claims the due batches (up to IN_FLIGHT, oldest events first) and sends them side by side;
   * true when every one settled and the next may follow.
   */
  async function sendNext(force: boolean): Promise<boolean> {
    const now = platform.now()
    const { retryAt } = backoff.read()
    const batches: LingerEvent[][] = []
    outbox.update((s) => {
      while (batches.length < IN_FLIGHT) {
        const due = dueAt(s, now, batchSize, force ? 0 : flushIntervalMs, retryAt)
        const free = s.items.filter((i) => isFree(i, now)).map((i) => i.event)
        if (due === null || due > now || !free.length) break
        // A backlog (more than batchSize free) goes in larger batches.
        const most = Math.max(batchSize, Math.min(free.length, batchSize * DEEP_BATCH_FACTOR, MAX_BATCH_EVENTS))
        const { count } = fitBatch(free.map(sizeOf), most, maxBatchBytes, fixedBytes)
        // A lone event over the byte limit still goes: only the collector may reject it.
        const batch = free.slice(0, Math.max(1, count))
        batches.push(batch)
        s = claimItems(s, idsOf(batch), { by: tab, until: now + CLAIM_MS })
      }
      return s
    })
    // A claim on events storage holds is written before its request leaves: a page that dies
    // mid-request leaves the next one a claim to wait out, not an immediate resend. Events
    // queued since the last write (a burst) are not in storage yet: their claim goes with the
    // next coalesced write.
    if (batches.flat().some(outbox.stored)) outbox.persist()
    // Each request leaves in a task of its own, after the write: building a large body and
    // handing it to the browser costs ms that grow with it, and together they made the longest
    // task a burst of track() calls saw.
    const settled: Array<Promise<boolean>> = []
    for (const batch of batches) {
      await platform.yieldTask?.()
      settled.push(post(batch, bodyOf(batch, platform.now()), false))
    }
    return batches.length > 0 && (await Promise.all(settled)).every(Boolean)
  }

  async function drain(force: boolean) {
    try {
      const state = outbox.read()
      if (!webLocks && state.items.length && state.alive + HEARTBEAT_MS <= platform.now()) {
        outbox.update((s) => ({ ...s }))
        outbox.persist()
      }
      while (!stopped) {
        let more = false
        // The send lock is for taking in the outboxes of tabs that are gone, one batch per lock so
        // a long queue lets other tabs' work interleave, and asked for only when storage holds
        // another tab's outbox. A tab sends its own outbox without it (nothing else sends it): a
        // Web Locks request per batch cost ~0.4 ms of main thread. Held elsewhere (another tab
        // adopting, a dead tab's lease), adoption waits; this tab's own events do not.
        let took = false
        if (platform.now() >= scanAt) {
          scanAt = Infinity
          // Not loaded yet: it looks again once the chunk is here.
          const others = othersKeys().length > 0
          if (others && !adopter) loadAdopter()
          else if (others) {
            const next = await adopter!.adoptUnderLock(adoption, lockName, async () => {
              more = await sendNext(force)
            })
            took = next !== null
            // Refused (another tab adopting, a dead tab's lease): again in a while, not in a loop
            // (flushIntervalMs may be 0).
            scanAt = Math.min(scanAt, took ? next! : platform.now() + Math.max(flushIntervalMs, 1000))
          }
        }
        if (!took) more = await sendNext(force)
        if (!more) break
      }
    } catch (e) {
      report({ code: 'internal', message: `delivery: ${String(e)}` })
    }
  }

  function pump(force: boolean): Promise<void> {
    running ??= drain(force).then(() => {
      running = null
      schedule()
    })
    return running
  }

  function flushOnHide(leaving: boolean) {
    const now = platform.now()
    const state = outbox.read()
    // Honour the server's wait, unless this page's memory holds the only copy.
    if (now < backoff.read().retryAt && outbox.persisted()) return
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
    for (const { chunk, body, bytes } of viaFetch) {
      keepaliveBytes += bytes
      void post(chunk, body, true).then(() => {
        keepaliveBytes -= bytes
        schedule()
      })
    }
    // After the fetches: Chromium counts beacons against the same 64 KiB, and whichever asks
    // first wins. A beacon never reports back, so what the browser accepts counts as delivered;
    // what it refuses stays queued for the next send.
    const beaconed = overflow.flatMap(({ chunk, body }) => (platform.beacon?.(url, body) ? chunk : []))
    if (beaconed.length) outbox.update((s) => removeItems(s, idsOf(beaconed)))
  }

  schedule()

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
        // Looking at the whole queue per event grows with the queue: skipped while a send is
        // under way (it looks when it ends) or a timer already fires before this event is due
        // (it cannot complete a batch while fewer than a batch are queued).
        const soonEnough = timer !== null && (timerAt <= now || (timerAt <= now + flushIntervalMs && outbox.read().items.length < batchSize))
        if (!running && !soonEnough) schedule()
      })
    },
    async flush() {
      while (running) await running
      await pump(true)
    },
    flushOnHide: (leaving = false) => {
      if (!stopped) safely(() => flushOnHide(leaving))
      // Whatever happened above, the page may be gone next: storage must hold the truth now.
      safely(outbox.persist)
    },
    clear: () =>
      safely(() => {
        outbox.clear()
        storage.set(optedOutKey, String(platform.now()))
        scanAt = 0
        schedule()
      }),
    pending: () => outbox.read().items.length,
    stop() {
      safely(outbox.persist)
      stopped = true
      cancel()
      unsubscribe()
    },
  }
}
