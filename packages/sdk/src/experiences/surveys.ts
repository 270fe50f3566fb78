import { atom, type ReadableAtom } from 'nanostores'
import { messageId } from '../events'
import type { Rule } from '../rule'
import { CLAIM_MS, granting, inTurn } from './across-tabs'
import type { ExperienceController, ExperienceHost } from './host'
import { onAudienceChange } from './audience-change'
import { answeredProperties, COMMENT_MAX, reduceSession, startSession, type SurveyAnswer, type SurveyConfig, type SurveySession } from './surveys/session'

export type { SurveyAnswer, SurveyConfig, SurveySession } from './surveys/session'

/** Cross-tab record of a survey on screen, under state key `survey:<id>`. */
interface OnScreen {
  tab: string
  at: number
  closed?: boolean
}

/**
 * The record is a liveness signal: the tab showing the survey renews it every HEARTBEAT_MS and
 * clears it on pagehide (a reload, a closed tab), and other tabs trust it for ON_SCREEN_MS only,
 * so a tab that died without pagehide (a crash) hides the survey for two minutes, not longer.
 * Generous against HEARTBEAT_MS: a background tab's timers may run only once a minute.
 */
export const HEARTBEAT_MS = 30_000
export const ON_SCREEN_MS = 2 * 60_000
/** The thank-you closes itself after this long. */
export const THANKS_MS = 5000

export interface SurveysController extends ExperienceController {
  /** The survey on screen in this tab, or null: what the widget renders. */
  $session: ReadableAtom<SurveySession | null>
  /** The score, choices or text answer: sent at once as `Survey Answered`. */
  answer(answer: SurveyAnswer): void
  /** The follow-up comment (empty skips it): sent as another `Survey Answered`, same responseId. */
  comment(text: string): void
  /** Closes the survey: a dismissal if it was not answered yet. */
  close(): void
  /** Comments longer than this are cut when sent (the widget shows the count). */
  commentMax: number
}

/**
 * Micro-surveys. A trigger (an event with an optional count, a URL glob, or linger.show) starts
 * the survey's delay; when the delay ends the core scheduler decides (audience, sticky sample,
 * repeat, cooldown, the one blocking slot). Nothing polls: eligibility is looked at only when a
 * trigger fires.
 */
export function createSurveys(host: ExperienceHost): SurveysController {
  const { platform, state } = host
  const tab = messageId(platform.random)
  const $session = atom<SurveySession | null>(null)
  const $needsUi = atom(false)
  // A triggered survey's wait: its delay's timer, then 0 while it waits for a calm screen (no toast
  // or celebration up, the user's typing paused), as one without a delay does from the start.
  const pending = new Map<string, unknown>()
  const lastReasons = new Map<string, string[]>()
  let thanksTimer: unknown
  let heartbeat: unknown
  let stopped = false

  const surveys = (): SurveyConfig[] => ((host.flows.get() as { surveys?: SurveyConfig[] }).surveys ?? [])
  const find = (id: string) => surveys().find((s) => s.id === id)
  const key = (id: string) => `survey:${id}`
  const mark = (id: string) => state.set(key(id), { tab, at: platform.now() } satisfies OnScreen)
  const elsewhere = (id: string) => {
    const rec = state.get<OnScreen>(key(id))
    return !!rec && !rec.closed && rec.tab !== tab && platform.now() - rec.at < ON_SCREEN_MS
  }

  // Another tab asked it since this page last held it (this page is back from the back/forward
  // cache, a frozen tab woke up): the survey is that tab's now, maybe answered there, and leaves
  // this one without a word; its answer here would be the user's second.
  const taken = () => {
    const s = $session.get()
    return s?.step === 'ask' && state.fresh<OnScreen>(key(s.survey.id))?.tab !== tab && (finish(), true)
  }

  // The session whose UI came on screen (so it holds the blocking slot, and its "once" is spent).
  let drawn: string | undefined
  // Without `still` (whether its trigger still holds), linger.show asked: forced. A `look` only
  // decides (see inTurn).
  function open(survey: SurveyConfig, still?: () => boolean, look?: true): boolean {
    // Disposed while its claim was answered: asked, it was spent (Survey Shown, the cooldown) for no one.
    if (stopped) return false
    const { id, repeat, audience, sample, priority } = survey
    const current = $session.get()?.survey.id
    const busy = current ? (current === id ? 'showing' : `blocked-by:${current}`) : elsewhere(id) ? 'shown-in-another-tab' : ''
    if (busy) {
      lastReasons.set(id, [busy])
      return false
    }
    // A survey without a repeat policy asks once: re-asking is a choice the vendor makes.
    const ask = (look?: true) => host.request({ id, kind: 'survey', repeat: repeat ?? 'once', audience, sample, priority, force: !still, still, look })
    // Only decided here: a survey is spent (its "once", the cooldown) and takes the slot when its
    // UI is on the page. Decided and then dropped before anyone could see it (the page left while
    // the widgets loaded, the user changed), it was spent on no one, and never asked again.
    const decision = ask(true)
    lastReasons.set(id, decision.reasons)
    if (!decision.show || look) return decision.show
    // Recorded before anything renders, so another tab's trigger sees it and stays quiet.
    const renew = () => {
      mark(id)
      heartbeat = platform.setTimeout(() => taken() || renew(), HEARTBEAT_MS)
    }
    renew()
    const session = { ...startSession(survey, messageId(platform.random)), asked: !still }
    $session.set(session)
    $needsUi.set(true)
    // Counted once its UI is on the page and the tab in view (it may have loaded in the background),
    // and only if it is still this showing: decided again then, since the slot or the trigger may
    // have changed meanwhile. A "no" takes it away before the browser paints. Another tab does not
    // show it meanwhile: the record above, and the claim its turn took (across-tabs.ts), keep it out.
    const shown = () => {
      if ($session.get()?.responseId !== session.responseId || host.undrawn?.('surveys', shown) || host.screen?.away?.(shown)) return
      const now = ask()
      if (!now.show) return void (finish(), lastReasons.set(id, now.reasons))
      drawn = session.responseId
      host.emit('Survey Shown', answeredProperties(session))
    }
    shown()
    return true
  }

  function trigger(survey: SurveyConfig, still: () => boolean) {
    // The audience is checked now, so a user outside it never starts a delay; everything is
    // checked again when the delay ends, since the slot or the cooldown may have changed.
    // On screen here, it has nothing to decide: what why() said when it came still holds (its
    // user upgraded meanwhile: it is not "audience" while they answer it).
    if (pending.has(survey.id) || $session.get()?.survey.id === survey.id) return
    if (!host.evaluate(survey.audience, survey.id).ok) return void lastReasons.set(survey.id, ['audience'])
    const delay = survey.delayMs ?? 0
    // Then it waits for a calm screen (no toast or celebration up, nor one just gone). A user
    // who left the page meanwhile is not asked about it elsewhere, over what they came to see:
    // the trigger asks again next time.
    // A centred survey is a modal that takes focus: not over someone's typing (their next space
    // and Enter would pick and send a score), it comes once they pause, as a wall does. Nor in a
    // tab in the background: a Survey Shown nobody saw is a false impression (and a "once"
    // survey spent), and the record would keep it from the tab they are looking at.
    const go = (): unknown =>
      pending.has(survey.id) && !(survey.placement === 'center' && host.screen?.typing?.(go)) && !host.screen?.away?.(go) && inTurn(host, (look) => open(survey, still, look), () => pending.delete(survey.id), survey.id, refused, true)
    // Another tab holds the user's one showing: asked again once its claim is over (see inTurn).
    const refused = (r: string) => (lastReasons.set(survey.id, [r]), r == 'cooldown' && pending.set(survey.id, platform.setTimeout(go, CLAIM_MS)))
    // The event may have earned something (the list it finished, a badge): that is granted, and
    // celebrated, in the user's grant turn that the event queued (across-tabs.ts), which came
    // after the calm above. A survey that would come waits for that turn to pass, then for calm
    // again: it came first, and the "All done" celebration, held back by it, never showed.
    // Its look (most say no, and take no turn) is not why(id)'s word yet: that waits for the turn.
    // Nor does one whose event earned nothing (no grant pass under way): it has no turn to wait for.
    const looks = (was = lastReasons.get(survey.id), yes = open(survey, still, true)) => ((was ? lastReasons.set(survey.id, was) : lastReasons.delete(survey.id)), yes)
    const after = () => (pending.has(survey.id) && host.exclusive && granting() && looks() ? host.exclusive(`linger:grant:${host.user.get().userKey}`, () => void (host.screen ? host.screen.when(go, survey.priority) : go())) : go())
    const calm = () => (host.screen ? (pending.set(survey.id, 0), host.screen.when(after, survey.priority)) : go())
    // A decision from before the wait is not why it waits; one made during it (show(id) refused) is.
    lastReasons.delete(survey.id)
    pending.set(survey.id, delay > 0 ? platform.setTimeout(calm, delay) : 0)
    if (delay <= 0) calm()
  }

  // The record only guards an unanswered survey: once answered, repeat policies take over.
  // The last decision is forgotten too: why() must not keep saying "eligible" for a closed survey.
  function closeRecord(id: string) {
    platform.clearTimeout(heartbeat)
    lastReasons.delete(id)
    const rec = state.get<OnScreen>(key(id))
    if (rec?.tab === tab && !rec.closed) state.set(key(id), { ...rec, closed: true })
  }

  function finish(outcome?: 'dismissed' | 'abandoned', reason?: string) {
    const s = $session.get()
    if (!s) return
    platform.clearTimeout(thanksTimer)
    $session.set(null)
    closeRecord(s.survey.id)
    // Never on screen: nothing to say, and no slot to free.
    if (drawn !== s.responseId) return
    // Answered before (its comment box or thank-you was up): the answer is on record already, and
    // the blocking slot it kept is free only now.
    if (!outcome) return host.release(s.survey.id, 'abandoned')
    if (outcome === 'dismissed' || reason) host.emit('Survey Dismissed', { ...answeredProperties(s), ...(reason ? { reason } : {}) })
    host.release(s.survey.id, outcome)
  }

  function step(action: Parameters<typeof reduceSession>[1]) {
    const before = $session.get()
    if (!before || (action.type === 'answer' && taken())) return
    const after = reduceSession(before, action)
    // An answer that is none (a score as text, off the scale, an unknown option), or a comment
    // before its score, sends nothing: said, so a vendor's own UI does not lose them in silence.
    if (after === before) {
      const { id } = before.survey
      if (before.step === 'ask') host.reportError({ code: 'invalid-call', message: `${action.type}(): ${action.type == 'answer' ? 'invalid' : 'before answer()'} for survey ${id}` })
      return
    }
    $session.set(after)
    if (after.step === 'thanks') thanksTimer = platform.setTimeout(() => finish(), THANKS_MS)
    const commented = action.type === 'comment' && after.comment !== undefined
    if (action.type === 'answer' || commented) host.emit('Survey Answered', answeredProperties(after))
    // Recorded as soon as the answer is in: a reload before the comment must not re-ask.
    if (action.type === 'answer') {
      // Kept for audience rules ("answered survey Y with category Z": you asked, we built it).
      if (after.category) {
        const answers = host.state.get<{ category?: Record<string, string> }>('surveyAnswers')
        host.state.set('surveyAnswers', { ...answers, category: { ...answers?.category, [after.survey.id]: after.category } })
      }
      // The slot stays this survey's while its comment box or thank-you is up: no tour or wall
      // opens beside (or over) a comment being written.
      host.release(after.survey.id, 'answered', true)
      closeRecord(after.survey.id)
    }
  }

  // Trigger conditions are audience rules, so counts and globs mean what they mean there.
  const fire = (match: (t: NonNullable<SurveyConfig['trigger']>) => Rule | undefined) => {
    for (const s of surveys()) {
      const rule = s.trigger && match(s.trigger)
      if (rule && host.evaluate(rule, s.id).ok) trigger(s, host.still(rule, s.id))
    }
  }
  const onEvent = host.onTrack((name) => fire((t) => ('event' in t && t.event === name ? { event: name, count: t.count } : undefined)))
  const onPage = () => fire((t) => ('url' in t ? { url: t.url } : undefined))
  const offPage = host.onPage(onPage)
  // The user changed (identify as someone else, reset): the previous user's survey goes away.
  // Whoever it is now, with whatever traits (an app identifies a moment after the page loaded),
  // the page they are on is a trigger for them too: a URL-triggered survey for "pro" users
  // never showed to the pro user identified just after the runtime started.
  // A visitor who signs up (or in) is the same person on the same device (its anonymousId): the
  // survey they are answering stays, and its answer goes out once, as the user they became (taken
  // away, it was lost, and a repeating one asked again at once, Shown twice); their waiting
  // trigger is theirs still. The record moves with them, so their other tabs keep quiet.
  let who = host.user.get()
  const offUser = onAudienceChange(host, (user, otherUser) => {
    const s = $session.get()
    if (otherUser && (who.userId || user.anonymousId !== who.anonymousId)) {
      pending.forEach((t) => platform.clearTimeout(t))
      pending.clear()
      // What why() said was the last person's "no" (they answered it): not this one's.
      lastReasons.clear()
      finish('abandoned')
    } else if (otherUser && s?.step === 'ask') {
      // Unless the user they signed in as has answered it already (on another device, or before
      // they signed out): "once" is once a person, and the collector would have two answers.
      const h = host.state.get<{ history?: Record<string, { answered?: boolean; lastAnswered?: number }> }>('scheduler')?.history?.[s.survey.id]
      const r = s.survey.repeat ?? 'once'
      if (h?.answered && r != 'always' && !(typeof r == 'object' && platform.now() - h.lastAnswered! > (r as { afterDays: number }).afterDays * 864e5)) finish('abandoned')
      else mark(s.survey.id)
    }
    who = user
    onPage()
  })
  // This page is going away (reload, navigation, closed tab): the survey is no longer on screen
  // anywhere, so the tab that is left (or the reloaded page) may show it.
  const offGone = platform.onPageHide?.(() => {
    const s = $session.get()
    const rec = s && state.get<OnScreen>(key(s.survey.id))
    // The heartbeat keeps going: a page restored from the back/forward cache renews the record.
    if (s?.step === 'ask' && rec?.tab === tab) state.set(key(s.survey.id), { ...rec, closed: true })
  })
  const offShown = platform.onShow?.(taken)
  // The page the runtime started on counts as a navigation for URL triggers.
  onPage()

  return {
    $needsUi,
    $session,
    answer: (answer) => step({ type: 'answer', answer }),
    comment: (text) => step({ type: 'comment', text }),
    close: () => finish($session.get()?.step === 'ask' ? 'dismissed' : undefined),
    commentMax: COMMENT_MAX,
    show(id) {
      const survey = find(id)
      // Shown now, the trigger waiting out its delay is spent on this showing: left waiting, it
      // asked again (Shown twice) the user who had just answered, or closed, it.
      return !!survey && (open(survey) && (platform.clearTimeout(pending.get(id)), pending.delete(id)), true)
    },
    interrupt(id, reason) {
      const s = $session.get()
      // Still asking: not the user's dismissal (no snooze), but on the record with its reason.
      // Already answered (the comment, the thank-you): it just leaves the screen.
      if (!s) return
      if (s.step !== 'ask' || drawn !== s.responseId) finish()
      else if (s.survey.id === id) finish('abandoned', reason)
    },
    // The widgets gave up on drawing it (its chunk never loaded, its first render threw): it held
    // this tab's slot and, by its heartbeat, every other tab's, for the life of the page. Never
    // seen, it leaves without a word and unspent; the trigger asks again. Not while the widgets
    // still try its chunk again (a CDN hiccup): then it shows late rather than never. One drawn
    // whose widget broke later (a render error) is off the screen too: kept, its session blocked
    // every other survey, and held the slot, for the life of the page. Its Survey Shown stands:
    // it leaves as unanswered, nothing said for the user. The need falls, so the next one's is
    // news to the mount, which draws the widget again (it hears changes only).
    uiFailed(final) {
      if (final !== false) finish(), $needsUi.set(false)
    },
    why: (id) => find(id) && (lastReasons.get(id) ?? (pending.has(id) ? [pending.get(id) === 0 ? 'waiting-for-calm' : 'waiting-for-delay'] : ['not-triggered'])),
    dispose() {
      stopped = true
      onEvent()
      offPage()
      offUser()
      offGone?.()
      offShown?.()
      // The survey leaves the screen with this instance: a page that starts Linger again (a
      // component mounted again) must not find it "shown in another tab" for two minutes.
      closeRecord($session.get()?.survey.id ?? '')
      // Nor is one still waiting for its UI shown (and spent) by the instance that is gone.
      $session.set(null)
      pending.forEach((t) => platform.clearTimeout(t))
      pending.clear()
      platform.clearTimeout(thanksTimer)
    },
  }
}
