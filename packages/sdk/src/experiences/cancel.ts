import { atom, type ReadableAtom } from 'nanostores'
import type { ExperienceController, ExperienceHost } from './host'
import { closedState, offerOf, reasonOf, reduceCancel, type CancelAction, type CancelFlowConfig, type CancelOffer, type CancelState } from './cancel/flow'
import { valueItems } from './cancel/value-items'
import { heldBadges, type BadgesState } from './badges/points'
import { messageId } from '../events'
import { grantMessageId } from './grant-id'
import { refused } from './across-tabs'
import { drawOf } from '../sample'
import { createExperienceState } from '../experience-state'

/**
 * Traits that say who someone is, not which segment they are in: any `…name` (an owner's, a
 * contact's) but a plan's, tier's or product's, which segment.
 */
const PERSONAL = /mail|phone|mobile|^tel$|address|birth|avatar|postcode|^zip|^ip$|^dob$|^(?!(plan|tier|product|package)[-_]?name$).*name$/i

export type { CancelAction, CancelFlowConfig, CancelOffer, CancelReason, CancelState, CancelStep, CancelOutcome, CancelVariant, ValueItem } from './cancel/flow'

/** The reason as the vendor's handlers get it. */
export interface CancelReasonChoice {
  id: string
  label: string
  comment?: string
}

/** `linger.cancel(handlers)`: they arrive in host.handlers. */
export interface CancelHandlers {
  /**
   * The vendor's server applies the offer; a rejection shows the error with a retry. `runId`
   * names this run of the flow (its events carry it): a page gone before the answer (a reload)
   * cannot say the save, so the vendor's server may send `Cancel Flow Completed` with it and
   * `outcome: 'saved'`, which the collector takes as the run's outcome. Also the key to
   * apply an offer once by: a take whose page went before the answer is asked for again (by
   * another tab still waiting, or once the user takes the offer again) under that run's id.
   */
  onOfferAccepted?(offer: CancelOffer & { months?: number; resumesAt?: string }, reason: CancelReasonChoice | null, run: { runId: string }): unknown
  /**
   * The user took a pause (in the flow or on its own): the vendor's server pauses billing.
   * Without it, a pause goes to onOfferAccepted({ ...offer, months, resumesAt }, reason). `reason`:
   * the one the user gave in the flow (as onOfferAccepted gets it), null for a pause on its own.
   */
  onPause?(pause: { months: number; resumesAt: string; offer: CancelOffer; runId: string; reason: CancelReasonChoice | null }): unknown
  /** The user confirmed; null when the flow could not run at all. */
  onCancel?(reason: CancelReasonChoice | null): unknown
}

/** What the widget may ask for; starting and the handler's result belong to the controller. */
export type CancelUserAction = Exclude<CancelAction, { type: 'start' | 'applied' | 'failed' | 'bypass' }>

export interface CancelController extends ExperienceController {
  $state: ReadableAtom<CancelState>
  dispatch(action: CancelUserAction): void
  /**
   * Opens the flow, remembering the host control whose click it intercepted; with a pause offer's
   * id, that pause on its own. False if it cannot run.
   */
  start(trigger?: HTMLElement, pauseOfferId?: string): boolean
  /**
   * Called by @linger/widgets when the flow's UI chunk could not load or render (blocked, offline):
   * a flow not yet on screen lets the user cancel the vendor's own way at once.
   */
  uiFailed(): void
}

type Keep = (send: () => void) => () => void

const UI_GRACE_MS = 3000
// A vendor's handler that has not answered by then is not coming back soon: the spinner says so.
const SLOW_MS = 10_000

export function createCancelFlow(host: ExperienceHost, doc: Document | undefined = globalThis.document): CancelController {
  const $needsUi = atom(false)
  const $state = atom<CancelState>(closedState)
  let trigger: HTMLElement | undefined
  // What the user really clicked: the trigger selector may match a wrapper around it.
  let clicked: Element | null | undefined
  let passThrough = false
  let openedAt = 0
  // When the user asked for the flow on screen: its opening, or the click a hold kept waiting (see
  // go). What was done in their other tabs since is this same cancellation (see proceed, apply);
  // the grace a second click gets (gonePast) still runs from the opening.
  let askedAt = 0
  // When this tab last stored a confirmed cancellation (see proceed).
  let ownCancel: number | undefined
  // Bumped whenever a handler's answer stops mattering (a new attempt, the flow closed).
  let attempt = 0
  // The offers this run's user took: one taken again after an error (Back, then accept, as
  // Try again does) is the same acceptance, said once.
  let accepted: unknown[] = []
  // The run whose UI was on screen (its Started said): a run no one saw has no events at all, so
  // no outcome comes without a Started and a flow whose UI never came is not a started flow.
  let said: unknown
  // Not disposed: a take this tab waits on, its tab gone, is this tab's to apply only while it runs.
  let live = true
  // The takes still waiting for the vendor's answer (see leaving).
  const asking = new Set<(keep: Keep, theirs: string) => void>()
  // Asked for while the page still asks who is here (holdForIdentify): started once it knows (see
  // offNamed), as that person. Decided at once, all of it was the stored user's (Bob's audience,
  // holdout draw, takes and usage, on Ann's cancellation), and its Started, sent with Bob's variant,
  // fixed the run's variant at the collector. Nothing shows meanwhile: whether a flow opens at
  // all is the named user's audience's to say, and the wait is bounded by the hold's cap, or by
  // the user clicking again past the grace, as for a UI still loading (see gonePast).
  // `nobody`: the page answered that nobody is signed in (reset(), a sign-out in another tab):
  // there is no subscription here to save, and the user goes on to the vendor's own cancel, whose
  // page knows what to do with someone signed out. Opened, a new visitor was offered a discount
  // the vendor's server could apply to no account, counted as a save attempt no customer made.
  let waiting: { el?: HTMLElement; pauseId?: string; at: number; nobody?: boolean | 1 } | undefined

  // Validation drops broken reasons; a flow with none left must not stand in the way.
  const config = (): CancelFlowConfig | undefined => {
    const flow = (host.flows.get() as { cancelFlow?: CancelFlowConfig }).cancelFlow
    return flow?.reasons?.length ? flow : undefined
  }
  const selectorOf = (flow: CancelFlowConfig | undefined) => (flow?.trigger && 'selector' in flow.trigger ? flow.trigger.selector : undefined)
  const pauseOffer = (id: string) => config()?.offers.find((o) => o.id === id && o.kind === 'pause')
  const choice = (s: CancelState): CancelReasonChoice | null => {
    const r = reasonOf(s)
    return r ? { id: r.id, label: r.label, comment: s.comment || undefined } : null
  }
  // Async, so a handler that throws and one that rejects are the same rejection.
  const call = async (name: keyof CancelHandlers, ...args: unknown[]): Promise<unknown> => {
    const fn = host.handlers[name]
    return typeof fn === 'function' ? fn(...args) : undefined
  }
  // The plan a user cancels from is gone by the time the vendor's billing has downgraded them:
  // churn by plan (or any trait) reads it from here, not from the user's traits now. Only what
  // segments people (plain values), not who they are (email, name, phone…).
  // (Never while the page still asks who is here: no flow runs then, see waiting.)
  const traitsWhenCancelled = () => {
    const { traits, groupTraits } = host.user.get()
    const kept = Object.entries({ ...groupTraits, ...traits }).filter(([k, v]) => /^(string|number|boolean)$/.test(typeof v) && !PERSONAL.test(k))
    return kept.length ? { traits: Object.fromEntries(kept) } : {}
  }
  // The offers this user took, by id (when), kept with their state so another tab or a reload
  // knows: the flow does not offer one again. A second discount is a promise the vendor never
  // made, and their server may well apply it on top of the first. (Shaped `{ taken: { [offerId]:
  // time } }` for sync/fields.ts to split per offer.) `refused` and `applied`: the take (its time)
  // the vendor's server refused or applied, so another tab where the user took it too says what
  // the vendor answered. Times only grow: two tabs' copies (state-join.ts) and two devices' keep
  // the larger, and a refusal written as a 0 came back with the other copy's time. (An older
  // release's 0 is a refusal too.)
  // `cancelled`: when the user last confirmed a cancellation, in any of their tabs. `runs`: the run
  // each offer was last taken in, `terms`: the pause taken then, `[months, resumesAt]` (see apply):
  // one value, as the run's id is, so two tabs' crossing writes keep one take's, never one's
  // length with the other's date (joined field by field, a record did). An older release's record
  // `{ months, resumesAt }` reads as well.
  type Terms = Pick<CancelState, 'months' | 'resumesAt'>
  type Stored = { taken?: Record<string, number>; refused?: Record<string, number>; applied?: Record<string, number>; cancelled?: number; runs?: Record<string, string>; terms?: Record<string, Terms | [number?, string?, (1 | 2)?]> }
  const over = (c: Stored, d: Stored): Stored => ({ ...c, ...Object.fromEntries(Object.entries(d).map(([k, v]) => [k, typeof v == 'object' ? { ...(c as Record<string, object>)[k], ...v } : v])) })
  const stored = (s = host.state): Stored => s.fresh<Stored>('cancel') ?? {}
  const termsOf = (id: string, t = stored().terms?.[id]): Terms | undefined => (Array.isArray(t) ? (t[0] ? { months: t[0], resumesAt: t[1] } : undefined) : t)
  // The take's run was a pause offered on its own (`[…, 1]`): no cancellation flow ran in it. An
  // older release's pause (`{ months, resumesAt }`) does not say: undefined (see take), kept
  // so when taken again (`[…, 2]`; a release that reads only 1 takes it as on its own).
  const aloneOf = (id: string, t = stored().terms?.[id]): boolean | undefined => (Array.isArray(t) ? (t[2] == 2 ? undefined : !!t[2]) : t?.resumesAt ? undefined : false)
  // Each write names its records' changed entries only (see mark and take). None is made while
  // the page still asks who is here (holdForIdentify): no flow runs then (see waiting).
  const store = (v: Stored, s = host.state) => s.set('cancel', over(stored(s), v))
  const mark = (k: 'taken' | 'refused' | 'applied', id: string, at: unknown, s = host.state) => store({ [k]: { [id]: at } }, s)
  // A taken offer may be offered again (always a contact offer: it applies nothing) once its
  // `offerAgainAfterDays` have passed (a yearly discount, say); one refused, at once.
  const offerable = (o: CancelOffer, now: number, c = stored()) => o.kind === 'contact' || !(c.taken?.[o.id]! > (c.refused?.[o.id] ?? 0)) || now - c.taken![o.id]! >= o.offerAgainAfterDays! * 864e5
  // A tab holds its take's lock (by the take's time) for as long as it lives (see apply).
  const lockOf = (id: string, at: number) => `linger:cancel:${host.user.get().userKey}:${id}:${at}`
  // This run's offers taken before in a tab gone with no answer (see start): by that take's time.
  let lost: Record<string, number> = {}
  const fail = (what: string, e: unknown) => host.reportError({ code: 'cancel-handler-failed', message: `${what}: ${String(e)}` })

  const propsOf = (s: CancelState) => {
    const offer = offerOf(s)
    return { flowId: s.flow?.id, runId: s.runId, variant: s.variant, reasonId: s.reasonId, comment: s.comment || undefined, offerId: offer?.id, offerKind: offer?.kind }
  }
  const pauseOf = (s: CancelState) => ({ offerId: s.offerId, months: s.months, resumesAt: s.resumesAt, source: s.standalone ? 'standalone' : 'cancel-flow', runId: s.runId })

  // A taken offer is in place once the vendor's handler answered (`applied: false`: there was no
  // handler in the page, so the vendor's server applies it from the event). Said then, not at the
  // click: a pause or a save the vendor's server refused is neither.
  function announceApplied(s: CancelState) {
    const applied = !s.pending
    if (s.months) host.emit('Pause Offer Accepted', { ...pauseOf(s), applied })
    if (!s.standalone) saved({ ...propsOf(s), applied })
  }
  // A run is saved once: its save said by its own tab and by another that applied its take (see
  // take) is one event to a collector that keeps one per messageId.
  const saved = (p: ReturnType<typeof propsOf> & { applied: boolean }) => host.emit('Cancel Flow Completed', { ...p, outcome: 'saved' }, { messageId: grantMessageId(host, `cancel-saved:${p.runId}`) })

  function dispatch(a: CancelAction): void {
    const prev = $state.get()
    const next = reduceCancel(prev, a)
    if (next === prev) return
    $state.set(next)
    const props = propsOf(next)
    if (a.type === 'start') {
      accepted = []
      // Said once the widget has rendered: a flow decided but never drawn is not a started one.
      const drawn = () => {
        const s = $state.get()
        if (s.runId !== next.runId || s.step === 'closed' || host.undrawn?.('cancel', drawn)) return
        said = next.runId
        // A pause offered on its own is not a cancellation: no cancel events.
        if (next.standalone) host.emit('Pause Offer Shown', pauseOf(next))
        else host.emit('Cancel Flow Started', props)
      }
      drawn()
    } else if (said === next.runId) {
      const shown = next.step === 'offer' && prev.step === 'reasons'
      if (!next.standalone) {
        if (a.type === 'submit') host.emit('Cancel Reason Selected', props)
        if (shown) host.emit('Cancel Offer Shown', props)
        if (a.type === 'accept' && !accepted.includes(props.offerId)) {
          accepted.push(props.offerId)
          host.emit('Cancel Offer Accepted', props)
        }
        if (next.outcome && !prev.outcome && next.outcome !== 'saved') host.emit('Cancel Flow Completed', { ...props, outcome: next.outcome, ...(next.outcome === 'cancelled' ? traitsWhenCancelled() : {}) })
      }
      // After the reason that chose it: a funnel read by time has the reason first.
      if (next.months && shown) host.emit('Pause Offer Shown', pauseOf(next))
      if (a.type === 'applied') announceApplied(next)
    }
    if (next.step === 'applying') void apply(next, offerOf(next) as CancelOffer)
    if (next.step === 'closed') {
      attempt++
      // Off between flows, so a UI chunk that failed to load is tried again next time.
      $needsUi.set(false)
      host.release((next.standalone ? next.offerId : next.flow?.id) ?? '', next.outcome === 'abandoned' ? 'abandoned' : 'completed')
      const el = trigger
      const origin = clicked
      trigger = clicked = undefined
      // The widget gave focus back to what had it; with nothing (a Mac's Safari or Firefox does
      // not focus a clicked button) or that gone (the host re-rendered it), the control clicked has it.
      if (el && (doc!.activeElement ?? doc!.body) == doc!.body) (el.isConnected ? el : doc!.querySelector<HTMLElement>(selectorOf(next.flow)!))?.focus()
      if (next.outcome === 'cancelled') proceed(next, el, origin)
    }
  }

  async function apply(s: CancelState, offer: CancelOffer) {
    const mine = ++attempt
    const { months, resumesAt } = s
    const paused = months && typeof host.handlers.onPause === 'function'
    const name = paused ? 'onPause' : 'onOfferAccepted'
    // Without a handler nothing here applies the offer: the user must not be told it was.
    const pending = typeof host.handlers[name] !== 'function'
    // Still this attempt (not closed, nor tried again) and not answered: applying, taking long.
    host.platform.setTimeout(() => mine === attempt && $state.get().step == 'applying' && $state.set({ ...$state.get(), slow: true }), SLOW_MS)
    // Taken in another tab since this flow opened (on screen in both), and not refused there: the
    // vendor applies it once, and this tab says what it answered there once it has (its latest
    // take, should the user try again there). Told "saved" at once, the user saw a save the vendor
    // then refused.
    // The user's latest take of it: 1 applied, -1 refused, 0 not answered yet.
    const answer = ({ taken = {}, refused = {}, applied = {} } = stored(), t = taken[offer.id]!) => (applied[offer.id]! >= t ? 1 : refused[offer.id]! >= t ? -1 : 0)
    const c = stored()
    const theirs = c.taken?.[offer.id]!
    // Taken there, or before in a tab gone with no answer (see start), the pause that tab took is
    // the one applied (by its vendor, or by this tab under its run): this tab's saved message and
    // events say that length, not the one chosen here.
    const waits = theirs && (theirs >= askedAt || lost[offer.id] === theirs) && answer() + 1
    const terms = (waits && termsOf(offer.id)) || { months, resumesAt }
    if (terms.resumesAt !== resumesAt) $state.set({ ...$state.get(), ...terms })
    if (waits) {
      const settled = () => {
        const a = answer()
        if (mine !== attempt || a) stop(), mine === attempt && dispatch(a > 0 ? { type: 'applied', pending } : { type: 'failed' })
      }
      const stop = host.state.subscribe(settled)
      // The take's lock free with no answer: the tabs that held it are gone (closed on the
      // spinner, crashed), no answer is coming, and "taking long" would last until this one
      // closed too. This tab applies it, once, as that take (holding its lock from then on),
      // under that tab's run: the key the vendor applies an offer once by, so a request of that
      // tab's that did reach the vendor's server is not a second pause or discount. Also once
      // this tab's flow was closed on "taking long", which promised the offer stays if it goes
      // through. Without Web Locks nothing tells, and this tab waits as before.
      host.exclusive?.(lockOf(offer.id, theirs), () => {
        if (live && stored().taken?.[offer.id] === theirs && !answer()) return stop(), new Promise<void>(() => void take(stored().runs?.[offer.id] ?? s.runId, terms, theirs, aloneOf(offer.id)))
      })
      return settled()
    }
    const at = host.platform.now()
    // Held for as long as this tab lives, never let go on the answer: a tab granted it then could
    // read its storage before the answer reached it (Chromium orders the two apart), and ask the
    // vendor again for an offer they had just refused. A lock per take, so a tab waiting on a later
    // take does not wait on this one's tab too.
    host.platform.holdLock?.(lockOf(offer.id, at))
    return take(s.runId, terms, at, !!s.standalone)

    // `at`: the take's time, a take a tab gone left unanswered keeping its own; `alone`: its run
    // a pause offered on its own.
    async function take(runId: string | undefined, terms: Terms, at: number, alone?: boolean) {
      // Taken from the click on, so a flow opened again while the vendor is still applying it
      // cannot take it a second time; one the vendor's server refused is not taken.
      const { months, resumesAt } = terms
      // Into the state of whoever took it, as it is at the write (see leave).
      const record = () =>
        store({ runs: { [offer.id]: runId! }, taken: { [offer.id]: at }, terms: { [offer.id]: alone === false ? [months, resumesAt] : [months, resumesAt, alone ? 1 : 2] } })
      // Its user signed out (or another person in) before the answer: the save, if the vendor
      // makes it, is theirs, built then as theirs, and the vendor's answer goes into their state
      // (`to`), nothing into the next person's. Left "taken, no answer" in theirs, the take was
      // offered to them again as one a tab gone left, under this run: a second save for one run.
      // Built on the first change only: a second one (sign-out, then the next person signs in)
      // before the answer built it again as whoever was leaving then.
      let left: (() => void) | undefined
      let to: string | undefined
      // `theirs`: the leaving user's key.
      const leave = (keep: Keep, theirs: string) => void (left ??= ((to = theirs), keep(announce)))
      const answered = (k: 'applied' | 'refused') => {
        if (!left) return mark(k, offer.id, at)
        const state = createExperienceState(host.platform, to!)
        mark(k, offer.id, at, state)
        state.dispose()
      }
      asking.add(leave)
      record()
      try {
        // A pause carries the user's choice; `months` (from the config) is the longest allowed.
        const result = await (paused ? call(name, { months, resumesAt, offer: { ...offer }, runId, reason: choice(s) }) : call(name, months ? { ...offer, months, resumesAt } : { ...offer }, choice(s), { runId }))
        // `false`, or a fetch() Response the server answered with an error (a 500 still resolves
        // fetch): the offer was not applied, and the user must not be told it was.
        if (refused(result)) throw new Error(`${name} answered ${(result as { status?: unknown }).status ?? false}`)
        answered('applied')
        if (left) return left()
        if (mine === attempt) otherRun(), dispatch({ type: 'applied', pending })
        else announce()
      } catch (e) {
        answered('refused')
        fail(name, e)
        if (mine === attempt) dispatch({ type: 'failed' })
      } finally {
        asking.delete(leave)
      }
      // Another run's take (its tab gone before the answer): the save is that run's, said as its
      // tab would have. The collector then counts the two runs, one offer saving both, as one
      // flow: said only under this run, a save the vendor's server reported for that run (or
      // that run's "abandoned") stood as a second flow, and one applied offer as two saves.
      // A run not known to be a flow (an older release's pause) is not said saved: a pause on its
      // own counted so was a save for a cancellation that never ran; its vendor may say it.
      function otherRun() {
        if (runId !== s.runId && alone === false) saved({ ...propsOf(s), runId, reasonId: undefined, comment: undefined, applied: !pending })
      }
      // Closed on the spinner (the flow already said abandoned), yet the vendor's server applied
      // it: that is a save, under this run's id, and the collector takes the later outcome.
      function announce() {
        otherRun()
        announceApplied({ ...s, ...terms, pending })
      }
    }
  }

  // The user confirmed: the vendor's onCancel, then the host's own cancel click, as if never stopped.
  function proceed(s: CancelState, el: HTMLElement | undefined, origin: Element | null | undefined) {
    // Confirmed in another tab while this flow was open: the same cancellation, which the
    // vendor already heard of (a second onCancel is a second cancellation on their books).
    // (fresh: another tab's write may not have reached this one's copy yet). This tab's own
    // earlier one, in the same millisecond, is not another tab's.
    const at = stored().cancelled
    if (!(at! >= askedAt && at !== ownCancel)) {
      store({ cancelled: (ownCancel = host.platform.now()) })
      call('onCancel', choice(s)).catch((e) => fail('onCancel', e))
    }
    pass(el, origin, selectorOf(s.flow))
  }

  // The host's own cancel click, as if never stopped.
  function pass(el: HTMLElement | undefined, origin: Element | null | undefined, selector?: string) {
    // An icon in the host's button (an SVG path) has no click() of its own: the element round it takes it.
    while (origin && !('click' in origin)) origin = origin.parentElement
    // The click goes to what was clicked (the host's link inside a matched wrapper), so its
    // own default action and handlers run.
    if (origin && el?.contains(origin)) el = origin as HTMLElement
    // The host may have re-rendered its button while the modal was open. With none in the page
    // (a menu's item, gone once the menu closed), the one clicked still takes it: a link still
    // navigates, and the host's own listeners on it still run.
    if (el && !el.isConnected && selector) el = (doc?.querySelector(selector) as HTMLElement | null) ?? el
    if (!el) return
    passThrough = true
    try {
      el.click()
    } finally {
      passThrough = false
    }
  }

  function start(el?: HTMLElement, pauseId?: string): boolean {
    const flow = config()
    if (!flow) return false
    // A Cancel click while a pause on its own waits: the user's last ask is the flow (left on
    // the pause, the click was swallowed for good once the pause opened).
    if (waiting) return el && waiting.pauseId && !pauseId && (waiting = { el, at: waiting.at }), true
    if ($state.get().step !== 'closed') return true
    if (host.holding?.()) return !!(waiting = { el, pauseId, at: host.platform.now() })
    // Cancelling is the user's own act: cooldown and caps do not apply, the audience does. A
    // pause on its own opens on the vendor's call (show), usually the user's own click on a
    // "Pause subscription" control: no audience either, like any shown experience.
    // A pause the user took is not offered again on its own either (still being applied, or the
    // tab closed on the spinner): the vendor's server would pause them twice.
    const pause = pauseId ? pauseOffer(pauseId) : undefined
    const now = host.platform.now()
    if (!(pauseId ? pause && offerable(pause, now) : host.evaluate(flow.audience, flow.id).ok) || !host.request({ id: pauseId ?? flow.id, kind: 'cancel', force: true }).show) return false
    trigger = el
    openedAt = askedAt = now
    $needsUi.set(true)
    const badges = host.state.get<BadgesState>('badges')
    const items = pause ? [] : valueItems(flow.valueReminder?.items, host.usage.get(), badges && { ...badges, earned: heldBadges(host.flows.get().badges, badges.earned) }, host.user.get().traits)
    // The audience `sample` rule is the sticky hash of user and experience: the holdout is a
    // sample, drawn apart from an audience `{ sample }` (sharing its draw, a holdout of 0.2 under
    // `sample: 0.5` held out 40% of those let in). A pause on its own is no save attempt: no holdout.
    const variant = !pause && host.evaluate({ sample: flow.holdout ?? 0 }, drawOf(flow.id, 'holdout')).ok ? 'holdout' : 'offer'
    const offers = pause ? flow.offers : flow.offers.filter((o) => offerable(o, now))
    const runId = messageId(host.platform.random)
    dispatch({ type: 'start', flow: { ...flow, offers }, variant, items, now: openedAt, pause, runId })
    // Taken with no answer, and no tab holds its lock: the tab that took it is gone (reloaded or
    // closed on the spinner), and nothing says the vendor applied it. Offered again, before the
    // user reaches the offers; taken again, applied as that tab would have (apply): under its run
    // and its pause, so a request of that tab's that did reach the vendor is not a second one.
    lost = {}
    const c = stored()
    for (const o of pause ? [] : flow.offers) {
      // Not offered: taken, and not refused since.
      const t = c.taken?.[o.id]!
      if (!offers.includes(o) && !(c.applied?.[o.id]! >= t))
        host.platform.withLock?.(lockOf(o.id, t), async () => {
          const s = $state.get()
          // Not while a sign-in's progress is on its way: the stored take may be another person's
          // (the last user's, on a shared laptop), who had it applied again, under their run, to
          // the account of the one at the keyboard. (While the page asks who is here, nothing
          // starts: see waiting.)
          if (s.runId !== runId || !/^(value|reasons)$/.test(s.step) || stored().taken?.[o.id] !== t || host.syncing?.()) return
          lost[o.id] = t
          $state.set({ ...s, held: { offerId: o.id, ...termsOf(o.id) }, flow: { ...s.flow!, offers: flow.offers.filter((x) => x === o || s.flow!.offers.includes(x)) } })
        }).catch(() => {})
    }
    return true
  }

  /**
   * The user asks to cancel again (the trigger clicked, linger.cancel()) while the flow is open:
   * its UI is not on screen (the page behind the modal is inert): still loading (a double
   * click), or failed to load. Never stand between the user and cancelling for long: past the
   * grace they go on to cancel (a click, to the host's cancel itself: none from here), with no
   * reason, which onCancel hears of. A flow past its first step was on screen (the user answered
   * in it): a script's click is not the user's, and waits like a double click. True if so.
   */
  function gonePast(): boolean {
    const s = $state.get()
    const w = waiting
    const past = (!!w || s.step !== 'closed') && host.platform.now() - (w?.at ?? openedAt) > UI_GRACE_MS && (!!w || s.standalone || (!s.reasonId && (s.step === 'value' || s.step === 'reasons')))
    if (past) {
      trigger = clicked = waiting = undefined
      dispatch({ type: 'bypass' })
      // A pause offered on its own never showed, nor a flow still waiting: no cancellation flow ran at all.
      if (s.standalone || w) call('onCancel', null).catch((e) => fail('onCancel', e))
    }
    return past
  }

  // The id of this controller's dialog on screen when it is not `id`'s (the scheduler's own
  // slot holds no second one of the same kind apart: a pause's id is not the flow's).
  function openOther(id: string): string | undefined {
    const s = $state.get()
    const open = waiting ? (waiting.pauseId ?? config()?.id) : s.step === 'closed' ? undefined : s.standalone ? s.offerId : s.flow?.id
    return open === id ? undefined : open
  }

  // Capture phase on window: runs before any handler the host put on the document or the button.
  const onClick = (e: Event) => {
    const selector = selectorOf(config())
    if (passThrough || !selector) return
    let el: HTMLElement | null
    try {
      el = (e.target as Element).closest(selector) as HTMLElement | null
    } catch {
      return
    }
    if (!el) return
    if (gonePast()) return
    if (start(el)) {
      clicked = e.target as Element
      e.preventDefault()
      e.stopImmediatePropagation()
    }
  }
  const win = doc?.defaultView
  win?.addEventListener('click', onClick, true)

  // Signed out, or another person signed in (here, or in another tab this one follows): the flow
  // is the leaving user's, and ends now, while what it sends still goes as theirs (abandoned, if
  // its UI was on screen; not drawn yet, it never started). Left up, the next person answered it
  // under the same run, and the vendor's onOfferAccepted applied a discount to their account.
  // Ended unconfirmed, the host's cancel click it held never goes through; forgotten, the control
  // is not focused for the next person (where the click never focused it). A save the vendor still makes is
  // built after the close, so it is the later outcome (the collector keeps the latest): built
  // first, it read as abandoned though the discount was applied. A visitor who signs up (or in)
  // is the same person on this device (its anonymousId), and goes on with their flow, as with a survey.
  // While holdForIdentify waits (`unconfirmed`) nothing runs (see waiting), and the answer names
  // the one whose click is held: what they clicked (a link inside the matched wrapper) is theirs to
  // go on to. Forgotten, their cancel went to the wrapper, and the link never navigated.
  const offLeaving = host.leaving?.((next, keep, unconfirmed) => {
    const was = host.user.get()
    // Who is here as of the latest answer: reset() then identify() (a shared laptop's app clears
    // the last person, then names the next) is the named person, whose flow it is.
    if (waiting) waiting.nobody = !next.userId
    if (unconfirmed) return
    if (!was.userId && next.anonymousId === was.anonymousId) return
    trigger = clicked = undefined
    dispatch({ type: 'close' })
    asking.forEach((leave) => leave(keep, was.userKey))
  })
  // The hold over (named, given up on, the page left): heard once the user has switched. What was
  // asked for meanwhile starts now, as whoever is here; not theirs to see (their audience), the
  // click held goes on to the host's cancel, and linger.cancel() to onCancel, as show() does.
  const decide = () => {
    const w = waiting
    // A verified user's progress still on its way (a group() or a second identify() after the
    // name notifies too): decided now, her takes on her phone were not yet here to see.
    if (!w || host.holding?.() || host.syncing?.()) return
    // Answered "nobody": decided a task later, not inside the app's reset(), so the name it
    // gives right after (reset(); identify(next)) is heard, and that person's flow opens.
    if (w.nobody === true) return void ((w.nobody = 1), host.platform.setTimeout(decide, 0))
    waiting = undefined
    // The page being left (the user gave up and went): nothing opens, no host click as it goes.
    if (!host.unloading?.()) go(w, w.nobody ? 'signed-out' : undefined)
  }
  const offNamed = host.user.listen(decide)
  // The page left while the click waits on past the hold (a verified user's progress still on its
  // way): dropped as the hold's end in pagehide drops it (offNamed). Kept, the sync's end on a page
  // restored from the back/forward cache opened the flow out of nowhere.
  const offGone = host.platform.onPageHide?.(() => void (waiting = undefined))
  // What was asked for meanwhile, now: the flow, or (not theirs) the host's cancel / onCancel(null).
  // Opened as of the ask (see proceed): confirmed in her other tab during the wait, it is the
  // same cancellation, and onCancel is not called a second time. `refused`: it does not open.
  // A pause on its own that then does not open (taken already by the person named) is no
  // cancellation: nothing goes on; show() answered true, "asked", and debug mode says why not.
  const go = (w: NonNullable<typeof waiting>, refused?: string) => {
    if (!refused && start(w.el, w.pauseId)) return void (askedAt = w.at)
    if (w.el) pass(w.el, clicked, selectorOf(config()))
    else if (!w.pauseId) call('onCancel', null).catch((e) => fail('onCancel', e))
    else if (host.options.debug) host.platform.log('warn', `show("${w.pauseId}"), once the page knew who is here: ${refused ?? reasons(w.pauseId)}`)
  }

  // why(id): what start() would answer now.
  function reasons(id: string): string[] | undefined {
    const flow = config()
    const pause = pauseOffer(id)
    if (!flow || (id !== flow.id && !pause)) return undefined
    // The same audience start() checks: a user outside it cancels without the flow. A pause
    // on its own opens on the vendor's call, as start() lets it, whatever the audience, but
    // not once taken (until it may be offered again). A pause taken on screen, still being
    // applied, is stored taken already: what holds the screen comes first, as show() answers it.
    const other = openOther(id)
    // Asked for, or asked for now, while the page waits to hear who is here: whether it opens is
    // that person's audience's and takes' to say, not the stored user's (see waiting).
    if (!other && (waiting || host.holding?.())) return ['waiting-for-identify']
    if (pause && !other && $state.get().step !== 'closed') return ['showing']
    if (pause && !other && !offerable(pause, host.platform.now())) return ['already-taken']
    const { ok, failed } = id == flow.id ? host.evaluate(flow.audience, flow.id) : { ok: 1, failed: [] }
    return ok ? [other ? `blocked-by:${other}` : 'eligible'] : failed.map((f) => `audience: ${f}`)
  }

  // The user asked to cancel and the flow cannot show: the vendor's own cancel (onCancel and
  // the host's click the flow held back), as a second click past the grace does, but at once.
  // (A closed flow does not move: nothing to do.)
  const uiFailed = () => void (said !== $state.get().runId && dispatch({ type: 'bypass' }))

  return {
    $needsUi,
    $state,
    dispatch,
    start,
    uiFailed,
    show(id) {
      // Another of this flow's dialogs on screen (the flow, or a pause on its own) holds the one
      // blocking slot: this one is not shown, and the vendor hears so (why() says by which).
      if (pauseOffer(id)) return openOther(id) ? false : start(undefined, id)
      if (id !== config()?.id) return false
      // A call is a script's, not a click: one on a flow whose UI is on screen is not the user's.
      if ((waiting || said !== $state.get().runId) && gonePast()) return true
      if (openOther(id)) return false
      if (!start()) call('onCancel', null).catch((e) => fail('onCancel', e))
      return true
    },
    why: reasons,
    dispose() {
      win?.removeEventListener('click', onClick, true)
      offLeaving?.()
      // Destroyed while the click waits: it goes on to the host's cancel (or onCancel), not lost.
      // Not in the page's pagehide (an app that tears Linger down as the page goes, in its own
      // listener, before the client's): the page is being left, and the click dropped (see offNamed).
      // So does one that opened and was never drawn (its UI chunk still on its way): the user saw
      // nothing, and with Linger gone it never will (as uiFailed).
      const w = waiting
      waiting = undefined
      // (Nor in its beforeunload or unload: the user closing the tab on a UI still loading gave up.)
      if (!host.unloading?.() && !/pageh|unload/.test((win as { event?: Event } | null | undefined)?.event?.type!)) w ? go(w, 'destroyed') : uiFailed()
      offNamed()
      offGone?.()
      attempt++
      live = false
    },
  }
}
