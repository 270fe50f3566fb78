import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, type TestCollector } from '../test-support/fixture.ts';
import { migrations, splitStatements } from '../db/migrations.ts';
import type { ChurnInsight } from './churn.ts';

const t = (when: string) => `2026-${when}:00.000Z`;
const range = { from: '2026-03-01', to: '2026-03-31' };

// The flows a person's cancellation runs make, as the churn read-out counts them.
for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`cancellation flows on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, now: () => new Date(t('04-20T12:00')) });
    });
    afterAll(async () => {
      await collector?.close();
    });

    // The user has the flow open in two tabs and takes the same discount in both: the vendor
    // applies it once (the second tab says what the first tab's apply came to), one customer
    // stays, one offer took. Two saves read as two retained customers and two discounts given.
    for (const source of ['events', 'rollups'])
      it(`[${source}] the same offer taken in two tabs open at once is one save and one offer taken`, async () => {
        const key = collector.nextKey();
        const run = (person: string, runId: string, minute: number, event: string, props: Record<string, unknown> = {}) =>
          msg.track(person, event, t(`03-08T10:${String(minute).padStart(2, '0')}`), { runId, variant: 'offer', ...props });
        const discount = { offerId: 'discount-30', offerKind: 'discount', reasonId: 'too-expensive' };
        await seed(collector.url, key, [
          run('both-tabs', 'a1', 0, 'Cancel Flow Started'),
          run('both-tabs', 'b1', 1, 'Cancel Flow Started'),
          run('both-tabs', 'a1', 2, 'Cancel Reason Selected', discount),
          run('both-tabs', 'b1', 3, 'Cancel Reason Selected', discount),
          run('both-tabs', 'a1', 4, 'Cancel Offer Accepted', discount),
          run('both-tabs', 'b1', 5, 'Cancel Offer Accepted', discount),
          run('both-tabs', 'a1', 6, 'Cancel Flow Completed', { ...discount, outcome: 'saved', applied: true }),
          run('both-tabs', 'b1', 7, 'Cancel Flow Completed', { ...discount, outcome: 'saved', applied: true }),
          // one after the other (the discount, then a year later another): two saves
          run('twice', 'c1', 0, 'Cancel Flow Started'),
          run('twice', 'c1', 1, 'Cancel Flow Completed', { ...discount, outcome: 'saved', applied: true }),
          run('twice', 'c2', 2, 'Cancel Flow Started'),
          run('twice', 'c2', 3, 'Cancel Flow Completed', { ...discount, outcome: 'saved', applied: true }),
        ]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source });
        expect(result.sessions).toBe(3);
        expect(result.outcomes).toEqual({ saved: 3, kept: 0, lapsed: 0, contacted: 0, cancelled: 0, abandoned: 0 });
        expect(result.acceptedOffers).toEqual([{ offerKind: 'discount', count: 3 }]);
      });

    it('works out again, on the upgrade past migration 96, the two saves a collector stored before for one offer taken in two tabs', async () => {
      const key = collector.nextKey();
      const run = (runId: string, minute: number, event: string, props: Record<string, unknown> = {}) =>
        msg.track('stored-twice', event, t(`03-09T10:0${minute}`), { runId, variant: 'offer', ...props });
      const discount = { offerId: 'discount-30', offerKind: 'discount', reasonId: 'too-expensive' };
      await seed(collector.url, key, [
        run('a', 0, 'Cancel Flow Started'),
        run('b', 1, 'Cancel Flow Started'),
        run('a', 2, 'Cancel Flow Completed', { ...discount, outcome: 'saved', applied: true }),
        run('b', 3, 'Cancel Flow Completed', { ...discount, outcome: 'saved', applied: true }),
      ]);
      await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source: 'rollups' });
      // In one transaction, as a start runs its migrations before any rollup refresh: the flows put
      // back as an older collector stored them (one per tab, each saved), then the migrations (96's
      // refold is 99's, which an upgrade from before 96 applies right after it).
      await collector.db.transaction(async (tx) => {
        await tx.query('delete from rollup_cancel_sessions where write_key = $1', [key]);
        await tx.query(
          `insert into rollup_cancel_sessions (write_key, identity, person, session_no, started_at, last_ts, reason, accepted_offer, variant, outcome)
           select $1, mode, 'stored-twice', n, $2::timestamptz + (n - 1) * interval '1 minute', $2::timestamptz + (n + 1) * interval '1 minute', 'too-expensive', 'discount', 'offer', 'saved'
           from (values ('all'), ('verified')) m(mode), generate_series(1, 2) n`,
          [key, t('03-09T10:00')],
        );
        for (const migration of migrations.filter((m) => m.id === 96 || m.id === 99)) {
          for (const statement of splitStatements(migration.sql)) await tx.query(statement);
          await migration.after?.(tx);
        }
      });
      const after = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source: 'rollups' });
      expect(after.sessions).toBe(1);
      expect(after.outcomes).toMatchObject({ saved: 1 });
    });
  });
}
