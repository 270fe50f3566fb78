/**
 * URL globs for audience rules and triggers, anchored at both ends:
 * - `*` (and `**`, accepted for people used to file globs) matches any run of characters,
 *   slashes included: vendors write `/projects/*` or `#/settings*` meaning "anywhere under".
 * - `?` matches exactly one character (a literal `?` in a URL matches it too).
 * Everything else is literal, case-sensitive.
 */
// Globs come from the flows document, a bounded set; each is checked on every event.
const compiled = new Map<string, RegExp>()

export function matchGlob(glob: string, text: string): boolean {
  let re = compiled.get(glob)
  if (!re) {
    const source = glob
      .split(/(\*+|\?)/)
      .map((part) => (part[0] === '*' ? '.*' : part === '?' ? '.' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')
    // A page that builds globs at run time must not grow this forever.
    if (compiled.size > 500) compiled.clear()
    compiled.set(glob, (re = new RegExp(`^${source}$`, 's')))
  }
  return re.test(text)
}
