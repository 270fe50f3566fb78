import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { CORNER_SAVE, focusTrappedSettings, HEADING, NAME } from './settings-box.fixture'

// A SaaS app whose Settings box is kept by the real focus-trap package: Escape closes it (the app
// then takes it out of the page).
const SETTINGS = focusTrappedSettings([HEADING, NAME, CORNER_SAVE])

const suite = useBrowserSuite({ pageErrors: 'each' })

async function settingsOpen(user: string, flows: unknown, then: string) {
  const script = `${SETTINGS}${suite.initScript({ flows })} linger('identify', '${user}'); linger.on('ready', () => { openSettings(); ${then} });`
  const { page } = await suite.open(`/inbox/${user}`, suite.hostPage({ body: '<main id="app"><h1>Inbox</h1></main>', script }))
  await page.locator('#settings').waitFor()
  return page
}
const sent = (user: string, event: string) => suite.collector.delivered().filter((e) => e.userId === user && e.event === event)
/** What the user sees (and would click) at the middle of `box`: the page's element, or Linger's. */
const at = (page: Page, box: { x: number; y: number; width: number; height: number }) =>
  page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.id || document.elementFromPoint(x, y)?.tagName, [box.x + box.width / 2, box.y + box.height / 2])

describe("the vendor's show() while the app's focus-trapped Settings box is open", () => {
  it('a corner survey waits aside, unseen and not counted, and is counted shown once Settings close and it is on screen', async () => {
    const flows = { version: 1, settings: { cooldownDays: 0 }, surveys: [{ id: 'nps-corner', kind: 'nps', question: 'How likely are you to recommend Mailbox?' }] }
    const page = await settingsOpen('u-corner', flows, 'linger.show("nps-corner")')
    const card = page.locator('linger-survey [role="dialog"]')
    await card.waitFor({ state: 'attached' })
    // Whatever the page sent after the survey was drawn has arrived: a Shown sent with it would have too.
    await page.evaluate(() => (window as any).linger.track('Settings Viewed'))
    await suite.collector.waitFor(() => sent('u-corner', 'Settings Viewed').length === 1)
    expect(await card.isVisible()).toBe(false)
    expect(sent('u-corner', 'Survey Shown')).toHaveLength(0)

    await page.keyboard.press('Escape')
    await card.waitFor()
    expect(await at(page, (await card.boundingBox())!)).toBe('LINGER-SURVEY')
    await suite.collector.waitFor(() => sent('u-corner', 'Survey Shown').length === 1)
  })

  it('a centred survey throws nothing into the page, leaves Settings usable, and comes (counted shown) once they close', async () => {
    const flows = { version: 1, settings: { cooldownDays: 0 }, surveys: [{ id: 'nps-centre', kind: 'nps', question: 'How likely are you to recommend Mailbox?', placement: 'center' }] }
    const page = await settingsOpen('u-centre', flows, 'linger.show("nps-centre")')
    await page.evaluate(() => (window as any).linger.track('Settings Viewed'))
    await suite.collector.waitFor(() => sent('u-centre', 'Settings Viewed').length === 1)
    // The user goes on in Settings: types their name, tabs to Save.
    await page.locator('#name').fill('Dana')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('save')
    expect(sent('u-centre', 'Survey Shown')).toHaveLength(0)

    await page.keyboard.press('Escape')
    const dialog = page.locator('linger-survey-modal [role="dialog"]')
    await dialog.waitFor()
    await dialog.getByRole('radio', { name: '9' }).click()
    await dialog.getByRole('button', { name: 'Send' }).click()
    await suite.collector.waitFor(() => sent('u-centre', 'Survey Answered').length === 1)
    expect(sent('u-centre', 'Survey Shown')).toHaveLength(1)
  })
})

describe("a tour through the app's focus-trapped Settings box", () => {
  it('its tip is reached by Tab from the field the trap focused, takes the arrow keys, and its Done takes a click', async () => {
    const flows = {
      version: 1,
      settings: { cooldownDays: 0 },
      tours: [{ id: 'settings-tour', steps: [{ id: 'name', target: '#name', title: 'Your name', body: 'This is how teammates see you.' }, { id: 'save', target: '#save', title: 'Save your settings' }] }],
    }
    const page = await settingsOpen('u-tour', flows, 'linger.show("settings-tour")')
    const tip = page.locator('linger-tours [role="dialog"]')
    await expect.poll(() => tip.textContent()).toContain('Your name')
    // The trap put focus in the name field: the tip leaves it there, one Tab away.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('name')
    await page.keyboard.press('Tab')
    await expect.poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('role'))).toBe('dialog')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => tip.textContent()).toContain('Save your settings')
    await tip.getByRole('button', { name: 'Done' }).click()
    await expect.poll(() => tip.count()).toBe(0)
    await suite.collector.waitFor(() => sent('u-tour', 'Tour Completed').length === 1)
  })

  it('Save closes Settings (the app takes the box away): the next step, on the page, is on screen and takes clicks', async () => {
    const flows = {
      version: 1,
      settings: { cooldownDays: 0 },
      tours: [{ id: 'settings-tour', steps: [{ id: 'save', target: '#save', title: 'Save your settings', advance: 'click' }, { id: 'inbox', target: '#app h1', title: 'Back to your inbox' }] }],
    }
    const page = await settingsOpen('u-tour-saved', flows, 'document.getElementById("save").onclick = () => settingsTrap.deactivate(); linger.show("settings-tour")')
    const tip = page.locator('linger-tours [role="dialog"]')
    await expect.poll(() => tip.textContent()).toContain('Save your settings')
    await page.locator('#save').click()
    await expect.poll(() => tip.textContent()).toContain('Back to your inbox')
    await expect.poll(async () => at(page, (await tip.boundingBox())!)).toBe('LINGER-TOURS')
    await tip.getByRole('button', { name: 'Done' }).click()
    await suite.collector.waitFor(() => sent('u-tour-saved', 'Tour Completed').length === 1)
  })
})
