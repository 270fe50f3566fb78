import type { FlowsCatalog } from './flows-catalog.ts';
import { jsonNumber } from './scope.ts';
import type { SqlParams } from './sql-params.ts';

/**
 * CTE `responses`: one row per survey response. The SDK sends the score first and, when the
 * person adds a follow-up comment, a second `Survey Answered` with the same `responseId`; they
 * are merged here (earliest score, latest comment). Needs `keyed` and the range end `to`.
 * The kind comes from the answer, or from the flows config for the survey.
 */
export function responsesCte(catalog: FlowsCatalog, p: SqlParams, to: string): string {
  const ids = p.add(catalog.surveys.map((s) => s.id));
  const kinds = p.add(catalog.surveys.map((s) => s.kind));
  return `
    survey_kinds as (select * from unnest(${ids}::text[], ${kinds}::text[]) as k(survey_id, kind)),
    answers as (
      select coalesce(properties ->> 'responseId', message_id) as response_id,
             properties ->> 'surveyId' as survey_id, properties ->> 'kind' as kind, person, ts, id,
             ${jsonNumber(`properties ->> 'score'`)} as score,
             properties ->> 'category' as category,
             nullif(btrim(properties ->> 'comment'), '') as comment,
             case jsonb_typeof(properties -> 'choices')
               when 'array' then properties -> 'choices'
               when 'string' then jsonb_build_array(properties -> 'choices')
             end as choices
      from keyed where event = 'Survey Answered' and ts < ${to}),
    responses as (
      select a.response_id,
             min(a.survey_id) as survey_id,
             coalesce(min(a.kind), min(sk.kind)) as kind,
             min(a.person) as person,
             min(a.ts) as ts,
             (array_agg(a.score order by a.ts, a.id) filter (where a.score is not null))[1] as score,
             (array_agg(a.category order by a.ts, a.id) filter (where a.category is not null))[1] as category,
             (array_agg(a.comment order by a.ts desc, a.id desc) filter (where a.comment is not null))[1] as comment,
             (array_agg(a.choices order by a.ts, a.id) filter (where a.choices is not null))[1] as choices
      from answers a left join survey_kinds sk on sk.survey_id = a.survey_id
      group by a.response_id)`;
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
