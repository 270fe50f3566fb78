/**
 * URL globs for audience rules and triggers, anchored at both ends:
 * - `*` (and `**`, accepted for people used to file globs) matches any run of characters,
 *   slashes included: vendors write `/projects/*` or `#/settings*` meaning "anywhere under".
 * - `?` matches exactly one character (a literal `?` in a URL matches it too).
 * Everything else is literal, case-sensitive; a trailing slash, a query or fragment after the
 *   glob and percent-encoding make no difference.
 */
// Globs come from the flows document, a bounded set; each is checked on every event.
const compiled = new Map<string, RegExp>()

// A vendor writes an address as they read it (a space, an accent), the browser gives it
// percent-encoded: both are compared decoded. decodeURI leaves an encoded / ? # & as it is.
const decoded = (s: string): string => {
  try {
    return s.includes('%') ? decodeURI(s) : s
  } catch {
    return s
  }
}

export function matchGlob(glob: string, text: string): boolean {
  let re = compiled.get(glob)
  if (!re) {
    const source = decoded(glob)
      .split(/(\*+|\?)/)
      .map((part) => (part[0] === '*' ? '.*' : part === '?' ? '.' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')
    // A page that builds globs at run time must not grow this forever.
    if (compiled.size > 500) compiled.clear()
    // With or without a trailing slash, the same page (the root "/" stays the root only); and
    // with a query or fragment after it, as a path is (a hash route's own query: #/settings?tab=2).
    compiled.set(glob, (re = new RegExp(`^${source.replace(/(.)\/$/, '$1')}/?([?#].*)?$`, 's')))
  }
  return re.test(decoded(text))
}
