import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { basicAuth, msg, startTestCollector, type TestCollector } from '../test-support/fixture.ts';
import { journalSink } from './journal-sink.ts';
import type { Message } from './message-schema.ts';
import type { EventRow } from './store.ts';

const AT = new Date('2026-03-02T10:00:00.000Z');
const row = (writeKey: string, message: Record<string, unknown>): EventRow =>
  ({ writeKey, message: message as Message, ts: AT, receivedAt: AT, verified: null, trusted: true, groupTrusted: true });
const people = async (collector: TestCollector, key: string) =>
  (await collector.db.query<{ person: string }>('select user_id as person from events where write_key = $1 order by user_id', [key])).rows.map((r) => r.person);

// The journal's disk: `room` bytes left. As the OS does, write() takes what fits and says so
// only in its count; writeFile(), which writes until done, then meets ENOSPC. `gate`: a write
// waits for it first (a disk slow to answer).
const disk: { room: number; gate?: Promise<void>; waiting: number } = { room: Infinity, waiting: 0 };
type Write = (this: unknown, data: string | Uint8Array, ...rest: unknown[]) => Promise<unknown>;
let fileProto: { write: Write; writeFile: Write };
let real: { write: Write; writeFile: Write };
// Every journal's handle: a "crashed" sink is never closed (its engine never finishes), and a
// handle left to the garbage collector is a warning now and an error in a future Node (DEP0137).
const handles = new Set<{ close(): Promise<void> }>();
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
/** Writes what fits of `data`; how much did. */
async function fill(handle: unknown, data: string | Uint8Array): Promise<{ part: number; whole: number }> {
  disk.waiting++;
  await disk.gate;
  disk.waiting--;
  const bytes = Buffer.from(data);
  const part = bytes.subarray(0, Math.min(bytes.length, disk.room));
  disk.room -= part.length;
  if (part.length > 0) await real.write.call(handle, part);
  return { part: part.length, whole: bytes.length };
}
beforeAll(async () => {
  const probe = await open(join(tmpdir(), `linger-probe-${process.pid}`), 'w');
  fileProto = Object.getPrototypeOf(probe);
  await probe.close();
  await rm(join(tmpdir(), `linger-probe-${process.pid}`), { force: true });
  real = { write: fileProto.write, writeFile: fileProto.writeFile };
  fileProto.write = async function (data, ...rest) {
    handles.add(this as { close(): Promise<void> });
    if (disk.room === Infinity && !disk.gate) return real.write.call(this, data, ...rest);
    const { part } = await fill(this, data);
    if (part === 0) throw enospc();
    return { bytesWritten: part, buffer: data };
  };
  fileProto.writeFile = async function (data, ...rest) {
    handles.add(this as { close(): Promise<void> });
    if (disk.room === Infinity && !disk.gate) return real.writeFile.call(this, data, ...rest);
    const { part, whole } = await fill(this, data);
    if (part < whole) throw enospc();
  };
});
afterAll(async () => {
  if (real) Object.assign(fileProto, real);
  // Closing one a restarted sink closed already rejects: nothing left to do for it.
  await Promise.all([...handles].map((handle) => handle.close().catch(() => {})));
});

describe('a sender retrying a batch whose first copy is still being written to the journal', () => {
  let collector: TestCollector;
  let dir: string;
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null });
    dir = await mkdtemp(join(tmpdir(), 'linger-retry-'));
  });
  afterAll(async () => {
    await collector?.close();
    await rm(dir, { recursive: true, force: true });
  });
  // The engine busy with a long insight query: it gets to no batch before the collector is killed.
  const busy = () => Object.create(collector.db, { transaction: { value: () => new Promise(() => {}) } }) as Database;

  it('a retry sent while the disk was full is not told "duplicate" of a copy that never reached the disk: after the collector is killed and started again, the event is stored', async () => {
    const key = collector.nextKey();
    const event = row(key, msg.track('alice', 'Report Exported', AT.toISOString()));
    const path = join(dir, 'full-journal.ndjson');
    const crashed = await journalSink(busy(), path, () => {});
    let answer!: () => void;
    disk.room = 0;
    disk.gate = new Promise((resolve) => (answer = resolve));
    const first = crashed.append([event]);
    // The SDK gave up on the first request after its 10 s timeout and sends the batch again.
    const retry = crashed.append([event]);
    answer();
    await expect(first).rejects.toThrow('ENOSPC');
    const acknowledged = await retry.then(() => true, () => false);
    Object.assign(disk, { room: Infinity, gate: undefined });
    // Killed before its engine stored anything; started again over the same journal.
    const restarted = await journalSink(collector.db, path, () => {});
    // What the collector did not acknowledge the SDK sends once more.
    if (!acknowledged) await restarted.append([event]);
    await restarted.drained();
    await restarted.close();
    expect(await people(collector, key)).toEqual(['alice']);
  });

  it('a batch the full disk took only part of is not acknowledged: after the collector is killed and started again, the event is stored', async () => {
    const key = collector.nextKey();
    const event = row(key, msg.track('dave', 'Report Exported', AT.toISOString()));
    const path = join(dir, 'torn-journal.ndjson');
    const crashed = await journalSink(busy(), path, () => {});
    disk.room = 40;
    const acknowledged = await crashed.append([event]).then(() => true, () => false);
    disk.room = Infinity;
    const restarted = await journalSink(collector.db, path, () => {});
    if (!acknowledged) await restarted.append([event]);
    await restarted.drained();
    await restarted.close();
    expect(await people(collector, key)).toEqual(['dave']);
  });

  it('a batch acknowledged after a write the full disk cut short is kept whole: after the collector is killed and started again, it is stored', async () => {
    const key = collector.nextKey();
    const path = join(dir, 'after-torn-journal.ndjson');
    const crashed = await journalSink(busy(), path, () => {});
    disk.room = 40;
    const cut = row(key, msg.track('erin', 'Report Exported', AT.toISOString()));
    const cutAcknowledged = await crashed.append([cut]).then(() => true, () => false);
    // Room again (the operator freed some): the next batch is acknowledged.
    disk.room = Infinity;
    await crashed.append([row(key, msg.track('frank', 'Report Exported', AT.toISOString()))]);
    const restarted = await journalSink(collector.db, path, () => {});
    if (!cutAcknowledged) await restarted.append([cut]);
    await restarted.drained();
    await restarted.close();
    expect(await people(collector, key)).toEqual(['erin', 'frank']);
  });

  it('a retry sent while the first copy is still being written is answered once that write is through, as a duplicate, and the event is stored once', async () => {
    const key = collector.nextKey();
    const event = row(key, msg.track('bob', 'Report Exported', AT.toISOString()));
    const sink = await journalSink(collector.db, join(dir, 'slow-journal.ndjson'), () => {});
    const first = sink.append([event]);
    const retry = sink.append([event]);
    expect((await first).size).toBe(1);
    expect((await retry).size).toBe(0);
    await sink.drained();
    await sink.close();
    const { rows } = await collector.db.query<{ n: number }>('select count(*)::int as n from events where write_key = $1', [key]);
    expect(rows[0]!.n).toBe(1);
  });

  it('a batch whose write failed is not stored from memory behind the sender’s back: its retry is stored, and counted as new, once', async () => {
    const key = collector.nextKey();
    const event = row(key, msg.track('carol', 'Report Exported', AT.toISOString()));
    const sink = await journalSink(collector.db, join(dir, 'failed-journal.ndjson'), () => {});
    disk.room = 0;
    await expect(sink.append([event])).rejects.toThrow('ENOSPC');
    disk.room = Infinity;
    const again = await sink.append([event]);
    await sink.drained();
    await sink.close();
    expect(again.size).toBe(1);
    const { rows } = await collector.db.query<{ n: number }>('select count(*)::int as n from events where write_key = $1', [key]);
    expect(rows[0]!.n).toBe(1);
  });
});

describe('the SDK retrying over HTTP while the embedded collector’s disk is full', () => {
  it('the retry of a batch whose write the full disk refused is not answered 200 "duplicate" (the SDK would drop it): it fails too, and the next try is stored, once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'linger-retry-http-'));
    try {
      const collector = await startTestCollector({ dataDir, databaseUrl: null });
      try {
        const key = collector.nextKey();
        const body = JSON.stringify({ batch: [msg.track('grace', 'Report Exported', AT.toISOString())], sentAt: AT.toISOString() });
        const post = () => fetch(`${collector.url}/v1/batch`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: basicAuth(key) }, body });
        let answer!: () => void;
        disk.room = 0;
        disk.gate = new Promise((resolve) => (answer = resolve));
        const first = post();
        await expect.poll(() => disk.waiting).toBe(1);
        // The SDK's request timed out (10 s) while the disk hung: it sends the same batch again.
        const retry = post();
        answer();
        const answers = [(await first).status, (await retry).status];
        Object.assign(disk, { room: Infinity, gate: undefined });
        expect(answers).toEqual([500, 500]);
        const again = await post();
        expect(await again.json()).toMatchObject({ accepted: 1, duplicates: 0 });
        await collector.drained();
        expect(await people(collector, key)).toEqual(['grace']);
      } finally {
        await collector.close();
      }
    } finally {
      Object.assign(disk, { room: Infinity, gate: undefined });
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
