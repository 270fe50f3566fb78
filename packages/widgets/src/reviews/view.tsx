import type { Experiences } from '@linger/sdk'
import type { WidgetContext, WidgetRender } from '../platform/context'
import { guard, renderView } from '../platform/boundary'
import { deepActiveElement, focusOrigin, typing } from '../platform/focus'
import { useLayoutEffect, useMemo, useRef } from 'preact/hooks'
import { useStore } from '../platform/use-store'
import { REVIEW_CSS } from './styles'
import { messages as english } from '../platform/messages/en'
import { messages } from './messages-en'

const W = 'reviews'
type Controller = Experiences['reviews']

/** Parsed at idle once this chunk is in (WidgetPlatform.prepare). */
export const css = REVIEW_CSS

/**
 * The value review card: a non-modal region in a corner. It never takes focus (the user is
 * busy with their own work when a month turns); Escape closes it once focus is in it.
 */
export const render: WidgetRender = (ctx) => {
  Object.assign(english, messages)
  // Mounted only once this kind's $needsUi turned true, so its controller runs.
  const controller = ctx.linger.experiences.reviews!
  let shown: (() => void) | undefined
  const stop = controller.$state.subscribe((s) => {
    if (s.step === 'open' && !shown) {
      const { root, remove } = ctx.surface('review', REVIEW_CSS, 'popover')
      const un = renderView(ctx, W, <ReviewCard ctx={ctx} controller={controller} />, root)
      ctx.announce(`${s.review.title}`)
      shown = () => (un(), remove())
    } else if (s.step !== 'open' && shown) {
      shown()
      shown = undefined
    }
  })
  return () => {
    stop()
    shown?.()
  }
}

/** `2026-11` as the locale says a month ("November 2026"). */
const monthName = (locale: string, period: string) =>
  new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)) - 1, 15))

// The vendor's title, intro and labels are each in a <bdi>: in a right-to-left card (the widgets
// follow the browser's language) an English "What your team got done." read ".What your team got done".
export function ReviewCard({ ctx, controller }: { ctx: WidgetContext; controller: Controller }) {
  const s = useStore(controller.$state)
  const card = useRef<HTMLElement>(null)
  // Closed by keyboard, focus goes back where the user came from in the page, not to another
  // surface they Tabbed through on the way (the payment banner's Dismiss: their next Enter would
  // end it). Asked for from the page's control (a "This month" button calling linger.show, focus on
  // it), back to that control, as a dialog to its opener, even after the long way round by Tab.
  const origin = useMemo(() => focusOrigin(true), [])
  const open = s.step === 'open'
  // (Focus in another surface, that is its host, which takes none: back to where they came from.)
  // The page's control the user pressed to see it; not what had focus when the app showed it on
  // its own (a field they typed in and left since).
  const asker = useMemo(() => open && s.source == 'show' && navigator.userActivation?.isActive && !typing() && (document.activeElement as HTMLElement), [])
  // In the corner stacks, so it never covers the launchers (or a banner) sharing its corner.
  useLayoutEffect(() => (open && card.current ? ctx.layout.dock(card.current, 'bottom-start', 1, { avoid: true }) : undefined), [open])
  if (!open) return null
  const { review, period, items } = s
  const number = new Intl.NumberFormat(ctx.locale)
  // So far, an unchanged line is "+0 vs the same days of…": "Same as November" would say all of
  // November, which may have had many more.
  const change = new Intl.NumberFormat(ctx.locale, { signDisplay: period.complete ? 'exceptZero' : 'always' })
  const month = monthName(ctx.locale, period.period)
  const before = monthName(ctx.locale, period.previous.from.slice(0, 7))
  const close = guard(ctx, W, (e?: Event) => (!(e as MouseEvent | undefined)?.detail && card.current?.contains(deepActiveElement()) && asker && asker.focus(), origin.back(card.current, e), controller.close()))
  return (
    <section ref={card} class="card linger-card" aria-labelledby="linger-review-title" dir={ctx.dir} onFocusIn={origin.onFocusIn} onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), close())}>
      <h2 id="linger-review-title">
        <bdi>{review.title}</bdi>
      </h2>
      <p class="period">{period.complete ? month : ctx.t('review.soFar', { month })}</p>
      {review.intro && (
        <p class="intro">
          <bdi>{review.intro}</bdi>
        </p>
      )}
      {items.length ? (
        <dl>
          {items.map((item, i) => (
            <div key={i}>
              <dt>
                <bdi>{item.label}</bdi>
              </dt>
              <dd>
                <span class="v">{number.format(item.value)}</span>
                {item.previous !== undefined && (
                  <span class="d">
                    {item.value === item.previous && period.complete
                      ? ctx.t('review.same', { month: before })
                      : ctx.t(period.complete ? 'review.change' : 'review.changeSoFar', { change: change.format(item.value - item.previous), month: before })}
                  </span>
                )}
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p class="empty">{ctx.t('review.empty')}</p>
      )}
      <button class="linger-icon-btn x" type="button" aria-label={ctx.t('review.close')} onClick={close}>
        <span aria-hidden="true">×</span>
      </button>
    </section>
  )
}
