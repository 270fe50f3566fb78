import { describe, expect, it } from 'vitest';
import { generateBatches } from '../../bench/generate.mjs';
import { checkCommonMessage } from './message-check.ts';
import { messageSchema } from './message-schema.ts';

const base = { type: 'track', event: 'Feature Used', messageId: 'm1', userId: 'u1', timestamp: '2026-03-02T10:00:00.000Z' };

/** Each differs from `base` in one way; the schema accepts some and refuses others. */
const variants: Record<string, unknown>[] = [
  {},
  { userId: undefined, anonymousId: 'a1' },
  { userId: null, anonymousId: 'a1' },
  { userId: 42 },
  { userId: '' },
  { userId: 'u'.repeat(200) },
  { userId: 'u'.repeat(201) },
  { userId: undefined },
  { anonymousId: 7, userId: undefined },
  { messageId: '' },
  { messageId: 'm'.repeat(201) },
  { messageId: 5 },
  { event: undefined },
  { event: '' },
  { event: null },
  { type: 'page', event: undefined, name: '' },
  { type: 'page', event: undefined, name: null },
  { type: 'page', event: undefined, name: 'n'.repeat(201) },
  { type: 'screen', name: 'Home' },
  { type: 'identify', traits: { plan: 'pro' } },
  { type: 'group', groupId: 'acct_1', traits: {} },
  { type: 'group' },
  { type: 'group', groupId: 3 },
  { type: 'alias', previousId: 'old' },
  { type: 'alias', previousId: '' },
  { type: 'unknown' },
  { type: undefined },
  { timestamp: undefined },
  { timestamp: '2026-03-02T10:00:00Z' },
  { timestamp: '2026-03-02T10:00:00+02:00' },
  { timestamp: '2026-03-02T10:00:00.123456-05:30' },
  { timestamp: '2026-03-02T10:00:00' },
  { timestamp: '2026-02-30T10:00:00Z' },
  { timestamp: '2024-02-29T10:00:00Z' },
  { timestamp: '2026-03-02 10:00:00Z' },
  { timestamp: 1_772_445_600_000 },
  { sentAt: '2026-03-02T10:00:01Z' },
  { sentAt: 'yesterday' },
  { properties: { feature: 'search', nested: { a: [1, 2] } } },
  { properties: [] },
  { properties: null },
  { properties: 'x' },
  { context: { groupId: 'acct_2', userHash: 'abc' } },
  { context: JSON.parse('{"__proto__": {"polluted": true}, "page": {"path": "/"}}') as unknown },
  { traits: Object.create(null) as unknown },
  { extra: { kept: true }, integrations: { All: true } },
];

describe('the hand-written check of the common message shape', () => {
  it('accepts only what the schema accepts, as the schema returns it, and leaves the rest to the schema', () => {
    let taken = 0;
    for (const variant of variants) {
      const raw: unknown = { ...base, ...variant };
      const fast = checkCommonMessage(raw);
      const parsed = messageSchema.safeParse(raw);
      if (fast !== undefined) {
        taken++;
        expect(parsed.success, JSON.stringify(variant)).toBe(true);
        expect(fast, JSON.stringify(variant)).toEqual(parsed.data);
      }
    }
    // not vacuous: most of the valid shapes take the fast path
    expect(taken).toBeGreaterThan(15);
    expect(checkCommonMessage(null)).toBeUndefined();
    expect(checkCommonMessage([base])).toBeUndefined();
  });

  it('takes every event of the benchmark traffic, which is what Segment libraries and the SDK send', () => {
    for (const batch of generateBatches({ events: 3_000, days: 10, batchSize: 500 })) {
      for (const message of batch) {
        expect(checkCommonMessage(message), JSON.stringify(message)).toEqual(messageSchema.parse(message));
      }
    }
  });
});
