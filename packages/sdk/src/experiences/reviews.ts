import { atom, type ReadableAtom } from 'nanostores'
import type { ValueReview } from '../config/flows-schema'
import { CLAIM_MS, inTurn } from './across-tabs'
import type { ExperienceController, ExperienceHost } from './host'
import type { ChecklistState } from './checklist/reduce'
import { measureItems, type MeasuredItem, type ValueSources } from './value/items'
import { heldBadges } from './badges/points'
import { closedReview, isDue, reduceReview, type ReviewAction, type ReviewRecord, type ReviewSource, type ReviewState } from './value/machine'
import { dayOf, reviewPeriod, type ReviewPeriod } from './value/period'

export type { MeasuredItem, ReviewPeriod, ReviewState }

export interface ReviewsController extends ExperienceController {
  $state: ReadableAtom<ReviewState>
  close(): void
}

const key = (id: string) => `review:${id}`

/**
 * Value reviews ("Your month in Acme"): at the first visit of a month, last month's numbers
 * against the month before; on demand (show(id)), this month so far against the same days of
 * last month. A card in a corner that takes the blocking slot, so it never sits beside a tour or
 * a survey, and never takes focus. Shown once per period per user (the record syncs across a
 * verified user's devices).
 */
export function createReviews(host: ExperienceHost): ReviewsController {
  const $state = atom<ReviewState>(closedReview)
  const $needsUi = atom(false)
  const reviews = (): ValueReview[] => [...(host.flows.get().valueReviews ?? [])].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0))
  // The user's day as their usage profile keys it: a platform that reports its own zone says it.
  const day = (ms: number) => (host.platform.dayKey ?? dayOf)(ms)
  const today = () => day(host.platform.now())
  const sources = (): ValueSources => {
    const { badges = [], checklists = [] } = host.flows.get()
    // Stored, of any shape: an `earned` left null (a hand edit, an old release) threw from the
    // review's timer into the page.
    const state = host.state.get<{ earned?: Record<string, number> }>('badges')
    return {
      profile: host.usage.get(),
      traits: host.user.get().traits,
      badges: state && { earned: heldBadges(badges, state.earned || {}) },
      grants() {
        const out: Array<[number, number]> = []
        for (const b of badges) if (state?.earned?.[b.id] !== undefined) out.push([state.earned[b.id]!, b.points ?? 0])
        for (const list of checklists) {
          const s = host.state.get<ChecklistState>(`checklist:${list.id}`)
          if (!s?.done) continue
          for (const t of list.tasks) if (s.done[t.id] !== undefined) out.push([s.done[t.id]!, t.points ?? 0])
          // Its reward counts on the day it completed (a record from an older release: its last task's).
          if (s.status === 'completed') out.push([s.completedAt ?? Math.max(0, ...Object.values(s.done)), list.reward?.points ?? 0])
        }
        return out
      },
      dayOf: day,
    }
  }
  // A monthly review's vendor metrics (traits) are for the month it reviews: in a look at this
  // month so far, last month's number would stand as this month's. A manual review only ever
  // looks so far, so its traits are for that.
  const measure = (r: ValueReview, p: ReviewPeriod) => measureItems(p.complete || r.schedule === 'manual' ? r.items : r.items.filter((i) => !('trait' in i)), sources(), p)
  // The blocking slot, as check() and show() take it and why() looks at it.
  const ask = (r: ValueReview, how: { force?: boolean; look?: boolean }) => host.request({ id: r.id, kind: 'review', priority: r.priority, audience: r.audience, ...how })

  // The open state whose card came on screen: it holds the slot, and its month is spent.
  let drawn: ReviewState | undefined
  function dispatch(a: ReviewAction) {
    const prev = $state.get()
    const next = reduceReview(prev, a)
    if (next === prev) return false
    $state.set(next)
    if (next.step === 'open') {
      $needsUi.set(true)
      const { review: r, period, source } = next
      // Spent once its card is on the page and the tab in view (the month, the slot, the cooldown),
      // and only if it is still this opening: decided then again, since the page may have gone or
      // another window drawn the month's review meanwhile. A "no" takes the card away before the
      // browser paints.
      const shown = () => {
        if ($state.get() !== next || host.undrawn?.('reviews', shown) || host.screen?.away?.(shown)) return
        if ((source === 'schedule' && !isDue(r, host.state.fresh<ReviewRecord>(key(r.id)), period)) || !ask(r, { force: source === 'show' }).show) return void dispatch({ type: 'close' })
        drawn = next
        // Only the scheduled review marks its month as seen: a look "so far" in November must not
        // stand in for November's review at the start of December.
        if (source === 'schedule') host.state.set(key(r.id), { shown: period.period, at: host.platform.now() } satisfies ReviewRecord)
        host.emit('Value Review Shown', { reviewId: r.id, period: period.period })
      }
      shown()
    }
    return true
  }
  // `look` only decides (see inTurn); the slot is taken once the card is drawn.
  function open(r: ValueReview, period: ReviewPeriod, source: ReviewSource, force?: boolean, look?: boolean) {
    const items = measure(r, period)
    // Disposed while its claim was answered: opened, the month was spent (Shown sent) for no one.
    if (stopped || (!items.length && source === 'schedule')) return false
    if (!ask(r, { force, look: true }).show) return false
    if (!look) dispatch({ type: 'open', review: r, period, items, source })
    return true
  }
  // The scheduled review's wait for its cross-tab turn: a check meanwhile starts nothing more;
  // a sign-in meanwhile calls it off (the new user's check waits for a turn of its own).
  let waiting: object | undefined
  let stopped = false
  function check() {
    // Not in a background tab: the month's review would count as seen by no one.
    if (waiting || $state.get().step === 'open' || host.screen?.away?.(check)) return
    const period = reviewPeriod(today(), true)
    const go = (r: ValueReview, look?: boolean) => $state.get().step !== 'open' && isDue(r, host.state.get<ReviewRecord>(key(r.id)), period) && open(r, period, 'schedule', false, look)
    const r = reviews().find((x) => go(x, true))
    // Two windows open on the first visit of a month would each show it (Shown counted twice):
    // it takes the user's turn across tabs as surveys do, and under it is decided again from
    // what the other tab wrote. Its id is claimed as is: ids are one namespace across the flows.
    const turn = (waiting = r && {})
    // Spaced by the cooldown across tabs, as a survey is (a survey in one window, the month's
    // review in the other, at once); held back by another tab's showing, it looks again later:
    // that window may close before its card came (the month then stayed unreviewed until a page
    // change), and if it drew the card, its record says so by then.
    if (r) inTurn(host, (look) => go(r, look), () => waiting === turn && !(waiting = undefined), r.id, () => host.platform.setTimeout(check, CLAIM_MS), true)
  }

  const close = (outcome: 'completed' | 'abandoned' = 'completed') => {
    const s = $state.get()
    if (s.step !== 'open') return
    dispatch({ type: 'close' })
    // Never drawn: it took no slot, and the user closed nothing.
    if (drawn === s) host.release(s.review.id, outcome)
  }

  // Another user signed in (or out) on this device: the last user's numbers leave the screen,
  // closed as abandoned (not the new user's doing), and the new user's own review may follow.
  let who = host.user.get().userKey
  const onUser = (u: { userKey: string }) => {
    if (u.userKey !== who) (who = u.userKey), close('abandoned'), (waiting = undefined)
    check()
  }
  const stops = [host.user.listen(onUser), host.onPage(check), host.flows.listen(check)]
  // After start-up, not in its way.
  host.platform.setTimeout(check, 0)

  return {
    $needsUi,
    $state,
    close: () => close(),
    show(id) {
      const r = reviews().find((x) => x.id === id)
      if (!r) return false
      if ($state.get().step !== 'open') open(r, reviewPeriod(today(), false), 'show', true)
      return true
    },
    interrupt(id) {
      // The cancel flow takes the screen: a card beside its modal would only be in the way.
      if ($state.get().step === 'open') close('abandoned')
      void id
    },
    why(id) {
      const r = reviews().find((x) => x.id === id)
      if (!r) return undefined
      // The period it would show: a manual review only ever shows this month so far (measured
      // over last month, one with numbers this month was said to have nothing to review).
      const manual = r.schedule === 'manual'
      const period = reviewPeriod(today(), !manual)
      const reasons: string[] = []
      if (manual) reasons.push('manual: shows on show(id) only')
      else if (!isDue(r, host.state.get<ReviewRecord>(key(r.id)), period)) reasons.push(`already-shown:${period.period}`)
      if (!measure(r, period).length) reasons.push(`nothing-to-review:${period.period}`)
      // The scheduler's own word, as check() asks it: the audience alone said "eligible" of a
      // review the cooldown or a tour on screen was holding back.
      reasons.push(...ask(r, { look: true }).reasons)
      return reasons.length > 1 ? reasons.filter((x) => x !== 'eligible') : reasons
    },
    dispose() {
      // A turn no one holds: the one pending opens nothing, and no check starts another.
      waiting = {}
      stopped = true
      stops.forEach((s) => s())
      // A card still waiting for its UI (or for the tab to be looked at) is not the month's review
      // of an instance that is gone.
      $state.set(closedReview)
    },
  }
}
