import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, sendBatch, startTestCollector, uniqueKeys, type TestCollector } from '../test-support/fixture.ts';
import { rebuildRollups } from './rollups.ts';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

type Adoption = { features: { feature: string; users: number }[] };

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`a rollups rebuild on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    const [key] = uniqueKeys(1) as [string];
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, keys: [key] });
    });
    afterAll(async () => {
      await collector?.close();
    });

    it('acknowledges a batch while it runs, and counts every event once after it commits', async () => {
      // stored before the rebuild, perhaps still staged: it must not count twice
      await seed(collector.url, key, [msg.track('before-rebuild', 'Feature Used', ago(3), { feature: 'rebuild-check' })]);

      let rebuilt!: () => void;
      const rebuildDone = new Promise<void>((resolve) => (rebuilt = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const order: string[] = [];
      const rebuild = collector.db.transaction(async (tx) => {
        await rebuildRollups(tx);
        rebuilt();
        // holds the rebuild's transaction (and its locks) open until the batch below is acked
        await released;
        order.push('rebuild committed');
      });
      await rebuildDone;

      const during = await sendBatch(collector.url, key, [
        msg.track('during-rebuild', 'Feature Used', ago(2), { feature: 'rebuild-check' }),
      ]);
      order.push('batch acked');
      release();
      await rebuild;

      expect(during.status).toBe(200);
      expect(during.body['rejected']).toEqual([]);
      expect(order).toEqual(['batch acked', 'rebuild committed']);

      const answer = await getInsight<Adoption>(collector.url, 'adoption', key, { identity: 'all' });
      expect(answer.features.find((f) => f.feature === 'rebuild-check')?.users).toBe(2);
      const { rows } = await collector.db.query<{ actor: string; events: number }>(
        `select actor, sum(events)::int as events from rollup_activity where write_key = $1 group by actor order by actor`,
        [key],
      );
      expect(rows).toEqual([{ actor: 'before-rebuild', events: 1 }, { actor: 'during-rebuild', events: 1 }]);
    });
  });
}
