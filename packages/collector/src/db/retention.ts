import type { Database } from './database.ts';
import { dropExpiredPartitions } from './partitions.ts';

const DAY = 86_400_000;

/** Runs the retention at start and once a day; `stop` waits for a run under way. */
export function startRetention(db: Database, months: number, now: () => Date, log: (line: string) => void) {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = dropExpiredPartitions(db, months, now()).then(
      (dropped) => {
        if (dropped.length > 0) log(`[linger] retention (${months} months): dropped ${dropped.join(', ')}`);
      },
      (error: unknown) => log(`[linger] retention failed: ${(error as Error).message}`),
    );
  };
  run();
  const timer = setInterval(run, DAY);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
