import type { LingerError } from '../events'
import type { Platform } from '../platform'
import { isSafeUrl } from './url'
import { fromJson } from '../json'

export type LoadedFlows = { ok: true; value: unknown } | { ok: false; error: LingerError }

/** A flows document is a few KB; anything this big is a wrong URL or a broken export. In characters (UTF-16 units), as a string's length counts them. */
export const MAX_FLOWS_BYTES = 2_000_000

const fail = (code: LingerError['code'], message: string, details?: unknown): LoadedFlows => ({ ok: false, error: { code, message, details } })

/**
 * Resolves the `flows` init option to the raw document: an object is used as is, a URL is
 * fetched with GET through the platform. 404s, HTML pages (a SPA fallback answering every
 * path), invalid JSON, network errors and timeouts come back as errors, never as throws.
 * The timeout is our own timer, so it holds even when the platform cannot abort a request.
 */
export function loadFlows(source: object | string, platform: Platform, timeoutMs: number): Promise<LoadedFlows> {
  if (typeof source !== 'string') return Promise.resolve({ ok: true, value: source })
  if (!isSafeUrl(source)) {
    return Promise.resolve(fail('invalid-option', `flows must be an http(s) or relative URL, got ${JSON.stringify(source.slice(0, 100))}`))
  }
  let timer: unknown
  const timeout = new Promise<LoadedFlows>((resolve) => {
    timer = platform.setTimeout(
      () => resolve(fail('flows-unavailable', `flows from ${source} did not arrive within ${timeoutMs} ms`, { url: source })),
      timeoutMs,
    )
  })
  return Promise.race([fetchFlows(source, platform, timeoutMs), timeout]).finally(() => platform.clearTimeout(timer))
}

async function fetchFlows(url: string, platform: Platform, timeoutMs: number): Promise<LoadedFlows> {
  let body: string
  let contentType: string | null
  // The document the snippet asked for as the page called init (snippet.js), if it is this one:
  // taken once. A returning page's document is then on its way while the runtime loads.
  const key = Symbol.for('linger.flows')
  const w = globalThis as unknown as Record<symbol, [string, Promise<Response>] | undefined>
  const [href, asked] = w[key] ?? []
  delete w[key]
  try {
    const response = await (href === url ? asked! : platform.request(url, { method: 'GET', headers: { Accept: 'application/json' }, timeoutMs }))
    if (response.status < 200 || response.status > 299) {
      const hint = response.status === 404 ? ' (not found: check the flows URL)' : ''
      return fail('flows-unavailable', `flows from ${url} answered HTTP ${response.status}${hint}`, { url, status: response.status })
    }
    contentType = response.headers.get('content-type')
    body = await response.text()
  } catch (error) {
    const name = (error as { name?: unknown } | null)?.name
    if (name === 'TimeoutError' || name === 'AbortError') {
      return fail('flows-unavailable', `flows from ${url} did not arrive within ${timeoutMs} ms`, { url })
    }
    return fail('flows-unavailable', `flows from ${url} could not be fetched (network error)`, { url, error: String(error) })
  }
  if (body.length > MAX_FLOWS_BYTES) {
    return fail('invalid-config', `flows from ${url} is ${body.length} characters, over the ${MAX_FLOWS_BYTES} a browser loads from a flows URL`, { url })
  }
  try {
    return { ok: true, value: fromJson(body) }
  } catch {
    // What is wrong with it comes with the notice's chunk: only a broken document pays for it.
    const not = await import('./config-notice').then((m) => m.notJson(body, contentType), () => undefined)
    return fail('invalid-config', `flows from ${url} ${not?.reason ?? 'is not valid JSON'}`, { url, contentType, ...not?.at })
  }
}

const SECTIONS = ['$schema', '$checked', 'version', 'settings', 'checklists', 'tours', 'badges', 'levels', 'surveys', 'cancelFlow']
const LISTS = ['checklists', 'tours', 'badges', 'levels', 'surveys']

/**
 * Settings validation would take as they are (the rules of flows-schema.ts's settingsShape,
 * kept in step by a test): a document whose only content is settings still has their errors to report.
 */
const SETTING: Record<string, (v: unknown) => boolean> = {
  cooldownDays: (v) => typeof v === 'number' && v >= 0 && v <= 365,
  locale: (v) => typeof v === 'string' && /^(?:auto|[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{1,8}){0,4})$/.test(v),
  leaderboard: (v) => typeof v === 'boolean',
}
const quietSettings = (s: unknown) =>
  s === undefined || (!!s && typeof s === 'object' && !Array.isArray(s) && Object.entries(s).every(([k, v]) => Object.hasOwn(SETTING, k) && SETTING[k](v)))

/**
 * Whether a document may hold anything to show (or anything to report): only an object of
 * known sections with every experience list empty, no cancel flow, and valid settings and
 * version may not, and then the engine never loads.
 */
export function couldShow(raw: unknown): boolean {
  if (raw === undefined) return false
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return true
  const doc = raw as Record<string, unknown>
  return Object.keys(doc).some((k) => !SECTIONS.includes(k)) || doc.cancelFlow !== undefined || LISTS.some((k) => doc[k] !== undefined && !(Array.isArray(doc[k]) && !(doc[k] as unknown[]).length)) ||
    (doc.version !== undefined && doc.version !== 1) || !quietSettings(doc.settings)
}
