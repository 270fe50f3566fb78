/**
 * URL globs for audience rules and triggers, anchored at both ends:
 * - `*` (and `**`, accepted for people used to file globs) matches any run of characters,
 *   slashes included: vendors write `/projects/*` or `#/settings*` meaning "anywhere under".
 * - `?` matches exactly one character (a literal `?` in a URL matches it too).
 * Everything else is literal, case-sensitive.
 */
export function matchGlob(glob: string, text: string): boolean {
  const source = glob
    .split(/(\*+|\?)/)
    .map((part) => (part[0] === '*' ? '.*' : part === '?' ? '.' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${source}$`, 's').test(text)
}
