import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupHashFor, userHashFor } from '../ingest/user-hash.ts';
import { basicAuth, msg, seed, startTestCollector, uniqueKeys, type TestCollector } from '../test-support/fixture.ts';

describe('sync routes under a per-user rate limit (a real collector, 3 requests a minute)', () => {
  let collector: TestCollector;
  let clock = Date.parse('2026-11-02T10:00:00.000Z');
  const [key] = uniqueKeys(1) as [string];
  const secret = 'shh-' + randomUUID();
  const hash = (userId: string) => userHashFor(secret, userId);
  const group = 'acct-' + randomUUID().slice(0, 6);
  const auth = { Authorization: basicAuth(key) };

  const getState = (userId: string, userHash = hash(userId)) =>
    fetch(`${collector.url}/v1/state?userId=${userId}&userHash=${userHash}`, { headers: auth });
  const putState = (userId: string) =>
    fetch(`${collector.url}/v1/state`, {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId, userHash: hash(userId), fields: { 'badges.points': { value: 5, version: 1, at: 1 } } }),
    });
  const board = (userId: string) => fetch(`${collector.url}/v1/leaderboard?group=${group}&userId=${userId}&userHash=${hash(userId)}`, { headers: auth });

  beforeAll(async () => {
    collector = await startTestCollector({
      dataDir: null,
      databaseUrl: null,
      keys: [key],
      secrets: { [key]: secret },
      syncRateLimit: { perMinute: 3, burst: 3 },
      now: () => new Date(clock),
    });
    const at = new Date(clock).toISOString();
    // Members as the vendor's server vouches for them: userHash and groupHash.
    const vouched = (m: Record<string, unknown>) => ({ ...m, context: { userHash: hash(m['userId'] as string), groupHash: groupHashFor(secret, m['userId'] as string, group) } });
    await seed(collector.url, key, ['ana', 'ben'].map((u) => vouched(msg.group(u, group, { name: 'Acme' }, at))));
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('answers 429 with Retry-After once a user has spent their requests, across GET, PUT and the leaderboard', async () => {
    expect((await getState('ana')).status).toBe(200);
    expect((await putState('ana')).status).toBe(200);
    expect((await board('ana')).status).toBe(200);
    const refused = await board('ana');
    expect(refused.status).toBe(429);
    // 3 a minute: the next request is 20 s away.
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(((await refused.json()) as { errors: string[] }).errors).toEqual(['too many sync requests for this user; retry in 20 s']);
    expect((await putState('ana')).status).toBe(429);
    expect((await getState('ana')).status).toBe(429);
  });

  it('leaves other users alone, and a forged userHash cannot spend anyone’s requests', async () => {
    expect((await getState('ben', hash('ana'))).status).toBe(403);
    expect((await getState('ben', hash('ana'))).status).toBe(403);
    expect((await getState('ben', hash('ana'))).status).toBe(403);
    expect((await getState('ben')).status).toBe(200);
    expect((await board('ben')).status).toBe(200);
  });

  it('lets the user back in once Retry-After has passed', async () => {
    clock += 19_000;
    expect((await getState('ana')).status).toBe(429);
    clock += 1_000;
    const res = await getState('ana');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { fields: Record<string, { value: unknown }> }).fields['badges.points']?.value).toBe(5);
  });
});
