import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// The app calls linger.show() for its banner as the page loads, before init (the script-tag front
// holds the call), and starts Linger only once the user accepts cookies: init runs in that click.
// The held show() was made in no event: the consent click it is replayed in asked for nothing.
// Sits beside asked-focus.browser.test.ts (packages/widgets/src/announcements/); build first.
const suite = useBrowserSuite({ pageErrors: 'each' })

const velocity = { id: 'velocity', format: 'banner', title: 'Velocity reports are here', body: 'See how fast your team closes tasks.', action: { label: 'Open reports', url: '#reports' }, audience: { trait: 'plan', eq: 'never' } }
const banner = (page: Page) => page.locator('[data-linger] section.banner')
const focused = (page: Page) =>
  page.evaluate(() => {
    let el = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    return el?.id || el?.getAttribute('aria-label') || el?.textContent?.trim() || el?.tagName
  })
async function tabTo(page: Page, name: string) {
  const passed: unknown[] = []
  for (let i = 0; i < 10 && (await focused(page)) !== name; i++) await page.keyboard.press('Tab'), passed.push(await focused(page))
  return passed
}

describe('a banner the app showed as the long page loaded, Linger started by the user\'s "Accept cookies"', () => {
  it('dismissed by keyboard at the bottom of the page leaves them there, not sent back up to the consent button', async () => {
    const flows = { version: 1, settings: { cooldownDays: 0 }, announcements: [velocity] }
    const body = `<header><h1>Acme Projects</h1><p>We use cookies to remember your settings.</p><button id="accept">Accept cookies</button></header>
      <main><a id="reports" href="#reports">Reports</a><div style="height:3000px"></div></main><footer><a id="terms" href="#terms">Terms</a></footer>`
    const script = `linger('show', 'velocity'); addEventListener('DOMContentLoaded', function () { document.getElementById('accept').addEventListener('click', function () { ${suite.initScript({ flows })} linger('identify', 'consent-then-init', {}) }) })`
    const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' })
    const { page } = await suite.open('/consent-then-init', suite.hostPage({ body, script }), context)
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.locator('#accept').focus()
    await page.keyboard.press('Enter')
    await banner(page).waitFor()
    expect(await tabTo(page, 'Dismiss')).toEqual(['reports', 'terms', 'Open reports', 'Dismiss'])
    const y = await page.evaluate(() => scrollY)
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).count()).toBe(0)
    expect({ focus: await focused(page), scrolledUpBy: y - (await page.evaluate(() => scrollY)) }).toEqual({ focus: 'terms', scrolledUpBy: 0 })
    await context.close()
  })
})
