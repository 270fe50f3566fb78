import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupHashFor, userHashFor } from '../ingest/user-hash.ts';
import type { LeaderboardsInsight } from '../insights/leaderboards.ts';
import { engines, engineTitle } from '../test-support/engines.ts';
import { basicAuth, getInsight, msg, seed, sendBatch, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';

const AT = '2026-11-02T10:00:00.000Z';
const LATER = '2026-11-03T10:00:00.000Z';

/** The vendor's flows: what each badge, checklist task and finished checklist is worth. */
const flows = {
  version: 1,
  checklists: [{ id: 'onboarding', tasks: [{ id: 'invite', points: 20 }, { id: 'export' }], reward: { points: 50 } }],
  badges: [{ id: 'first-project', points: 10 }, { id: 'onboarded' }],
};

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`who is on an account's leaderboard, and with how many points, on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    const [key] = uniqueKeys(1) as [string];
    const secret = 'shh-' + randomUUID();
    /** As the vendor's pages send it for a signed-in user: the userHash on every event. */
    const signedIn = (m: Json, context: Json = {}) => ({ ...m, context: { userHash: userHashFor(secret, m['userId'] as string), ...context } });
    /** …and, once the vendor's server vouched for the account too, its groupHash. */
    const inAccount = (m: Json, groupId: string) => signedIn(m, { groupId, groupHash: groupHashFor(secret, m['userId'] as string, groupId) });
    const board = async (userId: string, group: string) => {
      const res = await fetch(`${collector.url}/v1/leaderboard?group=${group}&userId=${userId}&userHash=${userHashFor(secret, userId)}`, { headers: { Authorization: basicAuth(key) } });
      return { status: res.status, body: (await res.json()) as Json };
    };

    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, keys: [key], secrets: { [key]: secret }, flows, now: () => new Date('2026-12-01T00:00:00.000Z') });
    });
    afterAll(async () => {
      await collector?.close();
    });

    it("a verified user who names another account's group does not see its leaderboard", async () => {
      const acme = 'acme-' + randomUUID().slice(0, 6);
      await seed(collector.url, key, [
        inAccount(msg.identify('ann', { displayName: 'Ann' }, AT), acme),
        inAccount(msg.group('ann', acme, { name: 'Acme' }, AT), acme),
        // Mallory is a real, verified user of the vendor, but not of Acme: her browser names Acme
        // (group() and context.groupId) with no groupHash, another account's, and Ann's.
        signedIn(msg.identify('mallory', { displayName: 'Mallory' }, AT)),
        signedIn(msg.group('mallory', acme, {}, AT)),
        signedIn(msg.track('mallory', 'Page Viewed', AT), { groupId: acme }),
        signedIn(msg.track('mallory', 'Page Viewed', AT), { groupId: acme, groupHash: groupHashFor(secret, 'mallory', 'globex') }),
        signedIn(msg.track('mallory', 'Page Viewed', AT), { groupId: acme, groupHash: groupHashFor(secret, 'ann', acme) }),
      ]);
      expect(await board('mallory', acme)).toEqual({ status: 403, body: { ok: false, errors: ['this user is not a member of that group'] } });
      // Ann, whom the vendor vouched for, sees her account's board, and Mallory is not on it.
      const ann = await board('ann', acme);
      expect(ann.status).toBe(200);
      expect(ann.body['rows']).toEqual([{ rank: 1, name: 'Ann', points: 0, badges: 0, you: true }]);
      // Mallory's events are still stored, as every event is.
      const { rows } = await collector.db.query<{ n: number }>("select count(*)::int as n from events where write_key = $1 and user_id = 'mallory' and group_id = $2", [key, acme]);
      expect(rows[0]!.n).toBe(4);
    });

    it("a verified user cannot lift an account's leaderboard opt-out without the account's groupHash", async () => {
      const acme = 'acme-' + randomUUID().slice(0, 6);
      await seed(collector.url, key, [
        inAccount(msg.group('ann', acme, { name: 'Acme', leaderboardOptOut: true }, AT), acme),
        signedIn(msg.group('mallory', acme, { leaderboardOptOut: false }, LATER)),
        signedIn(msg.group('mallory', acme, { leaderboardOptOut: false }, LATER), { groupHash: groupHashFor(secret, 'ann', acme) }),
      ]);
      expect((await board('ann', acme)).body).toEqual({ ok: true, optedOut: 'account', rows: [] });
    });

    it("a member the vendor's server vouched for stays on the board when an anonymous event opts them out in their name", async () => {
      const acme = 'acme-' + randomUUID().slice(0, 6);
      // Vic's membership comes from the vendor's server (Segment server-side style): userId and hashes, no anonymousId.
      await seed(collector.url, key, [
        inAccount(msg.identify('vic', { displayName: 'Vic' }, AT), acme),
        inAccount(msg.group('vic', acme, {}, AT), acme),
        inAccount(msg.identify('val', { displayName: 'Val' }, AT), acme),
      ]);
      // Once Vic's events are rolled up (a read folds them in), someone holding the public write key
      // sends an opt-out with no userId and Vic's id as its anonymousId.
      await getInsight(collector.url, 'adoption', key, { from: '2026-11-01', to: '2026-11-30' });
      await seed(collector.url, key, [{ ...msg.track('x', 'Leaderboard Opted Out', LATER, { groupId: acme }), userId: undefined, anonymousId: 'vic' }]);
      expect((await board('val', acme)).body).toEqual({
        ok: true,
        optedOut: null,
        rows: [
          { rank: 1, name: 'Val', points: 0, badges: 0, you: true },
          { rank: 1, name: 'Vic', points: 0, badges: 0, you: false },
        ],
      });
    });

    it("gives a new member none of the points, and none of the opt-out, that someone sent in their id before they signed up", async () => {
      const acme = 'acme-' + randomUUID().slice(0, 6);
      const newcomer = 'user-' + randomUUID().slice(0, 6);
      // User ids are often predictable (the next number, an email). Before the newcomer has ever
      // signed in, someone holding the public write key sends, with no userId and the newcomer's
      // id as the anonymousId, a badge the flows give 10 points and an opt-out.
      const anonymous = (m: Json) => ({ ...m, userId: undefined, anonymousId: newcomer });
      await seed(collector.url, key, [
        anonymous(msg.track('x', 'Badge Earned', AT, { badgeId: 'first-project' }, { context: { groupId: acme } })),
        anonymous(msg.track('x', 'Leaderboard Opted Out', AT, {}, { context: { groupId: acme } })),
      ]);
      // Then the newcomer signs up and the vendor vouches for them in Acme, beside Val.
      await seed(collector.url, key, [
        inAccount(msg.identify(newcomer, { displayName: 'Nia' }, LATER), acme),
        inAccount(msg.group(newcomer, acme, {}, LATER), acme),
        inAccount(msg.identify('val', { displayName: 'Val' }, LATER), acme),
        inAccount(msg.group('val', acme, {}, LATER), acme),
      ]);
      expect((await board('val', acme)).body).toEqual({
        ok: true,
        optedOut: null,
        rows: [
          { rank: 1, name: 'Nia', points: 0, badges: 0, you: false },
          { rank: 1, name: 'Val', points: 0, badges: 0, you: true },
        ],
      });
    });

    it("leaves off a member the vendor opted out by trait, although they once switched the board on in the shelf", async () => {
      const acme = 'acme-' + randomUUID().slice(0, 6);
      await seed(collector.url, key, [
        inAccount(msg.identify('ann', { displayName: 'Ann' }, AT), acme),
        inAccount(msg.identify('kim', { displayName: 'Kim' }, AT), acme),
        // Kim turned the board on in the shelf once…
        inAccount(msg.track('kim', 'Leaderboard Opted In', AT), acme),
        // …then asked the vendor to keep her off leaderboards, and the vendor's server says so.
        inAccount(msg.identify('kim', { leaderboardOptOut: true }, LATER), acme),
      ]);
      expect((await board('ann', acme)).body).toEqual({ ok: true, optedOut: null, rows: [{ rank: 1, name: 'Ann', points: 0, badges: 0, you: true }] });
      // Told it is the vendor's doing: the shelf's switch cannot put her back, and must not say it did.
      expect((await board('kim', acme)).body).toMatchObject({ optedOut: 'vendor', rows: [{ name: 'Ann', you: false }] });
    });

    it("a member who left the board and switches it back on in the shelf finds their own place at once: the collector tells them where they stand, and no one else", async () => {
      const acme = 'acme-' + randomUUID().slice(0, 6);
      const grant = (userId: string, badgeId: string) => inAccount(msg.track(userId, 'Badge Earned', AT, { badgeId }), acme);
      // More teammates than the board lists: the 21st shows to whoever is not ranked above them.
      const many = Array.from({ length: 20 }, (_, i) => `m${String(i).padStart(2, '0')}`);
      await seed(collector.url, key, [
        inAccount(msg.identify('ann', { displayName: 'Ann' }, AT), acme),
        inAccount(msg.identify('kai', { displayName: 'Kai' }, AT), acme),
        grant('kai', 'first-project'),
        ...many.map((u) => inAccount(msg.identify(u, {}, AT), acme)),
        // Kai left the board in the shelf.
        inAccount(msg.track('kai', 'Leaderboard Opted Out', AT), acme),
      ]);
      const forAnn = await board('ann', acme);
      expect((forAnn.body['rows'] as Json[]).some((r) => r['name'] === 'Kai')).toBe(false);
      // Kai is told he is out, and where he would stand: his shelf drops the row (and moves
      // those below him up) while he is out, and shows it the moment he switches back on,
      // before his "Leaderboard Opted In" has reached the collector.
      const forKai = await board('kai', acme);
      expect(forKai.body['optedOut']).toBe('user');
      const rows = forKai.body['rows'] as Json[];
      expect(rows[0]).toEqual({ rank: 1, name: 'Kai', points: 10, badges: 1, you: true });
      // His row comes on top of the 20 others he would see without it.
      expect(rows.filter((r) => !r['you'])).toHaveLength(20);
      expect(rows.filter((r) => !r['you']).every((r) => r['rank'] === 2)).toBe(true);
    });

    it('a member earns the points the flows give a grant, never the points their browser claims', async () => {
      const acme = 'acme-' + randomUUID().slice(0, 6);
      const grant = (userId: string, event: string, properties: Json, at = AT) => inAccount(msg.track(userId, event, at, properties), acme);
      await seed(collector.url, key, [
        inAccount(msg.identify('ann', { displayName: 'Ann' }, AT), acme),
        inAccount(msg.identify('bob', { displayName: 'Bob' }, AT), acme),
        // Ann's real grants, sent as the SDK sends them (points as the flows say): 10 + 20 + 0 + 50.
        grant('ann', 'Badge Earned', { badgeId: 'first-project', points: 10 }),
        grant('ann', 'Checklist Task Completed', { checklistId: 'onboarding', taskId: 'invite', points: 20 }),
        grant('ann', 'Checklist Task Completed', { checklistId: 'onboarding', taskId: 'export' }),
        grant('ann', 'Checklist Completed', { checklistId: 'onboarding', points: 50 }),
        // Bob types into his console: a badge the flows don't have, a real badge, task and
        // checklist with made-up points, a task the flows give no points, and a checklist
        // completion named as if a task (to have the reward twice).
        grant('bob', 'Badge Earned', { badgeId: 'made-up', points: 9_999_999 }),
        grant('bob', 'Badge Earned', { badgeId: 'first-project', points: 9_999_999 }),
        grant('bob', 'Badge Earned', { badgeId: 'onboarded', points: 500 }),
        grant('bob', 'Checklist Task Completed', { checklistId: 'onboarding', taskId: 'invite', points: 9_999_999 }),
        grant('bob', 'Checklist Task Completed', { checklistId: 'onboarding', taskId: 'export', points: 9_999_999 }),
        grant('bob', 'Checklist Task Completed', { checklistId: 'made-up', taskId: 'invite', points: 9_999_999 }),
        grant('bob', 'Checklist Completed', { checklistId: 'onboarding', points: 9_999_999 }),
        grant('bob', 'Checklist Completed', { checklistId: 'onboarding', taskId: 'made-up', points: 9_999_999 }, LATER),
        // …and the same badge again: each grant counts once.
        grant('bob', 'Badge Earned', { badgeId: 'first-project', points: 10 }, LATER),
      ]);
      const { status, body } = await board('ann', acme);
      expect(status).toBe(200);
      // Bob: first-project 10, invite 20, the checklist's reward 50; the onboarded badge is a badge worth nothing.
      expect(body['rows']).toEqual([
        { rank: 1, name: 'Bob', points: 80, badges: 2, you: false },
        { rank: 1, name: 'Ann', points: 80, badges: 1, you: true },
      ]);
    });

    it("lists a teammate whose displayName the vendor filled with their email as Teammate, never by that email", async () => {
      const acme = 'acme-' + randomUUID().slice(0, 6);
      await seed(collector.url, key, [
        inAccount(msg.identify('ann', { displayName: 'Ann' }, AT), acme),
        // The vendor's app falls back to the sign-in email when a user set no name.
        inAccount(msg.identify('eve', { displayName: ' eve.martin@example.com ' }, AT), acme),
        inAccount(msg.identify('fay', { displayName: 'Fay <fay@example.co.uk>' }, AT), acme),
        // A name cut at the limit keeps its last emoji whole or not at all, never half of one.
        inAccount(msg.identify('zoe', { displayName: 'Z'.repeat(79) + '🎉' }, AT), acme),
      ]);
      const rows = (await board('ann', acme)).body['rows'] as { name: string | null }[];
      expect(rows.map((r) => r.name).sort()).toEqual(['Ann', 'Z'.repeat(79), null, null].sort());
    });

    it("a teammate who takes another's name (their own identify, from the console) is listed as Teammate: the one who had it first keeps it, whatever time the copy claims", async () => {
      const acme = 'acme-' + randomUUID().slice(0, 6);
      await seed(collector.url, key, [
        inAccount(msg.identify('nia', { displayName: 'Nia Lee' }, AT), acme),
        inAccount(msg.identify('mal', { displayName: 'Mal' }, AT), acme),
        inAccount(msg.identify('ivy', { displayName: 'Ivy' }, AT), acme),
      ]);
      // Later, Mal renames himself after Nia, spaced and cased otherwise, and sends it once more
      // dated before her first identify…
      await seed(collector.url, key, [
        inAccount(msg.identify('mal', { displayName: ' nia lee' }, LATER), acme),
        inAccount(msg.identify('mal', { displayName: ' nia lee' }, '2026-01-01T00:00:00.000Z'), acme),
      ]);
      const rows = (await board('ivy', acme)).body['rows'] as { name: string | null }[];
      expect(rows.map((r) => r.name).sort()).toEqual(['Nia Lee', 'Ivy', null].sort());
      // …and Nia, asking, does not see her name on someone else's row either.
      const hers = (await board('nia', acme)).body['rows'] as { name: string | null; you: boolean }[];
      expect(hers.filter((r) => !r.you).map((r) => r.name).sort()).toEqual(['Ivy', null].sort());
    });

    it("the leaderboard read-out counts the points the flows give, not the browser's", async () => {
      const acme = 'acme-' + randomUUID().slice(0, 6);
      const at = (day: number, hour = 10) => `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
      await seed(collector.url, key, [
        inAccount(msg.track('cy', 'Badge Earned', at(5), { badgeId: 'made-up', points: 9_999_999 }), acme),
        inAccount(msg.track('cy', 'Leaderboard Viewed', at(10), { groupId: acme }), acme),
        inAccount(msg.track('cy', 'Badge Earned', at(12), { badgeId: 'first-project', points: 9_999_999 }), acme),
        inAccount(msg.track('cy', 'Checklist Task Completed', at(13), { checklistId: 'onboarding', taskId: 'invite' }), acme),
      ]);
      const result = await getInsight<LeaderboardsInsight>(collector.url, 'leaderboards', key, { from: '2026-03-01', to: '2026-03-31', source: 'events' });
      expect(result.byGroup.find((g) => g.groupId === acme)).toMatchObject({ viewers: 1, earnedBefore: 0, pointsBefore: 0, earnedAfter: 1, pointsAfter: 30 });
    });

    it('still takes events whose groupHash is missing or wrong, as it does events whose userHash is', async () => {
      const { status, body } = await sendBatch(collector.url, key, [signedIn(msg.track('dee', 'Page Viewed', AT), { groupId: 'x', groupHash: 'nope' })]);
      expect(status).toBe(200);
      expect(body['rejected']).toEqual([]);
    });
  });
}
