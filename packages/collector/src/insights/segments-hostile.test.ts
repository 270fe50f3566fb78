import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg, readAuth, seed, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';
import { MAX_SEGMENT_TRAITS, type SegmentOption } from './segments.ts';

const AT = '2026-11-02T10:00:00.000Z';

// What a vendor's dashboard asks on every load, with what one end user can put in it.
describe("the dashboard's segment filter", () => {
  let collector: TestCollector;
  const [key] = uniqueKeys(1) as [string];
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: [key] });
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('offers the traits most people have, not every name one user invented', async () => {
    // Eve posts hundreds of made-up trait names (to the collector directly: the SDK sends at most 256).
    const flood = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`r${i}`, 'v']));
    await seed(collector.url, key, [
      msg.identify('ann', { plan: 'pro', role: 'admin' }, AT),
      msg.identify('bob', { plan: 'team', role: 'member' }, AT),
      msg.identify('eve', { plan: 'pro', ...flood }, AT),
    ]);
    const res = await fetch(`${collector.url}/api/segments?key=${key}`, { headers: readAuth(collector.url) });
    const { segments } = (await res.json()) as { segments: SegmentOption[] };
    expect(segments.length).toBe(MAX_SEGMENT_TRAITS);
    // The ones the vendor segments by are still there, with their true counts.
    expect(segments.find((s) => s.trait === 'plan')?.values).toEqual([{ value: 'pro', count: 2 }, { value: 'team', count: 1 }]);
    expect(segments.find((s) => s.trait === 'role')?.values).toEqual([{ value: 'admin', count: 1 }, { value: 'member', count: 1 }]);
  });

  it('a NUL in a segment is told which parameter is wrong (400), not an internal error', async () => {
    for (const insight of ['churn', 'activation', 'satisfaction', 'at-risk']) {
      const res = await fetch(`${collector.url}/api/insights/${insight}?key=${key}&segment=%00:x`, { headers: readAuth(collector.url) });
      expect([insight, res.status, ((await res.json()) as Json)['errors']]).toEqual([insight, 400, ['segment: may not contain a NUL character (%00)']]);
    }
  });
});
