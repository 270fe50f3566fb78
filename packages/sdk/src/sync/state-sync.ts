import type { LiveExperienceState } from '../experience-state'
import type { CoreHost } from '../engine'
import { fromJson, toJson } from '../json'
import type { Platform } from '../platform'
import type { LingerError } from '../events'
import { userKey, type Identity } from '../identity'
import { fromFields, toFields, type Fields } from './fields'
import { verified } from './verified'
import { emptyMeta, noteLocal, takeRemote, type Synced, type SyncMeta } from './merge'
import { collectorUrl } from '../transport/wire'

export interface StateSyncOptions {
  platform: Platform
  state: LiveExperienceState
  endpoint: string
  writeKey: string
  userId: string
  userHash: string
  userKey: string
  onError(error: LingerError): void
  /** True while nothing may be sent (the user opted out): changes wait, pending, in storage. */
  paused?(): boolean
}

export interface StateSync {
  /** Settles after the first exchange with the collector (or its failure). */
  ready: Promise<void>
  stop(): void
}

/**
 * Runs a sync for the current user while they are verified (identified with a userHash, not
 * opted out, with an endpoint) and stops or restarts it when that changes. The returned check
 * runs after every user change; it resolves once the current user's first exchange is done (or
 * at once, with nothing to sync) and never rejects. The client bounds the wait (SYNC_WAIT_MS).
 */
export function syncWhileVerified(host: CoreHost, state: LiveExperienceState, endpoint: string | undefined, identity: () => Identity): (stop?: boolean) => Promise<void> | undefined {
  // Opted out (client.ts OPT_OUT_KEY): nothing goes out; changes wait, pending.
  const who = () => host.platform.storage.get('linger:optout') !== '1' && identity()
  let running: StateSync | undefined
  let runningFor = ''
  return (stop) => {
    const id = who()
    const writeKey = host.options.key
    const key = !stop && id && id.userId && id.userHash && endpoint && writeKey ? userKey(id) + '\n' + id.userHash : ''
    if (key !== runningFor) {
      running?.stop()
      runningFor = key
      verified.current = id && key ? { endpoint: endpoint!, writeKey: writeKey!, userId: id.userId!, userHash: id.userHash! } : undefined
      running =
        id && key
          ? startStateSync({ platform: host.platform, state, endpoint: endpoint!, writeKey: writeKey!, userId: id.userId!, userHash: id.userHash!, userKey: userKey(id), onError: host.reportError, paused: () => !who() })
          : undefined
    }
    return running?.ready
  }
}

/** Local changes are sent this long after the last one, so a burst is one request. */
export const SYNC_DEBOUNCE_MS = 1000
const RETRY_MS = [2000, 5000, 15_000, 60_000]
const TIMEOUT_MS = 10_000
/** A bad or hostile Retry-After must not stop a user's sync for days. */
const MAX_WAIT_MS = 3_600_000
/** A tab shown again asks for what other devices wrote when it last asked longer ago than this. */
const REFRESH_MS = 60_000
/**
 * Collectors with no /v1/state (Segment, RudderStack: a 404, or a 405 for the method), by URL:
 * when to ask again (every change a second brought a report and a 404). Said once; asked again an
 * hour later, so a proxy's or a deploy's passing 404 does not stop sync for a tab open all day.
 */
const noRoute: Record<string, number> = {}

/**
 * Progress on every device, for a verified user: the experience state goes to the collector
 * (PUT /v1/state) and comes back merged with what other devices wrote, last writer wins per
 * field, joined where nothing may be lost (merge.ts `joinField`). Nothing is lost offline: what
 * the collector has not confirmed stays pending in storage and is sent again (with backoff, and
 * on the next page).
 */
export function startStateSync(o: StateSyncOptions): StateSync {
  const { platform, state } = o
  const metaKey = `linger:sync:${o.userKey}`
  // Beside the endpoint's batches (wire.ts): with a path and query kept, not after `/v1/batch`.
  const url = collectorUrl(o.endpoint, '/v1/state')
  let stopped = false
  let timer: unknown
  let failures = 0
  let busy = false
  let again = false
  // Nothing goes out before this time: the collector said when to come back (429/503 Retry-After),
  // or has no /v1/state (noRoute).
  let notBefore = noRoute[url] || 0
  // When the collector was last asked.
  let asked = 0

  const readMeta = (): SyncMeta => {
    try {
      const m = fromJson(platform.storage.get(metaKey) ?? '') as SyncMeta
      if (m && m.versions && m.seen && Array.isArray(m.pending)) return m
    } catch {}
    return emptyMeta()
  }
  const writeMeta = (m: SyncMeta) => platform.storage.set(metaKey, toJson(m))
  // The state as storage holds it (written through on every change, by every tab): what this
  // device has, without a read-everything method on the eager runtime's state store.
  const doc = (): Record<string, unknown> => {
    try {
      const v = fromJson(platform.storage.get(`linger:state:${o.userKey}`) ?? '{}')
      return v && typeof v === 'object' ? v : {}
    } catch {
      return {}
    }
  }
  const local = () => toFields(doc())

  /** Takes fields another device wrote into this device's state. */
  function apply(changed: Fields) {
    state.takeIn(fromFields(doc(), changed))
  }

  async function exchange(keepalive = false): Promise<void> {
    if (busy) return void (again = true)
    if (o.paused?.()) return
    // Still asked to wait (a change, or the page hiding): pending stays in storage until then.
    if (platform.now() < notBefore) return schedule(0)
    busy = true
    asked = platform.now()
    try {
      const now = local()
      // What a sign-in brought from the visitor is noted to yield to what other devices wrote.
      const yielding = state.carried(o.userKey, true)
      let meta = noteLocal(readMeta(), now, platform.now(), yielding)
      // A field gone from this device (its state was cleared) has nothing left to send.
      meta = { ...meta, pending: meta.pending.filter((name) => name in now) }
      writeMeta(meta)
      state.carried(o.userKey)
      const headers = { 'Content-Type': 'application/json', Authorization: `Basic ${btoa(`${o.writeKey}:`)}` }
      const fields: Record<string, Synced> = {}
      for (const name of meta.pending) fields[name] = { value: now[name], ...meta.versions[name]! }
      const res = meta.pending.length
        ? await platform.request(url, { method: 'PUT', headers, body: toJson({ userId: o.userId, userHash: o.userHash, fields }), keepalive, timeoutMs: TIMEOUT_MS })
        : // The hash in a header: a request line lands in proxy, CDN and APM logs, and it never expires.
          await platform.request(`${url}${url.includes('?') ? '&' : '?'}userId=${encodeURIComponent(o.userId)}`, { method: 'GET', headers: { ...headers, 'X-Linger-User-Hash': o.userHash }, timeoutMs: TIMEOUT_MS })
      const text = await res.text()
      if (res.status !== 200) {
        // The collector sends delay-seconds (an HTTP date reads as NaN: the usual backoff then).
        // Read here, not with transport/backoff's parser, whose export would cost every page bytes.
        // 503: the collector is upgrading (a migration takes minutes) and said when to come back.
        if (res.status === 429 || res.status === 503) notBefore = platform.now() + Math.min(+(res.headers.get('retry-after') ?? 0) * 1000 || 0, MAX_WAIT_MS)
        // Refused (not verified, bad input): retrying the same request will not help.
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
          const none = res.status == 404 || res.status == 405
          if (!none || !noRoute[url]) o.onError({ code: 'sync-refused', message: `state sync: ${res.status} ${none ? 'no /v1/state, asked again in an hour' : text.slice(0, 200)}` })
          if (!none) return
          // Retried (below) an hour from now.
          noRoute[url] = notBefore = platform.now() + MAX_WAIT_MS
        }
        throw new Error(`status ${res.status}`)
      }
      const remote = (fromJson(text) as { fields?: Record<string, Synced> }).fields ?? {}
      if (stopped) return
      const taken = takeRemote(readMeta(), remote, local(), platform.now())
      meta = taken.meta
      writeMeta(meta)
      apply(taken.changed)
      failures = 0
      // Written here meanwhile: its turn comes after the usual pause, never in a tight loop.
      if (meta.pending.length) schedule(SYNC_DEBOUNCE_MS)
    } catch {
      // Offline or the collector is down: what is pending stays pending, in storage.
      if (!stopped) schedule(RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]!)
    } finally {
      busy = false
      if (again && !stopped) {
        again = false
        schedule(SYNC_DEBOUNCE_MS)
      }
    }
  }

  function schedule(ms: number) {
    platform.clearTimeout(timer)
    timer = platform.setTimeout(() => void exchange(), Math.max(ms, notBefore - platform.now()))
  }

  const stops = [
    state.subscribe(() => {
      // Only when something syncable changed since last versioned (a remote apply did not).
      const meta = readMeta()
      const now = local()
      if (Object.keys(now).some((n) => toJson(now[n]) !== meta.seen[n])) schedule(SYNC_DEBOUNCE_MS)
    }),
    // Leaving the page: what changed in the last second still goes out.
    platform.onHide(() => {
      const meta = noteLocal(readMeta(), local(), platform.now())
      if (meta.pending.length && !busy) void exchange(true)
    }),
    // Back to a tab left open: what the user did meanwhile on another device comes in now, not
    // on the next change made here (the survey they answered on the laptop, asked again).
    platform.onShow?.(() => platform.now() - asked > REFRESH_MS && schedule(0)),
  ]
  const ready = exchange()
  return {
    ready,
    stop() {
      stopped = true
      platform.clearTimeout(timer)
      stops.forEach((s) => s?.())
    },
  }
}
