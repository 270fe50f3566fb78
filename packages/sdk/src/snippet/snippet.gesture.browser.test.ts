import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A user's click that reaches the snippet's stub (linger.js not here yet), in a real page with a
// real (trusted) click: replayed later, it is still the user's.
const suite = useBrowserSuite()

const flows = {
  version: 1,
  settings: { cooldownDays: 2 },
  tours: [{ id: 'welcome-tour', trigger: { event: 'Tour Requested' }, steps: [{ id: 'hello', title: 'Your dashboard', body: 'Everything starts here.' }] }],
  surveys: [{ id: 'pulse', kind: 'csat', question: 'How is it going?', trigger: { event: 'Project Created' } }],
}
const body = `<main><h1>Dashboard</h1><button id="take-tour" type="button">Take the tour</button></main>`
const script = () => `${suite.initScript({ flows })}
  document.addEventListener('DOMContentLoaded', () => document.getElementById('take-tour').addEventListener('click', () => linger.track('Tour Requested')));`
const visible = (page: Page, tag: string, text: string) => page.locator(tag).getByText(text).isVisible()

describe('a "Take the tour" click made before linger.js has loaded', () => {
  it('brings the tour the user asked for, though the cooldown after a survey runs, and its tip takes focus', async () => {
    const context = await suite.browser.newContext()
    try {
      // Yesterday's visit, as it were: the survey the app showed on its own, closed; the cooldown runs.
      const { page: first } = await suite.open('/tour-earlier', suite.hostPage({ body, script: script() }), context)
      await first.waitForFunction(() => (window as any).linger?.loaded === true)
      await first.evaluate(() => (window as any).linger.track('Project Created'))
      await expect.poll(() => visible(first, 'linger-survey', 'How is it going?')).toBe(true)
      await first.locator('linger-survey').getByRole('button', { name: 'Close survey' }).click()
      await expect.poll(() => first.locator('linger-survey').getByText('How is it going?').count()).toBe(0)
      // The tour the app starts on its own (no click) now waits out the cooldown.
      await first.evaluate(() => (window as any).linger.track('Tour Requested'))
      await expect.poll(() => first.evaluate(() => (window as any).linger.why('welcome-tour').reasons.join())).toContain('cooldown')
      await first.close()

      // The next page: linger.js held back (a slow network) until after the user clicked.
      let release!: () => void
      const held = new Promise<void>((r) => (release = r))
      await context.route('**/linger/linger.js', async (route) => (await held, route.continue()))
      suite.site.pages['/tour-asked'] = await suite.hostPage({ body, script: script() })
      const page = await context.newPage()
      page.on('pageerror', (e) => suite.pageErrors.push(String(e)))
      await page.goto(suite.site.url + '/tour-asked', { waitUntil: 'domcontentloaded' })
      await page.click('#take-tour')
      // The click reached the snippet's stub: its queue.
      expect(await page.evaluate(() => [(window as any).linger.loaded, (window as any).linger.q.length])).toEqual([undefined, 2])
      release()
      // Not shown, why() says what keeps it off.
      const shown = async () => (await visible(page, 'linger-tours', 'Your dashboard')) || page.evaluate(() => (window as any).linger.why('welcome-tour').reasons.join())
      await expect.poll(shown, { timeout: 10_000 }).toBe(true)
      // Asked for, its tip takes focus from the button (one the app started would leave it there).
      await expect.poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('role'))).toBe('dialog')
      expect(suite.pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  })
})
