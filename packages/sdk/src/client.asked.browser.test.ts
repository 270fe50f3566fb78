import { describe, expect, it } from 'vitest'
import type { Route } from 'playwright-core'
import { useBrowserSuite } from '../../../test/harness'

// A "Take the tour" button pressed while Linger is still starting (its flows not yet in): the
// event is held, and replayed once the flows came, when the user's key press is long over.
const suite = useBrowserSuite({ pageErrors: 'all' })

describe('a "Take the tour" button pressed as the page loads', () => {
  it('starts the tour as the user\'s own, once Linger is in: its tip takes focus, as it does when pressed later', async () => {
    const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'export', trigger: { event: 'Go' }, steps: [{ id: 'a', target: '#t', title: 'Export from here', body: 'Your reports as CSV.' }] }] }
    const body = '<button id="start">Take the tour</button><button id="t">Export</button>'
    const flowsUrl = 'https://flows.example.test/flows.json'
    const script = `${suite.initScript({ flows: flowsUrl })} addEventListener('DOMContentLoaded', function () { document.getElementById('start').addEventListener('click', function () { linger.track('Go') }) })`
    const context = await suite.browser.newContext()
    // The flows are held until the user pressed the button: Linger runs, its experiences do not yet.
    let asked!: (route: Route) => void
    const flowsAsked = new Promise<Route>((r) => (asked = r))
    await context.route(flowsUrl, (route) => asked(route))
    const { page } = await suite.open('/asked-early', suite.hostPage({ body, script }), context)
    const route = await flowsAsked
    await page.locator('#start').focus()
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => (window as any).linger.why('export').reasons)).toEqual(['loading'])
    await route.fulfill({ status: 200, headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' }, body: JSON.stringify(flows) })
    await page.locator('[role=dialog][data-placement]').waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('role')), { timeout: 5_000 }).toBe('dialog')
    await context.close()
  })
})
