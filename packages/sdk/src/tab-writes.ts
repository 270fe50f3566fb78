/**
 * A tab's copy of localStorage hears of another tab's write a moment late (Chromium: the time
 * the write takes to cross processes; more on a busy device). Two tabs writing one document in
 * that moment each write it without the other's change, and the later write wins. So a stored
 * document says how many of each writing tab's changes it holds: a tab that finds a stored
 * document without some of its own makes them again on top of it.
 */

/**
 * Per tab: the sequence number of its last change the document holds, and when it wrote. A
 * user's usage profile also lists the visitor profile a sign-in merged into it (see usage.ts).
 */
export type Writers = Record<string, [seq: number, at: number]>

/** How long a tab keeps what it wrote, to make it again if another tab's write replaced it. */
export const KEEP_WRITTEN_MS = 10_000
/** Writers older than this leave the list: no tab keeps changes that old. */
const WRITER_TTL_MS = 60_000

/** A tab's name in the lists: random, as tabs share no counter. */
export const tabId = (random: () => number): string => Math.floor(random() * 2 ** 32).toString(36)

/**
 * The writers a stored document lists; undefined when it lists none (written by an older
 * version, or garbage): such a document says nothing of what it holds, and is taken as whole.
 */
export const readWriters = (w: unknown): Writers | undefined => (w && typeof w === 'object' && !Array.isArray(w) ? (w as Writers) : undefined)

/** How many of `tab`'s changes the document holds. */
export const heldBy = (writers: Writers, tab: string): number => {
  const entry = Object.hasOwn(writers, tab) ? writers[tab] : undefined
  return Array.isArray(entry) && typeof entry[0] === 'number' ? entry[0] : 0
}

/**
 * The list to write with a document that holds `tab`'s changes up to `seq`, and what each of
 * `lists` says (a merged document holds what each part held).
 */
export function stamp(tab: string, seq: number, now: number, ...lists: Array<Writers | undefined>): Writers {
  const next: Writers = {}
  for (const list of lists)
    for (const id of Object.keys(list ?? {})) {
      const entry = list![id]
      if (Array.isArray(entry) && entry[1] > now - WRITER_TTL_MS && !(Object.hasOwn(next, id) && next[id][0] >= entry[0])) next[id] = entry
    }
  next[tab] = [seq, now]
  return next
}
