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

/** `Survey Answered` → `survey:answered`, `Cancel Offer Accepted` → `cancel:offer-accepted`. */
export function shortName(event: string): string {
  const words = event.trim().split(/\s+/)
  const [object, ...rest] = words
  return `${(object ?? '').toLowerCase()}:${rest.join('-').toLowerCase()}`
}
