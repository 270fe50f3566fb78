import type { Properties } from '../../events'
import type { Rule } from '../../rule'
import { isScoredKind, surveyCategory, validScore, type SurveyCategory } from '../../scores'

export type SurveyKind = 'nps' | 'csat' | 'ces' | 'choice' | 'text'

/**
 * The parts of a `surveys[]` entry (config/flows-schema.ts `Survey`, validated there) that the
 * survey experience reads, flattened over the kinds.
 */
export interface SurveyConfig {
  id: string
  kind: SurveyKind
  question: string
  /** The highest score: nps 10, csat 5, ces 7 (or 5). */
  scale?: number
  /** csat only: how the 1–5 options look. */
  display?: 'numbers' | 'stars' | 'emoji'
  /** choice only. */
  options?: string[]
  multiple?: boolean
  /** choice only: adds an "Other" option with a text field. */
  other?: boolean
  /** A follow-up question per answer category. */
  followUp?: Partial<Record<SurveyCategory, string>>
  /** A comment box after the answer when no follow-up applies: true for the default prompt. */
  comment?: boolean | string
  thankYou?: string
  trigger?: { event: string; count?: { eq?: number; gte?: number; lte?: number; gt?: number; lt?: number } } | { url: string } | { selector: string }
  audience?: Rule
  sample?: number
  delayMs?: number
  repeat?: unknown
  priority?: number
  placement?: 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left' | 'center'
}

/** Comments (and text answers) longer than this are cut, and the event says by how much. */
export const COMMENT_MAX = 1000

/** `choices` value standing for the "other" option; its text goes in `other`. */
export const OTHER = 'other'

/**
 * One showing of a survey, from the question to the thank-you. `ask` → (`comment`) → `thanks`;
 * the answer is final once the session leaves `ask`.
 */
export interface SurveySession {
  survey: SurveyConfig
  responseId: string
  /** Opened by show(id) (a "Give feedback" button, say), not come on its own after a trigger. */
  asked?: boolean
  step: 'ask' | 'comment' | 'thanks'
  score?: number
  category?: SurveyCategory
  choices?: string[]
  other?: string
  /** At the comment step: the follow-up question, the comment prompt, or true for the default prompt. */
  prompt?: string | true
  comment?: string
  /** Characters cut from the comment (or text answer) to fit COMMENT_MAX. */
  trimmed?: number
  /** Characters cut from the poll's "Other" text, kept apart: a poll may have both cut. */
  otherTrimmed?: number
}

export type SurveyAnswer = { score: number } | { choices: string[]; other?: string } | { text: string }

export type SurveyAction = { type: 'answer'; answer: SurveyAnswer } | { type: 'comment'; text: string }

export function startSession(survey: SurveyConfig, responseId: string): SurveySession {
  return { survey, responseId, step: 'ask' }
}

function capped(text: string): { text: string; trimmed?: number } {
  const t = text.trim()
  // Cut by code point so an emoji at the cap is not split into half a surrogate pair.
  const chars = [...t]
  return chars.length > COMMENT_MAX ? { text: chars.slice(0, COMMENT_MAX).join(''), trimmed: chars.length - COMMENT_MAX } : { text: t }
}

/** The answer as the session stores it, or null when it is not a valid answer for this survey. */
function take(survey: SurveyConfig, answer: SurveyAnswer): Partial<SurveySession> | null {
  const { kind } = survey
  if (isScoredKind(kind)) {
    const score = (answer as { score?: unknown }).score
    return validScore(kind, score, survey.scale) ? { score, category: surveyCategory(kind, score, survey.scale) } : null
  }
  if (kind === 'text') {
    const { text, trimmed } = capped(String((answer as { text?: unknown }).text ?? ''))
    return text ? { comment: text, trimmed } : null
  }
  const { choices, other } = answer as { choices?: unknown; other?: unknown }
  if (!Array.isArray(choices)) return null
  const allowed = [...(survey.options ?? []), ...(survey.other ? [OTHER] : [])]
  const picked = allowed.filter((o) => choices.includes(o))
  if (!picked.length || picked.length !== new Set(choices).size || (!survey.multiple && picked.length > 1)) return null
  const { text, trimmed } = picked.includes(OTHER) ? capped(String(other ?? '')) : { text: '' }
  return text ? { choices: picked, other: text, otherTrimmed: trimmed } : { choices: picked }
}

/** The survey state machine: invalid or out-of-order actions leave the session as it was. */
export function reduceSession(session: SurveySession, action: SurveyAction): SurveySession {
  if (action.type === 'answer' && session.step === 'ask') {
    // A vendor's own UI may pass anything, nothing at all too: refused, never thrown.
    const taken = take(session.survey, Object(action.answer))
    if (!taken) return session
    const { followUp, comment, kind } = session.survey
    const prompt = kind === 'text' ? undefined : ((taken.category && followUp?.[taken.category]) || comment || undefined)
    return { ...session, ...taken, prompt, step: prompt ? 'comment' : 'thanks' }
  }
  if (action.type === 'comment' && session.step === 'comment') {
    const { text, trimmed } = capped(String(action.text ?? ''))
    return { ...session, step: 'thanks', ...(text ? { comment: text, trimmed } : {}) }
  }
  return session
}

/**
 * `Survey Answered` properties: the answer so far, keyed by responseId so a collector can merge.
 * Before any answer, what `Survey Shown` and `Survey Dismissed` say about the showing.
 */
export function answeredProperties(s: SurveySession): Properties {
  const props: Properties = { surveyId: s.survey.id, kind: s.survey.kind, responseId: s.responseId }
  for (const key of ['score', 'category', 'choices', 'other', 'otherTrimmed', 'comment', 'trimmed'] as const) if (s[key] !== undefined) props[key === 'trimmed' ? 'commentTrimmed' : key] = s[key]
  // A CES is on 1–7 or 1–5 and a vendor may switch: a 5 means "easy" or "very easy", so each
  // answer says its scale (NPS and CSAT have one scale each).
  if (s.survey.kind === 'ces') props.scale = s.survey.scale || 7
  return props
}
