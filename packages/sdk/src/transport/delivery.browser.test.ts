import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { launchChromium } from '../../../../scripts/chromium.mjs'
import { launchBrowser } from '../../../../test/browser'
import { startTestCollector } from '../../../../test/collector'
import { startStaticServer } from '../../../../test/static-server'

// Delivery alone, bundled for the page, on the real browser platform: what only Chromium can
// tell us is how keepalive, its 64 KiB quota, CORS preflights and sendBeacon behave on unload.
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
const ENTRY = `
import { createDelivery } from ${JSON.stringify(here('./delivery.ts'))}
import * as sending from ${JSON.stringify(here('./sender.ts'))}
import { browserPlatform } from ${JSON.stringify(here('../platform-browser.ts'))}
import { envelope } from ${JSON.stringify(here('../events.ts'))}
window.startDelivery = ({ crashes, ...opts }) => {
  const platform = browserPlatform()
  // How often the page lists storage, by prefix: a look at other tabs' queues starts with one.
  const { keys } = platform.storage
  window.lists = {}
  platform.storage.keys = (prefix) => ((window.lists[prefix] = (window.lists[prefix] || 0) + 1), keys(prefix))
  // With performance.now() as the client gives it (client.ts).
  const delivery = createDelivery({ platform, sender: async () => sending, elapsed: platform.elapsed, onError: (e) => window.errors.push(e), ...opts })
  // A page that crashes gets no chance to hand its events over on the way out.
  if (!crashes) {
    platform.onPageHide(() => delivery.flushOnHide(true))
    platform.onHide(() => delivery.flushOnHide())
  }
  window.errors = []
  window.track = (name, properties) => delivery.enqueue(envelope(platform, { anonymousId: 'anon' }, { type: 'track', event: name, properties }))
  window.delivery = delivery
}`

async function bundle(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [{ name: 'entry', resolveId: (id) => (id === 'entry' ? id : null), load: (id) => (id === 'entry' ? ENTRY : null) }],
    build: { write: false, minify: false, rollupOptions: { input: 'entry', output: { format: 'iife' } } },
  })
  const outputs = Array.isArray(out) ? out : [out]
  return (outputs[0] as { output: Array<{ code?: string }> }).output[0].code!
}

let browser: Browser
let collector: Awaited<ReturnType<typeof startTestCollector>>
let site: Awaited<ReturnType<typeof startStaticServer>>

beforeAll(async () => {
  const code = await bundle()
  ;[browser, collector, site] = await Promise.all([launchBrowser(), startTestCollector(), startStaticServer()])
  site.files['/delivery.js'] = { body: code, type: 'text/javascript' }
  site.pages['/elsewhere'] = { html: '<!doctype html><title>Elsewhere</title>' }
})
beforeEach(() => collector.setResponder(() => ({ status: 200 })))
afterAll(async () => {
  await browser?.close()
  await collector?.close()
  await site?.close()
})

function hostPage(path: string, options: Record<string, unknown>) {
  site.pages[path] = {
    html: `<!doctype html><title>Host</title><script src="/delivery.js"></script>
<script>startDelivery(${JSON.stringify({ endpoint: collector.url, writeKey: 'pk_unload', ...options })})</script>`,
  }
  return site.url + path
}

const named = (prefix: string) => collector.delivered().filter((e) => String(e.event).startsWith(prefix))

/**
 * A tab of the site tracks `event` for `old` (at `endpoint`), which fails it, and is closed with
 * the event stored unsent. Not with a retry in flight: a request a tab leaves unanswered keeps its
 * events claimed for 30 s (CLAIM_MS), in case it still arrives, so a later page would not send
 * them for that long (under CI's load the retry, due within a second, sometimes left first).
 */
async function closedWithUnsent(ctx: import('playwright-core').BrowserContext, old: Awaited<ReturnType<typeof startTestCollector>>, writeKey: string, endpoint: string, event: string) {
  // Asked to wait an hour, the tab sends nothing more before it is closed.
  old.setResponder(() => ({ status: 503, headers: { 'Retry-After': '3600' } }))
  const closing = await ctx.newPage()
  await closing.goto(hostPage(`/closing-${writeKey}`, { writeKey, endpoint, crashes: true }))
  await closing.evaluate((name) => (window as any).track(name), event)
  await expect.poll(() => old.batches.length, { timeout: 10_000 }).toBeGreaterThan(0)
  // Stored, and no longer claimed by the failed request (a claim is stored as its `until`).
  const stored = ([k, name]: string[]) =>
    Object.keys(localStorage).some((key) => key.startsWith(`linger:outbox:${k}:`) && localStorage.getItem(key)!.includes(name) && !localStorage.getItem(key)!.includes('"until"'))
  await closing.waitForFunction(stored, [writeKey, event])
  // The hour is over by the time a later page comes.
  await closing.evaluate((k) => {
    for (const key of Object.keys(localStorage)) if (key.startsWith(`linger:backoff:${k}:`)) localStorage.removeItem(key)
  }, writeKey)
  await closing.close()
}

/**
 * Opens `url`, tracks `event`, and has the collector keep that first request open; once it is
 * (and `whileHeld` checked the page), navigates away, which cuts it off unanswered. Resolves
 * once the event arrived, within 5 s: far sooner than its 30 s claim.
 */
async function leaveWithOneInFlight(event: string, url: string, whileHeld?: (page: import('playwright-core').Page) => Promise<void>) {
  let held = 0
  collector.setResponder((_, body) => (body.batch.some((e) => e.event === event) && held++ === 0 ? 'hang' : { status: 200 }))
  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  await page.goto(url)
  await page.evaluate((name) => (window as any).track(name), event)
  await expect.poll(() => held, { timeout: 5000 }).toBe(1)
  await whileHeld?.(page)
  await page.goto(site.url + '/elsewhere')
  await collector.waitFor(() => named(event).length === 1, 5000)
  await ctx.close()
}

describe('leaving the page', () => {
  it('an event tracked right before navigating away arrives by keepalive fetch, with the contract headers', async () => {
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    await page.goto(hostPage('/leave', { flushIntervalMs: 60_000 }))
    // The event stays queued (the next scheduled send is a minute away) as the page leaves.
    // Playwright navigates: a navigation the page starts itself, even a task after an evaluate
    // call, can leave that call unanswered for good.
    await page.evaluate(() => (window as any).track('Leave Now', { where: 'pricing' }))
    await page.goto(site.url + '/elsewhere')
    await collector.waitFor(() => named('Leave Now').length === 1, 10_000)
    const batch = collector.batches.find((b) => b.body.batch.some((e) => e.event === 'Leave Now'))!
    // A cross-origin keepalive with Authorization needs a preflight, and Chromium makes it.
    expect(batch.headers['content-type']).toBe('application/json')
    expect(batch.headers.authorization).toBe(`Basic ${Buffer.from('pk_unload:').toString('base64')}`)
    expect(batch.body.writeKey).toBe('pk_unload')
    await ctx.close()
  })

  it("an event the host tracks as the page goes hidden, in a listener added after Linger's, arrives with the page leaving", async () => {
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    await page.goto(hostPage('/host-hidden', { flushIntervalMs: 60_000 }))
    // Chromium fires pagehide, then visibilitychange: this listener runs after every one of Linger's.
    await page.evaluate(() =>
      document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && (window as any).track('Draft Abandoned', { words: 120 })),
    )
    await page.goto(site.url + '/elsewhere')
    await collector.waitFor(() => named('Draft Abandoned').length === 1, 10_000)
    expect(named('Draft Abandoned')[0].properties).toEqual({ words: 120 })
    await ctx.close()
  })

  it('a batch still unanswered when the page navigates away arrives at once, not after its 30 s claim', async () => {
    await leaveWithOneInFlight('In Flight', hostPage('/in-flight', { flushIntervalMs: 100 }))
    expect(collector.batches.find((b) => b.body.batch.some((e) => e.event === 'In Flight'))!.body.writeKey).toBe('pk_unload')
  })

  it('a batch still unanswered when the page navigates while another tab’s retry wait is on: the next page sends it once the wait is over, not after its 30 s claim', async () => {
    let held = 0
    collector.setResponder((_, body) => (body.batch.some((e) => e.event === 'Left Under A Wait') && held++ === 0 ? 'hang' : { status: 200 }))
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    await page.goto(hostPage('/under-wait', { flushIntervalMs: 100 }))
    await page.evaluate(() => (window as any).track('Left Under A Wait'))
    await expect.poll(() => held, { timeout: 5000 }).toBe(1)
    // Another tab's request has just failed: every tab of the site waits 3 s (nothing by keepalive).
    await page.evaluate((url) => localStorage.setItem(`linger:backoff:pk_unload:@${encodeURIComponent(`${url}/v1/batch`)}`, JSON.stringify({ failures: 1, retryAt: Date.now() + 3000, status: null })), collector.url)
    await page.goto(hostPage('/after-wait', { flushIntervalMs: 100 }))
    await collector.waitFor(() => named('Left Under A Wait').length === 1, 15_000)
    await ctx.close()
  })

  it("a batch still unanswered when the page navigates away, the host's own pagehide listener ahead of Linger's: it arrives at once, and so does what a later listener tracks as the page goes", async () => {
    // The host's analytics listened first: the request the unload cuts off has failed by the time
    // Linger's listener runs. Read as an outage, its wait kept both events in storage, for a next
    // page of the site that may never come.
    const opts = JSON.stringify({ endpoint: collector.url, writeKey: 'pk_unload', flushIntervalMs: 100 })
    site.pages['/host-listens-first'] = {
      html: `<!doctype html><title>Host</title><script>addEventListener('pagehide', () => {})</script><script src="/delivery.js"></script>
<script>startDelivery(${opts}); addEventListener('pagehide', () => track('Tab Left'))</script>`,
    }
    await leaveWithOneInFlight('Cut Behind Host', site.url + '/host-listens-first')
    await collector.waitFor(() => named('Tab Left').length === 1, 5000)
  })

  it('a backlog still unanswered when the page navigates away, larger than keepalive takes: the next page sends the rest at once, not after its 30 s claim', async () => {
    // 150 events of ~1 KB leave in one request of ~170 KB, which the collector holds open; the
    // page leaves while it is, and only ~60 KB of it fit the keepalive quota on the way out.
    let held = 0
    collector.setResponder((_, body) => (body.batch.some((e) => String(e.event).startsWith('Cut Backlog ')) && held++ === 0 ? 'hang' : { status: 200 }))
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    await page.goto(hostPage('/backlog-cut', { flushIntervalMs: 100 }))
    await page.evaluate(() => {
      for (let i = 0; i < 150; i++) (window as any).track(`Cut Backlog ${i}`, { note: 'x'.repeat(1000) })
    })
    await expect.poll(() => held, { timeout: 5000 }).toBe(1)
    await page.goto(hostPage('/backlog-next', { flushIntervalMs: 100 }))
    await collector.waitFor(() => named('Cut Backlog ').length > 0, 5000)
    expect(named('Cut Backlog ').length).toBeLessThan(150)
    await collector.waitFor(() => new Set(named('Cut Backlog ').map((e) => e.event)).size === 150, 10_000)
    await ctx.close()
  })

  it('a queue over the 64 KiB keepalive quota: one keepalive share leaves on unload, the rest on the next visit', async () => {
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    await page.goto(hostPage('/big', { flushIntervalMs: 60_000 }))
    await page.evaluate(() => {
      for (let i = 0; i < 30; i++) (window as any).track(`Big ${i}`, { note: 'ü'.repeat(2000) })
    })
    await page.goto(site.url + '/elsewhere')
    await collector.waitFor(() => named('Big ').length > 0, 10_000)
    await page.waitForTimeout(500)
    const unload = collector.batches.filter((b) => b.body.batch.some((e) => String(e.event).startsWith('Big ')))
    expect(unload.reduce((n, b) => n + Buffer.byteLength(JSON.stringify(b.body)), 0)).toBeLessThanOrEqual(64 * 1024)
    const handedOver = named('Big ').length
    expect(handedOver).toBeLessThan(30)
    await page.goto(hostPage('/big-again', { flushIntervalMs: 500 }))
    await collector.waitFor(() => named('Big ').length === 30, 10_000)
    const ids = named('Big ').map((e) => e.messageId)
    expect(new Set(ids).size).toBe(30)
    await ctx.close()
  })

  it('a tab switch hands events over, and nothing is sent twice when the tab comes back', async () => {
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    await page.goto(hostPage('/switch', { flushIntervalMs: 60_000 }))
    await page.evaluate(() => (window as any).track('Switch Away'))
    const other = await ctx.newPage()
    await other.goto(site.url + '/elsewhere')
    // Playwright keeps both pages "visible"; fire what the browser fires when a tab is hidden.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    await collector.waitFor(() => named('Switch Away').length === 1, 10_000)
    await page.evaluate(() => (window as any).delivery.flush())
    await page.waitForTimeout(500)
    expect(collector.batches.flatMap((b) => b.body.batch).filter((e) => e.event === 'Switch Away')).toHaveLength(1)
    expect(await page.evaluate(() => (window as any).delivery.pending())).toBe(0)
    expect(await page.evaluate(() => (window as any).errors)).toEqual([])
    await ctx.close()
  })
})

describe('tabs that go away', () => {
  it('events of a tab that died unsent are sent by the next page, once, with their messageIds', async () => {
    const ctx = await browser.newContext()
    const dying = await ctx.newPage()
    await dying.goto(hostPage('/dying', { flushIntervalMs: 60_000, crashes: true }))
    await dying.evaluate(() => {
      for (let i = 0; i < 5; i++) (window as any).track(`Orphan ${i}`)
    })
    // A burst of tracks reaches storage in one write, a moment later (outbox.ts WRITE_DELAY_MS).
    await dying.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('linger:outbox:pk_unload:')))
    const ids: string[] = await dying.evaluate(() => {
      // Stored compactly (outbox-codec.ts): each item is a row that starts with its messageId.
      return JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith('linger:outbox:pk_unload:'))![1]).items.map((row: any) => row[0])
    })
    // Another tab is open meanwhile: it must leave a live tab's outbox alone.
    const other = await ctx.newPage()
    await other.goto(hostPage('/other', { flushIntervalMs: 200 }))
    // It looks at other tabs' outboxes 2 s after it starts (ADOPT_AFTER_START_MS).
    await other.waitForTimeout(3500)
    expect(named('Orphan ')).toEqual([])
    await dying.close()
    const next = await ctx.newPage()
    await next.goto(hostPage('/next', { flushIntervalMs: 200 }))
    await collector.waitFor(() => named('Orphan ').length === 5, 15_000)
    await next.waitForTimeout(1000)
    expect(named('Orphan ').map((e) => e.messageId).sort()).toEqual([...ids].sort())
    expect(await next.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('linger:outbox:')))).toEqual([])
    await ctx.close()
  })
})

describe('pages of one site sending to different collectors', () => {
  it('a closed tab’s unsent events reach the collector they were tracked for (its path and query kept), not the one a later page of the site sends to', async () => {
    const tenant = await startTestCollector(() => ({ status: 503 }))
    try {
      const endpoint = `${tenant.url}/ingest?tenant=a`
      const ctx = await browser.newContext()
      // Its collector failed it: the event is stored, then the tab is gone with it unsent.
      await closedWithUnsent(ctx, tenant, 'pk_two', endpoint, 'For Tenant A')
      tenant.setResponder(() => ({ status: 200 }))
      // A page of the same site configured with the other collector (or none: its own origin).
      const other = await ctx.newPage()
      await other.goto(hostPage('/tenant-other', { writeKey: 'pk_two', flushIntervalMs: 200 }))
      await other.evaluate(() => (window as any).track('For The Other'))
      await collector.waitFor(() => named('For The Other').length === 1, 10_000)
      // Past the moment it looks at the outboxes closed tabs left (ADOPT_AFTER_START_MS).
      await other.waitForTimeout(3500)
      const next = await ctx.newPage()
      await next.goto(hostPage('/tenant-next', { writeKey: 'pk_two', endpoint, flushIntervalMs: 200 }))
      await tenant.waitFor((events) => events.some((e) => e.event === 'For Tenant A'), 10_000)
      expect(named('For Tenant A')).toEqual([])
      expect(new Set(tenant.batches.map((b) => b.path))).toEqual(new Set(['/ingest/v1/batch?tenant=a']))
      await ctx.close()
    } finally {
      await tenant.close()
    }
  })
})

describe('a page beside a live tab of another collector', () => {
  it('a closed tab’s queue for a collector a live tab still sends to: the page of another collector leaves it to that tab, and asks for no lock every heartbeat', async () => {
    const other = await startTestCollector(() => ({ status: 503 }))
    try {
      const endpoint = other.url
      const ctx = await browser.newContext()
      const closing = await ctx.newPage()
      await closing.goto(hostPage('/aside-closing', { writeKey: 'pk_aside', endpoint, crashes: true }))
      await closing.evaluate(() => (window as any).track('Left For The Other'))
      await expect.poll(() => other.batches.length, { timeout: 10_000 }).toBeGreaterThan(0)
      await closing.close()
      // A tab of that collector stays open; the collector asks it to wait an hour, so it is quiet.
      other.setResponder(() => ({ status: 429, headers: { 'Retry-After': '3600' } }))
      const live = await ctx.newPage()
      await live.goto(hostPage('/aside-live', { writeKey: 'pk_aside', endpoint, flushIntervalMs: 200 }))
      await live.evaluate(() => (window as any).track('Tracked Live'))
      // It took in what the closed tab left (ADOPT_AFTER_START_MS), and holds it with its own.
      await live.waitForFunction(() => Object.keys(localStorage).filter((k) => k.startsWith('linger:outbox:pk_aside:')).length === 1, undefined, { timeout: 10_000 })
      const page = await ctx.newPage()
      await page.addInitScript(() => {
        const { locks } = navigator as any
        const request = locks.request.bind(locks)
        ;(window as any).asked = []
        // Only what asks whether a lock is free (a look at another tab's queue), not a tab's own hold.
        locks.request = (name: string, ...rest: any[]) => (rest[0]?.ifAvailable && (window as any).asked.push(name), request(name, ...rest))
      })
      await page.goto(hostPage('/aside-page', { writeKey: 'pk_aside', flushIntervalMs: 200 }))
      // Past its first look at other tabs' queues (2 s after its start), then three heartbeats.
      await page.waitForTimeout(2500 + 30_000)
      const asked = await page.evaluate(() => (window as any).asked)
      // Each look finds the live tab's queue held by it: every heartbeat asked for locks for nothing.
      expect(asked).toEqual([])
      other.setResponder(() => ({ status: 200 }))
      // The hour is over, as the live tab reads it: its wait gone, and a nudge to look now.
      await live.evaluate(() => {
        for (const k of Object.keys(localStorage)) if (k.startsWith('linger:backoff:pk_aside:')) localStorage.removeItem(k)
        window.dispatchEvent(new Event('online'))
      })
      await other.waitFor((events) => events.some((e) => e.event === 'Left For The Other') && events.some((e) => e.event === 'Tracked Live'), 15_000)
      expect(other.delivered().map((e) => e.event).sort()).toEqual(['Left For The Other', 'Tracked Live'])
      await ctx.close()
    } finally {
      await other.close()
    }
  })
})

describe('a page idle beside a live tab of another collector that tracks all along', () => {
  it('the live tab’s writes do not make the page look at the queues in storage again', async () => {
    const other = await startTestCollector(() => ({ status: 429, headers: { 'Retry-After': '3600' } }))
    try {
      const ctx = await browser.newContext()
      // Its collector asks it to wait an hour: its queue stays in storage, written again as it tracks.
      const live = await ctx.newPage()
      await live.goto(hostPage('/beside-live', { writeKey: 'pk_beside', endpoint: other.url, flushIntervalMs: 200 }))
      await live.evaluate(() => (window as any).track('Tracked Live'))
      await live.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('linger:outbox:pk_beside:')), undefined, { timeout: 10_000 })
      const page = await ctx.newPage()
      await page.goto(hostPage('/beside-page', { writeKey: 'pk_beside' }))
      // Past its first look at other tabs' queues (2 s after its start), where it found the live tab's.
      await page.waitForFunction(() => (window as any).lists['linger:outbox:pk_beside:@'] >= 2, undefined, { timeout: 10_000 })
      const before = await page.evaluate(() => (window as any).lists['linger:outbox:pk_beside:@'])
      // Two heartbeats of the live tab tracking, its queue written every second or so.
      for (let i = 0; i < 25; i++) {
        await live.evaluate((n) => (window as any).track('Tracked Live', { n }), i)
        await live.waitForTimeout(1000)
      }
      // Each write was a look 10 s later at every collector's queues in storage, for nothing.
      expect(await page.evaluate(() => (window as any).lists['linger:outbox:pk_beside:@'])).toBe(before)
      await ctx.close()
    } finally {
      await other.close()
    }
  })
})

describe('a collector no page sends to any more', () => {
  it('a vendor who moved collectors: what a closed tab queued for the old one reaches the old one, with its write key, and none of it the new one', async () => {
    const old = await startTestCollector(() => ({ status: 503 }))
    try {
      const ctx = await browser.newContext()
      await closedWithUnsent(ctx, old, 'pk_move', `${old.url}/ingest?tenant=a`, 'Before The Move')
      old.setResponder(() => ({ status: 200 }))
      // Every page of the site now sends to the new collector.
      const page = await ctx.newPage()
      await page.goto(hostPage('/moved', { writeKey: 'pk_move', flushIntervalMs: 200 }))
      await page.evaluate(() => (window as any).track('After The Move'))
      await old.waitFor((events) => events.some((e) => e.event === 'Before The Move'), 15_000)
      await collector.waitFor(() => named('After The Move').length === 1, 10_000)
      expect(named('Before The Move')).toEqual([])
      const took = old.batches.filter((b) => b.status === 200)
      expect(took.flatMap((b) => b.body.batch.map((e) => e.event))).toEqual(['Before The Move'])
      expect(took.map((b) => [b.path, b.body.writeKey, b.headers.authorization])).toEqual([['/ingest/v1/batch?tenant=a', 'pk_move', `Basic ${btoa('pk_move:')}`]])
      // Nothing of it stays in the host's storage.
      await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('linger:outbox:pk_move:')))
      await ctx.close()
    } finally {
      await old.close()
    }
  })

  it('a page whose CSP (connect-src) refuses the old collector: a failure like any other, its queue kept for it, none of it sent to the page’s collector, which the refusals do not hold back', async () => {
    const old = await startTestCollector(() => ({ status: 503 }))
    try {
      const ctx = await browser.newContext()
      await closedWithUnsent(ctx, old, 'pk_csp', old.url, 'Before The Policy')
      old.setResponder(() => ({ status: 200 }))
      const path = '/strict'
      hostPage(path, { writeKey: 'pk_csp', flushIntervalMs: 200 })
      site.pages[path].headers = { 'Content-Security-Policy': `connect-src ${collector.url}` }
      const page = await ctx.newPage()
      const thrown: string[] = []
      page.on('pageerror', (e) => thrown.push(String(e)))
      await page.addInitScript(() => {
        ;(window as any).refused = []
        document.addEventListener('securitypolicyviolation', (e) => (window as any).refused.push(e.blockedURI))
      })
      await page.goto(site.url + path)
      await page.evaluate(() => (window as any).track('Under The Policy'))
      await collector.waitFor(() => named('Under The Policy').length === 1, 10_000)
      // The page tried the collector the queue was tracked for, and the browser refused it.
      await page.waitForFunction((to) => (window as any).refused.some((u: string) => u.startsWith(to)), old.url, { timeout: 15_000 })
      await page.evaluate(() => (window as any).track('Still Under The Policy'))
      await collector.waitFor(() => named('Still Under The Policy').length === 1, 10_000)
      // Kept for that collector (the age rule ends it).
      expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('linger:outbox:pk_csp:')).map((k) => localStorage.getItem(k)!.includes('Before The Policy')))).toEqual([true])
      expect(named('Before The Policy')).toEqual([])
      expect(old.batches.filter((b) => b.status === 200)).toEqual([])
      expect(thrown).toEqual([])
      expect(await page.evaluate(() => (window as any).errors.map((e: { code: string }) => e.code))).toEqual([])
      await ctx.close()
    } finally {
      await old.close()
    }
  })
})

describe('a device clock set right while a page is open', () => {
  it('an event queued on a clock an hour fast, its clock set right before the page was gone: the next page sends it, and the collector places it when it happened', async () => {
    const HOUR = 3_600_000
    let receivedAt = NaN
    collector.setResponder((_, body) => (body.batch.some((e) => e.event === 'Clock Fast') && (receivedAt = Date.now()), { status: 200 }))
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    await page.goto(hostPage('/clock-fast', { writeKey: 'pk_clock', flushIntervalMs: 60_000, crashes: true }))
    const happened = Date.now()
    await page.evaluate((hour) => {
      const real = Date.now
      Date.now = () => real() + hour
      ;(window as any).track('Clock Fast')
      // The network time service puts the clock right a moment later.
      Date.now = real
    }, HOUR)
    // Written a moment later (WRITE_DELAY_MS), on the clock set right; then the page is gone unsent.
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('linger:outbox:pk_clock:')))
    await page.goto(hostPage('/clock-next', { writeKey: 'pk_clock', flushIntervalMs: 200 }))
    await collector.waitFor(() => named('Clock Fast').length === 1, 10_000)
    const batch = collector.batches.find((b) => b.body.batch.some((e) => e.event === 'Clock Fast'))!
    const event = batch.body.batch.find((e) => e.event === 'Clock Fast')!
    // Segment's rule (the reference collector's too): timestamp + receivedAt - sentAt, the event's own sentAt first.
    const placed = Date.parse(event.timestamp) + receivedAt - Date.parse(event.sentAt ?? batch.body.sentAt)
    expect(Math.abs(placed - happened)).toBeLessThan(60_000)
    await ctx.close()
  })
})

describe('a damaged outbox in storage', () => {
  it('a claim with no time, left by a tab that is gone, stalls nothing: every event arrives once, and the page does not spin', async () => {
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    await page.goto(site.url + '/elsewhere')
    // What an extension, another script or a half-written copy can leave under a gone tab's key.
    await page.evaluate(() => {
      const event = (name: string, id: string) => ({ type: 'track', event: name, properties: {}, anonymousId: 'anon', messageId: id, timestamp: new Date().toISOString(), context: {} })
      const items = [{ event: event('Damaged Claim', 'damaged-1'), queuedAt: Date.now() - 60_000, claim: { by: 'gone', until: 'soon' } }, { event: event('Damaged Undated', 'damaged-2') }]
      localStorage.setItem('linger:outbox:pk_unload:gone', JSON.stringify({ alive: 0, items }))
    })
    // Counts the timers the page sets (the platform takes setTimeout as it starts: wrapped before).
    await page.addInitScript(() => {
      const set = window.setTimeout
      ;(window as any).timersSet = 0
      ;(window as any).setTimeout = (fn: () => void, ms?: number) => ((window as any).timersSet++, set(fn, ms))
    })
    await page.goto(hostPage('/damaged', { flushIntervalMs: 200 }))
    await page.evaluate(() => (window as any).track('Damaged Fresh'))
    await collector.waitFor(() => named('Damaged ').length === 3, 10_000)
    // Nothing left to send: a page that kept looking would post again, or spin on timers.
    const before = await page.evaluate(() => (window as any).timersSet)
    await page.waitForTimeout(1000)
    const timers = (await page.evaluate(() => (window as any).timersSet)) - before
    expect(named('Damaged ').map((e) => e.event).sort()).toEqual(['Damaged Claim', 'Damaged Fresh', 'Damaged Undated'])
    expect(timers).toBeLessThan(5)
    expect(await page.evaluate(() => (window as any).errors)).toEqual([])
    await ctx.close()
  })
})

describe('a burst', () => {
  it('a backlog leaves in large batches that arrive byte for byte, with the contract headers', async () => {
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    await page.goto(hostPage('/backlog', { flushIntervalMs: 200 }))
    // Over 16 KB a body is handed to fetch() as a Blob (cheaper for the page): the collector
    // must still get UTF-8 JSON under the same headers.
    await page.evaluate(() => {
      for (let i = 0; i < 120; i++) (window as any).track(`Backlog ${i}`, { note: `ü€😀 ${i} `.repeat(100) })
    })
    await collector.waitFor(() => named('Backlog ').length === 120, 10_000)
    const big = collector.batches.filter((b) => b.body.batch.some((e) => String(e.event).startsWith('Backlog ')) && Buffer.byteLength(JSON.stringify(b.body)) > 16_384)
    expect(big.length).toBeGreaterThan(0)
    for (const b of big) {
      expect(b.headers['content-type']).toBe('application/json')
      expect(b.headers.authorization).toBe(`Basic ${Buffer.from('pk_unload:').toString('base64')}`)
    }
    const backlog = named('Backlog ')
    expect(new Set(backlog.map((e) => e.messageId)).size).toBe(120)
    for (const e of backlog) expect((e.properties as { note: string }).note).toBe(`ü€😀 ${String(e.event).slice(8)} `.repeat(100))
    await ctx.close()
  })

  it('built up offline, a backlog still drains over an uplink too slow for a large body to arrive before the request times out', async () => {
    collector.setResponder(() => 'reset')
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    await page.goto(hostPage('/slow-uplink', { flushIntervalMs: 200 }))
    await page.evaluate(() => {
      for (let i = 0; i < 400; i++) (window as any).track(`Slow ${i}`, { note: 'x'.repeat(1000) })
    })
    await page.waitForTimeout(1000)
    // Back, at 2G speed: a body over 100 KB does not arrive within the page's 10 s timeout.
    collector.setResponder((_, body) => (Buffer.byteLength(JSON.stringify(body)) > 100_000 ? 'hang' : { status: 200 }))
    await collector.waitFor(() => named('Slow ').length === 400, 90_000)
    expect(new Set(named('Slow ').map((e) => e.messageId)).size).toBe(400)
    expect(await page.evaluate(() => (window as any).errors)).toEqual([])
    await ctx.close()
  }, 120_000)

  it('1,000 events a second for 4 s, with 80 ms round trips to the collector: every event arrives, once, none dropped', async () => {
    collector.setResponder(() => ({ status: 200, delayMs: 80 }))
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    await page.goto(hostPage('/burst', {}))
    // 10 events every 10 ms. At 80 ms a round trip, one 50-event request at a time moves 625 a
    // second, so the 1,000-event outbox would overflow within three seconds. Events in flight
    // count towards that bound, so any sender overflows once rate × 2 round trips passes 1,000:
    // at this rate, round trips may stretch to ~500 ms on a loaded machine before it does (at
    // 2,000 a second, 250 ms was too little margin for a shared CI machine).
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          let n = 0
          const step = () => {
            for (let i = 0; i < 10; i++) (window as any).track(`Burst ${n++}`)
            if (n < 4000) setTimeout(step, 10)
            else resolve()
          }
          step()
        }),
    )
    for (const until = Date.now() + 30_000; named('Burst ').length < 4000 && Date.now() < until; ) await page.waitForTimeout(100)
    // A drop (the outbox full) says so first; then every event, once.
    expect(await page.evaluate(() => (window as any).errors)).toEqual([])
    const burst = named('Burst ')
    expect(new Set(burst.map((e) => e.messageId)).size).toBe(4000)
    expect(new Set(burst.map((e) => e.event)).size).toBe(4000)
    await ctx.close()
  })
})

describe('sending from a worker (`sendFromWorker: true`)', () => {
  // The page's own fetch, counted: the platform takes it as it starts, so it is wrapped before.
  const counted = (path: string, options: Record<string, unknown>, headers?: Record<string, string>) => {
    const url = hostPage(path, options)
    site.pages[path] = {
      html: site.pages[path].html.replace('<script src="/delivery.js">', `<script>window.pageBatches = 0; const f = window.fetch; window.fetch = function (u, i) { if (String(u).endsWith('/v1/batch')) window.pageBatches++; return f.call(this, u, i) }</script><script src="/delivery.js">`),
      headers,
    }
    return url
  }
  const burst = (page: import('playwright-core').Page, prefix: string, n: number) =>
    page.evaluate(({ prefix, n }) => {
      for (let i = 0; i < n; i++) (window as any).track(`${prefix}${i}`)
    }, { prefix, n })

  it('batches leave from a worker, not the page: every event arrives once, under the contract headers', async () => {
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    // The same page without the option: its batches are the page's own fetches (the count works).
    await page.goto(counted('/from-page', { flushIntervalMs: 100 }))
    await burst(page, 'By Page ', 150)
    await collector.waitFor(() => named('By Page ').length === 150, 10_000)
    expect(await page.evaluate(() => (window as any).pageBatches)).toBeGreaterThan(0)
    expect(page.workers()).toHaveLength(0)

    await page.goto(counted('/from-worker', { flushIntervalMs: 100, offThread: true }))
    await burst(page, 'By Worker ', 150)
    await collector.waitFor(() => named('By Worker ').length === 150, 10_000)
    expect(await page.evaluate(() => (window as any).pageBatches)).toBe(0)
    expect(page.workers().map((w) => w.url().slice(0, 5))).toEqual(['blob:'])
    expect(new Set(named('By Worker ').map((e) => e.messageId)).size).toBe(150)
    const batch = collector.batches.find((b) => b.body.batch.some((e) => String(e.event).startsWith('By Worker ')))!
    expect(batch.headers['content-type']).toBe('application/json')
    expect(batch.headers.authorization).toBe(`Basic ${Buffer.from('pk_unload:').toString('base64')}`)
    expect(await page.evaluate(() => (window as any).errors)).toEqual([])
    await ctx.close()
  })

  it('a batch the worker still has in flight when the page navigates away arrives at once, by the page’s keepalive', async () => {
    await leaveWithOneInFlight('Worker In Flight', counted('/worker-in-flight', { flushIntervalMs: 100, offThread: true }), async (page) => {
      // The request held open is the worker's: the page's own fetch sent no batch.
      expect(await page.evaluate(() => (window as any).pageBatches)).toBe(0)
    })
  })

  for (const header of ['Content-Security-Policy', 'Content-Security-Policy-Report-Only'])
    it(`under a policy without blob: workers (${header}), every event arrives, and the browser is refused (and reported) once`, async () => {
      const csp = `default-src 'self'; script-src 'self' 'unsafe-inline'; connect-src 'self' ${collector.url}`
      const ctx = await browser.newContext()
      const page = await ctx.newPage()
      const violations: string[] = []
      page.on('console', (m) => void (/Content Security Policy/i.test(m.text()) && violations.push(m.text())))
      const tag = header.endsWith('Only') ? 'ReportOnly' : 'Enforced'
      await page.goto(counted(`/strict-${tag}`, { flushIntervalMs: 100, offThread: true }, { [header]: csp }))
      await burst(page, `${tag} One `, 20)
      await collector.waitFor(() => named(`${tag} One `).length === 20, 10_000)
      await expect.poll(() => violations.length).toBe(1)
      // The next page view in this browser sends from the page at once: no worker, no second report.
      await page.goto(counted(`/strict-${tag}-again`, { flushIntervalMs: 100, offThread: true }, { [header]: csp }))
      await burst(page, `${tag} Two `, 20)
      await collector.waitFor(() => named(`${tag} Two `).length === 20, 10_000)
      expect(await page.evaluate(() => (window as any).pageBatches)).toBeGreaterThan(0)
      expect(page.workers()).toEqual([])
      expect(violations).toHaveLength(1)
      expect(new Set([...named(`${tag} One `), ...named(`${tag} Two `)].map((e) => e.messageId)).size).toBe(40)
      await ctx.close()
    })
})

describe('a collector that stores a batch but refuses some of its events (200 with `rejected`)', () => {
  /** The reference collector's answer to a batch whose 'Spoofed' events have a wrong userHash, in 'refuse' mode. */
  const refusingCollector = () =>
    startTestCollector((_req, { batch }) => {
      const rejected = batch.flatMap((e, index) => (e.event?.startsWith('Spoofed') ? [{ index, messageId: e.messageId, errors: ['context.userHash: does not match userId'] }] : []))
      return { status: 200, body: { ok: true, accepted: batch.length - rejected.length, duplicates: 0, rejected } }
    })

  for (const offThread of [false, true])
    it(`the vendor hears which event was refused and why (${offThread ? 'from a worker' : 'from the page'})`, async () => {
      const refusing = await refusingCollector()
      const ctx = await browser.newContext()
      const page = await ctx.newPage()
      site.pages[`/refused-${offThread}`] = {
        html: `<!doctype html><title>Host</title><script src="/delivery.js"></script>
<script>startDelivery(${JSON.stringify({ endpoint: refusing.url, writeKey: 'pk_refuse', flushIntervalMs: 100, offThread })})</script>`,
      }
      await page.goto(site.url + `/refused-${offThread}`)
      await page.evaluate(() => ((window as any).track('Fine One'), (window as any).track('Spoofed One'), (window as any).track('Fine Two')))
      await expect.poll(() => page.evaluate(() => (window as any).errors.length), { timeout: 5000 }).toBe(1)
      const [error] = await page.evaluate(() => (window as any).errors)
      expect(error).toMatchObject({ code: 'rejected', details: { count: 1, errors: ['context.userHash: does not match userId'] } })
      expect(error.message).toMatch(/track "Spoofed One"\): context\.userHash: does not match userId$/)
      expect(await page.evaluate(() => (window as any).delivery.pending())).toBe(0)
      await ctx.close()
      await refusing.close()
    })
})

describe('a collector that refuses every event of a batch (400 naming each)', () => {
  for (const offThread of [false, true])
    it(`the vendor hears which events and why, and the batch goes once (${offThread ? 'from a worker' : 'from the page'})`, async () => {
      const refusing = await startTestCollector((_req, { batch }) => ({
        status: 400,
        body: { ok: false, accepted: 0, duplicates: 0, rejected: batch.map((e, index) => ({ index, messageId: e.messageId, errors: ['context.userHash: does not match userId'] })) },
      }))
      const ctx = await browser.newContext()
      const page = await ctx.newPage()
      site.pages[`/all-refused-${offThread}`] = {
        html: `<!doctype html><title>Host</title><script src="/delivery.js"></script>
<script>startDelivery(${JSON.stringify({ endpoint: refusing.url, writeKey: 'pk_refuse_all', flushIntervalMs: 100, offThread })})</script>`,
      }
      await page.goto(site.url + `/all-refused-${offThread}`)
      await page.evaluate(() => ((window as any).track('Spoofed One'), (window as any).track('Spoofed Two')))
      await expect.poll(() => page.evaluate(() => (window as any).errors.length), { timeout: 5000 }).toBe(2)
      const errors = await page.evaluate(() => (window as any).errors)
      expect(errors.map((e: { message: string }) => e.message.match(/"(Spoofed \w+)"\): context\.userHash: does not match userId$/)?.[1])).toEqual(['Spoofed One', 'Spoofed Two'])
      expect(await page.evaluate(() => (window as any).delivery.pending())).toBe(0)
      expect(refusing.batches).toHaveLength(1)
      await ctx.close()
      await refusing.close()
    })
})

describe('back online', () => {
  it('what an outage left queued arrives once the browser is back online, not when the wait it left runs out', async () => {
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    await page.goto(hostPage('/back-online', { writeKey: 'pk_online' }))
    await ctx.setOffline(true)
    await page.evaluate(() => (window as any).track('Written Offline'))
    // The page tried, with no network, and now waits before the next try.
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('linger:backoff:pk_online:')))
    // As an outage of some minutes leaves it: the wait (as the page wrote it) ten minutes long.
    await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('linger:backoff:pk_online:'))!
      localStorage.setItem(key, JSON.stringify({ ...JSON.parse(localStorage.getItem(key)!), failures: 8, retryAt: Date.now() + 600_000 }))
    })
    await ctx.setOffline(false)
    await collector.waitFor(() => named('Written Offline').length === 1, 5000)
    expect(await page.evaluate(() => (window as any).delivery.pending())).toBe(0)
    await ctx.close()
  })
})

describe('back/forward cache', () => {
  // Playwright turns the back/forward cache off by default; a user's browser has it on.
  let cached: Browser
  beforeAll(async () => {
    cached = await launchChromium({ ignoreDefaultArgs: ['--disable-back-forward-cache'] })
  })
  afterAll(async () => {
    await cached?.close()
  })

  /** Goes Back to the page, and resolves whether the browser restored it from the cache. */
  async function back(page: import('playwright-core').Page) {
    await page.goBack({ waitUntil: 'commit' })
    await page.waitForFunction(() => document.readyState === 'complete')
    return page.evaluate(() => (window as any).restoredFromCache === true)
  }
  const marking = (path: string, options: Record<string, unknown>) => {
    const url = hostPage(path, options)
    site.pages[path].html += `<script>addEventListener('pageshow', (e) => { window.restoredFromCache = e.persisted })</script>`
    return url
  }

  it('an event waiting for its scheduled send as the user leaves and comes Back arrives once, and what the page tracks after arrives too', async () => {
    // The answer to the batch handed over on the way out comes while the page sits in the cache.
    collector.setResponder(() => ({ status: 200, delayMs: 300 }))
    const ctx = await cached.newContext()
    const page = await ctx.newPage()
    await page.goto(marking('/bfcache-waiting', { flushIntervalMs: 1000 }))
    await page.evaluate(() => (window as any).track('Cached Waiting'))
    await page.goto(site.url + '/elsewhere')
    await collector.waitFor(() => named('Cached Waiting').length === 1, 5000)
    expect(await back(page)).toBe(true)
    await page.evaluate(() => (window as any).track('Cached After'))
    await collector.waitFor(() => named('Cached After').length === 1, 5000)
    // Past the scheduled send the page had when it left, and past the one after the restore.
    await page.waitForTimeout(1500)
    expect(named('Cached Waiting')).toHaveLength(1)
    expect(named('Cached After')).toHaveLength(1)
    expect(await page.evaluate(() => (window as any).delivery.pending())).toBe(0)
    expect(await page.evaluate(() => (window as any).errors)).toEqual([])
    await ctx.close()
  })

  it('a page whose outbox another tab took while it sat in the cache, back and then closed with an event unsent: that tab sends it, not only once it closes itself', async () => {
    collector.setResponder((_, body) => (body.batch.some((e) => e.event === 'Adopted Later') ? { status: 500 } : { status: 200 }))
    const ctx = await cached.newContext()
    const page = await ctx.newPage()
    await page.goto(marking('/bfcache-adopted', { writeKey: 'pk_bf_adopted', flushIntervalMs: 60_000 }))
    await page.evaluate(() => (window as any).track('Adopted Before'))
    await page.goto(site.url + '/elsewhere')
    await collector.waitFor(() => named('Adopted Before').length === 1, 5000)
    // What it left in storage: the event handed over on the way out, claimed (its answer came
    // while the page sat in the cache).
    const left = await page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('linger:outbox:pk_bf_adopted:')))
    expect(left).toBeDefined()
    // Another tab of the site, opened meanwhile, takes it up.
    const open = await ctx.newPage()
    await open.goto(hostPage('/bfcache-open', { writeKey: 'pk_bf_adopted', flushIntervalMs: 200 }))
    await open.waitForFunction((key) => localStorage.getItem(key) === null, left!)
    expect(await back(page)).toBe(true)
    // Back, it tracks while the collector refuses that event, and the user closes it.
    await page.evaluate(() => ((window as any).track('Adopted Later'), (window as any).delivery.flush()))
    expect(collector.batches.some((b) => b.status === 500)).toBe(true)
    collector.setResponder(() => ({ status: 200 }))
    await page.close()
    await collector.waitFor(() => named('Adopted Later').length >= 1, 45_000)
    await ctx.close()
  })

  it('a page that left with events its collector refused, whose outbox another tab took while it sat in the cache: Back, it does not send them again (nor report them lost): that tab delivers each, once', async () => {
    collector.setResponder(() => ({ status: 503 }))
    const ctx = await cached.newContext()
    const page = await ctx.newPage()
    await page.goto(marking('/bfcache-taken', { writeKey: 'pk_bf_taken', flushIntervalMs: 200 }))
    await page.evaluate(() => ['Taken 1', 'Taken 2', 'Taken 3'].forEach((e) => (window as any).track(e)))
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('linger:outbox:pk_bf_taken:') && localStorage.getItem(k)!.includes('Taken 3')))
    const left = await page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('linger:outbox:pk_bf_taken:')))
    await page.goto(site.url + '/elsewhere')
    // Another tab of the site, opened meanwhile, takes the page's outbox up.
    const open = await ctx.newPage()
    await open.goto(hostPage('/bfcache-taken-open', { writeKey: 'pk_bf_taken', flushIntervalMs: 200 }))
    await open.waitForFunction((key) => localStorage.getItem(key) === null, left!)
    collector.setResponder(() => ({ status: 200 }))
    expect(await back(page)).toBe(true)
    await collector.waitFor(() => new Set(named('Taken').map((e) => e.event)).size === 3, 60_000)
    // Past the page's own scheduled send after the restore (200 ms), and the tab's.
    await page.waitForTimeout(1500)
    expect(named('Taken').map((e) => e.event).sort()).toEqual(['Taken 1', 'Taken 2', 'Taken 3'])
    expect(await page.evaluate(() => (window as any).delivery.pending())).toBe(0)
    await ctx.close()
  })

  it('a page that left with events its collector refused, while the site cleared localStorage on the next page (a sign-out): Back, it sends each of them, not drops them unreported', async () => {
    collector.setResponder(() => ({ status: 503 }))
    const ctx = await cached.newContext()
    const page = await ctx.newPage()
    await page.goto(marking('/bfcache-cleared', { writeKey: 'pk_bf_cleared', flushIntervalMs: 200 }))
    await page.evaluate(() => ['Cleared 1', 'Cleared 2', 'Cleared 3'].forEach((e) => (window as any).track(e)))
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('linger:outbox:pk_bf_cleared:') && localStorage.getItem(k)!.includes('Cleared 3')))
    await page.goto(site.url + '/elsewhere')
    // The next page signs the user out and wipes the site's storage, Linger's queue with it.
    await page.evaluate(() => localStorage.clear())
    collector.setResponder(() => ({ status: 200 }))
    expect(await back(page)).toBe(true)
    await collector.waitFor(() => new Set(named('Cleared').map((e) => e.event)).size === 3, 30_000)
    expect(await page.evaluate(() => (window as any).errors)).toEqual([])
    await ctx.close()
  })

  it('a page sending what a closed tab left for a collector that is down: the user leaves to another page of the site and comes Back, and the page is restored, not loaded again', async () => {
    const old = await startTestCollector(() => ({ status: 503 }))
    try {
      const ctx = await cached.newContext()
      await closedWithUnsent(ctx, old, 'pk_bf_old', old.url, 'For The Old One')
      old.setResponder(() => ({ status: 503 }))
      const page = await ctx.newPage()
      await page.goto(marking('/bfcache-old', { writeKey: 'pk_bf_old', flushIntervalMs: 200 }))
      // This page took the closed tab's queue up and is trying the old collector with it.
      const tried = old.batches.length
      await expect.poll(() => old.batches.length, { timeout: 15_000 }).toBeGreaterThan(tried)
      const its = await page.evaluate((to) => Object.keys(localStorage).filter((k) => k.startsWith('linger:outbox:pk_bf_old:') && k.includes(to)), encodeURIComponent(old.url))
      expect(its).toHaveLength(1)
      // The next page of the site looks at what this one left, and takes it up.
      await page.goto(hostPage('/bfcache-next', { writeKey: 'pk_bf_old', flushIntervalMs: 200 }))
      await page.waitForFunction((key) => localStorage.getItem(key) === null, its[0], { timeout: 15_000 })
      expect(await back(page)).toBe(true)
      await ctx.close()
    } finally {
      await old.close()
    }
  })

  it('a batch still unanswered as the user leaves and comes Back arrives, and leaves the queue', async () => {
    let held = 0
    collector.setResponder((_, body) => (body.batch.some((e) => e.event === 'Cached In Flight') && held++ === 0 ? { status: 200, delayMs: 1500 } : { status: 200 }))
    const ctx = await cached.newContext()
    const page = await ctx.newPage()
    await page.goto(marking('/bfcache-in-flight', { flushIntervalMs: 100 }))
    await page.evaluate(() => (window as any).track('Cached In Flight'))
    await expect.poll(() => held, { timeout: 5000 }).toBe(1)
    await page.goto(site.url + '/elsewhere')
    // The answer to the request the page left unanswered comes once it is back.
    expect(await back(page)).toBe(true)
    await collector.waitFor(() => named('Cached In Flight').length >= 1, 5000)
    await page.waitForTimeout(2000)
    // The request the page left unanswered, and its keepalive copy (the page could not know it
    // would live on), carry one messageId: the collector keeps one.
    expect(new Set(named('Cached In Flight').map((e) => e.messageId)).size).toBe(1)
    expect(collector.stored().filter((e) => e.event === 'Cached In Flight')).toHaveLength(1)
    expect(await page.evaluate(() => (window as any).delivery.pending())).toBe(0)
    expect(await page.evaluate(() => (window as any).errors)).toEqual([])
    await ctx.close()
  })

  describe('Back to a page left with a request unanswered', () => {
    /**
     * The collector holds the page's first request carrying `event` open without an answer (a
     * stalled uplink, a slow collector): `open` says whether it still is, `carried` what it
     * holds. Every other request it answers at once, the keepalive copy the page sends as it goes
     * included.
     */
    function holdFirst(event: string) {
      const held = { open: false, carried: [] as string[] }
      collector.setResponder((req, body) => {
        if (!body.batch.some((e) => e.event === event) || held.carried.length) return { status: 200 }
        held.open = true
        held.carried = body.batch.map((e) => e.messageId)
        req.socket.on('close', () => (held.open = false))
        return 'hang'
      })
      return held
    }

    it('an event tracked right after Back arrives while the request the page left behind is still open, not once the page gives up on it, and what that request carried arrives once', async () => {
      const held = holdFirst('Left In Flight')
      const ctx = await cached.newContext()
      const page = await ctx.newPage()
      await page.goto(marking('/left-in-flight', { writeKey: 'pk_bfcache', flushIntervalMs: 200 }))
      await page.evaluate(() => (window as any).track('Left In Flight'))
      await expect.poll(() => held.open, { timeout: 5000 }).toBe(true)
      await page.goto(site.url + '/elsewhere')
      // Its keepalive copy, sent as the page went.
      await collector.waitFor(() => named('Left In Flight').length === 1, 5000)
      expect(await back(page)).toBe(true)
      await page.evaluate(() => (window as any).track('Right After Back'))
      await collector.waitFor(() => named('Right After Back').length === 1, 15_000)
      expect(held.open).toBe(true)
      // Once the page gave up on the request it left behind (its timeout), nothing goes again.
      await expect.poll(() => held.open, { timeout: 15_000 }).toBe(false)
      await page.waitForTimeout(1000)
      expect(named('Left In Flight')).toHaveLength(1)
      expect(named('Right After Back')).toHaveLength(1)
      expect(await page.evaluate(() => (window as any).delivery.pending())).toBe(0)
      expect(await page.evaluate(() => (window as any).errors)).toEqual([])
      await ctx.close()
    })

    it('a backlog larger than keepalive takes, still unanswered as the user leaves: Back, what the page tracks arrives at once, and none of the backlog is sent again while its request may still land', async () => {
      const held = holdFirst('Left Backlog')
      const ctx = await cached.newContext()
      const page = await ctx.newPage()
      await page.goto(marking('/backlog-in-flight', { writeKey: 'pk_bf_backlog', flushIntervalMs: 200 }))
      // Tracked in one go: it leaves as one request of about 250 KB.
      await page.evaluate(() => {
        for (let i = 0; i < 200; i++) (window as any).track('Left Backlog', { note: 'x'.repeat(1000) })
      })
      await expect.poll(() => held.open, { timeout: 5000 }).toBe(true)
      expect(held.carried).toHaveLength(200)
      await page.goto(site.url + '/elsewhere')
      // What keepalive took as the page went: far from all of it (its quota is 64 KiB).
      await collector.waitFor(() => named('Left Backlog').length > 0, 5000)
      await page.waitForTimeout(500)
      const handedOver = named('Left Backlog').length
      expect(handedOver).toBeLessThan(200)
      expect(await back(page)).toBe(true)
      await page.evaluate(() => (window as any).track('Tracked Past The Backlog'))
      await collector.waitFor(() => named('Tracked Past The Backlog').length === 1, 15_000)
      expect(held.open).toBe(true)
      expect(named('Left Backlog')).toHaveLength(handedOver)
      // Once the page gave up on that request, the rest goes, each event once.
      await collector.waitFor(() => named('Left Backlog').length >= 200, 30_000)
      await page.waitForTimeout(1000)
      expect(new Set(named('Left Backlog').map((e) => e.messageId)).size).toBe(200)
      expect(named('Left Backlog')).toHaveLength(200)
      expect(await page.evaluate(() => (window as any).delivery.pending())).toBe(0)
      await ctx.close()
    })
  })
})

describe('a host whose localStorage is full as the user leaves, while the collector asks to wait', () => {
  it('what storage could not take leaves with the page, what it holds waits for the next page: every event once, none dropped', async () => {
    // The first batch is told to wait two minutes; what the page sends as it leaves is taken.
    let first = true
    collector.setResponder((_, body) =>
      body.batch.some((e) => String(e.event).startsWith('Full Quota')) && first ? ((first = false), { status: 429, headers: { 'Retry-After': '120' } }) : { status: 200 },
    )
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    await page.goto(hostPage('/full-quota', { writeKey: 'pk_full', flushIntervalMs: 100 }))
    await page.evaluate(() => [1, 2, 3].forEach((n) => (window as any).track(`Full Quota ${n}`)))
    await expect.poll(() => collector.batches.some((b) => b.status === 429), { timeout: 10_000 }).toBe(true)
    // Stored, and no longer claimed by the refused request (a claim is stored as its `until`).
    const outbox = () => Object.keys(localStorage).filter((k) => k.startsWith('linger:outbox:pk_full:')).map((k) => localStorage.getItem(k)!).join('')
    await page.waitForFunction(`(${outbox})().includes('Full Quota 3') && !(${outbox})().includes('"until"')`)
    // The host's drafts fill the origin's quota to the last character.
    await page.evaluate(() => {
      let n = 0
      for (let size = 1 << 20; size >= 1; size >>= 1) {
        for (;;) {
          try {
            localStorage.setItem(`host:draft:${n++}`, 'x'.repeat(size))
          } catch {
            break
          }
        }
      }
    })
    // Two more, and the user follows a link at once: the write at pagehide is the one refused.
    await page.evaluate(() => [4, 5].forEach((n) => (window as any).track(`Full Quota ${n}`)))
    await page.goto(site.url + '/elsewhere')
    const stored = await page.evaluate(`[1, 2, 3, 4, 5].map((n) => 'Full Quota ' + n).filter((name) => (${outbox})().includes('"' + name + '"'))`)
    await expect.poll(() => named('Full Quota').length, { timeout: 10_000 }).toBeGreaterThan(0)
    // Given a moment: a second copy of any of them would have come by now.
    await page.waitForTimeout(500)
    const sent = named('Full Quota').map((e) => e.event)
    expect([...sent, ...(stored as string[])].sort()).toEqual(['Full Quota 1', 'Full Quota 2', 'Full Quota 3', 'Full Quota 4', 'Full Quota 5'])
    await ctx.close()
  })
})
