import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { holdoutUser } from '../../../../test/holdout'
import { ROOT } from '../../../../test/static-server'
import { focusTrappedSettings, NAME, SAVE } from './settings-box.fixture'

// A SaaS app whose Settings box is kept by the real focus-trap package. Linger's own modals are
// opened from inside it: "Cancel subscription" there is the cancel flow's trigger.
const SETTINGS = focusTrappedSettings([
  NAME,
  { tag: 'button', id: 'cancel-subscription', text: 'Cancel subscription' },
  { tag: 'button', id: 'news', text: "What's new" },
  SAVE,
])

const flows = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/flows.json'), 'utf8'))
const suite = useBrowserSuite({ pageErrors: 'each' })

async function inSettings(user: string, extra = '', init: Record<string, unknown> = { flows }, handlers?: string) {
  const script = `${SETTINGS}
    window.hostCancels = 0;
    ${suite.initScript(init, handlers)}
    linger('identify', '${user}');
    linger.on('ready', () => { openSettings(); document.getElementById('cancel-subscription').onclick = () => hostCancels++; ${extra} });`
  const { page } = await suite.open(`/settings/${user}`, suite.hostPage({ body: '<main id="app"><h1>Projects</h1></main>', script }))
  await page.locator('#settings').waitFor()
  return page
}
/** The page's element that has focus (by id), or the Linger surface's element and its text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement
    const inner = el?.shadowRoot?.activeElement
    return inner ? `${el!.tagName.toLowerCase()}: ${inner.textContent}` : el?.id || el?.tagName
  })

describe("the cancel flow opened from the app's focus-trapped Settings box", () => {
  it('comes at once over Settings, works by keyboard and mouse, and Escape gives focus back to "Cancel subscription" with the trap working again', async () => {
    const page = await inSettings(holdoutUser(flows.cancelFlow, false))
    const dialog = page.locator('linger-cancel [role="dialog"]')
    await page.locator('#cancel-subscription').click()
    await expect.poll(() => focused(page)).toBe('linger-cancel: Why do you want to cancel?')
    // Straight away, as a keyboard user goes through it: Tab and Shift+Tab stay in the flow.
    await page.keyboard.press('Tab')
    expect(await focused(page)).toMatch(/^linger-cancel: /)
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toMatch(/^linger-cancel: /)
    // The mouse too: its reasons and buttons take the click.
    await dialog.getByRole('radio', { name: flows.cancelFlow.reasons[0].label }).click()
    await dialog.getByRole('button', { name: 'Continue to cancel', exact: true }).click()
    await expect.poll(() => page.locator('linger-cancel #lc-title').textContent()).not.toBe('Why do you want to cancel?')
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.count()).toBe(0)
    // Back in Settings where they were, which the app keeps as before.
    expect(await page.locator('#settings').count()).toBe(1)
    expect(await focused(page)).toBe('cancel-subscription')
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toBe('name')
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toBe('save')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('#settings').count()).toBe(0)
    expect(await page.evaluate(() => (window as any).hostCancels)).toBe(0)
  })
})

describe("Linger's own modals the vendor opens from the app's focus-trapped Settings box", () => {
  it('"What\'s new" (an announcement modal) takes Tab and Shift+Tab, and Escape closes it alone: focus is back on its button in Settings', async () => {
    const init = { flows: { version: 1, settings: { cooldownDays: 0 }, announcements: [{ id: 'v3', format: 'modal', title: 'Version 3 is here', body: 'A new editor.', audience: { trait: 'beta', exists: true } }] } }
    const page = await inSettings('u-news', `document.getElementById('news').onclick = () => linger.show('v3')`, init)
    await page.locator('#news').click()
    const modal = page.locator('linger-announcements-modal [role="dialog"]')
    await expect.poll(() => focused(page)).toBe('linger-announcements-modal: Version 3 is here')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toMatch(/^linger-announcements-modal: /)
    await page.keyboard.press('Escape')
    await expect.poll(() => modal.count()).toBe(0)
    expect(await page.locator('#settings').count()).toBe(1)
    expect(await focused(page)).toBe('news')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('save')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('name')
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Announcement Dismissed' && x.userId === 'u-news'))
  })

  it('the payment wall the app puts up from Settings takes the keyboard and a click on its action, and Escape does not close Settings under it', async () => {
    const DAY = 86_400_000
    const billing = { paymentPrompt: { id: 'card-failed', title: 'Your last payment failed', action: 'Update card', wallAfterDays: 7, wallTitle: 'Update your card to keep going' } }
    const pastDue = { paymentStatus: 'past_due', pastDueSince: new Date(Date.now() - 9 * DAY).toISOString() }
    const open = `document.getElementById('save').onclick = () => linger('identify', 'u-wall', ${JSON.stringify(pastDue)})`
    const page = await inSettings('u-wall', open, { flows: { version: 1, settings: { cooldownDays: 0 }, billing } }, '{ onUpdatePayment: () => { window.updating = (window.updating || 0) + 1 } }')
    await page.locator('#save').click()
    const wall = page.locator('linger-billing-modal [role="alertdialog"]')
    await expect.poll(() => focused(page)).toBe('linger-billing-modal: Update your card to keep going')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toMatch(/^linger-billing-modal: /)
    // A wall is not put off by Escape: the app's box under it stays too.
    await page.keyboard.press('Escape')
    expect(await page.locator('#settings').count()).toBe(1)
    await wall.getByRole('button', { name: 'Update card' }).click()
    await expect.poll(() => page.evaluate(() => (window as any).updating)).toBe(1)
  })
})

/** Whether the page's main content is out of reach (inert), as it is behind a modal. */
const mainInert = (page: Page) => page.evaluate(() => !!document.querySelector('main')!.closest('[inert]'))
const flowOnBody = (page: Page) => page.evaluate(() => document.querySelector('linger-cancel')?.parentElement === document.body)

describe('the app takes its Settings box away while the cancel flow opened from it is open', () => {
  // What a user then does with the flow: a reason by mouse, Tab kept in it, Escape closes it and
  // gives the page back.
  async function stillUsable(page: Page) {
    const dialog = page.locator('linger-cancel [role="dialog"]')
    await expect.poll(() => focused(page)).toBe('linger-cancel: Why do you want to cancel?')
    expect(await dialog.isVisible()).toBe(true)
    expect(await mainInert(page)).toBe(true)
    await dialog.getByRole('radio', { name: flows.cancelFlow.reasons[0].label }).click()
    await page.keyboard.press('Tab')
    expect(await focused(page)).toMatch(/^linger-cancel: /)
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.count()).toBe(0)
    expect(await mainInert(page)).toBe(false)
  }

  it('closed (its trap let go, the box removed): the flow stays on screen, with focus, and works; once closed the page is usable again', async () => {
    const page = await inSettings(holdoutUser(flows.cancelFlow, false))
    await page.locator('#cancel-subscription').click()
    await expect.poll(() => focused(page)).toBe('linger-cancel: Why do you want to cancel?')
    await page.evaluate(() => (window as any).settingsTrap.deactivate())
    await expect.poll(() => flowOnBody(page)).toBe(true)
    await stillUsable(page)
  })

  it('hidden but kept in the page (display:none, as Bootstrap-style modals do): the flow stays on screen, with focus, and works', async () => {
    const page = await inSettings(holdoutUser(flows.cancelFlow, false))
    await page.locator('#cancel-subscription').click()
    await expect.poll(() => focused(page)).toBe('linger-cancel: Why do you want to cancel?')
    await page.evaluate(() => ((window as any).settingsTrap.pause(), (document.getElementById('settings')!.style.display = 'none')))
    await expect.poll(() => flowOnBody(page)).toBe(true)
    await stillUsable(page)
  })

  it('hidden with the wrapper it sits in (`hidden` on an ancestor): the flow comes out of it and works', async () => {
    const wrap = `const box = document.getElementById('settings'); const wrap = document.createElement('div'); wrap.id = 'portal'; document.body.append(wrap); wrap.append(box); settingsTrap.updateContainerElements(box);`
    const page = await inSettings(holdoutUser(flows.cancelFlow, false), wrap)
    await page.locator('#cancel-subscription').click()
    await expect.poll(() => focused(page)).toBe('linger-cancel: Why do you want to cancel?')
    await page.evaluate(() => ((window as any).settingsTrap.pause(), document.getElementById('portal')!.setAttribute('hidden', '')))
    await expect.poll(() => flowOnBody(page)).toBe(true)
    await stillUsable(page)
  })
})

describe('Settings as an overlay that closes on a click outside its panel', () => {
  it('does not hear clicks in the cancel flow: choosing a reason leaves Settings open under the flow', async () => {
    // The overlay is the aria-modal box; its panel holds the controls.
    const overlay = `const box = document.getElementById('settings'); const panel = document.createElement('div'); panel.id = 'panel';
      panel.append(...box.children); box.append(panel); window.outsideCloses = 0;
      box.onclick = (e) => panel.contains(e.target) || (outsideCloses++, settingsTrap.deactivate());`
    const page = await inSettings(holdoutUser(flows.cancelFlow, false), overlay)
    const dialog = page.locator('linger-cancel [role="dialog"]')
    await page.locator('#cancel-subscription').click()
    await expect.poll(() => focused(page)).toBe('linger-cancel: Why do you want to cancel?')
    await dialog.getByRole('radio', { name: flows.cancelFlow.reasons[0].label }).click()
    expect(await page.evaluate(() => (window as any).outsideCloses)).toBe(0)
    await dialog.getByRole('button', { name: 'Continue to cancel', exact: true }).click()
    await expect.poll(() => page.locator('linger-cancel #lc-title').textContent()).not.toBe('Why do you want to cancel?')
    expect(await page.evaluate(() => (window as any).outsideCloses)).toBe(0)
    expect(await page.locator('#settings').count()).toBe(1)
    expect(await page.evaluate(() => !!document.querySelector('#settings linger-cancel'))).toBe(true)
  })
})
