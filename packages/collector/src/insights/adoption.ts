import type { InsightContext } from './context.ts';
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
    /** Mean of the daily active counts over the range. */
    averageDau: number;
    /** Trailing 7 and 30 days, ending on the last day of the range. */
    wau: number;
    mau: number;
    /** Mean over the days of DAU / trailing-30-day MAU. */
    stickiness: number | null;
  };
}

/** Any event counts as activity: a person who answered a survey was there that day. */
export async function adoption({ db, filter }: InsightContext): Promise<AdoptionInsight> {
  const p = new SqlParams();
  const { ctes, from, to } = scopeCtes(filter, p);
  const days = `days as (
      select generate_series(${utcDay(from)}, ${utcDay(`(${to} - interval '1 microsecond')`)}, interval '1 day')::date as day)`;

  const [activity, features, totals] = await Promise.all([
    db.query<{ day: string; dau: number; wau: number; mau: number }>(
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
    db.query<{ feature: string; day: string; users: number }>(
      `with ${ctes}
       select properties ->> 'feature' as feature, to_char(${utcDay()}, 'YYYY-MM-DD') as day,
              count(distinct person)::int as users
       from scoped where event = 'Feature Used' and properties ->> 'feature' is not null
       group by 1, 2`,
      p.values,
    ),
    db.query<{ feature: string | null; users: number }>(
      `with ${ctes}
       select properties ->> 'feature' as feature, count(distinct person)::int as users
       from scoped where event = 'Feature Used' and properties ->> 'feature' is not null group by 1
       union all
       select null, count(distinct person)::int from scoped`,
      p.values,
    ),
  ]);

  const dayList = activity.rows.map((r) => r.day);
  const activeUsers = totals.rows.find((r) => r.feature === null)?.users ?? 0;
  const summary = await db.query<{ average_dau: number; stickiness: number | null }>(
    `select coalesce(avg(dau), 0)::float8 as average_dau,
            avg(dau::float8 / mau) filter (where mau > 0) as stickiness
     from unnest($1::int[], $2::int[]) as t(dau, mau)`,
    [activity.rows.map((r) => r.dau), activity.rows.map((r) => r.mau)],
  );
  const last = activity.rows.at(-1);
  const round = (n: number) => Math.round(n * 10_000) / 10_000;
  const stickiness = summary.rows[0]?.stickiness ?? null;
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
      averageDau: round(summary.rows[0]?.average_dau ?? 0),
      wau: last?.wau ?? 0,
      mau: last?.mau ?? 0,
      stickiness: stickiness === null ? null : round(stickiness),
    },
  };
}
