import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations, splitStatements } from '../db/migrations.ts';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, type Json, type TestCollector } from '../test-support/fixture.ts';
import type { SatisfactionInsight, SurveySummary } from './satisfaction.ts';

/** `t('03-01T10:00')` → 2026-03-01T10:00:00.000Z. All fixture times are UTC, in 2026. */
const t = (when: string) => `2026-${when}:00.000Z`;
const track = msg.track;
const FEBRUARY = { from: '2026-02-01', to: '2026-02-28' };
const MARCH = { from: '2026-03-01', to: '2026-03-31' };
const SOURCES = ['rollups', 'events'] as const;

const flows = {
  version: 1,
  surveys: [
    { id: 'nps', kind: 'nps' },
    { id: 'ces', kind: 'ces' },
    { id: 'ces-short', kind: 'ces', scale: 5 },
  ],
};

/** What the SDK sends for one showing: its Survey Shown, and the answers that share its responseId. */
const shown = (person: string, surveyId: string, responseId: string | undefined, at: string): Json =>
  track(person, 'Survey Shown', at, { surveyId, kind: surveyId.startsWith('ces') ? 'ces' : 'nps', ...(responseId ? { responseId } : {}) });
const answered = (person: string, surveyId: string, responseId: string | undefined, at: string, props: Json): Json =>
  track(person, 'Survey Answered', at, { surveyId, ...(responseId ? { responseId } : {}), ...props });

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`a survey's response rate on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, flows, now: () => new Date(t('04-10T12:00')) });
    });
    afterAll(async () => {
      await collector?.close();
    });

    const survey = async (key: string, range: Record<string, string>, source: string, surveyId = 'nps'): Promise<SurveySummary | undefined> =>
      (await getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, { ...range, source })).surveys.find((s) => s.surveyId === surveyId);

    describe('answers given after the range their survey was shown in', () => {
      let key: string;
      beforeAll(async () => {
        key = collector.nextKey();
        await seed(collector.url, key, [
          // shown on the last evening of February, answered the next morning
          shown('a', 'nps', 'r-a', t('02-28T22:00')),
          answered('a', 'nps', 'r-a', t('03-01T08:00'), { kind: 'nps', score: 9 }),
          shown('b', 'nps', 'r-b', t('02-28T23:00')),
          answered('b', 'nps', 'r-b', t('03-01T09:00'), { kind: 'nps', score: 3 }),
          // March's one showing, never answered
          shown('c', 'nps', 'r-c', t('03-05T10:00')),
        ]);
      });

      it("counts them for the showing's range: March is not answered at 200%, February is not 0%", async () => {
        for (const source of SOURCES) {
          expect(await survey(key, MARCH, source), source).toMatchObject({ shown: 1, answered: 0, responseRate: 0 });
          expect(await survey(key, FEBRUARY, source), source).toMatchObject({ shown: 2, answered: 2, responseRate: 1 });
        }
      });

      it('still scores the answers in the range they were given', async () => {
        for (const source of SOURCES) {
          expect((await survey(key, MARCH, source))?.nps, source).toMatchObject({ answers: 2, promoters: 1, detractors: 1 });
        }
      });

      it("says how many answered the survey in March beside its score, as many as its NPS counts, though no March showing was answered", async () => {
        for (const source of SOURCES) {
          const march = await survey(key, MARCH, source);
          expect(march, source).toMatchObject({ shown: 1, answered: 0, answers: 2 });
          expect(march?.answers, source).toBe(march?.nps?.answers);
          expect(await survey(key, FEBRUARY, source), source).toMatchObject({ shown: 2, answered: 2, answers: 0 });
        }
      });

      it('brings rollups stored before Survey Shown was kept with the fact events to the same answer (migration 84)', async () => {
        expect(await survey(key, MARCH, 'rollups')).toMatchObject({ answered: 0 });
        // the rollups as an older collector left them: no impression among the fact events
        await collector.db.query(`delete from fact_events where write_key = $1 and event = 'Survey Shown'`, [key]);
        // without their showings, the answers look like an older SDK's, counted in the range given
        expect(await survey(key, MARCH, 'rollups')).toMatchObject({ answered: 1 });
        const migration = migrations.find((m) => m.id === 84)!;
        await collector.db.transaction(async (tx) => {
          for (const statement of splitStatements(migration.sql)) await tx.query(statement);
          await migration.after?.(tx);
        });
        for (const source of SOURCES) {
          expect(await survey(key, MARCH, source), source).toMatchObject({ shown: 1, answered: 0, responseRate: 0 });
          expect(await survey(key, FEBRUARY, source), source).toMatchObject({ shown: 2, answered: 2, responseRate: 1 });
        }
      });
    });

    it('counts answers from SDKs without a responseId in their range, never more than the showings', async () => {
      const key = collector.nextKey();
      await seed(collector.url, key, [
        shown('a', 'nps', undefined, t('03-02T10:00')),
        answered('a', 'nps', undefined, t('03-02T10:01'), { kind: 'nps', score: 10 }),
        // shown in February, answered in March: the old events cannot tell
        answered('b', 'nps', undefined, t('03-03T10:01'), { kind: 'nps', score: 8 }),
        answered('c', 'nps', undefined, t('03-04T10:01'), { kind: 'nps', score: 2 }),
      ]);
      for (const source of SOURCES) {
        expect(await survey(key, MARCH, source), source).toMatchObject({ shown: 1, answered: 1, responseRate: 1 });
      }
    });

    it('says a survey answered 11 times in the range, never "answered 0" beside an NPS of 11 answers, when none of its showings is in the range', async () => {
      const key = collector.nextKey();
      // answers a vendor's server sent (or an SDK before responseId), with no Survey Shown to pair them with
      await seed(collector.url, key, Array.from({ length: 11 }, (_, i) =>
        answered(`p${i}`, 'nps', undefined, t(`03-${String(2 + i).padStart(2, '0')}T10:00`), { kind: 'nps', score: i < 6 ? 10 : 2, ...(i === 0 ? { comment: 'fast' } : {}) })));
      for (const source of SOURCES) {
        const nps = await survey(key, MARCH, source);
        expect(nps, source).toMatchObject({ shown: 0, answered: 0, responseRate: null, answers: 11, nps: { answers: 11 } });
      }
    });

    it('does not count a score off the survey\'s scale as an answer', async () => {
      const key = collector.nextKey();
      await seed(collector.url, key, [
        shown('a', 'nps', 'r-a', t('03-02T10:00')),
        answered('a', 'nps', 'r-a', t('03-02T10:01'), { kind: 'nps', score: 100 }),
        shown('b', 'nps', 'r-b', t('03-02T10:00')),
        answered('b', 'nps', 'r-b', t('03-02T10:01'), { kind: 'nps', score: 7 }),
        shown('c', 'ces', 'r-c', t('03-02T10:00')),
        answered('c', 'ces', 'r-c', t('03-02T10:01'), { kind: 'ces', score: 9 }),
      ]);
      for (const source of SOURCES) {
        expect(await survey(key, MARCH, source), source).toMatchObject({ shown: 2, answered: 1, responseRate: 0.5 });
        expect(await survey(key, MARCH, source, 'ces'), source).toMatchObject({ shown: 1, answered: 0, responseRate: 0 });
      }
    });

    it("files a CES comment sent without a category under its score's category, on the survey's scale", async () => {
      const key = collector.nextKey();
      await seed(collector.url, key, [
        answered('a', 'ces', 'r-a', t('03-02T10:01'), { kind: 'ces', score: 6, comment: 'easy enough' }),
        answered('b', 'ces', 'r-b', t('03-02T10:01'), { kind: 'ces', score: 4, comment: 'so-so' }),
        answered('c', 'ces', 'r-c', t('03-02T10:01'), { kind: 'ces', score: 2, comment: 'took ages' }),
        // on 1–5 the midpoint is 3
        answered('d', 'ces-short', 'r-d', t('03-02T10:01'), { kind: 'ces', score: 3, comment: 'fine' }),
      ]);
      for (const source of SOURCES) {
        const { comments } = await getInsight<SatisfactionInsight>(collector.url, 'satisfaction', key, { ...MARCH, source });
        expect(Object.fromEntries(comments.map((c) => [c.category, c.latest.map((l) => l.comment).sort()])), source).toEqual({
          satisfied: ['easy enough'],
          neutral: ['fine', 'so-so'],
          dissatisfied: ['took ages'],
        });
      }
    });
  });
}
