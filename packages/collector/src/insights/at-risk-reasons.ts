import type { RiskReason } from './at-risk.ts';

/** How many users and accounts an at-risk answer lists. */
export const AT_RISK_LIMIT = 200;

/** The reasons of a row with the flags halved, inactive, detractor, opened, as a text array. */
export const reasonArray = (prefix = '') => `array_remove(array[
      case when ${prefix}halved then 'activity-halved' end,
      case when ${prefix}inactive then 'inactive-14d' end,
      case when ${prefix}detractor then 'nps-detractor' end,
      case when ${prefix}opened then 'cancel-flow-opened' end]::text[], null)`;

/**
 * CTEs `churned` (each person's latest cancel session), `latest_nps` and `opened` (started
 * the cancellation flow in the range, with the `outcome` of their latest flow there): needs
 * `cancel_sessions` (cut at the range end), `whole_flows` (the same flows with all their events,
 * as the churn insight judges them) and `responses`. A cancellation is as late as its last
 * event, any other session as its start: nothing in a flow that was
 * already open when the person cancelled undoes it (closed unanswered, "Keep my subscription"
 * or an offer applied late in a second tab), as the churn insight calls such a flow lapsed.
 * Only a stay (saved, kept) after it brings the person back: a flow closed unanswered or a
 * contact offer taken after cancelling leaves them cancelled, not at risk.
 */
export const riskSignalCtes = (from: string, to: string) => `
    churned as (
      select distinct on (person) person, outcome from cancel_sessions
      where outcome in ('cancelled', 'saved', 'kept')
      order by person, case when outcome = 'cancelled' then last_ts else started_at end desc, started_at desc),
    latest_nps as (
      select distinct on (person) person, score from responses
      where kind = 'nps' and score is not null order by person, ts desc),
    -- with what their flows of the range came to, told apart so no one sends a person an offer
    -- saved a second offer blind. A flow answered is as late as its answer, one left unanswered
    -- as its start: an offer applied after another flow (or tab) was closed unanswered saved
    -- them, as the churn insight counts it, which also sees answers past the range end.
    opened as (
      select distinct on (person) person, outcome from whole_flows
      where started_at >= ${from} and started_at < ${to}
      order by person, case when outcome = 'abandoned' then started_at else last_ts end desc, session_no desc)`;

export type AtRiskCounts = { population: number; halved: number; inactive: number; detractor: number; opened: number };
export type AtRiskUserRow = { person: string; reasons: RiskReason[]; active_days: number; previous_active_days: number; last_seen: string; traits: Record<string, unknown> | null; cancel_outcome: string | null };
export type AtRiskAccountRow = { group_id: string; reasons: RiskReason[]; members: number; at_risk_members: number; active_days: number; previous_active_days: number; last_seen: string; traits: Record<string, unknown> | null };
export type AtRiskRows = { counts: AtRiskCounts; users: AtRiskUserRow[]; accounts: AtRiskAccountRow[] };

/** The `counts` column of an answer, from `flagged`. */
export const countsColumn = `(select json_build_object(
          'population', count(*), 'halved', count(*) filter (where halved),
          'inactive', count(*) filter (where inactive), 'detractor', count(*) filter (where detractor),
          'opened', count(*) filter (where opened)) from flagged) as counts`;
