import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, startTestCollector, uniqueKeys, type TestCollector } from '../test-support/fixture.ts';

describe('a vendor trying the public endpoints by hand (curl)', () => {
  let collector: TestCollector;
  let key: string;
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: uniqueKeys(1) });
    key = collector.nextKey();
  });
  afterAll(async () => {
    await collector?.close();
  });

  const ask = (method: string, path: string) => fetch(`${collector.url}${path}`, { method, headers: { Authorization: basicAuth(key) } });

  it('is told an endpoint that exists takes another method (405 and Allow), not that there is no such route (404)', async () => {
    const seen = [];
    for (const [method, path] of [['GET', '/v1/batch'], ['GET', '/v1/track'], ['POST', '/v1/leaderboard'], ['POST', '/v1/flows'], ['DELETE', '/v1/state']] as const) {
      const res = await ask(method, path);
      seen.push({ method, path, status: res.status, allow: res.headers.get('allow') });
      await res.body?.cancel();
    }
    expect(seen).toEqual([
      { method: 'GET', path: '/v1/batch', status: 405, allow: 'POST' },
      { method: 'GET', path: '/v1/track', status: 405, allow: 'POST' },
      { method: 'POST', path: '/v1/leaderboard', status: 405, allow: 'GET' },
      { method: 'POST', path: '/v1/flows', status: 405, allow: 'GET, HEAD' },
      { method: 'DELETE', path: '/v1/state', status: 405, allow: 'GET, PUT' },
    ]);
  });

  it('still gets 404 for a path that is no endpoint', async () => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const res = await ask(method, '/v1/batches');
      expect([method, res.status]).toEqual([method, 404]);
      await res.body?.cancel();
    }
  });
});
