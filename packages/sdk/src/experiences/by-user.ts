const g = globalThis as { event?: Event; addEventListener?: Window['addEventListener'] }

// A listener inside a shadow root (the app's own <app-header> handling its "What's new" button)
// has no window.event: the click or key it runs in is seen here first, on its way down. Still
// being dispatched (eventPhase), it is the one a call now is made in; over, a timer's or a
// fetch's call after it is not (a browser resets eventPhase to 0 before its default actions: a
// focus moved by Tab, a scroll, are not in the key). Untrusted ones are noted too, and refused
// below: a script's el.click() in a component is no user's. Not one in Linger's own widgets (a
// survey's Send, whose "Survey Answered" triggers a tour): it asked for nothing of the app's,
// as before this listener (no window.event in their shadow roots either).
let now: Event | undefined
'click keydown keyup pointerup mouseup touchend'.split(' ').forEach((t) => g.addEventListener?.(t, (e) => (now = (e.target as Element)?.closest?.('[data-linger]') ? undefined : e), true))

/**
 * Called from the handler of the user's own click, key or tap (a "Take the tour" or "What's new"
 * button), not from a timer, a trigger, a script's click() or a scroll handler (a user Tabbing down
 * the page scrolls it): what it opens is theirs. `e`: the DOM event it came in, for a call the
 * client held while Linger started (null: none).
 */
export const byUser = (e: Event | null | undefined = g.event ?? (now?.eventPhase ? now : undefined)): boolean =>
  !!e?.isTrusted && /^(click|key|pointerup|mouseup|touchend|submit)/.test(e.type)
