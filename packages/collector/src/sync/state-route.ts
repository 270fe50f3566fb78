import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database, Queryable } from '../db/database.ts';
import { readBody } from '../http/body.ts';
import { sendJson } from '../http/respond.ts';
import { kept, type SyncedField } from './state-merge.ts';
import { refusalHeaders, verifyUser, type VerifyDeps, userHashOf } from './verified-user.ts';

export interface StateRouteDeps extends VerifyDeps {
  db: Database;
  now: () => Date;
}

/**
 * Bounds, so one user's state stays a small document whatever a client sends. A checklist is a
 * field per task done (up to 50) and its status: 1,000 leaves room for many long lists, the
 * fields older SDKs wrote beside them, badges and history.
 */
export const MAX_FIELDS = 1000;
const MAX_BODY = 256 * 1024;
/**
 * What a user's stored values may add up to (as JSON text). Each PUT is bounded by MAX_BODY, but
 * without this a user (or an SDK gone wrong) could store a full body per field, a thousand times
 * over (256 MB), and every device of theirs would download it all on each page. The SDK's state
 * is a few hundred bytes per field: 1 MiB leaves room for MAX_FIELDS of them.
 */
export const MAX_STATE_BYTES = 1024 * 1024;
/**
 * A field name: a doc key and an entry's id. Billing's failed payment is one field per account,
 * named after the vendor's groupId (`billing.due:<groupId>`), and group() takes any id of up to
 * 200 characters (spaces, @, /, accents, a tab): refused, the PUT failed whole, and the user's
 * sync with it. Only NUL is refused, which Postgres cannot store.
 */
const FIELD = /^[^\x00]{1,256}$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `version` is a 32-bit integer column, and a join (state-merge.ts) stores one past the higher version. */
const MAX_VERSION = 2 ** 31 - 2;
/** The range of a JavaScript Date, in ms: any clock's `at`, and well inside the bigint column. */
const MAX_AT = 8.64e15;
/** How deep a value may nest: the SDK's deepest state is a few levels; JSON.stringify overflows on thousands. */
const MAX_DEPTH = 64;
/** A NUL (jsonb refuses it) or a lone surrogate (half an emoji: not UTF-8, which jsonb refuses too). */
const UNSTORABLE = /\0|\p{Cs}/u;

/**
 * Why PostgreSQL could not store `value` as jsonb, or undefined. Checked here so the device is
 * told which field (400) instead of getting a 500, which it retries forever. Walked with a
 * stack of its own: recursion would overflow on the very values this exists to catch.
 */
function valueProblem(value: unknown): string | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current === 'string' && UNSTORABLE.test(current)) return 'holds a NUL character or a lone surrogate';
    if (typeof current !== 'object' || current === null) continue;
    if (depth > MAX_DEPTH) return `nested deeper than ${MAX_DEPTH} levels`;
    for (const [k, v] of Object.entries(current)) {
      if (UNSTORABLE.test(k)) return 'holds a NUL character or a lone surrogate';
      stack.push([v, depth + 1]);
    }
  }
  return undefined;
}

/**
 * Fields by name, in an object with no prototype: a field is any name (FIELD), and in a plain
 * object `constructor` or `toString` read as present before they were stored, and `__proto__`
 * could not be stored; each was answered 200 and dropped.
 */
const fieldMap = (entries: Iterable<readonly [string, SyncedField]>): Record<string, SyncedField> =>
  Object.assign(Object.create(null) as Record<string, SyncedField>, Object.fromEntries(entries));

const stateBytes = (fields: Record<string, SyncedField>) =>
  Object.values(fields).reduce((sum, f) => sum + Buffer.byteLength(JSON.stringify(f.value) ?? ''), 0);

async function readState(db: Queryable, writeKey: string, userId: string): Promise<Record<string, SyncedField>> {
  const { rows } = await db.query<{ field: string; value: unknown; version: number; at: string | number }>(
    'select field, value, version, at from user_state where write_key = $1 and user_id = $2',
    [writeKey, userId],
  );
  return fieldMap(rows.map((r) => [r.field, { value: r.value, version: Number(r.version), at: Number(r.at) }]));
}

/** Checks a PUT's fields one by one; the first problem names its path and rule. */
function parseFields(raw: unknown): { ok: true; fields: Record<string, SyncedField> } | { ok: false; error: string } {
  if (!isRecord(raw)) return { ok: false, error: 'fields: must be an object of { value, version, at }' };
  const names = Object.keys(raw);
  if (names.length > MAX_FIELDS) return { ok: false, error: `fields: at most ${MAX_FIELDS}` };
  const fields = fieldMap([]);
  for (const name of names) {
    const f = raw[name];
    if (!FIELD.test(name)) return { ok: false, error: `fields.${name.slice(0, 40)}: a field name is 1–256 characters, no NUL` };
    if (!isRecord(f) || !('value' in f)) return { ok: false, error: `fields.${name}: must be { value, version, at }` };
    if (!Number.isSafeInteger(f['version']) || (f['version'] as number) < 1) return { ok: false, error: `fields.${name}.version: must be a whole number ≥ 1` };
    if ((f['version'] as number) > MAX_VERSION) return { ok: false, error: `fields.${name}.version: must be at most ${MAX_VERSION}` };
    if (typeof f['at'] !== 'number' || !(Math.abs(f['at']) <= MAX_AT)) return { ok: false, error: `fields.${name}.at: must be a time in ms` };
    const problem = valueProblem(f['value']);
    if (problem) return { ok: false, error: `fields.${name}.value: ${problem}` };
    fields[name] = { value: f['value'], version: f['version'] as number, at: Math.round(f['at'] as number) };
  }
  return { ok: true, fields };
}

/**
 * `GET /v1/state?userId=…&userHash=…`: the user's synced experience state.
 * `PUT /v1/state` with `{ userId, userHash, fields }`: each field is kept when it wins, or joined
 * with the stored copy where nothing may be lost (state-merge.ts), and the answer is the whole
 * state after the merge, so the device takes in what other devices wrote, and the join, in the
 * same round trip.
 */
export async function handleState(req: IncomingMessage, res: ServerResponse, url: URL, deps: StateRouteDeps, headers: Record<string, string>): Promise<void> {
  if (req.method === 'GET') {
    const who = await verifyUser(req, deps, url.searchParams.get('userId'), userHashOf(req, url));
    if (!who.ok) return sendJson(res, who.status, { ok: false, errors: [who.error] }, refusalHeaders(who, headers));
    return sendJson(res, 200, { ok: true, fields: await readState(deps.db, who.writeKey, who.userId) }, headers);
  }
  if (req.method !== 'PUT') return sendJson(res, 405, { ok: false, errors: ['/v1/state takes GET and PUT'] }, { ...headers, Allow: 'GET, PUT' });
  const body = await readBody(req, MAX_BODY);
  if (!body.ok) return sendJson(res, body.status, { ok: false, errors: [body.error] }, { ...headers, Connection: 'close' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch (e) {
    return sendJson(res, 400, { ok: false, errors: [`body is not valid JSON: ${(e as Error).message}`] }, headers);
  }
  if (!isRecord(parsed)) return sendJson(res, 400, { ok: false, errors: ['body must be a JSON object'] }, headers);
  const who = await verifyUser(req, deps, parsed['userId'], parsed['userHash']);
  if (!who.ok) return sendJson(res, who.status, { ok: false, errors: [who.error] }, refusalHeaders(who, headers));
  const input = parseFields(parsed['fields']);
  if (!input.ok) return sendJson(res, 400, { ok: false, errors: [input.error] }, headers);
  const now = deps.now();
  const merged = await deps.db.transaction(async (tx) => {
    // One device's writes at a time per user: the compare and the write must see the same row.
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`${who.writeKey} ${who.userId}`]);
    const stored = await readState(tx, who.writeKey, who.userId);
    const fresh = Object.entries(input.fields).flatMap(([name, f]) => {
      const keep = kept(name, f, stored[name], now.getTime());
      return keep ? [[name, keep] as const] : [];
    });
    if (Object.keys(stored).length + fresh.filter(([n]) => !stored[n]).length > MAX_FIELDS) return `fields: a user's state holds at most ${MAX_FIELDS} fields`;
    // Only growth is refused: a state stored before the bound (or by it) can always be made smaller.
    const size = stateBytes({ ...stored, ...Object.fromEntries(fresh) });
    if (size > MAX_STATE_BYTES && size > stateBytes(stored)) return `fields: a user's state holds at most ${MAX_STATE_BYTES} bytes of values`;
    for (const [name, f] of fresh) {
      await tx.query(
        `insert into user_state (write_key, user_id, field, value, version, at, updated_at) values ($1, $2, $3, $4::jsonb, $5, $6, $7::timestamptz)
         on conflict (write_key, user_id, field) do update set value = excluded.value, version = excluded.version, at = excluded.at, updated_at = excluded.updated_at`,
        [who.writeKey, who.userId, name, JSON.stringify(f.value), f.version, f.at, now.toISOString()],
      );
      stored[name] = f;
    }
    return stored;
  });
  if (typeof merged === 'string') return sendJson(res, 413, { ok: false, errors: [merged] }, headers);
  return sendJson(res, 200, { ok: true, fields: merged }, headers);
}
