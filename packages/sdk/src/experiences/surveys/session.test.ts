import { describe, expect, it } from 'vitest'
import { answeredProperties, COMMENT_MAX, reduceSession, startSession, type SurveyConfig } from './session'

const nps: SurveyConfig = {
  id: 'nps-quarterly',
  kind: 'nps',
  question: 'How likely are you to recommend Acme Projects to a colleague?',
  followUp: { detractor: 'What disappointed you the most?', passive: 'What would make it a 10 for you?', promoter: 'What do you love most?' },
}
const csat: SurveyConfig = { id: 'csat-export', kind: 'csat', question: 'How satisfied are you with exporting reports?', scale: 5, followUp: { dissatisfied: 'What went wrong?' } }
const choice: SurveyConfig = {
  id: 'next-feature',
  kind: 'choice',
  question: 'What should we build next?',
  options: ['Mobile approvals', 'Gantt charts', 'Time tracking', 'Something else'],
  multiple: false,
  comment: 'Tell us more (optional)',
}

const answer = (survey: SurveyConfig, a: Parameters<typeof reduceSession>[1] extends infer A ? (A extends { type: 'answer'; answer: infer X } ? X : never) : never) =>
  reduceSession(startSession(survey, 'r1'), { type: 'answer', answer: a })

describe('a survey session', () => {
  it('an NPS detractor gets the detractor follow-up, a promoter the promoter one', () => {
    const low = answer(nps, { score: 4 })
    expect(low).toMatchObject({ step: 'comment', score: 4, category: 'detractor', prompt: 'What disappointed you the most?' })
    expect(answer(nps, { score: 7 }).prompt).toBe('What would make it a 10 for you?')
    expect(answer(nps, { score: 10 }).prompt).toBe('What do you love most?')
  })

  it('a satisfied CSAT answer with no follow-up for its category goes straight to the thank-you', () => {
    expect(answer(csat, { score: 5 })).toMatchObject({ step: 'thanks', category: 'satisfied' })
    expect(answer(csat, { score: 2 })).toMatchObject({ step: 'comment', category: 'dissatisfied', prompt: 'What went wrong?' })
  })

  it('a comment prompt is asked when no follow-up applies; `comment: true` asks with the default prompt', () => {
    expect(answer({ ...csat, followUp: undefined, comment: true }, { score: 5 })).toMatchObject({ step: 'comment', prompt: true })
    expect(answer(choice, { choices: ['Gantt charts'] })).toMatchObject({ step: 'comment', prompt: 'Tell us more (optional)' })
  })

  it('a score off the scale, or a second answer, changes nothing', () => {
    const start = startSession(nps, 'r1')
    expect(reduceSession(start, { type: 'answer', answer: { score: 11 } })).toBe(start)
    expect(reduceSession(start, { type: 'answer', answer: { score: 3.5 } })).toBe(start)
    expect(reduceSession(startSession(csat, 'r1'), { type: 'answer', answer: { score: 0 } }).step).toBe('ask')
    const answered = reduceSession(start, { type: 'answer', answer: { score: 9 } })
    expect(reduceSession(answered, { type: 'answer', answer: { score: 0 } })).toBe(answered)
  })

  it('CES takes 1–7 by default and 1–5 when the scale says so', () => {
    const ces: SurveyConfig = { id: 'ces', kind: 'ces', question: 'How easy?' }
    expect(answer(ces, { score: 7 })).toMatchObject({ step: 'thanks', category: 'satisfied' })
    expect(answer({ ...ces, scale: 5 }, { score: 7 }).step).toBe('ask')
    expect(answer({ ...ces, scale: 5 }, { score: 3 }).category).toBe('neutral')
  })

  it('a single choice takes exactly one known option', () => {
    expect(answer(choice, { choices: ['Gantt charts', 'Time tracking'] }).step).toBe('ask')
    expect(answer(choice, { choices: ['Teleportation'] }).step).toBe('ask')
    expect(answer(choice, { choices: [] }).step).toBe('ask')
  })

  it('a multiple choice takes several, in the order the options are listed', () => {
    const s = answer({ ...choice, multiple: true }, { choices: ['Time tracking', 'Mobile approvals'] })
    expect(s.choices).toEqual(['Mobile approvals', 'Time tracking'])
  })

  it('"other" carries its text, and only when the survey offers it', () => {
    expect(answer(choice, { choices: ['other'], other: 'Dark mode' }).step).toBe('ask')
    expect(answer({ ...choice, other: true }, { choices: ['other'], other: '  Dark mode ' })).toMatchObject({ choices: ['other'], other: 'Dark mode' })
  })

  it('a text survey answers with its text and ends at the thank-you; blank text is not an answer', () => {
    const text: SurveyConfig = { id: 'words', kind: 'text', question: 'Anything else?', comment: 'ignored' }
    expect(answer(text, { text: '   ' }).step).toBe('ask')
    expect(answer(text, { text: 'Love it' })).toMatchObject({ step: 'thanks', comment: 'Love it' })
  })

  it('the follow-up comment ends at the thank-you; an empty one is a skip', () => {
    const asked = answer(nps, { score: 3 })
    expect(reduceSession(asked, { type: 'comment', text: 'Too slow' })).toMatchObject({ step: 'thanks', comment: 'Too slow', score: 3 })
    const skipped = reduceSession(asked, { type: 'comment', text: '  ' })
    expect(skipped.step).toBe('thanks')
    expect(skipped.comment).toBeUndefined()
  })

  it('a comment over the cap is cut to the cap and says how much was cut', () => {
    const asked = answer(nps, { score: 3 })
    const long = 'ab'.repeat(COMMENT_MAX / 2) + '😀'.repeat(42)
    const done = reduceSession(asked, { type: 'comment', text: long })
    expect(Array.from(done.comment ?? '')).toHaveLength(COMMENT_MAX)
    expect(done.trimmed).toBe(42)
    expect(answeredProperties(done)).toMatchObject({ commentTrimmed: 42 })
  })

  it('a poll\'s "Other" text over the cap is cut like a comment, and its answer says how much was cut (apart from the comment\'s own cut)', () => {
    const poll = { ...choice, other: true }
    const asked = answer(poll, { choices: ['other'], other: 'x'.repeat(COMMENT_MAX + 42) })
    expect(asked.other).toHaveLength(COMMENT_MAX)
    expect(answeredProperties(asked)).toMatchObject({ choices: ['other'], otherTrimmed: 42 })
    expect(answeredProperties(asked)).not.toHaveProperty('commentTrimmed')
    const commented = reduceSession(asked, { type: 'comment', text: 'y'.repeat(COMMENT_MAX + 7) })
    expect(answeredProperties(commented)).toMatchObject({ otherTrimmed: 42, commentTrimmed: 7 })
    expect(answeredProperties(answer(poll, { choices: ['other'], other: 'Dark mode' }))).not.toHaveProperty('otherTrimmed')
  })

  it('Survey Answered carries the survey, kind, score, category and the response id', () => {
    expect(answeredProperties(answer(nps, { score: 9 }))).toEqual({ surveyId: 'nps-quarterly', kind: 'nps', responseId: 'r1', score: 9, category: 'promoter' })
    expect(answeredProperties(answer(choice, { choices: ['Gantt charts'] }))).toEqual({ surveyId: 'next-feature', kind: 'choice', responseId: 'r1', choices: ['Gantt charts'] })
  })

  it("a CES answer says which scale it was given on, so a 5 on 1–5 is not read as a 5 on 1–7", () => {
    const ces: SurveyConfig = { id: 'ces-setup', kind: 'ces', question: 'How easy was the setup?' }
    expect(answeredProperties(answer({ ...ces, scale: 5 }, { score: 5 }))).toEqual({ surveyId: 'ces-setup', kind: 'ces', responseId: 'r1', score: 5, category: 'satisfied', scale: 5 })
    // the default scale, said too: the collector cannot know which default the SDK had
    expect(answeredProperties(answer(ces, { score: 5 }))).toMatchObject({ score: 5, scale: 7 })
    // the follow-up comment is the same answer, on the same scale
    const commented = reduceSession(answer({ ...ces, scale: 5, comment: true }, { score: 2 }), { type: 'comment', text: 'too many steps' })
    expect(answeredProperties(commented)).toMatchObject({ score: 2, scale: 5, comment: 'too many steps' })
  })
})
