import { describe, expect, it } from 'vitest'
import { checklistEvents, reduceChecklist, type ChecklistState } from './reduce'

const tasks = ['a', 'b', 'c']
const run = (s: ChecklistState | undefined, ...actions: Parameters<typeof reduceChecklist>[2][]) => actions.reduce((st, a) => reduceChecklist(tasks, st, a), s)

describe('checklist reducer', () => {
  it('starts a list with no record on a tick, with what is done already, in one state', () => {
    expect(run(undefined, { type: 'tick', tasks: ['a'], time: 1 })).toEqual({ status: 'started', done: { a: 1 } })
    expect(run(undefined, { type: 'tick', tasks: [], time: 1 })).toEqual({ status: 'started', done: {} })
  })

  it('ticks tasks once, remembering when, and completes the list with the last one', () => {
    const s = run(undefined, { type: 'tick', tasks: ['a'], time: 1 }, { type: 'tick', tasks: ['a', 'b'], time: 2 })
    expect(s).toEqual({ status: 'started', done: { a: 1, b: 2 } })
    expect(run(s, { type: 'tick', tasks: ['c'], time: 3 })).toEqual({ status: 'completed', done: { a: 1, b: 2, c: 3 }, completedAt: 3 })
  })

  it('ignores ticks for tasks the list does not have, and returns the same state when nothing changed', () => {
    const s = run(undefined, { type: 'tick', tasks: [], time: 1 })
    expect(reduceChecklist(tasks, s, { type: 'tick', tasks: ['zzz'], time: 1 })).toBe(s)
    expect(reduceChecklist(tasks, s, { type: 'resume' })).toBe(s)
  })

  it('dismisses and resumes, and still completes (and rewards) a dismissed list', () => {
    const dismissed = run(undefined, { type: 'tick', tasks: ['a', 'b'], time: 1 }, { type: 'dismiss' })
    expect(dismissed?.status).toBe('dismissed')
    expect(run(dismissed, { type: 'resume' })?.status).toBe('started')
    expect(run(dismissed, { type: 'tick', tasks: ['c'], time: 2 })?.status).toBe('completed')
  })

  it('cannot dismiss a completed list back to unfinished', () => {
    const done = run(undefined, { type: 'tick', tasks: tasks, time: 1 })
    expect(run(done, { type: 'dismiss' })?.status).toBe('completed')
  })

  it('names the events a change means', () => {
    const before = run(undefined, { type: 'tick', tasks: ['a'], time: 1 })
    const after = run(before, { type: 'tick', tasks: ['b', 'c'], time: 2 })
    expect(checklistEvents(before, after)).toEqual([
      { event: 'Checklist Task Completed', taskId: 'b' },
      { event: 'Checklist Task Completed', taskId: 'c' },
      { event: 'Checklist Completed' },
    ])
    expect(checklistEvents(before, run(before, { type: 'dismiss' }))).toEqual([{ event: 'Checklist Dismissed' }])
    expect(checklistEvents(after, after)).toEqual([])
  })
})
