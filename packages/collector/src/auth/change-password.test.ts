import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../db/database.ts';
import { changePassword, checkPassword, createAccount, upsertAccount } from './accounts.ts';
import { createSession, findSession } from './sessions.ts';
import { digest } from './tokens.ts';
import { startTestCollector, uniqueKeys, type TestCollector } from '../test-support/fixture.ts';

const NOW = new Date('2026-03-02T10:00:00.000Z');

/** The database as it is when the process dies (or the connection drops) just as sessions are being ended. */
function dropsBeforeSignOut(db: Database): Database {
  const failing = (q: Queryable): Queryable => ({
    query: (sql, params, options) => (/^\s*delete from linger_sessions/i.test(sql) ? Promise.reject(new Error('connection lost')) : q.query(sql, params, options)),
  });
  return Object.assign(Object.create(db) as Database, failing(db), { transaction: <T>(fn: (tx: Queryable) => Promise<T>) => db.transaction((tx) => fn(failing(tx))) });
}

describe('a password change cut short', () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: uniqueKeys(1) });
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('never leaves the new password set while the sessions it was meant to end (a thief\'s) stay signed in', async () => {
    const pat = (await createAccount(collector.db, 'pat-crash@acme.test', 'first passphrase'))!;
    const mine = await createSession(collector.db, pat, NOW);
    const thief = await createSession(collector.db, pat, NOW);
    await expect(changePassword(dropsBeforeSignOut(collector.db), pat.id, 'second passphrase', digest(mine.id))).rejects.toThrow();
    // Pat was told it failed: all as it was, so trying again ends the thief's session.
    expect(await checkPassword(collector.db, pat.email, 'second passphrase')).toBeUndefined();
    expect(await checkPassword(collector.db, pat.email, 'first passphrase')).toEqual(pat);
    expect(await findSession(collector.db, thief.id, NOW)).toBeDefined();
  });

  it('never resets the admin password from the start options while the old sessions stay signed in', async () => {
    const admin = await upsertAccount(collector.db, 'ops-crash@acme.test', 'first passphrase');
    const old = await createSession(collector.db, admin, NOW);
    await expect(upsertAccount(dropsBeforeSignOut(collector.db), admin.email, 'reset passphrase')).rejects.toThrow();
    expect(await checkPassword(collector.db, admin.email, 'reset passphrase')).toBeUndefined();
    expect(await findSession(collector.db, old.id, NOW)).toBeDefined();
  });
});
