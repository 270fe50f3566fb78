import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, processStart, takeLock } from './data-dir-lock.ts';

/** Some other program, running: it holds whatever pid the system gave it. */
function otherProgram(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120_000)'], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(child));
    child.once('error', reject);
  });
}

describe.skipIf(processStart(process.pid) === undefined)('the data folder lock, after a collector stopped hard (kill -9, a power cut)', () => {
  let dataDir: string;
  let other: ChildProcess | undefined;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'linger-lock-'));
  });
  afterEach(async () => {
    other?.kill('SIGKILL');
    other = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lets the next collector start when the dead one\'s pid now belongs to another program', async () => {
    // In a container the same few pids come round on every restart: the old collector's is now
    // a shell's, or npm's. Its lock names that pid and the start time the old collector had.
    other = await otherProgram();
    await writeFile(join(dataDir, LOCK_FILE), `${other.pid} 1`);
    const release = await takeLock(dataDir);
    expect(await readFile(join(dataDir, LOCK_FILE), 'utf8')).toBe(`${process.pid} ${processStart(process.pid)}`);
    await release();
  });

  it('still refuses a folder whose collector is running', async () => {
    other = await otherProgram();
    await writeFile(join(dataDir, LOCK_FILE), `${other.pid} ${processStart(other.pid!)}`);
    await expect(takeLock(dataDir)).rejects.toThrow(`data folder ${dataDir} is in use by process ${other.pid}; stop it or pick another --data-dir`);
  });
});
