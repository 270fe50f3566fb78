const DAY = 86_400_000;
const MAX_DAYS = 400;

export interface Segment {
  trait: string;
  value: string;
}

/**
 * Which events count (see README "Verified identity"): `verified` leaves out events whose
 * userHash failed the key's secret; `all` counts them too, under the userId they claim.
 */
export type IdentityMode = 'verified' | 'all';

/** What every insight is computed over: one project, a half-open time range, a segment. */
export interface InsightFilter {
  writeKey: string;
  from: Date;
  /** Exclusive end. */
  to: Date;
  segments: Segment[];
  identity: IdentityMode;
}

export type FilterResult = { ok: true; filter: InsightFilter } | { ok: false; error: string };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** A date and time without `Z` or an offset, which `Date.parse` would read in the collector's own zone. */
const NO_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

function parseInstant(text: string, endOfDay: boolean): Date | undefined {
  // Times are UTC, like the days: the same URL must give the same numbers on any server.
  const time = Date.parse(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : NO_OFFSET.test(text) ? `${text}Z` : text);
  if (!Number.isFinite(time)) return undefined;
  // A date-only `to` means "through that day", as a person reading a date range expects.
  return new Date(endOfDay && DATE_ONLY.test(text) ? time + DAY : time);
}

function startOfUtcDay(time: number): number {
  return Math.floor(time / DAY) * DAY;
}

/**
 * A trait name may hold a colon (`billing:plan`): there it is written `\:` (a backslash `\\`),
 * so the first bare colon ends the trait; the value is the rest, colons and all. A backslash
 * before any other character stays itself, as links made before the escape read it.
 */
const SEGMENT = /^((?:[^\\:]|\\[\s\S])+):([\s\S]*)$/;

/** The `segment` parameter for `segment`, as parseFilter reads it back. */
export const segmentParam = (segment: Segment): string => `${segment.trait.replace(/[\\:]/g, '\\$&')}:${segment.value}`;

/**
 * Reads `from`, `to` (dates or ISO instants) and `segment=trait:value` (repeatable, all must
 * match; see SEGMENT) and `identity` (verified, the default, or all) from a query string.
 * Without a range: the last 30 UTC days, today included.
 */
export function parseFilter(query: URLSearchParams, defaultKey: string, now: Date): FilterResult {
  const writeKey = query.get('key') ?? defaultKey;
  const toText = query.get('to');
  const fromText = query.get('from');
  const to = toText ? parseInstant(toText, true) : new Date(startOfUtcDay(now.getTime()) + DAY);
  if (!to) return { ok: false, error: `to: not a date: ${toText}` };
  const from = fromText ? parseInstant(fromText, false) : new Date(to.getTime() - 30 * DAY);
  if (!from) return { ok: false, error: `from: not a date: ${fromText}` };
  if (from >= to) return { ok: false, error: 'from must be before to' };
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY) return { ok: false, error: `the range is over ${MAX_DAYS} days` };
  const segments: Segment[] = [];
  for (const raw of query.getAll('segment')) {
    if (raw === '') continue;
    // Postgres text holds no NUL: sent on, it was a 500 from the database, not the user's mistake.
    if (raw.includes('\0')) return { ok: false, error: 'segment: may not contain a NUL character (%00)' };
    const match = SEGMENT.exec(raw);
    if (!match) return { ok: false, error: `segment: expected trait:value (a colon in the trait written \\:), got ${raw}` };
    segments.push({ trait: match[1]!.replace(/\\([\\:])/g, '$1'), value: match[2]! });
  }
  const identity = query.get('identity') ?? 'verified';
  if (identity !== 'verified' && identity !== 'all') return { ok: false, error: `identity: expected verified or all, got ${identity}` };
  return { ok: true, filter: { writeKey, from, to, segments, identity } };
}
