import type { DayRange } from './items'

type DayKey = string

/** A reviewed month (`2026-11`, the `period` of `Value Review Shown`) and the stretch of the month before it is compared with. */
export interface ReviewPeriod {
  period: string
  current: DayRange
  previous: DayRange
  /** The month is over (a scheduled review) or still running (on demand, "so far"). */
  complete: boolean
}

const pad = (n: number) => (n < 10 ? '0' : '') + n
const monthKey = (y: number, m: number) => `${y}-${pad(m)}`
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()
const shift = (y: number, m: number, by: number): [number, number] => {
  const i = y * 12 + (m - 1) + by
  return [Math.floor(i / 12), (i % 12) + 1]
}

/** The month after `period` (YYYY-MM). */
export const monthAfter = (period: string): string => monthKey(...shift(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 1))

/**
 * What a review shows on `today` (the user's local day). On schedule, at the first visit of a
 * month: the month that just ended, against the whole month before. On demand: this month so
 * far, against the same days of last month, so the comparison is like for like.
 */
export function reviewPeriod(today: DayKey, complete: boolean): ReviewPeriod {
  const y = Number(today.slice(0, 4))
  const m = Number(today.slice(5, 7))
  const [cy, cm] = complete ? shift(y, m, -1) : [y, m]
  const [py, pm] = shift(cy, cm, -1)
  const lastDay = complete ? daysIn(cy, cm) : Number(today.slice(8, 10))
  return {
    period: monthKey(cy, cm),
    current: { from: `${monthKey(cy, cm)}-01`, to: `${monthKey(cy, cm)}-${pad(lastDay)}` },
    previous: { from: `${monthKey(py, pm)}-01`, to: `${monthKey(py, pm)}-${pad(complete ? daysIn(py, pm) : Math.min(lastDay, daysIn(py, pm)))}` },
    complete,
  }
}

/** The runtime's own day of `ms`: the usage profile's own, so the two never key a day apart (and it is in the page already). */
export { localDayKey as dayOf } from '../../usage'
