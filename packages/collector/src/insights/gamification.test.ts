import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, type TestCollector } from '../test-support/fixture.ts';
import type { GamificationInsight } from './gamification.ts';

/** `t('03-01T10:00')` → 2026-03-01T10:00:00.000Z. All fixture times are UTC, in 2026. */
const t = (when: string) => `2026-${when}:00.000Z`;
const MARCH = { from: '2026-03-01', to: '2026-03-31' };
const NOW = new Date(t('04-10T12:00'));

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`the gamification read-out's levels on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    beforeAll(async () => {
      // The flows the collector serves (--flows): their levels' thresholds order the read-out.
      const levels = [{ name: 'Pro', points: 100 }, { name: 'Expert', points: 50 }, { name: 'Rookie', points: 10 }];
      collector = await startTestCollector({ ...engine.options, now: () => NOW, flows: { version: 1, levels } });
    });
    afterAll(async () => {
      await collector?.close();
    });

    it.each(['rollups', 'events'] as const)(
      'lists levels from the lowest threshold up, also when a user jumped two at once or someone claims a level at 0 points (from %s)',
      async (source) => {
        const key = collector.nextKey();
        await seed(collector.url, key, [
          // One step worth 60 points crosses Rookie (10) and Expert (50): the SDK names both at 60.
          msg.track('u1', 'Level Reached', t('03-02T10:00'), { level: 'Rookie', points: 60 }),
          msg.track('u1', 'Level Reached', t('03-02T10:00'), { level: 'Expert', points: 60 }),
          // Typed into the console: the top level, "at 0 points".
          msg.track('u2', 'Level Reached', t('03-03T10:00'), { level: 'Pro', points: 0 }),
          // A level the vendor took out of the flows since: placed by the points it was sent with.
          msg.track('u3', 'Level Reached', t('03-04T10:00'), { level: 'Bronze', points: 30 }),
        ]);
        const result = await getInsight<GamificationInsight>(collector.url, 'gamification', key, { ...MARCH, source });
        expect(result.levels.map((l) => l.level)).toEqual(['Rookie', 'Bronze', 'Expert', 'Pro']);
      },
    );

    it.each(['rollups', 'events'] as const)(
      'counts every badge earner, and marks no badge, when the flows define no badge to judge by (from %s)',
      async (source) => {
        const key = collector.nextKey();
        await seed(collector.url, key, [msg.track('u1', 'Badge Earned', t('03-02T10:00'), { badgeId: 'onboarded', points: 50 })]);
        const result = await getInsight<GamificationInsight>(collector.url, 'gamification', key, { ...MARCH, source });
        expect(result.badgeEarners).toBe(1);
        expect(result.badges).toEqual([{ badgeId: 'onboarded', title: null, inFlows: null, earned: 1, share: 1 }]);
      },
    );
  });
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`the gamification read-out's badges on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    beforeAll(async () => {
      // The flows the collector serves: the badges the product team defined, now.
      collector = await startTestCollector({ ...engine.options, now: () => NOW, flows: { version: 1, badges: [{ id: 'onboarded', title: 'Onboarded' }] } });
    });
    afterAll(async () => {
      await collector?.close();
    });

    it.each(['rollups', 'events'] as const)(
      'marks a badge the current flows do not define (forged, or retired) and leaves its earners out of the badge earners (from %s)',
      async (source) => {
        const key = collector.nextKey();
        await seed(collector.url, key, [
          msg.track('u1', 'Badge Earned', t('03-02T10:00'), { badgeId: 'onboarded', points: 50 }),
          // typed into the console with the public write key, or a badge the vendor took out of the flows since
          msg.track('u2', 'Badge Earned', t('03-03T10:00'), { badgeId: 'superstar', points: 1000 }),
          msg.track('u3', 'Badge Earned', t('03-03T10:00'), { badgeId: 'superstar', points: 1000 }),
          msg.page('u4', t('03-04T10:00')),
        ]);
        const result = await getInsight<GamificationInsight>(collector.url, 'gamification', key, { ...MARCH, source });
        expect(result.activeUsers).toBe(4);
        expect(result.badgeEarners).toBe(1);
        expect(result.badges).toEqual([
          { badgeId: 'onboarded', title: 'Onboarded', inFlows: true, earned: 1, share: 0.25 },
          // listed after the flows' own, however many earned it: the team can see who still has it
          { badgeId: 'superstar', title: null, inFlows: false, earned: 2, share: 0.5 },
        ]);
      },
    );
  });
}
