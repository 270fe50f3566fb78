import { dismissalReason } from '../db/rollups.ts';
import type { InsightContext } from './context.ts';
import { rollupScope } from './rollup-scope.ts';
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

/**
 * The user's own dismissals: the tour's close button or Escape (`reason` close or escape; none
 * from releases before the reason was sent). Not a tour the cancel flow pushed aside
 * (`preempted-by:…`) or one whose target never appeared (`target-missing`): the user did not say no.
 */
const byTheUser = (reason: string) => `(${reason} is null or ${reason} in ('close', 'escape'))`;

type TourRow = { tour_id: string; started: number; completed: number; dismissed: number; missing: number; completion_rate: number | null; dismissal_rate: number | null };
type StepRow = { tour_id: string; step_index: number; views: number };

const rates = (started: string, completed: string, dismissed: string) => `
  round(${completed}::numeric / nullif(${started}, 0), 4) as completion_rate,
  round(${dismissed}::numeric / nullif(${started}, 0), 4) as dismissal_rate`;

function fromEvents({ db, filter }: InsightContext) {
  const p = new SqlParams();
  const { ctes } = scopeCtes(filter, p);
  const count = (event: string) => `count(*) filter (where event = '${event}')`;
  const dismissed = `count(*) filter (where event = 'Tour Dismissed' and ${byTheUser(dismissalReason('properties'))})`;
  return Promise.all([
    db.query<TourRow>(
      `with ${ctes}
       select properties ->> 'tourId' as tour_id,
              ${count('Tour Started')}::int as started,
              ${count('Tour Completed')}::int as completed,
              ${dismissed}::int as dismissed,
              ${count('Tour Target Missing')}::int as missing,
              ${rates(count('Tour Started'), count('Tour Completed'), dismissed)}
       from scoped where event like 'Tour %' and properties ->> 'tourId' is not null
       group by 1 order by 2 desc, 1`,
      p.values,
    ),
    db.query<StepRow>(
      `with ${ctes}
       select properties ->> 'tourId' as tour_id, ${jsonNumber(`properties ->> 'stepIndex'`)}::int as step_index,
              count(*)::int as views
       from scoped where event = 'Tour Step Viewed' and ${jsonNumber(`properties ->> 'stepIndex'`)} is not null
       group by 1, 2 order by 1, 2`,
      p.values,
    ),
  ]);
}

function fromRollups({ db, filter }: InsightContext) {
  const p = new SqlParams();
  const { ctes, fromDay, toDay } = rollupScope(filter, p);
  const inRange = `day >= ${fromDay} and day < ${toDay}`;
  const count = (event: string) => `coalesce(sum(n) filter (where event = '${event}'), 0)`;
  const dismissed = `coalesce(sum(n) filter (where event = 'Tour Dismissed' and ${byTheUser('detail')}), 0)`;
  return Promise.all([
    db.query<TourRow>(
      `with ${ctes}
       select dim as tour_id,
              ${count('Tour Started')}::int as started,
              ${count('Tour Completed')}::int as completed,
              ${dismissed}::int as dismissed,
              ${count('Tour Target Missing')}::int as missing,
              ${rates(count('Tour Started'), count('Tour Completed'), dismissed)}
       from event_counts where event like 'Tour %' and dim is not null and ${inRange}
       group by 1 order by 2 desc, 1`,
      p.values,
    ),
    db.query<StepRow>(
      `with ${ctes}
       select dim as tour_id, detail::int as step_index, sum(n)::int as views
       from event_counts where event = 'Tour Step Viewed' and detail is not null and ${inRange}
       group by 1, 2 order by 1, 2`,
      p.values,
    ),
  ]);
}

/** Counts tour runs (events), not people: a tour that repeats is judged on each showing. */
export async function guidance(context: InsightContext): Promise<GuidanceInsight> {
  const [tours, steps] = await (context.source === 'rollups' ? fromRollups(context) : fromEvents(context));
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
