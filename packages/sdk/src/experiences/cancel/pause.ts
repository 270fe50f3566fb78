/**
 * Pause lengths and resume dates. A pause offer's `months` is the longest pause it allows; the
 * user picks 1 to that many months (never more than MAX_PAUSE_MONTHS).
 */

export const MAX_PAUSE_MONTHS = 3

/** The month counts a user may choose for an offer allowing `max` months. */
export const pauseChoices = (max: number): number[] => Array.from({ length: Math.max(1, Math.min(MAX_PAUSE_MONTHS, Math.floor(max) || 1)) }, (_, i) => i + 1)

/**
 * The UTC calendar day (YYYY-MM-DD) a pause of `months` taken at `now` ends: the same day of the
 * month, or the month's last day when it is shorter (31 January + 1 month = 28/29 February).
 */
export function resumeDate(now: number, months: number): string {
  const d = new Date(now)
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1))
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay))
  return target.toISOString().slice(0, 10)
}
