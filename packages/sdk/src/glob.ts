/**
 * URL globs for audience rules and triggers, anchored at both ends:
 * - `*` (and `**`, accepted for people used to file globs) matches any run of characters,
 *   slashes included: vendors write `/projects/*` or `#/settings*` meaning "anywhere under".
 * - `?` matches exactly one character (a literal `?` in a URL matches it too).
 * Everything else is literal, case-sensitive; a trailing slash, a query or fragment after the
 *   glob and percent-encoding make no difference.
 * Matched without a backtracking RegExp: a link with a 64 KB fragment held the page's main thread
 * 16 s against `#/projects/*\/tasks/*\/edit` (quadratic; three stars, cubic). Each piece between
 * stars is found leftmost (the earliest end leaves the most text for the rest), so the work grows
 * with the URL's length times the glob's, never with the URL's length squared.
 */
// Globs come from the flows document, a bounded set; each is checked on every event.
const compiled = new Map<string, string[]>()

// A vendor writes an address as they read it (a space, an accent), the browser gives it
// percent-encoded: both are compared decoded. decodeURI leaves an encoded / ? # & as it is.
export const decoded = (s: string): string => {
  try {
    return s.includes('%') ? decodeURI(s) : s
  } catch {
    return s
  }
}

/** Does `piece` (a `?` is any one character) match `text` at `at`? */
const fits = (piece: string, text: string, at: number): boolean => {
  if (at < 0 || at + piece.length > text.length) return false
  for (let i = 0; i < piece.length; i++) if (piece[i] !== '?' && piece[i] !== text[at + i]) return false
  return true
}

/** What may follow the glob's end: nothing, a slash, then a query or fragment (`#/settings?tab=2`). */
const tailAt = (text: string, at: number): boolean =>
  at === text.length || '?#'.includes(text[at]) || (text[at] === '/' && (at + 1 === text.length || '?#'.includes(text[at + 1])))

/** `text` already decoded: 1 (a URL's forms are decoded once, not once per glob). */
export function matchGlob(glob: string, text: string, plain?: 1): boolean {
  let pieces = compiled.get(glob)
  if (!pieces) {
    // With or without a trailing slash, the same page (the root "/" stays the root only).
    pieces = decoded(glob).replace(/(.)\/$/s, '$1').split(/\*+/)
    // A page that builds globs at run time must not grow this forever.
    if (compiled.size > 500) compiled.clear()
    compiled.set(glob, pieces)
  }
  const url = plain ? text : decoded(text)
  const last = pieces.length - 1
  if (!fits(pieces[0], url, 0)) return false
  // No star: the glob is the page's whole address.
  if (!last) return tailAt(url, pieces[0].length)
  let at = pieces[0].length
  for (let p = 1; p < last; p++) {
    while (at + pieces[p].length <= url.length && !fits(pieces[p], url, at)) at++
    if (at + pieces[p].length > url.length) return false
    at += pieces[p].length
  }
  // A trailing star takes everything left; else the last piece ends where the tail may begin.
  const end = pieces[last]
  if (!end) return true
  for (let e = url.length; e - end.length >= at; e--) if (tailAt(url, e) && fits(end, url, e - end.length)) return true
  return false
}
