import { expect, it } from 'vitest'
import { envelope, type LingerError, type LingerEvent } from '../events'
import { createFakePlatform, type FakePlatform } from '../fake-platform'
import { createDelivery, HEARTBEAT_MS, QUEUE_MAX_AGE_MS, TAKEN } from './delivery'
import { CLAIM_MS, WRITE_DELAY_MS } from './outbox'
import * as sending from './sender'
import { ADOPT_AFTER_START_MS } from './sender'
import './adopt'

// A page served over plain http (no secure context), or a browser from before Web Locks: tabs
// tell a gone tab from a live one only by its outbox's heartbeat in storage.
const withoutWebLocks = (p: FakePlatform) => ((p.withLock = undefined), (p.holdLock = undefined), p)

function tab(shared: Map<string, string>, clock: { now: number }, seed: number) {
  const p = withoutWebLocks(createFakePlatform({ shared, clock, seed }))
  const errors: LingerError[] = []
  const d = createDelivery({ sender: async () => sending, endpoint: 'https://collect.example.com', writeKey: 'pk_test', platform: p, onError: (e) => errors.push(e) })
  const track = (n: number): LingerEvent[] =>
    Array.from({ length: n }, (_, i) => {
      const e = envelope(p, { anonymousId: 'anon-1' }, { type: 'track', event: 'Report Exported', properties: { i } })
      d.enqueue(e)
      return e
    })
  // What the collector got: the requests answered 2xx.
  const delivered: string[] = []
  const answer = (ok: boolean) => (p.respond = (req) => (ok ? (delivered.push(...req.body.batch.map((e: LingerEvent) => e.messageId)), { status: 200 }) : 'network-error'))
  return { p, d, errors, track, delivered, answer }
}

/** Tabs of one origin: one storage, one clock. */
function origin() {
  const shared = new Map<string, string>()
  const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
  /** A tab that queued `n` events with the collector down and went into the background: its queue is written. */
  const backgrounded = async (seed: number, n: number) => {
    const t = tab(shared, clock, seed)
    t.answer(false)
    const events = t.track(n)
    await t.p.advance(WRITE_DELAY_MS)
    t.d.flushOnHide()
    return { ...t, events }
  }
  /** A tab opened with the collector up, open long enough to take the queues of tabs that look gone. */
  const opened = async (seed: number) => {
    const t = tab(shared, clock, seed)
    t.answer(true)
    for (let ms = 0; ms < ADOPT_AFTER_START_MS + CLAIM_MS + HEARTBEAT_MS * 2; ms += 1000) await t.p.advance(1000)
    return t
  }
  return { shared, clock, backgrounded, opened }
}

/** The user comes back to a background tab, the collector up again. */
async function shownAgain(t: ReturnType<typeof tab>) {
  t.answer(true)
  t.p.show()
  await t.p.advance(2 * 60_000)
}

it('a tab without Web Locks, in the background while the site clears localStorage (a sign-out in another tab), keeps the events it had queued and sends them once the user is back', async () => {
  const { shared, backgrounded } = origin()
  // The user switches tabs: the page writes its queue as it goes hidden.
  const page = await backgrounded(1, 3)
  // Another tab of the site signs out and wipes the site's storage.
  shared.clear()
  await shownAgain(page)
  expect(page.delivered).toEqual(page.events.map((e) => e.messageId))
  expect(page.errors).toEqual([])
  // Nothing left in storage that a later page would send again or report.
  expect([...shared.keys()].filter((k) => k.startsWith('linger:outbox:'))).toEqual([])
})

it('a tab without Web Locks whose queue another tab took while it sat silent in the background does not send that queue a second time once shown', async () => {
  const { shared, backgrounded, opened } = origin()
  const hidden = await backgrounded(1, 3)
  // Its timers stand still in the background: silent past CLAIM_MS, it looks gone, and the open tab takes its queue.
  const open = await opened(2)
  expect(open.delivered).toEqual(hidden.events.map((e) => e.messageId))
  await shownAgain(hidden)
  expect(hidden.delivered).toEqual([])
  // The note the taking left for it is gone with its reading: nothing stays in the host's storage.
  expect([...shared.keys()].filter((k) => !k.startsWith('linger:backoff:'))).toEqual([])
})

it('a tab without Web Locks sitting in the background while 25 short visits leave queues too (the collector down): the tab that takes all 26 sends each once, and the background tab, shown, does not send its own a second time', async () => {
  const { backgrounded, opened } = origin()
  const hidden = await backgrounded(1, 3)
  // 25 visits of a few seconds each, each leaving one event unsent.
  for (let visit = 0; visit < 25; visit++) await backgrounded(100 + visit, 1)
  const open = await opened(2)
  expect(open.delivered).toHaveLength(3 + 25)
  expect(open.delivered).toEqual(expect.arrayContaining(hidden.events.map((e) => e.messageId)))
  await shownAgain(hidden)
  expect(hidden.delivered).toEqual([])
})

it('a note left for a tab that never came back is removed once past the queue’s maximum age', async () => {
  const { shared, clock, backgrounded, opened } = origin()
  await backgrounded(1, 1)
  await opened(2)
  expect([...shared.keys()].filter((k) => k.startsWith(TAKEN))).toHaveLength(1)
  // A week later, another visit leaves a queue of its own, taken by the next page that opens.
  clock.now += QUEUE_MAX_AGE_MS
  await backgrounded(3, 1)
  const next = await opened(4)
  expect(next.delivered).toHaveLength(1)
  // Only the note for the visit just taken is left.
  expect([...shared.keys()].filter((k) => k.startsWith(TAKEN))).toHaveLength(1)
})
