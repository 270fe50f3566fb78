import type { Experiences } from '@linger/sdk'
import type { ReadableAtom } from 'nanostores'
import type { ComponentChildren } from 'preact'
import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import { guard } from '../platform/boundary'
import type { WidgetContext } from '../platform/context'
import { trapFocus } from '../platform/focus'
// A contact link is followed only when http(s) or relative (resolved as the browser would, so
// `java\nscript:` is no way round). Not the platform's safeHref: its chunk would cost this one
// another request and ~140 B.
const linkable = (url: string | undefined): url is string => {
  try {
    return !!url && /^https?:$/.test(new URL(url, 'https://h/').protocol)
  } catch {
    return false
  }
}

type Cancel = Experiences['cancel']
type CancelState = ReturnType<Cancel['$state']['get']>
type Action = Parameters<Cancel['dispatch']>[0]

function useAtom<T>($a: ReadableAtom<T>): T {
  const [value, set] = useState($a.get())
  // Layout effect: subscribed in the same commit, so no state change slips in before it.
  useLayoutEffect(() => $a.subscribe(set), [$a])
  return value
}

/** Config text with `{count}`-style numbers filled in, formatted for the locale. */
function fill(label: string, vars: Record<string, number>, locale: string): string {
  const nf = new Intl.NumberFormat(locale)
  return label.replace(/\{(\w+)\}/g, (m, name: string) => (Object.hasOwn(vars, name) ? nf.format(vars[name]) : m))
}

/** A resume date (YYYY-MM-DD, UTC) in the user's language: "2 June 2026", "2. Juni 2026". */
const longDate = (day: string | undefined, locale: string) => (day ? new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.parse(day)) : '')

// Defence in depth: the config schema already requires an absolute http(s) url.

export function CancelDialog({ ctx, cancel }: { ctx: WidgetContext; cancel: Cancel }) {
  const s = useAtom(cancel.$state)
  const { t } = ctx
  const dialog = useRef<HTMLDivElement>(null)
  const title = useRef<HTMLHeadingElement>(null)
  const downOnBackdrop = useRef(false)
  // The step the first click of a double (or triple) click answered.
  const clickedOn = useRef<string>()
  const commentBox = useRef<HTMLTextAreaElement>(null)
  // Continue was pressed without the comment this reason requires: say so next to the box.
  const [missing, setMissing] = useState(false)
  const send = (a: Action) => guard(ctx, 'cancel', () => cancel.dispatch(a))

  useLayoutEffect(() => trapFocus(dialog.current as HTMLElement, title.current), [])
  // Each step is a new view: move focus to its heading so it is read out, and Tab starts there.
  useLayoutEffect(() => title.current?.focus(), [s.step])
  useLayoutEffect(() => setMissing(false), [s.reasonId])

  const flow = s.flow
  if (!flow || s.step === 'closed') return null
  const reason = flow.reasons.find((r) => r.id === s.reasonId)
  const offer = flow.offers.find((o) => o.id === s.offerId)
  const required = reason?.comment === 'required'
  const showMissing = missing && required && !s.comment.trim()
  const back = <Button label={t('cancel.back')} onClick={send({ type: 'back' })} />

  let heading: string
  let body
  if (s.step === 'value') {
    heading = flow.valueReminder?.title ?? t('cancel.valueTitle')
    body = (
      <>
        <ul class="value">
          {s.items.map((item) => (
            <li key={item.label} dir="auto">{fill(item.label, item.vars, ctx.locale)}</li>
          ))}
        </ul>
        <Actions>
          <Button label={t('cancel.continue')} onClick={send({ type: 'next' })} />
          <Button primary label={t('cancel.keep')} onClick={send({ type: 'keep' })} />
        </Actions>
      </>
    )
  } else if (s.step === 'reasons') {
    heading = t('cancel.reasonsTitle')
    body = (
      <>
        <div class="reasons" role="radiogroup" aria-labelledby="lc-title">
          {flow.reasons.map((r) => (
            <label class="reason" key={r.id}>
              <input type="radio" name="lc-reason" value={r.id} checked={r.id === s.reasonId} onChange={send({ type: 'choose', reasonId: r.id })} />
              <span dir="auto">{r.label}</span>
            </label>
          ))}
        </div>
        {reason?.comment && (
          <>
            <label class="comment" for="lc-comment">
              {t(required ? 'cancel.commentRequired' : 'cancel.comment')}
            </label>
            <textarea
              id="lc-comment"
              ref={commentBox}
              maxLength={1000}
              value={s.comment}
              aria-required={required ? 'true' : undefined}
              aria-invalid={showMissing ? 'true' : undefined}
              aria-describedby={showMissing ? 'lc-comment-error' : undefined}
              onInput={(e) => cancel.dispatch({ type: 'comment', text: e.currentTarget.value })}
            />
            {showMissing && (
              <p id="lc-comment-error" class="error" role="alert">
                {t('cancel.commentMissing')}
              </p>
            )}
          </>
        )}
        <Actions>
          {s.items.length > 0 && back}
          <Button
            primary
            label={t('cancel.continue')}
            disabled={!reason}
            onClick={() => {
              if (required && !s.comment.trim()) {
                setMissing(true)
                commentBox.current?.focus()
              } else send({ type: 'submit' })()
            }}
          />
        </Actions>
      </>
    )
  } else if (s.step === 'offer' && offer) {
    heading = offer.title
    const standalone = s.standalone
    body = (
      <>
        <p dir="auto">{offer.body ?? t(`cancel.offer.${offer.kind}`)}</p>
        {offer.kind === 'pause' && (
          <>
            <div class="reasons months" role="radiogroup" aria-label={t('cancel.pause.length')}>
              {/* A pause a tab gone asked for (held): that length only, the one taking it applies. */}
              {[1, 2, 3].slice(0, offer.months).filter((n) => s.held?.offerId !== offer.id || n === s.months).map((n) => (
                <label class="reason" key={n}>
                  <input type="radio" name="lc-months" value={n} checked={n === s.months} onChange={send({ type: 'months', months: n })} />
                  <span>{t('cancel.pause.months', { count: n })}</span>
                </label>
              ))}
            </div>
            <p role="status">{t('cancel.pause.resumes', { date: longDate(s.resumesAt, ctx.locale) })}</p>
          </>
        )}
        <Actions>
          {!standalone && back}
          <Button label={t(standalone ? 'cancel.notNow' : 'cancel.decline')} onClick={send({ type: 'decline' })} />
          {offer.kind === 'contact' && linkable(offer.url) ? (
            <a class="linger-btn linger-btn-primary" href={offer.url} target="_blank" rel="noopener noreferrer" onClick={send({ type: 'accept' })}>
              {t('cancel.accept.contact')}
            </a>
          ) : (
            <Button primary label={t(`cancel.accept.${offer.kind}`)} onClick={send({ type: 'accept' })} />
          )}
        </Actions>
      </>
    )
  } else if (s.step === 'confirm') {
    heading = t('cancel.confirmTitle')
    body = (
      <>
        <p>{t('cancel.confirmBody')}</p>
        <Actions>
          {back}
          <Button primary label={t('cancel.keep')} onClick={send({ type: 'keep' })} />
          <Button danger label={t('cancel.confirm')} onClick={send({ type: 'confirm' })} />
        </Actions>
      </>
    )
  } else if (s.step === 'applying') {
    heading = t('cancel.applyingTitle')
    // Taking long (the vendor's handler has not answered): the user may close (the × or Escape),
    // which loses nothing, a late answer still being recorded, and cancels nothing.
    body = (
      <p class="progress" role="status">
        {!s.slow && <span class="spinner" aria-hidden="true" />}
        <span>{t(s.slow ? 'cancel.slow' : 'cancel.applying')}</span>
      </p>
    )
  } else if (s.step === 'error') {
    heading = t('cancel.errorTitle')
    body = (
      <>
        <p class="error" role="alert">
          {t('cancel.errorBody')}
        </p>
        <Actions>
          {back}
          <Button primary label={t('cancel.retry')} onClick={send({ type: 'retry' })} />
        </Actions>
      </>
    )
  } else if (s.step === 'contacted') {
    // The link itself opened the contact page (a user gesture, so no popup blocker); without a
    // usable link the vendor follows up from the `contacted` outcome.
    heading = t('cancel.contactedTitle')
    body = (
      <>
        <p role="status">{t(offer?.kind === 'contact' && linkable(offer.url) ? 'cancel.contacted' : 'cancel.saved.contact')}</p>
        <Actions>
          <Button primary label={t('cancel.done')} onClick={send({ type: 'close' })} />
        </Actions>
      </>
    )
  } else {
    heading = t('cancel.savedTitle')
    body = (
      <>
        <p role="status">
          {s.pending ? t('cancel.saved.pending') : offer?.kind === 'pause' ? t('cancel.saved.pauseUntil', { date: longDate(s.resumesAt, ctx.locale) }) : t(`cancel.saved.${offer?.kind}`)}
        </p>
        <Actions>
          <Button primary label={t('cancel.done')} onClick={send({ type: 'close' })} />
        </Actions>
      </>
    )
  }

  return (
    <div
      class="backdrop"
      onMouseDown={(e) => (downOnBackdrop.current = e.target === e.currentTarget)}
      // A double click's first click moves on to the next step, which its second would answer
      // too (a button that took the place under the pointer, or the backdrop round a shorter
      // step): an offer taken, a cancellation or a closed flow the user never chose.
      onClickCapture={(e) => {
        if (e.detail < 2) clickedOn.current = s.step
        else if (clickedOn.current !== s.step) {
          e.preventDefault()
          e.stopImmediatePropagation()
        }
      }}
      onClick={(e) => downOnBackdrop.current && e.target === e.currentTarget && cancel.dispatch({ type: 'close' })}
    >
      {/* No aria-busy while applying: screen readers hold back a busy region's live updates, and
          "Applying your offer…" (the step's status) is the update to hear. */}
      <div ref={dialog} class="dialog linger-card" role="dialog" aria-modal="true" aria-labelledby="lc-title">
        <div class="head">
          {/* The vendor's words (title, value lines, reasons, offer) take their own direction: English
              in an Arabic card would otherwise read "!Too expensive". */}
          <h2 id="lc-title" tabindex={-1} ref={title} dir="auto">
            {heading}
          </h2>
          <button type="button" class="linger-icon-btn" aria-label={t('cancel.close')} onClick={send({ type: 'close' })}>
            ×
          </button>
        </div>
        {body}
      </div>
    </div>
  )
}

function Actions({ children }: { children: ComponentChildren }) {
  return <div class="actions">{children}</div>
}

function Button(p: { label: string; onClick: () => void; primary?: boolean; danger?: boolean; disabled?: boolean }) {
  return (
    <button type="button" class={`linger-btn${p.primary ? ' linger-btn-primary' : ''}${p.danger ? ' danger' : ''}`} disabled={p.disabled} onClick={p.onClick}>
      {p.label}
    </button>
  )
}
