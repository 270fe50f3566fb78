import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userHashFor } from '../ingest/user-hash.ts';
import { engines, engineTitle } from '../test-support/engines.ts';
import type { ActivationInsight } from '../insights/activation.ts';
import { basicAuth, getInsight, msg, readAuth, sendBatch, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';

const AT = '2026-03-02T10:00:00.000Z';

async function recent(url: string, key: string): Promise<Json[]> {
  const res = await fetch(`${url}/api/events/recent?key=${key}&limit=100&identity=all`, { headers: readAuth(url) });
  return ((await res.json()) as { events: Json[] }).events;
}

for (const engine of engines) {
  describe.skipIf(engine.skipReason !== undefined)(`ingestion on ${engineTitle(engine)}`, () => {
    let collector: TestCollector;
    let strict: TestCollector;
    const markKey = uniqueKeys(1)[0]!;
    const [refuseKey, throttledKey, grantKey] = uniqueKeys(3) as [string, string, string];
    const secret = 'shh-' + randomUUID();

    beforeAll(async () => {
      const keys = [...uniqueKeys(40), markKey, grantKey];
      collector = await startTestCollector({ ...engine.options, keys, secrets: { [markKey]: secret, [grantKey]: secret } });
      strict = await startTestCollector({
        ...engine.options,
        keys: [refuseKey, throttledKey],
        secrets: { [refuseKey]: secret },
        userHashMode: 'refuse',
        // one token back every 100 s: the test can't be slow enough to refill the bucket
        rateLimit: { perSecond: 0.01, burst: 3 },
        // the smallest limit allowed (one event may weigh 32 KB)
        maxBodyBytes: 65_536,
        allowedOrigins: ['https://app.acme.test'],
      });
    });
    afterAll(async () => {
      await collector?.close();
      await strict?.close();
    });

    it('stores a batch sent with Basic auth and shows it in the recent events', async () => {
      const key = collector.nextKey();
      const batch = [msg.track('u1', 'Project Created', AT, { template: 'kanban' }), msg.page('u1', AT, 'Dashboard')];
      const { status, body } = await sendBatch(collector.url, key, batch);
      expect(status).toBe(200);
      expect(body).toEqual({ ok: true, accepted: 2, duplicates: 0, rejected: [] });
      const events = await recent(collector.url, key);
      expect(events.map((e) => e['event']).sort()).toEqual(['Dashboard', 'Project Created']);
      expect(events.find((e) => e['event'] === 'Project Created')?.['properties']).toEqual({ template: 'kanban' });
    });

    it('accepts a sendBeacon body: text/plain with the key in writeKey', async () => {
      const key = collector.nextKey();
      const res = await fetch(`${collector.url}/v1/batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({ batch: [msg.track('u1', 'Feature Used', AT, { feature: 'export' })], sentAt: AT, writeKey: key }),
      });
      expect(res.status).toBe(200);
      expect(await recent(collector.url, key)).toHaveLength(1);
    });

    it('accepts a gzip-compressed batch', async () => {
      const key = collector.nextKey();
      const res = await fetch(`${collector.url}/v1/batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', Authorization: basicAuth(key) },
        body: gzipSync(JSON.stringify({ batch: [msg.page('u1', AT)] })),
      });
      expect(res.status).toBe(200);
      expect(await recent(collector.url, key)).toHaveLength(1);
    });

    it('takes single events on /v1/track, /v1/identify, /v1/page and /v1/group', async () => {
      const key = collector.nextKey();
      const post = (path: string, body: Json) =>
        fetch(`${collector.url}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: basicAuth(key) },
          body: JSON.stringify(body),
        });
      const { type: _t, ...track } = msg.track('u7', 'Task Created', AT);
      const answers = await Promise.all([
        post('/v1/track', track),
        post('/v1/identify', msg.identify('u7', { plan: 'pro' }, AT)),
        post('/v1/page', msg.page('u7', AT, 'Settings')),
        post('/v1/group', msg.group('u7', 'acme', { plan: 'enterprise' }, AT)),
      ]);
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect((await recent(collector.url, key)).map((e) => e['type']).sort()).toEqual(['group', 'identify', 'page', 'track']);
      const segments = (await (await fetch(`${collector.url}/api/segments?key=${key}`, { headers: readAuth(collector.url) })).json()) as { segments: Json[] };
      expect(segments.segments).toEqual([
        { trait: 'plan', source: 'user', values: [{ value: 'pro', count: 1 }] },
        { trait: 'plan', source: 'group', values: [{ value: 'enterprise', count: 1 }] },
      ]);
    });

    it('refuses a single-event route given another type of call', async () => {
      const key = collector.nextKey();
      const res = await fetch(`${collector.url}/v1/track`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: basicAuth(key) },
        body: JSON.stringify(msg.identify('u1', { plan: 'pro' }, AT)),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { rejected: { errors: string[] }[] }).rejected[0]?.errors).toEqual(['type: this route takes track calls']);
    });

    describe('answers a bad request with the reason', () => {
      const post = (body: string, headers: Record<string, string> = {}) =>
        fetch(`${collector.url}/v1/batch`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

      it('400 for a body that is not JSON', async () => {
        const res = await post('{"batch": [', { Authorization: basicAuth(collector.nextKey()) });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { errors: string[] }).errors[0]).toMatch(/^body is not valid JSON/);
      });

      it('400 for JSON that is not an object', async () => {
        const res = await post('[1, 2]', { Authorization: basicAuth(collector.nextKey()) });
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({ ok: false, errors: ['body must be a JSON object'] });
      });

      it('400 for a batch that is missing or empty', async () => {
        const auth = { Authorization: basicAuth(collector.nextKey()) };
        const missing = await post('{"sentAt": "2026-03-02T10:00:00Z"}', auth);
        expect(missing.status).toBe(400);
        expect(((await missing.json()) as { errors: string[] }).errors[0]).toMatch(/^batch: /);
        const empty = await post('{"batch": []}', auth);
        expect(empty.status).toBe(400);
        expect(await empty.json()).toEqual({ ok: false, errors: ['batch: batch must hold at least one event'] });
      });

      it('401 without a key, and for a key the collector does not know', async () => {
        const body = JSON.stringify({ batch: [msg.page('u1', AT)] });
        const none = await post(body);
        expect(none.status).toBe(401);
        const unknown = await post(body, { Authorization: basicAuth('pk_nobody') });
        expect(unknown.status).toBe(401);
        expect(await unknown.json()).toEqual({ ok: false, errors: ['unknown write key'] });
        const unknownInBody = await post(JSON.stringify({ batch: [msg.page('u1', AT)], writeKey: 'pk_nobody' }));
        expect(unknownInBody.status).toBe(401);
      });

      it('413 for a body over the size limit, whether declared or streamed', async () => {
        const big = JSON.stringify({ batch: Array.from({ length: 3 }, () => msg.track('u1', 'Big', AT, { blob: 'x'.repeat(25_000) })) });
        const declared = await fetch(`${strict.url}/v1/batch`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: basicAuth(throttledKey) },
          body: big,
        });
        expect(declared.status).toBe(413);
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(big));
            controller.close();
          },
        });
        const streamed = await fetch(`${strict.url}/v1/batch`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: basicAuth(throttledKey) },
          body: stream,
          duplex: 'half',
        } as RequestInit);
        expect(streamed.status).toBe(413);
        expect(((await streamed.json()) as { errors: string[] }).errors).toEqual(['body is over the limit of 65536 bytes']);
      });
    });

    it('429 with Retry-After once a key sends faster than its rate', async () => {
      const one = () => sendBatch(strict.url, throttledKey, [msg.page('u1', AT)]);
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const answer = await one();
        statuses.push(answer.status);
        if (answer.status === 429) retryAfter = answer.headers.get('retry-after');
      }
      // a burst of 3 passes, then the key waits for the next token
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(90);
      expect(Number(retryAfter)).toBeLessThanOrEqual(100);
    });

    it('stores a repeated messageId once and tells the sender it was a duplicate', async () => {
      const key = collector.nextKey();
      const batch = [msg.track('u1', 'Task Created', AT), msg.track('u1', 'Task Created', AT)];
      expect((await sendBatch(collector.url, key, batch)).body).toMatchObject({ accepted: 2, duplicates: 0 });
      const retry = await sendBatch(collector.url, key, batch);
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ ok: true, accepted: 2, duplicates: 2 });
      const twiceInOne = await sendBatch(collector.url, key, [batch[0]!, { ...batch[0]! }, msg.page('u1', AT)]);
      expect(twiceInOne.body).toMatchObject({ accepted: 3, duplicates: 2 });
      expect(await recent(collector.url, key)).toHaveLength(3);
    });

    it('stores and counts concurrent batches exactly once, while statistics refresh', async () => {
      const key = collector.nextKey();
      // 6 × 400 events: past the 1000-row mark that starts a background ANALYZE on PGlite
      const batches = Array.from({ length: 6 }, (_, b) =>
        Array.from({ length: 400 }, (_, i) => msg.track(`u${i % 40}`, 'Feature Used', AT, { feature: `f${b}` }, { anonymousId: `a${i % 40}` })),
      );
      const answers = await Promise.all(batches.map((batch) => sendBatch(collector.url, key, batch)));
      expect(answers.map((a) => [a.status, a.body['accepted'], a.body['duplicates']])).toEqual(batches.map(() => [200, 400, 0]));
      const { rows } = await collector.db.query<{ events: number; identities: number }>(
        `select (select count(*)::int from events where write_key = $1) as events,
                (select count(*)::int from identities where write_key = $1) as identities`,
        [key],
      );
      expect(rows[0]).toEqual({ events: 2400, identities: 40 });
    });

    it('rejects a bad event alone and stores the rest of the batch (an event without a messageId gets one, as on Segment\'s API)', async () => {
      const key = collector.nextKey();
      const { messageId: _drop, ...noId } = msg.page('u1', AT);
      const noName: Json = { ...msg.track('u1', 'x', AT), event: undefined };
      const nobody: Json = { ...msg.page('u1', AT), userId: undefined };
      const badTime: Json = { ...msg.page('u1', AT), timestamp: 'yesterday' };
      const batch = [msg.track('u1', 'Good One', AT), noId, noName, nobody, badTime, msg.track('u1', 'Good Two', AT)];
      const { status, body } = await sendBatch(collector.url, key, batch);
      expect(status).toBe(200);
      expect(body['accepted']).toBe(3);
      expect(body['rejected']).toEqual([
        { index: 2, messageId: noName['messageId'], errors: ['event: a track call needs an event name'] },
        { index: 3, messageId: nobody['messageId'], errors: ['userId: userId or anonymousId is required'] },
        { index: 4, messageId: badTime['messageId'], errors: ['timestamp: Invalid ISO datetime'] },
      ]);
      const stored = await recent(collector.url, key);
      // 'Home': the page view that came without a messageId (ingest/message-id.test.ts: the id it gets)
      expect(stored.map((e) => e['event']).sort()).toEqual(['Good One', 'Good Two', 'Home']);
    });

    it('answers 400 when every event of a batch is rejected', async () => {
      const key = collector.nextKey();
      const { status, body } = await sendBatch(collector.url, key, [{ type: 'nonsense', messageId: 'm1', userId: 'u1' }]);
      expect(status).toBe(400);
      expect(body).toMatchObject({ ok: false, accepted: 0 });
    });

    it('moves event times onto the server clock using sentAt', async () => {
      const key = collector.nextKey();
      // The device clock is 1 hour ahead: it stamped the event and the batch in its own time.
      const deviceNow = new Date(Date.now() + 3_600_000);
      const event = msg.page('u1', new Date(deviceNow.getTime() - 60_000).toISOString());
      const res = await fetch(`${collector.url}/v1/batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: basicAuth(key) },
        body: JSON.stringify({ batch: [event], sentAt: deviceNow.toISOString() }),
      });
      expect(res.status).toBe(200);
      const [stored] = await recent(collector.url, key);
      // stamped a minute before it was sent: stored a minute before it arrived, by the server's clock
      const lag = Date.parse(String(stored?.['receivedAt'])) - Date.parse(String(stored?.['ts']));
      expect(lag).toBe(60_000);
    });

    describe('userHash', () => {
      it("marks an identified event whose userHash is missing or wrong as unverified ('mark')", async () => {
        const good = msg.track('u42', 'Good', AT, {}, { context: { userHash: userHashFor(secret, 'u42') } });
        const wrong = msg.track('u42', 'Wrong', AT, {}, { context: { userHash: userHashFor('guess', 'u42') } });
        const missing = msg.track('u42', 'Missing', AT);
        const anonymous = { ...msg.track('x', 'Anonymous', AT), userId: undefined, anonymousId: 'a1' };
        const { body } = await sendBatch(collector.url, markKey, [good, wrong, missing, anonymous]);
        expect(body).toMatchObject({ accepted: 4, rejected: [] });
        const byEvent = Object.fromEntries((await recent(collector.url, markKey)).map((e) => [e['event'], e['verified']]));
        expect(byEvent).toEqual({ Good: true, Wrong: false, Missing: false, Anonymous: null });
        // checked, then dropped: a copy of the database must not let anyone act as u42
        const { rows } = await collector.db.query<{ context: Record<string, unknown> }>(
          'select context from events where write_key = $1', [markKey]);
        expect(rows.some((row) => 'userHash' in row.context)).toBe(false);
      });

      it("refuses those events and keeps the verified ones ('refuse')", async () => {
        const good = msg.track('u42', 'Good', AT, {}, { context: { userHash: userHashFor(secret, 'u42') } });
        const forged = msg.track('u43', 'Forged', AT, {}, { context: { userHash: userHashFor(secret, 'u42') } });
        const { status, body } = await sendBatch(strict.url, refuseKey, [good, forged]);
        expect(status).toBe(200);
        expect(body['rejected']).toEqual([{ index: 1, messageId: forged['messageId'], errors: ['context.userHash: does not match userId'] }]);
        expect((await recent(strict.url, refuseKey)).map((e) => [e['event'], e['verified']])).toEqual([['Good', true]]);
      });

      it("stores the user's vouched-for event even when a forged copy took its (predictable) messageId first", async () => {
        // the SDK sends a completed checklist once, under a messageId derived from the key, the user
        // and the grant (sdk/src/experiences/grant-id.ts): anyone can work it out beforehand
        const messageId = '3f1c2a9e-77d0-5b4e-8a10-5e1f0c9d2b44';
        const vouched = { context: { userHash: userHashFor(secret, 'victim') } };
        const forged = msg.track('victim', 'Checklist Completed', '2026-03-01T08:00:00.000Z', { checklistId: 'onboarding' }, { messageId, context: { userHash: 'f'.repeat(64) } });
        const real = msg.track('victim', 'Checklist Completed', '2026-03-02T10:00:00.000Z', { checklistId: 'onboarding' }, { messageId, ...vouched });
        await sendBatch(collector.url, grantKey, [msg.identify('victim', {}, '2026-03-01T09:00:00.000Z', vouched), forged]);
        expect((await sendBatch(collector.url, grantKey, [real])).body).toMatchObject({ accepted: 1, duplicates: 0 });
        // from then on the id is settled: a retry of either copy is a duplicate
        expect((await sendBatch(collector.url, grantKey, [real, forged])).body).toMatchObject({ accepted: 2, duplicates: 2 });
        for (const source of ['rollups', 'events']) {
          const activation = await getInsight<ActivationInsight>(collector.url, 'activation', grantKey, { from: '2026-03-01', to: '2026-03-31', source });
          expect(activation.checklists.find((c) => c.id === 'onboarding')?.completed, source).toBe(1);
        }
        // The vouched-for copy is stored, once. The forged one is kept beside it, except where the
        // embedded engine applied both batches in one write: then only the vouched one is.
        const copies = await collector.db.query<{ verified: boolean }>('select verified from events where write_key = $1 and message_id = $2 order by id', [grantKey, messageId]);
        expect(copies.rows.filter((r) => r.verified)).toEqual([{ verified: true }]);
        expect(copies.rows.length).toBeLessThanOrEqual(2);
      });

      it('does not check keys without a secret', async () => {
        const key = collector.nextKey();
        await sendBatch(collector.url, key, [msg.track('u42', 'Plain', AT)]);
        expect((await recent(collector.url, key))[0]?.['verified']).toBeNull();
      });
    });

    describe('CORS', () => {
      it('answers a preflight from a local origin with what the SDK needs', async () => {
        const res = await fetch(`${collector.url}/v1/batch`, {
          method: 'OPTIONS',
          headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
        });
        expect(res.status).toBe(204);
        expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
        expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization, Content-Type/);
        expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After, Date');
        expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
      });

      it('lets a 429 be read cross-origin, Retry-After and the server’s Date included', async () => {
        const res = await fetch(`${strict.url}/v1/batch`, { method: 'OPTIONS', headers: { Origin: 'https://app.acme.test' } });
        expect(res.status).toBe(204);
        expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After, Date');
      });

      it('refuses origins that are not configured, preflight or beacon', async () => {
        const preflight = await fetch(`${strict.url}/v1/batch`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173' } });
        expect(preflight.status).toBe(403);
        expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
        const beacon = await fetch(`${strict.url}/v1/batch`, {
          method: 'POST',
          headers: { Origin: 'https://evil.test', 'Content-Type': 'text/plain' },
          body: JSON.stringify({ batch: [msg.page('u1', AT)], writeKey: throttledKey }),
        });
        expect(beacon.status).toBe(403);
      });
    });

    it('keeps the insights to requests addressed to this machine (no DNS rebinding)', async () => {
      const status = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request(`${collector.url}/api/health`, { headers: { Host: host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
      expect(await status('evil.test:8787')).toBe(403);
      expect(await status(`localhost:${collector.port}`)).toBe(200);
      expect(await status(`127.0.0.1:${collector.port}`)).toBe(200);
    });

    describe('GET /v1/flows', () => {
      it('serves the configured flows file to an allowed origin', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'linger-flows-'));
        const flowsPath = join(dir, 'flows.json');
        await writeFile(flowsPath, JSON.stringify({ version: 1, surveys: [{ id: 's1', kind: 'nps' }] }));
        const server = await startTestCollector({ ...engine.options, flowsPath });
        try {
          const res = await fetch(`${server.url}/v1/flows`, { headers: { Origin: 'http://127.0.0.1:3000' } });
          expect(res.status).toBe(200);
          expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
          expect(await res.json()).toEqual({ version: 1, surveys: [{ id: 's1', kind: 'nps' }] });
          // edits show up without a restart
          await writeFile(flowsPath, JSON.stringify({ version: 1 }));
          expect(await (await fetch(`${server.url}/v1/flows`)).json()).toEqual({ version: 1 });
        } finally {
          await server.close();
          await rm(dir, { recursive: true, force: true });
        }
      });

      it('serves an empty config when the file is missing', async () => {
        const res = await fetch(`${collector.url}/v1/flows`);
        expect(res.status).toBe(200);
        expect(res.headers.get('x-linger-flows')).toBe('missing');
        expect(await res.json()).toEqual({ version: 1 });
      });
    });
  });
}
