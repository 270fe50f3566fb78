#!/usr/bin/env node
// Recomputes the insight rollups from the raw events (the truth), in one transaction:
//
//   npm run rollups:rebuild -w @linger/collector [-- --data-dir <dir> | --database-url <url>] [--discard-dropped]
//
// Where retention dropped raw months, their rollups are all that is left of them: it refuses,
// unless --discard-dropped says to lose them.
//
// On PostgreSQL it can run beside live collectors: ingestion goes on meanwhile (batches stay
// staged, and the next refresh after the commit adds them on top); insight reads wait for it. The embedded database is single-process: stop the collector first.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, '..', 'dist', 'server', 'index.js');
if (!existsSync(entry)) {
  const built = spawnSync(process.execPath, [join(here, 'build.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const { openDatabase, rebuildRollups, droppedHistory, defaultDataDir } = await import(entry);

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' }, 'discard-dropped': { type: 'boolean' } } });
const databaseUrl = values['database-url'] ?? (process.env.DATABASE_URL || undefined);
const dataDir = databaseUrl ? undefined : (values['data-dir'] ?? process.env.LINGER_DATA_DIR ?? defaultDataDir);
console.log(`[linger] rebuilding rollups in ${databaseUrl ? 'the PostgreSQL server (DATABASE_URL)' : dataDir}…`);
const db = await openDatabase({ databaseUrl, dataDir });
try {
  const started = performance.now();
  const oldest = await droppedHistory(db);
  if (oldest && !values['discard-dropped']) {
    throw new Error(`the rollups hold days from ${oldest} whose raw events retention dropped: a rebuild from the events left would lose them (--discard-dropped to rebuild anyway)`);
  }
  const events = await db.transaction((tx) => rebuildRollups(tx));
  console.log(`[linger] rollups rebuilt from ${events} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  console.error(`[linger] rollups not rebuilt: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
