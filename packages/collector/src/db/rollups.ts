import type { Database, Queryable } from './database.ts';
import { factWorkCte, foldFactRollups, linkWorkSql, rebuildFactRollups } from './fact-rollups.ts';
import { applyLinks, foldPersonDays, personDaysWorkCte, rebuildDistinctDays } from './distinct-days.ts';
import { actorPerson, personOf } from './persons.ts';

/** A number from a JSON property, whether the client sent 9 or "9"; null otherwise (as insights/scope.ts). */
const jsonNumber = (expr: string) => `(case when (${expr}) ~ '^-?[0-9]+(\\.[0-9]+)?$' then (${expr})::float8 end)`;

/**
 * Each rollup read with its person: an anonymous actor is the user it was later identified as.
 * Migration 4 recreates them word for word (their `r.*` was expanded when they were made), as
 * they were then; migration 95 replaces them (`anonymousPersonViewsSql`).
 */
const resolvedViews = ['activity', 'people', 'event_days']
  .map(
    (t) => `
  create view resolved_${t} as
    select r.*, case when r.anonymous then coalesce(i.user_id, r.actor) else r.actor end as person
    from rollup_${t} r
    left join identities i on r.anonymous and i.write_key = r.write_key and i.anonymous_id = r.actor;`,
  )
  .join('\n');

/**
 * Migration 95: the resolved views give an anonymous visitor linked to no one a person of their
 * own (db/persons.ts), never the user whose id their anonymousId happens to be. Replaced in place:
 * the columns stay the same.
 */
export const anonymousPersonViewsSql = `
  create or replace view resolved_events as
    select e.*, ${personOf('e.user_id', 'i.user_id', 'e.anonymous_id')} as person
    from events e
    left join identities i
      on e.user_id is null and i.write_key = e.write_key and i.anonymous_id = e.anonymous_id;

  create or replace view resolved_facts as
    select f.*, ${personOf('f.user_id', 'i.user_id', 'f.anonymous_id')} as person
    from fact_events f
    left join identities i on f.user_id is null and i.write_key = f.write_key and i.anonymous_id = f.anonymous_id;
${['activity', 'people', 'event_days']
  .map(
    (t) => `
  create or replace view resolved_${t} as
    select r.*, ${actorPerson('r.actor', 'r.anonymous', 'i.user_id')} as person
    from rollup_${t} r
    left join identities i on r.anonymous and i.write_key = r.write_key and i.anonymous_id = r.actor;`,
  )
  .join('\n')}
`;

/**
 * The rollup tables, created by migration 2. Raw events stay the truth; these are derived
 * from them and can be rebuilt at any time (`npm run rollups:rebuild`).
 * - `rollup_activity`: one row per actor per UTC day (DAU/WAU/MAU, at-risk activity).
 * - `rollup_people`: first and last event per actor (cohorts, last seen).
 * - `rollup_event_days`: per actor, day, event and dimension (feature, survey, badge, level,
 *   tour, tour step): feature use, survey impressions, gamification, tours.
 * - `fact_events`: the few events the insights read one by one (survey answers, cancellation
 *   flows, checklists, since migration 83 the events of a named tour run, since migration 84
 *   the survey showings with a responseId), a small copy next to the big table.
 * - `rollup_staging`: stored events not yet rolled up. Inserting batches only append here (no
 *   two ingesting transactions ever wait on the same rollup row); `refreshRollups` folds it in.
 * An actor is the userId, or the anonymousId of an event without one; the `resolved_*` views
 * turn actors into people through `identities`, so an identify call re-attributes earlier
 * anonymous activity without rewriting any rollup row.
 */
export const rollupSchema = `
  create table rollup_activity (
    write_key text not null,
    day date not null,
    actor text not null,
    anonymous boolean not null,
    events integer not null,
    first_ts timestamptz not null,
    last_ts timestamptz not null,
    primary key (write_key, day, actor, anonymous)
  );

  create table rollup_people (
    write_key text not null,
    actor text not null,
    anonymous boolean not null,
    first_seen timestamptz not null,
    last_seen timestamptz not null,
    primary key (write_key, actor, anonymous)
  );
  create index rollup_people_first_seen on rollup_people (write_key, first_seen);

  create table rollup_event_days (
    write_key text not null,
    event text not null,
    day date not null,
    dim text,
    detail text,
    actor text not null,
    anonymous boolean not null,
    n integer not null,
    constraint rollup_event_days_key unique nulls not distinct (write_key, event, day, dim, detail, actor, anonymous)
  );

  create table fact_events (
    id bigint primary key,
    write_key text not null,
    message_id text not null,
    event text not null,
    user_id text,
    anonymous_id text,
    ts timestamptz not null,
    properties jsonb not null,
    verified boolean
  );
  create index fact_events_key_event_ts on fact_events (write_key, event, ts);

  create table rollup_staging (
    id bigint not null,
    write_key text not null,
    message_id text not null,
    event text,
    user_id text,
    anonymous_id text,
    ts timestamptz not null,
    properties jsonb not null,
    verified boolean
  );

  create index identities_user on identities (write_key, user_id);

${resolvedViews}

  create view resolved_facts as
    select f.*, coalesce(f.user_id, i.user_id, f.anonymous_id) as person
    from fact_events f
    left join identities i on f.user_id is null and i.write_key = f.write_key and i.anonymous_id = f.anonymous_id;
`;

/**
 * Migration 4: the trust flag becomes a dimension of every rollup (`unverified`: the event's
 * userHash failed), so verified-only answers and `?identity=all` both come from the rollups.
 * `fact_events` copy `verified` already. The views are recreated since `r.*` was expanded
 * when they were made. The migration then rebuilds the rollups from the raw events.
 */
export const rollupTrustSchema = `
  drop view resolved_activity;
  drop view resolved_people;
  drop view resolved_event_days;

  alter table rollup_activity add column unverified boolean not null default false;
  alter table rollup_activity drop constraint rollup_activity_pkey;
  alter table rollup_activity add primary key (write_key, day, actor, anonymous, unverified);

  -- what the identity summary of a rollup answer counts (few rows: only failed userHashes)
  create index rollup_activity_unverified on rollup_activity (write_key, day) where unverified;

  alter table rollup_people add column unverified boolean not null default false;
  alter table rollup_people drop constraint rollup_people_pkey;
  alter table rollup_people add primary key (write_key, actor, anonymous, unverified);

  alter table rollup_event_days add column unverified boolean not null default false;
  alter table rollup_event_days drop constraint rollup_event_days_key;
  alter table rollup_event_days add constraint rollup_event_days_key
    unique nulls not distinct (write_key, event, day, dim, detail, actor, anonymous, unverified);

${resolvedViews}
`;

const day = `(ts at time zone 'UTC')::date`;
const actor = `coalesce(user_id, anonymous_id)`;
/** The trust flag as a rollup dimension: the events `?identity=verified` (the default) leaves out. */
const unverified = `verified is false`;

/**
 * Why a survey was dismissed when the user did not do it: the SDK sends `Survey Dismissed` with
 * `reason: "preempted-by:<flowId>"` when another flow (the cancel flow) pushed the survey aside.
 * Null for the user's own dismissal, the only kind satisfaction counts.
 */
export const dismissalReason = (properties: string) => `nullif(${properties} ->> 'reason', '')`;

/**
 * The run a tour event belongs to (`runId`, sent by SDKs that name each run of a tour; null from
 * older ones). A named run's start, step views and end are copied to `fact_events`, so a range
 * asks how the runs started in it went (insights/guidance.ts), however late they ended.
 */
export const tourRunId = (properties: string) => `nullif(${properties} ->> 'runId', '')`;
/**
 * A `Tour Completed` past a step whose target never appeared (`stepsSkipped` above 0): the user
 * pressed Done without seeing the tour whole. Its detail in the day rollups (null for a whole
 * one, since migration 97), so a completion no run id ties to its start still reads apart.
 */
export const skippedStepsDetail = (properties: string) =>
  `case when ${jsonNumber(`${properties} ->> 'stepsSkipped'`)} > 0 then 'skipped' end`;
/** The tour events of a named run that `fact_events` keeps: a start, an end and a view per step shown. */
export const tourRunFacts = (event: string, properties: string) =>
  `(${event} in ('Tour Started', 'Tour Step Viewed', 'Tour Completed', 'Tour Dismissed') and ${tourRunId(properties)} is not null)`;

/**
 * A survey's showing named by the `responseId` its answers share (every SDK since responses had
 * one). Kept with the fact events since migration 84, so a range's response rate asks which of
 * its showings got an answer, whenever it came (insights/satisfaction.ts).
 */
export const surveyShowingFacts = (event: string, properties: string) =>
  `(${event} = 'Survey Shown' and nullif(${properties} ->> 'responseId', '') is not null)`;

/**
 * A survey's dismissal named by its showing's `responseId`. Kept with the fact events since
 * migration 86: the day rollups count events, and a dismissal the browser sent again under a new
 * messageId is one dismissal (insights/satisfaction.ts takes the copies off).
 */
export const surveyDismissalFacts = (event: string, properties: string) =>
  `(${event} = 'Survey Dismissed' and nullif(${properties} ->> 'responseId', '') is not null)`;

/** The events of `source` the per-day rollups count, each with its dimension and detail. */
const eventDims = (source: string) => `
        select write_key, event, ${day} as day,
               case when event = 'Feature Used' then properties ->> 'feature'
                    when event in ('Survey Shown', 'Survey Dismissed') then properties ->> 'surveyId'
                    when event = 'Badge Earned' then properties ->> 'badgeId'
                    when event = 'Level Reached' then coalesce(properties ->> 'levelName', properties ->> 'level')
                    else properties ->> 'tourId' end as dim,
               case when event = 'Level Reached' then ${jsonNumber(`properties ->> 'points'`)}::text
                    when event = 'Tour Step Viewed' then (${jsonNumber(`properties ->> 'stepIndex'`)})::int::text
                    when event in ('Survey Dismissed', 'Tour Dismissed') then ${dismissalReason('properties')}
                    when event = 'Tour Completed' then ${skippedStepsDetail('properties')} end as detail,
               ${actor} as actor, user_id is null as anonymous, ${unverified} as unverified
        from ${source}
        where event in ('Feature Used', 'Survey Shown', 'Survey Dismissed', 'Badge Earned', 'Level Reached') or event like 'Tour %'`;

/** The rolled-up `event`s (a dismissal, its id in `idProperty`) that carry a reason (or another `detail`), as rows of `rollup_event_days`. */
const reasonedDismissals = (event: string, idProperty: string, detail: string) => `
  select write_key, ${day} as day, properties ->> '${idProperty}' as dim, ${detail} as detail,
         ${actor} as actor, user_id is null as anonymous, ${unverified} as unverified, count(*)::int as n
  from events e
  where event = '${event}' and ${detail} is not null
    and not exists (select 1 from rollup_staging s where s.id = e.id)
  group by 1, 2, 3, 4, 5, 6, 7`;

/**
 * Dismissals of `event` rolled up before `detail` kept their reason move from the reasonless
 * rows (the user's dismissals) to rows with it; staged events get it when folded. Rows a rebuild
 * in the same run (migration 4) made with the reason are complete already. Months retention
 * dropped from the events stay as they were.
 */
const reasonedDismissalsSql = (event: string, idProperty: string, detail = dismissalReason('properties')) => `
  create temporary table reasoned_dismissals on commit drop as ${reasonedDismissals(event, idProperty, detail)};
  delete from reasoned_dismissals d using rollup_event_days r
  where r.event = '${event}' and r.detail = d.detail and r.write_key = d.write_key and r.day = d.day
    and r.dim is not distinct from d.dim and r.actor = d.actor and r.anonymous = d.anonymous and r.unverified = d.unverified;
  update rollup_event_days r set n = r.n - m.n
  from (select write_key, day, dim, actor, anonymous, unverified, sum(n)::int as n from reasoned_dismissals group by 1, 2, 3, 4, 5, 6) m
  where r.event = '${event}' and r.detail is null and r.write_key = m.write_key and r.day = m.day
    and r.dim is not distinct from m.dim and r.actor = m.actor and r.anonymous = m.anonymous and r.unverified = m.unverified;
  insert into rollup_event_days (write_key, event, day, dim, detail, actor, anonymous, unverified, n)
  select write_key, '${event}', day, dim, detail, actor, anonymous, unverified, n from reasoned_dismissals;
  delete from rollup_event_days where event = '${event}' and n <= 0;
  update rollup_event_totals r set n = r.n - m.n
  from (select write_key, day, dim, unverified, sum(n)::int as n from reasoned_dismissals group by 1, 2, 3, 4) m
  where r.event = '${event}' and r.detail is null and r.write_key = m.write_key and r.day = m.day
    and r.dim is not distinct from m.dim and r.unverified = m.unverified;
  insert into rollup_event_totals (write_key, event, day, dim, detail, unverified, n)
  select write_key, '${event}', day, dim, detail, unverified, sum(n) from reasoned_dismissals group by 1, 3, 4, 5, 6;
  delete from rollup_event_totals where event = '${event}' and n <= 0
`;

/** Migration 70: a survey the cancel flow pushed aside is not the user's dismissal. */
export const preemptedDismissalsSql = reasonedDismissalsSql('Survey Dismissed', 'surveyId');
/** Migration 73: nor is a tour it pushed aside. */
export const preemptedTourDismissalsSql = reasonedDismissalsSql('Tour Dismissed', 'tourId');
/** Migration 97: nor is a tour finished past a skipped step one seen whole (its rows move the same way). */
export const skippedStepCompletionsSql = reasonedDismissalsSql('Tour Completed', 'tourId', skippedStepsDetail('properties'));

/** Stored events that `where` picks and that are rolled up already, copied to `fact_events` (staged ones are copied when folded, so none is copied twice). */
const copyRolledUpFacts = (where: string) => `
  insert into fact_events (id, write_key, message_id, event, user_id, anonymous_id, ts, properties, verified)
  select id, write_key, message_id, event, user_id, anonymous_id, ts, properties, verified
  from events e
  where ${where}
    and not exists (select 1 from rollup_staging s where s.id = e.id)
    and not exists (select 1 from fact_events f where f.id = e.id)`;

/** Migration 83: the starts and ends of named tour runs already rolled up. */
export const tourRunFactsSql = copyRolledUpFacts(tourRunFacts('event', 'properties'));

/** Migration 84: the showings already rolled up, with an index to find a showing by its responseId. */
export const surveyShowingFactsSql = `
  create index if not exists fact_events_showing on fact_events (write_key, (properties ->> 'responseId')) where event = 'Survey Shown';${copyRolledUpFacts(surveyShowingFacts('event', 'properties'))}`;

/** Migration 86: the dismissals already rolled up. */
export const surveyDismissalFactsSql = copyRolledUpFacts(surveyDismissalFacts('event', 'properties'));

/**
 * Migration 21: `rollup_event_totals`, the events of `rollup_event_days` counted per day and
 * dimension whoever sent them: what counts events rather than people (tour runs, survey
 * impressions) reads O(days × dimensions) rows. Filled from `rollup_event_days` when the
 * rollups are there already (see migrations.ts).
 */
export const eventTotalsSchema = `
  create table rollup_event_totals (
    write_key text not null,
    event text not null,
    day date not null,
    dim text,
    detail text,
    unverified boolean not null,
    n integer not null,
    constraint rollup_event_totals_key unique nulls not distinct (write_key, event, day, dim, detail, unverified)
  )
`;

export async function fillEventTotals(tx: Queryable): Promise<void> {
  // a fresh database gets the column (and the rows) from migration 4, next
  const { rows } = await tx.query<{ ready: boolean }>(
    `select exists (select 1 from information_schema.columns
                    where table_name = 'rollup_event_days' and column_name = 'unverified' and table_schema = current_schema()) as ready`,
  );
  if (!rows[0]?.ready) return;
  await tx.query(
    `insert into rollup_event_totals (write_key, event, day, dim, detail, unverified, n)
     select write_key, event, day, dim, detail, unverified, sum(n) from rollup_event_days group by 1, 2, 3, 4, 5, 6`,
  );
}

/**
 * Data-modifying CTEs that add the rows of `source` (a relation with the staged columns) to
 * every rollup: used by each refresh (source = the staged rows it takes) and by a rebuild
 * (source = all events). Rows are grouped per key first and written in key order, so one statement
 * touches a rollup row once and concurrent writers lock rows in the same order.
 */
export function rollupCtes(source: string): string {
  return `
    roll_activity as (
      insert into rollup_activity (write_key, day, actor, anonymous, unverified, events, first_ts, last_ts)
      select write_key, ${day}, ${actor}, user_id is null, ${unverified}, count(*), min(ts), max(ts)
      from ${source} group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
      on conflict (write_key, day, actor, anonymous, unverified) do update set
        events = rollup_activity.events + excluded.events,
        first_ts = least(rollup_activity.first_ts, excluded.first_ts),
        last_ts = greatest(rollup_activity.last_ts, excluded.last_ts)),
    roll_people as (
      insert into rollup_people (write_key, actor, anonymous, unverified, first_seen, last_seen)
      select write_key, ${actor}, user_id is null, ${unverified}, min(ts), max(ts)
      from ${source} group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (write_key, actor, anonymous, unverified) do update set
        first_seen = least(rollup_people.first_seen, excluded.first_seen),
        last_seen = greatest(rollup_people.last_seen, excluded.last_seen)),
    roll_event_days as (
      insert into rollup_event_days (write_key, event, day, dim, detail, actor, anonymous, unverified, n)
      select write_key, event, day, dim, detail, actor, anonymous, unverified, count(*) from (${eventDims(source)}) x
      group by 1, 2, 3, 4, 5, 6, 7, 8 order by 1, 2, 3, 4, 5, 6, 7, 8
      on conflict on constraint rollup_event_days_key do update set n = rollup_event_days.n + excluded.n),
    roll_event_totals as (
      insert into rollup_event_totals (write_key, event, day, dim, detail, unverified, n)
      select write_key, event, day, dim, detail, unverified, count(*) from (${eventDims(source)}) x
      group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6
      on conflict on constraint rollup_event_totals_key do update set n = rollup_event_totals.n + excluded.n),
    roll_facts as (
      insert into fact_events (id, write_key, message_id, event, user_id, anonymous_id, ts, properties, verified)
      select id, write_key, message_id, event, user_id, anonymous_id, ts, properties, verified
      from ${source}
      where event = 'Survey Answered' or event like 'Cancel %' or event like 'Checklist %' or ${tourRunFacts('event', 'properties')}
        or ${surveyShowingFacts('event', 'properties')} or ${surveyDismissalFacts('event', 'properties')}),
    ${factWorkCte(source)}`;
}

/** The columns the rollups read, as `rollup_staging` holds them. */
export const stagedColumns = 'id, write_key, message_id, event, user_id, anonymous_id, ts, properties, verified';

/** What a rebuild empties; never `rollup_staging`, which ingestion appends to (see rebuildActorRollups). */
const rollupTables = ['rollup_activity', 'rollup_people', 'rollup_event_days', 'rollup_event_totals', 'fact_events'];

/** Any constant: the key of the advisory lock that makes refreshes take turns across collectors. */
const REFRESH_LOCK = 1_505_15;

/** Waits for any other refresh or rebuild (in this or another collector) to commit. */
const takeRefreshTurn = (tx: Queryable) => tx.query('select pg_advisory_xact_lock($1)', [REFRESH_LOCK]);

/**
 * Folds the staged events into the rollups: the staged rows are deleted by the statement that
 * adds them up, so each event counts exactly once. Refreshes take turns (an advisory lock,
 * held to the commit; several collectors may share a server): the distinct-people histogram
 * needs each person's neighbouring days as they are (db/distinct-days.ts). Identity links are
 * applied before the staged events are resolved: a link that arrives in between is still
 * queued, and the next refresh moves what this one filed under the anonymous id.
 * Returns how many events it folded in.
 */
export async function refreshRollups(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    await takeRefreshTurn(tx);
    // Every insight read asks for a refresh, and most find nothing new: one probe instead of
    // planning the fold statements below, which with both queues empty change nothing. On the
    // embedded engine an empty fold took about 15 trivial queries' time, holding the one
    // connection: reads of a dashboard's cards waited on each other's (the rollups tests' sweeps,
    // 120 s → 71 s on an idle 2-core machine). Only ingestion queues work between refreshes: the
    // person-days and people work tables are filled and emptied within one transaction (this one,
    // a rebuild's, a migration's), so they are empty whenever a refresh gets its turn.
    const { rows: pending } = await tx.query(
      'select 1 where exists (select 1 from rollup_staging) or exists (select 1 from rollup_link_queue)',
    );
    if (pending.length === 0) return 0;
    // A refresh at ingestion speed takes 10,000-50,000 staged events; with the default 4 MB its
    // person-day sort spilled to disk, and folding cost about 10 µs more PostgreSQL CPU per event
    // (measured, 16,000 events). One refresh at a time, so the memory is bounded. PGlite folds
    // journal groups of at most 5,000 events, which fit already.
    if (db.engine === 'postgres') await tx.query(`set local work_mem = '64MB'`);
    // a link can move cancel and answer events to another person: both sides' are worked out again
    await tx.query(linkWorkSql);
    await applyLinks(tx);
    const { rows } = await tx.query<{ n: number }>(
      `with batch as (delete from rollup_staging returning ${stagedColumns}),
       ${rollupCtes('batch')},
       ${personDaysWorkCte('batch')}
       select count(*)::int as n from batch`,
    );
    await foldPersonDays(tx);
    await foldFactRollups(tx);
    return rows[0]?.n ?? 0;
  });
}

/**
 * One refresh at a time per collector, and a reader always gets one that started after it
 * asked (so it sees every batch acknowledged before), shared with everyone who asked meanwhile.
 */
export function createRollupRefresher(db: Database, log: (line: string) => void) {
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const run = (): Promise<void> =>
    refreshRollups(db).then(
      () => undefined,
      (error: unknown) => {
        log(`[linger] rollup refresh failed: ${(error as Error).message}`);
        throw error;
      },
    );
  const refresh = (): Promise<void> => {
    if (!running) {
      running = run().finally(() => {
        running = undefined;
      });
      return running;
    }
    next ??= running.catch(() => undefined).then(() => {
      next = undefined;
      return refresh();
    });
    return next;
  };
  return { refresh, idle: async () => { await running?.catch(() => undefined); await next?.catch(() => undefined); } };
}

/**
 * Recomputes the per-actor rollups from the raw events (migration 4 ran this before the
 * distinct-people tables existed). The staged rows are taken out by the statement that reads
 * the events, so both see one snapshot: an event staged before it is counted once, from the
 * events; one a batch stores meanwhile stays staged for the next refresh. Staging is never
 * truncated, so ingestion never waits for a rebuild to commit.
 */
export async function rebuildActorRollups(db: Queryable): Promise<number> {
  await db.query(`truncate ${rollupTables.join(', ')}`);
  const { rows } = await db.query<{ n: number }>(
    `with taken as (delete from rollup_staging),
     source as materialized (
       select id, write_key, message_id, event, user_id, anonymous_id, ts, properties, verified from events),
     ${rollupCtes('source')}
     select count(*)::int as n from source`,
  );
  await rebuildFactRollups(db);
  return rows[0]?.n ?? 0;
}

/**
 * The oldest day the rollups hold whose raw events are gone (retention dropped their month), if
 * any: a rebuild from the events left would lose it, and every day after it up to the first event.
 */
export async function droppedHistory(db: Queryable): Promise<string | null> {
  const { rows } = await db.query<{ oldest: string | null }>(
    `select (select min(day) from rollup_event_days where day < coalesce(((select min(ts) from events) at time zone 'UTC')::date, 'infinity'))::text as oldest`,
  );
  return rows[0]?.oldest ?? null;
}

/**
 * Recomputes every rollup from the raw events, inside the caller's transaction (readers see the
 * old rollups until it commits). Returns how many events it read.
 */
export async function rebuildRollups(db: Queryable): Promise<number> {
  // before the first truncate: a refresh that holds the turn and waits for a truncated table would deadlock
  await takeRefreshTurn(db);
  const events = await rebuildActorRollups(db);
  await rebuildDistinctDays(db);
  return events;
}
