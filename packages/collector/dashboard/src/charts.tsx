import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { percent, utcDate } from './format.ts';

export interface Series {
  label: string;
  values: (number | null)[];
  /**
   * What the legend says while the pointer is not on the chart; the total by default. A function
   * is given how many points are plotted: the legend sums up those, not the day still under way.
   */
  summary?: string | ((plotted: number) => string);
  /** Drawn dashed and thin: points that rest on too few answers to trust. */
  thin?: boolean;
  /** Per point, said in the legend on hover next to the value (e.g. "n = 12"). */
  notes?: string[];
}

const PALETTE = ['#4f46e5', '#0d9488', '#d97706', '#db2777', '#2563eb', '#65a30d', '#9333ea', '#dc2626'];
const fmt = (v: number) => v.toLocaleString(undefined, { maximumFractionDigits: 1 });
const dayLabel = (ts: number) => new Date(ts * 1000).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/**
 * A line chart over UTC days (uPlot draws local time unless told otherwise). The day still
 * under way (`today`) is left out: its count so far would plot as a drop that did not happen.
 * The legend gives each series' value under the pointer, and its total (or `summary`) otherwise.
 * With no day or no series to draw, it says `empty` instead of drawing blank axes. The canvas
 * and its hover legend reach neither a keyboard nor a screen reader: the same numbers follow as
 * a table named `title`, behind a disclosure.
 */
export function DayChart({ title, days, series, empty, height = 220, today = utcDate(), unit = 'day' }: { title: string; days: string[]; series: Series[]; empty: string; height?: number; today?: string; unit?: 'day' | 'week' }) {
  const ref = useRef<HTMLDivElement>(null);
  const cut = days.at(-1) === today ? days.length - 1 : days.length;
  useEffect(() => {
    const el = ref.current;
    if (!el || cut === 0 || series.length === 0) return;
    const xs = days.slice(0, cut).map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
    const shown = series.map((s) => s.values.slice(0, cut));
    const plot = new uPlot(
      {
        width: el.clientWidth || 600,
        height,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        series: [
          { value: (_u, v) => (v == null ? `${dayLabel(xs[0]!)} – ${dayLabel(xs.at(-1)!)}` : dayLabel(v)) },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: PALETTE[i % PALETTE.length],
            width: s.thin ? 1 : 2,
            ...(s.thin ? { dash: [4, 4] } : {}),
            points: { show: cut < 40 },
            value: (_u: uPlot, v: number | null, _si: number, idx: number | null) => {
              if (idx == null) return typeof s.summary === 'function' ? s.summary(cut) : s.summary ?? fmt(shown[i]!.reduce<number>((sum, x) => sum + (x ?? 0), 0));
              if (v == null) return '—';
              const note = s.notes?.[idx];
              return note ? `${fmt(v)} (${note})` : fmt(v);
            },
          })),
        ],
        axes: [{}, { size: 48 }],
        // One point alone gets four days either side, not an axis spanning years: uPlot widens a
        // lone time point by 86 400 000 (a day in ms), and these are seconds (1000 days).
        scales: { x: { time: true, range: (_u, min, max) => (xs.length === 1 ? [xs[0]! - 4 * 86_400, xs[0]! + 4 * 86_400] : [min, max]) } },
      },
      [xs, ...shown],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, series, height, cut]);
  if (cut === 0 || series.length === 0) return <p class="muted">{empty}</p>;
  return (
    <>
      <div ref={ref} class="chart" aria-hidden="true" />
      {cut < days.length && <p class="muted note">{unit === 'week' ? `This week (from ${today})` : `Today (${today})`} is not plotted: it is not over.</p>}
      <details class="chart-table">
        <summary>{title} as a table</summary>
        <table class="grid">
          <caption class="sr-only">{title}</caption>
          <thead><tr><th scope="col">{unit}</th>{series.map((s) => <th key={s.label} scope="col">{s.label}</th>)}</tr></thead>
          <tbody>
            {days.slice(0, cut).map((day, idx) => (
              <tr key={day}>
                <th scope="row">{day}</th>
                {series.map((s) => {
                  const v = s.values[idx];
                  const note = v == null ? undefined : s.notes?.[idx];
                  return <td key={s.label} class="num">{v == null ? '—' : fmt(v)}{note && <span class="muted small"> ({note})</span>}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}

/**
 * Horizontal bars for shares and funnels: a label, a bar as wide as the share, the numbers.
 * Without rows it says `empty` (why there is nothing) instead of an empty table. `title` names
 * the table and `head` its label, count and share columns for a screen reader (the card shows
 * the title above it, and the columns speak for themselves to the eye).
 */
export function Bars({ rows, empty, title, head }: {
  rows: { label: string; value: number; share: number | null; note?: string }[];
  empty: string;
  title: string;
  head: [label: string, value: string, share: string];
}) {
  if (rows.length === 0) return <p class="muted">{empty}</p>;
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <table class="bars">
      <caption class="sr-only">{title}</caption>
      <thead class="sr-only">
        <tr><th scope="col">{head[0]}</th><td /><th scope="col">{head[1]}</th><th scope="col">{head[2]}</th></tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <th scope="row">{row.label}</th>
            <td class="bar-cell">
              <span class="bar" style={{ width: `${(row.value / max) * 100}%` }} />
            </td>
            <td class="num">{row.value.toLocaleString()}</td>
            <td class="num muted">{row.note ?? (row.share === null ? '' : percent(row.share))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
