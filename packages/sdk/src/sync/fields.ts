import { isRec } from '../state-join'

/**
 * The experience state as synced fields. Last writer wins per field, so a field must be what
 * two devices may change apart without one undoing the other: each badge earned, each
 * experience's scheduler history, each task a checklist has done and its status is its own
 * field (a whole checklist as one field lost a task the laptop ticked when the phone, not synced
 * since, ticked another). Per-device state (a survey on screen, the blocking slot) is not synced.
 */
export type Doc = Record<string, unknown>
export type Fields = Record<string, unknown>

type Rec = Record<string, unknown>

/**
 * Doc keys whose value is one field as it is: each value review's record (state-join.ts SEEN), and
 * the sample draws a visitor brought as they signed in (experience-state.ts `draw`; joined, by
 * merge.ts `joinField`), so their other devices draw as they did.
 */
const WHOLE = /^(review:|draws$)/
/** Checklists: one field per task done (`checklist:<id>.done:<task>`) plus one per other property. */
const CHECKLIST = /^checklist:/
/**
 * Doc keys split into one field per entry of the named records, plus one per other property:
 * each badge, each experience's history, each announcement closed or read, each survey's last
 * answer category; billing's offer outcome and reminders are fields of their own, and each
 * account's failed payment (`billing.due:<groupId>`, `billing.due:` for the user's own): as one
 * field, the phone's write of workspace B's record undid "Remind me later" on workspace A, and
 * two devices in two workspaces wiped each other's first sighting (the wall came days late).
 * Each save offer the user took in a cancel flow, too: the phone must not offer the discount
 * the laptop's flow gave them.
 */
const SPLIT: Record<string, string[]> = { badges: ['earned'], scheduler: ['history'], announcements: ['closed', 'read'], surveyAnswers: ['category'], billing: ['due'], cancel: ['taken'] }

export function toFields(doc: Doc): Fields {
  const out: Fields = {}
  for (const key of Object.keys(doc)) {
    const value = doc[key]
    if (WHOLE.test(key)) out[key] = value
    const inner = CHECKLIST.test(key) ? ['done'] : SPLIT[key]
    if (!inner || !isRec(value)) continue
    for (const prop of Object.keys(value)) {
      if (prop === 'active') continue
      if (inner.includes(prop) && isRec(value[prop])) for (const id of Object.keys(value[prop] as Rec)) out[`${key}.${prop}:${id}`] = (value[prop] as Rec)[id]
      else out[`${key}.${prop}`] = value[prop]
    }
  }
  return out
}

/** The doc keys that change when `fields` are taken in, with their new values. */
export function fromFields(doc: Doc, fields: Fields): Doc {
  const out: Doc = {}
  for (const name of Object.keys(fields)) {
    const value = fields[name]
    // An entry's id may be '' (billing's failed payment on the user's own traits), or any groupId (dots, a newline).
    const m = /^([^.]+)\.(?:(\w+):([^]*)|(\w+))$/.exec(name)
    if (!m) {
      if (WHOLE.test(name)) out[name] = value
      // A whole checklist, as an older SDK synced it: its tasks join those done here (a task once
      // done stays done), its status only where this device has none.
      else if (CHECKLIST.test(name) && isRec(value)) {
        const here = (out[name] ?? doc[name]) as Rec | undefined
        out[name] = { ...value, ...here, done: { ...(value.done as Rec | undefined), ...(here?.done as Rec | undefined) } }
      }
      continue
    }
    const [, key, inner, id, prop] = m as unknown as [string, string, string?, string?, string?]
    if (!SPLIT[key] && !CHECKLIST.test(key)) continue
    const base: Rec = { ...((out[key] ?? doc[key]) as Rec | undefined) }
    if (inner) base[inner] = { ...(base[inner] as Rec | undefined), [id!]: value }
    // A record an older SDK synced whole (billing's `due`): its entries fill only what this device has none of.
    else base[prop!] = SPLIT[key]?.includes(prop!) && isRec(value) ? { ...value, ...(base[prop!] as Rec | undefined) } : value
    // A list started with no task done yet comes as its status alone: it has done none (the
    // controllers read `done` as a record).
    if (CHECKLIST.test(key)) base.done ??= {}
    out[key] = base
  }
  return out
}
