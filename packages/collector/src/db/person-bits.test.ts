import { describe, expect, it } from 'vitest';
import { foldPersonDays } from './distinct-days.ts';
import { migrate } from './migrations.ts';
import { openPglite } from './pglite.ts';

/** A database as it stood before migration `id`: migrated, `undo` run, the migration forgotten. */
async function databaseBefore(id: number, undo: string) {
  const db = await openPglite(undefined);
  await migrate(db);
  await db.query(undo);
  await db.query('delete from linger_migrations where id = $1', [id]);
  return db;
}

describe('a person\'s active days as bits', () => {
  it('keeps the days a database stored as text before migration 60, and ORs later days in on either side and between', async () => {
    // a database from before migration 60: days as '0'/'1' text, as migration 20 stored them
    const db = await databaseBefore(60, 'alter table rollup_person_bits alter column days type text using days::text');
    try {
      await db.query(`insert into rollup_person_days (write_key, identity, series, person, day) values
        ('k', 'all', 'active', 'u1', '2026-01-01'), ('k', 'all', 'active', 'u1', '2026-01-05')`);
      await db.query(`insert into rollup_person_bits (write_key, identity, person, first_day, last_day, days)
        values ('k', 'all', 'u1', '2026-01-01', '2026-01-05', '10001')`);

      expect(await migrate(db)).toEqual([60]);
      const row = async () => (await db.query<{ first_day: string; last_day: string; days: string; type: string }>(
        `select to_char(first_day, 'YYYY-MM-DD') as first_day, to_char(last_day, 'YYYY-MM-DD') as last_day,
                days::text as days, pg_typeof(days)::text as type from rollup_person_bits where person = 'u1'`)).rows[0];
      expect(await row()).toEqual({ first_day: '2026-01-01', last_day: '2026-01-05', days: '10001', type: 'bit varying' });

      // u1 comes back on 8 January, and an event from 30 December arrives late: the row grows on both sides
      const fold = async (days: string[]) => {
        await db.transaction(async (tx) => {
          for (const day of days) {
            await tx.query(`insert into rollup_person_work (write_key, identity, series, person, day) values ('k', 'all', 'active', 'u1', $1)`, [day]);
          }
          await foldPersonDays(tx);
        });
      };
      await fold(['2026-01-08', '2025-12-30']);
      expect(await row()).toEqual({ first_day: '2025-12-30', last_day: '2026-01-08', days: '1010001001', type: 'bit varying' });
      // a day in between, and one it had already, change only that day
      await fold(['2026-01-03', '2026-01-05']);
      expect(await row()).toEqual({ first_day: '2025-12-30', last_day: '2026-01-08', days: '1010101001', type: 'bit varying' });
    } finally {
      await db.close();
    }
  });

  it('gives each person of a database from before migration 61 the time of their first event, their linked visits included', async () => {
    const db = await databaseBefore(61, 'alter table rollup_person_bits drop column first_seen');
    try {
      // u1 visited anonymously (a1) before signing up; their forged event counts only with identity=all
      await db.query(`insert into rollup_people (write_key, actor, anonymous, unverified, first_seen, last_seen) values
        ('k', 'u1', false, false, '2026-01-02T10:00:00Z', '2026-01-09T10:00:00Z'),
        ('k', 'u1', false, true, '2026-01-02T08:00:00Z', '2026-01-02T08:00:00Z'),
        ('k', 'a1', true, false, '2026-01-02T09:00:00Z', '2026-01-02T09:30:00Z'),
        ('k', 'a2', true, false, '2026-01-03T07:00:00Z', '2026-01-03T07:00:00Z')`);
      await db.query(`insert into identities (write_key, anonymous_id, user_id) values ('k', 'a1', 'u1')`);
      await db.query(`insert into rollup_person_bits (write_key, identity, person, first_day, last_day, days) values
        ('k', 'all', 'u1', '2026-01-02', '2026-01-09', '10000001'), ('k', 'verified', 'u1', '2026-01-02', '2026-01-09', '10000001'),
        ('k', 'verified', 'a2', '2026-01-03', '2026-01-03', '1')`);

      expect(await migrate(db)).toEqual([61]);
      const { rows } = await db.query<{ identity: string; person: string; first_seen: string }>(
        `select identity, person, to_char(first_seen at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as first_seen
         from rollup_person_bits order by person, identity`);
      expect(rows).toEqual([
        { identity: 'verified', person: 'a2', first_seen: '2026-01-03 07:00' },
        { identity: 'all', person: 'u1', first_seen: '2026-01-02 08:00' },
        { identity: 'verified', person: 'u1', first_seen: '2026-01-02 09:00' },
      ]);
    } finally {
      await db.close();
    }
  });
});
