import pg from 'pg';
import type { Database, Queryable, SqlValue } from './database.ts';

/**
 * Per-pool type parsers (not the global `pg.types`), so an application embedding the collector
 * keeps its own `pg` settings. Counts (int8) and averages (numeric) become JS numbers, as in
 * the PGlite adapter.
 */
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<Row extends object>(sql: string, params: readonly SqlValue[] = []) {
      const result = await client.query<Row>(sql, [...params]);
      return { rows: result.rows };
    },
  };
}

export async function openPostgres(connectionString: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString, types: typeParsers, max: 5 });
  // Fail at startup, not on the first event, when the server is unreachable.
  await pool.query('select 1');
  const direct = wrap(pool);
  return {
    engine: 'postgres',
    query: (sql, params) => direct.query(sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(wrap(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
