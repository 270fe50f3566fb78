import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ingest, type IngestSettings } from './ingest.ts';
import type { EventSink } from './sink.ts';
import type { EventRow } from './store.ts';
import { groupHashFor, userHashFor } from './user-hash.ts';

const AT = new Date('2026-11-02T10:00:00.000Z');

/** A sink that keeps what ingestion hands it: is each row allowed to make its user a member? */
function memorySink() {
  const rows: EventRow[] = [];
  const sink: EventSink = {
    append: async (batch) => (rows.push(...batch), new Set(batch.map((r) => r.message.messageId))),
    drained: async () => {},
    backlog: () => 0,
    close: async () => {},
  };
  return { sink, rows };
}

const event = (userId: string | undefined, context: Record<string, unknown>) => ({
  type: 'track', event: 'Page Viewed', messageId: randomUUID(), timestamp: AT.toISOString(), anonymousId: 'device-1', ...(userId ? { userId } : {}), context,
});

describe('groupHash: the vendor vouches that a user belongs to an account', () => {
  const current = 'new-secret';
  const previous = 'old-secret';
  const signed = (secret: string, userId: string, groupId: string) => ({ userHash: userHashFor(secret, userId), groupId, groupHash: groupHashFor(secret, userId, groupId) });

  it('is hex HMAC-SHA256 of userId, a newline and groupId, with the userHash secret', () => {
    expect(groupHashFor('s', 'ann', 'acme')).toBe(userHashFor('s', 'ann\nacme'));
    expect(groupHashFor('s', 'ann', 'acme')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets an event make its user a member only when both hashes check out, with the current or (during a rotation) the previous secret', async () => {
    const { sink, rows } = memorySink();
    const settings: IngestSettings = { secrets: { k: [current, previous] }, userHashMode: 'mark' };
    const events = [
      event('ann', signed(current, 'ann', 'acme')),
      event('ann', signed(previous, 'ann', 'acme')),
      event('ann', { userHash: userHashFor(current, 'ann'), groupId: 'acme' }),
      event('ann', { userHash: userHashFor(current, 'ann'), groupId: 'acme', groupHash: groupHashFor(current, 'ann', 'globex') }),
      event('ann', { userHash: userHashFor(current, 'ann'), groupId: 'acme', groupHash: groupHashFor(current, 'bob', 'acme') }),
      event('ann', { userHash: userHashFor(current, 'ann'), groupId: 'acme', groupHash: groupHashFor('a guess', 'ann', 'acme') }),
      // the groupHash is right but the userHash is not: the user is not vouched for
      event('ann', { ...signed(current, 'ann', 'acme'), userHash: 'wrong' }),
      // anonymous: nobody to vouch for
      event(undefined, { groupId: 'acme', groupHash: groupHashFor(current, 'device-1', 'acme') }),
    ];
    const result = await ingest(sink, settings, { writeKey: 'k', events, receivedAt: AT });
    expect(result.rejected).toEqual([]);
    expect(rows.map((r) => r.groupTrusted)).toEqual([true, true, false, false, false, false, false, false]);
    // …and every one of them is stored, as events with a wrong userHash are
    expect(rows).toHaveLength(8);
  });

  it("keeps a verified user's event whose groupHash is missing or wrong, even when the key refuses unverified events ('refuse'): only its membership is not taken", async () => {
    const { sink, rows } = memorySink();
    const settings: IngestSettings = { secrets: { k: current }, userHashMode: 'refuse' };
    const events = [
      event('ann', signed(current, 'ann', 'acme')),
      event('ann', { userHash: userHashFor(current, 'ann'), groupId: 'acme' }),
      event('ann', { userHash: userHashFor(current, 'ann') }),
    ];
    const result = await ingest(sink, settings, { writeKey: 'k', events, receivedAt: AT });
    expect(result.rejected).toEqual([]);
    expect(rows.map((r) => r.groupTrusted)).toEqual([true, false, false]);
  });

  it('checks nothing for a key without a secret: every event writes memberships, as before', async () => {
    const { sink, rows } = memorySink();
    await ingest(sink, { secrets: {}, userHashMode: 'refuse' }, { writeKey: 'k', events: [event('ann', { groupId: 'acme' })], receivedAt: AT });
    expect(rows.map((r) => r.groupTrusted)).toEqual([true]);
  });
});
