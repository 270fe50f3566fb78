import type { Queryable, SqlValue } from '../db/database.ts';
import { ratio } from './ratio.ts';

export interface RecoveredPayments {
  /** People shown a past-due prompt (`Payment Prompt Shown`, stage banner or wall) in the range: the n. */
  prompted: number;
  /** …of whom a `Payment Prompt Resolved` followed (their paymentStatus became active or trialing), before the range end. */
  recovered: number;
  recoveryRate: number | null;
  /** The same split by the furthest a person got: the banner only, or the blocking wall. */
  byStage: { stage: 'banner' | 'wall'; prompted: number; recovered: number; recoveryRate: number | null }[];
}

/** Past due → resolved after a prompt. Needs the `keyed`/`scoped` CTEs and the range bounds. */
export async function recoveredPayments(db: Queryable, ctes: string, from: string, to: string, values: SqlValue[]): Promise<RecoveredPayments> {
  const { rows } = await db.query<{ stage: 'banner' | 'wall'; prompted: number; recovered: number }>(
    `with ${ctes},
     prompted as (
       select person, min(ts) as first_prompt, bool_or(properties ->> 'stage' = 'wall') as walled
       from scoped where event = 'Payment Prompt Shown' and properties ->> 'stage' in ('banner', 'wall')
       group by person),
     outcome as (
       select p.person, p.walled, count(r.id) > 0 as recovered
       from prompted p
       left join keyed r on r.event = 'Payment Prompt Resolved' and r.person = p.person and r.ts >= ${from} and r.ts >= p.first_prompt and r.ts < ${to}
       group by p.person, p.walled)
     select case when walled then 'wall' else 'banner' end as stage, count(*)::int as prompted,
            count(*) filter (where recovered)::int as recovered
     from outcome group by 1 order by 1`,
    values,
  );
  const prompted = rows.reduce((n, r) => n + r.prompted, 0);
  const recovered = rows.reduce((n, r) => n + r.recovered, 0);
  return {
    prompted,
    recovered,
    recoveryRate: ratio(recovered, prompted),
    byStage: (['banner', 'wall'] as const).map((stage) => {
      const r = rows.find((x) => x.stage === stage);
      return { stage, prompted: r?.prompted ?? 0, recovered: r?.recovered ?? 0, recoveryRate: ratio(r?.recovered ?? 0, r?.prompted ?? 0) };
    }),
  };
}
