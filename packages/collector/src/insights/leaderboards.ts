import { grantOf, grantPoints, POINT_EVENTS } from '../sync/leaderboard-route.ts';
import type { InsightContext } from './context.ts';
import { ratio } from './ratio.ts';
import { scopeCtes } from './scope.ts';
import { SqlParams } from './sql-params.ts';

/** The time compared on each side of a person's first view of their account's leaderboard. */
export const LEADERBOARD_WINDOW_DAYS = 7;
/** Accounts listed, most viewers first; the totals count them all. */
export const LEADERBOARD_GROUPS_SHOWN = 20;

export interface LeaderboardViewsRow {
  /** People whose first `Leaderboard Viewed` of this account's board was in the range. */
  viewers: number;
  /** …of whom 7 days have passed since that view: the n of every number below. */
  due: number;
  /** …who earned points (as the leaderboard counts them) in the 7 days before their first view. */
  earnedBefore: number;
  earnedBeforeRate: number | null;
  /** …in the 7 days after it. */
  earnedAfter: number;
  earnedAfterRate: number | null;
  /** Points those people earned in the 7 days before / after. */
  pointsBefore: number;
  pointsAfter: number;
}

export interface LeaderboardsInsight {
  windowDays: number;
  /** Accounts whose leaderboard someone viewed in the range. */
  groups: number;
  /** Everyone, each person once (their first view of any board). */
  total: LeaderboardViewsRow;
  /** Per account, most viewers first (at most 20), with its `name` group trait (null without one). */
  byGroup: (LeaderboardViewsRow & { groupId: string; name: string | null })[];
}

type Row = { group_id: string | null; name: string | null; is_total: boolean; groups: number; viewers: number; due: number; earned_before: number; earned_after: number; points_before: number; points_after: number };

const readRow = (r: Row): LeaderboardViewsRow => ({
  viewers: r.viewers,
  due: r.due,
  earnedBefore: r.earned_before,
  earnedBeforeRate: ratio(r.earned_before, r.due),
  earnedAfter: r.earned_after,
  earnedAfterRate: ratio(r.earned_after, r.due),
  pointsBefore: r.points_before,
  pointsAfter: r.points_after,
});

/**
 * Leaderboards: did people earn points in the week after first looking at their account's
 * board, compared with the week before? Read from the raw events by name and time (the view
 * and point events only), like the announcement read-out. A before/after, not a controlled test.
 * Points are what the flows make each grant worth, as the leaderboard counts them.
 */
export async function leaderboards({ db, filter, catalog, now }: InsightContext): Promise<LeaderboardsInsight> {
  const p = new SqlParams();
  const { ctes, key, from, to } = scopeCtes(filter, p);
  const w = `interval '${LEADERBOARD_WINDOW_DAYS} days'`;
  const events = p.add(POINT_EVENTS);
  const at = `${p.add(now)}::timestamptz`;
  // What each grant is worth comes from the flows, as on the leaderboard itself (never from the event).
  const worth = grantPoints(catalog);
  const grants = p.add(worth.grants);
  const points = p.add(worth.points);
  const { rows } = await db.query<Row>(
    `with ${ctes},
     -- a viewer of the range first viewed that board in it: the SDK sends a view at every look,
     -- and a repeat look is not the moment measured around
     -- only a member's view of their own account's board counts (the board is shown to verified
     -- members only): anyone could send a view naming another or a made-up account. Counting
     -- unverified events (identity=all) takes the claimed account as it takes the claimed user.
     viewers as (
       select * from (
         select properties ->> 'groupId' as group_id, person, min(ts) as first_view
         from keyed where event = 'Leaderboard Viewed' and properties ->> 'groupId' is not null
         group by 1, 2) v
       where first_view >= ${from} and first_view < ${to}${
         filter.identity === 'verified'
           ? `
         and exists (select 1 from memberships m where m.write_key = ${key} and m.person = v.person and m.group_id = v.group_id)`
           : ''
       }),
     -- what the flows make each grant worth (grantPoints); a grant they do not define earns nothing
     worth as (
       select * from unnest(${grants}::text[], ${points}::int[]) as w(grant_id, points) where points > 0),
     -- each grant once, when first granted (see grantOf), whether or not that is near a view
     earned as (
       select g.person, g.ts, w.points from (
         select distinct on (person, ${grantOf('k')}) person, ts, ${grantOf('k')} as grant_id
         from keyed k
         where event = any(${events}::text[])
         order by person, ${grantOf('k')}, ts, id) g
       join worth w on w.grant_id = g.grant_id
       where g.ts >= ${from} - ${w} and g.ts < ${to} + ${w}),
     per_view as (
       select v.group_id, v.person, v.first_view, v.first_view + ${w} <= ${at} as due,
              coalesce(sum(e.points) filter (where e.ts < v.first_view), 0) as before,
              coalesce(sum(e.points) filter (where e.ts > v.first_view), 0) as after
       from viewers v
       left join earned e on e.person = v.person and e.ts >= v.first_view - ${w} and e.ts <= v.first_view + ${w}
       group by 1, 2, 3, 4),
     -- Everyone once: a person who viewed two boards counts from the first of them.
     per_person as (
       select distinct on (person) * from per_view order by person, first_view, group_id),
     by_group as (
       select g.group_id, gt.traits ->> 'name' as name, false as is_total, viewers, due, earned_before, earned_after, points_before, points_after, 1 as groups
       from (select group_id, count(*)::int as viewers, count(*) filter (where due)::int as due,
                    count(*) filter (where due and before > 0)::int as earned_before,
                    count(*) filter (where due and after > 0)::int as earned_after,
                    coalesce(sum(before) filter (where due), 0)::int as points_before,
                    coalesce(sum(after) filter (where due), 0)::int as points_after
             from per_view group by group_id order by viewers desc, group_id limit ${LEADERBOARD_GROUPS_SHOWN}) g
       left join group_traits gt on gt.write_key = ${key} and gt.group_id = g.group_id)
     select * from by_group
     union all
     select null, null, true, count(*)::int, count(*) filter (where due)::int,
            count(*) filter (where due and before > 0)::int, count(*) filter (where due and after > 0)::int,
            coalesce(sum(before) filter (where due), 0)::int, coalesce(sum(after) filter (where due), 0)::int,
            (select count(distinct group_id) from viewers)::int
     from per_person`,
    p.values,
  );
  const total = rows.find((r) => r.is_total)!;
  return {
    windowDays: LEADERBOARD_WINDOW_DAYS,
    groups: total.groups,
    total: readRow(total),
    byGroup: rows.filter((r) => !r.is_total).sort((a, b) => b.viewers - a.viewers || (a.group_id! < b.group_id! ? -1 : 1)).map((r) => ({ groupId: r.group_id!, name: r.name, ...readRow(r) })),
  };
}
