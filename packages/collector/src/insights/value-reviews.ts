import type { InsightContext } from './context.ts';
import { ratio } from './ratio.ts';
import { rollupScope } from './rollup-scope.ts';
import { scopeCtes, segmentWhere, utcDay } from './scope.ts';
import { SqlParams } from './sql-params.ts';

/** The days compared on each side of the day a person first saw a review. */
export const REVIEW_WINDOW_DAYS = 14;

export interface ValueReviewReadout {
  reviewId: string;
  /** People whose first `Value Review Shown` of this review in the range was that day (the view day). */
  seen: number;
  /** …of whom the 14 days after their view day are over: the n of every number below. */
  due: number;
  /** …active (any event) on at least one of the 14 days before the view day. */
  activeBefore: number;
  activeBeforeRate: number | null;
  /** …active on at least one of the 14 days after it. */
  activeAfter: number;
  activeAfterRate: number | null;
  /** Mean active days (UTC) per person in the 14 days before / after; the view day is in neither. */
  activeDaysBefore: number | null;
  activeDaysAfter: number | null;
}

export interface ValueReviewsInsight {
  windowDays: number;
  reviews: ValueReviewReadout[];
}

type Row = { review: string; seen: number; due: number; active_before: number; active_after: number; days_before: number; days_after: number };

const mean = (sum: number, n: number) => (n > 0 ? Math.round((sum / n) * 100) / 100 : null);
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The CTEs that differ by source: `views` (the review events in the range) and `activity`
 * (person, UTC day) around them. Rollups: the per-day activity rollup, with the views read from
 * the raw events by name and time (an index range, like the announcements read-out).
 */
function sources({ filter, source }: InsightContext, p: SqlParams) {
  const w = REVIEW_WINDOW_DAYS;
  if (source === 'events') {
    const { ctes, from, to } = scopeCtes(filter, p);
    return {
      ctes: `${ctes},
        views as (select * from scoped where event = 'Value Review Shown'),
        activity as (select distinct person, ${utcDay()} as day from keyed where ts >= ${from} - interval '${w} days' and ts < ${to} + interval '${w + 1} days')`,
    };
  }
  const { ctes, key, from, to, fromDay, toDay } = rollupScope(filter, p);
  const where = [`write_key = ${key}`, ...(filter.identity === 'verified' ? ['verified is not false'] : []), ...segmentWhere(filter, p, key)];
  return {
    ctes: `${ctes},
      views as (select * from resolved_events where event = 'Value Review Shown' and ts >= ${from} and ts < ${to} and ${where.join(' and ')}),
      activity as (select person, day from active_days where day >= ${fromDay} - ${w} and day < ${toDay} + ${w + 1})`,
  };
}

/**
 * Value reviews: for the people who saw one, were they active in the 14 days after more than
 * in the 14 days before? A before/after of the same people, not a controlled comparison (there
 * is no holdout): read it as "what followed", not as what the review caused.
 */
export async function valueReviews(context: InsightContext): Promise<ValueReviewsInsight> {
  const p = new SqlParams();
  const { ctes } = sources(context, p);
  const w = REVIEW_WINDOW_DAYS;
  const today = `${p.add(isoDay(context.now))}::date`;
  const { rows } = await context.db.query<Row>(
    `with ${ctes},
     viewers as (
       select properties ->> 'reviewId' as review, person, ${utcDay('min(ts)')} as view_day
       from views where properties ->> 'reviewId' is not null
       group by 1, 2),
     per_person as (
       select v.review, v.person, v.view_day + ${w + 1} <= ${today} as due,
              count(distinct a.day) filter (where a.day < v.view_day) as before,
              count(distinct a.day) filter (where a.day > v.view_day) as after
       from viewers v
       left join activity a on a.person = v.person and a.day >= v.view_day - ${w} and a.day <= v.view_day + ${w}
       group by 1, 2, 3)
     select review, count(*)::int as seen, count(*) filter (where due)::int as due,
            count(*) filter (where due and before > 0)::int as active_before,
            count(*) filter (where due and after > 0)::int as active_after,
            coalesce(sum(before) filter (where due), 0)::int as days_before,
            coalesce(sum(after) filter (where due), 0)::int as days_after
     from per_person group by 1 order by seen desc, review`,
    p.values,
  );
  return {
    windowDays: w,
    reviews: rows.map((r) => ({
      reviewId: r.review,
      seen: r.seen,
      due: r.due,
      activeBefore: r.active_before,
      activeBeforeRate: ratio(r.active_before, r.due),
      activeAfter: r.active_after,
      activeAfterRate: ratio(r.active_after, r.due),
      activeDaysBefore: mean(r.days_before, r.due),
      activeDaysAfter: mean(r.days_after, r.due),
    })),
  };
}
