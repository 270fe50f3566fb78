import { fileURLToPath } from 'node:url'
import type { BrowserSuite } from './harness'
import { build } from 'vite'

const source = (p: string) => fileURLToPath(new URL(`../packages/${p}`, import.meta.url))

/** The npm packages' entry points in this checkout, quoted for an entry module's imports. */
export const packages = { sdk: JSON.stringify(source('sdk/src/index.ts')), widgets: JSON.stringify(source('widgets/src/index.ts')) }

/**
 * The npm form as a vendor's bundler makes it: `entry` (a module importing `packages`) built by
 * vite from the sources, unminified; its entry is `app.js`. File name to code, for a test site.
 */
export async function bundleApp(entry: string): Promise<Record<string, string>> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { alias: { '@linger/sdk': source('sdk/src/index.ts') } },
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    plugins: [{ name: 'entry', resolveId: (id) => (id === 'entry' ? id : null), load: (id) => (id === 'entry' ? entry : null) }],
    build: { write: false, minify: false, rollupOptions: { input: 'entry', output: { format: 'es', entryFileNames: 'app.js' } } },
  } as Parameters<typeof build>[0])
  const files: Record<string, string> = {}
  for (const o of (Array.isArray(out) ? out : [out]) as Array<{ output: Array<{ fileName: string; code?: string; source?: string | Uint8Array }> }>)
    for (const f of o.output) files[f.fileName] = f.code ?? String(f.source)
  return files
}

/**
 * A page of the vendor's app: `files` (bundleApp's) served, the page loading `app.js` after
 * `head` (scripts of its own), `options` as `window.lingerOptions` for the entry to read.
 */
export async function openBundledApp(suite: BrowserSuite, files: Record<string, string>, path: string, options: Record<string, unknown>, { head = '', body = '<main><h1>Acme</h1></main>' } = {}) {
  for (const [name, code] of Object.entries(files)) suite.site.files[`/${name}`] = { body: code, type: 'text/javascript' }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme</title>
${head}<script>window.lingerOptions = ${JSON.stringify(options)}</script><script type="module" src="/app.js"></script></head>
<body>${body}</body></html>`
  return suite.open(path, { html })
}
