import type { IncomingMessage } from 'node:http';
import { isUserHashValid } from '../ingest/user-hash.ts';
import { keyFromAuthorization } from '../ingest/write-key.ts';
import type { WriteKeyRegistry } from '../auth/write-keys.ts';
import type { SyncRateLimiter } from './sync-rate-limit.ts';

export interface VerifyDeps {
  /** Live keys (flags and dashboard) with the secrets that verify their userHashes. */
  writeKeys: Pick<WriteKeyRegistry, 'lookup'>;
  /** Requests per write key + verified user (sync-rate-limit.ts); absent: unlimited. */
  limiter?: Pick<SyncRateLimiter, 'take'>;
}

export type Verified =
  | { ok: true; writeKey: string; userId: string }
  | { ok: false; status: 400 | 401 | 403; error: string }
  | { ok: false; status: 429; error: string; retryAfterSeconds: number };

/** The headers of a refusal: a 429 says when to come back. */
export const refusalHeaders = (who: Verified & { ok: false }, headers: Record<string, string>): Record<string, string> =>
  who.status === 429 ? { ...headers, 'Retry-After': String(who.retryAfterSeconds) } : headers;

/**
 * Who may read or write a user's synced state or their account's leaderboard: the write key
 * (public, it is in every page) AND a userHash the vendor's server computed for this userId
 * with the key's secret. A request without a verified user is refused, never served as "anyone";
 * a verified user over their request rate is refused with 429.
 */
export async function verifyUser(req: IncomingMessage, deps: VerifyDeps, userId: unknown, userHash: unknown): Promise<Verified> {
  const writeKey = keyFromAuthorization(req.headers.authorization);
  if (writeKey === undefined) return { ok: false, status: 401, error: 'no write key: send Authorization: Basic base64(key:)' };
  const known = await deps.writeKeys.lookup(writeKey);
  if (!known) return { ok: false, status: 401, error: 'unknown write key' };
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > 200) return { ok: false, status: 400, error: 'userId: is required (a string of 1–200 characters)' };
  if (!known.secrets.length) return { ok: false, status: 403, error: 'this write key has no user-hash secret: verified users are off (set secrets in the collector options)' };
  // During a rotation's grace period the previous secret still verifies.
  if (!known.secrets.some((secret) => isUserHashValid(secret, userId, userHash))) return { ok: false, status: 403, error: 'userHash: does not match userId (HMAC-SHA256 of the userId with the key secret, hex)' };
  // Counted only once the user is verified: nobody can use up someone else's requests.
  const rate = deps.limiter?.take(writeKey, userId);
  if (rate && !rate.ok) return { ok: false, status: 429, error: `too many sync requests for this user; retry in ${rate.retryAfterSeconds} s`, retryAfterSeconds: rate.retryAfterSeconds };
  return { ok: true, writeKey, userId };
}

/**
 * The userHash of a GET: from the `X-Linger-User-Hash` header, else the `userHash` query an
 * older SDK sends. A request line lands in proxy, CDN and APM logs, and the hash never expires.
 * An empty header (a proxy's or a wrapper's blank default) names no hash: the query still counts.
 */
export const userHashOf = (req: IncomingMessage, url: URL): string | null => {
  const header = req.headers['x-linger-user-hash'];
  return (Array.isArray(header) ? header[0] : header) || url.searchParams.get('userHash');
};
