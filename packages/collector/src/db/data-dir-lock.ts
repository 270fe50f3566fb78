import { readFileSync, rmSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

export const LOCK_FILE = 'linger-collector.lock';

/** A process id is alive when signal 0 reaches it (EPERM still means it exists). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When a process started, in clock ticks since boot (Linux's /proc/<pid>/stat, field 22);
 * undefined where there is no /proc. With the pid it names one process for good: a pid alone is
 * reused, and in a container the few pids there are come round again on every restart.
 */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** The holder a lock file names: `<pid>` (before start times were recorded) or `<pid> <start>`. */
function holder(text: string): { pid: number; start: string | undefined } | undefined {
  const [pidText, start] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  return Number.isSafeInteger(pid) && pid > 0 ? { pid, start } : undefined;
}

/**
 * The lock's holder still runs: its pid is alive and, where both start times are known, it is
 * the same process that wrote the lock. A collector stopped hard (SIGKILL, a power cut) leaves
 * its lock behind; another process given that pid later must not keep the folder shut.
 */
function stillHeld(text: string): number | undefined {
  const named = holder(text);
  if (!named || named.pid === process.pid || !isAlive(named.pid)) return undefined;
  const start = named.start === undefined ? undefined : processStart(named.pid);
  return start !== undefined && start !== named.start ? undefined : named.pid;
}

const heldHere = new Set<string>();

/**
 * PGlite is single-process: two collectors writing the same folder would corrupt it, so the
 * folder carries a pid lock and a second opener gets a clear error instead. Returns the release.
 */
export async function takeLock(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = resolve(dataDir, LOCK_FILE);
  if (heldHere.has(lockPath)) throw new Error(`data folder ${dataDir} is in use by process ${process.pid} (this one)`);
  const pid = stillHeld(await readFile(lockPath, 'utf8').catch(() => ''));
  if (pid !== undefined) throw new Error(`data folder ${dataDir} is in use by process ${pid}; stop it or pick another --data-dir`);
  const mine = [process.pid, processStart(process.pid)].filter((part) => part !== undefined).join(' ');
  await writeFile(lockPath, mine);
  heldHere.add(lockPath);
  // A stop signal mid-start ends the process with process.exit (cli.ts), past any await: the
  // folder is free once this process is gone, so the lock goes with it.
  const releaseOnExit = () => {
    try {
      if (readFileSync(lockPath, 'utf8') === mine) rmSync(lockPath, { force: true });
    } catch {
      // already gone, or the folder with it
    }
  };
  process.once('exit', releaseOnExit);
  return async () => {
    process.off('exit', releaseOnExit);
    heldHere.delete(lockPath);
    await rm(lockPath, { force: true });
  };
}
