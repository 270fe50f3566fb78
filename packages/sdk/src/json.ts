/**
 * JSON as it was when Linger loaded. Hosts break the global one in common ways: Prototype.js
 * gives arrays a `toJSON` that returns a string (so arrays are sent double-encoded), libraries
 * add `Object.prototype.toJSON`, and a late polyfill may replace `JSON.stringify` outright.
 * What Linger stores and sends goes through these instead.
 */
const { stringify, parse } = JSON

/** The prototypes whose `toJSON` (a page's, never a browser's) these ignore: properties.ts too. */
export const objectProto = Object.prototype
export const arrayProto = Array.prototype

/** Plain data to JSON, ignoring any `toJSON` a page added (a Date still becomes its ISO string). */
export function toJson(value: unknown): string {
  // Linger's own data is plain objects, arrays and primitives: while the page added no toJSON
  // to their prototypes, the native path is the same text at a fraction of the cost of a replacer.
  if (!('toJSON' in objectProto) && !('toJSON' in arrayProto)) return stringify(value)
  return stringify(value, function (this: Record<string, unknown>, key: string, replaced: unknown) {
    const raw = this[key]
    return raw instanceof Date ? replaced : raw
  })
}

// `any`, as JSON.parse itself: each caller checks the shape it reads.
export const fromJson = (text: string): any => parse(text)
