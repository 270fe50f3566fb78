import type { InsightContext } from './context.ts';
import { activePeopleCte } from './person-activity.ts';
import { rollupScope } from './rollup-scope.ts';
import { jsonNumber, scopeCtes } from './scope.ts';
import { SqlParams } from './sql-params.ts';

export interface GamificationInsight {
  activeUsers: number;
  /** People who earned at least one badge in the range. */
  badgeEarners: number;
  badges: { badgeId: string; title: string | null; earned: number; share: number | null }[];
  levels: { level: string; reached: number }[];
}

type TotalsRow = { active_users: number; earners: number };
type BadgeRow = { badge_id: string; earned: number; share: number | null };
type LevelRow = { level: string; reached: number };

function fromEvents({ db, filter }: InsightContext) {
  const p = new SqlParams();
  const { ctes } = scopeCtes(filter, p);
  return Promise.all([
    db.query<TotalsRow>(
      `with ${ctes}
       select count(distinct person)::int as active_users,
              count(distinct person) filter (where event = 'Badge Earned')::int as earners
       from scoped`,
      p.values,
    ),
    db.query<BadgeRow>(
      `with ${ctes}
       select properties ->> 'badgeId' as badge_id, count(distinct person)::int as earned,
              round(count(distinct person)::numeric / nullif((select count(distinct person) from scoped), 0), 4) as share
       from scoped where event = 'Badge Earned' and properties ->> 'badgeId' is not null
       group by 1 order by 2 desc, 1`,
      p.values,
    ),
    db.query<LevelRow>(
      `with ${ctes}
       select coalesce(properties ->> 'levelName', properties ->> 'level') as level,
              count(distinct person)::int as reached,
              min(${jsonNumber(`properties ->> 'points'`)}) as points
       from scoped where event = 'Level Reached' and coalesce(properties ->> 'levelName', properties ->> 'level') is not null
       group by 1 order by points nulls last, 1`,
      p.values,
    ),
  ]);
}

async function fromRollups({ db, filter }: InsightContext) {
  const p = new SqlParams();
  const scope = rollupScope(filter, p);
  const { fromDay, toDay } = scope;
  const inRange = `day >= ${fromDay} and day < ${toDay}`;
  // One statement: the people active in the range (one row each, insights/person-activity.ts)
  // are counted once for the totals and every badge's share.
  const { rows } = await db.query<{ totals: TotalsRow; badges: BadgeRow[]; levels: LevelRow[] }>(
    `with ${scope.ctes}, ${activePeopleCte('active_people', scope.personWhere, fromDay, `(${toDay} - ${fromDay})`)},
     active as materialized (select count(*) as n from active_people)
     select
       (select json_build_object('active_users', (select n from active)::int,
          'earners', (select count(distinct person) from event_days where event = 'Badge Earned' and ${inRange})::int)) as totals,
       (select coalesce(json_agg(b order by b.earned desc, b.badge_id), '[]'::json) from (
          select dim as badge_id, count(distinct person)::int as earned,
                 round(count(distinct person)::numeric / nullif((select n from active), 0), 4) as share
          from event_days where event = 'Badge Earned' and dim is not null and ${inRange}
          group by 1) b) as badges,
       (select coalesce(json_agg(l order by l.points nulls last, l.level), '[]'::json) from (
          select dim as level, count(distinct person)::int as reached, min(detail::float8) as points
          from event_days where event = 'Level Reached' and dim is not null and ${inRange}
          group by 1) l) as levels`,
    p.values,
  );
  return [{ rows: rows[0] ? [rows[0].totals] : [] }, { rows: rows[0]?.badges ?? [] }, { rows: rows[0]?.levels ?? [] }] as const;
}

export async function gamification(context: InsightContext): Promise<GamificationInsight> {
  const { catalog } = context;
  const [totals, badges, levels] = await (context.source === 'rollups' ? fromRollups(context) : fromEvents(context));
  const titles = new Map(catalog.badges.map((b) => [b.id, b.title ?? null]));
  return {
    activeUsers: totals.rows[0]?.active_users ?? 0,
    badgeEarners: totals.rows[0]?.earners ?? 0,
    badges: badges.rows.map((r) => ({ badgeId: r.badge_id, title: titles.get(r.badge_id) ?? null, earned: r.earned, share: r.share })),
    levels: levels.rows.map((r) => ({ level: r.level, reached: r.reached })),
  };
}
