// Medians and spread of repeated runs, and the number formats the table uses.

export function summarize(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (!v.length) return null
  const q = (p) => {
    const i = (v.length - 1) * p
    const lo = Math.floor(i)
    return v[lo] + (v[Math.min(lo + 1, v.length - 1)] - v[lo]) * (i - lo)
  }
  return { median: q(0.5), q1: q(0.25), q3: q(0.75), min: v[0], max: v[v.length - 1], n: v.length }
}

const digits = (x) => (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : Math.abs(x) >= 1 ? 2 : 3)
export const fmt = (x) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(digits(x)))

/** "12.3 (11.0–14.1)": the median, then min–max of the runs. */
export const fmtStat = (s, unit = '') => (s ? `${fmt(s.median)}${unit} (${fmt(s.min)}–${fmt(s.max)}, n=${s.n})` : 'failed')

/** How many times `a` is `b`: "3.2×". */
export function ratio(a, b) {
  const r = a / b
  if (!a || !b || !Number.isFinite(r)) return '–'
  return `${r >= 10 ? r.toFixed(0) : r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}×`
}

export const kb = (bytes) => (bytes == null ? '–' : `${(bytes / 1024).toFixed(1)} KB`)
