import type { Queryable, SqlValue } from '../db/database.ts';
import { ratio } from './ratio.ts';

export interface Pauses {
  /** People who took a pause (`Pause Offer Accepted`) in the range; a person counts once, their first pause. */
  paused: number;
  bySource: { source: string; paused: number }[];
  byMonths: { months: number; paused: number }[];
  /** …of whom the pause has ended before the range end (resumesAt, else its months, passed; one ending at it is not due yet), or who resumed early: the n of the rate. */
  due: number;
  /**
   * …of whom resumed, before the range end: a `Subscription Resumed` track after the pause, or an
   * `identify`/`group` whose `paymentStatus` or `status` trait reads `active` on or after `resumesAt`.
   */
  resumed: number;
  resumeRate: number | null;
}

/**
 * When a `Pause Offer Accepted` (its time `ts`, its `properties`) says billing resumes: the
 * `resumesAt` day, midnight UTC, else `months` after it was taken; null when it says neither in
 * a form it can read. Built from its parts, so a day that does not exist (02-31) rolls over
 * instead of failing the whole answer. The save rate (churn.ts) and the pauses read-out both
 * judge a pause by it.
 */
export function pauseEnd(ts: string, properties: string): string {
  const day = `(${properties} ->> 'resumesAt')`;
  const months = `(${properties} ->> 'months')`;
  return `coalesce(
    case when ${day} ~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])'
      then (make_date(substr(${day}, 1, 4)::int, substr(${day}, 6, 2)::int, 1) + (substr(${day}, 9, 2)::int - 1))::timestamp at time zone 'UTC' end,
    ${ts} + make_interval(months => case when ${months} ~ '^[0-9]{1,3}$' then nullif(${months}::int, 0) end))`;
}

/** Pauses and how many resumed. Needs the `keyed`/`scoped` CTEs and the range bounds (every follow-up is inside the range too). */
export async function pauses(db: Queryable, ctes: string, from: string, to: string, values: SqlValue[]): Promise<Pauses> {
  const { rows } = await db.query<{ source: string; months: number | null; due: boolean; resumed: boolean; n: number }>(
    `with ${ctes},
     taken as (
       select distinct on (person) person, ts as paused_at,
              coalesce(properties ->> 'source', 'cancel-flow') as source,
              case when properties ->> 'months' ~ '^[0-9]{1,2}$' then (properties ->> 'months')::int end as months,
              -- a pause that names only its months is over once they have passed, as in the save rate
              ${pauseEnd('ts', 'properties')} as resumes_at
       from scoped where event = 'Pause Offer Accepted'
       order by person, ts, id),
     back as (
       select t.person, count(b.id) > 0 as resumed
       from taken t
       left join keyed b on b.person = t.person and b.ts >= ${from} and b.ts < ${to} and (
         (b.event = 'Subscription Resumed' and b.ts >= t.paused_at)
         or (b.type in ('identify', 'group') and b.ts >= coalesce(t.resumes_at, t.paused_at)
             and (b.traits ->> 'paymentStatus' = 'active' or b.traits ->> 'status' = 'active')))
       group by t.person)
     -- over strictly before the range end: a pause ending at it (billing back on the 1st after a
     -- month's report) can show no resume inside the range: not due yet, rather than "did not resume"
     select t.source, t.months, (t.resumes_at < ${to} or b.resumed) as due, b.resumed, count(*)::int as n
     from taken t join back b on b.person = t.person
     group by 1, 2, 3, 4`,
    values,
  );
  const sum = (keep: (r: (typeof rows)[number]) => boolean) => rows.filter(keep).reduce((n, r) => n + r.n, 0);
  const group = <K extends string | number>(key: (r: (typeof rows)[number]) => K | null) => {
    const out = new Map<K, number>();
    for (const r of rows) {
      const k = key(r);
      if (k !== null) out.set(k, (out.get(k) ?? 0) + r.n);
    }
    return out;
  };
  const due = sum((r) => !!r.due);
  const resumed = sum((r) => r.resumed);
  return {
    paused: sum(() => true),
    bySource: [...group((r) => r.source)].map(([source, paused]) => ({ source, paused })).sort((a, b) => b.paused - a.paused || a.source.localeCompare(b.source)),
    byMonths: [...group((r) => r.months)].map(([months, paused]) => ({ months, paused })).sort((a, b) => a.months - b.months),
    due,
    resumed,
    resumeRate: ratio(resumed, due),
  };
}
