export { createLinger } from './client'
export type { Linger, LingerEnv, CallSite, WhyReport, Experiences, CoreHost } from './client'
export { createFront, siteOf } from './snippet/replay'
export type { QueuedCall } from './snippet/replay'
export { MAX_FLOWS_BYTES } from './config/load-flows'
export type { CheckedFlows } from './config/check-flows'
// Validation (zod, ~15 KB gzip) loads with the first check, not into every app that imports
// createLinger: statically exported, a bundler kept it in the app's entry (32.8 KB instead of 14.6).
/** Validates and stamps a flows document at build time (README: "Checking flows before they ship"). */
export const checkFlows = async (input: unknown): Promise<import('./config/check-flows').CheckedFlows> => (await import('./config/check-flows')).checkFlows(input)
/** The validator's own result (the flows it keeps and every problem), loaded when first asked for. */
export const validateFlows = async (input: unknown): Promise<ReturnType<typeof import('./config/validate-flows').validateFlows>> =>
  (await import('./config/validate-flows')).validateFlows(input)
export type { Flows, FlowsInput } from './config/flows-schema'
export { browserPlatform, safeStorage } from './platform-browser'
export type { Platform, KeyValueStorage, PageInfo } from './platform'
export type { LingerEvent, LingerError, LingerErrorCode, Properties } from './events'
export type { LingerEvents, LingerListeners, HostEventName } from './event-map'
export type { UsageProfile } from './usage'
export type { Rule } from './rule'
export type { ExperienceHost, ExperienceController, ExperienceState, UserView } from './experiences/host'
export { shortName } from './emitter'
export { npsScore, csatScore, cesScore, surveyCategory } from './scores'
export type { Answers, NpsResult, CsatResult, CesResult, SurveyCategory, ScoredKind } from './scores'
export type { ChecklistsController, ChecklistView } from './experiences/checklist'
export type { BadgesController, Toast } from './experiences/badges'
export type { ToursController } from './experiences/tours'
export type { SurveysController, SurveySession, SurveyConfig, SurveyAnswer } from './experiences/surveys'
export type { CancelController, CancelState, CancelHandlers } from './experiences/cancel'
export type { LingerOptions, LingerOptions as InitOptions, Handlers, Theme, ThemeColors } from './config/init-options'
export type { ConfigError } from './config/validate-flows'
export type { Notice } from './experiences/notice'
export type { AnnouncementsController } from './experiences/announcements'
export type { BillingController } from './experiences/billing'
