import { describe, expect, it } from 'vitest';
import { migrate } from './migrations.ts';
import { openPglite } from './pglite.ts';

describe('upgrading a collector from before verified users were recorded (migration 80)', () => {
  it('remembers every user a trusted event named, rolled up, still staged or linked, and not those whose userHash failed, nor visitors', async () => {
    // a database as it stood before migration 80
    const db = await openPglite(undefined);
    try {
      await migrate(db);
      await db.query('drop table verified_users');
      await db.query('delete from linger_migrations where id = 80');
      // rolled up: a user the vendor's server identified (userId alone), one whose userHash failed, a visitor
      await db.query(`insert into rollup_people (write_key, actor, anonymous, unverified, first_seen, last_seen) values
        ('k', 'server-side', false, false, '2026-03-01', '2026-03-02'),
        ('k', 'forged', false, true, '2026-03-01', '2026-03-01'),
        ('k', 'a-visitor', true, false, '2026-03-01', '2026-03-01')`);
      // not rolled up yet: a verified user, a forged one, and one of a key without a secret
      await db.query(`insert into rollup_staging (id, write_key, message_id, event, user_id, anonymous_id, ts, properties, verified) values
        (1, 'k', 'm1', 'Page Viewed', 'staged', null, '2026-03-03', '{}', true),
        (2, 'k', 'm2', 'Page Viewed', 'staged-forged', null, '2026-03-03', '{}', false),
        (3, 'open', 'm3', 'Page Viewed', 'no-secret', null, '2026-03-03', '{}', null),
        (4, 'k', 'm4', 'Page Viewed', null, 'a-staged-visitor', '2026-03-03', '{}', null)`);
      // a link's user: what ingestion took as verified until now, whatever the rollups still hold
      await db.query(`insert into identities (write_key, anonymous_id, user_id) values ('k', 'a-linked', 'linked')`);

      expect(await migrate(db)).toEqual([80]);
      const { rows } = await db.query<{ write_key: string; user_id: string }>('select write_key, user_id from verified_users order by write_key, user_id');
      expect(rows).toEqual([
        { write_key: 'k', user_id: 'linked' },
        { write_key: 'k', user_id: 'server-side' },
        { write_key: 'k', user_id: 'staged' },
        { write_key: 'open', user_id: 'no-secret' },
      ]);
    } finally {
      await db.close();
    }
  });
});
