import type { IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../packages/sdk/src/fake-platform'
import type { ReceivedBatch } from '../collector'
import { setupBrowserSuite } from '../harness'

// Delivery under load against a collector that fails at random, as real ones do under load.
// Build first: LINGER_CDN_DIR=/tmp/cdn-hard node scripts/build.mjs
let suite: Awaited<ReturnType<typeof setupBrowserSuite>>
beforeAll(async () => {
  suite = await setupBrowserSuite()
})
afterAll(() => suite?.close())

/**
 * A flaky collector: mostly 200, else 500s, 503s, connection resets before and after it stored
 * the batch (the client cannot tell those apart), and a rare hang the client must time out of.
 * Returns the messageIds it stored, which is what dedupe at the collector leaves.
 */
function flakyCollector(seed: number, maxHangs: number) {
  const random = seededRandom(seed)
  const stored = new Set<string>()
  const answers: Record<string, number> = {}
  let hangs = 0
  const respond = (_req: IncomingMessage, body: ReceivedBatch['body']) => {
    const r = random()
    const answer = r < 0.6 ? 'ok' : r < 0.72 ? '500' : r < 0.8 ? '503' : r < 0.88 ? 'reset' : r < 0.96 ? 'stored-then-reset' : hangs < maxHangs ? 'hang' : '500'
    answers[answer] = (answers[answer] ?? 0) + 1
    if (answer === 'ok' || answer === 'stored-then-reset') body.batch.forEach((e) => stored.add(e.messageId))
    if (answer === 'ok') return { status: 200 }
    if (answer === '500') return { status: 500 }
    if (answer === '503') return { status: 503, headers: { 'Retry-After': '0' } }
    if (answer === 'hang') return (hangs++, 'hang' as const)
    return 'reset' as const
  }
  return { respond, stored, answers }
}

const PAGE_SCRIPT = `
  window.__dropped = 0; window.__errors = [];
  linger.on('error', (e) => { if (e.code === 'dropped') __dropped += e.details.count; else __errors.push(e.code + ': ' + e.message) });
  linger.on('ready', () => (window.lingerReady = true));
  // Tracks in chunks, yielding between them, as a busy app does.
  window.fire = async (prefix, total, chunk) => {
    for (let i = 0; i < total; i += chunk) {
      for (let j = i; j < Math.min(total, i + chunk); j++) linger.track(prefix, { i: j });
      await new Promise((r) => setTimeout(r, 5));
    }
  };`

describe('delivery under load with a collector failing at random', () => {
  it('10,000 events: each accepted one is stored exactly once after dedupe, every drop is counted', async () => {
    const flaky = flakyCollector(424242, 1)
    suite.collector.setResponder(flaky.respond)
    const TOTAL = 10_000
    const MAX_QUEUE = 500
    const init = suite.initScript({ flushIntervalMs: 50, batchSize: 100, maxQueue: MAX_QUEUE, autocapture: false })
    const { page } = await suite.open('/load', suite.hostPage({ script: `${init} ${PAGE_SCRIPT}` }))
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(([total]) => (window as any).fire('Load', total, 50), [TOTAL])

    const tracked = () => [...flaky.stored].length
    const dropped = () => page.evaluate(() => (window as any).__dropped as number)
    // The page view plus every Load event is either stored or counted as dropped.
    const deadline = Date.now() + 90_000
    while (tracked() + (await dropped()) < TOTAL + 1 && Date.now() < deadline) await page.waitForTimeout(250)

    const loads = suite.collector.batches.flatMap((b) => b.body.batch).filter((e) => e.event === 'Load')
    const distinct = new Map(loads.map((e) => [e.messageId, e.properties.i as number]))
    const storedLoads = [...flaky.stored].filter((id) => distinct.has(id))
    expect(storedLoads.length + (await dropped())).toBe(TOTAL)
    // The same event always travels under the same messageId, and different events never share one.
    expect(new Set(distinct.values()).size).toBe(distinct.size)
    // Drops are the oldest events at a full outbox, so only happen if the queue ever filled.
    if (await dropped()) expect(await dropped()).toBeLessThan(TOTAL - MAX_QUEUE + 1)
    // The flaky answers really happened.
    expect(flaky.answers.ok).toBeGreaterThan(0)
    expect(['500', '503', 'reset', 'stored-then-reset', 'hang'].filter((a) => flaky.answers[a]).length).toBeGreaterThanOrEqual(3)
    expect(await page.evaluate(() => (window as any).__errors)).toEqual([])
    expect(suite.pageErrors).toEqual([])
  }, 120_000)

  it('offline past the outbox bound: the oldest are dropped and counted, the rest arrive once back online', async () => {
    suite.collector.setResponder(() => 'reset')
    const MAX_QUEUE = 200
    const init = suite.initScript({ flushIntervalMs: 50, batchSize: 50, maxQueue: MAX_QUEUE, autocapture: false })
    const { page } = await suite.open('/offline-bound', suite.hostPage({ script: `${init} ${PAGE_SCRIPT}` }))
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(() => (window as any).fire('Offline', 500, 50))
    await page.waitForTimeout(300)
    suite.collector.setResponder(() => ({ status: 200 }))
    // The page view and 500 events: 301 dropped (oldest first), 200 kept.
    const events = await suite.collector.waitFor((es) => es.filter((e) => e.event === 'Offline' && e.context.page.path === '/offline-bound').length >= MAX_QUEUE, 60_000)
    await page.waitForTimeout(500)
    const mine = events.filter((e) => e.event === 'Offline' && e.context.page.path === '/offline-bound')
    expect(new Set(mine.map((e) => e.messageId)).size).toBe(mine.length)
    expect(mine.map((e) => e.properties.i)).toEqual(Array.from({ length: MAX_QUEUE }, (_, k) => 500 - MAX_QUEUE + k))
    expect(await page.evaluate(() => (window as any).__dropped)).toBe(501 - MAX_QUEUE)
    expect(suite.pageErrors).toEqual([])
  }, 90_000)

  // Found by the 10,000-event run: with the collector down, every track() parsed and rewrote the
  // whole persisted outbox, ~60 ms per track at 1,000 queued events. The outbox now lives in
  // memory and a burst of tracks costs one write (outbox.ts WRITE_DELAY_MS).
  it('tracking while the collector is down writes a bounded amount per event, not the whole outbox again', async () => {
    suite.collector.setResponder(() => 'reset')
    const context = await suite.browser.newContext()
    await context.addInitScript(`const set = Storage.prototype.setItem; window.__written = 0; Storage.prototype.setItem = function (k, v) { window.__written += String(v).length; return set.call(this, k, v) };`)
    const init = suite.initScript({ flushIntervalMs: 50, batchSize: 50, maxQueue: 1000, autocapture: false })
    const { page } = await suite.open('/outbox-writes', suite.hostPage({ script: `${init} ${PAGE_SCRIPT}` }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(() => (window as any).fire('Queued', 300, 50))
    const before = await page.evaluate(() => (window as any).__written as number)
    await page.evaluate(() => (window as any).fire('Queued More', 100, 50))
    const perEvent = ((await page.evaluate(() => (window as any).__written as number)) - before) / 100
    // One event is well under 1 KB of JSON: a few KB per track leaves room for the usage profile.
    expect(perEvent).toBeLessThan(5_000)
    await context.close()
  }, 60_000)
})
