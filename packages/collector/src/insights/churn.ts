import { cancelSessionsCte } from './cancel-sessions.ts';
import type { InsightContext } from './context.ts';
import { rollupScope } from './rollup-scope.ts';
import { scopeCtes } from './scope.ts';
import { SqlParams } from './sql-params.ts';

export interface ChurnInsight {
  sessions: number;
  outcomes: { saved: number; cancelled: number; abandoned: number };
  /** saved / sessions: only an explicit save counts, an abandoned flow is not a win. */
  saveRate: number | null;
  reasons: { reasonId: string; sessions: number; share: number | null; saved: number; saveRate: number | null }[];
  acceptedOffers: { offerKind: string; count: number }[];
  variants: { variant: string; sessions: number; saved: number; cancelled: number; saveRate: number | null }[];
  /** People active in the range who cancelled, per value of the `by` trait (default plan). */
  bySegment: { trait: string; values: { value: string; activeUsers: number; cancelled: number; churnRate: number | null }[] };
}

/** Cancellation flows started in the range, whatever day they ended on. */
export async function churn({ db, filter, query, source }: InsightContext): Promise<ChurnInsight> {
  const p = new SqlParams();
  const rollups = source === 'rollups' ? rollupScope(filter, p) : undefined;
  const scope = rollups ?? scopeCtes(filter, p);
  const { ctes, key, from, to } = scope;
  // Cancellation events are fact events either way; "active in the range" comes from the activity rollup.
  const activePeople = rollups
    ? `people as (select distinct person from active_days where day >= ${rollups.fromDay} and day < ${rollups.toDay})`
    : 'people as (select distinct person from scoped)';
  const by = query.get('by') || 'plan';
  const base = `with ${ctes}, ${cancelSessionsCte(to)},
    in_range as (select * from cancel_sessions where started_at >= ${from})`;
  // Bound only for the query that uses it: PostgreSQL refuses a parameter it cannot type.
  const segmentParams = [...p.values, by];
  const trait = `$${segmentParams.length}`;

  const [totals, reasons, offers, variants, segments] = await Promise.all([
    db.query<{ sessions: number; saved: number; cancelled: number; abandoned: number; save_rate: number | null }>(
      `${base}
       select count(*)::int as sessions,
              count(*) filter (where outcome = 'saved')::int as saved,
              count(*) filter (where outcome = 'cancelled')::int as cancelled,
              count(*) filter (where outcome = 'abandoned')::int as abandoned,
              round(count(*) filter (where outcome = 'saved')::numeric / nullif(count(*), 0), 4) as save_rate
       from in_range`,
      p.values,
    ),
    db.query<{ reason: string; sessions: number; share: number | null; saved: number; save_rate: number | null }>(
      `${base}
       select reason, count(*)::int as sessions,
              round(count(*)::numeric / nullif(sum(count(*)) over (), 0), 4) as share,
              count(*) filter (where outcome = 'saved')::int as saved,
              round(count(*) filter (where outcome = 'saved')::numeric / count(*), 4) as save_rate
       from in_range where reason is not null group by reason order by sessions desc, reason`,
      p.values,
    ),
    db.query<{ offer_kind: string; count: number }>(
      `${base}
       select accepted_offer as offer_kind, count(*)::int as count
       from in_range where accepted_offer is not null group by 1 order by 2 desc, 1`,
      p.values,
    ),
    db.query<{ variant: string; sessions: number; saved: number; cancelled: number; save_rate: number | null }>(
      `${base}
       select variant, count(*)::int as sessions,
              count(*) filter (where outcome = 'saved')::int as saved,
              count(*) filter (where outcome = 'cancelled')::int as cancelled,
              round(count(*) filter (where outcome = 'saved')::numeric / count(*), 4) as save_rate
       from in_range where variant is not null group by 1 order by 1`,
      p.values,
    ),
    db.query<{ value: string; active_users: number; cancelled: number; churn_rate: number | null }>(
      `${base},
       ${activePeople},
       valued as (
         select pe.person, coalesce(ut.traits ->> ${trait},
           (select min(g.traits ->> ${trait}) from memberships m
              join group_traits g on g.write_key = m.write_key and g.group_id = m.group_id
              where m.write_key = ${key} and m.person = pe.person), '(none)') as value
         from people pe left join user_traits ut on ut.write_key = ${key} and ut.person = pe.person),
       cancelled as (select distinct person from in_range where outcome = 'cancelled')
       select v.value, count(*)::int as active_users, count(c.person)::int as cancelled,
              round(count(c.person)::numeric / count(*), 4) as churn_rate
       from valued v left join cancelled c on c.person = v.person
       group by v.value order by active_users desc, v.value`,
      segmentParams,
    ),
  ]);

  const t = totals.rows[0];
  return {
    sessions: t?.sessions ?? 0,
    outcomes: { saved: t?.saved ?? 0, cancelled: t?.cancelled ?? 0, abandoned: t?.abandoned ?? 0 },
    saveRate: t?.save_rate ?? null,
    reasons: reasons.rows.map((r) => ({ reasonId: r.reason, sessions: r.sessions, share: r.share, saved: r.saved, saveRate: r.save_rate })),
    acceptedOffers: offers.rows.map((r) => ({ offerKind: r.offer_kind, count: r.count })),
    variants: variants.rows.map((r) => ({ variant: r.variant, sessions: r.sessions, saved: r.saved, cancelled: r.cancelled, saveRate: r.save_rate })),
    bySegment: {
      trait: by,
      values: segments.rows.map((r) => ({ value: r.value, activeUsers: r.active_users, cancelled: r.cancelled, churnRate: r.churn_rate })),
    },
  };
}
