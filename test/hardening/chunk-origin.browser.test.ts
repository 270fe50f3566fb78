import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../harness'

// Linger's code comes from where the vendor put the runtime, and from nowhere the page's markup
// can point it to: a `<base href>` (an app's own, or one injected into markup) changes how the
// page resolves relative URLs, never where Linger's chunks load from.
// Build first: LINGER_CDN_DIR=/tmp/cdn-hard node scripts/build.mjs
const suite = useBrowserSuite()

const flows = {
  version: 1,
  surveys: [{ id: 'nps', kind: 'nps', question: 'How likely are you to recommend us?', trigger: { event: 'Asked' } }],
  checklists: [{ id: 'start', title: 'Get started', tasks: [{ id: 'a', title: 'Build it', doneWhen: { event: 'Built' } }] }],
}

describe('where Linger loads its code from', () => {
  it('a page that sets <base href> to another origin: every chunk (engine, validation, widgets, a language) still comes from the runtime\'s folder', async () => {
    const context = await suite.browser.newContext({ locale: 'de-DE' })
    const page = await context.newPage()
    const scripts: string[] = []
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()))
    page.on('pageerror', (e) => suite.pageErrors.push(String(e)))
    // The base goes in after the snippet, as an app's router or injected markup would put it.
    const script = `document.head.append(Object.assign(document.createElement('base'), { href: 'http://localhost:9/elsewhere/' }));
      ${suite.initScript({ flows, locale: 'auto' })} linger.on('ready', () => linger.track('Asked'));`
    suite.site.pages['/based'] = await suite.hostPage({ script })
    await page.goto(`${suite.site.url}/based`)
    await page.locator('linger-survey [role="radiogroup"]').first().waitFor({ timeout: 10_000 })
    await page.locator('linger-checklist').first().waitFor({ state: 'attached', timeout: 10_000 })
    expect(await page.evaluate(() => document.baseURI)).toBe('http://localhost:9/elsewhere/')
    // The runtime, the start chunk, the engine, validation, the mount, each widget and German.
    expect(scripts.length).toBeGreaterThan(6)
    expect(scripts.filter((u) => !u.startsWith(`${suite.site.url}/linger/`))).toEqual([])
    expect(scripts.some((u) => /\/chunks\/de-/.test(u))).toBe(true)
    expect(suite.pageErrors).toEqual([])
    await context.close()
  })
})
