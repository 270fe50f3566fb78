import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, msg, startTestCollector, type TestCollector } from '../test-support/fixture.ts';

/** The Keep-Alive header of one answer: how long the collector keeps the connection open for the next request. */
const keepAliveOf = (url: string) =>
  new Promise<string | undefined>((resolve, reject) => {
    const req = request(`${url}/healthz`, { agent: false, headers: { Connection: 'keep-alive' } }, (res) => {
      res.resume();
      resolve(String(res.headers['keep-alive']));
      req.destroy();
    });
    req.on('error', reject);
    req.end();
  });

describe('behind a load balancer that keeps connections to the collector open', () => {
  let collector: TestCollector;
  let proxied: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null });
    proxied = await startTestCollector({ dataDir: null, databaseUrl: null, keepAliveSeconds: 620 });
  });
  afterAll(async () => {
    await collector?.close();
    await proxied?.close();
  });

  it('keeps an idle connection longer than AWS ALB and nginx do (60 s), so they never reuse one it closed (a 502 for the request)', async () => {
    expect(await keepAliveOf(collector.url)).toBe('timeout=65');
  });

  it('keeps it as long as keepAliveSeconds says, for a load balancer that keeps its own longer (Google Cloud: 600 s)', async () => {
    expect(await keepAliveOf(proxied.url)).toBe('timeout=620');
  });

  it('still stops at once when asked to (a deploy\'s SIGTERM), not after the keep-alive of a connection whose request was under way', async () => {
    const key = proxied.nextKey();
    const agent = new Agent({ keepAlive: true });
    const answered = new Promise<number>((resolve, reject) => {
      const req = request(`${proxied.url}/v1/batch`, {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', Authorization: basicAuth(key), Expect: '100-continue' },
      }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // 100 Continue: the collector has the request in hand. Then it is asked to stop, and the body comes.
      req.on('continue', () => {
        closed = proxied.close();
        req.end(JSON.stringify({ batch: [msg.track('u1', 'Project Created', '2026-03-02T10:00:00.000Z')] }));
      });
      req.flushHeaders();
    });
    let closed: Promise<void> | undefined;
    expect(await answered).toBe(200);
    // The request under way is answered, then its idle connection is let go: close() does not wait 620 s.
    await closed;
    agent.destroy();
  }, 60_000);
});
