import type { Database, Queryable } from '../db/database.ts';
import { decoyHash, hashPassword, verifyPassword } from './password.ts';

export interface Account {
  id: number;
  email: string;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function countAccounts(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from linger_accounts');
  return rows[0]?.n ?? 0;
}

/**
 * Creates the account, or sets its password when it exists (the documented way back in, so
 * whoever else was signed in to it is signed out). The same password again, as every later
 * start with the same credentials gives, changes nothing and signs nobody out.
 */
export async function upsertAccount(db: Database, email: string, password: string): Promise<Account> {
  const { rows: found } = await db.query<Account & { password_hash: string }>(
    'select id::int as id, email, password_hash from linger_accounts where email = $1',
    [normalizeEmail(email)],
  );
  const existing = found[0];
  if (existing && (await verifyPassword(password, existing.password_hash))) return { id: existing.id, email: existing.email };
  const hash = await hashPassword(password);
  // One step: a reset that stopped halfway would leave whoever held the old password signed in.
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<Account>(
      `insert into linger_accounts (email, password_hash) values ($1, $2)
       on conflict (email) do update set password_hash = excluded.password_hash
       returning id::int as id, email`,
      [normalizeEmail(email), hash],
    );
    const account = rows[0]!;
    if (existing) await tx.query('delete from linger_sessions where account_id = $1', [account.id]);
    return account;
  });
}

/** The account when the password is right; the same work either way, so timing says nothing. */
export async function checkPassword(db: Queryable, email: string, password: string): Promise<Account | undefined> {
  const { rows } = await db.query<Account & { password_hash: string }>(
    'select id::int as id, email, password_hash from linger_accounts where email = $1',
    [normalizeEmail(email)],
  );
  const row = rows[0];
  const ok = await verifyPassword(password, row?.password_hash ?? (await decoyHash()));
  return row && ok ? { id: row.id, email: row.email } : undefined;
}

export async function listAccounts(db: Queryable): Promise<{ email: string; createdAt: string }[]> {
  const { rows } = await db.query<{ email: string; created_at: Date }>('select email, created_at from linger_accounts order by id');
  return rows.map((r) => ({ email: r.email, createdAt: r.created_at.toISOString() }));
}

/** A colleague's account; undefined when the email already has one. */
export async function createAccount(db: Queryable, email: string, password: string): Promise<Account | undefined> {
  const { rows } = await db.query<Account>(
    `insert into linger_accounts (email, password_hash) values ($1, $2)
     on conflict (email) do nothing returning id::int as id, email`,
    [normalizeEmail(email), await hashPassword(password)],
  );
  return rows[0];
}

/**
 * Removes a colleague's account, and with it (on delete cascade) their sessions and API tokens:
 * someone who left reads and changes nothing from then on. Never `by`'s own, and only while `by`
 * is still signed in (`sessionHash`): a request that waited for its body while its sender was
 * removed does nothing. Both rows are locked in id order, so two colleagues removing each other
 * at once on PostgreSQL end with one removed, not both (nor a deadlock).
 */
export async function removeAccount(
  db: Database, email: string, by: { accountId: number; sessionHash: string }, now: Date,
): Promise<'removed' | 'self' | 'unknown' | 'gone'> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number; email: string }>(
      'select id::int as id, email from linger_accounts where id = $1 or email = $2 order by id for update',
      [by.accountId, normalizeEmail(email)],
    );
    if (!rows.some((r) => r.id === by.accountId)) return 'gone';
    const { rows: session } = await tx.query(
      'select 1 from linger_sessions where token_hash = $1 and account_id = $2 and expires_at > $3::timestamptz',
      [by.sessionHash, by.accountId, now],
    );
    if (session.length === 0) return 'gone';
    const target = rows.find((r) => r.email === normalizeEmail(email));
    if (!target) return 'unknown';
    if (target.id === by.accountId) return 'self';
    await tx.query('delete from linger_accounts where id = $1', [target.id]);
    return 'removed';
  });
}

/** Sets a new password and signs the account out everywhere but `keepSession` (its hash). */
export async function changePassword(db: Database, accountId: number, password: string, keepSessionHash: string): Promise<void> {
  const hash = await hashPassword(password);
  // One step: the new password set while a thief's session lives on is worse than no change
  // (the owner, told it failed, tries again).
  await db.transaction(async (tx) => {
    await tx.query('update linger_accounts set password_hash = $2 where id = $1', [accountId, hash]);
    await tx.query('delete from linger_sessions where account_id = $1 and token_hash <> $2', [accountId, keepSessionHash]);
  });
}

/** What a new password must be: long enough that guessing at 10 tries a minute is hopeless. */
export function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string' || password.length < 12 || password.length > 1024) return 'password: 12 to 1024 characters';
  return undefined;
}
