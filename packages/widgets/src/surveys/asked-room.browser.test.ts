import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useBrowserSuite } from '../../../../test/harness'

// A laptop at 200 % zoom (640×400 CSS px), an app shell with its own bars at both edges, a banner
// up: a survey the user asks for from the page's "Give feedback" button has no room yet, and waits
// unseen (layout.ts). Asked for, it is what the user wants next, as one that appears at once is.
const suite = useBrowserSuite({ pageErrors: 'each' })
const flows = {
  settings: { cooldownDays: 0 },
  announcements: [{ id: 'bulk-export', format: 'banner', title: 'Export many invoices at once', body: 'Pick invoices, press Export.', action: { label: 'Try it', url: '/invoices' } }],
  checklists: [{ id: 'getting-started', title: 'Get started', tasks: [{ id: 'project', title: 'Create a project', doneWhen: { event: 'Project Created' } }] }],
  surveys: [{ id: 'feedback', kind: 'choice', question: 'What should we build next?', options: ['Mobile approvals', 'Gantt charts', 'Time tracking', 'Something else'] }],
}
const BODY =
  '<header style="position:fixed;top:0;left:0;right:0;height:90px;background:#eee">Acme</header>' +
  '<main style="padding-top:100px"><h1>Invoices</h1><button id="feedback" type="button">Give feedback</button><label>Search <input id="search"></label></main>' +
  '<nav style="position:fixed;bottom:0;left:0;right:0;height:90px;background:#eee">Invoices · Clients · Reports</nav>'

const card = (page: Page) => page.locator('linger-survey [role="dialog"]')
/** Where focus really is (through shadow roots): its name, or its id. */
const active = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    return el?.getAttribute('aria-label') ?? el?.id ?? el?.tagName ?? null
  })

/** At 640×400 the user presses Enter on "Give feedback": the survey comes, unseen, and takes no focus. */
async function askWithNoRoom(user: string) {
  const context = await suite.browser.newContext({ viewport: { width: 640, height: 400 } })
  const script = `${suite.initScript({ flows })}
    linger('identify', ${JSON.stringify(user)});
    linger.on('ready', () => (window.lingerReady = true));
    document.addEventListener('DOMContentLoaded', () => document.getElementById('feedback').addEventListener('click', () => linger.show('feedback')));`
  const { page } = await suite.open(`/${user}`, suite.hostPage({ body: BODY, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  await page.locator('linger-announcements-banner section.banner').waitFor()
  await page.focus('#feedback')
  await page.keyboard.press('Enter')
  await card(page).waitFor({ state: 'attached' })
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  expect(await card(page).isVisible()).toBe(false)
  expect(await active(page)).toBe('feedback')
  return page
}

describe('a survey asked for from "Give feedback" that waits unseen for room (640×400, a banner up)', () => {
  it('still on the button when there is room (they zoom back out), the user is taken into it, as when it comes at once; Escape takes them back', async () => {
    const page = await askWithNoRoom('asked-room-1')
    await page.setViewportSize({ width: 1280, height: 800 })
    await expect.poll(() => card(page).isVisible()).toBe(true)
    await expect.poll(() => active(page)).toBe('Survey')
    await page.keyboard.press('Escape')
    await expect.poll(() => card(page).count()).toBe(0)
    expect(await active(page)).toBe('feedback')
    await page.context().close()
  })

  it('gone on to type in the search field meanwhile, they keep the caret when it appears: what they type stays in the field', async () => {
    const page = await askWithNoRoom('asked-room-2')
    await page.keyboard.press('Tab')
    await page.keyboard.type('inv')
    await page.setViewportSize({ width: 1280, height: 800 })
    await expect.poll(() => card(page).isVisible()).toBe(true)
    await page.keyboard.type('oice')
    expect(await active(page)).toBe('search')
    expect(await page.locator('#search').inputValue()).toBe('invoice')
    await page.context().close()
  })
})
