import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { setupBrowserSuite } from '../../../../test/harness'

// Who gets the screen when several experiences waited for the same calm moment, in a real page
// with real (trusted) clicks.
let suite: Awaited<ReturnType<typeof setupBrowserSuite>>
beforeAll(async () => {
  suite = await setupBrowserSuite()
})
afterEach(() => {
  expect(suite.pageErrors).toEqual([])
})
afterAll(() => suite.close())

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
