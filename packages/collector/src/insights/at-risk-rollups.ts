import { AT_RISK_LIMIT, countsColumn, reasonArray, riskSignalCtes, type AtRiskRows } from './at-risk-reasons.ts';
import { cancelSessionsRollupCte, wholeFlowsRollupCte } from './cancel-sessions.ts';
import type { InsightContext } from './context.ts';
import { activeDaysIn, activeDaysOf, lastDayBefore, personTimesCte, windowOf, zeroBitsCte } from './person-activity.ts';
import { responsesRollupCte } from './responses.ts';
import { rollupScope } from './rollup-scope.ts';
import { SqlParams } from './sql-params.ts';

/** How many people and accounts are at risk, all of them (the rows list the first AT_RISK_LIMIT). */
export type AtRiskTotals = { at_risk_users: number; at_risk_accounts: number };

/**
 * The at-risk rows from the per-person active days (insights/person-activity.ts): one short
 * row per person of the range and the period before it, whatever their number of days.
 * Everyone is flagged by whole days (last seen more than 14 days before a midnight is a last
 * active day before that day minus 14); the exact last-seen times, which order the list and
 * show in it, are looked up only for the people who can make the list (those up to the last
 * one's reason count and last day, ties included) and for the listed accounts' latest members.
 */
export async function atRiskRollupRows({ db, filter, catalog }: InsightContext): Promise<(AtRiskRows & AtRiskTotals) | undefined> {
  const p = new SqlParams();
  const scope = rollupScope(filter, p);
  const { ctes, key, from, to, fromDay, toDay, personWhere, verifiedOnly } = scope;
  const span = `(${toDay} - ${fromDay})`;
  const start = `(${fromDay} - ${span})`;
  const length = `(2 * ${span})`;
  const { rows } = await db.query<AtRiskRows & AtRiskTotals>(
    `with ${ctes}, ${cancelSessionsRollupCte(to, personWhere)}, ${wholeFlowsRollupCte(personWhere)}, ${responsesRollupCte(catalog, p, to, scope)}, ${riskSignalCtes(from, to)},
     counted as (
       select b.person, b.first_day, b.last_day, b.days,
              ${activeDaysOf('b', fromDay, span)} as active_days,
              ${activeDaysOf('b', start, span)} as previous_active_days
       from rollup_person_bits b
       where ${personWhere} and b.last_day >= ${start} and b.first_day < ${toDay}),
     -- everyone active in the range or the period before it, the churned too (a team's days are every member's)
     windowed as (
       select c.person, c.first_day, c.days, c.active_days, c.previous_active_days, ${lastDayBefore('c', toDay)} as last_day
       from counted c
       -- a last day inside the two periods is an active day in them: only a range that ends
       -- before someone's last day needs their days counted here (the counts, inlined into this
       -- filter, were otherwise computed for it and again for the columns)
       where case when c.last_day < ${toDay} then true else c.active_days + c.previous_active_days > 0 end),
     -- each of them with their flags, in one pass: the people judged (\`kept\`: not churned)
     -- and every member of an account come from it (a pass for each stored and joined the
     -- people twice). \`not in\` keeps one hashed list whatever the estimate (the stored and the
     -- cut flows, unioned, are estimated at a row, and an anti join planned for one row compared
     -- every pair at 10M).
     assessed as materialized (
       select w.person, w.first_day, w.days, w.active_days, w.previous_active_days, w.last_day,
              w.person not in (select c.person from churned c where c.outcome = 'cancelled') as kept,
              (w.previous_active_days >= 2 and w.active_days * 2 <= w.previous_active_days) as halved,
              (w.last_day < ${toDay} - 14) as inactive,
              coalesce(n.score < 7, false) as detractor,
              (o.person is not null) as opened, o.outcome as cancel_outcome
       from windowed w
       left join latest_nps n on n.person = w.person
       left join opened o on o.person = w.person),
     flagged as (
       select person, active_days, previous_active_days, last_day, halved, inactive, detractor, opened, cancel_outcome
       from assessed where kept),
     ranked as materialized (
       select f.*, ${reasonArray('f.')} as reasons from flagged f
       where f.halved or f.inactive or f.detractor or f.opened),
     cutoff as (
       select cardinality(reasons) as n, last_day from ranked
       order by cardinality(reasons) desc, last_day, person offset ${AT_RISK_LIMIT - 1} limit 1),
     candidates as (
       select r.person, r.last_day as day from ranked r left join cutoff c on true
       where c.n is null or cardinality(r.reasons) > c.n or (cardinality(r.reasons) = c.n and r.last_day <= c.last_day)),
     ${personTimesCte('candidate_times', 'candidates', key, verifiedOnly)},
     -- every membership of the people of the range, read once (an index-less scan of every
     -- membership per use was most of the accounts' cost): the churned too, whose days are their
     -- team's (as from the person-days); \`flagged\` marks the members an account's flags count
     ${zeroBitsCte('zero_bits', length)},
     member_rows as materialized (
       select m.group_id, a.person, a.first_day, a.days, coalesce(a.kept, false) as flagged,
              case when a.kept then a.last_day end as last_day,
              a.kept and (a.halved or a.inactive or a.detractor or a.opened) as any_reason,
              a.kept and a.detractor as detractor, a.kept and a.opened as opened
       from memberships m
       join assessed a on a.person = m.person
       where m.write_key = ${key}),
     account_flags as (
       select a.*,
              (a.previous_active_days >= 2 and a.active_days * 2 <= a.previous_active_days) as halved,
              (a.last_day < ${toDay} - 14) as inactive
       from (
         select mr.group_id,
                count(*) filter (where mr.flagged)::int as members,
                count(*) filter (where mr.any_reason)::int as at_risk_members,
                max(mr.last_day) as last_day,
                bool_or(mr.detractor) as detractor, bool_or(mr.opened) as opened,
                ${activeDaysIn(`bit_or(${windowOf('mr', start, length, 'zb.z')})`, span, span)} as active_days,
                ${activeDaysIn(`bit_or(${windowOf('mr', start, length, 'zb.z')})`, '0', span)} as previous_active_days
         from member_rows mr cross join zero_bits zb
         group by mr.group_id
         -- an account is judged by the members who can be at risk: one with none is not listed
         having bool_or(mr.flagged)) a),
     listed_accounts as materialized (
       select af.*, ${reasonArray('af.')} as reasons from account_flags af
       where af.halved or af.inactive or af.detractor or af.opened
       order by cardinality(${reasonArray('af.')}) desc, af.at_risk_members desc, af.group_id limit ${AT_RISK_LIMIT}),
     latest_members as (
       select distinct mr.person, mr.last_day as day
       from listed_accounts a
       join member_rows mr on mr.group_id = a.group_id and mr.flagged and mr.last_day = a.last_day),
     ${personTimesCte('member_times', 'latest_members', key, verifiedOnly)},
     account_last_seen as (
       select la.group_id, max(mt.last_ts) as last_seen
       from listed_accounts la
       join member_rows mr on mr.group_id = la.group_id
       join member_times mt on mt.person = mr.person
       group by la.group_id)
     select
       ${countsColumn},
       (select count(*)::int from ranked) as at_risk_users,
       (select count(*)::int from account_flags where halved or inactive or detractor or opened) as at_risk_accounts,
       (select coalesce(json_agg(u order by cardinality(u.reasons) desc, u.last_seen asc, u.person), '[]'::json) from (
          -- traits looked up for the listed people only, not joined to everyone's
          select l.*, (select ut.traits from user_traits ut where ut.write_key = ${key} and ut.person = l.person) as traits
          from (
            select r.person, r.reasons, r.active_days, r.previous_active_days, t.last_ts as last_seen, r.cancel_outcome
            from ranked r
            join candidate_times t on t.person = r.person
            order by cardinality(r.reasons) desc, t.last_ts asc, r.person limit ${AT_RISK_LIMIT}) l) u) as users,
       (select coalesce(json_agg(a order by cardinality(a.reasons) desc, a.at_risk_members desc, a.group_id), '[]'::json) from (
          select la.group_id, la.reasons, la.members, la.at_risk_members, la.active_days, la.previous_active_days,
                 ls.last_seen, g.traits
          from listed_accounts la
          join account_last_seen ls on ls.group_id = la.group_id
          left join group_traits g on g.write_key = ${key} and g.group_id = la.group_id) a) as accounts`,
    p.values,
  );
  return rows[0];
}
