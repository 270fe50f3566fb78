import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, type Json, type TestCollector } from '../test-support/fixture.ts';
import type { AnnouncementsInsight } from './announcements.ts';
import type { BillingInsight } from './billing.ts';

/** `t('03-01T10:00')` → 2026-03-01T10:00:00.000Z. All fixture times are UTC, in 2026. */
const t = (when: string) => `2026-${when}:00.000Z`;
const track = msg.track;
const MARCH = { from: '2026-03-01', to: '2026-03-31' };

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`announcement and billing read-outs on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, now: () => new Date(t('04-10T12:00')) });
    });
    afterAll(async () => {
      await collector?.close();
    });

    describe('announcement adoption', () => {
      let key: string;
      const shown = (person: string, at: string, props: Json = { feature: 'reports' }) =>
        track(person, 'Announcement Shown', at, { announcementId: 'new-reports', format: 'banner', ...props });
      const used = (person: string, at: string, feature = 'reports') => track(person, 'Feature Used', at, { feature });
      beforeAll(async () => {
        key = collector.nextKey();
        await seed(collector.url, key, [
          shown('a1', t('03-05T10:00')), used('a1', t('03-06T10:00')), // new user of the feature
          used('a2', t('03-01T10:00')), shown('a2', t('03-05T10:00')), used('a2', t('03-07T10:00')), // used it already
          shown('a3', t('03-05T10:00')), used('a3', t('03-06T10:00'), 'kanban'), // used something else
          shown('a4', t('03-05T10:00')), used('a4', t('03-06T10:00')), shown('a4', t('03-08T10:00')), // seen twice: one person
          shown('a5', t('03-10T10:00')), used('a5', t('04-02T10:00')), // used it after the range end
          shown('a6', t('02-20T10:00')), used('a6', t('03-02T10:00')), // saw it before the range
          shown('a7', t('03-05T10:00'), { feature: undefined }), used('a7', t('03-06T10:00')), // announces no feature
          used('a8', t('03-04T10:00')), shown('a8', t('03-05T10:00')), // only used it before
        ]);
      });

      it('counts, of the people who saw it, those who used the feature afterwards, with the n', async () => {
        const result = await getInsight<AnnouncementsInsight>(collector.url, 'announcements', key, MARCH);
        expect(result.announcements).toEqual([
          { announcementId: 'new-reports', feature: 'reports', seen: 6, usedAfter: 3, adoptionRate: 0.5, newUsers: 2, newUserRate: 0.3333 },
        ]);
      });
    });

    describe('billing', () => {
      let key: string;
      const prompt = (person: string, stage: string, at: string) => track(person, 'Payment Prompt Shown', at, { promptId: 'past-due', stage, daysPastDue: 3 });
      const resolved = (person: string, at: string) => track(person, 'Payment Prompt Resolved', at, { promptId: 'past-due', stage: 'banner' });
      const planOffer = (person: string, event: string, variant: string, at: string) => track(person, event, at, { offerId: 'annual', kind: 'annual', percent: 20, variant });
      const interval = (person: string, billingInterval: string, at: string) => msg.identify(person, { billingInterval }, at);
      const pause = (person: string, at: string, months: number, resumesAt: string, source: string) =>
        track(person, 'Pause Offer Accepted', at, { offerId: 'pause-3', months, resumesAt, source });
      beforeAll(async () => {
        key = collector.nextKey();
        await seed(collector.url, key, [
          // failed payments
          prompt('p1', 'banner', t('03-02T10:00')), resolved('p1', t('03-04T10:00')),
          prompt('p2', 'banner', t('03-02T10:00')), prompt('p2', 'wall', t('03-10T10:00')), resolved('p2', t('03-12T10:00')),
          prompt('p3', 'banner', t('03-03T10:00')), prompt('p3', 'wall', t('03-12T10:00')),
          resolved('p4', t('03-01T10:00')), prompt('p4', 'banner', t('03-05T10:00')), // resolved before any prompt
          prompt('p5', 'reminder', t('03-05T10:00')), resolved('p5', t('03-06T10:00')), // a renewal reminder, not past due
          prompt('p6', 'banner', t('03-28T10:00')), resolved('p6', t('04-03T10:00')), // after the range end
          // the annual-plan offer and its holdout
          interval('o1', 'monthly', t('03-01T10:00')), planOffer('o1', 'Plan Offer Shown', 'offer', t('03-02T10:00')), planOffer('o1', 'Plan Offer Accepted', 'offer', t('03-02T10:01')),
          planOffer('o2', 'Plan Offer Shown', 'offer', t('03-03T10:00')), planOffer('o2', 'Plan Offer Declined', 'offer', t('03-03T10:01')),
          planOffer('o3', 'Plan Offer Shown', 'offer', t('03-03T10:00')), interval('o3', 'annual', t('03-15T10:00')), // switched on their own later
          planOffer('h1', 'Plan Offer Shown', 'holdout', t('03-02T10:00')), interval('h1', 'annual', t('03-20T10:00')),
          planOffer('h2', 'Plan Offer Shown', 'holdout', t('03-02T10:00')),
          interval('h3', 'annual', t('02-25T10:00')), planOffer('h3', 'Plan Offer Shown', 'holdout', t('03-04T10:00')), interval('h3', 'annual', t('03-10T10:00')), // annual already
          planOffer('h4', 'Plan Offer Shown', 'holdout', t('03-05T10:00')),
          // pauses
          pause('s1', t('03-01T10:00'), 1, '2026-03-15', 'cancel-flow'), msg.identify('s1', { paymentStatus: 'active' }, t('03-16T10:00')),
          pause('s2', t('03-02T10:00'), 1, '2026-03-20', 'standalone'), msg.identify('s2', { status: 'active' }, t('03-10T10:00')), // active while paused is not a resume
          pause('s3', t('03-03T10:00'), 2, '2026-05-03', 'cancel-flow'), track('s3', 'Subscription Resumed', t('03-20T10:00')), // resumed early
          pause('s4', t('03-10T10:00'), 3, '2026-06-10', 'standalone'), // still paused
          pause('s5', t('02-10T10:00'), 1, '2026-03-10', 'cancel-flow'), // before the range
        ]);
      });

      it('recovered payments: past due, then resolved after a prompt, by how far the prompts went', async () => {
        const { recoveredPayments } = await getInsight<BillingInsight>(collector.url, 'billing', key, MARCH);
        expect(recoveredPayments).toEqual({
          prompted: 5,
          recovered: 2,
          recoveryRate: 0.4,
          byStage: [
            { stage: 'banner', prompted: 3, recovered: 1, recoveryRate: 0.3333 },
            { stage: 'wall', prompted: 2, recovered: 1, recoveryRate: 0.5 },
          ],
        });
      });

      it('annual conversions from the offer vs the holdout, never counting people already annual', async () => {
        const { annualOffer } = await getInsight<BillingInsight>(collector.url, 'billing', key, MARCH);
        expect(annualOffer).toEqual({
          arms: [
            { variant: 'offer', exposed: 3, accepted: 1, converted: 2, conversionRate: 0.6667 },
            { variant: 'holdout', exposed: 4, accepted: 0, converted: 1, conversionRate: 0.25 },
          ],
          lift: 0.4167,
        });
      });

      it('pauses and how many resumed, of those whose pause is over', async () => {
        const { pauses } = await getInsight<BillingInsight>(collector.url, 'billing', key, MARCH);
        expect(pauses).toEqual({
          paused: 4,
          bySource: [{ source: 'cancel-flow', paused: 2 }, { source: 'standalone', paused: 2 }],
          byMonths: [{ months: 1, paused: 2 }, { months: 2, paused: 1 }, { months: 3, paused: 1 }],
          due: 3,
          resumed: 2,
          resumeRate: 0.6667,
        });
      });

      it('says nothing rather than 0 % when nobody was exposed', async () => {
        const empty = await getInsight<BillingInsight>(collector.url, 'billing', key, { from: '2026-01-01', to: '2026-01-31' });
        expect([empty.recoveredPayments.recoveryRate, empty.annualOffer.lift, empty.pauses.resumeRate]).toEqual([null, null, null]);
      });
    });
  });
}
