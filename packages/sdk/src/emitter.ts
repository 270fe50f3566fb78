/** A tiny listener registry whose listeners can never break the caller. */
export function createEmitter<Args extends unknown[]>(onListenerError: (e: unknown) => void) {
  const map = new Map<string, Set<(...a: Args) => void>>()
  return {
    on(name: string, fn: (...a: Args) => void): () => void {
      let set = map.get(name)
      if (!set) map.set(name, (set = new Set()))
      set.add(fn)
      return () => set!.delete(fn)
    },
    off(name: string, fn: (...a: Args) => void): void {
      map.get(name)?.delete(fn)
    },
    emit(name: string, ...args: Args): void {
      map.get(name)?.forEach((fn) => {
        try {
          fn(...args)
        } catch (e) {
          onListenerError(e)
        }
      })
    },
  }
}

// An app tracks a few names again and again: each is split and lowered once (bounded, for an app
// that puts ids in its names).
const shortNames = new Map<string, string>()

/** `Survey Answered` → `survey:answered`, `Cancel Offer Accepted` → `cancel:offer-accepted`. */
export function shortName(event: string): string {
  if (!shortNames.has(event)) {
    if (shortNames.size > 255) shortNames.clear()
    const [object, ...rest] = event.trim().split(/\s+/)
    shortNames.set(event, `${(object ?? '').toLowerCase()}:${rest.join('-').toLowerCase()}`)
  }
  return shortNames.get(event)!
}
