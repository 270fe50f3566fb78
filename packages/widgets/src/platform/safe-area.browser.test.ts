import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A phone with a notch and a home indicator, the page drawn edge to edge (viewport-fit=cover): the
// browser's safe-area insets say what the notch and the home bar take. In real Chromium, its
// safe-area emulation standing in for the phone's.
const suite = useBrowserSuite({ pageErrors: 'each' })
const PHONE = { width: 390, height: 844 }
const NOTCH = 47
// Where the tip above a button near the top fits past an 8 px margin, and not past the notch.
const TIP_TARGET_TOP = 150
const HOME_BAR = 34

async function open(path: string, flows: object, page: { body?: string; head?: string; before?: string; viewport?: typeof PHONE; insets?: object } = {}) {
  const script = `${page.before ?? ''}${suite.initScript({ flows: { version: 1, settings: { cooldownDays: 0 }, ...flows } })}
    linger('identify', ${JSON.stringify(path)});`
  suite.site.pages[`/${path}`] = await suite.hostPage({
    head: `<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">${page.head ?? ''}`,
    body: page.body ?? '<main style="padding:0 16px"><h1>Projects</h1><div style="height:2000px"></div></main>',
    script,
  })
  const context = await suite.browser.newContext({ viewport: page.viewport ?? PHONE, hasTouch: true, isMobile: true })
  const tab = await context.newPage()
  tab.on('pageerror', (e) => suite.pageErrors.push(String(e)))
  await (await context.newCDPSession(tab)).send('Emulation.setSafeAreaInsetsOverride', { insets: page.insets ?? { top: NOTCH, bottom: HOME_BAR } })
  await tab.goto(`${suite.site.url}/${path}`)
  return tab
}

const frames = (page: Page) => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
const bulkExport = { id: 'bulk-export', format: 'banner', title: 'Export many invoices at once', body: 'Pick invoices, press Export.' }

const checklists = [{ id: 'first-project', title: 'Your first project', tasks: [{ id: 'add-task', title: 'Add a task', doneWhen: { event: 'Task Created' } }] }]

describe('on a phone with a notch and a home bar, the page drawn edge to edge', () => {
  it('the banner pushing the page sits below the notch and the checklist launcher above the home bar: both can be read and tapped', async () => {
    const flows = { checklists, announcements: [{ id: 'bulk-export', format: 'banner', title: 'Export many invoices at once', body: 'Pick invoices, press Export.', pushLayout: true }] }
    const page = await open('notch-push', flows)
    const banner = page.locator('linger-announcements-banner section.banner')
    const launcher = page.locator('linger-checklist').getByRole('button', { name: /Your first project/ })
    await banner.waitFor({ timeout: 20_000 })
    await launcher.waitFor({ timeout: 20_000 })
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
    expect((await banner.boundingBox())!.y).toBeGreaterThanOrEqual(NOTCH)
    const l = (await launcher.boundingBox())!
    expect(l.y + l.height).toBeLessThanOrEqual(PHONE.height - HOME_BAR)
    // The page's first line is below the banner, not under it.
    const b = (await banner.boundingBox())!
    expect((await page.locator('h1').boundingBox())!.y).toBeGreaterThanOrEqual(b.y + b.height)
    await page.context().close()
  })

  it('a banner at the bottom that does not push the page sits above the home bar', async () => {
    const flows = { announcements: [{ id: 'bulk-export', format: 'banner', position: 'bottom', title: 'Export many invoices at once', body: 'Pick invoices, press Export.' }] }
    const page = await open('home-bar-bottom', flows)
    const banner = page.locator('linger-announcements-banner section.banner')
    await banner.waitFor({ timeout: 20_000 })
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
    const b = (await banner.boundingBox())!
    expect(b.y + b.height).toBeLessThanOrEqual(PHONE.height - HOME_BAR)
    await page.context().close()
  })
})

describe('on a phone with a notch and a home bar, a long message in the middle of the screen', () => {
  // Taller than the screen (a list of what changed, a line each): it scrolls inside.
  const long = 'A faster editor.\n'.repeat(50)
  const fits = async (page: Page, sel: string) => {
    const box = page.locator(sel)
    await box.waitFor({ timeout: 20_000 })
    await frames(page)
    const b = (await box.boundingBox())!
    return { belowNotch: b.y >= NOTCH, aboveHomeBar: b.y + b.height <= PHONE.height - HOME_BAR }
  }

  it('the "what\'s new" modal starts below the notch and ends above the home bar: its title and its buttons can be read and tapped', async () => {
    const page = await open('notch-modal', { announcements: [{ id: 'v3', format: 'modal', title: 'Version 3 is here', body: long }] })
    expect(await fits(page, 'linger-announcements-modal .dialog')).toEqual({ belowNotch: true, aboveHomeBar: true })
    await page.context().close()
  })
})

describe('on a phone held sideways, its notch on the left and room kept on the right as well', () => {
  it('the banner at the top and the checklist launcher in the corner are clear of the notch and of the far edge: read and tapped whole', async () => {
    const SIDEWAYS = { width: 844, height: 390 }
    const flows = { checklists, announcements: [bulkExport] }
    const page = await open('notch-sideways', flows, { viewport: SIDEWAYS, insets: { left: NOTCH, right: NOTCH, bottom: 21 } })
    const banner = page.locator('linger-announcements-banner section.banner')
    const launcher = page.locator('linger-checklist').getByRole('button', { name: /Your first project/ })
    await banner.waitFor({ timeout: 20_000 })
    await launcher.waitFor({ timeout: 20_000 })
    await frames(page)
    const clear = async (box: typeof banner) => {
      const b = (await box.boundingBox())!
      return { pastNotch: b.x >= NOTCH, beforeFarEdge: b.x + b.width <= SIDEWAYS.width - NOTCH }
    }
    expect({ banner: await clear(banner), launcher: await clear(launcher) }).toEqual({ banner: { pastNotch: true, beforeFarEdge: true }, launcher: { pastNotch: true, beforeFarEdge: true } })
    await page.context().close()
  })
})

describe('on a phone held sideways, its notch at one side and as much room kept at the other', () => {
  it('the "what\'s new" launcher and the checklist launcher along the bottom do not overlap: each can be read and tapped', async () => {
    const SIDE = 50
    const flows = { checklists, announcements: [{ id: 'reports', format: 'feed', title: 'Live reports', publishedAt: '2026-02-20' }] }
    const page = await open('notch-sideways-pair', flows, { viewport: { width: 812, height: 375 }, insets: { left: SIDE, right: SIDE, bottom: 21 } })
    const feed = page.locator('linger-announcements-feed .wrap')
    const checklist = page.locator('linger-checklist .wrap')
    await feed.waitFor({ timeout: 20_000 })
    await checklist.waitFor({ timeout: 20_000 })
    await frames(page)
    // A window just wide enough for the two side by side without the notch, not with it.
    const [f, c] = [(await feed.boundingBox())!, (await checklist.boundingBox())!]
    await page.setViewportSize({ width: Math.ceil(f.width + c.width) + 3 * 16 + SIDE, height: 375 })
    await frames(page)
    const [a, b] = [(await feed.boundingBox())!, (await checklist.boundingBox())!]
    const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    expect({ overlap, feedInWindow: a.x >= SIDE, checklistInWindow: b.x + b.width <= page.viewportSize()!.width - SIDE }).toEqual({ overlap: false, feedInWindow: true, checklistInWindow: true })
    await page.context().close()
  })
})

// iOS with the on-screen keyboard up: the visual viewport is the part of the page above the
// keyboard, scrolled down the layout viewport; the notch stays at the top of the screen. Chromium
// has no such keyboard: the page sees the visual viewport an iPhone reports (500 px tall, 250 px down).
const KEYBOARD_UP = `window.visualViewport = { width: 390, height: 500, offsetTop: 250, offsetLeft: 0, pageTop: 250, pageLeft: 0, scale: 1, addEventListener() {}, removeEventListener() {} };`
const onScreen = async (page: Page, sel: string) => (await page.locator(sel).boundingBox())!.y - 250

describe('on a phone with a notch, the on-screen keyboard up (the view scrolled down the page)', () => {
  it('a banner at the top sits below the notch, where it can be read, not under the clock', async () => {
    const page = await open('notch-keyboard', { announcements: [bulkExport] }, { before: KEYBOARD_UP })
    await page.locator('linger-announcements-banner section.banner').waitFor({ timeout: 20_000 })
    await frames(page)
    expect(await onScreen(page, 'linger-announcements-banner section.banner')).toBeGreaterThanOrEqual(NOTCH)
    await page.context().close()
  })

  it('a banner pushing the page sits below the notch too', async () => {
    const page = await open('notch-keyboard-push', { announcements: [{ ...bulkExport, pushLayout: true }] }, { before: KEYBOARD_UP })
    await page.locator('linger-announcements-banner section.banner').waitFor({ timeout: 20_000 })
    await frames(page)
    expect(await onScreen(page, 'linger-announcements-banner section.banner')).toBeGreaterThanOrEqual(NOTCH)
    await page.context().close()
  })
})

describe("on a phone with a notch, a page that already keeps clear of it", () => {
  it('pads its body past the notch: a banner pushing the page leaves no notch-high blank band between it and the page', async () => {
    const page = await open('notch-padded', { announcements: [{ ...bulkExport, pushLayout: true }] }, {
      head: '<style>body{margin:0;padding-top:env(safe-area-inset-top)}h1{margin:0}</style>',
      body: '<main style="padding:0 16px"><h1>Projects</h1><div style="height:2000px"></div></main>',
    })
    const banner = page.locator('linger-announcements-banner section.banner')
    await banner.waitFor({ timeout: 20_000 })
    await frames(page)
    const b = (await banner.boundingBox())!
    const h1 = (await page.locator('h1').boundingBox())!
    expect(h1.y).toBeGreaterThanOrEqual(b.y + b.height)
    expect(h1.y - (b.y + b.height)).toBeLessThan(8)
    await page.context().close()
  })

  it("places its app bar below the notch and its tab bar above the home bar: the banner and the checklist launcher do not cover their buttons", async () => {
    const page = await open('notch-bars', { checklists, announcements: [bulkExport] }, {
      body: `<header id="bar" style="position:fixed;left:0;right:0;top:env(safe-area-inset-top);height:56px;background:#eee">Projects</header>
        <main style="padding:120px 16px 0"><div style="height:2000px"></div></main>
        <nav id="tabs" style="position:fixed;left:0;right:0;bottom:env(safe-area-inset-bottom);height:49px;background:#eee">Home</nav>`,
    })
    const banner = page.locator('linger-announcements-banner section.banner')
    const launcher = page.locator('linger-checklist').getByRole('button', { name: /Your first project/ })
    await banner.waitFor({ timeout: 20_000 })
    await launcher.waitFor({ timeout: 20_000 })
    await frames(page)
    const bar = (await page.locator('#bar').boundingBox())!
    const tabs = (await page.locator('#tabs').boundingBox())!
    const l = (await launcher.boundingBox())!
    expect({ bannerTop: (await banner.boundingBox())!.y, launcherBottom: l.y + l.height }).toEqual({
      bannerTop: expect.toSatisfy((y: number) => y >= bar.y + bar.height),
      launcherBottom: expect.toSatisfy((y: number) => y <= tabs.y),
    })
    await page.context().close()
  })
})

describe('on a phone with a notch, a tour tip over a button near the top of the page, nothing docked at the top', () => {
  it('goes below the button rather than above it under the notch, where the clock hides its title', async () => {
    const flows = {
      checklists,
      tours: [{ id: 'filters', trigger: { event: 'Go' }, steps: [{ id: 's', target: '#filters', placement: 'top', title: 'Filter your projects', body: 'Show only the projects you own.' }] }],
    }
    const page = await open('notch-tip', flows, {
      body: `<main style="padding:0 16px"><div style="height:${TIP_TARGET_TOP}px"></div><button id="filters" style="height:40px">Filters</button><div style="height:2000px"></div></main>`,
      head: '<style>body{margin:0}</style>',
      before: "addEventListener('DOMContentLoaded', function () { linger.track('Go') });",
    })
    await page.locator('linger-checklist').getByRole('button', { name: /Your first project/ }).waitFor({ timeout: 20_000 })
    const tip = page.locator('linger-tours').getByRole('dialog', { name: 'Filter your projects' })
    await tip.waitFor({ timeout: 20_000 })
    await frames(page)
    expect((await tip.boundingBox())!.y).toBeGreaterThanOrEqual(NOTCH)
    await page.context().close()
  })
})
