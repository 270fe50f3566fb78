import { createFront, createLinger, type QueuedCall } from '@linger/sdk'
import { mountWidgets } from './mount'

// The script-tag runtime: takes over the snippet's `window.linger`, replays what it queued,
// and mounts the widgets (whose UI loads lazily, on first need).
;(() => {
  const w = window as unknown as { linger?: ((...a: unknown[]) => unknown) & { q?: QueuedCall[]; loaded?: boolean } }
  const stub = w.linger
  if (stub?.loaded) return
  const queue = stub?.q ?? []
  const { front, replay } = createFront(
    (options, site) => {
      const linger = createLinger(options as Record<string, unknown>, { site })
      mountWidgets(linger)
      return linger
    },
    document.referrer,
    (msg) => console.warn('[linger]', msg),
  )
  front.loaded = true
  w.linger = front as unknown as typeof stub
  replay(queue)
})()
