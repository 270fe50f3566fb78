/**
 * Called from the handler of the user's own click, key or tap (a "Take the tour" or "What's new"
 * button), not from a timer, a trigger, a script's click() or a scroll handler (a user Tabbing down
 * the page scrolls it): what it opens is theirs. `e`: the DOM event it came in, for a call the
 * client held while Linger started (null: none).
 */
export const byUser = (e: Event | null | undefined = (globalThis as { event?: Event }).event): boolean =>
  !!e?.isTrusted && /^(click|key|pointerup|mouseup|touchend|submit)/.test(e.type)
