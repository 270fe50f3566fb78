import { atom, type ReadableAtom } from 'nanostores'
import { mounted } from './mounted'
import type { Handlers, InitOptions, LingerOptions } from './config/init-options'
import { startOptions } from './start-options'
import type { Flows } from './config/flows-schema'
import { createEmitter, shortName } from './emitter'
import { envelope, type LingerError, type LingerEvent, type Properties } from './events'
import type { HostEventName, LingerListeners } from './event-map'
import type { LiveExperienceState } from './experience-state'
import { badUserId, groupReducer, IDENTITY_KEY, identifyReducer, loadIdentity, readIdentity, resetIdentity, saveIdentity, userKey, type Identity } from './identity'
import type { PageInfo, Platform } from './platform'
import { browserPlatform } from './platform-browser'
import { cleanProperties } from './properties'
import { createDelivery } from './transport/delivery'
import { batchUrl } from './transport/wire'
import { createUsageStore, emptyProfile, type UsageProfile } from './usage'
import type { UserView } from './experiences/host'
import type { CoreHost, Engine, Experiences } from './engine'
import { viewWait, watchNavigation } from './navigation'
import { watchFeatureClicks } from './autocapture'
import { COMMANDS } from './snippet/replay'
import type { StartedCommands, WhyReport } from './config/started-commands'

/** Linger's own grant events (experiences/badges.ts, checklists), which the leaderboard counts. */
const GRANT_EVENTS = /^(Badge Earned|Level Reached|Checklist (Task )?Completed)$/

export type { InitOptions }

/** When and where a call was made: the snippet records both for calls queued before load. */
export interface CallSite {
  time?: number
  page?: PageInfo
  /** The DOM event it was made in (window.event then; none: undefined). */
  event?: Event | null
  /** init's: the page as the task it was called in ended (the snippet's; a router's redirect done). */
  settled?: PageInfo
}

export type { WhyReport }

/** A call site as sent: `who`, the identity it goes as (none: whoever is named when it goes). */
type At = CallSite & { who?: Identity }

/**
 * Properties and traits: any plain object. `object`, not `Record<string, unknown>`, so a vendor's
 * own interface (`interface ExportProps { rows: number }`, which has no index signature) is taken
 * as the runtime takes it.
 */
export interface Linger {
  identify(userId: string, traits?: object, options?: { userHash?: string }): void
  track(event: string, properties?: object): void
  page(name?: string, properties?: object): void
  /** Segment's form: the properties alone. */
  page(properties: object): void
  group(groupId: string, traits?: object, options?: { groupHash?: string }): void
  reset(): void
  /** False for an unknown id, or for one another blocking experience keeps off the screen (why(id) says which). */
  show(experienceId: string): boolean
  /** Opens the flows' cancel flow; `handlers` (functions only) join or replace init's. */
  cancel(handlers?: Handlers): void
  /** Linger's own events (`survey:answered`), `ready` and `error` typed; the host's own events' properties as a record. */
  on<N extends keyof LingerListeners>(name: N, fn: (properties: LingerListeners[N]) => void): () => void
  on<N extends string>(name: N & HostEventName<N>, fn: (properties: Properties) => void): () => void
  off<N extends keyof LingerListeners>(name: N, fn: (properties: LingerListeners[N]) => void): void
  off<N extends string>(name: N & HostEventName<N>, fn: (properties: Properties) => void): void
  optOut(): void
  optIn(): void
  why(experienceId: string): WhyReport
  /**
   * Sends what is queued now (tests, and hosts that navigate by hand); before the start chunk is
   * here, by keepalive, as a page that goes away does.
   */
  flush(): Promise<void>
  /** The current user's usage profile, read-only. */
  readonly usage: ReadableAtom<UsageProfile>
  /** Resolves when flows are loaded and experiences are running; also once a client destroyed during start-up stopped (nothing runs). */
  readonly ready: Promise<void>
  /**
   * For @linger/widgets: the running experiences' controllers and the host they share. Only the
   * kinds the flows use run (none before `ready`, nor when no experience could show), so every
   * kind is optional; widgets render a kind only once its `$needsUi` turned true.
   */
  readonly experiences: Partial<Experiences>
  readonly host: CoreHost
  /** Keys of `experiences` whose UI will probably be needed soon: widgets prefetch them at idle. */
  readonly likely: ReadableAtom<string[]>
  /** Runs a command by name, as the snippet does: `call('track', ['Signup'], { time, page })`. */
  call(method: string, args: unknown[], site?: CallSite): unknown
  destroy(): void
}

export type { Experiences, CoreHost }

const OPT_OUT_KEY = 'linger:optout'
/** Ids and event names longer than this are refused by the collector: refused here instead, by name. */
const MAX_ID = 200
/** How long a verified user's experiences wait for their progress from their other devices. */
export const SYNC_WAIT_MS = 1500
const NOTHING_LIKELY: ReadableAtom<string[]> = atom([])
// The script-tag runtime's build (always a page): no server client in its bytes.
declare const __LINGER_DOM__: boolean | undefined
const dom = typeof __LINGER_DOM__ !== 'undefined' && __LINGER_DOM__
// The running clients, by page (its window, or the platform given for it) and key + collector:
// each hands itself to another createLinger for them.
const clients = new WeakMap<object, Map<string, (options: LingerOptions, env: LingerEnv) => Linger>>()
// The document's origin (window.origin), as requests carry it, not the one its URL spells: a
// sandboxed frame's "null" (every request CORS-blocked) or a file: page's is none; an about:blank
// or srcdoc frame's is its parent's. Only an http(s) one has a collector of its own. (With no
// window, another platform's page URL stands for it.)
const originOf = (url: string) => {
  try {
    const o = new URL(url).origin
    return /^https?:/.test(o) ? o : ''
  } catch {
    return ''
  }
}

export interface LingerEnv {
  platform?: Platform
  window?: Window
  site?: CallSite
  /**
   * Called once, as the engine starts loading (the flows have something to show): the
   * script-tag runtime fetches its widget mounting then, beside the engine, so a page with no
   * experience never loads it. What it returns (the mounting, a promise) holds the screen until it
   * settled (config/hold-screen.ts).
   */
  onExperiences?(linger: Linger): unknown
  /** The snippet's calls made before init ([method, args, site]): taken and run as it starts. */
  queued?: Array<[string, unknown[], CallSite]>
}

/**
 * `rawOptions` is typed for a vendor's own call (only `key` required); the script-tag runtime
 * passes what a page handed `init`, unchecked, which this takes as well and checks at run time.
 */
export function createLinger(rawOptions: LingerOptions, env: LingerEnv = {}): Linger {
  const w = env.window ?? (typeof window === 'undefined' ? undefined : window)
  // A server render (Next.js, Remix run a client component's module there too): no page and no
  // user, so a client that does nothing. Thrown, it failed the whole render.
  if (!dom && !w && !env.platform) return onServer()
  const platform = env.platform ?? browserPlatform()
  // Without a key the client is inert: calls are still checked and reported, nothing is sent.
  const { options } = startOptions(rawOptions)
  const writeKey = options.key ?? ''
  // Where batches and a verified user's progress go. Left out, or refused (not an http(s) URL: the
  // start chunk says so), the page's own origin, as README promises, never silently nowhere; only
  // '' given on purpose (a staging page) sends nothing.
  const origin = originOf(w?.origin ?? platform.page().url)
  const endpoint = !writeKey || (rawOptions as { endpoint?: unknown } | null)?.endpoint === '' ? '' : options.endpoint || origin
  // One client per page for a key and endpoint: a second one (vite's hot reload re-running the
  // module, a component mounted twice) ran beside the first, and every page view and event
  // reached the dashboard twice. The caller gets the running one, told why; it stops at its
  // last holder's destroy(). With no page (a server rendering for many users) each call is a
  // client of its own. The collector as batches reach it: `…com`, `…com/` and `…/v1/batch` are one.
  const scope = env.platform ?? w ?? {}
  const here = clients.get(scope) ?? new Map<string, (options: LingerOptions, env: LingerEnv) => Linger>()
  clients.set(scope, here)
  const clientKey = writeKey && `${writeKey} ${batchUrl(endpoint)}`
  const live = here.get(clientKey)
  if (live) return live(rawOptions, env)
  const debug = !!options.debug
  const emitter = createEmitter<[any]>((e) => platform.log('error', 'a listener threw', e))
  const reported = new Set<string>()
  // After destroy() nothing more runs, shows, or speaks for this client (its start-up included).
  let destroyed = false
  const reportError = (error: LingerError) => {
    // (But what the queue dropped before: told as the client stops, see delivery's stop().)
    if (destroyed && error.code != 'dropped') return
    const sig = `${error.code}:${error.message}`
    if (debug && !reported.has(sig)) {
      // A refused event's is a problem of its own (it names the messageId): a day of them held
      // megabytes. Past a thousand, one may be logged again.
      if (reported.size > 999) reported.clear()
      reported.add(sig)
      platform.log('warn', `${error.code}: ${error.message}`)
    }
    emitter.emit('error', error)
  }
  const badCall = (call: string, needs: string, got: unknown) => reportError({ code: 'invalid-call', message: `${call} needs ${needs}, got ${describe(got)}` })
  // What the collector would refuse (an empty or overlong id or name), refused here by name.
  const isId = (call: string, what: string, v: unknown): v is string =>
    (typeof v === 'string' && !!v.trim() && v.length <= MAX_ID) || (badCall(call, `${what} (a non-empty string of at most ${MAX_ID} characters)`, v), false)
  // Signed in (or in the account) unvouched, and told why: a hash that is not a string vouches for
  // no one, nor does one handed over in another form (the hash itself as the options, Intercom's
  // `user_hash`), which left the user unverified with nothing said.
  const hashIn = (call: string, name: string, opts: unknown): string | undefined => {
    if (opts == null) return
    // Its type, not the value: the hash itself lets anyone send as the user, and errors reach error trackers.
    const other = typeof opts == 'object' ? Object.keys(opts).filter((k) => k != name) : [typeof opts]
    if (other.length) badCall(call, `its options as { ${name} }`, `${other}`)
    const hash = (opts as Record<string, unknown>)[name]
    if (hash === undefined || typeof hash == 'string') return hash
    badCall(call, `a ${name} that is a string (hex)`, hash)
  }
  // Where Intercom takes its user_hash: as a trait it vouches for no one, and is kept where the
  // collector keeps no hash (anyone who reads the user's or the account's traits could vouch with
  // it), also beside one given as it should be.
  const hashTrait = (call: string, name: string, traits: Properties) =>
    traits[name] !== undefined && (badCall(call, `its options as { ${name} }`, `traits.${name}`), delete traits[name])

  // Listeners registered in the same tick as init still hear option errors.
  const deferred = (fn: () => void) => Promise.resolve().then(fn)
  // A missing or bad key (nothing will be sent) is reported by the start chunk (config/start.ts),
  // with the other option errors: its words stay out of every page view's eager bytes.

  let identity: Identity = loadIdentity(platform.storage, platform.random)
  // The identity's stored text as this tab last wrote or took it in: another text is another tab's.
  let seenIdentity = platform.storage.get(IDENTITY_KEY)
  const keepIdentity = () => {
    saveIdentity(platform.storage, identity)
    seenIdentity = platform.storage.get(IDENTITY_KEY)
  }
  let optedOut = platform.storage.get(OPT_OUT_KEY) === '1'
  // The start chunk, with the experience state (only experiences and progress sync read it) and
  // what sends events on a schedule (delivery imports it for that).
  let state: LiveExperienceState | undefined
  // A visitor who signs in before the start chunk came (identify() as the page loads, the usual
  // page after a login): their progress comes with them once the state is made, as it would.
  let carryFrom: string | undefined
  const started = import('./config/boot').then(({ start }) => ((state = start.createExperienceState(platform, userKey(identity), carryFrom)), start))
  const delivery = createDelivery({
    // The same chunk, but not its experience state: sending does not wait on (or fail with) it.
    sender: () => import('./config/boot').then(({ start }) => start),
    platform,
    endpoint,
    writeKey,
    flushIntervalMs: options.flushIntervalMs,
    batchSize: options.batchSize,
    maxQueue: options.maxQueue,
    onError: reportError,
    offThread: options.sendFromWorker,
    elapsed: platform.elapsed,
  })
  // Opted out earlier: queues other tabs left behind must not be sent by this page either.
  if (optedOut) delivery.clear()
  // holdForIdentify: what this page counts is the named user's (usage.ts).
  const usage = createUsageStore({ platform, key: userKey(identity), holdForIdentify: options.holdForIdentify })
  // No flows yet: every reader takes a missing list for an empty one.
  const $flows = mounted(atom<Flows>({} as Flows))
  const $user = mounted(atom<UserView>(userView(identity)))
  const trackFns = new Set<(name: string, p: Properties, t: number, e?: Event | null) => void>()
  const pageFns = new Set<(p: PageInfo) => void>()
  const urlFns = new Set<() => void>()
  // `unconfirmed`: see switchUser.
  const leaving = new Set<(next: UserView, keep: (send: () => void) => () => void, unconfirmed?: boolean) => void>()
  // What keep() collects: a leaving user's grants, built as theirs, sent once their claim is won.
  // The app's on() hears them as they go (after the switch): a vendor that forwards on('badge:earned')
  // to its own analytics counted one badge fewer than Linger. (The usage profile is the next user's
  // by then: not counted there.)
  let kept: LingerEvent[] | undefined
  const keep = (fn: () => void) => {
    const mine: LingerEvent[] = (kept = [])
    try {
      fn()
    } finally {
      kept = undefined
    }
    return () => mine.forEach((e) => optedOut || (delivery.enqueue(e), emitter.emit(shortName(e.event!), e.properties)))
  }
  const cleanups: Array<() => void> = []
  let running = false
  // A verified user who signs in, at start or on a running page: until their progress from their
  // other devices is in (or SYNC_WAIT_MS passed), their events wait and nothing opens, starts or
  // is granted on its own from this device's copy (a "what's new" they closed on their laptop,
  // again). Then every experience looks again, with what came, at the page too. Set, to that
  // sign-in's token, meanwhile.
  let arriving: object | null = null
  // The events experiences hear of, held while the runtime starts or a sign-in waits.
  const early: Array<() => void> = []
  // show() before the engine is in waits for it, instead of failing, with the DOM event it was
  // called in (null: none): replayed, a "What's new" pressed as the page loaded is still the
  // user's, as a held track() is (the snippet's queue brings the one it saw).
  const pendingShows: Array<[string, Event | null]> = []
  // The page the user landed on (the snippet passes the one init was called on). Its page view
  // goes before the first track or page made after init (after an identify, group or reset: they
  // name who landed), or in the task after the one Linger started in: a client destroyed before
  // (React Strict Mode mounts twice) reports nothing. Held (1) while the snippet's calls
  // made before init run, so an identify() among them names who landed (and a reset() is the
  // session's answer, see reset). Its page is the one as the task Linger started in ended (the
  // snippet's init: as it saw it then): a router's redirect in that task (`/` replaced by
  // `/login`, its title set) is the one screen the user saw, not a page view of `/` with the old
  // title first. Unless a call made on the first page lands it (a track() there, before the
  // redirect): that page was the user's.
  const landing: CallSite = { ...env.site }
  const first = env.site?.page
  const settled = env.site?.settled || first
  // A track() or page() made on the first page (also while the snippet's calls replay, or
  // prerendered): that page was the user's, so the landing is it.
  let made: PageInfo | undefined
  // The URL of the last page view sent: where the navigation watcher starts from.
  let pageSent: string | undefined
  // A route change's own page view waits a while for the app's page() on that URL, which takes
  // its place (README, page()): a router that calls page() in a later task sends one, not two.
  // The experiences heard that route as it came: `heard`, the call site of that view.
  const views = viewWait(platform, () => (held ? undefined : identity))
  let heard: At = {}
  let landed: boolean | 1 = 1
  const land = (at?: PageInfo) =>
    (at?.url === first?.url && (made ||= at), landed || destroyed || unseen || ((landed = true), (landing.page = made || settled || platform.page()), page(undefined, undefined, landing)))
  // A page Chrome prerenders (speculation rules) may never be seen: what it does waits in memory,
  // neither sent nor in an outbox the next page would send, and its track() and page() calls
  // count toward no usage, tick nothing and open nothing, until it is shown (a user who never
  // went there did none of it).
  let unseen = platform.prerendered?.(shown) ? ([] as Array<() => void>) : undefined
  // holdForIdentify: an app that asks its server who is signed in (`await fetch('/me')`) names
  // them a round trip after the landing page view. What is sent meanwhile (that page view first)
  // waits, with its own time and page, for the first identify() or reset() to name who did it,
  // or for the cap, a hidden page, flush() or destroy() (then it goes as it is): sent at once, it
  // went anonymous, or as whoever signed in here last, with their userHash.
  let held = options.holdForIdentify ? ([] as Array<() => void>) : undefined
  // A page hidden (the vendor's payment page opened in a new tab) lets what was held go, as it
  // is: it may never be seen again. Nobody was named, though: until someone is (or the cap, the
  // page gone), what the user asks for waits for the named user (`holding`: cancel.ts `waiting`).
  // Started as the stored user's, Ann's cancellation was decided as Bob's (his audience, his takes).
  let asking = !!held
  let unloading = false
  const release = (hidden?: boolean) => {
    const go = held
    const was = asking
    held = undefined
    asking &&= !!hidden
    usage.settle()
    go?.forEach((f) => f())
    // Named (or given up on): the experiences hear what was done meanwhile, as that user's, and
    // look again, as after a sign-in's wait (what would have opened on its own was refused).
    // Hidden first, they hear of it when someone is named (or the cap, the page gone): see `asking`.
    if ((go || was != asking) && running && !arriving && !unseen && !destroyed) go && arrived(), $user.notify($user.value)
  }
  if (held) platform.setTimeout(release, options.holdForIdentify!)
  // While unseen, a call waits for it, with the page it was made on (and is stamped when shown).
  // (One made on the first page is noted: land() shows it.)
  const later = (call: (site: CallSite) => void, site?: CallSite) => !!unseen && (land(site?.page), unseen.push(() => call({ page: site?.page ?? platform.page() })), true)
  // Shown: its landing page view now, then what it did before, in order and stamped now too (the
  // user saw none of it earlier, and it follows its page view).
  function shown() {
    const calls = unseen!
    unseen = undefined
    if (destroyed) return
    landing.time = platform.now()
    land()
    calls.forEach((go) => go())
    // The experiences look again, and hear of the user, as when a hold or a sync ends: one that
    // ended while unseen notified nobody (release), and what waited for it (cancel.ts `waiting`,
    // across-tabs' synced) waited for ever.
    if (running && !arriving && !held) arrived(), $user.notify($user.value)
  }

  function userView(id: Identity): UserView {
    return { userKey: userKey(id), anonymousId: id.anonymousId, userId: id.userId, traits: id.traits, groupId: id.groupId, groupTraits: id.groupTraits }
  }

  function send(base: Pick<LingerEvent, 'type'> & Partial<LingerEvent>, site?: At, again?: 1) {
    if (optedOut) return
    // The closure only while unseen: send() is on track()'s path.
    if (unseen && later((at) => send(base, at), site)) return
    // Where, when and as whom it happened: held, it goes later. Behind a route's page view, as
    // who did it: a sign-in, sign-out or another account meanwhile is the next person's, not
    // theirs (a verified page view as someone who never made it). While holdForIdentify waits:
    // as the user it names.
    const at: At = { page: site?.page ?? platform.page(), time: site?.time ?? platform.now(), who: site?.who ?? (held ? undefined : identity) }
    // On a screen the navigation watcher has not heard of yet (see moved): it is, now, and this
    // waits for its page view. One comparison on track()'s path.
    site || views.moved?.(at.page!.url)
    // Sent while a route's page view waits: after it. What holdForIdentify held was sent before
    // that route: it goes first, not behind it.
    // The landing page view went before any route change (one heard before it went too).
    const wait = (!again && site != landing && views.queue) || held
    wait ? wait.push(() => send(base, at, 1)) : delivery.enqueue(envelope(platform, at.who ?? identity, base, at))
    // Behind a route's page view while holdForIdentify waits: as the user it names, even if
    // another is named before that view goes.
    if (held && wait != held) held.push(() => (at.who ??= identity))
  }

  function safeProps(props: unknown, what: string): Properties {
    const { value, problems } = cleanProperties(props)
    if (problems.length) reportError({ code: 'invalid-properties', message: `${what}: ${problems.join('; ')}` })
    return value
  }

  /**
   * The page's own track(): never one of Linger's grant events. The collector's leaderboard counts
   * those (a `linger.track('Badge Earned', …)` typed in the console topped the team's board), and a
   * vendor app's own "Badge Earned" would count as Linger's too. Linger's grants go by host.emit.
   */
  function hostTrack(name: unknown, props?: unknown, site?: CallSite) {
    if (typeof name == 'string' && GRANT_EVENTS.test(name)) return void reportError({ code: 'invalid-call', message: `track("${name}"): a Linger event, sent by Linger only; not sent` })
    track(name, props, site)
  }

  function track(name: unknown, props?: unknown, site?: CallSite, id?: string, said?: number) {
    if (unseen && later((at) => track(name, props, at, id, said), site)) return
    land(site?.page)
    if (!isId('track', 'an event name', name)) return
    if (optedOut) return
    const properties = safeProps(props, `track("${name}")`)
    const time = site?.time ?? platform.now()
    usage.record({ name, time, feature: name === 'Feature Used' ? String(properties.feature ?? '') : undefined })
    const base: Pick<LingerEvent, 'type'> & Partial<LingerEvent> = { type: 'track', event: name, properties }
    if (id) base.messageId = id
    send(base, said ? { ...site, time: said } : site)
    emitter.emit(shortName(name), properties)
    // A closure only for an event held: track() is the host's hot path.
    if (running && !arriving && !held) fanOut(name, properties, time)
    // Held, it carries the DOM event it was tracked in (null: none): replayed, the user's click
    // is over, and a "Take the tour" clicked as the page loaded was no longer theirs (tours.ts).
    // A call made earlier (the snippet's queue, replayed) brings the one it was made in: the
    // event going on now is not its.
    else if (!destroyed) {
      const e = (site ?? (globalThis as CallSite)).event ?? null
      early.push(() => fanOut(name, properties, time, e))
    }
  }

  function fanOut(name: string, properties: Properties, time: number, e?: Event | null) {
    for (const fn of trackFns)
      try {
        fn(name, properties, time, e)
      } catch (e) {
        reportError({ code: 'experience-failed', message: `while handling "${name}": ${String(e)}` })
      }
  }

  function page(name?: unknown, props?: unknown, site?: At) {
    if (later((at) => page(name, props, at), site)) return
    const info = site?.page ?? platform.page()
    const rest = site === heard ? undefined : views.claim(info.url)
    // Its route's page view went as the page was hidden (the user switched tabs, and back), or as
    // it was still busy when the wait's bound ran out (a slow phone's render in slices): one,
    // without this name and these properties (sent, it cannot be renamed).
    if (rest === false) return void (debug && platform.log('warn', `page() on ${info.url}: its page view went unnamed as the tab was hidden or the page busy for seconds; name and properties not sent`))
    // The route's page view, made by page(): when and as whom the route changed (ordered by time,
    // an event done on that screen meanwhile fell on the one before), on the page as it is now.
    if (rest) site = { ...heard, page: info }
    // Segment's habit, `init` then `page()` on the screen it landed on (or on the first page,
    // before a redirect): one page view, page()'s.
    if (!landed && (info.url === first?.url || info.url === (made || settled || platform.page()).url)) landed = true
    land(info)
    if (optedOut) return
    // page({ plan }) as Segment's analytics.page takes it: the properties, with no name.
    if (props === undefined && name && typeof name == 'object') (props = name), (name = undefined)
    const properties = safeProps(props, 'page')
    if (site !== heard) pageSent = info.url
    const base: Pick<LingerEvent, 'type'> & Partial<LingerEvent> = { type: 'page', properties: { ...properties, path: info.path, url: info.url, title: info.title } }
    if (name != null && typeof name != 'string') badCall('page', 'a name (a string)', name)
    else if (name) name.length > MAX_ID ? badCall('page', `a name of at most ${MAX_ID} characters`, name) : (base.name = name)
    send(base, site)
    rest?.forEach((f) => f())
    rest || site === heard || toPages(info)
  }

  function toPages(info: PageInfo) {
    pageFns.forEach((fn) => {
      try {
        fn(info)
      } catch (e) {
        reportError({ code: 'experience-failed', message: `while handling a page view: ${String(e)}` })
      }
    })
  }

  /** `followed`: another tab made this change and saved it (and merged what it could see). */
  function switchUser(next: Identity, merge: boolean, followed?: boolean) {
    const before = userKey(identity)
    const after = userKey(next)
    // Someone else signs in before the last user's progress came: the last user's held events go
    // to their own experiences first, with nothing opening meanwhile still. Before the runtime
    // runs, they have no experiences to go to, and must not start the next person's: a visitor
    // who signs up is the same person (merge) and keeps them.
    // Held for the session answer, they are the named user's own (a shared laptop's next person).
    // So must what the app asked to show for the last one (a show() then a sign-out before ready).
    if (before !== after && !held) running ? flush() : merge || (early.length = pendingShows.length = 0)
    // What the last user earned and has yet to send (a grant's claim still answered, a grant pass
    // still to run) is kept as theirs, sent once its claim is won. A pass run here adds its grants'
    // listeners, called in this same loop (a Set's forEach visits what is added meanwhile). One
    // that throws must not leave the switch half made.
    // `unconfirmed` while holdForIdentify waits: the user leaving is only the one this browser had
    // stored, never confirmed here, and what was done meanwhile is the named user's (see send).
    if (before !== after)
      leaving.forEach((fn) => {
        try {
          fn(userView(next), keep, !!held || asking)
        } catch (e) {
          reportError({ code: 'experience-failed', message: String(e) })
        }
      })
    identity = next
    // Before the usage and state switch, which already has experiences looking again.
    if (before !== after) arriving = identity.userHash ? {} : null
    const waitFor = arriving
    // Controllers that re-check as the usage and state switch must read the new user's traits
    // with the new user's state: with the last user's traits on the new user's state, billing
    // reported a payment recovered that was not. They hear of the user once all has switched.
    const seen = $user.value
    ;($user as { value: UserView }).value = userView(identity)
    try {
      if (before !== after) usage.switchUser(after, { merge })
    } finally {
      // All of it, even when a host's usage listener throws: a switch left half done would count
      // the visitor again on the next page, or keep the last user's progress.
      if (before !== after) state ? state.switchUser(after, merge) : (carryFrom = merge ? before : undefined)
      // Last: a tab that follows this change (on its storage event) finds the user's usage
      // written, and the visitor's gone, so it merges only what this tab could not see.
      if (!followed) keepIdentity()
      void syncState()?.then(() => waitFor && arriving === waitFor && ((arriving = null), running && arrived(), $user.notify($user.value)))
      $user.notify(seen)
    }
  }

  function flush() {
    early.splice(0).forEach((go) => go())
  }

  // What a page view triggers was refused during a wait: this page is looked at again, first (at
  // start too, where a wait may have ended as the engine started; a second look adds nothing).
  function arrived() {
    early.unshift(() => toPages(platform.page()))
    flush()
  }

  // Progress on every device: only for a user the vendor's server vouched for (userHash). All of
  // it is in its own chunk, which also decides when a user change stops or restarts it.
  let sync: Promise<(stop?: boolean) => Promise<void> | undefined> | undefined
  const syncState = (stop?: boolean) => {
    if (identity.userHash) sync ??= started.then((start) => start.stateSync()).then((m) => m.syncWhileVerified(host, state!, endpoint, () => identity))
    // Bounded from here, the sync chunk's loading included: a stalled chunk or collector must
    // not keep a user's experiences waiting.
    return sync && Promise.race([sync.then((check) => check(stop)).catch(() => {}), new Promise<void>((r) => platform.setTimeout(r, SYNC_WAIT_MS))])
  }

  // Neither sends the landing page view first: an identify (or group) made in the task Linger
  // started in (after awaits that need no other task too) names who landed, and the page view
  // follows it as that user. Sent first, it went as whoever this browser stored last (a shared
  // laptop whose last user never logged out), with their userHash: a verified page view they
  // never made.
  function identify(userId: unknown, traits?: unknown, opts?: unknown, site?: CallSite) {
    if (!isId('identify', 'a user id', userId)) return
    // Refused (or lost) by the collector, and put on every event after it: refused here, by name.
    if (badUserId(userId)) return badCall('identify', 'a user id without NUL or U+0001 first', userId)
    const hash = hashIn('identify', 'userHash', opts)
    const cleanTraits = safeProps(traits, 'identify traits')
    hashTrait('identify', 'userHash', cleanTraits)
    catchUp()
    const wasAnonymous = !identity.userId
    try {
      switchUser(identifyReducer(identity, userId, cleanTraits, hash), wasAnonymous)
    } finally {
      // The user is switched, even when a host's listener threw: the collector must hear of it.
      send({ type: 'identify', traits: cleanTraits }, site)
      release()
    }
  }

  function group(groupId: unknown, traits?: unknown, opts?: unknown, site?: CallSite) {
    if (!isId('group', 'a group id', groupId)) return
    if (groupId.includes('\0')) return badCall('group', 'a group id without NUL', groupId)
    const hash = hashIn('group', 'groupHash', opts)
    const cleanTraits = safeProps(traits, 'group traits')
    hashTrait('group', 'groupHash', cleanTraits)
    catchUp()
    // The groupHash (HMAC of userId + "\n" + groupId, from the vendor's server): events carry it, as the userHash.
    identity = groupReducer(identity, groupId, cleanTraits, hash || undefined)
    keepIdentity()
    // First: a host's user listener that throws must not lose it.
    send({ type: 'group', groupId, traits: cleanTraits }, site)
    // Audience rules read group traits too: experiences re-check on a user change.
    $user.set(userView(identity))
  }

  // ── experiences: the engine chunk builds on this host once flows and the engine are in ──
  let engine: Engine | undefined
  const host: CoreHost = {
    platform,
    flows: $flows,
    // The widgets' (linger.host): a profile kept stays as read. The experiences read the store's
    // own (engine.ts), at once, with no copy per event.
    usage: usage.$profile,
    user: $user,
    options: { key: writeKey, locale: options.locale, debug, nonce: options.nonce, theme: options.theme as Record<string, unknown> | undefined },
    // An answer given earlier (a "No thanks" sent weeks later from another device) goes with its
    // time; this device's usage counts it now: moved back, it read as a user away for weeks.
    // Kept, it is the last user's (not the next one's usage, nor their experiences').
    emit: (event, properties, opts) =>
      kept ? kept.push(envelope(platform, identity, { type: 'track', event, properties, messageId: opts?.messageId }, opts)) : track(event, properties, undefined, opts?.messageId, opts?.time),
    exclusive: platform.exclusive,
    onTrack: (fn) => (trackFns.add(fn), () => trackFns.delete(fn)),
    onPage: (fn) => (pageFns.add(fn), () => pageFns.delete(fn)),
    onUrl: (fn) => (urlFns.add(fn), () => urlFns.delete(fn)),
    leaving: (fn) => (leaving.add(fn), () => leaving.delete(fn)),
    // Run once by destroy(), before the queue stops; one that throws must not throw into the page.
    stopping: (fn) => void cleanups.push(safe(fn)),
    reportError,
    // A prerendered page waits the same way, for the user to be shown it.
    // And while holdForIdentify waits to hear who is here: the stored user may be the last one.
    syncing: () => !!(arriving || unseen || held),
    holding: () => !!held || asking,
    unloading: () => unloading,
    // init's other values are reported by the start chunk (config/init-options.ts), in its words.
    handlers: keepHandlers(options.handlers, {}),
  }

  let resolveReady!: () => void
  const ready = new Promise<void>((r) => (resolveReady = r))
  // Once running: what show(), cancel() and why() do (absent only if the start chunk failed).
  let commands: StartedCommands | undefined
  async function boot() {
    try {
      const start = await started
      commands = start.startedCommands(host, undefined)
      engine = await start.startRuntime({
        rawOptions,
        origin,
        options,
        usage,
        state: state!,
        identity: () => identity,
        setFlows: (f) => $flows.set(f),
        core: host,
        beforeEngine: () => syncState() ?? Promise.resolve(),
        onEngine: () => env.onExperiences?.(api),
        live: () => !destroyed,
      })
      commands = start.startedCommands(host, engine)
    } catch (e) {
      reportError({ code: 'experience-failed', message: `experiences could not start: ${String(e)}` })
    }
    // Destroyed during start-up: what started (if anything) stops, and nothing held is let through.
    if (destroyed) {
      engine?.dispose()
      engine = undefined
      return resolveReady()
    }
    running = true
    // Events tracked while flows were loading still trigger what they should (once a sign-in's
    // wait is over). A hold that ended during start-up notified nobody (release): what waited for
    // it (cancel.ts `waiting`: a click on the cancel control as the controllers came up) hears of
    // the user now, or it waited for good.
    if (!arriving && !unseen && !held) arrived()
    pendingShows.splice(0).forEach(([id, event]) => show(id, { event }))
    resolveReady()
    emitter.emit('ready', undefined)
    // Last, and caught: a user listener that throws must neither keep ready from resolving nor
    // reject into the page.
    try {
      if (options.holdForIdentify && !arriving && !unseen && !held) $user.notify($user.value)
    } catch (e) {
      reportError({ code: 'experience-failed', message: String(e) })
    }
  }

  /**
   * One person per device: takes in another tab's sign-in, switch, sign-out or opt-out, so this
   * tab's events, usage and experiences are that user's (a visitor's events merged once). Storage
   * events bring them; a page restored from the back/forward cache heard none (so, on show), and
   * a call that rewrites the identity must start from the stored one, or it would undo them.
   */
  function catchUp(key?: string) {
    try {
      // Opting out elsewhere always applies; opting back in only as another tab's act (a refused
      // write must not turn this tab's opt-out back on).
      const out = platform.storage.get(OPT_OUT_KEY) === '1'
      if (out && !optedOut) stopSending()
      if (out || key === OPT_OUT_KEY) optedOut = out
      const text = platform.storage.get(IDENTITY_KEY)
      const next = text !== seenIdentity && readIdentity(platform.storage)
      seenIdentity = text
      if (next) switchUser(next, !identity.userId && !!next.userId && next.anonymousId === identity.anonymousId, true)
    } catch (e) {
      reportError({ code: 'internal', message: `while following another tab: ${String(e)}` })
    }
  }
  cleanups.push(platform.onStorage((k) => (k === OPT_OUT_KEY || k === IDENTITY_KEY) && catchUp(k)))

  // Opted out, here or in another tab: a route's page view and what waits behind it are dropped,
  // as what is queued or held for identify(); none of it goes once opted in again.
  function stopSending() {
    optedOut = true
    views.go()
    delivery.clear()
    held &&= []
  }
  if (platform.onShow) cleanups.push(platform.onShow(() => catchUp()))
  if (w && options.autocapture !== false) cleanups.push(watchFeatureClicks(w.document, (feature) => track('Feature Used', { feature })))
  // Before the queue is handed over as the page goes: nothing held is left behind.
  cleanups.push(platform.onHide(() => views.go(1)), platform.onHide(() => release(true)))
  // `unloading`: the hold ends as the page goes; what waited for it must not act on it (cancel.ts).
  if (platform.onPageHide)
    cleanups.push(
      platform.onPageHide(() => {
        unloading = true
        try {
          release()
        } finally {
          unloading = false
        }
      }),
    )
  // On a pagehide, what is still in flight goes again by keepalive, or it would wait out its
  // claim. Not necessarily first: a request the unload cuts off is read a task later (delivery.ts).
  if (platform.onPageHide) cleanups.push(platform.onPageHide(() => delivery.flushOnHide(true)))
  cleanups.push(platform.onHide(() => delivery.flushOnHide()))

  // The npm object's calls never throw into the page either, whatever they are given (a getter
  // or a Proxy that throws, a name whose toString throws): as the snippet's call() below.
  const safe =
    <A extends unknown[], R>(fn: (...a: A) => R, or?: R) =>
    (...a: A): R => {
      try {
        return fn(...a)
      } catch (e) {
        try {
          reportError({ code: 'invalid-call', message: `a call threw: ${String(e)}` })
        } catch {}
        return or as R
      }
    }
  // `site`: a call the snippet (or the front, before init) held, with the DOM event it was made in.
  const show = safe((id: unknown, site?: CallSite) => {
    if (typeof id !== 'string' || !id) return badCall('show', 'an experience id', id), false
    const e = site && (site.event ?? null)
    // Held, it keeps the event it was made in (a held call's null: none), as a held track() does:
    // replayed in a click (init run by the user's "Accept cookies"), that click did not ask for it.
    if (!running || destroyed) return !destroyed && (pendingShows.push([id, (site ?? (globalThis as CallSite)).event ?? null]), true)
    return commands?.show(id, e) ?? false
  }, false)
  const api: Linger = {
    identify: safe((u, t, o) => identify(u, t, o)),
    track: safe((e, p) => hostTrack(e, p)),
    page: safe((n: unknown, p?: object) => page(n, p)),
    group: safe((g, t, o) => group(g, t, o)),
    // Not after the landing page view: reset() as the page starts says nobody is signed in, and
    // that page view went as whoever signed in here last, with their userHash. Said so (before
    // Linger loaded, in the task init ran in, or held for the session answer) to a visitor, it
    // keeps them: an app that answers "nobody" with reset() on every page made each page a new
    // visitor, the survey they closed asked again, one person counted as many. Any other reset()
    // is someone new.
    reset: safe(() => {
      catchUp()
      if (identity.userId || identity.groupId || (landed === true && !held)) switchUser(resetIdentity(platform.random), false)
      release()
    }),
    show: (id) => show(id),
    cancel: safe((handlers) => {
      // In place: the engine's host shares this object. Said as init's are, in the same words.
      keepHandlers(handlers, host.handlers, (name, v) => reportError({ code: 'invalid-call', message: `cancel(): handlers.${name}: expected a function, got ${describe(v)}; ignored` }))
      if (!running) return void (destroyed || ready.then(() => api.cancel()))
      if (commands) return commands.cancel(api.show)
      // The start chunk did not load: the vendor's cancel button must still do something.
      try {
        ;(host.handlers.onCancel as ((r: unknown) => void) | undefined)?.(null)
      } catch {}
    }),
    on: safe((name: string, fn: (properties?: any) => void) => {
      if (typeof fn !== 'function') {
        reportError({ code: 'invalid-call', message: `on("${String(name)}") needs a function` })
        return () => {}
      }
      const off = emitter.on(String(name), fn)
      // Heard like every other listener: one that throws is logged, not left to reject.
      if (name === 'ready' && running) deferred(() => fn(undefined)).catch((e) => platform.log('error', 'a listener threw', e))
      return off
    }, () => {}),
    off: safe((name: string, fn: (properties?: any) => void) => emitter.off(String(name), fn)),
    optOut: safe(() => {
      // Before remembering it, which a storage may refuse: this page stops sending all the same.
      stopSending()
      platform.storage.set(OPT_OUT_KEY, '1')
    }),
    optIn: safe(() => {
      optedOut = false
      platform.storage.remove(OPT_OUT_KEY)
    }),
    why: (id) => (running && !destroyed && safe((i: string) => commands?.why(i))(id)) || { id, show: false, reasons: [destroyed ? 'destroyed' : running ? 'unknown-experience' : 'loading'] },
    // The landing page view first, as any call after init sends it.
    flush: () => (land(), views.go(), release(), delivery.flush()),
    usage: usage.$profile,
    ready,
    get experiences() {
      return engine?.experiences ?? {}
    },
    get likely() {
      return engine?.likely ?? NOTHING_LIKELY
    },
    host,
    call(method, args, site) {
      try {
        switch (method) {
          case 'track':
            return hostTrack(args[0], args[1], site)
          case 'page':
            return page(args[0], args[1], site)
          case 'identify':
            return identify(args[0], args[1], args[2], site)
          case 'group':
            return group(args[0], args[1], args[2], site)
          case 'show':
            return show(args[0], site)
          case 'init':
            if (debug) platform.log('warn', 'init was called again and is ignored')
            return
          default:
            if (COMMANDS.includes(method) && method in api) return (api as unknown as Record<string, (...a: unknown[]) => unknown>)[method](...args)
            reportError({ code: 'unknown-command', message: `unknown command "${String(method)}"; commands are ${COMMANDS.join(', ')}` })
        }
      } catch (e) {
        reportError({ code: 'internal', message: `${String(method)} failed: ${String(e)}` })
      }
      return undefined
    },
    destroy() {
      // Shared (see adopt): one component unmounting must not stop the client another still uses.
      if (--owners > 0) return
      // Out of the registry first: a createLinger in a `destroy` listener (a sign-out that starts
      // over) got this stopped client back, and sent nothing.
      if (here.get(clientKey) == adopt) here.delete(clientKey)
      views.go()
      // Heard by mountWidgets(): its widgets leave the screen with it, the sample's unmount not kept.
      if (!destroyed) (destroyed = true), emitter.emit('destroy', undefined)
      release()
      cleanups.splice(0).forEach((fn) => fn())
      // Experiences clear their stores as they stop, and a host's own listener on one may throw:
      // an unmount that threw into the page left this client sending.
      try {
        engine?.dispose()
      } catch (e) {
        platform.log('error', 'a listener threw', e)
      }
      syncState(true)
      delivery.stop()
      usage.destroy()
      // Also when the start chunk (and with it the state) arrives after this.
      void started.then(() => state?.dispose(), () => {})
    },
  }

  let owners = 1
  // Another createLinger for this key: a developer's mistake, said in the console whatever `debug`
  // says (a hot reload that adds debug heard nothing), its handlers (the reloaded module's) in.
  // The script-tag runtime beside the app's own client still mounts its widgets (mountWidgets
  // holds a mount there already).
  const adopt = (more: LingerOptions, also: LingerEnv) => {
    owners++
    keepHandlers((more as InitOptions | null)?.handlers, host.handlers)
    const error = { code: 'invalid-call', message: 'createLinger again for a running key: that client is returned, and stops at the last destroy()' } as const
    platform.log('warn', `${error.code}: ${error.message}`)
    deferred(() => destroyed || emitter.emit('error', error))
    if (also.onExperiences) ready.then(() => engine && !destroyed && also.onExperiences!(api)).catch((e) => platform.log('error', 'a listener threw', e))
    return api
  }
  if (clientKey) here.set(clientKey, adopt)
  env.queued?.splice(0).forEach(([m, a, s]) => api.call(m, a, s))
  landed = false
  // At the next task, not the next microtask: an app that awaits its session before identify()
  // (answered from its own cache, no network) names who landed too.
  platform.setTimeout(land, 0)
  deferred(() => {
    // From the last page view sent: a router that moved on while the runtime loaded (a redirect
    // from / to /dashboard) gets its page view. A URL only cleaned of its query since (utm, an
    // auth code) is the same screen: no second one.
    const here = w?.location.href ?? ''
    const screen = (url: string) => url.replace(/\?[^#]*/, '')
    // A router's own linger.page() for this URL has sent its page view already.
    // Not sent yet: from the page it will send (npm's: here, which it will read).
    const from = pageSent ?? (made || settled)?.url ?? here
    // The landing page view first (a router that moved on while the runtime loaded), and the
    // last route's if it still waits (while `heard` is its).
    const moved = (info = (land(), views.go(), platform.page())) => {
      // The app's page() for it came first (a router that calls it in the task of its pushState).
      if (info.url === pageSent) return views.hold(info.url)
      // When and as whom the route changed (an identify() in its task is who comes after it).
      const at: At = (heard = { page: info, time: views.since ?? platform.now(), who: (views.since != null && views.by) || (held ? undefined : identity) })
      held?.push(() => (at.who ??= identity))
      views.hold((pageSent = info.url), () => page(undefined, undefined, at))
      toPages(info)
    }
    if (w && !destroyed) cleanups.push(watchNavigation(w, moved, screen(from) === screen(here) ? here : from, () => urlFns.forEach((fn) => fn()), views.rewrote, views))
  })
  void boot()
  return api
}

/**
 * Where there is no window: every call does nothing (nothing stored, sent or scheduled, nothing
 * thrown), `ready` resolves, and why() says why nothing shows.
 */
function onServer(): Linger {
  const none = () => {}
  const ready = Promise.resolve()
  const usage = atom(emptyProfile())
  const api = {
    ...Object.fromEntries(COMMANDS.map((m) => [m, none])),
    show: () => false,
    on: () => none,
    why: (id: string) => ({ id, show: false, reasons: ['no-window'] }),
    flush: () => ready,
    call: (m: string, a: unknown[]) => (COMMANDS.includes(m) ? (api as any)[m](...a) : undefined),
    usage,
    ready,
    experiences: {},
    likely: NOTHING_LIKELY,
    destroy: none,
    // A component the server renders may read linger.host: what it would read with nobody there
    // yet (no platform: nothing to store or send with).
    host: {
      flows: atom({}),
      usage,
      user: atom({ userKey: '', anonymousId: '', traits: {} }),
      options: {},
      handlers: {},
      emit: none,
      onTrack: () => none,
      onPage: () => none,
      onUrl: () => none,
      reportError: none,
      syncing: () => false,
    },
  } as unknown as Linger
  return api
}

/**
 * Only functions: a vendor's typo must not turn into a call on a non-function later (and must
 * not replace a handler that works). Each other value goes to `bad`.
 */
function keepHandlers(from: unknown, into: Record<string, unknown>, bad?: (name: string, v: unknown) => void) {
  if (from && typeof from == 'object') for (const [name, fn] of Object.entries(from)) typeof fn == 'function' ? (into[name] = fn) : bad?.(name, fn)
  return into
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (typeof v === 'string') return !v ? 'an empty string' : v.length > 60 ? `"${v.slice(0, 60)}…" (${v.length} characters)` : `"${v}"`
  return typeof v
}
