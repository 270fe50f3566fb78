import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, type Json, type TestCollector } from '../test-support/fixture.ts';
import type { Database } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import type { ChurnInsight } from './churn.ts';

const t = (when: string) => `2026-${when}:00.000Z`;
const range = { from: '2026-03-01', to: '2026-03-31' };

/** One cancellation flow: started, then whatever the person did. */
function flow(person: string, day: string, steps: { accept?: string; outcome?: string; variant?: 'offer' | 'holdout' }): Json[] {
  const at = (minute: number) => t(`${day}T10:0${minute}`);
  const events = [msg.track(person, 'Cancel Flow Started', at(0), { variant: steps.variant ?? 'offer' })];
  if (steps.accept) events.push(msg.track(person, 'Cancel Offer Accepted', at(1), { offerId: steps.accept, offerKind: steps.accept }));
  if (steps.outcome) events.push(msg.track(person, 'Cancel Flow Completed', at(2), { outcome: steps.outcome }));
  return events;
}

// "Saved" is what a vendor would book as retained revenue: the person accepted an offer and was
// still a customer N days later. A click on "talk to us" is a conversation, not a save.
for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`the save rate on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    let key: string;
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, now: () => new Date(t('04-10T12:00')) });
      key = collector.nextKey();
      await seed(collector.url, key, [
        ...flow('stays', '03-01', { accept: 'discount', outcome: 'saved' }),
        ...flow('leaves-soon', '03-01', { accept: 'discount', outcome: 'saved' }),
        ...flow('leaves-soon', '03-20', { outcome: 'cancelled' }),
        ...flow('leaves-late', '03-01', { accept: 'discount', outcome: 'saved' }),
        ...flow('leaves-late', '04-05', { outcome: 'cancelled' }),
        // an SDK from before `contacted` existed reported a contact click as saved
        ...flow('old-sdk-contact', '03-02', { accept: 'contact', outcome: 'saved' }),
        ...flow('new-sdk-contact', '03-02', { accept: 'contact', outcome: 'contacted' }),
        ...flow('too-recent', '03-30', { accept: 'discount', outcome: 'saved' }),
      ]);
    });
    afterAll(async () => {
      await collector?.close();
    });

    it('counts as saved only who accepted an offer and did not cancel within 30 days', async () => {
      const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, range);
      expect(result.sessions).toBe(7);
      expect(result.saveWindowDays).toBe(30);
      expect(result.outcomes).toEqual({ saved: 3, kept: 0, lapsed: 1, contacted: 2, cancelled: 1, abandoned: 0 });
      expect(result.saveRate).toBe(0.4286);
      // its 30 days are not over yet: saved so far, and the dashboard says so
      expect(result.savedPending).toBe(1);
    });

    it('puts contact outcomes on their own line, from both the new and the old SDK', async () => {
      const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, range);
      expect(result.outcomes.contacted).toBe(2);
      expect(result.acceptedOffers).toEqual([{ offerKind: 'discount', count: 4 }, { offerKind: 'contact', count: 2 }]);
    });

    it('takes another window with ?saveWindow=60', async () => {
      const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, saveWindow: '60' });
      expect(result.saveWindowDays).toBe(60);
      expect(result.outcomes).toMatchObject({ saved: 2, lapsed: 2 });
      expect(result.savedPending).toBe(2);
    });

    for (const source of ['events', 'rollups'])
      it(`[${source}] an accepted offer whose handler never answered (the tab closed on the spinner) is no save`, async () => {
        const other = collector.nextKey();
        await seed(collector.url, other, [...flow('spinner', '03-05', { accept: 'discount' }), ...flow('applied', '03-05', { accept: 'discount', outcome: 'saved' })]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', other, { ...range, source });
        expect(result.outcomes).toMatchObject({ saved: 1, abandoned: 1 });
        expect(result.saveRate).toBe(0.5);
        // the click on the spinner is no accepted offer either
        expect(result.acceptedOffers).toEqual([{ offerKind: 'discount', count: 1 }]);
      });

    // The holdout gets no offer, so "Keep my subscription" (`kept`) is the only way it stays. Were
    // that not a stay, every holdout would read 0% and every offer would look like a win.
    for (const source of ['events', 'rollups'])
      it(`[${source}] offer vs holdout: a holdout user who keeps their subscription stays, so the arms compare like for like`, async () => {
        const other = collector.nextKey();
        await seed(collector.url, other, [
          ...flow('h-keeps', '03-03', { variant: 'holdout', outcome: 'kept' }),
          ...flow('h-lapses', '03-03', { variant: 'holdout', outcome: 'kept' }),
          ...flow('h-lapses', '03-13', { variant: 'holdout', outcome: 'cancelled' }),
          ...flow('h-cancels', '03-04', { variant: 'holdout', outcome: 'cancelled' }),
          ...flow('h-closes', '03-04', { variant: 'holdout', outcome: 'abandoned' }),
          ...flow('o-saved', '03-05', { accept: 'discount', outcome: 'saved' }),
          ...flow('o-kept', '03-05', { outcome: 'kept' }),
          ...flow('o-cancels', '03-06', { outcome: 'cancelled' }),
          ...flow('o-closes', '03-06', { outcome: 'abandoned' }),
        ]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', other, { ...range, source });
        expect(result.outcomes).toEqual({ saved: 1, kept: 2, lapsed: 1, contacted: 0, cancelled: 3, abandoned: 2 });
        expect(result.saveRate).toBe(0.3333);
        expect(result.variants).toEqual([
          { variant: 'holdout', sessions: 5, saved: 0, kept: 1, cancelled: 2, saveRate: 0.2 },
          { variant: 'offer', sessions: 4, saved: 1, kept: 1, cancelled: 1, saveRate: 0.5 },
        ]);
        expect(result.offerLift).toBe(0.3);
      });

    // The SDK names each run of the flow (runId). Open in two tabs, the runs interleave: told
    // apart by person and order alone, tab A's cancellation landed in tab B's flow.
    for (const source of ['events', 'rollups'])
      it(`[${source}] a flow open in two tabs is two flows, each with its own outcome and reason`, async () => {
        const other = collector.nextKey();
        const run = (person: string, runId: string, minute: number, event: string, props: Record<string, unknown> = {}) =>
          msg.track(person, event, t(`03-08T10:${String(minute).padStart(2, '0')}`), { runId, variant: 'offer', ...props });
        await seed(collector.url, other, [
          // cancels in tab A, closes tab B's flow
          run('one-of-two', 'a1', 0, 'Cancel Flow Started'),
          run('one-of-two', 'b1', 1, 'Cancel Flow Started'),
          run('one-of-two', 'a1', 2, 'Cancel Reason Selected', { reasonId: 'too-expensive' }),
          run('one-of-two', 'a1', 3, 'Cancel Flow Completed', { outcome: 'cancelled', reasonId: 'too-expensive' }),
          run('one-of-two', 'b1', 5, 'Cancel Flow Completed', { outcome: 'abandoned' }),
          // confirms in both: one cancellation, tab A's (the test below)
          run('both', 'a2', 0, 'Cancel Flow Started'),
          run('both', 'b2', 1, 'Cancel Flow Started'),
          run('both', 'a2', 2, 'Cancel Reason Selected', { reasonId: 'not-using' }),
          run('both', 'b2', 3, 'Cancel Reason Selected', { reasonId: 'too-expensive' }),
          run('both', 'a2', 4, 'Cancel Flow Completed', { outcome: 'cancelled', reasonId: 'not-using' }),
          run('both', 'b2', 5, 'Cancel Flow Completed', { outcome: 'cancelled', reasonId: 'too-expensive' }),
          // an older SDK's flow (no runId) still counts, by order, beside a named run, even when
          // the named run starts inside it (an old tab and a new one)
          msg.track('upgraded', 'Cancel Flow Started', t('03-07T10:00'), { variant: 'offer' }),
          msg.track('upgraded', 'Cancel Flow Started', t('03-07T10:01'), { runId: 'c3', variant: 'offer' }),
          msg.track('upgraded', 'Cancel Flow Completed', t('03-07T10:02'), { outcome: 'kept' }),
          msg.track('upgraded', 'Cancel Flow Completed', t('03-07T10:03'), { runId: 'c3', variant: 'offer', outcome: 'cancelled' }),
          // the rest of a run whose start is not this person's is no flow of theirs
          run('no-start', 'd4', 0, 'Cancel Reason Selected', { reasonId: 'other' }),
          run('no-start', 'd4', 1, 'Cancel Flow Completed', { outcome: 'cancelled' }),
        ]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', other, { ...range, source });
        expect(result.sessions).toBe(5);
        // the old tab's kept, then the new tab's cancellation minutes later: lapsed
        expect(result.outcomes).toEqual({ saved: 0, kept: 0, lapsed: 1, contacted: 0, cancelled: 3, abandoned: 1 });
        expect(result.reasons).toEqual([
          { reasonId: 'not-using', sessions: 1, share: 0.5, saved: 0, kept: 0, saveRate: 0 },
          { reasonId: 'too-expensive', sessions: 1, share: 0.5, saved: 0, kept: 0, saveRate: 0 },
        ]);
      });

    // The user opens the flow in two tabs and confirms in both (the second tab's confirmation
    // is no second customer leaving): one cancellation, with the reason the first one gave.
    for (const source of ['events', 'rollups'])
      it(`[${source}] a cancellation confirmed in two tabs open at once is one cancellation, with the reason first confirmed`, async () => {
        const other = collector.nextKey();
        const run = (person: string, runId: string, minute: number, event: string, props: Record<string, unknown> = {}) =>
          msg.track(person, event, t(`03-08T10:${String(minute).padStart(2, '0')}`), { runId, variant: 'offer', ...props });
        await seed(collector.url, other, [
          run('both', 'a2', 0, 'Cancel Flow Started'),
          run('both', 'b2', 1, 'Cancel Flow Started'),
          run('both', 'a2', 2, 'Cancel Reason Selected', { reasonId: 'not-using' }),
          run('both', 'b2', 3, 'Cancel Reason Selected', { reasonId: 'too-expensive' }),
          run('both', 'a2', 4, 'Cancel Flow Completed', { outcome: 'cancelled', reasonId: 'not-using' }),
          run('both', 'b2', 5, 'Cancel Flow Completed', { outcome: 'cancelled', reasonId: 'too-expensive' }),
          // one after the other (the user came back, then left again): two cancellations
          run('twice', 'c1', 0, 'Cancel Flow Started'),
          run('twice', 'c1', 1, 'Cancel Flow Completed', { outcome: 'cancelled', reasonId: 'not-using' }),
          run('twice', 'c2', 2, 'Cancel Flow Started'),
          run('twice', 'c2', 3, 'Cancel Flow Completed', { outcome: 'cancelled', reasonId: 'too-expensive' }),
        ]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', other, { ...range, source });
        expect(result.sessions).toBe(3);
        expect(result.outcomes).toEqual({ saved: 0, kept: 0, lapsed: 0, contacted: 0, cancelled: 3, abandoned: 0 });
        expect(result.reasons).toEqual([
          { reasonId: 'not-using', sessions: 2, share: 0.6667, saved: 0, kept: 0, saveRate: 0 },
          { reasonId: 'too-expensive', sessions: 1, share: 0.3333, saved: 0, kept: 0, saveRate: 0 },
        ]);
      });

    // A reload (or a closed tab) ends a page's run with no word at all; the user, back on the page,
    // opens the flow again and answers there. That is one cancellation, not an abandoned one and
    // an answered one: counted twice, it halved the save rate and doubled the reason.
    for (const source of ['events', 'rollups'])
      it(`[${source}] a flow the page reloaded on, opened again and answered, is one flow with that answer and one reason`, async () => {
        const other = collector.nextKey();
        const run = (person: string, runId: string, minute: number, event: string, props: Record<string, unknown> = {}) =>
          msg.track(person, event, t(`03-09T10:${String(minute).padStart(2, '0')}`), { runId, variant: 'offer', ...props });
        await seed(collector.url, other, [
          run('reloaded', 'p1', 0, 'Cancel Flow Started'),
          run('reloaded', 'p1', 1, 'Cancel Reason Selected', { reasonId: 'too-expensive' }),
          // the page reloaded; twice, even
          run('reloaded', 'p2', 3, 'Cancel Flow Started'),
          run('reloaded', 'p3', 5, 'Cancel Flow Started'),
          run('reloaded', 'p3', 6, 'Cancel Reason Selected', { reasonId: 'too-expensive' }),
          run('reloaded', 'p3', 7, 'Cancel Flow Completed', { reasonId: 'too-expensive', outcome: 'kept' }),
          // closing the flow is an answer: the one opened again after it is a flow of its own
          run('closed-then-kept', 'q1', 0, 'Cancel Flow Started'),
          run('closed-then-kept', 'q1', 1, 'Cancel Reason Selected', { reasonId: 'not-using' }),
          run('closed-then-kept', 'q1', 2, 'Cancel Flow Completed', { reasonId: 'not-using', outcome: 'abandoned' }),
          run('closed-then-kept', 'q2', 3, 'Cancel Flow Started'),
          run('closed-then-kept', 'q2', 4, 'Cancel Flow Completed', { outcome: 'kept' }),
          // a flow left unanswered, and the flow opened the next day: two flows
          run('came-back-later', 'x1', 0, 'Cancel Flow Started'),
          msg.track('came-back-later', 'Cancel Flow Started', t('03-10T10:00'), { runId: 'x2', variant: 'offer' }),
          msg.track('came-back-later', 'Cancel Flow Completed', t('03-10T10:01'), { runId: 'x2', variant: 'offer', outcome: 'cancelled' }),
        ]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', other, { ...range, source });
        expect(result.sessions).toBe(5);
        expect(result.outcomes).toEqual({ saved: 0, kept: 2, lapsed: 0, contacted: 0, cancelled: 1, abandoned: 2 });
        expect(result.reasons).toEqual([
          { reasonId: 'not-using', sessions: 1, share: 0.5, saved: 0, kept: 0, saveRate: 0 },
          { reasonId: 'too-expensive', sessions: 1, share: 0.5, saved: 0, kept: 1, saveRate: 1 },
        ]);
      });

    for (const source of ['events', 'rollups'])
      it(`[${source}] a flow closed on the spinner whose offer the server then applied is saved, even after the next flow started`, async () => {
        const other = collector.nextKey();
        const at = (minute: number) => t(`03-10T10:0${minute}`);
        await seed(collector.url, other, [
          msg.track('closed-on-spinner', 'Cancel Flow Started', at(0), { runId: 'r1', variant: 'offer' }),
          msg.track('closed-on-spinner', 'Cancel Offer Accepted', at(1), { runId: 'r1', variant: 'offer', offerId: 'discount-30', offerKind: 'discount' }),
          msg.track('closed-on-spinner', 'Cancel Flow Completed', at(2), { runId: 'r1', variant: 'offer', outcome: 'abandoned' }),
          // the user opened the flow again; then the first run's discount came through
          msg.track('closed-on-spinner', 'Cancel Flow Started', at(3), { runId: 'r2', variant: 'offer' }),
          msg.track('closed-on-spinner', 'Cancel Flow Completed', at(4), { runId: 'r1', variant: 'offer', outcome: 'saved', applied: true }),
          msg.track('closed-on-spinner', 'Cancel Flow Completed', at(5), { runId: 'r2', variant: 'offer', outcome: 'cancelled' }),
        ]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', other, { ...range, source });
        // r1 saved, then cancelled within the window in r2: lapsed; r2 cancelled
        expect(result.outcomes).toEqual({ saved: 0, kept: 0, lapsed: 1, contacted: 0, cancelled: 1, abandoned: 0 });
      });

    // The SDK's side of it: a tab that applies another run's unanswered take (its tab closed on the
    // spinner) says that run saved too, as its tab would have, beside its own run's save.
    for (const source of ['events', 'rollups'])
      it(`[${source}] one discount taken in a run whose tab went, then applied in a later run, is one flow saved by one offer, not two saves`, async () => {
        const other = collector.nextKey();
        const discount = { variant: 'offer', offerId: 'discount-30', offerKind: 'discount' };
        await seed(collector.url, other, [
          msg.track('took-it-twice', 'Cancel Flow Started', t('03-10T10:00'), { runId: 'r1', variant: 'offer' }),
          msg.track('took-it-twice', 'Cancel Offer Accepted', t('03-10T10:01'), { runId: 'r1', ...discount }),
          msg.track('took-it-twice', 'Cancel Flow Started', t('03-10T13:00'), { runId: 'r2', variant: 'offer' }),
          msg.track('took-it-twice', 'Cancel Offer Accepted', t('03-10T13:01'), { runId: 'r2', ...discount }),
          msg.track('took-it-twice', 'Cancel Flow Completed', t('03-10T13:02'), { runId: 'r1', ...discount, outcome: 'saved', applied: true }),
          msg.track('took-it-twice', 'Cancel Flow Completed', t('03-10T13:02'), { runId: 'r2', ...discount, outcome: 'saved', applied: true }),
        ]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', other, { ...range, source });
        expect(result.sessions).toBe(1);
        expect(result.outcomes).toEqual({ saved: 1, kept: 0, lapsed: 0, contacted: 0, cancelled: 0, abandoned: 0 });
      });

    // A month's report is final once the month is over: a flow that started on its last evening
    // and ended after midnight belongs to that month (it started there) and to no other.
    for (const source of ['events', 'rollups'])
      it(`[${source}] a flow started before the range ends and answered after it counts with its answer, a pause taken past midnight included`, async () => {
        const other = collector.nextKey();
        const run = (person: string, runId: string, when: string, event: string, props: Record<string, unknown> = {}) =>
          msg.track(person, event, `2026-${when}.000Z`, { runId, variant: 'offer', ...props });
        const discount = { offerId: 'discount-30', offerKind: 'discount' };
        const pause = { offerId: 'pause', offerKind: 'pause' };
        await seed(collector.url, other, [
          // the discount the vendor's server applied 30 seconds after midnight
          run('saved-past-midnight', 'm1', '03-31T23:58:00', 'Cancel Flow Started'),
          run('saved-past-midnight', 'm1', '03-31T23:59:00', 'Cancel Offer Accepted', discount),
          run('saved-past-midnight', 'm1', '04-01T00:00:30', 'Cancel Flow Completed', { ...discount, outcome: 'saved', applied: true }),
          // confirmed a minute after midnight, from the pro plan, which the vendor's billing then made free
          run('cancelled-past-midnight', 'm2', '03-31T23:58:00', 'Cancel Flow Started'),
          run('cancelled-past-midnight', 'm2', '04-01T00:01:00', 'Cancel Flow Completed', { outcome: 'cancelled', traits: { plan: 'pro' } }),
          msg.identify('cancelled-past-midnight', { plan: 'free' }, '2026-04-01T00:02:00.000Z'),
          // a pause taken past midnight until 2 April, and cancelled within a day of billing resuming
          run('paused-past-midnight', 'm3', '03-31T23:58:00', 'Cancel Flow Started'),
          run('paused-past-midnight', 'm3', '03-31T23:59:00', 'Cancel Offer Accepted', pause),
          msg.track('paused-past-midnight', 'Pause Offer Accepted', '2026-04-01T00:00:30.000Z', { offerId: 'pause', resumesAt: '2026-04-02', source: 'cancel-flow', applied: true }),
          run('paused-past-midnight', 'm3', '04-01T00:00:30', 'Cancel Flow Completed', { ...pause, outcome: 'saved', applied: true }),
          run('paused-past-midnight', 'm4', '04-02T12:00:00', 'Cancel Flow Started'),
          run('paused-past-midnight', 'm4', '04-02T12:01:00', 'Cancel Flow Completed', { outcome: 'cancelled' }),
        ]);
        // a window of one day: from the pause's end, the cancellation on 2 April is within it (from the flow's start, it is not)
        const march = await getInsight<ChurnInsight>(collector.url, 'churn', other, { ...range, saveWindow: '1', source });
        expect(march.sessions).toBe(3);
        expect(march.outcomes).toEqual({ saved: 1, kept: 0, lapsed: 1, contacted: 0, cancelled: 1, abandoned: 0 });
        expect(march.acceptedOffers).toEqual([{ offerKind: 'discount', count: 1 }, { offerKind: 'pause', count: 1 }]);
        expect(march.bySegment.values.filter((v) => v.cancelled)).toEqual([{ value: 'pro', activeUsers: 1, cancelled: 1, churnRate: 1 }]);
        // and April has only the flow started in April
        const april = await getInsight<ChurnInsight>(collector.url, 'churn', other, { from: '2026-04-01', to: '2026-04-09', source });
        expect(april.sessions).toBe(1);
      });

    it('works out again, in migration 74, the flows a collector stored before it read runId', async () => {
      const other = collector.nextKey();
      const run = (runId: string, minute: number, event: string, props: Record<string, unknown> = {}) =>
        msg.track('stored-before', event, t(`03-09T10:0${minute}`), { runId, variant: 'offer', ...props });
      await seed(collector.url, other, [
        run('a', 0, 'Cancel Flow Started'),
        run('b', 1, 'Cancel Flow Started'),
        run('a', 2, 'Cancel Flow Completed', { outcome: 'cancelled' }),
        run('b', 3, 'Cancel Flow Completed', { outcome: 'abandoned' }),
      ]);
      // stored and rolled up (a read waits for that), then put back as an older collector stored
      // them: one flow per Started, tab A's cancellation in B's flow
      await getInsight<ChurnInsight>(collector.url, 'churn', other, { ...range, source: 'rollups' });
      await collector.db.query('delete from rollup_cancel_sessions where write_key = $1', [other]);
      await collector.db.query(
        `insert into rollup_cancel_sessions (write_key, identity, person, session_no, started_at, last_ts, variant, outcome)
         select $1, mode, 'stored-before', n, $2::timestamptz + (n - 1) * interval '1 minute', $2::timestamptz + (n * 3 - 3) * interval '1 minute', 'offer', 'abandoned'
         from (values ('all'), ('verified')) m(mode), generate_series(1, 2) n`,
        [other, t('03-09T10:00')],
      );
      const before = await getInsight<ChurnInsight>(collector.url, 'churn', other, { ...range, source: 'rollups' });
      expect(before.outcomes).toMatchObject({ cancelled: 0, abandoned: 2 });
      await collector.db.query('delete from linger_migrations where id = 74');
      expect(await migrate(collector.db)).toEqual([74]);
      const after = await getInsight<ChurnInsight>(collector.url, 'churn', other, { ...range, source: 'rollups' });
      expect(after.outcomes).toMatchObject({ cancelled: 1, abandoned: 1 });
    });

    it('explains a window it cannot use', async () => {
      await expect(getInsight(collector.url, 'churn', key, { ...range, saveWindow: 'soon' })).rejects.toThrow(/400.*saveWindow: expected whole days from 1 to 365, got soon/);
    });
  });
}

/**
 * A cancel flow whose pause offer the customer took, as the SDK reports it once the vendor's
 * handler put the pause in place (experiences/cancel.ts announceApplied).
 */
function pausedFlow(person: string, day: string, runId: string, pause: { months?: number; resumesAt?: string }): Json[] {
  const at = (minute: number) => t(`${day}T10:0${minute}`);
  const run = { runId, flowId: 'cancel', variant: 'offer' };
  const offer = { offerId: 'pause', offerKind: 'pause' };
  return [
    msg.track(person, 'Cancel Flow Started', at(0), run),
    msg.track(person, 'Cancel Reason Selected', at(1), { ...run, reasonId: 'too-expensive' }),
    msg.track(person, 'Cancel Offer Shown', at(2), { ...run, ...offer }),
    msg.track(person, 'Cancel Offer Accepted', at(3), { ...run, ...offer }),
    msg.track(person, 'Pause Offer Accepted', at(4), { offerId: 'pause', ...pause, source: 'cancel-flow', applied: true }),
    msg.track(person, 'Cancel Flow Completed', at(4), { ...run, ...offer, outcome: 'saved', applied: true }),
  ];
}

/** The same person back later to cancel for good. */
const cancelsOn = (person: string, day: string, runId: string): Json[] => [
  msg.track(person, 'Cancel Flow Started', t(`${day}T10:00`), { runId, flowId: 'cancel', variant: 'offer' }),
  msg.track(person, 'Cancel Flow Completed', t(`${day}T10:05`), { runId, flowId: 'cancel', variant: 'offer', outcome: 'cancelled' }),
];

// A paused customer pays nothing and cannot cancel what is not billing: their staying only
// starts to mean something once the pause ends. Counted from the flow, a three-month pause
// outlasts any save window and reads as a save whatever the customer does next.
for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`a pause taken in the cancel flow, on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, now: () => new Date(t('07-01T00:00')) });
    });
    afterAll(async () => {
      await collector?.close();
    });

    for (const source of ['events', 'rollups'])
      it(`[${source}] a customer who paused for three months and cancelled the day billing resumed was never saved`, async () => {
        const key = collector.nextKey();
        await seed(collector.url, key, [
          ...pausedFlow('payer', '03-01', 'r1', { months: 3, resumesAt: '2026-06-01' }),
          ...cancelsOn('payer', '06-02', 'r2'),
        ]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source });
        expect(result.outcomes).toEqual({ saved: 0, kept: 0, lapsed: 1, contacted: 0, cancelled: 0, abandoned: 0 });
        expect(result.saveRate).toBe(0);
        expect(result.savedPending).toBe(0);
        // the pause did take: it was in place, then lapsed
        expect(result.acceptedOffers).toEqual([{ offerKind: 'pause', count: 1 }]);
      });

    for (const source of ['events', 'rollups'])
      it(`[${source}] a paused customer still there a save window after billing resumed is saved; one who left within it lapsed`, async () => {
        const key = collector.nextKey();
        await seed(collector.url, key, [
          ...pausedFlow('stayed-through', '03-02', 'r1', { months: 1, resumesAt: '2026-04-02' }),
          ...pausedFlow('left-after-resuming', '03-02', 'r1', { months: 1, resumesAt: '2026-04-02' }),
          // past 30 days from the flow, but 18 days into paying again
          ...cancelsOn('left-after-resuming', '04-20', 'r2'),
        ]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source });
        expect(result.outcomes).toEqual({ saved: 1, kept: 0, lapsed: 1, contacted: 0, cancelled: 0, abandoned: 0 });
        expect(result.saveRate).toBe(0.5);
        expect(result.savedPending).toBe(0);
      });

    for (const source of ['events', 'rollups'])
      it(`[${source}] a customer still on their pause is staying so far, not saved for good`, async () => {
        const key = collector.nextKey();
        await seed(collector.url, key, [...pausedFlow('still-paused', '03-03', 'r1', { months: 6, resumesAt: '2026-09-03' })]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source });
        expect(result.outcomes).toEqual({ saved: 1, kept: 0, lapsed: 0, contacted: 0, cancelled: 0, abandoned: 0 });
        expect(result.saveRate).toBe(1);
        expect(result.savedPending).toBe(1);
      });

    for (const source of ['events', 'rollups'])
      it(`[${source}] a discount the vendor refused, then a pause taken in the same flow: the save is the pause's, judged from its end`, async () => {
        const key = collector.nextKey();
        const run = { runId: 'r1', flowId: 'cancel', variant: 'offer' };
        const discount = { offerId: 'half-off', offerKind: 'discount' };
        const at = (minute: number) => t(`03-05T10:0${minute}`);
        await seed(collector.url, key, [
          msg.track('switcher', 'Cancel Flow Started', at(0), run),
          msg.track('switcher', 'Cancel Reason Selected', at(1), { ...run, reasonId: 'too-expensive' }),
          msg.track('switcher', 'Cancel Offer Shown', at(2), { ...run, ...discount }),
          // the vendor's server refused the discount (the SDK says no save), and the user went back
          msg.track('switcher', 'Cancel Offer Accepted', at(3), { ...run, ...discount }),
          ...pausedFlow('switcher', '03-05', 'r1', { months: 3, resumesAt: '2026-06-05' }).slice(2).map((e, i) => ({ ...e, timestamp: t(`03-05T10:1${i}`) })),
          // gone the day after billing resumed
          ...cancelsOn('switcher', '06-06', 'r2'),
        ]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source });
        expect(result.acceptedOffers).toEqual([{ offerKind: 'pause', count: 1 }]);
        expect(result.outcomes).toEqual({ saved: 0, kept: 0, lapsed: 1, contacted: 0, cancelled: 0, abandoned: 0 });
        if (source === 'events') return;
        // flows a collector stored before it credited the save's own offer: worked out again in migration 82
        await collector.db.query(`update rollup_cancel_sessions set accepted_offer = 'discount' where write_key = $1`, [key]);
        const before = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source });
        expect(before.acceptedOffers).toEqual([{ offerKind: 'discount', count: 1 }]);
        await collector.db.query('delete from linger_migrations where id = 82');
        expect(await migrate(collector.db)).toEqual([82]);
        const after = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source });
        expect(after.acceptedOffers).toEqual([{ offerKind: 'pause', count: 1 }]);
      });

    for (const source of ['events', 'rollups'])
      it(`[${source}] a discount the vendor refused, then "Keep my subscription", then a cancellation: no offer was taken`, async () => {
        const key = collector.nextKey();
        const run = { runId: 'r1', flowId: 'cancel', variant: 'offer' };
        const discount = { offerId: 'half-off', offerKind: 'discount' };
        const at = (minute: number) => t(`03-05T10:0${minute}`);
        await seed(collector.url, key, [
          msg.track('refused', 'Cancel Flow Started', at(0), run),
          msg.track('refused', 'Cancel Reason Selected', at(1), { ...run, reasonId: 'too-expensive' }),
          msg.track('refused', 'Cancel Offer Shown', at(2), { ...run, ...discount }),
          // the vendor's server refused it (no saved completion); the user went back, declined, and stayed
          msg.track('refused', 'Cancel Offer Accepted', at(3), { ...run, ...discount }),
          msg.track('refused', 'Cancel Flow Completed', at(4), { ...run, ...discount, outcome: 'kept' }),
          ...cancelsOn('refused', '03-20', 'r2'),
        ]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source });
        expect(result.outcomes).toEqual({ saved: 0, kept: 0, lapsed: 1, contacted: 0, cancelled: 1, abandoned: 0 });
        expect(result.acceptedOffers).toEqual([]);
      });

    for (const source of ['events', 'rollups'])
      it(`[${source}] a pause another tab's flow took is that flow's save, not the one whose minutes it fell in`, async () => {
        const key = collector.nextKey();
        const runOf = (runId: string, offerId: string) => ({ runId, flowId: 'cancel', variant: 'offer', offerId, offerKind: 'pause' });
        const a = runOf('tab-a', 'pause-1m');
        const b = runOf('tab-b', 'pause-6m');
        const at = (minute: number) => t(`03-02T10:0${minute}`);
        await seed(collector.url, key, [
          msg.track('two-tabs', 'Cancel Flow Started', at(0), a),
          msg.track('two-tabs', 'Cancel Flow Started', at(1), b),
          // tab A: a month's pause, in place until April 2nd
          msg.track('two-tabs', 'Pause Offer Accepted', at(4), { offerId: 'pause-1m', months: 1, resumesAt: '2026-04-02', source: 'cancel-flow', runId: 'tab-a', applied: true }),
          // tab B: six months, within tab A's flow by the clock
          msg.track('two-tabs', 'Pause Offer Accepted', at(6), { offerId: 'pause-6m', months: 6, resumesAt: '2026-09-02', source: 'cancel-flow', runId: 'tab-b', applied: true }),
          msg.track('two-tabs', 'Cancel Flow Completed', at(6), { ...b, outcome: 'saved', applied: true }),
          msg.track('two-tabs', 'Cancel Flow Completed', at(7), { ...a, outcome: 'saved', applied: true }),
        ]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source });
        expect(result.outcomes).toEqual({ saved: 2, kept: 0, lapsed: 0, contacted: 0, cancelled: 0, abandoned: 0 });
        // tab A's month ended in April and its window in May: saved for good; tab B's pause runs to September
        expect(result.savedPending).toBe(1);
        if (source === 'events') return;
        // flows a collector stored before it kept their run ids: worked out again in migration 99
        await collector.db.query('update rollup_cancel_sessions set run_ids = null where write_key = $1', [key]);
        // without them, neither pause is tied to its flow: both read as judged from the flow's start
        expect((await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source })).savedPending).toBe(0);
        await collector.db.query('delete from linger_migrations where id = 99');
        expect(await migrate(collector.db)).toEqual([99]);
        expect((await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source })).savedPending).toBe(1);
      });

    it('upgrades a collector from before migration 96 working out the saved customers\' flows once, to the numbers a fresh one gives', async () => {
      const key = collector.nextKey();
      await seed(collector.url, key, [
        ...pausedFlow('paused-then-left', '03-04', 'r1', { months: 1, resumesAt: '2026-04-04' }),
        ...cancelsOn('paused-then-left', '04-20', 'r2'),
        ...pausedFlow('still-here', '03-05', 'r1', { months: 1, resumesAt: '2026-04-05' }),
      ]);
      const fresh = await getInsight<ChurnInsight>(collector.url, 'churn', key, range);
      expect(fresh.outcomes).toMatchObject({ saved: 1, lapsed: 1 });
      // as a collector from before 96 and 99 left its flows
      await collector.db.query('update rollup_cancel_sessions set run_ids = null where write_key = $1', [key]);
      await collector.db.query('delete from linger_migrations where id in (96, 99)');
      // Each working out of the saved customers' flows writes them again: on a vendor's history that
      // is minutes of a 503ing collector, so the upgrade must do it once.
      let flowsWritten = 0;
      const db = collector.db;
      const counting: Database = {
        engine: db.engine,
        query: (sql, params, options) => db.query(sql, params, options),
        transaction: (fn) => db.transaction((tx) => fn({
          query: (sql, params, options) => {
            if (/insert into rollup_cancel_sessions/.test(sql)) flowsWritten++;
            return tx.query(sql, params, options);
          },
        })),
        close: () => db.close(),
      };
      expect(await migrate(counting)).toEqual([96, 99]);
      expect(flowsWritten).toBe(1);
      expect(await getInsight<ChurnInsight>(collector.url, 'churn', key, range)).toEqual(fresh);
    });

    for (const source of ['events', 'rollups'])
      it(`[${source}] a pause sent without resumesAt runs its months from when it was taken; one of unreadable length is judged from the flow`, async () => {
        const key = collector.nextKey();
        await seed(collector.url, key, [
          // paused until May 4th, gone 16 days later
          ...pausedFlow('months-only', '03-04', 'r1', { months: 2 }),
          ...cancelsOn('months-only', '05-20', 'r2'),
          // nothing says when this one resumes: the window runs from the flow, as before pauses counted
          ...pausedFlow('unknown-length', '03-04', 'r1', { resumesAt: 'when-ready' }),
          ...cancelsOn('unknown-length', '05-20', 'r2'),
        ]);
        const result = await getInsight<ChurnInsight>(collector.url, 'churn', key, { ...range, source });
        expect(result.outcomes).toEqual({ saved: 1, kept: 0, lapsed: 1, contacted: 0, cancelled: 0, abandoned: 0 });
        expect(result.savedPending).toBe(0);
      });
  });
}
