import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userHashFor } from '../ingest/user-hash.ts';
import { basicAuth, putState, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';

// The userHash never expires: in a GET's query string it lands in every proxy, CDN and APM log on
// the way. The SDK sends it in a header; older SDKs still send the query, and keep working.
describe('a userHash sent in a header, not in the logged URL', () => {
  let collector: TestCollector;
  const [key] = uniqueKeys(1) as [string];
  const secret = 'shh-' + randomUUID();
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: [key], secrets: { [key]: secret } });
  });
  afterAll(async () => {
    await collector?.close();
  });
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${collector.url}${path}`, { headers: { Authorization: basicAuth(key), ...headers } });
    return { status: res.status, body: (await res.json()) as Json };
  };

  it("reads the user's synced state with X-Linger-User-Hash, and still with the query an older SDK sends", async () => {
    expect((await putState(collector.url, key, { userId: 'dana', userHash: userHashFor(secret, 'dana'), fields: { 'badges.points': { value: 30, version: 1, at: 1000 } } })).status).toBe(200);
    const byHeader = await get('/v1/state?userId=dana', { 'X-Linger-User-Hash': userHashFor(secret, 'dana') });
    expect(byHeader).toMatchObject({ status: 200, body: { ok: true } });
    expect((byHeader.body['fields'] as Json)['badges.points']).toMatchObject({ value: 30 });
    expect((await get(`/v1/state?userId=dana&userHash=${userHashFor(secret, 'dana')}`)).status).toBe(200);
    // A blank header (a fetch wrapper's default) beside an older SDK's query: the query still signs her in.
    expect((await get(`/v1/state?userId=dana&userHash=${userHashFor(secret, 'dana')}`, { 'X-Linger-User-Hash': '' })).status).toBe(200);
    // Another user's hash in the header is no way in.
    expect((await get('/v1/state?userId=dana', { 'X-Linger-User-Hash': userHashFor(secret, 'eve') })).status).toBe(403);
  });

  it('asks for the leaderboard the same way (verified by the header: then the membership decides)', async () => {
    const res = await get('/v1/leaderboard?group=acme&userId=dana', { 'X-Linger-User-Hash': userHashFor(secret, 'dana') });
    expect(res).toEqual({ status: 403, body: { ok: false, errors: ['this user is not a member of that group'] } });
  });

  it('lets a page on another origin send the header (the preflight allows it)', async () => {
    const res = await fetch(`${collector.url}/v1/state?userId=dana`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization, x-linger-user-hash' } });
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-linger-user-hash');
  });
});
