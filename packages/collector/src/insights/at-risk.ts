import { AT_RISK_LIMIT, countsColumn, reasonArray, riskSignalCtes, type AtRiskRows } from './at-risk-reasons.ts';
import { atRiskRollupRows, type AtRiskTotals } from './at-risk-rollups.ts';
import { cancelSessionsCte, wholeFlowsCte } from './cancel-sessions.ts';
import type { InsightContext } from './context.ts';
import { personId, type PersonId } from './person-id.ts';
import { responsesCte } from './responses.ts';
import { scopeCtes, utcDay } from './scope.ts';
import { SqlParams } from './sql-params.ts';

/**
 * Why someone is at risk, as of the end of the range:
 * - `activity-halved`: active days in the range at most half those of the period of the same
 *   length just before it (which had at least 2, so one visit doesn't make a trend);
 * - `inactive-14d`: last seen more than 14 days before the end of the range;
 * - `nps-detractor`: their latest NPS score is 0–6;
 * - `cancel-flow-opened`: started the cancellation flow in the range and did not cancel.
 * People who did cancel are churned, not at risk, and are left out.
 */
export type RiskReason = 'activity-halved' | 'inactive-14d' | 'nps-detractor' | 'cancel-flow-opened';

export interface AtRiskUser extends PersonId {
  reasons: RiskReason[];
  activeDays: number;
  previousActiveDays: number;
  lastSeen: string;
  traits: Record<string, unknown>;
  /**
   * With `cancel-flow-opened`, what their latest flow of the range came to: `saved` (an offer
   * taken and applied), `kept` (stayed without one), `contacted` (asked to be contacted) or
   * `abandoned` (left unanswered); null without that reason. A save keeps them listed: they
   * wanted to leave days ago, and an offer often only delays it; it says so instead.
   */
  cancelFlow: 'saved' | 'kept' | 'contacted' | 'abandoned' | null;
}

export interface AtRiskAccount {
  groupId: string;
  reasons: RiskReason[];
  members: number;
  atRiskMembers: number;
  activeDays: number;
  previousActiveDays: number;
  lastSeen: string;
  traits: Record<string, unknown>;
}

export interface AtRiskInsight {
  /** People active in the range or the period before it (the population that can be at risk). */
  population: number;
  /** People and accounts at risk, all of them: `users` and `accounts` list the first AT_RISK_LIMIT. */
  atRiskUsers: number;
  atRiskAccounts: number;
  users: AtRiskUser[];
  accounts: AtRiskAccount[];
  reasonCounts: Record<RiskReason, number>;
}

/** The at-risk rows from the raw events: each person's days in the range and the period before. */
async function atRiskEventRows({ db, filter, catalog }: InsightContext): Promise<(AtRiskRows & AtRiskTotals) | undefined> {
  const p = new SqlParams();
  const { ctes, key, from, to } = scopeCtes(filter, p);
  const previousFrom = `(${from} - (${to} - ${from}))`;
  const base = `with ${ctes}, ${cancelSessionsCte(to)}, ${wholeFlowsCte}, ${responsesCte(catalog, p, to)}, ${riskSignalCtes(from, to)},
    activity as (
      select distinct person, ${utcDay()} as day, ts >= ${from} as current
      from keyed where ts >= ${previousFrom} and ts < ${to}),
    last_seen as (select person, max(ts) as last_seen from keyed where ts < ${to} group by person),
    -- activity holds each (person, day, current) once: counting rows counts days, by hashing, not sorting
    people as (
      select a.person,
             count(*) filter (where a.current)::int as active_days,
             count(*) filter (where not a.current)::int as previous_active_days
      from activity a
      where not exists (select 1 from churned c where c.person = a.person and c.outcome = 'cancelled')
      group by a.person),
    -- computed once, read by the three parts of the answer below
    flagged as materialized (
      select pe.*, ls.last_seen,
             (pe.previous_active_days >= 2 and pe.active_days * 2 <= pe.previous_active_days) as halved,
             (ls.last_seen < ${to} - interval '14 days') as inactive,
             coalesce(n.score < 7, false) as detractor,
             (o.person is not null) as opened, o.outcome as cancel_outcome
      from people pe
      join last_seen ls on ls.person = pe.person
      left join latest_nps n on n.person = pe.person
      left join opened o on o.person = pe.person)`;

  const { rows } = await db.query<AtRiskRows & AtRiskTotals>(
    `${base},
     reasoned_users as (select f.*, ${reasonArray('f.')} as reasons from flagged f),
     member_flags as (
       select m.group_id, f.*, (f.halved or f.inactive or f.detractor or f.opened) as any_reason
       from memberships m join flagged f on f.person = m.person where m.write_key = ${key}),
     account_days as (
       select distinct m.group_id, a.day, a.current
       from memberships m join activity a on a.person = m.person where m.write_key = ${key}),
     account_activity as (
       select group_id,
              count(*) filter (where current)::int as active_days,
              count(*) filter (where not current)::int as previous_active_days
       from account_days group by group_id),
     account_flags as (
       select mf.group_id, count(*)::int as members,
              count(*) filter (where mf.any_reason)::int as at_risk_members,
              max(mf.last_seen) as last_seen,
              bool_or(mf.detractor) as detractor, bool_or(mf.opened) as opened,
              aa.active_days, aa.previous_active_days,
              (aa.previous_active_days >= 2 and aa.active_days * 2 <= aa.previous_active_days) as halved,
              (max(mf.last_seen) < ${to} - interval '14 days') as inactive
       from member_flags mf join account_activity aa on aa.group_id = mf.group_id
       group by mf.group_id, aa.active_days, aa.previous_active_days),
     reasoned_accounts as (select af.*, ${reasonArray('af.')} as reasons from account_flags af)
     select
       ${countsColumn},
       (select count(*)::int from reasoned_users where cardinality(reasons) > 0) as at_risk_users,
       (select count(*)::int from reasoned_accounts where cardinality(reasons) > 0) as at_risk_accounts,
       (select coalesce(json_agg(u order by cardinality(u.reasons) desc, u.last_seen asc, u.person), '[]'::json) from (
          select r.person, r.reasons, r.active_days, r.previous_active_days, r.last_seen, ut.traits, r.cancel_outcome
          from reasoned_users r left join user_traits ut on ut.write_key = ${key} and ut.person = r.person
          where cardinality(r.reasons) > 0
          order by cardinality(r.reasons) desc, r.last_seen asc, r.person limit ${AT_RISK_LIMIT}) u) as users,
       (select coalesce(json_agg(a order by cardinality(a.reasons) desc, a.at_risk_members desc, a.group_id), '[]'::json) from (
          select r.group_id, r.reasons, r.members, r.at_risk_members, r.active_days, r.previous_active_days,
                 r.last_seen, g.traits
          from reasoned_accounts r left join group_traits g on g.write_key = ${key} and g.group_id = r.group_id
          where cardinality(r.reasons) > 0
          order by cardinality(r.reasons) desc, r.at_risk_members desc, r.group_id limit ${AT_RISK_LIMIT}) a) as accounts`,
    p.values,
  );
  return rows[0];
}

export async function atRisk(context: InsightContext): Promise<AtRiskInsight> {
  const answer = await (context.source === 'rollups' ? atRiskRollupRows(context) : atRiskEventRows(context));
  const counts = answer?.counts;
  const users = answer?.users ?? [];
  const accounts = answer?.accounts ?? [];
  const c = counts;
  return {
    population: c?.population ?? 0,
    atRiskUsers: answer?.at_risk_users ?? 0,
    atRiskAccounts: answer?.at_risk_accounts ?? 0,
    reasonCounts: {
      'activity-halved': c?.halved ?? 0,
      'inactive-14d': c?.inactive ?? 0,
      'nps-detractor': c?.detractor ?? 0,
      'cancel-flow-opened': c?.opened ?? 0,
    },
    users: users.map((r) => ({
      ...personId(r.person),
      reasons: r.reasons,
      activeDays: r.active_days,
      previousActiveDays: r.previous_active_days,
      lastSeen: new Date(r.last_seen).toISOString(),
      traits: r.traits ?? {},
      cancelFlow: (r.cancel_outcome as AtRiskUser['cancelFlow']) ?? null,
    })),
    accounts: accounts.map((r) => ({
      groupId: r.group_id,
      reasons: r.reasons,
      members: r.members,
      atRiskMembers: r.at_risk_members,
      activeDays: r.active_days,
      previousActiveDays: r.previous_active_days,
      lastSeen: new Date(r.last_seen).toISOString(),
      traits: r.traits ?? {},
    })),
  };
}
