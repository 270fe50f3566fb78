import type { ExperienceController, Linger } from '@linger/sdk'
import { widgetLoaders, type View } from './lazy'
import type { PlatformOptions, WidgetPlatform } from './platform/create-context'
import type { Screen } from './platform/screen'

export type MountOptions = PlatformOptions

/** A UI chunk that failed to load is tried again after 2, 4, 8, 16, 32 and 64 s, then at the next need. */
const LOAD_RETRY_MS = 2000
const MAX_LOAD_RETRIES = 6

/** The most a slice of the idle preparation starts work in (one font lookup can take a few more). */
const PREPARE_SLICE_MS = 4

const undrawnOf = new WeakMap<object, Map<string, Set<() => void>>>()
// The mount running on each client, by its host: a new hold on it.
const mountOf = new WeakMap<object, (options: MountOptions) => () => void>()
// What still waited in an unmounted mount's screen, by its host, for the next mount to ask.
const leftOf = new WeakMap<object, Array<[() => void, number?]>>()

// Plain objects key by key (the same theme written anew, its keys in another order), the rest by
// identity: the element a framework renders into keeps its tree on it, which points back up.
const same = (a: any, b: any): boolean => a === b || (a?.constructor == Object && b?.constructor == Object && Object.keys({ ...a, ...b }).every((k) => same(a[k], b[k])))

// The script-tag runtime's build (always a page): true.
declare const __LINGER_DOM__: boolean | undefined

/**
 * Watches each experience's `$needsUi` and, the first time it turns true, loads the widget
 * platform and that widget's UI chunk, then renders it. Until then a page pays for none of
 * the UI. A widget that fails (load, render, later) is removed and reported as an `error`
 * event; the host page and the other widgets keep working. Returns an unmount.
 */
export function mountWidgets(linger: Linger, options: MountOptions = {}): () => void {
  // A server render: nothing to draw on, and its unmount must not throw either. (Not in the
  // script-tag runtime's bytes: that one always has a page.)
  if (!(typeof __LINGER_DOM__ != 'undefined' && __LINGER_DOM__) && typeof document == 'undefined') return () => {}
  // A plain script's null (no settings of its own): as none, not a platform that never loads.
  options ||= {}
  let stopped = false
  let platform: Promise<WidgetPlatform> | undefined
  const stops: Array<() => void> = []
  const started = new Set<string>()
  const unmounts = new Map<string, () => void>()
  const needs: Record<string, { get(): boolean }> = {}
  const failures: Record<string, number> = {}
  const report = (widget: string, e: unknown) => linger.host?.reportError({ code: 'widget-failed', message: `${widget}: ${String(e)}`, details: { widget } })
  // Its UI could not load or render: a controller that must not wait for it (the cancel flow,
  // which the user asked for, goes the vendor's own way) hears it at once, not at the retry.
  const failed = (key: string, final = true) => (linger.experiences as Record<string, ExperienceController | undefined> | undefined)?.[key]?.uiFailed?.(final)

  // What has loaded, kept by value: a widget whose chunks are in mounts without an import()
  // hop (a browser resolves even a warm import() a task later, behind whatever the page queued).
  let ready: WidgetPlatform | undefined
  const views: Record<string, View> = {}
  const loadPlatform = () =>
    (platform ??= import('./platform/create-context')
      .then((m) => m.createWidgetPlatform(linger, options))
      .then((p) => (ready = p))
      .catch((e) => {
        // The chunk or the catalogs did not load (offline, CDN hiccup): the next need tries again.
        platform = undefined
        throw e
      }))
  const load = (key: string) => Promise.all([loadPlatform(), widgetLoaders[key]().then((v) => (views[key] = v))])

  // What starts on its own asks the screen first (the page's own modal dialog, someone typing, a
  // tab in the background), and the screen comes with the platform, at idle. A trigger in the
  // first moment after ready found no screen and opened at once: over the page's dialog, into a
  // background tab. Until the platform is in, a question is "wait", asked again once it is; but
  // "is the tab in the background?" is asked on every check, so it is answered here, and a page
  // with nothing to show does not load the platform to hear "no".
  const host = linger.host
  // Mounted again while one runs (vite re-running the app's module, two components that each
  // mount): the call holds the running mount, or every widget showed twice, and it stays until
  // its last holder unmounts, as createLinger's client does: one taking over, the other's
  // unmount stopped it, and what the engine then counted Shown was never drawn.
  const running = host && mountOf.get(host)
  if (running) return running(options)
  let holders = 0
  const hold = () => {
    let mine = ++holders
    return () => void (mine && ((mine = 0), --holders || unmount()))
  }
  // Its own options differing (a hot reload that changed the theme) is said, as createLinger says
  // its own: ignored in silence, the old theme stayed with no word why. Taken, the running
  // widgets would change under the user, or a second platform split the screen's waits.
  const again = (later: MountOptions) => {
    // Never thrown into the app, which called it from its own component.
    try {
      same(later, options) || host?.reportError({ code: 'invalid-call', message: 'mountWidgets again: its options are ignored until the last unmount' })
    } catch {}
    return hold()
  }
  if (host) mountOf.set(host, again)
  // One list for both waits: asked again, a question that still has to wait waits again.
  const waits = new Set<() => void>()
  const answer = () => {
    const fns = [...waits]
    waits.clear()
    // Each on its own (as screen.ts's): one that throws must neither drop the others nor reach
    // the page (a rejection, or an error from its visibilitychange), and is reported.
    fns.forEach((fn) => {
      try {
        fn()
      } catch (e) {
        report('screen', e)
      }
    })
  }
  const look = () => document.hidden || (document.removeEventListener('visibilitychange', look), answer())
  const early: NonNullable<typeof host.screen> = {
    when: (fn, priority) => void early.typing!(() => (host.screen ? host.screen.when(fn, priority) : fn())),
    typing(then) {
      // A platform that cannot load leaves the controllers as they were without one.
      loadPlatform().then(answer, () => (host.screen === early && delete host.screen, answer()))
      return !!waits.add(then)
    },
    away: (then) => document.hidden && (document.addEventListener('visibilitychange', look), !!waits.add(then)),
  }
  if (host && (!host.screen || host.screen.held)) host.screen = early
  // Remounted (vite's hot reload, a framework remounting the app's root): a survey that waited in
  // the last mount's screen for a pause in typing asks this one. Dropped with that screen, it
  // never came, its controller waiting for it for the rest of the visit. Kept by the host until
  // this mount's screen is in: handed to the stand-in, a mount gone before its platform came
  // (React StrictMode mounts twice over) ran them with no screen, a survey opening mid-sentence.
  const left = (host && leftOf.get(host)) || []
  if (host) leftOf.set(host, left)
  // Each on its own, as `answer`'s: one that throws neither drops the rest nor reaches the page.
  const hand = () =>
    stopped ||
    left.splice(0).forEach(([fn, priority]) => {
      try {
        priority == null || !host.screen ? fn() : host.screen.when(fn, priority)
      } catch (e) {
        report('screen', e)
      }
    })
  // (A platform that did not load: the stand-in is the screen, which tries once more, then lets them go on.)
  if (left.length) loadPlatform().then(hand, hand)
  // Kept by the host, not this mount: mounted again while a UI loads (an SPA's root remounted),
  // what waited for it is told by the mount that draws it (dropped, its Shown never came).
  const drawn = (host && undrawnOf.get(host)) || new Map<string, Set<() => void>>()
  if (host) undrawnOf.set(host, drawn)
  // Drawn, but stepped aside for the page's own aria-modal box (or waiting for it to close): not
  // in view yet, and not counted shown until it is (platform/step-aside.ts). So too one docked that
  // waits unseen for room, or behind the host control the user focused (platform/layout.ts).
  if (host) host.undrawn = (kind, then) => (unmounts.has(kind) ? !!ready?.aside(kind, then) : !!(drawn.get(kind) ?? drawn.set(kind, new Set()).get(kind)!).add(then))

  // Before the trigger: once the engine says a kind will probably show, its chunks (and the
  // platform) load at idle, so the first render after the trigger does not wait for the network;
  // then, at idle again, the platform lays out a hidden surface with its CSS (prepare).
  const prefetched = new Set<string>()
  // With a timeout, a page that stays busy runs it anyway (0 and undefined: none).
  const idle = (fn: (deadline?: IdleDeadline) => void, timeout?: number) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout }) : setTimeout(fn, 200))
  const waiting = (key: string) => !stopped && !started.has(key)
  function prefetch(key: string) {
    if (prefetched.has(key) || !waiting(key) || !widgetLoaders[key]) return
    prefetched.add(key)
    idle(() => {
      // A failed prefetch costs nothing: the widget loads (and reports) when it is needed.
      if (waiting(key)) load(key).then(() => prepare(key), () => prefetched.delete(key))
    }, 2000)
  }
  // Only in idle time the page leaves (no timeout: a page that stays busy is not interrupted),
  // in slices of a few ms: an idle period can be 50 ms long, and input that comes in it waits
  // for the slice. Without requestIdleCallback (no deadline), one slice on a timer and no more.
  // Only a head start: the first render does the same work.
  function prepare(key: string) {
    const step = (deadline?: IdleDeadline) => {
      const end = performance.now() + PREPARE_SLICE_MS
      // A piece starts only while a whole slice still fits before the deadline.
      const timeLeft = () => Math.min((deadline?.timeRemaining() ?? 0) - PREPARE_SLICE_MS, end - performance.now())
      try {
        // Not even its first piece in the last moment of an idle period: the next one may be longer.
        if (waiting(key) && (deadline?.timeRemaining()! < PREPARE_SLICE_MS || !ready!.prepare(views[key].css ?? '', timeLeft)) && deadline) idle(step)
      } catch {
        /* the render will do it */
      }
    }
    idle(step)
  }

  function start(key: string) {
    started.add(key)
    // Warm: rendered once the trigger's own code is done (a microtask, so the controller that
    // asked finishes first, as after an await), before the browser paints.
    if (ready && views[key]) return queueMicrotask(() => show(key))
    load(key).then(
      () => show(key),
      (e) => {
        started.delete(key)
        report(key, e)
        // A need that holds does not turn true again, and a tour that started on its own holds
        // the one blocking slot until its UI comes: try again, less and less often, not only at
        // the next change of the need.
        const n = (failures[key] = (failures[key] ?? 0) + 1)
        if (n <= MAX_LOAD_RETRIES) setTimeout(() => needs[key]?.get() && !started.has(key) && !stopped && start(key), LOAD_RETRY_MS * 2 ** (n - 1))
        failed(key, n > MAX_LOAD_RETRIES)
      },
    )
  }

  function show(key: string) {
    if (stopped) return
    try {
      let unrender: (() => void) | undefined
      const teardown = () => {
        unmounts.delete(key)
        // Failed (or unmounted): the next need renders it again, rather than nothing ever (a
        // cancel the user asks for later must not open a flow with no UI).
        started.delete(key)
        try {
          unrender?.()
        } catch {
          /* a broken widget's cleanup must not stop the rest of its removal */
        }
        mine.removeSurfaces()
        // A flow open now that never came on screen does not wait for it.
        failed(key)
      }
      const mine = ready!.contextFor(key, teardown)
      unmounts.set(key, teardown)
      try {
        unrender = views[key].render(mine.ctx)
      } catch (e) {
        mine.ctx.fail(key, e)
      }
      // Rendered and still there: what it shows counts as shown now.
      if (unmounts.has(key)) drawn.get(key)?.forEach((fn) => (drawn.get(key)!.delete(fn), fn()))
    } catch (e) {
      started.delete(key)
      report(key, e)
      failed(key)
    }
  }

  Promise.resolve(linger.ready)
    .then(() => {
      if (stopped) return
      const experiences = (linger.experiences ?? {}) as unknown as Record<string, { $needsUi?: { get(): boolean; subscribe(fn: (v: boolean) => void): () => void } }>
      const likely = linger.likely
      if (likely) stops.push(likely.subscribe((kinds) => kinds.forEach(prefetch)))
      for (const key of Object.keys(widgetLoaders)) {
        const needsUi = experiences[key]?.$needsUi
        if (!needsUi) continue
        needs[key] = needsUi
        stops.push(
          needsUi.subscribe((v) => {
            if (v && !started.has(key) && !stopped) start(key)
          }),
        )
      }
    })
    .catch((e) => report('mount', e))

  // linger.destroy() takes them off too: the README sample keeps no unmount, and widgets left on
  // screen still opened and wrote progress (a checklist dismissed) for a stopped Linger.
  const off = linger.on?.('destroy', unmount)
  return hold()
  function unmount() {
    // Once: a second call (the vendor's own, after destroy) must not remove a later mount's hooks.
    if (stopped) return
    stopped = true
    if (host && mountOf.get(host) == again) mountOf.delete(host)
    off?.()
    if (host?.screen === early) delete host.screen
    // Whatever waits for the stand-in goes on without these widgets (or asks the next mount's
    // screen): the platform it waited for is disposed as it comes, with its own waits, and a
    // "what's new" left waiting would never ask again in this page.
    answer()
    if (host) delete host.undrawn
    document.removeEventListener('visibilitychange', look)
    stops.splice(0).forEach((s) => s())
    ;[...unmounts.values()].forEach((u) => u())
    left.push(...((host?.screen as Partial<Screen> | undefined)?.take?.() ?? []))
    // One that is in goes now, its screen with it: a mount made next installs its own stand-in
    // (it found this screen still there), and a question asked meanwhile is not dropped with it.
    ready ? ready.dispose() : void platform?.then((p) => p.dispose(), () => {})
  }
}
