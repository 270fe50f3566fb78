import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, type TestCollector } from '../test-support/fixture.ts';
import { AT_RISK_LIMIT } from './at-risk-reasons.ts';
import type { AtRiskInsight } from './at-risk.ts';

/** `t('03-01T10:00')` → 2026-03-01T10:00:00.000Z. */
const t = (when: string) => `2026-${when}:00.000Z`;
const range = { from: '2026-03-15', to: '2026-03-28' };
const AWAY = AT_RISK_LIMIT + 5;

// The answer lists the users and accounts most at risk, at most AT_RISK_LIMIT of each; the
// dashboard said "200 of 900 users at risk" from the list's length when 205 were.
for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`how many are at risk, beyond the list, on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    let key: string;
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, now: () => new Date(t('04-10T12:00')) });
      key = collector.nextKey();
      // each active on two days of the period before the range, and not since: at risk, in an account of their own
      const away = Array.from({ length: AWAY }, (_, i) => [
        msg.group(`away-${i}`, `account-${i}`, { name: `Account ${i}` }, t('03-02T09:00')),
        msg.page(`away-${i}`, t('03-02T10:00')),
        msg.page(`away-${i}`, t('03-03T10:00')),
      ]).flat();
      // and two who stayed as active: not at risk
      const stayed = ['stayed-1', 'stayed-2'].flatMap((person) =>
        ['03-02', '03-03', '03-16', '03-17', '03-25'].map((day) => msg.page(person, t(`${day}T10:00`))));
      await seed(collector.url, key, [...away, ...stayed]);
    });
    afterAll(async () => {
      await collector?.close();
    });

    for (const source of ['events', 'rollups'])
      it(`[${source}] says all ${AWAY} people and accounts at risk, though it lists the first ${AT_RISK_LIMIT}`, async () => {
        const result = await getInsight<AtRiskInsight>(collector.url, 'at-risk', key, { ...range, source });
        expect(result.population).toBe(AWAY + 2);
        expect(result.users).toHaveLength(AT_RISK_LIMIT);
        expect(result.accounts).toHaveLength(AT_RISK_LIMIT);
        expect({ users: result.atRiskUsers, accounts: result.atRiskAccounts }).toEqual({ users: AWAY, accounts: AWAY });
      });
  });
}
