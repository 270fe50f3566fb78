import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg, readAuth, sendBatch, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';

const AT = '2026-03-02T10:00:00.000Z';

describe('the live events feed', () => {
  let collector: TestCollector;
  let key: string;
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: uniqueKeys(1) });
    key = collector.nextKey();
    expect((await sendBatch(collector.url, key, [msg.page('u1', AT), msg.page('u2', AT)])).status).toBe(200);
    await collector.drained();
  });
  afterAll(async () => {
    await collector?.close();
  });

  const feed = (query: string) => fetch(`${collector.url}/api/events/recent?key=${key}&identity=all&${query}`, { headers: readAuth(collector.url) });

  it('answers a script asking for events after a position that is no whole number with a 400 naming it, not an internal error', async () => {
    for (const after of ['1.5', '1e30', '-Infinity']) {
      const res = await feed(`after=${after}`);
      expect([after, res.status]).toEqual([after, 400]);
      expect(((await res.json()) as Json)['errors']).toEqual([expect.stringContaining('after')]);
    }
  });

  it('still pages by a whole position', async () => {
    const all = ((await (await feed('')).json()) as { events: { id: number }[] }).events;
    expect(all).toHaveLength(2);
    const oldest = Math.min(...all.map((e) => e.id));
    const later = ((await (await feed(`after=${oldest}`)).json()) as { events: unknown[] }).events;
    expect(later).toHaveLength(1);
  });

  it('takes a fractional limit as the whole number below it instead of failing', async () => {
    const res = await feed('limit=1.5');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { events: unknown[] }).events).toHaveLength(1);
  });
});
