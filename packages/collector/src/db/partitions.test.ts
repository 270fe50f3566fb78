import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, sendBatch, startTestCollector, type TestCollector } from '../test-support/fixture.ts';
import { migrate, migrations } from './migrations.ts';
import { openPglite } from './pglite.ts';
import { dropExpiredPartitions, partitionName } from './partitions.ts';
import { droppedHistory } from './rollups.ts';

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`monthly partitions and retention on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    beforeAll(async () => {
      collector = await startTestCollector(engine.options);
    });
    afterAll(async () => {
      await collector?.close();
    });

    it("has this month's and next month's partitions from the start: a month's first batch does not wait for a rollups rebuild", async () => {
      const months = (await collector.db.query<{ name: string | null }>(
        `select to_regclass($1)::text as name union all select to_regclass($2)::text`,
        [partitionName(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1)), partitionName(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1))],
      )).rows.map((r) => r.name);
      expect(months.every((m) => m !== null), String(months)).toBe(true);
    });

    it('stores each month in its own partition and drops expired months, keeping the rollups', async () => {
      const key = collector.nextKey();
      // 2001: no other suite sharing the PostgreSQL test database writes there
      const old = msg.track('u1', 'Feature Used', '2001-01-15T10:00:00.000Z', { feature: 'export' });
      await seed(collector.url, key, [old, msg.track('u1', 'Feature Used', '2001-03-02T10:00:00.000Z', { feature: 'export' })]);
      const partitions = async () =>
        (await collector.db.query<{ name: string }>(`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
           where i.inhparent = 'events'::regclass and c.relname like 'events_y2001%' order by 1`)).rows.map((r) => r.name);
      expect(await partitions()).toEqual(['events_y2001m01', 'events_y2001m03']);
      const range = { from: '2001-01-01', to: '2001-03-31' };
      const before = await getInsight<{ features: unknown[] }>(collector.url, 'adoption', key, range);

      if (engine.name === 'pglite') expect(await droppedHistory(collector.db)).toBeNull();
      // keep two months before April 2001: January's raw events go, March's stay
      const dropped = await dropExpiredPartitions(collector.db, 2, new Date('2001-04-20T00:00:00Z'));
      expect(dropped).toContain('events_y2001m01');
      expect(await partitions()).toEqual(['events_y2001m03']);
      const { rows } = await collector.db.query<{ n: number }>('select count(*)::int as n from events where write_key = $1', [key]);
      expect(rows[0]?.n).toBe(1);
      // the dashboard still shows January, from the rollups
      expect(await getInsight(collector.url, 'adoption', key, range)).toEqual(before);
      // which are all that is left of it: `rollups:rebuild` refuses to run unless told to lose them
      // (on the embedded engine only: PostgreSQL's test database is shared with suites that rebuild)
      if (engine.name === 'pglite') expect(await droppedHistory(collector.db)).toBe('2001-01-15');
      // and a late retry of a dropped event is still a duplicate, not counted twice
      expect((await sendBatch(collector.url, key, [old])).body).toMatchObject({ accepted: 1, duplicates: 1 });
    });
  });
}

describe('migrating a database created before rollups and partitions', () => {
  it('keeps every stored event, its id and its messageId, and fills the rollups from them, trust flag included', async () => {
    const db = await openPglite(undefined);
    try {
      await db.query('create table linger_migrations (id integer primary key, name text not null, applied_at timestamptz not null default now())');
      const first = migrations[0]!;
      await db.transaction(async (tx) => {
        for (const statement of first.sql.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
        await tx.query('insert into linger_migrations (id, name) values (1, $1)', [first.name]);
      });
      // m3's userHash failed: the rollups keep it apart, so identity=verified leaves it out
      await db.query(`insert into events (write_key, message_id, type, event, user_id, ts, properties, verified) values
        ('k', 'm1', 'track', 'Feature Used', 'u1', '2026-01-31T23:00:00Z', '{"feature": "export"}', true),
        ('k', 'm2', 'track', 'Survey Answered', 'u1', '2026-02-01T01:00:00Z', '{"surveyId": "nps", "score": 9}', null),
        ('k', 'm3', 'page', 'Home', 'u2', '2026-02-03T01:00:00Z', '{}', false),
        ('k', 'm4', 'track', 'Survey Dismissed', 'u2', '2026-02-03T02:00:00Z', '{"surveyId": "nps", "reason": "preempted-by:cancel"}', false)`);

      // 21, 40, 85 and 20 are listed before the rebuilds that fill them (see migrations.ts)
      expect(await migrate(db)).toEqual([2, 21, 40, 85, 98, 3, 4, 16, 20, 60, 61, 15, 22, 30, 50, 70, 71, 72, 73, 74, 80, 81, 82, 83, 84, 86, 87, 95, 96, 97, 99]);
      const { rows: events } = await db.query<{ id: number; message_id: string }>('select id, message_id from events order by id');
      expect(events).toEqual([{ id: 1, message_id: 'm1' }, { id: 2, message_id: 'm2' }, { id: 3, message_id: 'm3' }, { id: 4, message_id: 'm4' }]);
      const { rows: activity } = await db.query<{ day: string; actor: string; events: number; unverified: boolean }>(
        `select to_char(day, 'YYYY-MM-DD') as day, actor, events, unverified from rollup_activity order by day, actor`);
      expect(activity).toEqual([
        { day: '2026-01-31', actor: 'u1', events: 1, unverified: false },
        { day: '2026-02-01', actor: 'u1', events: 1, unverified: false },
        { day: '2026-02-03', actor: 'u2', events: 2, unverified: true },
      ]);
      // u1's two days as one row of days, in both counting modes; u2's only day was unverified
      const { rows: bits } = await db.query<{ identity: string; person: string; first_day: string; days: string }>(
        `select identity, person, to_char(first_day, 'YYYY-MM-DD') as first_day, days from rollup_person_bits order by identity, person`);
      expect(bits).toEqual([
        { identity: 'all', person: 'u1', first_day: '2026-01-31', days: '11' },
        { identity: 'all', person: 'u2', first_day: '2026-02-03', days: '1' },
        { identity: 'verified', person: 'u1', first_day: '2026-01-31', days: '11' },
      ]);
      // the rebuild kept the pre-empted dismissal's reason, and migration 70 did not move it twice
      const { rows: dismissals } = await db.query<{ detail: string | null; n: number }>(
        `select detail, n from rollup_event_days where event = 'Survey Dismissed' union all
         select detail, n from rollup_event_totals where event = 'Survey Dismissed'`);
      expect(dismissals).toEqual([{ detail: 'preempted-by:cancel', n: 1 }, { detail: 'preempted-by:cancel', n: 1 }]);
      const { rows: facts } = await db.query<{ id: number }>('select id from fact_events');
      expect(facts).toEqual([{ id: 2 }]);
      // new events continue the id sequence, and old messageIds are still known
      const { rows: next } = await db.query<{ id: number }>(
        `insert into events (write_key, message_id, type, ts) values ('k', 'm5', 'track', '2026-02-04T00:00:00Z') returning id`);
      expect(next[0]?.id).toBe(5);
      const { rows: ids } = await db.query<{ n: number }>('select count(*)::int as n from event_ids');
      expect(ids[0]?.n).toBe(4);
    } finally {
      await db.close();
    }
  });
});
