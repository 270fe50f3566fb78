import { useRef, useState } from 'preact/hooks'
import type { SurveyConfig, Translate } from './types'

const EMOJI = ['😞', '🙁', '😐', '🙂', '😄']
// A 1–5 CES borrows the 7-point words at the matching places (very difficult … very easy).
const CES5 = [1, 2, 4, 6, 7]

/** The scores a scored survey offers, lowest first. */
export function scoresOf(survey: SurveyConfig): number[] {
  const low = survey.kind === 'nps' ? 0 : 1
  const high = survey.scale ?? (survey.kind === 'nps' ? 10 : survey.kind === 'csat' ? 5 : 7)
  // Not Array.from(…, fn): Prototype.js pages replace it with one that ignores the function.
  const scores: number[] = []
  for (let i = low; i <= high; i++) scores.push(i)
  return scores
}

/** The words for a score; NPS names only its ends, the shorter scales name every point. */
function wordsFor(survey: SurveyConfig, score: number, high: number): string {
  if (survey.kind === 'csat') return `surveys.csat.${score}`
  if (survey.kind === 'ces') return `surveys.ces.${high === 5 ? CES5[score - 1] : score}`
  return score === 0 ? 'surveys.nps.low' : score === high ? 'surveys.nps.high' : ''
}

/**
 * The score question as a radio group (roving tabindex): arrow keys move and check, Home/End
 * jump, Space checks the focused option, Enter or Send sends the checked one. A click or tap only
 * checks: at 320 px the 0–10 targets are 2 px apart, and a score the thumb landed on by mistake
 * must be put right with another tap, not sent as an answer the user never gave.
 * Enter with nothing checked sends nothing: a keystroke meant for something else (the page's
 * button, a key held down) must never become a score. Each option is spoken as
 * "<score>, <words>"; the scale's end words are also shown under it.
 */
export function ScoreScale(props: { survey: SurveyConfig; questionId: string; t: Translate; dir: 'ltr' | 'rtl'; onAnswer(score: number): void }) {
  const { survey, t, onAnswer } = props
  const scores = scoresOf(survey)
  const high = scores[scores.length - 1]
  const [checked, setChecked] = useState<number | undefined>(undefined)
  const buttons = useRef<Array<HTMLButtonElement | null>>([])
  const display = survey.kind === 'csat' ? (survey.display ?? 'numbers') : 'numbers'
  const focusIndex = checked === undefined ? 0 : scores.indexOf(checked)

  const move = (index: number) => {
    const i = (index + scores.length) % scores.length
    setChecked(scores[i])
    buttons.current[i]?.focus()
  }
  const onKeyDown = (e: KeyboardEvent) => {
    // The option that has focus, not the one in the tab order: a dialog's focus trap can land on
    // another, and Space there must check what the user sees focused.
    // With Alt, Ctrl or ⌘ an arrow (Home, End) is the browser's (Alt+← is Back), as on a native
    // radio. Space and Enter stay ours, or the button's own activation would send its score.
    if ((e.altKey || e.ctrlKey || e.metaKey) && /^(Ar|Ho|End)/.test(e.key)) return
    const at = buttons.current.indexOf(e.target as HTMLButtonElement)
    const i = at < 0 ? focusIndex : at
    const next = props.dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight'
    const prev = props.dir === 'rtl' ? 'ArrowRight' : 'ArrowLeft'
    if (e.key === next || e.key === 'ArrowDown') move(i + 1)
    else if (e.key === prev || e.key === 'ArrowUp') move(i - 1)
    else if (e.key === 'Home') move(0)
    else if (e.key === 'End') move(scores.length - 1)
    else if (e.key === ' ') setChecked(scores[i])
    // Also keeps the focused button's own Enter click from sending what was never chosen.
    else if (e.key === 'Enter') checked !== undefined && onAnswer(checked)
    else return
    e.preventDefault()
  }
  const words = (s: number) => {
    const key = wordsFor(survey, s, high)
    return key ? t(key) : ''
  }

  return (
    <div class="scale">
      <div role="radiogroup" aria-labelledby={props.questionId} class={`options ${display}`} style={{ '--n': scores.length }} onKeyDown={onKeyDown}>
        {scores.map((s, i) => {
          const on = s === checked
          const lit = display === 'stars' && checked !== undefined && s <= checked
          // Lit and unlit stars differ in shape, not only in colour (WCAG 1.4.1): the same ★ in two
          // hues was one shape in grey or in forced colours.
          const face = display === 'stars' ? (lit ? '★' : '☆') : display === 'emoji' ? EMOJI[s - 1] : String(s)
          return (
            <button
              key={s}
              ref={(el) => void (buttons.current[i] = el)}
              type="button"
              role="radio"
              class={`opt${lit ? ' lit' : ''}`}
              aria-checked={on ? 'true' : 'false'}
              aria-label={words(s) ? t('surveys.option', { score: s, words: words(s) }) : String(s)}
              tabIndex={i === focusIndex ? 0 : -1}
              onClick={() => setChecked(s)}
            >
              <span aria-hidden="true">{face}</span>
            </button>
          )
        })}
      </div>
      <div class="ends" aria-hidden="true">
        <span>{words(scores[0])}</span>
        <span>{words(high)}</span>
      </div>
      <div class="actions">
        <button type="button" class="linger-btn linger-btn-primary" disabled={checked === undefined} onClick={() => checked !== undefined && onAnswer(checked)}>
          {t('surveys.send')}
        </button>
      </div>
    </div>
  )
}
