import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { focusTrappedSettings, HEADING, NAME, SAVE } from './settings-box.fixture'

const suite = useBrowserSuite({ pageErrors: 'each' })
const sent = (user: string, event: string) => suite.collector.delivered().filter((e) => e.userId === user && e.event === event)
const NPS = { id: 'nps', kind: 'nps', question: 'How likely are you to recommend Mailbox?' }

async function open(user: string, body: string, flows: unknown, then: string, before = '') {
  const script = `${before}${suite.initScript({ flows })} linger('identify', '${user}'); linger.on('ready', () => { ${then} });`
  const { page } = await suite.open(`/app/${user}`, suite.hostPage({ body, script }))
  return page
}

// Boxes marked aria-modal that are no open modal: the vendor's survey is drawn, seen and counted.
describe('a page with a box marked aria-modal that is not an open modal', () => {
  it('an app shell marked aria-modal (the whole app in it, no trap): the corner survey is on screen and counted shown', async () => {
    const shell = '<div id="shell" role="dialog" aria-modal="true" style="position:fixed;inset:0;background:#fff"><main><h1>Inbox</h1><input id="search" aria-label="Search"></main></div>'
    const page = await open('u-shell', shell, { version: 1, settings: { cooldownDays: 0 }, surveys: [NPS] }, 'document.getElementById("search").focus(); linger.show("nps")')
    const card = page.locator('linger-survey [role="dialog"]')
    await expect.poll(async () => ({ visible: await card.isVisible(), shown: sent('u-shell', 'Survey Shown').length })).toEqual({ visible: true, shown: 1 })
    // The user is still typing in the app's search: the card took no focus from it.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search')
  })

  it('an app shell marked aria-modal: a survey the user triggers (a report exported) comes on its own, not held as if a modal were open', async () => {
    const shell = '<div id="shell" role="dialog" aria-modal="true" style="position:fixed;inset:0;background:#fff"><main><h1>Reports</h1></main></div>'
    const survey = { ...NPS, trigger: { event: 'Report Exported' } }
    const page = await open('u-shell-trigger', shell, { version: 1, settings: { cooldownDays: 0 }, surveys: [survey] }, 'linger.track("Report Exported")')
    const card = page.locator('linger-survey [role="dialog"]')
    await expect.poll(async () => ({ visible: await card.isVisible(), shown: sent('u-shell-trigger', 'Survey Shown').length }), { timeout: 20_000 }).toEqual({ visible: true, shown: 1 })
  })

  it('a closed nav drawer left marked aria-modal off screen: the centred survey is drawn and counted shown', async () => {
    const drawer =
      '<nav id="drawer" role="dialog" aria-modal="true" style="position:fixed;top:0;left:0;width:280px;height:100%;transform:translateX(-100%)"><a href="#inbox">Inbox</a></nav><main><h1>Inbox</h1></main>'
    const page = await open('u-drawer', drawer, { version: 1, settings: { cooldownDays: 0 }, surveys: [{ ...NPS, placement: 'center' }] }, 'linger.show("nps")')
    const dialog = page.locator('linger-survey-modal [role="dialog"]')
    await expect.poll(async () => ({ drawn: await dialog.count(), shown: sent('u-drawer', 'Survey Shown').length })).toEqual({ drawn: 1, shown: 1 })
    await dialog.getByRole('radio', { name: '9' }).click()
    await dialog.getByRole('button', { name: 'Send' }).click()
    await suite.collector.waitFor(() => sent('u-drawer', 'Survey Answered').length === 1)
    expect(sent('u-drawer', 'Survey Shown')).toHaveLength(1)
  })
})

// The app re-renders its focus-trapped Settings box's contents (an htmx swap, Alpine x-html,
// replaceChildren) while a tour's tip is in the box: the tip stays on screen and takes clicks.
const SETTINGS = focusTrappedSettings([HEADING, NAME, SAVE])
const at = (page: Page, box: { x: number; y: number; width: number; height: number }) =>
  page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.id || document.elementFromPoint(x, y)?.tagName, [box.x + box.width / 2, box.y + box.height / 2])

describe("a tour through the app's focus-trapped Settings box", () => {
  it('the app re-renders the box: the tip is still on screen in it, and its Done takes a click', async () => {
    const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'settings-tour', steps: [{ id: 'name', target: '#name', title: 'Your name', body: 'This is how teammates see you.' }] }] }
    const page = await open('u-rerender', '<main id="app"><h1>Inbox</h1></main>', flows, 'openSettings(); linger.show("settings-tour")', SETTINGS)
    const tip = page.locator('linger-tours [role="dialog"]')
    await expect.poll(() => tip.textContent()).toContain('Your name')
    await page.evaluate(() => {
      const box = document.getElementById('settings')!
      box.replaceChildren(...['h2', '#name', '#save'].map((s) => box.querySelector(s)!))
    })
    await expect.poll(() => tip.isVisible()).toBe(true)
    expect(await page.locator('#settings > linger-tours').count()).toBe(1)
    await expect.poll(async () => at(page, (await tip.boundingBox())!)).toBe('LINGER-TOURS')
    await tip.getByRole('button', { name: 'Done' }).click()
    await suite.collector.waitFor(() => sent('u-rerender', 'Tour Completed').length === 1)
  })
})
