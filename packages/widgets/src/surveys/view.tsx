import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { WidgetContext, WidgetRender } from '../platform/context'
import type { Corner } from '../platform/layout'
import { guard, renderView } from '../platform/boundary'
import { afterPageModal, deepActiveElement, focusOrigin, rememberFocus, trapFocus, typing } from '../platform/focus'
import { messages as english } from '../platform/messages/en'
import { ChoiceList } from './choice-list'
import { messages } from './messages-en'
import { ScoreScale } from './score-scale'
import { SURVEY_CSS } from './styles'
import { TextBox } from './text-box'
import type { SurveySession, SurveysController } from './types'
import { useVisibleViewport } from './viewport'

const WIDGET = 'surveys'
/**
 * A pointer click this soon after the card came up, with no pointer movement onto it before, is
 * not an answer: it is the second click of a double-click (or tap) on the page where the card
 * just appeared, and it would pick a score the user never chose (one Send away from an answer
 * they did not give). Reading the question and aiming takes longer; a mouse that moved over the
 * card was aimed at it (a card appearing under a still pointer gets no pointermove).
 */
const ARM_MS = 500

/** Parsed at idle once this chunk is in (WidgetPlatform.prepare). */
export const css = SURVEY_CSS

// The vendor's texts (question, options, prompts, thank-you) are each in a <bdi>: the widgets follow
// the browser's language, so an Arabic browser on an English app draws the card right to left, and
// "What should we build next?" read "?What should we build next". An isolate keeps the card's own
// sides (the room kept for ×) as they are.

/** The survey on screen: a corner popover (the page stays usable) or, with placement "center", a modal. */
export const render: WidgetRender = (ctx) => {
  Object.assign(english, messages)
  // Mounted only once this kind's $needsUi turned true, so its controller runs.
  const surveys = ctx.linger.experiences.surveys!
  let open: { responseId: string; root: ShadowRoot; close(): void } | undefined
  let stopped = false

  const stop = surveys.$session.subscribe(function draw(session) {
    if (open && open.responseId !== session?.responseId) {
      open.close()
      open = undefined
    }
    if (!session) return
    if (!open) {
      const modal = session.survey.placement === 'center'
      // A centred survey is a modal: over the page's own (its Settings box, kept by its focus trap)
      // it made that box inert under its trap, which threw into the page, and the trap refused the
      // survey's clicks. It comes once the page's box is closed, counted shown then (mount.ts).
      if (modal && afterPageModal(document, () => stopped || draw(surveys.$session.get()))) return
      const surface = ctx.surface(modal ? 'survey-modal' : 'survey', SURVEY_CSS, modal ? 'modal' : 'popover')
      const restore = rememberFocus(surface.hostEl.ownerDocument)
      // Asked for from the page's control (a "Give feedback" button, with focus on it): that is
      // where closing it by keyboard goes back to, as a dialog to its opener, even once the user
      // Tabbed the long way round to it (docked over that button, it stood aside, took no focus).
      // In no shadow root: not another surface's control (its Dismiss). (The body takes no focus.)
      const asker = session.asked && deepActiveElement() == document.activeElement
      const root = surface.root
      // A corner card never took focus: a keyboard user who came in goes back where they came
      // from in the page, not where focus was when it appeared, nor to another surface they
      // Tabbed through on the way (the payment banner's Dismiss); a click or tap leaves focus alone.
      const origin = focusOrigin(true)
      // A modal's focus comes from nowhere (the page behind, made inert, let it go first): where
      // it was is where the user came in from, by keyboard. A click put it there: theirs to leave
      // be (focusOrigin), not the field they clicked away from, which their next keys would type in.
      const was = deepActiveElement()
      if (modal && was?.matches(':focus-visible')) origin.onFocusIn({ relatedTarget: was, currentTarget: root } as unknown as FocusEvent)
      let pointer = false
      // (Not from nowhere: a step that replaced the focused button moves focus on from the body.)
      root.addEventListener('focusin', (e) => (e as FocusEvent).relatedTarget && origin.onFocusIn(e as FocusEvent))
      root.addEventListener('pointerdown', () => (pointer = true), true)
      // From when a pointer click counts (see ARM_MS): at once once the pointer moved over it.
      let armed = performance.now() + ARM_MS
      root.addEventListener('pointermove', () => (armed = 0))
      root.addEventListener(
        'click',
        (e) => {
          // detail 0: a key or a screen reader's activation, never a stray pointer.
          if ((e as MouseEvent).detail && e.timeStamp < armed) {
            e.preventDefault()
            e.stopPropagation()
          }
        },
        true,
      )
      root.addEventListener('keydown', () => (pointer = false), true)
      let unrender = () => {}
      open = {
        responseId: session.responseId,
        root,
        close() {
          // Focus goes back only if it was in the survey: a user busy elsewhere stays put.
          const hadFocus = !!root.activeElement
          if (!modal && !pointer) hadFocus && asker && restore(), origin.back(root)
          unrender()
          surface.remove()
          // Opened over a Linger control that went meanwhile (the banner's Dismiss, the banner gone
          // with the plan): back where they came into it from in the page, not at its top.
          if (hadFocus && modal) restore(), pointer || deepActiveElement() != document.body || origin.back(document.body)
        },
      }
      unrender = renderView(ctx, WIDGET, <SurveyCard ctx={ctx} surveys={surveys} session={session} />, root)
    } else {
      renderView(ctx, WIDGET, <SurveyCard ctx={ctx} surveys={surveys} session={session} />, open.root)
    }
  })
  return () => {
    stopped = true
    stop()
    open?.close()
  }
}

function SurveyCard(props: { ctx: WidgetContext; surveys: SurveysController; session: SurveySession }) {
  const { ctx, surveys, session } = props
  const { t } = ctx
  const { survey, step } = session
  const modal = survey.placement === 'center'
  const card = useRef<HTMLElement>(null)
  const [text, setText] = useState('')
  const vars = useVisibleViewport(window)
  const qid = `linger-q-${session.responseId}`
  const act = <A extends unknown[]>(fn: (...a: A) => void) => guard(ctx, WIDGET, fn)
  // What a step after the question focuses: the comment box, or the thank-you.
  const target = () => card.current?.querySelector<HTMLElement>('[data-focus]') ?? null

  // Read while the previous step is still on screen: its focused button is about to go away.
  const focused = useMemo(() => !!card.current && !!(card.current.getRootNode() as ShadowRoot).activeElement, [step])

  // A modal opens on its own once typing paused, and someone may go on typing without looking:
  // focus on the dialog itself, not on a score, so their next space and Enter pick and send none.
  useEffect(() => (modal && card.current ? trapFocus(card.current, card.current) : undefined), [])
  // A popover docks in its corner above the checklist launcher, and steps aside (hidden, not
  // closed) while the user opens another corner surface.
  const [away, setAway] = useState(false)
  useLayoutEffect(() => {
    if (modal || !card.current) return
    const corner = (survey.placement ?? 'bottom-right').replace('right', 'end').replace('left', 'start') as Corner
    const undock = ctx.layout.dock(card.current, corner, 1, { avoid: true })
    const back = ctx.layout.expand(WIDGET, (on) => setAway(!on))
    return () => (undock(), back())
  }, [])
  useEffect(() => {
    const el = card.current
    if (!el) return
    // A corner survey appears on its own, so it never takes focus: the next keystroke belongs to
    // what the user was doing (Enter on the button that triggered it must not answer it). It is
    // announced, and it is in Tab order after the page's own controls, among Linger's surfaces as
    // they sit on screen. A modal is announced too: its focus is on the dialog, whose name does not
    // say the question.
    if (step === 'ask') {
      ctx.announce(t('surveys.announce', { question: survey.question }))
      // Unless the user asked for it just now (a "Give feedback" button calling linger.show): then
      // a keyboard user is taken to it, not left to Tab through the page, and Escape takes them back.
      if (session.asked && !modal && navigator.userActivation?.isActive && !typing(el.ownerDocument)) {
        // Held unseen as it came (no room yet: a short window, a banner up), it took none: it takes
        // it once it shows, as it would have then, if the user is still where they asked (on that
        // control, or nowhere); not from where they went meanwhile, nor from a field they type in.
        // (Still there, they type in no field: it was none as they asked.) Looked at once the key
        // that showed it is through: a Tab shows every surface for the browser to move on to.
        const at = deepActiveElement()
        el.focus()
        deepActiveElement() == el || ctx.layout.waits([(el.getRootNode() as ShadowRoot).host], () => setTimeout(() => [at, document.body].includes(deepActiveElement()) && el.focus()))
      }
    } else if (focused) target()?.focus()
    if (step === 'thanks') ctx.announce(survey.thankYou ?? t('surveys.thanks'))
    setText('')
  }, [step])

  let body
  if (step === 'thanks') {
    body = (
      <p class="thanks" tabIndex={-1} data-focus="">
        <bdi>{survey.thankYou ?? t('surveys.thanks')}</bdi>
      </p>
    )
  } else if (step === 'comment') {
    const prompt = session.prompt === true || !session.prompt ? t('surveys.commentPrompt') : session.prompt
    body = (
      <>
        <TextBox id={`${qid}-c`} label={prompt} value={text} max={surveys.commentMax} t={t} onInput={setText} />
        {/* Send first: Tab from the text the user just typed reaches it, not Skip (whose Enter threw
            the text away). The row is drawn reversed (styles.ts), so Send still ends it. */}
        <div class="actions">
          <button type="button" class="linger-btn linger-btn-primary" disabled={!text.trim()} onClick={act(() => surveys.comment(text))}>
            {t('surveys.send')}
          </button>
          <button type="button" class="linger-btn" onClick={act(() => surveys.comment(''))}>
            {t('surveys.skip')}
          </button>
        </div>
      </>
    )
  } else if (survey.kind === 'choice') {
    body = <ChoiceList survey={survey} questionId={qid} max={surveys.commentMax} t={t} onAnswer={act((choices: string[], other: string) => surveys.answer({ choices, other }))} />
  } else if (survey.kind === 'text') {
    body = (
      <>
        <TextBox id={qid} label={survey.question} value={text} max={surveys.commentMax} t={t} onInput={setText} />
        <div class="actions">
          <button type="button" class="linger-btn linger-btn-primary" disabled={!text.trim()} onClick={act(() => surveys.answer({ text }))}>
            {t('surveys.send')}
          </button>
        </div>
      </>
    )
  } else {
    body = (
      <>
        <p id={qid} class="q">
          <bdi>{survey.question}</bdi>
        </p>
        <ScoreScale survey={survey} questionId={qid} t={t} dir={ctx.dir} onAnswer={act((score: number) => surveys.answer({ score }))} />
      </>
    )
  }

  return (
    <div class={modal ? 'modal' : `pop ${survey.placement ?? 'bottom-right'}`} style={vars} hidden={away}>
      <section
        ref={card}
        class="card linger-card"
        tabIndex={-1}
        role="dialog"
        aria-modal={modal ? 'true' : undefined}
        aria-label={t('surveys.label')}
        onKeyDown={act((e: KeyboardEvent) => {
          // Escape during an IME composition cancels the composition, not the survey.
          if (e.key !== 'Escape' || e.isComposing) return
          e.stopPropagation()
          surveys.close()
        })}
      >
        <button type="button" class="linger-icon-btn x" aria-label={t('surveys.close')} onClick={act(() => surveys.close())}>
          <span aria-hidden="true">×</span>
        </button>
        {body}
      </section>
    </div>
  )
}
