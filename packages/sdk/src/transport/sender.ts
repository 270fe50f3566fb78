import type { LingerEvent } from '../events'
import type { Adoption } from './adopt'
import { ANSWER_MAX_BYTES } from './classify'
import { HEARTBEAT_MS, KEEPALIVE_QUOTA, REQUEST_TIMEOUT_MS, type Delivery, type Queue, type Sender } from './delivery'
import { CLAIM_MS, claimItems, isFree, outboxPrefix, releaseItems } from './outbox'
import { encodeOutbox } from './outbox-codec'
import { dueAt } from './outbox-send'
import { fitBatch } from './wire'

// Sending on a schedule (when batches leave, how large, retries once the shared wait is over,
// claims, adopting what gone tabs left) loads with the runtime's start chunk, which every page
// loads anyway. The eager runtime queues, applies the collector's answers as they come, and
// hands the queue to the browser itself if the page goes away before this is here.

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
const idsOf = (events: LingerEvent[]) => new Set(events.map((e) => e.messageId))

/** Sends the queue's events in batches as they fall due, and adopts the outboxes of gone tabs. */
export function createSender(q: Queue): Sender {
  const { platform, outbox, backoff, tab, batchSize, flushIntervalMs, prefix } = q
  const { storage } = platform
  const own = prefix + tab
  const lockName = `linger-send-${q.writeKey}`
  let timer: unknown = null
  let timerAt = Infinity
  let running: Promise<void> | null = null
  let stopped = false
  // `sendFromWorker`: batches leave from a worker once its chunk is here (only those vendors load
  // it), from the page until then or if it never comes.
  let requests: ReturnType<typeof import('./off-thread').offThread> | undefined
  if (q.offThread)
    import('./off-thread').then(
      (m) => void (stopped || (requests = m.offThread(platform, m.spawnRequestWorker))),
      (e) => q.report({ code: 'internal', message: `delivery: worker: ${String(e)}` }),
    )
  // Compact from here on: localStorage's quota is the host's too.
  outbox.encodeWith(encodeOutbox)
  // When to look for outboxes of tabs that are gone: soon if another tab left one, but after the
  // page's start-up (a page navigated away from leaves the batch it sent on its way out, claimed;
  // its adoption chunk and lock are not worth a place beside the start-up's chunks and document),
  // else once a heartbeat later: the page this one replaced may have written its outbox too late
  // for this page's copy of storage to hold it, and no storage event tells a page of what came
  // before it. Counted from the queue's start, not this chunk's arrival.
  // Other tabs' outboxes for this collector (not with a `:` after the prefix: a key of another
  // write key that merely starts like this one), and those of this write key an earlier release
  // left, which recorded no collector: sent here, as that release did (what it queued went to
  // whichever tab took it; lost, it would go nowhere). An earlier release, for its part, takes
  // none of these. Only when there is one does the adoption chunk load.
  const write = outboxPrefix(q.writeKey)
  // A delivery that sends only another collector's queue (without `q.elsewhere`) takes nothing
  // outside its prefix: neither an earlier release's nor another collector's.
  const othersKeys = () =>
    storage.keys(write).filter((k) => k !== own && (k.startsWith(prefix) ? !k.slice(prefix.length).includes(':') : !!q.elsewhere && !k.slice(write.length).includes(':')))
  // Outboxes gone tabs left for another collector: each goes there, the events' own (with the
  // write key they were tracked with, and that collector's own wait), from a delivery of this
  // page's for it, which adopts only that collector's outboxes, as a tab sending there would.
  // Left, they were sent by no page (a vendor who moved collectors lost what was queued then)
  // and kept in the host's storage for good.
  const elsewhere = new Map<string, Delivery>()
  const foreign = () => (q.elsewhere ? storage.keys(write + '@').filter((k) => !k.startsWith(prefix)) : [])
  function sendElsewhere() {
    for (const k of foreign())
      try {
        // The prefix as found, not rebuilt from the URL: a key the URL does not spell back the
        // same (a fragment, another normalisation) would be adopted by no one, kept for good.
        const at = k.slice(0, k.lastIndexOf(':') + 1)
        const to = decodeURIComponent(at.slice(write.length + 1, -1))
        // Only what this SDK writes: an http(s) collector (a damaged key is left alone).
        if (!elsewhere.has(at) && /^https?:\/\/[^/?#\\\s]/i.test(to)) elsewhere.set(at, q.elsewhere!(to, at))
      } catch {
        /* a key no URL was encoded in: not this SDK's */
      }
  }
  let scanAt = q.startedAt + (othersKeys().length || foreign().length ? ADOPT_AFTER_START_MS : HEARTBEAT_MS)
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
      (e) => q.report({ code: 'internal', message: `delivery: adopt: ${String(e)}` }),
    )
  }
  const adoption: Adoption = {
    platform,
    keys: othersKeys,
    tab,
    webLocks: q.webLocks,
    tabLock: q.tabLock,
    claimMs: CLAIM_MS,
    lookAgainMs: HEARTBEAT_MS,
    take(items) {
      // After an opt-out, what was queued before it is the user's too, whichever page adopts it.
      const cut = Number(storage.get(q.optedOutKey)) || -Infinity
      // Old ones too: they go only once their collector showed it is not taking them (delivery.ts,
      // AGED_FOR_MS). A wait the tab that queued them left is no try of this page's.
      q.add(items.filter((i) => i.queuedAt > cut))
      // Only this outbox holds them now: written at once, not after the write delay.
      outbox.persist()
    },
  }
  // Another tab's write brings a look only when none is due soon (one is while a live tab's queue
  // is watched: a look per write read that queue again, or asked after its lock, every 10 s), and
  // not for a collector this page has a delivery for (it watches that one): an idle page beside a
  // live tab of another collector looked at storage again after each of its writes. Not one due
  // later: a tab that wrote before the clock was set back an hour seems alive that long, and
  // its writes since are what tell when it really stops.
  const unsubscribe = platform.onStorage((k) => {
    if (scanAt <= platform.now() + CLAIM_MS || !k.startsWith(write) || elsewhere.has(k.slice(0, k.lastIndexOf(':') + 1))) return
    scanAt = platform.now() + HEARTBEAT_MS
    schedule()
  })

  // Back online after an outage: what it left queued leaves now, not once its wait (up to a
  // minute) ran out; every tab hears it, and sends its own. Not a wait the collector asked for.
  // The failures are kept: an `online` that was wrong (a captive portal) fails on to a longer wait.
  const offOnline = platform.onOnline?.(() => {
    const b = backoff.read()
    if (b.status === null) backoff.write({ ...b, retryAt: 0 })
    schedule()
  })

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
    const beat = !q.webLocks && state.items.length ? state.alive + HEARTBEAT_MS : Infinity
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
        const { count } = fitBatch(free.map(q.sizeOf), most, q.maxBatchBytes, q.fixedBytes)
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
    for (const e of batches.flat()) q.inHand.add(e.messageId)
    // Each request leaves in a task of its own, after the write: building a large body and
    // handing it to the browser costs ms that grow with it, and together they made the longest
    // task a burst of track() calls saw.
    const settled: Array<Promise<boolean>> = []
    for (const batch of batches) {
      await platform.yieldTask?.()
      // Between the claim and now (a task, where the browser may run others first): stop() may have
      // run, an opt-out may have emptied the queue, the request beside this one set a wait, or the
      // page went away and handed the batch over itself (taking it out of inHand). What it could
      // not hand over it let go (delivery.ts): a page that lives on (the back/forward cache) sends it.
      const ours = new Set(outbox.read().items.filter((i) => (i.claim?.by ?? tab) === tab).map((i) => i.event.messageId))
      const still = batch.filter((e) => q.inHand.delete(e.messageId) && ours.has(e.messageId))
      if (stopped || !still.length) continue
      if (platform.now() < backoff.read().retryAt) {
        outbox.update((s) => releaseItems(s, idsOf(still), tab, Infinity))
        continue
      }
      const at = platform.now()
      const body = q.bodyOf(still, at)
      settled.push(
        q.post(still, body, 0, requests?.request).then((done) => {
          // Cut off by the timeout: over a slow uplink (2G) a body this large never arrives whole,
          // and the same backlog was sent again as the same batch for good. The next ones are half
          // as large, down to a keepalive's size (an outage, which also times out, stops there).
          if (!done && platform.now() - at >= REQUEST_TIMEOUT_MS) q.maxBatchBytes = Math.max(KEEPALIVE_QUOTA, Math.min(q.maxBatchBytes, body.length >> 1))
          return done
        }),
      )
    }
    return batches.length > 0 && (await Promise.all(settled)).every(Boolean)
  }

  async function drain(force: boolean) {
    try {
      const state = outbox.read()
      if (!q.webLocks && state.items.length && state.alive + HEARTBEAT_MS <= platform.now()) {
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
          sendElsewhere()
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
      q.report({ code: 'internal', message: `delivery: ${String(e)}` })
    }
  }

  function pump(force: boolean): Promise<void> {
    running ??= drain(force).then(() => {
      running = null
      schedule()
    })
    return running
  }

  schedule()

  return {
    queued(now) {
      // Looking at the whole queue per event grows with the queue: skipped while a send is
      // under way (it looks when it ends) or a timer already fires before this event is due
      // (it cannot complete a batch while fewer than a batch are queued).
      const soonEnough = timer !== null && (timerAt <= now || (timerAt <= now + flushIntervalMs && outbox.read().items.length < batchSize))
      if (!running && !soonEnough) schedule()
    },
    schedule,
    // A 2xx that refuses some of the batch, the rest stored, or a 400 that refuses all of it (the
    // reference collector's `rejected`): only a small JSON body is read, and only one that names
    // events loads what reports them. A body that has not come by the request's timeout is no
    // answer (undefined): the batch is dropped and reported as a 400's always was, not split.
    heard(batch, res) {
      const h = res.headers
      return /json/i.test(h.get('Content-Type') as string) && Number(h.get('Content-Length') || NaN) <= ANSWER_MAX_BYTES
        ? new Promise((named) => {
            platform.setTimeout(() => named(undefined), REQUEST_TIMEOUT_MS)
            res
              .text!()
              .then((text) => text.includes('"messageId"') && import('./refusals').then((m) => (m.reportRefusals(text, batch, q.report), true)))
              .then(named, () => named(false))
          })
        : Promise.resolve(false)
    },
    async flush() {
      while (running) await running
      await pump(true)
    },
    // Each delivery for another collector lets go of its tab's lock too, and each of the gone
    // tabs' locks it took (the back/forward cache: Back to that tab asks for it).
    hidden(leaving) {
      if (leaving) adoption.held?.forEach((letGo) => letGo(true))
      elsewhere.forEach((d) => d.flushOnHide(leaving))
    },
    cleared() {
      // Every collector's: what gone tabs left for one is dropped there, as it is here.
      elsewhere.forEach((d) => d.clear())
      scanAt = 0
      schedule()
    },
    stop() {
      stopped = true
      elsewhere.forEach((d) => d.stop())
      cancel()
      unsubscribe()
      offOnline?.()
      requests?.close()
    },
  }
}
