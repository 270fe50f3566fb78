import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../db/database.ts';
import { loadFlows, type FlowsSource } from '../flows.ts';
import { sendJson } from '../http/respond.ts';
import { catalogFromFlows, emptyCatalog, type FlowsCatalog } from '../insights/flows-catalog.ts';
import { refusalHeaders, verifyUser, type VerifyDeps, userHashOf } from './verified-user.ts';

export interface LeaderboardDeps extends VerifyDeps {
  db: Database;
  /** The flows the collector serves: what each grant is worth. */
  flows: FlowsSource;
}

export interface LeaderboardRow {
  rank: number;
  /**
   * As the vendor supplied it (the `displayName` trait); null when they did not, or when another
   * member went by it first (`boardNames`). Never an email or id.
   */
  name: string | null;
  points: number;
  badges: number;
  /** The user who asked. */
  you: boolean;
}

export const LEADERBOARD_SIZE = 20;
/** Events that carry granted points (each one once per user: the SDK's grant ids dedupe them). */
export const POINT_EVENTS = ['Badge Earned', 'Checklist Task Completed', 'Checklist Completed'];

/**
 * What a point event grants, for `alias`'s row: a badge, a checklist's task, or the checklist
 * itself. A person is granted each once, whatever events say so: the SDK's grant ids dedupe a
 * resend, but not a grant sent under two keys of one person (a visitor's, then the user's it was
 * linked to), which would count its points twice. An event naming nothing is its own grant.
 */
export const grantOf = (alias: string) => `coalesce(
      case ${alias}.event when 'Badge Earned' then 'b:' || (${alias}.properties ->> 'badgeId')
        else 'c:' || (${alias}.properties ->> 'checklistId') || ':' || coalesce(${alias}.properties ->> 'taskId', '') end,
      'e:' || ${alias}.id)`;

/**
 * What each grant the flows define is worth, as parallel arrays for `unnest`: a badge
 * (`b:<badgeId>`: its `points`), a checklist's task (`c:<checklistId>:<taskId>`: its `points`)
 * and a checklist (`c:<checklistId>:`: its `reward.points`); none set is 0. Points come from
 * here, never from the events: the browser sends those, and could claim any number. A grant the
 * flows do not define (a made-up badge) is worth nothing; without flows, nothing is.
 */
export function grantPoints(catalog: FlowsCatalog): { grants: string[]; points: number[] } {
  const worth = new Map<string, number>();
  for (const badge of catalog.badges) worth.set(`b:${badge.id}`, badge.points ?? 0);
  for (const list of catalog.checklists) {
    worth.set(`c:${list.id}:`, list.rewardPoints ?? 0);
    for (const task of list.tasks) worth.set(`c:${list.id}:${task.id}`, task.points ?? 0);
  }
  return { grants: [...worth.keys()], points: [...worth.values()] };
}

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]/;

/**
 * The name a teammate is listed by: the vendor's `displayName`, at most 80 characters (never half
 * an emoji), or null ("Teammate"). Apps often fill a name not set with the sign-in email:
 * teammates would read the personal data the board promises never to show.
 */
export function boardName(traits: unknown): string | null {
  const raw = (traits as Record<string, unknown> | null)?.['displayName'];
  if (typeof raw !== 'string') return null;
  const name = raw.trim().slice(0, 80).replace(/[\uD800-\uDBFF]$/, '').trim();
  if (!name || EMAIL.test(name)) return null;
  return name;
}

/**
 * Whether event `e` is the person's own: sent as a user, or as a visitor a verified event linked to
 * them. Not an anonymous event whose anonymousId is the member's own id (a badge, an opt-out
 * planted in a newcomer's predictable id): such an event is its visitor's (persons.ts), so its
 * person is never its anonymousId, and the second test holds for every anonymous event a link
 * did not make the member's. Kept as a guard should the person of a visitor change shape again.
 */
export const ownEvent = (e: string) => `${e}.verified is not false and (${e}.user_id is not null or ${e}.anonymous_id <> ${e}.person)`;

/** How a name reads to a teammate: case, width and spacing aside ("ann  lee" is "Ann Lee"). */
const nameKey = (name: string) => name.normalize('NFKC').toLocaleLowerCase().replace(/\s+/g, ' ');

/**
 * Each member's board name (`boardName`), but for a name two members go by: the user sets it in
 * their own identify call (the console will do), so a teammate could pass for another. The one
 * who claimed it first keeps it; the others are "Teammate". First by the collector's clock (an
 * event's timestamp is the browser's to choose), over the user's own identify calls.
 */
async function boardNames(db: Database, writeKey: string, people: { person: string; traits: unknown }[]): Promise<Map<string, string | null>> {
  const names = new Map(people.map((r) => [r.person, boardName(r.traits)]));
  const holders = new Map<string, string[]>();
  for (const [person, name] of names) if (name !== null) holders.set(nameKey(name), [...(holders.get(nameKey(name)) ?? []), person]);
  const shared = [...holders.values()].filter((p) => p.length > 1);
  if (shared.length === 0) return names;
  const { rows } = await db.query<{ person: string; name: string; at: number; id: number }>(
    `select user_id as person, traits ->> 'displayName' as name, extract(epoch from min(received_at))::float8 as at, min(id)::float8 as id
     from events
     where write_key = $1 and type = 'identify' and user_id = any($2::text[]) and verified is not false and traits ->> 'displayName' is not null
     group by 1, 2`,
    [writeKey, shared.flat()],
  );
  // [received, stored]: the order the collector took the claims in (the second within one instant).
  const since = (person: string) => {
    const key = nameKey(names.get(person)!);
    const claims = rows.filter((c) => c.person === person && nameKey(boardName({ displayName: c.name }) ?? '') === key);
    return claims.map((c) => [Number(c.at), Number(c.id)] as const).reduce((a, b) => (b[0] - a[0] || b[1] - a[1]) < 0 ? b : a, [Infinity, Infinity] as const);
  };
  const before = (a: string, b: string) => {
    const [x, y] = [since(a), since(b)];
    return (x[0] - y[0] || x[1] - y[1] || (a < b ? -1 : 1)) < 0;
  };
  for (const people of shared) {
    const first = people.reduce((a, b) => (before(b, a) ? b : a));
    for (const person of people) if (person !== first) names.set(person, null);
  }
  return names;
}

const optedOut = (traits: unknown) => {
  const v = (traits as Record<string, unknown> | null)?.['leaderboardOptOut'];
  return v === true || v === 'true';
};

/**
 * `GET /v1/leaderboard?group=…&userId=…&userHash=…`: the points and badges of the users of one
 * account, ranked, each grant worth what the flows say (`grantPoints`), each badge the flows
 * define counted. Only a verified member of the group may read it: one whose membership came
 * from an event with a valid userHash and groupHash (ingest.ts). An account that opted out
 * (group trait `leaderboardOptOut: true`) has no leaderboard; a user who opted out (the same
 * trait on the user, or their last `Leaderboard Opted Out` / `Opted In` event) is left off it,
 * but for their own row in their own answer when they left with the switch (`optedOut: 'user'`),
 * which the SDK drops; one the trait keeps out is told `optedOut: 'vendor'`.
 */
export async function handleLeaderboard(req: IncomingMessage, res: ServerResponse, url: URL, deps: LeaderboardDeps, headers: Record<string, string>): Promise<void> {
  const who = await verifyUser(req, deps, url.searchParams.get('userId'), userHashOf(req, url));
  if (!who.ok) return sendJson(res, who.status, { ok: false, errors: [who.error] }, refusalHeaders(who, headers));
  const group = url.searchParams.get('group');
  if (!group || group.length > 200) return sendJson(res, 400, { ok: false, errors: ['group: is required (the account id, as in group())'] }, headers);
  const { db } = deps;
  const { writeKey, userId } = who;
  const member = await db.query('select 1 from memberships where write_key = $1 and group_id = $2 and person = $3', [writeKey, group, userId]);
  if (member.rows.length === 0) return sendJson(res, 403, { ok: false, errors: ['this user is not a member of that group'] }, headers);
  const account = await db.query<{ traits: unknown }>('select traits from group_traits where write_key = $1 and group_id = $2', [writeKey, group]);
  if (optedOut(account.rows[0]?.traits)) return sendJson(res, 200, { ok: true, optedOut: 'account', rows: [] }, headers);

  const loaded = await loadFlows(deps.flows);
  const catalog = loaded.found ? catalogFromFlows(loaded.flows) : emptyCatalog;
  const worth = grantPoints(catalog);
  const { rows } = await db.query<{ person: string; traits: unknown; points: string | number; badges: string | number; choice: string | null }>(
    `with members as (
       select person from memberships where write_key = $1 and group_id = $2
     ), worth as (
       select * from unnest($4::text[], $5::int[]) as w(grant_id, points)
     ), grants as (
       select distinct on (e.person, ${grantOf('e')}) e.person, ${grantOf('e')} as grant_id
       from resolved_events e join members m on m.person = e.person
       where e.write_key = $1 and e.event = any($3::text[]) and ${ownEvent('e')}
       order by e.person, ${grantOf('e')}, e.ts, e.id
     ), earned as (
       select g.person, sum(w.points) as points, count(*) filter (where w.grant_id like 'b:%') as badges
       from grants g join worth w on w.grant_id = g.grant_id
       group by g.person
     ), choice as (
       select distinct on (e.person) e.person, e.event as choice
       from resolved_events e join members m on m.person = e.person
       where e.write_key = $1 and e.event in ('Leaderboard Opted Out', 'Leaderboard Opted In') and ${ownEvent('e')}
       order by e.person, e.ts desc
     )
     select m.person, t.traits, coalesce(x.points, 0) as points, coalesce(x.badges, 0) as badges, c.choice
     from members m
     left join earned x on x.person = m.person
     left join choice c on c.person = m.person
     left join user_traits t on t.write_key = $1 and t.person = m.person`,
    [writeKey, group, POINT_EVENTS, worth.grants, worth.points],
  );
  const mine = rows.find((r) => r.person === userId);
  // Either way out is out: the shelf's switch cannot put back on the board a user the vendor's
  // server opted out (the trait), nor the trait one who switched it off.
  const isOut = (r: (typeof rows)[number]) => r.choice === 'Leaderboard Opted Out' || optedOut(r.traits);
  const out = mine !== undefined && isOut(mine);
  // The asker who left with the shelf's switch keeps their own row, and only they see it: the
  // shelf drops it (moving up those below) while they are out, and shows it the moment they
  // switch back on, before their "Leaderboard Opted In" has reached the collector. One the
  // vendor's trait keeps out has none: the switch cannot put them back.
  const ranked = rows
    .filter((r) => (r === mine && !optedOut(r.traits)) || !isOut(r))
    .map((r) => ({ person: r.person, traits: r.traits, points: Number(r.points), badges: Number(r.badges) }))
    // Ties keep a stable order that says nothing about who they are.
    .sort((a, b) => b.points - a.points || b.badges - a.badges || (a.person < b.person ? -1 : 1));
  const names = await boardNames(db, writeKey, ranked);
  let rank = 0;
  let last: number | undefined;
  const board: LeaderboardRow[] = ranked.map((r, i) => {
    if (r.points !== last) rank = i + 1;
    last = r.points;
    return { rank, name: names.get(r.person) ?? null, points: r.points, badges: r.badges, you: r.person === userId };
  });
  const me = board.find((r) => r.you);
  // Out and in the top, their row takes no one's place: the shelf lists the top without it.
  const top = board.slice(0, LEADERBOARD_SIZE + (out && me && board.indexOf(me) < LEADERBOARD_SIZE ? 1 : 0));
  // The user always sees where they stand, even below the top.
  if (me && !top.includes(me)) top.push(me);
  // 'vendor': their trait keeps them off, which the shelf's switch cannot change (it shows off).
  return sendJson(res, 200, { ok: true, optedOut: out ? (optedOut(mine.traits) ? 'vendor' : 'user') : null, rows: top }, headers);
}
