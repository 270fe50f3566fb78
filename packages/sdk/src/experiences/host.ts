import type { ReadableAtom } from 'nanostores'
import type { Flows } from '../config/flows-schema'
import type { LingerError, Properties } from '../events'
import type { PageInfo, Platform } from '../platform'
import type { Rule } from '../rule'
import type { UsageProfile } from '../usage'

export interface UserView {
  userKey: string
  anonymousId: string
  userId?: string
  traits: Properties
  /** The account (`group()`) and its traits: audience rules read them under the user's own. */
  groupId?: string
  groupTraits?: Properties
}

/** Per-user experience state, persisted and kept in step across tabs. Values are JSON. */
export interface ExperienceState {
  get<T>(key: string): T | undefined
  /**
   * The value as storage holds it right now, not as this tab last heard (the storage event may
   * not have arrived yet): a grant re-reads before writing, so two tabs racing on the same event
   * grant once.
   */
  fresh<T>(key: string): T | undefined
  set(key: string, value: unknown): void
  /** Runs on any change: this tab's writes, another tab's writes, or a user switch. */
  subscribe(fn: () => void): () => void
}

export interface SlotRequest {
  id: string
  kind: 'tour' | 'survey' | 'cancel' | 'checklist' | 'hotspot' | 'badge' | 'review' | 'announcement' | 'wall' | 'notice'
  priority?: number
  repeat?: unknown
  audience?: Rule
  /** Sticky sample rate 0..1. */
  sample?: number
  /** linger.show(id): skips audience, sample and cooldown, never an active blocking experience. */
  force?: boolean
  /** The user asked for it (its trigger tracked in their click or key): the cooldown does not hold it back. */
  asked?: boolean
  /**
   * Only takes the slot, not counted as shown: a run taken up on another page load (counted when it started), or a tour whose first step is not on screen yet (counted by `seen`).
   * `'once'`, with `seen`: the user ended a tour from the card saying its first step is on another page, none of it seen: its "once" is spent, not its repeat's wait nor the cooldown.
   */
  resumed?: boolean | 'once'
  /** A tour's first step (a hotspot's dot) is on screen: its showing counts now. */
  seen?: boolean
  /** From `still`: false refuses with `moved-on` (the trigger no longer holds). */
  still?: () => boolean
  /** Only decides: nothing is recorded and the slot stays free (see `inTurn`). */
  look?: boolean
}

export interface SlotDecision {
  show: boolean
  reasons: string[]
}

/**
 * What the core offers each experience controller (experiences/*.ts). Controllers own their
 * state machine and expose atoms that widgets render; widgets never decide eligibility.
 *
 * State key conventions, so audience facts need no controller-to-controller wiring:
 *   `checklist:<id>` → { status: 'started'|'completed'|'dismissed', done: { [taskId]: time } }
 *   `badges`         → { earned: { [badgeId]: time }, points: number, levelAt: number (the most
 *                      points held: every level up to it is reached), reached?: string (the
 *                      highest level's name, kept when its threshold is raised), level: number,
 *                      seen?: { [levelName]: points } (each level's threshold at the last write:
 *                      one lowered to points already held is announced once) }
 *   `scheduler`      → scheduler.ts SchedulerState (history per experience, the active slot)
 *   `draws`          → { [name]: number in [0, 1) } (a visitor's sample draws, carried at sign-up)
 *   `cancel`         → { taken, refused, applied: { [offerId]: time }, runs: { [offerId]: runId },
 *                      terms: { [offerId]: [months, resumesAt] }, cancelled?: time } (a save
 *                      offer the user took is not offered again (unless no answer came and no tab
 *                      holds its lock: then it is, and applied under its run and terms), on
 *                      any of their devices; refused/applied: the vendor's answer to that take
 *                      (an older release's `taken: 0` is a refusal); runs: the run a take belongs
 *                      to, which a second tab applies it under, with its terms (a pause's length,
 *                      one value so crossing writes never join one take's length to another's
 *                      date; an older release's `{ months, resumesAt }` reads too); see
 *                      experiences/cancel.ts)
 */
export interface ExperienceHost {
  platform: Platform
  flows: ReadableAtom<Flows>
  /** On linger.host: the host's snapshot (a profile kept stays as read). The engine's host gives
   * the experiences the store's own (`$live`, changed in place per event): read it at once, never keep it. */
  usage: ReadableAtom<UsageProfile>
  user: ReadableAtom<UserView>
  state: ExperienceState
  /** `key`: the (public) write key. */
  options: { key?: string; locale?: string; debug?: boolean; nonce?: string; theme?: Record<string, unknown> }
  /**
   * Sends a Linger event (Title Case name) through the same pipeline as track(). A grant passes
   * its own `messageId` (experiences/grant-id.ts) so every copy of it is one event; an answer sent
   * after the moment it was given (billing's "No thanks", in turn or from a synced copy), its `time`.
   */
  emit(event: string, properties: Properties, options?: { messageId?: string; time?: number }): void
  /** The platform's cross-tab lock (Web Locks), absent where there is none: see across-tabs.ts. */
  exclusive?(name: string, fn: () => void | Promise<void>): void
  /** Every tracked event, the host's and Linger's, after the usage profile took it in. */
  /** `e`: the DOM event (a click, a key) an event held while Linger started was tracked in; null: none. */
  onTrack(fn: (name: string, properties: Properties, time: number, e?: Event | null) => void): () => void
  onPage(fn: (page: PageInfo) => void): () => void
  /** The URL changed on the same screen (a query or anchor the app rewrote): no page view, but a URL rule may turn. */
  onUrl?(fn: () => void): () => void
  /**
   * `fn` runs as the user changes (sign-out, another sign-in, also one another tab made), with the
   * next user, while the events' identity and a grant's messageId are still the last one's: what
   * they earned and has yet to be sent goes as theirs (experiences/across-tabs.ts). `keep(send)`:
   * what `send` emits is built now, as theirs, and goes only when the function it returns is called.
   * `unconfirmed`: holdForIdentify was still waiting (`holding`), so the user leaving is only the one this
   * browser had stored, never confirmed here; what was done meanwhile is the named (next) user's.
   */
  leaving?(fn: (next: UserView, keep: (send: () => void) => () => void, unconfirmed?: boolean) => void): () => void
  /**
   * `fn` runs once, as the client stops (destroy(), an app's unmount), while its queue still sends:
   * a grant whose claim is still answered goes then, as at pagehide (else it was lost: its state
   * says granted, and nothing grants it again). Registered for the client's life.
   */
  stopping?(fn: () => void): void
  evaluate(rule: Rule | undefined, experienceId: string): { ok: boolean; failed: string[] }
  /**
   * Called when a trigger fires; the check it returns says, after a delay or a wait for a calm
   * screen, whether the trigger still holds (a URL rule still matches; the user is still on the
   * page the event last happened on). The engine adds it.
   */
  still(rule: Rule, experienceId: string): () => boolean
  /** Asks for a place on screen: for blocking kinds, the one blocking slot. */
  request(req: SlotRequest): SlotDecision
  /**
   * Frees the slot and records the outcome for repeat policies. `hold`: records it but keeps the
   * slot (a survey answered, its comment box still on screen); a later release frees it.
   */
  release(id: string, outcome: 'completed' | 'answered' | 'dismissed' | 'abandoned', hold?: boolean): void
  reportError(error: LingerError): void
  /**
   * True while a verified user who just signed in waits for their progress from their other
   * devices (at most SYNC_WAIT_MS): nothing opens, starts or is granted on its own until then, or
   * it would be from this device's stale copy (a "what's new" closed elsewhere, a badge earned
   * there). The client has every experience look again once it came. Also true while Chrome
   * prerenders the page, until the user is shown it.
   */
  syncing?(): boolean
  /**
   * holdForIdentify still waits: the user is only the one this browser had stored. Also once a
   * hidden page let what was held go, until someone is named (or the cap, the page gone).
   */
  holding?(): boolean
  /** In the page's pagehide (the hold ends as the page goes): nothing the user waited for acts now. */
  unloading?(): boolean
  /**
   * Set by @linger/widgets once mounted (until its platform is in, each answer waits for it): an
   * experience that starts on its own (a trigger, not linger.show) waits for `when` (no toast or
   * celebration on screen, nor one that just ended, nor the page's own modal dialog), then checks
   * its eligibility again. Absent: no widgets (a custom UI, or ones that failed to load).
   * `typing(then)`: true while someone types in a field, and `then` runs once they paused; a
   * modal that opens on its own waits for it rather than take their keystrokes ('iframe': focus
   * in another site's iframe, whose keys and pauses it cannot see; billing's wall waits there a while only). `away(then)`:
   * true while the tab is in the background, and `then` runs once the user looks at it.
   */
  screen?: {
    when(fn: () => void, priority?: number): void
    typing?(then: () => void): boolean | 'iframe'
    away?(then: () => void): boolean
    /** The start's stand-in while the widgets' mount loads (config/hold-screen.ts): the mount takes its place. */
    held?: true
  }
  /**
   * Set by @linger/widgets: true while the UI of widget `kind` has not rendered on this page yet
   * (its chunk on its way, or blocked), and `then` runs once it has. A Shown is sent only then:
   * a showing no one could see is not one. Absent (a vendor's own UI): drawn as decided.
   */
  undrawn?(kind: string, then: () => void): boolean
  /** Handlers registered by the vendor (cancel(handlers)); see experiences/cancel.ts. */
  handlers: Record<string, unknown>
}

export interface ExperienceController {
  /**
   * True once this experience has anything to put on screen: @linger/widgets loads the
   * experience's UI chunk the first time it turns true, so pages that show nothing pay nothing.
   */
  $needsUi: ReadableAtom<boolean>
  /**
   * linger.show(id): true when this controller owns the id and tried to show it. `e`: the DOM
   * event a call held while Linger started was made in (null: none; absent: the one going on now).
   */
  show?(id: string, e?: Event | null): boolean
  /**
   * The user started something that outranks what is on screen (the cancel flow): end experience
   * `id` (the one holding the blocking slot, or '' for none) recording `reason`, and take down
   * anything else of this controller's that would sit under the modal.
   */
  interrupt?(id: string, reason: string): void
  /**
   * Called by @linger/widgets when this experience's UI could not load or render (blocked,
   * offline, a crash): one the user asked for (the cancel flow) must not wait for a retry.
   * `final` false: the widgets will try its chunk again (what can wait for it, does).
   */
  uiFailed?(final?: boolean): void
  /** Extra reasons for why(id), on top of the scheduler's. */
  why?(id: string): string[] | undefined
  dispose(): void
}
