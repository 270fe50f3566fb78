import type { InsightContext } from './context.ts';
import { notPutAway } from '../db/fact-rollups.ts';
import { ratio } from './ratio.ts';
import { rollupScope } from './rollup-scope.ts';
import { scopeCtes } from './scope.ts';
import { SqlParams } from './sql-params.ts';

export interface ActivationInsight {
  /**
   * People who signed up in the range (their `createdAt` trait; without one that reads as a date,
   * first seen in it), seen by its end: the cohort every rate below divides by.
   */
  newUsers: number;
  checklists: {
    id: string;
    title: string | null;
    /** Cohort members who completed at least one task. */
    started: number;
    completed: number;
    dismissed: number;
    completionRate: number | null;
    /** Median time from first seen to checklist completed, for the cohort members who did. */
    medianSecondsToComplete: number | null;
    tasks: { id: string; title: string | null; completed: number; rate: number | null }[];
  }[];
}

/**
 * When a person signed up, from a `createdAt` trait (`traits` a jsonb expression), read as the
 * SDK's rules read it: a date (its day, midnight UTC; a date-time counts by its UTC day too, as the
 * range's days are whole UTC days), or a number of Unix seconds (below 1e11) or milliseconds; null when it
 * is neither. Built from its parts, so a day that does not exist (02-31) rolls over instead of
 * failing the whole answer, as pauses.ts reads `resumesAt`.
 */
function createdAt(traits: string): string {
  const v = `(${traits} -> 'createdAt')`;
  const s = `(${traits} ->> 'createdAt')`;
  const day = `(make_date(substr(${s}, 1, 4)::int, substr(${s}, 6, 2)::int, 1) + (substr(${s}, 9, 2)::int - 1))::timestamp`;
  // A time with an offset is an instant: 8 pm in San Francisco on the 28th is the 1st in UTC, the
  // range's days (the SDK's rules read it so too). Only its hours and minutes can move the day.
  const offset = `regexp_match(${s}, '([+-])([0-9]{2}):?([0-9]{2})?$')`;
  return `case
    when jsonb_typeof(${v}) = 'string' and ${s} ~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?[+-][0-9]{2}(:?[0-9]{2})?$'
      then date_trunc('day', ${day} + make_interval(mins => substr(${s}, 12, 2)::int * 60 + substr(${s}, 15, 2)::int
        - (case (${offset})[1] when '-' then -1 else 1 end) * ((${offset})[2]::int * 60 + coalesce((${offset})[3], '0')::int))) at time zone 'UTC'
    when jsonb_typeof(${v}) = 'string' and ${s} ~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]|$)'
      then ${day} at time zone 'UTC'
    when jsonb_typeof(${v}) = 'number' and abs(${v}::float8) < 1e14
      then to_timestamp(case when abs(${v}::float8) < 1e11 then ${v}::float8 else ${v}::float8 / 1000 end) end`;
}

/**
 * The onboarding funnel of the people who signed up in the range. A task counts once per person
 * whenever it was done before the end of the range, so late finishers still show up.
 */
export async function activation({ db, filter, catalog, source }: InsightContext): Promise<ActivationInsight> {
  const p = new SqlParams();
  const rollups = source === 'rollups' ? rollupScope(filter, p) : undefined;
  const { ctes, key, from, to } = rollups ?? scopeCtes(filter, p);
  // New users are the people who signed up in the range: an existing customer Linger first sees
  // now (the SDK just installed, a new device) never had the onboarding checklist offered (its
  // audience reads `createdAt`), yet counted as a new user who did not activate: installed on a
  // customer base, activation read far below the truth. The sign-up is the `createdAt` trait
  // where it reads as a date, else Linger's first sight of them; either way seen by the range
  // end, since the funnel counts only what happened before it.
  const signedUp = `signed_up as materialized (
       select person, created_at from (select person, ${createdAt('traits')} as created_at
         from user_traits where write_key = ${key}) t where created_at is not null)`;
  const signedUpInRange = `select person from signed_up where created_at >= ${from} and created_at < ${to}`;
  // From rollups, each person has one row (insights/person-activity.ts), with the exact time of
  // their first event (migration 61); `keyed` holds only the fact events, which include every
  // checklist event. Not materialized: joined as the table itself, the planner hashes the cohort
  // (~45,000 rows at 90 days) and scans the checklist firsts past it, where a CTE scan made it
  // hash the ~200,000 firsts (spilling to disk) and scan the cohort (615 → 524 ms at 10M). With
  // a segment it stays materialized: inlined, its traits lookup ran once per use (12% slower).
  // Two parts, so the people first seen in the range are still read by the first_day index.
  const cohortCtes = rollups
    ? `${signedUp},
       cohort as ${filter.segments.length > 0 ? '' : 'not '}materialized (
         select person, first_seen as first_ts from rollup_person_bits b
         where ${rollups.personWhere} and first_day >= ${rollups.fromDay} and first_day < ${rollups.toDay}
           and not exists (select 1 from signed_up s where s.person = b.person)
         union all
         select person, first_seen from rollup_person_bits
         where ${rollups.personWhere} and first_day < ${rollups.toDay} and person in (${signedUpInRange}))`
    : `${signedUp},
       first_seen as (select person, min(ts) as first_ts from keyed group by person),
       cohort as (select person, first_ts from first_seen f
         where first_ts < ${to} and (person in (${signedUpInRange})
           or (first_ts >= ${from} and not exists (select 1 from signed_up s where s.person = f.person))))`;
  // From rollups, each cohort member's first event of each kind (db/fact-rollups.ts): whether
  // and when they first did it is all the answer needs.
  const checklistEvents = rollups
    ? `checklist_events as not materialized (
         select c.person, c.first_ts as seen_ts, f.event, f.first_ts as ts, f.checklist_id, f.task_id
         from rollup_checklist_firsts f join cohort c on c.person = f.person
         where ${rollups.modeWhere}
           and f.first_ts >= ${from} and f.first_ts < ${to})`
    : `checklist_events as not materialized (
         select k.person, c.first_ts as seen_ts, k.event, k.ts, k.properties ->> 'checklistId' as checklist_id,
                k.properties ->> 'taskId' as task_id
         from keyed k join cohort c on c.person = k.person
         where k.event in ('Checklist Task Completed', 'Checklist Completed', 'Checklist Dismissed') and ${notPutAway('k.')}
           -- a cohort member's events are all from their first seen on, in the range or after
           and k.ts >= ${from} and k.ts < ${to} and k.properties ->> 'checklistId' is not null)`;
  // From rollups a person has one row per checklist, event and task (their first), so counting
  // rows counts people, and both groupings hash in one pass over the rows (a distinct count
  // would sort them).
  const taskPeople = rollups ? 'count(*)' : 'count(distinct person)';
  // One statement, and one pass over the cohort's checklist events for both groupings: per
  // person and checklist (the funnel) and per task. Read twice from a CTE, the ~190,000 rows at
  // 90 days were written to a temporary file and read back.
  type TaskRow = { checklist_id: string; task_id: string; completed: number };
  type ListRow = { checklist_id: string; started: number; completed: number; dismissed: number; median_seconds: number | null };
  const { rows } = await db.query<{ n: number; tasks: TaskRow[]; lists: ListRow[] }>(
    `with ${ctes},
     ${cohortCtes},
     ${checklistEvents},
     grouped as (
       select checklist_id, person, task_id, grouping(person) as by_task,
              bool_or(event = 'Checklist Task Completed') as started,
              min(ts) filter (where event = 'Checklist Completed') as completed_at,
              bool_or(event = 'Checklist Dismissed') as dismissed,
              min(seen_ts) as first_ts,
              ${taskPeople} filter (where event = 'Checklist Task Completed') as task_people
       from checklist_events group by grouping sets ((checklist_id, person), (checklist_id, task_id)))
     select
       (select count(*)::int from cohort) as n,
       (select coalesce(json_agg(t order by t.checklist_id, t.task_id), '[]'::json) from (
          select checklist_id, task_id, task_people::int as completed from grouped
          where by_task = 1 and task_id is not null and task_people > 0) t) as tasks,
       (select coalesce(json_agg(l order by l.checklist_id), '[]'::json) from (
          select checklist_id,
                 count(*) filter (where started or completed_at is not null)::int as started,
                 count(*) filter (where completed_at is not null)::int as completed,
                 count(*) filter (where dismissed)::int as dismissed,
                 round((percentile_cont(0.5) within group (order by extract(epoch from completed_at - first_ts)::float8)
                   filter (where completed_at is not null))::numeric) as median_seconds
          from grouped where by_task = 0 group by checklist_id) l) as lists`,
    p.values,
  );
  const size = { rows: rows[0] ? [{ n: rows[0].n }] : [] };
  const tasks = { rows: rows[0]?.tasks ?? [] };
  const lists = { rows: rows[0]?.lists ?? [] };

  const newUsers = size.rows[0]?.n ?? 0;
  const ids = [...new Set([...catalog.checklists.map((c) => c.id), ...lists.rows.map((r) => r.checklist_id)])];
  return {
    newUsers,
    checklists: ids.map((id) => {
      const known = catalog.checklists.find((c) => c.id === id);
      const row = lists.rows.find((r) => r.checklist_id === id);
      const counts = new Map(tasks.rows.filter((t) => t.checklist_id === id).map((t) => [t.task_id, t.completed]));
      // Config order first (the order users see), then tasks only the data knows about.
      const taskIds = [...new Set([...(known?.tasks.map((t) => t.id) ?? []), ...counts.keys()])];
      const completed = row?.completed ?? 0;
      return {
        id,
        title: known?.title ?? null,
        started: row?.started ?? 0,
        completed,
        dismissed: row?.dismissed ?? 0,
        completionRate: ratio(completed, newUsers),
        medianSecondsToComplete: row?.median_seconds ?? null,
        tasks: taskIds.map((taskId) => {
          const done = counts.get(taskId) ?? 0;
          return {
            id: taskId,
            title: known?.tasks.find((t) => t.id === taskId)?.title ?? null,
            completed: done,
            rate: ratio(done, newUsers),
          };
        }),
      };
    }),
  };
}
