import { messageId, type LingerError, type LingerEvent } from '../events'
import type { Platform } from '../platform'
import { retryDelay } from './backoff'
import { classify } from './classify'
import { storageLease } from './lease'
import { append, claimItems, createOutbox, dueAt, isFree, outboxKey, releaseItems, removeItems } from './outbox'
import { batchBody, batchHeaders, batchUrl, byteLength, fitBatch } from './wire'

export interface DeliveryOptions {
  platform: Platform
  /** Empty: nothing is queued or sent. */
  endpoint: string
  writeKey: string
  flushIntervalMs?: number
  batchSize?: number
  maxQueue?: number
  maxBatchBytes?: number
  onError(error: LingerError): void
  onDrop?(count: number, reason: string): void
}

export interface Delivery {
  enqueue(event: LingerEvent): void
  /** Sends every queued event now (still honouring a backoff); never rejects. */
  flush(): Promise<void>
  /** The page is going away: hand everything queued to the browser, synchronously. */
  flushOnHide(): void
  clear(): void
  pending(): number
  stop(): void
}

/** What the browser lets keepalive bodies total while in flight, per page. */
export const KEEPALIVE_QUOTA = 65_536
export const REQUEST_TIMEOUT_MS = 10_000
/** Longer than any request may take, so a live tab's claim never lapses under it. */
export const CLAIM_MS = 30_000

let instances = 0

const idsOf = (events: LingerEvent[]) => new Set(events.map((e) => e.messageId))
const sizeOf = (event: LingerEvent) => byteLength(JSON.stringify(event))

/**
 * Loss-free, at-least-once delivery: every event waits in the shared outbox until a collector
 * accepted it (2xx) or rejected it for good (4xx), and keeps its messageId throughout, so the
 * collector can drop the rare duplicate (a page that died before hearing back).
 */
export function createDelivery(opts: DeliveryOptions): Delivery {
  const { platform, endpoint, writeKey, flushIntervalMs = 2000, batchSize = 50, maxQueue = 1000, maxBatchBytes = 500_000 } = opts
  const key = outboxKey(writeKey)
  const outbox = createOutbox(platform.storage, key)
  // Two clients in one page (or two fake tabs in one test) must still tell their claims apart.
  const tab = `${messageId(platform.random)}-${++instances}`
  const lock = platform.withLock ?? storageLease(platform.storage, tab, CLAIM_MS, platform.now)
  const lockName = `linger-send-${writeKey}`
  const url = batchUrl(endpoint)
  const headers = batchHeaders(writeKey)
  const fixedBytes = byteLength(batchBody([], writeKey, 0))
  let timer: unknown = null
  let timerAt = Infinity
  let busyUntil = 0
  let running: Promise<void> | null = null
  let keepaliveBytes = 0
  let stopped = !endpoint
  const unsubscribe = stopped ? () => {} : platform.onStorage((k) => k === key && schedule())

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
    const due = dueAt(outbox.read(), now, batchSize, flushIntervalMs)
    if (due === null) return cancel()
    const at = Math.max(due, busyUntil)
    if (timer !== null && timerAt <= at) return
    cancel()
    timerAt = at
    timer = platform.setTimeout(() => {
      timer = null
      timerAt = Infinity
      void pump(false)
    }, at - now)
  }

  /** Applies the collector's answer (null: no answer) to the batch; true when it is settled. */
  function settle(batch: LingerEvent[], status: number | null, retryAfter: string | null): boolean {
    const ids = idsOf(batch)
    const outcome = classify(status)
    const now = platform.now()
    outbox.update((s) => {
      if (outcome !== 'retry') return { ...removeItems(s, ids), failures: 0, retryAt: 0 }
      const failures = s.failures + 1
      return { ...releaseItems(s, ids, tab), failures, retryAt: now + retryDelay(failures, platform.random, now, status, retryAfter) }
    })
    if (outcome === 'drop') {
      report({ code: 'rejected', message: `the collector rejected ${batch.length} event(s) with HTTP ${status}`, details: { status, count: batch.length } })
    }
    return outcome !== 'retry'
  }

  // Not awaited before the request starts: on unload the request must leave synchronously.
  async function post(batch: LingerEvent[], body: string, keepalive: boolean): Promise<boolean> {
    let status: number | null = null
    let retryAfter: string | null = null
    try {
      const res = await platform.request(url, { method: 'POST', headers, body, keepalive, timeoutMs: REQUEST_TIMEOUT_MS })
      status = res.status
      retryAfter = res.headers.get('Retry-After')
    } catch {
      /* network error or timeout: a retry */
    }
    return settle(batch, status, retryAfter)
  }

  /** Claims the next due batch and sends it; true when it settled and the next may follow. */
  async function sendNext(force: boolean): Promise<boolean> {
    const now = platform.now()
    let batch: LingerEvent[] = []
    outbox.update((s) => {
      const due = dueAt(s, now, batchSize, force ? 0 : flushIntervalMs)
      const free = s.items.filter((i) => isFree(i, now)).map((i) => i.event)
      if (due === null || due > now || !free.length) return s
      const { count } = fitBatch(free.map(sizeOf), batchSize, maxBatchBytes, fixedBytes)
      // A lone event over the byte limit still goes: only the collector may reject it.
      batch = free.slice(0, Math.max(1, count))
      return claimItems(s, idsOf(batch), { by: tab, until: now + CLAIM_MS })
    })
    return batch.length > 0 && (await post(batch, batchBody(batch, writeKey, now), false))
  }

  async function drain(force: boolean) {
    try {
      while (!stopped) {
        let more = false
        // One batch per lock, so a long queue lets other tabs' work interleave.
        const ran = await lock(lockName, async () => {
          more = await sendNext(force)
        })
        if (!ran) busyUntil = platform.now() + flushIntervalMs
        if (!ran || !more) break
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

  function flushOnHide() {
    const now = platform.now()
    const state = outbox.read()
    // Honour the server's wait, unless this page's memory holds the only copy.
    if (now < state.retryAt && outbox.persisted()) return
    const events = state.items.filter((i) => isFree(i, now)).map((i) => i.event)
    const sizes = events.map(sizeOf)
    const viaFetch: Array<{ chunk: LingerEvent[]; body: string; bytes: number }> = []
    const overflow: Array<{ chunk: LingerEvent[]; body: string }> = []
    let budget = KEEPALIVE_QUOTA - keepaliveBytes
    for (let i = 0; i < events.length; ) {
      const { count, bytes } = fitBatch(sizes.slice(i), batchSize, KEEPALIVE_QUOTA, fixedBytes)
      // Too big for any unload request: it stays queued for a normal send.
      if (!count) {
        i++
        continue
      }
      const chunk = events.slice(i, (i += count))
      const body = batchBody(chunk, writeKey, now)
      if (bytes <= budget) {
        budget -= bytes
        viaFetch.push({ chunk, body, bytes })
      } else overflow.push({ chunk, body })
    }
    // Claimed before they leave: settled by the answer if the page lives on, resent by anyone
    // once the claim lapses if it does not.
    if (viaFetch.length) outbox.update((s) => claimItems(s, idsOf(viaFetch.flatMap((f) => f.chunk)), { by: tab, until: now + CLAIM_MS }))
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
          JSON.stringify(event)
        } catch (e) {
          return report({ code: 'invalid-event', message: `event cannot be serialised: ${String(e)}` })
        }
        let dropped = 0
        outbox.update((s) => {
          const r = append(s, { event, queuedAt: platform.now() }, maxQueue)
          dropped = r.dropped
          return r.state
        })
        if (dropped) {
          if (opts.onDrop) opts.onDrop(dropped, 'queue-full')
          else report({ code: 'dropped', message: `outbox full: ${dropped} oldest event(s) dropped`, details: { count: dropped } })
        }
        schedule()
      })
    },
    async flush() {
      while (running) await running
      await pump(true)
    },
    flushOnHide: () => {
      if (!stopped) safely(flushOnHide)
    },
    clear: () =>
      safely(() => {
        outbox.clear()
        cancel()
      }),
    pending: () => outbox.read().items.length,
    stop() {
      stopped = true
      cancel()
      unsubscribe()
    },
  }
}
