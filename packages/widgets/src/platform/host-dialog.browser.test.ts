import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { ROOT } from '../../../../test/static-server'
import { holdoutUser } from '../../../../test/holdout'

// Linger surfaces made while the page has its own modal <dialog> open live inside it (else the
// browser makes them inert with the rest of the page), and follow it when it goes.
const flows = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/flows.json'), 'utf8'))

const suite = useBrowserSuite()
afterEach(() => {
  expect(suite.pageErrors).toEqual([])
})

/** A user id inside (or outside) the cancel flow's holdout, decided as the SDK decides it. */
const userWhere = (inside: boolean) => holdoutUser(flows.cancelFlow, inside)
const CANCEL_BUTTON = '<button id="cancel-subscription" type="button">Cancel subscription</button>'

async function openBilling(opts: { control: string; vendor: string }) {
  const script = `
    window.hostCancels = 0;
    ${suite.initScript({ flows })}
    linger('identify', ${JSON.stringify(userWhere(false))});
    linger.track('Project Created'); linger.track('Project Created'); linger.track('Task Created');
    linger.on('ready', () => (window.lingerReady = true));
    document.addEventListener('DOMContentLoaded', () => {
      document.getElementById('cancel-subscription').addEventListener('click', () => { hostCancels++ });
    });
    ${opts.vendor}`
  const body = `<main id="app"><h1>Billing</h1><button id="open-settings" type="button">Settings</button>${opts.control}</main>`
  const { page } = await suite.open('/billing', suite.hostPage({ body, script }))
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return page
}

const dialog = (page: Page) => page.locator('linger-cancel [role="dialog"]')
const heading = (page: Page) => page.locator('linger-cancel #lc-title')
const button = (page: Page, name: string) => dialog(page).getByRole('button', { name, exact: true })
const inertOnPage = (page: Page) => page.evaluate(() => [...document.querySelectorAll('[inert]')].map((el) => el.id || el.tagName))
/** Whether a button of the flow can take focus (an inert one cannot). */
const flowTakesFocus = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('linger-cancel')?.shadowRoot
    const b = root?.querySelector<HTMLElement>('button')
    b?.focus()
    return !!b && root!.activeElement === b
  })
const focusInFlow = (page: Page) => page.evaluate(() => document.activeElement?.tagName === 'LINGER-CANCEL')

async function openFlow(page: Page) {
  await page.click('#cancel-subscription')
  await expect.poll(() => heading(page).textContent()).toBe(flows.cancelFlow.valueReminder.title)
}

describe('a Linger modal made while the page has its own modal dialog open', () => {
  it('the page takes its dialog away without closing it (an app unmounting it): the flow stays on screen and usable, and once closed leaves the page usable and its Escape to the page', async () => {
    const page = await openBilling({
      control: `<dialog id="settings"><h2>Settings</h2>${CANCEL_BUTTON}</dialog>`,
      vendor: `window.hostEscapes = 0; document.addEventListener('keydown', (e) => e.key === 'Escape' && hostEscapes++);
        document.addEventListener('DOMContentLoaded', () => document.getElementById('settings').showModal())`,
    })
    await openFlow(page)
    await page.evaluate(() => document.getElementById('settings')!.remove())
    await expect.poll(() => page.evaluate(() => document.querySelector('linger-cancel')?.parentElement === document.body)).toBe(true)
    expect(await flowTakesFocus(page)).toBe(true)
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog(page).count()).toBe(0)
    expect(await inertOnPage(page)).toEqual([])
    await page.keyboard.press('Escape')
    expect(await page.evaluate(() => (window as any).hostEscapes)).toBe(1)
  })

  it('two stacked dialogs of the page: the top one closes under the flow, which stays usable by Tab, in the dialog still open', async () => {
    const page = await openBilling({
      control: `<dialog id="outer"><h2>Account</h2><button id="outer-btn" type="button">Done</button></dialog><dialog id="settings"><h2>Settings</h2>${CANCEL_BUTTON}</dialog>`,
      vendor: `document.addEventListener('DOMContentLoaded', () => { document.getElementById('outer').showModal(); document.getElementById('settings').showModal() })`,
    })
    await openFlow(page)
    await page.evaluate(() => (document.getElementById('settings') as HTMLDialogElement).close())
    await expect.poll(() => page.evaluate(() => document.querySelector('linger-cancel')?.parentElement?.id)).toBe('outer')
    await page.locator('#outer-btn').evaluate((b: HTMLElement) => b.blur())
    await page.keyboard.press('Tab')
    expect(await focusInFlow(page)).toBe(true)
    expect(await flowTakesFocus(page)).toBe(true)
  })

  it("the page's own \"a click outside the dialog's box closes it\" does not hear clicks in the flow", async () => {
    const page = await openBilling({
      control: `<dialog id="settings" style="margin:0;inset:0 auto auto 0;width:220px"><h2>Settings</h2>${CANCEL_BUTTON}</dialog>`,
      vendor: `document.addEventListener('DOMContentLoaded', () => {
        const d = document.getElementById('settings');
        d.addEventListener('click', (e) => {
          const r = d.getBoundingClientRect();
          if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) d.close();
        });
        d.showModal();
      })`,
    })
    await openFlow(page)
    await button(page, 'Continue to cancel').click()
    await expect.poll(() => heading(page).textContent()).toBe('Why do you want to cancel?')
    expect(await page.evaluate(() => (document.getElementById('settings') as HTMLDialogElement).open)).toBe(true)
  })

  it('the page closes its dialog under the flow: focus stays where the user was in the flow', async () => {
    const page = await openBilling({
      control: `<dialog id="settings"><h2>Settings</h2>${CANCEL_BUTTON}</dialog>`,
      vendor: `document.addEventListener('DOMContentLoaded', () => document.getElementById('open-settings').addEventListener('click', () => document.getElementById('settings').showModal()))`,
    })
    await page.click('#open-settings')
    await openFlow(page)
    expect(await focusInFlow(page)).toBe(true)
    await page.evaluate(() => (document.getElementById('settings') as HTMLDialogElement).close())
    await expect.poll(() => page.evaluate(() => document.querySelector('linger-cancel')?.parentElement === document.body)).toBe(true)
    expect(await focusInFlow(page)).toBe(true)
  })

  it('a survey shown while the dialog was open stays on screen when the app takes the dialog away', async () => {
    const page = await openBilling({
      control: `<dialog id="settings"><h2>Settings</h2>${CANCEL_BUTTON}</dialog>`,
      vendor: `document.addEventListener('DOMContentLoaded', () => document.getElementById('settings').showModal())`,
    })
    await page.evaluate(() => (window as any).linger.show('csat-export'))
    await expect.poll(() => page.evaluate(() => !!document.querySelector('dialog linger-survey'))).toBe(true)
    await page.evaluate(() => document.getElementById('settings')!.remove())
    await expect.poll(() => page.evaluate(() => document.querySelector('linger-survey')?.parentElement === document.body)).toBe(true)
    expect(await page.locator('linger-survey').getByRole('radio').first().isVisible()).toBe(true)
  })
})

/** Whether the point at the centre of `selector` (in the `tag` surface) is the surface's, and the element there can take focus. */
const reachable = (page: Page, tag: string, selector: string) =>
  page.evaluate(
    ([tag, selector]) => {
      const hostEl = document.querySelector(tag)
      const root = hostEl?.shadowRoot
      const el = root?.querySelector<HTMLElement>(selector)
      if (!el) return { hit: false, focus: false }
      const r = el.getBoundingClientRect()
      const [x, y] = [r.left + r.width / 2, r.top + r.height / 2]
      const hit = document.elementFromPoint(x, y) === hostEl && !!root!.elementFromPoint(x, y) && el.contains(root!.elementFromPoint(x, y))
      el.focus({ preventScroll: true })
      return { hit, focus: root!.activeElement === el }
    },
    [tag, selector],
  )

describe('a Linger surface already on screen when the page opens its own modal dialog', () => {
  it('a tour whose first step opens the page\'s "New project" dialog: the next tip, on a field of that dialog, sits above it, takes clicks and focus, and goes back to the page when the dialog closes', async () => {
    const tourFlows = {
      version: 1,
      settings: { cooldownDays: 0 },
      tours: [
        {
          id: 'new-project',
          trigger: { event: 'Go' },
          steps: [
            { id: 'open', target: '#new-project', title: 'Start a project', placement: 'right', advance: 'click' },
            { id: 'name', target: '#project-name', title: 'Name it', placement: 'bottom' },
          ],
        },
      ],
    }
    const body = `<main><button id="start" type="button">Take the tour</button><p><button id="new-project" type="button">New project</button></p></main>
      <dialog id="create" style="margin:0;inset:40px auto auto 40px;width:300px"><h2>New project</h2><label>Name <input id="project-name"></label><button id="close-create" type="button">Close</button></dialog>`
    const script = `${suite.initScript({ flows: tourFlows })}
      linger.on('ready', () => (window.lingerReady = true));
      document.addEventListener('DOMContentLoaded', () => {
        document.getElementById('start').addEventListener('click', () => linger.track('Go'));
        document.getElementById('new-project').addEventListener('click', () => document.getElementById('create').showModal());
        document.getElementById('close-create').addEventListener('click', () => document.getElementById('create').close());
      });`
    const { page } = await suite.open('/new-project', suite.hostPage({ body, script }))
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.click('#start')
    const title = () => page.evaluate(() => document.querySelector('linger-tours')?.shadowRoot?.querySelector('[role="dialog"] h2')?.textContent)
    await expect.poll(title, { timeout: 10_000 }).toBe('Start a project')
    await page.click('#new-project')
    await expect.poll(title, { timeout: 10_000 }).toBe('Name it')
    await expect.poll(() => reachable(page, 'linger-tours', '[role="dialog"]')).toEqual({ hit: true, focus: true })
    expect(await page.evaluate(() => (document.getElementById('create') as HTMLDialogElement).open)).toBe(true)
    // Closed: the tour's surface is back on the page, the tour where it was, the page usable.
    await page.evaluate(() => (document.getElementById('create') as HTMLDialogElement).close())
    await expect.poll(() => page.evaluate(() => document.querySelector('linger-tours')?.parentElement === document.body)).toBe(true)
    expect(await page.evaluate(() => document.querySelectorAll('[inert]').length)).toBe(0)
  })

  it('a survey the app shows while its short dialog is open sits in its corner on screen: the dialog is no bar of the page for the corners to stack past', async () => {
    const page = await openBilling({
      control: `<dialog id="settings" style="width:220px"><h2>Settings</h2><input id="plan-name">${CANCEL_BUTTON}</dialog>`,
      vendor: `document.addEventListener('DOMContentLoaded', () => document.getElementById('settings').showModal())`,
    })
    await page.evaluate(() => (window as any).linger.show('csat-export'))
    await expect.poll(() => reachable(page, 'linger-survey', '[role="radio"]')).toEqual({ hit: true, focus: true })
    const card = (await page.locator('linger-survey [role="dialog"]').boundingBox())!
    const { height } = page.viewportSize()!
    // Its corner: the bottom one the flows give it (above the checklist's launcher), not stacked
    // up past the dialog as if it were the page's bottom bar.
    expect(card.y).toBeGreaterThanOrEqual(0)
    expect(card.y + card.height).toBeLessThanOrEqual(height)
    expect(card.y + card.height).toBeGreaterThan(height * 0.75)
  })

  it('a survey card on screen when the dialog opens moves into it without taking focus from it, takes clicks and focus, and comes back when the dialog closes', async () => {
    // A short dialog, centred as the browser centres one: its backdrop covers the screen's edges.
    const page = await openBilling({
      control: `<dialog id="settings" style="width:220px"><h2>Settings</h2><input id="plan-name">${CANCEL_BUTTON}</dialog>`,
      vendor: ``,
    })
    await page.evaluate(() => (window as any).linger.show('csat-export'))
    await expect.poll(() => page.locator('linger-survey').getByRole('radio').first().isVisible()).toBe(true)
    await page.evaluate(() => (document.getElementById('settings') as HTMLDialogElement).showModal())
    await expect.poll(() => page.evaluate(() => document.querySelector('linger-survey')?.parentElement?.id)).toBe('settings')
    // The page's dialog keeps the focus it gave itself.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('plan-name')
    await expect.poll(() => reachable(page, 'linger-survey', '[role="radio"]')).toEqual({ hit: true, focus: true })
    // Still in its corner, on screen: the dialog is no bar of the page's for the corners to stack past.
    const card = (await page.locator('linger-survey [role="dialog"]').boundingBox())!
    const view = page.viewportSize()!
    expect(card.y).toBeGreaterThanOrEqual(0)
    expect(card.y + card.height).toBeLessThanOrEqual(view.height)
    await page.evaluate(() => (document.getElementById('settings') as HTMLDialogElement).close())
    await expect.poll(() => page.evaluate(() => document.querySelector('linger-survey')?.parentElement === document.body)).toBe(true)
    expect(await page.locator('linger-survey').getByRole('radio').first().isVisible()).toBe(true)
  })
})
