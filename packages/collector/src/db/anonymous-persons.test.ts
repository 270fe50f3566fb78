import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userHashFor } from '../ingest/user-hash.ts';
import type { SatisfactionInsight } from '../insights/satisfaction.ts';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, sendBatch, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';
import { migrations, splitStatements } from './migrations.ts';

const t = (when: string) => `2026-${when}:00.000Z`;
const range = { from: '2026-03-01', to: '2026-03-31' };

// The embedded database only: the migration works out every key's rollups again, and the
// PostgreSQL suites share one database with the other files running meanwhile.
for (const engine of engines.filter((e) => e.name === 'pglite')) {
  describe.skipIf(engine.skipReason !== undefined)(`upgrading a collector whose read-outs took anonymous events for a user (migration 95) on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    const [key, open] = uniqueKeys(2) as [string, string];
    const secret = 'vendor-secret';
    const vouched = (userId: string) => ({ context: { userHash: userHashFor(secret, userId) } });
    const posingAs = (m: Json, anonymousId: string): Json => ({ ...m, userId: undefined, anonymousId });
    const nps = (score: number, responseId: string) => ({ surveyId: 'nps', kind: 'nps', score, responseId });

    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, keys: [key, open], secrets: { [key]: secret }, now: () => new Date(t('04-01T00:00')) });
      await seed(collector.url, key, [
        posingAs(msg.page('x', t('03-02T09:00')), 'u_42'),
        posingAs(msg.track('x', 'Survey Answered', t('03-02T09:01'), nps(0, 'forged')), 'u_42'),
      ]);
      // before u_42 signed in: nothing marks them unverified
      await seed(collector.url, key, [
        msg.identify('u_42', { plan: 'enterprise' }, t('03-05T09:00'), vouched('u_42')),
        { ...msg.track('u_42', 'Survey Answered', t('03-05T09:01'), nps(10, 'real')), ...vouched('u_42') },
      ]);
      // a key without a secret: a visitor's traits, then a user's
      await seed(collector.url, open, [
        posingAs(msg.identify('x', { plan: 'trial' }, t('03-02T09:00')), 'a-visitor'),
        msg.identify('u_1', { plan: 'pro' }, t('03-02T09:00')),
      ]);
      // Every event stored (the embedded engine acknowledges from its journal, and a busy machine
      // writes it later) and rolled up, before the tables are put back as they stood before 95.
      await collector.drained();
      await getInsight(collector.url, 'adoption', key, range);
      await getInsight(collector.url, 'adoption', open, range);
    });
    afterAll(async () => {
      await collector?.close();
    });

    it("works every read-out out again: u_42's own answer only, and the visitor an active person of their own", async () => {
      // In one transaction, as a collector's start runs its migrations before its rollups ever
      // refresh: a refresh between the two would be today's code on yesterday's tables.
      await collector.db.transaction(async (tx) => {
        // the database as it stood before migration 95: every person-keyed rollup filed the
        // visitor under the bare anonymousId, a user's own id could be linked to itself, and
        // anonymous traits were filed under the bare anonymousId
        await tx.query(`insert into identities (write_key, anonymous_id, user_id) values ($1, 'u_42', 'u_42')`, [key]);
        // each table with the rest of its key beside the person (null: the person is not in its key)
        const keyed: Record<string, string[] | null> = {
          rollup_responses: null, rollup_cancel_sessions: ['identity', 'session_no'], rollup_checklist_firsts: ['identity', 'checklist_id', 'event', 'task_id'],
          rollup_person_days: ['identity', 'series', 'day'], rollup_person_bits: ['identity'], user_traits: [], memberships: ['group_id'],
        };
        for (const [table, rest] of Object.entries(keyed)) {
          if (rest) {
            // where the visitor's row and the user's share a key, there was one row: the user's
            const same = rest.map((c) => ` and b.${c} is not distinct from a.${c}`).join('');
            await tx.query(`delete from ${table} a where a.write_key = any($1) and left(a.person, 1) = chr(1)
              and exists (select 1 from ${table} b where b.write_key = a.write_key and b.person = substr(a.person, 2)${same})`, [[key, open]]);
          }
          await tx.query(`update ${table} set person = substr(person, 2) where write_key = any($1) and left(person, 1) = chr(1)`, [[key, open]]);
        }
        const migration = migrations.find((m) => m.id === 95)!;
        for (const statement of splitStatements(migration.sql)) await tx.query(statement);
        await migration.after?.(tx);
      });
      const sat = await getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, { ...range, segment: 'plan:enterprise', source: 'rollups' });
      expect(sat.nps).toMatchObject({ answers: 1, promoters: 1, detractors: 0 });
      const adoption = await getInsight<{ summary: Json }>(collector.url, 'adoption', key, { ...range, source: 'rollups' });
      expect(adoption.summary).toMatchObject({ activeUsers: 2 });
      const { rows: links } = await collector.db.query('select * from identities where write_key = $1', [key]);
      expect(links).toEqual([]);
      // the visitor's traits are no user's; the user's stay theirs
      const { rows: traits } = await collector.db.query<{ person: string }>('select person from user_traits where write_key = $1 order by person', [open]);
      expect(traits.map((r) => r.person)).toEqual(['\u0001a-visitor', 'u_1']);
    });

    it('refuses a userId that starts with the mark of an anonymous visitor, with a clear reason', async () => {
      const { body } = await sendBatch(collector.url, key, [msg.track('\u0001u_42', 'Page Viewed', t('03-06T09:00'))]);
      expect(body).toMatchObject({ accepted: 0, rejected: [{ errors: ['userId: must not start with the control character U+0001'] }] });
    });
  });
}
