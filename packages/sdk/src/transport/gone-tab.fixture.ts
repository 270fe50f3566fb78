import { envelope, type LingerError } from '../events'
import { createFakePlatform } from '../fake-platform'
import { createDelivery } from './delivery'
import { WRITE_DELAY_MS } from './outbox'
import * as sending from './sender'

/** Tabs of one origin (one storage, one clock) whose collector answers 200 unless told otherwise. */
function origin() {
  const shared = new Map<string, string>()
  const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
  const tab = (seed: number) => {
    const p = createFakePlatform({ shared, clock, seed })
    const errors: LingerError[] = []
    const d = createDelivery({ sender: async () => sending, platform: p, endpoint: 'https://collect.example.com', writeKey: 'pk_test', onError: (e) => errors.push(e) })
    const track = (n: number) =>
      Array.from({ length: n }, (_, i) => {
        const e = envelope(p, { anonymousId: 'anon-1' }, { type: 'track', event: 'Project Created', properties: { i } })
        d.enqueue(e)
        return e.messageId
      })
    const sent = () => p.requests.flatMap((r) => (r.body as { batch: Array<{ messageId: string }> }).batch.map((e) => e.messageId))
    return { p, d, errors, track, sent }
  }
  return { shared, tab }
}

/**
 * A tab that closed with two events unsent (its collector was unreachable), and the tab open
 * after it: storage holds the gone tab's outbox under `goneKey`.
 */
export async function afterAGoneTab() {
  const { shared, tab } = origin()
  const gone = tab(1)
  gone.p.respond = () => 'network-error'
  gone.track(2)
  await gone.p.advance(WRITE_DELAY_MS)
  gone.p.close()
  const goneKey = [...shared.keys()].find((k) => k.startsWith('linger:outbox:'))
  if (!goneKey) throw new Error('the gone tab left no outbox')
  return { shared, goneKey, open: tab(2) }
}
