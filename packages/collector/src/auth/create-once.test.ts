import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';

// A create whose answer was lost (a dropped connection, a double click) is sent again with the
// same Idempotency-Key. A second token or key would be live with its secret shown to no one.
describe('creating a key or token again under the same Idempotency-Key', () => {
  let collector: TestCollector;
  let post: (path: string, body: Json, idempotencyKey?: string) => Promise<Response>;
  let get: (path: string) => Promise<Json>;
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: uniqueKeys(1) });
    const url = collector.url;
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: url },
      body: JSON.stringify({ email: collector.admin.email, password: collector.admin.password }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = String(((await login.json()) as Json)['csrfToken']);
    post = (path, body, idempotencyKey) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: url, 'X-CSRF-Token': csrf, ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}) },
        body: JSON.stringify(body),
      });
    get = async (path) => (await (await fetch(`${url}${path}`, { headers: { Cookie: cookie } })).json()) as Json;
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('leaves one live token, the one in the last answer: the token nobody received stops working', async () => {
    const first = (await (await post('/api/tokens', { name: 'Nightly export' }, 'create-token-1')).json()) as Json;
    const again = await post('/api/tokens', { name: 'Nightly export' }, 'create-token-1');
    expect(again.status).toBe(201);
    const second = (await again.json()) as Json;
    const tokens = (await get('/api/tokens'))['tokens'] as Json[];
    expect(tokens.filter((t) => t['name'] === 'Nightly export' && t['revokedAt'] === null)).toHaveLength(1);
    const reads = async (token: unknown) => (await fetch(`${collector.url}/api/tokens`, { headers: { Authorization: `Bearer ${String(token)}` } })).status;
    expect([await reads(first['token']), await reads(second['token'])]).toEqual([401, 200]);
  });

  it('answers the same key and secret again instead of making a second key', async () => {
    const first = (await (await post('/api/keys', { name: 'Staging', secret: true }, 'create-key-1')).json()) as Json;
    const second = (await (await post('/api/keys', { name: 'Staging', secret: true }, 'create-key-1')).json()) as Json;
    expect(second).toEqual(first);
    const keys = (await get('/api/keys'))['writeKeys'] as Json[];
    expect(keys.filter((k) => k['name'] === 'Staging')).toHaveLength(1);
  });

  it('still makes two when asked twice (no key, or two different ones)', async () => {
    await post('/api/tokens', { name: 'Twice' });
    await post('/api/tokens', { name: 'Twice' });
    await post('/api/keys', { name: 'Twice' }, 'a');
    await post('/api/keys', { name: 'Twice' }, 'b');
    expect(((await get('/api/tokens'))['tokens'] as Json[]).filter((t) => t['name'] === 'Twice')).toHaveLength(2);
    expect(((await get('/api/keys'))['writeKeys'] as Json[]).filter((k) => k['name'] === 'Twice')).toHaveLength(2);
  });
});
