import { useLayoutEffect, useState } from 'preact/hooks'

interface Store<T> {
  get(): T
  subscribe(fn: (value: T) => void): () => void
}

/** Renders from a nanostores atom (controllers expose atoms; widgets only read them). */
export function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState(store.get())
  // subscribe() calls back at once with the current value, so nothing set before the effect ran is missed.
  // A layout effect, not an effect: a change made while the widget mounts (a tour step finding
  // its target) renders before the first paint instead of one frame and a timer later.
  useLayoutEffect(() => store.subscribe((v) => setValue(() => v)), [store])
  return value
}
