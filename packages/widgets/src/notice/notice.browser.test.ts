import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { axeViolations } from '../../../../test/axe'
import { endsAfterItsWord } from '../../../../test/reading-order'
import { EAR, heard, IN_BACKGROUND, toFront } from '../../../../test/ear'

// Announcements and billing prompts on a real page under a strict CSP, delivering to a real
// collector: one banner at a time, a wall that blocks, a feed that counts what is unread.
const NONCE = 'n0nc3'
const DAY = 86_400_000
const flows = {
  settings: { cooldownDays: 0 },
  announcements: [
    { id: 'bulk-export', format: 'banner', title: 'Export many invoices at once', body: 'Pick invoices, press Export.', feature: 'bulk-export', pushLayout: true, action: { label: 'Try it', url: '/invoices' } },
    { id: 'templates', format: 'feed', title: 'Invoice templates', body: 'Save a layout once, reuse it.', publishedAt: '2026-02-20' },
    { id: 'reports', format: 'feed', title: 'Monthly reports', publishedAt: '2026-01-10' },
  ],
  billing: {
    renewalReminders: { id: 'renewal', title: 'Your plan renews soon', action: 'Check payment details' },
    annualOffer: { id: 'go-annual', title: 'Save 20% with yearly billing', action: 'Switch to yearly', percent: 20, afterMonths: 3 },
    paymentPrompt: { id: 'card-failed', title: 'Your last payment failed', body: 'Update your card to keep your workspace.', action: 'Update card', wallAfterDays: 7, wallTitle: 'Your workspace is on hold' },
  },
}

const suite = useBrowserSuite({ pageErrors: 'each' })
let csp = ''
beforeAll(() => {
  csp = `default-src 'self'; script-src 'self' 'nonce-${NONCE}'; style-src 'self'; connect-src 'self' ${suite.collector.url}; img-src 'self'`
})

async function open(userId: string, traits: Record<string, unknown>, opts: { viewport?: { width: number; height: number }; locale?: string; flows?: object; body?: string; csp?: string } = {}) {
  const init = suite.initScript({ flows: opts.flows ?? flows, ...(opts.locale ? { locale: opts.locale } : {}) }).replace(/\);$/, '')
  const script = `
    window.portalOpened = 0; window.planChanges = [];
    ${init.replace("linger('init', ", "linger('init', Object.assign(")}, { handlers: { onUpdatePayment: () => { portalOpened++; return new Promise((r) => setTimeout(r, 300)) }, onPlanChange: (offer) => { planChanges.push(offer); return new Promise((r) => setTimeout(r, 300)) } } }));
    linger('identify', ${JSON.stringify(userId)}, ${JSON.stringify(traits)});
    linger.on('ready', () => (window.lingerReady = true));`
  const body = opts.body ?? `<main id="app"><h1>Invoices</h1><input id="search" aria-label="Search"></main>`
  const context = await suite.browser.newContext(opts.viewport ? { viewport: opts.viewport } : {})
  const { page } = await suite.open(`/app-${userId}`, suite.hostPage({ body, script, csp: opts.csp ?? csp, nonce: NONCE }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return page
}

const banner = (page: Page) => page.locator('[data-linger] section.banner')

const delivered = (event: string, userId: string) => suite.collector.delivered().filter((e) => e.event === event && e.userId === userId)

describe('a "what\'s new" modal', () => {
  it('that becomes due while someone types in the page waits for them to pause, then takes focus', async () => {
    const modalFlows = {
      settings: { cooldownDays: 0 },
      announcements: [
        { id: 'v3', format: 'modal', title: 'Version 3 is here', body: 'A new editor.', audience: { trait: 'plan', eq: 'pro' } },
        { id: 'templates', format: 'feed', title: 'Invoice templates', publishedAt: '2026-02-20' },
      ],
    }
    const page = await open('modal-typing', { plan: 'free' }, { flows: modalFlows })
    const modal = page.locator('[role="dialog"][aria-modal="true"]')
    await page.locator('#search').click()
    await page.keyboard.type('overdue ', { delay: 60 })
    // The vendor upgrades the user mid-sentence: the modal is due now.
    await page.evaluate(() => {
      const w = window as any
      w.shownNow = []
      w.linger.on('announcement:shown', (p: unknown) => w.shownNow.push(p))
      w.linger('identify', 'modal-typing', { plan: 'pro' })
    })
    await page.keyboard.type('invoices from march', { delay: 120 })
    expect(await page.locator('#search').inputValue()).toBe('overdue invoices from march')
    expect(await modal.count()).toBe(0)
    // Not on screen, not reported as shown.
    expect(await page.evaluate(() => (window as any).shownNow)).toEqual([])
    // They paused: it opens and takes focus, as a modal does (after the 2 s typing pause and its
    // chunk, which a loaded machine can stretch past 6 s).
    await expect.poll(() => modal.count(), { timeout: 15_000 }).toBe(1)
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName.toLowerCase())).not.toBe('input')
    expect(await page.evaluate(() => (window as any).shownNow)).toEqual([expect.objectContaining({ announcementId: 'v3' })])
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Announcement Shown' && x.userId === 'modal-typing'))
  })
})

describe('a banner that comes while a modal is open', () => {
  it('waits behind it, inert, and takes its place at the top once the modal is closed', async () => {
    const both = {
      settings: { cooldownDays: 0 },
      announcements: [
        { id: 'v3', format: 'modal', title: 'Version 3 is here', body: 'A new editor.' },
        { id: 'bulk-export', format: 'banner', title: 'Export many invoices at once', audience: { trait: 'plan', eq: 'pro' } },
      ],
    }
    const page = await open('modal-banner', { plan: 'free' }, { flows: both })
    const modal = page.locator('[role="dialog"][aria-modal="true"]')
    await expect.poll(() => modal.count()).toBe(1)
    await page.evaluate(() => (window as any).linger('identify', 'modal-banner', { plan: 'pro' }))
    await expect.poll(() => banner(page).count()).toBe(1)
    const dismiss = banner(page).getByRole('button', { name: 'Dismiss' })
    const at = (await dismiss.boundingBox())!
    // What a click there reaches: the modal's backdrop, not the banner.
    const hit = () => page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.tagName.toLowerCase(), [at.x + at.width / 2, at.y + at.height / 2])
    expect(await hit()).not.toBe('linger-announcements-banner')
    expect(await page.evaluate(() => document.querySelector('linger-announcements-banner')!.hasAttribute('inert'))).toBe(true)
    await page.keyboard.press('Escape')
    await expect.poll(() => modal.count()).toBe(0)
    await expect.poll(hit).toBe('linger-announcements-banner')
    expect(await page.evaluate(() => document.querySelector('linger-announcements-banner')!.hasAttribute('inert'))).toBe(false)
    await dismiss.click()
    await expect.poll(() => banner(page).count()).toBe(0)
  })

  it('is not counted as shown while it waits behind the modal, where no one can see it: only once the modal is closed', async () => {
    const both = {
      settings: { cooldownDays: 0 },
      announcements: [
        { id: 'v3', format: 'modal', title: 'Version 3 is here', body: 'A new editor.' },
        { id: 'bulk-export', format: 'banner', title: 'Export many invoices at once', audience: { trait: 'plan', eq: 'pro' } },
      ],
    }
    const page = await open('modal-banner-shown', { plan: 'free' }, { flows: both })
    const modal = page.locator('[role="dialog"][aria-modal="true"]')
    await expect.poll(() => modal.count()).toBe(1)
    await page.evaluate(() => {
      const w = window as any
      w.shownNow = []
      w.linger.on('announcement:shown', (p: { announcementId: string }) => w.shownNow.push(p.announcementId))
      w.linger('identify', 'modal-banner-shown', { plan: 'pro' })
    })
    // The banner is on the page, behind the modal (inert, under its backdrop).
    await expect.poll(() => page.evaluate(() => !!document.querySelector('linger-announcements-banner')?.hasAttribute('inert'))).toBe(true)
    await expect.poll(() => banner(page).count()).toBe(1)
    expect(await page.evaluate(() => (window as any).shownNow)).toEqual([])
    await page.keyboard.press('Escape')
    await expect.poll(() => modal.count()).toBe(0)
    // Now the user can see it: shown, once.
    await expect.poll(() => page.evaluate(() => (window as any).shownNow)).toEqual(['bulk-export'])
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Announcement Shown' && x.userId === 'modal-banner-shown' && x.properties?.announcementId === 'bulk-export'))
    expect(delivered('Announcement Shown', 'modal-banner-shown').map((e) => e.properties?.announcementId)).toEqual(['v3', 'bulk-export'])
  })
})

/**
 * What a click at the middle of each of the page's controls (by selector) and of the banner's ×
 * reaches: true when it lands on that control, on screen. And whether the banner overlaps the
 * host's own fixed bar (`#bar`, where the page has one), and whether the page scrolls.
 */
const reachOf = (page: Page, selectors: string[]): Promise<Record<string, boolean>> =>
  page.evaluate((selectors) => {
    const root = document.querySelector('linger-announcements-banner')!.shadowRoot!
    const hit = (el: Element) => {
      const r = el.getBoundingClientRect()
      const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)
      return r.top >= 0 && r.bottom <= innerHeight && !!at && el.contains(at.shadowRoot?.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) ?? at)
    }
    const b = root.querySelector('section')!.getBoundingClientRect()
    const bar = document.querySelector('#bar')?.getBoundingClientRect()
    return {
      ...Object.fromEntries(selectors.map((s) => [s, hit(document.querySelector(s)!)])),
      dismiss: hit(root.querySelector('button.close')!),
      overlap: !!bar && b.top < bar.bottom && bar.top < b.bottom,
      pageScrolls: document.documentElement.scrollHeight > innerHeight,
    }
  }, selectors)

describe('announcement banner', () => {
  it('appears at the top without taking focus, pushes the page only because the vendor asked, and goes for good when dismissed', async () => {
    const page = await open('ann-1', {})
    await page.focus('#search')
    await expect.poll(() => banner(page).textContent()).toContain('Export many invoices at once')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search')
    const box = (await banner(page).boundingBox())!
    // Pushing the page, it is the page's first row: at its very top, edge to edge.
    expect([box.y, box.width]).toEqual([0, await page.evaluate(() => document.documentElement.clientWidth)])
    // pushLayout: the body is padded down to the banner's bottom edge, so nothing of the page is covered.
    await expect.poll(() => page.evaluate(() => parseFloat(getComputedStyle(document.body).paddingTop))).toBeCloseTo(box.y + box.height, 0)
    expect(await axeViolations(page, 'linger-announcements-banner')).toEqual([])
    // By keyboard: from the search box into the banner, Enter on its ×, and back to the search box.
    await banner(page).getByRole('button', { name: 'Dismiss' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).count()).toBe(0)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search')
    expect(await page.evaluate(() => getComputedStyle(document.body).paddingTop)).toBe('0px')
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Announcement Dismissed' && x.userId === 'ann-1'))
    expect(events.filter((x) => x.userId === 'ann-1' && x.event?.startsWith('Announcement ')).map((x) => [x.event, x.properties])).toEqual([
      ['Announcement Shown', { announcementId: 'bulk-export', format: 'banner', feature: 'bulk-export' }],
      ['Announcement Dismissed', { announcementId: 'bulk-export', format: 'banner', feature: 'bulk-export' }],
    ])
    await page.reload()
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.waitForTimeout(500)
    expect(await banner(page).count()).toBe(0)
  })

  it("closed by keyboard after Tabbing in from the search field through another Linger surface, puts them back in the field, not on that surface's Open: their next Enter opens nothing", async () => {
    const page = await open('ann-through', {})
    await banner(page).waitFor()
    // Another Linger surface (its host takes no focus) before the banner in Tab order; its Open is counted.
    await page.evaluate(() => {
      const other = document.createElement('linger-other')
      other.setAttribute('data-linger', 'other')
      document.body.insertBefore(other, document.querySelector('linger-announcements-banner'))
      other.attachShadow({ mode: 'open' }).innerHTML = '<button aria-label="Open">What’s new</button>'
      ;(window as any).opened = 0
      other.shadowRoot!.querySelector('button')!.addEventListener('click', () => (window as any).opened++)
    })
    const label = () =>
      page.evaluate(() => {
        let el = document.activeElement
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
        return el?.getAttribute('aria-label') ?? (el?.id || el?.textContent)
      })
    await page.focus('#search')
    const passed: (string | null | undefined)[] = []
    for (let i = 0; i < 5 && (await label()) !== 'Dismiss'; i++) {
      await page.keyboard.press('Tab')
      passed.push(await label())
    }
    expect(passed).toEqual(['Open', 'Try it', 'Dismiss'])
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).count()).toBe(0)
    expect(await label()).toBe('Search')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => (window as any).opened)).toBe(0)
  })

  it('at the bottom, shares the edge with the "what\'s new" launcher without covering it, down to 320px', async () => {
    const bottom = { ...flows, announcements: flows.announcements.map((a) => (a.format === 'banner' ? { ...a, position: 'bottom' } : a)) }
    for (const width of [1280, 320]) {
      const page = await open(`ann-bottom-${width}`, {}, { viewport: { width, height: 640 }, flows: bottom })
      await expect.poll(() => banner(page).count()).toBe(1)
      const launcher = page.locator('linger-announcements-feed button.launcher')
      await launcher.waitFor()
      await expect
        .poll(async () => {
          const [b, l] = [(await banner(page).boundingBox())!, (await launcher.boundingBox())!]
          // The launcher sits above the banner, and both fit the screen.
          return [l.y + l.height <= b.y, b.x >= 0 && b.x + b.width <= width, l.x >= 0 && l.x + l.width <= width, b.y + b.height <= 640]
        })
        .toEqual([true, true, true, true])
      await page.context().close()
    }
  })

  it('pushing the page, it also pushes down the host\'s fixed header: the header\'s buttons and the banner\'s both stay in reach, from 320px', async () => {
    // The host's own app bar, fixed at the top, with the page padded to start below it (inline
    // styles: no CSP on this page).
    const body =
      '<header id="bar" style="position:fixed;top:0;left:0;right:0;height:56px;display:flex;justify-content:space-between;align-items:center;background:#fff">' +
      '<button id="home">Home</button><button id="menu">Menu</button></header>' +
      '<main id="app" style="padding-top:56px"><h1>Invoices</h1><input id="search" aria-label="Search"></main>'
    for (const width of [1280, 320]) {
      const page = await open(`ann-header-${width}`, {}, { viewport: { width, height: 640 }, body, csp: '' })
      await expect.poll(() => banner(page).count()).toBe(1)
      const dismiss = banner(page).getByRole('button', { name: 'Dismiss' })
      await expect.poll(() => reachOf(page, ['#home', '#menu'])).toEqual({ '#home': true, '#menu': true, dismiss: true, overlap: false, pageScrolls: false })
      // The page's content starts below both: its heading is not under the bar.
      const h1 = (await page.locator('h1').boundingBox())!
      const bar = (await page.locator('#bar').boundingBox())!
      expect(h1.y).toBeGreaterThanOrEqual(bar.y + bar.height)
      await dismiss.click()
      await expect.poll(() => banner(page).count()).toBe(0)
      // Gone, it gives the bar its place back.
      await expect.poll(async () => (await page.locator('#bar').boundingBox())!.y).toBe(0)
      await page.context().close()
    }
  })

  it('pushing the page from the bottom, it also pushes up the host\'s fixed footer: the footer\'s buttons and the banner\'s both stay in reach, from 320px', async () => {
    // The host's cookie bar, fixed at the bottom, with the page padded to end above it. The banner
    // covered it: "Accept" could not be pressed while the banner was up. (No feed: its launcher,
    // docked in the bottom corner, is another matter.)
    const bottom = { ...flows, announcements: flows.announcements.filter((a) => a.format === 'banner').map((a) => ({ ...a, position: 'bottom' })) }
    const body =
      '<main id="app" style="padding-bottom:56px"><h1>Invoices</h1><input id="search" aria-label="Search"></main>' +
      '<footer id="bar" style="position:fixed;bottom:0;left:0;right:0;height:56px;display:flex;justify-content:space-between;align-items:center;background:#fff">' +
      '<button id="accept">Accept</button><button id="prefs">Settings</button></footer>'
    for (const width of [1280, 320]) {
      const page = await open(`ann-footer-${width}`, {}, { viewport: { width, height: 640 }, flows: bottom, body, csp: '' })
      await expect.poll(() => banner(page).count()).toBe(1)
      const dismiss = banner(page).getByRole('button', { name: 'Dismiss' })
      await expect.poll(() => reachOf(page, ['#accept', '#prefs'])).toEqual({ '#accept': true, '#prefs': true, dismiss: true, overlap: false, pageScrolls: false })
      // The end of the page's content scrolls up above both: its search box is not under the bar.
      await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight))
      await expect.poll(() => reachOf(page, ['#accept']).then((r) => r['#accept'])).toBe(true)
      const search = (await page.locator('#search').boundingBox())!
      const bar = (await page.locator('#bar').boundingBox())!
      expect(search.y + search.height).toBeLessThanOrEqual(bar.y)
      await dismiss.click()
      await expect.poll(() => banner(page).count()).toBe(0)
      // Gone, it gives the bar its place back.
      await expect.poll(async () => (await page.locator('#bar').boundingBox())!.y).toBe(640 - 56)
      await page.context().close()
    }
  })

  it('pushing an app that fills the screen (a column of header, scrolling main, tab bar), keeps all of it on screen: its tab bar is neither pushed off nor covered', async () => {
    // A single-page app's shell: the body is exactly the screen tall, its main part scrolls, its
    // tab bar is the last row. Padding added to a body that tall made it taller than the screen:
    // the tab bar went below the fold (banner at the top) or under the banner (at the bottom).
    const body =
      '<header style="height:48px">Acme</header><main id="app" style="flex:1;overflow:auto"><h1>Invoices</h1><input id="search" aria-label="Search"></main>' +
      '<nav id="tabs" style="display:flex;justify-content:space-between;height:48px"><button id="home">Home</button><button id="more">More</button></nav>' +
      '<style>html,body{height:100%;margin:0}body{display:flex;flex-direction:column}</style>'
    for (const position of ['top', 'bottom'])
      for (const width of [1280, 320]) {
        const atEdge = { ...flows, announcements: flows.announcements.filter((a) => a.format === 'banner').map((a) => ({ ...a, position })) }
        const page = await open(`ann-shell-${position}-${width}`, {}, { viewport: { width, height: 640 }, flows: atEdge, body, csp: '' })
        await expect.poll(() => banner(page).count()).toBe(1)
        await expect.poll(() => reachOf(page, ['#home', '#more'])).toEqual({ '#home': true, '#more': true, dismiss: true, overlap: false, pageScrolls: false })
        await banner(page).getByRole('button', { name: 'Dismiss' }).click()
        await expect.poll(() => banner(page).count()).toBe(0)
        // Gone, the app has the whole screen back.
        await expect.poll(async () => (await page.locator('#tabs').boundingBox())!.y).toBe(640 - 48)
        await page.context().close()
      }
  })

  it('pushing the page, it also pushes down a fixed header the app renders only after the banner is up (a single-page app), so the header\'s buttons stay in reach', async () => {
    const page = await open('ann-late-header', {}, { viewport: { width: 1280, height: 640 }, csp: '' })
    await expect.poll(() => banner(page).count()).toBe(1)
    await expect.poll(() => page.evaluate(() => parseFloat(getComputedStyle(document.body).paddingTop))).toBeGreaterThan(16)
    // The app's shell renders its header late, fixed at the top.
    await page.evaluate(() => {
      const bar = document.createElement('header')
      bar.id = 'bar'
      bar.style.cssText = 'position:fixed;top:0;left:0;right:0;height:56px;display:flex;justify-content:space-between;align-items:center;background:#fff'
      bar.innerHTML = '<button id="home">Home</button><button id="menu">Menu</button>'
      document.body.prepend(bar)
    })
    await expect.poll(() => reachOf(page, ['#home', '#menu'])).toEqual({ '#home': true, '#menu': true, dismiss: true, overlap: false, pageScrolls: false })
    await banner(page).getByRole('button', { name: 'Dismiss' }).click()
    await expect.poll(() => banner(page).count()).toBe(0)
    // Gone, it gives the bar its place back.
    await expect.poll(async () => (await page.locator('#bar').boundingBox())!.y).toBe(0)
  })

  it('that comes in a tab opened in the background is read out when the user comes to that tab, not while they are in another one', async () => {
    const page = await open('ann-background', {}, { body: `<script nonce="${NONCE}">${EAR}${IN_BACKGROUND}</script><main id="app"><h1>Invoices</h1></main>` })
    await expect.poll(() => banner(page).count()).toBe(1)
    // The "what's new" launcher, also announced-free, comes after: Linger has put up all it shows here.
    await page.locator('linger-announcements-feed button.launcher').waitFor()
    expect(await heard(page)).toEqual([])
    await toFront(page)
    await expect.poll(() => heard(page)).toEqual([{ text: 'Export many invoices at once', background: false, bannerHidden: false }])
  })

  it('stays inside a 320px viewport', async () => {
    const page = await open('ann-2', {}, { viewport: { width: 320, height: 640 } })
    await expect.poll(() => banner(page).count()).toBe(1)
    const box = (await banner(page).boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(320)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
  })
})

describe('announcement banner on a phone held sideways (740 × 360)', () => {
  it('takes one row, as on a phone held upright: the title and its action in sight, the body behind its disclosure and still read out', async () => {
    const velocity = {
      id: 'velocity',
      format: 'banner',
      title: 'You asked, we built it: velocity reports',
      body: 'See how fast your team closes tasks, week by week, and where work waits longest.',
      pushLayout: true,
      action: { label: 'Open reports', url: '/reports' },
    }
    const page = await open('ann-landscape', {}, { viewport: { width: 740, height: 360 }, flows: { settings: { cooldownDays: 0 }, announcements: [velocity] } })
    await expect.poll(() => banner(page).count()).toBe(1)
    const box = (await banner(page).boundingBox())!
    // A sixth of the screen was gone to it, two more rows of the page's list out of sight.
    expect(box.height).toBeLessThanOrEqual(360 * 0.12)
    await expect(banner(page).getByRole('link', { name: 'Open reports' }).isVisible()).resolves.toBe(true)
    expect(await banner(page).ariaSnapshot()).toContain('where work waits longest')
    const more = banner(page).getByRole('button', { expanded: false })
    await more.click()
    await expect.poll(async () => (await banner(page).boundingBox())!.height).toBeGreaterThan(box.height)
    await expect(banner(page).getByText('where work waits longest').isVisible()).resolves.toBe(true)
  })
})

describe('announcement banner in a short laptop window (1280 × 450)', () => {
  it('shows its body on the one row it takes anyway: nothing folded behind a button the user must press to read it', async () => {
    const velocity = { id: 'velocity', format: 'banner', title: 'Velocity reports', body: 'See how fast your team closes tasks.', pushLayout: true }
    const page = await open('ann-short-laptop', {}, { viewport: { width: 1280, height: 450 }, flows: { settings: { cooldownDays: 0 }, announcements: [velocity] } })
    await expect.poll(() => banner(page).count()).toBe(1)
    // Folded, the body is clipped to a single pixel: there, but not to be read.
    const body = (await banner(page).getByText('See how fast your team closes tasks.').boundingBox())!
    expect({ bodyWidth: body.width > 100, disclosure: await banner(page).getByRole('button', { expanded: false }).count() }).toEqual({ bodyWidth: true, disclosure: 0 })
  })
})

describe('announcement banner on a phone, heard with a screen reader', () => {
  it('names its disclosure button as what it does, showing more of the title\'s announcement, not as the title alone (which sounds like the banner\'s action), in the user\'s language', async () => {
    for (const [locale, more] of [['en', 'More:'], ['de', 'Mehr:']]) {
      const page = await open(`ann-more-${locale}`, {}, { viewport: { width: 320, height: 640 }, locale })
      await expect.poll(() => banner(page).count()).toBe(1)
      await expect(banner(page).getByRole('button', { name: `${more} Export many invoices at once`, exact: true, expanded: false }).count()).resolves.toBe(1)
      await page.context().close()
    }
  })
})

describe('"what\'s new" feed', () => {
  it('the launcher says how many are unread; opening reads them, Esc closes and gives focus back', async () => {
    const page = await open('feed-1', {})
    const launcher = page.locator('linger-announcements-feed button.launcher')
    await expect.poll(() => launcher.getAttribute('aria-label')).toBe("What's new, 2 unread")
    await launcher.click()
    const panel = page.locator('linger-announcements-feed #la-panel')
    await expect.poll(() => panel.isVisible()).toBe(true)
    expect(await panel.locator('h3').allTextContents()).toEqual(['Invoice templates', 'Monthly reports'])
    expect(await launcher.getAttribute('aria-label')).toBe("What's new")
    expect(await axeViolations(page, 'linger-announcements-feed')).toEqual([])
    await page.keyboard.press('Escape')
    await expect.poll(() => panel.isVisible()).toBe(false)
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('LINGER-ANNOUNCEMENTS-FEED')
    const events = await suite.collector.waitFor((e) => e.filter((x) => x.userId === 'feed-1' && x.event === 'Announcement Shown' && x.properties.format === 'feed').length === 2)
    expect(events.filter((x) => x.userId === 'feed-1' && x.properties?.format === 'feed').map((x) => x.properties.announcementId).sort()).toEqual(['reports', 'templates'])
  })
})

describe('"what\'s new" feed on a page with its own bar fixed at the bottom', () => {
  it('keeps its launcher and its open panel above the host\'s cookie bar, whose buttons stay in reach, from 320px', async () => {
    const feedOnly = { ...flows, announcements: flows.announcements.filter((a) => a.format === 'feed') }
    const body =
      '<main id="app"><h1>Invoices</h1><input id="search" aria-label="Search"></main>' +
      '<footer id="bar" style="position:fixed;bottom:0;left:0;right:0;height:56px;display:flex;justify-content:space-between;align-items:center;background:#fff">' +
      '<button id="accept">Accept</button><button id="prefs">Settings</button></footer>'
    // Whether a click at the middle of each of the bar's buttons reaches it, and where the bar starts.
    const bar = (page: Page) =>
      page.evaluate(() => {
        const hit = (el: Element) => {
          const r = el.getBoundingClientRect()
          return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === el
        }
        return { accept: hit(document.querySelector('#accept')!), prefs: hit(document.querySelector('#prefs')!), top: document.querySelector('#bar')!.getBoundingClientRect().top }
      })
    for (const width of [1280, 320]) {
      const page = await open(`feed-footer-${width}`, {}, { viewport: { width, height: 640 }, flows: feedOnly, body, csp: '' })
      const launcher = page.locator('linger-announcements-feed button.launcher')
      await launcher.waitFor()
      await expect.poll(() => bar(page)).toEqual({ accept: true, prefs: true, top: 640 - 56 })
      const l = (await launcher.boundingBox())!
      expect(l.y + l.height).toBeLessThanOrEqual(640 - 56)
      await launcher.click()
      const panel = page.locator('linger-announcements-feed section.panel')
      await expect.poll(() => panel.isVisible()).toBe(true)
      const p = (await panel.boundingBox())!
      expect([p.y >= 0, p.x >= 0, p.x + p.width <= width, p.y + p.height <= 640 - 56]).toEqual([true, true, true, true])
      await page.context().close()
    }
  })
})

describe('"what\'s new" feed longer than its panel', () => {
  it('counts an item shown once the user scrolled to it, not when the feed opened', async () => {
    const notes = Array.from({ length: 12 }, (_, i) => ({
      id: `note-${i}`,
      format: 'feed',
      title: `Release note ${i}`,
      body: 'What changed in this release, in a paragraph long enough to take a few lines of the panel.',
      feature: `feature-${i}`,
      publishedAt: `2026-01-${String(20 - i).padStart(2, '0')}`,
    }))
    const page = await open('feed-long', {}, { flows: { settings: { cooldownDays: 0 }, announcements: notes } })
    await page.evaluate(() => {
      const w = window as any
      w.seenNotes = []
      w.linger.on('announcement:shown', (p: { announcementId: string }) => w.seenNotes.push(p.announcementId))
    })
    const seen = () => page.evaluate(() => (window as any).seenNotes as string[])
    await page.locator('linger-announcements-feed button.launcher').click()
    const panel = page.locator('linger-announcements-feed #la-panel')
    await expect.poll(() => panel.isVisible()).toBe(true)
    // The newest, at the top of the panel, is on screen; the oldest is far under the scroll.
    await expect.poll(seen).toContain('note-0')
    expect(await seen()).not.toContain('note-11')
    // The user scrolls to the end of the feed: now they have seen it.
    await panel.evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await expect.poll(seen).toContain('note-11')
    // Each once, however the user scrolls.
    await panel.evaluate((el) => el.scrollTo(0, 0))
    await panel.evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await expect.poll(seen).toContain('note-0')
    expect(new Set(await seen()).size).toBe((await seen()).length)
  })
})

describe('"what\'s new" feed, read by keyboard', () => {
  it('a survey that opens on its own waits while focus is in the open feed, and comes once the user leaves it', async () => {
    const pulse = { id: 'pulse', kind: 'csat', question: 'How is it going?', trigger: { event: 'Pinged' }, placement: 'bottom-right', repeat: 'always' }
    const page = await open('feed-2', {}, { flows: { ...flows, surveys: [pulse] } })
    const launcher = page.locator('linger-announcements-feed button.launcher')
    await launcher.focus()
    await page.keyboard.press('Enter')
    const panel = page.locator('linger-announcements-feed #la-panel')
    await expect.poll(() => panel.isVisible()).toBe(true)
    // Opening moves focus to the panel's heading (after the render): the user's Tab comes then.
    await expect.poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id ?? null)).toBe('la-title')
    await page.keyboard.press('Tab')
    const focused = () => page.evaluate(() => [document.activeElement?.tagName, document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label') ?? null])
    const before = await focused()
    expect(before[0]).toBe('LINGER-ANNOUNCEMENTS-FEED')
    await page.evaluate(() => (window as any).linger.track('Pinged'))
    await page.waitForTimeout(1500)
    expect(await page.locator('linger-survey [role="dialog"]').count()).toBe(0)
    expect(await panel.isVisible()).toBe(true)
    expect(await focused()).toEqual(before)
    await page.locator('#search').click()
    // The 3 s calm after a click and the survey's chunk: a loaded machine can stretch that past 8 s.
    await page.locator('linger-survey [role="dialog"]').waitFor({ timeout: 15_000 })
    // Focus stays in the host's field: the survey opened beside it, and the feed gave way.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search')
    await expect.poll(() => panel.isVisible()).toBe(false)
  })
})

describe('failed payment', () => {
  it('a few days past due: the banner (outranking the announcement), remind me later hides it', async () => {
    const page = await open('pay-1', { paymentStatus: 'past_due', pastDueSince: new Date(Date.now() - 2 * DAY).toISOString() })
    await expect.poll(() => banner(page).textContent()).toContain('Your last payment failed')
    expect(await page.locator('[data-linger] section.banner').count()).toBe(1)
    expect(await axeViolations(page, 'linger-billing-banner')).toEqual([])
    await banner(page).getByRole('button', { name: 'Remind me later' }).click()
    // The place is free again: the announcement banner gets it.
    await expect.poll(() => banner(page).textContent()).toContain('Export many invoices at once')
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Payment Prompt Shown' && x.userId === 'pay-1'))
    expect(events.find((x) => x.event === 'Payment Prompt Shown' && x.userId === 'pay-1')!.properties).toEqual({ promptId: 'card-failed', stage: 'banner', daysPastDue: 2 })
  })

  it('in Arabic the banner reads right to left, with its buttons in Arabic', async () => {
    const page = await open('pay-ar', { paymentStatus: 'past_due' }, { locale: 'ar', viewport: { width: 320, height: 640 } })
    await expect.poll(() => banner(page).count()).toBe(1)
    expect(await page.locator('linger-billing-banner').getAttribute('dir')).toBe('rtl')
    expect(await banner(page).getByRole('button', { name: 'ذكّرني لاحقًا' }).count()).toBe(1)
    const box = (await banner(page).boundingBox())!
    expect(box.x + box.width).toBeLessThanOrEqual(320)
    expect(await axeViolations(page, 'linger-billing-banner')).toEqual([])
    // The vendor's English text keeps its own order in the Arabic page: its full stop ends the
    // sentence, right of "workspace", not thrown to the front of it.
    expect(await banner(page).locator('.body').evaluate(endsAfterItsWord)).toBe(true)
  })

  it('in Arabic, the vendor\'s English title and body keep a space between them ("failed Update", never "UpdateYour last payment failed")', async () => {
    // The body's gap was its inline-start margin: on English text that side is its left, so in a
    // right-to-left banner it went to the body's far end and the two ran together at the seam.
    const gap = async (page: Page) =>
      banner(page).evaluate((el) => {
        const title = el.querySelector('.title')!.getClientRects()[0]!
        const body = el.querySelector('.body')!.getClientRects()[0]!
        // Where the body's first line sits beside the title: after it in the text's reading order.
        return getComputedStyle(el.querySelector('.text')!).direction === 'rtl' ? title.left - body.right : body.left - title.right
      })
    for (const [id, locale] of [['seam-ar', 'ar'], ['seam-en', 'en']] as const) {
      const page = await open(id, { paymentStatus: 'past_due' }, { locale, viewport: { width: 320, height: 640 } })
      await expect.poll(() => banner(page).count()).toBe(1)
      // On a phone the body is behind the title: opened, it sits beside it.
      await banner(page).getByRole('button', { name: 'Your last payment failed' }).click()
      expect(await gap(page), locale).toBeGreaterThanOrEqual(3)
    }
  })

  it('the vendor\'s banner text reads in its own language\'s direction: English in Arabic widgets, title then "Update your card…" from the left; Arabic in English widgets from the right', async () => {
    // An Arabic browser, English vendor copy: laid out right to left, the first line drew
    // "Update Your last payment failed" and went on "your card to keep…" below: English read as
    // "Update Your last payment failed your card…".
    const order = (page: Page) =>
      banner(page).evaluate((el) => {
        const title = el.querySelector('.title')!.getClientRects()[0]!
        const body = el.querySelector('.body')!.getClientRects()[0]!
        return { sameLine: Math.abs(title.top - body.top) < 4, bodyAfterTitle: body.left >= title.right - 1 ? 'right' : body.right <= title.left + 1 ? 'left' : 'over' }
      })
    const english = await open('order-ar', { paymentStatus: 'past_due' }, { locale: 'ar', viewport: { width: 320, height: 640 } })
    await expect.poll(() => banner(english).count()).toBe(1)
    // On a phone the body is behind the title: opened, it reads on from it.
    await banner(english).getByRole('button', { name: 'Your last payment failed' }).click()
    expect(await order(english)).toEqual({ sameLine: true, bodyAfterTitle: 'right' })
    // Its buttons are still Linger's, in Arabic.
    expect(await banner(english).getByRole('button', { name: 'ذكّرني لاحقًا' }).count()).toBe(1)
    const arabicFlows = { ...flows, billing: { paymentPrompt: { ...flows.billing.paymentPrompt, title: 'فشلت آخر دفعة', body: 'حدّث بطاقتك الآن.' } } }
    const arabic = await open('order-en', { paymentStatus: 'past_due' }, { locale: 'en', flows: arabicFlows, viewport: { width: 800, height: 640 } })
    await expect.poll(() => banner(arabic).count()).toBe(1)
    expect(await order(arabic)).toEqual({ sameLine: true, bodyAfterTitle: 'left' })
  })

  it('past the grace days: a wall that blocks the page, calls onUpdatePayment, and is Resolved when the status changes', async () => {
    const page = await open('pay-2', { paymentStatus: 'past_due', pastDueSince: new Date(Date.now() - 9 * DAY).toISOString() })
    const wall = page.locator('linger-billing-modal [role="alertdialog"]')
    await expect.poll(() => wall.count()).toBe(1)
    expect(await wall.locator('h2').textContent()).toBe('Your workspace is on hold')
    // The page behind is inert and Esc does not close a wall.
    expect(await page.evaluate(() => document.getElementById('app')!.closest('[inert]') !== null)).toBe(true)
    await page.keyboard.press('Escape')
    expect(await wall.count()).toBe(1)
    expect(await wall.getByRole('button').count()).toBe(1)
    expect(await axeViolations(page, 'linger-billing-modal')).toEqual([])
    await wall.getByRole('button', { name: 'Update card' }).click()
    await expect.poll(() => wall.locator('[role="status"]').textContent()).toBe('Thanks! This updates once the change is through.')
    expect(await page.evaluate(() => (window as any).portalOpened)).toBe(1)
    // The vendor's backend saw the new card: the next identify says so.
    await page.evaluate(() => (window as any).linger('identify', 'pay-2', { paymentStatus: 'active' }))
    await expect.poll(() => wall.count()).toBe(0)
    expect(await page.evaluate(() => document.querySelector('[inert]'))).toBeNull()
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Payment Prompt Resolved' && x.userId === 'pay-2'))
    expect(events.filter((x) => x.userId === 'pay-2' && x.event?.startsWith('Payment Prompt')).map((x) => [x.event, x.properties.stage, x.properties.daysPastDue])).toEqual([
      ['Payment Prompt Shown', 'wall', 9],
      ['Payment Prompt Clicked', 'wall', 9],
      ['Payment Prompt Resolved', 'wall', 9],
    ])
  })
  it('a wall that comes up just after the announcement banner: a screen reader hears the wall, never the banner hidden behind it', async () => {
    const page = await open('pay-ear', { paymentStatus: 'past_due', pastDueSince: new Date(Date.now() - 9 * DAY).toISOString() }, { body: `<script nonce="${NONCE}">${EAR}</script><main id="app"><h1>Invoices</h1></main>` })
    const wall = page.getByRole('alertdialog', { name: 'Your workspace is on hold' })
    await wall.waitFor()
    await expect.poll(() => page.evaluate(() => !!document.querySelector('linger-announcements-banner')?.closest('[inert]'))).toBe(true)
    // The live region's pause (60 ms) and more: a message still queued would be said by now.
    await page.waitForTimeout(300)
    expect((await heard(page)).filter((h) => h.bannerHidden && h.text.includes('Export many invoices'))).toEqual([])
  })
  it('a keyboard user who presses Enter on "Update card" keeps their place in the wall while the vendor answers, and after', async () => {
    const page = await open('pay-kbd', { paymentStatus: 'past_due', pastDueSince: new Date(Date.now() - 9 * DAY).toISOString() })
    const wall = page.locator('linger-billing-modal [role="alertdialog"]')
    await expect.poll(() => wall.count()).toBe(1)
    await wall.getByRole('button', { name: 'Update card' }).focus()
    await page.keyboard.press('Enter')
    // Where focus is, through the wall's shadow root: the page's <body> means a screen reader lost its place.
    const focused = () => page.evaluate(() => {
      const a = document.activeElement
      return a?.shadowRoot?.activeElement ? `${a.localName} > ${a.shadowRoot.activeElement.localName}` : a?.localName
    })
    // While onUpdatePayment runs (300 ms in this page), and once it answered.
    await expect.poll(() => page.evaluate(() => (window as any).portalOpened)).toBe(1)
    expect(await focused()).toBe('linger-billing-modal > button')
    await expect.poll(() => wall.locator('[role="status"]').textContent()).toBe('Thanks! This updates once the change is through.')
    expect(await focused()).toBe('linger-billing-modal > button')
  })
})

describe('one billing banner after another', () => {
  it('a keyboard user whose card update lets the annual offer in is not left on "Switch to yearly": a second Enter switches nothing', async () => {
    // The demo: Sam presses Enter on "Update card"; the backend answers with the new payment
    // status, the annual offer takes the banner's place, and focus was on its "Switch to yearly"
    // (the same button, relabelled): one more Enter changed their plan.
    const page = await open('annual-after-card', { paymentStatus: 'past_due', pastDueSince: new Date(Date.now() - 2 * DAY).toISOString(), billingInterval: 'month', subscribedAt: new Date(Date.now() - 100 * DAY).toISOString() })
    await expect.poll(() => banner(page).textContent()).toContain('Your last payment failed')
    await banner(page).getByRole('button', { name: 'Update card' }).focus()
    await page.keyboard.press('Enter')
    // The vendor's backend saw the new card while its handler runs: the next identify says so.
    await page.evaluate(() => (window as any).linger('identify', 'annual-after-card', { paymentStatus: 'active' }))
    await expect.poll(() => banner(page).textContent()).toContain('Save 20% with yearly billing')
    const onOffer = () => page.evaluate(() => document.querySelector('linger-billing-banner')?.shadowRoot?.activeElement?.textContent ?? null)
    expect(await onOffer()).not.toBe('Switch to yearly')
    // Not dropped on the page body either: they are on the new banner, which a screen reader reads.
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.localName ?? document.activeElement?.localName)).toBe('section')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Space')
    expect(await page.evaluate(() => (window as any).planChanges)).toEqual([])
    expect(await banner(page).locator('[role="status"]').count()).toBe(0)
  })
})

describe('renewals and the annual plan', () => {
  it('a renewal 3 days away is one reminder that day: dismissed, it does not come back on reload', async () => {
    // Three calendar days ahead on the user's calendar (Chromium's zone is this machine's), as a
    // date alone: "now + 3 days − 1 h" was 2 calendar days when the test ran just after midnight.
    const day = new Date(Date.now() + 3 * DAY)
    const renewsAt = [day.getFullYear(), day.getMonth() + 1, day.getDate()].map((n, i) => String(n).padStart(i ? 2 : 4, '0')).join('-')
    const page = await open('renew-1', { renewsAt })
    await expect.poll(() => banner(page).textContent()).toContain('Your plan renews soon')
    await banner(page).getByRole('button', { name: 'Dismiss' }).click()
    // The announcement banner takes the place that was freed.
    await expect.poll(() => banner(page).textContent()).toContain('Export many invoices at once')
    await page.reload()
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await expect.poll(() => banner(page).textContent()).toContain('Export many invoices at once')
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Payment Prompt Shown' && x.userId === 'renew-1'))
    expect(suite.collector.stored().filter((x) => x.userId === 'renew-1' && x.event === 'Payment Prompt Shown').map((x) => x.properties)).toEqual([{ promptId: 'renewal', stage: 'reminder', daysUntilRenewal: 3 }])
  })

  it('after months on a monthly plan, the annual offer is accepted through onPlanChange with the configured discount', async () => {
    const page = await open('annual-1', { billingInterval: 'month', subscribedAt: new Date(Date.now() - 100 * DAY).toISOString() })
    await expect.poll(() => banner(page).textContent()).toContain('Save 20% with yearly billing')
    await banner(page).getByRole('button', { name: 'Switch to yearly' }).click()
    await expect.poll(() => banner(page).locator('[role="status"]').textContent()).toBe('Thanks! This updates once the change is through.')
    expect(await page.evaluate(() => (window as any).planChanges)).toEqual([{ offerId: 'go-annual', kind: 'annual', percent: 20 }])
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Plan Offer Accepted' && x.userId === 'annual-1'))
    expect(events.filter((x) => x.userId === 'annual-1' && x.event?.startsWith('Plan Offer')).map((x) => [x.event, x.properties])).toEqual([
      ['Plan Offer Shown', { offerId: 'go-annual', kind: 'annual', percent: 20, variant: 'offer' }],
      ['Plan Offer Accepted', { offerId: 'go-annual', kind: 'annual', percent: 20, variant: 'offer' }],
    ])
  })
})
