import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getInsight, msg, seed, startTestCollector, type Json, type TestCollector } from '../test-support/fixture.ts';

/**
 * A week of raw events sent through the real HTTP ingest the way SDKs deliver them (one batch
 * per request, late, out of order, resent under the same messageId, anonymous before sign-in,
 * a visitor's answer arriving after the dashboard was read), and the numbers the dashboard
 * shows, counted by hand. Both sources must agree with the hand.
 */
const t = (when: string) => `2026-03-${when}:00.000Z`;
const asVisitor = (m: Json, anonymousId: string): Json => {
  const { userId: _, ...rest } = m;
  return { ...rest, anonymousId };
};
const signsIn = (userId: string, anonymousId: string, at: string, traits: Json = {}) => ({ ...msg.identify(userId, traits, t(at)), anonymousId });
const range = { from: '2026-03-01', to: '2026-03-07' };

describe('the dashboard numbers against a hand count of the raw events', () => {
  let collector: TestCollector;
  let key: string;

  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null });
    key = collector.nextKey();
    const nps = (person: string, score: number, at: string, responseId: string) => [
      msg.track(person, 'Survey Shown', t(at), { surveyId: 'nps', kind: 'nps', responseId }),
      msg.track(person, 'Survey Answered', t(at), { surveyId: 'nps', kind: 'nps', score, responseId }),
    ];
    const flow = (person: string, runId: string, at: string, reasonId: string, outcome: string, offer = false) => {
      const base = { flowId: 'cancel', runId, variant: 'offer', reasonId };
      const taken = { offerId: 'discount-20', offerKind: 'discount' };
      return [
        msg.track(person, 'Cancel Flow Started', t(`${at}:00`), { flowId: 'cancel', runId, variant: 'offer' }),
        msg.track(person, 'Cancel Reason Selected', t(`${at}:01`), base),
        ...(offer ? [msg.track(person, 'Cancel Offer Accepted', t(`${at}:02`), { ...base, ...taken })] : []),
        msg.track(person, 'Cancel Flow Completed', t(`${at}:03`), { ...base, outcome, ...(offer ? taken : {}) }),
      ];
    };
    // cara's batch resent under the same messageIds (its answer lost): her NPS answer, and a tour
    // from an SDK that named no run, whose events are counted one by one (nothing but the
    // messageId says the second copy is the first)
    const legacyTour = { tourId: 'export-tour', stepIndex: 0 };
    const resent = [
      ...nps('cara', 0, '03T10:00', 'cara-1'),
      msg.track('cara', 'Tour Started', t('03T10:05'), legacyTour),
      msg.track('cara', 'Tour Target Missing', t('03T10:05'), legacyTour),
    ];
    const batches: Json[][] = [
      // ana: a promoter on Monday, a detractor on Wednesday, from her second session: her latest counts
      nps('ana', 10, '02T10:00', 'ana-1'),
      nps('ana', 3, '04T10:00', 'ana-2'),
      // ben answers as a visitor, then signs in: one person, with the visitor's later answer
      nps('ben', 6, '01T12:00', 'ben-0'),
      nps('x', 9, '02T11:00', 'ben-1').map((m) => asVisitor(m, 'device-ben')),
      [signsIn('ben', 'device-ben', '02T12:00')],
      resent, resent,
      // dan's later answer arrives first
      nps('dan', 10, '05T10:00', 'dan-2'),
      nps('dan', 2, '04T10:00', 'dan-1'),
      // fay signs up on the 2nd: her first task done as a visitor, then the checklist finished (sent twice)
      [asVisitor(msg.track('x', 'Checklist Task Completed', t('02T10:00'), { checklistId: 'getting-started', taskId: 'create-project' }), 'device-fay')],
      [signsIn('fay', 'device-fay', '02T10:05', { createdAt: '2026-03-02' })],
      [msg.track('fay', 'Checklist Completed', t('03T10:00'), { checklistId: 'getting-started' }, { messageId: 'fay-done' })],
      [msg.track('fay', 'Checklist Completed', t('03T10:00'), { checklistId: 'getting-started' }, { messageId: 'fay-done' })],
      // gus signs up on the 4th: his task arrives before his identify
      [msg.track('gus', 'Checklist Task Completed', t('04T10:00'), { checklistId: 'getting-started', taskId: 'create-project' })],
      [msg.identify('gus', { createdAt: '2026-03-04' }, t('04T09:00'))],
      // hal, a customer since January, finishes it too: no new user
      [msg.identify('hal', { createdAt: '2026-01-10' }, t('03T09:00'))],
      [msg.track('hal', 'Checklist Completed', t('03T10:00'), { checklistId: 'getting-started' })],
      // kim's device was seen in February: signing in now does not make her new
      [asVisitor(msg.page('x', '2026-02-20T10:00:00.000Z'), 'device-kim')],
      [signsIn('kim', 'device-kim', '02T10:05')],
      // cancellations: saved, cancelled (its end first), saved then cancelled on the 10th (lapsed), and
      // eve's save lapsed by a cancellation she made as a visitor on her device, identified after
      flow('ana', 'r1', '02T10', 'too-expensive', 'saved', true),
      flow('ben', 'r2', '02T11', 'missing-feature', 'cancelled').reverse(),
      flow('dan', 'r4', '03T11', 'too-expensive', 'saved', true),
      flow('dan', 'r5', '10T11', 'too-expensive', 'cancelled'),
      flow('eve', 'r0', '01T10', 'missing-feature', 'saved', true),
      flow('x', 'r6', '04T10', 'too-expensive', 'cancelled').map((m) => asVisitor(m, 'device-eve')),
      [signsIn('eve', 'device-eve', '04T12:00')],
    ];
    for (const batch of batches) await seed(collector.url, key, batch);
    // The vendor reads the dashboard; then ben's answer from before he signed in, made offline,
    // arrives: his latest answer, and his.
    await getInsight(collector.url, 'satisfaction', key, { ...range, source: 'rollups' });
    await seed(collector.url, key, nps('x', 4, '02T11:30', 'ben-2').map((m) => asVisitor(m, 'device-ben')));
  });

  afterAll(async () => {
    await collector?.close();
  });

  for (const source of ['events', 'rollups']) {
    it(`gives the NPS of each person's latest answer (from the ${source})`, async () => {
      const { nps, surveys } = await getInsight<{ nps: Json; surveys: Json[] }>(collector.url, 'satisfaction', key, { ...range, source });
      // ana 3, ben 4 (as a visitor, after his 6 and 9) and cara 0 detractors; dan 10 a promoter
      expect(nps).toEqual({ answers: 4, promoters: 1, passives: 0, detractors: 3, nps: -50 });
      // eight showings, each answered: cara's resent is still one
      expect(surveys.map((s) => [s['shown'], s['answered'], s['answers']])).toEqual([[8, 8, 8]]);
    });

    it(`counts a resent batch's events once, where only their messageId tells the copy (from the ${source})`, async () => {
      const { tours } = await getInsight<{ tours: Json[] }>(collector.url, 'guidance', key, { ...range, source });
      expect(tours.map(({ tourId, started, targetMissing }) => ({ tourId, started, targetMissing }))).toEqual([{ tourId: 'export-tour', started: 1, targetMissing: 1 }]);
    });

    it(`gives the activation of the people who signed up in the week (from the ${source})`, async () => {
      const activation = await getInsight<Json>(collector.url, 'activation', key, { ...range, source });
      // fay and gus by their sign-up; ana, ben, cara, dan and eve, who have no createdAt, first seen
      // in the week; not hal (January) nor kim (seen in February)
      expect(activation['newUsers']).toBe(7);
      expect(activation['checklists']).toEqual([{
        id: 'getting-started', title: null, started: 2, completed: 1, dismissed: 0, completionRate: 0.1429,
        // fay's first event, as a visitor on the 2nd at 10:00, to her checklist done a day later
        medianSecondsToComplete: 86_400,
        tasks: [{ id: 'create-project', title: null, completed: 2, rate: 0.2857 }],
      }]);
    });

    it(`gives the save rate, its reasons and the offers taken, one outcome per flow (from the ${source})`, async () => {
      const churn = await getInsight<Json>(collector.url, 'churn', key, { ...range, source });
      expect(churn['sessions']).toBe(5);
      expect(churn['outcomes']).toEqual({ saved: 1, kept: 0, lapsed: 2, contacted: 0, cancelled: 2, abandoned: 0 });
      expect(churn['saveRate']).toBe(0.2);
      expect(churn['reasons']).toEqual([
        { reasonId: 'too-expensive', sessions: 3, share: 0.6, saved: 1, kept: 0, saveRate: 0.3333 },
        { reasonId: 'missing-feature', sessions: 2, share: 0.4, saved: 0, kept: 0, saveRate: 0 },
      ]);
      expect(churn['acceptedOffers']).toEqual([{ offerKind: 'discount', count: 3 }]);
    });
  }
});
