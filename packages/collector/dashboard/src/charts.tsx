import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface Series {
  label: string;
  values: (number | null)[];
}

const PALETTE = ['#4f46e5', '#0d9488', '#d97706', '#db2777', '#2563eb', '#65a30d', '#9333ea', '#dc2626'];

/** A line chart over UTC days (uPlot draws local time unless told otherwise). */
export function DayChart({ days, series, height = 220 }: { days: string[]; series: Series[]; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || days.length === 0) return;
    const xs = days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
    const plot = new uPlot(
      {
        width: el.clientWidth || 600,
        height,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: PALETTE[i % PALETTE.length], width: 2, points: { show: days.length < 40 } }))],
        axes: [{}, { size: 48 }],
        scales: { x: { time: true } },
      },
      [xs, ...series.map((s) => s.values)],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, series, height]);
  return <div ref={ref} class="chart" />;
}

/** Horizontal bars for shares and funnels: a label, a bar as wide as the share, the numbers. */
export function Bars({ rows }: { rows: { label: string; value: number; share: number | null; note?: string }[] }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <table class="bars">
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <th scope="row">{row.label}</th>
            <td class="bar-cell">
              <span class="bar" style={{ width: `${(row.value / max) * 100}%` }} />
            </td>
            <td class="num">{row.value.toLocaleString()}</td>
            <td class="num muted">{row.note ?? (row.share === null ? '' : `${Math.round(row.share * 100)}%`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
