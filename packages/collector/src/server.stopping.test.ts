import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db/open.ts';
import { basicAuth, msg, startTestCollector } from './test-support/fixture.ts';

describe('a collector stopped (a deploy\'s SIGTERM) while a batch is on its way in', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('answers the batch, and every event it acknowledged is in the database the next start opens', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'linger-stopping-'));
    dirs.push(dataDir);
    const collector = await startTestCollector({ dataDir, databaseUrl: null });
    const key = collector.nextKey();
    const batch = Array.from({ length: 50 }, (_, i) => msg.track(`u${i % 5}`, 'Project Created', '2026-03-02T10:00:00.000Z', { i }));
    let closed: Promise<void> | undefined;
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${collector.url}/v1/batch`, {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/json', Authorization: basicAuth(key), Expect: '100-continue' },
      }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      // The collector has the request in hand; then it is asked to stop, and the body comes.
      req.on('continue', () => {
        closed = collector.close();
        req.end(JSON.stringify({ batch }));
      });
      req.flushHeaders();
    });
    const { status, body } = await answered;
    expect([status, JSON.parse(body).accepted]).toEqual([200, 50]);
    await closed;
    const db = await openDatabase({ dataDir });
    try {
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from events where write_key = $1', [key]);
      expect(rows[0]?.n).toBe(50);
    } finally {
      await db.close();
    }
  });
});
