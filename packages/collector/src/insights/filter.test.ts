import { afterEach, describe, expect, it } from 'vitest';
import { parseFilter } from './filter.ts';

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
