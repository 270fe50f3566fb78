import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, type TestCollector } from '../test-support/fixture.ts';
import type { BillingInsight } from './billing.ts';

const t = (when: string) => `2026-${when}:00.000Z`;
const MARCH = { from: '2026-03-01', to: '2026-03-31' };
const shown = (person: string, variant: string, at: string) =>
  msg.track(person, 'Plan Offer Shown', at, { offerId: 'annual', kind: 'annual', percent: 20, variant });
const interval = (person: string, billingInterval: string, at: string) => msg.identify(person, { billingInterval }, at);

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`the annual-plan offer on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, now: () => new Date(t('04-10T12:00')) });
    });
    afterAll(async () => {
      await collector?.close();
    });

    it('counts a customer who was annual once, went monthly, saw the offer and went annual again as converted; one annual when shown it is not', async () => {
      const key = collector.nextKey();
      await seed(collector.url, key, [
        // annual last year, monthly since February: the offer won them back to annual
        interval('back-to-annual', 'annual', t('01-05T10:00')),
        interval('back-to-annual', 'monthly', t('02-05T10:00')),
        shown('back-to-annual', 'offer', t('03-03T10:00')),
        interval('back-to-annual', 'annual', t('03-15T10:00')),
        // monthly once, annual since February: already annual when shown it
        interval('annual-already', 'monthly', t('01-05T10:00')),
        interval('annual-already', 'annual', t('02-05T10:00')),
        shown('annual-already', 'holdout', t('03-03T10:00')),
        interval('annual-already', 'annual', t('03-15T10:00')),
      ]);
      const { annualOffer } = await getInsight<BillingInsight>(collector.url, 'billing', key, MARCH);
      expect(annualOffer.arms).toEqual([
        { variant: 'offer', exposed: 1, accepted: 0, converted: 1, conversionRate: 1 },
        { variant: 'holdout', exposed: 1, accepted: 0, converted: 0, conversionRate: 0 },
      ]);
    });
  });
}
