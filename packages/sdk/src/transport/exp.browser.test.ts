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


describe('exp', () => {
  for (const [n, size] of [[1, 10], [5, 2000], [14, 2000], [30, 500]] as const) {
    it(`unload with ${n} x ${size}`, async () => {
      const ctx = await browser.newContext()
      const page = await ctx.newPage()
      const opts: string[] = []
      collector.setResponder((req) => ({ status: 200 }))
      await page.goto(hostPage('/exp' + n, { flushIntervalMs: 60_000, batchSize: 500 }))
      await page.evaluate(([n, size]) => {
        for (let i = 0; i < n; i++) (window as any).track(`Exp${n}x${size} ${i}`, { note: 'ü'.repeat(size) })
        location.href = '/elsewhere'
      }, [n, size])
      await page.waitForTimeout(3000)
      const got = collector.batches.filter((b) => b.body.batch.some((e: any) => String(e.event).startsWith(`Exp${n}x${size} `)))
      console.log('EXP', n, size, JSON.stringify(got.map((b) => [b.headers['content-type'], b.body.batch.length, Buffer.byteLength(JSON.stringify(b.body))])))
      await ctx.close()
    })
  }
})
