import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useBrowserSuite } from '../../../../test/harness'
import { axeViolations } from '../../../../test/axe'
import { exampleFlows } from '../../../sdk/src/experiences/checklist/example.fixture'

// Build first: node scripts/build.mjs
const suite = useBrowserSuite()

const flows = {
  version: 1,
  checklists: exampleFlows.checklists,
  // Its launcher shares the review's corner.
  announcements: [{ id: 'templates', format: 'feed', title: 'Invoice templates', publishedAt: '2026-02-20' }],
  valueReviews: [
    {
      id: 'month-in-acme',
      title: 'Your month in Acme',
      intro: 'What your team got done.',
      items: [
        { event: 'Invoice Sent', label: 'Invoices sent' },
        { trait: 'hoursSaved', previousTrait: 'hoursSavedBefore', label: 'Hours saved' },
      ],
    },
  ],
}
const card = (page: Page) => page.getByRole('region', { name: 'Your month in Acme' })
const launcher = (page: Page) => page.getByRole('button', { name: /tasks done/ })
const feed = (page: Page) => page.locator('linger-announcements-feed button.launcher')
const labelWidths = (page: Page) => card(page).locator('dt').evaluateAll((dts) => dts.map((dt) => dt.getBoundingClientRect().width))
type Box = { x: number; y: number; width: number; height: number }

async function openHost(path: string, opts: { locale?: string; viewport?: { width: number; height: number }; flows?: object } = {}) {
  const script =
    suite.initScript({ flows: opts.flows ?? flows, ...(opts.locale ? { locale: opts.locale } : {}) }) +
    "linger('identify','u_1',{hoursSaved:14,hoursSavedBefore:9});linger.track('Signed In');"
  const context = opts.viewport ? await suite.browser.newContext({ viewport: opts.viewport }) : undefined
  return suite.open(path, suite.hostPage({ body: '<main><h1>Acme</h1><label>Search <input id="search"></label></main>', script }), context)
}

describe('the value review in Chromium', () => {
  it('shows last month at the first visit of the month without taking the keyboard, once, and says so to the collector', async () => {
    const { page, context } = await openHost('/review')
    await page.locator('#search').focus()
    await page.keyboard.type('inv')
    await card(page).waitFor()
    await page.keyboard.type('oice')
    expect(await page.locator('#search').inputValue()).toBe('invoice')
    expect(await card(page).textContent()).toContain('Hours saved14+5 vs')
    expect(await axeViolations(page)).toEqual([])
    // Escape closes it once the user is in it.
    await card(page).getByRole('button', { name: 'Close the review' }).focus()
    await page.keyboard.press('Escape')
    await expect.poll(() => card(page).count()).toBe(0)
    // Back where the keyboard came from, not dropped to the top of the page.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search')

    const month = await page.evaluate(() => {
      const d = new Date()
      d.setDate(1)
      d.setMonth(d.getMonth() - 1)
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`
    })
    const events = await suite.collector.waitFor((es) => es.some((e) => e.event === 'Value Review Shown'))
    expect(events.filter((e) => e.event === 'Value Review Shown').map((e) => e.properties)).toEqual([{ reviewId: 'month-in-acme', period: month }])

    // The same month, the next page: not again.
    const again = await context.newPage()
    await again.goto(page.url())
    await launcher(again).waitFor()
    await again.waitForTimeout(500)
    expect(await card(again).count()).toBe(0)
    expect(suite.pageErrors).toEqual([])
  })

  it('fits a 320 px screen beside the checklist launcher, and mirrors in a right-to-left language', async () => {
    const { page } = await openHost('/narrow', { viewport: { width: 320, height: 640 } })
    await card(page).waitFor()
    await launcher(page).waitFor()
    await feed(page).waitFor()
    const [c, l] = [await card(page).boundingBox(), await launcher(page).boundingBox()]
    expect(c!.x).toBeGreaterThanOrEqual(0)
    expect(c!.x + c!.width).toBeLessThanOrEqual(320)
    expect(c!.y + c!.height).toBeLessThanOrEqual(640)
    const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    expect(overlap(c!, l!)).toBe(false)
    expect(overlap(c!, (await feed(page).boundingBox())!)).toBe(false)
    // Its labels keep their words: no label squeezed to a letter or two per line.
    expect(Math.min(...(await labelWidths(page)))).toBeGreaterThan(60)
    expect(await card(page).evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)

    const wide = await openHost('/wide', { viewport: { width: 1280, height: 800 } })
    await card(wide.page).waitFor()
    await feed(wide.page).waitFor()
    expect(overlap((await card(wide.page).boundingBox())!, (await feed(wide.page).boundingBox())!)).toBe(false)
    expect(Math.min(...(await labelWidths(wide.page)))).toBeGreaterThan(60)

    const rtl = await openHost('/rtl', { locale: 'ar', viewport: { width: 1200, height: 800 } })
    await card(rtl.page).waitFor()
    const box = await card(rtl.page).boundingBox()
    // The start corner is the right one in Arabic.
    expect(box!.x).toBeGreaterThan(600)
    expect(await axeViolations(rtl.page)).toEqual([])
    expect(suite.pageErrors).toEqual([])
  })
})

describe('the value review of an English app in an Arabic browser (the widgets follow the browser: right-to-left)', () => {
  it("the vendor's English title, intro and labels read left to right: the full stop ends the intro, not starts it", async () => {
    const { page } = await openHost('/rtl-text', { locale: 'ar', viewport: { width: 1200, height: 800 } })
    await card(page).waitFor()
    // Where the first and last characters of each text are drawn.
    const ends = await card(page).evaluate((el) =>
      ['h2', '.intro', 'dt'].map((selector) => {
        const walker = document.createTreeWalker(el.querySelector(selector)!, NodeFilter.SHOW_TEXT)
        const node = walker.nextNode() as Text
        const left = (i: number) => {
          const r = document.createRange()
          r.setStart(node, i)
          r.setEnd(node, i + 1)
          return r.getBoundingClientRect().left
        }
        return left(node.length - 1) > left(0)
      }),
    )
    expect(ends).toEqual([true, true, true])
  })
})

describe('the value review, keyboard only, reached through another Linger control', () => {
  /** The element that really has focus, through shadow roots. */
  const active = (page: Page) =>
    page.evaluate(() => {
      let el = document.activeElement
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
      return el === document.body ? 'body' : (el?.id || el?.textContent?.trim() || null)
    })
  const inCard = (page: Page) => page.evaluate(() => !!document.querySelector('linger-review')?.shadowRoot?.activeElement)
  const checklistOpen = (page: Page) => page.getByRole('region', { name: /Get started/ }).count()

  /** From the search field, through the checklist launcher, into the card (as Tab goes when the launcher comes first). */
  async function throughTheLauncher(page: Page) {
    await card(page).waitFor()
    await page.locator('#search').focus()
    await launcher(page).focus()
    await card(page).getByRole('button', { name: 'Close the review' }).focus()
    expect(await inCard(page)).toBe(true)
  }

  it('Escape puts them back in the search field they came from, not on the checklist launcher they passed: their next Enter opens no checklist', async () => {
    const { page } = await openHost('/review-through-launcher')
    await throughTheLauncher(page)
    await page.keyboard.press('Escape')
    await expect.poll(() => card(page).count()).toBe(0)
    expect(await active(page)).toBe('search')
    await page.keyboard.press('Enter')
    expect(await checklistOpen(page)).toBe(0)
  })

  it('that field gone meanwhile, Escape leaves them on no Linger control: the next Enter opens nothing', async () => {
    const { page } = await openHost('/review-field-gone')
    await throughTheLauncher(page)
    await page.evaluate(() => document.getElementById('search')!.closest('label')!.remove())
    await page.keyboard.press('Escape')
    await expect.poll(() => card(page).count()).toBe(0)
    expect(await active(page)).toBe('body')
    await page.keyboard.press('Enter')
    expect(await checklistOpen(page)).toBe(0)
  })

  it('asked for from the page\'s "This month" button, then Tabbed to the long way round: Escape puts them back on that button', async () => {
    const manual = { ...flows, valueReviews: flows.valueReviews.map((r) => ({ ...r, schedule: 'manual' })) }
    const { page } = await openHost('/review-asked', { flows: manual })
    await launcher(page).waitFor()
    await page.evaluate(() => {
      const button = Object.assign(document.createElement('button'), { id: 'month', type: 'button', textContent: 'This month' })
      button.addEventListener('click', () => (window as any).linger.show('month-in-acme'))
      document.querySelector('main')!.prepend(button)
    })
    await page.focus('#month')
    await page.keyboard.press('Enter')
    await card(page).waitFor()
    // It takes no focus: the user goes on from the button.
    expect(await active(page)).toBe('month')
    for (let i = 0; i < 8 && !(await inCard(page)); i++) await page.keyboard.press('Tab')
    expect(await inCard(page)).toBe(true)
    await page.keyboard.press('Escape')
    await expect.poll(() => card(page).count()).toBe(0)
    expect(await active(page)).toBe('month')
  })

  it('shown by the app on its own while the user typed in search, then reached by Tab from the row they went on to: Escape puts them back on that row, not in the field they left', async () => {
    const manual = { ...flows, valueReviews: flows.valueReviews.map((r) => ({ ...r, schedule: 'manual' })) }
    const { page } = await openHost('/review-shown-by-app', { flows: manual })
    await launcher(page).waitFor()
    await page.evaluate(() => document.querySelector('main')!.append(Object.assign(document.createElement('button'), { id: 'row', type: 'button', textContent: 'Invoice 42' })))
    await page.locator('#search').focus()
    await page.keyboard.type('inv')
    await page.evaluate(() => (window as any).linger.show('month-in-acme'))
    await card(page).waitFor()
    await page.locator('#row').focus()
    for (let i = 0; i < 8 && !(await inCard(page)); i++) await page.keyboard.press('Tab')
    expect(await inCard(page)).toBe(true)
    await page.keyboard.press('Escape')
    await expect.poll(() => card(page).count()).toBe(0)
    expect(await active(page)).toBe('row')
  })
})
