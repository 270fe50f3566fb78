import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userHashFor } from '../ingest/user-hash.ts';
import { engines, engineTitle } from '../test-support/engines.ts';
import { putState, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';

/** The collector's clock: December 3, 2026, when November's value review is the one due. */
const NOW = new Date('2026-12-03T12:00:00.000Z');
const DEC_2 = Date.UTC(2026, 11, 2, 12);

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`a value review's month across devices on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    const [key] = uniqueKeys(1) as [string];
    const secret = 'shh-' + randomUUID();
    const put = async (userId: string, fields: Json) => {
      const res = await putState(collector.url, key, { userId, userHash: userHashFor(secret, userId), fields });
      expect(res.status).toBe(200);
      return ((await res.json()) as { fields: Record<string, { value: Json; version: number }> }).fields;
    };

    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, keys: [key], secrets: { [key]: secret }, now: () => NOW });
    });
    afterAll(async () => {
      await collector?.close();
    });

    it("keeps November's review, shown on the laptop, when the phone signs in with a visitor's October record, written later, and tells the phone", async () => {
      await put('ana', { 'review:monthly': { value: { shown: '2026-11', at: DEC_2 }, version: 1, at: DEC_2 } });
      const phone = await put('ana', { 'review:monthly': { value: { shown: '2026-10', at: Date.UTC(2026, 10, 1) }, version: 1, at: NOW.getTime() } });
      expect(phone['review:monthly']).toMatchObject({ value: { shown: '2026-11' }, version: 2 });
    });

    it('lets November\'s review, shown on the phone, replace a month a clock running ahead wrote, though that was written "later"', async () => {
      await put('bo', { 'review:monthly': { value: { shown: '2027-08' }, version: 1, at: Date.UTC(2027, 8, 1) } });
      const phone = await put('bo', { 'review:monthly': { value: { shown: '2026-11', at: DEC_2 }, version: 1, at: DEC_2 } });
      expect(phone['review:monthly']?.value).toEqual({ shown: '2026-11', at: DEC_2 });
      // Nor does the wrong month come back when a visitor carries it in at sign-in.
      const again = await put('bo', { 'review:monthly': { value: { shown: '2027-08' }, version: 2, at: NOW.getTime() } });
      expect(again['review:monthly']?.value).toEqual({ shown: '2026-11', at: DEC_2 });
    });
  });
}
