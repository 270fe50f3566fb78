import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userHashFor } from '../ingest/user-hash.ts';
import { putState, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';

/** Each account's failed payment is its own synced field, named after the vendor's groupId: any id group() takes. */
describe("a failed payment per workspace, synced (a real collector, in memory)", () => {
  let collector: TestCollector;
  const [key] = uniqueKeys(1) as [string];
  const secret = 'shh-' + randomUUID();
  const put = async (userId: string, fields: Json) => {
    const res = await putState(collector.url, key, { userId, userHash: userHashFor(secret, userId), fields });
    return { status: res.status, body: (await res.json()) as { fields: Record<string, { value: Json; version: number }>; errors?: string[] } };
  };

  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: [key], secrets: { [key]: secret } });
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('takes a workspace named as the vendor names it (spaces, @, /, accents, 200 characters) and the user\'s own record, and hands them back', async () => {
    const long = 'w'.repeat(200);
    const fields = {
      'billing.due:Acme Inc / Zürich': { value: { pastDueSeenAt: 1000 }, version: 1, at: 1000 },
      'billing.due:ops@acme.io\tEU': { value: { pastDueSeenAt: 1100 }, version: 1, at: 1000 },
      [`billing.due:${long}`]: { value: { pastDueSeenAt: 1200 }, version: 1, at: 1000 },
      'billing.due:': { value: { pastDueSeenAt: 1300 }, version: 1, at: 1000 },
    };
    const { status, body } = await put('ana', fields);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(Object.keys(body.fields).sort()).toEqual(Object.keys(fields).sort());
  });

  it("keeps the laptop's 'paid again' when the phone's older past-due copy of the workspace comes later, and tells the phone", async () => {
    await put('bo', { 'billing.due:acct_a': { value: { clearedAt: 5000 }, version: 2, at: 5000 } });
    const phone = await put('bo', { 'billing.due:acct_a': { value: { pastDueSeenAt: 1000, prompted: { stage: 'banner', daysPastDue: 1 } }, version: 2, at: 90_000 } });
    expect(phone.body.fields['billing.due:acct_a']).toEqual({ value: { clearedAt: 5000 }, version: 3, at: 90_000 });
  });
});
