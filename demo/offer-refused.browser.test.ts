import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { demoUnderTest, openDemoPage, type Demo } from './demo-under-test'

// The demo's backend decides which offer a customer may have (demo/billing.mjs): what the
// customer sees when it refuses one. A demo of its own: Sam's plan is paused here.
let demo: Demo
let browser: Browser
let close: (() => Promise<void>) | undefined

beforeAll(async () => void ({ demo, browser, close } = await demoUnderTest('demo-refused')), 180_000)
afterAll(() => close?.())

const openDemo = (hash = '') => openDemoPage(browser, demo.url, hash, { width: 1280, height: 800 })

/** Signs in as `user` and closes "What's new in 3.0" if it greets them (it blocks the page). */
async function signInAs(page: Page, user: string, plan: RegExp) {
  await page.selectOption('#user', user)
  await expect.poll(() => page.locator('#plan').textContent()).toMatch(plan)
  const whatsNew = page.locator('linger-announcements-modal').getByRole('dialog')
  const settled = () => page.evaluate(() => (window as any).linger.why('acme-3').reasons.some((x: string) => /^(repeat-once|already-closed|audience|blocked-by)/.test(x)))
  await expect.poll(async () => (await whatsNew.isVisible()) || (await settled()), { timeout: 15_000 }).toBe(true)
  if (await whatsNew.isVisible()) {
    await page.keyboard.press('Escape')
    await whatsNew.waitFor({ state: 'detached' })
  }
}

/** Opens the cancel flow and picks `reason` (past the "what you built" reminder, if it shows). */
async function cancelFor(page: Page, reason: string) {
  const dialog = page.locator('linger-cancel').getByRole('dialog')
  await expect.poll(() => page.evaluate(() => (window as any).linger.why('save-offer').show), { timeout: 15_000 }).toBe(true)
  await page.locator('#cancel-subscription').click()
  const choice = dialog.getByText(reason)
  const reminder = dialog.getByText('Before you go, here is what you built')
  await choice.or(reminder).first().waitFor()
  if (await reminder.isVisible()) await dialog.getByRole('button', { name: 'Continue to cancel' }).click()
  await choice.click()
  await dialog.getByRole('button', { name: /continue/i }).click()
  return dialog
}

describe('an offer the demo’s backend refuses', () => {
  it('Sam, who paused on his own, still gets the discount when he cancels; a second save offer that period is refused, and the refusal says why', async () => {
    const { page, errors } = await openDemo('#/billing')
    const back = page.locator('#upgrade')
    await signInAs(page, 'u_7', /^Team(| until .+, then Starter)$/)
    if (await back.isVisible()) await back.click()
    await expect.poll(() => page.locator('#plan').textContent()).toBe('Team')
    const dialog = page.locator('linger-cancel').getByRole('dialog')
    // Paused on his own first, from the billing page: no save attempt, so it takes nothing away.
    if (await page.locator('#pause-subscription').isVisible()) {
      await expect.poll(() => page.evaluate(() => (window as any).linger.why('pause-anytime').show), { timeout: 15_000 }).toBe(true)
      await page.locator('#pause-subscription').click()
      await dialog.getByRole('button', { name: 'Pause instead' }).click()
      await dialog.getByRole('button', { name: 'Done' }).click()
      await dialog.waitFor({ state: 'detached' })
    }
    await page.evaluate(() => {
      ;(window as any).refusals = []
      ;(window as any).linger.on('error', (e: { message: string }) => (window as any).refusals.push(e.message))
    })
    await cancelFor(page, 'It is too expensive')
    await dialog.getByRole('button', { name: 'Claim the discount' }).click()
    await expect.poll(() => dialog.getByRole('heading').first().textContent(), { timeout: 15_000 }).toBe('Thanks for staying!')
    await dialog.getByRole('button', { name: 'Done' }).click()
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => page.locator('#plan-note').textContent()).toContain('30% off for 3 months.')
    // The same period, cancelling again for another reason: the downgrade would stack on the discount.
    await cancelFor(page, 'We are switching to another product')
    await dialog.getByRole('button', { name: 'Switch plan' }).click()
    await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: 15_000 }).toBe('We could not apply the offer. Please try again.')
    // …the vendor hears why, and the plan note still names the discount, no plan change.
    await expect.poll(() => page.evaluate(() => (window as any).refusals.join('\n'))).toContain('an offer (discount-30) was already applied this billing period')
    expect(await page.locator('#plan-note').textContent()).not.toContain('Moves to the free Starter plan')
    expect(errors.filter((e) => !/linger error/.test(e))).toEqual([])
    await page.context().close()
  })
})
