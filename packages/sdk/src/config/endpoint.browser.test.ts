import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { launchBrowser } from '../../../../test/browser'
import { CDN_DIR, hostPage } from '../../../../test/static-server'

// A vendor's own app server, which also takes Linger's batches at /v1/batch (README: `endpoint`
// defaults to "the page's own origin, POST /v1/batch"): one origin, a real HTTP server, real Chromium.
let browser: Browser
let server: Server
let origin = ''
const pages: Record<string, string> = {}
const batches: Array<{ path: string; events: string[] }> = []
const pageErrors: string[] = []

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (req.method === 'POST') {
      let body = ''
      for await (const chunk of req) body += chunk
      try {
        batches.push({ path: url.pathname, events: JSON.parse(body).batch.map((e: { event?: string; type: string }) => e.event ?? e.type) })
      } catch {
        batches.push({ path: url.pathname, events: [] })
      }
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}')
    }
    if (pages[url.pathname]) return void res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(pages[url.pathname])
    if (url.pathname.startsWith('/linger/')) {
      try {
        const body = await readFile(join(CDN_DIR, normalize(url.pathname.slice('/linger/'.length)).replace(/^(\.\.[/\\])+/, '')))
        // As a CDN serves it: a sandboxed frame (origin "null") loads the module script too.
        const type = extname(url.pathname) === '.js' ? 'text/javascript' : 'application/octet-stream'
        return void res.writeHead(200, { 'Content-Type': type, 'Access-Control-Allow-Origin': '*' }).end(body)
      } catch {
        /* a 404 below */
      }
    }
    res.writeHead(404).end('not found')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())))
  expect(pageErrors).toEqual([])
})

async function visit(path: string, init: string, event: string) {
  pages[path] = (await hostPage({ script: `linger('init', ${init}); linger.track('${event}');` })).html
  const context = await browser.newContext()
  const page = await context.newPage()
  page.on('pageerror', (e) => pageErrors.push(String(e)))
  await page.goto(origin + path)
  await expect.poll(() => batches.filter((b) => b.events.includes(event)), { timeout: 15_000, message: `no batch with ${event} reached ${origin}` }).not.toEqual([])
  await context.close()
  return batches.filter((b) => b.events.includes(event))
}

describe('a vendor who names no collector', () => {
  it('gets their events at their own origin, POST /v1/batch, with the landing page view', async () => {
    const got = await visit('/app', `{ key: 'pk_own', flushIntervalMs: 200 }`, 'Report Exported')
    expect(got).toEqual([{ path: '/v1/batch', events: ['page', 'Report Exported'] }])
  })

  it('who mistyped it (no scheme) still gets them there, not nowhere', async () => {
    const got = await visit('/typo', `{ key: 'pk_own', endpoint: 'collect.example.com', flushIntervalMs: 200 }`, 'Invoice Sent')
    expect(got).toEqual([{ path: '/v1/batch', events: ['page', 'Invoice Sent'] }])
  })
})

const attr = (html: string) => html.replace(/&/g, '&amp;').replace(/"/g, '&quot;')

describe('a vendor whose app runs Linger inside a frame', () => {
  it('an srcdoc frame (URL about:srcdoc, its parent\'s origin) sends to that origin, not nowhere', async () => {
    const inner = (await hostPage({ script: `linger('init', { key: 'pk_own', flushIntervalMs: 200 }); linger.track('Frame Opened');` })).html
    pages['/framed'] = `<!doctype html><title>Parent</title><iframe srcdoc="${attr(inner)}"></iframe>`
    const context = await browser.newContext()
    const page = await context.newPage()
    page.on('pageerror', (e) => pageErrors.push(String(e)))
    await page.goto(origin + '/framed')
    await expect.poll(() => batches.filter((b) => b.events.includes('Frame Opened')), { timeout: 15_000, message: `no batch from the frame reached ${origin}` }).toEqual([
      { path: '/v1/batch', events: ['page', 'Frame Opened'] },
    ])
    await context.close()
  })

  it('a sandboxed frame (no allow-same-origin, its requests CORS-blocked) with a mistyped endpoint is told nothing is sent, not "this page\'s origin"', async () => {
    pages['/sandboxed-inner'] = (await hostPage({ script: `linger('init', { key: 'pk_own', endpoint: 'collect.example.com', flushIntervalMs: 200 }); linger.track('Sandbox Opened');` })).html
    pages['/sandboxed'] = `<!doctype html><title>Parent</title><iframe sandbox="allow-scripts" src="/sandboxed-inner"></iframe>`
    const context = await browser.newContext()
    const page = await context.newPage()
    const warnings: string[] = []
    page.on('console', (m) => m.type() === 'warning' && m.text().includes('endpoint') && warnings.push(m.text()))
    page.on('pageerror', (e) => pageErrors.push(String(e)))
    await page.goto(origin + '/sandboxed')
    await expect.poll(() => warnings, { timeout: 15_000 }).toEqual([
      `[linger] endpoint: must be an absolute http(s) URL or '', got "collect.example.com"; nothing is sent: this page has no http(s) origin`,
    ])
    await context.close()
  })
})
