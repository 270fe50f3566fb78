import type { Translate } from './types'

/**
 * A labelled textarea with a visible character count. Text over `max` is not blocked (a paste
 * is never silently cut): the count turns red and says how much will be left out.
 */
export function TextBox(props: { id: string; label: string; value: string; max: number; t: Translate; onInput(value: string): void }) {
  const { id, t, max } = props
  // Code points, as the controller counts when it cuts.
  const count = [...props.value.trim()].length
  const over = count - max
  return (
    <>
      <label for={id} class="q">
        <bdi>{props.label}</bdi>
      </label>
      <textarea id={id} rows={3} data-focus="" value={props.value} aria-describedby={`${id}-n`} onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)} />
      <p id={`${id}-n`} class={over > 0 ? 'count over' : 'count'}>
        {t('surveys.count', { count, max })}
      </p>
      {/* Static text, so a screen reader hears it once, not on every keystroke. */}
      <p role="status" class="count over">
        {over > 0 ? t('surveys.tooLong', { max }) : ''}
      </p>
    </>
  )
}
