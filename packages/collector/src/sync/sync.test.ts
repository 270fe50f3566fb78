import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupHashFor, userHashFor } from '../ingest/user-hash.ts';
import { engines, engineTitle } from '../test-support/engines.ts';
import { basicAuth, msg, putState as putStateTo, seed, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';

const AT = '2026-11-02T10:00:00.000Z';
const LATER = '2026-11-03T10:00:00.000Z';
/** What the leaderboard's grants are worth: points come from the flows, never from the events. */
const flows = {
  version: 1,
  checklists: [{ id: 'onboarding', tasks: [{ id: 'a', points: 5 }] }],
  badges: [{ id: 'first-project', points: 10 }, { id: 'team-player', points: 25 }, { id: 'night-owl', points: 50 }],
};

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`state sync and leaderboards on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    const [key, noSecretKey] = uniqueKeys(2) as [string, string];
    const secret = 'shh-' + randomUUID();
    const hash = (userId: string) => userHashFor(secret, userId);

    const getState = (userId: string, userHash: string, k = key) =>
      fetch(`${collector.url}/v1/state?userId=${encodeURIComponent(userId)}&userHash=${userHash}`, { headers: { Authorization: basicAuth(k) } })
    const putState = (userId: string, fields: Json, userHash = hash(userId)) => putStateTo(collector.url, key, { userId, userHash, fields })
    // What the vendor's pages send for their signed-in users: every event carries the userHash,
    // and, once the vendor's server vouched for the account (group()), the groupHash.
    const vouched = <T extends { userId?: string; groupId?: string }>(m: T) => ({
      ...m,
      context: { userHash: hash(m.userId!), ...(m.groupId ? { groupHash: groupHashFor(secret, m.userId!, m.groupId) } : {}) },
    });
    const board = async (userId: string, group: string, userHash = hash(userId)) => {
      const res = await fetch(`${collector.url}/v1/leaderboard?group=${group}&userId=${userId}&userHash=${userHash}`, { headers: { Authorization: basicAuth(key) } })
      return { status: res.status, body: (await res.json()) as Json }
    }

    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, keys: [key, noSecretKey], secrets: { [key]: secret }, flows });
    });
    afterAll(async () => {
      await collector?.close();
    });

    it('refuses state without a write key, for an unverified user, and for a key without a secret', async () => {
      const none = await fetch(`${collector.url}/v1/state?userId=u1&userHash=${hash('u1')}`);
      expect(none.status).toBe(401);
      const forged = await getState('u1', hash('someone-else'));
      expect(forged.status).toBe(403);
      expect(((await forged.json()) as Json)['errors']).toEqual([expect.stringContaining('userHash')]);
      const noSecret = await getState('u1', hash('u1'), noSecretKey);
      expect(noSecret.status).toBe(403);
      const bad = await putState('u1', { 'checklist:x': { value: 1, version: 0, at: 1 } });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as Json)['errors']).toEqual(['fields.checklist:x.version: must be a whole number ≥ 1']);
    });

    it('holds a user with six long checklists, synced a field per task done', async () => {
      const fields: Json = {};
      for (let list = 0; list < 6; list++) {
        fields[`checklist:list-${list}.status`] = { value: 'completed', version: 1, at: 1000 };
        for (let task = 0; task < 50; task++) fields[`checklist:list-${list}.done:task-${task}`] = { value: 1000 + task, version: 1, at: 1000 };
      }
      const res = await putState('long-lists', fields);
      expect(res.status).toBe(200);
      expect(Object.keys(((await res.json()) as { fields: Json }).fields)).toHaveLength(306);
    });

    it('keeps the last writer per field: a stale device cannot undo a finished checklist, and gets it back', async () => {
      const laptop = await putState('ana', {
        'checklist:onboarding': { value: { status: 'completed', done: { a: 1, b: 2 } }, version: 3, at: 1000 },
        'badges.points': { value: 30, version: 2, at: 1000 },
      });
      expect(laptop.status).toBe(200);
      // The phone started the list before it heard from the laptop: its first write is version 1.
      const phone = await putState('ana', {
        'checklist:onboarding': { value: { status: 'started', done: {} }, version: 1, at: 5000 },
        'scheduler.history:welcome-tour': { value: { shown: 1 }, version: 1, at: 5000 },
      });
      const merged = ((await phone.json()) as { fields: Record<string, Json> }).fields;
      expect(merged['checklist:onboarding']).toEqual({ value: { status: 'completed', done: { a: 1, b: 2 } }, version: 3, at: 1000 });
      expect(merged['scheduler.history:welcome-tour']).toEqual({ value: { shown: 1 }, version: 1, at: 5000 });
      // Same version from two devices: the later write wins.
      await putState('ana', { 'badges.points': { value: 40, version: 2, at: 2000 } });
      const read = ((await (await getState('ana', hash('ana'))).json()) as { fields: Record<string, Json> }).fields;
      expect(read['badges.points']).toEqual({ value: 40, version: 2, at: 2000 });
      expect(Object.keys(read).sort()).toEqual(['badges.points', 'checklist:onboarding', 'scheduler.history:welcome-tour']);
      // Another user's state is theirs alone.
      const other = ((await (await getState('bo', hash('bo'))).json()) as { fields: Json }).fields;
      expect(other).toEqual({});
    });

    it('keeps what any device recorded of a survey, a list and an offer, though a device not yet told writes later, and tells that device', async () => {
      const never = { shown: 0, lastShown: null, completed: false, answered: false, dismissedAt: null, lastAnswered: null };
      // The laptop: the survey answered, the list finished, the annual offer declined.
      await putState('cleo', {
        'scheduler.history:nps': { value: { ...never, shown: 1, lastShown: 2000, completed: true, answered: true, lastAnswered: 2100 }, version: 1, at: 2100 },
        'checklist:onboarding.status': { value: 'completed', version: 2, at: 2000 },
        'billing.offer': { value: { variant: 'offer', at: 1000, outcome: 'declined' }, version: 1, at: 1000 },
        'badges.points': { value: 30, version: 1, at: 2000 },
      });
      // The phone, open since before: the survey shown and closed, the list dismissed, the offer
      // shown; each the same version, written later.
      const phone = await putState('cleo', {
        'scheduler.history:nps': { value: { ...never, shown: 1, lastShown: 11_000, dismissedAt: 11_050 }, version: 1, at: 11_050 },
        'checklist:onboarding.status': { value: 'dismissed', version: 2, at: 11_000 },
        'billing.offer': { value: { variant: 'offer', at: 11_000 }, version: 1, at: 11_000 },
        'badges.points': { value: 10, version: 1, at: 11_000 },
      });
      expect(phone.status).toBe(200);
      const answer = ((await phone.json()) as { fields: Record<string, Json> }).fields;
      // Joined, as a version past both, so the phone takes it in over its own.
      const joined = {
        'scheduler.history:nps': { value: { ...never, shown: 1, lastShown: 11_000, completed: true, answered: true, dismissedAt: 11_050, lastAnswered: 2100 }, version: 2, at: 11_050 },
        'checklist:onboarding.status': { value: 'completed', version: 3, at: 11_000 },
        'billing.offer': { value: { variant: 'offer', at: 11_000, outcome: 'declined' }, version: 2, at: 11_000 },
        // Not a field that keeps anything: the later write wins as it is.
        'badges.points': { value: 10, version: 1, at: 11_000 },
      };
      expect(answer).toEqual(joined);
      // A new device reads the same.
      expect(((await (await getState('cleo', hash('cleo'))).json()) as { fields: Json }).fields).toEqual(joined);
      // The phone's copy, taken in and sent back, changes nothing more.
      const again = await putState('cleo', { 'scheduler.history:nps': joined['scheduler.history:nps'] });
      expect(((await again.json()) as { fields: Json }).fields).toEqual(joined);
    });

    it('ranks the points and badges of one account, with vendor display names only, honouring opt-outs', async () => {
      const g = 'acct-' + randomUUID().slice(0, 6);
      const badge = (u: string, id: string, points: number) => msg.track(u, 'Badge Earned', AT, { badgeId: id, points }, { groupId: g });
      await seed(collector.url, key, [
        ...[
          msg.identify('lea', { displayName: 'Lea M.', email: 'lea@acme.test' }, AT),
          msg.identify('max', { email: 'max@acme.test' }, AT),
          msg.identify('kim', { displayName: 'Kim', leaderboardOptOut: true }, AT),
          msg.identify('sam', { displayName: 'Sam' }, AT),
          ...['lea', 'max', 'kim', 'sam'].map((u) => msg.group(u, g, { name: 'Acme' }, AT)),
          badge('lea', 'first-project', 10),
          badge('lea', 'team-player', 25),
          msg.track('lea', 'Checklist Task Completed', AT, { checklistId: 'onboarding', taskId: 'a', points: 5 }, { groupId: g }),
          badge('max', 'first-project', 10),
          badge('kim', 'first-project', 100),
          badge('sam', 'first-project', 10),
          badge('sam', 'night-owl', 50),
          msg.track('sam', 'Leaderboard Opted Out', AT, {}, { groupId: g }),
          msg.track('sam', 'Leaderboard Opted In', LATER, {}, { groupId: g }),
          msg.identify('eve', { displayName: 'Eve' }, AT),
          msg.track('eve', 'Badge Earned', AT, { badgeId: 'first-project', points: 999 }),
        ].map(vouched),
        // Anyone with the public write key can post this: unverified, it moves nobody up.
        badge('max', 'forged', 5000),
      ]);
      // Lea's team-player badge again, sent by her visitor before she signed in (an SDK that
      // re-granted it under the user's key): one grant, counted once.
      await seed(collector.url, key, [
        { type: 'track', event: 'Badge Earned', properties: { badgeId: 'team-player', points: 25 }, anonymousId: 'anon-lea', timestamp: AT, messageId: randomUUID() },
        { ...vouched(msg.identify('lea', {}, LATER)), anonymousId: 'anon-lea' },
      ]);
      const { status, body } = await board('max', g);
      expect(status).toBe(200);
      expect(body['rows']).toEqual([
        { rank: 1, name: 'Sam', points: 60, badges: 2, you: false },
        { rank: 2, name: 'Lea M.', points: 40, badges: 2, you: false },
        { rank: 3, name: null, points: 10, badges: 1, you: true },
      ]);
      // Nothing in the answer is an email or a user id.
      expect(JSON.stringify(body)).not.toMatch(/@|"max"|"lea"/);
      // Kim opted out by trait and is told so; outsiders and forged hashes are refused.
      expect((await board('kim', g)).body['optedOut']).toBe('vendor');
      expect((await board('eve', g)).status).toBe(403);
      expect((await board('max', g, hash('lea'))).status).toBe(403);
      // The account opts out: no leaderboard for anyone in it.
      await seed(collector.url, key, [vouched(msg.group('lea', g, { leaderboardOptOut: true }, LATER))]);
      expect((await board('max', g)).body).toEqual({ ok: true, optedOut: 'account', rows: [] });
    });

    it("gives no points to a member for anonymous events that use the member's id as their anonymousId", async () => {
      const g = 'acct-' + randomUUID().slice(0, 6);
      await seed(collector.url, key, [
        // as the SDK identifies: with the device's anonymousId
        { ...vouched(msg.identify('ida', { displayName: 'Ida' }, AT)), anonymousId: 'device-of-ida' },
        vouched(msg.identify('ron', { displayName: 'Ron' }, AT)),
        vouched(msg.group('ida', g, {}, AT)),
        vouched(msg.group('ron', g, {}, AT)),
        vouched(msg.track('ron', 'Badge Earned', AT, { badgeId: 'first-project', points: 10 }, { groupId: g })),
      ]);
      // Anyone with the public write key: no userId, no userHash, the member's id as anonymousId.
      await seed(collector.url, key, [
        { ...msg.track('x', 'Badge Earned', LATER, { badgeId: 'forged', points: 9999 }, { groupId: g }), userId: undefined, anonymousId: 'ida' },
      ]);
      expect((await board('ron', g)).body['rows']).toEqual([
        { rank: 1, name: 'Ron', points: 10, badges: 1, you: true },
        { rank: 2, name: 'Ida', points: 0, badges: 0, you: false },
      ]);
    });
  });
}

describe('a sync request that fails on the embedded engine', () => {
  let collector: TestCollector;
  const [key] = uniqueKeys(1) as [string];
  const secret = 'shh-' + randomUUID();
  const userHash = userHashFor(secret, 'ana');
  const logged: string[] = [];

  beforeAll(async () => {
    // an in-memory database of its own: the test takes tables away from under it
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: [key], secrets: { [key]: secret }, log: (line) => logged.push(line) });
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('is logged by its path, never with the userHash its query carries (a credential that does not expire)', async () => {
    const auth = { Authorization: basicAuth(key) };
    await collector.db.query('alter table user_state rename to user_state_away');
    await collector.db.query('alter table memberships rename to memberships_away');
    try {
      expect((await fetch(`${collector.url}/v1/state?userId=ana&userHash=${userHash}`, { headers: auth })).status).toBe(500);
      expect((await fetch(`${collector.url}/v1/leaderboard?group=acme&userId=ana&userHash=${userHash}`, { headers: auth })).status).toBe(500);
    } finally {
      await collector.db.query('alter table user_state_away rename to user_state');
      await collector.db.query('alter table memberships_away rename to memberships');
    }
    const failures = logged.filter((line) => line.includes(' failed: '));
    expect(failures.map((line) => line.slice(0, line.indexOf(' failed: ')))).toEqual(['[linger] GET /v1/state', '[linger] GET /v1/leaderboard']);
    expect(logged.join('\n')).not.toContain(userHash);
  });
});
