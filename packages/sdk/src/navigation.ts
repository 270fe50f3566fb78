import { listen } from './listen'

/**
 * Single-page-app navigation without polling: pushState/replaceState are wrapped (the only way
 * to hear them), popstate and hashchange are listened to. `fn` runs once per change of screen,
 * `from` (the page already reported) on: also at once, if the page is no longer that one.
 */
export function watchNavigation(w: Window, fn: () => void, from = w.location.href): () => void {
  let last = from
  let timer: number | undefined
  // The screen a URL shows. A fragment the page holds an element for (a table of contents'
  // #install, or #top) only scrolls it: the same page view. A hash router's route stays:
  // #/settings, #!/inbox, or #inbox where no element has that id (Backbone's).
  const screen = (url: string) => url.replace(/#(?![/!])(.*)/, (hash, id) => (id && id != 'top' && !w.document.getElementById(id) ? hash : ''))
  const check = () => {
    timer = undefined
    const now = w.location.href
    const moved = screen(now) !== screen(last)
    last = now
    try {
      if (moved) fn()
    } catch {
      /* a listener must never break the host's navigation */
    }
  }
  // In the next task: by then a router has set the new page's title (after its pushState),
  // and a redirect chain (push /login, the guard replaces it with /dashboard) is the one page seen.
  const soon = () => void (timer ??= w.setTimeout(check))
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
      if (replacing && timer === undefined && path(w.location.href) === path(last)) last = w.location.href
      else soon()
      return result
    }
  const push = wrap(origPush)
  const replace = wrap(origReplace, 1)
  h.pushState = push
  h.replaceState = replace
  // A router may have moved on while the runtime loaded (a redirect from / to /dashboard).
  check()
  const offs = [listen(w, 'popstate', soon), listen(w, 'hashchange', soon)]
  return () => {
    // Only unwrap if nobody wrapped on top of us since; otherwise leave theirs in place.
    if (h.pushState === push) h.pushState = origPush
    if (h.replaceState === replace) h.replaceState = origReplace
    w.clearTimeout(timer)
    offs.forEach((off) => off())
  }
}
