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
