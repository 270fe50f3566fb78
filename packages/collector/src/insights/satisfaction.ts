import type { InsightContext } from './context.ts';
import { personId, type PersonId } from './person-id.ts';
import { dismissalReason, surveyDismissalFacts, surveyShowingFacts } from '../db/rollups.ts';
import { answerScale, choicesOf, npsBucket, npsColumns, responseIdOf, responsesCte, responsesRollupCte, scoreOnScale } from './responses.ts';
import { rollupScope } from './rollup-scope.ts';
import { jsonNumber, scopeCtes } from './scope.ts';
import { SqlParams } from './sql-params.ts';

export interface NpsSummary {
  /** People who gave a score: each counts once, by their latest score (of the range, week or survey). */
  answers: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** % promoters − % detractors, one decimal; null without answers. */
  nps: number | null;
}

export interface SurveySummary {
  surveyId: string;
  kind: string | null;
  shown: number;
  /** Of the `shown` showings, those that got an answer, whenever it came (see `satisfaction`). */
  answered: number;
  /**
   * The responses given in the range that answer the survey (a score on its scale, a comment, a
   * choice): what its scores, choices and comments rest on, whether or not their showing is in
   * the range (shown the month before, sent by a server) or could be paired with one.
   */
  answers: number;
  dismissed: number;
  /** answered / shown, never over 1. */
  responseRate: number | null;
  /** Mean score of the answers of the survey's `kind` (the config's, else its answers'). */
  averageScore: number | null;
  /**
   * NPS, CSAT and CES each from the answers of that kind: set for the survey's `kind`, and for
   * any other kind it had answers of (the flows changed its kind).
   */
  nps: NpsSummary | null;
  /**
   * Share of 4–5 answers on a 5-point scale, in %. Of answers, not people (unlike `nps`): each
   * rates the moment it was asked about (an export, a support chat), so a second answer by the
   * same person is a second moment, not a changed mind.
   */
  csat: number | null;
  /** The CSAT answers `csat` is a share of. */
  csatAnswers: number;
  /** Mean effort score, of the answers on `cesScale` only (a 5 on 1–5 is not a 5 on 1–7); of answers, as `csat`. */
  ces: number | null;
  /** The CES answers `ces` averages. */
  cesAnswers: number;
  /**
   * The highest score of the scale `ces` (and a CES `averageScore`) is on: the config's (7 by
   * default), else that of the latest CES answer; null for a survey without CES.
   */
  cesScale: number | null;
  /** Votes per option of the poll, as many as the responses that picked it. */
  choices: { choice: string; count: number }[];
  /**
   * Picks that are not among the options the flows config gives the poll (a page loaded before
   * an option was renamed, a hand-made answer): kept apart, so `choices` only has real options.
   * Empty when the config lists no options for it (a survey no longer in the config).
   */
  unlistedChoices: { choice: string; count: number }[];
}

export interface SatisfactionInsight {
  nps: NpsSummary;
  npsWeekly: (NpsSummary & { week: string })[];
  surveys: SurveySummary[];
  comments: { category: string; count: number; latest: SurveyComment[] }[];
}

/** A comment, its score and who gave it. */
export type SurveyComment = { comment: string; score: number | null; surveyId: string | null; ts: string } & PersonId;

type NpsRow = NpsSummary;

/**
 * What the flows config (insights/flows-catalog.ts) says of a poll: its `options`, and `other`
 * when it offers an "Other" with a text field, whose pick the SDK sends as the choice "other"
 * (sdk/src/experiences/surveys/session.ts, OTHER).
 */
type PollConfig = { id: string; options?: readonly unknown[]; other?: boolean };

const pollOptions = (surveys: readonly PollConfig[]) =>
  surveys.flatMap((s) =>
    Array.isArray(s.options) ? [{ id: s.id, options: [...s.options.filter((o) => typeof o === 'string'), ...(s.other === true ? ['other'] : [])] }] : []);

const toNps = (row: NpsRow | undefined): NpsSummary => ({
  answers: row?.answers ?? 0,
  promoters: row?.promoters ?? 0,
  passives: row?.passives ?? 0,
  detractors: row?.detractors ?? 0,
  nps: row?.nps ?? null,
});

/** The config's value of `column` (kind, scale) for the survey `surveyId`. */
const surveyConfig = (column: string, surveyId: string) => `(select min(sk.${column}) from survey_kinds sk where sk.survey_id = ${surveyId})`;

/**
 * Whether the `Survey Answered` event `a` to a survey `surveyId` answers it: a score on the
 * scale of its kind, a comment or a choice, as a merged response (insights/responses.ts) does.
 */
const answersIt = (surveyId: string) => `(
  ${scoreOnScale(`coalesce(a.properties ->> 'kind', ${surveyConfig('kind', surveyId)})`, jsonNumber(`a.properties ->> 'score'`), `coalesce(${answerScale('a.properties')}, ${surveyConfig('scale', surveyId)})`)} is not null
  or nullif(btrim(a.properties ->> 'comment'), '') is not null
  or ${choicesOf('a.properties')} is not null)`;

/**
 * Answers count in the range they were given; NPS only counts answers with a score (a lone
 * comment is not a vote). The response rate is a share of the range's showings: those whose
 * response (the `responseId` a showing and its answers share) got an answer, whenever it came.
 * Showings and answers without one (older SDKs) cannot be paired: those answers count in the
 * range they were given, at most as many as those showings, so no rate passes 100%.
 */
export async function satisfaction({ db, filter, catalog, source }: InsightContext): Promise<SatisfactionInsight> {
  const p = new SqlParams();
  const rollups = source === 'rollups' ? rollupScope(filter, p) : undefined;
  const scope = rollups ?? scopeCtes(filter, p);
  const { ctes, from, to } = scope;
  const responses = rollups ? responsesRollupCte(catalog, p, to, rollups) : responsesCte(catalog, p, to);
  const options = p.add(JSON.stringify(pollOptions(catalog.surveys)));
  const base = `with ${ctes}, ${responses},
    in_range as (select * from responses where ts >= ${from} and ts < ${to}),
    poll_options as (
      select s.id as survey_id, o.choice
      from jsonb_to_recordset(${options}::jsonb) as s(id text, options jsonb), jsonb_array_elements_text(s.options) as o(choice))`;
  // Responses are stored merged per person (db/fact-rollups.ts); impressions are counted per day in the rollups.
  const impressions = rollups
    ? `impressions as (
         select dim as survey_id,
                coalesce(sum(n) filter (where event = 'Survey Shown'), 0)::int as shown,
                -- \`detail\`: the reason of a dismissal the user did not make (db/rollups.ts)
                coalesce(sum(n) filter (where event = 'Survey Dismissed' and detail is null), 0)::int as dismissed
         from event_counts where event in ('Survey Shown', 'Survey Dismissed')
           and day >= ${rollups.fromDay} and day < ${rollups.toDay} group by 1)`
    : `impressions as (
         select properties ->> 'surveyId' as survey_id,
                count(*) filter (where event = 'Survey Shown')::int as shown,
                count(*) filter (where event = 'Survey Dismissed' and ${dismissalReason('properties')} is null)::int as dismissed
         from scoped where event in ('Survey Shown', 'Survey Dismissed') group by 1)`;

  // NPS is people's: each one's latest score of the range (of the week, of the survey) is their
  // vote. A survey that repeats (`repeat: { afterDays }`) asks the same person again, and a
  // detractor the fixes won round counted as a detractor and a promoter, the NPS their average.
  const latestNps = (keys: string) => `
    select distinct on (${keys}person) * from in_range
    where kind = 'nps' and score is not null order by ${keys}person, ts desc, response_id desc`;
  const [overall, weekly, surveys, choices, comments] = await Promise.all([
    db.query<NpsRow>(`${base} select ${npsColumns()} from (${latestNps('')}) latest`, p.values),
    db.query<NpsRow & { week: string }>(
      `${base}
       select week, ${npsColumns()}
       from (${latestNps(`date_trunc('week', ts at time zone 'UTC'), `)}) latest,
            to_char(date_trunc('week', ts at time zone 'UTC'), 'YYYY-MM-DD') as week
       group by 1 order by 1`,
      p.values,
    ),
    db.query<NpsRow & {
      survey_id: string; kind: string | null; shown: number; answered: number; given: number; dismissed: number;
      response_rate: number | null; average_score: number | null; csat: number | null; ces: number | null; ces_scale: number | null;
      csat_answers: number | null; ces_answers: number | null;
    }>(
      `${base},
       ${impressions},
       showings as (
         select properties ->> 'surveyId' as survey_id, properties ->> 'responseId' as response_id
         from scoped where ${surveyShowingFacts('event', 'properties')}),
       -- a semi-join, not a probe per showing: the raw events have no index by responseId
       answered_showings as (
         select distinct s.response_id from showings s
         where exists (
           select 1 from keyed a
           where a.event = 'Survey Answered' and ${responseIdOf('a.properties', 'a.message_id')} = s.response_id
             and ${answersIt('s.survey_id')})),
       responded as (
         select s.survey_id, count(*)::int as sent, count(distinct s.response_id)::int as named,
                count(distinct a.response_id)::int as answered
         from showings s left join answered_showings a on a.response_id = s.response_id group by 1),
       unpaired as (
         select survey_id, count(*)::int as answered from in_range r
         where (score is not null or comment is not null or choices is not null)
           and not exists (select 1 from keyed s where ${surveyShowingFacts('s.event', 's.properties')} and s.properties ->> 'responseId' = r.response_id)
         group by 1),
       -- a dismissal sent again (a retry under a new messageId) is still one: its responseId says
       -- so (the rollups count events; those with one are kept with the fact events, db/rollups.ts)
       dismissal_copies as (
         select properties ->> 'surveyId' as survey_id, (count(*) - count(distinct properties ->> 'responseId'))::int as copies
         from scoped where ${surveyDismissalFacts('event', 'properties')} and ${dismissalReason('properties')} is null group by 1),
       -- a showing sent again under a new messageId is still one showing: its responseId says so
       deduped as (
         select i.survey_id, i.shown - coalesce(d.sent - d.named, 0) as shown, i.dismissed - coalesce(x.copies, 0) as dismissed, d.named, d.answered
         from impressions i left join responded d on d.survey_id = i.survey_id left join dismissal_copies x on x.survey_id = i.survey_id),
       counts as (
         select i.survey_id, i.shown, i.dismissed,
                coalesce(i.answered, 0) + least(coalesce(u.answered, 0), greatest(i.shown - coalesce(i.named, 0), 0)) as answered
         from deduped i left join unpaired u on u.survey_id = i.survey_id),
       -- A survey's kind is the config's (else its answers'); each score counts by its answer's
       -- own kind: a CSAT turned NPS in the flows has 1–5 answers a 0–10 split or mean would misread.
       -- CES answers are averaged on one scale: the config's, else (a survey no longer in the
       -- config) the latest answer's; those on the other (before the vendor changed it) are not
       survey_kind as (
         select *, coalesce(${surveyConfig('kind', 'in_range.survey_id')}, min(kind) over (partition by survey_id)) as summary_kind,
                coalesce(case ${surveyConfig('kind', 'in_range.survey_id')} when 'ces' then coalesce(${surveyConfig('scale', 'in_range.survey_id')}, 7) end,
                         first_value(scale) over (partition by survey_id order by scale is null, ts desc)) as ces_scale
         from in_range),
       answered as (
         select survey_id, min(summary_kind) as kind, min(ces_scale) as ces_scale,
                (avg(score) filter (where kind is not distinct from summary_kind and (kind is distinct from 'ces' or scale = ces_scale)))::float8 as average_score,
                round((100.0 * count(*) filter (where kind = 'csat' and score >= 4)
                       / nullif(count(score) filter (where kind = 'csat'), 0))::numeric, 1) as csat,
                round((avg(score) filter (where kind = 'ces' and scale = ces_scale))::numeric, 2) as ces,
                count(score) filter (where kind = 'csat')::int as csat_answers,
                count(score) filter (where kind = 'ces' and scale = ces_scale)::int as ces_answers,
                count(*) filter (where score is not null or comment is not null or choices is not null)::int as given
         from survey_kind group by survey_id),
       nps_by_survey as (select survey_id, ${npsColumns()} from (${latestNps('survey_id, ')}) latest group by survey_id)
       select coalesce(a.survey_id, i.survey_id) as survey_id, a.kind,
              coalesce(i.shown, 0) as shown, coalesce(i.answered, 0) as answered, coalesce(a.given, 0) as given, coalesce(i.dismissed, 0) as dismissed,
              round((i.answered::numeric / nullif(i.shown, 0)), 4) as response_rate,
              round(a.average_score::numeric, 2) as average_score,
              a.csat, a.ces, a.ces_scale, a.csat_answers, a.ces_answers, n.answers, n.promoters, n.passives, n.detractors, n.nps
       from answered a full join counts i on i.survey_id = a.survey_id
       left join nps_by_survey n on n.survey_id = a.survey_id
       where coalesce(a.survey_id, i.survey_id) is not null
       order by 1`,
      p.values,
    ),
    db.query<{ survey_id: string; choice: string; count: number; listed: boolean }>(
      `${base}
       -- responses, not mentions: an answer naming a choice twice is one vote for it
       select v.*, (not exists (select 1 from poll_options o where o.survey_id = v.survey_id)
                    or exists (select 1 from poll_options o where o.survey_id = v.survey_id and o.choice = v.choice)) as listed
       from (select survey_id, c.choice, count(distinct response_id)::int as count
             from in_range, jsonb_array_elements_text(choices) as c(choice)
             where choices is not null group by 1, 2) v
       order by 1, 3 desc, 2`,
      p.values,
    ),
    db.query<{ category: string; count: number; latest: { comment: string; score: number | null; surveyId: string | null; person: string; ts: string }[] }>(
      `${base},
       categorised as (
         -- from the score alone: the \`category\` a browser sends can say anything (a 2 as a
         -- promoter), and one without a score on the scale has nothing to stand on
         select *, coalesce(
           case when kind = 'nps' and score is not null then ${npsBucket()}
                when kind = 'csat' and score is not null then
                  case when score >= 4 then 'satisfied' when score >= 3 then 'neutral' else 'dissatisfied' end
                -- as the SDK (sdk/src/scores.ts): around the midpoint of the scale it was given
                -- on, 4 on 1–7, 3 on 1–5
                when kind = 'ces' and score is not null then
                  case sign(2 * score - 1 - scale)
                    when 1 then 'satisfied' when 0 then 'neutral' else 'dissatisfied' end
           end, 'uncategorised') as bucket
         from in_range where comment is not null),
       ranked as (select *, row_number() over (partition by bucket order by ts desc, response_id) as rn from categorised)
       select bucket as category, count(*)::int as count,
              coalesce(jsonb_agg(jsonb_build_object('comment', comment, 'score', score, 'surveyId', survey_id,
                'person', person, 'ts', ts) order by ts desc, response_id) filter (where rn <= 20), '[]'::jsonb) as latest
       from ranked group by bucket order by count desc, bucket`,
      p.values,
    ),
  ]);

  const configOf = (id: string) => catalog.surveys.find((s) => s.id === id);
  const picks = (surveyId: string, listed: boolean) =>
    choices.rows.filter((c) => c.survey_id === surveyId && c.listed === listed).map(({ choice, count }) => ({ choice, count }));
  return {
    nps: toNps(overall.rows[0]),
    npsWeekly: weekly.rows.map((row) => ({ week: row.week, ...toNps(row) })),
    surveys: surveys.rows.map((row) => {
      const config = configOf(row.survey_id);
      const kind = row.kind ?? config?.kind ?? null;
      return {
        surveyId: row.survey_id,
        kind,
        shown: row.shown,
        answered: row.answered,
        answers: row.given,
        dismissed: row.dismissed,
        responseRate: row.response_rate,
        averageScore: row.average_score,
        // each from the answers of its kind (null without any), so a survey whose kind changed keeps both
        nps: kind === 'nps' || row.answers > 0 ? toNps(row) : null,
        csat: row.csat,
        csatAnswers: row.csat_answers ?? 0,
        ces: row.ces,
        cesAnswers: row.ces_answers ?? 0,
        // a CES not answered in the range is still on its config's scale
        cesScale: row.ces_scale ?? (kind === 'ces' ? (config?.scale ?? 7) : null),
        choices: picks(row.survey_id, true),
        unlistedChoices: picks(row.survey_id, false),
      };
    }),
    comments: comments.rows.map((c) => ({ ...c, latest: c.latest.map(({ person, ...rest }) => ({ ...rest, ...personId(person) })) })),
  };
}
