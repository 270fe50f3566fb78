import { useState } from 'preact/hooks'
import type { SurveyConfig, Translate } from './types'

const OTHER = 'other'

/** A poll: native radios (single) or checkboxes (multiple) in a fieldset, plus an optional "Other" with its text. */
export function ChoiceList(props: { survey: SurveyConfig; questionId: string; max: number; t: Translate; onAnswer(choices: string[], other: string): void }) {
  const { survey, t } = props
  const [picked, setPicked] = useState<string[]>([])
  const [other, setOther] = useState('')
  const multiple = !!survey.multiple
  const values = [...(survey.options ?? []), ...(survey.other ? [OTHER] : [])]
  const toggle = (v: string, on: boolean) => setPicked(multiple ? (on ? [...picked, v] : picked.filter((p) => p !== v)) : [v])
  // Its text goes with "Other" only: unticked, none of it is sent, so nothing of it is too long.
  const withOther = picked.includes(OTHER)

  return (
    <fieldset class="choices">
      <legend id={props.questionId} class="q">
        <bdi>{survey.question}</bdi>
      </legend>
      {values.map((v) => (
        <label key={v} class="choice">
          <input
            type={multiple ? 'checkbox' : 'radio'}
            name={`linger-${survey.id}`}
            value={v}
            checked={picked.includes(v)}
            onChange={(e) => toggle(v, (e.currentTarget as HTMLInputElement).checked)}
          />
          <bdi>{v === OTHER ? t('surveys.other') : v}</bdi>
        </label>
      ))}
      {withOther && (
        <input type="text" class="other" aria-label={t('surveys.otherLabel')} value={other} onInput={(e) => setOther((e.currentTarget as HTMLInputElement).value)} />
      )}
      {/* No maxLength: the browser would cut a paste short without a word. As in the comment box,
          the text is taken whole and the user told what will be left out. */}
      <p role="status" class="count over">
        {withOther && [...other.trim()].length > props.max ? t('surveys.tooLong', { max: props.max }) : ''}
      </p>
      <div class="actions">
        <button type="button" class="linger-btn linger-btn-primary" disabled={!picked.length} onClick={() => props.onAnswer(picked, other)}>
          {t('surveys.send')}
        </button>
      </div>
    </fieldset>
  )
}
