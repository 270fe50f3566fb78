import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// The shared layout on a real page: Linger's docked surfaces and the host's own bars at the
// screen's edges keep out of each other's way as the user scrolls.
const flows = {
  settings: { cooldownDays: 0 },
  announcements: [{ id: 'bulk-export', format: 'banner', title: 'Export many invoices at once', body: 'Pick invoices, press Export.', pushLayout: true }],
}

const suite = useBrowserSuite({ pageErrors: 'each' })

async function open(path: string, body: string, viewport = { width: 1280, height: 600 }) {
  const script = `${suite.initScript({ flows })}
    linger('identify', ${JSON.stringify(path)});
    linger.on('ready', () => (window.lingerReady = true));`
  const context = await suite.browser.newContext({ viewport })
  const { page } = await suite.open(`/${path}`, suite.hostPage({ body, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return page
}

/** Whether each of the host's buttons is on screen and takes a click at its centre (nothing of Linger's over it). */
const clickable = (page: Page, selectors: string[]) =>
  page.evaluate(
    (selectors) =>
      selectors.map((s) => {
        const r = document.querySelector(s)!.getBoundingClientRect()
        return r.top >= 0 && r.bottom <= innerHeight && document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === document.querySelector(s)
      }),
    selectors,
  )

describe("the host's sticky bar", () => {
  it('a header that sticks only once the user scrolls comes down past the banner pushing the page, its buttons in reach, at 1280 and 320 px', async () => {
    // An app whose header is not at the top of the screen until it sticks there (a page title
    // bar below the product's navigation), and nothing else on the page changes as the user scrolls.
    const body =
      '<nav style="height:120px;background:#111">Acme</nav>' +
      '<header id="bar" style="position:sticky;top:0;height:56px;display:flex;justify-content:space-between;align-items:center;background:#fff">' +
      '<button id="title">Invoices</button><button id="new">New invoice</button></header>' +
      '<main style="height:3000px"><input id="search" aria-label="Search"></main>'
    for (const width of [1280, 320]) {
      const page = await open(`sticky-${width}`, body, { width, height: 600 })
      const banner = page.locator('linger-announcements-banner section.banner')
      await banner.waitFor()
      // Settled: the page is padded down by the banner, and nothing more is coming.
      await expect.poll(() => page.evaluate(() => parseFloat(getComputedStyle(document.body).paddingTop))).toBeGreaterThan(16)
      await page.mouse.wheel(0, 800)
      await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(400)
      await expect.poll(() => clickable(page, ['#title', '#new'])).toEqual([true, true])
      const b = (await banner.boundingBox())!
      expect((await page.locator('#bar').boundingBox())!.y).toBeGreaterThanOrEqual(b.y + b.height)
      await page.context().close()
    }
  })
})

describe("the host's fixed header with a sticky trial notice in its first row (bars within bars)", () => {
  it('the banner pushing the page moves the whole header down past it, not the notice over the header\'s second row: Account stays in reach, at 1280 and 320 px', async () => {
    const body =
      '<header id="bar" style="position:fixed;top:0;left:0;right:0;height:104px;background:#fff">' +
      '<div id="notice" style="position:sticky;top:0;height:40px;background:#a00;color:#fff">3 days left in your trial</div>' +
      '<button id="account" style="margin:12px">Account</button></header>' +
      '<main style="height:3000px;padding-top:104px"><input id="search" aria-label="Search"></main>'
    for (const width of [1280, 320]) {
      const page = await open(`nested-${width}`, body, { width, height: 600 })
      const banner = page.locator('linger-announcements-banner section.banner')
      await banner.waitFor()
      await expect.poll(() => page.evaluate(() => parseFloat(getComputedStyle(document.body).paddingTop))).toBeGreaterThan(16)
      await expect.poll(() => clickable(page, ['#notice', '#account'])).toEqual([true, true])
      const b = (await banner.boundingBox())!
      expect((await page.locator('#bar').boundingBox())!.y).toBeGreaterThanOrEqual(b.y + b.height)
      await page.context().close()
    }
  })
})

describe("the host's app bar that hides as the user scrolls down, under a banner pushing the page", () => {
  it('still hides when they scroll down to read, at 320 px: Linger does not put it back', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `<p>Invoice ${1000 + i}</p>`).join('')
    // The page's own hide-on-scroll header: up and out of sight while the user reads down the list.
    const body =
      '<header id="bar" style="position:fixed;top:0;left:0;right:0;height:56px;background:#fff"><button id="home">Home</button></header>' +
      `<main style="padding-top:56px"><h1>Invoices</h1>${lines}</main>` +
      "<script>addEventListener('scroll', () => { document.querySelector('#bar').style.top = scrollY > 100 ? '-56px' : '0px' })</script>"
    const page = await open('bar-hides', body, { width: 320, height: 568 })
    await page.locator('linger-announcements-banner section.banner').waitFor()
    await expect.poll(() => page.evaluate(() => parseFloat(getComputedStyle(document.body).paddingTop))).toBeGreaterThan(0)
    await page.mouse.wheel(0, 800)
    await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(400)
    // A few frames on: whatever Linger does on a frame after the scroll has been done.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(done)))))
    expect(await page.evaluate(() => document.querySelector('#bar')!.getBoundingClientRect().bottom)).toBeLessThanOrEqual(0)
    await page.context().close()
  })
})

/**
 * Each pair of Linger surfaces that overlap on screen, with their rectangles: what is docked
 * (`position: fixed`, visible) in every surface but the page-wide backdrops of modals.
 */
const overlapping = (page: Page) =>
  page.evaluate(() => {
    const boxes = [...document.querySelectorAll('[data-linger]')].flatMap((host) =>
      [...host.shadowRoot!.querySelectorAll<HTMLElement>('*')]
        .filter((el) => getComputedStyle(el).position === 'fixed' && el.checkVisibility({ visibilityProperty: true }))
        .map((el) => ({ name: `${host.getAttribute('data-linger')} ${el.className}`, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.width && r.height),
    )
    return boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter((b) => a.name.split(' ')[0] !== b.name.split(' ')[0] && a.r.left < b.r.right && b.r.left < a.r.right && a.r.top < b.r.bottom && b.r.top < a.r.bottom)
        .map((b) => `${a.name} ${Math.round(a.r.top)}-${Math.round(a.r.bottom)} × ${b.name} ${Math.round(b.r.top)}-${Math.round(b.r.bottom)}`),
    )
  })

describe('a corner stack taller than the screen between the top banner and the bottom edge', () => {
  const stackFlows = {
    settings: { cooldownDays: 0 },
    checklists: [
      {
        id: 'getting-started',
        title: 'Get started with Acme Projects',
        description: 'Four steps to a working project board.',
        tasks: [
          { id: 'create-project', title: 'Create your first project', doneWhen: { event: 'Project Created' }, cta: { label: 'New project', url: '#/projects/new' }, points: 10 },
          { id: 'add-tasks', title: 'Add three tasks', doneWhen: { event: 'Task Created', count: { gte: 3 } }, points: 10 },
          { id: 'invite', title: 'Invite a teammate', doneWhen: { event: 'Teammate Invited' }, points: 20 },
          { id: 'export', title: 'Export a report', doneWhen: { event: 'Report Exported' }, points: 10 },
        ],
        reward: { points: 50 },
        dismissible: true,
      },
    ],
    valueReviews: [{ id: 'month-in-acme', title: 'Your month in Acme', intro: 'What your team got done, compared with the month before.', items: [{ event: 'Task Created', label: 'Tasks tracked' }] }],
    announcements: [
      { id: 'renewal', format: 'banner', title: 'Your plan renews soon', body: 'Check that your card is up to date so nothing gets interrupted.', pushLayout: true },
      { id: 'slack', format: 'feed', title: 'Slack notifications', body: 'Connect Slack from the dashboard and get task updates where your team talks.', publishedAt: '2026-11-20' },
      { id: 'export', format: 'feed', title: 'Quick export', body: 'Export the current report as CSV from the toolbar.', publishedAt: '2026-10-28' },
      { id: 'templates', format: 'feed', title: 'Project templates', body: 'Start a project from a template: sprint, launch or onboarding.', publishedAt: '2026-09-15' },
    ],
  }
  async function openStack(path: string, viewport: { width: number; height: number }) {
    const script = `${suite.initScript({ flows: stackFlows })}
      linger('identify', ${JSON.stringify(path)});
      linger.on('ready', () => (window.lingerReady = true));`
    const context = await suite.browser.newContext({ viewport })
    const { page } = await suite.open(`/${path}`, suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.locator('linger-announcements-banner section.banner').waitFor()
    return page
  }
  const checklistLauncher = (page: Page) => page.locator('linger-checklist').getByRole('button', { name: /Get started/ })

  it('on a 320 px phone, the open checklist and the value review card both fit below the banner: none of the three covers another', async () => {
    const page = await openStack('stack-320', { width: 320, height: 800 })
    await checklistLauncher(page).click()
    await page.getByRole('region', { name: 'Get started with Acme Projects' }).waitFor()
    await page.evaluate(() => (window as any).linger.show('month-in-acme'))
    await page.getByRole('region', { name: 'Your month in Acme' }).waitFor()
    await expect.poll(() => overlapping(page)).toEqual([])
    await page.context().close()
  })

  it('zoomed to 200 % (1280 × 800 seen as 640 × 400), the open "what\'s new" feed leaves the checklist launcher room below the banner: neither covers it', async () => {
    const page = await openStack('stack-zoom', { width: 640, height: 400 })
    await checklistLauncher(page).waitFor()
    await page.locator('linger-announcements-feed').getByRole('button', { name: /What's new/ }).click()
    await page.locator('linger-announcements-feed').getByRole('heading', { name: "What's new" }).waitFor()
    await expect.poll(() => overlapping(page)).toEqual([])
    await page.context().close()
  })
})

describe("the host's app bar fixed at the top", () => {
  it("a survey in the top corner and a badge toast sit below it: the bar's account menu stays in reach while they are up, at 1280 and 320 px", async () => {
    const barFlows = {
      settings: { cooldownDays: 0 },
      surveys: [{ id: 'pulse', kind: 'csat', question: 'How satisfied are you with invoices?', scale: 5, placement: 'top-right', trigger: { event: 'Invoice Sent' } }],
      badges: [{ id: 'first-invoice', title: 'First invoice', description: 'Sent your first invoice', icon: 'rocket', rule: { event: 'Invoice Sent' } }],
    }
    const body =
      '<header id="bar" style="position:fixed;top:0;left:0;right:0;height:64px;display:flex;justify-content:space-between;align-items:center;padding:0 12px;background:#fff">' +
      '<button id="home">Home</button><button id="account">Account</button></header>' +
      '<main style="padding-top:64px"><h1>Invoices</h1></main>'
    for (const width of [1280, 320]) {
      const path = `app-bar-${width}`
      const script = `${suite.initScript({ flows: barFlows })}
        linger('identify', ${JSON.stringify(path)});
        linger.on('ready', () => (window.lingerReady = true));`
      const context = await suite.browser.newContext({ viewport: { width, height: 700 } })
      const { page } = await suite.open(`/${path}`, suite.hostPage({ body, script }), context)
      await page.waitForFunction(() => (window as any).lingerReady === true)
      await page.evaluate(() => (window as any).linger.track('Invoice Sent'))
      await page.locator('linger-badge-toast').getByText('First invoice').waitFor()
      await expect.poll(() => clickable(page, ['#home', '#account'])).toEqual([true, true])
      // The survey comes once the toast is gone.
      await page.locator('linger-survey').getByRole('radio').first().waitFor({ timeout: 20_000 })
      await expect.poll(() => clickable(page, ['#home', '#account'])).toEqual([true, true])
      const card = (await page.locator('linger-survey [role="dialog"]').boundingBox())!
      expect(card.y).toBeGreaterThanOrEqual(64)
      await context.close()
    }
  })
})
