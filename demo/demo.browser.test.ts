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
let demo: { url: string; collector: { url: string; signIn: { email: string; password: string } }; close(): Promise<void> }
let session = ''
let browser: Browser
const dataDir = mkdtempSync(join(tmpdir(), 'linger-demo-'))

beforeAll(async () => {
  demo = await startDemo({ port: 0, collectorPort: 0, dataDir })
  // A fresh data folder: the collector made admin@localhost and printed its password.
  const login = await fetch(`${demo.collector.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(demo.collector.signIn),
  })
  session = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  browser = await launchBrowser()
}, 180_000)
afterAll(async () => {
  await browser?.close()
  await demo?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function recent(): Promise<Array<{ type: string; event: string | null; person: string }>> {
  const res = await fetch(`${demo.collector.url}/api/events/recent`, { headers: { Cookie: session } })
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
    await dash.getByLabel('Email').fill(demo.collector.signIn.email)
    await dash.getByLabel('Password').fill(demo.collector.signIn.password)
    await dash.getByRole('button', { name: 'Sign in' }).click()
    await dash.getByText('Project Created').first().waitFor({ timeout: 20_000 })
    expect(errors).toEqual([])
  })

  it('an accepted save offer is applied by the demo’s own backend: the plan on the page changes', async () => {
    const { page, errors } = await openDemo('#/billing')
    await expect.poll(() => page.locator('#plan').textContent()).toBe('Pro')
    await page.locator('#cancel-subscription').click()
    const dialog = page.locator('linger-cancel').getByRole('dialog')
    await dialog.getByText('We are switching to another product').click()
    await dialog.getByRole('button', { name: /continue/i }).click()
    await dialog.getByRole('button', { name: 'Switch plan' }).click()
    await expect.poll(() => page.locator('#plan').textContent(), { timeout: 15_000 }).toBe('Starter')
    expect(errors).toEqual([])
  })
})
