import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { msg, readAuth, seed, startTestCollector, type Json, type TestCollector } from '../test-support/fixture.ts';

const t = (when: string) => `2026-${when}:00.000Z`;
const range = { from: '2026-03-01', to: '2026-03-31' };

/** The raw text of an API answer: what a vendor's BI script (or a CSV export of it) receives. */
async function rawApi(url: string, path: string): Promise<string> {
  const res = await fetch(`${url}${path}`, { headers: readAuth(url) });
  expect(res.status, path).toBe(200);
  return res.text();
}

// The story: a vendor's BI script reads the at-risk list, the survey comments and the live events
// and joins them to its customer table by user id. An anonymous visitor whose anonymousId is
// "u_42" and the user u_42 are two people; the script must tell them apart without a control
// character in any id.
for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`the people of the insights API, for API clients, on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    let key: string;
    const visitor = (m: Json): Json => ({ ...m, userId: undefined, anonymousId: 'u_42' });

    beforeAll(async () => {
      collector = await startTestCollector({ ...engine.options, now: () => new Date(t('04-01T00:00')) });
      key = collector.nextKey();
      await seed(collector.url, key, [
        visitor(msg.page('x', t('03-02T09:00'))),
        visitor(msg.track('x', 'Survey Answered', t('03-02T09:01'), { surveyId: 'nps', kind: 'nps', score: 3, responseId: 'r-v', comment: 'Too slow' })),
        msg.page('u_42', t('03-03T09:00')),
        msg.track('u_42', 'Survey Answered', t('03-03T09:01'), { surveyId: 'nps', kind: 'nps', score: 10, responseId: 'r-u', comment: 'Great' }),
      ]);
    });
    afterAll(async () => {
      await collector?.close();
    });

    it('names the visitor by a bare anonymousId and the user by userId in the at-risk list, with no control character', async () => {
      for (const source of ['rollups', 'events']) {
        const text = await rawApi(collector.url, `/api/insights/at-risk?key=${key}&from=${range.from}&to=${range.to}&source=${source}`);
        expect(text, source).not.toMatch(/\\u0001|\u0001/);
        const users = (JSON.parse(text) as { users: Json[] }).users.map((u) => ({ userId: u['userId'], anonymousId: u['anonymousId'], person: u['person'] }));
        // \`person\`, as clients written before userId read it: the user's id, never the visitor's
        expect(users, source).toEqual(expect.arrayContaining([
          { userId: null, anonymousId: 'u_42', person: null },
          { userId: 'u_42', anonymousId: null, person: 'u_42' },
        ]));
        expect(users, source).toHaveLength(2);
      }
    });

    it("signs each comment with a bare userId or anonymousId, so the visitor's comment is never the user's", async () => {
      for (const source of ['rollups', 'events']) {
        const text = await rawApi(collector.url, `/api/insights/satisfaction?key=${key}&from=${range.from}&to=${range.to}&source=${source}`);
        expect(text, source).not.toMatch(/\\u0001|\u0001/);
        const latest = (JSON.parse(text) as { comments: { latest: Json[] }[] }).comments.flatMap((c) => c.latest);
        expect(latest.map((c) => [c['comment'], c['userId'], c['anonymousId'], c['person']]).sort(), source).toEqual([
          ['Great', 'u_42', null, 'u_42'],
          ['Too slow', null, 'u_42', null],
        ]);
      }
    });

    it('tells the live events of the visitor and of the user apart, with no control character', async () => {
      const text = await rawApi(collector.url, `/api/events/recent?key=${key}&limit=10`);
      expect(text).not.toMatch(/\\u0001|\u0001/);
      const events = (JSON.parse(text) as { events: Json[] }).events;
      expect(events.map((e) => [e['type'], e['event'], e['userId'], e['anonymousId'], e['person']]).reverse()).toEqual([
        ['page', 'Home', null, 'u_42', null],
        ['track', 'Survey Answered', null, 'u_42', null],
        ['page', 'Home', 'u_42', null, 'u_42'],
        ['track', 'Survey Answered', 'u_42', null, 'u_42'],
      ]);
    });

  });
}
