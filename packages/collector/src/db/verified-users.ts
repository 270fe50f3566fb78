import type { Queryable } from './database.ts';

/**
 * Migration 80: every user a trusted event named (its userHash verified; with a key without a
 * secret, every user), kept apart from `identities`. Links exist only for events that carried an
 * anonymousId beside the userId, and a vendor's backend (Segment server-side, `/v1/identify`,
 * `/v1/track`) sends userId alone: once such a user's events were rolled up nothing said they
 * were verified, and anyone with the public write key could send `{ anonymousId: "<them>" }`
 * and be counted as them, or link their id to another verified user.
 *
 * Filled from what already says so: the rolled-up actors (a user's row without a failed
 * userHash), the events not rolled up yet, and the links' users (what the check read before).
 * The rollups keep the months retention dropped from the events, so nobody is left out.
 * Users of keys without a secret are kept too, so a secret added later protects them at once.
 */
export const verifiedUsersSchema = `
  create table verified_users (
    write_key text not null,
    user_id text not null,
    primary key (write_key, user_id)
  );
  insert into verified_users (write_key, user_id)
    select write_key, actor from rollup_people where not anonymous and not unverified
    union select write_key, user_id from rollup_staging where user_id is not null and verified is not false
    union select write_key, user_id from identities
`;

/**
 * Whether `id` is the user id of a verified user of `key` (SQL expressions both). Indexed, never
 * emptied by a rollup rebuild: ingestion must not wait for one to commit (rollups.ts).
 */
export const isVerifiedUser = (key: string, id: string) =>
  `exists (select 1 from verified_users v where v.write_key = ${key} and v.user_id = ${id})`;

/** Records users trusted events named; `users` are [writeKey, userId] pairs, in key order (ingest/store.ts). */
export async function recordVerifiedUsers(db: Queryable, users: readonly (readonly [string, string])[]): Promise<void> {
  if (users.length === 0) return;
  await db.query(
    `insert into verified_users (write_key, user_id)
     select * from unnest($1::text[], $2::text[]) on conflict do nothing`,
    [users.map((u) => u[0]), users.map((u) => u[1])],
  );
}
