import type { SqlValue } from '../db/database.ts';

/**
 * Collects bind parameters while a query is assembled, so fragments can be composed without
 * counting `$n` by hand. Values are always bound, never spliced into SQL text.
 */
export class SqlParams {
  readonly values: SqlValue[] = [];

  add(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
