import { configError, describe, type ConfigError, type Path } from './format-error'
import { isObject, toPlain } from './plain-json'
import { isSafeUrl } from './url'
import { isEndpoint } from '../start-options'
import type { CancelHandlers } from '../experiences/cancel'

/**
 * `init` options. Checked without zod on purpose: this runs eagerly on every page view, and
 * zod/mini's core alone is ~8 KB gzip of the 12 KB runtime budget. The flows document, which
 * can wait for its own chunk, is the one validated with zod (validate-flows.ts).
 */
/** Colours a widget theme can set (each becomes a `--linger-*` CSS variable). */
export interface ThemeColors {
  accent?: string
  onAccent?: string
  background?: string
  text?: string
  muted?: string
  border?: string
  success?: string
  danger?: string
}

export interface Theme extends ThemeColors {
  mode?: 'light' | 'dark' | 'auto'
  radius?: number | string
  font?: string
  fontSize?: string
  zIndex?: number
  /** Colours for dark mode (prefers-color-scheme: dark, or mode 'dark'). */
  dark?: ThemeColors
}

/**
 * The vendor's code Linger calls (`init`'s `handlers`, and `cancel(handlers)`): the cancel flow's
 * with their offers and reasons as the flows schema has them, and the billing prompts'. A handler's
 * answer that rejects, is `false` or is a `fetch()` Response that is not ok counts as refused.
 */
export interface Handlers extends CancelHandlers {
  onUpdatePayment?(): unknown
  onPlanChange?(offer: { offerId: string; kind: 'annual'; percent: number }): unknown
}

export interface InitOptions {
  key: string
  /**
   * The collector's URL: batches go to its path + `/v1/batch`, before its query
   * (`https://c.example.com/ingest?tenant=a` gets `/ingest/v1/batch?tenant=a`; one ending in
   * `/v1/batch` is used as it is), and progress sync and leaderboards beside them (`/v1/state`,
   * `/v1/leaderboard`). Left out, or not an http(s) URL
   * (reported), the page's own origin (client.ts); '' given on purpose sends nothing (and keeps nothing).
   */
  endpoint?: string
  /** The flows document, or the http(s)/relative URL to fetch it from. */
  flows?: object | string
  debug: boolean
  autocapture: boolean
  locale?: string
  theme?: Theme
  /**
   * The vendor's code the cancel flow calls: `onOfferAccepted(offer, reason, { runId })` applies an offer
   * through the vendor's server (may return a Promise), `onPause({ months, resumesAt, offer, runId, reason })`
   * applies a pause the user chose (`reason` as onOfferAccepted gets it; null for a pause on its own), `onCancel(reason)` runs on confirm. Billing prompts:
   * `onUpdatePayment()` opens the vendor's billing portal (payment banner, wall, renewal reminder),
   * `onPlanChange({ offerId, kind, percent })` asks the vendor's server to apply the annual offer.
   */
  handlers?: Handlers
  /** For style elements on engines without constructable stylesheets under a strict CSP. */
  nonce?: string
  /**
   * Batches leave from a dedicated worker (made from a `blob:` URL), so a request costs the page's
   * main thread about a quarter of what its own fetch() does (bench/fetch-body.mjs). Off by default: a Content Security Policy that does not
   * allow `blob:` workers refuses it and reports the refusal (the page then sends them itself).
   */
  sendFromWorker?: boolean
  flushIntervalMs?: number
  batchSize?: number
  maxQueue?: number
  flowsTimeoutMs: number
  /**
   * For an app that asks its server who is signed in before it calls `identify()` (`await
   * fetch('/me')`): the landing page view, and what else is sent meanwhile, waits up to this many
   * ms (at most 10000) for the first `identify()` or `reset()` and goes as the user it names, not
   * as an anonymous visitor or whoever signed in on this browser last. Then, or when the page is
   * hidden or left, it goes as it is, at the time it happened. 0 (default): nothing waits.
   */
  holdForIdentify?: number
}

/**
 * What a vendor passes to `init` / `createLinger`: only `key` is required, every other option
 * has its default (README). The checked form above (every default filled in) is the runtime's own.
 */
export type LingerOptions = Pick<InitOptions, 'key'> & Partial<Omit<InitOptions, 'key'>>

/** Returns why a value is rejected, or '' when it is fine. */
type Check = (value: unknown, path: Path, errors: ConfigError[]) => string

const string = (max: number, pattern?: RegExp, rule?: string): Check => (v) =>
  typeof v !== 'string' ? `expected a string, got ${describe(v)}`
  : !v ? 'must not be empty'
  : v.length > max ? `is ${v.length} characters long, at most ${max}`
  : pattern && !pattern.test(v) ? `${rule}, got ${describe(v)}`
  : ''
const boolean: Check = (v) => (typeof v === 'boolean' ? '' : `expected a boolean, got ${describe(v)}`)
const int = (min: number, max: number): Check => (v) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? '' : `expected a whole number from ${min} to ${max}, got ${describe(v)}`
const oneOf = (...values: string[]): Check => (v) =>
  values.includes(v as string) ? '' : `expected one of ${values.map((x) => JSON.stringify(x)).join(', ')}, got ${describe(v)}`

// Theme values land in CSS custom properties: nothing that could end a declaration or a rule.
// As the widgets take a theme value (platform/theme.ts): an image in a colour would be fetched
// by every end user's browser, so the vendor hears it was dropped.
const cssValue = string(200, /^(?!.*(\/\*|(url|src|image(-set)?)\())[^;{}<>\\]*$/i, 'must be a plain CSS value (no ; { } < > \\, comment or image)')
const url = (test: (u: string) => boolean, what: string): Check => (v) =>
  typeof v !== 'string' ? `expected a string, got ${describe(v)}` : test(v) ? '' : `must be ${what}, got ${describe(v)}`

/**
 * Checks an object's fields in place: a bad field is reported and removed (its default then
 * applies), unknown keys are reported and removed.
 */
const fields = (
  checkFor: (key: string) => Check | undefined,
  defaults: Record<string, unknown> = {},
  unknown = 'is not a known option',
): Check => (v, path, errors) => {
  if (!isObject(v)) return `expected an object, got ${describe(v)}`
  for (const key of Object.keys(v)) {
    const check = checkFor(key)
    const reason = check ? check(v[key], [...path, key], errors) : unknown
    if (reason) {
      errors.push(configError([...path, key], `${reason}; ${fallback(key, defaults)}`, check ? 'invalid' : 'unknown_key'))
      delete v[key]
    }
  }
  return ''
}

// Without a valid key the client sends nothing (client.ts), but experiences still run.
const fallback = (key: string, defaults: Record<string, unknown>) =>
  key === 'key' ? 'Linger cannot send events'
  : !(key in defaults) ? 'ignored'
  // Where events go instead (client.ts): a sentence, which validateInitOptions picks.
  : key === 'endpoint' ? defaults[key]
  : `using the default ${JSON.stringify(defaults[key])}`

const known = (checks: Record<string, Check>) => (key: string) => (Object.hasOwn(checks, key) ? checks[key] : undefined)
const COLOR_KEYS = ['accent', 'onAccent', 'background', 'text', 'muted', 'border', 'success', 'danger']
const colorCheck = (key: string) => (COLOR_KEYS.includes(key) ? cssValue : undefined)
const colors = fields(colorCheck, {}, `is not a theme colour (${COLOR_KEYS.join(', ')})`)

const DEFAULTS = { debug: false, autocapture: true, flowsTimeoutMs: 5000 }
/**
 * Defaults that apply elsewhere (transport/delivery.ts, client.ts) when an option is left out:
 * a bad value falls back to them too, and its message must say so, not that it is "ignored".
 */
const LATER = { flushIntervalMs: 2000, batchSize: 100, maxQueue: 1000, sendFromWorker: false, holdForIdentify: 0 }

const OPTIONS: Record<string, Check> = {
  key: string(200),
  // The test the client sends by (start-options.ts): what this refuses goes elsewhere, all of it.
  endpoint: (v) => (v === '' ? '' : url(isEndpoint, "an absolute http(s) URL or ''")(v, [], [])),
  flows: (v) => (isObject(v) ? '' : url(isSafeUrl, 'a flows object or an http(s) or relative URL')(v, [], [])),
  debug: boolean,
  autocapture: boolean,
  locale: string(35, /^(?:auto|[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{1,8}){0,4})$/, 'must be a language tag like "en" or "pt-BR", or "auto"'),
  theme: fields((key) =>
    colorCheck(key) ??
    known({ dark: colors, radius: (v, path, errors) => (typeof v === 'number' ? int(0, 100) : cssValue)(v, path, errors), font: cssValue, fontSize: cssValue, zIndex: int(-2147483647, 2147483647), mode: oneOf('light', 'dark', 'auto') })(key)),
  nonce: string(200),
  sendFromWorker: boolean,
  flushIntervalMs: int(0, 60_000),
  batchSize: int(1, 500),
  maxQueue: int(1, 100_000),
  flowsTimeoutMs: int(100, 60_000),
  holdForIdentify: int(0, 10_000),
}


export interface InitOptionsValidation {
  /** null when the options cannot be used at all: not an object, or no valid `key`. */
  options: InitOptions | null
  errors: ConfigError[]
}

/**
 * Checks `init` options without throwing. A bad optional field is reported and falls back to
 * its default; unknown keys are reported and ignored; only a missing or invalid `key` (or
 * options that are not an object) makes them unusable. The caller's object is not modified,
 * and a flows object is passed on by reference for validateFlows.
 */
const HANDLERS = ['onOfferAccepted', 'onPause', 'onCancel', 'onUpdatePayment', 'onPlanChange']

function checkHandlers(value: unknown, errors: ConfigError[]): void {
  if (!isObject(value)) return void errors.push(configError(['handlers'], `expected an object of functions, got ${describe(value)}; ignored`, 'invalid'))
  for (const name of Object.keys(value)) {
    if (!HANDLERS.includes(name)) errors.push(configError(['handlers', name], `is not a known handler (${HANDLERS.join(', ')}); ignored`, 'unknown_key'))
    else if (typeof value[name] !== 'function') errors.push(configError(['handlers', name], `expected a function, got ${describe(value[name])}; ignored`, 'invalid'))
  }
}

/** `origin`: the page's http(s) origin, where a refused endpoint's events go (client.ts); '' for none. */
export function validateInitOptions(input: unknown, origin?: string): InitOptionsValidation {
  const errors: ConfigError[] = []
  // In a refused endpoint's place: a file: page or a sandboxed frame (origin "null") has none.
  const fallbacks = { ...DEFAULTS, ...LATER, endpoint: origin === '' ? 'nothing is sent: this page has no http(s) origin' : "using the default, this page's origin" }
  try {
    const flows = isObject(input) && isObject(input.flows) ? input.flows : undefined
    // Handlers are functions, which plain JSON cannot hold: checked here, passed by reference.
    const handlers = isObject(input) && input.handlers !== undefined ? input.handlers : undefined
    if (handlers !== undefined) checkHandlers(handlers, errors)
    if (!isObject(input)) {
      errors.push(configError([], `init takes an options object { key: "…" }, got ${input === undefined ? 'nothing' : describe(input)}; Linger cannot send events`, 'invalid_type'))
      return { options: null, errors }
    }
    // Each option is copied on its own: one that cannot be (a cycle, a page object) is reported by
    // its name and the others are still checked. A flows object is checked by validateFlows later.
    const options: Record<string, unknown> = {}
    for (const key of Object.keys(input)) {
      if (key === 'handlers') continue
      const plain = key === 'flows' && flows ? { ok: true as const, value: flows } : toPlain(input[key])
      if (plain.ok) Object.defineProperty(options, key, { value: plain.value, enumerable: true, writable: true, configurable: true })
      else errors.push(configError([key], `${plain.reason}; ${fallback(key, fallbacks)}`, 'too_large'))
    }
    fields(known(OPTIONS), fallbacks)(options, [], errors)
    if (isObject(handlers)) options.handlers = handlers
    if (options.key === undefined) {
      if (!errors.some((e) => e.path === 'key')) errors.push(configError(['key'], 'is required (a non-empty string); Linger cannot send events', 'invalid_type'))
      return { options: null, errors }
    }
    return { options: { ...DEFAULTS, ...options } as InitOptions, errors }
  } catch {
    errors.push(configError([], 'init options could not be read as plain data', 'unreadable'))
    return { options: null, errors }
  }
}
