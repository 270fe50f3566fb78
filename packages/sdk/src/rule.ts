/**
 * Audience and completion rules: plain JSON (docs/architecture.md, "Flows config"). The zod schema in
 * config/ validates documents against exactly these shapes; audience.ts evaluates them.
 */
export interface Comparison {
  eq?: number
  gte?: number
  lte?: number
  gt?: number
  lt?: number
}

export type TraitRule = {
  trait: string
  eq?: unknown
  neq?: unknown
  in?: unknown[]
  gt?: number | string
  gte?: number | string
  lt?: number | string
  lte?: number | string
  exists?: boolean
  contains?: string | number
}

export type EventRule = { event: string; count?: Comparison; withinDays?: number }
export type DaysSinceRule = { daysSince: string; gte?: number; lte?: number }
export type UrlRule = { url: string }
export type ActiveDaysRule = { activeDays: Comparison; withinDays?: number }
export type ChecklistRule = { checklist: string; status: 'completed' | 'dismissed' | 'started' | 'not-started' }
export type BadgeRule = { badge: string }
/** `category`: the user's last answer fell in it (NPS detractor/passive/promoter, CSAT/CES dissatisfied/neutral/satisfied). */
export type SurveyRule = { survey: string; answered: boolean; category?: 'detractor' | 'passive' | 'promoter' | 'dissatisfied' | 'neutral' | 'satisfied' }
/** Days from now until a date trait (renewsAt): negative once it passed. */
export type DaysUntilRule = { daysUntil: string; gte?: number; lte?: number }
/** `Feature Used` events with this `feature` property (autocapture's data-linger-feature clicks included). */
export type FeatureRule = { feature: string; count?: Comparison; withinDays?: number }
export type SampleRule = { sample: number }
/** Badge-only forms (flows.example.json uses them in `badges[].rule`). */
export type StreakRule = { streakDays: number }
export type DistinctFeaturesRule = { distinctFeatures: number }
export type PointsRule = { points: number }

export type Rule =
  | { all: Rule[] }
  | { any: Rule[] }
  | { not: Rule }
  | TraitRule
  | EventRule
  | DaysSinceRule
  | DaysUntilRule
  | FeatureRule
  | UrlRule
  | ActiveDaysRule
  | ChecklistRule
  | BadgeRule
  | SurveyRule
  | SampleRule
  | StreakRule
  | DistinctFeaturesRule
  | PointsRule
