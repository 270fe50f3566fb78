import { open } from 'node:fs/promises';
import type { EventRow } from './store.ts';

/**
 * Where the embedded engine puts an acknowledged event the database won't take even alone.
 * It was acknowledged, so it can't be dropped; retried forever it would hold back every event
 * after it and, from the journal, stop the collector from starting. Each line holds the error
 * and the event as sent (`writeKey`, `message`), so an operator can fix and resend it through
 * `/v1/batch`. `undefined` path (an in-memory collector): the log line is all there is.
 */
export interface Quarantine {
  /** Resolves once the event is on disk (or, failing that, in the log); never rejects. */
  hold(row: EventRow, error: unknown): Promise<void>;
}

export function quarantineFile(path: string | undefined, log: (line: string) => void): Quarantine {
  return {
    async hold(row, error) {
      const reason = error instanceof Error ? error.message : String(error);
      log(`[linger] event ${row.message.messageId} (key ${row.writeKey}) could not be stored and was set aside${path ? ` in ${path}` : ''}: ${reason}`);
      if (path === undefined) return;
      const at = new Date().toISOString();
      let line: string;
      try {
        line = JSON.stringify({ at, error: reason, writeKey: row.writeKey, ts: row.ts.toISOString(), message: row.message });
      } catch (unserialisable) {
        // The event itself may be what breaks serialisation (too deep): keep who and why.
        line = JSON.stringify({ at, error: reason, writeKey: row.writeKey, messageId: row.message.messageId, unserialisable: String(unserialisable) });
      }
      try {
        const file = await open(path, 'a');
        try {
          await file.write(`${line}\n`);
          await file.datasync();
        } finally {
          await file.close();
        }
      } catch (unwritable) {
        // The journal is emptied next: the log is then the only copy left.
        log(`[linger] could not write ${path} (${(unwritable as Error).message}); the event was: ${line}`);
      }
    },
  };
}
