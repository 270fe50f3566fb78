/**
 * "42%". Never "100%" for 499 of 500 nor "0%" for 1 of 500: all or none is read as a fact (nobody
 * left to help, nobody got there), so a rate that only rounds to it says ">99%" or "<1%". Within
 * 1e-9 of 0 or 1 is exact: all or none, reached in floating point.
 */
export const percent = (share: number | null | undefined, digits = 0) => {
  if (share === null || share === undefined) return '—';
  const text = (share * 100).toFixed(digits);
  const step = (10 ** -digits).toFixed(digits);
  if (share > 1e-9 && share < 1 - 1e-9) {
    if (Number(text) >= 100) return `>${(100 - Number(step)).toFixed(digits)}%`;
    if (Number(text) <= 0) return `<${step}%`;
  }
  return `${text}%`;
};

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

/**
 * The 95% interval's ends in whole percents, rounded outward (never ">99%", "<1%"): the rate shown
 * beside it, rounded or ">99%", sits inside ("CI 100–>99%" read backwards). 1e-9: 0.29 * 100 is
 * 28.999…
 */
const ciEnds = (k: number, n: number) => {
  const ci = wilson(k, n);
  return ci && [Math.floor(ci[0] * 100 + 1e-9), Math.ceil(ci[1] * 100 - 1e-9)];
};

/** "31%–48%", or null without a trial. */
export const ciRange = (k: number, n: number) => {
  const ends = ciEnds(k, n);
  return ends && `${ends[0]}%–${ends[1]}%`;
};

/** "n = 120 · 95% CI 31%–48%": what a rate rests on, shown beside it. */
export function rateNote(k: number, n: number): string {
  const range = ciRange(k, n);
  return range ? `n = ${num(n)} · 95% CI ${range}` : 'n = 0';
}

/** "95% CI 31–48%, n = 12" for a bar's note. */
export function ciText(k: number, n: number): string {
  const ends = ciEnds(k, n);
  return ends ? `95% CI ${ends[0]}–${ends[1]}%, n = ${num(n)}` : 'n = 0';
}

/**
 * The 95% interval of an NPS, on its -100..100 scale: the NPS values t that a score test at t
 * does not reject (Tango's interval; promoters, passives and detractors are one multinomial, as
 * the two sides of paired answers). It always holds the score shown beside it (an adjusted Wald
 * interval centres a shrunk one: one detractor read "-100 NPS · CI -99 to 49"), stays wide for
 * a few answers (two promoters are not "100 to 100"), and is the plain ±1.96 standard errors for
 * many. Without passives it is the promoters' Wilson interval.
 */
export function npsInterval(s: { answers: number; promoters: number; detractors: number }): [number, number] | null {
  const n = s.answers, x = s.promoters, y = s.detractors;
  if (!(n > 0)) return null;
  // Whether the answers reject NPS t: its likeliest detractor share d (promoters d + t) solves
  // 2n·d² + (t(2n − x + y) − x − y)·d − y·t(1 − t) = 0, and one answer's variance is 2d + t − t².
  const rejects = (t: number) => {
    const b = t * (2 * n - x + y) - x - y;
    const d = (Math.sqrt(Math.max(0, b * b + 8 * n * y * t * (1 - t))) - b) / (4 * n);
    return (x - y - n * t) ** 2 > 3.8416 * n * (2 * d + t - t * t); // 1.96², as wilson()
  };
  // From the score itself (never rejected) out to an end, halving: the bound kept is one not rejected.
  const bound = (end: number) => {
    let kept = (x - y) / n;
    if (rejects(end)) for (let i = 0; i < 40; i++) { const t = (kept + end) / 2; if (rejects(t)) end = t; else kept = t; }
    else kept = end;
    return 100 * kept;
  };
  return [bound(-1), bound(1)];
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

/**
 * When an event happened, as the live list shows it: the time alone today, with its date on any
 * other day, as a device that was offline sends a week-old answer among today's.
 */
export function eventTime(ts: string, now = new Date()): string {
  const at = new Date(ts);
  const time = at.toLocaleTimeString();
  return at.toDateString() === now.toDateString() ? time : `${at.toLocaleDateString()} ${time}`;
}
