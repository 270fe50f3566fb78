import type { CollectorOptions } from '../options.ts';

export interface TestEngine {
  name: string;
  /** Why the suite is skipped on this machine, or undefined when it runs. */
  skipReason: string | undefined;
  options: Pick<CollectorOptions, 'dataDir' | 'databaseUrl'>;
}

const postgresUrl = process.env['LINGER_TEST_DATABASE_URL'];

/**
 * Every database-backed suite runs once per engine: the embedded one always, a real
 * PostgreSQL server when LINGER_TEST_DATABASE_URL points at one (scripts/ci-postgres.sh
 * starts one and prints that URL).
 */
export const engines: TestEngine[] = [
  { name: 'pglite', skipReason: undefined, options: { dataDir: null, databaseUrl: null } },
  {
    name: 'postgres',
    skipReason: postgresUrl ? undefined : 'LINGER_TEST_DATABASE_URL is not set (see scripts/ci-postgres.sh)',
    options: { dataDir: null, databaseUrl: postgresUrl ?? null },
  },
];

/** The suite's title, carrying the skip reason so it shows in the test report. */
export const engineTitle = (engine: TestEngine) =>
  engine.skipReason ? `${engine.name} (skipped: ${engine.skipReason})` : engine.name;
