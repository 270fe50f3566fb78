import type { Linger } from '@linger/sdk'
import { widgetLoaders } from './lazy'
import type { PlatformOptions, WidgetPlatform } from './platform/create-context'

export type MountOptions = PlatformOptions

/**
 * Watches each experience's `$needsUi` and, the first time it turns true, loads the widget
 * platform and that widget's UI chunk, then renders it. Until then a page pays for none of
 * the UI. A widget that fails (load, render, later) is removed and reported as an `error`
 * event; the host page and the other widgets keep working. Returns an unmount.
 */
export function mountWidgets(linger: Linger, options: MountOptions = {}): () => void {
  let stopped = false
  let platform: Promise<WidgetPlatform> | undefined
  const stops: Array<() => void> = []
  const started = new Set<string>()
  const unmounts = new Map<string, () => void>()
  const report = (widget: string, e: unknown) => linger.host?.reportError({ code: 'widget-failed', message: `${widget}: ${String(e)}`, details: { widget } })

  // Before the trigger: once the engine says a kind will probably show, its chunks (and the
  // platform) load at idle, so the first render after the trigger does not wait for the network.
  const prefetched = new Set<string>()
  const idle = (fn: () => void) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 2000 }) : setTimeout(fn, 200))
  function prefetch(key: string) {
    if (prefetched.has(key) || started.has(key) || !widgetLoaders[key]) return
    prefetched.add(key)
    idle(() => {
      if (stopped || started.has(key)) return
      const mine = (platform ??= import('./platform/create-context').then((m) => m.createWidgetPlatform(linger, options)))
      // A failed prefetch costs nothing: the widget loads (and reports) when it is needed.
      Promise.all([mine, widgetLoaders[key]()]).catch(() => {
        if (platform === mine) platform = undefined
        prefetched.delete(key)
      })
    })
  }

  async function start(key: string) {
    started.add(key)
    try {
      platform ??= import('./platform/create-context').then((m) => m.createWidgetPlatform(linger, options))
      const [p, view] = await Promise.all([platform, widgetLoaders[key]()])
      if (stopped) return
      let unrender: (() => void) | undefined
      const teardown = () => {
        unmounts.delete(key)
        try {
          unrender?.()
        } catch {
          /* a broken widget's cleanup must not stop the rest of its removal */
        }
        mine.removeSurfaces()
      }
      const mine = p.contextFor(key, teardown)
      unmounts.set(key, teardown)
      try {
        unrender = view.render(mine.ctx)
      } catch (e) {
        mine.ctx.fail(key, e)
      }
    } catch (e) {
      // The chunk or the catalogs did not load (offline, CDN hiccup): try again on next need.
      started.delete(key)
      platform = undefined
      report(key, e)
    }
  }

  Promise.resolve(linger.ready)
    .then(() => {
      if (stopped) return
      const experiences = (linger.experiences ?? {}) as unknown as Record<string, { $needsUi?: { subscribe(fn: (v: boolean) => void): () => void } }>
      const likely = linger.likely
      if (likely) stops.push(likely.subscribe((kinds) => kinds.forEach(prefetch)))
      for (const key of Object.keys(widgetLoaders)) {
        const needsUi = experiences[key]?.$needsUi
        if (!needsUi) continue
        stops.push(
          needsUi.subscribe((v) => {
            if (v && !started.has(key) && !stopped) void start(key)
          }),
        )
      }
    })
    .catch((e) => report('mount', e))

  return () => {
    stopped = true
    stops.splice(0).forEach((s) => s())
    ;[...unmounts.values()].forEach((u) => u())
    void platform?.then((p) => p.dispose(), () => {})
  }
}
