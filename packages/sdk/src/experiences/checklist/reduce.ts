/**
 * The checklist state machine, pure. Persisted as host.state `checklist:<id>` (host.ts):
 * `{ status, done: { [taskId]: time } }`. A task once done stays done (a `withinDays` rule that
 * later fails does not undo it); completing every task completes the list, even while it is
 * dismissed, so its reward is never lost.
 */
export type ChecklistStatus = 'started' | 'completed' | 'dismissed'

export interface ChecklistState {
  status: ChecklistStatus
  done: Record<string, number>
  /**
   * When it completed (its reward granted). Not the last task's time: a task the vendor added
   * since, done a month later, moved the reward to that month in the value review's points.
   * Absent in records older releases wrote.
   */
  completedAt?: number
}

export type ChecklistAction =
  | { type: 'tick'; tasks: string[]; time: number }
  | { type: 'dismiss' }
  | { type: 'resume' }

export function reduceChecklist(taskIds: readonly string[], state: ChecklistState | undefined, action: ChecklistAction): ChecklistState | undefined {
  const s = state ?? { status: 'started', done: {} }
  switch (action.type) {
    case 'tick': {
      const fresh = action.tasks.filter((id) => taskIds.includes(id) && !Object.hasOwn(s.done, id))
      const done = { ...s.done }
      for (const id of fresh) done[id] = action.time
      // Every task done completes the list, though none is new here: each may have been ticked
      // on another device (synced task by task), or the vendor removed the last one left.
      const status = taskIds.length && taskIds.every((id) => Object.hasOwn(done, id)) ? 'completed' : s.status
      // The rest of the record kept, as dismiss and resume keep it: a newer release's fields.
      // A tick starts a list with no record, with what is done already.
      return fresh.length || status !== s.status || !state ? { ...s, status, done, ...(status !== s.status && status === 'completed' && { completedAt: action.time }) } : state
    }
    case 'dismiss':
      // Any status but these two hides: one this release does not know (a newer release's, a
      // record with none) showed the list, and the user's "hide" did nothing.
      return s.status !== 'completed' && s.status !== 'dismissed' ? { ...s, status: 'dismissed' } : state
    case 'resume':
      return s.status === 'dismissed' ? { ...s, status: 'started' } : state
  }
}

/**
 * A stored record read loosely (stored JSON is of any shape: a hand edit, another release): one
 * without its `done` kept no task yet, and what is no record is none. Read as they were, either
 * threw on every pass, and every list the user had went with it.
 */
export const readChecklist = (v: unknown): ChecklistState | undefined =>
  v instanceof Object ? ((v as ChecklistState).done ? (v as ChecklistState) : { ...(v as ChecklistState), done: {} }) : undefined

/** What changed between two states, as the events docs/architecture.md names. */
export function checklistEvents(before: ChecklistState | undefined, after: ChecklistState | undefined): Array<{ event: string; taskId?: string }> {
  if (!after || before === after) return []
  const out: Array<{ event: string; taskId?: string }> = Object.keys(after.done)
    .filter((id) => !before || !Object.hasOwn(before.done, id))
    .map((taskId) => ({ event: 'Checklist Task Completed', taskId }))
  if (after.status !== before?.status) {
    if (after.status === 'completed') out.push({ event: 'Checklist Completed' })
    if (after.status === 'dismissed') out.push({ event: 'Checklist Dismissed' })
  }
  return out
}
