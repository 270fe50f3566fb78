import type { InsightContext } from './context.ts';
import { dismissalReason } from '../db/rollups.ts';
import { npsBucket, npsColumns, responsesCte, responsesRollupCte } from './responses.ts';
import { rollupScope } from './rollup-scope.ts';
import { scopeCtes } from './scope.ts';
import { SqlParams } from './sql-params.ts';

export interface NpsSummary {
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
  answered: number;
  dismissed: number;
  /** answered / shown. */
  responseRate: number | null;
  averageScore: number | null;
  nps: NpsSummary | null;
  /** Share of 4–5 answers on a 5-point scale, in %. */
  csat: number | null;
  /** Mean effort score. */
  ces: number | null;
  choices: { choice: string; count: number }[];
}

export interface SatisfactionInsight {
  nps: NpsSummary;
  npsWeekly: (NpsSummary & { week: string })[];
  surveys: SurveySummary[];
  comments: { category: string; count: number; latest: { comment: string; score: number | null; surveyId: string | null; person: string; ts: string }[] }[];
}

type NpsRow = NpsSummary;

const toNps = (row: NpsRow | undefined): NpsSummary => ({
  answers: row?.answers ?? 0,
  promoters: row?.promoters ?? 0,
  passives: row?.passives ?? 0,
  detractors: row?.detractors ?? 0,
  nps: row?.nps ?? null,
});

/**
 * Answers count in the range they were given; NPS only counts answers with a score (a lone
 * comment is not a vote). Response rate compares answers with impressions in the same range.
 */
export async function satisfaction({ db, filter, catalog, source }: InsightContext): Promise<SatisfactionInsight> {
  const p = new SqlParams();
  const rollups = source === 'rollups' ? rollupScope(filter, p) : undefined;
  const scope = rollups ?? scopeCtes(filter, p);
  const { ctes, from, to } = scope;
  const responses = rollups ? responsesRollupCte(catalog, p, to, rollups) : responsesCte(catalog, p, to);
  const base = `with ${ctes}, ${responses},
    in_range as (select * from responses where ts >= ${from} and ts < ${to})`;
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

  const [overall, weekly, surveys, choices, comments] = await Promise.all([
    db.query<NpsRow>(`${base} select ${npsColumns()} from in_range where kind = 'nps'`, p.values),
    db.query<NpsRow & { week: string }>(
      `${base}
       select to_char(date_trunc('week', ts at time zone 'UTC'), 'YYYY-MM-DD') as week, ${npsColumns()}
       from in_range where kind = 'nps' and score is not null group by 1 order by 1`,
      p.values,
    ),
    db.query<NpsRow & {
      survey_id: string; kind: string | null; shown: number; answered: number; dismissed: number;
      response_rate: number | null; average_score: number | null; csat: number | null; ces: number | null;
    }>(
      `${base},
       ${impressions},
       answered as (
         select survey_id, min(kind) as kind, count(*)::int as answered,
                avg(score)::float8 as average_score,
                round((100.0 * count(*) filter (where score >= 4) / nullif(count(score), 0))::numeric, 1) as csat,
                round(avg(score)::numeric, 2) as ces,
                ${npsColumns()}
         from in_range group by survey_id)
       select coalesce(a.survey_id, i.survey_id) as survey_id, a.kind,
              coalesce(i.shown, 0) as shown, coalesce(a.answered, 0) as answered, coalesce(i.dismissed, 0) as dismissed,
              round((coalesce(a.answered, 0)::numeric / nullif(i.shown, 0)), 4) as response_rate,
              round(a.average_score::numeric, 2) as average_score,
              a.csat, a.ces, a.answers, a.promoters, a.passives, a.detractors, a.nps
       from answered a full join impressions i on i.survey_id = a.survey_id
       where coalesce(a.survey_id, i.survey_id) is not null
       order by 1`,
      p.values,
    ),
    db.query<{ survey_id: string; choice: string; count: number }>(
      `${base}
       select survey_id, c.choice, count(*)::int as count
       from in_range, jsonb_array_elements_text(choices) as c(choice)
       where choices is not null group by 1, 2 order by 1, 3 desc, 2`,
      p.values,
    ),
    db.query<{ category: string; count: number; latest: { comment: string; score: number | null; surveyId: string | null; person: string; ts: string }[] }>(
      `${base},
       categorised as (
         select *, coalesce(category,
           case when kind = 'nps' and score is not null then ${npsBucket()}
                when kind = 'csat' and score is not null then
                  case when score >= 4 then 'satisfied' when score >= 3 then 'neutral' else 'dissatisfied' end
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

  const kindOf = (id: string) => catalog.surveys.find((s) => s.id === id)?.kind ?? null;
  return {
    nps: toNps(overall.rows[0]),
    npsWeekly: weekly.rows.map((row) => ({ week: row.week, ...toNps(row) })),
    surveys: surveys.rows.map((row) => {
      const kind = row.kind ?? kindOf(row.survey_id);
      return {
        surveyId: row.survey_id,
        kind,
        shown: row.shown,
        answered: row.answered,
        dismissed: row.dismissed,
        responseRate: row.response_rate,
        averageScore: row.average_score,
        nps: kind === 'nps' ? toNps(row) : null,
        csat: kind === 'csat' ? row.csat : null,
        ces: kind === 'ces' ? row.ces : null,
        choices: choices.rows.filter((c) => c.survey_id === row.survey_id).map(({ choice, count }) => ({ choice, count })),
      };
    }),
    comments: comments.rows,
  };
}
