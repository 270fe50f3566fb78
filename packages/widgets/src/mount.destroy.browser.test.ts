import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { beforeAll, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../test/harness'
import { exampleFlows } from '../../sdk/src/experiences/checklist/example.fixture'

// The npm form, as README's sample has it: `createLinger` then `mountWidgets(linger)`, the unmount
// it returns not kept. Bundled from the sources for the page (the script-tag runtime has no destroy).
const suite = useBrowserSuite({ pageErrors: 'each' })
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
const ENTRY = `
import { createLinger } from ${JSON.stringify(here('../../sdk/src/index.ts'))}
import { mountWidgets } from ${JSON.stringify(here('./index.ts'))}
const linger = createLinger(window.lingerOptions)
mountWidgets(linger)
linger.identify('u_42')
linger.track('Signed In') // as the checklist suite's host page does
window.linger = linger`

const files: Record<string, string> = {}
beforeAll(async () => {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { alias: { '@linger/sdk': here('../../sdk/src/index.ts') } },
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    plugins: [{ name: 'entry', resolveId: (id) => (id === 'entry' ? id : null), load: (id) => (id === 'entry' ? ENTRY : null) }],
    build: { write: false, minify: false, rollupOptions: { input: 'entry', output: { format: 'es', entryFileNames: 'app.js' } } },
  } as Parameters<typeof build>[0])
  for (const o of (Array.isArray(out) ? out : [out]) as Array<{ output: Array<{ fileName: string; code?: string; source?: string | Uint8Array }> }>)
    for (const f of o.output) files[f.fileName] = f.code ?? String(f.source)
})

async function openApp(path: string) {
  for (const [name, body] of Object.entries(files)) suite.site.files[`/${name}`] = { body, type: 'text/javascript' }
  const options = { key: 'pk_test', endpoint: suite.collector.url, flushIntervalMs: 200, flows: { version: 1, ...exampleFlows } }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme</title>
<script>window.lingerOptions = ${JSON.stringify(options)}</script><script type="module" src="/app.js"></script></head>
<body><main><h1>Acme</h1></main></body></html>`
  return (await suite.open(path, { html })).page
}

describe('linger.destroy() with the widgets mounted as README shows (the unmount not kept)', () => {
  it('takes the checklist off the screen (nothing left to click, to dismiss or to tick, for a stopped Linger), and show() opens nothing', async () => {
    const page = await openApp('/destroy')
    const launcher = page.getByRole('button', { name: /tasks done/ })
    await launcher.waitFor()
    await page.evaluate(() => (window as any).linger.destroy())
    // Gone, as the component that held Linger is.
    await expect.poll(() => launcher.count()).toBe(0)
    expect(await page.evaluate(() => document.querySelectorAll('[data-linger]').length)).toBe(0)
    // The app asks for the list again: a stopped Linger opens nothing.
    expect(await page.evaluate(() => (window as any).linger.show('getting-started'))).toBe(false)
  })
})
