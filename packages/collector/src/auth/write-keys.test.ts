import { describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { createWriteKeyRegistry } from './write-keys.ts';

/** A database that answers every key lookup with "no such key", and counts what it was asked. */
function emptyDatabase() {
  const asked: string[] = [];
  const db: Database = {
    query: async <Row extends object>(sql: string, params: readonly unknown[] = []) => {
      asked.push(`${sql} ${String(params[0] ?? '').length}`);
      return { rows: [] as Row[] };
    },
    transaction: async (fn) => fn(db),
    close: async () => {},
    engine: 'pglite',
  };
  return { db, asked };
}

describe('looking up the write key an event was sent with', () => {
  it('refuses a made-up key of 100 KB without asking the database or remembering it, so a flood of them cannot fill memory', async () => {
    const { db, asked } = emptyDatabase();
    const registry = createWriteKeyRegistry(db, ['pk_live'], {}, () => new Date());
    const huge = `pk_${'x'.repeat(100_000)}`;
    expect(await registry.lookup(huge)).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('still looks up keys of any ordinary length, and knows the ones given by flags', async () => {
    const { db, asked } = emptyDatabase();
    const longFlagKey = `pk_${'f'.repeat(300)}`;
    const registry = createWriteKeyRegistry(db, ['pk_live', longFlagKey], { pk_live: 'sk_1' }, () => new Date());
    expect(await registry.lookup('pk_live')).toEqual({ secrets: ['sk_1'] });
    expect(await registry.lookup(longFlagKey)).toEqual({ secrets: [] });
    expect(await registry.lookup('pk_AbCdEfGhIjKlMnOpQrStUvWx')).toBeUndefined();
    expect(asked).toHaveLength(1);
  });
});
