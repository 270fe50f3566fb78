import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useBrowserSuite } from '../../../../test/harness'
import { scrollSettled } from '../../../../test/scroll'

const suite = useBrowserSuite({ pageErrors: 'all' })


describe('a tour step on a link of the page’s sticky navigation bar', () => {
  for (const reducedMotion of ['reduce', 'no-preference'] as const)
    it(`asked for far down a long page (${reducedMotion} motion): the bar is already in sight, the page stays where the user was reading`, async () => {
      const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'nav', trigger: { event: 'Go' }, steps: [{ id: 'reports', target: '#t', title: 'Your reports live here' }] }] }
      const body =
        '<div style="height:200px">Acme</div><nav style="position:sticky;top:0;height:50px;background:#eee"><a id="t" href="#/reports">Reports</a> <button id="start">Take the tour</button></nav><div style="height:5000px"></div>'
      const script = `${suite.initScript({ flows })} addEventListener('DOMContentLoaded', function () { document.getElementById('start').addEventListener('click', function () { linger.track('Go') }); linger.on('ready', function () { window.__ready = true }) })`
      const context = await suite.browser.newContext({ reducedMotion, viewport: { width: 1000, height: 700 } })
      const { page } = await suite.open(`/sticky-${reducedMotion}`, suite.hostPage({ body, script }), context)
      await page.waitForFunction(() => (window as any).__ready)
      await page.evaluate(() => scrollTo(0, 3000))
      await page.evaluate(() => document.getElementById('start')!.focus({ preventScroll: true }))
      await page.keyboard.press('Enter')
      // The tour is the user's: its tip takes focus (and, for a target out of sight, scrolls to it).
      await expect.poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('role')), { timeout: 10_000 }).toBe('dialog')
      await scrollSettled(page)
      expect(await page.evaluate(() => scrollY)).toBe(3000)
      const target = await page.locator('#t').evaluate((el) => el.getBoundingClientRect().toJSON())
      expect(target.top).toBeGreaterThanOrEqual(0)
    })
})
