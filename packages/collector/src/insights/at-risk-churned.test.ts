import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, type TestCollector } from '../test-support/fixture.ts';
import type { AtRiskInsight } from './at-risk.ts';

/** `t('03-01T10:00')` → 2026-03-01T10:00:00.000Z. */
const t = (when: string) => `2026-${when}:00.000Z`;
const range = { from: '2026-03-15', to: '2026-03-28' };
const days = (person: string, ...when: string[]) => when.map((d) => msg.page(person, t(`${d}T10:00`)));
const flow = (person: string, runId: string, day: string, outcome: string) => [
  msg.track(person, 'Cancel Flow Started', t(`${day}T10:00`), { runId, variant: 'offer' }),
  msg.track(person, 'Cancel Flow Completed', t(`${day}T10:02`), { runId, variant: 'offer', outcome }),
];

// Only a stay ("Keep my subscription", an offer applied) brings back someone who cancelled. A
// customer who cancelled, then opened the flow again (to check it went through) and closed it,
// or took a contact offer, has still cancelled: listing them for outreach as "opened the cancel
// flow" sends the success team after someone already gone.
for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`at-risk after a cancellation, on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    let key: string;
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, now: () => new Date(t('04-10T12:00')) });
      key = collector.nextKey();
      await seed(collector.url, key, [
        ...days('closed-it-after-cancelling', '03-02', '03-03', '03-16', '03-22'),
        ...flow('closed-it-after-cancelling', 'r1', '03-16', 'cancelled'),
        ...flow('closed-it-after-cancelling', 'r2', '03-22', 'abandoned'),
        ...days('talked-after-cancelling', '03-02', '03-03', '03-16', '03-22'),
        ...flow('talked-after-cancelling', 'r1', '03-16', 'cancelled'),
        ...flow('talked-after-cancelling', 'r2', '03-22', 'contacted'),
        // still a customer: these two stay on the list
        ...days('kept-after-cancelling', '03-02', '03-03', '03-16', '03-22'),
        ...flow('kept-after-cancelling', 'r1', '03-16', 'cancelled'),
        ...flow('kept-after-cancelling', 'r2', '03-22', 'kept'),
        ...days('only-looked', '03-02', '03-03', '03-16', '03-22'),
        ...flow('only-looked', 'r1', '03-22', 'abandoned'),
      ]);
    });
    afterAll(async () => {
      await collector?.close();
    });

    for (const source of ['events', 'rollups'])
      it(`[${source}] leaves out who cancelled and then only closed the flow again or took a contact offer`, async () => {
        const result = await getInsight<AtRiskInsight>(collector.url, 'at-risk', key, { ...range, source });
        expect(result.users.map((u) => u.userId).sort()).toEqual(['kept-after-cancelling', 'only-looked']);
        expect(result.population).toBe(2);
        expect(result.reasonCounts['cancel-flow-opened']).toBe(2);
      });
  });
}
