import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { useBrowserSuite } from '../../../../test/harness'
import { exampleFlows } from '../../../sdk/src/experiences/checklist/example.fixture'
import { axeViolations } from '../../../../test/axe'
import { EAR, heard } from '../../../../test/ear'

// Build first: LINGER_CDN_DIR=/tmp/cdn-checklist node scripts/build.mjs
const suite = useBrowserSuite()

const flows = { version: 1, ...exampleFlows }
const ONBOARDING = ['Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported']
const track = (page: Page, events: string[]) => page.evaluate((names) => names.forEach((n) => (window as any).linger.track(n)), events)
const launcher = (page: Page) => page.getByRole('button', { name: /tasks done/ })

async function openHost(path: string, opts: { flows?: unknown; body?: string; head?: string; csp?: string; nonce?: string; init?: Record<string, unknown>; context?: BrowserContext; ear?: boolean } = {}) {
  const script = (opts.ear ? EAR : '') + suite.initScript({ flows: opts.flows ?? flows, ...opts.init }) + "linger('identify','u_1');linger.track('Signed In');"
  return suite.open(path, suite.hostPage({ body: opts.body ?? '<main><h1>Acme</h1><button id="host-btn">Host button</button></main>', head: opts.head, csp: opts.csp, nonce: opts.nonce, script }), opts.context)
}

const axe = (page: Page) => axeViolations(page)

/**
 * What a screen reader says, in browse mode, inside the region named `name`: each text, as
 * Chromium's accessibility tree gives it, and each progress bar's name and the value text it is
 * given (Chromium's tree leaves a value text out when it repeats the name; other readers say both).
 */
async function spoken(page: Page, name: string): Promise<string[]> {
  type Node = { nodeId: string; ignored: boolean; role?: { value: string }; name?: { value: string }; childIds?: string[]; backendDOMNodeId?: number }
  const cdp = await page.context().newCDPSession(page)
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Node[] }
  const byId = new Map(nodes.map((n) => [n.nodeId, n]))
  const said: string[] = []
  const walk = async (n: Node) => {
    if (!n.ignored && n.role?.value === 'StaticText') said.push(String(n.name?.value))
    if (!n.ignored && n.role?.value === 'progressbar') {
      const { node } = await cdp.send('DOM.describeNode', { backendNodeId: n.backendDOMNodeId })
      const attrs = node.attributes ?? []
      said.push(String(n.name?.value), attrs[attrs.indexOf('aria-valuetext') + 1] ?? '')
    }
    for (const id of n.childIds ?? []) if (byId.has(id)) await walk(byId.get(id)!)
  }
  await walk(nodes.find((n) => n.role?.value === 'region' && n.name?.value === name)!)
  await cdp.detach()
  return said
}

/**
 * The user opens the panel from its launcher and Tabs on from its heading, which takes their focus
 * as the panel goes in.
 */
async function workInPanel(page: Page) {
  await launcher(page).click()
  const panel = page.getByRole('region', { name: 'Get started with Acme Projects' })
  await panel.waitFor()
  await expect.poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.tagName)).toBe('H2')
  await page.keyboard.press('Tab')
  return panel
}

/**
 * The user switches to another window (Alt+Tab): the page loses focus and stays visible. Returns
 * their way back.
 */
async function otherWindow(page: Page, context: BrowserContext) {
  // Playwright keeps every page focused unless told not to.
  await (await context.newCDPSession(page)).send('Emulation.setFocusEmulationEnabled', { enabled: false })
  const other = await context.newPage()
  await other.bringToFront()
  await page.waitForFunction(() => !document.hasFocus())
  return async () => {
    await page.bringToFront()
    await page.waitForFunction(() => document.hasFocus())
    await other.close()
  }
}

describe('checklist and badges in Chromium', () => {
  it('the whole journey: events tick tasks, the list completes, a badge toast shows, a reload keeps it all, the collector gets the events', async () => {
    const { page } = await openHost('/journey')
    await expect.poll(() => launcher(page).textContent()).toContain('0/4')
    await track(page, ['Project Created', 'Task Created', 'Task Created'])
    await expect.poll(() => launcher(page).textContent()).toContain('1/4')
    await track(page, ['Task Created', 'Teammate Invited', 'Report Exported'])
    await page.getByText('All done!').waitFor()
    await page.getByText('Badge earned', { exact: true }).waitFor()
    await expect.poll(() => page.locator('linger-badge-toast').getByText('Onboarded').count()).toBe(1)

    await page.reload()
    // Finished and celebrated on the page before: its launcher gave the corner back; the badges button stays.
    await page.getByRole('button', { name: 'Badges', exact: true }).click()
    expect(await launcher(page).count()).toBe(0)
    const shelf = page.getByRole('dialog', { name: 'Your badges' })
    await expect.poll(() => shelf.getByRole('listitem').filter({ hasText: 'Onboarded' }).textContent()).toMatch(/Earned/)
    await expect.poll(() => shelf.textContent()).toContain('Level: Regular')
    expect(await page.getByText('Badge earned', { exact: true }).count()).toBe(0)

    await suite.collector.waitFor((es) => es.some((e) => e.event === 'Level Reached'))
    // The reload can cut off the answer to a batch in flight; the next page resends it, same messageIds.
    const ours = suite.collector.stored().filter((e) => /^(Checklist|Badge|Level)/.test(e.event ?? ''))
    expect(ours.map((e) => [e.event, e.properties.taskId ?? e.properties.badgeId ?? e.properties.level ?? ''])).toEqual([
      ['Checklist Task Completed', 'create-project'],
      ['Checklist Task Completed', 'add-tasks'],
      ['Checklist Task Completed', 'invite'],
      ['Checklist Task Completed', 'export'],
      ['Checklist Completed', ''],
      ['Badge Earned', 'onboarded'],
      ['Level Reached', 'Regular'],
    ])
    expect(suite.pageErrors).toEqual([])
  })

  it('works with the keyboard alone, and axe finds no violations in any state', async () => {
    const { page } = await openHost('/keyboard')
    await launcher(page).waitFor()
    expect(await axe(page)).toEqual([])
    // Tab from the page into the launcher: host button, badges, checklist.
    await page.getByRole('button', { name: 'Host button' }).focus()
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    const panel = page.getByRole('region', { name: 'Get started with Acme Projects' })
    await panel.waitFor()
    await expect.poll(() => page.evaluate(() => (document.activeElement?.shadowRoot?.activeElement as HTMLElement | null)?.tagName)).toBe('H2')
    expect(await axe(page)).toEqual([])
    await page.keyboard.press('Escape')
    await expect.poll(() => panel.count()).toBe(0)
    await expect.poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-expanded'))).toBe('false')

    await track(page, ONBOARDING)
    await page.getByText('Badge earned', { exact: true }).waitFor()
    expect(await axe(page)).toEqual([])
    // The toast is reachable by keyboard and opens the shelf, a modal that traps and restores focus.
    await page.getByRole('button', { name: 'View badges' }).first().focus()
    await page.keyboard.press('Enter')
    const shelf = page.getByRole('dialog', { name: 'Your badges' })
    await shelf.waitFor()
    expect(await axe(page)).toEqual([])
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.tagName.toLowerCase())).toBe('linger-badge-shelf')
    // A modal to assistive tech too: the page behind is inert while it is open, and only then.
    const inert = () => page.evaluate(() => (document.querySelector('main') as HTMLElement).inert)
    expect(await inert()).toBe(true)
    await page.keyboard.press('Escape')
    await expect.poll(() => shelf.count()).toBe(0)
    expect(await inert()).toBe(false)
    expect(suite.pageErrors).toEqual([])
  })

  it('a keyboard user who opens the list and presses Tab straight away goes on into the panel, not back to its title', async () => {
    const { page } = await openHost('/type-ahead')
    await launcher(page).focus()
    // Enter, then Tab, while the app is busy a moment with work of its own: the two keys come to
    // the page together once it is done, with no frame between them.
    const cdp = await page.context().newCDPSession(page)
    const key = (type: 'keyDown' | 'keyUp', key: string, code: number) => cdp.send('Input.dispatchKeyEvent', { type, key, code: key, windowsVirtualKeyCode: code, text: type == 'keyDown' && key == 'Enter' ? '\r' : undefined })
    const busy = page.evaluate(() => {
      for (const end = performance.now() + 300; performance.now() < end; );
    })
    await Promise.all([busy, key('keyDown', 'Enter', 13), key('keyUp', 'Enter', 13), key('keyDown', 'Tab', 9), key('keyUp', 'Tab', 9)])
    await page.getByRole('region', { name: 'Get started with Acme Projects' }).waitFor()
    const focused = () => page.evaluate(() => ((el) => el?.getAttribute('aria-label') ?? el?.tagName)(document.activeElement?.shadowRoot?.activeElement))
    await expect.poll(focused).toBe('Close checklist')
    // Where the Tab took them they stay: focus is not taken back to the title after the panel paints.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)))))
    expect(await focused()).toBe('Close checklist')
    await cdp.detach()
    expect(suite.pageErrors).toEqual([])
  })

  it('a badge toast up when a modal opens waits behind it, unseen, and is there for its full time once the modal is gone', async () => {
    const { page } = await openHost('/toast-behind-modal')
    await launcher(page).waitFor()
    await track(page, ONBOARDING)
    // The badge's toast (the level reached queues behind it).
    const toast = page.locator('linger-badge-toast aside').filter({ hasText: 'Onboarded' })
    await toast.waitFor()
    // The shelf from the launcher (not from the toast, which would close it): a modal.
    await page.getByRole('button', { name: 'Badges', exact: true }).click()
    const shelf = page.getByRole('dialog', { name: 'Your badges' })
    await shelf.waitFor()
    expect(await page.evaluate(() => (document.querySelector('linger-badge-toast') as HTMLElement).inert)).toBe(true)
    // Longer than a toast's 6 s: behind the modal, its time does not run.
    await page.waitForTimeout(7_000)
    expect(await toast.count()).toBe(1)
    await page.keyboard.press('Escape')
    await expect.poll(() => shelf.count()).toBe(0)
    await page.waitForTimeout(3_000)
    expect(await toast.count()).toBe(1)
    await expect.poll(() => toast.count(), { timeout: 10_000 }).toBe(0)
    expect(suite.pageErrors).toEqual([])
  })

  it('a survey that opens on its own waits while the user works in the open panel, and comes once they leave it', async () => {
    const csat = { id: 'pulse', kind: 'csat', question: 'How is it going?', trigger: { event: 'Pinged' }, placement: 'bottom-right', repeat: 'always' }
    const { page } = await openHost('/working', { flows: { ...flows, settings: { ...flows.settings, cooldownDays: 0 }, surveys: [csat] } })
    const panel = await workInPanel(page)
    const focused = () => page.evaluate(() => [document.activeElement?.tagName, document.activeElement?.shadowRoot?.activeElement?.textContent ?? null])
    const before = await focused()
    expect(before[0]).toBe('LINGER-CHECKLIST')
    await track(page, ['Pinged'])
    // Past the survey's own wait: the panel is still open, focus still where the user left it.
    await page.waitForTimeout(1500)
    expect(await page.locator('linger-survey [role="dialog"]').count()).toBe(0)
    expect(await panel.count()).toBe(1)
    expect(await focused()).toEqual(before)
    // They go back to the page: the survey comes a few seconds later (it no longer takes anyone's focus):
    // the 3 s calm after a click and its chunk, which a loaded machine can stretch past 8 s.
    await page.getByRole('button', { name: 'Host button' }).click()
    await page.locator('linger-survey [role="dialog"]').waitFor({ timeout: 15_000 })
    expect(suite.pageErrors).toEqual([])
  })

  it('a user who switches to another window (Alt+Tab) from inside the open panel finds it as they left it: a survey triggered meanwhile waits', async () => {
    const csat = { id: 'pulse', kind: 'csat', question: 'How is it going?', trigger: { event: 'Pinged' }, placement: 'bottom-right', repeat: 'always' }
    const { page, context } = await openHost('/alt-tab', { flows: { ...flows, settings: { ...flows.settings, cooldownDays: 0 }, surveys: [csat] } })
    const panel = await workInPanel(page)
    const focused = () => page.evaluate(() => [document.activeElement?.tagName, document.activeElement?.shadowRoot?.activeElement?.textContent ?? null])
    const before = await focused()
    expect(before[0]).toBe('LINGER-CHECKLIST')
    const back = await otherWindow(page, context)
    // The app tracks from a background job while the user is in the other window (the tab stays visible).
    expect(await page.evaluate(() => document.visibilityState)).toBe('visible')
    await track(page, ['Pinged'])
    await page.waitForTimeout(4500)
    expect(await page.locator('linger-survey [role="dialog"]').count()).toBe(0)
    await back()
    expect(await panel.count()).toBe(1)
    expect(await focused()).toEqual(before)
    expect(suite.pageErrors).toEqual([])
  })

  it('the "All done" panel a keyboard user went into does not close by itself while they are in another window: they come back to it', async () => {
    const { page, context } = await openHost('/alt-tab-done')
    await launcher(page).waitFor()
    await track(page, ONBOARDING)
    const panel = page.getByRole('region', { name: 'Get started with Acme Projects' })
    await panel.getByText('All done!').waitFor()
    await panel.getByRole('button', { name: 'Close checklist' }).focus()
    const back = await otherWindow(page, context)
    // Longer than the panel's 6 s on its own.
    await page.waitForTimeout(7_000)
    await back()
    expect(await panel.count()).toBe(1)
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label'))).toBe('Close checklist')
    expect(suite.pageErrors).toEqual([])
  })

  it('a survey the app shows (linger.show) right after the user\'s key press closes the panel, and focus that was in it goes to the survey, not to the page', async () => {
    const csat = { id: 'pulse', kind: 'csat', question: 'How is it going?', placement: 'bottom-right', repeat: 'always' }
    const { page } = await openHost('/shown-over', { flows: { ...flows, settings: { ...flows.settings, cooldownDays: 0 }, surveys: [csat] } })
    const panel = await workInPanel(page)
    await page.evaluate(() => (window as any).linger.show('pulse'))
    await page.locator('linger-survey [role="dialog"]').waitFor()
    await expect.poll(() => panel.count()).toBe(0)
    // A survey asked for on the user's key press takes focus (surveys/view.tsx), with no score checked.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-linger'))).toBe('survey')
    expect(await page.locator('linger-survey [role="radio"][aria-checked="true"]').count()).toBe(0)
  })

  it('a list finished while the user types in a survey\'s comment box does not open over it: their focus and text stay', async () => {
    const csat = { id: 'pulse', kind: 'csat', question: 'How is it going?', placement: 'bottom-right', repeat: 'always', comment: true }
    const { page } = await openHost('/typing', { flows: { ...flows, settings: { ...flows.settings, cooldownDays: 0 }, surveys: [csat] } })
    await track(page, ONBOARDING.slice(0, -1))
    await page.evaluate(() => (window as any).linger.show('pulse'))
    const card = page.locator('linger-survey [role="dialog"]')
    await card.getByRole('radio', { name: /Satisfied/ }).first().click()
    await card.getByRole('button', { name: 'Send' }).click()
    const box = card.getByRole('textbox')
    await box.click()
    await page.keyboard.type('The export')
    // The app tracks the last task from elsewhere (a background job finished the export).
    await track(page, ['Report Exported'])
    await expect.poll(() => launcher(page).textContent()).toContain('✓')
    await page.keyboard.type(' is slow')
    expect(await box.inputValue()).toBe('The export is slow')
    expect(await card.isVisible()).toBe(true)
    expect(await page.getByRole('region', { name: 'Get started with Acme Projects' }).count()).toBe(0)
    expect(suite.pageErrors).toEqual([])
  })

  it('a screen reader in the open panel hears how far the user is once, not three times (bar name, bar value, the line under it)', async () => {
    const { page } = await openHost('/progress-once')
    await track(page, ['Project Created'])
    await expect.poll(() => launcher(page).textContent()).toContain('1/4')
    await launcher(page).click()
    await page.getByRole('region', { name: 'Get started with Acme Projects' }).waitFor()
    const said = await spoken(page, 'Get started with Acme Projects')
    expect(said.filter((s) => s.includes('1 of 4 tasks done'))).toEqual(['1 of 4 tasks done'])
    expect(await axe(page)).toEqual([])
    expect(suite.pageErrors).toEqual([])
  })

  it('a list the user hid, finished later by their work, is not read out to them: no "Task completed", no "Checklist completed"', async () => {
    const { page } = await openHost('/hidden-done-quiet', { ear: true })
    await launcher(page).click()
    await page.getByRole('region', { name: 'Get started with Acme Projects' }).getByRole('button', { name: 'Hide checklist' }).click()
    await page.getByRole('button', { name: 'Resume checklist: Get started with Acme Projects', exact: true }).waitFor()
    await track(page, ONBOARDING)
    // The list is done (its badge earned, and said: the ear is listening).
    await page.getByText('Badge earned', { exact: true }).waitFor()
    await expect.poll(async () => (await heard(page)).map((h) => h.text).join(' | ')).toContain('Onboarded')
    expect((await heard(page)).map((h) => h.text).filter((t) => /Task completed|Checklist completed/.test(t))).toEqual([])
    expect(suite.pageErrors).toEqual([])
  })

  it('in Windows high contrast (forced colours), the progress bars show how far the user is and the launcher shows its edge', async () => {
    const context = await suite.browser.newContext({ forcedColors: 'active' })
    const { page } = await openHost('/forced-colors', { context })
    await track(page, ['Project Created'])
    await expect.poll(() => launcher(page).textContent()).toContain('1/4')
    // What is painted at a point: the screenshot of that one pixel.
    const pixel = async (x: number, y: number) => (await page.screenshot({ clip: { x, y, width: 1, height: 1 } })).toString('base64')
    /** Whether the bar's filled start (1 of 4 tasks; 10 of the 60 points to the next level) looks different from its empty end, and from the page around it. */
    const bar = async (host: string) => {
      const b = (await page.locator(`${host} [role="progressbar"]`).boundingBox())!
      const y = Math.round(b.y + b.height / 2)
      const [start, end] = [await pixel(Math.round(b.x + 4), y), await pixel(Math.round(b.x + b.width - 4), y)]
      // Its top edge, against the page just above it: where the empty part ends shows too.
      const [edge, above] = [await pixel(Math.round(b.x + b.width * 0.75), Math.round(b.y)), await pixel(Math.round(b.x + b.width * 0.75), Math.round(b.y) - 3)]
      return { filled: start !== end, edge: edge !== above }
    }
    const l = (await launcher(page).boundingBox())!
    expect(await pixel(Math.floor(l.x), Math.round(l.y + l.height / 2))).not.toBe(await pixel(Math.floor(l.x) - 3, Math.round(l.y + l.height / 2)))
    await launcher(page).click()
    await page.getByRole('region', { name: 'Get started with Acme Projects' }).waitFor()
    expect(await bar('linger-checklist')).toEqual({ filled: true, edge: true })
    await page.getByRole('button', { name: 'Badges', exact: true }).click()
    await page.getByRole('dialog', { name: 'Your badges' }).waitFor()
    expect(await bar('linger-badge-shelf')).toEqual({ filled: true, edge: true })
    await context.close()
  })

  it('renders correctly on a host page with hostile CSS', async () => {
    const hostile = '<style>* { all: unset !important; } *::before, *::after { content: "x" !important } div, main { display: block !important; position: fixed !important; inset: 0 !important; z-index: 2147483647 !important; background: red !important } html { font-size: 4px !important; filter: none }</style>'
    const { page } = await openHost('/hostile', { head: hostile })
    await launcher(page).waitFor()
    await launcher(page).click()
    const box = await page.getByRole('region').boundingBox()
    const viewport = page.viewportSize()!
    expect(box!.width).toBeGreaterThan(300)
    expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width)
    expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height)
    // On top of the page's giant z-index, and styled by us, not by the page.
    const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.tagName.toLowerCase(), [box!.x + 20, box!.y + 20])
    expect(hit).toBe('linger-checklist')
    const style = await page.getByRole('heading', { name: 'Get started with Acme Projects' }).evaluate((h) => {
      const cs = getComputedStyle(h)
      return { size: cs.fontSize, display: cs.display }
    })
    expect(style).toEqual({ size: '16px', display: 'block' })
    expect(suite.pageErrors).toEqual([])
  })

  it('at 320 px, a German title with one long word wraps: the close button and every task stay in view, nothing scrolls sideways', async () => {
    const [list] = exampleFlows.checklists!
    const word = 'Datenschutzgrundverordnungseinstellungen'
    const german = { ...list, title: `${word} prüfen`, tasks: [{ ...list.tasks[0], title: `${word}anpassen` }, ...list.tasks.slice(1)] }
    const { page } = await openHost('/320-long-word', { flows: { ...flows, checklists: [german] } })
    await page.setViewportSize({ width: 320, height: 640 })
    await launcher(page).click()
    const panel = page.getByRole('region', { name: `${word} prüfen` })
    await panel.waitFor()
    const close = page.getByRole('button', { name: 'Close checklist' })
    const inView = async (what: typeof panel) => {
      const [p, b] = [(await panel.boundingBox())!, (await what.boundingBox())!]
      return b.x >= p.x && b.x + b.width <= p.x + p.width && p.x >= 0 && p.x + p.width <= 320
    }
    await expect.poll(() => inView(close)).toBe(true)
    expect(await inView(page.getByRole('listitem').first())).toBe(true)
    expect(await panel.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0)
    expect(suite.pageErrors).toEqual([])
  })

  it('at 320 px, a finished list gives the corner back: its "✓ 4/4" goes once the "All done" panel is closed, the next list takes the launcher, a hidden one goes too, none comes back on the next page, and linger.show(id) still opens it', async () => {
    const second = { id: 'power-user', title: 'Power user', tasks: [{ id: 'share', title: 'Share a board', doneWhen: { event: 'Board Shared' } }] }
    const { page } = await openHost('/320-done', { flows: { ...flows, checklists: [...flows.checklists!, second] } })
    await page.setViewportSize({ width: 320, height: 640 })
    const pill = (title: string) => page.getByRole('button', { name: new RegExp(`^${title}: \\d+ of \\d+ tasks? done`) })
    const pills = page.locator('linger-checklist .pill:not(.round)')
    await pill('Get started with Acme Projects').waitFor()
    await track(page, ONBOARDING)
    const panel = page.getByRole('region', { name: 'Get started with Acme Projects' })
    await panel.getByText('All done!').waitFor()
    await panel.getByRole('button', { name: 'Close checklist' }).click()
    // The unfinished list takes the launcher, inside the 320 px viewport.
    await pill('Power user').waitFor()
    await expect.poll(() => pills.count()).toBe(1)
    const box = (await pill('Power user').boundingBox())!
    expect(box.x >= 0 && box.x + box.width <= 320).toBe(true)
    // Finished too, then hidden from its own "All done" panel: no pill is left, the badges button stays.
    await track(page, ['Board Shared'])
    const last = page.getByRole('region', { name: 'Power user' })
    await last.getByText('All done!').waitFor()
    await last.getByRole('button', { name: 'Hide checklist' }).click()
    await expect.poll(() => pills.count()).toBe(0)
    await page.getByRole('button', { name: 'Badges', exact: true }).waitFor()

    await page.reload()
    await page.getByRole('button', { name: 'Badges', exact: true }).waitFor()
    expect(await pills.count()).toBe(0)
    await page.evaluate(() => (window as any).linger.show('getting-started'))
    await panel.getByText('All done!').waitFor()
    const p = (await panel.boundingBox())!
    expect(p.x >= 0 && p.x + p.width <= 320).toBe(true)
    const mine = (e: Record<string, any>) => e.event === 'Checklist Dismissed' && e.properties.checklistId === 'power-user'
    await suite.collector.waitFor((es) => es.some(mine))
    const dismissed = suite.collector.stored().filter(mine)
    expect(dismissed.map((e) => e.properties)).toEqual([{ checklistId: 'power-user', points: 0, completed: true }])
    expect(suite.pageErrors).toEqual([])
  })

  it('at 320 px, two hidden lists: each has its own resume button, named, on screen and clear of the other; the keyboard reaches both and brings back the second', async () => {
    const second = { id: 'power-user', title: 'Become a power user', tasks: [{ id: 'share', title: 'Share a board', doneWhen: { event: 'Board Shared' } }] }
    const { page } = await openHost('/320-two-hidden', { flows: { ...flows, checklists: [...flows.checklists!, second] } })
    await page.setViewportSize({ width: 320, height: 640 })
    for (const title of ['Get started with Acme Projects', 'Become a power user']) {
      await page.getByRole('button', { name: new RegExp(`^${title}: \\d+ of`) }).click()
      await page.getByRole('region', { name: title }).getByRole('button', { name: 'Hide checklist' }).click()
    }
    const first = page.getByRole('button', { name: 'Resume checklist: Get started with Acme Projects', exact: true })
    const next = page.getByRole('button', { name: 'Resume checklist: Become a power user', exact: true })
    await next.waitFor()
    const boxes = [(await first.boundingBox())!, (await next.boundingBox())!, (await page.getByRole('button', { name: 'Badges', exact: true }).boundingBox())!]
    for (const b of boxes) expect(b.x >= 0 && b.x + b.width <= 320 && b.y >= 0 && b.y + b.height <= 640, JSON.stringify(b)).toBe(true)
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1)) expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y, JSON.stringify([a, b])).toBe(true)
    // From the keyboard: the first, then Tab to the second, Enter.
    await first.focus()
    await page.keyboard.press('Tab')
    await expect.poll(() => next.evaluate((el) => el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true)
    await page.keyboard.press('Enter')
    const panel = page.getByRole('region', { name: 'Become a power user' })
    await panel.waitFor()
    // Opened from the keyboard, the panel has focus on its title: the user goes on from there.
    const title = panel.getByRole('heading', { name: 'Become a power user' })
    await expect.poll(() => title.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true)
    // Hidden again from the keyboard: both are offered again, and focus stays on its way back.
    await panel.getByRole('button', { name: 'Hide checklist' }).focus()
    await page.keyboard.press('Enter')
    await first.waitFor()
    await expect.poll(() => next.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true)
    expect(await axe(page)).toEqual([])
    expect(suite.pageErrors).toEqual([])
  })

  it('at 320 px, a hidden list whose German title is one long word: its resume button breaks the word and stays on screen', async () => {
    const title = 'Projektverwaltungseinrichtungsassistentin'
    const { page } = await openHost('/320-hidden-long-word', { flows: { ...flows, checklists: [{ ...flows.checklists![0], title }] } })
    await page.setViewportSize({ width: 320, height: 640 })
    await launcher(page).click()
    await page.getByRole('region', { name: title }).getByRole('button', { name: 'Hide checklist' }).click()
    const resume = page.getByRole('button', { name: `Resume checklist: ${title}`, exact: true })
    await resume.waitFor()
    const box = (await resume.boundingBox())!
    expect(box.x >= 0 && box.x + box.width <= 320, JSON.stringify(box)).toBe(true)
    expect(await resume.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0)
    expect(suite.pageErrors).toEqual([])
  })

  it('a keyboard user who closes the "All done" panel lands on the next list\'s button, not at the top of the page', async () => {
    const second = { id: 'power-user', title: 'Power user', tasks: [{ id: 'share', title: 'Share a board', doneWhen: { event: 'Board Shared' } }] }
    const { page } = await openHost('/done-next-focus', { flows: { ...flows, checklists: [...flows.checklists!, second] } })
    await launcher(page).first().waitFor()
    await track(page, ONBOARDING)
    const panel = page.getByRole('region', { name: 'Get started with Acme Projects' })
    await panel.getByText('All done!').waitFor()
    await panel.getByRole('button', { name: 'Close checklist' }).focus()
    await page.keyboard.press('Enter')
    const next = page.getByRole('button', { name: 'Power user: 0 of 1 task done', exact: true })
    await next.waitFor()
    await expect.poll(() => next.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true)
    expect(suite.pageErrors).toEqual([])
  })

  it('a one-task list on an app without badges: a keyboard user who closes its "All done" panel goes back to where they were on the page, not to its top', async () => {
    const [list] = exampleFlows.checklists!
    const single = { ...list, tasks: [list.tasks[0]], reward: undefined }
    const { page } = await openHost('/single-done-focus', { flows: { version: 1, checklists: [single] } })
    await page.getByRole('button', { name: 'Get started with Acme Projects: 0 of 1 task done', exact: true }).waitFor()
    // The user creates their project from the keyboard: the app's button, then the panel that opens by itself.
    await page.getByRole('button', { name: 'Host button' }).focus()
    await track(page, ['Project Created'])
    const panel = page.getByRole('region', { name: 'Get started with Acme Projects' })
    await panel.getByText('All done!').waitFor()
    await page.keyboard.press('Tab')
    await expect.poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label'))).toBe('Close checklist')
    await page.keyboard.press('Enter')
    await expect.poll(() => panel.count()).toBe(0)
    // The list has left the corner with nothing in its place: focus is back on the app's button.
    await expect.poll(() => page.locator('linger-checklist .pill').count()).toBe(0)
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('host-btn')
    expect(suite.pageErrors).toEqual([])
  })

  it('a one-task list on an app without badges: a tap on its "All done" panel\'s close button does not put focus back in the field the user left (the phone\'s keyboard would come up)', async () => {
    const [list] = exampleFlows.checklists!
    const single = { ...list, tasks: [list.tasks[0]], reward: undefined }
    const { page } = await openHost('/single-done-tap', { flows: { version: 1, checklists: [single] }, body: '<main><h1>Acme</h1><input id="project-name" aria-label="Project name"></main>' })
    await page.getByRole('button', { name: 'Get started with Acme Projects: 0 of 1 task done', exact: true }).waitFor()
    await page.getByRole('textbox', { name: 'Project name' }).focus()
    await track(page, ['Project Created'])
    // Done while they were in the field: no panel opened by itself; they open it with a tap.
    await page.getByRole('button', { name: 'Get started with Acme Projects: 1 of 1 task done', exact: true }).click()
    const panel = page.getByRole('region', { name: 'Get started with Acme Projects' })
    await panel.getByText('All done!').waitFor()
    await panel.getByRole('button', { name: 'Close checklist' }).click()
    await expect.poll(() => page.locator('linger-checklist .pill').count()).toBe(0)
    expect(await page.evaluate(() => document.activeElement?.id)).not.toBe('project-name')
    expect(suite.pageErrors).toEqual([])
  })

  it('on a small phone (320 × 480), the panel that opens by itself when the list is done shows its "All done!" and the reward without scrolling', async () => {
    const { page } = await openHost('/320-celebrate')
    await page.setViewportSize({ width: 320, height: 480 })
    await launcher(page).waitFor()
    await track(page, ONBOARDING)
    const panel = page.getByRole('region', { name: 'Get started with Acme Projects' })
    const done = panel.getByText('All done!')
    await done.waitFor({ state: 'attached' })
    const reward = panel.getByText('Reward: 50 points')
    /** Whether the whole of `what` is inside the panel's visible box, and the viewport (the panel closes by itself after a while). */
    const seen = async (what: typeof panel) => {
      const [p, b] = [(await panel.boundingBox({ timeout: 1000 }))!, (await what.boundingBox({ timeout: 1000 }))!]
      return b.y >= p.y && b.y + b.height <= p.y + p.height && p.y >= 0 && p.y + p.height <= 480
    }
    await expect.poll(() => seen(done)).toBe(true)
    expect(await seen(reward)).toBe(true)
    expect(suite.pageErrors).toEqual([])
  })

  it('an Arabic browser on an English app: the panel reads right to left, the vendor’s English title reads left to right, from its start', async () => {
    const [list] = exampleFlows.checklists!
    const title = 'Get started with Acme Projects!'
    // The default locale ("auto") follows the browser: Arabic chrome around the vendor's English text.
    const context = await suite.browser.newContext({ locale: 'ar' })
    try {
      const { page } = await openHost('/arabic-browser', { flows: { ...flows, checklists: [{ ...list, title }] }, context })
      await page.setViewportSize({ width: 320, height: 640 })
      const name = page.locator('linger-checklist .launcher .name')
      await name.waitFor()
      expect(await page.locator('linger-checklist .wrap').getAttribute('dir')).toBe('rtl')
      /** Where the title's `i`th character is drawn, and the box its element shows. */
      const glyph = (el: Element, i: number) => {
        const text = [...el.childNodes].find((n) => n.nodeType === 3 && n.textContent!.includes('Get started'))!
        const at = text.textContent!.indexOf('Get started') + i
        const range = el.ownerDocument.createRange()
        range.setStart(text, at)
        range.setEnd(text, at + 1)
        const r = range.getBoundingClientRect()
        const box = el.getBoundingClientRect()
        return { left: r.left, right: r.right, boxLeft: box.left, boxRight: box.right }
      }
      // The launcher, too narrow for the whole title, cuts its end ("Get started wi…"), not its start.
      const first = await name.evaluate(glyph, 0)
      expect(first.left).toBeGreaterThanOrEqual(first.boxLeft - 1)
      expect(first.right).toBeLessThanOrEqual(first.boxRight + 1)
      await name.click()
      const heading = page.locator('linger-checklist h2')
      await heading.waitFor()
      // "Projects!" and not "!Projects": the title's last mark stays after its last word.
      const [s, bang] = [await heading.evaluate(glyph, title.length - 2), await heading.evaluate(glyph, title.length - 1)]
      expect(bang.left).toBeGreaterThanOrEqual(s.right - 1)
      expect(suite.pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('an Arabic browser on an English app: a task’s link and tour button read "Try it now!", not "!Try it now"', async () => {
    const [list] = exampleFlows.checklists!
    const label = 'Try it now!'
    const tasks = list.tasks.map((t) => (t.id === 'create-project' ? { ...t, cta: { label, url: '#/demo' } } : t.id === 'export' ? { ...t, cta: { label } } : t))
    const tours = [{ id: 'export-tour', steps: [{ title: 'Export' }] }]
    const context = await suite.browser.newContext({ locale: 'ar' })
    try {
      const { page } = await openHost('/arabic-cta', { flows: { ...flows, tours, checklists: [{ ...list, tasks }] }, context })
      await page.setViewportSize({ width: 320, height: 640 })
      await page.locator('linger-checklist .launcher .name').click()
      const ctas = page.locator('linger-checklist .cta')
      await expect.poll(() => ctas.count()).toBe(2)
      // Where the label's first letter and its last mark are drawn.
      const ends = (el: Element) => {
        const text = el.firstChild!
        const at = (i: number) => {
          const range = el.ownerDocument.createRange()
          range.setStart(text, i)
          range.setEnd(text, i + 1)
          return range.getBoundingClientRect()
        }
        return { first: at(0).left, last: at(text.textContent!.length - 1).left }
      }
      for (const cta of await ctas.all()) {
        const { first, last } = await cta.evaluate(ends)
        expect(last).toBeGreaterThan(first)
      }
      expect(suite.pageErrors).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('renders under a strict CSP with no unsafe-inline', async () => {
    const { page } = await openHost('/csp', { csp: "script-src 'self' 'nonce-abc'; style-src 'self'", nonce: 'abc' })
    const violations: string[] = []
    page.on('console', (m) => m.type() === 'error' && violations.push(m.text()))
    await launcher(page).waitFor()
    await launcher(page).click()
    const bg = await launcher(page).evaluate((b) => getComputedStyle(b).backgroundColor)
    expect(bg).toBe('rgb(67, 56, 202)')
    await page.getByRole('region').waitFor()
    expect(violations.filter((v) => /Content Security Policy/.test(v))).toEqual([])
    expect(suite.pageErrors).toEqual([])
  })

  it('shows markup in every text field as text and never runs it', async () => {
    const x = (n: number) => `<img src=x onerror="window.__xss=${n}"><script>window.__xss=${n}</script>`
    const evil = {
      version: 1,
      checklists: [{ ...flows.checklists![0], title: x(1), description: x(2), tasks: [{ id: 't1', title: x(3), doneWhen: { event: 'A' }, cta: { label: x(4), url: '/ok' }, points: 5 }, { id: 't2', title: 'two', doneWhen: { event: 'B' }, cta: { label: x(5), url: '/ok2' } }], reward: { points: 1, badge: 'b' } }],
      badges: [{ id: 'b', title: x(6), description: x(7), icon: '<b>', rule: { event: 'A' } }],
      levels: [{ name: x(8), points: 0 }, { name: x(9), points: 5 }],
    }
    // Served as a file: inline in the page, the payload's </script> would end the vendor's script.
    suite.site.files['/xss-flows.json'] = { body: JSON.stringify(evil) }
    const { page } = await openHost('/xss', { flows: `${suite.site.url}/xss-flows.json` })
    await launcher(page).click()
    const shown = () => page.evaluate(() => [...document.querySelectorAll('[data-linger]')].map((h) => h.shadowRoot!.textContent).join(' '))
    expect(await shown()).toContain('window.__xss=4')
    await track(page, ['A'])
    await page.getByText('Badge earned', { exact: true }).waitFor()
    await page.getByRole('button', { name: 'Badges', exact: true }).click()
    await page.getByRole('dialog').waitFor()
    const texts = await shown()
    for (const n of [1, 2, 3, 5, 6, 7, 9]) expect(texts).toContain(`<img src=x onerror="window.__xss=${n}"><script>window.__xss=${n}</script>`)
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined()
    expect(await page.evaluate(() => [...document.querySelectorAll('[data-linger]')].some((h) => h.shadowRoot!.querySelector('img,script,b')))).toBe(false)
  })
})

describe('two tabs of one user', () => {
  it('a keyboard user on one hidden list\'s resume button keeps their focus in the launcher when another tab brings back a different list', async () => {
    const second = { id: 'power-user', title: 'Become a power user', tasks: [{ id: 'share', title: 'Share a board', doneWhen: { event: 'Board Shared' } }] }
    const { page: a, context } = await openHost('/two-tabs-resume', { flows: { ...flows, checklists: [...flows.checklists!, second] } })
    for (const title of ['Get started with Acme Projects', 'Become a power user']) {
      await a.getByRole('button', { name: new RegExp(`^${title}: \\d+ of`) }).click()
      await a.getByRole('region', { name: title }).getByRole('button', { name: 'Hide checklist' }).click()
    }
    const resume = (p: Page, title: string) => p.getByRole('button', { name: `Resume checklist: ${title}`, exact: true })
    await resume(a, 'Become a power user').waitFor()
    const b = await context.newPage()
    await b.goto(suite.site.url + '/two-tabs-resume')
    // The user is on the second list's way back in this tab.
    await resume(a, 'Become a power user').focus()
    // In the other tab they bring back the first list.
    await resume(b, 'Get started with Acme Projects').click()
    const pill = a.getByRole('button', { name: 'Get started with Acme Projects: 0 of 4 tasks done', exact: true })
    await pill.waitFor()
    // The button they were on went with the hidden lists; focus is on the launcher, not the page's body.
    await expect.poll(() => a.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent ?? document.activeElement?.tagName)).toContain('Get started with Acme Projects')
    expect(suite.pageErrors).toEqual([])
  })

  it('the same events in both tabs at once: every grant reaches the collector under one messageId', async () => {
    const userId = 'u_two_tabs'
    const script = suite.initScript({ flows }) + `linger('identify','${userId}');linger.track('Signed In');linger.on('ready',()=>{window.lingerReady=true});`
    const { page: a, context } = await suite.open('/two-tabs', suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }))
    const b = await context.newPage()
    await b.goto(suite.site.url + '/two-tabs')
    for (const p of [a, b]) await p.waitForFunction(() => (window as any).lingerReady === true)
    // Both tabs see the whole onboarding at the same moment (a synced action, a double submit).
    const at = Date.now() + 400
    await Promise.all(
      [a, b].map((p) =>
        p.evaluate(
          ({ at, names }) => new Promise<void>((done) => setTimeout(() => (names.forEach((n) => (window as any).linger.track(n)), done()), at - Date.now())),
          { at, names: ONBOARDING },
        ),
      ),
    )
    const grants = () => suite.collector.delivered().filter((e) => e.userId === userId && /^(Checklist Task Completed|Checklist Completed|Badge Earned|Level Reached)$/.test(e.event))
    await suite.collector.waitFor(() => grants().some((e) => e.event === 'Level Reached'))
    // Whatever the other tab was going to send has gone out by now.
    await Promise.all([a, b].map((p) => p.evaluate(() => (window as any).linger.flush())))
    await a.waitForTimeout(2000)
    const idsPerGrant: Record<string, Set<string>> = {}
    for (const e of grants()) (idsPerGrant[`${e.event}:${e.properties.taskId ?? e.properties.badgeId ?? e.properties.level ?? ''}`] ??= new Set()).add(e.messageId)
    expect(Object.fromEntries(Object.entries(idsPerGrant).map(([k, ids]) => [k, ids.size]))).toEqual({
      'Checklist Task Completed:create-project': 1,
      'Checklist Task Completed:add-tasks': 1,
      'Checklist Task Completed:invite': 1,
      'Checklist Task Completed:export': 1,
      'Checklist Completed:': 1,
      'Badge Earned:onboarded': 1,
      'Level Reached:Regular': 1,
    })
    expect(suite.pageErrors).toEqual([])
  })
})

describe('the celebration keeps to its corner', () => {
  // The reports page of a phone app: its "Export CSV" (the list's last task) sits where the
  // "All done" panel would rise, above the launcher; `more`: another button beside it.
  const reports = (more = '') =>
    `<main><h1>Reports</h1><div style="height:360px">Every project gets a live status report.</div><button id="export" onclick="linger.track('Report Exported')">Export CSV</button>${more}<div style="height:600px"></div></main>`
  /** The Linger surface, if any, over the middle of the page's element `sel`; null when the element is in plain view. */
  const over = (page: Page, sel: string) =>
    page.evaluate((s) => {
      const r = document.querySelector(s)!.getBoundingClientRect()
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
      return hit && hit.closest('[data-linger]') ? hit.localName : null
    }, sel)
  /** Heard "Checklist completed", and a frame later: whatever the list does on completing, it has done. */
  const completed = async (page: Page) => {
    await expect.poll(async () => (await heard(page)).some((h) => h.text.includes('Checklist completed'))).toBe(true)
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  }

  it('at 375 px, the "All done" panel does not come up over the "Export CSV" button a keyboard user just pressed: the launcher shows the list done, and the celebration is there when they open it', async () => {
    const { page } = await openHost('/375-export-keys', { body: reports(), ear: true })
    await page.setViewportSize({ width: 375, height: 667 })
    await track(page, ONBOARDING.slice(0, -1))
    await expect.poll(() => launcher(page).textContent()).toContain('3/4')
    await page.locator('#export').focus()
    await page.keyboard.press('Enter')
    await completed(page)
    const panel = page.getByRole('region', { name: 'Get started with Acme Projects' })
    expect(await over(page, '#export')).toBe(null)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('export')
    expect(await panel.count()).toBe(0)
    expect(await launcher(page).textContent()).toMatch(/✓.*4\/4/)
    // Theirs to open: the celebration is in it.
    await launcher(page).click()
    await panel.getByText('All done!').waitFor()
    expect(suite.pageErrors).toEqual([])
  })

  it('at 375 px, a press on a button that takes no focus (as a tap on any button in Safari) finishes the list: the panel does not come up over it', async () => {
    const pdf = `<button id="pdf" onmousedown="event.preventDefault()" onclick="linger.track('Report Exported')">Export PDF</button>`
    const { page } = await openHost('/375-export-nofocus', { body: reports(pdf), ear: true })
    await page.setViewportSize({ width: 375, height: 667 })
    await track(page, ONBOARDING.slice(0, -1))
    await expect.poll(() => launcher(page).textContent()).toContain('3/4')
    await page.locator('#pdf').click()
    await completed(page)
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true)
    expect(await over(page, '#pdf')).toBe(null)
    expect(await page.getByRole('region', { name: 'Get started with Acme Projects' }).count()).toBe(0)
    expect(suite.pageErrors).toEqual([])
  })

  it('on a laptop, the same press opens the "All done" panel to celebrate: it is clear of the button', async () => {
    const { page } = await openHost('/1280-export', { body: reports(), ear: true })
    await page.setViewportSize({ width: 1280, height: 720 })
    await track(page, ONBOARDING.slice(0, -1))
    await expect.poll(() => launcher(page).textContent()).toContain('3/4')
    await page.locator('#export').click()
    await page.getByRole('region', { name: 'Get started with Acme Projects' }).getByText('All done!').waitFor()
    expect(await over(page, '#export')).toBe(null)
    expect(suite.pageErrors).toEqual([])
  })

  it('a list whose tasks were all done before it started (its audience met later) comes done and quietly: no "✓ 4/4" in the corner for one page only, nothing opens; the badge it earns is still shown', async () => {
    const [list] = exampleFlows.checklists!
    const upgraded = { ...list, audience: { event: 'Upgraded' } }
    const { page } = await openHost('/starts-done', { flows: { ...flows, checklists: [upgraded] }, ear: true })
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await track(page, [...ONBOARDING, 'Upgraded'])
    await page.locator('linger-badge-toast').getByText('Onboarded').waitFor()
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    expect(await page.locator('linger-checklist .pill:not(.round)').count()).toBe(0)
    expect(await page.getByRole('region', { name: 'Get started with Acme Projects' }).count()).toBe(0)
    // The next page is the same.
    await page.reload()
    await page.getByRole('button', { name: 'Badges', exact: true }).waitFor()
    expect(await page.locator('linger-checklist .pill:not(.round)').count()).toBe(0)
    expect(suite.pageErrors).toEqual([])
  })

  it('a list finished while a tour\'s tip is up does not open over it nor push it aside: the tip the user is reading stays, the launcher shows the list done', async () => {
    const intro = { id: 'intro', trigger: { event: 'Dashboard Viewed' }, steps: [{ id: 'one', target: '#host-btn', title: 'Meet the host button', body: 'It does host things.' }, { id: 'two', target: 'h1', title: 'And the title' }] }
    const { page } = await openHost('/tour-up', { flows: { ...flows, tours: [intro] }, ear: true })
    await launcher(page).waitFor()
    // The tour starts on its own (the app's page view): its tip leaves focus where it was.
    await track(page, [...ONBOARDING.slice(0, -1), 'Dashboard Viewed'])
    const tip = page.locator('linger-tours').getByRole('dialog', { name: 'Meet the host button' })
    await tip.waitFor()
    // The app tracks the last task from elsewhere (a background export finished).
    await track(page, ['Report Exported'])
    await completed(page)
    expect(await tip.isVisible()).toBe(true)
    expect(await page.getByRole('region', { name: 'Get started with Acme Projects' }).count()).toBe(0)
    expect(await launcher(page).textContent()).toMatch(/✓.*4\/4/)
    // Their tour goes on where they were.
    await tip.getByRole('button', { name: 'Next' }).click()
    await page.locator('linger-tours').getByRole('dialog', { name: 'And the title' }).waitFor()
    expect(suite.pageErrors).toEqual([])
  })

  it('a list finished while a survey that came on its own is up does not send the survey aside: the question the user is reading stays', async () => {
    const csat = { id: 'pulse', kind: 'csat', question: 'How is it going?', trigger: { event: 'Pinged' }, placement: 'bottom-right', repeat: 'always' }
    const { page } = await openHost('/survey-up', { flows: { ...flows, settings: { ...flows.settings, cooldownDays: 0 }, surveys: [csat] }, ear: true })
    await launcher(page).waitFor()
    await track(page, [...ONBOARDING.slice(0, -1), 'Pinged'])
    const card = page.locator('linger-survey [role="dialog"]')
    await card.getByText('How is it going?').waitFor()
    await track(page, ['Report Exported'])
    await completed(page)
    expect(await card.isVisible()).toBe(true)
    expect(await page.getByRole('region', { name: 'Get started with Acme Projects' }).count()).toBe(0)
    expect(await launcher(page).textContent()).toMatch(/✓.*4\/4/)
    expect(suite.pageErrors).toEqual([])
  })

  it('at 375 px, with a second list under way, the list the "Export CSV" press finished is the one on the launcher, "✓ 4/4", and its celebration is there when they open it', async () => {
    const power = { id: 'power-user', title: 'Power user', tasks: [{ id: 'automate', title: 'Set up an automation', doneWhen: { event: 'Automation Created' } }] }
    const { page } = await openHost('/375-two-lists', { flows: { ...flows, checklists: [...flows.checklists!, power] }, body: reports(), ear: true })
    await page.setViewportSize({ width: 375, height: 667 })
    await track(page, ONBOARDING.slice(0, -1))
    await expect.poll(() => launcher(page).textContent()).toContain('3/4')
    await page.locator('#export').click()
    await completed(page)
    const pills = page.locator('linger-checklist .pill:not(.round)')
    expect(await pills.allTextContents()).toEqual([expect.stringMatching(/Get started.*✓.*4\/4/)])
    await pills.click()
    await page.getByRole('region', { name: 'Get started with Acme Projects' }).getByText('All done!').waitFor()
    expect(suite.pageErrors).toEqual([])
  })

  it('on a laptop, a tour waiting for its next step on another page does not keep the "All done" panel shut: its "go there" note in the other corner stays, and the panel is clear of it', async () => {
    const tour = { id: 'export-tour', trigger: { event: 'Dashboard Viewed' }, steps: [{ id: 'one', target: '#host-btn', title: 'Meet the host button' }, { id: 'two', target: 'h1', title: 'Your reports', url: '#/reports*' }] }
    const { page } = await openHost('/tour-elsewhere', { flows: { ...flows, tours: [tour] }, ear: true })
    await page.setViewportSize({ width: 1280, height: 720 })
    await launcher(page).waitFor()
    await track(page, [...ONBOARDING.slice(0, -1), 'Dashboard Viewed'])
    const tip = page.locator('linger-tours').getByRole('dialog', { name: 'Meet the host button' })
    await tip.getByRole('button', { name: 'Next' }).click()
    await tip.waitFor({ state: 'detached' })
    // Back to the page: a click on its title (no control) leaves focus on the body.
    await page.locator('h1').click()
    const note = page.locator('linger-tours').getByRole('heading', { name: 'Your reports' })
    await note.waitFor()
    await track(page, ['Report Exported'])
    const panel = page.getByRole('region', { name: 'Get started with Acme Projects' })
    await panel.getByText('All done!').waitFor()
    const [a, b] = [(await note.locator('xpath=..').boundingBox())!, (await panel.boundingBox())!]
    expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y).toBe(true)
    expect(suite.pageErrors).toEqual([])
  })

  it('on a laptop, an app that keeps focus on its page wrapper (<main tabindex=-1>, as single-page apps do on a route change) still gets the "All done" panel', async () => {
    const { page } = await openHost('/focus-wrapper', { body: '<main id="m" tabindex="-1" style="min-height:100vh"><h1>Acme</h1><p>Dashboard</p></main>' })
    await page.setViewportSize({ width: 1280, height: 720 })
    await launcher(page).waitFor()
    await page.locator('#m').focus()
    await track(page, ONBOARDING)
    await page.getByRole('region', { name: 'Get started with Acme Projects' }).getByText('All done!').waitFor()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('m')
    expect(suite.pageErrors).toEqual([])
  })
})

describe('a page that goes while its grants are being claimed', () => {
  it('a task ticked just before a reload reaches the collector: the reload cut off its claim, not its event', async () => {
    const context = await suite.browser.newContext()
    // Under load the lock manager answers late: on the first page its answer to a grant's claim
    // comes after the user has reloaded (the next page's are answered as usual).
    await context.addInitScript(() => {
      if (sessionStorage.getItem('loaded')) return
      sessionStorage.setItem('loaded', '1')
      const request = navigator.locks.request.bind(navigator.locks)
      navigator.locks.request = ((name: string, ...rest: unknown[]) =>
        name.startsWith('linger:granted:') ? new Promise(() => {}) : (request as any)(name, ...rest)) as typeof navigator.locks.request
    })
    // And the collector is a slow round trip away: the batch with the user's 'Project Created' is
    // still unanswered as the page goes, and the reload cuts it off.
    let held = 0
    suite.collector.setResponder((_, body) => (body.batch.some((e) => e.event === 'Project Created') && held++ === 0 ? 'hang' : { status: 200 }))
    try {
      const { page } = await openHost('/reload-in-claim', { context })
      await expect.poll(() => launcher(page).textContent()).toContain('0/4')
      await track(page, ['Project Created'])
      // Ticked and kept (its state written) before the page goes.
      await expect.poll(() => launcher(page).textContent()).toContain('1/4')
      await expect.poll(() => held).toBe(1)
      await page.reload()
      await expect.poll(() => launcher(page).textContent()).toContain('1/4')
      await track(page, ['Teammate Invited'])
      const tasks = () => suite.collector.stored().filter((e) => e.userId === 'u_1' && e.event === 'Checklist Task Completed' && e.context?.page?.path === '/reload-in-claim')
      await suite.collector.waitFor(() => tasks().some((e) => e.properties.taskId === 'invite'))
      await page.evaluate(() => (window as any).linger.flush())
      expect(tasks().map((e) => e.properties.taskId).sort()).toEqual(['create-project', 'invite'])
      await context.close()
    } finally {
      // The file's collector answers as usual again, whatever failed above.
      suite.collector.setResponder(() => ({ status: 200 }))
    }
    expect(suite.pageErrors).toEqual([])
  })
})
