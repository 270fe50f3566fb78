/**
 * A syntax check for CSS selectors without a DOM, so a tour step or trigger with a broken
 * selector is reported when the config loads instead of throwing from querySelector later.
 * It accepts the selector grammar people write in configs (type, #id, .class, [attr op value i],
 * pseudo-classes with arguments, pseudo-elements, the four combinators, lists) and rejects what
 * querySelector would throw on. Namespaces and pseudo arguments nested more than two
 * parentheses deep are rejected: a rare false "invalid" beats a throw inside the host page.
 */
/** Built on first use: the script-tag runtime never needs it (it always has a DOM). */
let pattern: RegExp | undefined
function selectorPattern(): RegExp {
  const ws = '[ \\t\\n\\r\\f]'
  const escape = '\\\\(?:[0-9a-fA-F]{1,6}[ \\t\\n\\r\\f]?|[^\\n\\r\\f0-9a-fA-F])'
  const nameChar = `(?:[-\\w\\u0080-\\uffff]|${escape})`
  const ident = `(?:--|-?(?:[_a-zA-Z\\u0080-\\uffff]|${escape}))${nameChar}*`
  const str = `(?:"(?:[^"\\\\\\n]|${escape})*"|'(?:[^'\\\\\\n]|${escape})*')`
  const attr = `\\[${ws}*${ident}${ws}*(?:[~|^$*]?=${ws}*(?:${ident}|${str})${ws}*(?:[iIsS]${ws}*)?)?\\]`
  const argChar = `(?:${str}|${escape}|[^()"'\\\\])`
  const args = `\\((?:${argChar}|\\((?:${argChar}|\\(${argChar}*\\))*\\))*\\)`
  const subclass = `(?:#${ident}|\\.${ident}|${attr}|::?${ident}(?:${args})?)`
  const compound = `(?:(?:${ident}|\\*)${subclass}*|${subclass}+)`
  const complex = `${compound}(?:(?:${ws}*[>+~]${ws}*|${ws}+)${compound})*`
  return new RegExp(`^${ws}*${complex}${ws}*(?:,${ws}*${complex}${ws}*)*$`)
}

// Defined true by the script-tag build (scripts/build.mjs), where a DOM is always there: the
// pattern then drops out of the bundle.
declare const __LINGER_DOM__: boolean | undefined
const domOnly = typeof __LINGER_DOM__ !== 'undefined' && __LINGER_DOM__

export const MAX_SELECTOR_LENGTH = 500

export function isValidSelector(selector: string): boolean {
  if (selector.length > MAX_SELECTOR_LENGTH) return false
  // In a page, ask the browser's own parser: exact, and far cheaper than the pattern below (which
  // cost ~20 ms of start-up for four selectors in Chromium). The pattern serves where no DOM is.
  if (domOnly || typeof document !== 'undefined') {
    try {
      document.createDocumentFragment().querySelector(selector)
      return true
    } catch {
      return false
    }
  }
  return (pattern ??= selectorPattern()).test(selector)
}
