/** A share rounded to 4 decimals, or null when there is nothing to divide by (not 0: unknown). */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}
