import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, type TestCollector } from '../test-support/fixture.ts';
import type { BillingInsight } from './billing.ts';

/** `t('03-01T10:00')` → 2026-03-01T10:00:00.000Z. */
const t = (when: string) => `2026-${when}:00.000Z`;
const MARCH = { from: '2026-03-01', to: '2026-03-31' };

// Monthly billing makes "paused through March, billing resumes 1 April" the usual pause. The
// March report ends at midnight on 1 April: no resume can show in it, so such a pause is not
// over yet there. Judged as over, every one of them read "did not resume" in March, and no
// later report looks at a pause taken in March.
for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`pauses at the range's edge, on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, now: () => new Date(t('04-10T12:00')) });
    });
    afterAll(async () => {
      await collector?.close();
    });

    it('a pause whose billing resumes on the first day after the range is not yet due, so it cannot read "did not resume"', async () => {
      const key = collector.nextKey();
      const pause = (person: string, at: string, props: Record<string, unknown>) =>
        msg.track(person, 'Pause Offer Accepted', at, { offerId: 'pause', source: 'cancel-flow', applied: true, ...props });
      await seed(collector.url, key, [
        // resumes on 31 March and pays again that day: due and resumed in March
        pause('back-on-31st', t('03-01T10:00'), { months: 1, resumesAt: '2026-03-31' }),
        msg.identify('back-on-31st', { paymentStatus: 'active' }, t('03-31T09:00')),
        // resumes on 1 April (and does pay again then, after the March report's end)
        pause('back-on-1st', t('03-01T10:00'), { months: 1, resumesAt: '2026-04-01' }),
        msg.identify('back-on-1st', { paymentStatus: 'active' }, t('04-01T09:00')),
        // a month from midnight on 1 March, named only by its months: over at midnight on 1 April
        pause('months-only', t('03-01T00:00'), { months: 1 }),
        msg.track('months-only', 'Subscription Resumed', t('04-01T00:00')),
      ]);
      const { pauses } = await getInsight<BillingInsight>(collector.url, 'billing', key, MARCH);
      expect(pauses).toMatchObject({ paused: 3, due: 1, resumed: 1, resumeRate: 1 });
    });
  });
}
