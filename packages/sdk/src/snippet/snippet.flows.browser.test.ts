import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useBrowserSuite } from '../../../../test/harness'

// The flows document is asked for by the snippet as the page calls init, not by the runtime once
// it has loaded. Build first: LINGER_CDN_DIR=… node scripts/build.mjs
const suite = useBrowserSuite()

const flows = {
  version: 1,
  tours: [{ id: 'welcome', trigger: { event: 'Signed Up' }, steps: [{ id: 'a', title: 'Hi', body: 'Welcome.' }] }],
}

/** What the page asked for and got, in order, as a vendor's network panel lists it. */
function watch(page: Page) {
  const log: string[] = []
  const name = (url: string) => (url.endsWith('/flows.json') ? 'flows' : /\/linger\/(?:chunks\/)?([a-z-]+?)(?:-[\w-]{6})?\.js$/.exec(url)?.[1])
  page.on('request', (r) => name(r.url()) && log.push(`${name(r.url())} asked`))
  page.on('requestfinished', (r) => name(r.url()) && log.push(`${name(r.url())} came`))
  page.on('requestfailed', (r) => name(r.url()) && log.push(`${name(r.url())} failed`))
  return log
}

const ready = (page: Page) => page.evaluate(() => new Promise((r) => (window as any).linger('on', 'ready', r)))

describe('the flows document, asked for by the snippet', () => {
  it('a page whose runtime is slow to come has its flows document on its way meanwhile: asked for once, and run', async () => {
    suite.site.files['/flows.json'] = { body: JSON.stringify(flows) }
    suite.site.setRuntimeDelay(600)
    try {
      const context = await suite.browser.newContext()
      const page = await context.newPage()
      page.on('pageerror', (e) => suite.pageErrors.push(String(e)))
      const log = watch(page)
      suite.site.pages['/slow-runtime'] = await suite.hostPage({ script: suite.initScript({ flows: '/flows.json' }) })
      await page.goto(suite.site.url + '/slow-runtime')
      await ready(page)
      // Before, the runtime asked for it once it had come and started: a round trip after.
      expect(log.indexOf('flows asked'), log.join(', ')).toBeGreaterThan(-1)
      expect(log.indexOf('flows asked'), log.join(', ')).toBeLessThan(log.indexOf('linger came'))
      expect(log.filter((x) => x === 'flows asked'), log.join(', ')).toHaveLength(1)
      // And the runtime runs what it holds.
      expect(await page.evaluate(() => (window as any).linger.why('welcome').reasons)).not.toEqual(['unknown-experience'])
      await context.close()
    } finally {
      suite.site.setRuntimeDelay(0)
    }
    expect(suite.pageErrors).toEqual([])
  })

  it('asks for nothing the runtime would refuse, and a document that cannot come throws nothing into a page whose runtime never came', async () => {
    const context = await suite.browser.newContext()
    const page = await context.newPage()
    page.on('pageerror', (e) => suite.pageErrors.push(String(e)))
    const asked: string[] = []
    page.on('request', (r) => asked.push(r.url()))
    // No runtime (an ad blocker's 404), and a flows URL no server answers.
    await page.route('**/linger/linger.js', (r) => r.fulfill({ status: 404, body: '' }))
    suite.site.pages['/no-runtime'] = await suite.hostPage({ script: suite.initScript({ flows: 'http://127.0.0.1:9/flows.json' }) })
    const failed = page.waitForEvent('requestfailed', (r) => r.url().endsWith('/flows.json'))
    await page.goto(suite.site.url + '/no-runtime')
    await failed
    // A turn for an unhandled rejection to be reported.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)))
    expect(suite.pageErrors).toEqual([])

    // URLs the runtime refuses as the flows document (a script; a tab, which browsers strip from
    // a URL, so this one reads as /flows.json): the snippet does not fetch them either.
    await page.unroute('**/linger/linger.js')
    for (const refused of ['javascript:alert(1)//.json', `${suite.site.url}/fl\tows.json`]) {
      asked.length = 0
      suite.site.pages['/refused-flows'] = await suite.hostPage({ script: suite.initScript({ flows: refused }) })
      await page.goto(suite.site.url + '/refused-flows')
      await ready(page)
      expect(asked.filter((u) => u.includes('alert') || u.endsWith('.json')), refused).toEqual([])
    }
    await context.close()
    expect(suite.pageErrors).toEqual([])
  })
})
