import { afterEach, expect, test } from 'vitest'
import example from '../../../../test/fixtures/flows.json'
import { createLinger } from '../client'
import type { LingerError } from '../events'
import { createFakePlatform } from '../fake-platform'
import { createCorruptor } from './corrupt.fixture'
import { validateFlows } from './validate-flows'

/**
 * A vendor's flows document can arrive as anything: a hand edit gone wrong, a broken export, a
 * hostile copy. 1,000 seeded corruptions of the reference example go through the validator and
 * then through a whole client on the fake platform, whose engine and controllers start on what
 * survived and are driven like a user would: nothing throws, every config error says where it
 * is, and no prototype is touched.
 */
const SEED = 80_808
const DOCUMENTS = 1000
const { mutate, containers } = createCorruptor(SEED)

const EVENTS = ['Dashboard Viewed', 'Project Created', 'Task Created', 'Teammate Invited', 'Report Exported', 'Checklist Completed', 'Integration Connected']

/** Every id the document claims, valid or not: show() must handle both. */
function idsIn(doc: unknown): string[] {
  return containers(doc).flatMap((n) => (Array.isArray(n) || typeof n.id !== 'string' ? [] : [n.id])).slice(0, 20)
}

const running: Array<() => void> = []
afterEach(() => running.splice(0).forEach((stop) => stop()))

test(`${DOCUMENTS} corrupted flows documents: validated and run by a whole client, nothing throws, every error has a path, no prototype changes`, { timeout: 120_000 }, async () => {
  const objectKeys = Object.getOwnPropertyNames(Object.prototype).sort()
  const arrayKeys = Object.getOwnPropertyNames(Array.prototype).sort()
  const functionKeys = Object.getOwnPropertyNames(Function.prototype).sort()
  const seen = { configErrors: 0, kept: 0, shown: 0 }

  for (let run = 0; run < DOCUMENTS; run++) {
    const doc = mutate(structuredClone(example) as Record<string, unknown>)

    const { flows, errors } = validateFlows(doc)
    for (const e of errors) {
      if (e.path) expect(e.message.startsWith(`${e.path}: `), e.message).toBe(true)
      else expect(['invalid_type', 'unreadable'], e.message).toContain(e.rule)
    }
    seen.configErrors += errors.length
    seen.kept += flows.checklists.length + flows.tours.length + flows.badges.length + flows.surveys.length + (flows.cancelFlow ? 1 : 0)

    const platform = createFakePlatform({ seed: run })
    const reported: LingerError[] = []
    const linger = createLinger({ key: 'pk_fuzz', endpoint: 'https://collect.example.com', flows: doc as object, flushIntervalMs: 1000 }, { platform })
    running.push(() => linger.destroy())
    linger.on('error', (e: LingerError) => reported.push(e))
    await linger.ready

    // Drive every kind as a user would, on whatever survived.
    for (const name of EVENTS) linger.track(name, { n: run })
    for (const id of [...idsIn(doc), 'badges', 'save-offer']) if (linger.show(id)) seen.shown++
    await platform.advance(4000)
    const { checklists, surveys, tours, cancel } = linger.experiences
    checklists?.$checklists.get().forEach((c) => checklists.dismiss(c.checklist.id))
    const session = surveys?.$session.get()
    if (session) surveys!.answer(session.survey.kind === 'choice' ? { choices: [session.survey.options?.[0] ?? 'x'] } : session.survey.kind === 'text' ? { text: 'ok' } : { score: 3 })
    tours?.$runs.get().forEach((r) => tours.next(r.tour.id))
    linger.cancel()
    for (const a of [{ type: 'next' }, { type: 'choose', reasonId: 'too-expensive' }, { type: 'submit' }, { type: 'decline' }, { type: 'confirm' }] as const) cancel?.dispatch(a)
    for (const id of idsIn(doc)) linger.why(id)
    await platform.advance(3000)
    running.pop()?.()

    // Config problems are reported with their path; nothing inside Linger failed on the way.
    for (const e of reported.filter((r) => r.code === 'invalid-config')) {
      const { path } = e.details as { path: string }
      expect(path ? e.message.startsWith(`${path}: `) : true, e.message).toBe(true)
    }
    expect(reported.filter((r) => ['experience-failed', 'internal', 'handler-failed'].includes(r.code)), `document #${run}`).toEqual([])
    // The events reached the collector intact.
    const sent = platform.requests.filter((r) => r.init.method === 'POST').flatMap((r) => r.body.batch as Array<{ event?: string }>)
    expect(sent.filter((e) => e.event === 'Project Created')).toHaveLength(1)
  }

  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(objectKeys)
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(arrayKeys)
  expect(Object.getOwnPropertyNames(Function.prototype).sort()).toEqual(functionKeys)
  // The corruption was real, and valid experiences still ran.
  expect(seen.configErrors).toBeGreaterThan(DOCUMENTS)
  expect(seen.kept).toBeGreaterThan(DOCUMENTS * 5)
  expect(seen.shown).toBeGreaterThan(DOCUMENTS)
})
