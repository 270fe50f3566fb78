import { expect, it } from 'vitest'
import { createLinger } from '../client'
import { createFakePlatform, lateLocks } from '../fake-platform'
import { granting } from './across-tabs'

const tick = () => new Promise((r) => setTimeout(r, 0))

// A survey triggered by the event that finished a list waits for the grant turn only while a grant
// pass of the page is under way: a look the turn's own writes set off must not end the turn's mark.
it('the export that finishes the list: its survey waits for the screen to be calm again after the grant turn (All done first)', async () => {
  const locks = lateLocks()
  const platform = locks.tab(createFakePlatform())
  // Web Locks' request(): the turn lasts until its callback's promise settles; granted a task later.
  let queue: Promise<unknown> = Promise.resolve()
  const requests: string[] = []
  ;(platform as any).exclusive = (name: string, fn: () => void | Promise<void>) => {
    requests.push(name)
    queue = queue.then(tick).then(() => fn())
  }
  const flows = {
    version: 1,
    settings: { cooldownDays: 0 },
    checklists: [{ id: 'onboarding', title: 'Get started', tasks: [{ id: 'a', title: 'Create', doneWhen: { event: 'Project Created' } }, { id: 'export', title: 'Export', doneWhen: { event: 'Report Exported' } }] }],
    surveys: [{ id: 'once', kind: 'csat', question: 'How was the export?', trigger: { event: 'Report Exported' } }],
  }
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
  linger.identify('u_1')
  await linger.ready
  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      await tick()
      while (locks.answer()) await tick()
    }
  }
  linger.track('Project Created')
  await settle()
  const waiting: Array<() => void> = []
  linger.host.screen = { when: (fn: () => void) => void waiting.push(fn) } as any
  linger.track('Report Exported')
  // The list's turn comes (a task later) and asks the lock manager for its claims.
  await tick()
  await tick()
  // The screen is calm now: the survey's check runs while the list's claims are being answered.
  waiting.splice(0).forEach((fn) => fn())
  await settle()
  // The celebration is up: nothing shows before the screen is calm again.
  expect(linger.experiences.surveys!.$session.get()?.survey.id ?? null).toBe(null)
  waiting.splice(0).forEach((fn) => fn())
  await settle()
  expect(linger.experiences.surveys!.$session.get()?.survey.id).toBe('once')
})
