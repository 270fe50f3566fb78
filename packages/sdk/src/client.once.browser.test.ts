import { beforeAll, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../test/harness'
import { bundleApp, packages } from '../../../test/npm-bundle'

// The npm form in a real page: an app whose module runs twice (vite's hot reload without a
// dispose, a component mounted twice), bundled from the sources as an app's bundler would.
const suite = useBrowserSuite({ pageErrors: 'each' })
const ENTRY = `
import { createLinger } from ${packages.sdk}
window.createLinger = createLinger`

const files: Record<string, string> = {}
beforeAll(async () => void Object.assign(files, await bundleApp(ENTRY)))

async function openApp(path: string) {
  for (const [name, body] of Object.entries(files)) suite.site.files[`/${name}`] = { body, type: 'text/javascript' }
  const options = { key: 'pk_once', endpoint: suite.collector.url, flushIntervalMs: 60_000, flows: { version: 1 } }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme</title>
<script>window.lingerOptions = ${JSON.stringify(options)}</script><script type="module" src="/app.js"></script></head>
<body><main><h1>Acme</h1><button data-linger-feature="export">Export</button></main></body></html>`
  const { page } = await suite.open(path, { html })
  await page.waitForFunction(() => typeof (window as any).createLinger === 'function')
  return page
}

const on = (path: string) => suite.collector.stored().filter((e) => e.context.page.path.startsWith(path))
const named = (path: string) => on(path).map((e) => `${e.type}:${e.event ?? e.context.page.path}`)

describe('createLinger twice on one page, for one key and endpoint', () => {
  it('every page view, click and event reaches the collector once', async () => {
    const page = await openApp('/twice')
    await page.evaluate(() => {
      const w = window as any
      w.first = w.createLinger(w.lingerOptions)
      w.second = w.createLinger(w.lingerOptions)
    })
    await page.getByRole('button', { name: 'Export' }).click()
    await page.evaluate(async () => {
      const w = window as any
      w.second.track('Report Exported')
      history.pushState(null, '', '/twice/next')
      await new Promise((r) => setTimeout(r, 50))
      await Promise.all([w.first.flush(), w.second.flush()])
    })
    expect(named('/twice')).toEqual(['page:/twice', 'track:Feature Used', 'track:Report Exported', 'page:/twice/next'])
  })

  it('after destroy() (vite’s dispose), the next createLinger runs: its own page view, once, and its events', async () => {
    const page = await openApp('/hmr')
    await page.evaluate(async () => {
      const w = window as any
      w.first = w.createLinger(w.lingerOptions)
      await w.first.flush()
      w.first.destroy()
      w.second = w.createLinger(w.lingerOptions)
      w.second.track('Report Exported')
      await w.second.flush()
    })
    expect(named('/hmr')).toEqual(['page:/hmr', 'page:/hmr', 'track:Report Exported'])
  })
})
