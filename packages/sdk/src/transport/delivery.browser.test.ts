import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { launchBrowser } from '../../../../test/browser'
import { startTestCollector } from '../../../../test/collector'
import { startStaticServer } from '../../../../test/static-server'

// Delivery alone, bundled for the page, on the real browser platform: what only Chromium can
// tell us is how keepalive, its 64 KiB quota, CORS preflights and sendBeacon behave on unload.
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
const ENTRY = `
import { createDelivery } from ${JSON.stringify(here('./delivery.ts'))}
import { browserPlatform } from ${JSON.stringify(here('../platform-browser.ts'))}
import { envelope } from ${JSON.stringify(here('../events.ts'))}
window.startDelivery = (opts) => {
  const platform = browserPlatform()
  const delivery = createDelivery({ platform, onError: (e) => window.errors.push(e), ...opts })
  platform.onHide(() => delivery.flushOnHide())
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

describe('leaving the page', () => {
  it('an event tracked right before navigating away arrives by keepalive fetch, with the contract headers', async () => {
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    await page.goto(hostPage('/leave', { flushIntervalMs: 60_000 }))
    await page.evaluate(() => {
      ;(window as any).track('Leave Now', { where: 'pricing' })
      location.href = '/elsewhere'
    })
    await collector.waitFor(() => named('Leave Now').length === 1, 10_000)
    const batch = collector.batches.find((b) => b.body.batch.some((e) => e.event === 'Leave Now'))!
    // A cross-origin keepalive with Authorization needs a preflight, and Chromium makes it.
    expect(batch.headers['content-type']).toBe('application/json')
    expect(batch.headers.authorization).toBe(`Basic ${Buffer.from('pk_unload:').toString('base64')}`)
    expect(batch.body.writeKey).toBe('pk_unload')
    await ctx.close()
  })

  it.only('a queue far over the 64 KiB keepalive quota: what leaves on unload arrives, the rest on the next visit, each event once', async () => {
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    const url = hostPage('/big', { flushIntervalMs: 60_000, batchSize: 500 })
    await page.goto(url)
    await page.evaluate(() => {
      for (let i = 0; i < 60; i++) (window as any).track(`Big ${i}`, { note: 'ü'.repeat(2000) })
    })
    expect(await page.evaluate(() => (window as any).delivery.pending())).toBe(60)
    await page.goto(site.url + '/elsewhere')
    await collector.waitFor(() => named('Big ').length > 0, 10_000)
    const onUnload = named('Big ').length
    await page.goto(url)
    console.log('DEBUG', await page.evaluate(() => { const s = JSON.parse(localStorage.getItem('linger:outbox:pk_unload')!); return JSON.stringify({ now: Date.now(), failures: s.failures, retryAt: s.retryAt, items: s.items.map((i: any) => [i.event.event, i.claim]) }) }))
    await page.evaluate(() => (window as any).delivery.flush())
    await page.waitForTimeout(32_000)
    console.log('DEBUG2', await page.evaluate(() => JSON.stringify({ now: Date.now(), pending: (window as any).delivery.pending(), errors: (window as any).errors, box: localStorage.getItem('linger:outbox:pk_unload')?.slice(0, 300) })))
    console.log('DEBUG3', JSON.stringify(collector.batches.map((b) => [b.status, b.headers['content-type'], b.body.batch.length, b.body.batch[0].event])))
    const delivered = named('Big ').map((e) => e.event)
    expect(delivered.length).toBeGreaterThan(0)
    await collector.waitFor(() => named('Big ').length >= 60, 40_000)
    const all = named('Big ').map((e) => e.messageId)
    expect(new Set(all).size).toBe(60)
    expect(onUnload).toBeGreaterThan(0)
    for (const b of collector.batches.filter((x) => x.body.batch.some((e) => String(e.event).startsWith('Big ')))) {
      if (b.headers['content-type'] === 'application/json') continue
      expect(b.headers['content-type']).toMatch(/^text\/plain/)
    }
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
