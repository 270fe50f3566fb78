import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, readAuth, startTestCollector, type Json, type TestCollector } from '../test-support/fixture.ts';

const AT = '2026-03-02T10:00:00.000Z';

// Segment's HTTP API makes a messageId for a call that sends none, and its docs' curl examples send none.
describe("a vendor's server sending a call from Segment's docs, without a messageId", () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector();
  });
  afterAll(async () => {
    await collector?.close();
  });

  const post = (key: string, path: string, body: Json) =>
    fetch(`${collector.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: basicAuth(key) }, body: JSON.stringify(body) });
  const stored = async (key: string) => {
    const res = await fetch(`${collector.url}/api/events/recent?key=${key}&limit=100&identity=all`, { headers: readAuth(collector.url) });
    return ((await res.json()) as { events: Json[] }).events;
  };

  it('is stored on /v1/track and /v1/batch, each call under an id of its own, rather than answered 400', async () => {
    const key = collector.nextKey();
    const call = { userId: '019mr8mf4r', event: 'Item Purchased', properties: { name: 'Revenge of the Sith', revenue: 14.99 }, timestamp: AT };
    const single = await post(key, '/v1/track', call);
    expect(single.status).toBe(200);
    expect(await single.json()).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });
    const batch = await post(key, '/v1/batch', { batch: [{ type: 'identify', userId: '019mr8mf4r', traits: { plan: 'pro' }, timestamp: AT }] });
    expect(await batch.json()).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });
    const { rows } = await collector.db.query<{ type: string; message_id: string }>('select type, message_id from events where write_key = $1 order by type', [key]);
    expect(rows.map((r) => r.type)).toEqual(['identify', 'track']);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(2);
    for (const r of rows) expect(r.message_id).toMatch(/^collector-[0-9a-f-]{36}$/);
  });

  it('counts a retried call twice: nothing tells a retry from a second call unless the sender gives the messageId', async () => {
    const key = collector.nextKey();
    const call = { userId: 'u1', event: 'Report Exported', timestamp: AT };
    await post(key, '/v1/track', call);
    const retry = await post(key, '/v1/track', call);
    expect(await retry.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    const withId = { ...call, messageId: 'export-1' };
    await post(key, '/v1/track', withId);
    expect(await (await post(key, '/v1/track', withId)).json()).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(await stored(key)).toHaveLength(3);
  });

  it('still refuses a messageId that is there but empty or not text, with the reason', async () => {
    const key = collector.nextKey();
    const res = await post(key, '/v1/track', { userId: 'u1', event: 'Report Exported', timestamp: AT, messageId: '' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { rejected: { errors: string[] }[] }).rejected[0]?.errors).toEqual(['messageId: messageId is required']);
  });
});
