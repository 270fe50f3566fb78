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
    /**
     * Median time from sign-up to checklist completed, for the cohort members who did: from the
     * later of their first event and their `createdAt`, so a visit before signing up is not counted.
     */
    medianSecondsToComplete: number | null;
    tasks: { id: string; title: string | null; completed: number; rate: number | null }[];
  }[];
}

/** A date: its year, month and day (from the first character). */
const DATE = '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])';

/**
 * When each person signed up, from their `createdAt` trait, read as the SDK's rules read it:
 * `created_at` the day it counts on, `at` the instant the clock of time to complete starts
 * from. A date counts on its day (midnight UTC); a date-time by its UTC day too, as the range's
 * days are whole UTC days (8 pm in San Francisco on the 28th is the 1st); Unix seconds (below
 * 1e11) or milliseconds by their instant; anything else is null. The instant of a well-formed
 * date-time is its whole second at its offset (else UTC), or a sign-up at 4 pm would be timed
 * from midnight; anything else starts from `created_at`. Built from its parts, so a day that
 * does not exist (02-31) rolls over instead of failing the whole answer, as pauses.ts reads
 * `resumesAt`.
 *
 * Each person's value is read once: one regular expression tells its shape (a well-formed
 * date-time passes one, a date two) and the offset is cut by position, since nothing else in a
 * date-time's time may hold a sign. Each level is fenced (`offset 0`) so the planner does not
 * copy a column's expression into every use of it. Tested once per use, for the cohort and
 * again for the clock (up to a dozen regular expressions a person), activation from raw events
 * took 1.4-2.2× as long at 3,600-14,700 sign-ups in 90 days (PGlite).
 */
function signUps(traitsWhere: string): string {
  const isTime = `substr(s, 11, 1) in ('T', ' ')`;
  // `kind`: 3 a well-formed date-time; 1 a date-time with an offset but hours or minutes out
  // of range (still counted by its day, never timed); 2 a date, or a date-time neither reads
  const shapes = `select person, v, s, case
        when ${isTime} and s ~ '${DATE}[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$' then 3
        when ${isTime} and s ~ '${DATE}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?[+-][0-9]{2}(:?[0-9]{2})?$' then 1
        when s ~ '${DATE}([T ]|$)' then 2 end as kind,
        greatest(strpos(substr(s, 12), '+'), strpos(substr(s, 12), '-')) as sign_at
      from (select person, traits -> 'createdAt' as v,
          case when jsonb_typeof(traits -> 'createdAt') = 'string' then traits ->> 'createdAt' end as s
        from user_traits where ${traitsWhere} offset 0) t
      offset 0`;
  // the offset, `+05:30`, `+0530` or `+05`, with its colon taken out
  const parts = `select person, v, s, kind,
        case when kind is not null
          then (make_date(substr(s, 1, 4)::int, substr(s, 6, 2)::int, 1) + (substr(s, 9, 2)::int - 1))::timestamp end as day,
        case when kind in (1, 3) and sign_at > 0 then replace(substr(s, 11 + sign_at), ':', '') end as zone
      from (${shapes}) t
      offset 0`;
  const createdAt = `case
      when zone is not null
        then date_trunc('day', day + make_interval(mins => substr(s, 12, 2)::int * 60 + substr(s, 15, 2)::int
          - (case left(zone, 1) when '-' then -1 else 1 end) * (substr(zone, 2, 2)::int * 60 + coalesce(nullif(substr(zone, 4, 2), ''), '0')::int))) at time zone 'UTC'
      when kind is not null then day at time zone 'UTC'
      when jsonb_typeof(v) = 'number' and abs(v::float8) < 1e14
        then to_timestamp(case when abs(v::float8) < 1e11 then v::float8 else v::float8 / 1000 end) end`;
  const at = `case when kind = 3
      then (day at time zone 'UTC')
        + make_interval(hours => substr(s, 12, 2)::int, mins => substr(s, 15, 2)::int,
          secs => case when substr(s, 17, 1) = ':' then substr(s, 18, 2)::int else 0 end)
        - make_interval(hours => coalesce(substr(zone, 1, 3)::int, 0), mins => coalesce((left(zone, 1) || nullif(substr(zone, 4, 2), ''))::int, 0))
      else created_at end`;
  return `select person, created_at, ${at} as at from (
      select person, s, kind, day, zone, ${createdAt} as created_at from (${parts}) t
      offset 0) t`;
}

/**
 * The onboarding funnel of the people who signed up in the range. A task counts once per person
 * whenever it was done before the end of the range, so late finishers still show up.
 */
export async function activation({ db, filter, catalog, source, now }: InsightContext): Promise<ActivationInsight> {
  const p = new SqlParams();
  const rollups = source === 'rollups' ? rollupScope(filter, p) : undefined;
  const { ctes, key, from, to } = rollups ?? scopeCtes(filter, p);
  // New users are the people who signed up in the range: an existing customer Linger first sees
  // now (the SDK just installed, a new device) never had the onboarding checklist offered (its
  // audience reads `createdAt`), yet counted as a new user who did not activate: installed on a
  // customer base, activation read far below the truth. The sign-up is the `createdAt` trait
  // where it reads as a date, else Linger's first sight of them; either way seen by the range
  // end, since the funnel counts only what happened before it.
  // Only someone who signed in is a new user: every anonymous page view of the vendor's public
  // pages would otherwise join the denominator and pull the rates down, and a visitor keeps the
  // traits a landing page's identify gave them (a `createdAt` among them).
  const identified = (person: string) => `left(${person}, 1) <> chr(1)`;
  // A createdAt still to come (a trial end sent by mistake) is no sign-up: the clock would start
  // after the checklist was done, a new user done in 0 s. It reads as missing.
  const nowParam = p.add(now.toISOString());
  const signedUp = `signed_up as materialized (
       select person, created_at, at from (${signUps(`write_key = ${key} and ${identified('person')}`)}) t
       where created_at <= ${nowParam}::timestamptz)`;
  // The clock of time to complete starts at sign-up: a visitor who read the pricing page three
  // days before signing up took minutes, not three days (their first event is that visit once
  // identify links it). Without a createdAt, their first event is the sign-up. One still to
  // come later today is timed from the first event.
  const signedUpInRange = `select person as signer, case when at <= ${nowParam}::timestamptz then at end as signed_up_at
         from signed_up where created_at >= ${from} and created_at < ${to}`;
  // From rollups, each person has one row (insights/person-activity.ts), with the exact time of
  // their first event (migration 61); `keyed` holds only the fact events, which include every
  // checklist event. Materialized, so it is worked out once. Inlined (as it was without a
  // segment), PostgreSQL at 10M hashed the cohort and scanned the checklist firsts past it
  // (615 → 524 ms), but a planner that guessed few firsts put the whole cohort on the inner side
  // of a nested loop and ran it once per first: 1,531 times at 30 days with 4,465 people, 11-26 s
  // on PGlite, the dashboard's default view. Materialized, PostgreSQL still hashes the cohort (at
  // 160,000 events). With a segment, inlined, its traits lookup ran once per use (12% slower).
  // Two parts, so the people first seen in the range are still read by the first_day index.
  const cohortCtes = rollups
    ? `${signedUp},
       cohort as materialized (
         select person, first_seen as first_ts from rollup_person_bits b
         where ${rollups.personWhere} and first_day >= ${rollups.fromDay} and first_day < ${rollups.toDay}
           and ${identified('person')} and not exists (select 1 from signed_up s where s.person = b.person)
         union all
         select person, greatest(first_seen, s.signed_up_at) from rollup_person_bits
         join (${signedUpInRange}) s on s.signer = person
         where ${rollups.personWhere} and first_day < ${rollups.toDay})`
    : `${signedUp},
       first_seen as (select person, min(ts) as first_ts from keyed group by person),
       -- one hash aggregate over both lists, no join of two CTEs whose sizes the planner guesses
       cohort as (select person, greatest(min(first_ts), max(signed_up_at)) as first_ts from (
           select person, first_ts, null::timestamptz as signed_up_at, false as signer from first_seen
           union all
           select signer, null, signed_up_at, true from (${signedUpInRange}) s) f
         group by person
         having min(first_ts) < ${to} and (bool_or(signer)
           or (min(first_ts) >= ${from} and ${identified('person')} and not exists (select 1 from signed_up s where s.person = f.person))))`;
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
                 round((percentile_cont(0.5) within group (order by greatest(0, extract(epoch from completed_at - first_ts))::float8)
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
