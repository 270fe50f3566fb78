import type { InitOptions } from './config/init-options'

/**
 * A collector URL: http(s) only (it receives every event, it must not be a javascript: or data:
 * URL), with a host the browser can parse. The full check (config/init-options.ts) refuses with
 * this same test, so a warning that events go to the page's origin is true: they go there, not to
 * `https:///host` (read as `https://host`) nor to `https://?x`, where every send throws.
 */
export function isEndpoint(url: string): boolean {
  try {
    return !!new URL(url) && /^https?:\/\/[^/?#\\\s]\S*$/i.test(url)
  } catch {
    return false
  }
}

/**
 * The few `init` options needed before the engine chunk arrives, read defensively: anything
 * odd falls back to its default here, and the engine's full validation (config/init-options.ts)
 * explains it a moment later. Keeps that validator out of every page view's eager bytes.
 */
export function startOptions(raw: unknown): { options: Partial<InitOptions> } {
  const o = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {}
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined)
  const int = (v: unknown, min: number, max: number) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : undefined)
  const key = str(o.key)
  const endpoint = str(o.endpoint)
  return {
    options: {
      // As config/init-options.ts checks it: a longer key is refused there, so it is not used here.
      key: key && key.length <= 200 ? key : undefined,
      // As written: collectorUrl (wire.ts) drops the path's trailing '/', and a query is kept whole.
      endpoint: endpoint && isEndpoint(endpoint) ? endpoint : '',
      flows: (o.flows && typeof o.flows === 'object') || typeof o.flows === 'string' ? (o.flows as InitOptions['flows']) : undefined,
      debug: o.debug === true,
      autocapture: o.autocapture !== false,
      locale: str(o.locale),
      nonce: str(o.nonce),
      sendFromWorker: o.sendFromWorker === true,
      handlers: o.handlers && typeof o.handlers === 'object' ? (o.handlers as InitOptions['handlers']) : undefined,
      theme: o.theme && typeof o.theme === 'object' ? (o.theme as InitOptions['theme']) : undefined,
      flushIntervalMs: int(o.flushIntervalMs, 0, 60_000),
      batchSize: int(o.batchSize, 1, 500),
      maxQueue: int(o.maxQueue, 1, 100_000),
      flowsTimeoutMs: int(o.flowsTimeoutMs, 100, 60_000),
      holdForIdentify: int(o.holdForIdentify, 0, 10_000),
    },
  }
}
