import type { InsightContext } from './context.ts';
import type { FlowsCatalog } from './flows-catalog.ts';
import { activePeopleCte } from './person-activity.ts';
import { rollupScope } from './rollup-scope.ts';
import { jsonNumber, scopeCtes } from './scope.ts';
import { SqlParams } from './sql-params.ts';

export interface GamificationInsight {
  activeUsers: number;
  /** People who earned at least one badge in the range, of the badges the flows define (all, when they define none). */
  badgeEarners: number;
  /**
   * `inFlows`: whether the flows the collector serves define the badge; false for a retired one
   * (its earners are real) or a made-up one (a forged `Badge Earned`): listed after the flows' own,
   * and left out of `badgeEarners`. Null when the flows define no badge: nothing to judge by.
   */
  badges: { badgeId: string; title: string | null; inFlows: boolean | null; earned: number; share: number | null }[];
  levels: { level: string; reached: number }[];
}

type TotalsRow = { active_users: number; earners: number };
type BadgeRow = { badge_id: string; earned: number; share: number | null };
/** `points`: the fewest a `Level Reached` of that level was sent with (the browser's say). */
type LevelRow = { level: string; reached: number; points: number | null };


/**
 * Levels from the lowest threshold up: the flows' threshold where they still have the level, else
 * the points it was sent with. Not those alone: one step that crosses two levels names both with
 * the same total (they tied, and sorted by name), and a browser can claim any number.
 */
function byThreshold(rows: readonly LevelRow[], catalog: FlowsCatalog): LevelRow[] {
  const threshold = new Map(catalog.levels.flatMap((l) => (typeof l.points === 'number' ? [[l.name, l.points] as const] : [])));
  const at = (r: LevelRow) => threshold.get(r.level) ?? (r.points == null ? Infinity : Number(r.points));
  return [...rows].sort((a, b) => at(a) - at(b) || (a.level < b.level ? -1 : a.level > b.level ? 1 : 0));
}

/**
 * CTE `firsts` (person, event, grant_id, at): when each person first earned each badge or reached
 * each level, from `source` (its time column `at`, its grant column `grant`) before the range
 * end. A grant counts in the range it was first made in: the same badge sent again later (a
 * visitor's grant and the same one under the user it was linked to) earned nothing new.
 */
const firstGrantsCte = (source: string, grant: string, at: string, end: string) => `
  firsts as (
    select person, event, ${grant} as grant_id, min(${at}) as at from ${source}
    where event in ('Badge Earned', 'Level Reached') and ${at} < ${end}
    group by 1, 2, 3)`;

/**
 * The condition on `firsts` that keeps the grants `badgeEarners` counts: the badges of the flows,
 * or any when they define none (a collector serving no flows has no say on which are real).
 */
function earnerBadges(catalog: FlowsCatalog, p: SqlParams): string {
  return catalog.badges.length === 0 ? 'true' : `grant_id = any(${p.add(catalog.badges.map((b) => b.id))}::text[])`;
}

function fromEvents({ db, filter, catalog }: InsightContext & { catalog: FlowsCatalog }) {
  const p = new SqlParams();
  const { ctes, from, to } = scopeCtes(filter, p);
  const firsts = firstGrantsCte('keyed', `case when event = 'Badge Earned' then properties ->> 'badgeId'
    else coalesce(properties ->> 'levelName', properties ->> 'level') end`, 'ts', to);
  const earned = `firsts where at >= ${from}`;
  // bound for the totals alone: a parameter a statement does not use has no type to bind
  const withBadges = new SqlParams();
  withBadges.values.push(...p.values);
  const counted = earnerBadges(catalog, withBadges);
  return Promise.all([
    db.query<TotalsRow>(
      `with ${ctes}, ${firsts}
       select (select count(distinct person) from scoped)::int as active_users,
              (select count(distinct person) from ${earned} and event = 'Badge Earned' and ${counted})::int as earners`,
      withBadges.values,
    ),
    db.query<BadgeRow>(
      `with ${ctes}, ${firsts}
       select grant_id as badge_id, count(*)::int as earned,
              round(count(*)::numeric / nullif((select count(distinct person) from scoped), 0), 4) as share
       from ${earned} and event = 'Badge Earned' and grant_id is not null
       group by 1 order by 2 desc, 1`,
      p.values,
    ),
    db.query<LevelRow>(
      `with ${ctes}, ${firsts},
       level_points as (
         select coalesce(properties ->> 'levelName', properties ->> 'level') as level, min(${jsonNumber(`properties ->> 'points'`)}) as points
         from scoped where event = 'Level Reached' group by 1)
       select f.grant_id as level, count(*)::int as reached, min(lp.points) as points
       from firsts f left join level_points lp on lp.level = f.grant_id
       where f.at >= ${from} and f.event = 'Level Reached' and f.grant_id is not null
       group by 1 order by points nulls last, 1`,
      p.values,
    ),
  ]);
}

async function fromRollups({ db, filter, catalog }: InsightContext & { catalog: FlowsCatalog }) {
  const p = new SqlParams();
  const scope = rollupScope(filter, p);
  const counted = earnerBadges(catalog, p);
  const { fromDay, toDay } = scope;
  const inRange = `day >= ${fromDay} and day < ${toDay}`;
  // Days, not times: a first grant on the range's first day is in it either way.
  const earned = `firsts where at >= ${fromDay}`;
  // One statement: the people active in the range (one row each, insights/person-activity.ts)
  // are counted once for the totals and every badge's share.
  const { rows } = await db.query<{ totals: TotalsRow; badges: BadgeRow[]; levels: LevelRow[] }>(
    `with ${scope.ctes}, ${activePeopleCte('active_people', scope.personWhere, fromDay, `(${toDay} - ${fromDay})`)},
     active as materialized (select count(*) as n from active_people),
     ${firstGrantsCte('event_days', 'dim', 'day', toDay)}
     select
       (select json_build_object('active_users', (select n from active)::int,
          'earners', (select count(distinct person) from ${earned} and event = 'Badge Earned' and ${counted})::int)) as totals,
       (select coalesce(json_agg(b order by b.earned desc, b.badge_id), '[]'::json) from (
          select grant_id as badge_id, count(*)::int as earned,
                 round(count(*)::numeric / nullif((select n from active), 0), 4) as share
          from ${earned} and event = 'Badge Earned' and grant_id is not null
          group by 1) b) as badges,
       (select coalesce(json_agg(l order by l.points nulls last, l.level), '[]'::json) from (
          select f.grant_id as level, count(*)::int as reached, min(lp.points) as points
          from firsts f
          left join (select dim, min(detail::float8) as points from event_days
                     where event = 'Level Reached' and ${inRange} group by 1) lp on lp.dim = f.grant_id
          where f.at >= ${fromDay} and f.event = 'Level Reached' and f.grant_id is not null
          group by 1) l) as levels`,
    p.values,
  );
  return [{ rows: rows[0] ? [rows[0].totals] : [] }, { rows: rows[0]?.badges ?? [] }, { rows: rows[0]?.levels ?? [] }] as const;
}

export async function gamification(context: InsightContext & { catalog: FlowsCatalog }): Promise<GamificationInsight> {
  const { catalog } = context;
  const [totals, badges, levels] = await (context.source === 'rollups' ? fromRollups(context) : fromEvents(context));
  const titles = new Map(catalog.badges.map((b) => [b.id, b.title ?? null]));
  const inFlows = (id: string) => (catalog.badges.length === 0 ? null : titles.has(id));
  return {
    activeUsers: totals.rows[0]?.active_users ?? 0,
    badgeEarners: totals.rows[0]?.earners ?? 0,
    badges: badges.rows
      .map((r) => ({ badgeId: r.badge_id, title: titles.get(r.badge_id) ?? null, inFlows: inFlows(r.badge_id), earned: r.earned, share: r.share }))
      // the flows' own first (most earned first, as the query ordered them), then the rest
      .sort((a, b) => Number(a.inFlows === false) - Number(b.inFlows === false)),
    levels: byThreshold(levels.rows, catalog).map((r) => ({ level: r.level, reached: r.reached })),
  };
}
