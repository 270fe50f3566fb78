import type { Queryable, SqlValue } from '../db/database.ts';
import { stagedColumns } from '../db/rollups.ts';
import type { Message } from './message-schema.ts';

/** A validated message ready for the events table. */
export interface EventRow {
  writeKey: string;
  message: Message;
  /** Event time after clock-skew correction. */
  ts: Date;
  /** When the collector received the request: the clock the correction is based on. */
  receivedAt: Date;
  verified: boolean | null;
  /**
   * Whether the event may write profiles (traits, identities, memberships): always without a
   * secret; with one, only when its userHash verified. Anyone holding the public write key can
   * send the rest, so it is stored and counted in the "all events" view but changes no one.
   */
  trusted: boolean;
}

/** The `name` of a page call sits in `event` too, so "which page" and "which event" is one column. */
function eventName(message: Message): string | null {
  if (message.type === 'track') return message.event ?? null;
  if (message.type === 'page' || message.type === 'screen') return message.name ?? null;
  return null;
}

/**
 * Group calls name the account at the top level; the Linger SDK puts the current account of
 * every other call in `context.groupId`. Either way the event belongs to that account.
 */
function groupIdOf(message: Message): string | null {
  const fromContext = message.context?.['groupId'];
  return message.groupId ?? (typeof fromContext === 'string' && fromContext !== '' ? fromContext : null);
}

/**
 * The userHash has done its job once checked; kept, it would let anyone who reads the table
 * send events as that user.
 */
function storedContext(message: Message): Record<string, unknown> {
  const { userHash: _checked, ...context } = message.context ?? {};
  return context;
}

/**
 * Inserts the events (their month partitions must exist: db/partitions.ts) and returns the messageIds that were new; the others were already
 * stored (a retry), which is success for the sender. Then records identities, traits and
 * group memberships carried by the new events only, so a replay changes nothing.
 */
export async function storeEvents(db: Queryable, rows: readonly EventRow[]): Promise<Set<string>> {
  const fresh = new Set<string>();
  if (rows.length === 0) return fresh;
  // Identical messageIds inside one batch would make one INSERT touch a row twice.
  const unique = [...new Map(rows.map((row) => [row.message.messageId, row])).values()];
  // Column arrays through unnest: one statement and 13 parameters for any batch size. The
  // messageId ledger decides what is new; the new rows are staged for the rollups in the same
  // statement, so the rollups never miss or double an event.
  const { rows: inserted } = await db.query<{ message_id: string }>(
    `with input as (
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::timestamptz[], $9::jsonb[], $10::jsonb[], $11::jsonb[], $12::boolean[], $13::timestamptz[])
         as t(write_key, message_id, type, event, user_id, anonymous_id, group_id, ts, properties, traits, context, verified, received_at)),
     new_ids as (
       insert into event_ids (write_key, message_id) select write_key, message_id from input
       on conflict (write_key, message_id) do nothing
       returning write_key, message_id),
     ins as (
       insert into events (write_key, message_id, type, event, user_id, anonymous_id, group_id,
                           ts, properties, traits, context, verified, received_at)
       select i.write_key, i.message_id, i.type, i.event, i.user_id, i.anonymous_id, i.group_id,
              i.ts, i.properties, i.traits, i.context, i.verified, i.received_at
       from input i join new_ids n on n.write_key = i.write_key and n.message_id = i.message_id
       returning id, write_key, message_id, type, event, user_id, anonymous_id, ts, properties, verified),
     staged as (insert into rollup_staging (${stagedColumns}) select ${stagedColumns} from ins)
     select message_id from ins`,
    [
      unique.map((r) => r.writeKey),
      unique.map((r) => r.message.messageId),
      unique.map((r) => r.message.type),
      unique.map((r) => eventName(r.message)),
      unique.map((r) => r.message.userId ?? null),
      unique.map((r) => r.message.anonymousId ?? null),
      unique.map((r) => groupIdOf(r.message)),
      unique.map((r) => r.ts.toISOString()),
      unique.map((r) => JSON.stringify(r.message.properties ?? {})),
      unique.map((r) => JSON.stringify(r.message.traits ?? {})),
      unique.map((r) => JSON.stringify(storedContext(r.message))),
      unique.map((r) => r.verified),
      unique.map((r) => r.receivedAt.toISOString()),
    ],
  );
  for (const row of inserted) fresh.add(row.message_id);
  const stored = unique.filter((row) => fresh.has(row.message.messageId) && row.trusted);
  await recordProfiles(db, stored);
  return fresh;
}

/** Latest value wins per key: newer traits are merged over older ones, whatever the arrival order. */
const mergeTraits = (table: string) => `
  traits = case when excluded.updated_at >= ${table}.updated_at
    then ${table}.traits || excluded.traits else excluded.traits || ${table}.traits end,
  updated_at = greatest(${table}.updated_at, excluded.updated_at)`;

async function recordProfiles(db: Queryable, rows: readonly EventRow[]): Promise<void> {
  // Track calls repeat the same identity and group on every event: write each pair once.
  const identities = new Map<string, [string, string, string]>();
  const memberships = new Map<string, [string, string, string]>();
  const traitWrites: { table: 'group_traits' | 'user_traits'; column: string; key: string; params: SqlValue[] }[] = [];
  for (const row of rows) {
    const m = row.message;
    const userId = m.userId ?? null;
    const person = userId ?? m.anonymousId ?? null;
    const identityKey = `${row.writeKey}\u0000${m.anonymousId}`;
    if (userId !== null && m.anonymousId != null && !identities.has(identityKey)) {
      identities.set(identityKey, [row.writeKey, m.anonymousId, userId]);
    }
    const groupId = groupIdOf(m);
    if (groupId !== null && person !== null) {
      memberships.set(`${row.writeKey}\u0000${person}\u0000${groupId}`, [row.writeKey, person, groupId]);
    }
    if (m.type === 'identify' && person !== null && m.traits && Object.keys(m.traits).length > 0) {
      traitWrites.push({ table: 'user_traits', column: 'person', key: `${row.writeKey}\u0000${person}`, params: [row.writeKey, person, JSON.stringify(m.traits), row.ts] });
    }
    if (m.type === 'group' && m.groupId != null && m.traits && Object.keys(m.traits).length > 0) {
      traitWrites.push({ table: 'group_traits', column: 'group_id', key: `${row.writeKey}\u0000${m.groupId}`, params: [row.writeKey, m.groupId, JSON.stringify(m.traits), row.ts] });
    }
  }
  // Every table in the same order and every table's rows in key order: concurrent batches
  // touching the same people and accounts then wait for each other instead of deadlocking.
  // (The merge keeps the latest value per trait whatever the order of the writes.)
  traitWrites.sort((a, b) => a.table.localeCompare(b.table) || compare(a.key, b.key));
  for (const write of traitWrites) {
    await db.query(
      `insert into ${write.table} (write_key, ${write.column}, traits, updated_at) values ($1, $2, $3::jsonb, $4::timestamptz)
       on conflict (write_key, ${write.column}) do update set ${mergeTraits(write.table)}`,
      write.params,
    );
  }
  // One statement per table, however many people the batch holds.
  if (identities.size > 0) {
    const [keys, anonymousIds, userIds] = columns(sortedValues(identities));
    // A new link is queued for the rollups too: what the anonymous id did before becomes the user's.
    await db.query(
      `with linked as (
         insert into identities (write_key, anonymous_id, user_id)
         select * from unnest($1::text[], $2::text[], $3::text[]) on conflict do nothing
         returning write_key, anonymous_id, user_id)
       insert into rollup_link_queue (write_key, anonymous_id, user_id) select * from linked`,
      [keys, anonymousIds, userIds],
    );
  }
  if (memberships.size > 0) {
    const [keys, people, groupIds] = columns(sortedValues(memberships));
    await db.query(
      `insert into memberships (write_key, person, group_id)
       select * from unnest($1::text[], $2::text[], $3::text[]) on conflict do nothing`,
      [keys, people, groupIds],
    );
  }
}

/** Code-unit order, the same in every process (localeCompare depends on the locale). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const sortedValues = <T>(map: Map<string, T>): T[] => [...map.entries()].sort(([a], [b]) => compare(a, b)).map(([, value]) => value);

function columns(rows: readonly [string, string, string][]): [string[], string[], string[]] {
  return [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])];
}
