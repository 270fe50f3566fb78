/**
 * CTE `cancel_sessions`: one row per cancellation flow. Cancel events carry no session id, so
 * a session is everything a person sends from one `Cancel Flow Started` to the next. Needs
 * `keyed` and the range end `to`. `outcome` is what `Cancel Flow Completed` said; a session
 * without it counts as saved when an offer was accepted, else abandoned (the person left the
 * flow without cancelling). An accepted `contact` offer is `contacted`, whatever the SDK said.
 * Whether a save lasted is the churn insight's business (the save window).
 */
export function cancelSessionsCte(to: string): string {
  return `
    cancel_events as (
      select person, id, ts, event, properties,
             sum(case when event = 'Cancel Flow Started' then 1 else 0 end)
               over (partition by person order by ts, id) as session_no
      from keyed where event like 'Cancel %' and ts < ${to}),
    cancel_raw as (
      select person, session_no,
             min(ts) as started_at,
             (array_agg(properties ->> 'reasonId' order by ts desc, id desc)
               filter (where event = 'Cancel Reason Selected' and properties ->> 'reasonId' is not null))[1] as reason,
             (array_agg(properties ->> 'variant' order by ts, id) filter (where properties ->> 'variant' is not null))[1] as variant,
             bool_or(event = 'Cancel Offer Shown') as offer_shown,
             (array_agg(coalesce(properties ->> 'offerKind', properties ->> 'offerId') order by ts, id)
               filter (where event = 'Cancel Offer Accepted'))[1] as accepted_offer,
             (array_agg(properties ->> 'outcome' order by ts desc, id desc)
               filter (where event = 'Cancel Flow Completed' and properties ->> 'outcome' is not null))[1] as completed_outcome
      from cancel_events where session_no > 0 group by person, session_no),
    cancel_sessions as (
      select person, session_no, started_at, reason, accepted_offer,
             -- a flow that reported no variant but showed an offer was in the offer arm
             coalesce(variant, case when offer_shown then 'offer' end) as variant,
             case
               -- older SDKs reported a click on a contact offer as saved: it is a conversation
               when accepted_offer = 'contact' and coalesce(completed_outcome, 'saved') = 'saved' then 'contacted'
               else coalesce(completed_outcome, case when accepted_offer is not null then 'saved' else 'abandoned' end)
             end as outcome
      from cancel_raw)`;
}
