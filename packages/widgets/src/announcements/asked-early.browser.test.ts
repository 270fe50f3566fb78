import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// The app's "What's new" pressed while linger.js is still on its way (a slow network): the
// snippet's stub queues the show() with the key press it was made in, and the runtime replays it
// once in. In real Chromium (build first, see feed-rtl).
const suite = useBrowserSuite({ pageErrors: 'each' })

const velocity = { id: 'velocity', format: 'banner', title: 'Velocity reports are here', body: 'See how fast your team closes tasks.', action: { label: 'Open reports', url: '#reports' }, audience: { trait: 'plan', eq: 'never' } }
const flows = { version: 1, settings: { cooldownDays: 0 }, announcements: [velocity] }
const body = `<header><h1>Acme Projects</h1><button id="whats-new" onclick="linger('show', 'velocity')">What's new</button></header>
  <main><a id="reports" href="#reports">Reports</a></main><footer><a id="terms" href="#terms">Terms</a></footer>`

/** What has focus, through shadow roots: a page element's id, or a Linger control's name. */
const focused = (page: import('playwright-core').Page) =>
  page.evaluate(() => {
    let el = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    return el?.id || el?.getAttribute('aria-label') || el?.textContent?.trim() || el?.tagName
  })

describe('a keyboard user who presses the app\'s "What\'s new" before linger.js has loaded', () => {
  it('gets the banner once it is in, Tabs the long way round to its Dismiss, presses Enter, and is back on "What\'s new", not on the footer link they passed', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' })
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    await context.route('**/linger/linger.js', async (route) => (await held, route.continue()))
    suite.site.pages['/early-whats-new'] = await suite.hostPage({ body, script: suite.initScript({ flows }) })
    const page = await context.newPage()
    page.on('pageerror', (e) => suite.pageErrors.push(String(e)))
    await page.goto(suite.site.url + '/early-whats-new', { waitUntil: 'domcontentloaded' })
    await page.locator('#whats-new').focus()
    await page.keyboard.press('Enter')
    // The press reached the snippet's stub: its queue (init, then show).
    expect(await page.evaluate(() => [(window as any).linger.loaded, (window as any).linger.q.length])).toEqual([undefined, 2])
    release()
    const banner = page.locator('[data-linger] section.banner')
    await banner.waitFor()
    const passed: unknown[] = []
    while (passed.length < 10 && (await focused(page)) !== 'Dismiss') await page.keyboard.press('Tab'), passed.push(await focused(page))
    expect(passed).toEqual(['reports', 'terms', 'Open reports', 'Dismiss'])
    await page.keyboard.press('Enter')
    await expect.poll(() => banner.count()).toBe(0)
    expect(await focused(page)).toBe('whats-new')
    await context.close()
  })

  it('gets the "what\'s new" feed once it is in, closes it with Escape, and is back on "What\'s new", not on the feed\'s launcher in the far corner', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' })
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    await context.route('**/linger/linger.js', async (route) => (await held, route.continue()))
    const feed = { version: 1, settings: { cooldownDays: 0 }, announcements: [{ id: 'velocity', format: 'feed', title: 'Velocity reports are here', publishedAt: '2026-02-20' }] }
    suite.site.pages['/early-feed'] = await suite.hostPage({ body, script: suite.initScript({ flows: feed }) })
    const page = await context.newPage()
    page.on('pageerror', (e) => suite.pageErrors.push(String(e)))
    await page.goto(suite.site.url + '/early-feed', { waitUntil: 'domcontentloaded' })
    await page.locator('#whats-new').focus()
    await page.keyboard.press('Enter')
    release()
    const panel = page.locator('linger-announcements-feed #la-panel')
    await expect.poll(() => panel.isVisible()).toBe(true)
    await expect.poll(() => page.evaluate(() => document.querySelector('linger-announcements-feed')?.shadowRoot?.activeElement?.tagName)).toBe('H2')
    await page.keyboard.press('Escape')
    await expect.poll(() => panel.isHidden()).toBe(true)
    expect(await focused(page)).toBe('whats-new')
    await context.close()
  })
})
