import { atom, type ReadableAtom } from 'nanostores'
import { derived } from './derived'
import type { Billing } from '../config/flows-schema'
import type { Properties } from '../events'
import type { Rule } from '../rule'
// The runtime's own day (YYYY-MM-DD), the one usage days are counted in: a reminder's day.
import { localDayKey as localDay } from '../usage'
import type { ExperienceController, ExperienceHost } from './host'
import { grantMessageId } from './grant-id'
import { isRec } from '../state-join'
import { CLAIM_MS, refused } from './across-tabs'
import { $bannerClaims, claimBanner, holdsBanner, type Notice } from './notice'
import { calmScreen, MAX_WAIT_MS } from './calm'
import { annualOfferDue, billingState, daysPastDue, daysUntil, isPastDue, paymentStage, reminderShown, renewalDue, type BillingState, type Due } from './billing/stages'

export type { BillingState }

export interface BillingController extends ExperienceController {
  /** The billing banner on screen: payment banner, renewal reminder or annual-plan offer. */
  $banner: ReadableAtom<Notice | null>
  /** The failed-payment wall (blocking, not dismissible). */
  $wall: ReadableAtom<Notice | null>
  /** The notice's button: update payment (onUpdatePayment) or accept the offer (onPlanChange). */
  act(id: string): void
  /** Remind me later (payment banner), close (reminder), no thanks (offer). */
  dismiss(id: string): void
  /**
   * Set by the UI: true while the banner is out of sight (not on the page yet, or behind a
   * modal), and `then` runs once the user can see it. Its Shown waits for that.
   */
  behind?(then: () => void): boolean
}

type Source = 'payment' | 'wall' | 'reminder' | 'annual'
interface Showing {
  source: Source
  /** A payment prompt's account: each account's prompt is shown (and recovered) on its own. */
  account?: string
  notice: Notice
  props: Properties
}

const KEY = 'billing'
/** Outranks an announcement banner for the one banner place. */
const BANNER_RANK = 2
const HOUR = 3_600_000
/** Statuses a past-due subscription is recovered into; any other end (canceled, unpaid…) was not paid. */
const PAID = ['active', 'trialing']
/** The longest "Switch to yearly" spins waiting for another tab's vendor to answer before it offers Try again. */
const TURN_WAIT_MS = 20_000

/**
 * Billing moments from the vendor's payment traits: the failed-payment banner escalating to a
 * blocking wall, renewal reminders and the annual-plan offer. The browser never changes a plan
 * or a card: each button calls the vendor's handler (`onUpdatePayment`, `onPlanChange`), which
 * goes through the vendor's server; a returned Promise shows progress, then success or Try again.
 */
export function createBilling(host: ExperienceHost): BillingController {
  const cfg = (): Billing => host.flows.get().billing ?? {}
  // Normalised once per stored value: the same object until it changes, so a pass that changed
  // nothing writes nothing. (Starts as an object no stored value is.)
  let stored: unknown = {}
  let normal: BillingState = {}
  function read(): BillingState {
    const v = host.state.get(KEY)
    if (v !== stored) normal = billingState((stored = v))
    return normal
  }
  const write = (next: BillingState) => host.state.set(KEY, next)
  // As audience rules read them: the account's (group) traits under the user's own. A vendor
  // that sends billing on group() bills the account, and its past-due state is every member's.
  const traits = (): Record<string, unknown> => {
    const u = host.user.get()
    return { ...u.groupTraits, ...u.traits }
  }
  const now = () => host.platform.now()
  // Whose failure a status is: the account's (groupId), but a status on the user's own traits
  // is theirs in any workspace ('': group() often comes later).
  const accountOf = () => {
    const u = host.user.get()
    return u.traits.paymentStatus === undefined ? (u.groupId ?? '') : ''
  }
  const dueOf = (st: BillingState): Due => st.due?.[accountOf()] ?? {}
  const $bannerOn = atom<Showing | null>(null)
  const $wallOn = atom<Showing | null>(null)
  const $needsUi = atom(false)
  const shownHere = new Set<string>()

  const $banner = derived([$bannerOn, $bannerClaims], (s: Showing | null) => (s && holdsBanner(KEY) ? s.notice : null))
  const $wall = derived([$wallOn], (s: Showing | null) => s?.notice ?? null)

  const text = (c: { title: string; body?: string; action: string; position?: 'top' | 'bottom'; pushLayout?: boolean }) => ({ title: c.title, body: c.body, action: { label: c.action }, position: c.position, pushLayout: c.pushLayout })

  /** What billing should show now, best first; records first sightings and resolutions. */
  let checking = false
  let bannerFor = ''
  let toldNoHandler = false
  let disposed = false
  // The banner that waits for a calm screen (why(): not a refusal).
  let calming = ''
  // The user's "No thanks" given in this tab, its event waiting for its turn (close()).
  let answered = ''
  // The offer closed from its error (the user said yes, the vendor refused it): no "No thanks" to
  // count or store, only out of their way on this page.
  let tried = ''
  const calm = calmScreen(host, () => check(), true)
  // The wall waits for a pause in typing, but not for ever in a card form: focus parked in an
  // iframe is typing to the screen with no pause it can see (typing() says 'iframe'), and the
  // user whose card failed never met the wall. Past the bound, it comes there.
  let wallTimer: unknown
  let wallLate = false
  function check() {
    // Writing the state below notifies its subscribers, this one included. Disposed, a check the
    // screen still held (away: the tab seen again) took the banner place back for no one, and a
    // held Shown counted a wall no longer drawn.
    if (checking || disposed) return
    checking = true
    try {
      pass()
    } finally {
      checking = false
    }
  }

  function pass() {
    const t = traits()
    let st = read()
    const { paymentPrompt: pay, renewalReminders: rem, annualOffer: offer } = cfg()
    // Past due: remember since when (the vendor may not send pastDueSince), per account: each
    // account's failure is its own (a member of two past-due workspaces, maybe one in each tab),
    // and another account's status (a member of two workspaces switched) says nothing of this one's.
    const account = accountOf()
    // A record kept outside `due` is a release's from before: with no account, its status was this
    // user's whatever the account, as that release read it (else its payment is never recovered).
    if (st.pastDueSeenAt !== undefined || st.prompted || st.snoozedUntil) {
      const { pastDueSeenAt, prompted, snoozedUntil, account: of = account, ...rest } = st
      st = { ...rest, due: { ...st.due, [of]: { pastDueSeenAt, prompted, snoozedUntil } } }
    }
    const had: Due = st.due?.[account] ?? {}
    let mine = had
    // A first sighting ahead of now was a clock ahead, since put right: counted from it, the wall
    // came that much after wallAfterDays (a month ahead: a month late). From now, it comes on time.
    if (isPastDue(t) && !(mine.pastDueSeenAt! <= now())) mine = { ...mine, pastDueSeenAt: now() }
    // "Remind me later" is a wait of remindAfterHours at most: asked on a clock that ran a month
    // ahead, then put right, it kept the failed payment out of sight for that month.
    const wait = (pay?.remindAfterHours ?? 24) * HOUR
    if (mine.snoozedUntil! - now() > wait) mine = { ...mine, snoozedUntil: now() + wait }
    if (PAID.includes(t.paymentStatus as string) && mine.prompted && pay) {
      // Paid after a prompt: the payment was recovered. A subscription that ended unpaid
      // (canceled, unpaid…) ends the prompt silently: the collector counts Resolved as recovered.
      host.emit('Payment Prompt Resolved', { promptId: pay.id, stage: mine.prompted.stage, daysPastDue: mine.prompted.daysPastDue }, { messageId: grantMessageId(host, `resolved:${pay.id}:${mine.pastDueSeenAt ?? 0}`) })
    }
    // Cleared with its time: another device's older copy of the record, written later, stays
    // behind it in a sync (sync/merge.ts), or it would prompt (and resolve) the failure again.
    if (!isPastDue(t) && (mine.prompted || mine.pastDueSeenAt !== undefined || mine.snoozedUntil)) mine = { clearedAt: now() }

    let next: Showing | null = null
    // Only the audience (e.g. the admins who can pay) is prompted: a member who cannot pay is not walled in.
    // The wall's one button is onUpdatePayment: without it the user would be walled out of the
    // product for good, so the prompt stays a banner they can put off, and the vendor hears why
    // (once). Read on every check: a handler given later (cancel(handlers)) brings the wall.
    const walls = typeof host.handlers.onUpdatePayment == 'function'
    const stage = pay && host.evaluate(pay.audience, pay.id).ok && paymentStage(pay, t, mine, now(), walls)
    if (stage && !walls && !toldNoHandler && stage.daysPastDue >= pay.wallAfterDays) {
      toldNoHandler = true
      host.reportError({ code: 'handler-missing', message: 'onUpdatePayment is not registered (init handlers); the wall stays a banner' })
    }
    if (pay && stage) {
      const props = { promptId: pay.id, stage: stage.stage, daysPastDue: stage.daysPastDue }
      if (stage.stage === 'wall') {
        next = { source: 'wall', props, notice: { id: pay.id, layout: 'modal', ...text(pay), title: pay.wallTitle ?? pay.title, body: pay.wallBody ?? pay.body } }
      } else next = { source: 'payment', props, notice: { id: pay.id, layout: 'banner', ...text(pay), dismiss: 'later' } }
      next.account = account
      if (mine.prompted?.stage !== stage.stage || mine.prompted.daysPastDue !== stage.daysPastDue) mine = { ...mine, prompted: { stage: stage.stage, daysPastDue: stage.daysPastDue } }
    }
    // Only this account's record is written: a tab open on another account keeps its own.
    if (mine !== had) st = { ...st, due: { ...st.due, [account]: mine } }
    // What is on screen stays (no flicker as traits are re-sent), but only for the user it was for.
    const shown = $bannerOn.get()
    const user = host.user.get().userKey
    const switched = bannerFor !== user
    let current = switched ? null : shown
    bannerFor = user
    const today = localDay(now())
    // A banner that pushes the page, not on screen yet, waits for a calm moment (calmScreen), and
    // nothing newer takes the place meanwhile; one on screen stays, another workspace's failure
    // included (taken down and put back, the page jumped twice). A reminder or an offer is
    // recorded once it goes up, or the wait would have spent it.
    let held = false
    calming = ''
    const waits = (s: Showing) => !!s.notice.pushLayout && !(current?.source === s.source && current.notice.id === s.notice.id) && (held = calm.waits()) && !!(calming = s.notice.id)
    if (next?.source === 'payment' && waits(next)) next = null
    // A reminder on screen stays while it is still true: the same renewal date, still ahead, today.
    const sameRenewal = st.reminders?.renewsAt === String(t.renewsAt) && st.reminders.day === today && daysUntil(t, now()) > 0
    // Only the audience (e.g. the admins who can update the card) is reminded: its button is theirs.
    const remind = rem && host.evaluate(rem.audience, rem.id).ok
    if (!next && remind && current?.source === 'reminder' && sameRenewal && st.reminderClosed !== `${current.props.daysUntilRenewal}:${today}`) next = current
    // A reminder or an offer is once per user: none from this device's copy while their progress
    // from other devices is on its way (it may say they had it), nor in a background tab, spent
    // on no one. A payment that failed is shown there all the same: it is not once.
    const fresh = !host.syncing?.() && !host.screen?.away?.(check)
    const due = !next && !held && fresh && remind && renewalDue(rem, t, st, now(), today)
    const reminder: Showing | null = rem && due ? { source: 'reminder', props: { promptId: rem.id, stage: 'reminder', daysUntilRenewal: due.daysUntilRenewal }, notice: { id: rem.id, layout: 'banner', ...text(rem), dismiss: 'dismiss' } } : null
    if (rem && due && !waits(reminder!)) {
      next = reminder
      st = reminderShown(rem, t, st, due.threshold, today)
    }
    // An accepted offer stays with its thank-you until the user closes it, and one being applied
    // until it is through; an unanswered one while it is still for them (its audience may name
    // the billing pages: it does not follow them to the dashboard).
    const offered = offer && tried !== `${user}:${offer.id}` && annualOfferDue(offer, t, st, now()) && host.evaluate(offer.audience, offer.id).ok
    // Accepted in another tab while this one waited its turn to ask the vendor: done here too.
    if (current?.source === 'annual' && /busy|error/.test(current.notice.status!) && st.offer?.outcome === 'accepted') current = { ...current, notice: { ...current.notice, status: 'done' } }
    if (!next && current?.source === 'annual' && (offered || current.notice.status === 'done' || current.notice.status === 'busy')) next = current
    if (!next && !held && fresh && offered) {
      // The sticky sample of user and offer, as the cancel flow's holdout: held-out users see nothing.
      // Decided and counted once; an offer not answered yet comes back as it was.
      const variant = st.offer?.variant ?? (host.evaluate({ sample: offer.holdout ?? 0 }, `${offer.id}:holdout`).ok ? 'holdout' : 'offer')
      const props = { offerId: offer.id, kind: 'annual', percent: offer.percent, variant }
      const shows: Showing = { source: 'annual', props, notice: { id: offer.id, layout: 'banner', ...text(offer), dismiss: 'dismiss' } }
      // The holdout too waits for the calm moment the offer would come at, and is counted then:
      // counted at once, it had the users who typed on and left, whom the offer's arm never counts
      // (it waits), and its rate was read against a different crowd's.
      if (!waits(shows)) {
        if (!st.offer) {
          st = { ...st, offer: { variant, at: now() } }
          host.emit('Plan Offer Shown', props, { messageId: grantMessageId(host, `plan-offer:${offer.id}`) })
        }
        next = variant === 'offer' ? shows : null
      }
    }
    calm.spent()
    if (st !== read()) write(st)
    // A "No thanks" whose Declined never went (its page closed while another tab's vendor held
    // the turn): sent now, in turn, once per page. (After the write above: it writes too.)
    // Not from a copy sync is still replacing: another device may have its answer in it.
    // Named as the user saw it: the vendor may have changed the offer since (another id, another
    // percent), at the time said with it. An older release's record does not say: the offer now.
    const said = st.offer?.declined?.[0]
    const props = isRec(said) ? said : offer && { offerId: offer.id, kind: 'annual', percent: offer.percent, variant: st.offer?.variant }
    if (props && st.offer?.declining && !st.offer.outcome && !host.syncing?.() && answered !== `${user}:${props.offerId}`) decline(props, isRec(said) ? st.offer.declined![1] : st.offer.declining)

    const wall = next?.source === 'wall' ? next : null
    // The last user's (or account's) wall is theirs: it goes, and the new one's (if due) comes as its own.
    if ($wallOn.get() && (!wall || switched || wall.account !== $wallOn.get()!.account)) {
      host.release($wallOn.get()!.notice.id, 'completed')
      $wallOn.set(null)
    }
    // A wall waits for a tour or survey on screen to end, but skips cooldowns (force); not over
    // someone's typing either (it takes focus): it comes once they pause, however long they write
    // in the page. Only focus parked in an iframe (a card form: no pause the screen can see) has
    // a bound, spent once: the late try, shown or refused, a pass with no iframe, and another
    // user each start over (a tour ending later would open it over their typing).
    const typing = wall && !$wallOn.get() && host.screen?.typing?.(check)
    const late = wallLate && !switched && typing === 'iframe'
    if (late || switched || typing !== 'iframe') host.platform.clearTimeout(wallTimer), (wallTimer = undefined), (wallLate = false)
    if (typing && !late) (calming = wall.notice.id), typing === 'iframe' && (wallTimer ??= host.platform.setTimeout(() => ((wallLate = true), check()), 2 * MAX_WAIT_MS))
    else if (wall && !$wallOn.get() && host.request({ id: wall.notice.id, kind: 'wall', force: true }).show) $wallOn.set(wall)
    const banner = next && next.source !== 'wall' ? next : null
    if (banner?.notice.id !== current?.notice.id || banner?.source !== current?.source || banner?.account !== current?.account || shown !== current) $bannerOn.set(banner)
    claimBanner(KEY, banner ? BANNER_RANK : null)
    if (banner || $wallOn.get()) $needsUi.set(true)
  }

  // A failed payment's prompt goes up in a background tab too, but counts as shown once the user
  // looks, if it is still there (recovered payments count the people who saw one); a banner
  // behind a modal (the cancel flow, a "what's new" modal) once that is closed.
  let api: BillingController | undefined
  const stopShown = [$banner, $wall].map(($n) => {
    const shown = (n: Notice | null) => {
      const s = n && ($wallOn.get()?.notice === n ? $wallOn.get() : $bannerOn.get())
      if (!s || disposed) return
      // One Shown per stage (per account, and per reminder threshold) in this tab, however often it is re-checked.
      const key = `${host.user.get().userKey}:${s.account}:${s.source}:${s.notice.id}:${s.props.daysUntilRenewal ?? ''}`
      const again = () => shown($n.get())
      if (s.source === 'annual' || shownHere.has(key) || host.screen?.away?.(again) || host.undrawn?.('billing', again) || ($n === $banner && api?.behind?.(again))) return
      shownHere.add(key)
      host.emit('Payment Prompt Shown', s.props)
    }
    return $n.subscribe(shown)
  })

  const showing = (id: string) => [$wallOn.get(), $bannerOn.get()].find((s) => s?.notice.id === id) ?? null
  const setStatus = (s: Showing, status: Notice['status']) => {
    const next = { ...s, notice: { ...s.notice, status } }
    if ($wallOn.get() === s) $wallOn.set(next)
    else if ($bannerOn.get() === s) $bannerOn.set(next)
    return next
  }

  function callHandler(s: Showing, name: string, arg: unknown, done: () => void): Promise<void> | void {
    const handler = host.handlers[name] as ((arg?: unknown) => unknown) | undefined
    if (typeof handler !== 'function') {
      host.reportError({ code: 'handler-missing', message: `${name} is not registered (init handlers); the ${s.source} button does nothing` })
      setStatus(s, 'error')
      return
    }
    const busy = setStatus(s, 'busy')
    const fail = (e: unknown) => {
      host.reportError({ code: 'handler-failed', message: `${name}: ${String(e)}` })
      if (showing(s.notice.id) === busy) setStatus(busy, 'error')
    }
    try {
      return Promise.resolve(handler(arg)).then((r: any) => {
        // `false`, or a fetch() Response the vendor's server answered with an error (a 409 or 500
        // still resolves fetch): nothing changed, as the cancel flow reads it. Thanked, the user
        // was told a plan change went through that did not, and an acceptance was counted.
        if (refused(r)) return fail(`answered ${r.status ?? r}`)
        // Done says "this updates once the change is through"; a wall keeps its button even so
        // (the widget's rule): the user who closed the portal without paying has no other way out.
        // A reminder's renewal date changes for no one's check of their details: it would wait
        // for nothing, so, acted on, it is closed.
        if (showing(s.notice.id) === busy) {
          if (s.source === 'reminder') close(busy)
          else setStatus(busy, 'done')
        }
        done()
      }, fail)
    } catch (e) {
      fail(e)
    }
  }

  function act(id: string) {
    const s = showing(id)
    if (!s || s.notice.status === 'busy') return
    if (s.source === 'annual') {
      const { offerId, percent } = s.props as { offerId: string; percent: number }
      const by = host.user.get().userKey
      const waiting = setStatus(s, 'busy')
      let hold: Promise<void> | undefined
      let turned = false
      // Another tab's vendor that never answers (its handler hung) keeps the turn: this tab does not
      // spin for ever. Its turn still comes, and finds the answer; Try again is a turn of its own.
      host.platform.setTimeout(() => turned || (showing(id) === waiting && setStatus(waiting, 'error')), TURN_WAIT_MS)
      // Accepted in two tabs at once, the vendor is asked once: the tabs take turns, and a turn
      // that finds it accepted (fresh from storage) says so without asking again. A turn that went
      // through is held a while (CLAIM_MS): the next tab's storage may not have it yet.
      const turn = () => {
        turned = true
        if (disposed || showing(id) !== waiting || host.user.get().userKey !== by) return
        // "No thanks" in another tab before this yes: the yes, clicked later, is the user's latest
        // word, and the vendor is asked (closed without one, the click did nothing they could see).
        if (host.state.fresh<BillingState>(KEY)?.offer?.outcome === 'accepted') return void setStatus(waiting, 'done')
        return callHandler(waiting, 'onPlanChange', { offerId, kind: 'annual', percent }, () => {
          // Another user signed in while the vendor applied it: the acceptance is not theirs to
          // carry (the event would name them, and their own offer would end unanswered).
          if (host.user.get().userKey !== by) return
          hold = new Promise((r) => host.platform.setTimeout(r, CLAIM_MS))
          host.emit('Plan Offer Accepted', s.props, { messageId: grantMessageId(host, `plan-offer-accepted:${offerId}`) })
          write({ ...read(), offer: { ...read().offer!, outcome: 'accepted' } })
        })?.then(() => hold)
      }
      return inTurn(`${by}:${offerId}`, turn)
    }
    host.emit('Payment Prompt Clicked', s.props)
    // The vendor's portal opens; the prompt stays until the status changes (a wall cannot be
    // closed), a reminder until the portal is done with (callHandler).
    callHandler(s, 'onUpdatePayment', undefined, () => {})
  }

  function dismiss(id: string) {
    const s = showing(id)
    // While busy the vendor is applying it: a close then would send Declined beside Accepted.
    if (s && s.source !== 'wall' && s.notice.status !== 'busy') close(s)
  }

  // One answer per offer per user: accepting and declining take turns across their tabs.
  const inTurn = (name: string, fn: () => void | Promise<void>) => (host.exclusive ? host.exclusive(`linger:plan:${name}`, fn) : void fn())

  function close(s: Showing) {
    // From storage, not this tab's copy: another tab's yes not heard yet was wiped by the write below.
    host.state.fresh(KEY)
    const st = read()
    if (s.source === 'payment') write({ ...st, due: { ...st.due, [accountOf()]: { ...dueOf(st), snoozedUntil: now() + (cfg().paymentPrompt?.remindAfterHours ?? 24) * HOUR } } })
    else if (s.source === 'reminder') write({ ...st, reminderClosed: `${s.props.daysUntilRenewal}:${localDay(now())}` })
    else if (s.source === 'annual' && s.notice.status === 'error') tried = `${host.user.get().userKey}:${s.notice.id}`
    else if (s.source === 'annual' && !st.offer?.outcome) {
      // Kept (the offer stays away) until its Declined is sent: a page closed first loses neither.
      // With its time: sent later (in turn, or weeks on from another device), it was said now.
      const at = now()
      write({ ...st, offer: { ...st.offer!, declining: at, declined: [s.props, at] } })
      decline(s.props, at)
    }
    $bannerOn.set(null)
    check()
  }

  // In turn with a "Switch to yearly" another tab is applying: said after it, and only if it did
  // not go through (its vendor's yes is the answer). Gone from this tab meanwhile.
  function decline(props: Properties, at: unknown) {
    const id = props.offerId
    const by = (answered = `${host.user.get().userKey}:${id}`)
    inTurn(by, () => {
      if (disposed || host.user.get().userKey + ':' + id !== by || host.state.fresh<BillingState>(KEY)?.offer?.outcome) return
      // (Its id, as Accepted's, the same from every tab and device: grant-id.ts.)
      // At the "No thanks" (another device's clock ahead: now at the latest); an older release's `true` did not say when.
      host.emit('Plan Offer Declined', props, { messageId: grantMessageId(host, `plan-offer-declined:${id}`), time: typeof at == 'number' && at > 0 ? Math.min(at, now()) : undefined })
      write({ ...read(), offer: { ...read().offer!, outcome: 'declined' } })
    })
  }

  // An audience may name pages: a move to one (no event, no trait) re-checks the prompt.
  const stops = [host.user.listen(check), host.state.subscribe(check), host.flows.listen(check), host.onTrack(check), host.onPage(check), ...stopShown]
  check()

  return (api = {
    $needsUi,
    $banner,
    $wall,
    act,
    dismiss,
    why: (id) => {
      if (calming && id === calming) return ['waiting-for-calm']
      const { paymentPrompt, renewalReminders, annualOffer } = cfg()
      // A member outside the audience is told so, before the status that would otherwise prompt them.
      const outside = (p: { id: string; audience?: Rule }) => host.evaluate(p.audience, p.id).failed.map((f) => `audience: ${f}`)
      if (id === paymentPrompt?.id) return [...outside(paymentPrompt), `paymentStatus ${JSON.stringify(traits().paymentStatus ?? null)}, ${daysPastDue(traits(), dueOf(read()), now())} days past due`]
      if (id === renewalReminders?.id) return [...outside(renewalReminders), `renewsAt ${JSON.stringify(traits().renewsAt ?? null)}`]
      if (id === annualOffer?.id) return [read().offer ? `offer ${read().offer!.variant} ${read().offer!.outcome ?? (read().offer!.declining ? 'declining' : 'shown')}` : 'offer not shown yet']
      return undefined
    },
    dispose() {
      disposed = true
      stops.forEach((s) => s())
      calm.stop()
      host.platform.clearTimeout(wallTimer)
      claimBanner(KEY, null)
    },
  })
}
