import { sessionCtes } from '../insights/cancel-sessions.ts';
import { responseIdOf, responseRowsCtes } from '../insights/responses.ts';
import type { Queryable } from './database.ts';
import { anonymousIdOf, anonymousPerson, personOf } from './persons.ts';

/** The fact events rolled up per person: the ones whose people the fold marks. */
const personFacts = (event: string) => `(${event} like 'Cancel %' or ${event} = 'Survey Answered' or ${event} like 'Checklist %')`;

/** The checklist events activation counts, each kept as a person's first of its kind (see below). */
const checklistEvents = `('Checklist Task Completed', 'Checklist Completed', 'Checklist Dismissed')`;
/**
 * A finished list the user put away (the SDK says `completed: true` on its Checklist Dismissed) is
 * no giving up on it: activation's `dismissed` would count everyone who hid a list they finished.
 * `k`: the events' table alias with its dot, or ''.
 */
export const notPutAway = (k: string) => `(${k}event <> 'Checklist Dismissed' or ${k}properties ->> 'completed' is distinct from 'true')`;

/**
 * Each person's cancellation flows, survey responses and checklist progress, worked out once
 * (migration 40) instead of from every cancel, answer and checklist fact event on each churn,
 * at-risk, satisfaction and activation read (insights/cancel-sessions.ts, insights/responses.ts,
 * insights/activation.ts). Checklist progress is each person's first event of each kind
 * (checklist, event, task): activation asks whether someone did a task, completed or
 * dismissed a checklist before the range end, and when they first completed it.
 *
 * A flow is one run of it (the events that share its `runId`; for older SDKs, everything a
 * person sends from one `Cancel Flow Started` to the next), and a response merges the answers that share a responseId, so an event that arrives late, or an
 * identity link that gives a visitor's events to a user, can change any of that person's
 * flows and responses. The fold therefore marks people: `rollup_fact_work` holds the people
 * whose cancel, answer or checklist events changed (queued by the refresh that takes their events, and
 * both sides of an applied link), and `foldFactRollups` works out again all the flows of each
 * marked person, their checklist progress, and every response any of their answers belongs to, from the fact events, in
 * both counting modes (`identity`: `all`, and `verified`, without events whose userHash
 * failed, as `?identity=` does). These events are a few in a hundred, so that is a few
 * people per refresh.
 */
export const factRollupsSchema = `
  create table rollup_cancel_sessions (
    write_key text not null,
    identity text not null,
    person text not null,
    session_no integer not null,
    started_at timestamptz not null,
    last_ts timestamptz not null,
    reason text,
    accepted_offer text,
    variant text,
    outcome text not null,
    primary key (write_key, identity, person, session_no)
  );
  create index rollup_cancel_sessions_started on rollup_cancel_sessions (write_key, identity, started_at);

  create table rollup_responses (
    write_key text not null,
    identity text not null,
    response_id text not null,
    survey_id text,
    answered_kind text,
    survey_ids text[] not null,
    person text not null,
    people integer not null,
    ts timestamptz not null,
    last_ts timestamptz not null,
    score float8,
    category text,
    comment text,
    choices jsonb,
    primary key (write_key, identity, response_id)
  );
  create index rollup_responses_ts on rollup_responses (write_key, identity, ts);

  create table rollup_checklist_firsts (
    write_key text not null,
    identity text not null,
    person text not null,
    checklist_id text not null,
    event text not null,
    task_id text,
    first_ts timestamptz not null,
    constraint rollup_checklist_firsts_key unique nulls not distinct (write_key, identity, person, checklist_id, event, task_id)
  );
  -- a range's checklist events: activation reads the cohort's from its first day on
  create index rollup_checklist_firsts_ts on rollup_checklist_firsts (write_key, identity, first_ts);

  create table rollup_fact_work (
    write_key text not null,
    person text not null
  );

  -- a marked person's events, by their user id or by the anonymous ids they go by; a response's answers
  create index fact_events_person_user on fact_events (write_key, user_id) where ${personFacts('event')};
  create index fact_events_person_anonymous on fact_events (write_key, anonymous_id) where ${personFacts('event')};
  create index fact_events_response on fact_events (write_key, (${responseIdOf('properties', 'message_id')})) where event = 'Survey Answered'
`;
/** A CTE (for the statement that takes the staged events, `source`) marking the people of its cancel and answer events. */
export function factWorkCte(source: string): string {
  return `
    fact_work as (
      insert into rollup_fact_work (write_key, person)
      select distinct b.write_key, ${personOf('b.user_id', 'i.user_id', 'b.anonymous_id')}
      from ${source} b
      left join identities i on b.user_id is null and i.write_key = b.write_key and i.anonymous_id = b.anonymous_id
      where ${personFacts('b.event')})`;
}

/** Marks both people of each link about to be applied (from the link queue, before it is emptied). */
export const linkWorkSql = `
  insert into rollup_fact_work (write_key, person)
  select write_key, ${anonymousPerson('anonymous_id')} from rollup_link_queue
  union all
  select write_key, user_id from rollup_link_queue`;

/**
 * The fact events that resolve to each marked person (as `resolved_facts` resolves them:
 * a user's by their user id and the anonymous ids linked to them, an anonymous visitor's by
 * their anonymous id while it is linked to no one: db/persons.ts), one index probe each, in
 * both counting modes.
 */
const markedEvents = `
  marked as (select distinct write_key, person from rollup_fact_work),
  marked_events as (
    select m.write_key, c.identity, m.person, f.id, f.message_id, f.ts, f.event, f.properties
    from marked m
    cross join lateral (
      select f.* from fact_events f
      where f.write_key = m.write_key and f.user_id = m.person and ${personFacts('f.event')}
      union all
      select f.* from identities i
      join fact_events f on f.write_key = i.write_key and f.anonymous_id = i.anonymous_id and f.user_id is null and ${personFacts('f.event')}
      where i.write_key = m.write_key and i.user_id = m.person
      union all
      select f.* from fact_events f
      where f.write_key = m.write_key and f.anonymous_id = ${anonymousIdOf('m.person')} and f.user_id is null and ${personFacts('f.event')}
        and not exists (select 1 from identities i where i.write_key = m.write_key and i.anonymous_id = f.anonymous_id)) f
    cross join lateral (values ('all', true), ('verified', f.verified is not false)) as c(identity, counted)
    where c.counted)`;

/** The responses (write_key, response_id) any answer of a marked person belongs to. */
const touchedResponses = `
  with ${markedEvents}
  select distinct write_key, ${responseIdOf('properties', 'message_id')} as response_id
  from marked_events where event = 'Survey Answered'`;

/** Works out every flow and the checklist progress of the marked people, and every response they answered, again; then unmarks them. */
export async function foldFactRollups(tx: Queryable): Promise<void> {
  // most refreshes mark no one: one probe instead of planning the six statements below each time
  const { rows } = await tx.query('select 1 from rollup_fact_work limit 1');
  if (rows.length === 0) return;
  for (const table of ['rollup_cancel_sessions', 'rollup_checklist_firsts']) {
    await tx.query(
      `delete from ${table} s using (select distinct write_key, person from rollup_fact_work) m
       where s.write_key = m.write_key and s.person = m.person`,
    );
  }
  await tx.query(
    `with ${markedEvents}
     insert into rollup_checklist_firsts (write_key, identity, person, checklist_id, event, task_id, first_ts)
     select write_key, identity, person, properties ->> 'checklistId', event, properties ->> 'taskId', min(ts)
     from marked_events
     where event in ${checklistEvents} and properties ->> 'checklistId' is not null and ${notPutAway('')}
     group by 1, 2, 3, 4, 5, 6`,
  );
  await tx.query(
    `with ${markedEvents},
     ${sessionCtes('sessions', 'marked_events', 'write_key, identity, person', 'true')}
     insert into rollup_cancel_sessions (write_key, identity, person, session_no, started_at, last_ts, reason, accepted_offer, variant, outcome, run_ids)
     select write_key, identity, person, session_no, started_at, last_ts, reason, accepted_offer, variant, outcome, run_ids from sessions`,
  );
  await tx.query(
    `delete from rollup_responses r using (${touchedResponses}) t
     where r.write_key = t.write_key and r.response_id = t.response_id`,
  );
  // every answer of those responses, whoever sent it: a response belongs to whoever answered first
  await tx.query(
    `with touched as (${touchedResponses}),
     touched_answers as (
       select c.identity, f.*
       from touched t
       join resolved_facts f on f.write_key = t.write_key and ${responseIdOf('f.properties', 'f.message_id')} = t.response_id
         and f.event = 'Survey Answered'
       cross join lateral (values ('all', true), ('verified', f.verified is not false)) as c(identity, counted)
       where c.counted),
     ${responseRowsCtes('response_rows', 'touched_answers', 'write_key, identity,', 'true')}
     insert into rollup_responses (write_key, identity, response_id, survey_id, answered_kind, survey_ids, person, people,
                                   ts, last_ts, score, scale, category, comment, choices)
     select write_key, identity, response_id, survey_id, answered_kind, survey_ids, person, people,
            ts, last_ts, score, scale, category, comment, choices from response_rows`,
  );
  await tx.query('delete from rollup_fact_work');
}

/**
 * Migration 85: a response keeps the scale its CES score was given on (`scale`, null from SDKs
 * that did not say, and for the other kinds). Listed right after 40: every later rebuild of the
 * responses (4, 72, 74, 82) writes the column.
 */
export const responseScaleSql = `alter table rollup_responses add column scale integer`;

/**
 * Migration 98: a flow keeps the run ids its events named, so a pause that names its run is tied
 * to that flow and no other (insights/churn.ts). Listed right after 85 for the same reason; null
 * in the flows stored before, until migration 99 works out again those a pause can be tied to.
 */
export const sessionRunIdsSql = `alter table rollup_cancel_sessions add column run_ids text[]`;

/** Works out every flow, response and checklist progress again (migration 40, and a rebuild after the fact events are refilled). */
export async function rebuildFactRollups(tx: Queryable): Promise<void> {
  await tx.query('truncate rollup_cancel_sessions, rollup_responses, rollup_checklist_firsts');
  await tx.query('delete from rollup_fact_work');
  await tx.query(
    `insert into rollup_fact_work (write_key, person)
     select distinct write_key, person from resolved_facts where ${personFacts('event')}`,
  );
  await foldFactRollups(tx);
}

/** Works out again the flows (and, with them, the checklists and responses) of everyone a flow ever saved (migration 99). */
export async function refoldSavedFlows(tx: Queryable): Promise<void> {
  await tx.query('delete from rollup_fact_work');
  await tx.query(
    `insert into rollup_fact_work (write_key, person)
     select distinct write_key, person from resolved_facts
     where event = 'Cancel Flow Completed' and properties ->> 'outcome' = 'saved'`,
  );
  await foldFactRollups(tx);
}
