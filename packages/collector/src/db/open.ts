import type { Database } from './database.ts';
import { migrate, type Migration } from './migrations.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export interface OpenDatabaseOptions {
  /** A PostgreSQL URL: use that server instead of the embedded engine. */
  databaseUrl?: string | undefined;
  /** Folder for the embedded engine; undefined keeps it in memory. */
  dataDir?: string | undefined;
  /** A PGlite data-folder dump a new embedded database starts from (skips initdb). */
  pgliteTemplate?: string | undefined;
  /** Hears of each migration about to be applied. */
  onMigration?: ((migration: Migration) => void) | undefined;
}

/** Where a URL points, its password left out: start-up errors go to logs. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.href;
  } catch {
    return 'not a URL';
  }
}

/**
 * The server the collector could not reach, named: DATABASE_URL is a common name, and a shell
 * may hold another app's, so a bare "connect ECONNREFUSED" left the vendor guessing.
 */
async function reachPostgres(url: string): Promise<Database> {
  try {
    return await openPostgres(url);
  } catch (error) {
    throw new Error(`the PostgreSQL server of DATABASE_URL / --database-url (${shown(url)}) could not be opened: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Opens the configured engine and brings its schema up to date. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const db = options.databaseUrl
    ? await reachPostgres(options.databaseUrl)
    : await openPglite(options.dataDir, options.pgliteTemplate);
  try {
    await migrate(db, options.onMigration);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
