/**
 * Links from config end up in href attributes, so only http(s) and relative URLs pass:
 * `javascript:`, `data:`, `vbscript:` and friends are rejected. Whitespace and control
 * characters are rejected outright because browsers strip them from schemes
 * (`java\tscript:` runs as `javascript:`).
 */
const unsafeChars = /[\x00-\x20\x7f]/
const httpOrRelative = /^(?:https?:\/\/|[^:/?#]*(?:[/?#]|$))/i
const absoluteHttp = /^https?:\/\/[^/?#\\\s]/i

/** http(s) or relative (`/billing`, `#/projects/new`, `?tab=2`, `//cdn.example.com/x`). */
export function isSafeUrl(url: string): boolean {
  return url !== '' && !unsafeChars.test(url) && httpOrRelative.test(url)
}

/** An absolute http(s) URL: where a relative one makes no sense (collector, contact page). */
export function isHttpUrl(url: string): boolean {
  return !unsafeChars.test(url) && absoluteHttp.test(url)
}
