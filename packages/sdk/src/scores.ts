/**
 * Survey scales, answer categories and the three satisfaction scores, as pure functions: the
 * survey controller tags each answer with its category, the insights page aggregates answers.
 *
 * Scales (the highest score; NPS starts at 0, the others at 1):
 * - NPS 0–10: detractor 0–6, passive 7–8, promoter 9–10 (the standard Net Promoter split).
 * - CSAT 1–5: dissatisfied 1–2, neutral 3, satisfied 4–5.
 * - CES 1–7 (or 1–5), where higher means easier ("It was easy to …", strongly disagree →
 *   strongly agree): below the midpoint dissatisfied (1–3), the midpoint neutral (4), above it
 *   satisfied (5–7), mirroring CSAT; on 1–5 the same split as CSAT.
 */
export type ScoredKind = 'nps' | 'csat' | 'ces'
export type SurveyCategory = 'detractor' | 'passive' | 'promoter' | 'dissatisfied' | 'neutral' | 'satisfied'

/** The lowest score and the default highest (`scale` in the config) of each scored kind. */
export const SCALE_RANGE: Record<ScoredKind, readonly [number, number]> = { nps: [0, 10], csat: [1, 5], ces: [1, 7] }

export const isScoredKind = (kind: unknown): kind is ScoredKind => kind === 'nps' || kind === 'csat' || kind === 'ces'

/** True for a whole number on the kind's scale; `scale` is the highest score (CES: 5 or 7). */
export function validScore(kind: ScoredKind, score: unknown, scale = SCALE_RANGE[kind][1]): score is number {
  return Number.isInteger(score) && (score as number) >= SCALE_RANGE[kind][0] && (score as number) <= scale
}

/** The category an answer falls in; undefined for a score off the scale. */
export function surveyCategory(kind: ScoredKind, score: number, scale = SCALE_RANGE[kind][1]): SurveyCategory | undefined {
  if (!validScore(kind, score, scale)) return undefined
  if (kind === 'nps') return score <= 6 ? 'detractor' : score <= 8 ? 'passive' : 'promoter'
  const mid = (scale + 1) / 2
  return score < mid ? 'dissatisfied' : score === mid ? 'neutral' : 'satisfied'
}

/** The categories a kind can produce, in scale order (for config checks and follow-ups). */
export const CATEGORIES: Record<ScoredKind, readonly SurveyCategory[]> = {
  nps: ['detractor', 'passive', 'promoter'],
  csat: ['dissatisfied', 'neutral', 'satisfied'],
  ces: ['dissatisfied', 'neutral', 'satisfied'],
}

/** A list of answers: skipped or dismissed entries (null, undefined) and off-scale values are not answers. */
export type Answers = ReadonlyArray<number | null | undefined>

const answered = (kind: ScoredKind, answers: Answers, scale?: number): number[] => answers.filter((a): a is number => validScore(kind, a, scale))

export interface NpsResult {
  /** % promoters − % detractors, −100..100 (not rounded); null when there are no answers. */
  score: number | null
  promoters: number
  passives: number
  detractors: number
  /** Answers counted: the denominator. */
  count: number
}

export function npsScore(answers: Answers): NpsResult {
  const scores = answered('nps', answers)
  const count = scores.length
  const promoters = scores.filter((s) => s >= 9).length
  const detractors = scores.filter((s) => s <= 6).length
  return { score: count ? ((promoters - detractors) / count) * 100 : null, promoters, passives: count - promoters - detractors, detractors, count }
}

export interface CsatResult {
  /** Share of satisfied answers (4–5) in percent, 0..100; null when there are no answers. */
  score: number | null
  satisfied: number
  count: number
}

export function csatScore(answers: Answers): CsatResult {
  const scores = answered('csat', answers)
  const satisfied = scores.filter((s) => s >= 4).length
  return { score: scores.length ? (satisfied / scores.length) * 100 : null, satisfied, count: scores.length }
}

export interface CesResult {
  /** Mean score (higher is easier); null when there are no answers. */
  score: number | null
  count: number
}

/** Mean over answers on one scale (7 by default; pass 5 for a 1–5 survey): never mix scales. */
export function cesScore(answers: Answers, scale = 7): CesResult {
  const scores = answered('ces', answers, scale)
  return { score: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null, count: scores.length }
}
