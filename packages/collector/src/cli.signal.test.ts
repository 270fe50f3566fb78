import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from './test-support/build-cli.ts';
import { msg, sendBatch } from './test-support/fixture.ts';
import { openDatabase } from './db/open.ts';
import { openPglite } from './db/pglite.ts';
import { LOCK_FILE } from './db/data-dir-lock.ts';
import { refreshRollups } from './db/rollups.ts';
import { migrations } from './db/migrations.ts';
import type { Database } from './db/database.ts';


interface Child {
  child: ChildProcess;
  /** Everything it printed, stdout and stderr. */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The collector as an orchestrator runs it: the CLI in its own process, a data folder. */
function startChild(cli: string, dataDir: string): Child {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('LINGER_') || name === 'DATABASE_URL') delete env[name];
  const child = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir, '--flows', '/nonexistent/flows.json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exited };
}

/** Waits until the output matches (or the process ends first, which fails the test with what it said). */
async function waitFor(c: Child, pattern: RegExp): Promise<RegExpExecArray> {
  let done = false;
  void c.exited.then(() => (done = true));
  for (;;) {
    const match = pattern.exec(c.output());
    if (match) return match;
    if (done) throw new Error(`collector exited before printing ${pattern}:\n${c.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls /healthz until the collector says it is applying the migration. */
async function waitForMigration(c: Child, healthz: string, id: number): Promise<void> {
  for (;;) {
    const body = (await fetch(healthz).then((r) => r.json()).catch(() => undefined)) as { state?: string; migration?: { id: number } } | undefined;
    if (body?.state === 'migrating' && body.migration?.id === id) return;
    if (c.child.exitCode !== null) throw new Error(`collector exited before migration ${id}:\n${c.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Rows per table: what a migration run twice, or half-applied, would change. Rollups are caught
 * up first (a collector stopped right after a batch has not folded it in yet, its next start does).
 */
async function tableCounts(db: Database): Promise<Record<string, number>> {
  await refreshRollups(db);
  const { rows } = await db.query<{ name: string }>(
    `select tablename as name from pg_tables where schemaname = 'public' and tablename not in ('linger_migrations', 'linger_sessions') order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of rows) {
    const { rows: [row] } = await db.query<{ n: number }>(`select count(*)::int as n from "${name}"`);
    counts[name] = row!.n;
  }
  return counts;
}

/** The newest migration: the one an upgrade applies. */
const LAST = migrations.at(-1)!.id;

describe('a collector stopped by its orchestrator in the middle of a migration', () => {
  let cli: string;
  let remove: (() => Promise<void>) | undefined;
  const dataDirs: string[] = [];

  beforeAll(async () => {
    ({ cli, remove } = await buildCli('signal'));
  });
  afterAll(async () => {
    await remove?.();
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal} says which migration it stopped, exits non-zero, and the next start applies it once, counting nothing twice`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'linger-signal-data-'));
      dataDirs.push(dataDir);
      // A collector with data, stopped and started again as an upgrade does.
      const first = startChild(cli, dataDir);
      const [, url] = await waitFor(first, /dashboard\s+(http:\/\/127\.0\.0\.1:\d+)\//);
      const batch = Array.from({ length: 20 }, (_, i) => ({
        ...msg.track(`user-${i % 4}`, i % 2 ? 'Feature Used' : 'Checklist Item Completed', new Date(Date.now() - i * 86_400_000).toISOString(), { i }),
        messageId: `signal-${signal}-${i}-${randomUUID()}`,
      }));
      expect((await sendBatch(url!, 'pk_demo', batch)).status).toBe(200);
      first.child.kill('SIGTERM');
      expect(await first.exited).toEqual({ code: 0, signal: null });

      // The last migration again, held open in its transaction (its row's insert sleeps), as a
      // rebuild over millions of events is.
      let db = await openDatabase({ dataDir });
      const before = await tableCounts(db);
      await db.query('delete from linger_migrations where id = $1', [LAST]);
      await db.query(`create function linger_test_hold() returns trigger language plpgsql as $$ begin perform pg_sleep(300); return new; end $$`);
      await db.query('create trigger linger_test_hold before insert on linger_migrations for each row execute function linger_test_hold()');
      await db.close();

      const upgrading = startChild(cli, dataDir);
      let stopped: Awaited<Child['exited']>;
      try {
        const [, healthz] = await waitFor(upgrading, /(http:\/\/127\.0\.0\.1:\d+\/healthz)/);
        await waitForMigration(upgrading, healthz!, LAST);
        upgrading.child.kill(signal);
        stopped = await upgrading.exited;
      } finally {
        // Whatever happened, not left sleeping in its migration.
        if (upgrading.child.exitCode === null && upgrading.child.signalCode === null) upgrading.child.kill('SIGKILL');
      }
      // A message, not a silent death by signal: which migration, and that it is rolled back.
      expect({ code: stopped.code, said: new RegExp(`migration ${LAST}\\b[^\\n]*rolled back`, 'i').test(upgrading.output()) }, upgrading.output()).toEqual({ code: signal === 'SIGINT' ? 130 : 143, said: true });
      // And the folder unlocked: its lock named a pid that another program may be given next
      // (in a container, the same few pids come round), which would keep the collector shut out.
      expect(existsSync(join(dataDir, LOCK_FILE)), 'the stopped collector\'s lock file is still there').toBe(false);

      // As the interrupted start left it: opened without applying migrations.
      db = await openPglite(dataDir);
      expect((await db.query('select id from linger_migrations where id = $1', [LAST])).rows).toEqual([]);
      await db.query('drop trigger linger_test_hold on linger_migrations');
      await db.query('drop function linger_test_hold()');
      await db.close();

      const again = startChild(cli, dataDir);
      await waitFor(again, /dashboard\s+(http:\/\/127\.0\.0\.1:\d+)\//);
      again.child.kill('SIGTERM');
      expect(await again.exited).toEqual({ code: 0, signal: null });
      db = await openDatabase({ dataDir });
      try {
        const { rows } = await db.query<{ n: number }>('select count(*)::int as n from linger_migrations where id = $1', [LAST]);
        expect(rows[0]?.n).toBe(1);
        expect(await tableCounts(db)).toEqual(before);
      } finally {
        await db.close();
      }
    }, 600_000);
  }
});
