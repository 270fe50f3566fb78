import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { basicAuth, msg, readAuth, sendBatch, startTestCollector, type Json, type TestCollector } from '../test-support/fixture.ts';

const AT = '2026-03-02T10:00:00.000Z';

async function recent(url: string, key: string): Promise<Json[]> {
  const res = await fetch(`${url}/api/events/recent?key=${key}&limit=100&identity=all`, { headers: readAuth(url) });
  return ((await res.json()) as { events: Json[] }).events;
}

const partitionCount = async (collector: TestCollector) =>
  (await collector.db.query<{ n: number }>(`select count(*)::int as n from pg_inherits where inhparent = 'events'::regclass`)).rows[0]!.n;

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`one bad event costs only itself, on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    beforeAll(async () => {
      collector = await startTestCollector(engine.options);
    });
    afterAll(async () => {
      await collector?.close();
    });

    it("rejects a phone's event stamped year 0050 and stores Alice's event beside it, and later senders' too", async () => {
      const key = collector.nextKey();
      const alice = msg.track('alice', 'Feature Used', AT, { feature: 'export' });
      const mallory = msg.track('mallory', 'Feature Used', '0050-01-01T00:00:00Z');
      const { status, body } = await sendBatch(collector.url, key, [alice, mallory]);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        accepted: 1,
        rejected: [{ index: 1, messageId: mallory['messageId'], errors: ['timestamp: before 2000-01-01, the earliest time the collector keeps'] }],
      });
      const other = collector.nextKey();
      expect((await sendBatch(collector.url, other, [msg.track('bob', 'Feature Used', AT)])).status).toBe(200);
      await collector.drained();
      expect((await recent(collector.url, key)).map((e) => e['person'])).toEqual(['alice']);
      expect((await recent(collector.url, other)).map((e) => e['person'])).toEqual(['bob']);
    });

    it('stores Carol\'s event at its own time when the batch claims to be sent in year 9999', async () => {
      const key = collector.nextKey();
      const res = await fetch(`${collector.url}/v1/batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: basicAuth(key) },
        body: JSON.stringify({ batch: [msg.track('carol', 'Feature Used', AT)], sentAt: '9999-12-31T23:59:59Z' }),
      });
      expect(res.status).toBe(200);
      await collector.drained();
      expect((await recent(collector.url, key)).map((e) => [e['person'], e['ts']])).toEqual([['carol', AT]]);
    });

    for (const depth of [5_000, 60_000]) {
      it(`rejects properties nested ${depth.toLocaleString('en')} levels deep by name and stores the event beside them`, async () => {
        const key = collector.nextKey();
        const messageId = randomUUID();
        const deep = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
        const bad = `{"type":"track","event":"x","anonymousId":"a","timestamp":"${AT}","messageId":"${messageId}","properties":{"deep":${deep}}}`;
        const res = await fetch(`${collector.url}/v1/batch`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: basicAuth(key) },
          body: `{"batch":[${JSON.stringify(msg.track('alice', 'Feature Used', AT))},${bad}]}`,
        });
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1, messageId, errors: ['properties: nested deeper than 64 levels'] }] });
        await collector.drained();
        expect((await recent(collector.url, key)).map((e) => e['person'])).toEqual(['alice']);
      });
    }

    it('stores Alice\'s event when the one beside it carries a NUL character the database cannot take', async () => {
      const key = collector.nextKey();
      const mallory = msg.track('mallory', 'Feature Used', AT, { note: 'a\u0000b' });
      const { status, body } = await sendBatch(collector.url, key, [msg.track('alice', 'Feature Used', AT), mallory]);
      expect(status).toBe(200);
      // The embedded engine acknowledged both from its journal and set Mallory's aside (see
      // journal-sink.test.ts); PostgreSQL answers after storing, so it names the event.
      if (engine.name === 'postgres') {
        expect(body).toMatchObject({ accepted: 1, rejected: [{ index: 1, messageId: mallory['messageId'] }] });
      }
      await collector.drained();
      expect((await recent(collector.url, key)).map((e) => e['person'])).toEqual(['alice']);
    });

    it("stores Dana's event whose page title was cut in the middle of an emoji, the half emoji kept as U+FFFD, instead of answering 'accepted' and losing it", async () => {
      const key = collector.nextKey();
      // What `title.slice(0, 7)` makes of "Launch 🚀": the high half of the rocket alone.
      const dana = msg.track('dana', 'Feature Used', AT, { title: 'Launch \ud83d', '\ude80': 1 });
      const { status, body } = await sendBatch(collector.url, key, [msg.track('alice', 'Feature Used', AT), dana]);
      expect({ status, body }).toMatchObject({ status: 200, body: { accepted: 2, rejected: [] } });
      await collector.drained();
      const stored = (await recent(collector.url, key)).map((e) => [e['person'], e['properties']]);
      expect(stored).toEqual(expect.arrayContaining([['alice', {}], ['dana', { title: 'Launch \ufffd', '\ufffd': 1 }]]));
      expect(stored).toHaveLength(2);
    });

    it('creates no partition for a batch spread over a thousand months of the distant past', async () => {
      const before = await partitionCount(collector);
      const batch = Array.from({ length: 1000 }, (_, i) => msg.track('dave', 'x', new Date(Date.UTC(1200 + Math.floor(i / 12), i % 12, 1)).toISOString()));
      const { status, body } = await sendBatch(collector.url, collector.nextKey(), batch);
      expect(status).toBe(400);
      expect((body['rejected'] as unknown[]).length).toBe(1000);
      await collector.drained();
      expect(await partitionCount(collector)).toBe(before);
    });
  });
}

describe('one bad event costs only itself, on the embedded engine writing its journal to disk (as `npm start` runs it)', () => {
  let collector: TestCollector;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'linger-poison-'));
    collector = await startTestCollector({ dataDir: dir, databaseUrl: null });
  });
  afterAll(async () => {
    await collector?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("rejects an event whose extra top-level field nests 5,000 levels deep by name, and answers 200 for Alice's event beside it", async () => {
    const key = collector.nextKey();
    const messageId = randomUUID();
    const deep = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);
    const bad = `{"type":"track","event":"x","anonymousId":"a","timestamp":"${AT}","messageId":"${messageId}","extra":${deep}}`;
    const res = await fetch(`${collector.url}/v1/batch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basicAuth(key) },
      body: `{"batch":[${JSON.stringify(msg.track('alice', 'Feature Used', AT))},${bad}]}`,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1, messageId, errors: ['extra: nested deeper than 64 levels'] }] });
    await collector.drained();
    expect((await recent(collector.url, key)).map((e) => e['person'])).toEqual(['alice']);
  });
});
