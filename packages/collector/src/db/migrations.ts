import type { Database, Queryable } from './database.ts';
import { ensurePartitions } from './partitions.ts';
import { factRollupsSchema, rebuildFactRollups, refoldSavedFlows, responseScaleSql, sessionRunIdsSql } from './fact-rollups.ts';
import { distinctDaysSchema, rebuildDistinctDays } from './distinct-days.ts';
import { fillPersonBits, personBitsSchema, personBitsVarbitSql, personFirstSeenSql } from './person-bits.ts';
import { anonymousPersonViewsSql, eventTotalsSchema, fillEventTotals, preemptedDismissalsSql, preemptedTourDismissalsSql, rebuildActorRollups, skippedStepCompletionsSql, surveyDismissalFactsSql, surveyShowingFactsSql, tourRunFactsSql, rollupSchema, rollupTrustSchema } from './rollups.ts';
import { verifiedUsersSchema } from './verified-users.ts';

/**
 * Ordered, append-only list: a released migration is never edited, a change is a new entry.
 * Plain PostgreSQL that PGlite and a server both run unchanged.
 */
export const migrations: readonly { id: number; name: string; sql: string; after?: (db: Queryable) => Promise<unknown> }[] = [
  {
    id: 1,
    name: 'events and traits',
    sql: `
      create table events (
        id bigint generated always as identity primary key,
        write_key text not null,
        message_id text not null,
        type text not null,
        event text,
        user_id text,
        anonymous_id text,
        group_id text,
        -- client time corrected for clock skew with sentAt, the time every insight uses
        ts timestamptz not null,
        received_at timestamptz not null default now(),
        properties jsonb not null default '{}'::jsonb,
        traits jsonb not null default '{}'::jsonb,
        context jsonb not null default '{}'::jsonb,
        -- null: no secret configured or no userId; false: userHash missing or wrong
        verified boolean
      );
      create unique index events_message_id on events (write_key, message_id);
      create index events_key_event_ts on events (write_key, event, ts);
      create index events_key_ts on events (write_key, ts);
      create index events_user on events (write_key, user_id);
      create index events_anonymous on events (write_key, anonymous_id);

      -- first userId seen with an anonymousId: events sent before identify count for that user
      create table identities (
        write_key text not null,
        anonymous_id text not null,
        user_id text not null,
        primary key (write_key, anonymous_id)
      );

      create table user_traits (
        write_key text not null,
        person text not null,
        traits jsonb not null,
        updated_at timestamptz not null,
        primary key (write_key, person)
      );

      create table group_traits (
        write_key text not null,
        group_id text not null,
        traits jsonb not null,
        updated_at timestamptz not null,
        primary key (write_key, group_id)
      );

      create table memberships (
        write_key text not null,
        person text not null,
        group_id text not null,
        primary key (write_key, person, group_id)
      );

      -- every event with the person it belongs to, after identity resolution
      create view resolved_events as
        select e.*, coalesce(e.user_id, i.user_id, e.anonymous_id) as person
        from events e
        left join identities i
          on e.user_id is null and i.write_key = e.write_key and i.anonymous_id = e.anonymous_id;
    `,
  },
  {
    id: 2,
    name: 'rollups',
    sql: rollupSchema,
    // filled by migration 4, whose rebuild writes the columns it adds
  },
  {
    // Issue 15's third pass (see 20). Listed before 4: a fresh database runs 4's rebuild
    // next, which fills this table with the others; one that has 4 already fills it here.
    id: 21,
    name: 'events per day and dimension',
    sql: eventTotalsSchema,
    after: fillEventTotals,
  },
  {
    // Issue 15's fourth pass (40 upward; ingestion work uses 50 upward). Listed before 4: the
    // rebuild of a database from before the rollups marks the people of its fact events here.
    id: 40,
    name: 'cancellation flows and survey responses per person',
    sql: factRollupsSchema,
    after: rebuildFactRollups,
  },
  {
    // Numbered from 85 (after 84, the last one released) but listed right after 40: a fresh
    // database's rebuilds (4, 72, 74, 82) write this column, so it must be there before them.
    id: 85,
    name: 'a CES answer keeps the scale it was given on',
    // A CES moved from 1–7 to 1–5 averaged both scales' scores as one (a 5 was "very easy" or only
    // "easy"). SDKs now say each answer's scale: the stored responses are worked out again with it.
    sql: responseScaleSql,
    after: rebuildFactRollups,
  },
  {
    // Listed right after 85 for the same reason: every later rebuild of the flows writes this
    // column. 99, at the end, fills it for the flows stored before.
    id: 98,
    name: 'a cancel flow keeps the run ids it named',
    sql: sessionRunIdsSql,
  },
  {
    id: 3,
    name: 'events partitioned by month',
    // A unique index on a partitioned table must contain the partition key, and a retry can
    // carry another timestamp: messageIds move to a ledger of their own (kept by retention).
    sql: `
      drop view resolved_events;
      alter table events rename to events_unpartitioned;
      drop index events_key_event_ts;
      drop index events_key_ts;
      drop index events_user;
      drop index events_anonymous;

      create table event_ids (
        write_key text not null,
        message_id text not null,
        primary key (write_key, message_id)
      );
      insert into event_ids (write_key, message_id) select write_key, message_id from events_unpartitioned;

      create table events (
        id bigint generated always as identity,
        write_key text not null,
        message_id text not null,
        type text not null,
        event text,
        user_id text,
        anonymous_id text,
        group_id text,
        ts timestamptz not null,
        received_at timestamptz not null default now(),
        properties jsonb not null default '{}'::jsonb,
        traits jsonb not null default '{}'::jsonb,
        context jsonb not null default '{}'::jsonb,
        verified boolean
      ) partition by range (ts);
      create index events_id on events (write_key, id);
      create index events_key_event_ts on events (write_key, event, ts);
      create index events_key_ts on events (write_key, ts);
      create index events_user on events (write_key, user_id);
      create index events_anonymous on events (write_key, anonymous_id);

      create view resolved_events as
        select e.*, coalesce(e.user_id, i.user_id, e.anonymous_id) as person
        from events e
        left join identities i
          on e.user_id is null and i.write_key = e.write_key and i.anonymous_id = e.anonymous_id;
    `,
    after: async (tx) => {
      const { rows } = await tx.query<{ month: Date }>(
        `select distinct date_trunc('month', ts at time zone 'UTC') at time zone 'UTC' as month from events_unpartitioned`,
      );
      await ensurePartitions(tx, rows.map((r) => r.month));
      await tx.query(
        `insert into events (id, write_key, message_id, type, event, user_id, anonymous_id, group_id, ts, received_at,
                             properties, traits, context, verified)
         overriding system value
         select id, write_key, message_id, type, event, user_id, anonymous_id, group_id, ts, received_at,
                properties, traits, context, verified from events_unpartitioned`,
      );
      await tx.query(`select setval(pg_get_serial_sequence('events', 'id'), coalesce((select max(id) from events_unpartitioned), 0) + 1, false)`);
      await tx.query('drop table events_unpartitioned');
    },
  },
  {
    id: 4,
    name: 'rollups keep the trust flag',
    sql: rollupTrustSchema,
    // fills the rollups from the events stored so far, trust flag included
    after: rebuildActorRollups,
  },
  {
    // Issue 16's id, so migrations other work adds at the same time do not collide with it.
    id: 16,
    name: 'synced experience state per verified user',
    sql: `
      -- one row per field of a user's experience state; last writer wins per field, some fields joined (sync/state-merge.ts)
      create table user_state (
        write_key text not null,
        user_id text not null,
        field text not null,
        value jsonb not null,
        version integer not null,
        at bigint not null,
        updated_at timestamptz not null,
        primary key (write_key, user_id, field)
      );
    `,
  },
  {
    // Issue 15's third pass (20 upward; ingestion work uses 30 upward). Listed before 15: a
    // fresh database runs 15's rebuild next, which fills this table through the fold; one
    // that has 15 already fills it here from the person-days.
    id: 20,
    name: 'active days per person as one row',
    sql: personBitsSchema,
    after: fillPersonBits,
  },
  {
    // Issue 15's fifth pass (60 upward). Listed right after 20 and before 15: a fresh database
    // turns the still empty column into bits here, and 15's rebuild then fills it through the
    // fold, which writes bits; one that has 15 already converts the rows 20 filled.
    id: 60,
    name: 'active days per person as bits',
    sql: personBitsVarbitSql,
  },
  {
    // Issue 15's seventh pass. Before 15 for the same reason as 60: 15's rebuild folds, and the
    // fold writes this column.
    id: 61,
    name: 'first event time per person',
    sql: personFirstSeenSql,
  },
  {
    // Issue 15's id (see 16).
    id: 15,
    name: 'distinct people per day from gap histograms',
    sql: distinctDaysSchema,
    // from the per-actor rollups, which keep the months that retention dropped from the events
    after: rebuildDistinctDays,
  },
  {
    id: 22,
    name: 'cancellation events indexed',
    // Every cancel session is rebuilt from these on each churn and at-risk read; `like` cannot
    // use the event index under every collation, a partial index matches the same predicate.
    sql: `create index fact_events_cancel on fact_events (write_key, ts) where event like 'Cancel %'`,
  },
  {
    // Numbered from 30 so that migrations added by other work meanwhile (from 20) never collide.
    id: 30,
    name: 'events lose the indexes no query reads',
    // Every stored event paid for these (about 6 µs of PostgreSQL CPU each, measured), and no
    // query looks events up by user_id or anonymous_id: insights read the rollups, resolve a
    // person through `identities`, and read raw events by key, event and time (events_key_event_ts,
    // events_key_ts) or by id (events_id). Dropping the parent's index drops every partition's.
    sql: `
      drop index events_user;
      drop index events_anonymous;
    `,
  },
  {
    id: 50,
    name: 'the messageId ledger compares bytes',
    // The ledger only ever answers "stored before?", and every stored event probes its index
    // several times: under the database's collation each probe compared by locale rules
    // (about 8 µs of PostgreSQL CPU per event, measured under C.UTF-8, more under en_US).
    // Byte order answers equality the same way for these deterministic collations, so no
    // messageId changes meaning. Rebuilds the index once; the rows stay as they are.
    sql: `alter table event_ids alter column write_key type text collate "C", alter column message_id type text collate "C"`,
  },
  {
    id: 70,
    name: 'a pre-empted survey is not a dismissal',
    sql: preemptedDismissalsSql,
  },
  {
    id: 71,
    name: 'a vouched-for copy of a messageId is not a duplicate of an unverified one',
    // Ids stored before stay settled: their copies were not told apart, and a retry of a
    // verified event must stay a duplicate. A constant default adds the column without a rewrite.
    sql: `alter table event_ids add column replaceable boolean not null default false`,
  },
  {
    id: 72,
    name: 'an accepted offer with no completion is not a save',
    // The stored flows were worked out when such a flow counted as saved: worked out again.
    sql: '',
    after: rebuildFactRollups,
  },
  {
    id: 73,
    name: 'a pre-empted tour is not a dismissal',
    sql: preemptedTourDismissalsSql,
  },
  {
    id: 74,
    name: 'a cancel flow is told apart by its runId',
    // Runs an SDK named before this collector read the name were split by order alone (two tabs
    // made one flow of two): worked out again.
    sql: '',
    after: rebuildFactRollups,
  },
  {
    // Numbered from 80 so that migrations added by other work meanwhile (from 75) never collide.
    id: 80,
    name: 'verified users recorded apart from their anonymous links',
    sql: verifiedUsersSchema,
  },
  {
    id: 81,
    name: 'a messageId is deduplicated per sender',
    // A copy of a messageId from another person is not a retry (ingest/store.ts, senderOf): the
    // ledger is keyed by sender too, each stored id given the senders of its stored copies, so
    // a copy another sender had pre-empted is stored when it comes again. An id whose events
    // are gone (retention) keeps the sender '', a duplicate for any sender as before. The id's
    // flag carries over: what was settled stays settled.
    sql: `
      create table event_ids_by_sender (
        write_key text collate "C" not null,
        message_id text collate "C" not null,
        sender text collate "C" not null,
        replaceable boolean not null default false,
        primary key (write_key, message_id, sender)
      );
      insert into event_ids_by_sender (write_key, message_id, sender, replaceable)
        select distinct e.write_key, e.message_id, coalesce(e.user_id, e.anonymous_id, ''), l.replaceable
        from events e join event_ids l on l.write_key = e.write_key and l.message_id = e.message_id;
      insert into event_ids_by_sender (write_key, message_id, sender, replaceable)
        select l.write_key, l.message_id, '', false from event_ids l
        where not exists (select 1 from events e where e.write_key = l.write_key and e.message_id = l.message_id);
      drop table event_ids;
      alter table event_ids_by_sender rename to event_ids;
      alter index event_ids_by_sender_pkey rename to event_ids_pkey;
    `,
  },
  {
    id: 82,
    name: 'a save is credited to the offer it was',
    // A flow whose first offer the vendor's server refused, saved by another one taken after it,
    // was credited to the first: the stored flows are worked out again.
    sql: '',
    after: rebuildFactRollups,
  },
  {
    id: 83,
    name: 'a tour run is counted from its start',
    // A tour's completion rate divided the completions of a range by its starts, so a run started
    // on the 30th and finished on the 1st counted a completion in a month with no start (a rate
    // over 100%). SDKs now name each run (`runId`): its start, step views and end are kept with the fact
    // events, and a range counts how the runs started in it ended (insights/guidance.ts).
    sql: tourRunFactsSql,
  },
  {
    id: 84,
    name: 'a response rate counts the showings of its range',
    // A survey's response rate divided the answers of a range by its showings, so an answer on the
    // 1st to a survey shown on the 30th counted in a month without its showing (a rate over 100%).
    // Each showing names its response (`responseId`): the showings are kept with the fact events,
    // and a range counts which of its showings got an answer (insights/satisfaction.ts).
    sql: surveyShowingFactsSql,
  },
  {
    id: 86,
    name: 'a dismissal sent twice counts once',
    // The rollups count dismissals per day, so one the browser sent again under a new messageId (a
    // retry) counted twice. Each names its showing (`responseId`): the dismissals are kept with the
    // fact events, and satisfaction takes the copies off (insights/satisfaction.ts).
    sql: surveyDismissalFactsSql,
  },
  {
    id: 87,
    name: 'a cancel flow the page reloaded on is one flow',
    // A run with no ending (the page reloaded, the tab closed) is now one flow with the same
    // person's next run within 30 minutes (insights/cancel-sessions.ts), and an offer counts as
    // taken only in a flow that ended saved or contacted: the stored flows are worked out again.
    sql: '',
    after: rebuildFactRollups,
  },
  {
    // Numbered from 95 so that migrations other work adds meanwhile (from 88) never collide.
    id: 95,
    name: 'an anonymous visitor is never the user their anonymousId names',
    // A person was `coalesce(user_id, <linked user>, anonymous_id)`: anyone with the public write key
    // could send `{ anonymousId: "u_42" }` before u_42 signed in, and be u_42 in every read-out. An
    // unlinked visitor is now their anonymousId behind a mark no user id has (db/persons.ts). A link
    // of an id to itself proved nothing: gone. Traits and memberships that anonymous events wrote
    // (keys without a secret) move to the visitor: those of a user are the ones a user was recorded
    // for. Every rollup keyed by person is worked out again.
    sql: `
      delete from identities where anonymous_id = user_id;
      ${anonymousPersonViewsSql}
      update user_traits t set person = chr(1) || t.person
      where not exists (select 1 from verified_users v where v.write_key = t.write_key and v.user_id = t.person)
        and not exists (select 1 from rollup_people r where r.write_key = t.write_key and r.actor = t.person and not r.anonymous);
      update memberships m set person = chr(1) || m.person
      where not exists (select 1 from verified_users v where v.write_key = m.write_key and v.user_id = m.person)
        and not exists (select 1 from rollup_people r where r.write_key = m.write_key and r.actor = m.person and not r.anonymous);
    `,
    after: async (tx) => {
      await rebuildFactRollups(tx);
      await rebuildDistinctDays(tx);
    },
  },
  {
    id: 96,
    name: 'the same offer saved in two tabs is one save',
    // Runs that overlap and ended saved by the same offer are one flow now (insights/cancel-sessions.ts):
    // the flows of the people who were ever saved are worked out again, no one else's. 99 works out
    // the same people again, by the code of the day: a database from before 96 did that work twice
    // in one upgrade (minutes at a vendor's scale). 99 does it for both now.
    sql: '',
  },
  {
    id: 97,
    name: 'a tour finished past a skipped step is not a whole completion',
    // The day rollups counted every Tour Completed alike, so one sent without a runId (an older
    // SDK, a server, a hand-made call) read as a tour seen whole though it said stepsSkipped. Those
    // rolled up already move to rows with the detail 'skipped' (insights/guidance.ts).
    sql: skippedStepCompletionsSql,
  },
  {
    id: 99,
    name: 'a pause is the save of the flow it names',
    // A pause was tied to a flow by time, so one another tab's flow took meanwhile could be this
    // flow's save (judged from the wrong pause's end). Pauses name their run now: the flows a pause
    // can be tied to (those that ended saved) are worked out again with their run ids (98).
    sql: '',
    after: refoldSavedFlows,
  },
];

export type Migration = (typeof migrations)[number];

/**
 * Applies the migrations not yet recorded, each in its own transaction. A lock keeps two
 * collectors starting against one PostgreSQL server from applying the same step twice.
 * `onApply` hears of each one about to be applied (a rebuild can take minutes: the collector
 * says so on /healthz meanwhile); `list` is for tests only.
 */
export async function migrate(db: Database, onApply?: (migration: Migration) => void, list: readonly Migration[] = migrations): Promise<number[]> {
  await db.query(`create table if not exists linger_migrations (
    id integer primary key, name text not null, applied_at timestamptz not null default now())`);
  const applied: number[] = [];
  for (const migration of list) {
    const done = await db.transaction(async (tx) => {
      await tx.query('lock table linger_migrations in exclusive mode');
      const { rows } = await tx.query<{ id: number }>('select id from linger_migrations where id = $1', [migration.id]);
      if (rows.length > 0) return false;
      onApply?.(migration);
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await migration.after?.(tx);
      await tx.query('insert into linger_migrations (id, name) values ($1, $2)', [migration.id, migration.name]);
      return true;
    }).catch((error: unknown) => {
      // The collector stops with this message: it says which step to look into, not only a SQL error.
      throw new Error(`migration ${migration.id} (${migration.name}) failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    if (done) applied.push(migration.id);
  }
  return applied;
}

/** Extended-protocol queries take one statement each; the migration text has no `;` in strings. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((part) => part.replace(/^\s*--.*$/gm, '').trim())
    .filter((part) => part.length > 0);
}
