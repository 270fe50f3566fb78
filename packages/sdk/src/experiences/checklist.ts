import { atom, type ReadableAtom } from 'nanostores'
import type { Checklist } from '../config/flows-schema'
import type { ExperienceController, ExperienceHost } from './host'
import { acrossTabs, granted } from './across-tabs'
import { createSettler } from './settle'
import { checklistEvents, readChecklist, reduceChecklist, type ChecklistAction, type ChecklistState, type ChecklistStatus } from './checklist/reduce'

export type { ChecklistState, ChecklistStatus }

export interface ChecklistView {
  checklist: Checklist
  status: ChecklistStatus
  /** taskId → when it was done. */
  done: Record<string, number>
  /**
   * Finished on this page (its last task ticked here): the widget celebrates it. One finished on
   * another device or in another tab, or one whose tasks were all done before it started, arrives
   * done, quietly: its panel does not open by itself.
   */
  finishedHere: boolean
  /**
   * taskId → 1: the tasks of `done` ticked on this page, which the widget announces as they tick.
   * The rest arrived done (a sign-in's progress from the laptop, many at once; another tab): named
   * one by one, they were read out as done just now.
   */
  here: Record<string, number>
  /**
   * Off the launcher: every task done, and either done before this page, or its celebration
   * seen (seen(id)) or the list hidden (dismiss(id)) here. A finished list kept a "✓ 4/4" pill in
   * the corner for good. show(id) still opens it.
   */
  away: boolean
}

export interface ChecklistsController extends ExperienceController {
  /** The checklists this user sees (audience met once, then kept), highest priority first, then in config order. */
  $checklists: ReadableAtom<ChecklistView[]>
  /** Set (to a new object) by show(id): the widget opens that checklist's panel. */
  $opened: ReadableAtom<{ id: string } | null>
  /** Hides an unfinished list (Checklist Dismissed); a finished one leaves the launcher (Checklist Dismissed, `completed: true`). */
  dismiss(id: string): void
  resume(id: string): void
  /** The user saw the list (its panel closed): finished, it leaves the launcher, quietly (no event). */
  seen(id: string): void
}

const key = (id: string) => `checklist:${id}`

/**
 * Checklists: a list starts for a user the first time its audience holds; from then on its
 * tasks tick from tracked events (and, at start, from everything already in the usage profile),
 * whether or not the panel is open. Never blocks: it needs no slot from the scheduler.
 */
export function createChecklists(host: ExperienceHost): ChecklistsController {
  const $checklists = atom<ChecklistView[]>([])
  const $needsUi = atom(false)
  const $opened = atom<{ id: string } | null>(null)
  // Highest priority first (config order among equals): the launcher shows the first under way.
  const lists = (): Checklist[] => [...(host.flows.get().checklists ?? [])].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0))
  const find = (id: string) => lists().find((c) => c.id === id)
  // Read loosely (reduce.ts): one record of another shape took every list away.
  const get = (id: string) => readChecklist(host.state.get(key(id)))
  // Lists this page finished, and the tasks it ticked, by user and list: another user's list of that id is theirs.
  const finishedHere = new Set<string>()
  const here = new Map<string, Record<string, number>>()
  const mine = (id: string) => host.user.get().userKey + '\n' + id
  // By user and list: 0, shown with a task left on this page (finished later, here or in another
  // tab, it is news: on the launcher until seen); 1, finished and seen here; 2, hidden here.
  const put = new Map<string, number>()
  const allDone = (list: Checklist, s: ChecklistState) => list.tasks.every((t) => Object.hasOwn(s.done, t.id))
  const away = (list: Checklist, s: ChecklistState) => {
    const k = mine(list.id)
    // Hidden before it was done, it stays off the launcher once done (here or in another tab):
    // its "✓ 4/4" came back to the corner the user had cleared. On it meanwhile, to be resumed.
    if (s.status === 'dismissed') {
      put.set(k, 2)
      return false
    }
    const v = put.get(k)
    // A task the vendor added since brings it back: there is something to do; as does resuming it.
    if (v !== 2 ? !allDone(list, s) : s.status !== 'completed') {
      put.set(k, 0)
      return false
    }
    return v !== 0 && (!!v || !finishedHere.has(k))
  }

  const settler = createSettler(() => step())
  function dispatch(list: Checklist, action: ChecklistAction) {
    const before = readChecklist(host.state.fresh(key(list.id)))
    const after = reduceChecklist(list.tasks.map((t) => t.id), before, action)
    if (after === before) return
    // Events first, then the state that grants rewards: the collector sees the checklist
    // complete before the badge it earns. Syncs the events cause wait for the state.
    const k = mine(list.id)
    let ticked = 0
    const more = settler.within(() => {
      for (const { event, taskId } of checklistEvents(before, after)) {
        const points = taskId ? list.tasks.find((t) => t.id === taskId)?.points : event === 'Checklist Completed' ? list.reward?.points : undefined
        const send = (messageId?: string) => host.emit(event, { checklistId: list.id, ...(taskId ? { taskId } : {}), points: points ?? 0 }, { messageId })
        // A task or a list completes once per user, sent by the one tab that claims it; a
        // dismissal is the user's act, each time. The list's own grant has an empty task part: as
        // `:completed`, a task of that id had its event's id, and the collector kept one of the two.
        if (event === 'Checklist Dismissed') send()
        else granted(host, `checklist:${list.id}:${taskId ?? ''}`, send)
        // Finished here with a task ticked here: one whose last tasks came done from the laptop
        // completes here too (its reward is granted once), but the panel popped open to celebrate it.
        // Not one that starts done (its tasks done before it started): it came done, yet its "✓ 4/4"
        // held the corner on that page, never celebrated, and was gone from the next.
        if (event === 'Checklist Completed' && ticked && before) finishedHere.add(k)
        // A new record each time: the widget compares it with the last one it saw.
        if (taskId) here.set(k, { ...here.get(k), [taskId]: (ticked = 1) })
      }
      host.state.set(key(list.id), after)
    })
    if (more) sync()
  }

  const sync = acrossTabs(host, refresh)
  /** Looking (no lock held): true when a list would start or a task tick, and nothing is written. */
  function refresh(look: boolean): boolean {
    const more = look ? step(true) : !settler.run()
    // Refreshed either way: a pass that stops at a write it may not make yet (a verified user's
    // progress on its way) must not leave the last user's ticks on screen.
    const views = lists().flatMap((checklist) => {
      const s = get(checklist.id)
      return s ? [{ checklist, status: s.status, done: s.done, finishedHere: finishedHere.has(mine(checklist.id)), here: here.get(mine(checklist.id)) ?? {}, away: away(checklist, s) }] : []
    })
    $checklists.set(views)
    if (views.length) $needsUi.set(true)
    return more && look
  }

  const ticks = (list: Checklist, s?: ChecklistState) =>
    list.tasks.filter((t) => !(s && Object.hasOwn(s.done, t.id)) && host.evaluate(t.doneWhen, `${list.id}/${t.id}`).ok).map((t) => t.id)

  /** `look`: stops at the first change it would make, and makes none. */
  function step(look?: boolean): boolean {
    for (const list of lists()) {
      const s = get(list.id)
      if (!s && !host.evaluate(list.audience, list.id).ok) continue
      // A finished list still ticks a task the vendor added since: its count stayed short of the
      // total for good, and its points were never granted. It is not completed again.
      const tasks = ticks(list, s)
      if (!s || tasks.length || (s.status !== 'completed' && allDone(list, s))) {
        if (look) return true
        // A list starts with what is done already, in one write (reduce.ts): written as a start
        // and then a tick, another tab heard the tasks done long before as done just now.
        dispatch(list, { type: 'tick', tasks, time: host.platform.now() })
      }
    }
    return false
  }

  const stops = [host.onTrack(sync), host.state.subscribe(sync), host.user.listen(sync), host.flows.listen(sync), sync.stop]
  sync()

  const act = (type: 'dismiss' | 'resume') => (id: string) => {
    const list = find(id)
    if (!list || (type === 'dismiss' && list.dismissible === false)) return
    // A completed list stays completed (its badge and audience rules read that): hidden here
    // only, and its event says it was done, so no one reads it as given up.
    if (type === 'dismiss' && get(id)?.status === 'completed') {
      put.set(mine(id), 2)
      host.emit('Checklist Dismissed', { checklistId: id, points: 0, completed: true })
      sync()
    } else dispatch(list, { type })
  }

  return {
    $needsUi,
    $checklists,
    $opened,
    dismiss: act('dismiss'),
    resume: act('resume'),
    seen(id) {
      const k = mine(id)
      if (put.get(k) !== 2) put.set(k, 1), sync()
    },
    show(id) {
      const list = find(id)
      if (!list) return false
      // A list with no record (its audience not met) starts with what is done already, in one
      // write, as step() starts one: started, then ticked, another tab announced old tasks as
      // done just now. Not while a sign-in's progress is on its way (below).
      dispatch(list, get(id) ? { type: 'resume' } : { type: 'tick', tasks: host.syncing?.() ? [] : ticks(list), time: host.platform.now() })
      // At once, not after the grant lock: the panel opens on the list as it is now. While a
      // sign-in's progress is on its way, only a look: ticks from this device's copy would grant
      // again what another device granted (the client has everything look again once it came).
      refresh(!!host.syncing?.())
      $opened.set({ id })
      return true
    },
    why(id) {
      const list = find(id)
      if (!list) return undefined
      const s = get(id)
      // A list the user hid stays hidden until they bring it back (show(id) or resume).
      if (s) return [s.status === 'dismissed' ? 'dismissed' : away(list, s) ? 'already-completed' : 'eligible']
      const { ok, failed } = host.evaluate(list.audience, id)
      return ok ? ['eligible'] : failed.map((f) => `audience: ${f}`)
    },
    dispose() {
      stops.forEach((s) => s())
    },
  }
}
