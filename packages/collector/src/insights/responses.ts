import type { FlowsCatalog } from './flows-catalog.ts';
import { jsonNumber } from './scope.ts';
import type { SqlParams } from './sql-params.ts';

/**
 * The survey responses of `source` (rows with the fact columns and `person`), as the CTEs
 * `<prefix>_answers` and `<prefix>`: one row per response (per `keys` too, e.g. the counting
 * mode when the rollup works out both at once). The SDK sends the score first and, when the
 * person adds a follow-up comment, a second `Survey Answered` with the same `responseId`;
 * they are merged here (earliest score, latest comment). `answered_kind` is the kind the
 * answers said, `survey_ids` their surveys (the flows config's kind of those is the fallback,
 * see `responsesCte`), `scale` the one the score was given on (CES; null from SDKs that did not
 * say); `people` and `last_ts` tell the rollup (db/fact-rollups.ts) whether a segment or a range
 * end would see other answers than the stored ones.
 */
export function responseRowsCtes(prefix: string, source: string, keys: string, where: string): string {
  return `
    ${prefix}_answers as (
      select ${keys} ${responseIdOf('properties', 'message_id')} as response_id,
             properties ->> 'surveyId' as survey_id, properties ->> 'kind' as kind, person, ts, id,
             ${scoreOnScale(`properties ->> 'kind'`, jsonNumber(`properties ->> 'score'`), answerScale('properties'))} as score,
             ${answerScale('properties')} as scale,
             properties ->> 'category' as category,
             nullif(btrim(properties ->> 'comment'), '') as comment,
             ${choicesOf('properties')} as choices
      from ${source} where event = 'Survey Answered' and ${where}),
    ${prefix} as (
      select ${keys} response_id,
             min(survey_id) as survey_id,
             min(kind) as answered_kind,
             array_remove(array_agg(distinct survey_id), null) as survey_ids,
             min(person) as person,
             count(distinct person)::int as people,
             min(ts) as ts,
             max(ts) as last_ts,
             (array_agg(score order by ts, id) filter (where score is not null))[1] as score,
             (array_agg(scale order by ts, id) filter (where score is not null))[1] as scale,
             (array_agg(category order by ts, id) filter (where category is not null))[1] as category,
             (array_agg(comment order by ts desc, id desc) filter (where comment is not null))[1] as comment,
             (array_agg(choices order by ts, id) filter (where choices is not null))[1] as choices
      from ${prefix}_answers group by ${keys} response_id)`;
}

/**
 * The options an answer picked, as a JSON array of non-blank strings (one string for a single
 * choice), or null: `[]` or `[""]` picks nothing, so it is no answer and no vote.
 */
export const choicesOf = (properties: string) => pickedChoices(`
  case jsonb_typeof(${properties} -> 'choices')
    when 'array' then ${properties} -> 'choices'
    when 'string' then jsonb_build_array(${properties} -> 'choices')
  end`);

const pickedChoices = (choices: string) =>
  `(select jsonb_agg(c) from jsonb_array_elements(${choices}) as c where jsonb_typeof(c) = 'string' and btrim(c #>> '{}') <> '')`;

/**
 * The scale a CES answer says it was given on (its highest score, 5 or 7), else null: a vendor
 * may move a CES from 1–7 to 1–5, and a 5 is then "very easy" or only "easy".
 */
export const answerScale = (properties: string) =>
  `(case when ${properties} ->> 'kind' = 'ces' and ${properties} ->> 'scale' in ('5', '7') then (${properties} ->> 'scale')::int end)`;

/** The id that ties a score and its follow-up comment together (indexed on the fact events, migration 40). */
export const responseIdOf = (properties: string, messageId: string) => `coalesce(${properties} ->> 'responseId', ${messageId})`;

/**
 * `score` when it is a whole number on the scale of `kind`, else null: the SDK (sdk/src/scores.ts)
 * only sends and counts such scores, so a hand-made `Survey Answered` with 9.5, -3 or 100 is not
 * an answer to tally. An answer that names no kind keeps any whole score until its survey's kind
 * from the flows config is known (`responseColumns` checks again); `scale` is the highest
 * score of a CES (5 or 7: the answer's own, else the config's; 7 when neither says).
 */
export const scoreOnScale = (kind: string, score: string, scale = 'null::int') => `
  (case when ${score} = trunc(${score})
         and ${score} >= case ${kind} when 'csat' then 1 when 'ces' then 1 else 0 end
         and ${score} <= case coalesce(${kind}, '') when 'nps' then 10 when 'csat' then 5 when 'ces' then coalesce(${scale}, 7)
                                                    when '' then 10 end
        then ${score} end)`;

/** The kind of a response row: what its answers said, or the flows config's kind of their survey. */
const kindColumn = `coalesce(r.answered_kind, (select min(sk.kind) from survey_kinds sk where sk.survey_id = any(r.survey_ids)))`;

/**
 * The scale of a CES row: the one its answer was given on, else (older SDKs) the config's for
 * its survey, else 7. Null for the other kinds, whose scale is fixed.
 */
const scaleColumn = `(case when ${kindColumn} = 'ces' then coalesce(r.scale,
  (select min(sk.scale) from survey_kinds sk where sk.survey_id = any(r.survey_ids) and sk.kind = 'ces'), 7) end)`;

const surveyKinds = (catalog: FlowsCatalog, p: SqlParams) => {
  const ids = p.add(catalog.surveys.map((s) => s.id));
  const kinds = p.add(catalog.surveys.map((s) => s.kind));
  const scales = p.add(catalog.surveys.map((s) => s.scale ?? null));
  return `survey_kinds as (select * from unnest(${ids}::text[], ${kinds}::text[], ${scales}::int[]) as k(survey_id, kind, scale))`;
};

const responseColumns = `r.response_id, r.survey_id, ${kindColumn} as kind, r.person, r.ts,
  ${scoreOnScale(kindColumn, 'r.score', scaleColumn)} as score, ${scaleColumn} as scale, r.category, r.comment,
  -- again: rollup rows stored before blank picks were dropped
  ${pickedChoices('r.choices')} as choices`;

/**
 * CTE `responses` (response_id, survey_id, kind, person, ts, score, scale, category, comment,
 * choices): one row per survey response, from the answers of `keyed` before the range end `to`.
 */
export function responsesCte(catalog: FlowsCatalog, p: SqlParams, to: string): string {
  return `
    ${surveyKinds(catalog, p)},
    ${responseRowsCtes('response_rows', 'keyed', '', `ts < ${to}`)},
    responses as (select ${responseColumns} from response_rows r)`;
}

/**
 * `responsesCte` from the rollup (db/fact-rollups.ts) rows of the filter (insights/rollup-scope.ts). A response the range end cuts (answered
 * before it and after it), or whose answers came from more than one person (a segment could
 * take some of them), is merged again from `keyed` as above.
 */
export function responsesRollupCte(catalog: FlowsCatalog, p: SqlParams, to: string, scope: { modeWhere: string; personWhere: string }): string {
  const { modeWhere, personWhere } = scope;
  return `
    ${surveyKinds(catalog, p)},
    cut_responses as (
      select response_id from rollup_responses
      -- whoever answered: \`keyed\` applies the segments to each answer, as the raw path does
      where ${modeWhere} and ts < ${to} and (last_ts >= ${to} or people > 1)),
    ${responseRowsCtes('cut_rows', 'keyed', '', `ts < ${to} and ${responseIdOf('properties', 'message_id')} in (select response_id from cut_responses)`)},
    responses as (
      select ${responseColumns} from rollup_responses r
      where ${personWhere} and ts < ${to} and last_ts < ${to} and people = 1
      union all
      select ${responseColumns} from cut_rows r)`;
}

/** NPS buckets from the 0–10 score itself, so a client can't miscategorise an answer. */
export const npsBucket = (score = 'score') =>
  `case when ${score} >= 9 then 'promoter' when ${score} >= 7 then 'passive' else 'detractor' end`;

/** Aggregates NPS over `score` of rows with kind 'nps': answers, split, and the score. */
export const npsColumns = (score = 'score') => `
  count(${score})::int as answers,
  count(*) filter (where ${score} >= 9)::int as promoters,
  count(*) filter (where ${score} >= 7 and ${score} < 9)::int as passives,
  count(*) filter (where ${score} < 7)::int as detractors,
  round((100.0 * (count(*) filter (where ${score} >= 9) - count(*) filter (where ${score} < 7))
        / nullif(count(${score}), 0))::numeric, 1) as nps`;
