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

/** Opens the configured engine and brings its schema up to date. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const db = options.databaseUrl
    ? await openPostgres(options.databaseUrl)
    : await openPglite(options.dataDir, options.pgliteTemplate);
  try {
    await migrate(db, options.onMigration);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
