import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// Billing banners on a real page, delivering to a real collector: what is counted shown is what
// the user could see.
const flows = {
  settings: { cooldownDays: 0 },
  announcements: [{ id: 'v3', format: 'modal', title: 'Version 3 is here', body: 'A new editor.' }],
  billing: {
    paymentPrompt: { id: 'card-failed', title: 'Your last payment failed', body: 'Update your card to keep your workspace.', action: 'Update card', wallAfterDays: 7 },
  },
}

const suite = useBrowserSuite({ pageErrors: 'each' })

async function open(userId: string, traits: Record<string, unknown>) {
  const script = `
    ${suite.initScript({ flows })}
    linger('identify', ${JSON.stringify(userId)}, ${JSON.stringify(traits)});
    linger.on('ready', () => (window.lingerReady = true));`
  const { page } = await suite.open(`/app-${userId}`, suite.hostPage({ body: '<main id="app"><h1>Invoices</h1></main>', script }))
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return page
}

const banner = (page: Page) => page.locator('[data-linger] section.banner')
const delivered = (event: string, userId: string) => suite.collector.delivered().filter((e) => e.event === event && e.userId === userId)

describe('a failed-payment banner that comes while a modal is open', () => {
  it('is not counted as shown while it waits behind the modal, where no one can see it: only once the modal is closed', async () => {
    const page = await open('pay-behind', { plan: 'pro' })
    const modal = page.locator('[role="dialog"][aria-modal="true"]')
    await expect.poll(() => modal.count()).toBe(1)
    // The card is declined while the user reads "what's new".
    await page.evaluate(() => {
      const w = window as any
      w.shownNow = []
      w.linger.on('payment:prompt-shown', (p: { promptId: string }) => w.shownNow.push(p.promptId))
      w.linger('identify', 'pay-behind', { plan: 'pro', paymentStatus: 'past_due' })
    })
    // The banner is on the page, behind the modal (inert, under its backdrop).
    await expect.poll(() => page.evaluate(() => !!document.querySelector('linger-billing-banner')?.hasAttribute('inert'))).toBe(true)
    await expect.poll(() => banner(page).count()).toBe(1)
    expect(await page.evaluate(() => (window as any).shownNow)).toEqual([])
    await page.keyboard.press('Escape')
    await expect.poll(() => modal.count()).toBe(0)
    // Now the user can see it: shown, once.
    await expect.poll(() => page.evaluate(() => (window as any).shownNow)).toEqual(['card-failed'])
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Payment Prompt Shown' && x.userId === 'pay-behind'))
    expect(delivered('Payment Prompt Shown', 'pay-behind').map((e) => e.properties?.stage)).toEqual(['banner'])
  })
})

describe('a payment wall on a page whose vendor gave no onUpdatePayment handler', () => {
  it('a user 9 days past due is not walled out: they see the banner, put it off with "Remind me later", and the vendor hears handler-missing once', async () => {
    const DAY = 86_400_000
    const traits = { paymentStatus: 'past_due', pastDueSince: new Date(Date.now() - 9 * DAY).toISOString() }
    const script = `
      window.errors = [];
      ${suite.initScript({ flows: { billing: flows.billing } })}
      linger.on('error', (e) => window.errors.push(e));
      linger('identify', 'pay-nohandler', ${JSON.stringify(traits)});
      linger.on('ready', () => (window.lingerReady = true));`
    const { page } = await suite.open('/app-pay-nohandler', suite.hostPage({ body: '<main id="app"><h1>Invoices</h1><button id="work">Export</button></main>', script }))
    await page.waitForFunction(() => (window as any).lingerReady === true)
    // Whichever billing put up: the banner, not a blocking wall; the page stays usable.
    await page.locator('[data-linger] section.banner, [data-linger] [role="alertdialog"]').first().waitFor()
    expect(await page.locator('[data-linger] [role="alertdialog"]').count()).toBe(0)
    await expect.poll(() => banner(page).textContent()).toContain('Your last payment failed')
    await page.locator('#work').click()
    await banner(page).getByRole('button', { name: 'Remind me later' }).click()
    await expect.poll(() => banner(page).count()).toBe(0)
    expect(await page.locator('[data-linger] [role="alertdialog"]').count()).toBe(0)
    const missing = await page.evaluate(() => (window as any).errors.filter((e: { code: string }) => e.code === 'handler-missing').map((e: { message: string }) => e.message))
    expect(missing).toHaveLength(1)
    expect(missing[0]).toContain('onUpdatePayment')
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Payment Prompt Shown' && x.userId === 'pay-nohandler'))
    expect(delivered('Payment Prompt Shown', 'pay-nohandler').map((e) => [e.properties?.stage, e.properties?.daysPastDue])).toEqual([['banner', 9]])
  })
})
