import type { Experiences } from '@linger/sdk'
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { WidgetContext, WidgetRender } from '../platform/context'
import { guard, renderView } from '../platform/boundary'
import { deepActiveElement, focusIn, typing } from '../platform/focus'
import { safeHref } from '../platform/safe-url'
import { useStore } from '../platform/use-store'
import { css } from './styles'

const W = 'checklist'
/** The page's controls a press or a focus lands on (fields, a select: typing()). */
const C = 'a,button,input,summary,[role=button],[role=link]'
/** The "All done" panel that opened by itself closes after this long (unless hovered or focused). */
export const CELEBRATE_MS = 6000
type ChecklistView = ReturnType<Experiences['checklists']['$checklists']['get']>[number]

/** Parsed at idle once this chunk is in (WidgetPlatform.prepare). */
export { css }

export const render: WidgetRender = (ctx) => {
  const { root } = ctx.surface(W, css, 'base')
  return renderView(ctx, W, <Checklist ctx={ctx} />, root)
}

// The vendor's titles, descriptions and task buttons are `dir="auto"`: with the locale following
// the browser, an Arabic browser on an English app puts them in right-to-left chrome, where a
// title read "!Projects" (a button "!Try it now") and the launcher cut off its start, not its end.
export function Checklist({ ctx }: { ctx: WidgetContext }) {
  // Mounted only once this kind's $needsUi turned true, so its controller runs.
  const controller = ctx.linger.experiences.checklists!
  const views = useStore(controller.$checklists)
  const opened = useStore(controller.$opened)
  const [open, setOpen] = useState(false)
  const focusPanel = useRef(false)
  // The list on the launcher: the one just finished (its celebration), or opened by the user or
  // the app, until its panel closes; else the first under way, else the first not done, else one
  // finished here and not yet seen. Kept for good, the first or the app's pick hid every other
  // list once it was done; and a finished list's "✓ 4/4" held the corner for good.
  const [pick, setPick] = useState<string>()
  const view =
    views.find((v) => v.checklist.id === pick) ?? views.find((v) => v.status === 'started') ?? views.find((v) => v.status !== 'completed') ?? views.find((v) => !v.away)
  const launcher = useRef<HTMLButtonElement>(null)
  const badges = useRef<HTMLButtonElement>(null)
  const wrap = useRef<HTMLElement>(null)
  const [celebrating, setCelebrating] = useState(false)
  const flows = ctx.host.flows.get()
  const trophy = !!(flows.badges?.length || flows.levels?.length)
  const shown = open && !!view && view.status !== 'dismissed'

  // Focus goes in only with a panel that mounts now: a flag left up would send it there later,
  // when the panel opens by itself over the user's typing. Nor while they type in a field: the
  // app's show() from a timer or a fetch took their caret and next keystrokes to the heading.
  useEffect(() => {
    if (!opened) return
    focusPanel.current = !shown && !typing(wrap.current?.ownerDocument)
    setPick(opened.id)
    setOpen(true)
  }, [opened])
  useEffect(() => void (open || setPick(undefined)), [open])
  // The next user (sign-out, another sign-in) does not find the last one's panel open.
  const who = useStore(ctx.host.user).userKey
  useEffect(() => () => setOpen(false), [who])
  // Completing a list opens it to celebrate, without taking focus from what the user is doing;
  // and not at all while they are in another of Linger's surfaces (typing a survey's comment),
  // which the panel would send aside with their focus and their next keystrokes, nor while focus
  // is in one of the page's fields (the invite form that finished the list: at 320 px the panel
  // covered it, and a second address was typed blind); nor over another list's open panel,
  // whose content and the button the user was on would go; nor over the page's control the user
  // has focus on or the pointer on (at 375 px it rose over the "Export CSV" that finished the list:
  // pressed again, it went to the panel; a tap in Safari leaves no focus on it, only its hover);
  // nor during a tour or while a survey is up, which it sent aside (the step or the survey counted
  // as seen, unseen). The launcher shows it done ("✓ 4/4", there until they open it and see the
  // celebration), and it was announced.
  useAnnouncements(ctx, views, (id) => {
    const el = wrap.current!
    const doc = el.ownerDocument
    const active = doc.activeElement
    // Where the panel may come (styles.ts): over the launcher, up to 360 px wide and 560 px tall.
    const r = el.getBoundingClientRect()
    const x = ctx.dir == 'rtl' ? r.left : r.right - 360
    // A control only, focused or hovered: not the body nor a page wrapper an app focuses on a
    // route change (<main tabindex=-1>), which filled the panel's place at every width.
    const covers = (t: Element | null | undefined, b = t?.getBoundingClientRect()) => b && b.left < x + 360 && x < b.right && b.top < r.top && r.top - 570 < b.bottom
    const { tours, surveys } = ctx.linger.experiences
    if (
      (shown && pick !== id) ||
      (active && active !== (el.getRootNode() as ShadowRoot).host && active.localName.startsWith('linger-')) ||
      typing(doc) ||
      (!shown &&
        (covers(deepActiveElement(doc)?.closest(C)) ||
          covers([...doc.querySelectorAll(':hover')].pop()?.closest(C)) ||
          surveys?.$session.get() ||
          tours?.$runs.get().some((run) => run.status == 'showing' && (run.open || !run.tour.steps[run.index]?.beacon))))
    )
      // Held back, the list finished is the one on the launcher: with another under way, that one
      // took the pill, and "✓ 4/4" and its celebration were nowhere.
      return void (shown || setPick(id))
    focusPanel.current = false
    setPick(id), setOpen(true), setCelebrating(true)
  })
  useLayoutEffect(() => (wrap.current ? ctx.layout.dock(wrap.current, 'bottom-end', 0) : undefined), [!view])
  // Pills are keyed by list: one that went as the panel closed (its list done, the next list's pill
  // in its place) took the focus close() gave it to the page's body; it goes to the launcher. So
  // does focus on any button or panel that goes in a render (another tab brought a list back or
  // hid one: the resume button the user was on went). False: let go (a click on a task's link).
  // With no launcher left (the last list done, an app without badges), focus goes back to where it
  // came into the corner from: the pill it was on went, and it fell to the top of the page. Not
  // after a click or a tap in the corner: a field there brought the phone's keyboard up.
  const refocus = useRef<boolean | null>()
  const from = useRef<HTMLElement | null>()
  refocus.current ??= wrap.current && focusIn(wrap.current)
  useLayoutEffect(() => {
    if (refocus.current && !(wrap.current && focusIn(wrap.current))) (launcher.current ?? from.current)?.focus()
    refocus.current = undefined
  })
  // One corner surface open at a time: a survey, a tour step or a hint closes the panel, but
  // not on its own while the user works in it; closed anyway (the app's own show()), focus that
  // was in it goes to the launcher (refocus).
  useEffect(() => {
    const el = wrap.current
    if (!shown || !el) return
    // The panel stays on one list while open (pick); finished, that list leaves the launcher once
    // the panel closes, however it closed (the user, its time, another surface).
    const was = view!.checklist.id
    const stop = ctx.screen.within(el)
    const back = ctx.layout.expand(W, (on) => on || setOpen(false))
    return () => (stop(), back(), controller.seen(was))
  }, [shown])
  // While it celebrates, surveys and tours wait (platform/screen.ts); it does not stay for ever.
  useEffect(() => {
    if (!shown || !celebrating) return void setCelebrating(false)
    const release = ctx.screen.hold()
    // Stays while the user is on it (pointer moving over it, or focus in it); a cursor that
    // merely rests where the panel opened does not count, nor focus left on the launcher. Focus
    // in it counts while another window is in front too (focusIn): the user comes back to it.
    let moved = false
    const el = wrap.current
    const panel = el?.querySelector('.panel')
    const onMove = () => (moved = true)
    el?.addEventListener('pointermove', onMove)
    const timer = setInterval(() => ((panel && focusIn(panel)) || moved ? (moved = false) : setOpen(false)), CELEBRATE_MS)
    return () => (clearInterval(timer), el?.removeEventListener('pointermove', onMove), release())
  }, [shown, celebrating])
  // The same tree as below, less the pill: the badges button keeps its element (and focus). It is
  // the launcher then: focus on a button that went (refocus) goes to it.
  if (!view)
    return trophy ? (
      <aside ref={wrap} class="wrap" dir={ctx.dir} aria-label={ctx.t('checklist.region')}>
        {false}
        <div class="launcher">{badgesButton(ctx, launcher)}</div>
      </aside>
    ) : null

  const { checklist, status } = view
  const total = checklist.tasks.length
  const done = checklist.tasks.filter((t) => Object.hasOwn(view.done, t.id)).length
  // A completed list stays so when the vendor adds a task (its reward was granted): it reads done
  // only while every task it has now is.
  const finished = status === 'completed' && done === total
  const hid = status === 'dismissed'
  const id = checklist.id
  const toggle = (id: string) =>
    guard(ctx, W, () => {
      const on = !open || hid
      if (hid) controller.resume(id)
      focusPanel.current = on
      setCelebrating(false)
      // The panel stays on the list it opened on: its last task done while open, the next list
      // took its place under the user's focus.
      setPick(id)
      setOpen(on)
    })
  // `going`: the list leaves the launcher; with no other list to take it, the pill goes too, and
  // focus on it would fall to the top of the page.
  const close = (going?: boolean) => {
    // The launcher as it will be (the list off it now); refocus sees focus on it.
    setOpen(false), setPick(undefined)
    ;((going && !views.some((v) => v !== view && !v.away) && badges.current) || launcher.current)?.focus()
  }
  // Followed from the keyboard (a click with no pointer), the link or button goes with the panel:
  // focus goes to the launcher, not to the top of the page. A click leaves focus be.
  const go = (e: MouseEvent) => ((refocus.current = !e.detail) ? close() : setOpen(false))

  // Escape closes the open list from its launcher too, where a keyboard user who tabbed back out
  // of the panel stands; with the list closed the key is the page's.
  return (
    <aside
      ref={wrap}
      class="wrap"
      dir={ctx.dir}
      aria-label={ctx.t('checklist.region')}
      onFocusIn={(e) => wrap.current!.contains(e.relatedTarget as Node) || (from.current = (e.relatedTarget as HTMLElement) ?? from.current)}
      onKeyDown={(e) => shown && e.key == 'Escape' && (e.stopPropagation(), close(finished))}
      onClick={(e) => e.detail && (from.current = null)}
    >
      {shown && (
        <Panel ctx={ctx} view={view} done={done} total={total} finished={finished} focus={focusPanel} onClose={() => close(finished)} onGo={go} onDismiss={guard(ctx, W, () => (controller.dismiss(id), close(status === 'completed')))} />
      )}
      {/* Only hidden lists' buttons wrap (one per list, stacked at 320 px): a list's own pill
          shrinks its title instead, or the launcher grew a row under a panel sized for one. */}
      <div class={hid ? 'launcher hid' : 'launcher'}>
        {trophy && badgesButton(ctx, badges)}
        {/* Every hidden list has its own way back, named: with one button for the first, a second
            hidden list came back only by the app's show(id). Keyed, so focus stays on the one the
            user hid; its words wrap, not cut off: two lists named alike differ at their end. */}
        {(hid ? views.filter((v) => v.status === 'dismissed') : [view]).map((v) => (
          <button
            key={v.checklist.id}
            ref={v === view ? launcher : undefined}
            class={hid ? 'pill quiet' : 'pill'}
            type="button"
            aria-expanded={open && !hid}
            aria-controls={`linger-cl-${v.checklist.id}`}
            onClick={toggle(v.checklist.id)}
          >
            {hid ? (
              ctx.t('checklist.resumeNamed', { title: v.checklist.title })
            ) : (
              <>
                <span class="linger-sr">{ctx.t('checklist.open', { title: checklist.title, done, total, count: total })}</span>
                <span class="name" dir="auto" aria-hidden="true">{finished ? '✓ ' : ''}{checklist.title}</span>
                <span class="count" aria-hidden="true">{ctx.t('checklist.progress', { done, total })}</span>
              </>
            )}
          </button>
        ))}
      </div>
    </aside>
  )
}

// The way to the badges shelf stays when the finished list's pill has gone: badges go on being earned.
const badgesButton = (ctx: WidgetContext, ref: { current: HTMLButtonElement | null }) => (
  <button ref={ref} class="pill round quiet" type="button" aria-label={ctx.t('badges.open')} title={ctx.t('badges.open')} onClick={guard(ctx, W, () => ctx.linger.show('badges'))}>
    <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      <path d="M8 21h8M12 17v4M7 4h10v5a5 5 0 0 1-10 0zM7 6H4a3 3 0 0 0 3 4M17 6h3a3 3 0 0 1-3 4" />
    </svg>
  </button>
)

interface PanelProps {
  ctx: WidgetContext
  view: ChecklistView
  done: number
  total: number
  /** Completed, with every task it has now done. */
  finished: boolean
  /** True when the user opened the panel: focus moves in (and goes back to the launcher on close). */
  focus: { current: boolean }
  onClose(): void
  /** A task's link or tour was followed: the panel gets out of the way of what it points at. */
  onGo(e: MouseEvent): void
  onDismiss(): void
}

function Panel({ ctx, view, done, total, finished, focus, onClose, onGo, onDismiss }: PanelProps) {
  const { checklist, status } = view
  const titleId = `linger-cl-title-${checklist.id}`
  const progress = ctx.t('checklist.progressLabel', { done, total, count: total })
  return (
    <section id={`linger-cl-${checklist.id}`} class="panel linger-card" aria-labelledby={titleId}>
      <div class="head">
        <div>
          {/* Focused as it goes in, not after a paint: a Tab typed straight after the Enter (a quick
              typist, a voice command's keys, a busy page) went on from the launcher, then focus
              was taken back to the title and the Tab lost. Once: the flag goes down with it. */}
          <h2 id={titleId} ref={(h) => void (h && focus.current && h.focus(), (focus.current = false))} tabIndex={-1} dir="auto">
            {checklist.title}
          </h2>
          {checklist.description && (
            <p class="desc" dir="auto">
              {checklist.description}
            </p>
          )}
        </div>
        <button class="linger-icon-btn" type="button" aria-label={ctx.t('checklist.close')} onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      {/* Named by the list, its words once: as its name, its value and the line below, a reader said them three times. */}
      <div class="bar" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} aria-valuetext={progress} aria-labelledby={titleId}>
        <span style={{ width: `${total ? (done / total) * 100 : 0}%` }} />
      </div>
      <p class="meta" aria-hidden="true">
        {progress}
      </p>
      {/* Above the tasks: below them, on a phone the panel that opened to celebrate showed only ticks. */}
      {finished && <Celebration ctx={ctx} title={checklist.title} reward={checklist.reward?.points} />}
      {/* The role stated: WebKit drops a ul's list semantics with its bullets (list-style: none). */}
      <ul role="list">
        {checklist.tasks.map((task) => {
          const isDone = Object.hasOwn(view.done, task.id)
          const href = task.cta && safeHref(task.cta.url)
          return (
            <li key={task.id} class={isDone ? 'done' : ''}>
              <span class="tick" aria-hidden="true">
                {isDone ? '✓' : ''}
              </span>
              <span class="title" dir="auto">
                {task.title}
                <span class="linger-sr">{` (${ctx.t(isDone ? 'checklist.done' : 'checklist.todo')})`}</span>
                {task.description && !isDone && <span class="tdesc">{task.description}</span>}
              </span>
              {task.points ? (
                <span class="pts">
                  <span aria-hidden="true">{ctx.t('checklist.taskPoints', { points: task.points })}</span>
                  <span class="linger-sr">{ctx.t('common.points', { count: task.points })}</span>
                </span>
              ) : (
                <span />
              )}
              {!isDone && href && (
                <a class="linger-btn cta" href={href} dir="auto" onClick={onGo}>
                  {task.cta!.label}
                </a>
              )}
              {!isDone && !href && task.tour && (
                <button class="linger-btn cta" type="button" dir="auto" onClick={guard(ctx, W, (e: MouseEvent) => (onGo(e), ctx.linger.show(task.tour!)))}>
                  {task.cta?.label ?? ctx.t('checklist.showMe')}
                </button>
              )}
            </li>
          )
        })}
      </ul>
      {/* A completed list can be hidden too: its launcher goes (the controller says it was done). */}
      {(status !== 'completed' || checklist.dismissible !== false) && (
        <div class="foot">
          {status !== 'completed' && checklist.reward?.points ? <p class="meta">{ctx.t('checklist.reward', { points: ctx.t('common.points', { count: checklist.reward.points }) })}</p> : <span />}
          {checklist.dismissible !== false && (
            <button class="link" type="button" onClick={onDismiss}>
              {ctx.t('checklist.dismiss')}
            </button>
          )}
        </div>
      )}
    </section>
  )
}

const COLORS = ['#f59e0b', '#10b981', '#6366f1', '#ef4444', '#06b6d4']

function Celebration({ ctx, title, reward }: { ctx: WidgetContext; title: string; reward?: number }) {
  const still = ctx.reducedMotion()
  return (
    <div class="done-box">
      {!still && (
        <div class="confetti" aria-hidden="true">
          {[...Array(18).keys()].map((i) => (
            <i key={i} style={{ insetInlineStart: `${(i * 37) % 100}%`, background: COLORS[i % COLORS.length], animationDelay: `${(i % 6) * 80}ms` }} />
          ))}
        </div>
      )}
      <strong>{ctx.t('checklist.completeTitle')}</strong>
      <span>{ctx.t('checklist.completeBody', { title })}</span>
      {reward ? <p class="meta">{ctx.t('checklist.reward', { points: ctx.t('common.points', { count: reward }) })}</p> : null}
    </div>
  )
}

/** Announces tasks done and the list completed while the widget is on screen (not on load). */
function useAnnouncements(ctx: WidgetContext, views: readonly ChecklistView[], onCompleted: (id: string) => void) {
  const seen = useRef<{ who: string; lists: Map<string, ChecklistView> }>()
  useEffect(() => {
    // Another user's lists are not news: nothing they did is announced or celebrated to this one.
    const who = ctx.host.user.get().userKey
    const before = seen.current?.who === who ? seen.current.lists : undefined
    seen.current = { who, lists: new Map(views.map((v) => [v.checklist.id, v])) }
    for (const view of views) {
      const was = before?.get(view.checklist.id)
      // A list the user hid is not theirs to hear of: its tasks and its end go by quietly.
      if (!was || was.status === 'dismissed') continue
      // Ticked here since, not arrived done: the laptop's progress at a sign-in came as if done just
      // now, task by task. (Compared, not looked up: a task named "constructor" reads the same
      // prototype function in both until it is ticked.)
      for (const task of view.checklist.tasks) if (view.here[task.id] !== was.here[task.id]) ctx.announce(ctx.t('checklist.announceTask', { title: task.title }))
      if (view.status === 'completed' && was.status !== 'completed') {
        ctx.announce(ctx.t('checklist.announceDone', { title: view.checklist.title }))
        // Finished on the laptop, or in another tab: news, but no panel opening by itself here.
        if (view.finishedHere) onCompleted(view.checklist.id)
      }
    }
  }, [views])
}
