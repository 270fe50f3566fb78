import { listen } from './listen'
import type { Platform } from './platform'

/**
 * Single-page-app navigation without polling: pushState/replaceState are wrapped (the only way
 * to hear them), popstate and hashchange are listened to. `fn` runs once per change of screen,
 * `from` (the page already reported) on: also at once, if the page is no longer that one.
 * `same` runs (in a later task, once for a burst) when the URL changed on the same screen: a
 * query an app rewrites (a tab, a filter: `?tab=billing`), an anchor. No page view, but a rule
 * naming that URL holds, or no longer does.
 */
export function watchNavigation(w: Window, fn: () => void, from = w.location.href, same?: () => void, rewrote?: (url: string) => void, views?: Pick<ViewWait, 'soon' | 'stay' | 'moved'>): () => void {
  let last = from
  let timer: number | undefined
  let sameTimer: number | undefined
  const changed = () =>
    void (sameTimer ??= w.setTimeout(() => {
      sameTimer = undefined
      try {
        same?.()
      } catch {
        /* as fn: never into the host's navigation */
      }
    }))
  // The screen a URL shows. A fragment the page holds an element for (a table of contents'
  // #install, or #top) only scrolls it: the same page view. A hash router's route stays:
  // #/settings, #!/inbox, or #inbox where no element has that id (Backbone's).
  const screen = (url: string) => url.replace(/#(?![/!])(.*)/, (hash, id) => (id && id != 'top' && !w.document.getElementById(id) ? hash : ''))
  const check = () => {
    timer = undefined
    const now = w.location.href
    const moved = screen(now) !== screen(last)
    if (!moved && now !== last && same) changed()
    last = now
    try {
      moved ? fn() : views?.stay()
    } catch {
      /* a listener must never break the host's navigation */
    }
  }
  // In the next task: by then a router has set the new page's title (after its pushState),
  // and a redirect chain (push /login, the guard replaces it with /dashboard) is the one page seen.
  // Heard now all the same: what the app sends from here on (a click handler that navigates, then
  // tracks) happened on the new screen, after its page view.
  // Looked at now if the page goes, or flush() or destroy() comes, before that task.
  const soon = () => void (timer ??= (views?.soon(() => timer === undefined || (w.clearTimeout(timer), check())), w.setTimeout(check)))
  // What a replaceState must change to show another screen: the path, or a hash router's route
  // (not a query, nor a fragment that is no route: an OAuth token cleaned out of the URL).
  const path = (url: string) => url.replace(/\?[^#]*|#(?![/!]).*/g, '')
  const h = w.history
  const origPush = h.pushState
  const origReplace = h.replaceState
  const wrap = (orig: History['pushState'], replacing?: 1) =>
    function (this: History, ...args: Parameters<History['pushState']>) {
      const result = orig.apply(this, args)
      // A search box, filters or a sort mirrored into the query as the user types (replaceState,
      // no history entry) leave them on the screen they were shown: no page view per keystroke.
      // Not while a change is pending (push ?page=2, then replace its query: that is one).
      if (replacing && timer === undefined && path(w.location.href) === path(last)) {
        if (same && w.location.href !== last) changed(), rewrote?.(w.location.href)
        last = w.location.href
      } else soon()
      return result
    }
  const push = wrap(origPush)
  const replace = wrap(origReplace, 1)
  h.pushState = push
  h.replaceState = replace
  // A router may have moved on while the runtime loaded (a redirect from / to /dashboard).
  check()
  const offs = [listen(w, 'popstate', soon), listen(w, 'hashchange', soon)]
  // Heard late: Back, where the app's popstate listener (added before ours: a script-tag install)
  // tracks, or renders a screen that does, before ours runs; `location.hash = '#/x'` then a track()
  // where no popstate tells it at once (hashchange comes in a later task). What is sent on the new
  // screen goes after its page view: the change is heard now.
  // A query alone is no other screen here: a change the wrapper did not hear may be a replaceState
  // (a search box mirrored into ?q= by a lower wrapper or the Navigation API), which is none.
  // (Only the page's query: a hash route's own, #/search?q=shoes, is part of its screen, as in check.)
  const query = (url: string) => url.replace(/^([^?#]*)\?[^#]*/, '$1')
  if (views) views.moved = (url) => url === last || timer !== undefined || screen(query(w.location.href)) === screen(query(last)) || soon()
  return () => {
    if (views) views.moved = undefined
    // Only unwrap if nobody wrapped on top of us since; otherwise leave theirs in place.
    if (h.pushState === push) h.pushState = origPush
    if (h.replaceState === replace) h.replaceState = origReplace
    w.clearTimeout(timer)
    // A change never looked at (destroy() in its task): what waits for it is sent, without it.
    timer === undefined || views?.stay()
    w.clearTimeout(sameTimer)
    offs.forEach((off) => off())
  }
}

/**
 * How long a route change's own page view waits for the app's page() for that URL: a router
 * that calls page() in a later task (React's scheduler posts a message; an effect runs in the
 * next frame, or after the route's data came) sends one page view, not two. At least: it then
 * also waits for the page's next frame and the task after it, where an app's effects run. A busy
 * page's render (one 600 ms task) holds back the timer too, which may then run before the frame
 * that shows the new screen, and so before the router's page() that comes after that frame.
 */
export const VIEW_WAIT_MS = 300
/** Once the app has called page() itself after a route change: the route effect of an app that does. */
export const ROUTER_WAIT_MS = 2000
/**
 * How many more of the platform's bounds (afterFrame's, seconds each) a page() still counts for a
 * view that went as the page was busy: a router's page() after a render that outlasted the wait.
 */
export const BUSY_ROUNDS = 4

/**
 * The page view of a route change, waiting (see VIEW_WAIT_MS). `queue`, while one waits: what
 * is sent meanwhile, to go after it (an event tracked on the new screen follows its page view).
 */
export interface ViewWait<W = unknown> {
  queue?: Array<() => void>
  /** When the route change not yet looked at (see soon) was made: its page view's time. */
  since?: number
  /** Who was there as it was made (an identify() in its task names who comes after its view). */
  by?: W
  /** An event's URL (read live): if it shows another screen than the last heard, the change is heard now (see soon). */
  moved?(url: string): unknown
  /**
   * A route change heard in the task it is made in (pushState), looked at in the next: what is
   * sent from now on goes after that route's page view (a click handler that navigates, then
   * tracks), or, if it showed no other screen (an anchor), as it would have.
   */
  soon(look: () => void): void
  /** That change showed no other screen: what waited for it goes (behind a view still waiting). */
  stay(): void
  /** A route change to `url`: `send` (its page view) goes after the wait, or sooner (go). None: the app's page() sent it already. */
  hold(url: string, send?: () => void): void
  /**
   * The app's page() on `url`: if that page view waits, it is page()'s (its own dropped); then
   * what was sent meanwhile, to follow it. `false`: sent already as the page was hidden or busy
   * past the wait's bound, and the wait is not over: page() sends no second one.
   */
  claim(url: string): Array<() => void> | false | undefined
  /** What waits goes now (the next route, a flush, destroy). `hidden`: the wait for page() goes on, to drop it. */
  go(hidden?: 1): void
  rewrote(to: string): void
}

// The screen a page() claims: its URL without the query. A screen's own replaceState of its query
// as it mounts (`?tab=profile`) comes between the route change and the app's page(). The wait is
// always the last screen heard (another query pushed is a route change, whose wait replaces this
// one): only a page() in the very task of such a push, before it is heard, could take its place,
// and an app that calls page() in that task called it for this screen in its own.
const bare = (url = '') => url.replace(/\?[^#]*/, '')

export function viewWait<W>(p: Pick<Platform, 'setTimeout' | 'clearTimeout' | 'afterFrame'> & { now?(): number }, who?: () => W): ViewWait<W> {
  let url: string | undefined
  let view: (() => void) | undefined
  let timer: unknown
  // What was sent behind the waiting view, and behind a route change not yet looked at.
  let rest: Array<() => void> | undefined
  let next: Array<() => void> | undefined
  // Looks at that route change now (its page view built, or what waits for it let go).
  let look: (() => void) | undefined
  // An app that calls page() on its route changes: on one that it does not (a host that calls
  // it on some routes), the view still goes, only later.
  let router = 0
  const end = () => (p.clearTimeout(timer), (timer = url = undefined))
  // The wait is over once a frame is painted and the page's work after it is done (a render in
  // slices paints frames as it goes). If no frame comes within as long again (a hidden tab, an
  // off-screen iframe), the view goes, and a page() still counts for it until one does: the
  // router's effect comes after that frame, when the user is back. A page still busy when the
  // platform's bound runs out (a slow phone's render in slices, for seconds): the view goes, and
  // the router's page() at the end of that render still counts for it, up to a few bounds more.
  const over = () => {
    let cap = (timer = p.setTimeout(() => fire(1), VIEW_WAIT_MS))
    let rounds = 0
    // Busy: counted in the platform's bounds of time too, not frames only (a tab hidden mid-render
    // paints none: its wait would stay open, a page() an hour later swallowed).
    const idle = (busy?: boolean) => timer === cap && (busy && rounds++ < BUSY_ROUNDS ? (fire(1), rounds > 1 || (cap = timer = p.setTimeout(end, BUSY_ROUNDS * ROUTER_WAIT_MS)), p.afterFrame!(idle)) : fire())
    p.afterFrame!(idle, () => timer === cap && p.clearTimeout(cap))
  }
  // The route change looked at: what was sent since it was made goes behind `to` (none: now), as
  // what is sent from now on.
  const after = (to?: Array<() => void>) => {
    const n = next || []
    // (`by` is read only while `since` is set.)
    next = v.since = look = undefined
    v.queue = to
    to ? to.push(...n) : n.forEach((f) => f())
  }
  const v: ViewWait<W> = {
    soon: (l) => void ((look ??= l), (v.queue = next ??= []), v.since ?? ((v.since = p.now?.()), (v.by = who?.()))),
    stay: () => after(rest),
    hold(to, send) {
      v.go()
      if (!send) return (router = 1), after()
      url = to
      view = send
      after((rest = []))
      // In a hidden tab too: its router's page() (a task later) names the screen. A tab frozen
      // (and maybe discarded) hands it over as it freezes (onHide).
      timer = p.setTimeout(p.afterFrame ? over : () => fire(), router ? ROUTER_WAIT_MS : VIEW_WAIT_MS)
    },
    rewrote: (to) => void (bare(to) == bare(url) && (url = to)),
    claim(to) {
      if (to !== url) return
      const r = rest
      router = 1
      end()
      // page() sends the view now, then what waited behind it; what comes after goes behind a
      // route change made since.
      rest = view = undefined
      return !!r && ((v.queue = undefined), next ? r.concat(() => void (v.queue = next)) : r)
    },
    go(hidden) {
      // A route change not yet looked at is, first (the page goes: it must not wait in memory).
      const l = look
      look = undefined
      l?.()
      fire(hidden)
    },
  }
  // The waiting view goes (its own timers: not a route change made since, which its check holds
  // for its own router's page()).
  const fire = (hidden?: 1) => {
    const send = view
    const r = rest!
    hidden || end()
    if (!send) return
    // The view goes now, not behind a route change made since.
    rest = view = v.queue = undefined
    send()
    v.queue = next
    r.forEach((f) => f())
  }
  return v
}
