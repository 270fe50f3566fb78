import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from './paths.ts';
import { startTestCollector, uniqueKeys, type TestCollector } from './test-support/fixture.ts';

/** `npm run seed` as a vendor runs it: its own process, its output piped (a CI log, a file). */
async function runSeed(url: string, key: string, env: Record<string, string>) {
  const { LINGER_SECRET: _s, LINGER_DEMO_SECRET: _d, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [
      join(packageRoot, 'scripts', 'seed.mjs'), '--url', url, '--key', key, '--users', '4', '--days', '12',
    ], { env: { ...inherited, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run seed', () => {
  let collector: TestCollector;
  const [key] = uniqueKeys(1) as [string];
  const secret = 'the-vendors-own-secret';
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: [key], secrets: { [key]: secret } });
  });
  afterAll(async () => {
    await collector?.close();
  });

  const stored = async () =>
    (await collector.db.query<{ n: number; unverified: number }>(
      'select count(*)::int as n, (count(*) filter (where verified is false))::int as unverified from events where write_key = $1', [key],
    )).rows[0]!;

  it("sends nothing to a key whose secret it was not given, says which variable to set, and prints no secret", async () => {
    // Signed with the demo's secret, every event would be stored unverified and count for no one,
    // under a line saying how many were stored.
    const run = await runSeed(collector.url, key, {});
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^\[seed\] pk_test_\w+ has another userHash secret than the one this seed signs with.* LINGER_SECRET .*Nothing was sent\.\n$/);
    expect(run.stdout + run.stderr).not.toContain('demo-identity-secret');
    expect(await stored()).toEqual({ n: 0, unverified: 0 });
  });

  it("seeds with the key's secret from LINGER_SECRET, every event vouched for, its progress in lines a log can read", async () => {
    const run = await runSeed(collector.url, key, { LINGER_SECRET: secret });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\r');
    expect(run.stdout).toMatch(/^\[seed\] 4 users over 12 days: \d+ new events stored, 0 already there, 0 rejected, in .*\n$/);
    expect(run.stdout).not.toContain(secret);
    const sent = Number(/(\d+) new events stored/.exec(run.stdout)?.[1]);
    expect(sent).toBeGreaterThan(0);
    // acknowledged once journaled: stored right after
    await expect.poll(stored).toEqual({ n: sent, unverified: 0 });
  });
});

describe('npm run seed against a collector still applying a migration', () => {
  // What the README promises while it migrates: /v1/flows served, /v1/state and ingestion 503 +
  // Retry-After. The seed waits as browsers do, instead of stopping at its first batch.
  let server: Server;
  let url: string;
  const refusedFirst = new Set<string>();
  let stored = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
      };
      if (path === '/v1/flows') return answer(200, {});
      if (!refusedFirst.has(path)) {
        refusedFirst.add(path);
        req.resume();
        return answer(503, { ok: false, errors: ['migrating'] }, { 'Retry-After': '0' });
      }
      if (path === '/v1/state') return answer(403, { ok: false, errors: ['this write key has no user-hash secret'] });
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk));
      req.on('end', () => {
        const { batch } = JSON.parse(text) as { batch: unknown[] };
        stored += batch.length;
        answer(200, { ok: true, accepted: batch.length, duplicates: 0, rejected: [] });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

  it('waits out the 503s and sends everything', async () => {
    const run = await runSeed(url, 'pk_demo', {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(stored).toBeGreaterThan(0);
    expect(run.stdout).toContain(`: ${stored} new events stored`);
  });
});
