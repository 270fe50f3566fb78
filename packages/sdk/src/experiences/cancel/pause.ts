/**
 * Pause lengths and resume dates. A pause offer's `months` (1–3) is the longest pause it allows;
 * the user picks 1 to that many months.
 */

/** A whole number of months the offer allows (an older cached document may say more than 3). */
export const pauseAllowed = (months: number, max: number): boolean => Number.isInteger(months) && months > 0 && months <= Math.min(3, max)

/**
 * The UTC calendar day (YYYY-MM-DD) a pause of `months` taken at `now` ends: the same day of the
 * month, or the month's last day when it is shorter (31 January + 1 month = 28/29 February).
 */
export function resumeDate(now: number, months: number): string {
  const d = new Date(now)
  const month = d.getUTCMonth() + months
  d.setUTCMonth(month)
  // Overflowed into the month after (31 → 3 March): day 0 is the last day of the one before.
  if (d.getUTCMonth() !== month % 12) d.setUTCDate(0)
  return d.toISOString().slice(0, 10)
}
