import type { InsightContext } from './context.ts';
import { rollupScope } from './rollup-scope.ts';
import { scopeCtes, utcDay } from './scope.ts';
import { SqlParams } from './sql-params.ts';

export interface AdoptionInsight {
  /** UTC days of the range, the x axis of every series. */
  days: string[];
  features: {
    feature: string;
    /** Distinct people who used it in the range. */
    users: number;
    /** users / active people in the range. */
    share: number | null;
    /** Distinct users per day, aligned with `days`. */
    daily: number[];
  }[];
  activity: { dau: number[]; wau: number[]; mau: number[] };
  summary: {
    activeUsers: number;
    /**
     * Mean of the daily active counts over the last 30 whole days of the range (today only when it
     * is the only day): MAU's days, so stickiness stays at most 100 %.
     */
    averageDau: number;
    /** Trailing 7 and 30 days, ending on the last of those days. */
    wau: number;
    mau: number;
    /** averageDau / mau, unrounded: the figures beside it divide to it. */
    stickiness: number | null;
  };
}

type ActivityRow = { day: string; dau: number; wau: number; mau: number };
type FeatureDayRow = { feature: string; day: string; users: number };
type TotalRow = { feature: string | null; users: number };

/** The raw-events queries: the truth the rollups are checked against, and any non-day range. */
async function fromEvents({ db, filter }: InsightContext) {
  const p = new SqlParams();
  const { ctes, from, to } = scopeCtes(filter, p);
  const days = `days as (
      select generate_series(${utcDay(from)}, ${utcDay(`(${to} - interval '1 microsecond')`)}, interval '1 day')::date as day)`;
  return Promise.all([
    db.query<ActivityRow>(
      `with ${ctes}, ${days},
       active as (
         select distinct person, ${utcDay()} as day from keyed
         where ts >= ${from} - interval '30 days' and ts < ${to})
       select to_char(d.day, 'YYYY-MM-DD') as day,
              count(distinct a.person) filter (where a.day = d.day)::int as dau,
              count(distinct a.person) filter (where a.day > d.day - 7)::int as wau,
              count(distinct a.person)::int as mau
       from days d left join active a on a.day <= d.day and a.day > d.day - 30
       group by d.day order by d.day`,
      p.values,
    ),
    db.query<FeatureDayRow>(
      `with ${ctes}
       select properties ->> 'feature' as feature, to_char(${utcDay()}, 'YYYY-MM-DD') as day,
              count(distinct person)::int as users
       from scoped where event = 'Feature Used' and properties ->> 'feature' is not null
       group by 1, 2`,
      p.values,
    ),
    db.query<TotalRow>(
      `with ${ctes}
       select properties ->> 'feature' as feature, count(distinct person)::int as users
       from scoped where event = 'Feature Used' and properties ->> 'feature' is not null group by 1
       union all
       select null, count(distinct person)::int from scoped`,
      p.values,
    ),
  ]);
}

/**
 * The end of both daily-activity queries: given `deltas` (+1/-1 marks of each person's 7- and
 * 30-day windows, d/dw/dm) and `dau` (day, n), the running sums give WAU and MAU per day.
 */
const runningWindows = (fromDay: string, toDay: string) => `daily as (select d, sum(dw) as dw, sum(dm) as dm from deltas group by d),
       axis as (select generate_series(${fromDay} - 30, ${toDay} - 1, interval '1 day')::date as d),
       running as (
         select a.d, coalesce(dau.n, 0) as dau,
                sum(coalesce(daily.dw, 0)) over (order by a.d) as wau,
                sum(coalesce(daily.dm, 0)) over (order by a.d) as mau
         from axis a left join daily on daily.d = a.d left join dau on dau.day = a.d)
       select to_char(d, 'YYYY-MM-DD') as day, dau::int, wau::int, mau::int
       from running where d >= ${fromDay} order by d`;

/**
 * From the person-day rollup. A person counts toward the trailing 7/30-day window of day d
 * when one of their active days a has a <= d < a + 7 (30); counting each person once means
 * each active day covers only up to their next active day. So every active day adds +1 at a
 * and -1 at min(next, a + 7), and a running sum over the days gives WAU (and MAU): one pass
 * over O(people × active days) rows instead of joining every day with 30 days of activity.
 */
async function fromRollups({ db, filter }: InsightContext) {
  const p = new SqlParams();
  const { ctes, fromDay, toDay } = rollupScope(filter, p);
  return Promise.all([
    db.query<ActivityRow>(
      `with ${ctes},
       person_days as (select distinct person, day from active_days where day >= ${fromDay} - 30 and day < ${toDay}),
       marks as (select day, lead(day) over (partition by person order by day) as next_day from person_days),
       deltas as (
         select day as d, 1 as dw, 1 as dm from marks
         union all select least(coalesce(next_day, day + 7), day + 7), -1, 0 from marks
         union all select least(coalesce(next_day, day + 30), day + 30), 0, -1 from marks),
       dau as (select day, count(*) as n from person_days group by day),
       ${runningWindows(fromDay, toDay)}`,
      p.values,
    ),
    db.query<FeatureDayRow>(
      `with ${ctes}
       select dim as feature, to_char(day, 'YYYY-MM-DD') as day, count(distinct person)::int as users
       from event_days where event = 'Feature Used' and dim is not null and day >= ${fromDay} and day < ${toDay}
       group by 1, 2`,
      p.values,
    ),
    db.query<TotalRow>(
      `with ${ctes}
       select dim as feature, count(distinct person)::int as users
       from event_days where event = 'Feature Used' and dim is not null and day >= ${fromDay} and day < ${toDay} group by 1
       union all
       select null, count(distinct person)::int from active_days where day >= ${fromDay} and day < ${toDay}`,
      p.values,
    ),
  ]);
}

/**
 * From the distinct-people histogram (db/distinct-days.ts), for everyone (no segment): rows
 * of days × gaps, whatever the number of people. A histogram row (day a, gap g) counts in the
 * trailing window of length L ending on day d when a <= d < a + L and the person's previous
 * day is outside the window (g = 0, or g > a - (d - L + 1)): for d from a + max(0, L - g) on
 * (g = 0 or g >= L: from a). So each row adds its people on one run of days, and a running sum
 * of +people at the run's start and -people after its end gives WAU and MAU of every day.
 */
async function fromHistogram({ db, filter }: InsightContext) {
  const p = new SqlParams();
  const key = p.add(filter.writeKey);
  const identity = p.add(filter.identity);
  const fromDay = `${p.add(filter.from.toISOString().slice(0, 10))}::date`;
  const toDay = `${p.add(filter.to.toISOString().slice(0, 10))}::date`;
  const rows = `rollup_distinct_days where write_key = ${key} and identity = ${identity}`;
  const starts = (length: number) => `case when gap = 0 or gap >= ${length} then day else day + ${length} - gap end`;
  return Promise.all([
    db.query<ActivityRow>(
      `with r as (select day, gap, people from ${rows} and series = 'active' and day > ${fromDay} - 30 and day < ${toDay}),
       deltas as (
         select ${starts(7)} as d, people as dw, 0 as dm from r
         union all select day + 7, -people, 0 from r
         union all select ${starts(30)}, 0, people from r
         union all select day + 30, 0, -people from r),
       dau as (select day, sum(people) as n from r group by day),
       ${runningWindows(fromDay, toDay)}`,
      p.values,
    ),
    db.query<FeatureDayRow>(
      `select substr(series, 9) as feature, to_char(day, 'YYYY-MM-DD') as day, sum(people)::int as users
       from ${rows} and series like 'feature:%' and day >= ${fromDay} and day < ${toDay}
       group by series, day having sum(people) > 0`,
      p.values,
    ),
    db.query<TotalRow>(
      `select case when series = 'active' then null else substr(series, 9) end as feature, sum(people)::int as users
       from ${rows} and day >= ${fromDay} and day < ${toDay} and (gap = 0 or gap > day - ${fromDay})
       group by series having series = 'active' or sum(people) > 0`,
      p.values,
    ),
  ]);
}

function adoptionRows(context: InsightContext) {
  if (context.source === 'events') return fromEvents(context);
  // a segment is a set of people: the histogram counts everyone, the person-days can filter
  return context.filter.segments.length === 0 ? fromHistogram(context) : fromRollups(context);
}

/** Any event counts as activity: a person who answered a survey was there that day. */
export async function adoption(context: InsightContext): Promise<AdoptionInsight> {
  const [activity, features, totals] = await adoptionRows(context);

  const dayList = activity.rows.map((r) => r.day);
  const activeUsers = totals.rows.find((r) => r.feature === null)?.users ?? 0;
  // Whole days only: today's count so far, and days to come, would pull the average down (the
  // chart leaves today out too). WAU and MAU are those of the last whole day, and stickiness is
  // the average DAU over that MAU, so the four figures on the card divide as a PM divides them.
  const today = context.now.toISOString().slice(0, 10);
  const over = activity.rows.filter((r) => r.day < today);
  // a range that starts today: today so far, not the days to come
  const begun = activity.rows.filter((r) => r.day <= today);
  // The last 30 of them, MAU's own days: averaged over a 90-day range, DAU from two months ago
  // over this month's MAU read 136 %; over MAU's days each day's DAU is at most MAU.
  const whole = (over.length ? over : begun.length ? begun : activity.rows).slice(-30);
  const averageDau = whole.length ? whole.reduce((sum, r) => sum + r.dau, 0) / whole.length : 0;
  const last = whole.at(-1);
  const round = (n: number) => Math.round(n * 10_000) / 10_000;
  const stickiness = last && last.mau > 0 ? averageDau / last.mau : null;
  return {
    days: dayList,
    features: totals.rows
      .filter((r): r is { feature: string; users: number } => r.feature !== null)
      .sort((a, b) => b.users - a.users || a.feature.localeCompare(b.feature))
      .map(({ feature, users }) => {
        const byDay = new Map(features.rows.filter((r) => r.feature === feature).map((r) => [r.day, r.users]));
        return {
          feature,
          users,
          share: activeUsers > 0 ? round(users / activeUsers) : null,
          daily: dayList.map((day) => byDay.get(day) ?? 0),
        };
      }),
    activity: {
      dau: activity.rows.map((r) => r.dau),
      wau: activity.rows.map((r) => r.wau),
      mau: activity.rows.map((r) => r.mau),
    },
    summary: {
      activeUsers,
      averageDau: round(averageDau),
      wau: last?.wau ?? 0,
      mau: last?.mau ?? 0,
      stickiness: stickiness === null ? null : round(stickiness),
    },
  };
}
