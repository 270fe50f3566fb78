/**
 * Which browser origins may send events. `'localhost'` admits any port on localhost,
 * 127.0.0.1 and [::1], which is what a vendor running the demo locally needs; `'*'` admits all.
 */
export type OriginPolicy = readonly string[];

const LOCAL = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

export function isOriginAllowed(origin: string, policy: OriginPolicy): boolean {
  return policy.some((allowed) => {
    if (allowed === '*') return true;
    if (allowed === 'localhost') return LOCAL.test(origin);
    return allowed.replace(/\/$/, '').toLowerCase() === origin.toLowerCase();
  });
}

/** Headers for an allowed origin. Echoing it (not `*`) keeps caches keyed by Origin via Vary. */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Content-Encoding, X-Linger-User-Hash',
    // Date: a Retry-After date is read against the server's clock, not a device's set wrong.
    'Access-Control-Expose-Headers': 'Retry-After, Date',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export const isLoopback = (host: string) => LOOPBACK_HOSTS.has(host.toLowerCase());

/**
 * Whether a request for the dashboard or insights may be answered. Bound to loopback, the
 * collector only answers requests addressed to a loopback name: a web page whose own domain
 * was re-pointed at 127.0.0.1 (DNS rebinding) would otherwise read the insights.
 */
export function isHostAllowed(hostHeader: string | undefined, boundHost: string): boolean {
  if (!isLoopback(boundHost)) return true;
  if (!hostHeader) return false;
  const name = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0] ?? '';
  return isLoopback(name);
}
