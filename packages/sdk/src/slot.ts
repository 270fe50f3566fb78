/**
 * A WeakMap's get and set, with the value kept on the object itself under a symbol of its own,
 * non-enumerable: JSON, spreads and Object.keys do not see it, and a spread copy starts without
 * it. Why not a WeakMap: V8 walks every WeakMap entry (an ephemeron) again in the blocking final
 * pause of a full GC, and with entries per queued event a burst of track() calls made that pause
 * alone longer than a frame. Only for objects Linger made itself (never frozen).
 */
export interface Slot<K extends object, V> {
  get(object: K): V | undefined
  /** `undefined` forgets the value. */
  set(object: K, value: V | undefined): void
}

export function slot<K extends object, V>(): Slot<K, V> {
  const key = Symbol()
  return {
    get: (object) => (object as Record<symbol, V | undefined>)[key],
    set: (object, value) => void Object.defineProperty(object, key, { value, configurable: true }),
  }
}
