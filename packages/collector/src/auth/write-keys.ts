import type { Database, Queryable } from '../db/database.ts';
import { newSecret } from './tokens.ts';

export interface WriteKeyInfo {
  key: string;
  name: string;
  /** `config`: given by --keys/--secret (change the flags to change it); `dashboard`: managed here. */
  source: 'config' | 'dashboard';
  hasSecret: boolean;
  /** During a rotation, until when the previous secret still verifies userHashes. */
  previousSecretUntil: string | null;
  createdAt: string | null;
  revokedAt: string | null;
}

/** What ingestion needs to know about a key: that it is live, and the secrets that verify. */
export interface KnownKey {
  secrets: string[];
}

/** How long the previous secret keeps verifying after a rotation, for the vendor's deploy. */
export const ROTATION_GRACE_HOURS = 24;
/** How long a create's Idempotency-Key answers the same: a retry comes within minutes, a reuse a day on is a mistake. */
const IDEMPOTENCY_HOURS = 24;
/** Longer keys are refused unseen, unless given by the flags. */
const MAX_KEY_LENGTH = 256;
/** Ingestion looks keys up at most this often per key: a revocation takes effect within it. */
const CACHE_MS = 2000;

type Row = {
  key: string;
  name: string;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  created_at: Date;
  revoked_at: Date | null;
};

export type ChangeResult = { ok: true; key: string; secret: string | null } | { ok: false; status: 404 | 409 | 422; error: string };

/**
 * Write keys from two places: the flags (`--keys`, `--secret`), read-only here, and the
 * dashboard (`linger_write_keys`), created, rotated and revoked by a signed-in vendor.
 */
export function createWriteKeyRegistry(db: Database, configKeys: readonly string[], configSecrets: Readonly<Record<string, string>>, now: () => Date) {
  const cache = new Map<string, { at: number; value: KnownKey | undefined }>();

  async function load(key: string): Promise<KnownKey | undefined> {
    if (configKeys.includes(key)) {
      const secret = configSecrets[key];
      return { secrets: secret === undefined ? [] : [secret] };
    }
    const { rows } = await db.query<Row>('select * from linger_write_keys where key = $1 and revoked_at is null', [key]);
    const row = rows[0];
    if (!row) return undefined;
    const secrets = [row.secret, row.previous_secret_until && row.previous_secret_until > now() ? row.previous_secret : null];
    return { secrets: secrets.filter((s): s is string => s !== null) };
  }

  const forget = (key: string) => cache.delete(key);

  return {
    /** The key when ingestion should accept it, with the secrets that verify its userHashes. */
    async lookup(key: string): Promise<KnownKey | undefined> {
      // Keys made here are 27 characters. A longer made-up one (a body may carry 512 KB of it)
      // would sit in the cache below: 10,000 of them are gigabytes.
      if (key.length > MAX_KEY_LENGTH && !configKeys.includes(key)) return undefined;
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
      const value = await load(key);
      // Unknown keys are cached too, so a flood of made-up keys can't reach the database.
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { at: Date.now(), value });
      return value;
    },

    /** Live keys first (config, then dashboard, oldest first), then the revoked ones. */
    async list(): Promise<WriteKeyInfo[]> {
      const { rows } = await db.query<Row>('select * from linger_write_keys order by revoked_at nulls first, created_at, key');
      const fromConfig: WriteKeyInfo[] = configKeys.map((key) => ({
        key, name: '', source: 'config', hasSecret: configSecrets[key] !== undefined, previousSecretUntil: null, createdAt: null, revokedAt: null,
      }));
      const managed: WriteKeyInfo[] = rows
        .filter((r) => !configKeys.includes(r.key))
        .map((r) => ({
          key: r.key,
          name: r.name,
          source: 'dashboard',
          hasSecret: r.secret !== null,
          previousSecretUntil: r.previous_secret_until && r.previous_secret_until > now() ? r.previous_secret_until.toISOString() : null,
          createdAt: r.created_at.toISOString(),
          revokedAt: r.revoked_at?.toISOString() ?? null,
        }));
      return [...fromConfig, ...managed];
    },

    /**
     * A new key. Asked again by the same account under the same Idempotency-Key (`once`; the first
     * answer lost), the same answer: the key made then and its secret, not a second live key whose
     * secret nobody has. Never another account's key, nor a secret that answer did not show.
     */
    async create(name: string, withSecret: boolean, once?: { account: number; key: string }): Promise<ChangeResult> {
      const request = JSON.stringify([name, withSecret]);
      const insert = async (tx: Queryable) => {
        const key = newSecret('pk_').slice(0, 27);
        const secret = withSecret ? newSecret('sk_') : null;
        const { rows } = await tx.query(
          `insert into linger_write_keys (key, name, secret, idempotency_account, idempotency_key, idempotency_request)
           values ($1, $2, $3, $4, $5, $6) on conflict (idempotency_account, idempotency_key) do nothing returning key`,
          [key, name, secret, once?.account ?? null, once?.key ?? null, request],
        );
        return rows.length > 0 ? { key, secret } : undefined;
      };
      const result = await db.transaction(async (tx): Promise<ChangeResult> => {
        const made = await insert(tx);
        if (made || !once) return { ok: true, ...made! };
        // Made before, or by a request still running (the insert above waited for it to commit).
        const { rows } = await tx.query<Row & { idempotency_request: string; rotated_at: Date | null }>(
          'select * from linger_write_keys where idempotency_account = $1 and idempotency_key = $2 for update',
          [once.account, once.key],
        );
        const earlier = rows[0];
        if (!earlier) return { ok: false, status: 409, error: 'the same create is being answered to another request: send it again' };
        if (earlier.idempotency_request !== request) {
          return { ok: false, status: 422, error: 'this Idempotency-Key was sent with another name or secret choice: a new request needs a new key' };
        }
        if (now().getTime() - earlier.created_at.getTime() > IDEMPOTENCY_HOURS * 3600_000) {
          return { ok: false, status: 422, error: `this Idempotency-Key is over ${IDEMPOTENCY_HOURS} h old: send a new one` };
        }
        if (earlier.revoked_at) {
          // Revoked since (by whoever saw an unknown key in the list): the vendor still wants a
          // working key. The new one takes the Idempotency-Key over, so replays of this answer
          // return it rather than making one more each time.
          await tx.query('update linger_write_keys set idempotency_key = null where key = $1', [earlier.key]);
          return { ok: true, ...(await insert(tx))! };
        }
        if (earlier.rotated_at) {
          return { ok: false, status: 409, error: `${earlier.key} was made by this request and rotated since: its secret is the one the rotation answered (rotate again for a new one)` };
        }
        return { ok: true, key: earlier.key, secret: earlier.secret };
      });
      if (result.ok) forget(result.key);
      return result;
    },

    /**
     * A new secret; the previous one keeps verifying for ROTATION_GRACE_HOURS. Rotated again within
     * them, the one before the first rotation stays the previous one: the vendor's servers still
     * sign with it, and the secret in between was shown once to someone who rotates again because
     * they did not get it (an answer lost, a secret not copied).
     */
    async rotate(key: string): Promise<ChangeResult> {
      if (configKeys.includes(key)) return { ok: false, status: 409, error: `${key} is set by --keys/--secret: change the flags to change it` };
      const secret = newSecret('sk_');
      const at = now();
      const until = new Date(at.getTime() + ROTATION_GRACE_HOURS * 3600_000);
      const { rows } = await db.query<{ key: string }>(
        `update linger_write_keys
         set previous_secret = case when previous_secret_until > $4::timestamptz then previous_secret else secret end,
             previous_secret_until = case when previous_secret_until > $4::timestamptz or secret is not null then $3::timestamptz end,
             secret = $2, rotated_at = $4::timestamptz
         where key = $1 and revoked_at is null returning key`,
        [key, secret, until, at],
      );
      forget(key);
      return rows.length > 0 ? { ok: true, key, secret } : { ok: false, status: 404, error: `no live key ${key}` };
    },

    /**
     * Ingestion refuses the key from now on (within the cache time on other collectors). Sent again
     * (the first answer lost), it is done already: said so, with the time it was first revoked kept.
     */
    async revoke(key: string): Promise<ChangeResult> {
      if (configKeys.includes(key)) return { ok: false, status: 409, error: `${key} is set by --keys: change the flags to change it` };
      const { rows } = await db.query<{ key: string }>(
        'update linger_write_keys set revoked_at = coalesce(revoked_at, $2::timestamptz) where key = $1 returning key',
        [key, now()],
      );
      forget(key);
      return rows.length > 0 ? { ok: true, key, secret: null } : { ok: false, status: 404, error: `no live key ${key}` };
    },
  };
}

export type WriteKeyRegistry = ReturnType<typeof createWriteKeyRegistry>;
