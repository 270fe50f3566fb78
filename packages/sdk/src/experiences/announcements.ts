import { atom, type ReadableAtom } from 'nanostores'
import { derived } from './derived'
import type { Announcement } from '../config/flows-schema'
import type { Properties } from '../events'
import type { Rule } from '../rule'
import type { ExperienceController, ExperienceHost } from './host'
import { $bannerClaims, claimBanner, holdsBanner, type Notice } from './notice'
import { CLAIM_MS, inTurn } from './across-tabs'
import { byUser } from './by-user'
import { calmScreen } from './calm'
import { drawOf } from '../sample'
import { ahead, announcementsState, close, feedItems, markRead, nextPublished, pendingModals, pickBanner, unreadCount, type AnnouncementsState } from './announcements/pick'

export type { AnnouncementsState }

export interface AnnouncementsController extends ExperienceController {
  /** The banner on screen (one at a time; a billing banner outranks it). */
  $banner: ReadableAtom<Notice | null>
  /** The "what's new" modal holding the blocking slot. */
  $modal: ReadableAtom<Notice | null>
  /** The feed launcher's items, newest first, and how many the user has not opened yet. */
  $feed: ReadableAtom<{ items: Announcement[]; unread: number; open: boolean }>
  /** The user pressed the notice's button (its link opens by itself). */
  act(id: string): void
  dismiss(id: string): void
  /** The user opened the feed: its items are read. Each counts as shown once it is `seen`. */
  openFeed(): void
  /** A feed item came into view in the open feed (the UI tells): Shown, once per tab. */
  seen(id: string): void
  closeFeed(): void
  /**
   * The id the last linger.show(id) asked for in the user's own click or key press (the app's
   * "What's new" button), or '': closed by keyboard, its UI gives focus back to that control. One
   * that came on its own (a trigger, an identify, the app's timer) has none to give it back to.
   */
  asked(): string
  /**
   * Set by the UI: true while the banner is out of sight (not on the page yet, or behind a
   * modal), and `then` runs once the user can see it. Its Shown waits for that.
   */
  behind?(then: () => void): boolean
}

const KEY = 'announcements'
const MINUTE = 60_000
/** A banner announcement ranks below every billing prompt for the one banner place. */
const BANNER_RANK = 1

const notice = (a: Announcement): Notice => ({
  id: a.id,
  layout: a.format === 'modal' ? 'modal' : 'banner',
  position: a.position,
  pushLayout: a.pushLayout,
  title: a.title,
  body: a.body,
  action: a.action,
  dismiss: 'dismiss',
})

/**
 * Announcements: a banner (non-blocking, one at a time, dismissed for good), a "what's new"
 * modal (blocking, through the scheduler, once) and a "what's new" feed with an unread count.
 * Audience rules pick who sees each; every appearance, click and dismissal is an event carrying
 * the announced feature, so adoption can be read per announcement.
 */
export function createAnnouncements(host: ExperienceHost): AnnouncementsController {
  const list = () => host.flows.get().announcements ?? []
  const read = (): AnnouncementsState => announcementsState(host.state.get(KEY))
  const write = (next: AnnouncementsState) => host.state.set(KEY, next)
  // One sample rule per announcement: the evaluator keeps its compiled form and verdicts by the
  // object, and a new one on every check was compiled and judged afresh on every event.
  const samples = new WeakMap<Announcement, Rule>()
  // The announcement's own share is drawn under a name of its own (as a survey's): under its id it
  // was the audience `{ sample }`'s draw again, and 50% of a 50% audience reached half, not a quarter.
  const verdict = (a: Announcement) => {
    const v = host.evaluate(a.audience, a.id)
    if (!v.ok || a.sample === undefined) return v
    if (!samples.has(a)) samples.set(a, { sample: a.sample })
    return host.evaluate(samples.get(a), drawOf(a.id, 'sample'))
  }
  // Dated ahead (next week's release), a banner or a "what's new" waits for its date as a feed
  // item does: shown before, it announced a feature not there yet (and why(id) said it waited).
  const eligible = (a: Announcement) => !ahead(a, host.platform.now()) && verdict(a).ok
  // A banner opened by linger.show(id): it stays (closed before or not, audience or not) until
  // the user closes or clicks it, not just until the next re-check picks another.
  let forced = ''
  // What show(id) was called for by the user's own click or key (see `asked`).
  let asked = ''
  // Waiting (for a calm screen, then the user's cross-tab turn) to open a modal: a re-check
  // meanwhile asks nothing more, and why(id) says which wait (the scheduler alone said "eligible").
  let asking = ''
  let lookAgain: (() => void) | undefined
  // A banner that pushes the page waits for a calm moment, a minute at most (calm.ts).
  const calm = calmScreen(host, () => check())
  // The banner that waits for it: nothing is on screen, and no other banner holds the place.
  let waits = ''
  let stopped = false
  const $candidate = atom<Announcement | null>(null)
  const $modalOn = atom<Announcement | null>(null)
  const $feedState = atom<{ items: Announcement[]; unread: number; open: boolean }>({ items: [], unread: 0, open: false })
  const $needsUi = atom(false)
  // Shown once per appearance in this tab: a banner that stays across re-checks is one showing.
  // A feed item's click too (keyed `>id`): one per showing.
  const shownHere = new Set<string>()
  const props = (a: Announcement): Properties => ({ announcementId: a.id, format: a.format, ...(a.feature ? { feature: a.feature } : {}) })
  const once = (key: string, event: string, a: Announcement) => shownHere.has(key) || (shownHere.add(key), host.emit(event, props(a)))

  const $banner = derived([$candidate, $bannerClaims], (a: Announcement | null) => (a && holdsBanner(KEY) ? notice(a) : null))
  const $modal = derived([$modalOn], (a: Announcement | null) => (a ? notice(a) : null))

  // Another user signed in (or out): the last user's modal and open feed go, and what this tab
  // showed them is not taken as shown to the new user. The modal closed this way is not the new
  // user's dismissal: its slot is released as abandoned, and nothing is written to their state.
  // Looked at before every decision: the user's state may say so before the user store does.
  let who = host.user.get()
  function followUser() {
    const was = who
    if ((who = host.user.get()).userKey === was.userKey) return
    // A visitor who signs up (or in) is the same person, on the same device (its anonymousId):
    // the banner they read and the feed they opened stay, counted Shown once.
    if (!was.userId && who.anonymousId === was.anonymousId) return
    shownHere.clear()
    forced = asked = ''
    // A verified user's banner is picked once their progress is in (check keeps the candidate
    // while it syncs): not the last user's meanwhile.
    $candidate.set(null)
    drop('abandoned')
    if ($feedState.get().open) $feedState.set({ ...$feedState.get(), open: false })
  }

  function check() {
    followUser()
    const st = read()
    // No new banner from this device's copy while a user's progress from other devices is on its
    // way (one they closed elsewhere would be shown, and counted, again).
    let banner = list().find((a) => a.id === forced) ?? (host.syncing?.() ? $candidate.get() : (pickBanner(list(), eligible, st) ?? null))
    // One that pushes the page comes at a calm moment, as a survey does, and not under someone's
    // typing (in the page, or in a survey: the screen waits for the user to leave it): the page
    // moved ~135 px as they typed. A tab in the background is calm: no one sees the page move,
    // and the banner is there when they come.
    waits = ''
    if (banner?.pushLayout && banner.id !== $candidate.get()?.id && calm.waits()) (waits = banner.id), (banner = null)
    calm.spent()
    if (banner?.id !== $candidate.get()?.id) $candidate.set(banner)
    claimBanner(KEY, banner ? BANNER_RANK : null)
    const items = feedItems(list(), eligible, host.platform.now())
    const feed = $feedState.get()
    const unread = unreadCount(items, st)
    if (unread !== feed.unread || items.length !== feed.items.length || items.some((a, i) => a !== feed.items[i])) $feedState.set({ ...feed, items, unread })
    const modals = $modalOn.get() || asking ? [] : pendingModals(list(), eligible, st)
    // A tab in the background waits: a "what's new" opened there, with no one to see it, was
    // shown (and closed for good, as asked once) for no one. Once means once across the user's
    // windows too: opened in their cross-tab turn, as a once survey is, or two windows restored
    // together would both show it (and count it). One claim for every modal: two windows must
    // not show two "what's new" at once either.
    if (modals.length) {
      asking = 'waiting-for-calm'
      const by = host.user.get().userKey
      const done = () => {
        asking = ''
        // The user changed while this waited for its turn (identify() just after load): the
        // modal is theirs to be asked about now, not the last user's, and not no one's.
        if (!stopped && host.user.get().userKey !== by) check()
        return host.user.get().userKey === by && !stopped
      }
      // It opens on its own, as a triggered survey does: first a calm screen (not over a
      // celebration or toast, the feed the user reads, the page's own dialog), then not over
      // someone's typing (it takes focus), nor in the background; each wait asks again after.
      // (Disposed meanwhile: `done` says so, and nothing opens.)
      // A blocking experience, spaced by the cooldown as surveys and tours are, across the user's
      // tabs too: a survey in one and a "what's new" in the other came at once. Held back by
      // another tab's showing (the cooldown's, or this modal's), it asks again once that tab's
      // claim is over: that showing may come to nothing (its window closed while its UI loaded).
      // Refused, why(id) gives the refusal until it looks again (not "eligible"), and no re-check
      // starts another turn meanwhile.
      // Refused once picked (its claim let go while its UI came): dropped, as it could not be
      // drawn without its other window showing it too.
      // Dropped as its UI is not on the page yet (a chunk load that hangs, neither failing nor
      // coming), it is picked again once the UI is: picked again at every look-again, it held the
      // user's one showing a minute in every seventy seconds, for a modal nothing would draw.
      // (One look-again at a time: a later refusal's, or a UI failed for good, ends this one.)
      const refused = (r: string, p = picked) => {
        const again = () => void (lookAgain === again && ((lookAgain = undefined), (asking = ''), stopped || check()))
        lookAgain = again
        p && ($modalOn.set(null), decided(false)), (asking = r), (p && host.undrawn?.('announcements', again)) || host.platform.setTimeout(again, CLAIM_MS)
      }
      const go = () => void (host.screen?.typing?.(go) || host.screen?.away?.(go) || ((asking = 'waiting-for-turn'), inTurn(host, openModal, done, 'announcements:modal', refused, true)))
      host.screen ? host.screen.when(go, modals[0].priority) : go()
    }
    if ($banner.get() || $modal.get() || items.length) $needsUi.set(true)
    arm()
  }

  // Dated ahead, an announcement comes at its moment on a page left open: nothing else re-checks
  // (the engine passes on only the events the audiences read, and none may). A minute at most
  // per wait: a sleeping laptop's timers do not count the night (noon's banner came at the wake
  // plus the hours still left), and a wait over 24.8 days would run out at once.
  let armed = Infinity
  let wake: unknown
  function arm() {
    const now = host.platform.now()
    const at = nextPublished(list(), now)
    if (at === armed || stopped) return
    host.platform.clearTimeout(wake)
    if ((armed = at) < Infinity) wake = host.platform.setTimeout(() => ((armed = Infinity), host.platform.now() < at ? arm() : check()), Math.min(at - now, MINUTE))
  }

  const modalAsk = (m: Announcement, look?: true) => ({ id: m.id, kind: 'announcement' as const, priority: m.priority, repeat: 'once' as const, look })
  // The modal whose slot this tab took (drawn, or opened by show(id)): only that one is released.
  let taken: Announcement | null = null
  // The modal the user can see (its UI drawn): only that one stays when the UI fails afterwards.
  let drawn: Announcement | null = null
  // Tells the turn that picked the modal it was drawn (true) or dropped: its claim across the
  // user's windows is held till then (see inTurn).
  let picked: ((drawn: boolean) => void) | undefined
  const decided = (drawn: boolean) => (picked?.(drawn), (picked = undefined))
  function drop(outcome: 'completed' | 'dismissed' | 'abandoned') {
    const on = $modalOn.get()
    $modalOn.set(null)
    if (on && on === taken) host.release(on.id, outcome)
    taken = drawn = null
    decided(false)
  }

  // `look` only decides (see inTurn); under the turn, decided again from what other tabs wrote.
  // Spent once drawn (see stopShown).
  function openModal(look?: true): boolean | Promise<boolean> {
    // Disposed while its claim was answered: opened, it was spent (shown once, the cooldown begun) for no one.
    const a = $modalOn.get() || stopped ? undefined : pendingModals(list(), eligible, read()).find((m) => host.request(modalAsk(m, true)).show)
    // Opened after check() ran (in the turn): its UI is asked for here.
    return a && !look ? new Promise((r) => ((picked = r), $modalOn.set(a), $needsUi.set(true))) : !!a
  }

  // A banner in a background tab counts as shown once the user looks, if it is still there; one
  // behind a modal (the cancel flow, the payment wall) once that is closed.
  let api: AnnouncementsController | undefined
  const stopShown = [$banner, $modal].map(($n) => {
    const shown = (n: { id: string } | null) => {
      const a = n && list().find((x) => x.id === n.id)
      const again = () => shown($n.get())
      // Shown here before (closed, then opened again from the vendor's button): drawn again, and
      // once() keeps Shown to one a tab.
      if (!a || host.screen?.away?.(again) || host.undrawn?.('announcements', again) || ($n === $banner && api?.behind?.(again))) return
      // A modal is spent (its "once", the slot, the cooldown) once it can be seen, decided again
      // then: spent when decided, one whose window closed while its UI loaded was seen by no one,
      // and the user's other window, told it was shown there, could never show it.
      const on = $modalOn.get()
      if ($n === $modal && on !== taken) {
        if (!host.request(modalAsk(on!)).show) return void ($modalOn.set(null), decided(false))
        taken = on
        decided(true)
      }
      if ($n === $modal) drawn = on
      once(a.id, 'Announcement Shown', a)
    }
    return $n.subscribe(shown)
  })

  function end(id: string, event: 'Announcement Clicked' | 'Announcement Dismissed') {
    const a = list().find((x) => x.id === id)
    if (!a) return
    if (forced === id) forced = ''
    // A feed item stays in the open feed: its link followed again (back from it, or a route of
    // the app with the feed still open) is the same showing's click, as Shown is once per tab.
    // Its button was on screen, though half its title was not: a click comes with its showing.
    if (a.format === 'feed') return void (seen(id), once(`>${id}`, event, a))
    host.emit(event, props(a))
    write(close(read(), id, host.platform.now()))
    if ($modalOn.get()?.id === id) drop(event === 'Announcement Clicked' ? 'completed' : 'dismissed')
    check()
  }

  // Written only when something was unread: each write stores the whole state and re-checks every experience.
  const readOut = (items: readonly Announcement[], st = read(), next = markRead(items, st, host.platform.now())) => next === st || write(next)

  function openFeed() {
    readOut($feedState.get().items)
    $feedState.set({ ...$feedState.get(), unread: 0, open: true })
    $needsUi.set(true)
  }

  // Not every item of an open feed is seen: a long one's last items are under the panel's
  // scroll until the user gets there, and a Shown then would count them as seen by no one.
  // Seen is read: an item out (or published again) while the feed is open was not read by
  // opening it, and stayed on the launcher's count after the user read it there.
  function seen(id: string) {
    const { open, items } = $feedState.get()
    const a = open && items.find((x) => x.id === id)
    if (a) once(id, 'Announcement Shown', a), readOut([a])
  }

  const stops = [host.onTrack(check), host.state.subscribe(check), host.user.listen(check), host.flows.listen(check), ...stopShown]
  check()

  return (api = {
    $needsUi,
    $banner,
    $modal,
    $feed: $feedState,
    // A button without a url ("Got it") is a dismissal (flows schema): counted as a click it would
    // inflate the click-through read as adoption.
    act: (id) => end(id, list().find((x) => x.id === id)?.action?.url ? 'Announcement Clicked' : 'Announcement Dismissed'),
    dismiss: (id) => end(id, 'Announcement Dismissed'),
    openFeed,
    seen,
    closeFeed: () => $feedState.set({ ...$feedState.get(), open: false }),
    asked: () => asked,
    show(id, e) {
      const a = list().find((x) => x.id === id)
      if (!a) return false
      asked = byUser(e) ? id : ''
      if (a.format === 'feed') openFeed()
      else if (a.format === 'modal' && taken?.id !== id) {
        // Forced or not, a modal never comes over another blocking experience (nor opens after
        // it): nothing came, and the vendor's button hears so (why(id) names what is in the way).
        // Picked already and not drawn: the button's yes takes it now (decided at the draw, it
        // could be refused there).
        const on = $modalOn.get()
        if ((on && on.id !== id) || !host.request({ id, kind: 'announcement', force: true }).show) return false
        $modalOn.set((taken = on ?? a))
        decided(true)
      } else if (a.format === 'banner') {
        forced = id
        $candidate.set(a)
        claimBanner(KEY, BANNER_RANK)
        holdsBanner(KEY) || (asked = '')
      }
      $needsUi.set(true)
      return true
    },
    why(id) {
      const a = list().find((x) => x.id === id)
      if (!a) return undefined
      // A modal picked (or asked for) whose UI has yet to draw is not on screen yet.
      const on = $modalOn.get()
      if (on?.id === id) return [on === drawn ? 'showing' : 'waiting-for-draw']
      if ($banner.get()?.id === id) return ['showing']
      // What holds the screen first, as show(id) answers it: a modal asked for behind a survey was
      // said to wait for an audience (or a close) that show(id) skips.
      const held = a.format === 'modal' ? host.request({ id, kind: 'announcement', force: true, look: true }).reasons.filter((r) => r.startsWith('blocked-by:')) : []
      if (held.length) return held
      if (read().closed[id]) return ['already-closed']
      if (ahead(a, host.platform.now())) return [`published-at: ${a.publishedAt}`]
      // The rule eligible() decides by (the sample included), and for a modal the scheduler's word.
      const v = verdict(a)
      if (!v.ok) return v.failed.map((f) => `audience: ${f}`)
      if (a.format === 'banner') return [waits === id ? 'waiting-for-calm' : 'banner-taken']
      return a.format === 'modal' ? (asking ? [asking] : host.request(modalAsk(a, true)).reasons) : ['eligible']
    },
    interrupt(id) {
      if ($modalOn.get()?.id === id) drop('abandoned')
    },
    // The UI failed for good (its chunk every try, its render): a "what's new" picked and not
    // drawn lets the user's claims go (held, their other tabs waited on it as long as this one
    // lived) and is asked for again at the next need, from a look (nothing of it was spent).
    // One the vendor's show(id) opened gives its blocking place back (kept, the tab's surveys and
    // tours waited on a modal no one could see until reload).
    uiFailed(final) {
      // Let go waiting for a UI that has now failed for good: looked at again at the next check,
      // which asks for it anew (the mount loads only when asked again).
      if (final !== false && lookAgain) (lookAgain = undefined), (asking = ''), !$banner.get() && !$feedState.get().items.length && $needsUi.set(false)
      const on = $modalOn.get()
      if (final === false || !on || on === drawn) return
      drop('abandoned')
      if (!$banner.get() && !$feedState.get().items.length) $needsUi.set(false)
    },
    dispose() {
      stopped = true
      decided(false)
      calm.stop()
      host.platform.clearTimeout(wake)
      stops.forEach((s) => s())
      claimBanner(KEY, null)
    },
  })
}
