import type { Queryable } from '../db/database.ts';
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

/** A read-only token for scripts; the token itself is returned once and stored as a hash. */
export async function issueApiToken(db: Queryable, accountId: number, name: string): Promise<{ token: string; info: ApiTokenInfo }> {
  const token = newSecret(TOKEN_PREFIX);
  const { rows } = await db.query<{ id: number; created_at: Date }>(
    `insert into linger_api_tokens (account_id, name, token_hash) values ($1, $2, $3) returning id::int as id, created_at`,
    [accountId, name, digest(token)],
  );
  const row = rows[0]!;
  return { token, info: { id: row.id, name, createdAt: row.created_at.toISOString(), lastUsedAt: null, revokedAt: null } };
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
