export const isRec = <T = Record<string, unknown>>(v: unknown): v is T => !!v && typeof v === 'object' && !Array.isArray(v)

/**
 * What was shown, answered, dismissed and closed (scheduler.ts histories, announcements closed
 * and read, each survey's answer category), the save offers taken in a cancel flow (two tabs
 * taking one each kept one: the other was offered again), and a visitor's sample draws
 * (experience-state.ts `draw`), kept per user in two copies that went on without each other: two tabs whose writes
 * crossed, two devices, or a visitor and the user they sign in as. Either copy alone undid the other's: a
 * "once" survey answered in one tab was asked again, and one answered before signing up was
 * asked again after. Joined, nothing either saw is undone: records key by key, times and counts
 * the larger (a count is each copy's own, not to be added; of two devices' draws for one
 * experience, every copy agrees on the larger), flags either's. Anything else (a shape this
 * release does not write) is `b`'s, the copy the caller defers to: two tabs that each kept their
 * own would write it back and forth on every storage event.
 */
export const JOINED = ['scheduler', 'announcements', 'surveyAnswers', 'draws', 'cancel']

export const join = (a: unknown, b: unknown): unknown =>
  isRec(a) && isRec(b)
    ? Object.fromEntries(Object.keys({ ...b, ...a }).map((k) => [k, join(a[k], b[k])]))
    : typeof a === 'number' && typeof b === 'number'
      ? Math.max(a, b)
      : typeof a === 'boolean' || typeof b === 'boolean'
        ? !!(a || b)
        : (b ?? a)

/** `a` and `b` joined when `key` is one of JOINED and both are records (`b` deferred to); else undefined. */
export const joined = (key: string, a: unknown, b: unknown): Record<string, unknown> | undefined =>
  JOINED.includes(key) && isRec(a) && isRec(b) ? (join(a, b) as Record<string, unknown>) : undefined

/** The keys of progress made from usage (checklists, badges and points): a sign-in carries them. */
export const PROGRESS = /^(checklist:|badges$)/

/**
 * What each value review showed (`review:<id>`, value/machine.ts ReviewRecord): a sign-in carries
 * it too, or the month a visitor was shown came again to the user they signed up as.
 */
export const SEEN = /^review:/

/**
 * Of two copies of a review's record, the one that showed the later month (YYYY-MM sorts as the
 * calendar does), `b` on a tie: a month either copy was shown stays shown. Read loosely.
 */
export const laterShown = (a: Record<string, any> | undefined, b: Record<string, any> | undefined) => (String(a?.shown ?? '') > String(b?.shown ?? '') ? a : b)

/**
 * `next` keeping what `other` reached for good: a finished list and a level, by its index and by
 * its points (`levelAt`, what badges/points.ts reads; the machines never undo either). Taken in
 * again, either would be granted a second time: the list's completion and its reward, or the
 * level and its toast. Stored JSON, of any shape: read loosely.
 */
export const lasting = (next: Record<string, any>, other: Record<string, any> | undefined): Record<string, any> => ({
  ...next,
  ...(other?.status === 'completed' && { status: 'completed' }),
  ...(other?.level > next.level && { level: other!.level }),
  ...(other?.levelAt > next.levelAt && { levelAt: other!.levelAt }),
})

/**
 * Two copies of a PROGRESS key (both records) as one, `b` deferred to: `a`'s tasks done or badges
 * earned added to `b`'s, and what `a` reached for good kept (`lasting`); else undefined. Neither
 * is ever undone, so a copy without one of them is a copy that had not heard of it: two tabs whose
 * writes crossed (a tick each, a badge each, a tick the sync brought) kept only the later tab's.
 * `ahead`: `b` lacks a change made to `a` (its tab had not heard of it): `a`'s other properties
 * stand too (a list hidden in one tab came back when another, not yet told, ticked a task).
 * `b`'s entries keep their place and value: a join that adds nothing is `b` as written, or two tabs
 * would write it back and forth.
 */
export const joinedProgress = (key: string, a: unknown, b: unknown, ahead?: unknown): Record<string, any> | undefined => {
  if (!PROGRESS.test(key) || !isRec(a) || !isRec(b)) return
  const e = key === 'badges' ? 'earned' : 'done'
  const c = ahead ? { ...b, ...a } : b
  return lasting(isRec(a[e]) && isRec(b[e]) ? { ...c, [e]: { ...b[e], ...a[e], ...b[e] } } : c, a)
}
