import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, readAuth, seed, startTestCollector, type Json, type TestCollector } from '../test-support/fixture.ts';
import type { AdoptionInsight } from './adoption.ts';
import type { BillingInsight } from './billing.ts';
import type { GamificationInsight } from './gamification.ts';
import type { SatisfactionInsight } from './satisfaction.ts';

/** `t('03-01T10:00')` → 2026-03-01T10:00:00.000Z. All fixture times are UTC, in 2026. */
const t = (when: string) => `2026-${when}:00.000Z`;
const track = msg.track;
const MARCH = { from: '2026-03-01', to: '2026-03-31' };
/** A visitor's event, before they sign in: no userId. */
const visitor = (anonymousId: string, event: string, at: string, properties: Json = {}): Json => {
  const { userId: _, ...rest } = track('-', event, at, properties);
  return { ...rest, anonymousId };
};

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`read-outs at the edges of their input on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    beforeAll(async () => {
      collector = await startTestCollector({
        ...engine.options,
        now: () => new Date(t('04-10T12:00')),
        flows: { version: 1, surveys: [{ id: 'poll', kind: 'choice', question: 'Which?', choices: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }] }] },
      });
    });
    afterAll(async () => {
      await collector?.close();
    });

    it('annual conversions: a customer on an annual plan since last autumn is not converted by a March exposure', async () => {
      const key = collector.nextKey();
      const interval = (person: string, at: string) => msg.identify(person, { billingInterval: 'annual' }, at);
      const shown = (person: string, variant: string, at: string) => track(person, 'Plan Offer Shown', at, { offerId: 'annual', kind: 'annual', variant });
      await seed(collector.url, key, [
        // annual since October; back in March after months away, in the holdout, and identified again
        interval('long-annual', '2025-10-01T10:00:00.000Z'), shown('long-annual', 'holdout', t('03-02T10:00')), interval('long-annual', t('03-10T10:00')),
        // a real conversion, for contrast
        msg.identify('switcher', { billingInterval: 'monthly' }, '2025-10-01T10:00:00.000Z'), shown('switcher', 'holdout', t('03-02T10:00')), interval('switcher', t('03-12T10:00')),
      ]);
      const { annualOffer } = await getInsight<BillingInsight>(collector.url, 'billing', key, MARCH);
      expect(annualOffer.arms.find((a) => a.variant === 'holdout')).toEqual({ variant: 'holdout', exposed: 2, accepted: 0, converted: 1, conversionRate: 0.5 });
    });

    const pause = (person: string, at: string, props: Record<string, unknown>) =>
      track(person, 'Pause Offer Accepted', at, { offerId: 'pause', source: 'cancel-flow', ...props });

    it('pauses: one pause event whose resumesAt is no calendar day does not take the billing card down', async () => {
      const key = collector.nextKey();
      await seed(collector.url, key, [
        track('prompted', 'Payment Prompt Shown', t('03-02T10:00'), { promptId: 'past-due', stage: 'banner' }),
        // a day that does not exist rolls over, as the save rate reads it (Feb 31 → Mar 3): over, and resumed after it
        pause('feb-31', t('03-01T10:00'), { months: 1, resumesAt: '2026-02-31' }), msg.identify('feb-31', { paymentStatus: 'active' }, t('03-05T10:00')),
        // no month 13: judged by its months instead (Apr 2), not over in March
        pause('month-13', t('03-02T10:00'), { months: 1, resumesAt: '2026-13-01' }),
      ]);
      const res = await fetch(`${collector.url}/api/insights/billing?key=${key}&from=${MARCH.from}&to=${MARCH.to}`, { headers: readAuth(collector.url) });
      expect(res.status).toBe(200);
      const billing = (await res.json()) as BillingInsight;
      expect(billing.recoveredPayments.prompted).toBe(1);
      expect(billing.pauses).toMatchObject({ paused: 2, due: 1, resumed: 1, resumeRate: 1 });
    });

    it('pauses: a pause that names only its months is over once they have passed, resumed or not', async () => {
      const key = collector.nextKey();
      await seed(collector.url, key, [
        // a month from March 1st: over on April 1st, and never resumed
        pause('gone', t('03-01T10:00'), { months: 1 }),
        // a month from March 2nd, active again on April 5th
        pause('back', t('03-02T10:00'), { months: 1 }), msg.identify('back', { paymentStatus: 'active' }, t('04-05T10:00')),
      ]);
      const { pauses } = await getInsight<BillingInsight>(collector.url, 'billing', key, { from: '2026-03-01', to: '2026-04-30' });
      expect(pauses).toMatchObject({ paused: 2, due: 2, resumed: 1, resumeRate: 0.5 });
    });

    it('adoption: a range that runs past today gives WAU and MAU as of today, not of days still to come', async () => {
      const key = collector.nextKey();
      await seed(collector.url, key, [
        msg.page('march', t('03-20T10:00')), // in the 30 days up to today (April 10th), not in April
        msg.page('a', t('04-05T10:00')), msg.page('b', t('04-08T10:00')), msg.page('c', t('04-09T10:00')),
      ]);
      for (const source of ['rollups', 'events']) {
        // the whole month, picked on the 10th
        const { summary } = await getInsight<AdoptionInsight>(collector.url, 'adoption', key, { from: '2026-04-01', to: '2026-04-30', source });
        expect(summary).toMatchObject({ activeUsers: 3, wau: 3, mau: 4 });
      }
    });

    it('badges and levels: a grant made in February and sent again in March, from a visitor who then signed in, is no March earning', async () => {
      const key = collector.nextKey();
      const badge = { badgeId: 'onboarded', points: 10, level: 'Silver' };
      const level = { level: 'Silver', points: 10 };
      await seed(collector.url, key, [
        track('u1', 'Badge Earned', t('02-20T10:00'), badge), track('u1', 'Level Reached', t('02-20T10:00'), level),
        // on her phone, not signed in yet: the same badge and level again, then she signs in
        visitor('phone', 'Badge Earned', t('03-03T10:00'), badge), visitor('phone', 'Level Reached', t('03-03T10:00'), level),
        { ...msg.identify('u1', {}, t('03-03T10:05')), anonymousId: 'phone' },
        // a first earning in March
        track('u2', 'Badge Earned', t('03-04T10:00'), badge), track('u2', 'Level Reached', t('03-04T10:00'), level),
      ]);
      for (const source of ['rollups', 'events']) {
        const result = await getInsight<GamificationInsight>(collector.url, 'gamification', key, { ...MARCH, source });
        expect(result).toMatchObject({
          activeUsers: 2,
          badgeEarners: 1,
          badges: [{ badgeId: 'onboarded', title: null, earned: 1, share: 0.5 }],
          levels: [{ level: 'Silver', reached: 1 }],
        });
      }
    });

    it('poll results: an answer that names the same choice twice counts its person once', async () => {
      const key = collector.nextKey();
      const answer = (person: string, responseId: string, choices: string[]) =>
        track(person, 'Survey Answered', t('03-02T10:00'), { surveyId: 'poll', kind: 'choice', responseId, choices });
      await seed(collector.url, key, [answer('p1', 'r1', ['a', 'a', 'b']), answer('p2', 'r2', ['b'])]);
      for (const source of ['rollups', 'events']) {
        const { surveys } = await getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, { ...MARCH, source });
        expect(surveys.find((s) => s.surveyId === 'poll')?.choices).toEqual([{ choice: 'b', count: 2 }, { choice: 'a', count: 1 }]);
      }
    });
  });
}
