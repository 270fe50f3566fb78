import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userHashFor } from '../ingest/user-hash.ts';
import { basicAuth, putState, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';

/**
 * A device's PUT the database cannot hold must get a 400 that names the field: a 500 makes the
 * SDK retry the same request forever (sdk/src/sync/state-sync.ts), and the user's sync with it.
 */
describe('a state PUT the database could not hold (a real collector, in memory)', () => {
  let collector: TestCollector;
  const [key] = uniqueKeys(1) as [string];
  const secret = 'shh-' + randomUUID();
  const put = async (userId: string, fields: Json) => {
    const res = await putState(collector.url, key, { userId, userHash: userHashFor(secret, userId), fields });
    return { status: res.status, body: (await res.json()) as { fields?: Json; errors?: string[] } };
  };
  /** A PUT whose field `f` is `fieldJson` as the device sent it (text: JSON.stringify overflows on what the device may send). */
  const putRaw = async (userId: string, fieldJson: string) => {
    const res = await fetch(`${collector.url}/v1/state`, {
      method: 'PUT',
      headers: { Authorization: basicAuth(key), 'Content-Type': 'application/json' },
      body: `{"userId":${JSON.stringify(userId)},"userHash":"${userHashFor(secret, userId)}","fields":{"ok":{"value":1,"version":1,"at":1000},"f":${fieldJson}}}`,
    });
    return { status: res.status, body: (await res.json()) as { fields?: Json; errors?: string[] } };
  };
  const deepJson = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: [key], secrets: { [key]: secret } });
  });
  afterAll(async () => {
    await collector?.close();
  });

  it.each([
    ['a version past what the store counts', '{"value":1,"version":3000000000,"at":1000}', 'fields.f.version: must be at most 2147483646'],
    ['a time no clock shows', '{"value":1,"version":1,"at":1e20}', 'fields.f.at: must be a time in ms'],
    ['a NUL character in the value', '{"value":{"note":"a\\u0000b"},"version":1,"at":1000}', 'fields.f.value: holds a NUL character or a lone surrogate'],
    ['a NUL character in a key of the value', '{"value":{"a\\u0000b":1},"version":1,"at":1000}', 'fields.f.value: holds a NUL character or a lone surrogate'],
    ['half an emoji in the value', '{"value":["\\ud83d"],"version":1,"at":1000}', 'fields.f.value: holds a NUL character or a lone surrogate'],
    ['a value nested 5,000 levels deep', `{"value":${deepJson(5_000)},"version":1,"at":1000}`, 'fields.f.value: nested deeper than 64 levels'],
  ])('answers 400 naming the field for %s, stores none of the PUT, and takes the next good one', async (_, bad, error) => {
    const userId = 'u-' + randomUUID().slice(0, 8);
    const { status, body } = await putRaw(userId, bad);
    expect({ status, errors: body.errors }).toEqual({ status: 400, errors: [error] });
    const good = await put(userId, { ok: { value: 2, version: 1, at: 1000 } });
    expect(good.status).toBe(200);
    expect(good.body.fields).toEqual({ ok: { value: 2, version: 1, at: 1000 } });
  });

  it('still takes a value with whole emoji, accents and a very long text', async () => {
    const value = { note: '😀 Zürich ✓', long: 'x'.repeat(100_000), nested: JSON.parse(deepJson(60)) as unknown };
    const { status, body } = await put('emoji-user', { f: { value, version: 1, at: 1000 } });
    expect(status).toBe(200);
    expect(body.fields).toEqual({ f: { value, version: 1, at: 1000 } });
  });

  it("keeps a user's stored state within 1 MiB: a device that would grow it past that gets a 413 and loses nothing stored, and one that shrinks it is taken", async () => {
    const userId = 'hoarder-' + randomUUID().slice(0, 8);
    const chunk = 'x'.repeat(200_000);
    const field = (value: unknown, version = 1) => ({ value, version, at: 1000 });
    const names = ['a', 'b', 'c', 'd', 'e'];
    for (const name of names) expect((await put(userId, { [name]: field(chunk) })).status).toBe(200);
    // A sixth 200 KB field: each PUT fits the body limit, the user's state would not.
    const over = await put(userId, { f: field(chunk) });
    expect({ status: over.status, errors: over.body.errors }).toEqual({ status: 413, errors: ["fields: a user's state holds at most 1048576 bytes of values"] });
    const read = await fetch(`${collector.url}/v1/state?userId=${userId}&userHash=${userHashFor(secret, userId)}`, { headers: { Authorization: basicAuth(key) } });
    expect(Object.keys(((await read.json()) as { fields: Json }).fields).sort()).toEqual(names);
    // Making room is always taken, and then the sixth field fits.
    expect((await put(userId, { a: field('small', 2) })).status).toBe(200);
    const after = await put(userId, { f: field(chunk) });
    expect(after.status).toBe(200);
    expect(Object.keys(after.body.fields ?? {}).sort()).toEqual([...names, 'f']);
  });

  it('stores fields named constructor, toString or __proto__ (names every JavaScript object answers to), instead of answering 200 and dropping them', async () => {
    const userId = 'u-' + randomUUID().slice(0, 8);
    const body = `{"userId":"${userId}","userHash":"${userHashFor(secret, userId)}","fields":{"constructor":{"value":1,"version":1,"at":1000},"toString":{"value":2,"version":1,"at":1000},"__proto__":{"value":3,"version":1,"at":1000}}}`;
    const res = await fetch(`${collector.url}/v1/state`, { method: 'PUT', headers: { Authorization: basicAuth(key), 'Content-Type': 'application/json' }, body });
    expect(res.status).toBe(200);
    const expected = '{"constructor":{"value":1,"version":1,"at":1000},"toString":{"value":2,"version":1,"at":1000},"__proto__":{"value":3,"version":1,"at":1000}}';
    const sorted = (text: string) => Object.entries(JSON.parse(text) as Json).sort(([a], [b]) => (a < b ? -1 : 1));
    expect(sorted(JSON.stringify(((await res.json()) as { fields: Json }).fields))).toEqual(sorted(expected));
    const read = await fetch(`${collector.url}/v1/state?userId=${userId}&userHash=${userHashFor(secret, userId)}`, { headers: { Authorization: basicAuth(key) } });
    expect(sorted(JSON.stringify(((await read.json()) as { fields: Json }).fields))).toEqual(sorted(expected));
  });

  it('refuses without the userHash before looking at the fields', async () => {
    const res = await fetch(`${collector.url}/v1/state`, {
      method: 'PUT',
      headers: { Authorization: basicAuth(key), 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: 'x', userHash: 'nope', fields: { f: { value: 1, version: 3_000_000_000, at: 1 } } }),
    });
    expect(res.status).toBe(403);
  });
});
