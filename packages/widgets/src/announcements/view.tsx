import type { AnnouncementsController } from '@linger/sdk'
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks'
import type { WidgetContext, WidgetRender } from '../platform/context'
import { guard, renderView } from '../platform/boundary'
import { safeHref } from '../platform/safe-url'
import { deepActiveElement, focusIn, typing } from '../platform/focus'
import { useStore } from '../platform/use-store'
import { showNotices } from '../notice/notice'
import css from './styles'
import { messages as english } from '../platform/messages/en'
import { messages } from '../notice/messages-en'

const W = 'announcements'

/** Parsed at idle once this chunk is in (WidgetPlatform.prepare). */
export { css }

/**
 * The page's own control the user pressed just now (a click or a key), focus still on it: what
 * asked for a banner or the feed with linger.show ("What's new" in the app's header, or inside
 * its web component's open shadow root). Only when `asked` (the SDK saw show() called in
 * that click or key): one that came on its own has no opener, though any Tab or click a moment
 * before gives the page a user activation (a keyboard user Tabbing on would be sent back up the
 * page). Not a field they type in (it came on its own meanwhile).
 */
const opener = (asked: unknown, el = deepActiveElement() as HTMLElement | null) =>
  asked && navigator.userActivation?.isActive && !typing() && el != document.body ? el : null

/**
 * Announcements: the banner and the "what's new" modal through the shared notice UI, and the
 * feed launcher (with its unread count) while the user has feed items.
 */
export const render: WidgetRender = (ctx) => {
  Object.assign(english, messages)
  const c = ctx.linger.experiences.announcements!
  // The banner counts as shown once it is in sight, not while it waits behind a modal.
  const stops = [
    showNotices(ctx, W, { $notice: c.$banner, act: c.act, dismiss: c.dismiss, sight: c, opener: (id) => opener(c.asked() == id) }),
    showNotices(ctx, W, { $notice: c.$modal, act: c.act, dismiss: c.dismiss }),
  ]
  let feed: (() => void) | undefined
  stops.push(
    c.$feed.subscribe(({ items }) => {
      if (items.length && !feed) {
        const { root, remove } = ctx.surface('announcements-feed', css, 'base')
        const un = renderView(ctx, W, <Feed ctx={ctx} c={c} />, root)
        feed = () => (un(), remove())
      } else if (!items.length && feed) {
        feed()
        feed = undefined
      }
    }),
    () => feed?.(),
  )
  return () => stops.forEach((s) => s())
}

export function Feed({ ctx, c }: { ctx: WidgetContext; c: AnnouncementsController }) {
  const { items, unread, open } = useStore(c.$feed)
  const { t } = ctx
  const launcher = useRef<HTMLButtonElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const wasOpen = useRef<boolean>()
  const wrap = useRef<HTMLElement>(null)
  // The page's own control that opened it (a "What's new" in the app's header calling
  // linger.show): closed, focus goes back there, as a dialog's to its opener, and not to the
  // launcher in the far corner (a keyboard user lost their place in the page). Opened from the
  // launcher, or with that control gone since, the launcher.
  const asker = useRef<HTMLElement | null>()
  const back = () => (asker.current?.focus(), deepActiveElement() == asker.current || launcher.current?.focus())
  // In the bottom start corner's stack (the checklist has the end one), nearest the edge: where the
  // two corners share one column (phones), an open checklist above it is what gives way.
  useLayoutEffect(() => (wrap.current ? ctx.layout.dock(wrap.current, 'bottom-start', -1) : undefined), [])
  // One corner surface open at a time: a survey, a tour step or the checklist closes the panel,
  // but not on its own while the user works in it; closed anyway (the app's own show()), focus
  // that was in it goes back (also while the user is in another window, where
  // :focus-within stops matching).
  useEffect(() => {
    const el = wrap.current
    if (!open || !el) return
    const stop = ctx.screen.within(el)
    const undo = ctx.layout.expand(W, (on) => on || (focusIn(el) && launcher.current?.focus(), c.closeFeed()))
    return () => (stop(), undo())
  }, [open])
  // Opening moves focus into the panel (the user asked for it), as it goes in: after a paint, a
  // Tab typed straight after the Enter went on from the launcher and was taken back (checklist).
  // Not while they type in a field: the app's show() took their caret and next keystrokes.
  useLayoutEffect(() => {
    // Opened from its launcher, the opener is that launcher or none: back is the launcher. Open
    // as it mounts (the app's "What's new" pressed before this UI was in, as Linger loaded), it
    // is an opening only when that button asked for it: not a feed left open meanwhile.
    if (open && !wasOpen.current && ((asker.current = opener(c.asked())) || wasOpen.current === false)) typing(wrap.current?.ownerDocument) || heading.current?.focus()
    wasOpen.current = open
  }, [open])
  // An item counts as shown once half its title was in view in the open panel, not when the
  // feed opened: a long feed's last items are under the scroll, seen by no one yet.
  const panel = useRef<HTMLElement>(null)
  useEffect(() => {
    const el = panel.current
    if (!open || !el || typeof IntersectionObserver != 'function') return
    const io = new IntersectionObserver(guard(ctx, W, (all: IntersectionObserverEntry[]) => all.forEach((e) => e.intersectionRatio >= 0.5 && c.seen((e.target as HTMLElement).dataset.id!))), { root: el, threshold: 0.5 })
    el.querySelectorAll('h3').forEach((h) => io.observe(h))
    return () => io.disconnect()
  }, [open, items])
  // Closed by the user: focus goes back to what opened it. By mouse, to the launcher as before:
  // the app's button up the page scrolled the page back to it.
  const close = guard(ctx, W, (e?: MouseEvent) => (c.closeFeed(), e?.detail ? launcher.current?.focus() : back()))
  // Validation refuses a date that is not a real one; one that got here anyway must not throw (Intl does, on NaN) and take the launcher with it.
  // A date alone ("2026-11-02", 10 characters) parses as UTC midnight: read in UTC, it is that day
  // everywhere. With a time it is a moment (local to the reader when it has no zone): their day.
  const date = (iso?: string) => {
    const time = iso ? Date.parse(iso) : NaN
    return time === time ? new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: iso!.length > 10 ? undefined : 'UTC' }).format(time) : ''
  }
  return (
    <aside ref={wrap} class="wrap" dir={ctx.dir} aria-label={t('announcements.feed')} onKeyDown={(e) => e.key === 'Escape' && open && (e.stopPropagation(), close())}>
      <section ref={panel} id="la-panel" class="panel linger-card" hidden={!open} aria-labelledby="la-title">
        <div class="head">
          <h2 id="la-title" ref={heading} tabIndex={-1}>
            {t('announcements.feed')}
          </h2>
          <button type="button" class="linger-icon-btn" aria-label={t('announcements.close')} onClick={close}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
        <ul>
          {items.map((a) => {
            const href = a.action?.url ? safeHref(a.action.url) : undefined
            return (
              <li key={a.id}>
                {/* The vendor's text in its own direction (<bdi>): English in an Arabic feed read
                    ".Save a layout once…", its full stop thrown to the front. */}
                <h3 data-id={a.id}>
                  <bdi>{a.title}</bdi>
                </h3>
                {a.publishedAt && <time dateTime={a.publishedAt}>{date(a.publishedAt)}</time>}
                {a.body && (
                  <p>
                    <bdi>{a.body}</bdi>
                  </p>
                )}
                {a.action && href && (
                  <a class="linger-btn" href={href} onClick={guard(ctx, W, () => c.act(a.id))}>
                    <bdi>{a.action.label}</bdi>
                  </a>
                )}
              </li>
            )
          })}
        </ul>
      </section>
      <button
        ref={launcher}
        type="button"
        class="launcher linger-btn"
        aria-expanded={open ? 'true' : 'false'}
        aria-controls="la-panel"
        aria-label={unread ? t('announcements.unread', { count: unread }) : t('announcements.feed')}
        onClick={guard(ctx, W, () => (open ? c.closeFeed() : c.openFeed()))}
      >
        <span aria-hidden="true">{t('announcements.feed')}</span>
        {/* What it shows is in its name ("What's new 2" in "What's new, 2 unread"): words apart, digits as the name writes them. */}
        {unread > 0 && ' '}
        {unread > 0 && (
          <span class="count" aria-hidden="true">
            {unread}
          </span>
        )}
      </button>
    </aside>
  )
}
