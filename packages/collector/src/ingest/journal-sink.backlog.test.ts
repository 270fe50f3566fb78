import { describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { msg } from '../test-support/fixture.ts';
import { journalSink } from './journal-sink.ts';
import type { Message } from './message-schema.ts';
import type { EventRow } from './store.ts';

const AT = new Date('2026-03-02T10:00:00.000Z');
const batch = (n: number): EventRow[] =>
  Array.from({ length: n }, (_, i) => ({ writeKey: 'pk_flood', message: msg.track(`user-${i}`, 'Page Viewed', AT.toISOString()) as Message, ts: AT, receivedAt: AT, verified: null, trusted: true, groupTrusted: true }));

// The engine busy with a long insight query: no transaction it is given finishes during the test.
const busyEngine = {
  engine: 'pglite',
  query: async () => ({ rows: [] }),
  transaction: () => new Promise(() => {}),
  close: async () => {},
} as unknown as Database;

describe('senders outrunning an engine busy with a long insight query', () => {
  it('acknowledge no more than 50,000 unstored events (one batch over at most): the rest wait, so the collector’s memory stays bounded', async () => {
    const sink = await journalSink(busyEngine, undefined, () => {});
    let answered = 0;
    // 60 SDKs each send a batch of 1,000 at once, all while the journal write of the first is under way.
    const appends = Array.from({ length: 60 }, () => sink.append(batch(1_000)).then(() => answered++));
    await Promise.all(appends.slice(0, 50));
    // Give every batch whose journal write went through the turn to be answered.
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.backlog()).toBeLessThanOrEqual(51_000);
    expect(answered).toBe(50);
  });
});
