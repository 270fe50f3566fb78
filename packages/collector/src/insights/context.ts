import type { Queryable } from '../db/database.ts';
import type { InsightFilter } from './filter.ts';
import type { FlowsCatalog } from './flows-catalog.ts';

/** Everything an insight reads: the database, the request's filter, the flows config. */
export interface InsightContext {
  db: Queryable;
  filter: InsightFilter;
  catalog: FlowsCatalog;
  /** Query parameters beyond the filter (e.g. `by` for churn by segment). */
  query: URLSearchParams;
  /** The collector's clock: whether a time window (e.g. the save window) is over yet. */
  now: Date;
  /**
   * 'rollups' (day-aligned ranges, see rollup-scope.ts) or 'events': the raw events, the truth
   * the rollups are checked against (`?source=events`).
   */
  source: 'rollups' | 'events';
}
