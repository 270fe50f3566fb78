import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// Several of Linger's surfaces due at once, on a phone and on a desktop, left to right and right to
// left, with reduced motion: the user typing in the page's search field keeps every keystroke, and
// what comes up neither covers another surface nor leaves the screen, and each is in Tab's reach.
const suite = useBrowserSuite({ pageErrors: 'each' })
const flows = {
  settings: { cooldownDays: 0 },
  checklists: [
    {
      id: 'start',
      title: 'Get started with Acme',
      tasks: [
        { id: 'export', title: 'Export a report', doneWhen: { event: 'Report Exported' }, points: 10 },
        { id: 'invite', title: 'Invite a teammate', doneWhen: { event: 'Teammate Invited' } },
      ],
    },
  ],
  surveys: [{ id: 'csat', kind: 'csat', question: 'How satisfied are you with exporting reports?', scale: 5 }],
  tours: [{ id: 'again', trigger: { event: 'Report Exported' }, steps: [{ id: 'export', target: '#export', title: 'Export again any time', body: 'It keeps your filters.' }] }],
  badges: [{ id: 'reporter', title: 'Reporter', description: 'Exported a report', icon: '📊', points: 30, rule: { event: 'Report Exported' } }],
  announcements: [{ id: 'bulk', format: 'banner', title: 'Export many invoices at once', body: 'Pick invoices, press Export.' }],
}
const body = `<header style="display:flex;gap:8px;padding:8px"><input id="search" aria-label="Search" style="flex:1;min-width:0"><button id="new">New</button></header>
  <main style="padding:16px"><h1>Reports</h1><p><button id="export">Export</button> <a href="#details">Details</a></p><p style="height:900px"></p><button id="last">Archive</button></main>`

/** Each visible part of a Linger surface off the screen, and each pair of two surfaces' parts that overlap. */
const misplaced = (page: Page) =>
  page.evaluate(() => {
    const boxes = [...document.querySelectorAll('[data-linger]:not([data-linger=live])')].flatMap((host) =>
      [...host.shadowRoot!.querySelectorAll<HTMLElement>('*')]
        .filter((el) => /fixed|absolute/.test(getComputedStyle(el).position) && el.checkVisibility({ visibilityProperty: true }))
        .map((el) => ({ name: `${host.getAttribute('data-linger')} ${el.className}`, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.width && r.height),
    )
    const off = boxes.filter(({ r }) => r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight).map((b) => `${b.name} off screen`)
    const over = boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter((b) => a.name.split(' ')[0] !== b.name.split(' ')[0] && a.r.left < b.r.right && b.r.left < a.r.right && a.r.top < b.r.bottom && b.r.top < a.r.bottom)
        .map((b) => `${a.name} × ${b.name}`),
    )
    return [...off, ...over]
  })

/** The surface (its `data-linger`) that has focus, else the page element's id. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-linger') ?? document.activeElement?.id)

describe('a survey, a badge, the checklist and a tour tip due while the user types in the search field', () => {
  // 740 × 360: a phone held sideways, where the two stacks have the least height between them.
  for (const [width, locale, height] of [[320, 'ar'], [375, 'en-US'], [768, 'ar'], [1280, 'en-US'], [740, 'ar', 360]] as const)
    it(`at ${width} px${height ? ` × ${height}` : ''} (${locale}): every keystroke lands in the field, nothing covers another or leaves the screen, and Tab reaches each`, async () => {
      const script = `${suite.initScript({ flows })} linger('identify', 'walk-${width}'); linger.on('ready', () => (window.lingerReady = true));`
      const context = await suite.browser.newContext({ viewport: { width, height: height ?? 640 }, locale, reducedMotion: 'reduce' })
      const { page } = await suite.open(`/walk-${width}${height ?? ''}`, suite.hostPage({ body, script }), context)
      await page.waitForFunction(() => (window as any).lingerReady === true)
      await page.locator('linger-announcements-banner section.banner').waitFor()
      await page.click('#search')
      await page.keyboard.type('overdue ', { delay: 40 })
      // Mid-word, the app asks for the survey and exports a report in the background (a badge, a
      // checklist task, and a tour that waits for the survey to be done).
      await page.evaluate(() => {
        const linger = (window as any).linger
        linger.show('csat')
        linger.track('Report Exported')
      })
      await page.keyboard.type('invoices', { delay: 40 })
      await page.locator('linger-survey [role="radio"]').first().waitFor()
      await page.keyboard.type(' from', { delay: 40 })
      expect(await page.inputValue('#search')).toBe('overdue invoices from')
      expect(await focused(page)).toBe('search')
      await expect.poll(() => misplaced(page)).toEqual([])
      // Past the page's last control, Tab goes through what is on screen of Linger's, each in reach,
      // top to bottom as they sit (not as they came: from the checklist at the bottom up to the
      // survey, then to the badge at the top), and on back to the page.
      await page.focus('#last')
      const reached = new Map<string, number>()
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab')
        const [at, top] = await page.evaluate(() => [document.activeElement?.getAttribute('data-linger'), document.activeElement?.shadowRoot?.activeElement?.getBoundingClientRect().top ?? 0] as const)
        if (at && !reached.has(at)) reached.set(at, top)
      }
      expect([...reached.keys()].sort()).toEqual(expect.arrayContaining(['announcements-banner', 'badge-toast', 'checklist', 'survey']))
      expect([...reached.keys()]).toEqual([...reached].sort((a, b) => a[1] - b[1]).map(([name]) => name))
      await page.focus('#last')
      for (let i = 0; i < 12 && (await focused(page)) !== 'search'; i++) await page.keyboard.press('Tab')
      expect(await focused(page)).toBe('search')
      // The survey closed with a click, the user types on and the app exports again: the tour's tip
      // comes on its own once they pause, beside the rest.
      await page.locator('linger-survey').getByRole('button', { name: /^(Close survey|إغلاق الاستطلاع)$/ }).click()
      await page.click('#search')
      await page.keyboard.press('End')
      await page.keyboard.type(' and', { delay: 40 })
      await page.evaluate(() => (window as any).linger.track('Report Exported'))
      await page.keyboard.type(' april', { delay: 40 })
      await page.locator('linger-tours [role="dialog"]').waitFor()
      await page.keyboard.type(' only', { delay: 40 })
      expect(await page.inputValue('#search')).toBe('overdue invoices from and april only')
      expect(await focused(page)).toBe('search')
      await expect.poll(() => misplaced(page)).toEqual([])
      // A teammate accepts the invite meanwhile: the list is done, its launcher says so, and the
      // user's typing goes on into the field.
      await page.evaluate(() => (window as any).linger.track('Teammate Invited'))
      await page.keyboard.type(' please', { delay: 40 })
      await expect.poll(() => page.locator('linger-checklist .pill:not(.round)').textContent()).toMatch(/2\/2/)
      await page.keyboard.type('!', { delay: 40 })
      expect(await page.inputValue('#search')).toBe('overdue invoices from and april only please!')
      expect(await focused(page)).toBe('search')
      await expect.poll(() => misplaced(page)).toEqual([])
      await context.close()
    })
})
