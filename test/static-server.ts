import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { join, normalize, extname, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
// LINGER_CDN_DIR lets engineers build and test side by side without sharing one dist/.
export const CDN_DIR = process.env.LINGER_CDN_DIR ?? join(ROOT, 'dist', 'cdn')

const TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.css': 'text/css',
}

export interface Page { html: string; headers?: Record<string, string> }

/**
 * Serves the built runtime at /linger/* (as a vendor hosts it) and test pages from memory, on
 * 127.0.0.1. `pages` may be changed between navigations; `files` serves extra bodies (flows.json).
 */
export async function startStaticServer(pages: Record<string, Page> = {}, files: Record<string, { body: string; status?: number; type?: string; delayMs?: number }> = {}) {
  let runtimeDelayMs = 0
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const page = pages[url.pathname]
    if (page) {
      res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Cache-Control': 'no-store', ...page.headers })
      return void res.end(page.html)
    }
    const file = files[url.pathname]
    if (file) {
      if (file.delayMs) await new Promise((r) => setTimeout(r, file.delayMs))
      res.writeHead(file.status ?? 200, { 'Content-Type': file.type ?? 'application/json' })
      return void res.end(file.body)
    }
    if (url.pathname.startsWith('/linger/')) {
      const rel = normalize(url.pathname.slice('/linger/'.length)).replace(/^(\.\.[/\\])+/, '')
      try {
        const body = await readFile(join(CDN_DIR, rel))
        if (runtimeDelayMs) await new Promise((r) => setTimeout(r, runtimeDelayMs))
        res.writeHead(200, { 'Content-Type': TYPES[extname(rel)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' })
        return void res.end(body)
      } catch {
        /* fall through to 404 */
      }
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    pages,
    files,
    /** Holds the runtime back, so a test can make calls before it loads. */
    setRuntimeDelay(ms: number) { runtimeDelayMs = ms },
    close: () => new Promise<void>((r) => { server.closeAllConnections?.(); server.close(() => r()) }),
  }
}

/** The snippet exactly as `npm run build` writes it for vendors. */
export async function readSnippet(): Promise<string> {
  return readFile(join(CDN_DIR, 'snippet.html'), 'utf8')
}

/** A host page: the vendor's snippet, then the vendor's own script. */
export async function hostPage(opts: { body?: string; script?: string; head?: string; csp?: string; nonce?: string }): Promise<Page> {
  let snippet = await readSnippet()
  if (opts.nonce) snippet = snippet.replace('<script>', `<script nonce="${opts.nonce}">`)
  const n = opts.nonce ? ` nonce="${opts.nonce}"` : ''
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>${opts.head ?? ''}${snippet}<script${n}>${opts.script ?? ''}</script></head><body>${opts.body ?? ''}</body></html>`
  return { html, headers: opts.csp ? { 'Content-Security-Policy': opts.csp } : {} }
}
