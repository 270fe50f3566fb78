import type { Locator, Page } from 'playwright-core'
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

describe('a failed-payment banner that pushes the page, due while the user types', () => {
  it("waits while they type in the page's own search field, the renewal reminder on screen staying meanwhile, and comes once they stop: the page does not move under their typing", async () => {
    const DAY = 86_400_000
    const reminder = { id: 'renewal', title: 'Your plan renews soon', action: 'Check payment details', days: [7] }
    const pushing = { billing: { renewalReminders: reminder, paymentPrompt: { ...flows.billing.paymentPrompt, pushLayout: true } } }
    const traits = { plan: 'pro', renewsAt: new Date(Date.now() + 7 * DAY).toISOString() }
    const script = `${suite.initScript({ flows: pushing })} linger('identify', 'pay-typing', ${JSON.stringify(traits)}); linger.on('ready', () => (window.lingerReady = true));`
    const body = '<header><h1>Invoices</h1></header><main><label>Search <input id="search"></label></main>'
    const context = await suite.browser.newContext({ viewport: { width: 375, height: 740 }, reducedMotion: 'reduce' })
    const { page } = await suite.open('/app-pay-typing', suite.hostPage({ body, script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await expect.poll(() => banner(page).textContent()).toContain('Your plan renews soon')
    // How far the page's heading has moved from where it was, at any frame since.
    await page.evaluate(() => {
      const w = window as any
      const h1 = document.querySelector('h1')!
      const y = h1.getBoundingClientRect().top
      w.moved = 0
      const look = () => ((w.moved = Math.max(w.moved, Math.abs(h1.getBoundingClientRect().top - y))), requestAnimationFrame(look))
      look()
    })
    const moved = () => page.evaluate(() => (window as any).moved as number)
    // (The reminder covers the top of the page: the field is reached by keyboard.)
    await page.focus('#search')
    await page.keyboard.type('overdue ', { delay: 120 })
    // The card is declined mid-sentence: the payment banner is due now.
    await page.evaluate((t) => (window as any).linger('identify', 'pay-typing', { ...t, paymentStatus: 'past_due' }), traits)
    await page.keyboard.type('invoices from march', { delay: 120 })
    expect(await page.locator('#search').inputValue()).toBe('overdue invoices from march')
    expect([await banner(page).textContent(), await moved()]).toEqual([expect.stringContaining('Your plan renews soon'), 0])
    await expect.poll(() => banner(page).textContent(), { timeout: 8000 }).toContain('Your last payment failed')
    await expect.poll(moved).toBeGreaterThan(0)
    await context.close()
  })
})

describe('a failed-payment banner that pushes the page, due while the user writes a long reply', () => {
  /** A page whose clock (Linger's timers and the page's) the test moves on; the card declined once `field` has focus. */
  async function declinedWhileIn(user: string, body: string, field: string) {
    const prompt = { ...flows.billing.paymentPrompt, pushLayout: true }
    const script = `${suite.initScript({ flows: { billing: { paymentPrompt: prompt } } })} linger('identify', '${user}', { plan: 'pro' }); linger.on('ready', () => (window.lingerReady = true));`
    const context = await suite.browser.newContext({ viewport: { width: 1024, height: 740 }, reducedMotion: 'reduce' })
    await context.clock.install()
    const { page } = await suite.open(`/app-${user}`, suite.hostPage({ body, script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.focus(field)
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000)
    await page.evaluate((u) => (window as any).linger('identify', u, { plan: 'pro', paymentStatus: 'past_due' }), user)
    return { page, context }
  }

  it('does not come mid-sentence after 30 s of typing: it comes at their first pause after', async () => {
    const { page, context } = await declinedWhileIn('pay-long-reply', '<main><textarea id="reply" aria-label="Reply to the customer"></textarea></main>', '#reply')
    // The seconds of their typing at which the banner was up.
    const upAt: number[] = []
    for (let s = 0; s < 40; s++) {
      await page.keyboard.type('w')
      await page.clock.runFor(1000)
      if (await banner(page).count()) upAt.push(s)
    }
    expect(upAt).toEqual([])
    // They stop to read what they wrote.
    await page.clock.resume()
    await expect.poll(() => banner(page).textContent(), { timeout: 8000 }).toContain('Your last payment failed')
    expect(await page.locator('#reply').inputValue()).toBe('w'.repeat(40))
    await context.close()
  })

  it('with focus parked in an embedded card form (an iframe: typing, to the page, with no pause it can see), it still comes within a minute', async () => {
    const { page, context, waited } = await declinedInCardForm('pay-card-frame', { ...flows.billing.paymentPrompt, pushLayout: true }, {})
    expect(waited).toBeGreaterThan(0)
    expect(waited).toBeLessThanOrEqual(61)
    await page.clock.resume()
    await expect.poll(() => banner(page).textContent(), { timeout: 8000 }).toContain('Your last payment failed')
    await context.close()
  })
})

describe('the failed-payment wall, due while focus sits in an embedded card form', () => {
  it('a user nine days past due, their focus left in the card number iframe, still meets the wall within about a minute, not never', async () => {
    const pastDueSince = new Date(Date.now() - 9 * 86_400_000).toISOString()
    const { page, context, waited } = await declinedInCardForm('wall-card-frame', flows.billing.paymentPrompt, { pastDueSince })
    expect(waited).toBeGreaterThan(0)
    expect(waited).toBeLessThanOrEqual(61)
    // (Then the real clock: the wall's UI chunk loads on it.)
    await page.clock.resume()
    await expect.poll(() => page.locator('linger-billing-modal [role="alertdialog"]').allTextContents(), { timeout: 8000 }).toEqual([expect.stringContaining('Your last payment failed')])
    await context.close()
  })
})

/**
 * A pro user, their renewal reminder on screen, parks focus in an embedded card form (another
 * site's frame: no keys, no pause the page can see); then their card is declined (`traits` added),
 * and the page's clock (Linger's timers and the page's) moves on a second at a time while the
 * prompt waits for a pause (read from why(): its UI chunk loads on the real clock). `waited`:
 * those seconds. (The reminder first: the widgets' screen is in before the clock is the test's,
 * or its seconds would run while the screen loads on the real one.)
 */
async function declinedInCardForm(user: string, paymentPrompt: object, traits: object) {
  const renewsAt = new Date(Date.now() + 7 * 86_400_000).toISOString()
  const billing = { renewalReminders: { id: 'renewal', title: 'Your plan renews soon', action: 'Check payment details', days: [7] }, paymentPrompt }
  const script = `${suite.initScript({ flows: { billing } }, '{ onUpdatePayment: () => {} }')} linger('identify', '${user}', { plan: 'pro', renewsAt: '${renewsAt}' }); linger.on('ready', () => (window.lingerReady = true));`
  const context = await suite.browser.newContext({ viewport: { width: 1024, height: 740 }, reducedMotion: 'reduce' })
  await context.clock.install()
  const { page } = await suite.open(`/app-${user}`, suite.hostPage({ body: '<main><iframe title="Card number" sandbox srcdoc="<input aria-label=Card>"></iframe></main>', script }), context)
  await expect.poll(() => banner(page).textContent()).toContain('Your plan renews soon')
  await page.focus('iframe')
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000)
  await page.evaluate(([u, t]) => (window as any).linger('identify', u, { ...t, paymentStatus: 'past_due' }), [user, { plan: 'pro', renewsAt, ...traits }] as const)
  const waiting = async () => (await page.evaluate(() => (window as any).linger.why('card-failed').reasons))[0] === 'waiting-for-calm'
  let waited = 0
  while (waited <= 90 && (await waiting())) await page.clock.runFor(1000), waited++
  return { page, context, waited }
}

/**
 * A user nine days past due whose card is declined while they write in `field` (one key in): the
 * page's clock (Linger's timers and the page's) is the test's to move on. `text`: what they have written.
 */
async function declinedWhileWriting(user: string, body: string, field: (page: Page) => Locator) {
  const pastDueSince = new Date(Date.now() - 9 * 86_400_000).toISOString()
  const script = `${suite.initScript({ flows: { billing: flows.billing } }, '{ onUpdatePayment: () => {} }')} linger('identify', '${user}', { plan: 'pro' }); linger.on('ready', () => (window.lingerReady = true));`
  const context = await suite.browser.newContext({ viewport: { width: 1024, height: 740 }, reducedMotion: 'reduce' })
  await context.clock.install()
  const { page } = await suite.open(`/app-${user}`, suite.hostPage({ body, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  const where = field(page)
  await where.focus()
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000)
  await page.keyboard.type('a')
  await page.evaluate(([u, since]) => (window as any).linger('identify', u, { plan: 'pro', paymentStatus: 'past_due', pastDueSince: since }), [user, pastDueSince])
  const text = () => where.evaluate((el) => (el instanceof HTMLTextAreaElement ? el.value : (el.textContent ?? '')))
  return { page, context, field: where, text }
}

/** Up to now no wall, and the user's focus and keys where they left them; at their first pause, the wall. */
async function wallWaitsForTheirPause({ page, context, text }: Awaited<ReturnType<typeof declinedWhileWriting>>, kept: { focus: string; typed: number }) {
  const dialog = page.locator('linger-billing-modal [role="alertdialog"]')
  expect({ walls: await dialog.count(), focus: await page.evaluate(() => document.activeElement?.tagName), typed: (await text()).length }).toEqual({ walls: 0, ...kept })
  // They pause: now it comes.
  await page.clock.runFor(3000)
  await page.clock.resume()
  await expect.poll(() => dialog.allTextContents(), { timeout: 8000 }).toEqual([expect.stringContaining('Your last payment failed')])
  await context.close()
}

describe('the failed-payment wall, due while the user writes in the page\'s own text box', () => {
  it('a user nine days past due, writing a key every half second for well over a minute, keeps every key in their text and their focus: the wall waits for their pause, then comes', async () => {
    const writing = await declinedWhileWriting('wall-host-typing', '<main><textarea aria-label="Reply"></textarea></main>', (page) => page.locator('textarea'))
    const { page } = writing
    // Ninety seconds on the page's clock, never two without a key; real time between keys too, so
    // a wall decided meanwhile has its UI chunk load and draw (and would take the next keys).
    for (let i = 0; i < 180; i++) {
      await page.keyboard.type('a')
      await page.clock.runFor(500)
      if (i > 120) await new Promise((r) => setTimeout(r, 100))
    }
    await wallWaitsForTheirPause(writing, { focus: 'TEXTAREA', typed: 181 })
  })
})

describe("the failed-payment wall, due while the user writes in the page's own rich editor (a same-origin frame: TinyMCE classic, CKEditor 4)", () => {
  it('a user nine days past due, writing a key a second for a minute and a half, keeps every key and their focus in the editor: the wall waits for their pause, then comes', async () => {
    const writing = await declinedWhileWriting('wall-editor-frame', '<main><iframe title="Reply" srcdoc="<body contenteditable></body>"></iframe></main>', (page) => page.frameLocator('iframe').locator('body'))
    const { page } = writing
    // Real time between keys past the minute: a wall decided meanwhile has its UI chunk load and draw (and takes the next keys).
    for (let i = 0; i < 90; i++) {
      await page.keyboard.type('a')
      await page.clock.runFor(1000)
      if (i > 55) await new Promise((r) => setTimeout(r, 100))
    }
    await wallWaitsForTheirPause(writing, { focus: 'IFRAME', typed: 91 })
  })
})

describe('the failed-payment wall, due while the user writes in a rich editor that rewrites its frame (CKEditor 4 loading a template: document.open and write)', () => {
  it('a user nine days past due picks a template after a few words and writes on for a minute: the wall waits for their pause, their keys and focus kept in the editor', async () => {
    const writing = await declinedWhileWriting('wall-editor-rewritten', '<main><iframe title="Reply" srcdoc="<body contenteditable></body>"></iframe></main>', (page) => page.frameLocator('iframe').locator('body'))
    const { page, field: editor } = writing
    for (let i = 0; i < 70; i++) {
      if (i === 10) {
        // The editor's setData: the same document, written anew (every listener on it erased).
        await page.evaluate(() => {
          const d = document.querySelector('iframe')!.contentDocument!
          d.open()
          d.write('<body contenteditable>Hi</body>')
          d.close()
        })
        await editor.focus()
      }
      await page.keyboard.type('a')
      await page.clock.runFor(1000)
      if (i > 40) await new Promise((r) => setTimeout(r, 100))
    }
    await wallWaitsForTheirPause(writing, { focus: 'IFRAME', typed: 62 })
  })
})

describe('a failed-payment banner that pushes the page, on a phone', () => {
  // The demo's copy: a banner that pushes the page is part of its top, not a card over it.
  const prompt = { ...flows.billing.paymentPrompt, body: "Update your card to keep your team's workspace running.", pushLayout: true }
  const lines = Array.from({ length: 40 }, (_, i) => `<p>Invoice ${1000 + i}: due in ${i + 1} days</p>`).join('')
  const body = `<main id="app"><h1>Invoices</h1><input id="search" aria-label="Search">${lines}</main>`

  for (const viewport of [
    { width: 320, height: 568 },
    { width: 375, height: 667 },
  ])
    it(`at ${viewport.width} × ${viewport.height} it takes at most 12% of the screen, does not cover the page's first line, and its body opens by keyboard`, async () => {
      const user = `pay-phone-${viewport.width}`
      const script = `${suite.initScript({ flows: { billing: { paymentPrompt: prompt } } })} linger('identify', '${user}', { paymentStatus: 'past_due' }); linger.on('ready', () => (window.lingerReady = true));`
      const context = await suite.browser.newContext({ viewport, reducedMotion: 'reduce' })
      const { page } = await suite.open(`/app-${user}`, suite.hostPage({ body, script }), context)
      await page.waitForFunction(() => (window as any).lingerReady === true)
      await page.focus('#search')
      await expect.poll(() => banner(page).textContent()).toContain('Your last payment failed')
      // It came without taking focus.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('search')
      // The banner's rectangle and the page's heading's.
      const where = () =>
        page.evaluate(() => {
          const b = document.querySelector('linger-billing-banner')!.shadowRoot!.querySelector('section')!.getBoundingClientRect()
          const h1 = document.querySelector('h1')!.getBoundingClientRect()
          return { height: b.height, left: b.left, right: b.right, bannerBottom: b.bottom, headingTop: h1.top }
        })
      await expect.poll(async () => (await where()).bannerBottom <= (await where()).headingTop).toBe(true)
      const first = await where()
      expect(first.height / viewport.height).toBeLessThanOrEqual(0.12)
      expect([first.left >= 0, first.right <= viewport.width]).toEqual([true, true])
      // Title and main action in sight; the rest of the message is one keypress away, and a screen
      // reader hears all of it meanwhile.
      const more = banner(page).getByRole('button', { name: 'Your last payment failed' })
      expect(await more.getAttribute('aria-expanded')).toBe('false')
      expect(await banner(page).ariaSnapshot()).toContain("Update your card to keep your team's workspace running.")
      const bodyId = (await more.getAttribute('aria-controls'))!
      const text = banner(page).locator(`[id="${bodyId}"]`)
      expect(await text.textContent()).toBe("Update your card to keep your team's workspace running.")
      // Folded: clipped to a pixel, not gone (a screen reader still reads it).
      const readable = async () => ((await text.boundingBox())?.height ?? 0) > 2
      expect(await readable()).toBe(false)
      expect(await banner(page).getByRole('button', { name: 'Update card' }).isVisible()).toBe(true)
      // By keyboard alone: Tab from the page's search field reaches it.
      for (let i = 0; i < 10 && !(await more.evaluate((el) => el.matches(':focus'))); i++) await page.keyboard.press('Tab')
      await page.keyboard.press('Enter')
      expect(await more.getAttribute('aria-expanded')).toBe('true')
      expect(await readable()).toBe(true)
      // Open, it still pushes the page by all of its height.
      await expect.poll(async () => (await where()).bannerBottom <= (await where()).headingTop).toBe(true)
      await page.keyboard.press('Enter')
      expect(await more.getAttribute('aria-expanded')).toBe('false')
      await context.close()
    })
})

describe('a failed-payment banner that pushes the page, coming while the user is far down it', () => {
  it('comes at the top of the screen where they are, not at the top of the page above them: what is counted shown is what they see', async () => {
    const prompt = { ...flows.billing.paymentPrompt, pushLayout: true }
    const lines = Array.from({ length: 80 }, (_, i) => `<p>Invoice ${1000 + i}</p>`).join('')
    const script = `${suite.initScript({ flows: { billing: { paymentPrompt: prompt } } })} linger('identify', 'pay-scrolled', { plan: 'pro' }); linger.on('ready', () => (window.lingerReady = true));`
    const context = await suite.browser.newContext({ viewport: { width: 375, height: 667 }, reducedMotion: 'reduce' })
    const { page } = await suite.open('/app-pay-scrolled', suite.hostPage({ body: `<main id="app"><h1>Invoices</h1>${lines}</main>`, script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(() => scrollTo(0, 1200))
    await expect.poll(() => page.evaluate(() => scrollY)).toBe(1200)
    // The card is declined while they read invoice 1030.
    await page.evaluate(() => (window as any).linger('identify', 'pay-scrolled', { plan: 'pro', paymentStatus: 'past_due' }))
    await expect.poll(() => banner(page).textContent()).toContain('Your last payment failed')
    // Where it is on their screen, and whether it is what they would touch there.
    const seen = () =>
      page.evaluate(() => {
        const r = document.querySelector('linger-billing-banner')!.shadowRoot!.querySelector('section')!.getBoundingClientRect()
        const there = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
        return { top: Math.round(r.top), onScreen: r.top >= 0 && r.bottom <= innerHeight && there?.localName === 'linger-billing-banner' }
      })
    await expect.poll(seen).toEqual({ top: 0, onScreen: true })
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Payment Prompt Shown' && x.userId === 'pay-scrolled'))
    expect(delivered('Payment Prompt Shown', 'pay-scrolled').map((e) => e.properties?.stage)).toEqual(['banner'])
    await context.close()
  })
})

describe('the yearly-billing offer the vendor\'s server refuses', () => {
  // A pro user four months into monthly billing, at 320 px, says yes by keyboard to the yearly offer and the vendor's
  // server answers 409 (its handler as the cancel flow's README sample writes one: it returns the fetch()).
  const refusedYes = async (api: string, userId: string) => {
    const DAY = 86_400_000
    const annual = { annualOffer: { id: 'go-annual', title: 'Save 20% with yearly billing', action: 'Switch to yearly', percent: 20, afterMonths: 3, holdout: 0 } }
    const traits = { plan: 'pro', billingInterval: 'month', subscribedAt: new Date(Date.now() - 120 * DAY).toISOString() }
    suite.site.files[api] = { status: 409, body: '{"error":"a plan change is already scheduled"}' }
    const handlers = `{ onPlanChange: (offer) => fetch('${api}', { method: 'POST', body: JSON.stringify({ offerId: offer.offerId }) }) }`
    const script = `${suite.initScript({ flows: { billing: annual } }, handlers)} linger('identify', '${userId}', ${JSON.stringify(traits)}); linger.on('ready', () => (window.lingerReady = true));`
    const opened = await suite.open(`/app-${userId}`, suite.hostPage({ body: '<main id="app"><h1>Billing</h1></main>', script }))
    const { page } = opened
    await page.setViewportSize({ width: 320, height: 568 })
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await expect.poll(() => banner(page).textContent()).toContain('Save 20% with yearly billing')
    await banner(page).getByRole('button', { name: 'Switch to yearly' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).textContent()).toContain('That did not work')
    return opened
  }

  it('at 320 px, by keyboard: "Switch to yearly" that the server answers 409 offers Try again, with no thank-you and no acceptance counted; Try again once it goes through thanks them, counted once', async () => {
    const { page, context } = await refusedYes('/api/plan-change', 'annual-refused')
    expect(await banner(page).textContent()).not.toContain('Thanks!')
    // Everything said so far is delivered (the Shown with it): no acceptance among it.
    await page.evaluate(() => (window as any).linger.flush())
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Plan Offer Shown' && x.userId === 'annual-refused'))
    expect(delivered('Plan Offer Accepted', 'annual-refused')).toEqual([])
    // The server has applied it now: Try again, by keyboard too.
    suite.site.files['/api/plan-change'] = { status: 200, body: '{}' }
    await banner(page).getByRole('button', { name: 'Try again' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).textContent()).toContain('Thanks!')
    await page.evaluate(() => (window as any).linger.flush())
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Plan Offer Accepted' && x.userId === 'annual-refused'))
    expect(delivered('Plan Offer Accepted', 'annual-refused')).toHaveLength(1)
    await context.close()
  })

  it('at 320 px, by keyboard: closing the offer after the server refused "Switch to yearly" is no "No thanks": nothing is counted declined, and on the next page the offer is there to take again', async () => {
    const { page, context } = await refusedYes('/api/plan-change-closed', 'annual-closed')
    // They said yes; the vendor could not do it. They close the banner.
    await banner(page).getByRole('button', { name: 'Dismiss' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).count()).toBe(0)
    await page.evaluate(() => (window as any).linger.flush())
    // The next page: the offer is theirs again, and this time the server applies it.
    suite.site.files['/api/plan-change-closed'] = { status: 200, body: '{}' }
    await page.reload()
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await expect.poll(() => banner(page).count(), { timeout: 10_000 }).toBe(1)
    expect(await banner(page).textContent()).toContain('Save 20% with yearly billing')
    await banner(page).getByRole('button', { name: 'Switch to yearly' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).textContent()).toContain('Thanks!')
    await page.evaluate(() => (window as any).linger.flush())
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Plan Offer Accepted' && x.userId === 'annual-closed'))
    expect(suite.collector.delivered().filter((e) => e.userId === 'annual-closed' && /Plan Offer/.test(e.event!)).map((e) => e.event)).toEqual(['Plan Offer Shown', 'Plan Offer Accepted'])
    await context.close()
  })
})

describe('the yearly-billing offer the vendor\'s server refuses, asked from the vendor\'s billing iframe', () => {
  it('its handler returns the iframe\'s fetch() (a Response of another realm) that the server answers 409: the user is offered Try again, not thanked, and nothing is counted accepted', async () => {
    const DAY = 86_400_000
    const annual = { annualOffer: { id: 'go-annual', title: 'Save 20% with yearly billing', action: 'Switch to yearly', percent: 20, afterMonths: 3, holdout: 0 } }
    const traits = { plan: 'pro', billingInterval: 'month', subscribedAt: new Date(Date.now() - 120 * DAY).toISOString() }
    suite.site.files['/api/plan-change-frame'] = { status: 409, body: '{"error":"a plan change is already scheduled"}' }
    // A micro-frontend page: the billing part lives in its own frame and fetches from there.
    const handlers = `{ onPlanChange: (offer) => document.getElementById('billing').contentWindow.fetch(location.origin + '/api/plan-change-frame', { method: 'POST', body: JSON.stringify({ offerId: offer.offerId }) }) }`
    const script = `${suite.initScript({ flows: { billing: annual } }, handlers)} linger('identify', 'annual-frame', ${JSON.stringify(traits)}); linger.on('ready', () => (window.lingerReady = true));`
    const { page, context } = await suite.open('/app-annual-frame', suite.hostPage({ body: '<main id="app"><h1>Billing</h1><iframe id="billing" title="Billing"></iframe></main>', script }))
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await expect.poll(() => banner(page).textContent()).toContain('Save 20% with yearly billing')
    await banner(page).getByRole('button', { name: 'Switch to yearly' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).textContent()).toMatch(/That did not work|Thanks!/)
    expect(await banner(page).textContent()).toContain('That did not work')
    await page.evaluate(() => (window as any).linger.flush())
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Plan Offer Shown' && x.userId === 'annual-frame'))
    expect(delivered('Plan Offer Accepted', 'annual-frame')).toEqual([])
    await context.close()
  })
})

describe('the yearly-billing offer, open in two tabs', () => {
  it('accepted in both tabs while the first is still applying it, it is asked of the vendor once and counted accepted once; the second tab says thanks once the first went through', async () => {
    const DAY = 86_400_000
    const annual = { annualOffer: { id: 'go-annual', title: 'Save 20% with yearly billing', action: 'Switch to yearly', percent: 20, afterMonths: 3, holdout: 0 } }
    const traits = { plan: 'pro', billingInterval: 'month', subscribedAt: new Date(Date.now() - 120 * DAY).toISOString() }
    // The vendor's server answers when the test says so; each tab counts what it asked.
    const handlers = `{ onPlanChange: () => (window.asked = (window.asked || 0) + 1, new Promise((r) => (window.answer = r))) }`
    const script = `${suite.initScript({ flows: { billing: annual } }, handlers)} linger('identify', 'annual-two-tabs', ${JSON.stringify(traits)}); linger.on('ready', () => (window.lingerReady = true));`
    const tab = async (path: string, context?: import('playwright-core').BrowserContext) => {
      const opened = await suite.open(path, suite.hostPage({ body: '<main id="app"><h1>Billing</h1></main>', script }), context)
      await opened.page.waitForFunction(() => (window as any).lingerReady === true)
      await expect.poll(() => banner(opened.page).textContent()).toContain('Save 20% with yearly billing')
      return opened
    }
    const { page: a, context } = await tab('/app-annual-a')
    const { page: b } = await tab('/app-annual-b', context)
    await banner(a).getByRole('button', { name: 'Switch to yearly' }).click()
    await expect.poll(() => a.evaluate(() => (window as any).asked)).toBe(1)
    await banner(b).getByRole('button', { name: 'Switch to yearly' }).click()
    await a.evaluate(() => (window as any).answer())
    await expect.poll(() => banner(a).textContent()).toContain('Thanks!')
    // [asked in the first tab, asked in the second, the second says thanks]
    const seen = async () => [...(await Promise.all([a, b].map((p) => p.evaluate(() => (window as any).asked ?? 0)))), (await banner(b).textContent())?.includes('Thanks!')]
    await expect.poll(seen).toEqual([1, 0, true])
    await Promise.all([a, b].map((p) => p.evaluate(() => (window as any).linger.flush())))
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Plan Offer Accepted' && x.userId === 'annual-two-tabs'))
    expect(delivered('Plan Offer Accepted', 'annual-two-tabs')).toHaveLength(1)
  })

  it('"No thanks" in one tab while the other is still applying "Switch to yearly": the vendor said yes, and the one answer counted is Accepted, with no Declined beside it', async () => {
    const DAY = 86_400_000
    const annual = { annualOffer: { id: 'go-annual', title: 'Save 20% with yearly billing', action: 'Switch to yearly', percent: 20, afterMonths: 3, holdout: 0 } }
    const traits = { plan: 'pro', billingInterval: 'month', subscribedAt: new Date(Date.now() - 120 * DAY).toISOString() }
    const handlers = `{ onPlanChange: () => new Promise((r) => (window.answer = r)) }`
    const script = `${suite.initScript({ flows: { billing: annual } }, handlers)} linger('identify', 'annual-no-thanks', ${JSON.stringify(traits)}); linger.on('ready', () => (window.lingerReady = true));`
    const tab = async (path: string, context?: import('playwright-core').BrowserContext) => {
      const opened = await suite.open(path, suite.hostPage({ body: '<main id="app"><h1>Billing</h1></main>', script }), context)
      await opened.page.waitForFunction(() => (window as any).lingerReady === true)
      await expect.poll(() => banner(opened.page).textContent()).toContain('Save 20% with yearly billing')
      return opened
    }
    const { page: a, context } = await tab('/app-no-thanks-a')
    const { page: b } = await tab('/app-no-thanks-b', context)
    await banner(a).getByRole('button', { name: 'Switch to yearly' }).click()
    await expect.poll(() => a.evaluate(() => typeof (window as any).answer)).toBe('function')
    await banner(b).getByRole('button', { name: 'Dismiss' }).click()
    await expect.poll(() => banner(b).count()).toBe(0)
    await a.evaluate(() => (window as any).answer())
    await expect.poll(() => banner(a).textContent()).toContain('Thanks!')
    await Promise.all([a, b].map((p) => p.evaluate(() => (window as any).linger.flush())))
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Plan Offer Accepted' && x.userId === 'annual-no-thanks'))
    // Any Declined the second tab would send has had its chance to arrive with the Accepted.
    await Promise.all([a, b].map((p) => p.evaluate(() => (window as any).linger.flush())))
    expect(suite.collector.delivered().filter((e) => e.userId === 'annual-no-thanks' && /Plan Offer (Accepted|Declined)/.test(e.event!)).map((e) => e.event)).toEqual(['Plan Offer Accepted'])
    await context.close()
  })
})
