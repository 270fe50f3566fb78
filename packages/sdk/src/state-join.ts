// Stored JSON, of any shape: read loosely.
type Rec = Record<string, any>

const isRec = (v: unknown): v is Rec => !!v && typeof v === 'object' && !Array.isArray(v)
const later = (a: unknown, b: unknown) => (typeof a !== 'number' ? (typeof b === 'number' ? b : null) : typeof b !== 'number' ? a : Math.max(a, b))

/**
 * One experience's history (scheduler.ts `History`) as two copies hold it: whatever either saw
 * stays seen. Shown is the larger count, not the sum: each copy counted the showings it heard of.
 */
const joinHistory = (a: Rec, b: Rec): Rec => ({
  shown: Math.max(Number(a.shown) || 0, Number(b.shown) || 0),
  lastShown: later(a.lastShown, b.lastShown),
  completed: !!(a.completed || b.completed),
  answered: !!(a.answered || b.answered),
  dismissedAt: later(a.dismissedAt, b.dismissedAt),
  lastAnswered: later(a.lastAnswered, b.lastAnswered),
})

/** Records of ids joined entry by entry (`join`), or taken whole where only one side has an id. */
const joinRecords = (a: unknown, b: unknown, join: (x: Rec, y: Rec) => unknown): Rec => {
  const out: Rec = { ...(isRec(b) && b), ...(isRec(a) && a) }
  if (isRec(a) && isRec(b)) for (const id of Object.keys(b)) if (isRec(a[id]) && isRec(b[id])) out[id] = join(a[id], b[id])
  return out
}

/**
 * What was shown, answered, dismissed and closed, kept per user in two copies that each went on
 * without the other: two tabs whose writes crossed, or a visitor and the user they sign in as.
 * Either copy alone undid the other's: a "once" survey answered in one tab was asked again, and
 * one answered before signing up was asked again after. Joined, nothing either saw is undone.
 */
export const JOINED: Record<string, (a: Rec, b: Rec) => Rec> = {
  scheduler: (a, b) => ({ ...b, ...a, lastBlockingShown: later(a.lastBlockingShown, b.lastBlockingShown), history: joinRecords(a.history, b.history, joinHistory) }),
  // Each announcement closed or read, with when: either copy's.
  announcements: (a, b) => ({ ...b, ...a, closed: joinRecords(a.closed, b.closed, (x) => x), read: joinRecords(a.read, b.read, (x) => x) }),
}

/** `a` and `b` joined when `key` is one of JOINED and both are records; else undefined. */
export const joined = (key: string, a: unknown, b: unknown): Rec | undefined => (Object.hasOwn(JOINED, key) && isRec(a) && isRec(b) ? JOINED[key](a, b) : undefined)
