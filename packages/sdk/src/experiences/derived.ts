import { atom, type ReadableAtom } from 'nanostores'

/**
 * A store of `fn` over `stores`, made again only when one of them holds another value: what
 * nanostores' `computed` does here, without its lifecycle module (~0.4 KB gzip of the engine
 * chunk). It hears its stores only while it has listeners of its own (a shared store such as
 * the banner claims keeps no stopped controller alive), and get() reads it fresh without them.
 */
export function derived<T>(stores: ReadableAtom<any>[], fn: (...args: any[]) => T): ReadableAtom<T> {
  const $out = atom<T | undefined>(undefined)
  let args: unknown[] | undefined
  let stops: Array<() => void> | undefined
  const run = () => {
    const next = stores.map((s) => s.get())
    if (!args || next.some((v, i) => v !== args![i])) $out.set(fn(...(args = next)))
  }
  const listen = $out.listen
  $out.listen = (l) => {
    if (!stops) (stops = stores.map((s) => s.listen(run))), run()
    return listen(l)
  }
  // Called by the atom once its last listener left.
  $out.off = () => {
    stops?.forEach((stop) => stop())
    stops = undefined
  }
  $out.get = () => (run(), $out.value)
  return $out as ReadableAtom<T>
}
