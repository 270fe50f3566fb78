import type { InsightContext } from './context.ts';
import { jsonNumber, scopeCtes } from './scope.ts';
import { SqlParams } from './sql-params.ts';

export interface GamificationInsight {
  activeUsers: number;
  /** People who earned at least one badge in the range. */
  badgeEarners: number;
  badges: { badgeId: string; title: string | null; earned: number; share: number | null }[];
  levels: { level: string; reached: number }[];
}

export async function gamification({ db, filter, catalog }: InsightContext): Promise<GamificationInsight> {
  const p = new SqlParams();
  const { ctes } = scopeCtes(filter, p);
  const [totals, badges, levels] = await Promise.all([
    db.query<{ active_users: number; earners: number }>(
      `with ${ctes}
       select count(distinct person)::int as active_users,
              count(distinct person) filter (where event = 'Badge Earned')::int as earners
       from scoped`,
      p.values,
    ),
    db.query<{ badge_id: string; earned: number; share: number | null }>(
      `with ${ctes}
       select properties ->> 'badgeId' as badge_id, count(distinct person)::int as earned,
              round(count(distinct person)::numeric / nullif((select count(distinct person) from scoped), 0), 4) as share
       from scoped where event = 'Badge Earned' and properties ->> 'badgeId' is not null
       group by 1 order by 2 desc, 1`,
      p.values,
    ),
    db.query<{ level: string; reached: number }>(
      `with ${ctes}
       select coalesce(properties ->> 'levelName', properties ->> 'level') as level,
              count(distinct person)::int as reached,
              min(${jsonNumber(`properties ->> 'points'`)}) as points
       from scoped where event = 'Level Reached' and coalesce(properties ->> 'levelName', properties ->> 'level') is not null
       group by 1 order by points nulls last, 1`,
      p.values,
    ),
  ]);
  const titles = new Map(catalog.badges.map((b) => [b.id, b.title ?? null]));
  return {
    activeUsers: totals.rows[0]?.active_users ?? 0,
    badgeEarners: totals.rows[0]?.earners ?? 0,
    badges: badges.rows.map((r) => ({ badgeId: r.badge_id, title: titles.get(r.badge_id) ?? null, earned: r.earned, share: r.share })),
    levels: levels.rows.map((r) => ({ level: r.level, reached: r.reached })),
  };
}
