/**
 * The cancellation flows of `source` (rows with the fact columns and `person`), as the CTEs
 * `<prefix>_runs`, `<prefix>_events`, `<prefix>_raw` and `<prefix>`: one row per flow, per
 * `partition` (the person, plus the counting mode when the rollup computes both at once). An
 * SDK that names each run of the flow (`runId` on every cancel event) has its flows told apart
 * by it, so a flow open in two tabs at once is two flows, each with its own outcome, but for a
 * cancellation confirmed in both: one flow (one customer lost), with the first one's reason. Events
 * without one (older SDKs) fall back to the person's order: everything from one `Cancel Flow
 * Started` to the next. A run with no `Cancel Flow Completed` at all (the page reloaded or the
 * tab closed mid-way) is one flow with the person's next run if that started within 30 minutes
 * of its last event. `session_no` numbers a person's flows by when they started.
 * `accepted_offer` is the offer the save was (the saved completion's), else the last one taken.
 * `run_ids`, the run ids its events named (none from older SDKs): what ties a pause to it (churn.ts).
 * `outcome` is what `Cancel Flow Completed` said; a session without it is abandoned,
 * an accepted offer included: the SDK says `saved` only once the vendor's handler applied it, so
 * a tab closed on the spinner, or left from the error, saved nobody. An accepted `contact`
 * offer is `contacted`, whatever the SDK said (there is nothing to apply). Whether a
 * save lasted is the churn insight's business (the save window). `last_ts`, the session's
 * last event, tells the rollup (db/fact-rollups.ts) whether a range end cuts it.
 */
export function sessionCtes(prefix: string, source: string, partition: string, where: string): string {
  return `
    ${prefix}_runs as (
      select ${partition}, id, ts, event, properties, properties ->> 'runId' as run_id,
             -- counted among the events without a run id only: a named run in between is not a new flow for them
             sum(case when event = 'Cancel Flow Started' then 1 else 0 end)
               over (partition by ${partition}, properties ->> 'runId' is null order by ts, id) as legacy_no
      from ${source} where event like 'Cancel %' and ${where}),
    ${prefix}_keyed as (
      select *, coalesce('r' || run_id, 'n' || legacy_no) as run_key,
             min(ts) over (partition by ${partition}, coalesce('r' || run_id, 'n' || legacy_no)) as run_start,
             max(ts) over (partition by ${partition}, coalesce('r' || run_id, 'n' || legacy_no)) as run_end,
             bool_or(event = 'Cancel Flow Started') over (partition by ${partition}, coalesce('r' || run_id, 'n' || legacy_no)) as run_started,
             bool_or(event = 'Cancel Flow Completed') over (partition by ${partition}, coalesce('r' || run_id, 'n' || legacy_no)) as run_done,
             bool_or(event = 'Cancel Flow Completed' and properties ->> 'outcome' = 'cancelled')
               over (partition by ${partition}, coalesce('r' || run_id, 'n' || legacy_no)) as run_cancelled,
             max(case when event = 'Cancel Flow Completed' and properties ->> 'outcome' = 'saved' then coalesce(properties ->> 'offerId', properties ->> 'offerKind') end)
               over (partition by ${partition}, coalesce('r' || run_id, 'n' || legacy_no)) as run_saved_by
      from ${prefix}_runs where run_id is not null or legacy_no > 0),
    -- A run that never said how it ended (not even abandoned: the page reloaded, the tab closed)
    -- and the person's next run, started within 30 minutes of its last event, are one flow: the
    -- user opened it again to answer. Counted apart, a reload halved the save rate and doubled
    -- the reason. A run the user closed said so (abandoned): the next one is a flow of its own.
    -- A cancellation confirmed in a run opened before the person's previous run was confirmed
    -- cancelled (two tabs, both confirmed) is that same cancellation, not a second customer lost.
    -- So is a save by the same offer (taken in two tabs, the vendor applied it once, and the
    -- second tab said what the first one's came to): one customer kept, one offer taken.
    ${prefix}_chain as (
      select ${partition}, run_key, run_start,
             case when lag(run_done) over w = false and run_start <= lag(run_end) over w + interval '30 minutes'
                    or (lag(run_cancelled) over w and run_cancelled and run_start <= lag(run_end) over w)
                    or (lag(run_saved_by) over w = run_saved_by and run_start <= lag(run_end) over w)
               then 0 else 1 end as opens
      from (select distinct ${partition}, run_key, run_start, run_end, run_done, run_cancelled, run_saved_by from ${prefix}_keyed where run_started) r
      window w as (partition by ${partition} order by run_start, run_key)),
    ${prefix}_flows as (
      select ${partition}, run_key, sum(opens) over (partition by ${partition} order by run_start, run_key) as session_no
      from ${prefix}_chain),
    ${prefix}_events as (
      select ${partition}, id, ts, event, properties, run_id, session_no
      -- a run is a flow from its start, as a flow without a run id is: the rest of a run whose
      -- start is not this person's (in this counting mode) is not a flow of theirs
      from ${prefix}_keyed join ${prefix}_flows using (${partition}, run_key) where run_started),
    ${prefix}_raw as (
      select ${partition}, session_no,
             min(ts) as started_at, max(ts) as last_ts,
             -- the reason the (first) cancellation gave: a flow confirmed in two tabs is the first one's
             coalesce(
               (array_agg(properties ->> 'reasonId' order by ts, id)
                 filter (where event = 'Cancel Flow Completed' and properties ->> 'outcome' = 'cancelled' and properties ->> 'reasonId' is not null))[1],
               (array_agg(properties ->> 'reasonId' order by ts desc, id desc)
                 filter (where event = 'Cancel Reason Selected' and properties ->> 'reasonId' is not null))[1]) as reason,
             (array_agg(properties ->> 'variant' order by ts, id) filter (where properties ->> 'variant' is not null))[1] as variant,
             bool_or(event = 'Cancel Offer Shown') as offer_shown,
             -- the offer the save was (a user whose first offer the vendor's server refused may go
             -- back and take another): the saved completion's, else the last one taken
             coalesce(
               (array_agg(coalesce(properties ->> 'offerKind', properties ->> 'offerId') order by ts desc, id desc)
                 filter (where event = 'Cancel Flow Completed' and properties ->> 'outcome' = 'saved'
                   and coalesce(properties ->> 'offerKind', properties ->> 'offerId') is not null))[1],
               (array_agg(coalesce(properties ->> 'offerKind', properties ->> 'offerId') order by ts desc, id desc)
                 filter (where event = 'Cancel Offer Accepted'))[1]) as accepted_offer,
             (array_agg(properties ->> 'outcome' order by ts desc, id desc)
               filter (where event = 'Cancel Flow Completed' and properties ->> 'outcome' is not null))[1] as completed_outcome,
             coalesce(array_agg(distinct run_id order by run_id) filter (where run_id is not null), '{}') as run_ids
      from ${prefix}_events group by ${partition}, session_no),
    ${prefix} as (
      select ${partition}, session_no, started_at, last_ts, reason, accepted_offer, run_ids,
             -- a flow that reported no variant but showed an offer was in the offer arm
             coalesce(variant, case when offer_shown then 'offer' end) as variant,
             case
               -- older SDKs reported a click on a contact offer as saved: it is a conversation
               when accepted_offer = 'contact' and coalesce(completed_outcome, 'saved') = 'saved' then 'contacted'
               else coalesce(completed_outcome, 'abandoned')
             end as outcome
      from ${prefix}_raw)`;
}

/**
 * CTE `cancel_sessions` (person, session_no, started_at, reason, accepted_offer, variant,
 * outcome): one row per cancellation flow from the events of `keyed` before the range end `to`.
 */
export function cancelSessionsCte(to: string): string {
  return sessionCtes('cancel_sessions', 'keyed', 'person', `ts < ${to}`);
}

/**
 * `cancelSessionsCte` from the rollup (db/fact-rollups.ts) rows `personWhere` selects (counting
 * mode and segments, insights/rollup-scope.ts; sessions are per person, so filtering people
 * before or after grouping their events gives the same sessions). A session the range end
 * `to` cuts (started before it, last event at or after it) has fewer events in the range's
 * view than stored, so its person's sessions are worked out from `keyed` as above.
 */
export function cancelSessionsRollupCte(to: string, personWhere: string): string {
  const stored = `${personWhere} and started_at < ${to}`;
  return `
    cut_people as (select distinct person from rollup_cancel_sessions where ${stored} and last_ts >= ${to}),
    ${sessionCtes('cut_sessions', 'keyed', 'person', `ts < ${to} and person in (select person from cut_people)`)},
    cancel_sessions as (
      select s.person, s.session_no, s.started_at, s.last_ts, s.reason, s.accepted_offer, s.variant, s.outcome, s.run_ids
      from rollup_cancel_sessions s
      where ${stored} and not exists (select 1 from cut_people c where c.person = s.person)
      union all
      select person, session_no, started_at, last_ts, reason, accepted_offer, variant, outcome, run_ids from cut_sessions)`;
}

/**
 * CTE `whole_flows`: `cancelSessionsCte` with every event of each flow, none cut at a range end
 * (as the churn insight reads them, which counts a flow answered after the range end by that answer).
 */
export const wholeFlowsCte = sessionCtes('whole_flows', 'keyed', 'person', 'true');

/** `wholeFlowsCte` from the rollup: its stored flows are whole, as no range end cuts them. */
export const wholeFlowsRollupCte = (personWhere: string) => `
    whole_flows as (select person, session_no, started_at, last_ts, outcome from rollup_cancel_sessions where ${personWhere})`;
