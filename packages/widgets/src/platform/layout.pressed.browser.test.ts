import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A corner surface that comes up by itself over the page's button the user just pressed moves to
// the top edge; nothing else does, and it stays put there. On a phone, in real Chromium.
const suite = useBrowserSuite({ pageErrors: 'each' })
const PHONE = { width: 375, height: 667 }

async function open(path: string, flows: object, body: string, prepare?: (context: BrowserContext) => Promise<unknown>) {
  // The app's own buttons track what they do.
  const script = `${suite.initScript({ flows: { version: 1, settings: { cooldownDays: 0 }, ...flows } })}
    linger('identify', ${JSON.stringify(path)});
    linger.on('ready', () => (window.lingerReady = true));
    document.addEventListener('click', (e) => { const t = e.target.closest('[data-track]'); if (t) linger.track(t.dataset.track) });`
  const context = await suite.browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true })
  await prepare?.(context)
  const { page } = await suite.open(`/${path}`, suite.hostPage({ head: '<meta name="viewport" content="width=device-width, initial-scale=1">', body, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return page
}

/** What takes a tap at the centre of the page's element `id`: its id, or the Linger surface over it. */
const tapTakenBy = (page: Page, id: string) =>
  page.evaluate((id) => {
    const r = document.getElementById(id)!.getBoundingClientRect()
    const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)
    return at?.id || at?.localName
  }, id)

describe('the survey about an export, moved to the top clear of the "Export CSV" button', () => {
  it('stays there when a badge toast comes up at the top a moment later: it does not slide back down over the button as the user reaches for a score', async () => {
    const flows = {
      surveys: [{ id: 'csat-export', kind: 'csat', question: 'How satisfied are you with exporting reports?', scale: 5, trigger: { event: 'Report Exported' } }],
      badges: [{ id: 'first-invoice', title: 'First invoice', description: 'Sent your first invoice', icon: 'rocket', rule: { event: 'Invoice Sent' } }],
    }
    // Export CSV at 420–460 px, where the full-width survey card docks at 375 px.
    const body = `<main style="margin:0;padding:0 16px"><div style="height:420px"></div>
      <button id="export" data-track="Report Exported" style="height:40px;width:100%">Export CSV</button>
      <div style="height:1200px"></div></main>`
    const page = await open('pressed-toast', flows, body)
    await page.tap('#export')
    // Where the layout put the card (its entry animation aside).
    const top = () => page.evaluate(() => document.querySelector('linger-survey')!.shadowRoot!.querySelector<HTMLElement>('[role="dialog"]')!.style.top)
    await page.locator('linger-survey').getByRole('radio').first().waitFor({ timeout: 20_000 })
    await expect.poll(() => tapTakenBy(page, 'export')).toBe('export')
    const before = await top()
    expect(parseFloat(before)).toBeLessThan(100)
    // Another part of the app earns the user a badge.
    await page.evaluate(() => (window as any).linger.track('Invoice Sent'))
    await page.locator('linger-badge-toast').getByText('First invoice').waitFor()
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
    expect(await top()).toBe(before)
    expect(await tapTakenBy(page, 'export')).toBe('export')
    await page.context().close()
  })
})

describe('the survey about an export, on a slow phone where Linger\'s screen code is still on its way when the user taps', () => {
  it('does not land on the "Export CSV" button they pressed before it came: it goes to the top', async () => {
    const flows = { surveys: [{ id: 'csat-export', kind: 'csat', question: 'How satisfied are you with exporting reports?', scale: 5, trigger: { event: 'Report Exported' } }] }
    // Export CSV at 520–560 px: under the middle of the full-width card docked at the bottom at 375 px
    // (at 420–460 px only the card's top edge touched it, and its centre stayed free either way).
    const body = `<main style="margin:0;padding:0 16px"><div style="height:520px"></div>
      <button id="export" data-track="Report Exported" style="height:40px;width:100%">Export CSV</button>
      <div style="height:1200px"></div></main>`
    // The widgets' screen code (where the layout listens for presses) held back until after the tap.
    let arrive!: () => void
    const held = new Promise<void>((r) => (arrive = r))
    let heldBack = 0
    const page = await open('pressed-early', flows, body, (context) => context.route(/\/create-context-[^/]*\.js/, async (route) => (heldBack++, await held, route.continue())))
    await page.tap('#export')
    arrive()
    expect(heldBack).toBeGreaterThan(0)
    await page.locator('linger-survey').getByRole('radio').first().waitFor({ timeout: 20_000 })
    await expect.poll(() => tapTakenBy(page, 'export')).toBe('export')
    await page.context().close()
  })
})

describe('the checklist launcher, started by a tap on the app\'s floating "+"', () => {
  it('comes up in its bottom corner, where the vendor put it, not at the top of the screen', async () => {
    const flows = {
      checklists: [
        {
          id: 'first-project',
          title: 'Your first project',
          audience: { event: 'Project Created' },
          tasks: [{ id: 'add-task', title: 'Add a task', doneWhen: { event: 'Task Created' } }],
        },
      ],
    }
    const body = `<main><h1>Projects</h1></main>
      <button id="fab" data-track="Project Created" aria-label="New project" style="position:fixed;right:16px;bottom:16px;width:56px;height:56px;border-radius:50%">+</button>`
    const page = await open('pressed-fab', flows, body)
    await page.tap('#fab')
    const launcher = page.locator('linger-checklist').getByRole('button', { name: /Your first project/ })
    await launcher.waitFor({ timeout: 20_000 })
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
    const box = (await launcher.boundingBox())!
    expect(box.y + box.height).toBeGreaterThan(PHONE.height - 100)
    await page.context().close()
  })
})

describe("a page's script that fakes an outside click on the document", () => {
  it('throws nothing into the page', async () => {
    const flows = { surveys: [{ id: 'csat-export', kind: 'csat', question: 'How was the export?', scale: 5, trigger: { event: 'Report Exported' } }] }
    const page = await open('fake-click', flows, '<main><h1>Reports</h1></main>')
    // Linger's surfaces are on the page (a survey is up).
    await page.evaluate(() => (window as any).linger.track('Report Exported'))
    await page.locator('linger-survey').getByRole('radio').first().waitFor({ timeout: 20_000 })
    await page.evaluate(() => (document.dispatchEvent(new Event('pointerdown')), document.dispatchEvent(new Event('focusin'))))
    // Page errors are checked after each test (pageErrors: 'each').
    await page.context().close()
  })
})

describe('a user writing a long reply in the box at the bottom of the page', () => {
  it('still sees what they type when a survey comes up after they have been typing for a while: the card docks at the top, not over the box', async () => {
    const flows = { surveys: [{ id: 'csat-support', kind: 'csat', question: 'How was your support experience?', scale: 5, trigger: { event: 'Ticket Viewed' } }] }
    // The reply box at 520–600 px, where the full-width survey card docks at 375 px.
    const body = `<main style="margin:0;padding:0 16px"><div style="height:520px"></div>
      <textarea id="reply" aria-label="Reply" style="display:block;height:80px;width:100%;box-sizing:border-box"></textarea>
      <div style="height:1200px"></div></main>`
    const page = await open('typing-long', flows, body)
    await page.clock.install()
    await page.tap('#reply')
    await page.keyboard.type('Thanks, the export works again. One more thing: ')
    // They have been in the box for twenty seconds, still typing.
    await page.clock.fastForward(20_000)
    await page.keyboard.type('the totals')
    await page.evaluate(() => (window as any).linger.track('Ticket Viewed'))
    await page.locator('linger-survey').getByRole('radio').first().waitFor({ timeout: 20_000 })
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
    expect(await tapTakenBy(page, 'reply')).toBe('reply')
    await page.context().close()
  })
})

describe('a user writing a reply, pressing the editor toolbar between words', () => {
  it('still sees what they type when a survey comes up just after they pressed "Bold": the box they type in counts, not only the button', async () => {
    const flows = { surveys: [{ id: 'csat-support', kind: 'csat', question: 'How was your support experience?', scale: 5, trigger: { event: 'Ticket Viewed' } }] }
    // The toolbar keeps focus in the box (as editors do, on mousedown); the reply box at 540–620 px,
    // where the full-width survey card docks at 375 px.
    const body = `<main style="margin:0;padding:0 16px"><div style="height:400px"></div>
      <div role="toolbar" aria-label="Formatting"><button id="bold" onmousedown="event.preventDefault()" onpointerdown="event.preventDefault()" style="height:40px">B</button></div>
      <div style="height:100px"></div>
      <textarea id="reply" aria-label="Reply" style="display:block;height:80px;width:100%;box-sizing:border-box"></textarea>
      <div style="height:1200px"></div></main>`
    const page = await open('typing-toolbar', flows, body)
    await page.tap('#reply')
    await page.keyboard.type('Thanks, the export works ')
    await page.tap('#bold')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reply')
    await page.keyboard.type('again')
    await page.evaluate(() => (window as any).linger.track('Ticket Viewed'))
    await page.locator('linger-survey').getByRole('radio').first().waitFor({ timeout: 20_000 })
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
    expect(await tapTakenBy(page, 'reply')).toBe('reply')
    await page.context().close()
  })
})

describe('the survey about an export that comes long after the user pressed "Export CSV"', () => {
  it('docks at the bottom, where the vendor put it: a press 20 s ago is forgotten, not kept by a timer', async () => {
    const flows = { surveys: [{ id: 'csat-export', kind: 'csat', question: 'How satisfied are you with exporting reports?', scale: 5, trigger: { event: 'Export Reviewed' } }] }
    // Export CSV at 520–560 px, under the full-width card docked at the bottom at 375 px.
    const body = `<main style="margin:0;padding:0 16px"><div style="height:520px"></div>
      <button id="export" style="height:40px;width:100%">Export CSV</button>
      <div style="height:1200px"></div></main>`
    const page = await open('pressed-long-ago', flows, body)
    await page.clock.install()
    await page.tap('#export')
    await page.clock.fastForward(20_000)
    await page.evaluate(() => (window as any).linger.track('Export Reviewed'))
    await page.locator('linger-survey').getByRole('radio').first().waitFor({ timeout: 20_000 })
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
    const card = await page.evaluate(() => document.querySelector('linger-survey')!.shadowRoot!.querySelector<HTMLElement>('[role="dialog"]')!.getBoundingClientRect().bottom)
    expect(card).toBeGreaterThan(PHONE.height - 100)
    await page.context().close()
  })
})
