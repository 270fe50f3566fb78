import { messageId, type LingerError, type LingerEvent } from '../events'
import { toJson } from '../json'
import type { HttpRequest, HttpResponse, Platform } from '../platform'
import { sharedBackoff, type SharedBackoff } from './shared-backoff'
import { retryDelay, toldDelay } from './backoff'
import { classify, rejection } from './classify'
import { append, CLAIM_MS, claimItems, createOutbox, isFree, outboxPrefix, releaseItems, removeItems, type Outbox, type OutboxItem } from './outbox'
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
  /**
   * Errors, and events dropped (`dropped`: the outbox was full, its oldest went, or one a week old
   * whose collector showed for an hour that it is not taking events: `expired`).
   */
  onError(error: LingerError): void
  /**
   * Loads the sending machinery (sender.ts; the runtime's start chunk carries it). Until it is
   * here events queue, and a page that goes away hands them to the browser itself.
   */
  sender(): Promise<{ createSender(queue: Queue): Sender }>
  /** `sendFromWorker`: the sender sends normal requests from a worker (off-thread.ts). */
  offThread?: boolean
  /**
   * A clock that setting the device's clock does not move (performance.now()). With it, an event
   * queued before the clock was set back leaves with a `sentAt` of its own, read on the clock its
   * timestamp was: a collector places it at `timestamp + receivedAt - sentAt`, which is true only
   * when both came from one clock. Not for a clock set forward: a device asleep looks the same
   * (this clock stops meanwhile), and its clock was right.
   */
  elapsed?(): number
  /**
   * The outbox prefix (as found in storage) of the only queues this delivery sends: those other
   * pages left for this collector (sender.ts `sendElsewhere`), not an earlier release's, nor other collectors'.
   */
  only?: string
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
/** Segment's limit on one event of a batch (its documented "32KB", read as the smaller). */
export const SEGMENT_EVENT_BYTES = 32_000
/**
 * How often a tab without Web Locks tells the others it is alive (it counts as gone after
 * CLAIM_MS of silence), and how often a tab looks again at outboxes live tabs hold. Also how long
 * a page waits for the sender before its queue leaves without it, and how often it then does.
 */
export const HEARTBEAT_MS = 10_000
/**
 * How old a queued event may grow on its way to a collector that does not take it (the vendor
 * moved, a mistyped endpoint): past it, it is dropped, reported, rather than kept in the host's
 * storage for good, once its collector showed for AGED_FOR_MS that it is not taking events.
 */
export const QUEUE_MAX_AGE_MS = 7 * 24 * 3600_000
/** Prefix of the note a tab that took another's outbox leaves for it (adopt.ts), by that tab's id. */
export const TAKEN = 'linger:taken:'
/**
 * How long failed tries holding an event over QUEUE_MAX_AGE_MS must go on before it is dropped:
 * one failure is no proof (a laptop waking before its Wi-Fi, a fetch cut as a phone suspends the
 * page), nor are two a day apart. Only failures that say so count: not a wait the collector asked
 * for (it is up), nor one while the browser says it is offline. Any success starts it over.
 */
export const AGED_FOR_MS = 3600_000

/** What the sending machinery (sender.ts) works on: this tab's queue and how its requests leave. */
export interface Queue {
  platform: Platform
  writeKey: string
  /** When this tab's delivery started. */
  startedAt: number
  flushIntervalMs: number
  batchSize: number
  maxBatchBytes: number
  /** Where this tab's outbox is kept: its write key's and its collector's (outboxPrefix, then the batch URL). */
  prefix: string
  tab: string
  outbox: Outbox
  backoff: SharedBackoff
  webLocks: boolean
  tabLock(id: string): string
  /** Where an opt-out's time is kept (queued before it: the user's too, whichever page holds it). */
  optedOutKey: string
  fixedBytes: number
  /**
   * messageIds of events the sender claimed for a request that has not left yet (it leaves a task
   * later). A page that goes away in between hands them over itself, and takes them out of here,
   * so a page that lives on (the back/forward cache) does not send them a second time.
   */
  inHand: Set<string>
  sizeOf(event: LingerEvent): number
  bodyOf(batch: LingerEvent[], now: number): string
  add(items: OutboxItem[]): void
  /**
   * Sends one batch; resolves true once the collector's answer settled it. `keepalive`: the bytes
   * it holds of the page's keepalive quota (0: a normal request).
   */
  post(batch: LingerEvent[], body: string, keepalive: number, via?: (url: string, init: HttpRequest) => Promise<HttpResponse>): Promise<boolean>
  report(error: LingerError): void
  /** `sendFromWorker`: normal requests leave from a worker once its chunk is here (off-thread.ts). */
  offThread?: boolean
  /**
   * A delivery of this page's for another collector (a batch URL), to send what gone tabs left
   * for it under `prefix` (sender.ts); absent on such a delivery itself.
   */
  elsewhere?(to: string, prefix: string): Delivery
}

/** Sending on a schedule: what `createSender` in sender.ts returns. */
export interface Sender {
  /** An event was queued at `now`. */
  queued(now: number): void
  schedule(): void
  flush(): Promise<void>
  /** The user opted out: what gone tabs left is looked at (and dropped) now. */
  cleared(): void
  /** The page was hidden (`leaving`: pagehide): flushOnHide for its deliveries to other collectors. */
  hidden(leaving: boolean): void
  /**
   * The collector took `batch` (a 2xx; its answer may still refuse some of its events), or refused
   * it (a 400). Resolves whether the answer named the events it refused (they are reported), or
   * undefined when its body did not come in time.
   */
  heard(batch: LingerEvent[], res: HttpResponse): Promise<boolean | undefined>
  stop(): void
}

let instances = 0

const idsOf = (events: LingerEvent[]) => new Set(events.map((e) => e.messageId))
// Events never change once queued: each is serialised and measured once, at enqueue, not on
// every batch it could join.
// `at`: how far the device's clock stood ahead of `elapsed` as this page queued it.
const texts = slot<LingerEvent, { json: string; bytes: number; at?: number }>()
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
 * collector can drop a duplicate (a page that died before hearing back). Not a rare one: what a
 * page hands to keepalive as it navigates away is never heard of again, so the next page sends
 * it once more when its claim lapses (30 s). Dropping it instead would lose what an outage or a
 * failing collector met at unload; the collector dedupes by messageId (the reference one, and
 * Segment's for about 24 hours). Each tab sends its own outbox; a live tab adopts the outboxes
 * of tabs that are gone, one at a time.
 *
 * What every page view loads is the queue, the collector's answers applied as they come, and the
 * way out of a page that goes away; sending on a schedule (sender.ts) comes with `opts.sender`,
 * loaded beside the runtime's start.
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
  const url = batchUrl(endpoint)
  // Each collector's queue apart (and its wait: one failing does not hold the other back), so a
  // tab adopts only what was tracked for where it sends: a page of the site with another endpoint,
  // or a mistyped one (its own origin then), sent a closed tab's events to the wrong collector.
  const to = `${writeKey}:@${encodeURIComponent(url)}`
  const prefix = opts.only || outboxPrefix(to)
  // Two clients in one page (or two fake tabs in one test) must still tell their claims apart.
  const tab = `${messageId(platform.random)}-${++instances}`
  const { elapsed } = opts
  const outbox = createOutbox(storage, prefix + tab, platform.now, platform.setTimeout, elapsed)
  const backoff = sharedBackoff(storage, to, platform.now, writeKey)
  // Web Locks tell a dead tab from a live one for certain; without them, a silent outbox is a dead one.
  const webLocks = !!(platform.holdLock && platform.withLock)
  const tabLock = (id: string) => `linger-tab-${writeKey}-${id}`
  const headers = batchHeaders(writeKey)
  const fixedBytes = byteLength(batchBody([], writeKey, 0))
  // How far the clock was set back since `event` was queued (more than a second: not drift), else 0.
  const setBack = (event: LingerEvent, now: number, by = textOf(event).at! + elapsed?.()! - now) => (by > 1000 ? by : 0)
  // With its own sentAt: `,"sentAt":"` and 24 characters and `"`.
  const sizedNow = (event: LingerEvent) => sizeOf(event) + (setBack(event, platform.now()) && 36)
  const bodyOf = (batch: LingerEvent[], now: number) =>
    batchBody(batch, writeKey, now, (e) => {
      const { json } = textOf(e)
      const by = setBack(e, now)
      return by ? `${json.slice(0, -1)},"sentAt":"${new Date(now + by).toISOString()}"}` : json
    })
  let keepaliveBytes = 0
  // messageIds of the events in this page's unanswered requests (not keepalive ones): a page that
  // unloads cuts them off, and their claim would hold the events back for CLAIM_MS.
  const unanswered = new Set<string>()
  // Of those, the ones handed to a keepalive copy as the page left: the original's failure (the
  // unload cutting it off) is not the collector's, so it neither backs off nor frees them.
  const cutOff = new Set<string>()
  const inHand = new Set<string>()
  let stopped = !endpoint
  // After an opt-out, what was queued before it is the user's too, whichever page adopts it: when
  // it happened is kept in storage (an opt-in does not remove it), so a page that left before it
  // adopted, or the next page after an opt-in, still drops it.
  const optedOutKey = `linger:opted-out-at:${writeKey}`
  let sender: Sender | undefined
  // This page's keepalive requests still unanswered: flush() waits for them too.
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
    inHand,
    sizeOf: sizedNow,
    bodyOf,
    add,
    post,
    report,
    offThread: opts.offThread,
    // Not bounded by this page's own maxQueue: it holds only what other tabs queued, each bounded.
    // From the page: a few requests, seldom, not worth a worker of their own each.
    elsewhere: opts.only ? undefined : (to, only) => createDelivery({ ...opts, endpoint: to, maxQueue: 1e5, only, offThread: false }),
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
  // Let go by stop(): a client destroyed while its page lives on (a component unmounted) leaves
  // its queue to whoever adopts it, another client on this page or another tab. Let go at
  // pagehide too, and held again once shown: Chromium (156, as tested) caches a page that holds
  // a Web Lock, but evicts it once another page asks for that lock, and the next page, or any tab
  // of the origin, asks for it as soon as it looks at the outbox this page left (Back then loads
  // the host's page again). Let go, the outbox may be adopted meanwhile: adopt.ts gives the lock
  // back once the page, restored, writes its outbox again.
  const hold = () => (!stopped && webLocks ? platform.holdLock!(tabLock(tab)) : undefined)
  let letGo = hold()
  // A sender that failed to load, or has not come in HEARTBEAT_MS (a stalled chunk): a page that
  // stays open (a dashboard left on) still sends its queue, by keepalive, and tells the other
  // tabs it is alive, so none of them adopts (and sends again) what it holds.
  function withoutSender() {
    platform.clearTimeout(alone)
    if (sender || stopped) return
    safely(() => {
      if (!webLocks && outbox.read().items.length) outbox.update((s) => ({ ...s }))
      handOver(false, false)
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
    // Read from the performance.now() it was queued at: this page's (adopt.ts moves an adopted
    // event's onto it).
    for (const i of items) textOf(i.event).at ??= i.queuedAt - i.e!
    let dropped = 0
    outbox.update((s) => {
      const r = append(s, items, maxQueue)
      dropped = r.dropped
      return r.state
    })
    // While the queue is full each event tracked drops one: told within a second, summed (a 25 s
    // outage called on('error') 5,116 times, each one a vendor's error tracker took), or as the
    // page is hidden or leaves (store()).
    if (dropped && !held) platform.setTimeout(tell, 1000)
    held += dropped
  }
  let held = 0
  const tell = () => (drop(held, 'queue-full'), (held = 0))

  function drop(count: number, reason: string) {
    if (count) report({ code: 'dropped', message: `${count} event(s) dropped: ${reason}`, details: { count, reason } })
  }

  // This page's normal requests still unanswered, each with how to stop waiting for it; and those
  // of them the page cut off as it left.
  const inFlight = new Set<() => void>()
  let leftBehind: Array<() => void> = []
  /**
   * Sends `batch` (Queue.post). Back from the back/forward cache, a request the page cut off as it
   * left is waited for no longer: the sender waits for its requests before it sends again, so what
   * the user tracked after Back waited for that one's answer or timeout, which comes late or never
   * (~10 s). It may still land: its events that no keepalive copy carries stay claimed until its
   * timeout, not sent a second time meanwhile, and an answer it still gets is applied.
   */
  function post(batch: LingerEvent[], body: string, keepalive: number, via?: (url: string, init: HttpRequest) => Promise<HttpResponse>): Promise<boolean> {
    const sentAt = platform.now()
    return new Promise((done, fail) => {
      const ids = idsOf(batch)
      const letGo = () => {
        outbox.update((s) => ({ ...s, items: s.items.map((i) => (ids.has(i.event.messageId) && isFree(i, platform.now()) ? { ...i, claim: { by: tab, until: sentAt + REQUEST_TIMEOUT_MS } } : i)) }))
        done(false)
      }
      if (!keepalive) inFlight.add(letGo)
      posted(batch, body, keepalive, via).then(done, fail).finally(() => inFlight.delete(letGo))
    })
  }

  // Not awaited before the request starts: on unload the request must leave synchronously.
  async function posted(batch: LingerEvent[], body: string, keepalive: number, via: (url: string, init: HttpRequest) => Promise<HttpResponse> = platform.request): Promise<boolean> {
    const sentAt = platform.now()
    let status: number | null = null
    let retryAfter: string | null = null
    // The server's now, when its Date header is readable: a Retry-After date is read against its
    // clock, not a device's set wrong.
    let date = NaN
    // Whether a 400's answer named the events it refused (each then reported with its reasons).
    let named: boolean | undefined
    const ids = keepalive ? [] : batch.map((e) => e.messageId)
    ids.forEach((id) => unanswered.add(id))
    keepaliveBytes += keepalive
    try {
      const res = await via(url, { method: 'POST', headers, body, keepalive: !!keepalive, timeoutMs: REQUEST_TIMEOUT_MS })
      status = res.status
      retryAfter = res.headers.get('Retry-After')
      date = Date.parse(res.headers.get('Date')!)
      // Not awaited: a body that stalls must not hold the batch back.
      if (classify(status) == 'ok') sender?.heard(batch, res)
      // Awaited (the sender bounds the wait): whether a batch of several is split (see below).
      else if (status === 400) named = await sender?.heard(batch, res)
    } catch {
      // A network error or timeout: a retry. Or the page going away cut it off: Chromium fails it
      // as the unload begins, and the failure lands at the first pagehide listener's end (a
      // host's, or Linger's own onHide ones), before flushOnHide tells it cut off. Read then, it
      // set the shared wait as an outage would, and under it the page handed nothing to
      // keepalive: a grant sent at pagehide reached the collector only from the next page,
      // held back by that wait too, or never. Read a task later, after every listener.
      if (!keepalive) await platform.yieldTask?.()
    }
    keepaliveBytes -= keepalive
    const cut = ids.some((id) => cutOff.has(id))
    // Only this request was cut off: a later one with the same events (the page lived on) that
    // fails is an outage again, with its wait and its release.
    ids.forEach((id) => (unanswered.delete(id), cutOff.delete(id)))
    if (status === null && cut) return false
    // Over a limit smaller than ours (a proxy's, a peer collector's): the events go again at once,
    // in batches of at most half this one, so only an event too large on its own is refused. So
    // do those of a 400 that names no event, for a batch holding one over 32 KB (Segment answers
    // so when one of its events is): only that one is lost, not the 100 tracked around it. Not
    // any other such 400, which drops the batch as before (split, a batch every event of which
    // was refused took twice as many requests as it had events), nor one that names the events
    // it refused (the reference collector: every one refused).
    if ((status === 413 || (named === false && batch.some((e) => sizeOf(e) > SEGMENT_EVENT_BYTES))) && batch.length > 1) {
      queue.maxBatchBytes = Math.min(queue.maxBatchBytes, byteLength(body) >> 1)
      outbox.update((s) => releaseItems(s, idsOf(batch), tab, sentAt + CLAIM_MS))
      outbox.persist()
      return true
    }
    return settle(batch, sentAt, status, retryAfter, date, named)
  }

  /**
   * Applies the collector's answer (null: no answer) to a batch sent at `sentAt`, as it comes,
   * whoever sent it (the sender, a page going away, flush(), the stand-in): a page that
   * navigates right after flush() leaves nothing delivered for the next page to send again, and
   * the shared wait holds every tab back, the sender or not. True when the batch is settled.
   */
  function settle(batch: LingerEvent[], sentAt: number, status: number | null, retryAfter: string | null, date: number, named?: boolean): boolean {
    const ids = idsOf(batch)
    const outcome = classify(status)
    const now = platform.now()
    if (outcome !== 'retry') {
      outbox.update((s) => removeItems(s, ids))
      // A wait set while this request was in flight (by the request beside it, or another tab)
      // is the server's word since: one success does not lift it.
      const last = backoff.read()
      backoff.write(last.retryAt <= now ? { failures: 0, retryAt: 0 } : { ...last, aged: 0, agedAt: 0 })
    } else {
      const last = backoff.read()
      const told = toldDelay(status, retryAfter, date || now)
      // Not a newer claim on them (a request still under way): only the one this request made.
      // Those already too old as it left (not one of no known time, 0) go once an hour of failed
      // tries that count showed the collector is not taking them (AGED_FOR_MS).
      let { aged = 0, agedAt = 0 } = last
      // Only the time between counting failures at most 10 min apart (the device awake, trying)
      // adds up: not days asleep between two, nor a wait the collector asked for, nor a clock set
      // back. The first (agedAt 0) adds nothing.
      const counts = () => ((aged += now >= agedAt && now - agedAt <= 600_000 ? now - agedAt : 0), (agedAt = now), aged >= AGED_FOR_MS)
      let expired = 0
      outbox.update((s) => {
        s = releaseItems(s, ids, tab, sentAt + CLAIM_MS)
        const old = (i: OutboxItem) => ids.has(i.event.messageId) && !i.claim && i.queuedAt > 0 && i.queuedAt <= sentAt - QUEUE_MAX_AGE_MS
        return told !== null || platform.online?.() === false || !s.items.some(old) || !counts() ? s : { ...s, items: s.items.filter((i) => !(old(i) && ++expired)) }
      })
      drop(expired, 'expired')
      // Nothing is sent before retryAt, so one later than this request means the request beside
      // it (or another tab) already failed since: the same outage, one failure, not two. Counting
      // both grew the wait fourfold per round with two requests in flight.
      const failures = last.failures + 1
      backoff.write(
        last.retryAt <= sentAt
          ? { failures, retryAt: now + retryDelay(failures, platform.random, date || now, status, retryAfter), status, aged, agedAt }
          : // Whatever failed since, the collector's own word holds when it asks for longer: a
            // wait of under a second, set by a network error beside it, must not cut a 429's short.
            told !== null && now + told > last.retryAt
            ? { failures: last.failures, retryAt: now + told, aged, agedAt }
            : { ...last, aged, agedAt },
      )
    }
    // A delivered batch is not written at once: the next claim (which must be) or the outbox's
    // coalesced write carries it, and a page that goes away writes everything (flushOnHide). A
    // crash before then can only resend, once the claim lapses, what was delivered (with its
    // messageIds). A released claim is written at once, so a crash does not hold it back.
    if (outcome === 'retry') outbox.persist()
    if (outcome === 'drop' && !named) report(rejection(batch.length, status))
    return outcome !== 'retry'
  }

  /**
   * Hands the queue to keepalive requests, and, when `hiding`, a copy of the rest to beacons.
   * flush() waits for the requests (`open`).
   */
  function handOver(leaving: boolean, hiding: boolean): void {
    const now = platform.now()
    const state = outbox.read()
    // Honour the server's wait, unless the page may be going away with the only copy in memory.
    const { retryAt, status } = backoff.read()
    // The collector's own wait (a 429, a 503: it is up, and takes what a page leaving sends it),
    // not an outage's (a network error: a copy sent then is lost, storage's is what is left).
    const gone = leaving && now < retryAt && status !== null
    const waits = !gone && now < retryAt && (outbox.persisted() || !hiding)
    if (waits && !leaving) return
    if (leaving) unanswered.forEach((id) => cutOff.add(id)), (leftBehind = [...inFlight])
    // What the page's own cut-off requests carried is let go first (whatever goes by keepalive
    // below is claimed again): the part left queued is free for the next page to send at once, or
    // once the wait is over, not 30 s later (a user who leaves the site by then leaves it unsent
    // till the next visit). Its claim is for a request that will not be answered.
    if (leaving) outbox.update((s) => releaseItems(s, new Set([...unanswered, ...inHand]), tab, now + CLAIM_MS))
    // Nothing leaves now: a batch the sender had planned goes with the next send, claimed anew (a
    // page Back from the cache sent it, then a tab switch sent it again, by keepalive). Under the
    // collector's wait, unless storage refuses it (a quota the host filled, Safari's private
    // mode): what storage holds still waits for the next page, and what it does not, lost with
    // this one, leaves now (the oldest first) and is not written, so no tab that adopts the
    // outbox sends it again.
    if (waits || (gone && (outbox.persist(), outbox.persisted()))) return inHand.clear(), outbox.persist()
    // A request the page leaves unanswered may never have reached the collector: its events go
    // again, by keepalive. If it did arrive, the collector drops the copy by its messageId. So do
    // the events of a request that had not left yet: their claim would hold them back.
    const events = state.items
      .filter((i) => (isFree(i, now) || (leaving && (unanswered.has(i.event.messageId) || inHand.has(i.event.messageId)))) && !(gone && outbox.stored(i.event)))
      .map((i) => i.event)
    const eventBytes = events.map(sizedNow)
    const viaFetch: Array<{ chunk: LingerEvent[]; body: string; bytes: number }> = []
    const overflow: Array<{ chunk: LingerEvent[]; body: string }> = []
    let budget = KEEPALIVE_QUOTA - keepaliveBytes
    for (let i = 0; i < events.length; ) {
      const { count, bytes } = fitBatch(eventBytes.slice(i), batchSize, Math.min(KEEPALIVE_QUOTA, queue.maxBatchBytes), fixedBytes)
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
    const claim = (sent: LingerEvent[], ids = idsOf(sent), c = { by: tab, until: now + CLAIM_MS }) =>
      sent.length &&
      outbox.update((s) => {
        // Kept for Back (the back/forward cache), claimed as sent: resent then if no answer settles them.
        if (gone) sentAway.push(...s.items.filter((i) => ids.has(i.event.messageId)).map((i) => ({ ...i, claim: c })))
        return gone ? removeItems(s, ids) : claimItems(s, ids, c)
      })
    claim(viaFetch.flatMap((f) => f.chunk))
    outbox.persist()
    const posts = viaFetch.map(({ chunk, body, bytes }) => post(chunk, body, bytes).then(() => sender?.schedule()))
    for (const p of posts) {
      open.add(p)
      const done = () => open.delete(p)
      p.then(done, done)
    }
    // After the fetches: Chromium counts beacons against the same 64 KiB, and whichever asks
    // first wins. A beacon never reports back: what the browser takes may still be lost (an
    // outage, a collector that refuses it), so it stays queued, claimed as a keepalive request's
    // events are, and goes again once the claim lapses; the collector drops the copy that arrived
    // by its messageId. A hidden tab may be killed without another word (mobile): the beacon is
    // its last chance to send now, the outbox the one to send at all.
    const beaconed = overflow.flatMap(({ chunk, body }) => (hiding && platform.beacon?.(url, body) ? chunk : []))
    if (claim(beaconed)) outbox.persist()
    // Handed over: a page that lives on (the back/forward cache) does not send them again now.
    ;[...viaFetch.flatMap((f) => f.chunk), ...beaconed].forEach((e) => inHand.delete(e.messageId))
    if (gone) inHand.clear()
  }

  // Hidden (1), or leaving (2): the timers may never run again (a discarded tab, an unload). An
  // event tracked now (by a host's own listener, after Linger's) is written at the end of its
  // task, and on a page going away handed to a keepalive request too, until the page is shown.
  // Only what is new: the requests handed over at pagehide are keepalive, they outlive the page.
  let away = 0
  let awayTask = false
  // What the page sent as it left, under the collector's wait, because storage refused it.
  const sentAway: OutboxItem[] = []
  const unshow = platform.onShow?.(() => {
    away = 0
    // Back with its outbox gone from storage, after it let its lock go (the back/forward cache)
    // or without Web Locks: a tab that took that outbox meanwhile (it leaves a note for this tab,
    // adopt.ts) sends what it held. Kept here too, the next leave reported them dropped (storage
    // then held newer ones) as that tab delivered them. Not when no tab says it took it: the host
    // cleared storage (a sign-out in another tab), and dropped then, they were lost unreported;
    // kept, the claim that sends them writes them again. Not while it held its lock: no tab takes it then.
    if (!letGo && !storage.get(prefix + tab) && storage.get(TAKEN + tab)) outbox.update((s) => ({ ...s, items: s.items.filter((i) => !outbox.stored(i.event)) }))
    storage.remove(TAKEN + tab)
    if (sentAway.length) add(sentAway.splice(0))
    letGo ??= hold()
    // Shown after pagehide: restored from the back/forward cache (see post). Only the requests it
    // left unanswered then: not a later one, on a mere tab switch.
    for (const letGo of leftBehind.splice(0)) if (inFlight.has(letGo)) letGo()
  })
  const sendAway = () => {
    awayTask = false
    if (away > 1 && !stopped) safely(() => handOver(false, true))
    safely(() => store(away > 1))
  }
  // Writes the outbox. `leaving`: what storage did not take of it (it takes what requests carry,
  // then the newest), and no request carries, goes with the page: dropped now, and said so, as
  // the bound drops the oldest (a page the back/forward cache keeps sends none the vendor was
  // told it lost). Not one a cut-off request carries: the collector may take it yet. Again for
  // each event tracked after the page left (a later pagehide listener's): its write may push
  // stored ones out.
  function store(leaving: boolean, now = platform.now()) {
    outbox.persist()
    if (leaving && !outbox.persisted()) outbox.update((s) => ({ ...s, items: s.items.filter((i) => !isFree(i, now) || cutOff.has(i.event.messageId) || outbox.stored(i.event) || !++held) }))
    tell()
  }

  return {
    enqueue(event) {
      if (stopped) return
      safely(() => {
        const now = platform.now()
        try {
          // Serialised once here: the check, and the text and size every batch it joins reads.
          textOf(event)
        } catch (e) {
          return report({ code: 'invalid-event', message: `event cannot be serialised: ${String(e)}` })
        }
        add([{ event, queuedAt: now, e: elapsed?.() }])
        sender?.queued(now)
        if (away && !awayTask) (awayTask = true), queueMicrotask(sendAway)
      })
    },
    // Before the sender is here (or if it never comes), the queue leaves by keepalive now, not
    // once a chunk has loaded; what is over the quota waits for the sender.
    async flush() {
      if (sender) await sender.flush()
      else if (!stopped) safely(() => handOver(false, false))
      // With what is already on its way by keepalive (a hide's requests, the stand-in's): once
      // this resolves, what the collector took has left the queue, and a page that navigates
      // leaves none of it behind.
      await Promise.all(open).catch(() => {})
    },
    flushOnHide: (leaving = false) => {
      away = Math.max(away, leaving ? 2 : 1)
      if (!stopped) safely(() => handOver(leaving, true))
      // Whatever happened above, the page may be gone next: storage must hold the truth now.
      safely(() => store(leaving))
      safely(() => sender?.hidden(leaving))
      if (leaving) letGo = void letGo?.()
    },
    clear: () =>
      safely(() => {
        outbox.clear()
        storage.set(optedOutKey, String(platform.now()))
        void ready.then((s) => safely(() => s?.cleared()))
      }),
    pending: () => outbox.read().items.length,
    stop() {
      // A component unmounted during an outage: the drops of its last second are still told.
      tell()
      safely(outbox.persist)
      unshow?.()
      stopped = true
      platform.clearTimeout(alone)
      sender?.stop()
      letGo?.()
    },
  }
}
