import type { ExperienceHost, UserView } from './host'
import { grantMessageId } from './grant-id'
import { readIdentity } from '../identity'

/**
 * Wraps a controller's grant pass so it runs under the user's cross-tab grant lock: two tabs that
 * see the same event at once take turns, and the second re-reads what the first granted (and,
 * as that re-read may not have the first's writes yet, claims what it sends: `granted`). Calls
 * made while a pass waits for the lock are folded into that pass. Where the platform has no Web
 * Locks the pass runs at once (the fresh re-read and derived messageIds still hold).
 *
 * `pass(true)` is a look without the lock: it refreshes what the controller shows and returns
 * true when it found something to write (a grant, a task, a start); only then is the lock taken
 * and `pass(false)` run, re-reading storage under it. A lock request costs the page ~0.4 ms of
 * main thread (bench/lock-cost.mjs) and most events grant nothing: a look that writes nothing
 * needs no turn, since reads cannot grant twice. The look waits for the end of the task, so the
 * events a host tracks together are looked at once.
 */
export function acrossTabs(host: ExperienceHost, pass: (look: boolean) => boolean | void): (() => void) & { stop(): void } {
  let waiting = false
  let looking = false
  // Each pass its own mark: a look the turn's own writes set off ends (or folds) before the turn's claims are answered.
  const mine = new Set<object>()
  const mark = (m = {}) => (underWay.add(m), mine.add(m), () => void (underWay.delete(m), mine.delete(m)))
  // A look or a lock still pending when the controller is disposed must not grant afterwards.
  let stopped = false
  const guarded = (look: boolean) => {
    if (stopped) return
    try {
      return pass(look)
    } catch (e) {
      host.reportError({ code: 'experience-failed', message: `grant: ${String(e)}` })
    }
  }
  // A user whose progress from other devices is on its way: only a look, from this device's copy
  // (it would grant again what they earned elsewhere); the client has everything look again after.
  const run = () => {
    if (!host.exclusive) return void guarded(!!host.syncing?.())
    if (waiting || looking) return
    looking = true
    const done = mark()
    void Promise.resolve().then(() => {
      looking = false
      if (waiting || !guarded(true) || host.syncing?.()) return done()
      waiting = true
      host.exclusive!(`linger:grant:${host.user.get().userKey}`, () => {
        waiting = false
        // Asked for before a sign-in that now waits: the pass runs again once it came.
        if (host.syncing?.()) return done()
        // The turn lasts until the grants it claimed (`granted`) are held and sent: the next
        // tab's claims see them.
        const claims: Array<Promise<unknown>> = (turn = [])
        guarded(false)
        turn = undefined
        return Promise.all(claims).finally(done) as Promise<any>
      })
    })
  }
  // Signed out (or another user in) with a look or a turn still to come: what the last user earned
  // is granted now, as theirs, without the turn (`granted` still sends only what it claims). Left to
  // it, the pass ran as the next user, and the last one's badge and task were never granted.
  // (A visitor who signs up is the same person: their state goes with them, and the turn is theirs.)
  const off = host.leaving?.((next) => (looking || waiting) && other(host.user.get(), next) && !host.syncing?.() && guarded(false))
  return Object.assign(run, { stop: () => void ((stopped = true), off?.(), mine.forEach((m) => underWay.delete(m)), mine.clear()) })
}

// The page's grant passes under way: a look to come, or a turn asked for or held. (A page with
// two clients waits for either's: as every survey did before.)
const underWay = new Set<unknown>()

/**
 * Whether a grant pass of this page is under way (see acrossTabs): what it grants (the list an
 * event finished, a badge) is celebrated in its turn, and a survey the same event triggered waits
 * for that turn to pass (surveys.ts). With none, there is nothing to wait for: taken all the same,
 * the turn was one more lock, and a task more, before every survey's first frame.
 */
export const granting = (): boolean => !!underWay.size

/**
 * Shows what a trigger asked for in the user's cross-tab turn, so a survey or tour that asks once
 * is asked once however many tabs the trigger fired in at the same moment: each tab's copy of the
 * state hears of the other's show a moment late, and both would decide "yes" from their own.
 *
 * `open(true)` only decides, from this tab's copy: most triggers are a "no" (answered, shown
 * before) and take no turn. A "yes" takes the lock; under it the state first takes in what other
 * tabs wrote, and `open()` decides again and shows. `done()` ends the trigger's wait, until then
 * kept so the trigger firing again starts nothing more; false when it was called off meanwhile
 * (the controller disposed, the user changed, the trigger moved on): nothing opens. Disposed
 * later, while its claims are answered, its `open()` says no. Where the platform has no Web
 * Locks, `open()` at once. `refused(reason)`: another tab showed it, or (`spaced`: subject to the
 * global cooldown; `briefly`: its one showing is claimed for CLAIM_MS only, even while `open()`'s
 * promise is pending) holds the user's one showing: `cooldown` (told only to the user it was for). That tab's
 * may yet come to nothing (its trigger moved on, its UI never drawn) and this one was no less
 * wanted: the caller asks again after CLAIM_MS, from storage by then (given up on, a survey went
 * unasked for a cooldown nothing had started).
 */
export function inTurn(host: ExperienceHost, open: (look?: true) => boolean | Promise<boolean>, done: () => boolean, id: string, refused: (reason: string) => void, spaced?: boolean | 'briefly', release?: () => void): void {
  // `release`: lets go of the claims of the visitor this user signed up from (see go()), once this
  // turn opens nothing.
  if (!host.exclusive) return void (done() && open())
  if (!open(true)) return void (done(), release?.())
  const was = host.user.get()
  const user = was.userKey
  // A refusal that comes once another person signed in is not theirs (a visitor who signed up
  // meanwhile is the same person: their look-again stays). Put back, it gave the next person at
  // the laptop the last one's "cooldown" in why(), and the last one's survey (or tour) a moment later.
  const same = (u = host.user.get()) => !other(was, u)
  host.exclusive(`linger:grant:${user}`, () => {
    // Signed up (or in) while it waited: if the trigger still holds for them (a visitor who became
    // a user keeps it; another person's is called off), it takes the turn of the user they became.
    if (host.user.get().userKey !== user) return void synced(host, () => inTurn(host, open, done, id, refused, spaced, release))
    if (!done()) return void release?.()
    // The claims this turn took: a turn that opens nothing (refused a claim, or its trigger moved
    // on) lets them go at once. Held, they kept the survey from a third tab, told it was "shown in
    // another tab" and given up on, while nothing showed it.
    const took: string[] = []
    // Those this page held already (its own showing, or a "what's new" it picked and has yet to draw).
    const had: string[] = []
    const held = (name: string) => holding.get(host.platform)?.get(name)
    // Only the claims still this turn's: one a later turn took over (or claimed afresh once this
    // one let go) is that turn's to let go.
    const ours = (name: string, h = held(name)) => (h?.by === took ? h : nothing)
    const hold = (ms?: number) => took.forEach((name) => ours(name)(ms))
    const letGo = () => (hold(), release?.())
    const go = () => {
      // Signed up while the claim was answered: as above, the turn of the user they became (its
      // `done` was spent by this one; the open() under it decides again). This turn's claims are
      // kept until that one decides: let go first, the visitor's other tab, yet to hear of the
      // sign-up, claimed them and showed it too. The trigger is theirs alone: someone else
      // signing in meanwhile calls it off.
      const now = host.user.get().userKey
      if (now !== user) return void (same() ? synced(host, () => inTurn(host, open, () => host.user.get().userKey === now, id, refused, spaced, letGo)) : letGo())
      host.state.fresh('scheduler')
      const opened = open()
      // What opens takes over the claims this page held (a "what's new" picked, not drawn): that
      // one dropped, it let go of the user's one showing while this survey was on screen.
      // Held till drawn (below), they are the turn's too: else they ran out after CLAIM_MS.
      if (opened)
        had.forEach((name) => {
          const h = held(name)
          if (h) (h.by = took), took.push(name), h(CLAIM_MS)
        })
      if (opened === true) return
      if (!opened) return letGo()
      // Picked now, decided again once drawn (a "what's new"): held till then, then for CLAIM_MS.
      // Run out before, the other window (its storage yet to hear) showed it too. But not while
      // the window is away (the user may never come back to it), nor past DRAW_MS: a UI that never
      // draws (its chunk failing every try, the widgets mounted again while it loaded) held the
      // user's other tabs back as long as this one lived. Let go, the pick is refused too
      // (`waiting-for-turn`: the caller drops it and asks again): drawn later from this tab's
      // copy of storage alone, the other window had shown it meanwhile, and both counted it.
      let settled = false
      let steps = DRAW_MS / CLAIM_MS
      const step = (): unknown => settled || (--steps && !host.screen?.away?.(nothing) ? host.platform.setTimeout(step, CLAIM_MS) : (hold(), refused('waiting-for-turn')))
      // `briefly` (a tour, whose target may never come): only its own claim is held; the user's
      // one showing goes after CLAIM_MS as ever, or it kept another window's survey back a minute.
      took.forEach((name) => (spaced !== 'briefly' || name === names[2] || name === names[3]) && ours(name)(Infinity))
      host.platform.setTimeout(step, CLAIM_MS)
      void opened.then((drawn) => ((settled = true), drawn ? took.forEach((name) => (held(name) ? ours(name)(CLAIM_MS) : claim(host, name))) : letGo()))
    }
    // Chromium does not promise that a lock's next holder has the last holder's storage writes
    // (under load, two tabs both showed a once-survey): the decision is also claimed in the lock
    // manager itself, held for a while, and a tab that cannot take the claim stays quiet. The
    // turn lasts until the claim is held, so the next tab's claim sees it.
    // What the global cooldown spaces (`spaced`: a survey or tour coming on its own) claims the
    // user's one showing too: two different surveys triggered in two tabs at once were both asked.
    // Its own name first: the same survey in two tabs is "shown in another tab", whatever else.
    // Named for the device's person (see claimant), not the user: a tab that signed up before
    // hearing of the visitor's showing in another asked again as the user (see granted).
    const person = claimant(host, was)
    const cool = spaced && Number(host.flows.get().settings?.cooldownDays) > 0
    const names = [cool && `linger:shown:${person}`, cool && was.userId && `linger:shown:${user}`, was.userId && `linger:shown:${user}:${id}`, `linger:shown:${person}:${id}`]
    let i = names.length
    const next = (): unknown => {
      const name = names[--i]
      if (i < 0) return go()
      // One this page held already is not this turn's to let go (unless it opens: see go()).
      if (name) (held(name) ? had : took).push(name)
      // Marked this turn's as it is taken: marked later, a claim another turn took once this one
      // let go was taken for this one's too, and let go with it.
      const claimed = !name || claim(host, name, took)
      return claimed === true ? next() : claimed.then((ok) => (ok ? next() : (letGo(), same() && refused(i > 1 ? 'shown-in-another-tab' : 'cooldown'))))
    }
    return next() as Promise<void>
  })
}

// A verified user who just signed up: their progress from other devices is on its way, and a look
// now says "syncing", which spent their trigger (the survey they had earned never came). It looks
// once that is in (the user store hears of it, as of any other change of user).
function synced(host: ExperienceHost, then: () => void): void {
  if (!host.syncing?.()) return then()
  const off = host.user.listen(() => host.syncing?.() || (off(), then()))
}

// The claims made by the grant pass running now, under the lock (see acrossTabs).
let turn: Array<Promise<unknown>> | undefined

/**
 * Sends a grant (grant-id.ts names it: `badge:<id>`, `checklist:<id>:<task>`) once across tabs:
 * `send` runs, with the grant's messageId, when this tab claims it in the lock manager. Storage
 * alone does not decide it once: a grant lock's next holder need not have the last holder's
 * writes yet (Chromium under load), and both tabs sent one badge, with its toast. A tab whose
 * claim another holds keeps the grant in its state and sends nothing: the holder sends it.
 * Without a lock manager, at once. `kept`: sent for a user who left meanwhile (nothing to show).
 */
export function granted(host: ExperienceHost, grant: string, send: (messageId: string, kept?: true) => void): void {
  const who = host.user.get()
  const user = who.userKey
  // Claimed as the device's person (see claimant), not as the user: a tab yet to hear of a
  // sign-in granted it as the visitor they were (its state not yet merged into the user's), and
  // each tab, claiming under its own name, sent one: the badge counted twice.
  // Signed in, as the user too (a tab that signed out and in again has another anonymousId). One
  // after the other, the person's first: asked at once, two tabs of one user could each take one
  // of the two, and neither sent the grant.
  const asUser = () => !who.userId || claim(host, `linger:granted:${user}:${grant}`)
  const first = claim(host, `linger:granted:${claimant(host, who)}:${grant}`)
  const claimed = first === true ? asUser() : first.then((ok) => ok && asUser())
  // Another user by then: the grant was the last one's (their state has it), not the new one's.
  // A visitor who signed in meanwhile is the same person: the state holding the grant went with
  // them (experience-state.ts), where nothing grants it again; dropped, it was never sent. Sent
  // under the user's messageId: a tab of theirs that granted it again as the user sent that one.
  const same = (u = host.user.get()) => !other(who, u)
  const go = (ok: boolean, kept?: true) => ok && same() && send(grantMessageId(host, grant), kept)
  if (claimed === true) return void go(true)
  // Its state is written already: a page that goes before the lock manager answers (a reload, a
  // link followed) sends it as it goes, under its one messageId; left to the answer, it was lost.
  let due = true
  let kept: (() => void) | undefined
  const answer = (ok: boolean) => due && ((due = false), stop?.(), off?.(), kept ? ok && kept() : go(ok))
  const stop = host.platform.onPageHide?.(() => answer(true))
  // So does a client destroyed before the answer (an app's unmount, a sign-out's cleanup): left to
  // it, its queue had stopped, and the grant was lost.
  host.stopping?.(() => answer(true))
  // One whose user signs out (or another signs in) before the answer is kept as theirs (their
  // identity, their messageId), and sent only if the claim is won. Left to the answer, it was no
  // longer theirs (same()), and the collector never heard; sent at once, a tab whose claim
  // another tab held sent it too (as the user the visitor had become: counted twice). `send` is
  // told it is kept: what it shows (a toast) is not for the next person, nor its UI's chunk.
  const off = host.leaving?.((next, keep) => same(next) || kept || (kept = keep(() => go(true, true))))
  const sent = claimed.then(answer)
  turn?.push(sent)
}

/** Another person than `was`: a visitor who signs up (or in) is the same one, their state gone with them. */
const other = (was: UserView, u: UserView) => u.userKey !== was.userKey && (!!was.userId || u.anonymousId !== was.anonymousId)

/**
 * Who on this device a cross-tab claim is for: the visitor and the first user
 * they signed in as are one person (a tab yet to hear of the sign-up claims as the visitor), but
 * another user signed in over them on the same anonymousId is not: named alike, Ann's claim of a
 * badge refused Bob's, and Bob's was never sent. Read from storage, which every tab shares.
 */
function claimant({ platform }: ExperienceHost, who: { anonymousId: string; userId?: string }): string {
  const first = readIdentity(platform.storage)?.first
  return who.userId && first && first !== who.userId ? `${who.anonymousId}:${who.userId}` : who.anonymousId
}

/** How long a tab holds what it showed in the lock manager: far longer than storage takes to reach the other tabs. */
export const CLAIM_MS = 10_000
/**
 * The most a "what's new" picked in a window in view holds the user's claims while its UI comes:
 * the widgets' first four tries at a chunk that fails (2 + 4 + 8 + 16 s apart, mount.ts) and a
 * slow connection's load fit in it; a UI not drawn by then is not likely to come, and the user's
 * other tabs (their surveys told `cooldown`) have waited long enough. A multiple of CLAIM_MS.
 */
export const DRAW_MS = 60_000
const nothing = () => {}
type Held = ((ms?: number) => void) & { by?: unknown }
// The claims each client holds (its own trigger again is no other tab's), each with its let-go
// (in `ms`, Infinity: not yet; at once without) and the turn it is held for (`by`).
const holding = new WeakMap<object, Map<string, Held>>()

/**
 * True once this page holds `name` (for CLAIM_MS, or already), false when another tab does. `by`:
 * the turn it is taken for (see inTurn).
 * Without a lock manager, or where it refuses, true.
 */
function claim({ platform }: ExperienceHost, name: string, by?: unknown): true | Promise<boolean> {
  const held = holding.get(platform) ?? new Map<string, Held>()
  holding.set(platform, held)
  if (!platform.withLock || held.has(name)) return true
  const claiming = new Promise<boolean>((resolve) => {
    platform.withLock!(name, () => {
      resolve(true)
      return new Promise<void>((r) => {
        let timer: unknown
        const letGo = (ms?: number) => (platform.clearTimeout(timer), ms ? ms < Infinity && (timer = platform.setTimeout(letGo, ms)) : (held.delete(name), r()))
        letGo(CLAIM_MS)
        held.set(name, Object.assign(letGo, { by }))
      })
    }).then((ran) => ran || resolve(false), () => resolve(true))
  })
  // Held at once (a lock manager that grants in the same task): the caller goes on in it.
  return held.has(name) || claiming
}

/**
 * The vendor's handler says its server did not apply it (billing and the cancel flow read it
 * alike): `false`, or a fetch() Response that is not ok (a 409 or 500 still resolves fetch), from
 * any realm (a handler in the vendor's iframe returns that frame's Response, no instance of this
 * page's Object). A cross-origin window (a portal from window.open()) throws on `.ok`: not refused.
 */
export const refused = (r: any): boolean => {
  try {
    return r === false || r?.ok === false
  } catch {
    return false
  }
}
