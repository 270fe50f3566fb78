import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A host app built of web components (Shoelace, Ionic, Lit): its search box and buttons live in
// shadow roots of their own. Closed by keyboard, a Linger surface gives focus back to them, as to
// any control of the page: they are the page, not another Linger surface.
const suite = useBrowserSuite({ pageErrors: 'each' })

/** Where focus is, through the page's shadow roots: `acme-search > Search`. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement
    const path: string[] = []
    while (el) path.push(el.getAttribute('aria-label') || el.id || el.localName), (el = el.shadowRoot?.activeElement ?? null)
    return path.join(' > ')
  })

const define = (page: Page, name: string, html: string) =>
  page.evaluate(([name, html]) => customElements.define(name, class extends HTMLElement {
    constructor() {
      super()
      this.attachShadow({ mode: 'open' }).innerHTML = html
    }
  }), [name, html])

describe('a page built of web components', () => {
  it("a banner dismissed by keyboard from the page's own search box (in its shadow root) gives focus back to that box, where the user was, without scrolling the page", async () => {
    const flows = {
      settings: { cooldownDays: 0 },
      announcements: [{ id: 'bulk-export', format: 'banner', title: 'Export many invoices at once', body: 'Pick invoices, press Export.', action: { label: 'Try it', url: '/invoices' } }],
    }
    const body = '<nav><a id="home" href="#home">Home</a></nav><main style="height:3000px"><h1>Invoices</h1></main><footer><acme-search></acme-search></footer>'
    const { page } = await suite.open('/wc-banner', suite.hostPage({ body, script: `${suite.initScript({ flows })} linger('identify', 'wc-1'); linger.on('ready', () => (window.lingerReady = true));` }))
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await define(page, 'acme-search', '<input id="q" aria-label="Search">')
    await page.locator('[data-linger] section.banner').waitFor()
    await page.focus('#home')
    await page.locator('acme-search input').focus()
    await page.keyboard.type('inv')
    for (let i = 0; i < 4 && !(await focused(page)).endsWith('Dismiss'); i++) await page.keyboard.press('Tab')
    expect(await focused(page)).toMatch(/Dismiss$/)
    const scrolled = await page.evaluate(() => scrollY)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('[data-linger] section.banner').count()).toBe(0)
    expect(await focused(page)).toBe('acme-search > Search')
    expect(await page.evaluate(() => scrollY)).toBe(scrolled)
  })

  it('"View badges" pressed by keyboard from the page\'s own Export button (in its shadow root), then Escape on the shelf: back on Export', async () => {
    const flows = {
      version: 1,
      settings: { cooldownDays: 0 },
      badges: [{ id: 'reporter', title: 'Report pro', points: 30, rule: { event: 'Report Exported', count: { gte: 10 } } }],
      levels: [{ name: 'Newcomer', points: 0 }],
    }
    const body = '<nav><a id="home" href="#home">Home</a></nav><main style="height:3000px"></main><footer><acme-export></acme-export></footer>'
    const { page } = await suite.open('/wc-toast', suite.hostPage({ body, script: `${suite.initScript({ flows })} linger.on('ready', () => (window.lingerReady = true));` }))
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await define(page, 'acme-export', '<button id="x" aria-label="Export">Export</button>')
    await page.focus('#home')
    await page.locator('acme-export button').focus()
    await page.evaluate(() => { for (let i = 0; i < 10; i++) (window as any).linger.track('Report Exported') })
    await page.getByRole('button', { name: 'View badges' }).waitFor()
    for (let i = 0; i < 5 && !(await focused(page)).endsWith('button'); i++) await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.getByRole('dialog', { name: 'Your badges' }).waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByRole('dialog', { name: 'Your badges' }).count()).toBe(0)
    expect(await focused(page)).toBe('acme-export > Export')
  })
})
