/**
 * The one seam between the collector and its SQL engine. PGlite (embedded) and a PostgreSQL
 * server (through `pg`) both implement it, so schema, migrations and every insight query are
 * shared text and behave the same on either engine.
 */
export type SqlValue = string | number | boolean | null | Date | readonly (string | number | boolean | null)[];

export interface Queryable {
  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly SqlValue[],
  ): Promise<{ rows: Row[] }>;
}

export interface Database extends Queryable {
  /** Runs `fn` on one connection inside BEGIN/COMMIT; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly engine: 'pglite' | 'postgres';
}
