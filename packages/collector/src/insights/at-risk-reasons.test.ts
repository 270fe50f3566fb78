import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, type TestCollector } from '../test-support/fixture.ts';
import type { AtRiskInsight } from './at-risk.ts';
import type { ChurnInsight } from './churn.ts';

/** `t('03-01T10:00')` → 2026-03-01T10:00:00.000Z. */
const t = (when: string) => `2026-${when}:00.000Z`;
const range = { from: '2026-03-15', to: '2026-03-28' };
const days = (person: string, ...when: string[]) => when.map((d) => msg.page(person, t(`${d}T10:00`)));
const run = (person: string, runId: string, when: string, event: string, props: Record<string, unknown> = {}) =>
  msg.track(person, event, t(`03-20T${when}`), { runId, variant: 'offer', ...props });

// Neither "Keep my subscription" nor an offer the vendor applies later undoes a cancellation the
// person confirmed meanwhile: the churn insight calls such a flow lapsed, and at-risk must agree
// that the person churned rather than list them for outreach as merely "at risk".
for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`who churned, for at-risk, on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    let key: string;
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, now: () => new Date(t('04-10T12:00')) });
      key = collector.nextKey();
      await seed(collector.url, key, [
        // cancels in tab A, then answers "Keep my subscription" in the flow left open in tab B
        ...days('kept-in-other-tab', '03-02', '03-03', '03-16', '03-17'),
        run('kept-in-other-tab', 'tab-a', '10:00', 'Cancel Flow Started'),
        run('kept-in-other-tab', 'tab-b', '10:01', 'Cancel Flow Started'),
        run('kept-in-other-tab', 'tab-a', '10:03', 'Cancel Flow Completed', { outcome: 'cancelled' }),
        run('kept-in-other-tab', 'tab-b', '10:05', 'Cancel Flow Completed', { outcome: 'kept' }),
        // closes the flow on the spinner, cancels in a new run, then the first run's discount comes through
        ...days('late-save', '03-02', '03-03', '03-16', '03-17'),
        run('late-save', 'r1', '10:00', 'Cancel Flow Started'),
        run('late-save', 'r1', '10:01', 'Cancel Offer Accepted', { offerId: 'discount-30', offerKind: 'discount' }),
        run('late-save', 'r1', '10:02', 'Cancel Flow Completed', { outcome: 'abandoned' }),
        run('late-save', 'r2', '10:03', 'Cancel Flow Started'),
        run('late-save', 'r2', '10:04', 'Cancel Flow Completed', { outcome: 'cancelled' }),
        run('late-save', 'r1', '10:05', 'Cancel Flow Completed', { outcome: 'saved', offerId: 'discount-30', offerKind: 'discount', applied: true }),
        // cancelled, then came back days later and kept their (renewed) subscription: still a customer
        ...days('came-back', '03-02', '03-03', '03-16', '03-17', '03-22'),
        msg.track('came-back', 'Cancel Flow Started', t('03-16T10:00'), { runId: 'old', variant: 'offer' }),
        msg.track('came-back', 'Cancel Flow Completed', t('03-16T10:02'), { runId: 'old', variant: 'offer', outcome: 'cancelled' }),
        msg.track('came-back', 'Cancel Flow Started', t('03-22T10:00'), { runId: 'new', variant: 'offer' }),
        msg.track('came-back', 'Cancel Flow Completed', t('03-22T10:02'), { runId: 'new', variant: 'offer', outcome: 'kept' }),
      ]);
    });
    afterAll(async () => {
      await collector?.close();
    });

    for (const source of ['events', 'rollups'])
      it(`[${source}] leaves out who cancelled while another tab's flow, or an offer still being applied, was open: churned, as the churn insight says`, async () => {
        const churn = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source });
        // the two open flows that ended after the cancellation are lapsed there, not stays
        expect(churn.outcomes).toMatchObject({ saved: 0, kept: 1, lapsed: 2, cancelled: 3 });
        const result = await getInsight<AtRiskInsight>(collector.url, 'at-risk', key, { ...range, source });
        expect(result.users.map((u) => u.userId)).toEqual(['came-back']);
        expect(result.reasonCounts['cancel-flow-opened']).toBe(1);
      });
  });
}
