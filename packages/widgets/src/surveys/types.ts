import type { Experiences } from '@linger/sdk'

// Derived from the client's types, so the widget follows the controller without extra exports.
export type SurveysController = Experiences['surveys']
export type SurveySession = NonNullable<ReturnType<SurveysController['$session']['get']>>
export type SurveyConfig = SurveySession['survey']
export type Translate = (key: string, vars?: Record<string, string | number>) => string
