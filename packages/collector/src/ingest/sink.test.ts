import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { engines, engineTitle } from '../test-support/engines.ts';
import { msg, startTestCollector, type TestCollector } from '../test-support/fixture.ts';
import { ingest } from './ingest.ts';
import { directSink } from './sink.ts';

const AT = '2026-03-02T10:00:00.000Z';
const RECEIVED = new Date('2026-03-02T10:00:01.000Z');
const settings = { secrets: {}, userHashMode: 'mark' as const };

// directSink is the PostgreSQL path; it runs the same SQL on any engine, so it is tested on each.
for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`storing a batch as it arrives (the PostgreSQL path) on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    beforeAll(async () => {
      collector = await startTestCollector(engine.options);
    });
    afterAll(async () => {
      await collector?.close();
    });

    it('names the one event the database refused and stores the rest, instead of a 5xx the SDK retries forever', async () => {
      const key = collector.nextKey();
      // A NUL character passes every check at ingestion, yet jsonb refuses it.
      const mallory = msg.track('mallory', 'Feature Used', AT, { note: 'a\u0000b' });
      const events = [msg.track('alice', 'Feature Used', AT), mallory, msg.track('bob', 'Feature Used', AT)];
      const result = await ingest(directSink(collector.db), settings, { writeKey: key, events, receivedAt: RECEIVED });
      expect(result).toMatchObject({ accepted: 2, duplicates: 0, rejected: [{ index: 1, messageId: mallory['messageId'], errors: ['could not be stored: unsupported Unicode escape sequence'] }] });
      const { rows } = await collector.db.query<{ person: string }>('select user_id as person from events where write_key = $1 order by 1', [key]);
      expect(rows.map((r) => r.person)).toEqual(['alice', 'bob']);
    });

    it("stores bob's event though alice sent its messageId first, and a retry of either is a duplicate", async () => {
      const key = collector.nextKey();
      const sink = directSink(collector.db);
      const alices = msg.track('alice', 'Badge Earned', AT, { badgeId: 'decoy' }, { messageId: 'predictable' });
      const bobs = msg.track('bob', 'Badge Earned', AT, { badgeId: 'power-user' }, { messageId: 'predictable' });
      expect(await ingest(sink, settings, { writeKey: key, events: [alices], receivedAt: RECEIVED })).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(await ingest(sink, settings, { writeKey: key, events: [bobs], receivedAt: RECEIVED })).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(await ingest(sink, settings, { writeKey: key, events: [bobs, alices], receivedAt: RECEIVED })).toMatchObject({ accepted: 2, duplicates: 2 });
      const { rows } = await collector.db.query<{ person: string }>('select user_id as person from events where write_key = $1 order by 1', [key]);
      expect(rows.map((r) => r.person)).toEqual(['alice', 'bob']);
    });
  });
}

describe('storing a batch as it arrives, when the database itself fails', () => {
  it('fails the whole batch, so the sender retries it later', async () => {
    const down = { transaction: () => Promise.reject(new Error('Connection terminated unexpectedly')) } as unknown as Database;
    const events = [msg.track('alice', 'Feature Used', AT)];
    await expect(ingest(directSink(down), settings, { writeKey: 'pk_any', events, receivedAt: RECEIVED })).rejects.toThrow('Connection terminated');
  });
});
