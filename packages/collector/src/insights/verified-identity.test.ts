import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupHashFor, userHashFor } from '../ingest/user-hash.ts';
import { engines, engineTitle } from '../test-support/engines.ts';
import { basicAuth, getInsight, msg, seed, sendBatch, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';
import type { ChurnInsight } from './churn.ts';
import type { GamificationInsight } from './gamification.ts';
import type { SatisfactionInsight } from './satisfaction.ts';

const t = (when: string) => `2026-${when}:00.000Z`;
const range = { from: '2026-03-01', to: '2026-03-31' };

// The story: the vendor's backend vouches for `victim` with the key's secret; an attacker holds
// only the public write key (it is in every page) and a guess at the victim's userId.

/**
 * How the vendor identifies a user: in the page, where the SDK sends its anonymousId beside the
 * userId (a link), or from their own server (Segment server-side, `/v1/identify`), userId alone.
 */
const identifications = [
  { how: 'in the page', anonymousId: (userId: string): Json => ({ anonymousId: `a-${userId}` }) },
  { how: "by the vendor's server, userId alone", anonymousId: (): Json => ({}) },
];

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`verified identity on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    const [key] = uniqueKeys(1) as [string];
    const secret = 'vendor-secret';
    const vouched = (userId: string) => ({ context: { userHash: userHashFor(secret, userId) } });
    const forged = { context: { userHash: userHashFor('a guess', 'victim') } };

    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, keys: [key], secrets: { [key]: secret }, now: () => new Date(t('04-01T00:00')) });
      await seed(collector.url, key, [
        msg.identify('victim', { plan: 'enterprise' }, t('03-01T09:00'), vouched('victim')),
        { ...msg.group('victim', 'acme', {}, t('03-01T09:00')), ...vouched('victim') },
        { ...msg.track('victim', 'Survey Answered', t('03-02T10:00'), { surveyId: 'nps', kind: 'nps', score: 10, responseId: 'real' }), ...vouched('victim') },
        msg.identify('honest', { plan: 'pro' }, t('03-01T09:00'), vouched('honest')),
        { ...msg.track('honest', 'Survey Answered', t('03-02T10:00'), { surveyId: 'nps', kind: 'nps', score: 9, responseId: 'h1' }), ...vouched('honest') },
        // the attacker, later in time so "latest value wins" would pick it
        msg.identify('victim', { plan: 'free' }, t('03-05T09:00'), forged),
        msg.identify('victim', { plan: 'free' }, t('03-05T09:01')),
        { ...msg.track('victim', 'Survey Answered', t('03-05T10:00'), { surveyId: 'nps', kind: 'nps', score: 0, responseId: 'fake' }), ...forged },
        { ...msg.group('victim', 'acme', { plan: 'free' }, t('03-05T10:00')), ...forged },
        // an unverified event tying the attacker's anonymousId to the victim, then anonymous answers
        { ...msg.track('victim', 'Page Viewed', t('03-05T11:00')), anonymousId: 'anon-attacker', ...forged },
        { ...msg.track('x', 'Survey Answered', t('03-05T11:01'), { surveyId: 'nps', kind: 'nps', score: 1, responseId: 'anon' }), userId: undefined, anonymousId: 'anon-attacker' },
      ]);
    });
    afterAll(async () => {
      await collector?.close();
    });

    it("keeps the verified user's traits: an unverified identify does not move the victim to free", async () => {
      const { rows } = await collector.db.query<{ traits: Json }>(
        'select traits from user_traits where write_key = $1 and person = $2', [key, 'victim']);
      expect(rows[0]?.traits).toEqual({ plan: 'enterprise' });
      const { rows: groups } = await collector.db.query<{ traits: Json }>(
        'select traits from group_traits where write_key = $1 and group_id = $2', [key, 'acme']);
      expect(groups).toEqual([]);
    });

    it('counts only verified answers by default, and says so', async () => {
      const result = await getInsight<SatisfactionInsight & { identity: Json }>(collector.url, 'satisfaction', key, range);
      expect(result.nps).toMatchObject({ answers: 3, promoters: 2, detractors: 1 });
      // the anonymous answer counts as that anonymous person, never as the victim
      const victimAnswers = await getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, { ...range, segment: 'plan:enterprise' });
      expect(victimAnswers.nps).toMatchObject({ answers: 1, promoters: 1, detractors: 0 });
      expect(result.identity).toEqual({ mode: 'verified', unverifiedEvents: 5 });
    });

    it('shows every event with ?identity=all, and says so', async () => {
      const result = await getInsight<SatisfactionInsight & { identity: Json }>(collector.url, 'satisfaction', key, { ...range, identity: 'all' });
      // every answer, each under the person it claims: the victim's latest word is the forged 0
      expect(result.nps).toMatchObject({ answers: 3, promoters: 1, detractors: 2 });
      expect(result.identity).toEqual({ mode: 'all', unverifiedEvents: 5 });
    });

    it('segments by verified traits only, even when counting everything', async () => {
      const churn = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, identity: 'all' });
      expect(churn.bySegment.values.map((v) => v.value).sort()).toEqual(['(none)', 'enterprise', 'pro']);
    });

    it('refuses an identity mode it does not know', async () => {
      await expect(getInsight(collector.url, 'churn', key, { ...range, identity: 'some' })).rejects.toThrow(/identity: expected verified or all/);
    });
  });

  for (const identified of identifications) {
    describe.skipIf(engine.skipReason !== undefined)(`anonymous events named after a user identified ${identified.how} on ${engineTitle(engine)}`, () => {
      let collector: TestCollector;
      const [key] = uniqueKeys(1) as [string];
      const secret = 'vendor-secret';
      const vouched = (userId: string) => ({ context: { userHash: userHashFor(secret, userId) } });
      // the attacker: the public write key, no userId, no userHash, the victim's id as anonymousId
      const posingAs = (m: Json, anonymousId: string): Json => ({ ...m, userId: undefined, anonymousId });

      beforeAll(async () => {
        collector = await startTestCollector({ ...engine.options, keys: [key], secrets: { [key]: secret }, now: () => new Date(t('04-01T00:00')) });
        await seed(collector.url, key, [
          msg.identify('victim', { plan: 'enterprise' }, t('03-01T09:00'), { ...vouched('victim'), ...identified.anonymousId('victim') }),
          { ...msg.track('victim', 'Survey Answered', t('03-02T10:00'), { surveyId: 'nps', kind: 'nps', score: 10, responseId: 'real' }), ...vouched('victim') },
          // in the same batch as the victim's first verified events
          posingAs(msg.track('x', 'Survey Answered', t('03-03T10:00'), { surveyId: 'nps', kind: 'nps', score: 0, responseId: 'forged' }), 'victim'),
        ]);
        // and once the victim's events are rolled up (a read folds them in)
        await getInsight(collector.url, 'satisfaction', key, range);
        await seed(collector.url, key, [
          posingAs(msg.track('x', 'Cancel Flow Started', t('03-03T11:00'), {}), 'victim'),
          posingAs(msg.track('x', 'Cancel Flow Completed', t('03-03T11:01'), { outcome: 'cancelled' }), 'victim'),
        ]);
      });
      afterAll(async () => {
        await collector?.close();
      });

      it("does not count them as the user's answers or cancellations, from the rollups or the events, and says they were left out", async () => {
        for (const source of ['rollups', 'events']) {
          const victim = { ...range, segment: 'plan:enterprise', source };
          const sat = await getInsight<SatisfactionInsight & { identity: Json }>(collector.url, 'satisfaction', key, victim);
          const churn = await getInsight<ChurnInsight>(collector.url, 'churn', key, victim);
          expect(sat.nps, source).toMatchObject({ answers: 1, promoters: 1, detractors: 0, nps: 100 });
          expect(churn.outcomes.cancelled, source).toBe(0);
          expect(sat.identity, source).toEqual({ mode: 'verified', unverifiedEvents: 3 });
        }
      });
    });

    describe.skipIf(engine.skipReason !== undefined)(`a verified user naming a user identified ${identified.how} as their anonymousId on ${engineTitle(engine)}`, () => {
      let collector: TestCollector;
      const [key] = uniqueKeys(1) as [string];
      const secret = 'vendor-secret';
      const vouched = (userId: string) => ({ context: { userHash: userHashFor(secret, userId) } });
      const as = (userId: string, ids: Json, m: Json): Json => ({ ...m, ...ids, ...vouched(userId) });
      const exported = (userId: string, at: string) => msg.track(userId, 'Feature Used', t(at), { feature: 'export' });

      beforeAll(async () => {
        collector = await startTestCollector({ ...engine.options, keys: [key], secrets: { [key]: secret }, now: () => new Date(t('04-01T00:00')) });
        await seed(collector.url, key, [
          as('bob', identified.anonymousId('bob'), exported('bob', '03-02T10:00')),
          as('bob', identified.anonymousId('bob'), exported('bob', '03-03T10:00')),
          as('mallory', { anonymousId: 'a-mal' }, exported('mallory', '03-04T10:00')),
        ]);
        // bob's days are rolled up (a read folds them in); then mallory, signed in as herself, sends bob's id as her anonymousId
        await getInsight(collector.url, 'adoption', key, range);
        await seed(collector.url, key, [as('mallory', { anonymousId: 'bob' }, msg.page('mallory', t('03-05T10:00')))]);
      });
      afterAll(async () => {
        await collector?.close();
      });

      it("keeps bob's days and feature use his: two active users, from the rollups and from the events", async () => {
        for (const source of ['rollups', 'events']) {
          const adoption = await getInsight<{ summary: Json; features: Json[] }>(collector.url, 'adoption', key, { ...range, source });
          expect(adoption.summary, source).toMatchObject({ activeUsers: 2 });
          expect(adoption.features, source).toMatchObject([{ feature: 'export', users: 2 }]);
        }
      });
    });
  }

  describe.skipIf(engine.skipReason !== undefined)(`a signed-in user sending another user's badge messageId first on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    const [key] = uniqueKeys(1) as [string];
    const secret = 'vendor-secret';
    const flows = { version: 1, badges: [{ id: 'power-user', title: 'Power user', points: 50, criteria: {} }] };
    /** As the vendor's pages send it for a signed-in member of Acme: userHash and groupHash. */
    const signedIn = (m: Json): Json => ({ ...m, context: { userHash: userHashFor(secret, m['userId'] as string), groupId: 'acme', groupHash: groupHashFor(secret, m['userId'] as string, 'acme') } });
    // The SDK sends the victim's badge under a messageId derived from the public key, "u:victim" and
    // the grant (sdk/src/experiences/grant-id.ts): nothing secret, anyone can work it out beforehand.
    const victimsBadgeId = '9b2e4c71-0d3a-5f86-8c4e-2a7b1d9e6f30';
    const victimEarns = signedIn(msg.track('victim', 'Badge Earned', t('03-03T09:01'), { badgeId: 'power-user' }, { messageId: victimsBadgeId, anonymousId: 'a-laptop' }));
    const answers: Json[] = [];

    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, keys: [key], secrets: { [key]: secret }, flows, now: () => new Date(t('04-01T00:00')) });
      // mallory is a real user of the product, with her own valid userHash
      await seed(collector.url, key, [
        signedIn(msg.track('mallory', 'Page Viewed', t('03-02T09:00'))),
        signedIn(msg.track('mallory', 'Badge Earned', t('03-02T09:01'), { badgeId: 'decoy' }, { messageId: victimsBadgeId })),
      ]);
      // then the victim really earns the badge, the SDK retries the batch, and her phone sends the grant too
      const batch = [signedIn(msg.identify('victim', { displayName: 'Victim' }, t('03-03T09:00'))), victimEarns];
      answers.push((await sendBatch(collector.url, key, batch)).body);
      answers.push((await sendBatch(collector.url, key, batch)).body);
      answers.push((await sendBatch(collector.url, key, [{ ...victimEarns, anonymousId: 'a-phone', timestamp: t('03-03T09:05') }])).body);
    });
    afterAll(async () => {
      await collector?.close();
    });

    it("stores the victim's badge, once, though mallory sent its messageId first", async () => {
      expect(answers).toMatchObject([{ accepted: 2, duplicates: 0 }, { accepted: 2, duplicates: 2 }, { accepted: 1, duplicates: 1 }]);
      for (const source of ['rollups', 'events']) {
        const gamification = await getInsight<GamificationInsight>(collector.url, 'gamification', key, { ...range, source });
        expect(gamification.badges.find((b) => b.badgeId === 'power-user')?.earned, source).toBe(1);
      }
      const { rows } = await collector.db.query<{ user_id: string }>('select user_id from events where write_key = $1 and message_id = $2 order by user_id', [key, victimsBadgeId]);
      expect(rows.map((r) => r.user_id)).toEqual(['mallory', 'victim']);
    });

    it("gives the victim the badge's 50 points on Acme's leaderboard", async () => {
      const res = await fetch(`${collector.url}/v1/leaderboard?group=acme&userId=victim&userHash=${userHashFor(secret, 'victim')}`, { headers: { Authorization: basicAuth(key) } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { rows: Json[] }).rows).toContainEqual({ rank: 1, name: 'Victim', points: 50, badges: 1, you: true });
    });
  });
}
