import type { Queryable, SqlValue } from '../db/database.ts';
import { stagedColumns } from '../db/rollups.ts';
import { ANONYMOUS_MARK } from '../db/persons.ts';
import { isVerifiedUser, recordVerifiedUsers } from '../db/verified-users.ts';
import type { ProfileWrites } from './known-profiles.ts';
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
   * Whether the event may write profiles (traits, verified users, identities, memberships):
   * always without a secret; with one, only when its userHash verified. Anyone holding the
   * public write key can send the rest, so it is stored and counted in the "all events" view
   * but changes no one.
   */
  trusted: boolean;
  /**
   * Whether the event may make its person a member of the group it names and (a `group` call)
   * write the group's traits: always without a secret; with one, only when its userHash verified
   * AND its `context.groupHash` verified for (userId, groupId). The browser names the group, so
   * without it any verified user could join any account (and read its leaderboard) or change
   * its traits (its `leaderboardOptOut`).
   */
  groupTrusted: boolean;
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
export function groupIdOf(message: Message): string | null {
  const fromContext = message.context?.['groupId'];
  return message.groupId ?? (typeof fromContext === 'string' && fromContext !== '' ? fromContext : null);
}

/**
 * The userHash and groupHash have done their job once checked; kept, they would let anyone who
 * reads the table send events as that user, in that account.
 */
function storedContext(message: Message): Record<string, unknown> {
  const { userHash: _checked, groupHash: _checkedGroup, ...context } = message.context ?? {};
  return context;
}

/**
 * Who sent an event, as far as deduplication goes: its user, else its visitor (the person the
 * collector counts it for before any identify link). messageIds are no secret (the SDK derives
 * a grant's from the public key and the user id, sdk/src/experiences/grant-id.ts), so a copy
 * from another sender is never a retry: deduplicating by messageId alone let any user send the
 * id of another user's badge first and have the real one dropped. The SDK stamps the ids on an
 * event when it is made, so its retries, and the same grant sent by the user's other tabs and
 * devices, all carry the same sender. Never '' (ids are not empty): the ledger keeps '' for
 * messageIds whose sender is unknown (see `legacySender`).
 */
export const senderOf = (message: Message): string => message.userId ?? message.anonymousId ?? '';

/**
 * The sender the messageId ledger gave ids stored before it knew senders and whose events are
 * gone (retention): a copy from anyone stays a duplicate of those, as it was.
 */
export const legacySender = '';

/** One key per (messageId, sender), for the sinks' answers and in-memory index: the length makes it unambiguous. */
export const dedupeKey = (messageId: string, sender: string): string => `${messageId.length}:${messageId}${sender}`;

/** The key under which `message` is deduplicated within its write key. */
export const dedupeKeyOf = (message: Message): string => dedupeKey(message.messageId, senderOf(message));

/** Text as PostgreSQL can hold it: a lone surrogate (valid in JS, not in UTF-8) becomes U+FFFD. */
const text = (value: string | null): string | null => (value === null ? null : (value as string & { toWellFormed(): string }).toWellFormed());

/** One event as a JSON array; the statement in storeEvents reads its fields by position. */
function tuple(row: EventRow): unknown[] {
  const m = row.message;
  return [
    text(row.writeKey), text(m.messageId), m.type, text(eventName(m)), text(m.userId ?? null), text(m.anonymousId ?? null), text(groupIdOf(m)),
    row.ts.toISOString(), m.properties ?? {}, m.traits ?? {}, storedContext(m), row.verified, row.receivedAt.toISOString(),
    impersonationCheck(row),
  ];
}

/**
 * Whether `storeEvents` must check that an anonymous event's anonymousId is no verified
 * user's id. Such an event is an anonymous visitor's, never the user's (db/persons.ts: persons
 * keep anonymous visitors apart since migration 95), but nobody the SDK made sends one (its
 * anonymousIds are random): it is marked unverified, so `?identity=verified` leaves it out and
 * says so. Only with a secret (the key verifies users, so an anonymous event is untrusted).
 */
const impersonationCheck = (row: EventRow): boolean => row.message.userId == null && row.message.anonymousId != null && !row.trusted;

/**
 * Whether `id` is the user id of a verified user of `key`: recorded (db/verified-users.ts), or
 * verified in this batch (`input`), whose users are recorded only after its events are stored.
 */
const verifiedUser = (key: string, id: string) => `(
  ${isVerifiedUser(key, id)}
  or (${key}, ${id}) in (select v.write_key, v.user_id from input v where v.verified))`;

/**
 * Inserts the events (their month partitions must exist: db/partitions.ts) and returns the
 * `dedupeKeyOf` of those that were new; the others were already stored (a retry: the same
 * messageId from the same sender), which is success for the sender. Then records traits, verified users,
 * identities and group memberships carried by the new trusted events only (memberships and group
 * traits only from `groupTrusted` ones), so a replay changes nothing. `profiles`
 * (optional) skips the users, identities and memberships already committed.
 */
export async function storeEvents(db: Queryable, rows: readonly EventRow[], profiles?: ProfileWrites): Promise<Set<string>> {
  const fresh = new Set<string>();
  if (rows.length === 0) return fresh;
  // The same messageId from the same sender twice in one batch would make one INSERT touch a row twice.
  const unique = [...new Map(rows.map((row) => [dedupeKeyOf(row.message), row])).values()];
  // The whole batch as one JSON parameter, one statement for any batch size: one
  // JSON.stringify of the parsed objects, where column arrays of JSON text cost the
  // collector twice the CPU (each document escaped again inside an array literal) and
  // PostgreSQL the same. The messageId ledger decides what is new; the new rows are staged
  // for the rollups in the same statement, so the rollups never miss or double an event.
  const { rows: inserted } = await db.query<{ message_id: string; sender: string }>(
    `with input as (
       select e->>0 as write_key, e->>1 as message_id, e->>2 as type, e->>3 as event, e->>4 as user_id,
              e->>5 as anonymous_id, e->>6 as group_id, (e->>7)::timestamptz as ts, e->8 as properties,
              e->9 as traits, e->10 as context, (e->>11)::boolean as verified, (e->>12)::timestamptz as received_at,
              (e->>13)::boolean as check_anonymous, coalesce(e->>4, e->>5, '') as sender
       from jsonb_array_elements($1::jsonb) as e),
     new_ids as (
       -- Per sender (see senderOf). Within one sender, the messageId is still no secret: a copy
       -- sent first without the userHash (anyone can name a userId) must not make the vouched-for
       -- one a duplicate. That one is stored beside it (the unverified copy counts only with
       -- ?identity=all, as it did); from then on the id is settled and any copy is a duplicate.
       insert into event_ids (write_key, message_id, sender, replaceable)
       select i.write_key, i.message_id, i.sender, i.verified is not true from input i
       where not exists (
         select from event_ids l
         where l.write_key = i.write_key and l.message_id = i.message_id and l.sender = '${legacySender}')
       on conflict (write_key, message_id, sender) do update set replaceable = false
         where event_ids.replaceable and not excluded.replaceable
       returning write_key, message_id, sender),
     ins as (
       insert into events (write_key, message_id, type, event, user_id, anonymous_id, group_id,
                           ts, properties, traits, context, verified, received_at)
       select i.write_key, i.message_id, i.type, i.event, i.user_id, i.anonymous_id, i.group_id,
              i.ts, i.properties, i.traits, i.context,
              case when i.check_anonymous and ${verifiedUser('i.write_key', 'i.anonymous_id')} then false else i.verified end,
              i.received_at
       from input i join new_ids n on n.write_key = i.write_key and n.message_id = i.message_id and n.sender = i.sender
       returning id, write_key, message_id, type, event, user_id, anonymous_id, ts, properties, verified),
     staged as (insert into rollup_staging (${stagedColumns}) select ${stagedColumns} from ins)
     select message_id, coalesce(user_id, anonymous_id, '') as sender from ins`,
    [JSON.stringify(unique.map(tuple))],
    { prepare: 'linger_store_events' },
  );
  for (const row of inserted) fresh.add(dedupeKey(row.message_id, row.sender));
  const stored = unique.filter((row) => fresh.has(dedupeKeyOf(row.message)) && row.trusted);
  await recordProfiles(db, stored, profiles);
  return fresh;
}

/** Latest value wins per key: newer traits are merged over older ones, whatever the arrival order. */
/**
 * Trait names one person (or account) may hold: past it, a write updates the names held but adds
 * none. One user's identify calls otherwise grew one row without end (56,002 names), and every
 * name was a segment option on each dashboard load.
 */
export const MAX_STORED_TRAITS = 500;

const mergeTraits = (table: string) => {
  const merged = `case when excluded.updated_at >= ${table}.updated_at
    then ${table}.traits || excluded.traits else excluded.traits || ${table}.traits end`;
  const known = `(select coalesce(jsonb_object_agg(k, v), '{}'::jsonb) from jsonb_each(excluded.traits) as n(k, v) where ${table}.traits ? k)`;
  const kept = `case when excluded.updated_at >= ${table}.updated_at then ${table}.traits || ${known} else ${known} || ${table}.traits end`;
  return `
  traits = case when (select count(*) from jsonb_object_keys(${merged})) <= ${MAX_STORED_TRAITS} then ${merged} else ${kept} end,
  updated_at = greatest(${table}.updated_at, excluded.updated_at)`;
};

async function recordProfiles(db: Queryable, rows: readonly EventRow[], profiles: ProfileWrites | undefined): Promise<void> {
  // Track calls repeat the same identity and group on every event: write each pair once.
  const users = new Map<string, [string, string]>();
  const identities = new Map<string, [string, string, string]>();
  const memberships = new Map<string, [string, string, string]>();
  const traitWrites: { table: 'group_traits' | 'user_traits'; column: string; key: string; params: SqlValue[] }[] = [];
  for (const row of rows) {
    const m = row.message;
    const userId = m.userId ?? null;
    // an anonymous visitor's traits and accounts are never those of the user their anonymousId names (db/persons.ts)
    const person = userId ?? (m.anonymousId != null ? ANONYMOUS_MARK + m.anonymousId : null);
    const userKey = `u\u0000${row.writeKey}\u0000${userId}`;
    if (userId !== null && !users.has(userKey) && !profiles?.known(userKey)) users.set(userKey, [row.writeKey, userId]);
    // An anonymous id links to its first user only (the insert below does nothing after that).
    const identityKey = `i\u0000${row.writeKey}\u0000${m.anonymousId}`;
    if (userId !== null && m.anonymousId != null && !identities.has(identityKey) && !profiles?.known(identityKey)) {
      identities.set(identityKey, [row.writeKey, m.anonymousId, userId]);
    }
    const groupId = row.groupTrusted ? groupIdOf(m) : null;
    const membershipKey = `m\u0000${row.writeKey}\u0000${person}\u0000${groupId}`;
    if (groupId !== null && person !== null && !profiles?.known(membershipKey)) {
      memberships.set(membershipKey, [row.writeKey, person, groupId]);
    }
    if (m.type === 'identify' && person !== null && m.traits && Object.keys(m.traits).length > 0) {
      traitWrites.push({ table: 'user_traits', column: 'person', key: `${row.writeKey}\u0000${person}`, params: [row.writeKey, person, JSON.stringify(m.traits), row.ts] });
    }
    if (m.type === 'group' && row.groupTrusted && m.groupId != null && m.traits && Object.keys(m.traits).length > 0) {
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
  for (const key of users.keys()) profiles?.note(key);
  for (const key of identities.keys()) profiles?.note(key);
  for (const key of memberships.keys()) profiles?.note(key);
  // One statement per table, however many people the batch holds. The users first: the links'
  // check below then sees this batch's too.
  await recordVerifiedUsers(db, sortedValues(users));
  if (identities.size > 0) {
    const [keys, anonymousIds, userIds] = columns(sortedValues(identities));
    // A new link is queued for the rollups too: what the anonymous id did before becomes the user's.
    // Never another verified user's id as the anonymous one: the link would hand that user's own
    // active days to whoever sent it (the SDK's anonymousIds are random). Nor their own: what was
    // sent anonymously under a user's id is no proof it was them (db/persons.ts).
    await db.query(
      `with linked as (
         insert into identities (write_key, anonymous_id, user_id)
         select * from unnest($1::text[], $2::text[], $3::text[]) as l(write_key, anonymous_id, user_id)
         where l.anonymous_id <> l.user_id and not ${isVerifiedUser('l.write_key', 'l.anonymous_id')}
         on conflict do nothing
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
