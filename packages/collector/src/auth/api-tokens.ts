import type { Database, Queryable } from '../db/database.ts';
import type { Account } from './accounts.ts';
import { digest, newSecret } from './tokens.ts';

export interface ApiTokenInfo {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const TOKEN_PREFIX = 'lgr_';
/** As a write key's (write-keys.ts): a retry comes within minutes, a reuse a day on is a mistake. */
const IDEMPOTENCY_HOURS = 24;

/**
 * A read-only token for scripts; the token itself is returned once and stored as a hash. Asked
 * again under the same `idempotencyKey` (the first answer lost), the token made then is replaced
 * by this one: nobody received it, and two would leave a live token no one holds. One already
 * used was received after all (a script runs with it): that one is never replaced (409). One
 * first made over IDEMPOTENCY_HOURS ago by the collector's clock `now` (a replay keeps that
 * time, or retrying would keep the key alive forever) is not this request's lost answer but a
 * key reused (422). `attempt` (the dashboard numbers its tries of one create) keeps a try held
 * on its way from replacing the token a later try was answered with, which someone holds (409).
 */
export async function issueApiToken(
  db: Database, accountId: number, name: string, idempotencyKey?: string, now: Date = new Date(), attempt?: number,
): Promise<{ ok: true; token: string; info: ApiTokenInfo } | { ok: false; status: 409 | 422; error: string }> {
  return db.transaction(async (tx) => {
    const token = newSecret(TOKEN_PREFIX);
    const made = (insertOrReplace: string) => tx.query<{ id: number; created_at: Date }>(
      `insert into linger_api_tokens (account_id, name, token_hash, idempotency_key, idempotency_attempt) values ($1, $2, $3, $4, $5) ${insertOrReplace}
       returning id::int as id, created_at`,
      [accountId, name, digest(token), idempotencyKey ?? null, attempt ?? null],
    );
    const answer = (row: { id: number; created_at: Date }) =>
      ({ ok: true as const, token, info: { id: row.id, name, createdAt: row.created_at.toISOString(), lastUsedAt: null, revokedAt: null } });
    const { rows } = await made('on conflict (account_id, idempotency_key) do nothing');
    if (rows[0] || idempotencyKey === undefined) return answer(rows[0]!);
    const { rows: found } = await tx.query<{ id: number; name: string; last_used_at: Date | null; revoked_at: Date | null; created_at: Date; idempotency_attempt: number | null }>(
      `select id::int as id, name, last_used_at, revoked_at, created_at, idempotency_attempt
       from linger_api_tokens where account_id = $1 and idempotency_key = $2 for update`,
      [accountId, idempotencyKey],
    );
    const earlier = found[0];
    if (!earlier) return { ok: false as const, status: 409 as const, error: 'the same create is being answered to another request: send it again' };
    if (earlier.name !== name) return { ok: false as const, status: 422 as const, error: 'this Idempotency-Key was sent with another name: a new request needs a new key' };
    if (now.getTime() - earlier.created_at.getTime() > IDEMPOTENCY_HOURS * 3600_000) return { ok: false as const, status: 422 as const, error: `this Idempotency-Key is over ${IDEMPOTENCY_HOURS} h old: send a new one` };
    // The page that sent this try is gone (reloaded) or gave up on it: the later try's answer is
    // the one shown. The same try again is its own answer lost (a browser or proxy resends a POST
    // whose connection failed): replaced, as without a try number.
    if (attempt !== undefined && earlier.idempotency_attempt !== null && attempt < earlier.idempotency_attempt) {
      return { ok: false as const, status: 409 as const, error: 'a later try of this create was answered: its token is the one to use' };
    }
    if (earlier.last_used_at) return { ok: false as const, status: 409 as const, error: `the token made under this Idempotency-Key is in use: revoke it or send a new key` };
    if (earlier.revoked_at) {
      // Revoked since: a new token takes the Idempotency-Key over, so further replays replace it
      // rather than leave one more live token each.
      await tx.query('update linger_api_tokens set idempotency_key = null where id = $1', [earlier.id]);
      return answer((await made('')).rows[0]!);
    }
    const { rows: replaced } = await tx.query<{ id: number; created_at: Date }>(
      'update linger_api_tokens set token_hash = $2, idempotency_attempt = $3 where id = $1 returning id::int as id, created_at',
      [earlier.id, digest(token), attempt ?? null],
    );
    return answer(replaced[0]!);
  });
}

export async function findApiToken(db: Queryable, token: string, now: Date): Promise<Account | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const { rows } = await db.query<Account>(
    `update linger_api_tokens t set last_used_at = $2::timestamptz
     from linger_accounts a
     where t.token_hash = $1 and t.revoked_at is null and a.id = t.account_id
     returning a.id::int as id, a.email`,
    [digest(token), now],
  );
  return rows[0];
}

export async function listApiTokens(db: Queryable): Promise<ApiTokenInfo[]> {
  const { rows } = await db.query<{ id: number; name: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }>(
    'select id::int as id, name, created_at, last_used_at, revoked_at from linger_api_tokens order by id',
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  }));
}

export async function revokeApiToken(db: Queryable, id: number, now: Date): Promise<boolean> {
  const { rows } = await db.query<{ id: number }>(
    'update linger_api_tokens set revoked_at = coalesce(revoked_at, $2::timestamptz) where id = $1 returning id::int as id',
    [id, now],
  );
  return rows.length > 0;
}
