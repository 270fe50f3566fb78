import type { InitOptions as CheckedOptions } from './config/init-options'

export { createLinger } from './client'
export type { Linger, LingerEnv, CallSite, WhyReport, Experiences, CoreHost } from './client'
export { createFront, siteOf } from './snippet/replay'
export type { QueuedCall } from './snippet/replay'
export { validateFlows } from './config/validate-flows'
export { checkFlows, MAX_FLOWS_BYTES } from './config/check-flows'
export type { CheckedFlows } from './config/check-flows'
export type { Flows } from './config/flows-schema'
export { browserPlatform, safeStorage } from './platform-browser'
export type { Platform, KeyValueStorage, PageInfo } from './platform'
export type { LingerEvent, LingerError, Properties } from './events'
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
/**
 * What a vendor passes to `init` / `createLinger`: only `key` is required, every other option
 * has its default (README). The checked form (every default filled in) is the runtime's own.
 */
export type LingerOptions = Pick<CheckedOptions, 'key'> & Partial<Omit<CheckedOptions, 'key'>>
export type { LingerOptions as InitOptions }
export type { ConfigError } from './config/validate-flows'
export type { Notice } from './experiences/notice'
export type { AnnouncementsController } from './experiences/announcements'
export type { BillingController } from './experiences/billing'
