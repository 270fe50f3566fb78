import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg, startTestCollector, uniqueKeys, type TestCollector } from '../test-support/fixture.ts';
import { journalSink } from './journal-sink.ts';
import type { Message } from './message-schema.ts';
import type { EventRow } from './store.ts';

const AT = new Date('2026-03-02T10:00:00.000Z');
const row = (writeKey: string, message: Record<string, unknown>, ts = AT): EventRow =>
  ({ writeKey, message: message as Message, ts, receivedAt: AT, verified: null, trusted: true, groupTrusted: true });
/** Passes every check at ingestion, yet PostgreSQL's jsonb refuses it. */
const withNul = (person: string) => msg.track(person, 'Feature Used', AT.toISOString(), { note: 'a\u0000b' });
const people = async (collector: TestCollector, key: string) =>
  (await collector.db.query<{ person: string }>('select user_id as person from events where write_key = $1 order by user_id', [key])).rows.map((r) => r.person);
const lines = async (path: string) => (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the embedded journal: an event the database will not take costs only itself', () => {
  let collector: TestCollector;
  let dir: string;
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null });
    dir = await mkdtemp(join(tmpdir(), 'linger-journal-'));
  });
  afterAll(async () => {
    await collector?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the events grouped with it and after it, and sets it aside once, with its error', async () => {
    const logs: string[] = [];
    const sink = await journalSink(collector.db, join(dir, 'ingest-journal.ndjson'), (line) => logs.push(line));
    const [key, otherKey] = [collector.nextKey(), collector.nextKey()];
    const mallory = withNul('mallory');
    await Promise.all([sink.append([row(key, msg.track('alice', 'x', AT.toISOString())), row(key, mallory)]), sink.append([row(otherKey, msg.track('bob', 'x', AT.toISOString()))])]);
    await sink.drained();
    await sink.append([row(key, msg.track('carol', 'x', AT.toISOString()))]);
    await sink.drained();
    await sink.close();
    expect(await people(collector, key)).toEqual(['alice', 'carol']);
    expect(await people(collector, otherKey)).toEqual(['bob']);
    expect(await lines(join(dir, 'ingest-quarantine.ndjson'))).toMatchObject([{ error: 'unsupported Unicode escape sequence', writeKey: key, message: { messageId: mallory['messageId'] } }]);
    expect(logs.filter((line) => line.includes(String(mallory['messageId'])))).toHaveLength(1);
    expect((await stat(join(dir, 'ingest-journal.ndjson'))).size).toBe(0);
  });

  it('stores the event once the operator fixes the one it set aside and resends it with the same messageId', async () => {
    const sink = await journalSink(collector.db, join(dir, 'resend-journal.ndjson'), () => {});
    const key = collector.nextKey();
    const mallory = withNul('mallory');
    await sink.append([row(key, mallory)]);
    await sink.drained();
    expect(await people(collector, key)).toEqual([]);
    // As the quarantine file says to: the message as sent, fixed, through /v1/batch again.
    const fixed = { ...mallory, properties: { note: 'ab' } };
    const fresh = await sink.append([row(key, fixed)]);
    await sink.drained();
    await sink.close();
    expect(fresh.size).toBe(1);
    expect(await people(collector, key)).toEqual(['mallory']);
  });
});

describe('restarting the embedded collector over a journal holding a poison event', () => {
  it('starts, stores the good events and sets the poison one aside', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linger-restart-'));
    const keys = uniqueKeys(1);
    const key = keys[0]!;
    // As an older collector journaled them: one stamped year 0050, which no partition can hold.
    const year50 = msg.track('mallory', 'x', '0050-01-01T00:00:00Z');
    const journaled = [row(key, msg.track('alice', 'x', AT.toISOString())), row(key, year50, new Date('0050-01-01T00:00:00Z'))];
    const entry = { rows: journaled.map((r) => ({ ...r, ts: r.ts.toISOString(), receivedAt: r.receivedAt.toISOString() })) };
    await writeFile(join(dir, 'ingest-journal.ndjson'), `${JSON.stringify(entry)}\n`);
    try {
      const collector = await startTestCollector({ dataDir: dir, databaseUrl: null, keys });
      try {
        expect(await people(collector, key)).toEqual(['alice']);
        expect(await lines(join(dir, 'ingest-quarantine.ndjson'))).toMatchObject([{ writeKey: key, message: { messageId: year50['messageId'] } }]);
      } finally {
        await collector.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

