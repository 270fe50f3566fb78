import type { Queryable } from '../db/database.ts';
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

/** Creates the account, or sets its password when it exists (the documented way back in). */
export async function upsertAccount(db: Queryable, email: string, password: string): Promise<Account> {
  const hash = await hashPassword(password);
  const { rows } = await db.query<Account>(
    `insert into linger_accounts (email, password_hash) values ($1, $2)
     on conflict (email) do update set password_hash = excluded.password_hash
     returning id::int as id, email`,
    [normalizeEmail(email), hash],
  );
  return rows[0]!;
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
