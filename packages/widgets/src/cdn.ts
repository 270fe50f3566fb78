import { createFront, createLinger, type LingerOptions, type QueuedCall } from '@linger/sdk'

// The script-tag runtime: takes over the snippet's `window.linger`, replays what it queued,
// and mounts the widgets (whose UI loads lazily, on first need) once the flows have something
// to show: their mounting comes with the engine (scripts/build.mjs puts it in the engine's file).
;(() => {
  const w = window as unknown as { linger?: ((...a: unknown[]) => unknown) & { q?: QueuedCall[]; loaded?: boolean } }
  const stub = w.linger
  if (stub?.loaded) return
  const queue = stub?.q ?? []
  const { front, replay } = createFront(
    (options, site, queued) => {
      return createLinger(options as LingerOptions, {
        site,
        queued,
        // Until it settled, the screen waits for it (a trigger at ready asks the mount's screen).
        onExperiences: (linger) =>
          import('./mount')
            .then((m) => void m.mountWidgets(linger))
            .catch((e) => linger.host.reportError({ code: 'widget-failed', message: `mount: ${String(e)}`, details: { widget: 'mount' } })),
      })
    },
    document.referrer,
    (msg) => console.warn('[linger]', msg),
  )
  front.loaded = true
  w.linger = front as unknown as typeof stub
  replay(queue)
  // A host that kept the stub (`const linger = window.linger` at its top) still pushes to its
  // queue, which nothing reads again: such calls now run at once.
  queue.push = (...calls) => (replay(calls), queue.length)
})()
