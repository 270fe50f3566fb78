/**
 * Whether a failed insert was about the rows themselves (a value PostgreSQL or the driver
 * can't take), not about the database: retrying such an event fails again however long one
 * waits, so it is set apart instead of holding back the events stored with it. Anything else
 * (a lost connection, a full disk) is the database's, and worth retrying.
 */
export function isDataError(error: unknown): boolean {
  // A value too deep or too large to serialise fails in JavaScript, before any SQL runs.
  if (error instanceof RangeError || error instanceof TypeError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  // SQLSTATE classes: 22 data exception, 23 integrity constraint (a missing partition is 23514),
  // 42 syntax or name (a partition name from an impossible month), 54 program limit exceeded.
  return ['22', '23', '42', '54'].includes(code.slice(0, 2));
}
