import { sessionCtes } from '../insights/cancel-sessions.ts';
import type { Queryable } from './database.ts';

/**
 * Each person's cancellation flows, worked out once (migration 40) instead of from every
 * cancel fact event on each churn and at-risk read (insights/cancel-sessions.ts).
 *
 * A flow is everything a person sends from one `Cancel Flow Started` to the next, so an event
 * that arrives late, or an identity link that gives a visitor's events to a user, can change
 * any of that person's flows. The fold therefore marks people, not flows: `rollup_fact_work`
 * holds the people whose cancel events changed (queued by the refresh that takes their events,
 * and both sides of an applied link), and `foldCancelSessions` works out all the flows of each
 * marked person again from the fact events, in both counting modes (`identity`: `all`, and
 * `verified`, without events whose userHash failed, as `?identity=` does). Cancel events are
 * a fraction of a percent of the traffic, so that is a few people per refresh.
 */
export const cancelRollupSchema = `
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

  create table rollup_fact_work (
    write_key text not null,
    person text not null
  );

  -- a marked person's cancel events, by their user id or by the anonymous ids they go by
  create index fact_events_cancel_user on fact_events (write_key, user_id) where event like 'Cancel %';
  create index fact_events_cancel_anonymous on fact_events (write_key, anonymous_id) where event like 'Cancel %'
`;

/** A CTE (for the statement that takes the staged events, `source`) marking the people of its cancel events. */
export function factWorkCte(source: string): string {
  return `
    fact_work as (
      insert into rollup_fact_work (write_key, person)
      select distinct b.write_key, coalesce(b.user_id, i.user_id, b.anonymous_id)
      from ${source} b
      left join identities i on b.user_id is null and i.write_key = b.write_key and i.anonymous_id = b.anonymous_id
      where b.event like 'Cancel %')`;
}

/** Marks both people of each link about to be applied (from the link queue, before it is emptied). */
export const linkWorkSql = `
  insert into rollup_fact_work (write_key, person)
  select write_key, anonymous_id from rollup_link_queue
  union all
  select write_key, user_id from rollup_link_queue`;

/**
 * The cancel events that resolve to each marked person (as `resolved_facts` resolves them:
 * their user id, their anonymous ids linked to them, their own anonymous id when it is
 * linked to no one), one index probe each, in both counting modes.
 */
const markedEvents = `
  marked as (select distinct write_key, person from rollup_fact_work),
  marked_events as (
    select m.write_key, c.identity, m.person, f.id, f.ts, f.event, f.properties
    from marked m
    cross join lateral (
      select f.* from fact_events f
      where f.write_key = m.write_key and f.user_id = m.person and f.event like 'Cancel %'
      union all
      select f.* from identities i
      join fact_events f on f.write_key = i.write_key and f.anonymous_id = i.anonymous_id and f.user_id is null and f.event like 'Cancel %'
      where i.write_key = m.write_key and i.user_id = m.person
      union all
      select f.* from fact_events f
      where f.write_key = m.write_key and f.anonymous_id = m.person and f.user_id is null and f.event like 'Cancel %'
        and not exists (select 1 from identities i where i.write_key = m.write_key and i.anonymous_id = m.person)) f
    cross join lateral (values ('all', true), ('verified', f.verified is not false)) as c(identity, counted)
    where c.counted)`;

/** Works out every flow of the marked people again, then unmarks them. */
export async function foldCancelSessions(tx: Queryable): Promise<void> {
  await tx.query(
    `delete from rollup_cancel_sessions s using (select distinct write_key, person from rollup_fact_work) m
     where s.write_key = m.write_key and s.person = m.person`,
  );
  await tx.query(
    `with ${markedEvents},
     ${sessionCtes('sessions', 'marked_events', 'write_key, identity, person', 'true')}
     insert into rollup_cancel_sessions (write_key, identity, person, session_no, started_at, last_ts, reason, accepted_offer, variant, outcome)
     select write_key, identity, person, session_no, started_at, last_ts, reason, accepted_offer, variant, outcome from sessions`,
  );
  await tx.query('delete from rollup_fact_work');
}

/** Works out every flow again (migration 40, and a rebuild after the fact events are refilled). */
export async function rebuildCancelSessions(tx: Queryable): Promise<void> {
  await tx.query('truncate rollup_cancel_sessions');
  await tx.query('delete from rollup_fact_work');
  await tx.query(
    `insert into rollup_fact_work (write_key, person)
     select distinct write_key, person from resolved_facts where event like 'Cancel %'`,
  );
  await foldCancelSessions(tx);
}
