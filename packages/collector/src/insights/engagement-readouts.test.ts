import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userHashFor } from '../ingest/user-hash.ts';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';
import type { LeaderboardsInsight } from './leaderboards.ts';
import type { ValueReviewsInsight } from './value-reviews.ts';

/** `t('03-01T10:00')` → 2026-03-01T10:00:00.000Z. All fixture times are UTC, in 2026. */
const t = (when: string) => `2026-${when}:00.000Z`;
const track = msg.track;
const MARCH = { from: '2026-03-01', to: '2026-03-31' };

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`value review and leaderboard read-outs on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    const [reviewsKey, boardsKey, securedKey, grantsKey, repeatKey, forgedKey] = uniqueKeys(6) as [string, string, string, string, string, string];
    const secret = 'shh-' + randomUUID();
    // The flows: what each grant is worth (the leaderboard read-out counts these points, never an
    // event's). The leaderboard fixture below adds its grants while the suite is collected.
    const flows = { version: 1, checklists: [{ id: 'c', tasks: [] as { id: string; points: number }[] }], badges: [{ id: 'reporter', points: 30 }] };
    beforeAll(async () => {
      // Today is April 3rd: a view on March 19 has had its 14 days after, one on March 20 not yet.
      collector = await startTestCollector({ ...engine.options, keys: [reviewsKey, boardsKey, securedKey, grantsKey, repeatKey, forgedKey], secrets: { [securedKey]: secret }, flows, now: () => new Date(t('04-03T12:00')) });
    });
    afterAll(async () => {
      await collector?.close();
    });

    describe('value reviews', () => {
      const shown = (person: string, at: string, reviewId = 'monthly') => track(person, 'Value Review Shown', at, { reviewId, period: at.slice(0, 7) });
      const active = (person: string, at: string) => msg.page(person, at);
      beforeAll(async () => {
        await seed(collector.url, reviewsKey, [
          // r1: active 3 of the 14 days before (Feb 15 is the first of them, Feb 14 is not), 3 of the 14 after
          // (Mar 15 is the last of them; Mar 16 is not). The view day itself counts on neither side.
          active('r1', t('02-14T10:00')), active('r1', t('02-15T10:00')), active('r1', t('02-25T10:00')), active('r1', t('02-27T10:00')),
          shown('r1', t('03-01T09:00')), track('r1', 'Feature Used', t('03-01T10:00'), { feature: 'reports' }),
          msg.identify('r1', { plan: 'pro' }, t('03-01T11:00')),
          active('r1', t('03-03T10:00')), active('r1', t('03-05T10:00')), active('r1', t('03-05T18:00')), active('r1', t('03-15T23:00')), active('r1', t('03-16T10:00')),
          // r2: saw it, then nothing on either side
          shown('r2', t('03-10T10:00')),
          // r3: active on Mar 1 (before); seeing it again a week later is activity after
          track('r3', 'Feature Used', t('03-01T10:00'), { feature: 'kanban' }), shown('r3', t('03-05T10:00')), shown('r3', t('03-12T10:00')),
          // r4: saw it on Mar 28: seen, but its 14 days are not over (not in the n)
          shown('r4', t('03-28T10:00')), active('r4', t('03-29T10:00')),
          // r5: saw it in February too; enters with the first sight in the range (Mar 3), and February's view is activity before it
          shown('r5', t('02-20T10:00')), shown('r5', t('03-03T10:00')),
          // another review: r7 and r8 are due (r8 exactly: Mar 19 + 14 days = Apr 2, yesterday), r9 is not
          shown('r7', t('03-18T10:00'), 'quarterly'), active('r7', t('03-25T10:00')),
          shown('r8', t('03-19T10:00'), 'quarterly'), active('r8', t('04-02T10:00')),
          shown('r9', t('03-20T10:00'), 'quarterly'), active('r9', t('03-21T10:00')),
          // not a review: no reviewId
          track('r10', 'Value Review Shown', t('03-05T10:00'), { period: '2026-03' }),
        ]);
      });

      const expected: ValueReviewsInsight['reviews'] = [
        // due: r1, r2, r3, r5 (r4 waits). Before: r1 3 days, r3 1, r5 1 → 3 people, 5 days. After: r1 3, r3 1 → 2 people, 4 days.
        { reviewId: 'monthly', seen: 5, due: 4, activeBefore: 3, activeBeforeRate: 0.75, activeAfter: 2, activeAfterRate: 0.5, activeDaysBefore: 1.25, activeDaysAfter: 1 },
        { reviewId: 'quarterly', seen: 3, due: 2, activeBefore: 0, activeBeforeRate: 0, activeAfter: 2, activeAfterRate: 1, activeDaysBefore: 0, activeDaysAfter: 1 },
      ];

      it('counts, per review, who saw it and how active they were in the 14 days before and after', async () => {
        const result = await getInsight<ValueReviewsInsight & { source: string }>(collector.url, 'value-reviews', reviewsKey, MARCH);
        expect(result.source).toBe('rollups');
        expect(result.windowDays).toBe(14);
        expect(result.reviews).toEqual(expected);
      });

      it('gives the same answer from the raw events', async () => {
        const result = await getInsight<ValueReviewsInsight & { source: string }>(collector.url, 'value-reviews', reviewsKey, { ...MARCH, source: 'events' });
        expect(result.source).toBe('events');
        expect(result.reviews).toEqual(expected);
      });

      it('narrows to a segment: the people, and their activity, of that segment only', async () => {
        for (const source of ['rollups', 'events']) {
          const result = await getInsight<ValueReviewsInsight>(collector.url, 'value-reviews', reviewsKey, { ...MARCH, segment: 'plan:pro', source });
          expect(result.reviews).toEqual([
            { reviewId: 'monthly', seen: 1, due: 1, activeBefore: 1, activeBeforeRate: 1, activeAfter: 1, activeAfterRate: 1, activeDaysBefore: 3, activeDaysAfter: 3 },
          ]);
        }
      });

      it('says nothing rather than 0 % when nobody is due yet', async () => {
        const result = await getInsight<ValueReviewsInsight>(collector.url, 'value-reviews', reviewsKey, { from: '2026-03-25', to: '2026-03-31' });
        expect(result.reviews).toEqual([
          { reviewId: 'monthly', seen: 1, due: 0, activeBefore: 0, activeBeforeRate: null, activeAfter: 0, activeAfterRate: null, activeDaysBefore: null, activeDaysAfter: null },
        ]);
      });
    });

    describe('leaderboards', () => {
      // As the SDK sends a view: a member of the account, so the event names it in its context too.
      const viewed = (person: string, groupId: string | undefined, at: string) =>
        track(person, 'Leaderboard Viewed', at, groupId ? { groupId } : {}, groupId ? { context: { groupId } } : {});
      // each its own grant (a badge, or a checklist's task), worth `value` in the flows: one grant counts once (see below)
      const points = (person: string, event: string, at: string, value: number) => {
        const [badgeId, taskId] = [`b-${person}-${at}`, `t-${person}-${at}`];
        flows.badges.push({ id: badgeId, points: value });
        flows.checklists[0]!.tasks.push({ id: taskId, points: value });
        return track(person, event, at, { badgeId, checklistId: 'c', taskId, points: value });
      };
      const boardEvents = [
        // l1 looks at Acme's board on Mar 10 noon: 10 points the week before, 5 + 20 the week after (50 came too late);
        // a second look on Mar 20 changes nothing. l1 also looks at Globex's board on Mar 15 noon: 5 before, 20 + 50 after.
        points('l1', 'Badge Earned', t('03-05T12:00'), 10), viewed('l1', 'acme', t('03-10T12:00')),
        points('l1', 'Checklist Task Completed', t('03-12T12:00'), 5), viewed('l1', 'globex', t('03-15T12:00')),
        points('l1', 'Checklist Completed', t('03-17T11:00'), 20), points('l1', 'Badge Earned', t('03-17T13:00'), 50), viewed('l1', 'acme', t('03-20T10:00')),
        // l2: a badge the flows do not have, and one they make worth 0, earn nothing
        viewed('l2', 'acme', t('03-11T12:00')), points('l2', 'Badge Earned', t('03-12T10:00'), 0), track('l2', 'Badge Earned', t('03-12T11:00'), { badgeId: 'x' }),
        // l3: 15 points just inside the week before (7 a minute too early)
        points('l3', 'Badge Earned', t('03-01T09:59'), 7), points('l3', 'Badge Earned', t('03-01T10:00'), 15), viewed('l3', 'acme', t('03-08T10:00')),
        // l4: looked on Mar 30, not a week ago yet: a viewer, not in the n
        viewed('l4', 'globex', t('03-30T10:00')), points('l4', 'Badge Earned', t('03-31T10:00'), 30),
        // l5: 40 points two days after looking
        viewed('l5', 'globex', t('03-20T10:00')), points('l5', 'Checklist Completed', t('03-22T10:00'), 40),
        msg.identify('l5', { plan: 'pro' }, t('03-20T10:00')),
        // not counted: a view without an account, points without a view
        viewed('l6', undefined, t('03-12T10:00')), points('l7', 'Badge Earned', t('03-12T10:00'), 99),
        // the account's name, as the vendor's group() call gives it
        msg.group('l1', 'globex', { name: 'Globex Corp' }, t('03-01T08:00')),
      ];
      beforeAll(async () => {
        await seed(collector.url, boardsKey, boardEvents);
      });

      const expected: Omit<LeaderboardsInsight, 'windowDays'> = {
        groups: 2,
        // Each person once, from their first look at any board: l1 (Acme: 10 before, 25 after), l2, l3 (15 before), l5 (40 after); l4 waits.
        total: { viewers: 5, due: 4, earnedBefore: 2, earnedBeforeRate: 0.5, earnedAfter: 2, earnedAfterRate: 0.5, pointsBefore: 25, pointsAfter: 65 },
        byGroup: [
          { groupId: 'acme', name: null, viewers: 3, due: 3, earnedBefore: 2, earnedBeforeRate: 0.6667, earnedAfter: 1, earnedAfterRate: 0.3333, pointsBefore: 25, pointsAfter: 25 },
          { groupId: 'globex', name: 'Globex Corp', viewers: 3, due: 2, earnedBefore: 1, earnedBeforeRate: 0.5, earnedAfter: 2, earnedAfterRate: 1, pointsBefore: 5, pointsAfter: 110 },
        ],
      };

      it('counts the accounts whose board was viewed, the viewers, and who earned points the week before and after', async () => {
        const result = await getInsight<LeaderboardsInsight>(collector.url, 'leaderboards', boardsKey, MARCH);
        expect(result).toMatchObject({ windowDays: 7, ...expected });
        const fromEvents = await getInsight<LeaderboardsInsight>(collector.url, 'leaderboards', boardsKey, { ...MARCH, source: 'events' });
        expect(fromEvents).toMatchObject(expected);
      });

      it('counts a grant once, though a visitor sent it and then the user it was linked to sent it again', async () => {
        const other = grantsKey;
        const badge = { badgeId: 'reporter', points: 30 };
        await seed(collector.url, other, [
          { type: 'track', event: 'Badge Earned', properties: badge, anonymousId: 'anon-m1', timestamp: t('03-12T10:00'), messageId: randomUUID() },
          { ...msg.identify('m1', {}, t('03-12T10:05')), anonymousId: 'anon-m1' },
          track('m1', 'Badge Earned', t('03-12T10:06'), badge),
          track('m1', 'Leaderboard Viewed', t('03-10T10:00'), { groupId: 'acme' }, { context: { groupId: 'acme' } }),
        ]);
        for (const source of ['rollups', 'events']) {
          const result = await getInsight<LeaderboardsInsight>(collector.url, 'leaderboards', other, { ...MARCH, source });
          expect(result.total, source).toMatchObject({ viewers: 1, earnedAfter: 1, pointsAfter: 30 });
        }
      });

      it("counts a viewer in the month of their first look at a board, not again at every later look", async () => {
        // The SDK sends a view at every look: r1 first looked in February and again on Mar 15,
        // a day after earning 30 points. March's read-out must not measure around that second look.
        await seed(collector.url, repeatKey, [
          track('r1', 'Leaderboard Viewed', t('02-10T12:00'), { groupId: 'acme' }, { context: { groupId: 'acme' } }),
          track('r1', 'Badge Earned', t('03-14T12:00'), { badgeId: 'reporter', points: 30 }),
          track('r1', 'Leaderboard Viewed', t('03-15T12:00'), { groupId: 'acme' }, { context: { groupId: 'acme' } }),
        ]);
        for (const source of ['rollups', 'events']) {
          const march = await getInsight<LeaderboardsInsight>(collector.url, 'leaderboards', repeatKey, { ...MARCH, source });
          expect(march, source).toMatchObject({ groups: 0, total: { viewers: 0, due: 0, pointsBefore: 0 }, byGroup: [] });
          const february = await getInsight<LeaderboardsInsight>(collector.url, 'leaderboards', repeatKey, { from: '2026-02-01', to: '2026-02-28', source });
          expect(february.total, source).toMatchObject({ viewers: 1, due: 1, earnedBefore: 0, earnedAfter: 0 });
        }
      });

      it("does not count a view of an account's board by someone who is not its member (anyone with the write key can send one)", async () => {
        await seed(collector.url, forgedKey, [
          viewed('member', 'acme', t('03-10T10:00')),
          // a member of Globex naming Acme's board, and a made-up account
          viewed('outsider', 'globex', t('03-10T10:00')),
          track('outsider', 'Leaderboard Viewed', t('03-11T10:00'), { groupId: 'acme' }),
          track('outsider', 'Leaderboard Viewed', t('03-11T10:00'), { groupId: 'made-up' }),
        ]);
        for (const source of ['rollups', 'events']) {
          const result = await getInsight<LeaderboardsInsight>(collector.url, 'leaderboards', forgedKey, { ...MARCH, source });
          expect(result.groups, source).toBe(2);
          expect(result.byGroup.map((g) => [g.groupId, g.viewers]), source).toEqual([['acme', 1], ['globex', 1]]);
        }
      });

      it('narrows to a segment', async () => {
        const pro = await getInsight<LeaderboardsInsight>(collector.url, 'leaderboards', boardsKey, { ...MARCH, segment: 'plan:pro' });
        expect(pro).toMatchObject({
          groups: 1,
          total: { viewers: 1, due: 1, earnedBefore: 0, earnedAfter: 1, pointsAfter: 40 },
          byGroup: [{ groupId: 'globex', viewers: 1, due: 1, earnedAfter: 1, pointsAfter: 40 }],
        });
      });
    });

    describe('verified users only, unless asked', () => {
      const vouched = (m: Json) => ({ ...m, context: { userHash: userHashFor(secret, m['userId'] as string) } });
      beforeAll(async () => {
        await seed(collector.url, securedKey, [
          vouched(track('v1', 'Value Review Shown', t('03-02T10:00'), { reviewId: 'monthly', period: '2026-03' })),
          // anyone with the write key could send these: no userHash
          track('v1', 'Feature Used', t('03-04T10:00'), { feature: 'reports' }),
          track('v2', 'Value Review Shown', t('03-02T10:00'), { reviewId: 'monthly', period: '2026-03' }),
          track('v2', 'Leaderboard Viewed', t('03-02T10:00'), { groupId: 'acme' }, { context: { groupId: 'acme' } }),
        ]);
      });

      it('leaves out events whose userHash failed, and counts them with identity=all', async () => {
        const verified = await getInsight<ValueReviewsInsight>(collector.url, 'value-reviews', securedKey, MARCH);
        expect(verified.reviews).toEqual([
          { reviewId: 'monthly', seen: 1, due: 1, activeBefore: 0, activeBeforeRate: 0, activeAfter: 0, activeAfterRate: 0, activeDaysBefore: 0, activeDaysAfter: 0 },
        ]);
        const all = await getInsight<ValueReviewsInsight>(collector.url, 'value-reviews', securedKey, { ...MARCH, identity: 'all' });
        expect(all.reviews).toEqual([
          { reviewId: 'monthly', seen: 2, due: 2, activeBefore: 0, activeBeforeRate: 0, activeAfter: 1, activeAfterRate: 0.5, activeDaysBefore: 0, activeDaysAfter: 0.5 },
        ]);
        expect((await getInsight<LeaderboardsInsight>(collector.url, 'leaderboards', securedKey, MARCH)).total.viewers).toBe(0);
        expect((await getInsight<LeaderboardsInsight>(collector.url, 'leaderboards', securedKey, { ...MARCH, identity: 'all' })).total.viewers).toBe(1);
      });
    });
  });
}
