#!/usr/bin/env node
// Recomputes the insight rollups from the raw events (the truth), in one transaction:
//
//   npm run rollups:rebuild -w @linger/collector [-- --data-dir <dir> | --database-url <url>]
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
const { openDatabase, rebuildRollups, defaultDataDir } = await import(entry);

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' } } });
const databaseUrl = values['database-url'] ?? (process.env.DATABASE_URL || undefined);
const dataDir = databaseUrl ? undefined : (values['data-dir'] ?? process.env.LINGER_DATA_DIR ?? defaultDataDir);
console.log(`[linger] rebuilding rollups in ${databaseUrl ? 'the PostgreSQL server (DATABASE_URL)' : dataDir}…`);
const db = await openDatabase({ databaseUrl, dataDir });
try {
  const started = performance.now();
  const events = await db.transaction((tx) => rebuildRollups(tx));
  console.log(`[linger] rollups rebuilt from ${events} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await db.close();
}
