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
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Content-Encoding',
    'Access-Control-Expose-Headers': 'Retry-After',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}
