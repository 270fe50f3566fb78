import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/**
 * Runs initdb once for the whole run and hands its dump to every test collector, which then
 * starts in a fraction of the time. Tests still work without it (each database runs initdb).
 */
export default async function setup(project: TestProject) {
  if (!process.env['LINGER_TEST_DATABASE_URL']) {
    // Said once per run, so a green run without PostgreSQL can't pass for a full one.
    console.log('[collector] PostgreSQL suites skipped: LINGER_TEST_DATABASE_URL is not set (source scripts/ci-postgres.sh to run them)');
  }
  const dir = await mkdtemp(join(tmpdir(), 'linger-template-'));
  const db = await PGlite.create();
  const dump = await db.dumpDataDir('none');
  await db.close();
  const path = join(dir, 'pgdata.tar');
  await writeFile(path, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', path);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
