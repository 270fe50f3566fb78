import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../test-support/build-cli.ts';
import { msg, sendBatch } from '../test-support/fixture.ts';
import { openDatabase } from './open.ts';

const ROUNDS = 20;

/** The collector as `npm start` runs it: its own process (group), the CLI, a data folder. */
function startChild(cli: string, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('LINGER_') || name === 'DATABASE_URL') delete env[name];
  const child = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir, '--flows', '/nonexistent/flows.json'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /dashboard\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (match?.[1]) {
        child.stdout?.off('data', onData);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`collector exited (${code}) before it was ready:\n${out}`)));
  });
}

/** A power cut, as far as a test can make one: SIGKILL to every process of the group. */
function killGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGKILL');
  });
}

describe('a collector killed right after it acknowledged a batch', () => {
  let built: Awaited<ReturnType<typeof buildCli>> | undefined;
  let dataDir: string;

  beforeAll(async () => {
    built = await buildCli('crash');
    dataDir = await mkdtemp(join(tmpdir(), 'linger-crash-data-'));
  });
  afterAll(async () => {
    await built?.remove();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(`has stored every acknowledged batch after ${ROUNDS} kill -9s and restarts`, async () => {
    const acked: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { child, url } = await startChild(built!.cli, dataDir);
      try {
        const batch = Array.from({ length: 5 }, (_, i) => ({
          ...msg.track(`crash-${round}`, 'Feature Used', new Date().toISOString(), { i }),
          messageId: `crash-${round}-${i}-${randomUUID()}`,
        }));
        const { status } = await sendBatch(url, 'pk_demo', batch);
        expect(status).toBe(200);
        acked.push(...batch.map((m) => String(m['messageId'])));
      } finally {
        await killGroup(child);
      }
    }
    // A batch is acknowledged once it is in the ingest journal; the start after a crash stores
    // what the journal holds before it listens. One more start does that for the last round.
    const { child } = await startChild(built!.cli, dataDir);
    await killGroup(child);
    const db = await openDatabase({ dataDir });
    try {
      const { rows } = await db.query<{ message_id: string }>('select message_id from events where write_key = $1', ['pk_demo']);
      const stored = new Set(rows.map((r) => r.message_id));
      expect(acked.filter((id) => !stored.has(id))).toEqual([]);
      expect(acked).toHaveLength(ROUNDS * 5);
      // and it stays durable past a power cut: commits are fsynced, not only handed to the OS
      const settings = await db.query<{ fsync: string }>('show fsync');
      expect(settings.rows[0]?.fsync).toBe('on');
      const method = await db.query<{ wal_sync_method: string }>('show wal_sync_method');
      expect(method.rows[0]?.wal_sync_method).toBe('fsync');
    } finally {
      await db.close();
    }
  }, 900_000);
});
