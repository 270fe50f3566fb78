import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg, seed, startTestCollector, uniqueKeys, type TestCollector } from '../test-support/fixture.ts';
import { MAX_STORED_TRAITS } from './store.ts';

const AT = '2026-11-02T10:00:00.000Z';
const LATER = '2026-11-03T10:00:00.000Z';

// One user's identify calls, each under the SDK's caps, grew one stored row without end.
describe("a person's stored traits", () => {
  let collector: TestCollector;
  const [key] = uniqueKeys(1) as [string];
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: [key] });
  });
  afterAll(async () => {
    await collector?.close();
  });

  it(`stop growing at ${MAX_STORED_TRAITS} names, and the names held still take new values`, async () => {
    const names = (round: number) => Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`r${round}k${i}`, 'v']));
    await seed(collector.url, key, [msg.identify('eve', { plan: 'pro' }, AT)]);
    for (let round = 0; round < 4; round++) await seed(collector.url, key, [msg.identify('eve', names(round), AT)]);
    await seed(collector.url, key, [msg.identify('eve', { plan: 'team', extra: 1 }, LATER)]);
    const { rows } = await collector.db.query<{ n: number; plan: string }>("select (select count(*) from jsonb_object_keys(traits))::int as n, traits ->> 'plan' as plan from user_traits where write_key = $1 and person = 'eve'", [key]);
    expect(rows[0]!.n).toBeLessThanOrEqual(MAX_STORED_TRAITS);
    expect(rows[0]!.plan).toBe('team');
  });
});
