import type { Database } from '../db/database.ts';

/**
 * The tables behind sign-in and key management. Kept apart from the events schema
 * (db/migrations.ts): each statement is idempotent, run on every start under the migrations
 * lock, so two collectors starting against one server don't race.
 */
const statements = [
  `create table if not exists linger_accounts (
     id bigint generated always as identity primary key,
     email text not null unique,
     password_hash text not null,
     created_at timestamptz not null default now())`,
  `create table if not exists linger_sessions (
     token_hash text primary key,
     account_id bigint not null references linger_accounts (id) on delete cascade,
     csrf_token text not null,
     created_at timestamptz not null default now(),
     expires_at timestamptz not null)`,
  `create table if not exists linger_api_tokens (
     id bigint generated always as identity primary key,
     account_id bigint not null references linger_accounts (id) on delete cascade,
     name text not null,
     token_hash text not null unique,
     created_at timestamptz not null default now(),
     last_used_at timestamptz,
     revoked_at timestamptz)`,
  // The HMAC secret itself, not a hash: the collector must compute userHashes with it.
  `create table if not exists linger_write_keys (
     key text primary key,
     name text not null default '',
     secret text,
     previous_secret text,
     previous_secret_until timestamptz,
     created_at timestamptz not null default now(),
     revoked_at timestamptz)`,
  // The Idempotency-Key a create was sent with: sent again (its answer lost), it makes nothing new.
  `alter table linger_api_tokens add column if not exists idempotency_key text`,
  `create unique index if not exists linger_api_tokens_idempotency on linger_api_tokens (account_id, idempotency_key)`,
  // Which try of the create made the token (the dashboard's Idempotency-Attempt): an earlier
  // try arriving late must not replace it.
  `alter table linger_api_tokens add column if not exists idempotency_attempt integer`,
  `alter table linger_write_keys add column if not exists idempotency_key text`,
  // A key's Idempotency-Key is its maker's alone (another account's `setup-1` is another
  // request), and a replay must ask for the same thing (`idempotency_request`) and know whether
  // the secret it would answer is still the one first shown (`rotated_at`).
  `alter table linger_write_keys add column if not exists idempotency_account bigint`,
  `alter table linger_write_keys add column if not exists idempotency_request text`,
  `alter table linger_write_keys add column if not exists rotated_at timestamptz`,
  `drop index if exists linger_write_keys_idempotency`,
  `create unique index if not exists linger_write_keys_account_idempotency on linger_write_keys (idempotency_account, idempotency_key)`,
];

export async function ensureAuthSchema(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('lock table linger_migrations in exclusive mode');
    for (const statement of statements) await tx.query(statement);
  });
}
