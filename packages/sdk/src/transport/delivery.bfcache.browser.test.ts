import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { launchChromium } from '../../../../scripts/chromium.mjs'
import { startTestCollector } from '../../../../test/collector'
import { startStaticServer } from '../../../../test/static-server'

// The back/forward cache, on the real browser platform: a page the user leaves with a request
// unanswered, restored by Back. Only Chromium tells what becomes of that request meanwhile.
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
const ENTRY = `
import { createDelivery } from ${JSON.stringify(here('./delivery.ts'))}
import * as sending from ${JSON.stringify(here('./sender.ts'))}
import { browserPlatform } from ${JSON.stringify(here('../platform-browser.ts'))}
import { envelope } from ${JSON.stringify(here('../events.ts'))}
window.startDelivery = (opts) => {
  const platform = browserPlatform()
  const delivery = createDelivery({ platform, sender: async () => sending, elapsed: platform.elapsed, onError: (e) => window.errors.push(e), ...opts })
  platform.onPageHide(() => delivery.flushOnHide(true))
  platform.onHide(() => delivery.flushOnHide())
  window.errors = []
  window.track = (name, note) => delivery.enqueue(envelope(platform, { anonymousId: 'anon' }, { type: 'track', event: name, properties: { note } }))
  window.delivery = delivery
  addEventListener('pageshow', (e) => { window.restoredFromCache = e.persisted })
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

// Playwright turns the back/forward cache off by default; a user's browser has it on.
let cached: Browser
let collector: Awaited<ReturnType<typeof startTestCollector>>
let site: Awaited<ReturnType<typeof startStaticServer>>

beforeAll(async () => {
  const code = await bundle()
  ;[cached, collector, site] = await Promise.all([launchChromium({ ignoreDefaultArgs: ['--disable-back-forward-cache'] }), startTestCollector(), startStaticServer()])
  site.files['/delivery.js'] = { body: code, type: 'text/javascript' }
  site.pages['/elsewhere'] = { html: '<!doctype html><title>Elsewhere</title>' }
})
beforeEach(() => collector.setResponder(() => ({ status: 200 })))
afterAll(async () => {
  await cached?.close()
  await collector?.close()
  await site?.close()
})

function hostPage(path: string, options: Record<string, unknown>) {
  site.pages[path] = {
    html: `<!doctype html><title>Host</title><script src="/delivery.js"></script>
<script>startDelivery(${JSON.stringify({ endpoint: collector.url, writeKey: 'pk_bfcache', ...options })})</script>`,
  }
  return site.url + path
}

const named = (name: string) => collector.delivered().filter((e) => e.event === name)

/** Goes Back to the page, and resolves whether the browser restored it from the cache. */
async function back(page: Page) {
  await page.goBack({ waitUntil: 'commit' })
  await page.waitForFunction(() => document.readyState === 'complete')
  return page.evaluate(() => (window as any).restoredFromCache === true)
}

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
    await page.goto(hostPage('/left-in-flight', { flushIntervalMs: 200 }))
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
    const held = holdFirst('Backlog')
    const ctx = await cached.newContext()
    const page = await ctx.newPage()
    await page.goto(hostPage('/backlog-in-flight', { writeKey: 'pk_bf_backlog', flushIntervalMs: 200 }))
    // Tracked in one go: it leaves as one request of about 250 KB.
    await page.evaluate(() => {
      for (let i = 0; i < 200; i++) (window as any).track('Backlog', 'x'.repeat(1000))
    })
    await expect.poll(() => held.open, { timeout: 5000 }).toBe(true)
    expect(held.carried).toHaveLength(200)
    await page.goto(site.url + '/elsewhere')
    // What keepalive took as the page went: far from all of it (its quota is 64 KiB).
    await collector.waitFor(() => named('Backlog').length > 0, 5000)
    await page.waitForTimeout(500)
    const handedOver = named('Backlog').length
    expect(handedOver).toBeLessThan(200)
    expect(await back(page)).toBe(true)
    await page.evaluate(() => (window as any).track('Tracked Past The Backlog'))
    await collector.waitFor(() => named('Tracked Past The Backlog').length === 1, 15_000)
    expect(held.open).toBe(true)
    expect(named('Backlog')).toHaveLength(handedOver)
    // Once the page gave up on that request, the rest goes, each event once.
    await collector.waitFor(() => named('Backlog').length >= 200, 30_000)
    await page.waitForTimeout(1000)
    expect(new Set(named('Backlog').map((e) => e.messageId)).size).toBe(200)
    expect(named('Backlog')).toHaveLength(200)
    expect(await page.evaluate(() => (window as any).delivery.pending())).toBe(0)
    await ctx.close()
  })
})
