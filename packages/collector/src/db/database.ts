/**
 * The one seam between the collector and its SQL engine. PGlite (embedded) and a PostgreSQL
 * server (through `pg`) both implement it, so schema, migrations and every insight query are
 * shared text and behave the same on either engine.
 */
export type SqlValue = string | number | boolean | null | Date | readonly (string | number | boolean | null)[];

export interface QueryOptions {
  /**
   * A name for the statement: a PostgreSQL connection then parses and plans it once instead of
   * on every call. Only for fixed SQL text whose best plan does not depend on the parameters
   * (the ingestion statement: its planning cost about as much as storing 40 events). The
   * embedded engine ignores it.
   */
  prepare?: string;
}

export interface Queryable {
  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly SqlValue[],
    options?: QueryOptions,
  ): Promise<{ rows: Row[] }>;
}

export interface Database extends Queryable {
  /** Runs `fn` on one connection inside BEGIN/COMMIT; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly engine: 'pglite' | 'postgres';
}
