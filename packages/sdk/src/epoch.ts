/**
 * A date sent as a number, in ms. Below 1e11 (March 1973 in ms, the year 5138 in seconds) it is
 * Unix seconds, as Stripe sends `current_period_end`: taken as ms it would be 1970, and a rule
 * or a billing prompt would read a renewal a month away as long past.
 */
export const epochMs = (n: number): number => (Math.abs(n) < 1e11 ? n * 1000 : n)
