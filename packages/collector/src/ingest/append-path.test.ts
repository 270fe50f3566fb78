import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { userHashFor } from './user-hash.ts';
import { msg, sendBatch, startTestCollector, uniqueKeys, type TestCollector } from '../test-support/fixture.ts';

const AT = '2026-03-02T10:00:00.000Z';

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`ingestion beside slow reads on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    beforeAll(async () => {
      collector = await startTestCollector(engine.options);
    });
    afterAll(async () => {
      await collector?.close();
    });

    it('acknowledges a batch and answers /healthz while slow dashboard queries hold the database', async () => {
      const key = collector.nextKey();
      // More slow reads than the PostgreSQL read pool has connections; PGlite runs them in turn.
      let readsDone = false;
      const slowReads = Promise.all(Array.from({ length: engine.name === 'postgres' ? 8 : 2 }, () => collector.db.query('select pg_sleep(3)'))).then(() => {
        readsDone = true;
      });
      // let the reads reach the database first
      await new Promise((resolve) => setTimeout(resolve, 300));

      const health = await fetch(`${collector.url}/healthz`);
      expect(health.status).toBe(200);
      expect(readsDone).toBe(false);

      const ack = await sendBatch(collector.url, key, [msg.track('u1', 'Project Created', AT)]);
      expect(ack.body).toMatchObject({ ok: true, accepted: 1, duplicates: 0 });
      // the answer came while the reads were still running: it did not queue behind them
      expect(readsDone).toBe(false);

      await slowReads;
      const retry = await sendBatch(collector.url, key, [msg.track('u1', 'Project Created', AT, {}, { messageId: 'm-retry' })]);
      expect(retry.body).toMatchObject({ accepted: 1, duplicates: 0 });
      const again = await sendBatch(collector.url, key, [msg.track('u1', 'Project Created', AT, {}, { messageId: 'm-retry' })]);
      expect(again.body).toMatchObject({ accepted: 1, duplicates: 1 });
      const { rows } = await collector.db.query<{ n: number }>('select count(*)::int as n from events where write_key = $1', [key]);
      expect(rows[0]?.n).toBe(2);
    });
  });
}

describe('the embedded engine journal', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'linger-journal-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stores at start-up what an earlier run acknowledged but never stored, once', async () => {
    const [key] = uniqueKeys(1) as [string];
    const message = msg.track('u1', 'Project Created', AT);
    // what a collector killed between the acknowledgement and the insert leaves behind,
    // including a torn last line from a batch that was never acknowledged
    const line = JSON.stringify({ rows: [{ writeKey: key, message, ts: AT, receivedAt: AT, verified: null }] });
    await writeFile(join(dataDir, 'ingest-journal.ndjson'), `${line}\n${line}\n{"rows":[{"writeK`);

    const collector = await startTestCollector({ dataDir, databaseUrl: null, keys: [key] });
    try {
      const { rows } = await collector.db.query<{ n: number }>('select count(*)::int as n from events where write_key = $1', [key]);
      expect(rows[0]?.n).toBe(1);
      const retry = await sendBatch(collector.url, key, [message]);
      expect(retry.body).toMatchObject({ accepted: 1, duplicates: 1 });
    } finally {
      await collector.close();
    }
  });

  it("takes a user's vouched-for event whose messageId a forged copy took first, across restarts, once", async () => {
    const [key] = uniqueKeys(1) as [string];
    const secret = 'vendor-secret';
    const real = msg.track('victim', 'Checklist Completed', AT, { checklistId: 'onboarding' }, { context: { userHash: userHashFor(secret, 'victim') } });
    const forged = { ...real, context: {} };
    // the forged copy, acknowledged and journaled by an earlier run (unverified) but never stored
    const line = JSON.stringify({ rows: [{ writeKey: key, message: forged, ts: AT, receivedAt: AT, verified: false, trusted: false }] });
    await writeFile(join(dataDir, 'ingest-journal.ndjson'), `${line}\n`);
    const start = () => startTestCollector({ dataDir, databaseUrl: null, keys: [key], secrets: { [key]: secret } });
    const verifiedCopies = async (collector: TestCollector) =>
      (await collector.db.query<{ n: number }>('select count(*)::int as n from events where write_key = $1 and verified', [key])).rows[0]?.n;

    let collector = await start();
    try {
      expect((await sendBatch(collector.url, key, [forged])).body).toMatchObject({ accepted: 1, duplicates: 1 });
      expect((await sendBatch(collector.url, key, [real])).body).toMatchObject({ accepted: 1, duplicates: 0 });
      expect((await sendBatch(collector.url, key, [real])).body).toMatchObject({ accepted: 1, duplicates: 1 });
    } finally {
      await collector.close();
    }
    collector = await start();
    try {
      expect((await sendBatch(collector.url, key, [real])).body).toMatchObject({ accepted: 1, duplicates: 1 });
      expect(await verifiedCopies(collector)).toBe(1);
    } finally {
      await collector.close();
    }
  });
});
