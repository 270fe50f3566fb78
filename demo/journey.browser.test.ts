import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../test/browser'
// @ts-expect-error the demo server is plain ESM (what `npm start` runs)
import { startDemo } from './server.mjs'

// A new user's whole first session in the demo (examples/flows.json), on a small phone, a
// phone and a laptop: checklist → tasks → the tour of the last task → the celebration and its
// badge toast → the CES survey once those are gone → a hotspot. At every state, every visible
// Linger surface is inside the viewport and no two of them overlap (unless one is modal).
// Screenshots of each state land in test-results/journey/ (kept as test artefacts).
let demo: { url: string; close(): Promise<void> }
let browser: Browser
const dataDir = mkdtempSync(join(tmpdir(), 'linger-journey-'))
const shots = join(process.cwd(), 'test-results', 'journey')

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  browser = await launchBrowser()
}, 180_000)
afterAll(async () => {
  await browser?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

interface Box {
  name: string
  left: number
  top: number
  right: number
  bottom: number
}

/** Every visible fixed box inside Linger's shadow roots, and whether a modal is up. */
function surfaces(page: Page): Promise<{ boxes: Box[]; modal: boolean; vw: number; vh: number }> {
  return page.evaluate(() => {
    const boxes: Box[] = []
    let modal = false
    for (const host of document.querySelectorAll<HTMLElement>('[data-linger]')) {
      for (const el of host.shadowRoot?.querySelectorAll<HTMLElement>('*') ?? []) {
        const style = getComputedStyle(el)
        if (style.position !== 'fixed') continue
        const r = el.getBoundingClientRect()
        if (r.width < 1 || r.height < 1 || style.visibility === 'hidden' || style.opacity === '0') continue
        if (el.matches('[aria-modal=true]') || el.querySelector('[aria-modal=true]')) modal = true
        boxes.push({ name: `${host.dataset.linger} .${el.className.split(' ')[0]}`, left: r.left, top: r.top, right: r.right, bottom: r.bottom })
      }
    }
    return { boxes, modal, vw: window.innerWidth, vh: window.innerHeight }
  })
}

const shotsTaken = new Map<number, number>()
/** The layout rules, checked on what is on screen now; then a screenshot of it. */
async function politeScreen(page: Page, width: number, state: string): Promise<Box[]> {
  // Let entrance animations and the layout's next frame settle.
  await page.waitForTimeout(350)
  const n = (shotsTaken.get(width) ?? 0) + 1
  shotsTaken.set(width, n)
  await page.screenshot({ path: join(shots, `${width}-${String(n).padStart(2, '0')}-${state}.png`) })
  const { boxes, modal, vw, vh } = await surfaces(page)
  for (const b of boxes) {
    expect.soft(b.left, `${state}: ${b.name} starts left of the viewport`).toBeGreaterThanOrEqual(-0.5)
    expect.soft(b.top, `${state}: ${b.name} starts above the viewport`).toBeGreaterThanOrEqual(-0.5)
    expect.soft(b.right, `${state}: ${b.name} runs past the right edge (${vw}px)`).toBeLessThanOrEqual(vw + 0.5)
    expect.soft(b.bottom, `${state}: ${b.name} runs past the bottom (${vh}px)`).toBeLessThanOrEqual(vh + 0.5)
  }
  if (!modal)
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]]
        const apart = a.right <= b.left + 0.5 || b.right <= a.left + 0.5 || a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5
        expect.soft(apart, `${state}: ${a.name} overlaps ${b.name}`).toBe(true)
      }
  return boxes
}

/** The page element at the centre of `selector` is the element itself, not a Linger surface over it. */
async function uncovered(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const el = [...document.querySelectorAll<HTMLElement>(sel)].find((e) => e.checkVisibility())!
    const r = el.getBoundingClientRect()
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
    return !!hit && (hit === el || el.contains(hit))
  }, selector)
}

const seen = (page: Page): Promise<string[]> => page.evaluate(() => [...(window as any).__seen])
const linger = (page: Page, tag: string) => page.locator(`linger-${tag}`)

for (const [width, height] of [
  [320, 568],
  [375, 667],
  [1280, 800],
] as const) {
  describe(`a new user's first session at ${width}×${height}`, () => {
    // Dana is a verified user: her progress follows her to every device through the collector,
    // so each width gets a demo (and a collector) of its own to start her first session afresh.
    beforeAll(async () => {
      demo = await startDemo({ port: 0, collectorPort: 0, dataDir: mkdtempSync(join(dataDir, `${width}-`)) })
    }, 180_000)
    afterAll(async () => {
      await demo?.close()
    })
    it('never piles Linger surfaces up, nor lets one leave the screen', { timeout: 150_000 }, async () => {
      const context = await browser.newContext({ viewport: { width, height } })
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(String(e)))
      await page.goto(`${demo.url}/`)
      await page.waitForFunction(() => (window as any).linger?.loaded === true)
      await page.evaluate(() => {
        const w = window as any
        w.__seen = []
        for (const name of ['tour:completed', 'tour:dismissed', 'survey:shown']) w.linger('on', name, () => w.__seen.push(name))
      })
      const checklist = linger(page, 'checklist')
      const launcher = checklist.getByRole('button', { name: /tasks done/ })
      await launcher.waitFor()
      await politeScreen(page, width, 'start')

      // The checklist, opened: its first task's link closes it, so the form it asks for is free.
      await launcher.click()
      await checklist.getByRole('region').waitFor()
      await politeScreen(page, width, 'checklist-open')
      await checklist.getByRole('link', { name: 'New project' }).click()
      await expect.poll(() => checklist.getByRole('region').count()).toBe(0)
      await page.locator('#new-project input').waitFor()
      expect(await uncovered(page, '#new-project button')).toBe(true)
      await politeScreen(page, width, 'task-link-followed')

      // Three tasks done by hand.
      await page.fill('#new-project input', 'Launch')
      await page.click('#new-project button')
      for (let i = 0; i < 3; i++) {
        await page.fill('#new-task input', `Task ${i}`)
        await page.click('#new-task button')
      }
      await page.goto(`${demo.url}/#/settings`)
      await page.fill('#invite input', 'sam@example.com')
      await page.click('#invite button')
      await checklist.getByText('3/4').waitFor()

      // The last task, from the dashboard: the celebration and the badge toast share the
      // screen without touching.
      await page.goto(`${demo.url}/#/dashboard`)
      await page.getByRole('button', { name: 'Export report' }).click()
      await launcher.filter({ hasText: '✓' }).waitFor()
      // On a phone the "All done" panel would rise over the "Export report" just pressed (the
      // click scrolled it up): it stays shut, the launcher shows the list done, the user opens it.
      const phone = width < 1280
      if (phone) {
        await linger(page, 'badge-toast').getByText('Onboarded').waitFor()
        expect(await checklist.getByText('All done!').count()).toBe(0)
        expect(await uncovered(page, '[data-linger-feature="quick-export"]')).toBe(true)
        await launcher.click()
      }
      await checklist.getByText('All done!').waitFor()
      await linger(page, 'badge-toast').getByText('Onboarded').waitFor()
      await politeScreen(page, width, 'celebration-and-toast')
      if (phone) await checklist.getByRole('button', { name: 'Close checklist' }).click()
      // No survey while they are up…
      expect(await page.locator('linger-survey').count()).toBe(0)
      // …then the onboarding CES survey, once they are gone and a few seconds passed.
      const survey = linger(page, 'survey')
      await survey.getByText('How easy was it to set up your first project?').waitFor({ timeout: 30_000 })
      expect(await checklist.getByText('All done!').count()).toBe(0)
      expect(await page.locator('linger-badge-toast').getByRole('complementary').count()).toBe(0)
      await politeScreen(page, width, 'ces-survey')
      // A tap picks the score; Send sends it (a mis-tap is put right with another tap first).
      await survey.getByRole('radio', { name: /^6,/ }).click()
      await survey.getByRole('button', { name: 'Send' }).click()
      await survey.getByText('Thank you for your feedback!').waitFor()
      await politeScreen(page, width, 'survey-thanks')
      await expect.poll(() => page.locator('linger-survey').count(), { timeout: 10_000 }).toBe(0)

      // The badges shelf is modal: the one surface allowed over the others.
      await checklist.getByRole('button', { name: 'Badges' }).click()
      await linger(page, 'badge-shelf').getByRole('dialog').waitFor()
      await politeScreen(page, width, 'badges-shelf')
      await page.keyboard.press('Escape')

      // The export tour (the product team's preview button): step 2 lives on the reports page,
      // so the tour says where it went, with a way there, and completes only once it was seen.
      await page.getByRole('button', { name: 'Show export-tour' }).click()
      const tours = linger(page, 'tours')
      const tip = tours.getByRole('dialog')
      await tip.getByText('Your reports live here').waitFor()
      await politeScreen(page, width, 'tour-step-1')
      await tip.getByRole('button', { name: 'Next' }).click()
      const go = tours.getByRole('link', { name: 'Go there' })
      await go.waitFor()
      await politeScreen(page, width, 'tour-step-2-elsewhere')
      expect(await seen(page)).not.toContain('tour:completed')
      await go.click()
      await tip.getByText('Export in one click').waitFor()
      await politeScreen(page, width, 'tour-step-2')
      expect(await uncovered(page, "[data-tour='export']")).toBe(true)
      await page.click("[data-tour='export']")
      await expect.poll(() => seen(page)).toContain('tour:completed')
      expect(await seen(page)).not.toContain('tour:dismissed')

      // The hotspot on the settings page: its dot never floats over the checklist. Badges the
      // journey earned may still be toasting; tours wait for them (and a quiet moment) first.
      await expect.poll(() => page.locator('linger-badge-toast').getByRole('complementary').count(), { timeout: 40_000 }).toBe(0)
      await page.goto(`${demo.url}/#/settings`)
      // On a phone the renewal reminder pushes the page down, and the integrations card starts
      // under the launchers (its dot moves to a free corner of the card, or hides while none is
      // free): the user scrolls to it.
      await page.locator("[data-tour='integrations']").evaluate((el) => el.scrollIntoView({ block: 'center' }))
      const beacon = tours.getByRole('button', { name: /Show tip/ })
      await beacon.waitFor({ timeout: 15_000 })
      await politeScreen(page, width, 'hotspot')
      await beacon.click()
      await tip.getByText('Connect Slack').waitFor()
      await politeScreen(page, width, 'hotspot-open')

      expect(errors).toEqual([])
      await context.close()
    })
  })
}
