import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildRollups } from '../db/rollups.ts';
import { userHashFor } from '../ingest/user-hash.ts';
import { defaultFlowsPath, packageRoot } from '../paths.ts';
import { engines, engineTitle } from '../test-support/engines.ts';
import { getInsight, msg, seed, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';
import { insights } from './registry.ts';

const DAY = 86_400_000;
const dayText = (time: number) => new Date(time).toISOString().slice(0, 10);

/** Every insight, for a few ranges and segments, both identity modes, as the dashboard asks for them. */
function questions(now: number): Record<string, string>[] {
  const today = Math.floor(now / DAY) * DAY;
  const ranges: Record<string, string>[] = [
    {},
    { from: dayText(today - 6 * DAY), to: dayText(today) },
    { from: dayText(today - 89 * DAY), to: dayText(today) },
    { from: dayText(today - 30 * DAY), to: dayText(today - 17 * DAY) },
  ];
  const segments: Record<string, string>[] = [{}, { segment: 'plan:pro' }, { segment: 'industry:retail' }];
  const identities: Record<string, string>[] = [{}, { identity: 'all' }];
  return ranges.flatMap((range) => segments.flatMap((segment) => identities.map((identity) => ({ ...range, ...segment, ...identity }))));
}

/** Each question's insights asked at once, as the dashboard loads its cards: the database works while the answers are read. */
async function answers(url: string, key: string, source?: 'events', asked = questions(Date.now())): Promise<Json[]> {
  const all: Json[] = [];
  for (const params of asked) {
    all.push(...(await Promise.all(Object.keys(insights).map(async (name) => {
      const { source: used, ...answer } = await getInsight(url, name, key, source ? { ...params, source } : params);
      return { name, params, used, answer };
    }))));
  }
  return all;
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`insights from rollups on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    const [key] = uniqueKeys(1) as [string];
    const secret = 'rollup-test-secret';
    const forged = { context: { userHash: userHashFor('a guess', 'x') } };
    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, keys: [key], secrets: { [key]: secret }, flowsPath: defaultFlowsPath });
      // The demo's realistic history: anonymous pages before identify, accounts, every event kind,
      // identified events signed with the key's secret (verified).
      await promisify(execFile)(process.execPath, [
        join(packageRoot, 'scripts', 'seed.mjs'), '--url', collector.url, '--key', key, '--secret', secret, '--users', '70', '--days', '100', '--quiet',
      ]);
      // and a visitor who never identifies, and one identified only after days of anonymous use
      const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
      // `hours` from the end of the range that `questions` ends on the day 17 days ago
      const rangeEnd = (hours: number) => new Date((Math.floor(Date.now() / DAY) - 16) * DAY + hours * 3_600_000).toISOString();
      await seed(collector.url, key, [
        { type: 'page', name: 'Pricing', anonymousId: 'anon-visitor', timestamp: ago(3), messageId: 'v1' },
        { type: 'track', event: 'Feature Used', properties: { feature: 'search' }, anonymousId: 'anon-late', timestamp: ago(12), messageId: 'l1' },
        { type: 'track', event: 'Survey Answered', properties: { surveyId: 'nps', kind: 'nps', score: 4 }, anonymousId: 'anon-late', timestamp: ago(11), messageId: 'l2' },
        // a showing named by its responseId (as the SDK sends it) in the last hour of a range the
        // questions end with, answered in the first hour after it
        { type: 'track', event: 'Survey Shown', properties: { surveyId: 'nps', kind: 'nps', responseId: 'r-late' }, anonymousId: 'anon-late', timestamp: rangeEnd(-1), messageId: 'l3' },
        { type: 'track', event: 'Survey Answered', properties: { surveyId: 'nps', kind: 'nps', score: 9, responseId: 'r-late' }, anonymousId: 'anon-late', timestamp: rangeEnd(1), messageId: 'l4' },
        { ...msg.identify('late-user', { plan: 'pro' }, ago(2), { context: { userHash: userHashFor(secret, 'late-user') } }), anonymousId: 'anon-late' },
      ]);
      // Unverified events (the userHash does not match): counted only with ?identity=all. One
      // claims a stranger, the other a real seeded user, so a person's days split between both.
      const seededUser = (await collector.db.query<{ user_id: string }>(
        'select user_id from events where write_key = $1 and verified order by id limit 1', [key],
      )).rows[0]!.user_id;
      const unverified = (userId: string, n: number) => [
        { ...msg.identify(userId, { plan: 'pro' }, ago(n + 1)), ...forged },
        { ...msg.track(userId, 'Feature Used', ago(n), { feature: 'export' }), ...forged },
        { ...msg.track(userId, 'Feature Used', ago(n + 8), { feature: 'forged-feature' }), ...forged },
        { ...msg.track(userId, 'Survey Shown', ago(n), { surveyId: 'nps' }), ...forged },
        { ...msg.track(userId, 'Survey Answered', ago(n), { surveyId: 'nps', kind: 'nps', score: 0, responseId: `forged-${userId}` }), ...forged },
        { ...msg.track(userId, 'Badge Earned', ago(n), { badgeId: 'forged-badge' }), ...forged },
        { ...msg.track(userId, 'Tour Step Viewed', ago(n), { tourId: 'welcome', stepIndex: 1 }), ...forged },
        { ...msg.track(userId, 'Cancel Flow Started', ago(n)), ...forged },
        { ...msg.track(userId, 'Cancel Offer Accepted', ago(n), { offerKind: 'discount' }), ...forged },
        { ...msg.track(userId, 'Cancel Flow Completed', ago(n), { outcome: 'saved' }), ...forged },
        { ...msg.track(userId, 'Checklist Completed', ago(n), { checklistId: 'onboarding' }), ...forged },
      ];
      await seed(collector.url, key, [...unverified('stranger', 4), ...unverified(seededUser, 5)]);
    }, 300_000);
    afterAll(async () => {
      await collector?.close();
    });

    it('answers every insight, range and segment exactly as the raw events do', async () => {
      const fromRollups = await answers(collector.url, key);
      const fromEvents = await answers(collector.url, key, 'events');
      expect(fromRollups.every((a) => a['used'] === 'rollups')).toBe(true);
      expect(fromEvents.every((a) => a['used'] === 'events')).toBe(true);
      const strip = (list: Json[]) => list.map(({ used: _used, ...rest }) => rest);
      expect(strip(fromRollups)).toEqual(strip(fromEvents));
      // the data is rich enough for the comparison to mean something
      const adoption = fromEvents.find((a) => a['name'] === 'adoption')?.['answer'] as { summary: { activeUsers: number }; features: unknown[] };
      expect(adoption.summary.activeUsers).toBeGreaterThan(20);
      expect(adoption.features.length).toBeGreaterThan(3);
      const reviews = fromEvents.find((a) => a['name'] === 'value-reviews')?.['answer'] as { reviews: { due: number; activeAfter: number }[] };
      expect(reviews.reviews[0]?.activeAfter).toBeGreaterThan(5);
      const boards = fromEvents.find((a) => a['name'] === 'leaderboards')?.['answer'] as { total: { due: number; earnedAfter: number } };
      expect(boards.total.due).toBeGreaterThan(5);
      // and the unverified events make `identity=all` a different question, answered alike
      const adoptionFor = (params: Json) =>
        fromRollups.find((a) => a['name'] === 'adoption' && JSON.stringify(a['params']) === JSON.stringify(params))?.['answer'] as Json;
      const verifiedOnly = adoptionFor({});
      const all = adoptionFor({ identity: 'all' });
      expect((verifiedOnly['identity'] as Json)['unverifiedEvents']).toBeGreaterThan(10);
      expect((all['summary'] as Json)['activeUsers']).toBeGreaterThan((verifiedOnly['summary'] as Json)['activeUsers'] as number);
    }, 300_000); // every insight, range and segment: 20 s alone on the 2-core machine, over 200 s at a load average of 30

    it('gives a visitor\'s earlier days to the user an identify links them to, after those days were rolled up', async () => {
      const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
      const signed = { context: { userHash: userHashFor(secret, 'merged-user') } };
      await seed(collector.url, key, [
        msg.track('merged-user', 'Feature Used', ago(5), { feature: 'merge-check' }, signed),
        { type: 'track', event: 'Feature Used', properties: { feature: 'merge-check' }, anonymousId: 'anon-merged', timestamp: ago(5), messageId: 'm1' },
        { type: 'track', event: 'Feature Used', properties: { feature: 'merge-check' }, anonymousId: 'anon-merged', timestamp: ago(9), messageId: 'm2' },
      ]);
      type Adoption = { features: { feature: string; users: number }[]; summary: { activeUsers: number } };
      const mergeCheck = (answer: Adoption) => answer.features.find((f) => f.feature === 'merge-check')?.users;
      // folded while the visitor is still a stranger: two people
      const before = await getInsight<Adoption>(collector.url, 'adoption', key, {});
      expect(mergeCheck(before)).toBe(2);
      await seed(collector.url, key, [{ ...msg.identify('merged-user', {}, ago(1), signed), anonymousId: 'anon-merged' }]);
      const after = await getInsight<Adoption>(collector.url, 'adoption', key, {});
      expect(mergeCheck(after)).toBe(1);
      expect(after.summary.activeUsers).toBe(before.summary.activeUsers - 1);
      const asked = questions(Date.now());
      const strip = (list: Json[]) => list.map(({ used: _used, ...rest }) => rest);
      expect(strip(await answers(collector.url, key, undefined, asked))).toEqual(strip(await answers(collector.url, key, 'events', asked)));
    }, 300_000); // every insight, range and segment again, as the first test

    it('moves a person\'s days when they come back, when an older event arrives late, and when a visitor is linked', async () => {
      const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
      const signed = (user: string) => ({ context: { userHash: userHashFor(secret, user) } });
      type AtRisk = { users: { userId: string | null; reasons: string[]; activeDays: number; previousActiveDays: number; lastSeen: string }[] };
      type Activation = { newUsers: number };
      const thirtyDays = { from: dayText(Date.now() - 29 * DAY), to: dayText(Date.now()) };
      const find = (answer: AtRisk, person: string) => answer.users.find((u) => u.userId === person);
      // away for weeks: inactive
      await seed(collector.url, key, [
        msg.track('comeback-user', 'Feature Used', ago(40), { feature: 'search' }, signed('comeback-user')),
        msg.track('comeback-user', 'Feature Used', ago(38), { feature: 'search' }, signed('comeback-user')),
        msg.track('comeback-user', 'Feature Used', ago(20), { feature: 'search' }, signed('comeback-user')),
      ]);
      const away = await getInsight<AtRisk>(collector.url, 'at-risk', key, thirtyDays);
      expect(find(away, 'comeback-user')?.reasons).toContain('inactive-14d');
      // back today: no longer inactive, one more active day in the range
      await seed(collector.url, key, [msg.track('comeback-user', 'Feature Used', ago(0.5), { feature: 'search' }, signed('comeback-user'))]);
      const back = await getInsight<AtRisk>(collector.url, 'at-risk', key, thirtyDays);
      expect(find(back, 'comeback-user')?.reasons ?? []).not.toContain('inactive-14d');
      // a new user of the range, until an event from before it arrives late
      const newcomer = 'late-history-user';
      await seed(collector.url, key, [msg.track(newcomer, 'Feature Used', ago(3), { feature: 'search' }, signed(newcomer))]);
      const withNewcomer = await getInsight<Activation>(collector.url, 'activation', key, thirtyDays);
      await seed(collector.url, key, [msg.track(newcomer, 'Feature Used', ago(60), { feature: 'search' }, signed(newcomer))]);
      expect((await getInsight<Activation>(collector.url, 'activation', key, thirtyDays)).newUsers).toBe(withNewcomer.newUsers - 1);
      // a visitor whose earliest days were before the user's first day becomes that user
      const linked = 'linked-late-user';
      await seed(collector.url, key, [
        msg.track(linked, 'Feature Used', ago(2), { feature: 'search' }, signed(linked)),
        { type: 'track', event: 'Feature Used', properties: { feature: 'search' }, anonymousId: 'anon-early', timestamp: ago(50), messageId: 'e1' },
      ]);
      const beforeLink = await getInsight<Activation>(collector.url, 'activation', key, thirtyDays);
      await seed(collector.url, key, [{ ...msg.identify(linked, {}, ago(1), signed(linked)), anonymousId: 'anon-early' }]);
      // the user was new in the range; with the visitor's days they were first seen 50 days ago
      expect((await getInsight<Activation>(collector.url, 'activation', key, thirtyDays)).newUsers).toBe(beforeLink.newUsers - 1);
      const asked = questions(Date.now());
      const strip = (list: Json[]) => list.map(({ used: _used, ...rest }) => rest);
      expect(strip(await answers(collector.url, key, undefined, asked))).toEqual(strip(await answers(collector.url, key, 'events', asked)));
    }, 300_000);

    it('times a checklist from the person\'s very first event, when an earlier one of that day arrives late and when a visitor is linked', async () => {
      const day = Math.floor(Date.now() / DAY) * DAY - 4 * DAY;
      const at = (hours: number) => new Date(day + hours * 3_600_000).toISOString();
      const signed = { context: { userHash: userHashFor(secret, 'timed-user') } };
      type Activation = { checklists: { id: string; completed: number; medianSecondsToComplete: number | null }[] };
      const range = { from: dayText(day - 10 * DAY), to: dayText(day + 5 * DAY) };
      const timed = async () => {
        const fromRollups = await getInsight<Activation>(collector.url, 'activation', key, range);
        const fromEvents = await getInsight<Activation>(collector.url, 'activation', key, { ...range, source: 'events' });
        const list = fromRollups.checklists.find((c) => c.id === 'first-seen-check');
        expect(list).toEqual(fromEvents.checklists.find((c) => c.id === 'first-seen-check'));
        return list?.medianSecondsToComplete;
      };
      // first seen at noon, done a day and a half later
      await seed(collector.url, key, [
        msg.track('timed-user', 'Feature Used', at(12), { feature: 'search' }, signed),
        msg.track('timed-user', 'Checklist Completed', at(48), { checklistId: 'first-seen-check' }, signed),
      ]);
      expect(await timed()).toBe(36 * 3600);
      // back three days later: a new day, the same first event
      await seed(collector.url, key, [msg.track('timed-user', 'Feature Used', at(72), { feature: 'search' }, signed)]);
      expect(await timed()).toBe(36 * 3600);
      // an event from 2 a.m. that day arrives late: no new day, an earlier first event
      await seed(collector.url, key, [msg.track('timed-user', 'Feature Used', at(2), { feature: 'search' }, signed)]);
      expect(await timed()).toBe(46 * 3600);
      // the visitor they were at 1 a.m. that day becomes them
      await seed(collector.url, key, [
        { type: 'page', name: 'Pricing', anonymousId: 'anon-timed', timestamp: at(1), messageId: 'timed-1' },
      ]);
      expect(await timed()).toBe(46 * 3600);
      await seed(collector.url, key, [{ ...msg.identify('timed-user', {}, at(60), signed), anonymousId: 'anon-timed' }]);
      expect(await timed()).toBe(47 * 3600);
      // and a rebuild finds the same time
      await collector.db.transaction((tx) => rebuildRollups(tx));
      expect(await timed()).toBe(47 * 3600);
    });

    it('works a person\'s cancellation flows and survey responses out again after a late event, a link, and at a range end that cuts them', async () => {
      const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
      const signed = { context: { userHash: userHashFor(secret, 'flow-user') } };
      const track = (event: string, days: number, properties: Record<string, unknown> = {}) => msg.track('flow-user', event, ago(days), properties, signed);
      const anonymous = (event: string, days: number, id: string, properties: Record<string, unknown> = {}) =>
        ({ type: 'track', event, properties, anonymousId: 'anon-flow', timestamp: ago(days), messageId: id });
      type Churn = { sessions: number; outcomes: { lapsed: number; cancelled: number } };
      type AtRisk = { users: { userId: string | null; reasons: string[] }[] };
      const range = { from: dayText(Date.now() - 29 * DAY), to: dayText(Date.now() + DAY) };
      // the range that ends 17 days ago cuts this flow (and this response) in two
      await seed(collector.url, key, [
        track('Cancel Flow Started', 18, { variant: 'offer' }),
        track('Cancel Offer Accepted', 18, { offerKind: 'pause' }),
        // the pause applied (the SDK says saved once the vendor's handler answered)
        track('Cancel Flow Completed', 17.5, { outcome: 'saved' }),
        track('Cancel Flow Completed', 16.5, { outcome: 'cancelled' }),
        track('Survey Answered', 18, { surveyId: 'nps', kind: 'nps', score: 2, responseId: 'flow-r1' }),
        track('Survey Answered', 16.5, { surveyId: 'nps', kind: 'nps', responseId: 'flow-r1', comment: 'Too slow' }),
      ]);
      const before = await getInsight<Churn>(collector.url, 'churn', key, range);
      // a second flow started in the middle of the first, arriving late: the offer the first one
      // accepted is a save, lapsed since the second one cancelled a day later
      await seed(collector.url, key, [track('Cancel Flow Started', 17, { variant: 'holdout' })]);
      const split = await getInsight<Churn>(collector.url, 'churn', key, range);
      expect(split.sessions).toBe(before.sessions + 1);
      expect(split.outcomes.lapsed).toBe(before.outcomes.lapsed + 1);
      expect(split.outcomes.cancelled).toBe(before.outcomes.cancelled);
      // a visitor saved by an offer, who gave a 10: linked to the user, that is their latest flow and score
      await seed(collector.url, key, [
        anonymous('Cancel Flow Started', 3, 'af1'),
        anonymous('Cancel Offer Accepted', 3, 'af2', { offerKind: 'discount' }),
        anonymous('Cancel Flow Completed', 3, 'af3', { outcome: 'saved' }),
        anonymous('Survey Answered', 3, 'af4', { surveyId: 'nps', kind: 'nps', score: 10, responseId: 'flow-r2' }),
      ]);
      const flowUser = async () => (await getInsight<AtRisk>(collector.url, 'at-risk', key, range)).users.find((u) => u.userId === 'flow-user');
      // cancelled: churned, not at risk
      expect(await flowUser()).toBeUndefined();
      await seed(collector.url, key, [{ ...msg.identify('flow-user', {}, ago(1), signed), anonymousId: 'anon-flow' }]);
      expect((await flowUser())?.reasons).toEqual(['cancel-flow-opened']);
      const asked = questions(Date.now());
      const strip = (list: Json[]) => list.map(({ used: _used, ...rest }) => rest);
      expect(strip(await answers(collector.url, key, undefined, asked))).toEqual(strip(await answers(collector.url, key, 'events', asked)));
    }, 300_000);

    it('reads a range that does not start at midnight UTC from the raw events', async () => {
      const answer = await getInsight(collector.url, 'adoption', key, { from: '2026-03-01T12:00:00Z', to: '2026-03-05' });
      expect(answer['source']).toBe('events');
    });

    it('rebuilds the rollups from the raw events to the same answers', async () => {
      const asked = questions(Date.now()).filter((q) => !q['segment']);
      const before = await answers(collector.url, key, undefined, asked);
      await collector.db.query('delete from rollup_activity where write_key = $1', [key]);
      expect(await answers(collector.url, key, undefined, asked)).not.toEqual(before);
      await collector.db.transaction((tx) => rebuildRollups(tx));
      expect(await answers(collector.url, key, undefined, asked)).toEqual(before);
    });

    it('leaves someone out of a past range\'s at-risk people when they were away all through it and its period before, and came back after', async () => {
      const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
      const signed = { context: { userHash: userHashFor(secret, 'gap-user') } };
      // active 70 days ago and 2 days ago: nothing in the 13 days to 17 days ago nor the 13 before
      await seed(collector.url, key, [
        msg.track('gap-user', 'Feature Used', ago(70), { feature: 'search' }, signed),
        msg.track('gap-user', 'Feature Used', ago(2), { feature: 'search' }, signed),
      ]);
      type AtRisk = { population: number; users: { userId: string | null }[] };
      const today = Math.floor(Date.now() / DAY) * DAY;
      const past = { from: dayText(today - 30 * DAY), to: dayText(today - 17 * DAY) };
      const fromRollups = await getInsight<AtRisk>(collector.url, 'at-risk', key, past);
      const fromEvents = await getInsight<AtRisk>(collector.url, 'at-risk', key, { ...past, source: 'events' });
      expect(fromRollups.users.some((u) => u.userId === 'gap-user')).toBe(false);
      expect(fromRollups.population).toBe(fromEvents.population);
      expect(fromRollups.users).toEqual(fromEvents.users);
    });

    // A refresh looks only at what ingestion queues (staged events, identity links) before it
    // folds: work left in the other queues would wait, uncounted, for the next batch.
    it('leaves no work queued between refreshes after events, late events, links and a rebuild', async () => {
      await getInsight(collector.url, 'adoption', key, {});
      const left = await collector.db.query<{ days: number; people: number }>(
        'select (select count(*)::int from rollup_person_work) as days, (select count(*)::int from rollup_fact_work) as people',
      );
      expect(left.rows[0]).toEqual({ days: 0, people: 0 });
    });
  });
}
