import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// Who gets the screen when several experiences waited for the same calm moment, in a real page
// with real (trusted) clicks.
const suite = useBrowserSuite()
afterEach(() => {
  expect(suite.pageErrors).toEqual([])
})

const flows = {
  version: 1,
  settings: { cooldownDays: 2 },
  checklists: [{ id: 'start', title: 'Get started', tasks: [{ id: 'project', title: 'Create a project', doneWhen: { event: 'Project Saved' } }] }],
  tours: [{ id: 'welcome-tour', trigger: { event: 'Tour Requested' }, steps: [{ id: 'hello', title: 'Your dashboard', body: 'Everything starts here.' }] }],
  // More important to the vendor than the tour, and triggered by the app on its own.
  surveys: [{ id: 'pulse', kind: 'csat', question: 'How is it going?', trigger: { event: 'Project Created' }, priority: 50 }],
}

const visible = (page: Page, tag: string, text: string) => page.locator(tag).getByText(text).isVisible()
const why = (page: Page, id: string) => page.evaluate((id) => (window as any).linger.why(id).reasons as string[], id)

describe("the page's own modal dialog inside a web component (a design system's <x-dialog>, its <dialog> in a shadow root)", () => {
  it('a survey the app triggers while the user types in that dialog waits until it closes, then comes', async () => {
    const body = `<acme-dialog id="rename"></acme-dialog><main><h1>Dashboard</h1></main>`
    const script = `
      // How often the screen has looked at the page since the trigger (its poll while a modal is open).
      window.polls = 0;
      const setTimeout0 = window.setTimeout;
      window.setTimeout = function (fn, ms, ...rest) { if (ms === 1000) window.polls++; return setTimeout0.call(window, fn, ms, ...rest) };
      customElements.define('acme-dialog', class extends HTMLElement {
        constructor() {
          super();
          this.attachShadow({ mode: 'open' }).innerHTML = '<dialog><label>Project name <input id="name"></label><button id="save">Save</button></dialog>';
        }
        open() { this.shadowRoot.querySelector('dialog').showModal() }
        close() { this.shadowRoot.querySelector('dialog').close() }
      });
      ${suite.initScript({ flows })}`
    const { page } = await suite.open('/rename', suite.hostPage({ body, script }))
    await expect.poll(() => page.locator('linger-checklist').getByRole('button').first().isVisible()).toBe(true)
    await page.evaluate(() => (document.getElementById('rename') as HTMLElement & { open(): void }).open())
    await page.keyboard.type('Q3 plan')
    await page.evaluate(() => {
      ;(window as any).polls = 0
      ;(window as any).linger.track('Project Created')
    })
    const surveyUp = () => visible(page, 'linger-survey', 'How is it going?')
    // The screen looked three times and found the dialog open (or the survey came at once).
    await expect.poll(async () => (await page.evaluate(() => (window as any).polls)) >= 3 || (await surveyUp())).toBe(true)
    expect(await surveyUp()).toBe(false)
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id)).toBe('name')
    await page.evaluate(() => (document.getElementById('rename') as HTMLElement & { close(): void }).close())
    await expect.poll(surveyUp).toBe(true)
  })
})

describe("the page's own modal dialog inside a web component, open as Linger's surfaces come", () => {
  it('the checklist launcher that comes while the welcome dialog is open is drawn in it, above its backdrop, and takes clicks and focus, not over it out of reach', async () => {
    const body = `<acme-dialog id="welcome"></acme-dialog><main><h1>Dashboard</h1></main>`
    const script = `
      customElements.define('acme-dialog', class extends HTMLElement {
        constructor() {
          super();
          this.attachShadow({ mode: 'open' }).innerHTML = '<dialog><h2>Welcome to Acme</h2><button id="later">Later</button></dialog>';
        }
        connectedCallback() { this.shadowRoot.querySelector('dialog').showModal() }
      });
      ${suite.initScript({ flows })}`
    const { page } = await suite.open('/welcome', suite.hostPage({ body, script }))
    const launcher = page.locator('linger-checklist').getByRole('button').first()
    await expect.poll(() => launcher.isVisible()).toBe(true)
    expect(await page.evaluate(() => (document.getElementById('welcome')!.shadowRoot!.querySelector('dialog') as HTMLDialogElement).open)).toBe(true)
    // What is under the launcher's centre, through every shadow root, and whether it takes focus.
    const reach = await launcher.evaluate((button: HTMLElement) => {
      const r = button.getBoundingClientRect()
      const [x, y] = [r.left + r.width / 2, r.top + r.height / 2]
      let root: Document | ShadowRoot = document
      let at = root.elementFromPoint(x, y)
      while (at?.shadowRoot && at.shadowRoot !== root) at = (root = at.shadowRoot).elementFromPoint(x, y) ?? at
      button.focus()
      return { hit: !!at && button.contains(at), focus: (button.getRootNode() as ShadowRoot).activeElement === button }
    })
    expect(reach).toEqual({ hit: true, focus: true })
    // Closed: back on the page, where it stays.
    await page.evaluate(() => (document.getElementById('welcome')!.shadowRoot!.querySelector('dialog') as HTMLDialogElement).close())
    await expect.poll(() => page.evaluate(() => document.querySelector('linger-checklist')?.parentElement === document.body)).toBe(true)
    expect(await launcher.isVisible()).toBe(true)
  })
})

describe("the page's own dialog marked role=\"dialog\" without aria-modal (MUI 5's Dialog, antd's before 2022)", () => {
  it('a survey the app triggers while the user fills in a field of that dialog waits until it closes, then comes', async () => {
    const body = `<main><h1>Dashboard</h1></main><div id="rename" role="presentation" hidden><div role="dialog" aria-labelledby="rename-title"><h2 id="rename-title">Rename project</h2><input id="name"><button id="save">Save</button></div></div>`
    const script = `
      window.polls = 0;
      const setTimeout0 = window.setTimeout;
      window.setTimeout = function (fn, ms, ...rest) { if (ms === 1000) window.polls++; return setTimeout0.call(window, fn, ms, ...rest) };
      ${suite.initScript({ flows })}`
    const { page } = await suite.open('/rename-mui', suite.hostPage({ body, script }))
    await expect.poll(() => page.locator('linger-checklist').getByRole('button').first().isVisible()).toBe(true)
    await page.evaluate(() => (document.getElementById('rename')!.hidden = false))
    await page.click('#name')
    await page.keyboard.type('Q3 plan')
    await page.evaluate(() => {
      ;(window as any).polls = 0
      ;(window as any).linger.track('Project Created')
    })
    const surveyUp = () => visible(page, 'linger-survey', 'How is it going?')
    await expect.poll(async () => (await page.evaluate(() => (window as any).polls)) >= 3 || (await surveyUp())).toBe(true)
    expect(await surveyUp()).toBe(false)
    await page.evaluate(() => {
      document.getElementById('rename')!.hidden = true
      document.body.focus()
    })
    await expect.poll(surveyUp).toBe(true)
  })
})

describe('a "Take the tour" button that tracks the tour\'s trigger', () => {
  it('a user who closed the survey the app showed on its own, then clicks "Take the tour", gets the tour, though the cooldown after the survey runs', async () => {
    const body = `<main><h1>Dashboard</h1><button id="take-tour" type="button">Take the tour</button></main>`
    const script = `
      ${suite.initScript({ flows })}
      linger.on('ready', () => (window.lingerReady = true));
      document.addEventListener('DOMContentLoaded', () => document.getElementById('take-tour').addEventListener('click', () => linger.track('Tour Requested')));`
    const { page } = await suite.open('/take-tour', suite.hostPage({ body, script }))
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(() => (window as any).linger.track('Project Created'))
    await expect.poll(() => visible(page, 'linger-survey', 'How is it going?')).toBe(true)
    await page.locator('linger-survey').getByRole('button', { name: 'Close survey' }).click()
    await expect.poll(() => page.locator('linger-survey').getByText('How is it going?').count()).toBe(0)
    // The tour the app would start on its own now waits out the cooldown; the one the user asked for does not.
    await page.evaluate(() => (window as any).linger.track('Tour Requested'))
    await expect.poll(() => why(page, 'welcome-tour')).toContain('cooldown')
    await page.click('#take-tour')
    await expect.poll(() => visible(page, 'linger-tours', 'Your dashboard')).toBe(true)
  })
})
