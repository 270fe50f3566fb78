import { num, percent } from './format.ts';
import { AccountName, Card, Show, Stat, type SectionProps } from './sections.tsx';
import { useInsight } from './use-insight.ts';

/** A rate is never shown without the count it is a share of. */
function Rate({ label, part, whole, hint }: { label: string; part: number; whole: number; hint?: string }) {
  return <Stat label={`${label} · ${num(part)} of ${num(whole)}`} value={percent(whole > 0 ? part / whole : null, 1)} hint={hint} />;
}

/** "1.3 → 2.0": a mean before and after, or — when nobody is in the n yet. */
const beforeAfter = (before: number | null, after: number | null) =>
  before === null || after === null ? '—' : `${before.toFixed(1)} → ${after.toFixed(1)}`;

export function ValueReviews({ filters, refresh }: SectionProps) {
  const loaded = useInsight('value-reviews', filters, refresh);
  return (
    <Card title="Value reviews: activity after">
      <Show loaded={loaded}>
        {(data) => (
          <>
            <p class="definition">
              People who first saw the review in the range, active (any event) in the {data.windowDays} days before the day they saw it
              and in the {data.windowDays} days after; the day itself counts on neither side. Only people whose {data.windowDays} days after are
              over are counted. The same people before and after, not a holdout: it says what followed, not what the review caused.
            </p>
            {data.reviews.length === 0 && <p class="muted">No value review was seen in this range.</p>}
            {data.reviews.map((r) => (
              <div key={r.reviewId}>
                <h3>{r.reviewId}</h3>
                <div class="stats">
                  <Stat label="saw it" value={num(r.seen)} hint={`${num(r.seen - r.due)} of them still within their ${data.windowDays} days after`} />
                  <Rate label={`active in the ${data.windowDays} days after`} part={r.activeAfter} whole={r.due} />
                  <Rate label={`active in the ${data.windowDays} days before`} part={r.activeBefore} whole={r.due} />
                  <Stat label="active days, before → after" value={beforeAfter(r.activeDaysBefore, r.activeDaysAfter)} hint={`mean per person, of ${num(r.due)}`} />
                </div>
              </div>
            ))}
          </>
        )}
      </Show>
    </Card>
  );
}

export function Leaderboards({ filters, refresh }: SectionProps) {
  const loaded = useInsight('leaderboards', filters, refresh);
  return (
    <Card title="Leaderboards: points after a look">
      <Show loaded={loaded}>
        {(data) => (
          <>
            <p class="definition">
              People who first looked at their account's leaderboard in the range, and whether they earned points (badges, checklist
              tasks) in the {data.windowDays} days before and after that look. Only people whose {data.windowDays} days after are over are counted.
            </p>
            <div class="stats">
              <Stat label="accounts" value={num(data.groups)} hint="accounts whose leaderboard someone viewed" />
              <Stat label="viewers" value={num(data.total.viewers)} hint={`${num(data.total.viewers - data.total.due)} of them still within their ${data.windowDays} days after`} />
              <Rate label="earned points after" part={data.total.earnedAfter} whole={data.total.due} hint={`${num(data.total.pointsAfter)} points`} />
              <Rate label="earned points before" part={data.total.earnedBefore} whole={data.total.due} hint={`${num(data.total.pointsBefore)} points`} />
            </div>
            {data.byGroup.length > 0 && (
              <table class="grid">
                <thead><tr><th>account</th><th>viewers</th><th>earned before</th><th>earned after</th></tr></thead>
                <tbody>
                  {data.byGroup.map((g) => (
                    <tr key={g.groupId}>
                      <td><AccountName groupId={g.groupId} name={g.name} /></td>
                      <td>{num(g.viewers)}</td>
                      <td>{percent(g.earnedBeforeRate)} <span class="muted small">{num(g.earnedBefore)} of {num(g.due)}</span></td>
                      <td>{percent(g.earnedAfterRate)} <span class="muted small">{num(g.earnedAfter)} of {num(g.due)}</span></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Show>
    </Card>
  );
}
