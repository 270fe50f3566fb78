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

// A vendor works the at-risk list to reach people before they leave. Someone who opened the
// cancellation flow and took a discount is still listed (they wanted to leave, and a discount
// often only delays it), but "opened cancel flow" alone sends a second offer to someone the
// first one just kept: the list says what the flow came to.
for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`what an at-risk person's cancellation flow came to, on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    let key: string;
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, now: () => new Date(t('04-10T12:00')) });
      key = collector.nextKey();
      await seed(collector.url, key, [
        ...days('took-discount', '03-16', '03-17', '03-20'),
        run('took-discount', 'd1', '10:00', 'Cancel Flow Started'),
        run('took-discount', 'd1', '10:01', 'Cancel Offer Accepted', { offerId: 'discount-30', offerKind: 'discount' }),
        run('took-discount', 'd1', '10:02', 'Cancel Flow Completed', { outcome: 'saved', offerId: 'discount-30', offerKind: 'discount', applied: true }),
        // took the discount once, then opened the flow again and closed it unanswered
        ...days('came-back-to-it', '03-16', '03-17', '03-20'),
        run('came-back-to-it', 'c1', '10:00', 'Cancel Flow Started'),
        run('came-back-to-it', 'c1', '10:02', 'Cancel Flow Completed', { outcome: 'saved', offerId: 'discount-30', offerKind: 'discount', applied: true }),
        run('came-back-to-it', 'c2', '15:00', 'Cancel Flow Started'),
        run('came-back-to-it', 'c2', '15:01', 'Cancel Flow Completed', { outcome: 'abandoned' }),
        // inactive, never near the cancellation flow
        ...days('quiet', '03-02', '03-03', '03-05'),
        // closed the flow on the spinner of a discount, opened it again and closed it unanswered,
        // then the first flow's discount came through: an offer saved them last
        ...days('late-save', '03-16', '03-17', '03-20'),
        run('late-save', 'r1', '10:00', 'Cancel Flow Started'),
        run('late-save', 'r1', '10:01', 'Cancel Offer Accepted', { offerId: 'discount-30', offerKind: 'discount' }),
        run('late-save', 'r1', '10:02', 'Cancel Flow Completed', { outcome: 'abandoned' }),
        run('late-save', 'r2', '10:03', 'Cancel Flow Started'),
        run('late-save', 'r2', '10:04', 'Cancel Flow Completed', { outcome: 'abandoned' }),
        run('late-save', 'r1', '10:05', 'Cancel Flow Completed', { outcome: 'saved', offerId: 'discount-30', offerKind: 'discount', applied: true }),
        // the flow open in two tabs: saved in the first, the second closed after
        ...days('two-tabs', '03-16', '03-17', '03-20'),
        run('two-tabs', 'a', '10:00', 'Cancel Flow Started'),
        run('two-tabs', 'b', '10:01', 'Cancel Flow Started'),
        run('two-tabs', 'a', '10:03', 'Cancel Flow Completed', { outcome: 'saved', offerId: 'discount-30', offerKind: 'discount', applied: true }),
        run('two-tabs', 'b', '10:04', 'Cancel Flow Completed', { outcome: 'abandoned' }),
        // opened on the range's last evening, saved by the vendor's server after midnight
        ...days('saved-after-midnight', '03-16', '03-17', '03-20'),
        msg.track('saved-after-midnight', 'Cancel Flow Started', t('03-28T23:58'), { runId: 'm1', variant: 'offer' }),
        msg.track('saved-after-midnight', 'Cancel Flow Completed', t('03-29T00:01'), { runId: 'm1', variant: 'offer', outcome: 'saved', offerId: 'discount-30', offerKind: 'discount', applied: true }),
      ]);
    });
    afterAll(async () => {
      await collector?.close();
    });

    for (const source of ['events', 'rollups'])
      it(`[${source}] says who an offer saved and whose latest flow was left unanswered, and nothing of a flow for who opened none`, async () => {
        const result = await getInsight<AtRiskInsight>(collector.url, 'at-risk', key, { ...range, source });
        const flows = Object.fromEntries(result.users.map((u) => [u.userId, u.cancelFlow]));
        expect(flows).toMatchObject({ 'took-discount': 'saved', 'came-back-to-it': 'abandoned', quiet: null });
        expect(result.reasonCounts['cancel-flow-opened']).toBe(5);
      });

    for (const source of ['events', 'rollups'])
      it(`[${source}] says "saved by an offer" of everyone the churn insight counts saved, not "left unanswered"`, async () => {
        const churn = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source });
        // late-save's r1, two-tabs' a, saved-after-midnight, took-discount, came-back-to-it's c1
        expect(churn.outcomes).toMatchObject({ saved: 5 });
        const result = await getInsight<AtRiskInsight>(collector.url, 'at-risk', key, { ...range, source });
        const flows = Object.fromEntries(result.users.map((u) => [u.userId, u.cancelFlow]));
        expect(flows).toMatchObject({ 'late-save': 'saved', 'two-tabs': 'saved', 'saved-after-midnight': 'saved' });
      });
  });
}
