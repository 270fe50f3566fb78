import type { Queryable } from '../db/database.ts';
import type { Account } from './accounts.ts';
import { digest, newSecret } from './tokens.ts';

/** Sessions last a working week; signing in again starts a new one. */
export const SESSION_SECONDS = 7 * 24 * 3600;

export interface Session {
  account: Account;
  /** Sent back by the page in X-CSRF-Token on every state-changing request. */
  csrfToken: string;
}

export async function createSession(db: Queryable, account: Account, now: Date): Promise<{ id: string; session: Session }> {
  const id = newSecret('');
  const csrfToken = newSecret('');
  await db.query('delete from linger_sessions where expires_at <= $1::timestamptz', [now]);
  await db.query(
    `insert into linger_sessions (token_hash, account_id, csrf_token, expires_at) values ($1, $2, $3, $4::timestamptz)`,
    [digest(id), account.id, csrfToken, new Date(now.getTime() + SESSION_SECONDS * 1000)],
  );
  return { id, session: { account, csrfToken } };
}

export async function findSession(db: Queryable, id: string, now: Date): Promise<Session | undefined> {
  const { rows } = await db.query<{ id: number; email: string; csrf_token: string }>(
    `select a.id::int as id, a.email, s.csrf_token from linger_sessions s
     join linger_accounts a on a.id = s.account_id
     where s.token_hash = $1 and s.expires_at > $2::timestamptz`,
    [digest(id), now],
  );
  const row = rows[0];
  return row ? { account: { id: row.id, email: row.email }, csrfToken: row.csrf_token } : undefined;
}

/** Ends this session, and sweeps expired ones while at it (as signing in does). */
export async function endSession(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query('delete from linger_sessions where token_hash = $1 or expires_at <= $2::timestamptz', [digest(id), now]);
}
