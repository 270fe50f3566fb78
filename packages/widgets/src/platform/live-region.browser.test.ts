import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { EAR, heard } from '../../../../test/ear'

// What a screen reader hears of a banner that is on the page but behind one of Linger's modals
// (inert, under its backdrop): nothing while it is out of reach, its title once the modal goes.
const DAY = 86_400_000
const suite = useBrowserSuite({ pageErrors: 'each' })

async function open(path: string, flows: object, traits: Record<string, unknown>) {
  const script = `${EAR}${suite.initScript({ flows }, '{ onUpdatePayment: () => new Promise((r) => setTimeout(r, 100)) }')}
    linger('identify', ${JSON.stringify(path)}, ${JSON.stringify(traits)});
    linger.on('ready', () => (window.lingerReady = true));`
  const { page } = await suite.open(`/${path}`, suite.hostPage({ body: '<main id="app"><h1>Invoices</h1></main>', script }))
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return page
}

const BANNER = { id: 'bulk-export', format: 'banner', title: 'Export many invoices at once', body: 'Pick invoices, press Export.' }

describe('a banner behind a payment wall', () => {
  it('that came just before the wall is read out once the user updated their card and the wall is gone, never while it was behind it', async () => {
    const flows = {
      settings: { cooldownDays: 0 },
      announcements: [BANNER],
      billing: { paymentPrompt: { id: 'card-failed', title: 'Your last payment failed', action: 'Update card', wallAfterDays: 7, wallTitle: 'Your workspace is on hold' } },
    }
    const page = await open('wall-then-banner', flows, { paymentStatus: 'past_due', pastDueSince: new Date(Date.now() - 9 * DAY).toISOString() })
    await page.getByRole('alertdialog', { name: 'Your workspace is on hold' }).waitFor()
    await expect.poll(() => page.evaluate(() => !!document.querySelector('linger-announcements-banner')?.closest('[inert]'))).toBe(true)
    // The vendor's backend saw the new card.
    await page.evaluate(() => (window as any).linger('identify', 'wall-then-banner', { paymentStatus: 'active' }))
    await expect.poll(() => page.getByRole('alertdialog').count()).toBe(0)
    await expect.poll(() => heard(page)).toContainEqual({ text: 'Export many invoices at once', background: false, bannerHidden: false })
    expect((await heard(page)).filter((h) => h.text.includes('Export many invoices'))).toHaveLength(1)
  })
})

describe('a banner that becomes due while a "what\'s new" modal is open', () => {
  it('is not read out over the modal, where it cannot be reached, but once the user closed the modal', async () => {
    const flows = {
      settings: { cooldownDays: 0 },
      announcements: [
        { id: 'v3', format: 'modal', title: 'Version 3 is here', body: 'A new editor.' },
        { ...BANNER, audience: { trait: 'plan', eq: 'pro' } },
      ],
    }
    const page = await open('modal-then-banner', flows, { plan: 'free' })
    const modal = page.getByRole('dialog', { name: 'Version 3 is here' })
    await modal.waitFor()
    await page.evaluate(() => (window as any).linger('identify', 'modal-then-banner', { plan: 'pro' }))
    await expect.poll(() => page.evaluate(() => !!document.querySelector('linger-announcements-banner')?.shadowRoot?.querySelector('section.banner'))).toBe(true)
    // The live region's pause (60 ms) and more: a message it would say over the modal is said by now.
    await page.waitForTimeout(300)
    await page.keyboard.press('Escape')
    await expect.poll(() => modal.count()).toBe(0)
    await expect.poll(() => heard(page)).toContainEqual({ text: 'Export many invoices at once', background: false, bannerHidden: false })
    expect((await heard(page)).filter((h) => h.text.includes('Export many invoices'))).toEqual([{ text: 'Export many invoices at once', background: false, bannerHidden: false }])
  })
})

describe("a banner kept for after a \"what's new\" modal, while the page opens its own modal dialog", () => {
  it('is still read out once both are gone, though a task ticked while the page\'s dialog was open', async () => {
    const flows = {
      settings: { cooldownDays: 0 },
      announcements: [
        { id: 'v3', format: 'modal', title: 'Version 3 is here', body: 'A new editor.' },
        { ...BANNER, audience: { trait: 'plan', eq: 'pro' } },
      ],
      checklists: [{ id: 'start', title: 'Get started', tasks: [{ id: 'export', title: 'Export a report', doneWhen: { event: 'Report Exported' } }, { id: 'invite', title: 'Invite a teammate', doneWhen: { event: 'Teammate Invited' } }] }],
    }
    const page = await open('kept-then-host-dialog', flows, { plan: 'free' })
    const modal = page.getByRole('dialog', { name: 'Version 3 is here' })
    await modal.waitFor()
    await page.evaluate(() => (window as any).linger('identify', 'kept-then-host-dialog', { plan: 'pro' }))
    await expect.poll(() => page.evaluate(() => !!document.querySelector('linger-announcements-banner')?.shadowRoot?.querySelector('section.banner'))).toBe(true)
    // The live region's pause (60 ms) and more: the banner's title is kept for after the modal by now.
    await page.waitForTimeout(300)
    // The app's own "Your session expires soon" dialog, from a timer; a job ticks a task meanwhile.
    await page.evaluate(() => {
      document.body.insertAdjacentHTML('beforeend', '<dialog id="session"><p>Your session expires soon</p><button id="stay">Stay signed in</button></dialog>')
      ;(document.getElementById('session') as HTMLDialogElement).showModal()
      ;(window as any).linger.track('Report Exported')
    })
    await page.waitForTimeout(300)
    await page.evaluate(() => (document.getElementById('session') as HTMLDialogElement).close())
    await modal.getByRole('button').first().focus()
    await page.keyboard.press('Escape')
    await expect.poll(() => modal.count()).toBe(0)
    await expect.poll(async () => (await heard(page)).map((h) => h.text).join(' | ')).toContain('Task completed: Export a report')
    expect((await heard(page)).filter((h) => h.text.includes('Export many invoices'))).toEqual([{ text: expect.stringContaining('Export many invoices at once'), background: false, bannerHidden: false }])
  })
})

describe("a banner kept for after the payment wall, which goes by code while the page's own modal dialog is open", () => {
  it("is read out inside that dialog, where a screen reader still hears, not from behind it", async () => {
    const flows = {
      settings: { cooldownDays: 0 },
      // Due only once the wall is up (the plan's upgrade): one due from the start could be drawn
      // before the wall's chunk came, and was rightly read out then, with nothing kept for later.
      announcements: [{ ...BANNER, audience: { trait: 'plan', eq: 'pro' } }],
      billing: { paymentPrompt: { id: 'card-failed', title: 'Your last payment failed', action: 'Update card', wallAfterDays: 7, wallTitle: 'Your workspace is on hold' } },
    }
    // Each text the live region is given, and whether it was in the page's open modal dialog then:
    // outside it the browser makes the page inert, and screen readers skip what is said there.
    const where = `window.said = [];
      new MutationObserver((ms) => ms.forEach((m) => m.addedNodes.forEach((n) => n.dataset?.linger === 'live' &&
        new MutationObserver(() => n.shadowRoot.querySelectorAll('[aria-live]').forEach((r) => r.textContent && said.push({ text: r.textContent, inDialog: !!n.closest('dialog:modal') })))
          .observe(n.shadowRoot, { subtree: true, childList: true, characterData: true })))).observe(document.documentElement, { childList: true, subtree: true });`
    const pastDue = { paymentStatus: 'past_due', pastDueSince: new Date(Date.now() - 9 * DAY).toISOString() }
    const script = `${where}${suite.initScript({ flows }, '{ onUpdatePayment: () => new Promise((r) => setTimeout(r, 100)) }')}
      linger('identify', 'wall-gone-in-dialog', ${JSON.stringify({ ...pastDue, plan: 'free' })});
      linger.on('ready', () => (window.lingerReady = true));`
    const { page } = await suite.open('/wall-gone-in-dialog', suite.hostPage({ body: '<main id="app"><h1>Invoices</h1></main>', script }))
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.getByRole('alertdialog', { name: 'Your workspace is on hold' }).waitFor()
    await page.evaluate((traits) => (window as any).linger('identify', 'wall-gone-in-dialog', traits), { ...pastDue, plan: 'pro' })
    await expect.poll(() => page.evaluate(() => !!document.querySelector('linger-announcements-banner')?.closest('[inert]'))).toBe(true)
    // The live region's pause (60 ms) and more: the banner's title is kept for after the wall by now.
    await page.waitForTimeout(300)
    // The app's own "Your session expires soon" dialog, from a timer; then its backend sees the new card.
    await page.evaluate(() => {
      document.body.insertAdjacentHTML('beforeend', '<dialog id="session"><p>Your session expires soon</p><button>Stay signed in</button></dialog>')
      ;(document.getElementById('session') as HTMLDialogElement).showModal()
      ;(window as any).linger('identify', 'wall-gone-in-dialog', { paymentStatus: 'active', plan: 'pro' })
    })
    await expect.poll(() => page.getByRole('alertdialog').count()).toBe(0)
    const said = () => page.evaluate(() => ((window as any).said as Array<{ text: string; inDialog: boolean }>).filter((s) => s.text.includes('Export many invoices')))
    await expect.poll(said).not.toEqual([])
    expect(await said()).toEqual([{ text: 'Export many invoices at once', inDialog: true }])
  })
})
