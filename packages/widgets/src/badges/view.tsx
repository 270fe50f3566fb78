import type { Experiences } from '@linger/sdk'
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { WidgetContext, WidgetRender } from '../platform/context'
import { guard, renderView } from '../platform/boundary'
import { deepActiveElement, focusOrigin, rememberFocus, trapFocus, typing } from '../platform/focus'
import { useStore } from '../platform/use-store'
import { Icon } from './icons'
import { messages as english } from '../platform/messages/en'
import { messages } from './messages-en'
import { shelfCss, toastCss } from './styles'

const W = 'badges'
const TOAST_MS = 6000
type Controller = Experiences['badges']
type Toast = ReturnType<Controller['$toasts']['get']>[number]

/** Parsed at idle once this chunk is in (WidgetPlatform.prepare). */
export const css = toastCss

/**
 * Two surfaces: the toast (top layer, polite, auto-dismissing) and the shelf (a modal dialog).
 * Each appears only while it has something to show.
 */
export const render: WidgetRender = (ctx) => {
  Object.assign(english, messages)
  // Mounted only once this kind's $needsUi turned true, so its controller runs.
  const controller = ctx.linger.experiences.badges!
  const unmounts: Array<() => void> = []
  const follow = <T,>(store: { subscribe(fn: (v: T) => void): () => void }, name: string, css: string, layer: 'toast' | 'modal', visible: (v: T) => boolean, view: () => preact.VNode) => {
    let unrender: (() => void) | undefined
    unmounts.push(
      store.subscribe((v) => {
        if (visible(v) && !unrender) {
          const { root, remove } = ctx.surface(name, css, layer)
          const un = renderView(ctx, W, view(), root)
          // Out of the page first: the shelf's focus goes back to an element no longer inert.
          unrender = () => (remove(), un())
        } else if (!visible(v) && unrender) {
          unrender()
          unrender = undefined
        }
      }),
      () => unrender?.(),
    )
  }
  follow(controller.$toasts, 'badge-toast', toastCss, 'toast', (list: readonly Toast[]) => list.length > 0, () => <ToastView ctx={ctx} controller={controller} />)
  follow(controller.$shelfOpen, 'badge-shelf', shelfCss, 'modal', (open: boolean) => open, () => <Shelf ctx={ctx} controller={controller} />)
  return () => unmounts.splice(0).forEach((u) => u())
}

/**
 * Whether `el` would go unseen, or hide what the user is on: the page is full screen (a
 * presentation, a video: the top layer drew a toast that came meanwhile over the slides, and one
 * already up went behind them, its time running out there), or it is over the field focus is in
 * (a search box at the top of a phone's page): the user would type blind. Its entrance slides it
 * down 12 px from where it may be drawn now.
 */
function unseen(el: Element): boolean {
  const f = typing() && deepActiveElement()!.getBoundingClientRect()
  const a = el.getBoundingClientRect()
  return !!document.fullscreenElement || (!!f && a.left < f.right && f.left < a.right && a.top < f.bottom && f.top < a.bottom + 12)
}

export function ToastView({ ctx, controller }: { ctx: WidgetContext; controller: Controller }) {
  const toasts = useStore(controller.$toasts)
  const toast = toasts[0]
  const box = useRef<HTMLDivElement>(null)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  // The pointer moving on it holds it; so does focus in it, on its own: a mouse that crosses a
  // toast a keyboard user is reading must not start its time, and remove the button under focus.
  const hovered = useRef(false)
  const dismiss = () => toast && controller.dismissToast(toast.id)
  // A keyboard user who dismissed it (or went on to the shelf, which gives focus back to where
  // it was when it opened) goes back where they came from in the page, not to the top of it, nor
  // to another surface they Tabbed through on the way (the payment banner's Dismiss: their next
  // Enter would end it). It comes on its own: nothing of the page asked for it.
  const origin = useMemo(() => focusOrigin(true), [])
  const said = useRef<string>()
  // Behind a modal it is inert and unseen: come while one was open (create-context.ts), or up
  // when one opened (inert.ts). Its time stops there, and it gets its full time once the modal
  // is gone, or it would go before anyone saw it; it is announced then too, not while unseen.
  const arm = () => {
    clearTimeout(timer.current)
    const el = box.current
    const behind = el?.closest('[inert]') ?? (el?.getRootNode() as ShadowRoot | undefined)?.host?.closest('[inert]')
    // Earned in a background tab (an event the app tracked from a job), it would be gone unseen:
    // said and timed once the user is back.
    if (!el || behind || !toast || ctx.screen.away(() => latest.current())) return
    // Over the field the user is typing in, or while something is full screen, it waits unseen
    // (hidden by CSS), unsaid and untimed until focus leaves that field or full screen ends; one
    // that comes over it later (or one up as full screen begins) steps back the same way.
    const wait = unseen(el)
    el.toggleAttribute('data-wait', wait)
    // Unseen, it takes no room in the stack either: a survey beside it would sit below a gap, and
    // a tour's beacon under that gap would hide (covered by nothing the user sees).
    docked.current = wait ? void docked.current?.() : (docked.current ?? ctx.layout.dock(el, 'top-end', 0))
    if (wait) return
    if (said.current !== toast.id) {
      said.current = toast.id
      ctx.announce('badge' in toast ? ctx.t('badges.announceBadge', { title: toast.badge.title }) : ctx.t('badges.announceLevel', { level: toast.level }))
    }
    // (Focus is already out while focusout is sent.)
    if (!hovered.current && !el.contains((el.getRootNode() as ShadowRoot).activeElement)) timer.current = setTimeout(dismiss, TOAST_MS)
  }
  const hover = (on: boolean) => () => {
    hovered.current = on
    arm()
  }
  // Docked with the other corner surfaces; while it is up, surveys and tours wait.
  const docked = useRef<() => void>()
  useLayoutEffect(() => {
    if (box.current) docked.current = ctx.layout.dock(box.current, 'top-end', 0)
    return () => (docked.current = void docked.current?.())
  }, [!toast])
  useEffect(() => (toast ? ctx.screen.hold() : undefined), [!toast])
  useEffect(() => {
    if (!toast) return
    // A cursor that merely rests where the toast appeared does not hold it (see onPointerMove).
    hovered.current = false
    arm()
    return () => clearTimeout(timer.current)
  }, [toast?.id])
  // A modal makes inert an element the toast is in (its own host, or one above it, in a
  // container shared with the modal): each is watched while the toast is up, so its time stops
  // and starts again with the modal.
  const latest = useRef(arm)
  latest.current = arm
  useEffect(() => {
    const watch = new MutationObserver(() => latest.current())
    for (let el = box.current && ((box.current.getRootNode() as ShadowRoot).host ?? box.current); el && el !== el.ownerDocument.body; el = el.parentElement)
      watch.observe(el, { attributes: true, attributeFilter: ['inert'] })
    // Focus going into a field under it, or out of the one it waits over, and full screen
    // beginning or ending (and only then: each arm() starts its time again).
    const onFocus = () => box.current && box.current.hasAttribute('data-wait') !== unseen(box.current) && latest.current()
    const on = ['focusin', 'focusout', 'fullscreenchange']
    on.forEach((t) => addEventListener(t, onFocus, true))
    return () => (watch.disconnect(), on.forEach((t) => removeEventListener(t, onFocus, true)))
  }, [!toast])
  if (!toast) return null
  const isBadge = 'badge' in toast
  return (
    <aside ref={box} aria-label={ctx.t(isBadge ? 'badges.earned' : 'badges.levelReached')} class="toast linger-card" onPointerMove={() => hovered.current || hover(true)()} onMouseLeave={hover(false)} onFocusIn={(e) => (origin.onFocusIn(e), arm())} onFocusOut={arm} onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), origin.back(box.current), dismiss())}>
      <Icon icon={isBadge ? (toast.badge.icon ?? 'medal') : (toast.icon ?? 'star')} />
      <div class="body">
        <p class="kicker">{ctx.t(isBadge ? 'badges.earned' : 'badges.levelReached')}</p>
        <p class="name" dir="auto">{isBadge ? toast.badge.title : toast.level}</p>
        <button class="linger-btn view" type="button" onClick={guard(ctx, W, (e?: Event) => (origin.back(box.current, e), dismiss(), controller.openShelf()))}>
          {ctx.t('badges.view')}
        </button>
      </div>
      <button class="linger-icon-btn" type="button" aria-label={ctx.t('common.dismiss')} onClick={(e) => (origin.back(box.current, e), dismiss())}>
        <span aria-hidden="true">×</span>
      </button>
    </aside>
  )
}

// The vendor's names and descriptions (and teammates' names) are `dir="auto"`: with the locale
// following the browser, an Arabic browser on an English app drew "Report pro!" as "!Report pro".
export function Shelf({ ctx, controller }: { ctx: WidgetContext; controller: Controller }) {
  const state = useStore(controller.$state)
  const dialog = useRef<HTMLDivElement>(null)
  const flows = ctx.host.flows.get()
  const levels = [...(flows.levels ?? [])].sort((a, b) => a.points - b.points)
  const level = levels[state.level]
  const next = levels[state.level + 1]
  const from = level?.points ?? 0
  // Points lost since the level was reached (a reward the vendor cut) keep the level, with
  // nothing yet towards the next: an empty bar (a negative width, dropped, drew a full one).
  const now = Math.max(state.points, from)
  const date = new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium' })
  // Where focus is as the shelf is drawn, not after paint: the page under the shelf is inert by
  // then, and Chromium has moved focus off the button that opened it, to <body>, where closing
  // the shelf left a keyboard user (some of the time: whichever came first).
  const restore = useMemo(() => rememberFocus(), [])
  useEffect(() => {
    const release = dialog.current ? trapFocus(dialog.current) : () => {}
    return () => {
      release()
      restore()
    }
  }, [])
  const close = guard(ctx, W, () => controller.closeShelf())
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && close()}>
      <div ref={dialog} class="shelf linger-card" role="dialog" aria-modal="true" aria-labelledby="linger-shelf-title" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), close())}>
        <div class="head">
          <div>
            <h2 id="linger-shelf-title">{ctx.t('badges.title')}</h2>
            <p class="level">
              {level ? `${ctx.t('badges.level', { level: level.name })} · ` : ''}
              {ctx.t('common.points', { count: state.points })}
            </p>
          </div>
          <button class="linger-icon-btn" type="button" aria-label={ctx.t('badges.close')} onClick={close}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
        {next && (
          <>
            <div class="bar" role="progressbar" aria-label={ctx.t('badges.nextLevel', { points: ctx.t('common.points', { count: next.points - state.points }), level: next.name })} aria-valuemin={from} aria-valuemax={next.points} aria-valuenow={now}>
              <span style={{ width: `${((now - from) / (next.points - from)) * 100}%` }} />
            </div>
            <p class="level">{ctx.t('badges.nextLevel', { points: ctx.t('common.points', { count: next.points - state.points }), level: next.name })}</p>
          </>
        )}
        <ul class="badges">
          {(flows.badges ?? []).map((badge) => {
            const at = Object.hasOwn(state.earned, badge.id) ? state.earned[badge.id] : undefined
            const progress = at === undefined ? controller.progress(badge.id) : undefined
            return (
              <li key={badge.id} class={at === undefined ? 'locked' : ''}>
                <Icon icon={badge.icon ?? 'medal'} />
                <h3 dir="auto">{badge.title}</h3>
                {badge.description && <p dir="auto">{badge.description}</p>}
                <p class="state">
                  {at !== undefined ? ctx.t('badges.earnedOn', { date: date.format(at) }) : progress ? <Progress ctx={ctx} {...progress} /> : ctx.t('badges.locked')}
                </p>
              </li>
            )
          })}
        </ul>
        {flows.settings?.leaderboard && <Board ctx={ctx} controller={controller} />}
      </div>
    </div>
  )
}

type Board = Awaited<ReturnType<Controller['leaderboard']>>
type Row = Extract<Board, { ok: true }>['rows'][number]

/**
 * The user's own row with the points the shelf shows above it: a badge just earned ("View badges"
 * on its toast) is still in the queue, and the collector's board gave them the points before it
 * ("50 points" above, "You · 20 points" below). Ranked as the collector ranks (ties share one):
 * each row they pass goes down one.
 */
export function withMine(rows: Row[], points: number): Row[] {
  const me = rows.find((r) => r.you)
  if (!me || me.points >= points) return rows
  const passed = (r: Row) => r.points > me.points && r.points <= points
  return rows
    .map((r) => (r === me ? { ...r, points, rank: r.rank - rows.filter(passed).length } : passed(r) && r.points < points ? { ...r, rank: r.rank + 1 } : r))
    .sort((a, b) => a.rank - b.rank || +b.you - +a.you)
}

/**
 * The account's leaderboard under the badges: names only as the vendor supplies them
 * ("Teammate" otherwise), the user's own row marked, and a switch to leave it (or come back).
 * Nothing shows for a user who is not verified or in no account.
 */
export function Board({ ctx, controller }: { ctx: WidgetContext; controller: Controller }) {
  const [board, setBoard] = useState<Board | undefined>()
  const state = useStore(controller.$state)
  // The choice on its way (true: leave): shown at once, and the switch keeps focus meanwhile.
  const [choosing, setChoosing] = useState<boolean>()
  useEffect(() => {
    // The board shown; null once the shelf is closed.
    let shown: Board | undefined | null
    const load = () => controller.leaderboard().then((b) => shown !== null && setBoard((shown = b)), () => {})
    load()
    // A visitor who signs in (or joins their account) with the shelf open: their board, now.
    // Another user closes the shelf (badges.ts).
    const stop = ctx.host.user.listen(() => shown?.ok === false && load())
    return () => (stop(), (shown = null))
  }, [])
  if (!board || (!board.ok && board.reason !== 'unavailable')) return null
  const number = new Intl.NumberFormat(ctx.locale)
  const busy = choosing != null
  const choose = guard(ctx, W, (out: boolean) => {
    setChoosing(out)
    controller.leaderboard(out).then((b) => (setBoard(b), setChoosing(undefined)), () => setChoosing(undefined))
  })
  return (
    <section class="board" aria-labelledby="linger-board-title">
      <h3 id="linger-board-title">{ctx.t('badges.board')}</h3>
      {!board.ok ? (
        <p>{ctx.t('badges.boardUnavailable')}</p>
      ) : (
        <>
          {board.rows.length > 0 && (
            <ol>
              {/* By place: tied teammates without a display name share rank and name. */}
              {withMine(board.rows, state.points).map((r, i) => (
                <li key={i} class={r.you ? 'you' : ''}>
                  <span class="rank">{number.format(r.rank)}</span>
                  <span class="who" dir="auto">{r.you ? ctx.t('badges.you') : (r.name ?? ctx.t('badges.teammate'))}</span>
                  <span class="pts">{ctx.t('common.points', { count: r.points })}</span>
                </li>
              ))}
            </ol>
          )}
          <label class="optout">
            {/* Not `disabled` while saving: Chromium moves focus off a disabled control, to the page behind the shelf. */}
            <input type="checkbox" checked={!(choosing ?? board.optedOut)} aria-disabled={busy} onClick={(e) => busy && e.preventDefault()} onChange={(e) => choose(!(e.currentTarget as HTMLInputElement).checked)} />
            {ctx.t('badges.boardShowMe')}
          </label>
        </>
      )}
    </section>
  )
}

function Progress({ ctx, current, target }: { ctx: WidgetContext; current: number; target: number }) {
  return (
    <>
      <span class="linger-sr">{`${ctx.t('badges.locked')}: ${ctx.t('badges.progressLabel', { current, target })}`}</span>
      <span aria-hidden="true">{`${ctx.t('badges.locked')} · ${ctx.t('badges.progress', { current, target })}`}</span>
    </>
  )
}
