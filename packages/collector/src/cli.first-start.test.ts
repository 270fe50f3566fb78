import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from './test-support/build-cli.ts';

interface Child {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startChild(cli: string, dataDir: string, flows: string): Child {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('LINGER_') || name === 'DATABASE_URL') delete env[name];
  const child = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir, '--flows', flows], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/**
 * Opens the writing end of a FIFO once something reads it: the collector, reading its flows file
 * at the end of its start. Held open, the reader waits there for the file's text.
 */
async function whenRead(fifo: string, c: Child): Promise<number> {
  for (;;) {
    try {
      return openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
    }
    if (c.child.exitCode !== null) throw new Error(`collector exited before it read its flows file:\n${c.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(process.platform === 'win32')('a first start stopped (Ctrl-C) in its last moments before it serves', () => {
  let cli: string;
  let remove: (() => Promise<void>) | undefined;
  let dir: string;

  beforeAll(async () => {
    ({ cli, remove } = await buildCli('first-start'));
    dir = await mkdtemp(join(tmpdir(), 'linger-first-start-'));
  });
  afterAll(async () => {
    await remove?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has not made the generated admin password it never showed: the next start makes one and shows it', async () => {
    const dataDir = join(dir, 'data');
    const fifo = join(dir, 'flows.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const first = startChild(cli, dataDir, fifo);
    let writer: number | undefined;
    try {
      writer = await whenRead(fifo, first);
      first.child.kill('SIGINT');
      // Once it says it stops, it is in process.exit, which waits for its read of the file: the
      // end of the file lets that finish (the start itself does not go on).
      while (!/SIGINT while/.test(first.output()) && first.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
      closeSync(writer);
      writer = undefined;
      expect(await first.exited).toBe(130);
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
      if (writer !== undefined) closeSync(writer);
    }
    expect(first.output()).not.toMatch(/password/);

    const again = startChild(cli, dataDir, '/nonexistent/flows.json');
    try {
      while (!/dashboard\s+http/.test(again.output()) && again.child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(again.output()).toMatch(/sign in\s+admin@localhost\s+password \S{24}/);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  }, 600_000);
});
