import { afterEach, describe, expect, it } from 'vitest';
import { parseFilter, segmentParam } from './filter.ts';

const now = new Date('2026-04-10T12:00:00.000Z');
const parse = (query: string) => parseFilter(new URLSearchParams(query), 'pk', now);

describe('the range of an insight request', () => {
  const zone = process.env['TZ'];
  afterEach(() => {
    if (zone === undefined) delete process.env['TZ'];
    else process.env['TZ'] = zone;
  });

  it('reads a time without an offset as UTC, as the API says, whatever zone the collector runs in', () => {
    for (const tz of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
      process.env['TZ'] = tz;
      const result = parse('from=2026-03-01T06:00&to=2026-03-02T18:30:00');
      expect(result).toMatchObject({ ok: true });
      if (!result.ok) continue;
      expect([result.filter.from.toISOString(), result.filter.to.toISOString()]).toEqual(['2026-03-01T06:00:00.000Z', '2026-03-02T18:30:00.000Z']);
    }
  });

  it('keeps an offset that is given, and reads a date as a whole UTC day, to inclusive', () => {
    process.env['TZ'] = 'Asia/Tokyo';
    const result = parse('from=2026-03-01T09:00%2B09:00&to=2026-03-02');
    expect(result.ok && [result.filter.from.toISOString(), result.filter.to.toISOString()]).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
  });
});

describe('the segment of an insight request', () => {
  const segments = (query: string) => {
    const result = parse(query);
    return result.ok ? result.filter.segments : result.error;
  };

  it('filters on a trait whose name holds a colon, written billing\\:plan, as the dashboard sends it', () => {
    expect(segments(`segment=${encodeURIComponent('billing\\:plan:annual')}`)).toEqual([{ trait: 'billing:plan', value: 'annual' }]);
    const param = segmentParam({ trait: 'billing:plan', value: 'annual' });
    expect(segments(new URLSearchParams({ segment: param }).toString())).toEqual([{ trait: 'billing:plan', value: 'annual' }]);
  });

  it('reads back every trait and value the dashboard offers, colons and backslashes included', () => {
    for (const segment of [
      { trait: 'plan', value: 'pro' },
      { trait: 'plan', value: 'pro:eu' },
      { trait: 'billing:plan', value: 'a:b' },
      { trait: 'a\\', value: 'x' },
      { trait: 'a\\:b', value: '\\' },
    ]) {
      expect(segments(new URLSearchParams({ segment: segmentParam(segment) }).toString())).toEqual([segment]);
    }
  });

  it('still reads the plain trait:value of bookmarked links, and refuses a segment without a trait', () => {
    expect(segments('segment=plan:pro&segment=role:admin:eu')).toEqual([{ trait: 'plan', value: 'pro' }, { trait: 'role', value: 'admin:eu' }]);
    expect(segments('segment=:pro')).toMatch(/^segment: expected trait:value/);
    expect(segments('segment=plan')).toMatch(/^segment: expected trait:value/);
  });
});
