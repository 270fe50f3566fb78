import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { ROOT } from '../../../../test/static-server'
import { inSample } from '../../../sdk/src/sample'
import { axeViolations } from '../../../../test/axe'
import { exampleFlows } from '../../../sdk/src/experiences/checklist/example.fixture'

// Micro-surveys on a real host page under a strict CSP, delivered to a real collector.
const example = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/flows.json'), 'utf8'))
const surveyOf = (id: string) => example.surveys.find((s: { id: string }) => s.id === id)
const NONCE = 'n0nc3'
// The NPS survey as written, minus the 14-days-of-usage audience (unit tests cover audiences):
// its trigger, 50% sample, 3 s delay, follow-ups and repeat policy stay.
const nps = { ...surveyOf('nps-quarterly'), audience: undefined }
const flows = { version: 1, settings: example.settings, surveys: [nps, surveyOf('csat-export'), surveyOf('next-feature')] }

const suite = useBrowserSuite({ pageErrors: 'each' })
let csp = ''
beforeAll(() => {
  csp = `default-src 'self'; script-src 'self' 'nonce-${NONCE}'; style-src 'self'; connect-src 'self' ${suite.collector.url}; img-src 'self'`
})

/** A user inside the NPS survey's sticky 50% sample, decided as the sdk decides it. */
const sampledUser = (n = 0) => {
  for (let i = 0, found = 0; ; i++) if (inSample(`u:survey-user-${i}`, nps.id, nps.sample) && found++ === n) return `survey-user-${i}`
}

const BODY = `<main><h1>Acme Projects</h1>
  <button id="dashboard" type="button">Dashboard</button>
  <button id="export" type="button">Export report</button>
  <label>Search <input id="search"></label></main>`

async function openApp(opts: { userId: string | null; flows?: object; context?: BrowserContext; path?: string; viewport?: { width: number; height: number }; before?: string; locale?: string; body?: string } = { userId: sampledUser() }) {
  const script = `
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
    ${suite.initScript({ flows: opts.flows ?? flows, ...(opts.locale ? { locale: opts.locale } : {}) })}
    ${opts.userId === null ? '' : `linger('identify', ${JSON.stringify(opts.userId)});`}
    linger.on('ready', () => (window.lingerReady = true));
    document.addEventListener('DOMContentLoaded', () => {
      document.getElementById('dashboard').addEventListener('click', () => linger.track('Dashboard Viewed'));
      document.getElementById('export').addEventListener('click', () => linger.track('Report Exported'));
    });`
  const context = opts.context ?? (await suite.browser.newContext(opts.viewport ? { viewport: opts.viewport, hasTouch: true, isMobile: true } : {}))
  if (opts.before) await context.addInitScript(opts.before)
  const head = '<meta name="viewport" content="width=device-width, initial-scale=1">'
  const { page } = await suite.open(opts.path ?? '/app', suite.hostPage({ head, body: opts.body ?? BODY, script, csp, nonce: NONCE }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return { page, context }
}

const card = (page: Page) => page.locator('linger-survey [role="dialog"]')
/** A score is picked with a click or tap; this sends it. */
const send = (page: Page) => card(page).getByRole('button', { name: 'Send' }).click()
const why = (page: Page, id: string): Promise<string[]> => page.evaluate((i) => (window as any).linger.why(i).reasons, id)
const events = (name: string) => suite.collector.delivered().filter((e) => e.event === name)
const activeLabel = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    return el?.getAttribute('aria-label') ?? el?.id ?? el?.tagName ?? null
  })

const liveText = (page: Page) => page.locator('linger-live').evaluate((el) => el.shadowRoot?.textContent ?? '')
const axe = (page: Page) => axeViolations(page, 'linger-survey, linger-survey-modal')

async function pressDashboard(page: Page) {
  await page.focus('#dashboard')
  await page.keyboard.press('Enter')
}

describe('an NPS survey, answered by keyboard alone', () => {
  it('shows after its delay, sends the score and then the comment under one responseId, and is not asked again after reload', async () => {
    const userId = sampledUser(0)
    const { page } = await openApp({ userId })
    await pressDashboard(page)
    await page.waitForTimeout(1500)
    expect(await card(page).count()).toBe(0) // still inside the 3 s delay
    await card(page).waitFor()
    expect(await axe(page)).toEqual([])

    // It appeared on its own, so focus stays on the button the user pressed and the next Enter
    // is that button's again: no score the user never chose. A screen reader hears the question.
    expect(await activeLabel(page)).toBe('dashboard')
    await expect.poll(() => liveText(page)).toContain('Survey: How likely are you to recommend Acme Projects to a colleague?')
    await page.keyboard.press('Enter')
    await page.evaluate(() => (window as any).linger.flush())
    await suite.collector.waitFor(() => events('Dashboard Viewed').filter((e) => e.userId === userId).length === 2)
    expect(await activeLabel(page)).toBe('dashboard')
    expect(await card(page).locator('[aria-checked="true"]').count()).toBe(0)

    // The survey is next in Tab order after the page's own controls. Enter on a score nobody
    // checked sends nothing; arrows move and check, Space checks, Enter sends.
    for (let i = 0; i < 8 && (await activeLabel(page)) !== '0, Not at all likely'; i++) await page.keyboard.press('Tab')
    expect(await activeLabel(page)).toBe('0, Not at all likely')
    await page.keyboard.press('Enter')
    await page.waitForTimeout(200)
    expect(await card(page).locator('[aria-checked="true"]').count()).toBe(0)
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight')
    expect(await activeLabel(page)).toBe('4')
    expect(await axe(page)).toEqual([])
    await page.keyboard.press(' ') // checks, like a radio; sending is Enter's job
    await page.waitForTimeout(200)
    expect(await card(page).getByRole('radio', { name: '4' }).getAttribute('aria-checked')).toBe('true')
    expect(await card(page).getByRole('textbox').count()).toBe(0)
    await page.keyboard.press('Enter')

    await suite.collector.waitFor(() => events('Survey Answered').some((e) => e.userId === userId))
    expect(events('Survey Answered').filter((e) => e.userId === userId)).toHaveLength(1)
    const answer = events('Survey Answered').find((e) => e.userId === userId)!
    expect(answer.properties).toMatchObject({ surveyId: 'nps-quarterly', kind: 'nps', score: 4, category: 'detractor', responseId: expect.any(String) })
    expect(events('Survey Shown').find((e) => e.userId === userId)?.properties.responseId).toBe(answer.properties.responseId)

    // The detractor follow-up; focus is in its text box.
    await expect.poll(() => activeLabel(page)).toBe(`linger-q-${answer.properties.responseId}-c`)
    expect(await card(page).getByRole('textbox', { name: 'What disappointed you the most?' }).count()).toBe(1)
    expect(await axe(page)).toEqual([])
    await page.keyboard.type('Exports are slow')
    await page.keyboard.press('Tab') // Send, the primary action, before Skip
    await page.keyboard.press('Enter')
    await suite.collector.waitFor(() => events('Survey Answered').some((e) => e.userId === userId && e.properties.comment))
    const commented = events('Survey Answered').find((e) => e.userId === userId && e.properties.comment)!
    expect(events('Survey Answered').filter((e) => e.userId === userId)).toHaveLength(2)
    expect(commented.properties).toMatchObject({ responseId: answer.properties.responseId, comment: 'Exports are slow', score: 4, category: 'detractor' })

    await expect.poll(() => card(page).textContent()).toContain('Thank you for your feedback!')
    expect(await axe(page)).toEqual([])
    await page.keyboard.press('Escape')
    await expect.poll(() => card(page).count()).toBe(0)
    // Focus went back to where the keyboard user came into the survey from: the page's last
    // control before it in Tab order (not to where focus was when the survey appeared, stops back).
    expect(await activeLabel(page)).toBe('search')

    await page.reload()
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await pressDashboard(page)
    await page.waitForTimeout(3500)
    expect(await card(page).count()).toBe(0)
    expect(await why(page, 'nps-quarterly')).toEqual(expect.arrayContaining(['repeat-wait']))
    expect(await page.evaluate(() => (window as any).cspViolations)).toEqual([])
  })
})

describe('a user busy typing', () => {
  it('keeps the caret: the corner survey appears without taking focus, and is announced', async () => {
    const { page } = await openApp({ userId: 'typist-1' })
    await page.click('#search')
    await page.keyboard.type('roadmap')
    await page.evaluate(() => (window as any).linger.track('Report Exported'))
    await card(page).waitFor()
    await page.keyboard.type(' q3')
    expect(await page.inputValue('#search')).toBe('roadmap q3')
    await expect.poll(() => page.locator('linger-live').evaluate((el) => el.shadowRoot?.textContent ?? '')).toContain('Survey: How satisfied are you with exporting reports?')
  })
})

describe("the page's own modal dialog (showModal)", () => {
  /** The page opens its export dialog, with its own Export button, over everything else. */
  const openExportDialog = (page: Page) =>
    page.evaluate(() => {
      const dialog = document.body.appendChild(document.createElement('dialog'))
      dialog.innerHTML = '<h2>Export</h2><button id="export-in-dialog" type="button">Export now</button>'
      dialog.querySelector('button')!.addEventListener('click', () => (window as any).linger.track('Report Exported'))
      dialog.showModal()
    })
  const closeDialog = (page: Page) => page.evaluate(() => document.querySelector('dialog')!.close())
  /** What a keyboard user reaches: the survey's first score takes focus. */
  const scoreTakesFocus = (page: Page) =>
    page.evaluate(() => {
      const root = document.querySelector('linger-survey')!.shadowRoot!
      root.querySelector<HTMLElement>('[role="radio"]')!.focus()
      return !!root.activeElement
    })

  it('a survey triggered by work inside it waits until the dialog is closed, then shows where the user can answer it', async () => {
    const { page } = await openApp({ userId: 'dialog-user-1' })
    await openExportDialog(page)
    await page.click('#export-in-dialog')
    await page.waitForTimeout(2500)
    expect(await card(page).count()).toBe(0)
    await closeDialog(page)
    await card(page).waitFor()
    expect(await scoreTakesFocus(page)).toBe(true)
  })

  it('a survey triggered in the first moment after load, before the widgets are in, waits for the dialog too', async () => {
    // The page opens its dialog as it loads, and the user's export lands the instant Linger is
    // ready: in the same task, so nothing of the widgets can have loaded yet.
    const before = `
      document.addEventListener('DOMContentLoaded', () => {
        const dialog = document.body.appendChild(document.createElement('dialog'))
        dialog.innerHTML = '<h2>Export</h2><button type="button">Export now</button>'
        dialog.showModal()
      })
      let ready = false
      Object.defineProperty(window, 'lingerReady', {
        get: () => ready,
        set(v) { ready = v; window.linger.track('Report Exported') },
      })`
    const { page } = await openApp({ userId: 'dialog-user-3', before })
    await page.waitForTimeout(2500)
    expect(await card(page).count()).toBe(0)
    await closeDialog(page)
    await card(page).waitFor()
    expect(await scoreTakesFocus(page)).toBe(true)
  })

  it("a survey the app shows while the dialog is open can be answered there, and still once the dialog closed", async () => {
    const { page } = await openApp({ userId: 'dialog-user-2' })
    await openExportDialog(page)
    await page.evaluate(() => (window as any).linger.show('csat-export'))
    await card(page).waitFor()
    expect(await scoreTakesFocus(page)).toBe(true)
    await closeDialog(page)
    await expect.poll(() => card(page).isVisible()).toBe(true)
    expect(await scoreTakesFocus(page)).toBe(true)
    await card(page).getByRole('radio', { name: /^5/ }).click()
    await send(page)
    await expect.poll(() => events('Survey Answered').some((e) => e.userId === 'dialog-user-2')).toBe(true)
  })
})

describe('the export that finishes the onboarding list', () => {
  it('on a laptop, the "All done" celebration comes first: the export\'s CSAT survey waits for it, and is asked once it is over', async () => {
    const track = (page: Page, names: string[]) => page.evaluate((n) => n.forEach((x) => (window as any).linger.track(x)), names)
    const onboarding = { version: 1, settings: example.settings, ...exampleFlows, surveys: [surveyOf('csat-export')] }
    const { page } = await openApp({ userId: 'finisher-1', flows: onboarding })
    await track(page, ['Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited'])
    const launcher = page.getByRole('button', { name: /tasks done/ })
    await expect.poll(() => launcher.textContent()).toContain('3/4')
    await page.click('#export')
    // Whichever the user sees first: the survey coming first kept the celebration away (the
    // launcher showed "✓ 4/4" only), or came up beside it.
    const celebration = page.getByRole('region', { name: 'Get started with Acme Projects' }).getByText('All done!')
    await expect.poll(async () => (await card(page).count()) + (await celebration.count())).toBeGreaterThan(0)
    expect([await celebration.count(), await card(page).count()]).toEqual([1, 0])
    // The celebration stays a few seconds, and the screen is quiet a few more after it.
    await card(page).waitFor({ timeout: 40_000 })
    expect(await celebration.count()).toBe(0)
  })
})

describe('dismissing', () => {
  it('is recorded as Survey Dismissed, and the survey stays away after a reload within the cooldown', async () => {
    const userId = 'dismisser-1'
    const { page } = await openApp({ userId })
    await page.click('#export')
    await card(page).waitFor()
    // Escape closes it once the user is in it; on the page, Escape stays the page's.
    await page.keyboard.press('Escape')
    expect(await card(page).count()).toBe(1)
    await card(page).getByRole('radio').first().focus()
    await page.keyboard.press('Escape')
    await expect.poll(() => card(page).count()).toBe(0)
    await suite.collector.waitFor(() => events('Survey Dismissed').some((e) => e.userId === userId))
    expect(events('Survey Dismissed').find((e) => e.userId === userId)!.properties).toMatchObject({ surveyId: 'csat-export', kind: 'csat' })
    expect(events('Survey Answered').some((e) => e.userId === userId)).toBe(false)

    await page.reload()
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.click('#export')
    await page.click('#export') // the third export would trigger the poll
    await page.waitForTimeout(300)
    expect(await card(page).count()).toBe(0)
    expect(await why(page, 'next-feature')).toEqual(['cooldown'])
    expect(await why(page, 'csat-export')).toEqual(expect.arrayContaining(['repeat-once', 'dismissed-snooze']))
  })
})

describe('a "Give feedback" button that calls linger.show', () => {
  it('takes a keyboard user into the corner survey they asked for, and Escape takes them back to the button', async () => {
    const { page } = await openApp({ userId: 'feedback-1' })
    await page.evaluate(() => {
      const button = Object.assign(document.createElement('button'), { id: 'feedback', type: 'button', textContent: 'Give feedback' })
      button.addEventListener('click', () => (window as any).linger.show('csat-export'))
      document.querySelector('main')!.prepend(button)
    })
    await page.focus('#feedback')
    await page.keyboard.press('Enter')
    await card(page).waitFor()
    await expect.poll(() => activeLabel(page)).toBe('Survey')
    expect(await axe(page)).toEqual([])
    // One Tab on, not the whole page: the first score (× first).
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await activeLabel(page)).toBe('1, Very dissatisfied')
    expect(await card(page).locator('[aria-checked="true"]').count()).toBe(0)
    await page.keyboard.press('Escape')
    await expect.poll(() => card(page).count()).toBe(0)
    expect(await activeLabel(page)).toBe('feedback')
  })
})

describe('a double-click on the page', () => {
  it("the second click, landing on the survey that just came up under the pointer, is not an answer; a click the user aims at a score is", async () => {
    const userId = 'double-clicker-1'
    const { page } = await openApp({ userId })
    await page.waitForTimeout(1500) // the survey's UI arrives at idle, as on any page a moment after it loaded
    // The page's Export button fills the right of the screen, top to bottom: the survey comes up
    // over it at either edge (one that could keep clear of what the user pressed would).
    await page.evaluate(() => {
      const s = document.getElementById('export')!.style
      Object.assign(s, { position: 'fixed', right: '0px', bottom: '0px', width: '480px', height: '100%' })
      ;(window as any).answered = []
      ;(window as any).linger.on('survey:answered', (e: unknown) => (window as any).answered.push(e))
    })
    const { width, height } = page.viewportSize()!
    const at = { x: width - 190, y: height - 110 }
    await page.mouse.click(at.x, at.y)
    await page.waitForFunction(() => document.querySelector('linger-survey')?.shadowRoot?.querySelector('[role="radio"]'), null, { polling: 'raf' })
    // The user double-clicked: the second click comes a moment later, on the same spot, and the
    // pointer stays where it was (a double-click presses twice without moving). Nothing comes
    // between the survey appearing and the press: on a loaded machine each round trip to the
    // browser eats into the moment the second click of a double-click takes.
    await page.mouse.down({ clickCount: 2 })
    await page.mouse.up({ clickCount: 2 })
    const under = await page.evaluate(({ x, y }) => document.querySelector('linger-survey')!.shadowRoot!.elementFromPoint(x, y)?.closest('[role="radio"]')?.getAttribute('aria-label') ?? null, at)
    expect(under).toMatch(/^\d/) // it did land on a score
    await page.waitForTimeout(300)
    expect(await page.evaluate(() => (window as any).answered)).toEqual([])
    expect(await card(page).locator('[aria-checked="true"]').count()).toBe(0)

    // Once the user moves onto the survey and picks a score, that is their answer.
    await card(page).getByRole('radio', { name: '2, Dissatisfied' }).click()
    await send(page)
    await expect.poll(() => page.evaluate(() => (window as any).answered.map((e: { score: number }) => e.score))).toEqual([2])
  })
})

describe('two tabs', () => {
  /** The same user's app in two tabs of one browser, both with the runtime ready. */
  async function twoTabs(userId: string, surveys: object[], path: string) {
    const a = await openApp({ userId, flows: { version: 1, settings: { cooldownDays: 0 }, surveys }, path })
    const pageB = await a.context.newPage()
    await pageB.goto(suite.site.url + path)
    await pageB.waitForFunction(() => (window as any).lingerReady === true)
    return { a, pageB }
  }

  it('a survey on screen in one tab is not shown in the other', async () => {
    // No cooldown and repeat "always": only the cross-tab record keeps the second tab quiet.
    const pulse = { id: 'pulse', kind: 'csat', question: 'How is it going?', trigger: { event: 'Report Exported' }, repeat: 'always' }
    const { a, pageB } = await twoTabs('two-tabs-1', [pulse], '/tab')

    await a.page.click('#export')
    await card(a.page).waitFor()
    await pageB.waitForTimeout(200) // the storage event reaches the other tab
    await pageB.click('#export')
    await pageB.waitForTimeout(300)
    expect(await card(pageB).count()).toBe(0)
    expect(await why(pageB, 'pulse')).toEqual(['shown-in-another-tab'])
  })

  it('both tabs triggering it in the same moment: it shows in one, and is asked once', async () => {
    // Repeat "once": whichever tab decides first, the other must hear of it before it decides.
    const once = { id: 'once', kind: 'csat', question: 'How was the export?', trigger: { event: 'Report Exported' }, repeat: 'once' }
    const { a, pageB } = await twoTabs('two-tabs-2', [once], '/tab2')
    // Both tabs export on the same millisecond, before either's write can reach the other.
    const at = Date.now() + 400
    const exportAt = (page: Page) => page.evaluate((t) => void setTimeout(() => (window as any).linger.track('Report Exported'), t - Date.now()), at)
    await Promise.all([exportAt(a.page), exportAt(pageB)])
    // A card drawn, and the other tab told it is shown in this one: not a fixed 1.5 s, which a
    // loaded machine's lock turns and chunk loading can outlast (0 shown, one on its way).
    const cards = async () => (await card(a.page).count()) + (await card(pageB).count())
    await expect.poll(cards).toBeGreaterThan(0)
    await expect.poll(async () => [await why(a.page, once.id), await why(pageB, once.id)].flat()).toContain('shown-in-another-tab')
    const shown = await cards()
    expect(shown).toBe(1)
    // Sent by each tab now: its Survey Shown can leave in a later batch than the exports (a run
    // here under load counted none).
    await Promise.all([a.page, pageB].map((p) => p.evaluate(() => (window as any).linger.flush())))
    const events = await suite.collector.waitFor((e) => e.filter((x) => x.event === 'Report Exported' && x.userId === 'two-tabs-2').length === 2, 5000)
    expect(events.filter((x) => x.event === 'Survey Shown' && x.userId === 'two-tabs-2')).toHaveLength(1)
  })
})

describe('two tabs and the global cooldown', () => {
  it('two different surveys triggered in two tabs in the same moment: the user is asked one of them, not one per tab inside the cooldown', async () => {
    // Two days between surveys: only the global cooldown (no repeat, no record of the same id) keeps
    // the second survey away, and each tab's trigger is a different survey.
    const exported = { id: 'export-pulse', kind: 'csat', question: 'How was the export?', trigger: { event: 'Report Exported' }, repeat: 'always' }
    const viewed = { id: 'dashboard-pulse', kind: 'csat', question: 'How is the dashboard?', trigger: { event: 'Dashboard Viewed' }, repeat: 'always' }
    const context = await suite.browser.newContext()
    // The surveys' UI comes to both tabs together (a first visit's chunk on a slow connection), so
    // neither tab's survey is on screen yet when the other tab decides.
    const stalled: Array<() => void> = []
    await context.route('**/chunks/surveys-*.js', (route) => void stalled.push(() => route.continue().catch(() => {})))
    const opts = { userId: 'cooldown-tabs-1', flows: { version: 1, settings: { cooldownDays: 2 }, surveys: [exported, viewed] }, context, path: '/cooldown-tabs' }
    const a = await openApp(opts)
    const b = await openApp(opts)
    // One tab exports while the other opens the dashboard, before either's write can reach the other.
    const at = Date.now() + 400
    const trackAt = (page: Page, name: string) => page.evaluate(([t, n]) => void setTimeout(() => (window as any).linger.track(n), t - Date.now()), [at, name] as const)
    await Promise.all([trackAt(a.page, 'Report Exported'), trackAt(b.page, 'Dashboard Viewed')])
    const decided = async () => [await why(a.page, exported.id), await why(b.page, viewed.id)].flat()
    // Decided in both tabs while the UI is on its way: one survey is coming, the other tab's is
    // held back by the cooldown (two coming, the one drawn second was dropped only if the first
    // one's write had reached its tab by then, and otherwise both were asked). Polled to that, not
    // to the first moment neither waits for its trigger: each tab's look says "eligible" before
    // its turn's claim is refused (a run here under load read ['eligible', 'eligible'] so).
    await expect.poll(async () => (await decided()).sort()).toEqual(['cooldown', 'eligible'])
    await context.unroute('**/chunks/surveys-*.js')
    stalled.forEach((go) => go())
    const cards = async () => (await card(a.page).count()) + (await card(b.page).count())
    await expect.poll(cards).toBeGreaterThan(0)
    await a.page.waitForTimeout(500)
    const onScreen = await cards()
    await Promise.all([a.page, b.page].map((p) => p.evaluate(() => (window as any).linger.flush())))
    await suite.collector.waitFor((e) => e.filter((x) => x.userId === 'cooldown-tabs-1' && /^(Report Exported|Dashboard Viewed)$/.test(x.event)).length === 2, 5000)
    expect(onScreen).toBe(1)
    expect(events('Survey Shown').filter((e) => e.userId === 'cooldown-tabs-1')).toHaveLength(1)
    expect((await decided()).sort()).toEqual(['cooldown', 'eligible'])
  })

  it('a survey decided in one tab that then comes to nothing (its UI late, the user gone from its page by then) does not keep the other tab\'s away: it is asked a moment later', async () => {
    const exported = { id: 'export-pulse', kind: 'csat', question: 'How was the export?', trigger: { event: 'Report Exported' }, repeat: 'always' }
    const viewed = { id: 'dashboard-pulse', kind: 'csat', question: 'How is the dashboard?', trigger: { event: 'Dashboard Viewed' }, repeat: 'always' }
    const context = await suite.browser.newContext()
    // The surveys' UI on a slow connection.
    const stalled: Array<() => void> = []
    await context.route('**/chunks/surveys-*.js', (route) => void stalled.push(() => route.continue().catch(() => {})))
    const opts = { userId: 'cooldown-tabs-2', flows: { version: 1, settings: { cooldownDays: 2 }, surveys: [exported, viewed] }, context, path: '/cooldown-tabs' }
    const a = await openApp(opts)
    const b = await openApp(opts)
    // Tab A: an export; its survey is coming, and the user goes to the settings before it came.
    await a.page.evaluate(() => (window as any).linger.track('Report Exported'))
    await expect.poll(() => why(a.page, exported.id)).toEqual(['eligible'])
    // Its turn taken (however late it comes under load): A holds the user's one showing for it.
    // Claimed for the device's person (its anonymousId): see across-tabs.ts inTurn.
    const person = await a.page.evaluate(() => JSON.parse(localStorage.getItem('linger:identity')!).anonymousId)
    await expect.poll(() => a.page.evaluate(async () => (await navigator.locks.query()).held!.map((l) => l.name))).toContain(`linger:shown:${person}`)
    await a.page.evaluate(() => (location.hash = '#/settings'))
    // Tab B: the dashboard. A's survey is still on its way: B's waits.
    await b.page.evaluate(() => (window as any).linger.track('Dashboard Viewed'))
    await expect.poll(() => why(b.page, viewed.id)).toEqual(['cooldown'])
    await context.unroute('**/chunks/surveys-*.js')
    stalled.forEach((go) => go())
    // A's UI arrives for a page the user left: nothing is asked there.
    await expect.poll(() => why(a.page, exported.id)).toEqual(['moved-on'])
    // Nothing was asked anywhere, so no cooldown began: B's survey comes.
    await card(b.page).waitFor({ timeout: 25_000 })
    expect(await card(b.page).textContent()).toContain('How is the dashboard?')
    expect(await card(a.page).count()).toBe(0)
    await b.page.evaluate(() => (window as any).linger.flush())
    await suite.collector.waitFor((e) => e.some((x) => x.userId === 'cooldown-tabs-2' && x.event === 'Survey Shown'), 5000)
    expect(events('Survey Shown').filter((e) => e.userId === 'cooldown-tabs-2').map((e) => e.properties.surveyId)).toEqual(['dashboard-pulse'])
  }, 40_000)
})

describe('two tabs, a survey and a "what\'s new"', () => {
  it('a survey on its way in one tab (its UI slow) as the user goes to the news page in another tab, where a "what\'s new" is due: not both, the cooldown keeps the modal away', async () => {
    const exported = { id: 'export-pulse', kind: 'csat', question: 'How was the export?', trigger: { event: 'Report Exported' }, repeat: 'always' }
    const whatsNew = { id: 'v3', format: 'modal', title: 'Acme 3.0 is here', body: 'Reports are faster.', audience: { url: '*/news*' } }
    const context = await suite.browser.newContext()
    const stalled: Array<() => void> = []
    await context.route('**/chunks/surveys-*.js', (route) => void stalled.push(() => route.continue().catch(() => {})))
    const flows = { version: 1, settings: { cooldownDays: 2 }, surveys: [exported], announcements: [whatsNew] }
    // Both tabs open first: tab B's "what's new" then comes a moment after A's survey, however
    // slow the machine is to open a page (A's claim on the user's one showing lasts CLAIM_MS).
    const a = await openApp({ userId: 'cooldown-tabs-3', flows, context, path: '/cooldown-tabs' })
    const b = await openApp({ userId: 'cooldown-tabs-3', flows, context, path: '/cooldown-tabs' })
    await a.page.evaluate(() => (window as any).linger.track('Report Exported'))
    await expect.poll(() => why(a.page, exported.id)).toEqual(['eligible'])
    // The claims B's lock manager refuses (another tab holds them), as they are refused.
    await b.page.evaluate(() => {
      const request = LockManager.prototype.request as (...a: unknown[]) => Promise<unknown>
      const refused: string[] = ((window as any).refused = [])
      LockManager.prototype.request = function (this: LockManager, name: string, ...rest: unknown[]) {
        const fn = rest.pop() as (lock: Lock | null) => unknown
        return request.call(this, name, ...rest, (lock: Lock | null) => (lock || refused.push(name), fn(lock)))
      } as never
    })
    // The survey is coming in A; the user goes to the news page in B, before A's showing is written:
    // B's turn finds A's claim on the user's one showing, and only then does A's UI arrive.
    await b.page.evaluate(() => history.pushState({}, '', '/news'))
    // Signed in, the user's one showing is claimed as the user first (see across-tabs.ts inTurn).
    await expect.poll(() => b.page.evaluate(() => (window as any).refused)).toEqual(['linger:shown:u:cooldown-tabs-3'])
    await context.unroute('**/chunks/surveys-*.js')
    stalled.forEach((go) => go())
    await card(a.page).waitFor()
    // B has heard of A's showing by now: the cooldown holds its modal.
    await expect.poll(() => why(b.page, whatsNew.id)).toEqual(['cooldown'])
    expect(await b.page.locator('linger-announcements-modal [role="dialog"]').count()).toBe(0)
    await Promise.all([a.page, b.page].map((p) => p.evaluate(() => (window as any).linger.flush())))
    await suite.collector.waitFor((e) => e.some((x) => x.userId === 'cooldown-tabs-3' && x.event === 'Survey Shown'), 5000)
    expect(suite.collector.delivered().filter((e) => e.userId === 'cooldown-tabs-3' && /Shown$/.test(e.event)).map((e) => e.event)).toEqual(['Survey Shown'])
  })
})

describe('a reload mid-survey', () => {
  it('does not keep the survey away: the reloaded page, the only tab, shows it again', async () => {
    const pulse = { id: 'pulse', kind: 'csat', question: 'How is it going?', trigger: { event: 'Report Exported' }, repeat: 'until-answered' }
    const { page } = await openApp({ userId: 'reloader-1', flows: { version: 1, settings: { cooldownDays: 0 }, surveys: [pulse] }, path: '/reload' })
    await page.click('#export')
    await card(page).waitFor()
    await page.reload()
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.click('#export')
    // Well before the 10 s the last page's claim would keep it away (CLAIM_MS), not 3 s: a
    // loaded machine's chunk loading and lock turns can outlast that.
    await card(page).waitFor({ timeout: 8000 })
    expect(await why(page, 'pulse')).not.toContain('shown-in-another-tab')
  })
})

describe("a survey whose UI had not arrived when the user left the page", () => {
  it('was never seen, so a "once" survey is asked on the next page: it is not spent on no one', async () => {
    const once = { ...surveyOf('csat-export'), repeat: 'once' }
    const context = await suite.browser.newContext()
    // The surveys' UI chunk is slow to come (a poor connection): it never arrives on this page.
    const stalled: Array<() => void> = []
    await context.route('**/chunks/surveys-*.js', (route) => void stalled.push(() => route.continue().catch(() => {})))
    const opts = { userId: 'left-early-1', flows: { version: 1, settings: { cooldownDays: 0 }, surveys: [once] }, context, path: '/left-early' }
    const { page } = await openApp(opts)
    await page.click('#export')
    // Decided, and waiting for its UI.
    await expect.poll(() => why(page, once.id)).toEqual(['eligible'])
    expect(await card(page).count()).toBe(0)
    // They follow a link; the next page has the UI.
    await context.unroute('**/chunks/surveys-*.js')
    stalled.forEach((go) => go())
    await page.goto('about:blank')
    const next = await openApp({ ...opts, path: '/left-early-2' })
    await next.page.click('#export')
    await expect.poll(() => why(next.page, once.id), { timeout: 10_000 }).toEqual(['eligible'])
    await card(next.page).waitFor()
    // Shown is counted as the card is drawn, which may be just after it is in the page.
    const shown = () => events('Survey Shown').filter((e) => e.userId === 'left-early-1')
    await expect.poll(async () => (await next.page.evaluate(() => (window as any).linger.flush()), shown().length)).toBeGreaterThan(0)
    await next.page.evaluate(() => (window as any).linger.flush())
    expect(shown()).toHaveLength(1)
  })
})

describe('a visitor who signs up while the survey is up', () => {
  it('keeps it on screen: the answer they give arrives once, as the user they became, under the showing\'s responseId', async () => {
    const { page } = await openApp({ userId: null })
    await page.click('#export')
    await card(page).waitFor()
    // The sign-up form sent in the same page (an SPA): the app tells Linger who they are now.
    await page.evaluate(() => (window as any).linger.identify('signed-up-1', { plan: 'trial' }))
    expect(await card(page).count()).toBe(1)
    await card(page).getByRole('radio', { name: '5, Very satisfied' }).click()
    await send(page)
    await expect.poll(() => card(page).textContent()).toContain('Thank you')
    await page.evaluate(() => (window as any).linger.flush())
    await suite.collector.waitFor(() => events('Survey Answered').some((e) => e.userId === 'signed-up-1'))
    const answered = events('Survey Answered').filter((e) => e.userId === 'signed-up-1')
    const shown = events('Survey Shown').filter((e) => e.anonymousId === answered[0].anonymousId)
    expect(answered).toHaveLength(1)
    expect(answered[0].properties).toMatchObject({ surveyId: 'csat-export', score: 5, responseId: shown[0]?.properties.responseId })
    expect(shown).toHaveLength(1)
  })
})

describe('the collector offline while answering', () => {
  it('the answer is kept (across a reload, too) and arrives when the collector is back', async () => {
    const userId = 'offline-1'
    const { page } = await openApp({ userId })
    await page.evaluate(() => (window as any).linger.flush())
    suite.collector.setResponder(() => 'reset')
    await page.click('#export')
    await card(page).waitFor()
    await card(page).getByRole('radio', { name: '5, Very satisfied' }).click()
    await send(page)
    await expect.poll(() => card(page).textContent()).toContain('Thank you')
    // The page tried, and now waits before the next try; as an outage of some minutes leaves it,
    // that wait is ten minutes long. (Reloaded with the wait over, the page would hand the answer
    // to a request on its way out that the outage drops, which holds it back 30 s (CLAIM_MS):
    // as long as this test waits, and under CI's load longer.)
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('linger:backoff:')))
    await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('linger:backoff:'))!
      localStorage.setItem(key, JSON.stringify({ ...JSON.parse(localStorage.getItem(key)!), failures: 8, retryAt: Date.now() + 600_000 }))
    })
    // Stored, and no request of it still on its way (a claim is stored as its `until`).
    await page.waitForFunction(() => Object.entries(localStorage).some(([k, v]) => k.startsWith('linger:outbox:') && v.includes('Survey Answered') && !v.includes('"until"')))
    expect(events('Survey Answered').some((e) => e.userId === userId)).toBe(false)
    await page.reload()
    await page.waitForFunction(() => (window as any).lingerReady === true)
    // The collector is back, and so is the browser's network: what waited leaves now.
    suite.collector.setResponder(() => ({ status: 200 }))
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    await suite.collector.waitFor(() => events('Survey Answered').some((e) => e.userId === userId), 30_000)
    expect(events('Survey Answered').find((e) => e.userId === userId)!.properties).toMatchObject({ surveyId: 'csat-export', score: 5, category: 'satisfied' })
  })
})

// A stand-in on-screen keyboard: Chromium cannot open one headless, so visualViewport reports a
// shorter visible height (as a phone does with its keyboard open) and fires `resize`.
const FAKE_KEYBOARD = `(() => {
  const real = window.visualViewport;
  const fake = new EventTarget();
  let covered = 0;
  for (const k of ['width', 'offsetLeft', 'offsetTop', 'pageLeft', 'pageTop', 'scale']) Object.defineProperty(fake, k, { get: () => real[k] });
  Object.defineProperty(fake, 'height', { get: () => real.height - covered });
  Object.defineProperty(window, 'visualViewport', { get: () => fake });
  window.openKeyboard = (px) => { covered = px; fake.dispatchEvent(new Event('resize')) };
})()`

describe('on a phone (375×667)', () => {
  it('the CSAT survey about an export does not land on the "Export CSV" button the user pressed: they can press it again', async () => {
    // The export button low on the screen, where the corner survey docks (full width at 375 px).
    const rows = (n: number) => Array.from({ length: n }, (_, i) => `<p>Report ${i + 1}</p>`).join('')
    const body = `<main><h1>Reports</h1>${rows(13)}
      <button id="dashboard" type="button">Dashboard</button> <button id="export" type="button">Export CSV</button>
      <label>Search <input id="search"></label>${rows(20)}</main>`
    const { page } = await openApp({ userId: 'phone-export', viewport: { width: 375, height: 667 }, body })
    await page.evaluate(() => ((window as any).exports = 0) || document.getElementById('export')!.addEventListener('click', () => (window as any).exports++))
    const exportBox = (await page.locator('#export').boundingBox())!
    expect(exportBox.y + exportBox.height).toBeGreaterThan(667 - 200)
    expect(exportBox.y + exportBox.height).toBeLessThan(667)
    await page.tap('#export')
    await card(page).waitFor()
    // Settled where it stays: on screen, whole, the question readable.
    await expect.poll(() => page.evaluate(() => {
      const r = document.querySelector('linger-survey')!.shadowRoot!.querySelector('[role="dialog"]')!.getBoundingClientRect()
      return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth
    })).toBe(true)
    const pressable = () =>
      page.evaluate(() => {
        const b = document.getElementById('export')!.getBoundingClientRect()
        return document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2)?.id
      })
    expect(await pressable()).toBe('export')
    await page.tap('#export')
    expect(await page.evaluate(() => (window as any).exports)).toBe(2)
  })

  it('fits the screen, and stays above the on-screen keyboard while the comment is typed', async () => {
    const { page } = await openApp({ userId: 'phone-1', viewport: { width: 375, height: 667 }, before: FAKE_KEYBOARD })
    await page.click('#export')
    await card(page).waitFor()
    const box = (await card(page).boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(375)
    expect(box.y + box.height).toBeLessThanOrEqual(667)
    // Every score is a usable touch target.
    for (const radio of await card(page).getByRole('radio').all()) expect((await radio.boundingBox())!.width).toBeGreaterThanOrEqual(24)
    expect(await axe(page)).toEqual([])

    await card(page).getByRole('radio', { name: '1, Very dissatisfied' }).click()
    await send(page)
    const comment = card(page).getByRole('textbox', { name: 'What went wrong?' })
    await comment.waitFor()
    await page.evaluate(() => (window as any).openKeyboard(300))
    await expect.poll(async () => (await card(page).boundingBox())!.y + (await card(page).boundingBox())!.height).toBeLessThanOrEqual(667 - 300)
    const field = (await comment.boundingBox())!
    expect(field.y).toBeGreaterThanOrEqual(0)
    expect(field.y + field.height).toBeLessThanOrEqual(667 - 300)
    expect(await axe(page)).toEqual([])
  })

  it('at 320 px, a thumb that lands on the score next to the one meant is put right with a second tap: only the score the user sends is their answer, once', async () => {
    const narrow = { version: 1, settings: { cooldownDays: 0 }, surveys: [{ id: 'nps-320', kind: 'nps', question: 'How likely are you to recommend Acme to a friend or colleague?', trigger: { event: 'Report Exported' }, placement: 'bottom-right' }] }
    const userId = 'phone-mistap-1'
    const { page } = await openApp({ userId, flows: narrow, viewport: { width: 320, height: 568 } })
    await page.evaluate(() => {
      ;(window as any).answered = []
      ;(window as any).linger.on('survey:answered', (e: unknown) => (window as any).answered.push(e))
    })
    await page.click('#export')
    await card(page).waitFor()
    const checked = () => card(page).locator('[role="radio"][aria-checked="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))
    await card(page).getByRole('radio', { name: '8' }).click()
    await expect.poll(checked).toEqual(['8'])
    await card(page).getByRole('radio', { name: '9' }).click()
    await expect.poll(checked).toEqual(['9'])
    expect(await page.evaluate(() => (window as any).answered)).toEqual([])
    await send(page)
    await expect.poll(() => card(page).textContent()).toContain('Thank you')
    expect(await page.evaluate(() => (window as any).answered.map((e: { score: number }) => e.score))).toEqual([9])
    await page.evaluate(() => (window as any).linger.flush())
    await suite.collector.waitFor(() => events('Survey Answered').some((e) => e.userId === userId))
    expect(events('Survey Answered').filter((e) => e.userId === userId).map((e) => e.properties.score)).toEqual([9])
  })

  it('at 320 px, the 11 NPS scores sit side by side without overlapping, each 24 px wide, and the question keeps clear of ×', async () => {
    const narrow = { version: 1, settings: { cooldownDays: 0 }, surveys: [{ id: 'nps-320', kind: 'nps', question: 'How likely are you to recommend Acme to a friend or colleague?', trigger: { event: 'Report Exported' }, placement: 'bottom-right' }] }
    const { page } = await openApp({ userId: 'phone-3', flows: narrow, viewport: { width: 320, height: 568 } })
    await page.click('#export')
    await card(page).waitFor()
    const c = (await card(page).boundingBox())!
    const scores = await Promise.all((await card(page).getByRole('radio').all()).map(async (r) => (await r.boundingBox())!))
    expect(scores).toHaveLength(11)
    for (const [i, s] of scores.entries()) {
      expect(s.width).toBeGreaterThanOrEqual(24)
      expect(s.x).toBeGreaterThanOrEqual(c.x)
      expect(s.x + s.width).toBeLessThanOrEqual(c.x + c.width)
      if (i) expect(s.x).toBeGreaterThanOrEqual(scores[i - 1].x + scores[i - 1].width)
    }
    const close = (await card(page).getByRole('button', { name: 'Close' }).boundingBox())!
    const question = await card(page).locator('.q').evaluate((el) => { const r = document.createRange(); r.selectNodeContents(el); return Array.from(r.getClientRects(), (b) => b.right) })
    for (const right of question) expect(right).toBeLessThanOrEqual(close.x)
  })

  it('at 320 px, a poll whose question and options hold a long word wraps them: nothing of them behind a sideways scroll', async () => {
    const word = 'Projektmanagementsoftwareeinführungsworkshop'
    const narrow = { version: 1, settings: { cooldownDays: 0 }, surveys: [{ id: 'poll-320', kind: 'choice', question: `Was hat Ihnen beim ${word} gefehlt?`, options: [word, 'Zeit'], trigger: { event: 'Report Exported' }, placement: 'bottom-right' }] }
    const { page } = await openApp({ userId: 'phone-4', flows: narrow, viewport: { width: 320, height: 568 } })
    await page.click('#export')
    await card(page).waitFor()
    expect(await card(page).evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0)
    const c = (await card(page).boundingBox())!
    const option = (await card(page).getByRole('checkbox', { name: word }).or(card(page).getByRole('radio', { name: word })).boundingBox())!
    expect(option.x + option.width).toBeLessThanOrEqual(c.x + c.width)
  })

  it('at 320 px, a centred NPS survey gives its 11 scores the same 24 px as the corner one', async () => {
    const narrow = { version: 1, settings: { cooldownDays: 0 }, surveys: [{ id: 'nps-320-modal', kind: 'nps', question: 'How likely are you to recommend Acme to a friend or colleague?', trigger: { event: 'Report Exported' }, placement: 'center' }] }
    const { page } = await openApp({ userId: 'phone-4', flows: narrow, viewport: { width: 320, height: 568 } })
    await page.click('#export')
    const modal = page.locator('linger-survey-modal [role="dialog"]')
    await modal.waitFor()
    const c = (await modal.boundingBox())!
    expect(c.x).toBeGreaterThanOrEqual(0)
    expect(c.x + c.width).toBeLessThanOrEqual(320)
    const scores = await Promise.all((await modal.getByRole('radio').all()).map(async (r) => (await r.boundingBox())!))
    expect(scores).toHaveLength(11)
    for (const [i, s] of scores.entries()) {
      expect(s.width).toBeGreaterThanOrEqual(24)
      expect(s.x + s.width).toBeLessThanOrEqual(c.x + c.width)
      if (i) expect(s.x).toBeGreaterThanOrEqual(scores[i - 1].x + scores[i - 1].width)
    }
  })

  it('a centred survey is a modal that keeps focus inside', async () => {
    const modalFlows = { version: 1, settings: example.settings, surveys: [{ ...surveyOf('csat-export'), placement: 'center', display: 'emoji' }] }
    const { page } = await openApp({ userId: 'phone-2', flows: modalFlows, viewport: { width: 375, height: 667 } })
    await page.click('#export')
    const modal = page.locator('linger-survey-modal [role="dialog"]')
    await modal.waitFor()
    expect(await modal.getAttribute('aria-modal')).toBe('true')
    expect(await axe(page)).toEqual([])
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.tagName.toLowerCase())).toBe('linger-survey-modal')
    // Out of a screen reader's browse mode too: the page behind is inert until the survey closes.
    const inert = () => page.evaluate(() => (document.querySelector('main') as HTMLElement).inert)
    expect(await inert()).toBe(true)
    await page.keyboard.press('Escape')
    await expect.poll(() => modal.count()).toBe(0)
    expect(await inert()).toBe(false)
  })
})

describe('an English app in an Arabic browser (the widgets follow the browser: right-to-left)', () => {
  /** Where the first and last characters of an element's text are drawn, left to right. */
  const ends = (page: Page, selector: string) =>
    card(page).locator(selector).first().evaluate((el) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
      let node = walker.nextNode() as Text
      while (!node.data.trim()) node = walker.nextNode() as Text
      const at = (i: number) => {
        const r = document.createRange()
        r.setStart(node, i)
        r.setEnd(node, i + 1)
        return r.getBoundingClientRect().left
      }
      return { first: at(0), last: at(node.length - 1) }
    })

  it("the vendor's English question, options and follow-up read left to right: the question mark ends the question, not starts it", async () => {
    const poll = { id: 'rtl-poll', kind: 'choice', question: 'What should we build next?', options: ['Gantt charts (beta)'], comment: 'Why that one?', trigger: { event: 'Report Exported' } }
    const { page } = await openApp({ userId: 'rtl-1', locale: 'ar', flows: { version: 1, settings: { cooldownDays: 0 }, surveys: [poll] } })
    await page.click('#export')
    await card(page).waitFor()
    const question = await ends(page, 'legend')
    expect(question.last).toBeGreaterThan(question.first)
    const option = await ends(page, '.choice')
    expect(option.last).toBeGreaterThan(option.first)
    await card(page).getByRole('radio').click()
    await card(page).getByRole('button', { name: /.+/ }).last().click()
    await card(page).locator('textarea').waitFor()
    const prompt = await ends(page, 'label.q')
    expect(prompt.last).toBeGreaterThan(prompt.first)
  })
})

describe('closing the corner survey, keyboard only, with another Linger surface before it in Tab order', () => {
  /** Another Linger surface (its host takes no focus), like the payment banner: Dismiss would end it. */
  const banner = (page: Page) =>
    page.evaluate(() => {
      const el = document.body.appendChild(document.createElement('linger-other'))
      el.setAttribute('data-linger', 'other')
      el.attachShadow({ mode: 'open' }).innerHTML = '<button id="update">Update card</button><button id="dismiss" aria-label="Dismiss">×</button>'
      ;(window as any).dismissed = 0
      el.shadowRoot!.getElementById('dismiss')!.addEventListener('click', () => (window as any).dismissed++)
    })
  /** The survey came up on its own; the user, in the search field, Tabs on through the banner into it. */
  const tabIn = async (page: Page) => {
    await page.focus('#export')
    await page.keyboard.press('Enter')
    await card(page).waitFor()
    await page.focus('#search')
    const passed: (string | null)[] = []
    for (let i = 0; i < 6 && (await activeLabel(page)) !== 'Close survey'; i++) {
      await page.keyboard.press('Tab')
      passed.push(await activeLabel(page))
    }
    expect(passed).toEqual(['update', 'Dismiss', 'Close survey'])
  }

  it("Escape puts them back in the search field they Tabbed from, not on the banner's Dismiss they passed on the way", async () => {
    const { page } = await openApp({ userId: 'through-banner-1' })
    await banner(page)
    await tabIn(page)
    await page.keyboard.press('Tab') // on to the first score
    await page.keyboard.press('Escape')
    await expect.poll(() => card(page).count()).toBe(0)
    expect(await activeLabel(page)).toBe('search')
    // The next Enter is the search field's, not a dismissed payment notice.
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => (window as any).dismissed)).toBe(0)
  })

  it('× pressed with Enter puts them back in the search field too', async () => {
    const { page } = await openApp({ userId: 'through-banner-2' })
    await banner(page)
    await tabIn(page)
    await page.keyboard.press('Enter')
    await expect.poll(() => card(page).count()).toBe(0)
    expect(await activeLabel(page)).toBe('search')
  })

  it('answered, the "Thank you" that closes by itself leaves them in the search field too', async () => {
    const { page } = await openApp({ userId: 'through-banner-3' })
    await banner(page)
    await tabIn(page)
    await page.keyboard.press('Tab')
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight')
    expect(await activeLabel(page)).toBe('5, Very satisfied')
    await page.keyboard.press(' ')
    await page.keyboard.press('Enter')
    await expect.poll(() => card(page).textContent()).toContain('Thank you')
    await expect.poll(() => card(page).count(), { timeout: 8000 }).toBe(0)
    expect(await activeLabel(page)).toBe('search')
  })

  it('asked for from where the user typed (it took no keystroke, no focus), then Tabbed to the long way round: Escape puts them back there', async () => {
    const { page } = await openApp({ userId: 'through-banner-5' })
    await banner(page)
    // The help search: Enter on a query that finds nothing asks what the user was looking for.
    await page.evaluate(() => {
      const field = Object.assign(document.createElement('input'), { id: 'help', type: 'search' })
      field.addEventListener('keydown', (e) => e.key === 'Enter' && (window as any).linger.show('csat-export'))
      document.querySelector('main')!.prepend(field)
    })
    await page.focus('#help')
    await page.keyboard.type('bulk export')
    await page.keyboard.press('Enter')
    await card(page).waitFor()
    expect(await activeLabel(page)).toBe('help')
    const passed: (string | null)[] = []
    for (let i = 0; i < 8 && (await activeLabel(page)) !== 'Close survey'; i++) {
      await page.keyboard.press('Tab')
      passed.push(await activeLabel(page))
    }
    expect(passed).toEqual(['dashboard', 'export', 'search', 'update', 'Dismiss', 'Close survey'])
    await page.keyboard.press('Escape')
    await expect.poll(() => card(page).count()).toBe(0)
    expect(await activeLabel(page)).toBe('help')
  })

  it('that field gone meanwhile, focus goes to no Linger control: the next Enter dismisses nothing', async () => {
    const { page } = await openApp({ userId: 'through-banner-4' })
    await banner(page)
    await tabIn(page)
    await page.evaluate(() => document.getElementById('search')!.remove())
    await page.keyboard.press('Escape')
    await expect.poll(() => card(page).count()).toBe(0)
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true)
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => (window as any).dismissed)).toBe(0)
  })
})

describe('the follow-up question after a score, by keyboard', () => {
  const survey = { id: 'nps-follow-up', kind: 'nps', question: 'How likely are you to recommend Acme Projects?', followUp: { detractor: 'What disappointed you the most?' }, trigger: { event: 'Report Exported' } }
  /** The text of whatever has focus, inside shadow roots too. */
  const focusedText = (page: Page) =>
    page.evaluate(() => {
      let el: Element | null = document.activeElement
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
      return el?.textContent ?? null
    })

  for (const [locale, send, skip] of [['en', 'Send', 'Skip'], ['ar', 'إرسال', 'تخطي']] as const) {
    it(`(${locale}) a user who types an answer and presses Tab, then Enter, sends it: Send comes right after the text box, and still sits at the end of the row, where the design puts it`, async () => {
      const userId = `follow-up-${locale}`
      const { page } = await openApp({ userId, locale, flows: { version: 1, settings: { cooldownDays: 0 }, surveys: [survey] } })
      await page.click('#export')
      await card(page).getByRole('radio', { name: '3' }).click()
      await card(page).getByRole('button', { name: send }).click()
      const box = card(page).getByRole('textbox', { name: 'What disappointed you the most?' })
      await box.waitFor()
      // Send is the button at the row's end (right in English, left in Arabic), Skip beside it.
      const [sendBox, skipBox] = [await card(page).getByRole('button', { name: send }).boundingBox(), await card(page).getByRole('button', { name: skip }).boundingBox()]
      if (locale === 'en') expect(sendBox!.x).toBeGreaterThan(skipBox!.x)
      else expect(sendBox!.x).toBeLessThan(skipBox!.x)

      await expect.poll(() => box.evaluate((el) => el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true)
      await page.keyboard.type('Exports are slow')
      await page.keyboard.press('Tab')
      expect(await focusedText(page)).toBe(send)
      await page.keyboard.press('Enter')
      await suite.collector.waitFor(() => events('Survey Answered').some((e) => e.userId === userId && e.properties.comment))
      expect(events('Survey Answered').find((e) => e.userId === userId && e.properties.comment)!.properties).toMatchObject({ surveyId: 'nps-follow-up', score: 3, comment: 'Exports are slow' })
    })
  }
})

describe("a page whose slides turn on the keyup of →, Space and Enter (and whose presentation mode ends on Escape's)", () => {
  // The page's own keyboard, as a slide deck hears it: on the way up, at the document.
  const deck = () =>
    `window.turned = []; document.addEventListener('keyup', (e) => ['ArrowRight', ' ', 'Enter', 'Escape'].includes(e.key) && turned.push(e.key));`
  const turned = (page: Page): Promise<string[]> => page.evaluate(() => (window as any).turned)
  const survey = { id: 'nps-slides', kind: 'nps', question: 'How likely are you to recommend Acme Projects?', trigger: { event: 'Report Exported' } }

  it('a user who picks a score with the arrows and Space, then sends it with Enter, turns no slide; the next → on the page does', async () => {
    const { page } = await openApp({ userId: 'slides-1', flows: { version: 1, settings: { cooldownDays: 0 }, surveys: [survey] }, before: deck() })
    await page.click('#export')
    await card(page).getByRole('radio', { name: '0, Not at all likely' }).focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press(' ')
    expect(await card(page).getByRole('radio', { name: '2' }).getAttribute('aria-checked')).toBe('true')
    // A key the survey leaves alone is the page's (and the browser's), on the way up too.
    await page.keyboard.press('Alt+ArrowRight')
    expect(await turned(page)).toEqual(['ArrowRight'])
    // Enter sends: the score buttons are gone before the key comes up, and it comes up on the page.
    await page.keyboard.press('Enter')
    await suite.collector.waitFor(() => events('Survey Answered').some((e) => e.userId === 'slides-1'))
    expect(await turned(page)).toEqual(['ArrowRight'])
    await page.keyboard.press('ArrowRight')
    expect(await turned(page)).toEqual(['ArrowRight', 'ArrowRight'])
  })

  it('a user who clicks a score, then presses Space on Send, turns no slide: the page hears no key pressing a survey button, down or up', async () => {
    const { page } = await openApp({ userId: 'slides-3', flows: { version: 1, settings: { cooldownDays: 0 }, surveys: [survey] }, before: deck() })
    await page.evaluate(() => document.addEventListener('keydown', (e) => e.key === ' ' && (window as any).turned.push('keydown Space')))
    await page.click('#export')
    await card(page).getByRole('radio', { name: '9' }).click()
    await card(page).getByRole('button', { name: 'Send' }).focus()
    await page.keyboard.press(' ')
    await suite.collector.waitFor(() => events('Survey Answered').some((e) => e.userId === 'slides-3'))
    expect(await turned(page)).toEqual([])
  })

  it('Escape in a survey the user asked for closes it and gives focus back to their "Give feedback" button; the presentation hears no Escape', async () => {
    const { page } = await openApp({ userId: 'slides-2', before: deck() })
    await page.evaluate(() => {
      const button = Object.assign(document.createElement('button'), { id: 'feedback', type: 'button', textContent: 'Give feedback' })
      button.addEventListener('click', () => (window as any).linger.show('csat-export'))
      document.querySelector('main')!.prepend(button)
    })
    await page.focus('#feedback')
    await page.keyboard.down('Enter')
    await card(page).waitFor()
    await page.keyboard.up('Enter')
    await expect.poll(() => activeLabel(page)).toBe('Survey')
    await page.keyboard.press('Escape')
    await expect.poll(() => card(page).count()).toBe(0)
    expect(await activeLabel(page)).toBe('feedback')
    // The Enter that opened it went down on the page: its keyup is the page's.
    expect(await turned(page)).toEqual(['Enter'])
    await page.keyboard.press('Escape')
    expect(await turned(page)).toEqual(['Enter', 'Escape'])
  })
})

describe('a page that tracks which keys are held (a drawing app: Space held pans the canvas, Shift held extends a selection)', () => {
  // The page's own bookkeeping: a key is held from its keydown to its keyup, as the page hears them.
  const tracker = () =>
    `window.held = new Set(); window.heard = []; document.addEventListener('keydown', (e) => held.add(e.code)); document.addEventListener('keyup', (e) => held.delete(e.code));
     for (const type of ['keydown', 'keyup']) document.addEventListener(type, (e) => heard.push(type + ' ' + e.key));`
  const held = (page: Page): Promise<string[]> => page.evaluate(() => [...(window as any).held])
  const heard = (page: Page): Promise<string[]> => page.evaluate(() => (window as any).heard)
  const survey = { id: 'nps-held', kind: 'nps', question: 'How likely are you to recommend Acme Projects?', followUp: { detractor: 'What disappointed you the most?' }, trigger: { event: 'Report Exported' } }
  const open = async (userId: string) => {
    const { page } = await openApp({ userId, flows: { version: 1, settings: { cooldownDays: 0 }, surveys: [survey] }, before: tracker() })
    await page.click('#export')
    await card(page).waitFor()
    await page.click('h1')
    return page
  }

  it('a user holding Space to pan who clicks a score, then lets go of Space, is no longer panning', async () => {
    const page = await open('held-1')
    await page.keyboard.down(' ')
    expect(await held(page)).toEqual(['Space'])
    await card(page).getByRole('radio', { name: '7' }).click()
    await page.keyboard.up(' ')
    expect(await held(page)).toEqual([])
    // Letting go of Space pressed nothing in the survey: the score stays picked, nothing was sent.
    expect(await card(page).getByRole('radio', { name: '7' }).getAttribute('aria-checked')).toBe('true')
  })

  it('a user holding → on the page who clicks a score while the key repeats there, then lets go, holds no key on the page', async () => {
    const page = await open('held-2')
    await page.keyboard.down('ArrowRight')
    await card(page).getByRole('radio', { name: '7' }).click()
    // The key repeats where focus now is: the score moves on, as it would for any arrow there.
    await page.keyboard.down('ArrowRight')
    await expect.poll(() => card(page).getByRole('radio', { name: '8' }).getAttribute('aria-checked')).toBe('true')
    await page.keyboard.up('ArrowRight')
    expect(await held(page)).toEqual([])
  })

  it('a user holding Shift on the page who clicks into the follow-up box, then lets go, holds no Shift on the page; what they then type there stays theirs, down and up', async () => {
    const page = await open('held-3')
    await card(page).getByRole('radio', { name: '3' }).click()
    await card(page).getByRole('button', { name: 'Send' }).click()
    const box = card(page).getByRole('textbox', { name: 'What disappointed you the most?' })
    await box.waitFor()
    await page.click('h1')
    await page.keyboard.down('Shift')
    await box.click()
    await page.keyboard.up('Shift')
    expect(await held(page)).toEqual([])
    expect((await heard(page)).slice(-2)).toEqual(['keydown Shift', 'keyup Shift'])
    // (Clicked again: after a Shift-click, Chromium driven by Playwright drops the next text typed, Linger or not.)
    await box.click()
    const before = (await heard(page)).length
    await page.keyboard.type('Slow')
    expect(await box.inputValue()).toBe('Slow')
    expect((await heard(page)).slice(before)).toEqual([])
  })
})
