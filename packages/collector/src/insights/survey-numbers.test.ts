import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, type Json, type TestCollector } from '../test-support/fixture.ts';
import type { SatisfactionInsight, SurveySummary } from './satisfaction.ts';

/** `t('03-01T10:00')` → 2026-03-01T10:00:00.000Z. All fixture times are UTC, in 2026. */
const t = (when: string) => `2026-${when}:00.000Z`;
const track = msg.track;
const MARCH = { from: '2026-03-01', to: '2026-03-31' };
const SOURCES = ['rollups', 'events'] as const;

const flows = {
  version: 1,
  surveys: [
    { id: 'nps', kind: 'nps' },
    { id: 'csat', kind: 'csat' },
    { id: 'ces', kind: 'ces' },
    { id: 'poll', kind: 'choice' },
    // a CSAT the vendor turned into an NPS mid-March: the answers before say csat, after nps
    { id: 'switched', kind: 'nps' },
  ],
};

const answered = (person: string, surveyId: string, responseId: string, at: string, props: Json): Json =>
  track(person, 'Survey Answered', at, { surveyId, responseId, ...props });

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`the survey read-outs' numbers on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, flows, now: () => new Date(t('04-10T12:00')) });
    });
    afterAll(async () => {
      await collector?.close();
    });

    const read = (key: string, source: string, range: Record<string, string> = MARCH) =>
      getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, { ...range, source });
    const surveyOf = async (key: string, source: string, surveyId: string): Promise<SurveySummary | undefined> =>
      (await read(key, source)).surveys.find((s) => s.surveyId === surveyId);
    const commentsByCategory = async (key: string, source: string) =>
      Object.fromEntries((await read(key, source)).comments.map((c) => [c.category, c.latest.map((l) => l.comment).sort()]));

    it("files a detractor's comment among detractors even when the browser said it was a promoter's", async () => {
      const key = collector.nextKey();
      await seed(collector.url, key, [
        // what a tampered (or buggy) client sends: score 2, category "promoter"
        answered('a', 'nps', 'r-a', t('03-02T10:00'), { kind: 'nps', score: 2, category: 'promoter' }),
        answered('a', 'nps', 'r-a', t('03-02T10:01'), { kind: 'nps', score: 2, category: 'promoter', comment: 'it keeps crashing' }),
        answered('b', 'nps', 'r-b', t('03-02T10:00'), { kind: 'nps', score: 10, category: 'detractor', comment: 'love it' }),
        answered('c', 'csat', 'r-c', t('03-02T10:00'), { kind: 'csat', score: 1, category: 'satisfied', comment: 'export broke' }),
        answered('d', 'ces', 'r-d', t('03-02T10:00'), { kind: 'ces', score: 7, category: 'dissatisfied', comment: 'easy' }),
        // a category with a score off the scale: nothing to file it by
        answered('e', 'nps', 'r-e', t('03-02T10:00'), { kind: 'nps', score: 100, category: 'promoter', comment: 'ten out of ten' }),
      ]);
      for (const source of SOURCES) {
        expect(await commentsByCategory(key, source), source).toEqual({
          detractor: ['it keeps crashing'],
          promoter: ['love it'],
          dissatisfied: ['export broke'],
          satisfied: ['easy'],
          uncategorised: ['ten out of ten'],
        });
      }
    });

    it("scores a survey whose kind changed in the flows by each answer's own kind, not CSAT 5s as NPS detractors", async () => {
      const key = collector.nextKey();
      await seed(collector.url, key, [
        answered('a', 'switched', 'r-a', t('03-02T10:00'), { kind: 'csat', score: 5 }),
        answered('b', 'switched', 'r-b', t('03-03T10:00'), { kind: 'csat', score: 4 }),
        answered('c', 'switched', 'r-c', t('03-20T10:00'), { kind: 'nps', score: 9 }),
        answered('d', 'switched', 'r-d', t('03-21T10:00'), { kind: 'nps', score: 10 }),
        answered('e', 'switched', 'r-e', t('03-22T10:00'), { kind: 'nps', score: 3 }),
      ]);
      for (const source of SOURCES) {
        const { nps } = await read(key, source);
        expect(nps, source).toEqual({ answers: 3, promoters: 2, passives: 0, detractors: 1, nps: 33.3 });
        const survey = await surveyOf(key, source, 'switched');
        // the survey's own read-out agrees with the overall NPS; its CSAT is the two CSAT answers'
        expect(survey, source).toMatchObject({ kind: 'nps', nps, csat: 100, ces: null });
        // a mean of 5, 4, 9, 10 and 3 is on no scale: the NPS answers' mean
        expect(survey?.averageScore, source).toBeCloseTo(22 / 3, 2);
      }
    });

    it('counts a showing and its answer once when the browser sent them again under new message ids', async () => {
      const key = collector.nextKey();
      const shown = (person: string, responseId: string, at: string) => track(person, 'Survey Shown', at, { surveyId: 'nps', kind: 'nps', responseId });
      await seed(collector.url, key, [
        // one showing, answered, each event sent twice (a retry that minted new message ids)
        shown('a', 'r-a', t('03-02T10:00')),
        shown('a', 'r-a', t('03-02T10:00')),
        answered('a', 'nps', 'r-a', t('03-02T10:01'), { kind: 'nps', score: 9 }),
        answered('a', 'nps', 'r-a', t('03-02T10:01'), { kind: 'nps', score: 9 }),
        // one showing, not answered
        shown('b', 'r-b', t('03-02T11:00')),
        msg.identify('a', { plan: 'pro' }, t('02-01T10:00')),
      ]);
      for (const source of SOURCES) {
        expect(await surveyOf(key, source, 'nps'), source).toMatchObject({
          shown: 2, answered: 1, responseRate: 0.5, nps: { answers: 1, promoters: 1 },
        });
        const pro = (await read(key, source, { ...MARCH, segment: 'plan:pro' })).surveys.find((s) => s.surveyId === 'nps');
        expect(pro, source).toMatchObject({ shown: 1, answered: 1, responseRate: 1 });
      }
    });

    it('does not count an answer that picked nothing, or only blanks, as a poll response', async () => {
      const key = collector.nextKey();
      const shown = (person: string, responseId: string, at: string) => track(person, 'Survey Shown', at, { surveyId: 'poll', kind: 'choice', responseId });
      await seed(collector.url, key, [
        shown('a', 'r-a', t('03-02T10:00')),
        answered('a', 'poll', 'r-a', t('03-02T10:01'), { kind: 'choice', choices: [] }),
        shown('b', 'r-b', t('03-02T10:00')),
        answered('b', 'poll', 'r-b', t('03-02T10:01'), { kind: 'choice', choices: [''], comment: '   ' }),
        shown('c', 'r-c', t('03-02T10:00')),
        answered('c', 'poll', 'r-c', t('03-02T10:01'), { kind: 'choice', choices: ['Gantt charts'] }),
      ]);
      for (const source of SOURCES) {
        expect(await surveyOf(key, source, 'poll'), source).toMatchObject({
          shown: 3, answered: 1, choices: [{ choice: 'Gantt charts', count: 1 }],
        });
      }
    });
  });
}
