import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useBrowserSuite } from '../../../../test/harness'
import { scrollSettled } from '../../../../test/scroll'

// Where the page is when a step is asked for: scrolled only as far as its target needs.
const suite = useBrowserSuite({ pageErrors: 'all' })

describe('a tour asked for whose target is already in sight', () => {
  for (const reducedMotion of ['reduce', 'no-preference'] as const)
    it(`(${reducedMotion} motion): the page stays where the user was reading, the tip is beside the target on screen`, async () => {
      const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'seen', trigger: { event: 'Go' }, steps: [{ id: 'a', target: '#t', title: 'Export from here', body: 'Your reports as CSV.' }] }] }
      // The target sits low in the 700 px view, whole: centring it moved the page 260 px.
      const body = '<button id="start">Take the tour</button><div style="height:520px"></div><button id="t" style="height:40px">Export</button><div style="height:4000px"></div>'
      const script = `${suite.initScript({ flows })} addEventListener('DOMContentLoaded', function () { document.getElementById('start').addEventListener('click', function () { linger.track('Go') }); linger.on('ready', function () { window.__ready = true }) })`
      const context = await suite.browser.newContext({ reducedMotion, viewport: { width: 1000, height: 700 } })
      const { page } = await suite.open(`/in-sight-${reducedMotion}`, suite.hostPage({ body, script }), context)
      await page.waitForFunction(() => (window as any).__ready)
      const before = await page.locator('#t').evaluate((el) => el.getBoundingClientRect().toJSON())
      expect(before.bottom).toBeLessThanOrEqual(700)
      await page.locator('#start').focus()
      await page.keyboard.press('Enter')
      // The tour is the user's: its tip takes focus, which is when a target out of sight is scrolled to.
      await expect.poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('role')), { timeout: 10_000 }).toBe('dialog')
      await page.locator('[role=dialog][data-placement]').waitFor()
      await scrollSettled(page)
      expect(await page.evaluate(() => scrollY)).toBe(0)
      const tip = await page.locator('[role=dialog]').evaluate((el) => el.getBoundingClientRect().toJSON())
      expect(tip.top).toBeGreaterThanOrEqual(0)
      expect(tip.bottom).toBeLessThanOrEqual(700)
    })
})

describe('a tour closed far down the page from where it was asked for', () => {
  for (const [how, close] of [
    ['its × clicked', (page: Page) => page.getByRole('button', { name: 'Close tour' }).click()],
    ['Done clicked', (page: Page) => page.getByRole('button', { name: 'Done' }).click()],
    ['Escape pressed', (page: Page) => page.keyboard.press('Escape')],
  ] as const)
    it(`(${how}): the page stays by the target the user was reading about; focus is back on the button that started it, not the page thrown back up to it`, async () => {
      const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'far', trigger: { event: 'Go' }, steps: [{ id: 'a', target: '#t', title: 'Far down' }] }] }
      const body = '<button id="start">Take the tour</button><div style="height:2000px"></div><button id="t">Target</button><div style="height:3000px"></div>'
      const script = `${suite.initScript({ flows })} addEventListener('DOMContentLoaded', function () { document.getElementById('start').addEventListener('click', function () { linger.track('Go') }); linger.on('ready', function () { window.__ready = true }) })`
      const context = await suite.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1000, height: 700 } })
      const { page } = await suite.open(`/far-${how.split(' ')[0]}`, suite.hostPage({ body, script }), context)
      await page.waitForFunction(() => (window as any).__ready)
      await page.locator('#start').click()
      await page.locator('[role=dialog][data-placement]').waitFor()
      await scrollSettled(page)
      const reading = await page.evaluate(() => scrollY)
      expect(reading).toBeGreaterThan(1000)
      await close(page)
      await page.locator('[role=dialog]').waitFor({ state: 'detached' })
      await scrollSettled(page)
      expect(await page.evaluate(() => [scrollY, document.activeElement?.id])).toEqual([reading, 'start'])
    })
})
