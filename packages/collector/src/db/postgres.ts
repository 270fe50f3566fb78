import pg from 'pg';
import type { Database, Queryable, QueryOptions, SqlValue } from './database.ts';

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
    async query<Row extends object>(sql: string, params: readonly SqlValue[] = [], options: QueryOptions = {}) {
      const values = [...params];
      const result = await (options.prepare === undefined
        ? client.query<Row>(sql, values)
        : client.query<Row>({ name: options.prepare, text: sql, values }));
      return { rows: result.rows };
    },
  };
}

/**
 * Two pools: reads (insights, the dashboard) and transactions (ingestion, migrations). A burst
 * of slow dashboard queries can take every read connection, and an acknowledged batch still
 * finds a free connection of its own.
 */
export async function openPostgres(connectionString: string): Promise<Database> {
  // JIT off: the insight queries read rollups and finish in milliseconds, but their plans cost
  // enough to trigger JIT compilation, which took seconds per query on a busy server (measured
  // 2.1 s with, 25 ms without, for churn's segment query on a million events).
  const options = '-c jit=off';
  const reads = new pg.Pool({ connectionString, types: typeParsers, max: 6, options });
  const writes = new pg.Pool({ connectionString, types: typeParsers, max: 4, options });
  // Fail at startup, not on the first event, when the server is unreachable.
  try {
    await Promise.all([reads.query('select 1'), writes.query('select 1')]);
  } catch (error) {
    await Promise.all([reads.end(), writes.end()]);
    throw error;
  }
  const direct = wrap(reads);
  return {
    engine: 'postgres',
    query: (sql, params, options) => direct.query(sql, params, options),
    async transaction(fn) {
      const client = await writes.connect();
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
    close: async () => {
      await Promise.all([reads.end(), writes.end()]);
    },
  };
}
