import { Bars } from './charts.tsx';
import { num, percent } from './format.ts';
import { Card, Show, Stat, type SectionProps } from './sections.tsx';
import { useInsight } from './use-insight.ts';

/** A rate is never shown without the count it is a share of. */
function Rate({ label, part, whole, hint }: { label: string; part: number; whole: number; hint?: string }) {
  return <Stat label={`${label} · ${num(part)} of ${num(whole)}`} value={percent(whole > 0 ? part / whole : null, 1)} hint={hint} />;
}

export function Announcements({ filters, refresh }: SectionProps) {
  const loaded = useInsight('announcements', filters, refresh);
  return (
    <Card title="Announcements: adoption">
      <Show loaded={loaded}>
        {(data) => (
          <>
            {data.announcements.length === 0 && <p class="muted">No announcement of a feature was seen in this range.</p>}
            {data.announcements.map((a) => (
              <div key={`${a.announcementId}:${a.feature}`}>
                <h3>
                  {a.announcementId} → {a.feature}
                </h3>
                <div class="stats">
                  <Rate label="used it after seeing it" part={a.usedAfter} whole={a.seen} hint="Feature Used with this feature after the first Announcement Shown, before the range end" />
                  <Rate label="new users of it" part={a.newUsers} whole={a.seen} hint="…and had not used it in the 90 days before" />
                </div>
              </div>
            ))}
          </>
        )}
      </Show>
    </Card>
  );
}

export function Billing({ filters, refresh }: SectionProps) {
  const loaded = useInsight('billing', filters, refresh);
  return (
    <Card title="Billing: payments, annual plans, pauses" wide>
      <Show loaded={loaded}>
        {({ recoveredPayments: paid, annualOffer, pauses }) => (
          <div class="two">
            <div>
              <h3>Recovered payments</h3>
              <div class="stats">
                <Rate label="recovered" part={paid.recovered} whole={paid.prompted} hint="shown a past-due banner or wall, then Payment Prompt Resolved (paymentStatus became active: paid again)" />
                {paid.byStage.map((s) => (
                  <Rate key={s.stage} label={s.stage === 'wall' ? 'reached the wall' : 'banner only'} part={s.recovered} whole={s.prompted} />
                ))}
              </div>
              <h3>Annual plan: offer vs holdout</h3>
              <div class="stats">
                {annualOffer.arms.map((arm) => (
                  <Rate key={arm.variant} label={`${arm.variant} went annual`} part={arm.converted} whole={arm.exposed} hint={`${arm.accepted} accepted the offer; the rest switched through their billingInterval trait`} />
                ))}
                <Stat label="lift (offer − holdout)" value={annualOffer.lift === null ? '—' : `${(annualOffer.lift * 100).toFixed(1)} pts`} />
              </div>
            </div>
            <div>
              <h3>Pauses</h3>
              <div class="stats">
                <Stat label="paused" value={num(pauses.paused)} />
                <Rate
                  label="resumed"
                  part={pauses.resumed}
                  whole={pauses.due}
                  hint="of pauses that have ended (resumesAt passed) or resumed early: Subscription Resumed, or paymentStatus/status active after resumesAt"
                />
              </div>
              {/* both lists split the same pauses: one sentence when there are none */}
              {pauses.byMonths.length === 0 && pauses.bySource.length === 0 ? <p class="muted">No pause was taken in this range.</p> : (
                <>
                  <Bars rows={pauses.byMonths.map((m) => ({ label: `${m.months} month${m.months === 1 ? '' : 's'}`, value: m.paused, share: null }))} title="Pauses by length" head={['length', 'pauses', '']} empty="No pause in this range said its length." />
                  <Bars rows={pauses.bySource.map((s) => ({ label: s.source, value: s.paused, share: null }))} title="Pauses by where they were taken" head={['taken from', 'pauses', '']} empty="No pause in this range said where it was taken." />
                </>
              )}
            </div>
          </div>
        )}
      </Show>
    </Card>
  );
}
