import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { demoUnderTest, openDemoPage, type Demo } from './demo-under-test'

// The demo as a vendor evaluating Linger walks it: switching person, reading what the page says
// about their plan after each billing decision, and the sidebar staying usable while Linger's
// corner cards are up. A demo of its own: these tests cancel and pause the personas' plans.
let demo: Demo
let session = ''
let browser: Browser
let close: (() => Promise<void>) | undefined

beforeAll(async () => void ({ demo, session, browser, close } = await demoUnderTest('demo-billing')), 180_000)
afterAll(() => close?.())

const openDemo = (hash = '', viewport = { width: 1280, height: 800 }) => openDemoPage(browser, demo.url, hash, viewport)

/** Signs in as `user` and closes "What's new in 3.0" if it greets them (it blocks the page). */
async function signInAs(page: Page, user: string, plan: RegExp) {
  await page.selectOption('#user', user)
  await expect.poll(() => page.locator('#plan').textContent()).toMatch(plan)
  const whatsNew = page.locator('linger-announcements-modal').getByRole('dialog')
  // Settled: it will not come (seen or closed before, on any device, or not for them), or waits behind
  // another card (Alex's value review); not merely waiting for their progress ("syncing") or on
  // its way to the screen ("showing").
  const settled = () => page.evaluate(() => (window as any).linger.why('acme-3').reasons.some((x: string) => /^(repeat-once|already-closed|audience|blocked-by)/.test(x)))
  await expect.poll(async () => (await whatsNew.isVisible()) || (await settled()), { timeout: 15_000 }).toBe(true)
  if (await whatsNew.isVisible()) {
    await page.keyboard.press('Escape')
    await whatsNew.waitFor({ state: 'detached' })
  }
}

/** The cancel flow from "Cancel subscription" to its confirmation, declining every offer. */
async function confirmCancellation(page: Page) {
  await expect.poll(() => page.evaluate(() => (window as any).linger.why('save-offer').show), { timeout: 15_000 }).toBe(true)
  await page.locator('#cancel-subscription').click()
  const dialog = page.locator('linger-cancel').getByRole('dialog')
  const reason = dialog.getByText('We are switching to another product')
  const reminder = dialog.getByText('Before you go, here is what you built')
  await reason.or(reminder).first().waitFor()
  if (await reminder.isVisible()) await dialog.getByRole('button', { name: 'Continue to cancel' }).click()
  await reason.click()
  await dialog.getByRole('button', { name: /continue/i }).click()
  const confirm = dialog.getByRole('button', { name: 'Cancel subscription' })
  for (let i = 0; i < 3 && !(await confirm.isVisible()); i++) await dialog.getByRole('button', { name: /no thanks|continue/i }).first().click()
  await confirm.click()
  // Paid to the period's end: the page says so, and what comes after.
  await expect.poll(() => page.locator('#plan').textContent(), { timeout: 15_000 }).toMatch(/^(Pro|Team) until \w+ \d+, \d{4}, then Starter$/)
}

/** What the collector's segment filter offers for the accounts' `plan` trait: value → accounts. */
async function accountPlans(): Promise<Record<string, number>> {
  const res = await fetch(`${demo.collector.url}/api/segments`, { headers: { Cookie: session } })
  const { segments } = (await res.json()) as { segments: Array<{ trait: string; source: string; values: Array<{ value: string; count: number }> }> }
  const plan = segments.find((s) => s.source === 'group' && s.trait === 'plan')
  return Object.fromEntries((plan?.values ?? []).map((v) => [v.value, v.count]))
}

describe('the demo’s sidebar', () => {
  for (const viewport of [
    { width: 320, height: 640 },
    { width: 360, height: 640 },
    { width: 400, height: 640 },
    { width: 1280, height: 800 },
  ])
    it(`shows every person in the "Signed in as" menu in full at ${viewport.width} px`, async () => {
      const { page } = await openDemo('#/billing', viewport)
      // A menu shows its chosen label in the width it has: as wide as its longest label, none is cut.
      const [shown, needed] = await page.evaluate(() => {
        const menu = document.querySelector<HTMLSelectElement>('#user')!
        const probe = menu.cloneNode(true) as HTMLSelectElement
        probe.removeAttribute('id')
        Object.assign(probe.style, { position: 'absolute', width: 'auto', minWidth: '0', maxWidth: 'none', visibility: 'hidden', font: getComputedStyle(menu).font })
        document.body.append(probe)
        const widths = [menu.getBoundingClientRect().width, probe.getBoundingClientRect().width]
        probe.remove()
        return widths
      })
      expect(shown, `the menu is ${shown} px wide; its labels need ${needed} px`).toBeGreaterThanOrEqual(needed - 0.5)
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
      expect(widths[0]).toBeLessThanOrEqual(widths[1])
      await page.context().close()
    })

  it('keeps "Log out" visible and clickable while the month’s value review card is up', async () => {
    const { page, errors } = await openDemo('#/billing', { width: 1280, height: 800 })
    await signInAs(page, 'u_900', /^Starter$/)
    await page.getByRole('button', { name: 'Show month-in-acme', exact: true }).click()
    const card = page.locator('linger-review').getByRole('heading', { name: 'Your month in Acme' })
    await card.waitFor({ timeout: 15_000 })
    const onTop = await page.evaluate(() => {
      const r = document.querySelector('#logout')!.getBoundingClientRect()
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
      return hit?.id || hit?.tagName.toLowerCase()
    })
    expect(onTop).toBe('logout')
    expect(errors).toEqual([])
    await page.context().close()
  })
})

describe('the preview buttons', () => {
  it('a product team previewing a survey while another is on screen is told why nothing came', async () => {
    const { page, errors } = await openDemo('#/dashboard')
    await signInAs(page, 'u_42', /^Pro(| until .+, then Starter)$/)
    await page.getByRole('button', { name: 'Show nps-quarterly', exact: true }).click()
    await page.locator('linger-survey').getByText('How likely are you to recommend Acme Projects to a colleague?').waitFor()
    await page.getByRole('button', { name: 'Show csat-export', exact: true }).click()
    // One blocking experience at a time: the CSAT survey waits for nothing, it is not shown.
    await expect.poll(() => page.evaluate(() => document.querySelector('.dev [role=status]')?.textContent ?? null)).toBe('csat-export is not shown (blocked-by:nps-quarterly): close what is on screen, then try again.')
    expect(await page.locator('linger-survey').getByText('How satisfied are you with exporting reports?').count()).toBe(0)
    // Closed, the NPS survey makes room: the same button shows it, and the note goes.
    await page.locator('linger-survey').getByRole('button', { name: /close/i }).first().click()
    await expect.poll(() => page.locator('linger-survey').getByText('How likely are you to recommend').count()).toBe(0)
    await page.getByRole('button', { name: 'Show csat-export', exact: true }).click()
    await page.locator('linger-survey').getByText('How satisfied are you with exporting reports?').waitFor()
    expect(await page.evaluate(() => document.querySelector('.dev [role=status]')?.textContent)).toBe('')
    expect(errors).toEqual([])
    await page.context().close()
  })
})

describe('the dashboard link', () => {
  it('opens the collector’s insights in another tab, as it says, and the demo stays where it was', async () => {
    const { page, errors } = await openDemo('#/dashboard')
    const link = page.locator('.dev a')
    await expect.poll(() => link.getAttribute('href')).toBe(`${demo.collector.url}/`)
    const [insights] = await Promise.all([page.context().waitForEvent('page'), link.click()])
    await insights.waitForLoadState()
    expect(insights.url().startsWith(demo.collector.url)).toBe(true)
    await insights.getByRole('heading', { name: 'Linger insights' }).waitFor()
    expect(page.url()).toBe(`${demo.url}/#/dashboard`)
    expect(errors).toEqual([])
    await page.context().close()
  })
})

describe('signing in', () => {
  it('a reload keeps the person the vendor signed in as: Sam stays Sam, with his plan', async () => {
    const { page, errors } = await openDemo('#/billing')
    await signInAs(page, 'u_7', /^Team(| until .+, then Starter)$/)
    const plan = await page.locator('#plan').textContent()
    await page.reload()
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await expect.poll(() => page.locator('#plan').textContent()).toBe(plan)
    expect(await page.locator('#user').inputValue()).toBe('u_7')
    // Linger follows: its events and rules are Sam's, not Dana's.
    await expect.poll(() => page.evaluate(() => (window as any).linger.why('getting-started').reasons)).toEqual(['audience: daysSince createdAt lte 30 (was 40)'])
    expect(errors).toEqual([])
    await page.context().close()
  })
})

describe('the plan, as the demo says it after a billing decision', () => {
  it('after Sam confirms his cancellation, the menu names no plan, and the dashboard’s account segment still says Team: he pays for it until the period ends', async () => {
    const { page, errors } = await openDemo('#/billing')
    await signInAs(page, 'u_7', /^Team$/)
    await expect.poll(accountPlans, { timeout: 20_000 }).toMatchObject({ team: 1 })
    await confirmCancellation(page)
    // The menu names no plan he may soon not have…
    expect(await page.locator('#user option:checked').textContent()).not.toMatch(/team/i)
    // …and what the page told Linger after the cancellation (its identify and group) is in: his
    // account is still the one Team account, as the page says ("Team until …, then Starter").
    // (Starter from the click counted a paying customer as free for the rest of his month;
    // Starter from the period's end: demo/server.test.ts.)
    await expect.poll(() => page.locator('#plan').textContent(), { timeout: 15_000 }).toMatch(/^Team until \w+ \d+, \d{4}, then Starter$/)
    // (No renewal is coming: no "your plan renews soon".)
    await expect.poll(() => page.evaluate(() => (window as any).linger.why('renewal-reminder').reasons), { timeout: 15_000 }).toEqual(['renewsAt null'])
    await page.evaluate(() => (window as any).linger.flush())
    expect(await accountPlans()).toMatchObject({ team: 1 })
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('Sam, who paused and then cancelled his Team plan, is offered it back by name and keeps the pause he chose', async () => {
    const { page, errors } = await openDemo('#/billing')
    const back = page.locator('#upgrade')
    // Sam's Team plan, cancelled in the test above when it ran: first back, through the button.
    await signInAs(page, 'u_7', /^Team(| until .+, then Starter)$/)
    if (await back.isVisible()) await back.click()
    await expect.poll(() => page.locator('#plan').textContent()).toBe('Team')
    await expect.poll(() => page.evaluate(() => (window as any).linger.why('pause-anytime').show), { timeout: 15_000 }).toBe(true)
    await page.locator('#pause-subscription').click()
    const dialog = page.locator('linger-cancel').getByRole('dialog')
    await dialog.getByText('2 months').click()
    const resumes = (await dialog.getByText(/^Billing resumes on /).textContent())!.replace(/^Billing resumes on |\.$/g, '')
    await dialog.getByRole('button', { name: 'Pause instead' }).click()
    await dialog.getByRole('button', { name: 'Done' }).click()
    await dialog.waitFor({ state: 'detached' })
    // Paused already: no second pause to take (its dates would not be the ones Stripe keeps).
    await expect.poll(() => page.locator('#pause-subscription').isVisible()).toBe(false)
    await confirmCancellation(page)
    // The button says what it does: his own Team plan continues (not "Upgrade to Pro").
    await expect.poll(() => back.textContent()).toBe('Keep the Team plan')
    await back.click()
    await expect.poll(() => page.locator('#plan').textContent()).toBe('Team')
    // Still paused, as Stripe has it: the page does not say billing goes on now.
    expect(await page.locator('#plan-note').textContent()).toBe(`Resumed: your Team plan continues. Paused: nothing is charged until billing resumes on ${resumes}.`)
    expect(await page.locator('#pause-subscription').isVisible()).toBe(false)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
