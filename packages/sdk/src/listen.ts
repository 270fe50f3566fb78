/** Adds an event listener; returns what removes it (the same options, so the removal matches). */
export function listen<E extends Event>(target: EventTarget, type: string, fn: (e: E) => void, capture?: boolean): () => void {
  target.addEventListener(type, fn as EventListener, capture)
  return () => target.removeEventListener(type, fn as EventListener, capture)
}
