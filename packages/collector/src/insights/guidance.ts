import { dismissalReason, skippedStepsDetail, tourRunFacts, tourRunId } from '../db/rollups.ts';
import type { InsightContext } from './context.ts';
import { ratio } from './ratio.ts';
import { rollupScope } from './rollup-scope.ts';
import { jsonNumber, scopeCtes } from './scope.ts';
import { SqlParams } from './sql-params.ts';

export interface GuidanceInsight {
  tours: {
    tourId: string;
    started: number;
    /** Runs finished with every step seen. */
    completed: number;
    /**
     * Runs finished (Done on the last step) with a middle step skipped for its missing target; from
     * senders that name no run, such completions in the range (capped, with the whole ones, at the starts).
     */
    completedWithSkips: number;
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

/** A `Tour Completed` that skipped no step, as the day rollups tell it apart (db/rollups.ts). */
const seenWhole = (properties: string) => `(${skippedStepsDetail(properties)}) is null`;

type TourRow = { tour_id: string; started: number; completed: number; with_skips: number; dismissed: number; missing: number };
type RunRow = { tour_id: string; started: number; completed: number; dismissed: number; with_skips: number };
type StepRow = { tour_id: string; step_index: number; views: number };

/**
 * The tour runs an SDK named (`runId`), from `keyed` and `scoped` (the fact events both sources
 * have, so both count them alike): `runs`, per tour, the runs started in the range and how many
 * of them were completed or dismissed by the user, at any time since (not only in the range);
 * `runSteps`, how many of those runs viewed each step (once however often Back and Next came
 * back to it); `named` and `namedSteps`, the events of named runs in the range, which the
 * per-event counts also hold. A run is its person's: an event naming someone else's run is not
 * that run's ending.
 */
function namedRuns(ctes: string) {
  const runId = tourRunId('properties');
  const named = `${tourRunFacts('event', 'properties')} and properties ->> 'tourId' is not null`;
  const stepIndex = `${jsonNumber(`properties ->> 'stepIndex'`)}::int`;
  const skipped = jsonNumber(`properties ->> 'stepsSkipped'`);
  const whole = seenWhole('properties');
  const starts = `with ${ctes},
       run_starts as (
         select person, properties ->> 'tourId' as tour_id, ${runId} as run_id from scoped
         where event = 'Tour Started' and ${named}
         group by 1, 2, 3),
       run_events as (
         select person, properties ->> 'tourId' as tour_id, ${runId} as run_id, event, properties from keyed
         where event in ('Tour Step Viewed', 'Tour Completed', 'Tour Dismissed') and ${named}
           and ${runId} in (select run_id from run_starts))`;
  return {
    runs: `${starts},
       run_ends as (
         -- finished whole, or with a step the user never saw (its target missing: stepsSkipped)
         select person, tour_id, run_id, bool_or(event = 'Tour Completed' and coalesce(${skipped}, 0) = 0) as completed,
                bool_or(event = 'Tour Completed' and ${skipped} > 0) as skipped_done,
                bool_or(event = 'Tour Dismissed' and ${byTheUser(dismissalReason('properties'))}) as dismissed
         from run_events group by 1, 2, 3)
       select s.tour_id, count(*)::int as started,
              count(*) filter (where e.completed)::int as completed,
              count(*) filter (where e.skipped_done and not e.completed)::int as with_skips,
              count(*) filter (where e.dismissed)::int as dismissed
       from run_starts s left join run_ends e on e.person = s.person and e.tour_id = s.tour_id and e.run_id = s.run_id
       group by 1`,
    runSteps: `${starts}
       select s.tour_id, ${stepIndex} as step_index, count(distinct (s.person, s.run_id))::int as views
       from run_starts s join run_events e on e.person = s.person and e.tour_id = s.tour_id and e.run_id = s.run_id
       where e.event = 'Tour Step Viewed' and ${stepIndex} is not null
       group by 1, 2`,
    named: `with ${ctes}
       select properties ->> 'tourId' as tour_id,
              count(*) filter (where event = 'Tour Started')::int as started,
              count(*) filter (where event = 'Tour Completed' and ${whole})::int as completed,
              count(*) filter (where event = 'Tour Completed' and not ${whole})::int as with_skips,
              count(*) filter (where event = 'Tour Dismissed' and ${byTheUser(dismissalReason('properties'))})::int as dismissed
       from scoped where ${named}
       group by 1`,
    namedSteps: `with ${ctes}
       select properties ->> 'tourId' as tour_id, ${stepIndex} as step_index, count(*)::int as views
       from scoped where event = 'Tour Step Viewed' and ${named} and ${stepIndex} is not null
       group by 1, 2`,
  };
}

function fromEvents({ db, filter }: InsightContext) {
  const p = new SqlParams();
  const { ctes } = scopeCtes(filter, p);
  const runs = namedRuns(ctes);
  const count = (event: string) => `count(*) filter (where event = '${event}')`;
  const dismissed = `count(*) filter (where event = 'Tour Dismissed' and ${byTheUser(dismissalReason('properties'))})`;
  return Promise.all([
    db.query<TourRow>(
      `with ${ctes}
       select properties ->> 'tourId' as tour_id,
              ${count('Tour Started')}::int as started,
              count(*) filter (where event = 'Tour Completed' and ${seenWhole('properties')})::int as completed,
              count(*) filter (where event = 'Tour Completed' and not ${seenWhole('properties')})::int as with_skips,
              ${dismissed}::int as dismissed,
              ${count('Tour Target Missing')}::int as missing
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
    db.query<RunRow>(runs.runs, p.values),
    db.query<RunRow>(runs.named, p.values),
    db.query<StepRow>(runs.runSteps, p.values),
    db.query<StepRow>(runs.namedSteps, p.values),
  ]);
}

function fromRollups({ db, filter }: InsightContext) {
  const p = new SqlParams();
  const { ctes, fromDay, toDay } = rollupScope(filter, p);
  const runs = namedRuns(ctes);
  const inRange = `day >= ${fromDay} and day < ${toDay}`;
  const count = (event: string) => `coalesce(sum(n) filter (where event = '${event}'), 0)`;
  const dismissed = `coalesce(sum(n) filter (where event = 'Tour Dismissed' and ${byTheUser('detail')}), 0)`;
  return Promise.all([
    db.query<TourRow>(
      `with ${ctes}
       select dim as tour_id,
              ${count('Tour Started')}::int as started,
              coalesce(sum(n) filter (where event = 'Tour Completed' and detail is null), 0)::int as completed,
              coalesce(sum(n) filter (where event = 'Tour Completed' and detail is not null), 0)::int as with_skips,
              ${dismissed}::int as dismissed,
              ${count('Tour Target Missing')}::int as missing
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
    db.query<RunRow>(runs.runs, p.values),
    db.query<RunRow>(runs.named, p.values),
    db.query<StepRow>(runs.runSteps, p.values),
    db.query<StepRow>(runs.namedSteps, p.values),
  ]);
}

/**
 * How one tour's runs went. A named run (`runId`, current SDKs) counts in the range it started
 * in, with how it ended whenever that was: no rate can pass 100%. Events without a run id (older
 * SDKs) cannot be tied to their start, so they are counted as events in the range, as before:
 * those that remain once the named runs' own events are taken out of the per-event counts. Their
 * completions and dismissals are capped at their starts: a run started before the range and
 * ended in it would otherwise count an ending with no start (a rate over 100%); within the cap,
 * such endings stand in for the range's runs that end after it, as they did before.
 */
function tourRuns(events: TourRow, runs: RunRow | undefined, named: RunRow | undefined) {
  const legacy = (n: 'started' | 'completed' | 'with_skips' | 'dismissed') => Math.max(0, events[n] - (named?.[n] ?? 0));
  const started = legacy('started') + (runs?.started ?? 0);
  const legacyCompleted = Math.min(legacy('completed'), legacy('started'));
  const completed = legacyCompleted + (runs?.completed ?? 0);
  const dismissed = Math.min(legacy('dismissed'), legacy('started')) + (runs?.dismissed ?? 0);
  // Done after a skipped step is not a tour seen whole: apart, and out of the completion rate;
  // with the whole ones, never more endings than starts.
  const completedWithSkips = Math.min(legacy('with_skips'), legacy('started') - legacyCompleted) + (runs?.with_skips ?? 0);
  return { started, completed, completedWithSkips, dismissed, completionRate: ratio(completed, started), dismissalRate: ratio(dismissed, started) };
}

/**
 * Views per step: of the named runs started in the range, how many viewed it; plus the views of
 * events without a run id in the range (the per-event counts less the named runs' own).
 */
function stepViews(tourId: string, events: StepRow[], runs: StepRow[], named: StepRow[]) {
  const at = (rows: StepRow[], stepIndex: number) => rows.find((r) => r.tour_id === tourId && r.step_index === stepIndex)?.views ?? 0;
  const indexes = new Set([...events, ...runs].filter((r) => r.tour_id === tourId).map((r) => r.step_index));
  return [...indexes]
    .sort((a, b) => a - b)
    .map((stepIndex) => ({ stepIndex, views: Math.max(0, at(events, stepIndex) - at(named, stepIndex)) + at(runs, stepIndex) }))
    .filter((s) => s.views > 0);
}

/** Counts tour runs, not people: a tour that repeats is judged on each showing. */
export async function guidance(context: InsightContext): Promise<GuidanceInsight> {
  const [tours, steps, runs, named, runSteps, namedSteps] = await (context.source === 'rollups' ? fromRollups(context) : fromEvents(context));
  const byTour = (rows: RunRow[], tourId: string) => rows.find((r) => r.tour_id === tourId);
  return {
    tours: tours.rows
      .map((r) => ({
        tourId: r.tour_id,
        ...tourRuns(r, byTour(runs.rows, r.tour_id), byTour(named.rows, r.tour_id)),
        targetMissing: r.missing,
        stepViews: stepViews(r.tour_id, steps.rows, runSteps.rows, namedSteps.rows),
      }))
      // most runs first, then by id (in JavaScript's order, so both sources list alike)
      .sort((a, b) => b.started - a.started || (a.tourId < b.tourId ? -1 : a.tourId > b.tourId ? 1 : 0)),
  };
}
