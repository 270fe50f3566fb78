import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useBrowserSuite } from '../../../../test/harness'

// Where a step's target is in real pages: inside web components, and next to copies of itself
// the user cannot see. Real Chromium: shadow DOM, layout and overflow clipping.
const suite = useBrowserSuite({ pageErrors: 'all' })

type Box = { left: number; top: number; right: number; bottom: number }
const RECORD = `window.__ev = []; ['tour:step-viewed', 'tour:target-missing', 'tour:dismissed'].forEach(function (n) { linger('on', n, function (p) { __ev.push(n) }) });`
/** A design system's button: its <button id="t"> inside the component's open shadow root. */
const COMPONENT = `customElements.define('ds-button', class extends HTMLElement { constructor() { super(); this.attachShadow({ mode: 'open' }).innerHTML = this.hasAttribute('later') ? '' : '<button id="t">Export</button>' } });`

let n = 0
async function openTour(steps: unknown[], body: string, script = '') {
  const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'where', trigger: { event: 'Go' }, steps }] }
  const run = `${suite.initScript({ flows })} ${RECORD} addEventListener('DOMContentLoaded', function () { ${script} linger.track('Go') })`
  const context = await suite.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1000, height: 700 } })
  const { page } = await suite.open(`/target-${++n}`, suite.hostPage({ body, script: run }), context)
  return page
}
const seen = (page: Page) => page.evaluate(() => (window as any).__ev as string[])
const box = (page: Page, selector: string) => page.locator(selector).evaluate((el) => el.getBoundingClientRect().toJSON() as Box)
/** The tip, placed by floating-ui below its target (bottom placement). */
const tip = async (page: Page) => {
  await page.locator('[role=dialog][data-placement=bottom]').waitFor({ timeout: 10_000 })
  return page.locator('[role=dialog]').evaluate((el) => el.getBoundingClientRect().toJSON() as Box)
}
/** Just below the target, overlapping it across. */
function expectBelow(t: Box, target: Box) {
  expect(t.top - target.bottom).toBeGreaterThanOrEqual(4)
  expect(t.top - target.bottom).toBeLessThanOrEqual(20)
  expect(Math.min(t.right, target.right) - Math.max(t.left, target.left)).toBeGreaterThan(0)
}

describe('a step whose target is a design system’s web component (inside its open shadow root)', () => {
  it('shows by that button, counted viewed, instead of being skipped as missing', async () => {
    const page = await openTour(
      [{ id: 'export', target: '#t', title: 'Export from here', placement: 'bottom', waitMs: 1000 }],
      '<ds-button style="position:absolute;top:300px;left:400px"></ds-button>',
      COMPONENT,
    )
    await expect.poll(() => seen(page), { timeout: 10_000 }).not.toEqual([])
    expect(await seen(page)).toEqual(['tour:step-viewed'])
    expectBelow(await tip(page), await box(page, 'ds-button >> #t'))
  })

  it('drawn by the component after the step began to wait (a change inside its shadow root, not the page): the step shows once it is there', async () => {
    const page = await openTour(
      [{ id: 'export', target: '#t', title: 'Export from here', placement: 'bottom', waitMs: 60_000 }],
      '<ds-button later style="position:absolute;top:300px;left:400px"></ds-button>',
      COMPONENT,
    )
    // Looked for and not there yet: the tour says its step is elsewhere.
    await page.locator('.hint').waitFor({ timeout: 10_000 })
    await page.evaluate(() => (document.querySelector('ds-button')!.shadowRoot!.innerHTML = '<button id="t">Export</button>'))
    expectBelow(await tip(page), await box(page, 'ds-button >> #t'))
    expect(await seen(page)).toEqual(['tour:step-viewed'])
  })
})

describe('a step whose target is also in a collapsed menu (its copy clipped to nothing by the menu, not display: none)', () => {
  it('shows by the copy the user can see, not the one clipped away above it', async () => {
    const page = await openTour(
      [{ id: 'reports', target: '.reports', title: 'Your reports live here', placement: 'bottom' }],
      `<nav style="height:0;overflow:hidden"><a class="reports" href="#/reports">Reports</a></nav>
       <a class="reports" id="t" href="#/reports" style="position:absolute;top:300px;left:400px">Reports</a>`,
    )
    expectBelow(await tip(page), await box(page, '#t'))
  })

  it('the copy the user can see comes first in the page and the clipped one after: still the one they can see', async () => {
    const page = await openTour(
      [{ id: 'reports', target: '.reports', title: 'Your reports live here', placement: 'bottom' }],
      `<a class="reports" id="t" href="#/reports" style="position:absolute;top:300px;left:400px">Reports</a>
       <div style="height:0;overflow:hidden"><a class="reports" href="#/reports">Reports</a></div>`,
    )
    expectBelow(await tip(page), await box(page, '#t'))
  })
})

describe('a step whose target is itself a collapsed panel (an accordion body at height 0, its overflow clipped)', () => {
  it('is not pointed at while nothing of it shows: the step waits, counted unseen, and shows by the panel once the user opens it', async () => {
    const page = await openTour(
      [{ id: 'details', target: '#details', title: 'Your invoice details', placement: 'bottom', waitMs: 60_000 }],
      `<button id="open" style="position:absolute;top:260px;left:400px" onclick="document.getElementById('details').style.height='80px'">Show details</button>
       <div id="details" style="position:absolute;top:300px;left:400px;width:200px;height:0;overflow:hidden">Plan: Team, 5 seats</div>`,
    )
    // Either the tip pointing at a line no one can read, or the hint saying the step is not in sight.
    await page.locator('[role=dialog], .hint').first().waitFor({ timeout: 10_000 })
    expect(await page.locator('[role=dialog]').count(), 'tips on screen about a target no one can see').toBe(0)
    expect(await seen(page)).toEqual([])
    await page.click('#open')
    expectBelow(await tip(page), await box(page, '#details'))
    expect(await seen(page)).toEqual(['tour:step-viewed'])
  })
})

describe('a step whose target is an image further down the page, to load lazily, its size not set', () => {
  it('is there to be shown, not skipped as missing: its box is empty only until the user scrolls to it', async () => {
    const page = await openTour(
      [{ id: 'chart', target: '#chart', title: 'Your week at a glance', waitMs: 1000 }],
      `<img id="chart" loading="lazy" alt="This week" style="margin-top:3000px" src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='200' height='100'/%3E">`,
    )
    await expect.poll(() => seen(page), { timeout: 10_000 }).not.toEqual([])
    expect(await seen(page)).toEqual(['tour:step-viewed'])
  })
})

describe('a step whose target is in a fixed box out of the window, where no scroll reaches it', () => {
  for (const [side, out] of [
    ['left', 'translateX(-100%)'],
    ['right', 'translateX(100%)'],
  ])
    it(`in a navigation drawer slid out of the screen to the ${side} (a phone’s menu, closed by a transform): no tip pointing at the edge, nothing counted, and the step shows by the link once the user opens the drawer`, async () => {
      const page = await openTour(
        [{ id: 'reports', target: '.reports', title: 'Your reports live here', placement: 'bottom', waitMs: 60_000 }],
        `<button id="menu" style="position:absolute;top:8px;left:400px" onclick="document.getElementById('drawer').style.transform='none'">Menu</button>
         <nav id="drawer" style="position:fixed;${side}:0;top:0;width:240px;height:100%;background:#eee;transform:${out}"><a class="reports" href="#/reports" style="display:block;margin-top:200px">Reports</a></nav>`,
      )
      await page.locator('[role=dialog], .hint').first().waitFor({ timeout: 10_000 })
      expect(await page.locator('[role=dialog]').count(), 'tips on screen about a target no one can see').toBe(0)
      expect(await seen(page)).toEqual([])
      await page.click('#menu')
      expectBelow(await tip(page), await box(page, '.reports'))
      expect(await seen(page)).toEqual(['tour:step-viewed'])
    })

  it('a header that slides up out of the window as the user reads down the page, its link the step’s target: the tip goes with it and comes back with it, the step not skipped meanwhile', async () => {
    const page = await openTour(
      [{ id: 'reports', target: '.reports', title: 'Your reports live here', placement: 'bottom', waitMs: 500 }],
      `<header id="bar" style="position:fixed;top:0;left:0;right:0;height:48px;background:#eee"><a class="reports" href="#/reports" style="position:absolute;left:400px;top:12px">Reports</a></header>
       <div style="height:3000px"></div>`,
    )
    expectBelow(await tip(page), await box(page, '.reports'))
    await page.evaluate(() => (document.getElementById('bar')!.style.transform = 'translateY(-100%)'))
    await expect.poll(() => page.locator('[role=dialog]').isVisible(), { timeout: 10_000 }).toBe(false)
    // Longer away than the step waits for a target that is not on the page.
    await page.waitForTimeout(1500)
    await page.evaluate(() => (document.getElementById('bar')!.style.transform = ''))
    expectBelow(await tip(page), await box(page, '.reports'))
    expect(await seen(page)).toEqual(['tour:step-viewed'])
  })
})

describe('a keyboard user on a step whose target is in a web component (the host page’s own shadow root)', () => {
  /** Where focus is: a control in Linger's tip (its label, role or text) or the page's, in a shadow root or not (its id or text). */
  const focused = (page: Page) =>
    page.evaluate(() => {
      let el = document.activeElement
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
      return el?.getAttribute('aria-label') ?? el?.getAttribute('role') ?? (el?.id || (el === document.body ? 'the page body' : el?.textContent))
    })

  it('Tab from the target goes into its tip, Shift+Tab back; from the tip’s last button Tab goes on to the page’s next control after the target, not off the end of the page', async () => {
    // A toolbar component: its Export and Share buttons in its shadow root, then the page's own link.
    const toolbar = `customElements.define('ds-toolbar', class extends HTMLElement { constructor() { super(); this.attachShadow({ mode: 'open' }).innerHTML = '<button id="t">Export</button> <button id="share">Share</button>' } });`
    const page = await openTour(
      [{ id: 'export', target: '#t', title: 'Export from here', placement: 'bottom' }],
      '<a href="#a" id="before">Before</a> <ds-toolbar></ds-toolbar> <a href="#b" id="after">After</a>',
      toolbar,
    )
    await tip(page)
    const at = () => focused(page)
    await page.locator('ds-toolbar >> #t').focus()
    await page.keyboard.press('Tab')
    expect(await at()).toBe('dialog')
    await page.keyboard.press('Shift+Tab')
    expect(await at()).toBe('t')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await at()).toBe('Close tour')
    await page.keyboard.press('Tab')
    expect(await at()).toBe('Done')
    await page.keyboard.press('Tab')
    expect(await at(), 'the control after Export, in the toolbar').toBe('share')
    expect(await seen(page)).toEqual(['tour:step-viewed'])
  })

  it('the target named by its component’s own tag (<ds-action id="export">, its button inside): from the tip’s last button Tab goes on to the page’s next control, not off the end of the page', async () => {
    // As a design system's button does: focus on the element goes to the button in its shadow root.
    const action = `customElements.define('ds-action', class extends HTMLElement { constructor() { super(); this.attachShadow({ mode: 'open', delegatesFocus: true }).innerHTML = '<button>Export</button>' } });`
    const page = await openTour(
      [{ id: 'export', target: '#export', title: 'Export from here', placement: 'bottom' }],
      '<a href="#a" id="before">Before</a> <ds-action id="export"></ds-action> <a href="#b" id="after">After</a>',
      action,
    )
    await tip(page)
    const at = () => focused(page)
    await page.locator('#export').focus()
    await page.keyboard.press('Tab')
    expect(await at()).toBe('dialog')
    await page.keyboard.press('Shift+Tab')
    expect(await at(), 'the component’s button').toBe('Export')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await at()).toBe('Done')
    await page.keyboard.press('Tab')
    expect(await at(), 'the page’s link after the component').toBe('after')
  })

  it('a target slotted into a component (a card whose own OK button follows its slot): from the tip’s last button Tab goes to that OK button, as the browser’s own Tab order does', async () => {
    const card = `customElements.define('ds-card', class extends HTMLElement { constructor() { super(); this.attachShadow({ mode: 'open' }).innerHTML = '<button id="hdr">Header</button><slot></slot><button id="ok">OK</button>' } });`
    const page = await openTour(
      [{ id: 'pick', target: '#t', title: 'Pick a plan here', placement: 'bottom' }],
      '<ds-card><button id="t">Pick</button></ds-card> <a href="#b" id="after">After</a>',
      card,
    )
    await tip(page)
    await page.locator('#t').focus()
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('dialog')
    for (let i = 0; i < 3 && (await focused(page)) !== 'Done'; i++) await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('Done')
    await page.keyboard.press('Tab')
    expect(await focused(page), 'the card’s OK button, after its slot').toBe('ok')
  })

  it('the controls just after the target disabled, or in a closed drawer (inert), or hidden: Tab from the tip’s last button goes to the first the user can reach, not off the page; a heading as the target too', async () => {
    const page = await openTour(
      [{ id: 'plans', target: '#plans', title: 'Your plans', placement: 'bottom' }],
      '<h2 id="plans">Plans</h2> <fieldset disabled><button id="off">Off</button></fieldset> <nav inert><a href="#m" id="menu">Menu</a></nav> <button id="ghost" style="visibility:hidden">Ghost</button> <a href="#n" id="next">Next</a>',
    )
    await tip(page)
    for (let i = 0; i < 6 && (await focused(page)) !== 'Done'; i++) await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('Done')
    await page.keyboard.press('Tab')
    expect(await focused(page), 'the first control the user can reach after the heading').toBe('next')
  })
})
