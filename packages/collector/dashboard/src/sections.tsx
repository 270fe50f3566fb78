import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import type { Filters } from './api.ts';
import { Bars, DayChart } from './charts.tsx';
import { ciRange, ciText, duration, npsInterval, num, percent, personKey, personLabel, rateNote, THIN, utcDate } from './format.ts';
import { useLabels } from './labels.ts';
import { useInsight, type Loaded } from './use-insight.ts';

export interface SectionProps {
  filters: Filters;
  refresh: number;
}

export function Card({ title, children, wide }: { title: string; children: ComponentChildren; wide?: boolean }) {
  return (
    <section class={wide ? 'card wide' : 'card'} aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function Show<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (loaded.state === 'loading') return <p class="muted">Loading…</p>;
  if (loaded.state === 'error') return <p class="error" role="alert">Could not load: {loaded.error}</p>;
  return <>{children(loaded.data)}</>;
}

/**
 * `hint` says what the number counts: a disclosure under the label, so a keyboard or touch user
 * reaches it too (a title shows to a hovering mouse only). `detail` is shown under the label:
 * what a rate rests on (its n and interval).
 */
export function Stat({ label, value, hint, detail }: { label: string; value: string; hint?: string; detail?: string }) {
  return (
    <div class="stat">
      <div class="stat-value">{value}</div>
      {hint ? (
        <details class="stat-hint">
          <summary class="stat-label">{label}</summary>
          <p>{hint}</p>
        </details>
      ) : <div class="stat-label">{label}</div>}
      {detail && <div class="stat-detail">{detail}</div>}
    </div>
  );
}

/**
 * A rate with what it rests on, for a table cell: its 95% interval a disclosure away, as a stat's
 * definition is (a title only shows to a mouse hovering it; keyboard and touch users never see it).
 */
function Rate({ k, n, digits = 0, of = '' }: { k: number; n: number; digits?: number; of?: string }) {
  const thin = n < THIN;
  const range = ciRange(k, n);
  return (
    <>
      <span class={thin ? 'thin' : undefined}>{n ? percent(k / n, digits) : '—'} <span class="muted small">n = {num(n)}</span></span>
      {range && (
        // beside the rate, not around it: the cell still reads "40% n = 12" to a screen reader
        <details class="rate-ci">
          <summary class="muted small">95% CI</summary>
          <p>{num(k)} of {num(n)}{of}: {range}</p>
        </details>
      )}
    </>
  );
}

/** Monday of the UTC week under way (weeks are labelled by their Monday). */
function thisWeek(): string {
  return utcDate(-((new Date().getUTCDay() + 6) % 7));
}

export function Activation({ filters, refresh }: SectionProps) {
  const loaded = useInsight('activation', filters, refresh);
  return (
    <Card title="Activation">
      <Show loaded={loaded}>
        {(data) => (
          <>
            <div class="stats">
              <Stat label="new users" value={num(data.newUsers)} hint="signed up in the range: their createdAt trait, or without one, first seen in it" />
            </div>
            {data.checklists.length === 0 && <p class="muted">No checklist activity yet.</p>}
            {data.checklists.map((list) => (
              <div key={list.id}>
                <h3>{list.title ?? list.id}</h3>
                <div class="stats">
                  <Stat label="completed" value={percent(list.completionRate)} hint={`${list.completed} of ${data.newUsers} new users`} detail={rateNote(list.completed, data.newUsers)} />
                  <Stat label="median time to complete" value={duration(list.medianSecondsToComplete)} />
                  <Stat label="started" value={num(list.started)} />
                  <Stat label="dismissed" value={num(list.dismissed)} />
                </div>
                <Bars rows={list.tasks.map((task) => ({ label: task.title ?? task.id, value: task.completed, share: task.rate }))} title={`${list.title ?? list.id}: tasks`} head={['task', 'completed by', 'of new users']} empty="No task of this checklist is known: neither the flows nor the events name one." />
              </div>
            ))}
          </>
        )}
      </Show>
    </Card>
  );
}

export function Adoption({ filters, refresh }: SectionProps) {
  const loaded = useInsight('adoption', filters, refresh);
  const activity = useMemo(
    () =>
      loaded.state === 'ready'
        ? [
            // the average of the days plotted (the card's avg DAU is MAU's last 30 of them); WAU
            // and MAU on the last day plotted, as the summary's
            { label: 'DAU', values: loaded.data.activity.dau, summary: (plotted: number) => `avg ${num(plotted ? loaded.data.activity.dau.slice(0, plotted).reduce((a, b) => a + b, 0) / plotted : loaded.data.summary.averageDau, 1)}` },
            { label: 'WAU', values: loaded.data.activity.wau, summary: (plotted: number) => `last ${num(loaded.data.activity.wau[plotted - 1] ?? 0)}` },
            { label: 'MAU', values: loaded.data.activity.mau, summary: (plotted: number) => `last ${num(loaded.data.activity.mau[plotted - 1] ?? 0)}` },
          ]
        : [],
    [loaded],
  );
  const features = useMemo(
    // at rest the legend gives each feature's people in the range: a sum of its daily users
    // would count a person once per day they used it
    () => (loaded.state === 'ready' ? loaded.data.features.slice(0, 8).map((f) => ({ label: f.feature, values: f.daily, summary: `${num(f.users)} user${f.users === 1 ? '' : 's'}` })) : []),
    [loaded],
  );
  return (
    <Card title="Feature adoption" wide>
      <Show loaded={loaded}>
        {(data) => (
          <>
            <div class="stats">
              <Stat label="active users" value={num(data.summary.activeUsers)} />
              <Stat label="avg DAU" value={num(data.summary.averageDau, 1)} hint="over the last 30 whole days of the range, as MAU" />
              <Stat label="WAU" value={num(data.summary.wau)} hint="7 days to the last whole day of the range" />
              <Stat label="MAU" value={num(data.summary.mau)} hint="30 days to the last whole day of the range" />
              <Stat label="stickiness (DAU/MAU)" value={percent(data.summary.stickiness, 1)} hint="avg DAU ÷ MAU" />
            </div>
            <div class="two">
              <div>
                <h3>Active users</h3>
                <DayChart title="Active users" days={data.days} series={activity} empty="No day in this range." />
              </div>
              <div>
                <h3>Users per feature per day</h3>
                <DayChart title="Users per feature per day" days={data.days} series={features} empty="No feature was used in this range." />
              </div>
            </div>
            {data.features.length > 0 && (
              <>
                <h3>Feature reach</h3>
                <Bars rows={data.features.map((f) => ({ label: f.feature, value: f.users, share: f.share }))} empty="" title="Feature reach" head={['feature', 'users', 'of active users']} />
              </>
            )}
          </>
        )}
      </Show>
    </Card>
  );
}

/**
 * An account by its `name` trait and always its id: any member's browser can send the name (two
 * accounts may go by one), the id is the one the vendor's server vouched for.
 */
export function AccountName({ groupId, name }: { groupId: string; name: unknown }) {
  return typeof name === 'string' && name.trim() !== '' && name !== groupId ? <>{name} <span class="muted">{groupId}</span></> : <>{groupId}</>;
}

const counted = (n: number, one: string, many: string) => `${num(n)} ${n === 1 ? one : many}`;

export function Satisfaction({ filters, refresh }: SectionProps) {
  const loaded = useInsight('satisfaction', filters, refresh);
  const labels = useLabels();
  // Weeks with fewer than THIN answers are drawn apart (dashed): a swing there is noise.
  const weekly = useMemo(() => {
    if (loaded.state !== 'ready') return [];
    const weeks = loaded.data.npsWeekly;
    const notes = weeks.map((w) => {
      const ci = npsInterval(w);
      return ci ? `n = ${w.answers}, 95% CI ${num(ci[0])} to ${num(ci[1])}` : 'n = 0';
    });
    const overall = `overall ${num(loaded.data.nps.nps, 1)}`;
    return [
      { label: `NPS (${THIN}+ answers)`, values: weeks.map((w) => (w.answers >= THIN ? w.nps : null)), notes, summary: overall },
      { label: `NPS (fewer than ${THIN})`, values: weeks.map((w) => (w.answers < THIN ? w.nps : null)), notes, thin: true, summary: (plotted: number) => counted(weeks.slice(0, plotted).filter((w) => w.answers < THIN).length, 'thin week', 'thin weeks') },
    ];
  }, [loaded]);
  return (
    <Card title="Satisfaction" wide>
      <Show loaded={loaded}>
        {(data) => (
          <>
            <div class="stats">
              <Stat label="NPS" value={num(data.nps.nps, 1)} hint="% promoters − % detractors, of each person's latest answer" detail={npsDetail(data.nps)} />
              {/* people, not answers: a person who answered twice counts once, as the NPS hears them */}
              <Stat label="people who answered" value={num(data.nps.answers)} hint="each counts once, by their latest score in the range; the survey table's “answered” counts every answer" />
              <Stat label="promoters" value={num(data.nps.promoters)} />
              <Stat label="passives" value={num(data.nps.passives)} />
              <Stat label="detractors" value={num(data.nps.detractors)} />
            </div>
            <div class="two">
              <div>
                <h3>NPS by week</h3>
                <DayChart title="NPS by week" days={data.npsWeekly.map((w) => w.week)} series={weekly} height={180} today={thisWeek()} unit="week"
                  empty={data.npsWeekly.length === 0 ? 'No NPS answer in this range.' : 'Only this week has NPS answers so far.'} />
              </div>
              <div>
                <h3>Surveys</h3>
                {data.surveys.length === 0 && <p class="muted">No survey was shown or answered in this range.</p>}
                {data.surveys.length > 0 && <table class="grid">
                  <thead>
                    <tr><th>survey</th><th>shown</th><th>answered</th><th>rate</th><th>score</th></tr>
                  </thead>
                  <tbody>
                    {data.surveys.map((s) => (
                      <tr key={s.surveyId}>
                        <td title={s.surveyId}>{labels.survey(s.surveyId)} <span class="muted">{s.kind}</span></td>
                        <td class="num">{num(s.shown)}</td>
                        {/* answers given in the range, as the score and comments count them; the rate is of the range's showings */}
                        <td class="num">{num(s.answers)}</td>
                        <td class="num"><Rate k={s.answered} n={s.shown} of=" answered" /></td>
                        {s.choices.length > 0 || s.unlistedChoices.length > 0 ? (
                          // picks of options the poll no longer has are votes too: said apart, never dropped
                          <td class="choices">{[
                            ...s.choices.map((c) => `${c.choice} ${c.count}`),
                            ...(s.unlistedChoices.length > 0 ? [`not among the options: ${s.unlistedChoices.map((c) => `${c.choice} ${c.count}`).join(', ')}`] : []),
                          ].join(' · ')}</td>
                        ) : (
                          <td class="num">
                            {/* what each score counts, as the "answered" column counts every answer: NPS each person's latest, CSAT and CES every answer */}
                            {s.nps ? `NPS ${num(s.nps.nps, 1)} of ${counted(s.nps.answers, 'person', 'people')}`
                              : s.csat !== null ? `CSAT ${num(s.csat, 1)}% of ${counted(s.csatAnswers, 'answer', 'answers')}`
                              : s.ces !== null ? `CES ${num(s.ces, 2)} on 1–${s.cesScale ?? 7} of ${counted(s.cesAnswers, 'answer', 'answers')}` : num(s.averageScore, 2)}
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>}
                {data.surveys.length > 0 && (
                  <p class="note muted">
                    Answered: the answers given in this range, as the scores count them. Rate: the share of this range's showings
                    that got an answer, whenever it came (an answer to an earlier showing, or sent by a server, is not among them).
                  </p>
                )}
              </div>
            </div>
            <h3>Comments by category</h3>
            <div class="comments">
              {data.comments.length === 0 && <p class="muted">No comments in this range.</p>}
              {data.comments.map((group) => (
                <details key={group.category} open={group.count <= 5}>
                  <summary>{group.category} <span class="muted">({group.count})</span></summary>
                  <ul>
                    {group.latest.map((c) => (
                      <li key={`${personKey(c)}-${c.ts}`}>“{c.comment}” <span class="muted">— {personLabel(c)}{c.score !== null ? `, ${c.score}` : ''}</span></li>
                    ))}
                  </ul>
                </details>
              ))}
            </div>
          </>
        )}
      </Show>
    </Card>
  );
}

/** The cancel flows that gave a reason: what the reasons' shares are of. */
const gaveReason = (data: { reasons: { sessions: number }[] }) => data.reasons.reduce((n, r) => n + r.sessions, 0);

export function Churn({ filters, refresh }: SectionProps) {
  const loaded = useInsight('churn', filters, refresh);
  const labels = useLabels();
  return (
    <Card title="Cancellations" wide>
      <Show loaded={loaded}>
        {(data) => (
          <>
            <div class="stats">
              <Stat label="cancel flows" value={num(data.sessions)} />
              <Stat label="save rate" value={percent(data.saveRate, 1)} hint="saved and kept / cancel flows" detail={rateNote(data.outcomes.saved + data.outcomes.kept, data.sessions)} />
              <Stat label="saved" value={num(data.outcomes.saved)} hint={`took an offer; no cancellation within ${data.saveWindowDays} days (of a pause's end, for a pause)`} />
              <Stat label="kept" value={num(data.outcomes.kept)} hint={`chose to stay without an offer; no cancellation within ${data.saveWindowDays} days`} />
              <Stat label="lapsed" value={num(data.outcomes.lapsed)} hint={`saved or kept, then cancelled within ${data.saveWindowDays} days`} />
              <Stat label="contacted" value={num(data.outcomes.contacted)} hint="took a contact offer: a conversation, not a save" />
              <Stat label="cancelled" value={num(data.outcomes.cancelled)} />
              <Stat label="abandoned" value={num(data.outcomes.abandoned)} hint="left the flow without an answer" />
            </div>
            <p class="definition">
              Saved: accepted an offer (for a pause, counted from its end) and did not cancel within {data.saveWindowDays} days. Kept: answered "Keep my subscription"
              without an offer (the only way a holdout user stays) and did not cancel within them.
              {data.savedPending > 0 && ` ${num(data.savedPending)} of them are more recent than that, or still paused: staying so far.`}
              {' '}Contact offers are counted as contacted, never as saved.
            </p>
            <div class="two">
              <div>
                <h3>Reasons</h3>
                {/* The share is of the flows that gave a reason, not of all cancel flows: the head
                    says so to a screen reader, this line to the eye (the heads are hidden). */}
                {gaveReason(data) > 0 && gaveReason(data) < data.sessions && <p class="muted">Shares are of the {num(gaveReason(data))} of {num(data.sessions)} cancel flows that gave a reason.</p>}
                {/* saved (an offer taken) and kept (stayed without one) apart, as the stats above: a
                    flow kept after declining the offer read "saved 100%" here */}
                <Bars rows={data.reasons.map((r) => ({ label: labels.reason(r.reasonId), value: r.sessions, share: r.share, note: `${percent(r.share)} · ${num(r.saved)} saved, ${num(r.kept)} kept · stayed ${percent(r.saveRate)} (${ciText(r.saved + r.kept, r.sessions)})` }))}
                  title="Reasons" head={['reason', 'cancel flows', `share of the ${num(gaveReason(data))} that gave one · saved, kept · stayed (saved or kept)`]}
                  empty={data.sessions === 0 ? 'No cancel flow was opened in this range.' : 'No reason was given in this range.'} />
                <h3>Offers taken</h3>
                <Bars rows={data.acceptedOffers.map((o) => ({ label: o.offerKind, value: o.count, share: null }))} title="Offers taken" head={['offer', 'taken', '']} empty="No offer was taken in this range." />
              </div>
              <div>
                <h3>Offer vs holdout</h3>
                <Bars rows={data.variants.map((v) => ({ label: v.variant, value: v.sessions, share: null, note: `${num(v.saved)} saved, ${num(v.kept)} kept · stayed ${percent(v.saveRate, 1)} (${ciText(v.saved + v.kept, v.sessions)}) · cancelled ${percent(v.sessions ? v.cancelled / v.sessions : null, 1)}` }))} title="Offer vs holdout" head={['arm', 'cancel flows', 'saved, kept · stayed · cancelled']} empty="Neither the offer nor the holdout arm had a flow in this range." />
                {data.offerLift !== null && (
                  <p class="note muted">
                    Offers {data.offerLift >= 0 ? 'add' : 'take away'} {(Math.abs(data.offerLift) * 100).toFixed(1)} percentage points of save rate
                    over the holdout.
                  </p>
                )}
                <h3>Churn by {data.bySegment.trait}</h3>
                <Bars rows={data.bySegment.values.map((v) => ({ label: v.value, value: v.cancelled, share: null, note: `${percent(v.churnRate, 1)} of ${v.activeUsers}` }))} title={`Churn by ${data.bySegment.trait}`} head={[data.bySegment.trait, 'cancelled', 'churn rate']} empty={`Nobody active in this range has a ${data.bySegment.trait} trait.`} />
              </div>
            </div>
          </>
        )}
      </Show>
    </Card>
  );
}

const REASON_LABELS: Record<string, string> = {
  'activity-halved': 'activity halved',
  'inactive-14d': 'not seen 14 days',
  'nps-detractor': 'NPS detractor',
  'cancel-flow-opened': 'opened cancel flow',
};

const FLOW_ENDS: Record<string, string> = {
  saved: 'saved by an offer',
  kept: 'kept without an offer',
  contacted: 'asked to be contacted',
  abandoned: 'left unanswered',
};

export function AtRisk({ filters, refresh }: SectionProps) {
  const loaded = useInsight('at-risk', filters, refresh);
  // a person an offer just saved is still listed, but says so: a second offer sent blind is no outreach
  const reasons = (list: string[], flow?: string | null) =>
    list.map((r) => <span key={r} class={`tag ${r}`}>{REASON_LABELS[r] ?? r}{r === 'cancel-flow-opened' && flow ? `: ${FLOW_ENDS[flow] ?? flow}` : ''}</span>);
  return (
    <Card title="At risk" wide>
      <Show loaded={loaded}>
        {(data) => (
          <>
            <div class="stats">
              {/* the answer lists the first AT_RISK_LIMIT: the count is of all of them */}
              <Stat label="users at risk" value={`${num(data.atRiskUsers)} of ${num(data.population)}`} />
              <Stat label="accounts at risk" value={num(data.atRiskAccounts)} />
              {Object.entries(data.reasonCounts).map(([reason, count]) => (
                <Stat key={reason} label={REASON_LABELS[reason] ?? reason} value={num(count)} />
              ))}
            </div>
            <div class="two">
              <div class="scroll">
                <h3>Accounts</h3>
                {data.accounts.length < data.atRiskAccounts && <p class="muted note">The {num(data.accounts.length)} most at risk are listed.</p>}
                {data.accounts.length === 0 && <p class="muted">No account is at risk in this range.</p>}
                {data.accounts.length > 0 && <table class="grid">
                  <thead><tr><th>account</th><th>reasons</th><th>members at risk</th><th>active days</th></tr></thead>
                  <tbody>
                    {data.accounts.map((a) => (
                      <tr key={a.groupId}>
                        <td><AccountName groupId={a.groupId} name={a.traits['name']} /> <span class="muted">{String(a.traits['plan'] ?? '')}</span></td>
                        <td>{reasons(a.reasons)}</td>
                        <td class="num">{a.atRiskMembers}/{a.members}</td>
                        <td class="num">{a.activeDays} <span class="muted">(was {a.previousActiveDays})</span></td>
                      </tr>
                    ))}
                  </tbody>
                </table>}
              </div>
              <div class="scroll">
                <h3>Users</h3>
                {data.users.length < data.atRiskUsers && <p class="muted note">The {num(data.users.length)} most at risk are listed.</p>}
                {data.users.length === 0 && <p class="muted">Nobody is at risk in this range.</p>}
                {data.users.length > 0 && <table class="grid">
                  <thead><tr><th>user</th><th>reasons</th><th>last seen</th><th>active days</th></tr></thead>
                  <tbody>
                    {data.users.map((u) => (
                      <tr key={personKey(u)}>
                        <td>{personLabel(u)} <span class="muted">{String(u.traits['plan'] ?? '')}</span></td>
                        <td>{reasons(u.reasons, u.cancelFlow)}</td>
                        <td>{u.lastSeen.slice(0, 10)}</td>
                        <td class="num">{u.activeDays} <span class="muted">(was {u.previousActiveDays})</span></td>
                      </tr>
                    ))}
                  </tbody>
                </table>}
              </div>
            </div>
          </>
        )}
      </Show>
    </Card>
  );
}

export function Engagement({ filters, refresh }: SectionProps) {
  const badges = useInsight('gamification', filters, refresh);
  const tours = useInsight('guidance', filters, refresh);
  const labels = useLabels();
  return (
    <Card title="Gamification and guidance">
      <div class="stack">
        <div>
          <Show loaded={badges}>
            {(data) => (
              <>
                <h3>Badges earned <span class="muted">({data.badgeEarners} of {data.activeUsers} active users)</span></h3>
                <Bars rows={data.badges.map((b) => ({ label: b.inFlows === false ? `${b.title ?? b.badgeId} (not in the current flows)` : b.title ?? b.badgeId, value: b.earned, share: b.share }))} title="Badges earned" head={['badge', 'earned by', 'of active users']} empty="No badge was earned in this range." />
                <h3>Levels reached</h3>
                <Bars rows={data.levels.map((l) => ({ label: l.level, value: l.reached, share: null }))} title="Levels reached" head={['level', 'reached by', '']} empty="No level was reached in this range." />
              </>
            )}
          </Show>
        </div>
        <div>
          <Show loaded={tours}>
            {(data) => {
              // A hotspot is a dot most people pass by: judged as a tour, on its starts, every one read
              // "completed 0%". Its starts mean the dot shown (earlier SDKs) or opened (current): no base
              // for a rate, so what users did with it is counted.
              // A view past the first step (stepIndex, every SDK sends it) says the tour had more
              // steps when it ran, whatever the flows say now: its funnel is shown.
              const spot = (t: (typeof data.tours)[number]) => labels.hotspot(t.tourId) && t.stepViews.every((s) => s.stepIndex === 0);
              const walked = data.tours.filter((t) => !spot(t));
              const spots = data.tours.filter(spot);
              return (
              <>
                {(walked.length > 0 || spots.length === 0) && <h3>Tours</h3>}
                {data.tours.length === 0 && <p class="muted">No tour was started in this range.</p>}
                {walked.length > 0 && <table class="grid">
                  <thead><tr><th>tour</th><th>started</th><th>completed</th><th>dismissed</th><th>target missing</th><th>steps viewed</th></tr></thead>
                  <tbody>
                    {walked.map((tour) => (
                      <tr key={tour.tourId}>
                        <td title={tour.tourId}>{labels.tour(tour.tourId)}{labels.dot(tour.tourId) && <div class="muted">opens with a dot</div>}</td>
                        <td class="num">{num(tour.started)}</td>
                        <td class="num">{labels.dot(tour.tourId) ? num(tour.completed) : <Rate k={tour.completed} n={tour.started} of=" completed" />}{tour.completedWithSkips > 0 && <div class="muted">+{num(tour.completedWithSkips)} with a step skipped</div>}</td>
                        <td class="num">{labels.dot(tour.tourId) ? num(tour.dismissed) : <Rate k={tour.dismissed} n={tour.started} of=" dismissed" />}</td>
                        <td class="num">{num(tour.targetMissing)}</td>
                        <td class="muted">{tour.stepViews.map((s) => `#${s.stepIndex + 1}: ${s.views}`).join(' → ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>}
                {spots.length > 0 && <>
                  <h3>Hotspots</h3>
                  <table class="grid">
                    <thead><tr><th>hotspot</th><th>opened</th><th>done</th><th>closed</th><th>target missing</th></tr></thead>
                    <tbody>
                      {spots.map((spot) => (
                        <tr key={spot.tourId}>
                          <td title={spot.tourId}>{labels.tour(spot.tourId)}</td>
                          <td class="num">{num(spot.stepViews.find((s) => s.stepIndex === 0)?.views ?? 0)}</td>
                          <td class="num">{num(spot.completed)}</td>
                          <td class="num">{num(spot.dismissed)}</td>
                          <td class="num">{num(spot.targetMissing)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <p class="note muted">
                    Opened: its dot clicked, its tip shown. Done: Done in its tip, or a click on what it points at. Closed: its tip closed.
                  </p>
                </>}
                {/* in text, not a title: a keyboard or touch user never sees a title */}
                {data.tours.length > 0 && (
                  <p class="note muted">
                    Target missing: times a step's target was not on the page, so the tour could not show it.
                    {data.tours.some((t) => t.completedWithSkips > 0) && ' With a step skipped: finished with Done on the last step after a step before it was skipped (its target was not on the page): not counted as completed.'}
                    {walked.some((t) => labels.dot(t.tourId)) && ' Opens with a dot: completed and dismissed counted, not rated: earlier SDKs sent its Tour Started as the dot appeared, later ones once it is opened.'}
                  </p>
                )}
              </>
              );
            }}
          </Show>
        </div>
      </div>
    </Card>
  );
}

function npsDetail(s: { answers: number; promoters: number; detractors: number }): string {
  const ci = npsInterval(s);
  return ci ? `n = ${num(s.answers)} · 95% CI ${num(ci[0])} to ${num(ci[1])}` : 'n = 0';
}
