#!/usr/bin/env node
// Starts the collector from its build, building it first when there is none (a fresh clone),
// so `node packages/collector/server.mjs` is all a newcomer needs.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, 'dist', 'server', 'cli.js');
if (!existsSync(entry)) {
  console.log('[linger] building the collector (first run)…');
  const built = spawnSync(process.execPath, [join(here, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
await import(entry);
