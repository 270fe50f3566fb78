import { open, readFile } from 'node:fs/promises';

/**
 * An append-only file of JSON lines with group commit: appends made while a sync runs share
 * the next one, so a hundred concurrent batches cost one or two fdatasync calls, not a hundred.
 * `undefined` path: memory only (tests and in-memory collectors have nothing to recover).
 */
export interface JournalFile {
  /** Resolves once `entry` (and everything appended before it) is on disk. */
  append(entry: unknown): Promise<void>;
  /** Entries left by a previous run; a torn line (a crash or a failed write mid-line, never acknowledged) is skipped. */
  readonly recovered: unknown[];
  /** Resolves once every append made so far is on disk. */
  settled(): Promise<void>;
  /** Empties the file unless a write is under way; the caller knows every entry is stored. */
  truncate(): Promise<void>;
  close(): Promise<void>;
}

export async function openJournalFile(path: string | undefined): Promise<JournalFile> {
  if (path === undefined) {
    return { append: () => Promise.resolve(), settled: () => Promise.resolve(), recovered: [], truncate: () => Promise.resolve(), close: () => Promise.resolve() };
  }
  const recovered: unknown[] = [];
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      recovered.push(JSON.parse(line));
    } catch {
      // a torn line (a crash mid-write, a write that failed) held no acknowledged batch
    }
  }
  const file = await open(path, 'a');
  let buffered: string[] = [];
  let waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let writing: Promise<void> | undefined;
  // A write that failed may have left part of its line: the next starts on a line of its own,
  // or the restart that skips the torn line skipped the acknowledged one joined to it.
  let torn = false;

  const flush = async (): Promise<void> => {
    while (buffered.length > 0) {
      const lines = buffered;
      const batch = waiting;
      buffered = [];
      waiting = [];
      try {
        // writeFile, not write: all of it or an error. write() takes what a full disk has room
        // for and says so only in its count, and the batch was acknowledged as a torn line.
        await file.writeFile((torn ? '\n' : '') + lines.join(''));
        await file.datasync();
        torn = false;
        for (const w of batch) w.resolve();
      } catch (error) {
        torn = true;
        for (const w of batch) w.reject(error as Error);
      }
    }
    writing = undefined;
  };

  return {
    recovered,
    append(entry) {
      return new Promise<void>((resolve, reject) => {
        buffered.push(`${JSON.stringify(entry)}\n`);
        waiting.push({ resolve, reject });
        writing ??= flush();
      });
    },
    settled: async () => {
      while (writing) await writing.catch(() => undefined);
    },
    truncate() {
      if (writing || buffered.length > 0) return Promise.resolve();
      // Appends arriving meanwhile wait in the buffer: a write racing the truncation could be lost.
      writing = file.truncate(0).then(
        () => flush(),
        () => flush(),
      );
      return writing;
    },
    async close() {
      await writing;
      await file.close();
    },
  };
}
