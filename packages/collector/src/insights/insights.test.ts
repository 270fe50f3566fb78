import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrations, splitStatements } from '../db/migrations.ts';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, type Json, type TestCollector } from '../test-support/fixture.ts';
import type { ActivationInsight } from './activation.ts';
import type { AdoptionInsight } from './adoption.ts';
import type { AtRiskInsight } from './at-risk.ts';
import type { ChurnInsight } from './churn.ts';
import type { GamificationInsight } from './gamification.ts';
import type { GuidanceInsight } from './guidance.ts';
import type { SatisfactionInsight } from './satisfaction.ts';

/** `t('03-01T10:00')` → 2026-03-01T10:00:00.000Z. All fixture times are UTC, in 2026. */
const t = (when: string) => `2026-${when}:00.000Z`;
const track = msg.track;

const flows = {
  version: 1,
  checklists: [{ id: 'getting-started', title: 'Get started', tasks: [{ id: 'create-project', title: 'Create a project' }, { id: 'add-tasks' }, { id: 'invite' }] }],
  surveys: [
    { id: 'nps-q', kind: 'nps' },
    { id: 'csat-export', kind: 'csat' },
    { id: 'ces-onboarding', kind: 'ces' },
    { id: 'ces-short', kind: 'ces', scale: 5 },
    { id: 'next-feature', kind: 'choice' },
  ],
  badges: [{ id: 'onboarded', title: 'Onboarded' }],
};

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`insights on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    // The collector's clock: April 10th, unless a test moves it.
    let today = t('04-10T12:00');
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, flows, now: () => new Date(today) });
    });
    afterAll(async () => {
      await collector?.close();
    });

    const task = (person: string, taskId: string, at: string) =>
      track(person, 'Checklist Task Completed', at, { checklistId: 'getting-started', taskId, points: 10 });
    const checklist = (person: string, event: string, at: string) => track(person, event, at, { checklistId: 'getting-started' });

    describe('activation', () => {
      let key: string;
      beforeAll(async () => {
        key = collector.nextKey();
        await seed(collector.url, key, [
          // first seen before the range: not part of the new-user cohort
          msg.page('old1', t('02-20T10:00')),
          task('old1', 'create-project', t('03-02T10:00')),
          // done in 24 h
          msg.identify('n1', { plan: 'pro' }, t('03-01T10:00')),
          task('n1', 'create-project', t('03-01T11:00')),
          task('n1', 'add-tasks', t('03-01T12:00')),
          task('n1', 'bonus', t('03-01T12:30')),
          task('n1', 'invite', t('03-02T10:00')),
          checklist('n1', 'Checklist Completed', t('03-02T10:00')),
          // done in 12 h
          msg.identify('n2', { plan: 'free' }, t('03-02T00:00')),
          task('n2', 'create-project', t('03-02T01:00')),
          task('n2', 'add-tasks', t('03-02T12:00')),
          task('n2', 'invite', t('03-02T12:00')),
          checklist('n2', 'Checklist Completed', t('03-02T12:00')),
          // and puts the finished list away (the SDK says it was completed): no giving up
          track('n2', 'Checklist Dismissed', t('03-02T13:00'), { checklistId: 'getting-started', points: 0, completed: true }),
          // one task, then dismissed
          msg.identify('n3', { plan: 'pro' }, t('03-03T09:00')),
          task('n3', 'create-project', t('03-03T10:00')),
          checklist('n3', 'Checklist Dismissed', t('03-04T10:00')),
          // arrived, did nothing
          msg.page('n4', t('03-05T10:00')),
          // one task in the range, the rest after it ends
          msg.page('n5', t('03-06T10:00')),
          task('n5', 'create-project', t('03-07T10:00')),
          task('n5', 'add-tasks', t('03-09T10:00')),
          task('n5', 'invite', t('03-09T10:00')),
          checklist('n5', 'Checklist Completed', t('03-09T10:00')),
        ]);
      });

      it('shows the funnel of the people who arrived in the range, task by task (one who put a finished list away did not give up on it)', async () => {
        const events = await getInsight<ActivationInsight>(collector.url, 'activation', key, { from: '2026-03-01', to: '2026-03-07', source: 'events' });
        const result = await getInsight<ActivationInsight>(collector.url, 'activation', key, { from: '2026-03-01', to: '2026-03-07' });
        expect(events.checklists).toEqual(result.checklists);
        expect(result.newUsers).toBe(5);
        expect(result.checklists).toEqual([
          {
            id: 'getting-started',
            title: 'Get started',
            started: 4,
            completed: 2,
            dismissed: 1,
            completionRate: 0.4,
            medianSecondsToComplete: 64_800,
            tasks: [
              { id: 'create-project', title: 'Create a project', completed: 4, rate: 0.8 },
              { id: 'add-tasks', title: null, completed: 2, rate: 0.4 },
              { id: 'invite', title: null, completed: 2, rate: 0.4 },
              { id: 'bonus', title: null, completed: 1, rate: 0.2 },
            ],
          },
        ]);
      });

      it('narrows to a segment', async () => {
        const result = await getInsight<ActivationInsight>(collector.url, 'activation', key, {
          from: '2026-03-01', to: '2026-03-07', segment: 'plan:pro',
        });
        expect(result.newUsers).toBe(2);
        const list = result.checklists[0]!;
        expect([list.started, list.completed, list.dismissed, list.medianSecondsToComplete]).toEqual([2, 1, 1, 86_400]);
        expect(list.tasks.map((x) => x.completed)).toEqual([2, 1, 1, 1]);
      });

      it("counts the people who signed up in the range (createdAt), not existing customers Linger first saw then, whom the checklist's audience left out", async () => {
        const installed = collector.nextKey();
        await seed(collector.url, installed, [
          // the SDK goes live on March 2nd: Dana signs up that day and finishes the checklist
          msg.identify('dana', { createdAt: '2026-03-02' }, t('03-02T09:00')),
          task('dana', 'create-project', t('03-02T09:10')),
          task('dana', 'add-tasks', t('03-02T09:20')),
          task('dana', 'invite', t('03-02T09:30')),
          checklist('dana', 'Checklist Completed', t('03-02T09:30')),
          // customers of 40 and 90 days (a date-time, and Unix seconds as Stripe sends them),
          // first seen now: never offered the checklist
          msg.identify('sam', { createdAt: '2026-01-21T08:00:00Z' }, t('03-02T10:00')),
          msg.page('sam', t('03-03T10:00')),
          msg.identify('alex', { createdAt: Date.parse('2025-12-02T00:00:00Z') / 1000 }, t('03-03T11:00')),
          // a createdAt that reads as no date: first seen in the range makes them new
          msg.identify('kim', { createdAt: 'last spring' }, t('03-04T10:00')),
          // signed up in the range after a visit before it: new all the same
          msg.page('lee', t('02-20T10:00')),
          msg.identify('lee', { createdAt: '2026-03-05' }, t('03-05T10:00')),
        ]);
        for (const source of ['events', 'rollups'] as const) {
          const result = await getInsight<ActivationInsight>(collector.url, 'activation', installed, { from: '2026-03-01', to: '2026-03-07', source });
          expect([source, result.newUsers, result.checklists[0]?.completed, result.checklists[0]?.completionRate]).toEqual([source, 3, 1, 0.3333]);
        }
      });

      it('counts a sign-up on the UTC day its createdAt falls on, whatever offset the vendor wrote it with', async () => {
        const zones = collector.nextKey();
        await seed(collector.url, zones, [
          // Pat signs up at 8 pm in San Francisco on February 28th: 04:00 UTC on March 1st, in the range
          msg.identify('pat', { createdAt: '2026-02-28T20:00:00-08:00' }, t('03-01T04:05')),
          task('pat', 'create-project', t('03-01T04:10')),
          task('pat', 'add-tasks', t('03-01T04:20')),
          task('pat', 'invite', t('03-01T04:30')),
          checklist('pat', 'Checklist Completed', t('03-01T04:30')),
          // Kai signs up at 7 am in Tokyo on March 1st: 22:00 UTC on February 28th, before it
          msg.identify('kai', { createdAt: '2026-03-01T07:00:00+09:00' }, t('02-28T22:05')),
          msg.page('kai', t('03-02T10:00')),
        ]);
        for (const source of ['events', 'rollups'] as const) {
          const result = await getInsight<ActivationInsight>(collector.url, 'activation', zones, { from: '2026-03-01', to: '2026-03-07', source });
          expect([source, result.newUsers, result.checklists[0]?.completed]).toEqual([source, 1, 1]);
        }
      });

      const anonymousPage = (anonymousId: string, at: string): Json =>
        ({ type: 'page', name: 'Pricing', anonymousId, timestamp: at, messageId: randomUUID() });

      it('times a checklist from sign-up, not from the anonymous visits that came before it', async () => {
        const visited = collector.nextKey();
        await seed(collector.url, visited, [
          // Vic reads the pricing page in February, signs up on March 3rd at 2 pm, done 2 minutes later
          anonymousPage('anon-vic', t('02-26T10:00')),
          { ...msg.identify('vic', { createdAt: '2026-03-03T14:00:00Z' }, t('03-03T14:00')), anonymousId: 'anon-vic' },
          checklist('vic', 'Checklist Completed', t('03-03T14:02')),
          // Val visits on March 1st, signs up three days later at 9 am in Paris, done 100 s later
          anonymousPage('anon-val', t('03-01T08:00')),
          { ...msg.identify('val', { createdAt: '2026-03-04T09:00:00+01:00' }, t('03-04T08:00')), anonymousId: 'anon-val' },
          checklist('val', 'Checklist Completed', '2026-03-04T08:01:40.000Z'),
        ]);
        for (const source of ['events', 'rollups'] as const) {
          const result = await getInsight<ActivationInsight>(collector.url, 'activation', visited, { from: '2026-03-01', to: '2026-03-07', source });
          expect([source, result.newUsers, result.checklists[0]?.completed, result.checklists[0]?.medianSecondsToComplete]).toEqual([source, 2, 2, 110]);
        }
      });

      it('times a sign-up from its createdAt however finely the vendor wrote its seconds or offset', async () => {
        const precise = collector.nextKey();
        await seed(collector.url, precise, [
          // nanoseconds and more, as some backends print them: 2 pm all the same, not the midnight
          // before it (her visit the day before is not timed either)
          anonymousPage('anon-nia', t('03-02T10:00')),
          { ...msg.identify('nia', { createdAt: '2026-03-03T14:00:00.1234567891Z' }, t('03-03T14:00')), anonymousId: 'anon-nia' },
          checklist('nia', 'Checklist Completed', t('03-03T14:02')),
          // 9 am at UTC-05:30, written without a colon: 14:30 UTC
          msg.identify('raj', { createdAt: '2026-03-05T09:00:00-0530' }, t('03-05T10:00')),
          checklist('raj', 'Checklist Completed', t('03-05T14:32')),
        ]);
        for (const source of ['events', 'rollups'] as const) {
          const result = await getInsight<ActivationInsight>(collector.url, 'activation', precise, { from: '2026-03-01', to: '2026-03-07', source });
          expect([source, result.newUsers, result.checklists[0]?.medianSecondsToComplete]).toEqual([source, 2, 120]);
        }
      });

      it('reads a createdAt offset written as hours alone, a lowercase z, and an hour past midnight by the day it lands on', async () => {
        const written = collector.nextKey();
        await seed(collector.url, written, [
          // 4 pm at UTC+02, no minutes in the offset nor seconds in the time: 14:00 UTC, done 2 minutes later
          msg.identify('ada', { createdAt: '2026-03-03T16:00+02' }, t('03-03T13:30')),
          checklist('ada', 'Checklist Completed', t('03-03T14:02')),
          // 10 am UTC, with a fraction and a lowercase z
          msg.identify('bo', { createdAt: '2026-03-04T10:00:00.5z' }, t('03-04T09:30')),
          checklist('bo', 'Checklist Completed', t('03-04T10:02')),
          // "24:30" on the 7th at UTC-01: 01:30 UTC on the 8th, after the range, though Linger first saw him in it
          msg.identify('cy', { createdAt: '2026-03-07T24:30-01:00' }, t('03-07T10:00')),
          checklist('cy', 'Checklist Completed', t('03-07T10:02')),
        ]);
        for (const source of ['events', 'rollups'] as const) {
          const result = await getInsight<ActivationInsight>(collector.url, 'activation', written, { from: '2026-03-01', to: '2026-03-07', source });
          expect([source, result.newUsers, result.checklists[0]?.completed, result.checklists[0]?.medianSecondsToComplete]).toEqual([source, 2, 2, 120]);
        }
      });

      it('does not count visitors who never signed in as new users', async () => {
        const browsed = collector.nextKey();
        await seed(collector.url, browsed, [
          // Ivy signs in (no createdAt: first seen in the range makes her new) and finishes
          msg.page('ivy', t('03-02T10:00')),
          checklist('ivy', 'Checklist Completed', t('03-02T11:00')),
          // five people look at the public pricing page and leave
          ...['a', 'b', 'c', 'd', 'e'].map((id) => anonymousPage(`anon-${id}`, t('03-03T10:00'))),
        ]);
        for (const source of ['events', 'rollups'] as const) {
          const result = await getInsight<ActivationInsight>(collector.url, 'activation', browsed, { from: '2026-03-01', to: '2026-03-07', source });
          expect([source, result.newUsers, result.checklists[0]?.completionRate]).toEqual([source, 1, 1]);
        }
      });

      it('does not count a visitor as a new user for a createdAt the page set before anyone signed in', async () => {
        const tagged = collector.nextKey();
        await seed(collector.url, tagged, [
          msg.page('ivy', t('03-02T10:00')),
          checklist('ivy', 'Checklist Completed', t('03-02T11:00')),
          // the vendor's landing page calls identify with traits but no userId: a visitor still
          { type: 'identify', anonymousId: 'anon-lp', traits: { createdAt: '2026-03-03' }, timestamp: t('03-03T10:00'), messageId: randomUUID() },
        ]);
        for (const source of ['events', 'rollups'] as const) {
          const result = await getInsight<ActivationInsight>(collector.url, 'activation', tagged, { from: '2026-03-01', to: '2026-03-07', source });
          expect([source, result.newUsers, result.checklists[0]?.completionRate]).toEqual([source, 1, 1]);
        }
      });

      it('times a sign-up whose createdAt lies in the future from the first event, not as done in 0 s', async () => {
        const future = collector.nextKey();
        await seed(collector.url, future, [
          // Fay's createdAt is a trial end the vendor mislabelled: April 20th, ten days from now
          msg.identify('fay', { createdAt: '2026-04-20T00:00:00Z' }, t('04-02T10:00')),
          checklist('fay', 'Checklist Completed', t('04-02T10:05')),
        ]);
        for (const source of ['events', 'rollups'] as const) {
          const result = await getInsight<ActivationInsight>(collector.url, 'activation', future, { from: '2026-04-01', to: '2026-04-30', source });
          expect([source, result.newUsers, result.checklists[0]?.medianSecondsToComplete]).toEqual([source, 1, 300]);
        }
      });
    });

    describe('adoption', () => {
      let key: string;
      beforeAll(async () => {
        key = collector.nextKey();
        await seed(collector.url, key, [
          msg.page('d', t('02-05T10:00')), // inside the 30-day window of every day
          msg.page('c', t('02-25T10:00')), // inside the 7-day window of every day
          track('a', 'Feature Used', t('03-01T09:00'), { feature: 'export' }),
          track('a', 'Feature Used', t('03-01T18:00'), { feature: 'export' }),
          track('a', 'Feature Used', t('03-02T09:00'), { feature: 'export' }),
          track('a', 'Feature Used', t('03-03T09:00'), { feature: 'search' }),
          track('b', 'Feature Used', t('03-02T10:00'), { feature: 'export' }),
          msg.identify('b', { plan: 'pro' }, t('03-02T10:05')),
          msg.page('b', t('03-03T23:59')),
          msg.page('e', t('03-04T00:00')), // the day after the range
        ]);
      });

      it('counts users per feature per day, DAU/WAU/MAU and stickiness', async () => {
        const result = await getInsight<AdoptionInsight>(collector.url, 'adoption', key, { from: '2026-03-01', to: '2026-03-03' });
        expect(result.days).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
        expect(result.features).toEqual([
          { feature: 'export', users: 2, share: 1, daily: [1, 2, 0] },
          { feature: 'search', users: 1, share: 0.5, daily: [0, 0, 1] },
        ]);
        expect(result.activity).toEqual({ dau: [1, 2, 2], wau: [2, 3, 3], mau: [3, 4, 4] });
        // average DAU 5/3; stickiness that over MAU 4
        expect(result.summary).toEqual({ activeUsers: 2, averageDau: 1.6667, wau: 3, mau: 4, stickiness: 0.4167 });
      });

      it("averages DAU and stickiness over whole days: today's count so far does not pull them down", async () => {
        // 02:00 on March 3rd: nobody has been active yet today, as on most mornings.
        today = t('03-03T02:00');
        try {
          const result = await getInsight<AdoptionInsight>(collector.url, 'adoption', key, { from: '2026-03-01', to: '2026-03-03' });
          // average DAU 3/2; stickiness that over MAU 4
          expect(result.summary).toMatchObject({ averageDau: 1.5, stickiness: 0.375 });
          // nor do days to come, in a range that ends after today
          const ahead = await getInsight<AdoptionInsight>(collector.url, 'adoption', key, { from: '2026-03-01', to: '2026-03-05' });
          expect(ahead.summary).toMatchObject({ averageDau: 1.5, stickiness: 0.375 });
        } finally {
          today = t('04-10T12:00');
        }
      });

      it('shows avg DAU, WAU, MAU and stickiness of the same whole days, so a PM dividing them gets the stickiness shown', async () => {
        // noon on March 4th: e was here at midnight, the only one so far today
        today = t('03-04T12:00');
        try {
          const { summary } = await getInsight<AdoptionInsight>(collector.url, 'adoption', key, { from: '2026-03-01', to: '2026-03-05' });
          // March 1st to 3rd: average DAU 5/3; WAU and MAU on the 3rd, without e; 5/3 over 4
          expect(summary).toMatchObject({ averageDau: 1.6667, wau: 3, mau: 4, stickiness: 0.4167 });
          expect(summary.stickiness).toBeCloseTo(summary.averageDau / summary.mau, 4);
        } finally {
          today = t('04-10T12:00');
        }
      });

      it('never shows a stickiness over 100 % on a 90-day range: avg DAU is over the same 30 days as MAU', async () => {
        const quarter = collector.nextKey();
        // four people use the product every day from January 11th to February 9th; in April one of
        // them comes back once
        const january = Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2026, 0, 11 + i)).toISOString().slice(5, 10));
        await seed(collector.url, quarter, [
          ...january.flatMap((day) => ['p1', 'p2', 'p3', 'p4'].map((person) => msg.page(person, t(`${day}T10:00`)))),
          msg.page('p1', t('04-08T10:00')),
        ]);
        const { summary } = await getInsight<AdoptionInsight>(collector.url, 'adoption', quarter, { from: '2026-01-11', to: '2026-04-10' });
        // March 11th to April 9th: one person on one day of 30
        expect(summary).toMatchObject({ averageDau: 0.0333, mau: 1, stickiness: 0.0333 });
      });

      it('narrows to a segment', async () => {
        const result = await getInsight<AdoptionInsight>(collector.url, 'adoption', key, { from: '2026-03-01', to: '2026-03-03', segment: 'plan:pro' });
        expect(result.activity.dau).toEqual([0, 1, 1]);
        expect(result.features).toEqual([{ feature: 'export', users: 1, share: 1, daily: [0, 1, 0] }]);
      });
    });

    describe('satisfaction', () => {
      let key: string;
      const answer = (person: string, at: string, props: Json) =>
        track(person, 'Survey Answered', at, { responseId: randomUUID(), ...props });
      const shown = (surveyId: string, count: number, at: string) =>
        Array.from({ length: count }, (_, i) => track(`viewer${i}`, 'Survey Shown', at, { surveyId }));

      beforeAll(async () => {
        key = collector.nextKey();
        await seed(collector.url, key, [
          msg.identify('p1', { plan: 'pro' }, t('02-01T10:00')),
          msg.identify('p4', { plan: 'pro' }, t('02-01T10:00')),
          // week of Monday 2 March: 10, 9, 8, 3
          track('p1', 'Survey Answered', t('03-02T10:00'), { surveyId: 'nps-q', kind: 'nps', score: 10, category: 'promoter', responseId: 'r1' }),
          track('p1', 'Survey Answered', t('03-02T10:01'), { surveyId: 'nps-q', kind: 'nps', comment: 'love it', responseId: 'r1' }),
          answer('p2', t('03-03T10:00'), { surveyId: 'nps-q', kind: 'nps', score: 9 }),
          answer('p3', t('03-04T10:00'), { surveyId: 'nps-q', score: 8 }),
          answer('p4', t('03-05T10:00'), { surveyId: 'nps-q', kind: 'nps', score: 3, comment: 'too slow' }),
          // week of 9 March: 6, 10 (sent as a string by some other SDK)
          answer('p5', t('03-09T10:00'), { surveyId: 'nps-q', kind: 'nps', score: 6 }),
          answer('p6', t('03-10T10:00'), { surveyId: 'nps-q', kind: 'nps', score: '10' }),
          // a comment without a score is a response but not a vote
          answer('p7', t('03-11T10:00'), { surveyId: 'nps-q', kind: 'nps', comment: 'meh' }),
          // before the range
          answer('p8', t('02-20T10:00'), { surveyId: 'nps-q', kind: 'nps', score: 0 }),
          ...shown('nps-q', 10, t('03-02T09:00')),
          track('p9', 'Survey Dismissed', t('03-03T09:00'), { surveyId: 'nps-q' }),
          track('p10', 'Survey Dismissed', t('03-03T09:00'), { surveyId: 'nps-q' }),

          answer('q1', t('03-02T11:00'), { surveyId: 'csat-export', kind: 'csat', score: 5 }),
          answer('q2', t('03-02T11:00'), { surveyId: 'csat-export', kind: 'csat', score: 4 }),
          answer('q3', t('03-02T11:00'), { surveyId: 'csat-export', score: 3 }),
          answer('q4', t('03-02T11:00'), { surveyId: 'csat-export', kind: 'csat', score: 1, comment: 'export broke' }),
          ...shown('csat-export', 8, t('03-02T09:00')),

          answer('e1', t('03-03T11:00'), { surveyId: 'ces-onboarding', kind: 'ces', score: 6 }),
          answer('e2', t('03-03T11:00'), { surveyId: 'ces-onboarding', kind: 'ces', score: 5 }),
          answer('e3', t('03-03T11:00'), { surveyId: 'ces-onboarding', score: 7 }),
          ...shown('ces-onboarding', 3, t('03-03T09:00')),

          answer('f1', t('03-04T11:00'), { surveyId: 'next-feature', kind: 'choice', choices: ['Gantt charts'], comment: 'need gantt' }),
          answer('f2', t('03-04T11:00'), { surveyId: 'next-feature', kind: 'choice', choices: ['Gantt charts'] }),
          answer('f3', t('03-04T11:00'), { surveyId: 'next-feature', kind: 'choice', choices: ['Time tracking'] }),
          ...shown('next-feature', 3, t('03-04T09:00')),
        ]);
      });

      it('computes NPS over scored answers, merging a follow-up comment into its answer', async () => {
        const result = await getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, { from: '2026-03-01', to: '2026-03-14' });
        // (3 promoters − 2 detractors) / 6 answers
        expect(result.nps).toEqual({ answers: 6, promoters: 3, passives: 1, detractors: 2, nps: 16.7 });
        expect(result.npsWeekly).toEqual([
          { week: '2026-03-02', answers: 4, promoters: 2, passives: 1, detractors: 1, nps: 25 },
          { week: '2026-03-09', answers: 2, promoters: 1, passives: 0, detractors: 1, nps: 0 },
        ]);
      });

      it('summarises each survey: response rate, CSAT, CES, choices', async () => {
        const { surveys } = await getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, { from: '2026-03-01', to: '2026-03-14' });
        const by = Object.fromEntries(surveys.map((s) => [s.surveyId, s]));
        expect(by['nps-q']).toMatchObject({ kind: 'nps', shown: 10, answered: 7, dismissed: 2, responseRate: 0.7, csat: null, ces: null });
        expect(by['nps-q']?.nps).toMatchObject({ answers: 6, nps: 16.7 });
        expect(by['csat-export']).toMatchObject({ kind: 'csat', shown: 8, answered: 4, responseRate: 0.5, csat: 50, averageScore: 3.25, nps: null });
        expect(by['ces-onboarding']).toMatchObject({ kind: 'ces', shown: 3, answered: 3, responseRate: 1, ces: 6 });
        expect(by['next-feature']).toMatchObject({
          kind: 'choice', answered: 3, choices: [{ choice: 'Gantt charts', count: 2 }, { choice: 'Time tracking', count: 1 }],
        });
      });

      it('groups comments by category', async () => {
        const { comments } = await getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, { from: '2026-03-01', to: '2026-03-14' });
        expect(comments.map((c) => [c.category, c.count, c.latest.map((l) => l.comment)])).toEqual([
          ['uncategorised', 2, ['meh', 'need gantt']],
          ['detractor', 1, ['too slow']],
          ['dissatisfied', 1, ['export broke']],
          ['promoter', 1, ['love it']],
        ]);
      });

      it('narrows to a segment', async () => {
        const result = await getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, { from: '2026-03-01', to: '2026-03-14', segment: 'plan:pro' });
        expect(result.nps).toEqual({ answers: 2, promoters: 1, passives: 0, detractors: 1, nps: 0 });
      });
    });

    describe('satisfaction from scores someone sent by hand', () => {
      let key: string;
      const answer = (person: string, surveyId: string, kind: string | undefined, score: unknown) =>
        track(person, 'Survey Answered', t('03-02T10:00'), { surveyId, ...(kind ? { kind } : {}), score, responseId: randomUUID() });

      beforeAll(async () => {
        key = collector.nextKey();
        await seed(collector.url, key, [
          answer('a', 'nps-q', 'nps', 10),
          answer('b', 'nps-q', 'nps', 100),
          answer('c', 'nps-q', 'nps', '9.5'),
          answer('d', 'nps-q', 'nps', -3),
          answer('e', 'nps-q', undefined, 7.5),
          answer('f', 'csat-export', 'csat', 5),
          answer('g', 'csat-export', 'csat', 40),
          answer('h', 'csat-export', 'csat', 0),
          answer('i', 'csat-export', undefined, 4.5),
          answer('j', 'ces-onboarding', 'ces', 7),
          answer('k', 'ces-onboarding', 'ces', 8),
          // on a 1–5 CES (the flows config says so) a 6 is off the scale
          answer('l', 'ces-short', 'ces', 5),
          answer('m', 'ces-short', undefined, 6),
        ]);
      });

      it('counts only whole scores on the survey\'s scale, as the SDK does, from the rollups and from the events', async () => {
        for (const source of ['rollups', 'events']) {
          const result = await getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, { from: '2026-03-01', to: '2026-03-14', source });
          const by = Object.fromEntries(result.surveys.map((s) => [s.surveyId, s]));
          expect(result.nps, source).toEqual({ answers: 1, promoters: 1, passives: 0, detractors: 0, nps: 100 });
          expect(by['csat-export'], source).toMatchObject({ csat: 100, averageScore: 5 });
          expect(by['ces-onboarding'], source).toMatchObject({ ces: 7, averageScore: 7 });
          expect(by['ces-short'], source).toMatchObject({ ces: 5, averageScore: 5 });
        }
      });
    });

    // What the SDK sends when the cancel flow interrupts a survey or a tour: not the user's doing.
    const pushedAside = [
      {
        what: 'survey',
        event: 'Survey Dismissed',
        migration: 70,
        seen: (p: string, at: string, props: Json) => track(p, 'Survey Shown', at, { surveyId: 'nps-q', kind: 'nps', ...props }),
        gone: (p: string, at: string, props: Json) => track(p, 'Survey Dismissed', at, { surveyId: 'nps-q', kind: 'nps', ...props }),
        dismissed: async (key: string, range: Record<string, string>) =>
          (await getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, range)).surveys.find((s) => s.surveyId === 'nps-q')?.dismissed,
      },
      {
        what: 'tour',
        event: 'Tour Dismissed',
        migration: 73,
        seen: (p: string, at: string, props: Json) => track(p, 'Tour Started', at, { tourId: 'intro', ...props }),
        gone: (p: string, at: string, props: Json) => track(p, 'Tour Dismissed', at, { tourId: 'intro', ...props }),
        dismissed: async (key: string, range: Record<string, string>) =>
          (await getInsight<GuidanceInsight>(collector.url, 'guidance', key, range)).tours.find((t) => t.tourId === 'intro')?.dismissed,
      },
    ];
    for (const kind of pushedAside)
      describe(`a ${kind.what} the cancel flow pushed aside`, () => {
        let key: string;
        const inRange = { from: '2026-03-01', to: '2026-03-14' };
        const dismissed = (source: string) => kind.dismissed(key, { ...inRange, source });

        beforeAll(async () => {
          key = collector.nextKey();
          await seed(collector.url, key, [
            kind.seen('a', t('03-02T10:00'), { responseId: 'r1' }),
            kind.gone('a', t('03-02T10:01'), { responseId: 'r1', reason: 'preempted-by:cancel' }),
            kind.seen('b', t('03-02T10:00'), { responseId: 'r2' }),
            kind.gone('b', t('03-02T10:01'), { responseId: 'r2' }),
          ]);
        });

        it('is not counted as dismissed by the user, from the rollups and from the events', async () => {
          expect(await dismissed('rollups')).toBe(1);
          expect(await dismissed('events')).toBe(1);
        });

        it(`is taken out of the dismissals rolled up before the rollups kept the reason (migration ${kind.migration})`, async () => {
          await dismissed('rollups');
          // the rows as an older collector rolled them up: every dismissal without its reason
          await collector.db.transaction(async (tx) => {
            await tx.query(`update rollup_event_days set detail = null where write_key = $1 and event = $2`, [key, kind.event]);
            await tx.query(
              `with reasoned as (
                 delete from rollup_event_totals where write_key = $1 and event = $2 and detail is not null
                 returning write_key, day, dim, unverified, n)
               update rollup_event_totals t set n = t.n + r.n from reasoned r
               where t.event = $2 and t.detail is null and t.write_key = r.write_key and t.day = r.day
                 and t.dim = r.dim and t.unverified = r.unverified`,
              [key, kind.event],
            );
          });
          expect(await dismissed('rollups')).toBe(2);
          const migration = migrations.find((m) => m.id === kind.migration)!;
          await collector.db.transaction(async (tx) => {
            for (const statement of splitStatements(migration.sql)) await tx.query(statement);
          });
          expect(await dismissed('rollups')).toBe(1);
          expect(await dismissed('events')).toBe(1);
        });
      });

    describe('churn', () => {
      let key: string;
      const c = (person: string, event: string, at: string, props: Json = {}) => track(person, event, at, props);
      beforeAll(async () => {
        key = collector.nextKey();
        await seed(collector.url, key, [
          msg.identify('c1', { plan: 'pro' }, t('03-01T08:00')),
          msg.identify('c2', { plan: 'pro' }, t('03-01T08:00')),
          msg.identify('c3', { plan: 'free' }, t('03-01T08:00')),
          msg.identify('c4', { plan: 'free' }, t('03-01T08:00')),
          msg.group('c5', 'acme', { plan: 'enterprise' }, t('03-01T08:00')),
          msg.group('e2', 'acme', {}, t('03-01T08:00')),
          msg.identify('n1', { plan: 'pro' }, t('03-10T08:00')),
          msg.page('c6', t('03-01T08:00')),
          // saved by the discount
          c('c1', 'Cancel Flow Started', t('03-02T10:00'), { variant: 'offer' }),
          c('c1', 'Cancel Reason Selected', t('03-02T10:01'), { reasonId: 'too-expensive' }),
          c('c1', 'Cancel Offer Shown', t('03-02T10:02'), { offerId: 'discount-30', offerKind: 'discount' }),
          c('c1', 'Cancel Offer Accepted', t('03-02T10:03'), { offerId: 'discount-30', offerKind: 'discount' }),
          c('c1', 'Cancel Flow Completed', t('03-02T10:03'), { outcome: 'saved' }),
          // offered, cancelled anyway
          c('c2', 'Cancel Flow Started', t('03-03T10:00'), { variant: 'offer' }),
          c('c2', 'Cancel Reason Selected', t('03-03T10:01'), { reasonId: 'too-expensive' }),
          c('c2', 'Cancel Offer Shown', t('03-03T10:02'), { offerId: 'discount-30', offerKind: 'discount' }),
          c('c2', 'Cancel Flow Completed', t('03-03T10:03'), { outcome: 'cancelled' }),
          // holdout: no offer; one cancels, one stays
          c('c3', 'Cancel Flow Started', t('03-04T10:00'), { variant: 'holdout' }),
          c('c3', 'Cancel Reason Selected', t('03-04T10:01'), { reasonId: 'not-using' }),
          c('c3', 'Cancel Flow Completed', t('03-04T10:02'), { outcome: 'cancelled' }),
          c('c4', 'Cancel Flow Started', t('03-05T10:00'), { variant: 'holdout' }),
          c('c4', 'Cancel Reason Selected', t('03-05T10:01'), { reasonId: 'not-using' }),
          c('c4', 'Cancel Flow Completed', t('03-05T10:02'), { outcome: 'kept' }),
          // shown an offer, closed the flow: abandoned, in the offer arm
          c('c5', 'Cancel Flow Started', t('03-06T10:00')),
          c('c5', 'Cancel Reason Selected', t('03-06T10:01'), { reasonId: 'missing-features' }),
          c('c5', 'Cancel Offer Shown', t('03-06T10:02'), { offerId: 'talk-to-us', offerKind: 'call' }),
          // accepted a pause, never sent Completed (the tab closed before the vendor's handler
          // answered): abandoned, not saved
          c('c6', 'Cancel Flow Started', t('03-07T10:00'), { variant: 'offer' }),
          c('c6', 'Cancel Reason Selected', t('03-07T10:01'), { reasonId: 'not-using' }),
          c('c6', 'Cancel Offer Shown', t('03-07T10:02'), { offerId: 'pause-2', offerKind: 'pause' }),
          c('c6', 'Cancel Offer Accepted', t('03-07T10:03'), { offerId: 'pause-2', offerKind: 'pause' }),
          // c1 comes back and cancels: a second session
          c('c1', 'Cancel Flow Started', t('03-20T10:00'), { variant: 'offer' }),
          c('c1', 'Cancel Reason Selected', t('03-20T10:01'), { reasonId: 'too-expensive' }),
          c('c1', 'Cancel Flow Completed', t('03-20T10:02'), { outcome: 'cancelled' }),
          // before the range
          c('c7', 'Cancel Flow Started', t('02-20T10:00'), { variant: 'offer' }),
          c('c7', 'Cancel Flow Completed', t('02-20T10:01'), { outcome: 'cancelled' }),
        ]);
      });

      it('reports sessions, outcomes, reasons, offers and the holdout comparison', async () => {
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, { from: '2026-03-01', to: '2026-03-31' });
        expect(result.sessions).toBe(7);
        // c1 accepted the discount, then cancelled 18 days later: not a save
        expect(result.outcomes).toEqual({ saved: 0, kept: 1, lapsed: 1, contacted: 0, cancelled: 3, abandoned: 2 });
        expect(result.saveRate).toBe(0.1429);
        expect(result.reasons).toEqual([
          { reasonId: 'not-using', sessions: 3, share: 0.4286, saved: 0, kept: 1, saveRate: 0.3333 },
          { reasonId: 'too-expensive', sessions: 3, share: 0.4286, saved: 0, kept: 0, saveRate: 0 },
          { reasonId: 'missing-features', sessions: 1, share: 0.1429, saved: 0, kept: 0, saveRate: 0 },
        ]);
        // c6's pause never came through (no completion): not an accepted offer
        expect(result.acceptedOffers).toEqual([{ offerKind: 'discount', count: 1 }]);
        expect(result.variants).toEqual([
          { variant: 'holdout', sessions: 2, saved: 0, kept: 1, cancelled: 1, saveRate: 0.5 },
          { variant: 'offer', sessions: 5, saved: 0, kept: 0, cancelled: 2, saveRate: 0 },
        ]);
        expect(result.offerLift).toBe(-0.5);
      });

      it('shows churn by plan, from user traits or the account', async () => {
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, { from: '2026-03-01', to: '2026-03-31', by: 'plan' });
        expect(result.bySegment).toEqual({
          trait: 'plan',
          values: [
            { value: 'pro', activeUsers: 3, cancelled: 2, churnRate: 0.6667 },
            { value: 'enterprise', activeUsers: 2, cancelled: 0, churnRate: 0 },
            { value: 'free', activeUsers: 2, cancelled: 1, churnRate: 0.5 },
            { value: '(none)', activeUsers: 1, cancelled: 0, churnRate: 0 },
          ],
        });
      });

      it('narrows to a segment', async () => {
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, { from: '2026-03-01', to: '2026-03-31', segment: 'plan:pro' });
        expect([result.sessions, result.outcomes.saved, result.outcomes.cancelled]).toEqual([3, 0, 2]);
      });
    });

    describe('churn by the plan a user cancelled from', () => {
      let key: string;
      const c = (person: string, event: string, at: string, props: Json = {}) => track(person, event, at, props);
      beforeAll(async () => {
        key = collector.nextKey();
        await seed(collector.url, key, [
          // cancels on pro; the vendor's billing makes them free the next day
          msg.identify('d1', { plan: 'pro' }, t('03-01T08:00')),
          c('d1', 'Cancel Flow Started', t('03-03T10:00')),
          c('d1', 'Cancel Flow Completed', t('03-03T10:02'), { outcome: 'cancelled', traits: { plan: 'pro', email: 'd1@example.com' } }),
          msg.identify('d1', { plan: 'free' }, t('03-04T09:00')),
          // on pro, stays
          msg.identify('d2', { plan: 'pro' }, t('03-02T08:00')),
          // on free, stays
          msg.identify('d3', { plan: 'free' }, t('03-02T08:00')),
          // cancelled pro before the range, back on free within it: free now
          msg.identify('d4', { plan: 'pro' }, t('02-10T08:00')),
          c('d4', 'Cancel Flow Started', t('02-20T10:00')),
          c('d4', 'Cancel Flow Completed', t('02-20T10:01'), { outcome: 'cancelled', traits: { plan: 'pro' } }),
          msg.identify('d4', { plan: 'free' }, t('02-21T08:00')),
          msg.page('d4', t('03-05T10:00')),
          // cancelled on pro last year; back on team, cancels again from an SDK that sends no traits
          msg.identify('d5', { plan: 'pro' }, t('01-10T08:00')),
          c('d5', 'Cancel Flow Started', t('01-20T10:00')),
          c('d5', 'Cancel Flow Completed', t('01-20T10:01'), { outcome: 'cancelled', traits: { plan: 'pro' } }),
          msg.identify('d5', { plan: 'team' }, t('02-01T08:00')),
          c('d5', 'Cancel Flow Started', t('03-06T10:00')),
          c('d5', 'Cancel Flow Completed', t('03-06T10:01'), { outcome: 'cancelled' }),
        ]);
      });

      it('counts a cancellation under the plan it left, from the events and from the rollups', async () => {
        for (const source of [undefined, 'events']) {
          const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, { from: '2026-03-01', to: '2026-03-31', by: 'plan', ...(source ? { source } : {}) });
          // d5's cancellation in the range sent no traits: their plan now (team), not last year's pro
          expect(result.bySegment.values, source ?? 'rollups').toEqual([
            { value: 'free', activeUsers: 2, cancelled: 0, churnRate: 0 },
            { value: 'pro', activeUsers: 2, cancelled: 1, churnRate: 0.5 },
            { value: 'team', activeUsers: 1, cancelled: 1, churnRate: 1 },
          ]);
        }
      });
    });

    describe('at-risk', () => {
      let key: string;
      const days = (person: string, ...when: string[]) => when.map((d) => msg.page(person, t(`${d}T10:00`)));
      beforeAll(async () => {
        key = collector.nextKey();
        await seed(collector.url, key, [
          msg.group('r1', 'g1', { name: 'Globex', plan: 'pro' }, t('03-02T10:00')),
          msg.group('r2', 'g1', {}, t('03-02T10:00')),
          msg.group('r6', 'g2', { plan: 'free' }, t('03-06T10:00')),
          msg.group('r3', 'g2', {}, t('03-10T10:00')),
          ...days('r1', '03-02', '03-03', '03-04', '03-05', '03-16', '03-27'),
          ...days('r2', '03-02', '03-03', '03-04'),
          ...days('r3', '03-10'),
          track('r3', 'Survey Answered', t('03-16T10:00'), { surveyId: 'nps-q', kind: 'nps', score: 4 }),
          ...days('r4', '03-06', '03-07', '03-21'),
          track('r4', 'Survey Answered', t('03-06T11:00'), { surveyId: 'nps-q', kind: 'nps', score: 3 }),
          track('r4', 'Survey Answered', t('03-20T10:00'), { surveyId: 'nps-q', kind: 'nps', score: 9 }),
          track('r4', 'Cancel Flow Started', t('03-20T11:00'), {}),
          ...days('r5', '03-02', '03-03', '03-04', '03-05'),
          track('r5', 'Cancel Flow Started', t('03-18T10:00'), {}),
          track('r5', 'Cancel Flow Completed', t('03-18T10:05'), { outcome: 'cancelled' }),
          ...days('r6', '03-06', '03-07', '03-20', '03-22', '03-24'),
          ...days('r7', '01-10'),
          // cancels in one tab, then closes the flow left open in another: churned, not at risk
          ...days('r8', '03-02', '03-03', '03-16', '03-17'),
          track('r8', 'Cancel Flow Started', t('03-20T10:00'), { runId: 'tab-a' }),
          track('r8', 'Cancel Flow Started', t('03-20T10:01'), { runId: 'tab-b' }),
          track('r8', 'Cancel Flow Completed', t('03-20T10:03'), { runId: 'tab-a', outcome: 'cancelled' }),
          track('r8', 'Cancel Flow Completed', t('03-20T10:05'), { runId: 'tab-b', outcome: 'abandoned' }),
        ]);
      });

      for (const source of ['events', 'rollups'])
        it(`[${source}] leaves out who cancelled in one tab and closed the flow in another: churned, not at risk`, async () => {
          const result = await getInsight<AtRiskInsight>(collector.url, 'at-risk', key, { from: '2026-03-15', to: '2026-03-28', source });
          expect(result.users.map((u) => u.userId)).not.toContain('r8');
          expect(result.reasonCounts['cancel-flow-opened']).toBe(1);
        });

      it('lists people at risk with their reasons, most reasons first', async () => {
        const result = await getInsight<AtRiskInsight>(collector.url, 'at-risk', key, { from: '2026-03-15', to: '2026-03-28' });
        expect(result.population).toBe(5);
        expect(result.reasonCounts).toEqual({ 'activity-halved': 2, 'inactive-14d': 1, 'nps-detractor': 1, 'cancel-flow-opened': 1 });
        expect(result.users.map((u) => [u.userId, u.reasons, u.activeDays, u.previousActiveDays])).toEqual([
          ['r2', ['activity-halved', 'inactive-14d'], 0, 3],
          ['r3', ['nps-detractor'], 1, 1],
          ['r4', ['cancel-flow-opened'], 2, 2],
          ['r1', ['activity-halved'], 2, 4],
        ]);
        expect(result.users[0]?.lastSeen).toBe('2026-03-04T10:00:00.000Z');
      });

      it('lists accounts at risk with member counts and traits', async () => {
        const result = await getInsight<AtRiskInsight>(collector.url, 'at-risk', key, { from: '2026-03-15', to: '2026-03-28' });
        expect(result.accounts).toEqual([
          { groupId: 'g1', reasons: ['activity-halved'], members: 2, atRiskMembers: 2, activeDays: 2, previousActiveDays: 4, lastSeen: '2026-03-27T10:00:00.000Z', traits: { name: 'Globex', plan: 'pro' } },
          { groupId: 'g2', reasons: ['nps-detractor'], members: 2, atRiskMembers: 1, activeDays: 4, previousActiveDays: 3, lastSeen: '2026-03-24T10:00:00.000Z', traits: { plan: 'free' } },
        ]);
      });

      it('narrows to a segment, here an account trait', async () => {
        const result = await getInsight<AtRiskInsight>(collector.url, 'at-risk', key, { from: '2026-03-15', to: '2026-03-28', segment: 'plan:pro' });
        expect(result.population).toBe(2);
        expect(result.users.map((u) => u.userId)).toEqual(['r2', 'r1']);
      });
    });

    describe('gamification and guidance', () => {
      let key: string;
      beforeAll(async () => {
        key = collector.nextKey();
        const tour = (person: string, event: string, props: Json = {}) => track(person, event, t('03-03T10:00'), { tourId: 'export-tour', ...props });
        await seed(collector.url, key, [
          track('u1', 'Badge Earned', t('03-02T10:00'), { badgeId: 'onboarded', points: 50 }),
          track('u2', 'Badge Earned', t('03-02T10:00'), { badgeId: 'onboarded', points: 50 }),
          track('u1', 'Badge Earned', t('03-03T10:00'), { badgeId: 'explorer', points: 20 }),
          track('u4', 'Badge Earned', t('02-03T10:00'), { badgeId: 'explorer', points: 20 }),
          track('u1', 'Level Reached', t('03-02T10:00'), { level: 'Regular', points: 60 }),
          track('u2', 'Level Reached', t('03-02T10:00'), { level: 'Regular', points: 60 }),
          track('u1', 'Level Reached', t('03-04T10:00'), { level: 'Power user', points: 150 }),
          msg.page('u3', t('03-04T10:00')),
          ...['u1', 'u2', 'u3', 'u5'].flatMap((u) => [tour(u, 'Tour Started'), tour(u, 'Tour Step Viewed', { stepIndex: 0, stepId: 'open-reports' })]),
          tour('u1', 'Tour Step Viewed', { stepIndex: 1 }),
          tour('u2', 'Tour Step Viewed', { stepIndex: 1 }),
          tour('u1', 'Tour Completed'),
          tour('u2', 'Tour Completed'),
          // As the SDK sends them: the close button and Escape are the user's no; a target that
          // never appeared ends the tour with a dismissal that is not.
          tour('u3', 'Tour Dismissed', { stepIndex: 0, reason: 'close' }),
          tour('u5', 'Tour Target Missing', { stepIndex: 1, reason: 'not-found' }),
          tour('u5', 'Tour Dismissed', { stepIndex: 1, reason: 'target-missing' }),
          track('u3', 'Tour Started', t('03-05T10:00'), { tourId: 'integrations-hint' }),
          track('u3', 'Tour Dismissed', t('03-05T10:01'), { tourId: 'integrations-hint', reason: 'escape' }),
        ]);
      });

      it('counts badges earned and levels reached', async () => {
        const result = await getInsight<GamificationInsight>(collector.url, 'gamification', key, { from: '2026-03-01', to: '2026-03-07' });
        expect(result).toMatchObject({
          activeUsers: 4,
          badgeEarners: 2,
          badges: [
            { badgeId: 'onboarded', title: 'Onboarded', earned: 2, share: 0.5 },
            { badgeId: 'explorer', title: null, earned: 1, share: 0.25 },
          ],
          levels: [{ level: 'Regular', reached: 2 }, { level: 'Power user', reached: 1 }],
        });
      });

      it.each(['rollups', 'events'])('shows tour completion, dismissal and step drop-off (from %s)', async (source) => {
        const result = await getInsight<GuidanceInsight>(collector.url, 'guidance', key, { from: '2026-03-01', to: '2026-03-07', source });
        expect(result.tours).toEqual([
          {
            tourId: 'export-tour', started: 4, completed: 2, completedWithSkips: 0, dismissed: 1, targetMissing: 1,
            completionRate: 0.5, dismissalRate: 0.25, stepViews: [{ stepIndex: 0, views: 4 }, { stepIndex: 1, views: 2 }],
          },
          { tourId: 'integrations-hint', started: 1, completed: 0, completedWithSkips: 0, dismissed: 1, targetMissing: 0, completionRate: 0, dismissalRate: 1, stepViews: [] },
        ]);
      });
    });

    describe('tour runs across the edges of a range', () => {
      let key: string;
      beforeAll(async () => {
        key = collector.nextKey();
        // As the SDK sends them: every event of a run carries its runId.
        const run = (person: string, runId: string, event: string, at: string, props: Json = {}) =>
          track(person, event, t(at), { tourId: 'export-tour', runId, stepIndex: 0, ...props });
        // As an older SDK sends them: no runId.
        const legacy = (person: string, event: string, at: string) => track(person, event, t(at), { tourId: 'legacy-hint', stepIndex: 0 });
        await seed(collector.url, key, [
          // started in February, finished on March 1st
          run('p1', 'ra', 'Tour Started', '02-27T10:00'),
          run('p1', 'ra', 'Tour Completed', '03-01T09:00'),
          run('p2', 'rb', 'Tour Started', '02-28T22:00'),
          run('p2', 'rb', 'Tour Completed', '03-01T01:00'),
          // started in the first week of March: one left under way, one closed, one finished after the week
          run('p3', 'rc', 'Tour Started', '03-02T10:00'),
          run('p3', 'rc', 'Tour Step Viewed', '03-02T10:00'),
          // Next, then Back to the first step: one run that viewed it
          run('p3', 'rc', 'Tour Step Viewed', '03-02T10:01', { stepIndex: 1 }),
          run('p3', 'rc', 'Tour Step Viewed', '03-02T10:02'),
          // someone else's event naming p3's run does not finish it
          run('intruder', 'rc', 'Tour Completed', '03-02T11:00'),
          run('p4', 're', 'Tour Started', '03-03T10:00'),
          run('p4', 're', 'Tour Dismissed', '03-03T10:01', { reason: 'close' }),
          run('p5', 'rd', 'Tour Started', '03-06T10:00'),
          run('p5', 'rd', 'Tour Step Viewed', '03-06T10:00'),
          run('p5', 'rd', 'Tour Step Viewed', '03-09T09:59', { stepIndex: 1 }),
          run('p5', 'rd', 'Tour Completed', '03-09T10:00'),
          // Done on the last step, the middle one skipped for its missing target: not seen whole
          run('p6', 'rf', 'Tour Started', '03-04T10:00'),
          run('p6', 'rf', 'Tour Completed', '03-04T10:05', { stepIndex: 2, stepsSkipped: 1 }),
          legacy('l1', 'Tour Started', '02-28T22:00'),
          legacy('l1', 'Tour Completed', '03-01T01:00'),
          legacy('l2', 'Tour Started', '02-28T22:00'),
          legacy('l2', 'Tour Completed', '03-01T01:00'),
          legacy('l3', 'Tour Started', '03-02T10:00'),
        ]);
      });

      it.each(['rollups', 'events'])('judges each run (its ending and the steps it viewed) in the range it started in, however late, and never shows a rate over 100 percent (from %s)', async (source) => {
        const week = await getInsight<GuidanceInsight>(collector.url, 'guidance', key, { from: '2026-03-01', to: '2026-03-07', source });
        expect(week.tours).toEqual([
          {
            tourId: 'export-tour', started: 4, completed: 1, completedWithSkips: 1, dismissed: 1, targetMissing: 0,
            completionRate: 0.25, dismissalRate: 0.25, stepViews: [{ stepIndex: 0, views: 2 }, { stepIndex: 1, views: 2 }],
          },
          // an older SDK's: its endings cannot be tied to their starts, and are capped at them
          { tourId: 'legacy-hint', started: 1, completed: 1, completedWithSkips: 0, dismissed: 0, targetMissing: 0, completionRate: 1, dismissalRate: 0, stepViews: [] },
        ]);
        const february = await getInsight<GuidanceInsight>(collector.url, 'guidance', key, { from: '2026-02-22', to: '2026-02-28', source });
        expect(february.tours.find((x) => x.tourId === 'export-tour')).toMatchObject({ started: 2, completed: 2, completionRate: 1 });
      });

      it('counts the named runs a collector rolled up before it kept them (migration 83), and still agrees with the events', async () => {
        const week = (source: string) => getInsight<GuidanceInsight>(collector.url, 'guidance', key, { from: '2026-03-01', to: '2026-03-07', source });
        // the fact events as an older collector kept them: no tour events
        await collector.db.query(`delete from fact_events where write_key = $1 and event like 'Tour %'`, [key]);
        const migration = migrations.find((m) => m.id === 83)!;
        await collector.db.transaction(async (tx) => {
          for (const statement of splitStatements(migration.sql)) await tx.query(statement);
        });
        const fromRollups = (await week('rollups')).tours.find((x) => x.tourId === 'export-tour');
        expect(fromRollups).toMatchObject({ started: 4, completed: 1, completedWithSkips: 1, dismissed: 1 });
        expect(fromRollups).toEqual((await week('events')).tours.find((x) => x.tourId === 'export-tour'));
      });
    });

    describe('tours finished past a skipped step, from senders that name no run', () => {
      let key: string;
      const week = (source: string) => getInsight<GuidanceInsight>(collector.url, 'guidance', key, { from: '2026-03-01', to: '2026-03-07', source });
      beforeAll(async () => {
        key = collector.nextKey();
        // An older SDK, the vendor's server or a hand-made call: no runId, so no run to judge.
        const tour = (person: string, event: string, at: string, props: Json = {}) => track(person, event, t(at), { tourId: 'setup-tour', ...props });
        await seed(collector.url, key, [
          tour('s1', 'Tour Started', '03-02T10:00'),
          tour('s1', 'Tour Completed', '03-02T10:05', { stepsSkipped: 0 }),
          tour('s2', 'Tour Started', '03-03T10:00'),
          // Done on the last step, two steps never shown (their targets missing)
          tour('s2', 'Tour Completed', '03-03T10:05', { stepIndex: 3, stepsSkipped: 2 }),
          tour('s3', 'Tour Started', '03-04T10:00'),
          tour('s3', 'Tour Completed', '03-04T10:05', { stepsSkipped: '1' }),
          tour('s4', 'Tour Started', '03-05T10:00'),
        ]);
      });

      it.each(['rollups', 'events'])('reads a completion that skipped steps as one with skips, not as a tour seen whole (from %s)', async (source) => {
        expect((await week(source)).tours).toEqual([
          { tourId: 'setup-tour', started: 4, completed: 1, completedWithSkips: 2, dismissed: 0, targetMissing: 0, completionRate: 0.25, dismissalRate: 0, stepViews: [] },
        ]);
      });

      it('tells apart the completions with skips a collector rolled up before it kept them apart (migration 97)', async () => {
        await week('rollups');
        // the rollups as an older collector kept them: every completion without detail
        for (const table of ['rollup_event_days', 'rollup_event_totals']) {
          await collector.db.query(`update ${table} set detail = null where write_key = $1 and event = 'Tour Completed'`, [key]);
        }
        expect((await week('rollups')).tours[0]).toMatchObject({ completed: 3, completedWithSkips: 0 });
        await collector.db.query('delete from linger_migrations where id = 97');
        expect(await migrate(collector.db)).toEqual([97]);
        const fromRollups = (await week('rollups')).tours[0];
        expect(fromRollups).toMatchObject({ completed: 1, completedWithSkips: 2, completionRate: 0.25 });
        expect(fromRollups).toEqual((await week('events')).tours[0]);
        // run again (nothing left to move), it changes nothing
        await collector.db.query('delete from linger_migrations where id = 97');
        expect(await migrate(collector.db)).toEqual([97]);
        expect((await week('rollups')).tours[0]).toEqual(fromRollups);
      });
    });

    describe('accounts', () => {
      it("counts an event toward the account the SDK names in context.groupId", async () => {
        const key = collector.nextKey();
        await seed(collector.url, key, [
          msg.group('admin', 'acme', { plan: 'enterprise' }, t('03-01T09:00')),
          track('u9', 'Feature Used', t('03-02T10:00'), { feature: 'export' }, { context: { groupId: 'acme' } }),
          track('u10', 'Feature Used', t('03-02T10:00'), { feature: 'export' }),
        ]);
        const result = await getInsight<AdoptionInsight>(collector.url, 'adoption', key, { from: '2026-03-01', to: '2026-03-03', segment: 'plan:enterprise' });
        expect(result.summary.activeUsers).toBe(2); // admin and u9, not u10
        expect(result.features).toEqual([{ feature: 'export', users: 1, share: 0.5, daily: [0, 1, 0] }]);
      });
    });

    describe('the insights API', () => {
      it('defaults to the last 30 days, today included', async () => {
        const result = await getInsight<Json>(collector.url, 'guidance', collector.nextKey(), {});
        expect([result['from'], result['to']]).toEqual(['2026-03-12T00:00:00.000Z', '2026-04-11T00:00:00.000Z']);
      });

      it('explains a bad range or an unknown insight', async () => {
        const signedIn = { headers: { Authorization: `Bearer ${collector.readToken}` } };
        const bad = await fetch(`${collector.url}/api/insights/churn?from=2026-03-10&to=2026-03-01`, signedIn);
        expect(bad.status).toBe(400);
        expect(await bad.json()).toEqual({ ok: false, errors: ['from must be before to'] });
        const unknown = await fetch(`${collector.url}/api/insights/nope`, signedIn);
        expect(unknown.status).toBe(404);
      });
    });
  });
}
