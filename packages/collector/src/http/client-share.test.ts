import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg, sendBatch, startTestCollector, type TestCollector } from '../test-support/fixture.ts';

const AT = '2026-03-02T10:00:00.000Z';

/**
 * Behind the vendor's proxy (here: the test itself, on 127.0.0.1), each browser is told apart by
 * the X-Forwarded-For the proxy adds; every other sender's header is ignored.
 */
describe('one client in a loop, behind a trusted proxy', () => {
  let behindProxy: TestCollector;
  let direct: TestCollector;
  beforeAll(async () => {
    // Ten events, then one every 100 s: the test can't be slow enough to refill the bucket.
    const rateLimit = { perSecond: 0.01, burst: 10 };
    behindProxy = await startTestCollector({ dataDir: null, databaseUrl: null, rateLimit, trustProxy: ['127.0.0.1', '::1'] });
    direct = await startTestCollector({ dataDir: null, databaseUrl: null, rateLimit });
  });
  afterAll(async () => {
    await behindProxy?.close();
    await direct?.close();
  });

  const from = (address: string) => ({ headers: { 'X-Forwarded-For': address } });

  it('refuses the loop once it has spent the key, and still takes the events of the vendor\'s other users', async () => {
    const key = behindProxy.nextKey();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await sendBatch(behindProxy.url, key, [msg.track('looping', 'Clicked', AT)], from('203.0.113.7'))).status);
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);

    const other = await sendBatch(behindProxy.url, key, [msg.track('someone-else', 'Project Created', AT)], from('198.51.100.20'));
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ ok: true, accepted: 1 });
  });

  it('ignores X-Forwarded-For from senders that are not a trusted proxy: a loop cannot pass for many clients', async () => {
    const key = direct.nextKey();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await sendBatch(direct.url, key, [msg.track('looping', 'Clicked', AT)], from(`203.0.113.${i + 1}`))).status);
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429, 429]);
  });
});
