import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getInsight, msg, seed, startTestCollector, type Json, type TestCollector } from '../test-support/fixture.ts';

// Every insight read asks for a refresh first, and a refresh that finds nothing queued does
// nothing (rollups.ts). Nothing queued must mean nothing: a batch with an identify that commits
// while a refresh runs, after it applied the queued links and before it took the staged events,
// leaves the identify's event rolled up and its link alone in the queue, for the next refresh.
describe('reading insights when only a link waits to be rolled up', () => {
  let collector: TestCollector;
  let key: string;
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null });
    key = collector.nextKey();
  });
  afterAll(async () => {
    await collector?.close();
  });

  type Adoption = { summary: { activeUsers: number } };

  it("counts a visitor's earlier days as the user's they signed up as, though nothing else arrived since", async () => {
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    await seed(collector.url, key, [
      msg.track('ana', 'Feature Used', ago(3), { feature: 'export' }),
      { type: 'track', event: 'Feature Used', properties: { feature: 'export' }, anonymousId: 'anon-ana', timestamp: ago(5), messageId: 'v1' },
    ]);
    // rolled up while the visitor is still a stranger: two people
    expect((await getInsight<Adoption>(collector.url, 'adoption', key, {})).summary.activeUsers).toBe(2);
    // the link as ingestion queues it (ingest/store.ts), its event already rolled up
    await collector.db.query(
      `with linked as (insert into identities (write_key, anonymous_id, user_id) values ($1, 'anon-ana', 'ana') returning write_key, anonymous_id, user_id)
       insert into rollup_link_queue (write_key, anonymous_id, user_id) select * from linked`,
      [key],
    );
    const after = await getInsight<Adoption & Json>(collector.url, 'adoption', key, {});
    expect(after.summary.activeUsers).toBe(1);
    const { source: _source, ...fromEvents } = await getInsight<Json>(collector.url, 'adoption', key, { source: 'events' });
    const { source: _used, ...fromRollups } = after;
    expect(fromRollups).toEqual(fromEvents);
  });
});
