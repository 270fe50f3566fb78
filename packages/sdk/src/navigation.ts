import { listen } from './listen'

/**
 * Single-page-app navigation without polling: pushState/replaceState are wrapped (the only way
 * to hear them), popstate and hashchange are listened to. `fn` runs once per real URL change,
 * `from` (the page already reported) on: also at once, if the page is no longer that one.
 */
export function watchNavigation(w: Window, fn: () => void, from = w.location.href): () => void {
  let last = from
  let timer: number | undefined
  const check = () => {
    timer = undefined
    const now = w.location.href
    if (now === last) return
    last = now
    try {
      fn()
    } catch {
      /* a listener must never break the host's navigation */
    }
  }
  // In the next task: by then a router has set the new page's title (after its pushState),
  // and a redirect chain (push /login, the guard replaces it with /dashboard) is the one page seen.
  const soon = () => void (timer ??= w.setTimeout(check))
  const h = w.history
  const origPush = h.pushState
  const origReplace = h.replaceState
  const wrap = (orig: History['pushState']) =>
    function (this: History, ...args: Parameters<History['pushState']>) {
      const result = orig.apply(this, args)
      soon()
      return result
    }
  const push = wrap(origPush)
  const replace = wrap(origReplace)
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
