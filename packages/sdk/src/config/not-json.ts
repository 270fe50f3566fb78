/**
 * What is wrong with a flows text that JSON.parse refused, in the words a vendor acts on. Only
 * a broken document needs it (it loads with the config notice's chunk), and `npm run
 * flows:check` says the same of a file.
 */
export function notJson(text: string, contentType?: string | null): { reason: string; at?: { line: number; column: number } } {
  if (/^\s*</.test(text) || /html/i.test(contentType ?? '')) return { reason: 'is an HTML page, not JSON (check the flows URL)' }
  const offset = jsonErrorAt(text)
  if (offset === undefined) return { reason: 'is not valid JSON' }
  const before = text.slice(0, offset)
  const at = { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') }
  return { reason: `is not valid JSON at line ${at.line}, column ${at.column}`, at }
}

/**
 * Where JSON's grammar first breaks in `text` (an offset; its length when it ends too soon).
 * Engines name no place for most mistakes (V8's "Unexpected token", Safari's every message) or
 * word it each their own way: found here, every browser and the command point at the same one.
 * Undefined when the text is JSON after all, or nests deeper than the stack.
 */
export function jsonErrorAt(text: string): number | undefined {
  // (text[i] past the end is undefined, which a pattern reads as "undefined": hence `|| ''`.)
  let i = 0
  const stop = () => {
    throw i
  }
  const space = () => {
    while (' \t\n\r'.includes(text[i] || 'x')) i++
  }
  const eat = (c: string) => (space(), text[i] === c ? i++ : stop())
  const digits = () => {
    if (!/\d/.test(text[i])) stop()
    while (/\d/.test(text[++i]));
  }
  const value = (): unknown => {
    space()
    const c = text[i]
    if (c === '{' || c === '[') {
      const end = c === '{' ? '}' : ']'
      i++
      space()
      if (text[i] !== end)
        do {
          if (end === '}') {
            space()
            if (text[i] !== '"') stop()
            value()
            eat(':')
          }
          value()
          space()
        } while (text[i] === ',' && ++i)
      return eat(end)
    }
    if (c === '"') {
      for (i++; text[i] !== '"'; i++) {
        if (!(text[i] >= ' ')) stop()
        if (text[i] === '\\') {
          if (text[++i] === 'u') for (let n = 4; n--; ) /[\da-fA-F]/.test(text[++i] || '') || stop()
          else if (!'"\\/bfnrt'.includes(text[i])) stop()
        }
      }
      return i++
    }
    // A misspelt literal (`ture`) breaks at its first wrong letter.
    for (const word of ['true', 'false', 'null']) if (c === word[0]) return [...word].forEach((l) => (text[i] === l ? i++ : stop()))
    if (text[i] === '-') i++
    if (text[i] === '0') i++
    else digits()
    if (text[i] === '.') i++, digits()
    if (/[eE]/.test(text[i] || '')) {
      if (/[+-]/.test(text[++i])) i++
      digits()
    }
  }
  try {
    value()
    space()
    if (i < text.length) stop()
  } catch (at) {
    if (typeof at === 'number') return at
  }
  return undefined
}
