import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userHashFor } from '../ingest/user-hash.ts';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';
import type { AtRiskInsight } from './at-risk.ts';
import type { ChurnInsight } from './churn.ts';
import type { SatisfactionInsight } from './satisfaction.ts';

const t = (when: string) => `2026-${when}:00.000Z`;
const range = { from: '2026-03-01', to: '2026-03-31' };

// The story: user ids are predictable (u_1, u_2, …). Before u_42 ever signs in, an attacker holding
// only the public write key sends anonymous events whose anonymousId is "u_42". Then the real u_42
// signs in (vouched for by the vendor's secret) and answers for themselves. Meanwhile an ordinary
// visitor answers anonymously and signs in later as u_7: that answer is u_7's.
for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`anonymous events sent under a user's id before that user signed in, on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    const [key] = uniqueKeys(1) as [string];
    const secret = 'vendor-secret';
    const vouched = (userId: string) => ({ context: { userHash: userHashFor(secret, userId) } });
    const posingAs = (m: Json, anonymousId: string): Json => ({ ...m, userId: undefined, anonymousId });
    const nps = (score: number, responseId: string) => ({ surveyId: 'nps', kind: 'nps', score, responseId });

    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, keys: [key], secrets: { [key]: secret }, now: () => new Date(t('04-01T00:00')) });
      // the attacker, before u_42 exists
      await seed(collector.url, key, [
        posingAs(msg.page('x', t('03-02T09:00')), 'u_42'),
        posingAs(msg.track('x', 'Survey Answered', t('03-02T09:01'), nps(0, 'forged')), 'u_42'),
        posingAs(msg.track('x', 'Cancel Flow Started', t('03-02T09:02'), {}), 'u_42'),
        posingAs(msg.track('x', 'Cancel Flow Completed', t('03-02T09:03'), { outcome: 'cancelled', reason: 'too-expensive' }), 'u_42'),
        // an honest visitor, not signed in yet
        posingAs(msg.track('x', 'Survey Answered', t('03-03T09:00'), nps(9, 'visitor')), 'a-visitor'),
      ]);
      // a read folds the attacker's events into the rollups before u_42 signs in
      await getInsight(collector.url, 'satisfaction', key, range);
      await seed(collector.url, key, [
        msg.identify('u_42', { plan: 'enterprise' }, t('03-05T09:00'), { ...vouched('u_42'), anonymousId: 'a-laptop' }),
        { ...msg.track('u_42', 'Survey Answered', t('03-05T09:01'), nps(10, 'real')), ...vouched('u_42') },
        // the visitor signs in: their earlier answer becomes u_7's
        msg.identify('u_7', { plan: 'pro' }, t('03-06T09:00'), { ...vouched('u_7'), anonymousId: 'a-visitor' }),
      ]);
    });
    afterAll(async () => {
      await collector?.close();
    });

    it("shows u_42's own answer only, and no cancellation of theirs, from the rollups and the events", async () => {
      for (const source of ['rollups', 'events']) {
        const u42 = { ...range, segment: 'plan:enterprise', source };
        const sat = await getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, u42);
        expect(sat.nps, source).toMatchObject({ answers: 1, promoters: 1, detractors: 0, nps: 100 });
        const churn = await getInsight<ChurnInsight>(collector.url, 'churn', key, u42);
        expect(churn.outcomes.cancelled, source).toBe(0);
      }
    });

    it("keeps u_42 among the people at risk, as the user who went quiet, not as one who cancelled or gave a 0", async () => {
      for (const source of ['rollups', 'events']) {
        const atRisk = await getInsight<AtRiskInsight>(collector.url, 'at-risk', key, { ...range, source });
        const u42 = atRisk.users.find((u) => u.userId === 'u_42');
        expect(u42, source).toBeDefined();
        expect(u42?.reasons, source).not.toContain('nps-detractor');
        expect(u42?.traits, source).toEqual({ plan: 'enterprise' });
      }
    });

    it('counts the attacker as a visitor of their own: three people were active, not two', async () => {
      for (const source of ['rollups', 'events']) {
        const adoption = await getInsight<{ summary: Json }>(collector.url, 'adoption', key, { ...range, source });
        expect(adoption.summary, source).toMatchObject({ activeUsers: 3 });
      }
    });

    it("still counts a visitor's answer as theirs once they sign in", async () => {
      for (const source of ['rollups', 'events']) {
        const sat = await getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, { ...range, segment: 'plan:pro', source });
        expect(sat.nps, source).toMatchObject({ answers: 1, promoters: 1, detractors: 0 });
        const all = await getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, { ...range, source });
        expect(all.nps, source).toMatchObject({ answers: 3, promoters: 2, detractors: 1 });
      }
    });
  });
}
