import { describe, expect, it } from 'vitest';
import { foldPersonDays } from './distinct-days.ts';
import { migrate } from './migrations.ts';
import { openPglite } from './pglite.ts';

describe('a person\'s active days as bits', () => {
  it('keeps the days a database stored as text before migration 60, and ORs later days in on either side and between', async () => {
    const db = await openPglite(undefined);
    try {
      await migrate(db);
      // a database from before migration 60: days as '0'/'1' text, as migration 20 stored them
      await db.query('alter table rollup_person_bits alter column days type text using days::text');
      await db.query('delete from linger_migrations where id = 60');
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
});
