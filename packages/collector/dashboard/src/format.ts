export const percent = (share: number | null | undefined, digits = 0) =>
  share === null || share === undefined ? '—' : `${(share * 100).toFixed(digits)}%`;

export const num = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined ? '—' : value.toLocaleString(undefined, { maximumFractionDigits: digits });

export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}

/** yyyy-mm-dd of a UTC day, `offset` days from today. */
export function utcDate(offset = 0): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** The 95% Wilson interval of k successes in n trials (sound for small n and rates near 0 or 1). */
export function wilson(k: number, n: number, z = 1.96): [number, number] | null {
  if (!(n > 0)) return null;
  const p = k / n;
  const centre = p + (z * z) / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  const scale = 1 + (z * z) / n;
  return [Math.max(0, (centre - margin) / scale), Math.min(1, (centre + margin) / scale)];
}

/** "n = 120 · 95% CI 31%–48%": what a rate rests on, shown beside it. */
export function rateNote(k: number, n: number): string {
  const ci = wilson(k, n);
  return ci ? `n = ${num(n)} · 95% CI ${percent(ci[0])}–${percent(ci[1])}` : 'n = 0';
}

/**
 * The 95% interval of an NPS (promoters and detractors are two shares of the same answers), as
 * the adjusted Wald interval: three answers added, 3/4 promoter, 3/4 detractor, 3/2 passive. The
 * plain one has no width when every answer falls in one group: two promoters read "100 to 100".
 */
export function npsInterval(s: { answers: number; promoters: number; detractors: number }): [number, number] | null {
  if (!(s.answers > 0)) return null;
  const n = s.answers + 3;
  const p = (s.promoters + 0.75) / n;
  const d = (s.detractors + 0.75) / n;
  const se = 100 * Math.sqrt((p + d - (p - d) ** 2) / n);
  const nps = 100 * (p - d);
  return [Math.max(-100, nps - 1.96 * se), Math.min(100, nps + 1.96 * se)];
}

/** Fewer answers than this make a rate a guess: charts draw such points apart, dashed. */
export const THIN = 30;

/**
 * How a person of the read-outs is shown: a user by their id; an anonymous visitor linked to no
 * one (the API gives their anonymousId apart, insights/person-id.ts) as such, never looking like
 * the user whose id their anonymousId may be.
 */
export const personLabel = (p: { userId: string | null; anonymousId: string | null }): string =>
  p.userId ?? `anonymous visitor ${p.anonymousId ?? ''}`;

/** A key for a person in a list: a user and a visitor with the same id are two people. */
export const personKey = (p: { userId: string | null; anonymousId: string | null }): string =>
  p.userId === null ? `a:${p.anonymousId ?? ''}` : `u:${p.userId}`;
