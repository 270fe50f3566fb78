import { BadInsightQuery } from './bad-query.ts';
import { cancelSessionsCte, cancelSessionsRollupCte } from './cancel-sessions.ts';
import type { InsightContext } from './context.ts';
import { pauseEnd } from './pauses.ts';
import { activePeopleCte } from './person-activity.ts';
import { rollupScope } from './rollup-scope.ts';
import { scopeCtes } from './scope.ts';
import { SqlParams } from './sql-params.ts';

export interface ChurnInsight {
  sessions: number;
  /**
   * One per flow. `saved`: accepted an offer, had it applied, and did not cancel within
   * `saveWindowDays`; `kept`: answered "Keep my subscription" without an offer (the only way a
   * holdout user stays) and did not cancel within them; `lapsed`: either, then cancelled within
   * them; `contacted`: took a contact offer, a conversation rather than a save; `abandoned`:
   * left the flow without an answer.
   *
   * A pause is no stay until billing resumes: a flow saved by a pause is judged from the pause's
   * end, so it is saved only if the person did not cancel from the flow's start to the pause's
   * end plus the window (and pending until then). The end is the `resumesAt` day (UTC) of the
   * flow's `Pause Offer Accepted` (same person, an offer of the pause kind or the same offerId,
   * naming one of the flow's runs; or, sent without a runId, between the flow's first and last
   * event), else the event's time plus
   * its `months`; a pause with neither keeps the window from the flow's start.
   */
  outcomes: { saved: number; kept: number; lapsed: number; contacted: number; cancelled: number; abandoned: number };
  /** (saved + kept) / sessions: only a stay that lasted counts; an abandoned flow is not a win. */
  saveRate: number | null;
  /** How long a save must last, in days: `?saveWindow=`, default 30. */
  saveWindowDays: number;
  /** Saved or kept flows whose window is not over yet (a pause still running included): staying so far, not for good. */
  savedPending: number;
  reasons: { reasonId: string; sessions: number; share: number | null; saved: number; kept: number; saveRate: number | null }[];
  /**
   * Offers taken that took: flows that ended saved (or lapsed since) or contacted, by the kind
   * of offer. A click on an offer the vendor's server then refused, or that the user left on
   * the spinner, is no accepted offer (as a pause is counted only once in place), nor is it
   * when the user then kept their subscription without one and cancelled later (lapsed).
   */
  acceptedOffers: { offerKind: string; count: number }[];
  /** Per arm, the same outcomes and rate: the holdout can only keep, the offer arm can also be saved. */
  variants: { variant: string; sessions: number; saved: number; kept: number; cancelled: number; saveRate: number | null }[];
  /** What the offers add: the offer arm's save rate minus the holdout's (a fraction); null without both arms. */
  offerLift: number | null;
  /** People active in the range who cancelled, per value of the `by` trait (default plan). */
  bySegment: { trait: string; values: { value: string; activeUsers: number; cancelled: number; churnRate: number | null }[] };
}

export const defaultSaveWindowDays = 30;

function saveWindowDays(query: URLSearchParams): number {
  const text = query.get('saveWindow');
  if (text === null || text === '') return defaultSaveWindowDays;
  const days = Number(text);
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    throw new BadInsightQuery(`saveWindow: expected whole days from 1 to 365, got ${text}`);
  }
  return days;
}

/** Offer arm minus holdout, from the rates as rounded for the answer (so the three agree). */
function lift(rows: { variant: string; save_rate: number | null }[]): number | null {
  const rate = (variant: string) => rows.find((r) => r.variant === variant)?.save_rate ?? null;
  const offer = rate('offer');
  const holdout = rate('holdout');
  return offer === null || holdout === null ? null : Math.round((Number(offer) - Number(holdout)) * 10_000) / 10_000;
}

/** Cancellation flows started in the range, whatever day they ended on. */
export async function churn({ db, filter, query, now, source }: InsightContext): Promise<ChurnInsight> {
  const windowDays = saveWindowDays(query);
  const p = new SqlParams();
  const rollups = source === 'rollups' ? rollupScope(filter, p) : undefined;
  const scope = rollups ?? scopeCtes(filter, p);
  const { ctes, key, from, to } = scope;
  // Cancellation events are fact events either way; "active in the range" comes from the per-person active days.
  const activePeople = rollups
    ? activePeopleCte('people', rollups.personWhere, rollups.fromDay, `(${rollups.toDay} - ${rollups.fromDay})`)
    : 'people as (select distinct person from scoped)';
  const by = query.get('by') || 'plan';
  const window = `make_interval(days => ${p.add(windowDays)}::int)`;
  const nowAt = `${p.add(now)}::timestamptz`;
  // A save is judged by what the person did next, after the range too: a cancellation
  // within the window turns it into `lapsed`. `keyed` spans all time on both paths (raw
  // events, or the fact events the rollups copy), so this reads the same either way. From the
  // rollups the sessions are stored per person (db/fact-rollups.ts). A flow is judged by all
  // of its events, those past the range end too: one started on the range's last evening and
  // answered after midnight (a save the vendor's server applied then) is this range's, and no
  // other range's, so cut at the range end it read abandoned in every report.
  const whole = `'infinity'::timestamptz`;
  const sessions = rollups ? cancelSessionsRollupCte(whole, rollups.personWhere) : cancelSessionsCte(whole);
  // `Pause Offer Accepted` is no fact event (the rollups copy cancel, survey and checklist
  // events only), so the rollups path reads it from the events too, by key, event and time
  // (events_key_event_ts): a few rows. A flow's pause falls between its first and last event,
  // from the range start on (past its end for a flow answered after it), so both paths see the
  // same pauses; past the events' retention a stored flow loses its pause and is judged from
  // its start, as before pauses were.
  const pauseSource = rollups
    ? `resolved_events where write_key = ${key}${rollups.verifiedOnly ? ' and verified is not false' : ''}
         and event = 'Pause Offer Accepted' and ts >= ${from}`
    : `keyed where event = 'Pause Offer Accepted' and ts >= ${from}`;
  const base = `with ${ctes}, ${sessions},
    cancellations as materialized (
      select person, id, ts, properties -> 'traits' as traits from keyed
      where event = 'Cancel Flow Completed' and properties ->> 'outcome' = 'cancelled'),
    pauses as (
      select person, id, ts, properties ->> 'offerId' as offer_id, nullif(properties ->> 'runId', '') as run_id,
             ${pauseEnd('ts', 'properties')} as ends_at
      from ${pauseSource} and coalesce(properties ->> 'source', 'cancel-flow') <> 'standalone'),
    -- A pause that names its run (current SDKs) is that flow's, whenever it came: one another
    -- tab's flow took meanwhile is not this one's. One without (older SDKs) is the flow's if sent
    -- within it (announceApplied sends it just before the flow's saved completion). Of two, the
    -- later one is in place.
    pause_ends as (
      select distinct on (s.person, s.session_no) s.person, s.session_no, p.ends_at
      from cancel_sessions s
      join pauses p on p.person = s.person
        and case when p.run_id is not null then p.run_id = any(s.run_ids) else p.ts >= s.started_at and p.ts <= s.last_ts end
        and (s.accepted_offer = 'pause' or s.accepted_offer = p.offer_id)
      where s.outcome = 'saved' and s.started_at >= ${from} and s.started_at < ${to} and p.ends_at is not null
      order by s.person, s.session_no, p.ts desc, p.id desc),
    -- when the save window closes: a paused customer has not stayed until billing resumed
    judged as (
      select s.*, greatest(s.started_at, coalesce(pe.ends_at, s.started_at)) + ${window} as window_ends
      from cancel_sessions s left join pause_ends pe on pe.person = s.person and pe.session_no = s.session_no
      where s.started_at >= ${from} and s.started_at < ${to}),
    lapsed as (
      select distinct s.person, s.session_no from judged s
      join cancellations c on c.person = s.person and c.ts > s.started_at and c.ts <= s.window_ends
      where s.outcome in ('saved', 'kept')),
    -- materialized: each count below filters on outcome, which would otherwise be worked out again per count
    in_range as materialized (
      select s.person, s.session_no, s.started_at, s.last_ts, s.reason, s.accepted_offer, s.variant,
             case when l.person is not null then 'lapsed' else s.outcome end as outcome,
             -- what the flow itself ended as: a lapsed flow took an offer only if it was saved
             s.outcome as flow_outcome,
             s.window_ends > ${nowAt} as window_open
      from judged s left join lapsed l on l.person = s.person and l.session_no = s.session_no)`;
  const params = [...p.values, by];
  const trait = `$${params.length}`;

  type Totals = { sessions: number; saved: number; kept: number; lapsed: number; contacted: number; cancelled: number; abandoned: number; pending: number; save_rate: number | null };
  type ReasonRow = { reason: string; sessions: number; share: number | null; saved: number; kept: number; save_rate: number | null };
  type OfferRow = { offer_kind: string; count: number };
  type VariantRow = { variant: string; sessions: number; saved: number; kept: number; cancelled: number; save_rate: number | null };
  type SegmentRow = { value: string; active_users: number; cancelled: number; churn_rate: number | null };
  // One statement: the cancel sessions are worked out once for every part of the answer.
  const { rows } = await db.query<{ totals: Totals; reasons: ReasonRow[]; offers: OfferRow[]; variants: VariantRow[]; segments: SegmentRow[] }>(
    `${base},
     ${activePeople},
     cancelled as (select person, max(last_ts) as last_ts from in_range where outcome = 'cancelled' group by person),
     -- Who cancelled in the range counts under the value they cancelled from (the SDK sends
     -- the user's traits with the cancellation): a vendor's billing that moves them to a free
     -- plan right after must not turn paid churn into free churn. Older SDKs sent none. A flow
     -- of the range may be confirmed past its end: up to the last of them.
     cancelled_from as (
       select distinct on (c.person) c.person, c.traits ->> ${trait} as value
       from cancellations c join cancelled d on d.person = c.person
       where c.ts >= ${from} and c.ts <= d.last_ts and c.traits ->> ${trait} is not null
       order by c.person, c.ts desc, c.id desc),
     valued as (
       select pe.person, coalesce(cf.value, ut.traits ->> ${trait},
         (select min(g.traits ->> ${trait}) from memberships m
            join group_traits g on g.write_key = m.write_key and g.group_id = m.group_id
            where m.write_key = ${key} and m.person = pe.person), '(none)') as value
       from people pe
       left join cancelled_from cf on cf.person = pe.person
       left join user_traits ut on ut.write_key = ${key} and ut.person = pe.person)
     select
       (select row_to_json(t) from (
          select count(*)::int as sessions,
                 count(*) filter (where outcome = 'saved')::int as saved,
                 count(*) filter (where outcome = 'kept')::int as kept,
                 count(*) filter (where outcome = 'lapsed')::int as lapsed,
                 count(*) filter (where outcome = 'contacted')::int as contacted,
                 count(*) filter (where outcome in ('saved', 'kept') and window_open)::int as pending,
                 count(*) filter (where outcome = 'cancelled')::int as cancelled,
                 count(*) filter (where outcome = 'abandoned')::int as abandoned,
                 round(count(*) filter (where outcome in ('saved', 'kept'))::numeric / nullif(count(*), 0), 4) as save_rate
          from in_range) t) as totals,
       (select coalesce(json_agg(r order by r.sessions desc, r.reason), '[]'::json) from (
          select reason, count(*)::int as sessions,
                 round(count(*)::numeric / nullif(sum(count(*)) over (), 0), 4) as share,
                 count(*) filter (where outcome = 'saved')::int as saved,
                 count(*) filter (where outcome = 'kept')::int as kept,
                 round(count(*) filter (where outcome in ('saved', 'kept'))::numeric / count(*), 4) as save_rate
          from in_range where reason is not null group by reason) r) as reasons,
       (select coalesce(json_agg(o order by o.count desc, o.offer_kind), '[]'::json) from (
          select accepted_offer as offer_kind, count(*)::int as count
          from in_range where accepted_offer is not null and flow_outcome in ('saved', 'contacted') group by 1) o) as offers,
       (select coalesce(json_agg(v order by v.variant), '[]'::json) from (
          select variant, count(*)::int as sessions,
                 count(*) filter (where outcome = 'saved')::int as saved,
                 count(*) filter (where outcome = 'kept')::int as kept,
                 count(*) filter (where outcome = 'cancelled')::int as cancelled,
                 round(count(*) filter (where outcome in ('saved', 'kept'))::numeric / count(*), 4) as save_rate
          from in_range where variant is not null group by 1) v) as variants,
       (select coalesce(json_agg(x order by x.active_users desc, x.value), '[]'::json) from (
          select v.value, count(*)::int as active_users, count(c.person)::int as cancelled,
                 round(count(c.person)::numeric / count(*), 4) as churn_rate
          from valued v left join cancelled c on c.person = v.person
          group by v.value) x) as segments`,
    params,
  );
  const answer = rows[0];
  const totals = { rows: answer ? [answer.totals] : [] };
  const reasons = { rows: answer?.reasons ?? [] };
  const offers = { rows: answer?.offers ?? [] };
  const variants = { rows: answer?.variants ?? [] };
  const segments = { rows: answer?.segments ?? [] };

  const t = totals.rows[0];
  return {
    sessions: t?.sessions ?? 0,
    outcomes: {
      saved: t?.saved ?? 0,
      kept: t?.kept ?? 0,
      lapsed: t?.lapsed ?? 0,
      contacted: t?.contacted ?? 0,
      cancelled: t?.cancelled ?? 0,
      abandoned: t?.abandoned ?? 0,
    },
    saveRate: t?.save_rate ?? null,
    saveWindowDays: windowDays,
    savedPending: t?.pending ?? 0,
    reasons: reasons.rows.map((r) => ({ reasonId: r.reason, sessions: r.sessions, share: r.share, saved: r.saved, kept: r.kept, saveRate: r.save_rate })),
    acceptedOffers: offers.rows.map((r) => ({ offerKind: r.offer_kind, count: r.count })),
    variants: variants.rows.map((r) => ({ variant: r.variant, sessions: r.sessions, saved: r.saved, kept: r.kept, cancelled: r.cancelled, saveRate: r.save_rate })),
    offerLift: lift(variants.rows),
    bySegment: {
      trait: by,
      values: segments.rows.map((r) => ({ value: r.value, activeUsers: r.active_users, cancelled: r.cancelled, churnRate: r.churn_rate })),
    },
  };
}
