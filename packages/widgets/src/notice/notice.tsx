import type { ReadableAtom } from 'nanostores'
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { Notice } from '@linger/sdk'
import type { WidgetContext } from '../platform/context'
import { guard, renderView } from '../platform/boundary'
import { focusIn, focusOrigin, rememberFocus, trapFocus } from '../platform/focus'
import { safeHref } from '../platform/safe-url'
import { useStore } from '../platform/use-store'
import { bannerCss, modalCss } from './styles'

/** What a kind's controller offers a notice: its atom and the two buttons. */
export interface NoticeSource {
  $notice: ReadableAtom<Notice | null>
  act(id: string): void
  dismiss(id: string): void
  /**
   * A banner's controller, told while its banner is out of sight (`behind`: not on the page yet,
   * or behind a modal, inert under its backdrop): its Shown waits, as one then is seen by no one.
   */
  sight?: { behind?(then: () => void): boolean }
  /**
   * The page's control that asked for banner `id` (a "What's new" button calling linger.show, just
   * pressed), read as the banner comes; null when it came on its own.
   */
  opener?(id?: string): HTMLElement | null
}

/**
 * Puts a controller's notice on screen while it has one: a banner (non-blocking, never takes
 * focus, Esc inside dismisses) or a modal (blocking: the page is inert, focus is trapped and
 * returns where it was). Announcements and billing prompts both render through here, so there
 * is one banner and one modal. Returns the unmount.
 */
export function showNotices(ctx: WidgetContext, widget: string, source: NoticeSource): () => void {
  let shown: { layout: Notice['layout']; close(): void } | undefined
  // One waiter is enough: run again, it re-reads the banner on screen, counted once.
  let inView: boolean | undefined
  let wait: (() => void) | undefined
  const sight = (on: boolean) => (inView = on) && wait?.()
  const { sight: heard } = source
  if (heard) heard.behind = (then) => !inView && !!(wait = then)
  const open = (layout: Notice['layout']) => {
    if (layout === 'modal') {
      const restoreFocus = rememberFocus()
      const surface = ctx.surface(`${widget}-modal`, modalCss, 'modal')
        const unmount = renderView(ctx, widget, <NoticeModal ctx={ctx} widget={widget} source={source} />, surface.root)
      return () => {
        unmount()
        surface.remove()
        restoreFocus()
      }
    }
    const surface = ctx.surface(`${widget}-banner`, bannerCss, 'popover')
    const unmount = renderView(ctx, widget, <NoticeBanner ctx={ctx} widget={widget} source={source} host={surface.hostEl} />, surface.root)
    // Behind a modal (Linger's or the page's) the banner is inert, under its backdrop: out of sight
    // until the modal is closed, and its source hears so (a Shown then would be seen by no one).
    const seen = () => sight(!surface.hostEl.hasAttribute('inert'))
    const inert = new MutationObserver(seen)
    inert.observe(surface.hostEl, { attributeFilter: ['inert'] })
    seen()
    return () => {
      inert.disconnect()
      sight(false)
      unmount()
      surface.remove()
    }
  }
  const stop = source.$notice.subscribe((n) => {
    if (shown && (!n || n.layout !== shown.layout)) {
      shown.close()
      shown = undefined
    }
    if (n && !shown) shown = { layout: n.layout, close: open(n.layout) }
  })
  return () => {
    stop()
    shown?.close()
    if (heard) delete heard.behind
  }
}

/** Whether the user may close it now: not while the vendor's handler runs (a close then would answer it twice). */
const closable = (n: Notice) => !!n.dismiss && n.status !== 'busy'

function Buttons({ ctx, widget, source, n, banner, leaving }: { ctx: WidgetContext; widget: string; source: NoticeSource; n: Notice; banner?: boolean; leaving?: (e: Event) => void }) {
  const { t } = ctx
  const dismiss = guard(ctx, widget, (e: Event) => (leaving?.(e), source.dismiss(n.id)))
  const href = n.action?.url ? safeHref(n.action.url) : undefined
  // Focus goes back where the user came from first: the notice closes (an announcement), and
  // focus would fall to <body>.
  const act = guard(ctx, widget, (e: Event) => (leaving?.(e), source.act(n.id)))
  return (
    <div class="actions">
      {n.action &&
        // Done hides the button, but not on a notice that cannot be closed (the payment wall):
        // a blocking modal without a button is a dead end until reload.
        (n.status !== 'done' || !n.dismiss) &&
        (href ? (
          <a class="linger-btn linger-btn-primary" href={href} onClick={act}>
            <bdi>{n.action.label}</bdi>
          </a>
        ) : (
          // Busy, it says so and ignores clicks but keeps focus: a disabled button drops a
          // keyboard user's focus to <body> (a screen reader loses its place in the wall).
          <button type="button" class="linger-btn linger-btn-primary" aria-disabled={n.status === 'busy' ? 'true' : undefined} aria-busy={n.status === 'busy' ? 'true' : undefined} onClick={(e) => n.status !== 'busy' && act(e)}>
            {n.status === 'error' ? t('notice.retry') : <bdi>{n.action.label}</bdi>}
          </button>
        ))}
      {n.dismiss &&
        // In a banner, a plain close is an × (a phone keeps its rows for the message).
        (banner && n.dismiss === 'dismiss' ? (
          <button type="button" class="linger-icon-btn close" aria-label={t('common.dismiss')} disabled={!closable(n)} onClick={dismiss}>
            <span aria-hidden="true">×</span>
          </button>
        ) : (
          <button type="button" class="linger-btn" disabled={!closable(n)} onClick={dismiss}>
            {t(n.dismiss === 'later' ? 'notice.later' : 'common.dismiss')}
          </button>
        ))}
    </div>
  )
}

function Status({ ctx, n }: { ctx: WidgetContext; n: Notice }) {
  if (!n.status || n.status === 'idle') return null
  return (
    <p class={`status ${n.status}`} role={n.status === 'error' ? 'alert' : 'status'}>
      {ctx.t(`notice.${n.status}`)}
    </p>
  )
}

export function NoticeBanner({ ctx, widget, source, host }: { ctx: WidgetContext; widget: string; source: NoticeSource; host: HTMLElement }) {
  const n = useStore(source.$notice)
  const box = useRef<HTMLElement>(null)
  // Back, closed by keyboard, where the user came from in the page: not to another surface they
  // Tabbed through on the way (a survey's ×, a toast's button), nor the top of the page.
  const origin = useMemo(() => focusOrigin(true), [])
  const id = n?.id
  // Asked for by the page's control: back there first, as a dialog to its opener, even after the
  // long way round by Tab (it took no focus). Gone or hidden since, it takes none: the origin's.
  const asker = useMemo(() => source.opener?.(id), [id])
  const leaving = (e: Event) => (asker && !(e as MouseEvent).detail && focusIn(box.current!) && asker.focus(), origin.back(box.current, e))
  // Another notice in its place while the user is in the banner (their card update let the annual
  // offer in): it is a new banner, focus on it and not on its buttons. The old one's button, kept
  // and relabelled, held focus: a second Enter accepted "Switch to yearly".
  const was = useRef<[string | undefined, boolean?]>([id])
  if (was.current[0] !== id) was.current = [id, !!box.current && focusIn(box.current)]
  useLayoutEffect(() => void (was.current[1] && box.current?.focus()), [id])
  // Read out politely once per banner: it never takes focus.
  useLayoutEffect(() => {
    if (n) ctx.announce(n.title, 'polite')
  }, [id])
  // Docked at its edge, nearest to it, so corner surfaces (the checklist, toasts, a survey)
  // stack beside or past it and never under it. Pushing the page, the host's bar at that edge
  // moves in under it.
  useLayoutEffect(() => (n && box.current ? ctx.layout.dock(box.current, n.position === 'bottom' ? 'bottom-start' : 'top-start', -2, n.pushLayout) : undefined), [id, n?.position, n?.pushLayout])
  // On a phone (480 px wide or less, or held sideways, styles.ts) the body folds behind a
  // disclosure button after the title: title and main action in sight, the banner two rows (at
  // most ~12% of a 320 × 568 screen; 28% unfolded). Folded, the body stays in the accessibility
  // tree (clipped, not hidden): a screen reader reads the whole message. Opened by the user, never
  // on its own; larger, there is no button (display:none, out of the accessibility tree too) and
  // nothing folds.
  // Which banner the user opened: another one comes folded.
  const [opened, setOpen] = useState<string>()
  const open = opened === id
  // Pushes the page only when the vendor asked: pads the body by what the banner covers from its
  // edge, and puts back what was there.
  useLayoutEffect(() => {
    const el = box.current
    const doc = host.ownerDocument
    const body = doc.body
    if (!n?.pushLayout || !el) return
    const top = n.position !== 'bottom'
    const side = top ? 'paddingTop' : 'paddingBottom'
    const { [side]: before, boxSizing } = body.style
    const base = parseFloat(getComputedStyle(body)[side]) || 0
    const win = doc.defaultView!
    // The host's own bar fixed at that edge is moved in under the banner by the layout (dock).
    // Below a phone's notch (layout), the page's own padding (env(safe-area-inset-top)) already
    // keeps clear of what lies between the edge and the banner: counted twice, a notch-high blank band.
    const pad = () => {
      const r = el.getBoundingClientRect()
      const [near, far] = top ? [r.top, r.bottom] : [win.innerHeight - r.bottom, win.innerHeight - r.top]
      body.style[side] = `${base + Math.max(0, far - Math.min(base, near))}px`
    }
    // A body exactly as tall as the screen (an app's shell: header, scrolling main, tab bar) grew
    // past it by the padding: its last row went below the fold or under the banner. Its padding
    // counts in its height instead; a body as tall as its content does not change.
    body.style.boxSizing = 'border-box'
    pad()
    const stop = ctx.layout.onChange(pad)
    return () => {
      stop()
      Object.assign(body.style, { [side]: before, boxSizing })
    }
  }, [id, n?.pushLayout, n?.position])
  if (!n || n.layout !== 'banner') return null
  return (
    <section
      key={n.id}
      ref={box}
      tabIndex={-1}
      class={`banner ${n.position === 'bottom' ? 'bottom' : 'top'}${n.pushLayout ? ' push' : ''}`}
      aria-label={ctx.t(widget === 'billing' ? 'notice.billing' : 'notice.label')}
      onFocusIn={origin.onFocusIn}
      onKeyDown={(e) => e.key === 'Escape' && closable(n) && (e.stopPropagation(), leaving(e), source.dismiss(n.id))}
    >
      {/* The vendor's title and body are one paragraph in their own direction, the title's
          (dir="auto" reads the title: the body's <bdi> is skipped). Laid out in the banner's,
          English in Arabic widgets read "Update Your last payment failed" / "your card to…". The
          body keeps its own direction too (<bdi>): English in an Arabic page read "soonCheck
          that…", its full stop at the front. */}
      <p class="text" dir="auto">
        <span class="title">
          {n.title}
        </span>
        {/* A space in the banner's direction, not a margin: an isolate's inline-start is its own
            text's side, so English in an Arabic banner read "UpdateYour last payment failed". */}
        {n.body && ' '}
        {n.body && (
          <bdi id="lb-body" class={open ? 'body' : 'body fold'}>
            {n.body}
          </bdi>
        )}
        {/* Last: a screen reader reads title and body, then the button. Named by the title alone,
            it sounded like the banner's action ("Update your card, button"). */}
        {n.body && (
          <button type="button" class="linger-icon-btn more" aria-label={ctx.t('notice.more', { title: n.title })} aria-expanded={open} aria-controls="lb-body" onClick={() => setOpen(open ? undefined : id)}>
            ▾
          </button>
        )}
      </p>
      <Buttons ctx={ctx} widget={widget} source={source} n={n} banner leaving={leaving} />
      <Status ctx={ctx} n={n} />
    </section>
  )
}

export function NoticeModal({ ctx, widget, source }: { ctx: WidgetContext; widget: string; source: NoticeSource }) {
  const n = useStore(source.$notice)
  const dialog = useRef<HTMLDivElement>(null)
  const title = useRef<HTMLHeadingElement>(null)
  useLayoutEffect(() => (dialog.current ? trapFocus(dialog.current, title.current) : undefined), [])
  if (!n || n.layout !== 'modal') return null
  return (
    <div class="overlay">
      <div
        ref={dialog}
        class="dialog linger-card"
        role={n.dismiss ? 'dialog' : 'alertdialog'}
        aria-modal="true"
        aria-labelledby="ln-title"
        aria-describedby={n.body ? 'ln-body' : undefined}
        onKeyDown={(e) => e.key === 'Escape' && closable(n) && (e.stopPropagation(), source.dismiss(n.id))}
      >
        <h2 id="ln-title" ref={title} tabIndex={-1}>
          <bdi>{n.title}</bdi>
        </h2>
        {n.body && (
          <p id="ln-body" class="body">
            <bdi>{n.body}</bdi>
          </p>
        )}
        <Status ctx={ctx} n={n} />
        <Buttons ctx={ctx} widget={widget} source={source} n={n} />
      </div>
    </div>
  )
}
