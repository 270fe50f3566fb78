import type { IncomingMessage } from 'node:http';
import { isUserHashValid } from '../ingest/user-hash.ts';
import { keyFromAuthorization } from '../ingest/write-key.ts';

export interface VerifyDeps {
  keys: ReadonlySet<string>;
  secrets: Readonly<Record<string, string>>;
}

export type Verified = { ok: true; writeKey: string; userId: string } | { ok: false; status: 400 | 401 | 403; error: string };

/**
 * Who may read or write a user's synced state or their account's leaderboard: the write key
 * (public, it is in every page) AND a userHash the vendor's server computed for this userId
 * with the key's secret. A request without a verified user is refused, never served as "anyone".
 */
export function verifyUser(req: IncomingMessage, deps: VerifyDeps, userId: unknown, userHash: unknown): Verified {
  const writeKey = keyFromAuthorization(req.headers.authorization);
  if (writeKey === undefined) return { ok: false, status: 401, error: 'no write key: send Authorization: Basic base64(key:)' };
  if (!deps.keys.has(writeKey)) return { ok: false, status: 401, error: 'unknown write key' };
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > 200) return { ok: false, status: 400, error: 'userId: is required (a string of 1–200 characters)' };
  const secret = deps.secrets[writeKey];
  if (secret === undefined) return { ok: false, status: 403, error: 'this write key has no user-hash secret: verified users are off (set secrets in the collector options)' };
  if (!isUserHashValid(secret, userId, userHash)) return { ok: false, status: 403, error: 'userHash: does not match userId (HMAC-SHA256 of the userId with the key secret, hex)' };
  return { ok: true, writeKey, userId };
}
