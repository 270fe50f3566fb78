import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useBrowserSuite } from '../../../../test/harness'

// Where a keyboard user is once a centred survey that a Linger control brought closes, and the
// badges shelf opened from the checklist corner's badges button. In real
// Chromium (build first, see feed-rtl).
const suite = useBrowserSuite({ pageErrors: 'each' })

const modal = (page: Page) => page.locator('linger-survey-modal [role="dialog"]')
/** Where focus really is (through shadow roots): its name, its id, or its tag. */
const active = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    return el?.getAttribute('aria-label') || el?.id || el?.textContent?.trim() || el?.tagName || null
  })

describe('a keyboard user who finishes the onboarding tour, after which a centred survey asks how it went', () => {
  it('closes the survey with Escape and is back in the page where the tour left them, not on a Linger control gone with the tour', async () => {
    const flows = {
      settings: { cooldownDays: 0 },
      tours: [{ id: 'welcome', trigger: { event: 'Dashboard Viewed' }, steps: [{ id: 'export', target: '#export', title: 'Export', body: 'Your reports, in one click.' }] }],
      surveys: [{ id: 'tour-csat', kind: 'csat', question: 'How was the tour?', placement: 'center', trigger: { event: 'Tour Completed' } }],
    }
    const body = '<main><h1>Dashboard</h1><button id="export" type="button">Export</button><label>Search <input id="search"></label></main>'
    const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' })
    const script = `${suite.initScript({ flows })} linger('identify', 'tour-then-survey'); linger.on('ready', () => (window.lingerReady = true));`
    const { page } = await suite.open('/tour-then-survey', suite.hostPage({ body, script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.focus('#export')
    await page.evaluate(() => (window as any).linger('track', 'Dashboard Viewed'))
    const done = page.locator('linger-tours').getByRole('button', { name: 'Done' })
    await done.waitFor()
    const trail: unknown[] = []
    for (let i = 0; i < 8 && (await active(page)) !== (await done.textContent())?.trim(); i++) await page.keyboard.press('Tab'), trail.push(await active(page))
    await page.keyboard.press('Enter')
    await modal(page).waitFor()
    trail.push(await active(page))
    await page.keyboard.press('Escape')
    await expect.poll(() => modal(page).count()).toBe(0)
    trail.push(await active(page))
    // On Done (the tour closes, its Done with it), back on Export; the survey: back there too.
    expect(trail).toEqual(['×ExportYour reports, in one click.Done', 'Close tour', 'Done', 'Survey', 'export'])
    await context.close()
  })
})

describe('a keyboard user who opens the badges shelf from the checklist corner\'s badges button', () => {
  it('closes it with Escape and is back on that button', async () => {
    const flows = {
      settings: { cooldownDays: 0 },
      checklists: [{ id: 'start', title: 'Get started', tasks: [{ id: 'project', title: 'Create a project', doneWhen: { event: 'Project Created' } }] }],
      badges: [{ id: 'reporter', title: 'Report pro', points: 30, rule: { event: 'Report Exported' } }],
      levels: [{ name: 'Newcomer', points: 0 }],
    }
    const body = '<main><h1>Dashboard</h1><button id="export" type="button">Export</button></main>'
    const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' })
    const script = `${suite.initScript({ flows })} linger('identify', 'shelf-from-pill'); linger.on('ready', () => (window.lingerReady = true));`
    const { page } = await suite.open('/shelf-from-pill', suite.hostPage({ body, script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    const pill = page.locator('linger-checklist').getByRole('button', { name: 'Badges' })
    await pill.waitFor()
    await pill.focus()
    await page.keyboard.press('Enter')
    const shelf = page.getByRole('dialog', { name: 'Your badges' })
    await shelf.waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => shelf.count()).toBe(0)
    expect(await active(page)).toBe('Badges')
    await context.close()
  })
})

describe('a keyboard user on the banner\'s Dismiss when the app shows a centred survey, the banner gone meanwhile (their plan changed)', () => {
  it('closes the survey with Escape and is back in the page where they came from, not dropped at its top', async () => {
    const flows = {
      settings: { cooldownDays: 0 },
      announcements: [{ id: 'velocity', format: 'banner', title: 'Velocity reports are here', body: 'See how fast your team closes tasks.', audience: { trait: 'plan', eq: 'team' } }],
      surveys: [{ id: 'pulse', kind: 'csat', question: 'How easy was search?', placement: 'center' }],
    }
    const body = '<main><h1>Dashboard</h1><button id="export" type="button">Export</button><a id="reports" href="#reports">Reports</a></main>'
    const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' })
    const script = `${suite.initScript({ flows })} linger('identify', 'banner-gone-under-survey', { plan: 'team' }); linger.on('ready', () => (window.lingerReady = true));`
    const { page } = await suite.open('/banner-gone-under-survey', suite.hostPage({ body, script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.locator('linger-announcements-banner section.banner').waitFor()
    await page.focus('#export')
    const trail: unknown[] = []
    for (let i = 0; i < 8 && (await active(page)) !== 'Dismiss'; i++) await page.keyboard.press('Tab'), trail.push(await active(page))
    expect(trail).toEqual(['reports', 'Dismiss'])
    await page.evaluate(() => setTimeout(() => (window as any).linger('show', 'pulse')))
    await modal(page).waitFor()
    await page.evaluate(() => (window as any).linger('identify', 'banner-gone-under-survey', { plan: 'free' }))
    await expect.poll(() => page.locator('linger-announcements-banner section.banner').count()).toBe(0)
    await page.keyboard.press('Escape')
    await expect.poll(() => modal(page).count()).toBe(0)
    expect(await active(page)).toBe('reports')
    await context.close()
  })
})

// A centred survey asked by a row's Archive, the row gone by the time it closes: where a mouse
// user clicked is theirs to leave be (focusOrigin), a keyboard user goes back where they came from.
/** Where focus really is (through shadow roots): its id, or its tag. */
const focusedId = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    return el?.id || el?.tagName || null
  })

async function inbox(path: string, banner = true) {
  // A banner on the page (any Linger surface that came before: its focusOrigin() starts the
  // document's watch of where focus leaves, which the survey's fallback reads).
  const flows = {
    settings: { cooldownDays: 0 },
    announcements: banner ? [{ id: 'velocity', format: 'banner', title: 'Velocity reports are here', body: 'See how fast your team closes tasks.' }] : [],
    surveys: [{ id: 'archived', kind: 'csat', question: 'How easy was archiving?', placement: 'center' }],
  }
  // The row's Archive asks for the survey (the user's click); the row goes once the server answers.
  const body = `<main><h1>Inbox</h1><label>Search <input id="search"></label>
    <ul><li id="row">Invoice 12 <button id="archive" type="button">Archive</button></li></ul><a id="help" href="#help">Help</a></main>`
  const script = `${suite.initScript({ flows })} linger('identify', ${JSON.stringify(path.slice(1))}); linger.on('ready', () => (window.lingerReady = true));
    document.addEventListener('click', (e) => e.target.id === 'archive' && linger('show', 'archived'));`
  const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' })
  const { page } = await suite.open(path, suite.hostPage({ body, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  if (banner) await page.locator('linger-announcements-banner section.banner').waitFor()
  return { page, context }
}

describe('a mouse user who typed in the search field, then clicked a row\'s Archive, which asked a centred survey', () => {
  it('closes the survey with Escape once the row is gone: focus is left be (body), not put back in the search field they clicked away from', async () => {
    const { page, context } = await inbox('/pointer-archive')
    await page.click('#search')
    await page.keyboard.type('inv')
    await page.click('#archive')
    expect(await focusedId(page)).not.toBe('search')
    await modal(page).waitFor()
    await page.evaluate(() => document.getElementById('row')!.remove())
    await page.keyboard.press('Escape')
    await expect.poll(() => modal(page).count()).toBe(0)
    expect(await focusedId(page)).toBe('BODY')
    // What they type next goes nowhere in the page's fields.
    await page.keyboard.type('x')
    expect(await page.inputValue('#search')).toBe('inv')
    await context.close()
  })

  it('a keyboard user who Tabbed from the field to Archive is back where they came from', async () => {
    const { page, context } = await inbox('/keyboard-archive')
    await page.focus('#search')
    await page.keyboard.press('Tab')
    expect(await focusedId(page)).toBe('archive')
    await page.keyboard.press('Enter')
    await modal(page).waitFor()
    await page.evaluate(() => document.getElementById('row')!.remove())
    await page.keyboard.press('Escape')
    await expect.poll(() => modal(page).count()).toBe(0)
    expect(await focusedId(page)).toBe('search')
    await context.close()
  })
})
