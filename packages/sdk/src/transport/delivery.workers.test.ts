import { describe, expect, it, vi } from 'vitest'
import { envelope } from '../events'
import { createFakePlatform } from '../fake-platform'
import { createDelivery, HEARTBEAT_MS } from './delivery'
import type { WorkerLike } from './off-thread'
import { WRITE_DELAY_MS } from './outbox'
import * as sending from './sender'
import { ADOPT_AFTER_START_MS } from './sender'
// Evaluated up front, as a page that needs them would have them: the import()s settle in a turn.
import './adopt'
import './off-thread'

// Every worker the page makes, each answering 200 to what it is sent.
const workers = vi.hoisted(() => [] as string[][])
vi.mock('./off-thread', async (original) => ({
  ...(await original<typeof import('./off-thread')>()),
  spawnRequestWorker: (): WorkerLike => {
    const urls: string[] = []
    workers.push(urls)
    const w: WorkerLike = {
      onmessage: null,
      onerror: null,
      postMessage: ([id, url]: [number, string]) => (urls.push(url), void Promise.resolve().then(() => w.onmessage?.({ data: [id, 200, []] }))),
      terminate() {},
    }
    return w
  },
}))

describe('sending from a worker (`sendFromWorker`), with closed tabs’ queues for other collectors', () => {
  it('the page runs one worker, for its own collector, however many other collectors closed tabs left queues for', async () => {
    const shared = new Map<string, string>()
    const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
    let seed = 0
    const page = (endpoint: string) => {
      const p = createFakePlatform({ shared, clock, seed: ++seed })
      const d = createDelivery({ sender: async () => sending, platform: p, endpoint, writeKey: 'pk_test', offThread: true, onError: () => {} })
      const track = (n: number) => Array.from({ length: n }, () => (d.enqueue(envelope(p, { anonymousId: 'a' }, { type: 'track', event: 'Saved' })), 0))
      return { p, track }
    }
    for (const old of ['https://x.example.com', 'https://y.example.com']) {
      const gone = page(old)
      gone.p.respond = () => 'network-error'
      gone.track(2)
      await gone.p.advance(WRITE_DELAY_MS)
      gone.p.close()
    }
    const open = page('https://z.example.com')
    open.p.respond = () => ({ status: 200 })
    for (let t = 0; t < ADOPT_AFTER_START_MS + HEARTBEAT_MS * 2; t += 50) {
      if (t === 1000) open.track(1)
      await open.p.advance(50)
      // The worker's chunk comes by a real import: a turn of the test runner's.
      await new Promise((r) => setTimeout(r, 0))
    }
    const sentTo = [...workers.flat(), ...open.p.requests.map((r) => r.url)]
    expect(sentTo.filter((u) => u.startsWith('https://x.example.com'))).toHaveLength(1)
    expect(sentTo.filter((u) => u.startsWith('https://y.example.com'))).toHaveLength(1)
    expect(workers).toEqual([['https://z.example.com/v1/batch']])
  })
})
