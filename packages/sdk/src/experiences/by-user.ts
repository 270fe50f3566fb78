const g = globalThis as { event?: Event; addEventListener?: Window['addEventListener']; removeEventListener?: Window['removeEventListener'] }

// A listener inside a shadow root (the app's own <app-header> handling its "What's new" button)
// has no window.event: the click or key it runs in is seen here first, on its way down. Still
// being dispatched (eventPhase), it is the one a call now is made in; over, a timer's or a
// fetch's call after it is not (a browser resets eventPhase to 0 before its default actions: a
// focus moved by Tab, a scroll, are not in the key). Untrusted ones are noted too, and refused
// below: a script's el.click() in a component is no user's. Not one in Linger's own widgets (a
// survey's Send, whose "Survey Answered" triggers a tour): it asked for nothing of the app's,
// as before this listener (no window.event in their shadow roots either).
// Held weakly: kept until the next press, it kept the element pressed, and the subtree the app
// removed with it (a closed dialog's), alive; let go by a timer, the host paid one more task (in
// an Angular zone, one more change detection) per keystroke. While being dispatched the browser
// holds it. Every browser with Object.hasOwn (the runtime's baseline) has WeakRef.
let now: WeakRef<Event> | undefined
let holders = 0
const note = (e: Event) => (now = (e.target as Element)?.closest?.('[data-linger]') ? undefined : new WeakRef(e))
/** The press being dispatched now, if any. */
const pressed = (e = now?.deref()) => (e?.eventPhase ? e : undefined)
const listen = (on: 'addEventListener' | 'removeEventListener') =>
  'click keydown keyup pointerup mouseup touchend'.split(' ').forEach((t) => g[on]?.(t, note, true))

/**
 * Notes the user's presses from now on, for byUser(); returns the stop (the engine's, at the
 * client's destroy()). Shared: the listeners go with the last client on the page, not the first.
 */
export const watchPresses = (): (() => void) => {
  let mine = holders++ || listen('addEventListener') || 1
  return () => void (mine && ((mine = 0), --holders || listen('removeEventListener')))
}

/**
 * Called from the handler of the user's own click, key or tap (a "Take the tour" or "What's new"
 * button), not from a timer, a trigger, a script's click() or a scroll handler (a user Tabbing down
 * the page scrolls it): what it opens is theirs. `e`: the DOM event it came in, for a call the
 * client held while Linger started (null: none).
 */
export const byUser = (e: Event | null | undefined = g.event ?? pressed()): boolean =>
  !!e?.isTrusted && /^(click|key|pointerup|mouseup|touchend|submit)/.test(e.type)
