import { useEffect, useState } from 'preact/hooks'

interface Store<T> {
  get(): T
  subscribe(fn: (value: T) => void): () => void
}

/** Renders from a nanostores atom (controllers expose atoms; widgets only read them). */
export function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState(store.get())
  // subscribe() calls back at once with the current value, so nothing set before the effect ran is missed.
  useEffect(() => store.subscribe((v) => setValue(() => v)), [store])
  return value
}
