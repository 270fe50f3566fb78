import { describe, expect, it } from 'vitest';
import { eventTime, hasLoneSurrogate, MAX_NESTING, nestsDeeperThan, nestingErrors, wellFormed } from './event-limits.ts';
import type { Message } from './message-schema.ts';

const RECEIVED = new Date('2026-03-02T10:00:00.000Z');
const track = (fields: Partial<Message>): Message => ({ type: 'track', event: 'x', messageId: 'm1', anonymousId: 'a', ...fields }) as Message;
const nested = (depth: number) => {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
};

describe('event time: what a device says, on the collector clock, within 2000-01-01 and a day ahead', () => {
  it('moves a device an hour ahead onto the collector clock', () => {
    const time = eventTime(track({ timestamp: '2026-03-02T10:59:00.000Z' }), '2026-03-02T11:00:00.000Z', RECEIVED);
    expect(time).toEqual({ ok: true, ts: new Date('2026-03-02T09:59:00.000Z') });
  });

  it('rejects a phone whose year reads 0050 (Date.UTC would take it for 1950)', () => {
    expect(eventTime(track({ timestamp: '0050-01-01T00:00:00Z' }), undefined, RECEIVED)).toEqual({
      ok: false, error: 'timestamp: before 2000-01-01, the earliest time the collector keeps',
    });
  });

  it('keeps a good timestamp when the envelope claims to be sent in year 9999', () => {
    expect(eventTime(track({ timestamp: '2026-03-02T09:00:00.000Z' }), '9999-12-31T23:59:59Z', RECEIVED)).toEqual({
      ok: true, ts: new Date('2026-03-02T09:00:00.000Z'),
    });
  });

  it('rejects an event a year ahead, even with a sentAt that would move it back', () => {
    const error = "timestamp: more than a day ahead of the collector's clock";
    expect(eventTime(track({ timestamp: '2027-03-02T10:00:00.000Z' }), undefined, RECEIVED)).toEqual({ ok: false, error });
    expect(eventTime(track({ timestamp: '9999-01-01T00:00:00.000Z' }), '2026-03-02T10:00:00.000Z', RECEIVED)).toEqual({ ok: false, error });
  });

  it('takes drift of under a day as the device running fast: stored when it arrived', () => {
    expect(eventTime(track({ timestamp: '2026-03-02T12:00:00.000Z' }), undefined, RECEIVED)).toEqual({ ok: true, ts: RECEIVED });
  });
});

describe(`nesting: properties, traits and context at most ${MAX_NESTING} levels deep`, () => {
  it(`lets ${MAX_NESTING} levels through and names the field nested one deeper`, () => {
    expect(nestingErrors(track({ properties: nested(MAX_NESTING) }))).toEqual([]);
    expect(nestingErrors(track({ properties: nested(MAX_NESTING + 1), traits: { ok: [1, [2]] } }))).toEqual([`properties: nested deeper than ${MAX_NESTING} levels`]);
  });

  it('measures a value 1,000,000 levels deep without running out of stack', () => {
    const deep = JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000)) as unknown;
    expect(nestsDeeperThan(deep, MAX_NESTING)).toBe(true);
  });
});

describe('half an emoji: a text the browser cut short, which PostgreSQL cannot store', () => {
  it('finds one in any field, key or value, however deep, and keeps every other character of the event', () => {
    const cut = track({ type: 'identify', traits: { plan: 'pro', tags: ['ok', { name: 'Team \ud83d' }] }, context: { '\udc4d': true } });
    expect(hasLoneSurrogate(track({ properties: { title: 'Launch 🚀', n: 1, none: null } }))).toBe(false);
    expect(hasLoneSurrogate(cut)).toBe(true);
    expect(wellFormed(cut)).toEqual({ ...cut, traits: { plan: 'pro', tags: ['ok', { name: 'Team \ufffd' }] }, context: { '\ufffd': true } });
    expect(hasLoneSurrogate(wellFormed(cut))).toBe(false);
  });
});
