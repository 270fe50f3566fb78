import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../test/browser'
// @ts-expect-error the demo server is plain ESM (what `npm start` runs)
import { startDemo } from './server.mjs'

// `npm start` as a newcomer meets it: the Acme demo loads Linger only through the snippet, and
// what they do there shows up in the collector's dashboard within seconds.
let demo: { url: string; collector: { url: string }; close(): Promise<void> }
let browser: Browser
const dataDir = mkdtempSync(join(tmpdir(), 'linger-demo-'))

beforeAll(async () => {
  demo = await startDemo({ port: 0, collectorPort: 0, dataDir })
  browser = await launchBrowser()
}, 180_000)
afterAll(async () => {
  await browser?.close()
  await demo?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function recent(): Promise<Array<{ type: string; event: string | null; person: string }>> {
  const res = await fetch(`${demo.collector.url}/api/events/recent`)
  return (await res.json()).events
}

async function openDemo(hash = ''): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext()).newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) errors.push(m.text())
  })
  await page.goto(`${demo.url}/${hash}`)
  await page.waitForFunction(() => (window as any).linger?.loaded === true)
  return { page, errors }
}

describe('the demo', () => {
  it('actions in the demo show up in the dashboard, and the checklist ticks', async () => {
    const { page, errors } = await openDemo()
    await page.getByRole('button', { name: 'New project' }).click()
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Add task' }).first().click()
    // The checklist launcher counts the two tasks these actions complete.
    await page.locator('linger-checklist').getByText('2/4').waitFor({ timeout: 15_000 })
    let events: Awaited<ReturnType<typeof recent>> = []
    const deadline = Date.now() + 20_000
    while (Date.now() < deadline) {
      events = await recent()
      if (events.filter((e) => e.event === 'Task Created').length >= 3) break
      await page.waitForTimeout(500)
    }
    expect(events.filter((e) => e.event === 'Project Created' && e.person === 'u_42')).toHaveLength(1)
    expect(events.filter((e) => e.event === 'Task Created')).toHaveLength(3)
    expect(events.some((e) => e.event === 'Checklist Task Completed')).toBe(true)
    // …and the dashboard page lists them live.
    const dash = await (await browser.newContext()).newPage()
    await dash.goto(`${demo.collector.url}/`)
    await dash.getByText('Project Created').first().waitFor({ timeout: 20_000 })
    expect(errors).toEqual([])
  })

  it('an accepted save offer is applied by the demo’s own backend: the plan on the page changes', async () => {
    const { page, errors } = await openDemo('#/billing')
    await expect.poll(() => page.locator('#plan').textContent()).toBe('Pro')
    // A click before the flows have loaded goes straight to the host's cancel, by design.
    await expect.poll(() => page.evaluate(() => (window as any).linger.why('save-offer').show), { timeout: 15_000 }).toBe(true)
    await page.locator('#cancel-subscription').click()
    const dialog = page.locator('linger-cancel').getByRole('dialog')
    await dialog.getByText('We are switching to another product').click()
    await dialog.getByRole('button', { name: /continue/i }).click()
    await dialog.getByRole('button', { name: 'Switch plan' }).click()
    await expect.poll(() => page.locator('#plan').textContent(), { timeout: 15_000 }).toBe('Starter')
    expect(errors).toEqual([])
  })

  it('a customer of 40 days gets no "Get started", and reaches the NPS survey on the dashboard without preview buttons', async () => {
    const { page, errors } = await openDemo()
    await page.selectOption('#user', 'u_7')
    // Signing in as Sam: "what's new in 3.0" first (he knew 2.x), closed with Esc; his failed card
    // is the banner, which pushes the page down rather than covering it.
    const whatsNew = page.locator('linger-announcements-modal').getByRole('dialog')
    await whatsNew.waitFor({ timeout: 15_000 })
    await page.keyboard.press('Escape')
    const banner = page.locator('linger-billing-banner section.banner')
    await expect.poll(() => banner.textContent()).toContain('Your last payment failed')
    await expect.poll(() => page.evaluate(() => parseFloat(getComputedStyle(document.body).paddingTop))).toBeGreaterThan(0)
    // Back on the dashboard: the export tour (he never exported) may come first; then the NPS survey.
    const tour = page.locator('linger-tours, linger-tour').getByRole('dialog')
    const nps = page.locator('linger-survey').getByText('How likely are you to recommend Acme Projects to a colleague?').first()
    for (let visit = 0; visit < 3 && !(await nps.isVisible()); visit++) {
      await page.locator('nav a[data-route=projects]').click()
      await page.locator('nav a[data-route=dashboard]').click()
      await expect.poll(async () => (await tour.isVisible()) || (await nps.isVisible()), { timeout: 15_000 }).toBe(true)
      if (await tour.isVisible()) await page.keyboard.press('Escape')
    }
    await nps.waitFor({ timeout: 15_000 })
    expect(await page.evaluate(() => (window as any).linger.why('getting-started').reasons)).toEqual(['audience: daysSince createdAt lte 30 (was 40)'])
    expect(await page.locator('linger-checklist').count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('a user on the free plan has no subscription to cancel, so no save offer', async () => {
    const { page, errors } = await openDemo('#/billing')
    await page.selectOption('#user', 'u_900')
    await expect.poll(() => page.locator('#plan').textContent()).toBe('Starter')
    expect(await page.locator('#cancel-subscription').isVisible()).toBe(false)
    await expect.poll(() => page.evaluate(() => (window as any).linger.why('save-offer').show)).toBe(false)
    expect(errors).toEqual([])
  })

  it('is usable on a 375 px phone: nothing is wider than the screen', async () => {
    const page = await (await browser.newContext({ viewport: { width: 375, height: 700 } })).newPage()
    await page.goto(`${demo.url}/`)
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    for (const route of ['dashboard', 'projects', 'reports', 'settings', 'billing']) {
      await page.evaluate((r) => (location.hash = `#/${r}`), route)
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
      expect(widths[0], route).toBeLessThanOrEqual(widths[1])
    }
    await page.getByRole('button', { name: 'New project' }).click()
    await expect.poll(() => page.locator('#count-projects').textContent()).toBe('1')
  })
})
