import type { InsightContext } from './context.ts';
import { jsonNumber, scopeCtes } from './scope.ts';
import { SqlParams } from './sql-params.ts';

export interface GuidanceInsight {
  tours: {
    tourId: string;
    started: number;
    completed: number;
    dismissed: number;
    targetMissing: number;
    completionRate: number | null;
    dismissalRate: number | null;
    /** Views per step index, for the drop-off between steps. */
    stepViews: { stepIndex: number; views: number }[];
  }[];
}

/** Counts tour runs (events), not people: a tour that repeats is judged on each showing. */
export async function guidance({ db, filter }: InsightContext): Promise<GuidanceInsight> {
  const p = new SqlParams();
  const { ctes } = scopeCtes(filter, p);
  const [tours, steps] = await Promise.all([
    db.query<{ tour_id: string; started: number; completed: number; dismissed: number; missing: number; completion_rate: number | null; dismissal_rate: number | null }>(
      `with ${ctes}
       select properties ->> 'tourId' as tour_id,
              count(*) filter (where event = 'Tour Started')::int as started,
              count(*) filter (where event = 'Tour Completed')::int as completed,
              count(*) filter (where event = 'Tour Dismissed')::int as dismissed,
              count(*) filter (where event = 'Tour Target Missing')::int as missing,
              round(count(*) filter (where event = 'Tour Completed')::numeric
                / nullif(count(*) filter (where event = 'Tour Started'), 0), 4) as completion_rate,
              round(count(*) filter (where event = 'Tour Dismissed')::numeric
                / nullif(count(*) filter (where event = 'Tour Started'), 0), 4) as dismissal_rate
       from scoped where event like 'Tour %' and properties ->> 'tourId' is not null
       group by 1 order by 2 desc, 1`,
      p.values,
    ),
    db.query<{ tour_id: string; step_index: number; views: number }>(
      `with ${ctes}
       select properties ->> 'tourId' as tour_id, ${jsonNumber(`properties ->> 'stepIndex'`)}::int as step_index,
              count(*)::int as views
       from scoped where event = 'Tour Step Viewed' and ${jsonNumber(`properties ->> 'stepIndex'`)} is not null
       group by 1, 2 order by 1, 2`,
      p.values,
    ),
  ]);
  return {
    tours: tours.rows.map((r) => ({
      tourId: r.tour_id,
      started: r.started,
      completed: r.completed,
      dismissed: r.dismissed,
      targetMissing: r.missing,
      completionRate: r.completion_rate,
      dismissalRate: r.dismissal_rate,
      stepViews: steps.rows.filter((s) => s.tour_id === r.tour_id).map((s) => ({ stepIndex: s.step_index, views: s.views })),
    })),
  };
}
