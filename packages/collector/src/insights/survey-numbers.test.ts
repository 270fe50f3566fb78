import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations, splitStatements } from '../db/migrations.ts';
import { refreshRollups } from '../db/rollups.ts';
import { catalogFromFlows, type FlowsCatalog } from './flows-catalog.ts';
import { parseFilter } from './filter.ts';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, type Json, type TestCollector } from '../test-support/fixture.ts';
import { satisfaction, type SatisfactionInsight, type SurveySummary } from './satisfaction.ts';

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
    // CES surveys whose scale the vendor changed mid-March: 1–7 to 1–5, and 1–5 to 1–7 (the default)
    { id: 'ces-moved', kind: 'ces', scale: 5 },
    { id: 'ces-grown', kind: 'ces' },
    { id: 'roadmap', kind: 'choice', options: ['Gantt charts', 'Time tracking', 'Mobile approvals'], other: true },
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

    it("counts each person's latest NPS answer once: a detractor won round by the fixes is a promoter, not one of each", async () => {
      const key = collector.nextKey();
      await seed(collector.url, key, [
        // the survey repeats (`repeat: { afterDays }`): asked again, the same person answers again
        answered('won-round', 'nps', 'r-w1', t('03-02T10:00'), { kind: 'nps', score: 3 }),
        answered('won-round', 'nps', 'r-w2', t('03-20T10:00'), { kind: 'nps', score: 10 }),
        answered('fan', 'nps', 'r-f1', t('03-05T10:00'), { kind: 'nps', score: 9 }),
        // twice in one week: that week's NPS is their latest word too
        answered('fickle', 'nps', 'r-k1', t('03-09T10:00'), { kind: 'nps', score: 9 }),
        answered('fickle', 'nps', 'r-k2', t('03-11T10:00'), { kind: 'nps', score: 2 }),
      ]);
      const people = { answers: 3, promoters: 2, passives: 0, detractors: 1, nps: 33.3 };
      for (const source of SOURCES) {
        const result = await read(key, source);
        expect(result.nps, source).toEqual(people);
        expect(result.surveys.find((s) => s.surveyId === 'nps')?.nps, source).toEqual(people);
        expect(result.npsWeekly.map(({ week, answers, nps }) => [week, answers, nps]), source).toEqual([
          ['2026-03-02', 2, 0], ['2026-03-09', 1, -100], ['2026-03-16', 1, 100],
        ]);
      }
    });

    it("counts CSAT and CES per answer, and says how many answers each rests on: a second export rated is a second moment, not a changed mind", async () => {
      const key = collector.nextKey();
      await seed(collector.url, key, [
        answered('often', 'csat', 'r-o1', t('03-02T10:00'), { kind: 'csat', score: 5 }),
        answered('often', 'csat', 'r-o2', t('03-20T10:00'), { kind: 'csat', score: 2 }),
        answered('once', 'csat', 'r-n1', t('03-05T10:00'), { kind: 'csat', score: 4 }),
        answered('often', 'ces', 'r-o3', t('03-02T10:00'), { kind: 'ces', scale: 7, score: 2 }),
        answered('often', 'ces', 'r-o4', t('03-20T10:00'), { kind: 'ces', scale: 7, score: 6 }),
        // a comment alone is an answer to the survey, not a score
        answered('quiet', 'ces', 'r-q1', t('03-06T10:00'), { kind: 'ces', comment: 'no idea' }),
      ]);
      for (const source of SOURCES) {
        const surveys = (await read(key, source)).surveys;
        const csat = surveys.find((s) => s.surveyId === 'csat');
        const ces = surveys.find((s) => s.surveyId === 'ces');
        expect([csat?.csat, csat?.csatAnswers, csat?.answers], source).toEqual([66.7, 3, 3]);
        expect([ces?.ces, ces?.cesAnswers, ces?.answers], source).toEqual([4, 2, 3]);
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

    it('counts a dismissal once when the browser sent it again (a retry under a new message id)', async () => {
      const key = collector.nextKey();
      const shown = (person: string, responseId: string | undefined, at: string) =>
        track(person, 'Survey Shown', at, { surveyId: 'csat', kind: 'csat', ...(responseId ? { responseId } : {}) });
      const dismissed = (person: string, responseId: string | undefined, at: string, props: Json = {}) =>
        track(person, 'Survey Dismissed', at, { surveyId: 'csat', kind: 'csat', ...(responseId ? { responseId } : {}), ...props });
      await seed(collector.url, key, [
        // a's one dismissal, sent twice at once; b's sent again from the queue the next day
        shown('a', 'r-a', t('03-02T10:00')),
        dismissed('a', 'r-a', t('03-02T10:01')),
        dismissed('a', 'r-a', t('03-02T10:01')),
        shown('b', 'r-b', t('03-05T10:00')),
        dismissed('b', 'r-b', t('03-05T10:01')),
        dismissed('b', 'r-b', t('03-06T09:00')),
        // pushed aside by the cancel flow, twice: not the user's dismissal at all
        shown('c', 'r-c', t('03-07T10:00')),
        dismissed('c', 'r-c', t('03-07T10:01'), { reason: 'preempted-by:cancel' }),
        dismissed('c', 'r-c', t('03-07T10:01'), { reason: 'preempted-by:cancel' }),
        // an older SDK's, without a responseId: nothing to pair, each one counts
        shown('d', undefined, t('03-08T10:00')),
        dismissed('d', undefined, t('03-08T10:01')),
        msg.identify('a', { plan: 'pro' }, t('02-01T10:00')),
      ]);
      for (const source of SOURCES) {
        expect(await surveyOf(key, source, 'csat'), source).toMatchObject({ shown: 4, dismissed: 3 });
        const pro = (await read(key, source, { ...MARCH, segment: 'plan:pro' })).surveys.find((s) => s.surveyId === 'csat');
        expect(pro, source).toMatchObject({ shown: 1, dismissed: 1 });
        // a range that holds only the copy sent the next day still counts that dismissal
        const sixth = (await read(key, source, { from: '2026-03-06', to: '2026-03-06' })).surveys.find((s) => s.surveyId === 'csat');
        expect(sixth, source).toMatchObject({ dismissed: 1 });
      }
    });

    it("averages CES answers on the survey's scale only: a 5 on 1–5 is not a 5 on 1–7", async () => {
      const key = collector.nextKey();
      const ces = (person: string, surveyId: string, scale: number, score: number, comment?: string): Json[] => [
        track(person, 'Survey Shown', t('03-02T10:00'), { surveyId, kind: 'ces', responseId: `r-${person}` }),
        answered(person, surveyId, `r-${person}`, t('03-02T10:01'), { kind: 'ces', score, scale, ...(comment ? { comment } : {}) }),
      ];
      await seed(collector.url, key, [
        // now on 1–5; a and b answered on 1–7 before the change
        ...ces('a', 'ces-moved', 7, 2, 'slow'),
        ...ces('b', 'ces-moved', 7, 4, 'meh'),
        ...ces('c', 'ces-moved', 5, 4),
        ...ces('d', 'ces-moved', 5, 5),
        // now on 1–7; f and g answered on 1–5 before, and j's 6 is off the 1–5 it says it was on
        ...ces('f', 'ces-grown', 5, 5),
        ...ces('g', 'ces-grown', 5, 3, 'fine'),
        ...ces('h', 'ces-grown', 7, 6),
        ...ces('i', 'ces-grown', 7, 7),
        ...ces('j', 'ces-grown', 5, 6),
      ]);
      for (const source of SOURCES) {
        const moved = await surveyOf(key, source, 'ces-moved');
        expect(moved, source).toMatchObject({ shown: 4, answered: 4, ces: 4.5, cesScale: 5, averageScore: 4.5 });
        const grown = await surveyOf(key, source, 'ces-grown');
        expect(grown, source).toMatchObject({ shown: 5, answered: 4, ces: 6.5, cesScale: 7, averageScore: 6.5 });
        // each comment filed by the scale its score was given on (4 is the middle of 1–7, 3 of 1–5)
        expect(await commentsByCategory(key, source), source).toEqual({ dissatisfied: ['slow'], neutral: ['fine', 'meh'] });
      }
    });

    it('brings rollups stored before answers said their CES scale, and dismissals were kept with the fact events, to the same numbers (migrations 85, 86)', async () => {
      const key = collector.nextKey();
      await seed(collector.url, key, [
        track('a', 'Survey Shown', t('03-02T10:00'), { surveyId: 'ces-grown', kind: 'ces', responseId: 'r-a' }),
        answered('a', 'ces-grown', 'r-a', t('03-02T10:01'), { kind: 'ces', score: 5, scale: 5, comment: 'fine' }),
        track('b', 'Survey Shown', t('03-02T10:00'), { surveyId: 'ces-grown', kind: 'ces', responseId: 'r-b' }),
        answered('b', 'ces-grown', 'r-b', t('03-02T10:01'), { kind: 'ces', score: 7, scale: 7 }),
        track('c', 'Survey Shown', t('03-02T10:00'), { surveyId: 'ces-grown', kind: 'ces', responseId: 'r-c' }),
        track('c', 'Survey Dismissed', t('03-02T10:01'), { surveyId: 'ces-grown', kind: 'ces', responseId: 'r-c' }),
        track('c', 'Survey Dismissed', t('03-02T10:01'), { surveyId: 'ces-grown', kind: 'ces', responseId: 'r-c' }),
      ]);
      const expected = { shown: 3, answered: 2, dismissed: 1, ces: 7, cesScale: 7 };
      expect(await surveyOf(key, 'rollups', 'ces-grown')).toMatchObject(expected);
      // the rollups as an older collector left them: no scale on the responses, no dismissal among the fact events
      await collector.db.query(`alter table rollup_responses drop column scale`);
      await collector.db.query(`delete from fact_events where write_key = $1 and event = 'Survey Dismissed'`, [key]);
      for (const id of [85, 86]) {
        const migration = migrations.find((m) => m.id === id)!;
        await collector.db.transaction(async (tx) => {
          for (const statement of splitStatements(migration.sql)) await tx.query(statement);
          await migration.after?.(tx);
        });
      }
      for (const source of SOURCES) {
        expect(await surveyOf(key, source, 'ces-grown'), source).toMatchObject(expected);
        expect(await commentsByCategory(key, source), source).toEqual({ satisfied: ['fine'] });
      }
    });

    it("keeps picks that are not among a poll's options (a stale page, a forged answer) out of its shares, and lists them apart", async () => {
      const key = collector.nextKey();
      const poll = (person: string, choices: string[], other?: string): Json[] => [
        track(person, 'Survey Shown', t('03-02T10:00'), { surveyId: 'roadmap', kind: 'choice', responseId: `r-${person}` }),
        answered(person, 'roadmap', `r-${person}`, t('03-02T10:01'), { kind: 'choice', choices, ...(other ? { other } : {}) }),
      ];
      await seed(collector.url, key, [
        ...poll('a', ['Gantt charts']),
        ...poll('b', ['Gantt charts', 'Time tracking']),
        ...poll('c', ['Gantt charts']),
        ...poll('d', ['other'], 'Dark mode'),
        // a page loaded before the vendor renamed an option, and a hand-made answer
        ...poll('f', ['Gantt view', 'Time tracking']),
        ...poll('g', ['Teleportation']),
        ...poll('h', ['Teleportation']),
      ]);
      // the flows config as the collector reads it, with the poll's options (insights/flows-catalog.ts)
      const roadmap = { id: 'roadmap', kind: 'choice', options: ['Gantt charts', 'Time tracking', 'Mobile approvals'], other: true };
      const catalog: FlowsCatalog = catalogFromFlows({ ...flows, surveys: [...flows.surveys, roadmap] });
      const surveys: FlowsCatalog['surveys'] = [...catalog.surveys.filter((s) => s.id !== 'roadmap'), roadmap];
      const now = new Date(t('04-10T12:00'));
      const filter = parseFilter(new URLSearchParams({ key, ...MARCH }), key, now);
      if (!filter.ok) throw new Error(filter.error);
      await refreshRollups(collector.db);
      for (const source of SOURCES) {
        expect((await surveyOf(key, source, 'roadmap'))?.unlistedChoices, 'e2e ' + source).toEqual([{ choice: 'Teleportation', count: 2 }, { choice: 'Gantt view', count: 1 }]);
        expect((await surveyOf(key, source, 'roadmap'))?.choices, 'e2e ' + source).toEqual([{ choice: 'Gantt charts', count: 3 }, { choice: 'Time tracking', count: 2 }, { choice: 'other', count: 1 }]);
        const insight = await satisfaction({ db: collector.db, filter: filter.filter, catalog: { ...catalog, surveys }, query: new URLSearchParams(), now, source });
        expect(insight.surveys.find((s) => s.surveyId === 'roadmap'), source).toMatchObject({
          // f and the forger did answer: their showings were answered
          shown: 7,
          answered: 7,
          choices: [{ choice: 'Gantt charts', count: 3 }, { choice: 'Time tracking', count: 2 }, { choice: 'other', count: 1 }],
          unlistedChoices: [{ choice: 'Teleportation', count: 2 }, { choice: 'Gantt view', count: 1 }],
        });
      }
    });
  });
}
