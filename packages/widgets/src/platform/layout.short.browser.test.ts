import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { exampleFlows } from '../../../sdk/src/experiences/checklist/example.fixture'

// A short window (a laptop at 400 % zoom is 320×256 CSS px) and a keyboard user: Linger's surfaces
// never draw over each other, and never over the host control the user just tabbed to.
const banner = { id: 'bulk-export', format: 'banner', title: 'Export many invoices at once', body: 'Pick invoices, press Export.', action: { label: 'Try it', url: '/invoices' } }
// The always-on launchers at the bottom: the checklist's and "What's new".
const checklist = { id: 'getting-started', title: 'Get started', tasks: [{ id: 'project', title: 'Create a project', doneWhen: { event: 'Project Created' } }] }
const feed = { id: 'templates', format: 'feed', title: 'Invoice templates', body: 'Save a layout once, reuse it.', publishedAt: '2026-02-20' }
const nps = { id: 'nps-quarterly', kind: 'nps', question: 'How likely are you to recommend Acme to a colleague?' }

const suite = useBrowserSuite({ pageErrors: 'each' })

async function open(path: string, body: string, flows: object, viewport: { width: number; height: number }) {
  const script = `${suite.initScript({ flows: { settings: { cooldownDays: 0 }, ...flows } })}
    linger('identify', ${JSON.stringify(path)});
    linger.on('ready', () => (window.lingerReady = true));`
  const context = await suite.browser.newContext({ viewport })
  const { page } = await suite.open(`/${path}`, suite.hostPage({ body, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return page
}

/** For each button of a Linger host: the name of the Linger host a click at its centre lands on. */
const hits = (page: Page, host: string) =>
  page.evaluate((host) => {
    const root = document.querySelector(host)!.shadowRoot!
    return [...root.querySelectorAll('button,a[href]')].map((b) => {
      const r = b.getBoundingClientRect()
      return `${b.getAttribute('aria-label') ?? b.textContent!.trim()}: ${document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.localName}`
    })
  }, host)
/** The buttons of Linger's `host` that a click at their centre would not reach (something over them). */
const covered = (page: Page, host: string) => hits(page, host).then((h) => h.filter((s) => !s.endsWith(`: ${host}`)))

/** What a click lands on near the (rounded) corners and at the centre of the box `sel` in Linger's `host`, within the viewport or not. */
const corners = (page: Page, host: string, sel: string) =>
  page.evaluate(
    ([host, sel]) => {
      const r = document.querySelector(host)!.shadowRoot!.querySelector(sel)!.getBoundingClientRect()
      const inside = r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth
      const at = [[r.left + 10, r.top + 10], [r.right - 10, r.top + 10], [r.left + 10, r.bottom - 10], [r.right - 10, r.bottom - 10], [r.x + r.width / 2, r.y + r.height / 2]]
      return [inside ? 'in the viewport' : 'off screen', ...new Set(at.map(([x, y]) => document.elementFromPoint(x, y)?.localName))]
    },
    [host, sel],
  )

/** Whether the page's focused element shows: a hit test at its centre finds it, not one of Linger's. */
const focusShows = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement!
    const r = el.getBoundingClientRect()
    return `${el.textContent}: ${document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === el ? 'shows' : 'hidden'}`
  })

describe('at 400 % zoom (320×256), a banner up and a survey coming', () => {
  it('the survey waits instead of drawing over the banner, and comes up when the banner is dismissed', async () => {
    const page = await open('short-survey', '<main><h1>Acme</h1></main>', { announcements: [banner, feed], checklists: [checklist], surveys: [nps] }, { width: 320, height: 256 })
    await page.locator('linger-announcements-banner section.banner').waitFor()
    await page.evaluate(() => (window as any).linger.show('nps-quarterly'))
    const card = page.locator('linger-survey [role=dialog]')
    await card.waitFor({ state: 'attached' })
    // Every button of the banner still takes its click: none is under the survey's card.
    await expect.poll(() => covered(page, 'linger-announcements-banner')).toEqual([])
    expect(await card.isVisible()).toBe(false)
    await page.locator('linger-announcements-banner').getByRole('button', { name: 'Dismiss' }).click()
    await expect.poll(() => card.isVisible()).toBe(true)
    await expect.poll(() => corners(page, 'linger-survey', '[role=dialog]')).toEqual(['in the viewport', 'linger-survey'])
    await page.context().close()
  })
})

describe('a keyboard user tabbing through the page under Linger\'s docked surfaces', () => {
  it('the banner over the header steps aside while a header link has focus, takes no focus, and is back once focus moves on', async () => {
    const body =
      '<header style="display:flex;gap:8px;padding:8px"><a href="#home">Home</a><a href="#acct">Account</a><a href="#help">Help</a></header>' +
      '<main style="padding-top:200px"><a id="rows" href="#rows">Rows</a></main>'
    const page = await open('focus-banner', body, { announcements: [banner] }, { width: 1280, height: 720 })
    const section = page.locator('linger-announcements-banner section.banner')
    await section.waitFor()
    await page.locator('a[href="#home"]').focus()
    await page.keyboard.press('Tab')
    await expect.poll(() => focusShows(page)).toBe('Account: shows')
    await page.keyboard.press('Tab')
    await expect.poll(() => focusShows(page)).toBe('Help: shows')
    await page.keyboard.press('Tab')
    // Focus went on to the page's next link, not into the banner that stepped aside.
    expect(await page.evaluate(() => document.activeElement!.id)).toBe('rows')
    await expect.poll(() => section.isVisible()).toBe(true)
    await page.context().close()
  })

  it('the checklist launcher steps aside from the row link the browser scrolled into view under it', async () => {
    // Tabbing down a long list, the browser scrolls each link just into view: at the bottom edge,
    // where the launcher sits.
    const rows = Array.from({ length: 30 }, (_, i) => `<div style="display:flex;justify-content:space-between;padding:4px 8px"><a href="#r${i}">Row ${i}</a><a href="#e${i}">Edit ${i}</a></div>`).join('')
    const page = await open('focus-launcher', `<main><h1>Acme</h1>${rows}</main>`, exampleFlows, { width: 1280, height: 720 })
    await page.evaluate(() => (window as any).linger.track('Signed In'))
    await page.getByRole('button', { name: /tasks done/ }).waitFor()
    await page.locator('a[href="#r0"]').focus()
    const hidden: string[] = []
    for (let i = 0; i < 59; i++) {
      await page.keyboard.press('Tab')
      // A frame for the launcher to step aside once the browser has scrolled.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
      const seen = await focusShows(page)
      if (seen.endsWith('hidden')) hidden.push(seen)
    }
    expect(hidden).toEqual([])
    await page.context().close()
  })

  it('the launcher that stepped aside from the page\'s last link is where the next Tab goes: the keyboard still reaches it', async () => {
    // The page's last control, a footer link, sits where the launcher is: Linger's surfaces come
    // after the page's content in Tab order, so the launcher is the next stop from it.
    const body = '<main style="height:100vh;position:relative"><a id="first" href="#first">First</a><a id="contact" href="#contact" style="position:absolute;right:40px;bottom:30px">Contact</a></main>'
    const page = await open('focus-last-link', body, exampleFlows, { width: 1280, height: 720 })
    await page.evaluate(() => (window as any).linger.track('Signed In'))
    await page.getByRole('button', { name: /tasks done/ }).waitFor()
    await page.locator('#first').focus()
    await page.keyboard.press('Tab')
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    expect(await focusShows(page)).toBe('Contact: shows')
    await page.keyboard.press('Tab')
    await expect.poll(() => page.evaluate(() => document.activeElement!.localName)).toMatch(/^linger-/)
    expect(await page.getByRole('button', { name: /tasks done/ }).isVisible()).toBe(true)
    await page.context().close()
  })

  it("the app's main region that takes focus as the route changes hides no launcher: it is not under one", async () => {
    const page = await open('focus-main', '<button id="go">Reports</button><main tabindex="-1" style="height:2000px"><h1>Reports</h1></main>', exampleFlows, { width: 1280, height: 720 })
    await page.evaluate(() => (window as any).linger.track('Signed In'))
    const launcher = page.getByRole('button', { name: /tasks done/ })
    await launcher.waitFor()
    await page.evaluate(() => document.getElementById('go')!.addEventListener('click', () => document.querySelector('main')!.focus()))
    await page.locator('#go').focus()
    await page.keyboard.press('Enter')
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    expect(await page.evaluate(() => document.activeElement!.localName)).toBe('main')
    expect(await launcher.isVisible()).toBe(true)
    await page.context().close()
  })
})
