import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { ROOT } from '../../../../test/static-server'
import { holdoutUser } from '../../../../test/holdout'
import { axeViolations } from '../../../../test/axe'

// The cancellation flow on a real billing page, with the vendor's flows exactly as written.
const flows = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/flows.json'), 'utf8'))
const NONCE = 'n0nc3'

const suite = useBrowserSuite({ pageErrors: 'each' })
let csp = ''
beforeAll(() => {
  suite.site.pages['/cancelled'] = { html: '<!doctype html><title>Cancelled</title><p>Your subscription is cancelled.</p>' }
  // Strict: no unsafe-inline, no unsafe-eval; the vendor's own script carries a nonce.
  csp = `default-src 'self'; script-src 'self' 'nonce-${NONCE}'; style-src 'self'; connect-src 'self' ${suite.collector.url}; img-src 'self'`
})

/** A user id inside (or outside) the cancel flow's holdout, decided as the SDK decides it. */
const userWhere = (inside: boolean) => holdoutUser(flows.cancelFlow, inside)

const CANCEL_BUTTON = '<button id="cancel-subscription" type="button">Cancel subscription</button>'

/**
 * The vendor's billing page: a real cancel control with the host's own handler (and a delegated
 * capture-phase one on the document, which must not see intercepted clicks either).
 */
async function openBilling(opts: { control?: string; userId?: string | null; vendor?: string; init?: Record<string, unknown>; path?: string; context?: BrowserContext } = {}) {
  // null: the page names no one as it loads (its app asks its server who is signed in).
  const userId = opts.userId === null ? null : (opts.userId ?? userWhere(false))
  const script = `
    window.hostCancels = 0; window.delegatedCancels = 0; window.seen = []; window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
    ${suite.initScript({ flows, ...opts.init })}
    ${userId === null ? '' : `linger('identify', ${JSON.stringify(userId)});`}
    linger.track('Project Created'); linger.track('Project Created'); linger.track('Task Created');
    ['flow-started', 'reason-selected', 'offer-shown', 'offer-accepted', 'flow-completed'].forEach((n) =>
      linger.on('cancel:' + n, (p) => seen.push(['cancel:' + n, p])));
    linger.on('ready', () => (window.lingerReady = true));
    document.addEventListener('click', (e) => { if (e.target.closest('#cancel-subscription')) delegatedCancels++ }, true);
    document.addEventListener('DOMContentLoaded', () => {
      document.getElementById('cancel-subscription').addEventListener('click', () => {
        hostCancels++;
        document.getElementById('plan').textContent = 'Cancelled';
      });
    });
    ${opts.vendor ?? ''}`
  const body = `<main id="app"><h1>Billing</h1><p>Plan: <strong id="plan">Pro</strong></p>${opts.control ?? CANCEL_BUTTON}</main>`
  const { page } = await suite.open(opts.path ?? '/billing', suite.hostPage({ body, script, csp, nonce: NONCE }), opts.context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return page
}

const dialog = (page: Page) => page.locator('linger-cancel [role="dialog"]')
/** Opens the flow from the host's cancel button; the direction its dialog is laid out in. */
async function openedDirection(page: Page) {
  await page.click('#cancel-subscription')
  await expect.poll(() => dialog(page).count()).toBe(1)
  return page.evaluate(() => getComputedStyle(document.querySelector('linger-cancel')!.shadowRoot!.querySelector('.dialog')!).direction)
}
const heading = (page: Page) => page.locator('linger-cancel #lc-title')
const button = (page: Page, name: string) => dialog(page).getByRole('button', { name, exact: true })
const seen = (page: Page): Promise<Array<[string, Record<string, unknown>]>> => page.evaluate(() => (window as any).seen)
const completed = async (page: Page) => (await seen(page)).filter(([n]) => n === 'cancel:flow-completed').map(([, p]) => p)
const counts = (page: Page) => page.evaluate(() => ({ host: (window as any).hostCancels as number, delegated: (window as any).delegatedCancels as number }))

/** axe-core on the open dialog (it looks inside our shadow root); returns the violations. */
const axe = (page: Page) => axeViolations(page, 'linger-cancel')

async function toReasons(page: Page) {
  await page.click('#cancel-subscription')
  await expect.poll(() => heading(page).textContent()).toBe(flows.cancelFlow.valueReminder.title)
  await button(page, 'Continue to cancel').click()
  await expect.poll(() => heading(page).textContent()).toBe('Why do you want to cancel?')
}

async function chooseReason(page: Page, reasonId: string, comment?: string) {
  const reason = flows.cancelFlow.reasons.find((r: { id: string }) => r.id === reasonId)
  await dialog(page).getByRole('radio', { name: reason.label }).check()
  if (comment !== undefined) await dialog(page).getByRole('textbox', { name: 'Tell us more (optional)' }).fill(comment)
  await button(page, 'Continue to cancel').click()
}

describe('the save-offer flow on a billing page', () => {
  it('leads each example reason to its offer (or straight to confirming), with no axe violations at any step', async () => {
    const page = await openBilling()
    const offers = new Map(flows.cancelFlow.offers.map((o: { id: string }) => [o.id, o]))
    let hostCancels = 0
    for (const reason of flows.cancelFlow.reasons as Array<{ id: string; offer?: string; comment?: boolean }>) {
      await toReasons(page)
      expect(await axe(page)).toEqual([])
      const commentBox = dialog(page).getByRole('textbox')
      await dialog(page).getByRole('radio', { name: flows.cancelFlow.reasons.find((r: { id: string }) => r.id === reason.id).label }).check()
      expect(await commentBox.count()).toBe(reason.comment ? 1 : 0)
      if (reason.comment) await commentBox.fill(`why ${reason.id}`)
      expect(await axe(page)).toEqual([])
      await button(page, 'Continue to cancel').click()
      const offer = reason.offer ? (offers.get(reason.offer) as { id: string; kind: string; title: string }) : undefined
      if (offer) {
        await expect.poll(() => heading(page).textContent()).toBe(offer.title)
        expect(await axe(page)).toEqual([])
        await button(page, 'No thanks, continue').click()
      }
      await expect.poll(() => heading(page).textContent()).toBe('Cancel your subscription?')
      expect(await axe(page)).toEqual([])
      await button(page, 'Cancel subscription').click()
      await expect.poll(() => dialog(page).count()).toBe(0)
      expect((await counts(page)).host).toBe(++hostCancels)
      const expected: Record<string, unknown> = { outcome: 'cancelled', reasonId: reason.id, variant: 'offer' }
      if (reason.comment) expected.comment = `why ${reason.id}`
      if (offer) Object.assign(expected, { offerId: offer.id, offerKind: offer.kind })
      const last = (await completed(page)).at(-1)!
      expect(last).toMatchObject(expected)
      if (!offer) expect(last.offerId).toBeUndefined()
    }
    const shown = (await seen(page)).filter(([n]) => n === 'cancel:offer-shown').map(([, p]) => p.offerId)
    expect(shown).toEqual(flows.cancelFlow.reasons.filter((r: { offer?: string }) => r.offer).map((r: { offer: string }) => r.offer))
    expect(await page.evaluate(() => (window as any).cspViolations)).toEqual([])
  })

  it('applies an accepted offer through the vendor: handler called, host cancel never runs, saved', async () => {
    // With a selector trigger, the vendor hands over its handlers when the flow starts. Its server
    // answers when the test says so (an answer 300 ms on was sometimes in before a loaded
    // machine's first look at the spinner).
    const vendor = `
      window.applied = [];
      linger.on('cancel:flow-started', () => linger.cancel({
        onOfferAccepted: (offer, reason) => new Promise((resolve) => (window.answer = () => {
          applied.push([offer.id, offer.percent, reason.id]);
          document.getElementById('plan').textContent = 'Pro (30% off)';
          resolve();
        })),
      }));`
    const page = await openBilling({ vendor })
    await toReasons(page)
    await chooseReason(page, 'too-expensive')
    await expect.poll(() => heading(page).textContent()).toBe('30% off your next 3 months')
    await button(page, 'Claim the discount').click()
    await expect.poll(() => dialog(page).getByRole('status').first().textContent()).toBe('Applying your offer…')
    expect(await axe(page)).toEqual([])
    await page.evaluate(() => (window as any).answer())
    await expect.poll(() => heading(page).textContent()).toBe('Thanks for staying!')
    expect(await axe(page)).toEqual([])
    await button(page, 'Done').click()
    await expect.poll(() => dialog(page).count()).toBe(0)
    expect(await page.evaluate(() => (window as any).applied)).toEqual([['discount-30', 30, 'too-expensive']])
    expect(await page.textContent('#plan')).toBe('Pro (30% off)')
    expect(await counts(page)).toEqual({ host: 0, delegated: 0 })
    const accepted = (await seen(page)).find(([n]) => n === 'cancel:offer-accepted')?.[1]
    expect(accepted).toMatchObject({ offerId: 'discount-30', offerKind: 'discount', reasonId: 'too-expensive', variant: 'offer' })
    // On the wire too, for the vendor's save-rate report.
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Cancel Flow Completed' && x.properties.outcome === 'saved'))
    const done = events.find((x) => x.event === 'Cancel Flow Completed' && x.properties.outcome === 'saved')!
    expect(done.properties).toMatchObject({ flowId: 'save-offer', reasonId: 'too-expensive', offerId: 'discount-30', offerKind: 'discount', variant: 'offer' })
  })

  it('runs the host cancel (its own handlers, once) after a declined offer is confirmed: cancelled', async () => {
    const page = await openBilling()
    await toReasons(page)
    await chooseReason(page, 'not-using')
    await expect.poll(() => heading(page).textContent()).toBe('Pause your subscription for up to 2 months')
    await button(page, 'No thanks, continue').click()
    await button(page, 'Cancel subscription').click()
    await expect.poll(() => page.textContent('#plan')).toBe('Cancelled')
    expect(await counts(page)).toEqual({ host: 1, delegated: 1 })
    expect(await completed(page)).toEqual([expect.objectContaining({ outcome: 'cancelled', reasonId: 'not-using', offerId: 'pause-2', offerKind: 'pause' })])
    // The page is usable again and focus is back on the host's control.
    expect(await page.evaluate(() => document.getElementById('app')!.hasAttribute('inert'))).toBe(false)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cancel-subscription')
  })

  it('lets the host form submit and the host link navigate once the user confirms', async () => {
    for (const [path, control] of [
      ['/billing-form', '<form action="/cancelled" method="get"><button id="cancel-subscription" type="submit">Cancel subscription</button></form>'],
      ['/billing-link', '<a id="cancel-subscription" href="/cancelled">Cancel subscription</a>'],
    ]) {
      const page = await openBilling({ control, path })
      await toReasons(page)
      // Still on the billing page: the intercepted click did not submit or navigate.
      expect(new URL(page.url()).pathname).toMatch(/^\/billing-/)
      await chooseReason(page, 'other', 'closing the company')
      await Promise.all([page.waitForURL(/\/cancelled/), button(page, 'Cancel subscription').click()])
      await page.close()
    }
  })

  it('replays the confirmed click on the link the user clicked, even when the selector matches its wrapper', async () => {
    const control = '<div id="cancel-subscription" class="danger-zone"><p>Danger zone</p><a id="cancel-link" href="/cancelled">Cancel subscription</a></div>'
    const page = await openBilling({ control, path: '/billing-wrapper' })
    await page.click('#cancel-link')
    await expect.poll(() => heading(page).textContent()).toBe(flows.cancelFlow.valueReminder.title)
    expect(new URL(page.url()).pathname).toBe('/billing-wrapper')
    await button(page, 'Continue to cancel').click()
    await chooseReason(page, 'other', 'closing the company')
    await Promise.all([page.waitForURL(/\/cancelled/), button(page, 'Cancel subscription').click()])
    await page.close()
  })

  it('cancels from an account menu that closes (its items taken out of the page) once focus goes to the dialog', async () => {
    const control = '<div id="account-menu" role="menu"><a id="cancel-subscription" role="menuitem" href="/cancelled">Cancel subscription</a></div>'
    // A menu as app frameworks build them: it closes when focus leaves it, and its items go with it.
    const vendor = `document.addEventListener('DOMContentLoaded', () => {
      const menu = document.getElementById('account-menu');
      menu.addEventListener('focusout', (e) => { if (!menu.contains(e.relatedTarget)) menu.replaceChildren() });
    });`
    const page = await openBilling({ control, vendor, path: '/billing-menu' })
    await toReasons(page)
    expect(await page.locator('#cancel-subscription').count()).toBe(0)
    await chooseReason(page, 'other', 'closing the company')
    await Promise.all([page.waitForURL(/\/cancelled/), button(page, 'Cancel subscription').click()])
    await page.close()
  })

  it('cancels when the user clicked the icon in the host cancel button (an SVG): their confirmation goes through', async () => {
    const control = '<button id="cancel-subscription" type="button"><svg width="24" height="24" viewBox="0 0 16 16" aria-hidden="true"><path d="M2 2l12 12M14 2L2 14" stroke="currentColor" stroke-width="4"/></svg> Cancel subscription</button>'
    const page = await openBilling({ control, path: '/billing-icon' })
    await page.click('#cancel-subscription svg', { position: { x: 12, y: 12 } })
    await expect.poll(() => heading(page).textContent()).toBe(flows.cancelFlow.valueReminder.title)
    await button(page, 'Continue to cancel').click()
    await chooseReason(page, 'other')
    await button(page, 'Cancel subscription').click()
    await expect.poll(() => counts(page)).toEqual({ host: 1, delegated: 1 })
    expect(await page.textContent('#plan')).toBe('Cancelled')
    expect((await completed(page)).map((p) => p.outcome)).toEqual(['cancelled'])
  })

  it('a contact offer opens its page and is recorded as contacted, not saved, without calling onOfferAccepted', async () => {
    const vendor = `
      window.applied = [];
      linger.on('cancel:flow-started', () => linger.cancel({ onOfferAccepted: (offer) => { applied.push(offer.id) } }));`
    const page = await openBilling({ vendor, path: '/billing-contact' })
    await page.context().route('https://example.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Book a call</title>' }))
    await toReasons(page)
    await chooseReason(page, 'too-complex')
    await expect.poll(() => heading(page).textContent()).toBe('Talk to a product specialist')
    const [tab] = await Promise.all([page.context().waitForEvent('page'), dialog(page).getByRole('link', { name: 'Talk to us' }).click()])
    await tab.waitForLoadState()
    expect(tab.url()).toBe('https://example.com/book-a-call')
    await tab.close()
    await expect.poll(() => heading(page).textContent()).toBe('Thanks for talking to us')
    expect(await dialog(page).getByRole('status').textContent()).toBe('The contact page opened in a new tab. Your subscription stays as it is.')
    expect(await axe(page)).toEqual([])
    await button(page, 'Done').click()
    expect(await page.evaluate(() => (window as any).applied)).toEqual([])
    expect(await completed(page)).toEqual([expect.objectContaining({ outcome: 'contacted', offerId: 'talk-to-us', offerKind: 'contact', reasonId: 'too-complex' })])
    expect(await counts(page)).toEqual({ host: 0, delegated: 0 })
  })

  it('with no onOfferAccepted handler, the user is told the team will confirm, never that it was applied', async () => {
    const page = await openBilling({ path: '/billing-no-handler' })
    await toReasons(page)
    await chooseReason(page, 'too-expensive')
    await button(page, 'Claim the discount').click()
    await expect.poll(() => heading(page).textContent()).toBe('Thanks for staying!')
    expect(await dialog(page).getByRole('status').textContent()).toBe('Thanks, we have let the team know. You will get a confirmation once it is in place.')
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Cancel Flow Completed' && x.properties.applied === false))
    const done = suite.collector.delivered().find((x) => x.event === 'Cancel Flow Completed' && x.properties.applied === false)!
    expect(done.properties).toMatchObject({ outcome: 'saved', offerId: 'discount-30' })
  })

  it('while the offer is being applied, a screen reader hears "Applying your offer…": the dialog round it is not marked busy, which would hold the announcement back', async () => {
    const vendor = `linger.on('cancel:flow-started', () => linger.cancel({ onOfferAccepted: () => new Promise(() => {}) }));`
    const page = await openBilling({ vendor, path: '/billing-busy' })
    await toReasons(page)
    await chooseReason(page, 'too-expensive')
    await button(page, 'Claim the discount').click()
    await expect.poll(() => heading(page).textContent()).toBe('One moment…')
    // What assistive technology is given: Chromium's accessibility tree.
    const cdp = await page.context().newCDPSession(page)
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ nodeId: string; parentId?: string; role?: { value: string }; name?: { value: string }; properties?: Array<{ name: string; value: { value: unknown } }> }> }
    const byId = new Map(nodes.map((n) => [n.nodeId, n]))
    const status = nodes.find((n) => n.role?.value === 'status')!
    const said: string[] = []
    for (let n = byId.get(status.nodeId); n; n = n.parentId ? byId.get(n.parentId) : undefined) if (n.properties?.some((p) => p.name === 'busy' && !!p.value.value)) said.push(`${n.role?.value} "${n.name?.value ?? ''}" is busy`)
    expect(said).toEqual([])
    expect(await dialog(page).getByRole('status').textContent()).toBe('Applying your offer…')
  })

  it('a reason that requires a comment says so, accessibly, until there is one', async () => {
    const strict = structuredClone(flows)
    strict.cancelFlow.reasons.find((r: { id: string }) => r.id === 'other').comment = 'required'
    const page = await openBilling({ init: { flows: strict }, path: '/billing-required' })
    await toReasons(page)
    await dialog(page).getByRole('radio', { name: 'Something else' }).check()
    const box = dialog(page).getByRole('textbox', { name: 'Tell us more (required)' })
    await button(page, 'Continue to cancel').click()
    await expect.poll(() => dialog(page).getByRole('alert').textContent()).toBe('Please tell us a little more to continue.')
    expect(await box.getAttribute('aria-invalid')).toBe('true')
    expect(await heading(page).textContent()).toBe('Why do you want to cancel?')
    expect(await axe(page)).toEqual([])
    await box.fill('Closing the company')
    await button(page, 'Continue to cancel').click()
    await expect.poll(() => heading(page).textContent()).toBe('Cancel your subscription?')
  })

  it('a click on cancel while a survey is on screen starts the flow: the survey ends, saying why', async () => {
    const withSurvey = { ...flows, settings: { cooldownDays: 0 }, surveys: [{ id: 'pulse', kind: 'csat', question: 'How is it going?', trigger: { event: 'Never Happens' } }] }
    const page = await openBilling({ init: { flows: withSurvey }, path: '/billing-survey' })
    await page.evaluate(() => (window as any).linger.show('pulse'))
    const survey = page.locator('linger-survey [role="dialog"]')
    await survey.waitFor()
    await page.click('#cancel-subscription')
    await expect.poll(() => heading(page).textContent()).toBe(flows.cancelFlow.valueReminder.title)
    await expect.poll(() => survey.count()).toBe(0)
    expect(await counts(page)).toEqual({ host: 0, delegated: 0 })
    await button(page, 'Keep my subscription').click()
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Survey Dismissed' && x.properties.surveyId === 'pulse'))
    expect(events.find((x) => x.event === 'Survey Dismissed' && x.properties.surveyId === 'pulse')!.properties.reason).toBe('preempted-by:save-offer')
    expect((await completed(page)).map((p) => p.outcome)).toEqual(['kept'])
  })

  it('open in two tabs, the flow is two runs: each tab\'s events carry its own runId and reach the collector with its own outcome', async () => {
    const userId = userWhere(false)
    const a = await openBilling({ userId })
    const b = await openBilling({ userId, context: a.context() })
    for (const page of [a, b]) {
      await page.click('#cancel-subscription')
      await expect.poll(() => heading(page).textContent()).toBe(flows.cancelFlow.valueReminder.title)
    }
    await button(a, 'Continue to cancel').click()
    await chooseReason(a, 'other', 'two tabs')
    await expect.poll(() => heading(a).textContent()).toBe('Cancel your subscription?')
    await button(a, 'Cancel subscription').click()
    await button(b, 'Close').click()
    const [ranA] = await completed(a)
    const [ranB] = await completed(b)
    expect([ranA!.outcome, ranB!.outcome]).toEqual(['cancelled', 'abandoned'])
    expect(ranA!.runId).toMatch(/^[0-9a-f-]{36}$/)
    expect(ranB!.runId).toMatch(/^[0-9a-f-]{36}$/)
    expect(ranA!.runId).not.toBe(ranB!.runId)
    const runOf = (events: Array<Record<string, any>>, runId: unknown) => events.filter((e) => e.event?.startsWith('Cancel ') && e.properties.runId === runId)
    const events = await suite.collector.waitFor((e) => runOf(e, ranA!.runId).length === 3 && runOf(e, ranB!.runId).length === 2)
    expect(runOf(events, ranA!.runId).map((e) => [e.event, e.properties.outcome])).toEqual([
      ['Cancel Flow Started', undefined],
      ['Cancel Reason Selected', undefined],
      ['Cancel Flow Completed', 'cancelled'],
    ])
    expect(runOf(events, ranB!.runId).map((e) => [e.event, e.properties.outcome])).toEqual([
      ['Cancel Flow Started', undefined],
      ['Cancel Flow Completed', 'abandoned'],
    ])
  })

  it('taken in two tabs while the first is still applying it, the second tab shows what the vendor answered the first (refused: the error, never "saved"), and Try again there applies it', async () => {
    const userId = userWhere(false)
    // The vendor's server answers when the test says so.
    const vendor = `
      window.answers = []; window.calls = 0;
      linger.on('cancel:flow-started', () => linger.cancel({
        onOfferAccepted: () => new Promise((ok, refuse) => { calls++; answers.push({ ok, refuse }) }),
      }));`
    const a = await openBilling({ userId, vendor, path: '/billing-tab-a' })
    const b = await openBilling({ userId, vendor, context: a.context(), path: '/billing-tab-b' })
    for (const page of [a, b]) {
      await toReasons(page)
      await chooseReason(page, 'too-expensive')
      await expect.poll(() => heading(page).textContent()).toBe('30% off your next 3 months')
    }
    await button(a, 'Claim the discount').click()
    await expect.poll(() => heading(a).textContent()).toBe('One moment…')
    // the take is in the storage the other tab reads
    await b.waitForFunction(() => Object.values(localStorage).some((v) => v.includes('"taken"')))
    await button(b, 'Claim the discount').click()
    await expect.poll(() => heading(b).textContent()).toBe('One moment…')
    await a.evaluate(() => (window as any).answers[0].refuse(new Error('card declined')))
    await expect.poll(() => heading(a).textContent()).toBe('That did not work')
    await expect.poll(() => heading(b).textContent()).toBe('That did not work')
    expect(await b.evaluate(() => (window as any).calls)).toBe(0)
    expect(await completed(b)).toEqual([])
    // nothing is being applied anywhere now: Try again applies it from this tab
    await button(b, 'Try again').click()
    await expect.poll(() => b.evaluate(() => (window as any).calls)).toBe(1)
    await b.evaluate(() => (window as any).answers[0].ok())
    await expect.poll(() => heading(b).textContent()).toBe('Thanks for staying!')
    expect((await completed(b)).map((p) => [p.outcome, p.applied])).toEqual([['saved', true]])
    expect(await a.evaluate(() => (window as any).calls)).toBe(1)
  })

  it('a pause taken in two tabs, the first closed on its spinner: the second applies it itself, once, under the first tab\'s run, and says saved only once the vendor answered', async () => {
    const userId = userWhere(false)
    // The vendor's server answers when the test says so.
    const vendor = `
      window.answers = []; window.paused = [];
      linger.on('cancel:flow-started', () => linger.cancel({
        onPause: (p) => new Promise((ok) => { paused.push(p); answers.push(ok) }),
      }));`
    const a = await openBilling({ userId, vendor, path: '/billing-tab-a' })
    const b = await openBilling({ userId, vendor, context: a.context(), path: '/billing-tab-b' })
    for (const page of [a, b]) {
      await toReasons(page)
      await chooseReason(page, 'not-using')
      await expect.poll(() => heading(page).textContent()).toBe('Pause your subscription for up to 2 months')
    }
    await button(a, 'Pause instead').click()
    await expect.poll(() => heading(a).textContent()).toBe('One moment…')
    const [first] = await a.evaluate(() => (window as any).paused)
    await b.waitForFunction(() => Object.values(localStorage).some((v) => v.includes('"taken"')))
    await button(b, 'Pause instead').click()
    await expect.poll(() => heading(b).textContent()).toBe('One moment…')
    // the first tab is still applying it: this one waits for its answer
    expect(await b.evaluate(() => (window as any).paused.length)).toBe(0)
    await a.close()
    await expect.poll(() => b.evaluate(() => (window as any).paused.length)).toBe(1)
    const [again] = await b.evaluate(() => (window as any).paused)
    // the key the vendor applies a pause once by: a request of the first tab's that did reach them is not a second pause
    expect(again.runId).toBe(first.runId)
    expect(await heading(b).textContent()).toBe('One moment…')
    expect(await completed(b)).toEqual([])
    await b.evaluate(() => (window as any).answers[0]())
    await expect.poll(() => heading(b).textContent()).toBe('Thanks for staying!')
    // the save is the first tab's run's, said as that tab would have, and this run's: the collector counts one flow saved by one pause
    const whose = (runId: unknown) => (runId === first.runId ? "the first tab's run" : 'its own run')
    expect((await completed(b)).map((p) => [p.outcome, p.applied, whose(p.runId)])).toEqual([['saved', true, "the first tab's run"], ['saved', true, 'its own run']])
    expect(await b.evaluate(() => (window as any).paused.length)).toBe(1)
  })

  /** The vendor's server answers when the test says so: `calls` and `answers` per tab, `runs` the run ids it was asked under. */
  const heldVendor = `
    window.answers = []; window.runs = [];
    linger.on('cancel:flow-started', () => linger.cancel({
      onOfferAccepted: (offer, reason, run) => new Promise((ok, refuse) => { runs.push(run.runId); answers.push({ ok, refuse }) }),
    }));`
  /** The user's tabs, each showing the discount; `taken()`: the time of its latest take, as the storage every tab reads holds it. */
  async function discountInTabs(n: number) {
    const userId = userWhere(false)
    const tabs = [await openBilling({ userId, vendor: heldVendor, path: '/billing-tab-0' })]
    for (let i = 1; i < n; i++) tabs.push(await openBilling({ userId, vendor: heldVendor, context: tabs[0]!.context(), path: `/billing-tab-${i}` }))
    for (const page of tabs) {
      await toReasons(page)
      await chooseReason(page, 'too-expensive')
      await expect.poll(() => heading(page).textContent()).toBe('30% off your next 3 months')
    }
    return tabs
  }
  const asked = (page: Page): Promise<string[]> => page.evaluate(() => (window as any).runs)
  const taken = (page: Page) => page.evaluate(() => Object.values(localStorage).map((v) => /"taken":\{[^}]*"discount-30":(\d+)/.exec(v)?.[1]).find(Boolean))

  it('taken in three tabs, the tab applying it gone: the one still waiting applies it at once, under that tab\'s run, though a tab whose try was refused earlier is still open', async () => {
    const [a, b, c] = await discountInTabs(3)
    await button(a!, 'Claim the discount').click()
    await expect.poll(() => asked(a!)).toHaveLength(1)
    await a!.evaluate(() => (window as any).answers[0].refuse(new Error('card declined')))
    await expect.poll(() => heading(a!).textContent()).toBe('That did not work')
    // refused (in the storage the second tab reads), so the second tab applies it itself
    await b!.waitForFunction(() => Object.values(localStorage).some((v) => v.includes('"refused"')))
    const before = await taken(c!)
    await button(b!, 'Claim the discount').click()
    await expect.poll(() => asked(b!)).toHaveLength(1)
    await expect.poll(() => taken(c!)).not.toBe(before)
    // the third waits for the second tab's answer
    await button(c!, 'Claim the discount').click()
    await expect.poll(() => heading(c!).textContent()).toBe('One moment…')
    expect(await asked(c!)).toEqual([])
    const [runOfB] = await asked(b!)
    await b!.close()
    await expect.poll(() => asked(c!)).toEqual([runOfB])
    await c!.evaluate(() => (window as any).answers[0].ok())
    await expect.poll(() => heading(c!).textContent()).toBe('Thanks for staying!')
    const whose = (runId: unknown) => (runId === runOfB ? "the second tab's run" : 'its own run')
    expect((await completed(c!)).map((p) => [p.outcome, p.applied, whose(p.runId)])).toEqual([['saved', true, "the second tab's run"], ['saved', true, 'its own run']])
  })

  it('closed while it waited for another tab to apply the offer, that tab then gone: the offer still goes through, as the wait promised, and the save is recorded', async () => {
    const [a, b] = await discountInTabs(2)
    await button(a!, 'Claim the discount').click()
    await expect.poll(() => asked(a!)).toHaveLength(1)
    await b!.waitForFunction(() => Object.values(localStorage).some((v) => v.includes('"taken"')))
    await button(b!, 'Claim the discount').click()
    await expect.poll(() => heading(b!).textContent()).toBe('One moment…')
    await button(b!, 'Close').click()
    await expect.poll(() => dialog(b!).count()).toBe(0)
    const [runOfA] = await asked(a!)
    await a!.close()
    await expect.poll(() => asked(b!)).toEqual([runOfA])
    await b!.evaluate(() => (window as any).answers[0].ok())
    // its own run ended abandoned on the close, then saved; the first tab's run, whose take it applied, saved
    const whose = (runId: unknown) => (runId === runOfA ? "the first tab's run" : 'its own run')
    await expect.poll(async () => (await completed(b!)).map((p) => [p.outcome, whose(p.runId)])).toEqual([['abandoned', 'its own run'], ['saved', "the first tab's run"], ['saved', 'its own run']])
    expect(await dialog(b!).count()).toBe(0)
  })

  it('shows the error with a retry when the vendor handler rejects, and saves on retry', async () => {
    const vendor = `
      window.tries = 0;
      linger.on('cancel:flow-started', () => linger.cancel({
        onOfferAccepted: () => ++tries === 1 ? Promise.reject(new Error('billing is down')) : Promise.resolve(),
      }));`
    const page = await openBilling({ vendor })
    await toReasons(page)
    await chooseReason(page, 'switching', 'moving to another tool')
    await button(page, 'Switch plan').click()
    await expect.poll(() => heading(page).textContent()).toBe('That did not work')
    expect(await dialog(page).getByRole('alert').textContent()).toBe('We could not apply the offer. Please try again.')
    expect(await axe(page)).toEqual([])
    await button(page, 'Try again').click()
    await expect.poll(() => heading(page).textContent()).toBe('Thanks for staying!')
    expect(await page.evaluate(() => (window as any).tries)).toBe(2)
    expect(await completed(page)).toEqual([expect.objectContaining({ outcome: 'saved', offerId: 'downgrade', offerKind: 'downgrade', comment: 'moving to another tool' })])
    expect((await counts(page)).host).toBe(0)
  })

  it('gives holdout users no offer, and marks every event with the holdout variant', async () => {
    const page = await openBilling({ userId: userWhere(true) })
    await toReasons(page)
    await chooseReason(page, 'too-expensive')
    await expect.poll(() => heading(page).textContent()).toBe('Cancel your subscription?')
    await button(page, 'Cancel subscription').click()
    await expect.poll(() => counts(page)).toEqual({ host: 1, delegated: 1 })
    const events = await seen(page)
    expect(events.map(([n]) => n)).toEqual(['cancel:flow-started', 'cancel:reason-selected', 'cancel:flow-completed'])
    expect(events.every(([, p]) => p.variant === 'holdout')).toBe(true)
  })

  it('a double click answers one step only: its second click never lands on the next step, nor outside it', async () => {
    const page = await openBilling()
    // The mouse as a user who double-clicks every button: both clicks where the first was aimed.
    const doubleClick = async (name: string) => {
      const box = (await button(page, name).boundingBox())!
      await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2)
      // Whatever the second click reached has answered by now.
      await page.waitForTimeout(300)
    }
    // Once the flow's UI is in the page, the modal opens under the pointer before a double
    // click on the host's cancel button is over.
    await page.click('#cancel-subscription')
    await expect.poll(() => dialog(page).count()).toBe(1)
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog(page).count()).toBe(0)
    const cancelBox = (await page.locator('#cancel-subscription').boundingBox())!
    await page.mouse.dblclick(cancelBox.x + cancelBox.width / 2, cancelBox.y + cancelBox.height / 2)
    await page.waitForTimeout(300)
    expect(await heading(page).textContent()).toBe(flows.cancelFlow.valueReminder.title)
    await doubleClick('Continue to cancel')
    expect(await heading(page).textContent()).toBe('Why do you want to cancel?')
    await dialog(page).getByRole('radio', { name: 'It is too expensive' }).check()
    await doubleClick('Continue to cancel')
    expect(await heading(page).textContent()).toBe('30% off your next 3 months')
    await doubleClick('No thanks, continue')
    expect(await heading(page).textContent()).toBe('Cancel your subscription?')
    // Nothing the user did not click: no offer taken, no outcome, no cancellation.
    expect((await seen(page)).map(([n]) => n)).toEqual(['cancel:flow-started', 'cancel:flow-completed', 'cancel:flow-started', 'cancel:reason-selected', 'cancel:offer-shown'])
    expect(await counts(page)).toEqual({ host: 0, delegated: 0 })
  })

  it('closes as abandoned on Esc, the close button or a click outside: the host cancel does not happen', async () => {
    const page = await openBilling()
    const close = [
      () => page.keyboard.press('Escape'),
      () => button(page, 'Close').click(),
      () => page.mouse.click(5, 5),
    ]
    for (const act of close) {
      await page.click('#cancel-subscription')
      await expect.poll(() => dialog(page).count()).toBe(1)
      await act()
      await expect.poll(() => dialog(page).count()).toBe(0)
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('cancel-subscription')
    }
    expect((await completed(page)).map((p) => p.outcome)).toEqual(['abandoned', 'abandoned', 'abandoned'])
    expect(await counts(page)).toEqual({ host: 0, delegated: 0 })
    expect(await page.textContent('#plan')).toBe('Pro')
  })

  it('a pause: the user picks its length by keyboard, sees when billing resumes, and onPause gets it with the reason they gave; fits 320 px', async () => {
    const vendor = `
      window.paused = [];
      linger.on('cancel:flow-started', () => linger.cancel({ onPause: (p) => { paused.push(p) } }));`
    const page = await openBilling({ vendor })
    await page.setViewportSize({ width: 320, height: 640 })
    await toReasons(page)
    await chooseReason(page, 'not-using')
    await expect.poll(() => heading(page).textContent()).toBe('Pause your subscription for up to 2 months')
    const months = dialog(page).getByRole('radiogroup', { name: 'How long would you like to pause?' })
    expect(await months.getByRole('radio').evaluateAll((els) => els.map((e) => `${(e as HTMLInputElement).value}:${(e as HTMLInputElement).checked}`))).toEqual(['1:false', '2:true'])
    const resumes = (n: number) => {
      const d = new Date()
      const m = d.getUTCMonth() + n
      d.setUTCMonth(m)
      if (d.getUTCMonth() !== m % 12) d.setUTCDate(0)
      return { day: d.toISOString().slice(0, 10), text: new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(d) }
    }
    expect(await dialog(page).getByText(/^Billing resumes on/).textContent()).toBe(`Billing resumes on ${resumes(2).text}.`)
    await months.getByRole('radio', { name: '2 months' }).focus()
    await page.keyboard.press('ArrowUp')
    await expect.poll(() => dialog(page).getByText(/^Billing resumes on/).textContent()).toBe(`Billing resumes on ${resumes(1).text}.`)
    expect(await axe(page)).toEqual([])
    // Nothing of the dialog leaves a 320 px screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    const box = await dialog(page).boundingBox()
    expect(box!.x).toBeGreaterThanOrEqual(0)
    expect(box!.x + box!.width).toBeLessThanOrEqual(320)
    await button(page, 'Pause instead').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => dialog(page).getByRole('status').first().textContent()).toBe(`Your subscription is paused until ${resumes(1).text}.`)
    expect(await page.evaluate(() => (window as any).paused)).toEqual([
      { months: 1, resumesAt: resumes(1).day, offer: { id: 'pause-2', kind: 'pause', title: 'Pause your subscription for up to 2 months', months: 2 }, runId: expect.any(String), reason: expect.objectContaining({ id: 'not-using' }) },
    ])
    expect(await counts(page)).toEqual({ host: 0, delegated: 0 })
  })

  it('fits 320 px at every step in German, long compound words of the vendor\'s own included: nothing is cut off or needs a sideways scroll', async () => {
    const german = structuredClone(flows)
    german.cancelFlow.valueReminder.title = 'Bevor Sie gehen: Ihre Projektdokumentationsübersicht'
    german.cancelFlow.reasons[0].label = 'Die Preisgestaltung ist zu hoch (Abonnementgebühren)'
    german.cancelFlow.offers[0].title = 'Ihr Bestandskundenrabatt: 30 % für drei Monate'
    const page = await openBilling({ init: { locale: 'de', flows: german }, path: '/billing-de-320' })
    await page.setViewportSize({ width: 320, height: 640 })
    // Every box in the dialog inside the dialog, and the dialog inside the screen.
    const overflow = () =>
      page.evaluate(() => {
        const d = document.querySelector('linger-cancel')!.shadowRoot!.querySelector('.dialog') as HTMLElement
        const box = d.getBoundingClientRect()
        const out = [...d.querySelectorAll('*')].filter((el) => {
          const r = el.getBoundingClientRect()
          return r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5)
        })
        return { sideways: d.scrollWidth > d.clientWidth, offScreen: box.left < 0 || box.right > 320, out: out.map((el) => el.tagName.toLowerCase() + ':' + (el.textContent ?? '').slice(0, 30)) }
      })
    const fits = { sideways: false, offScreen: false, out: [] }
    await page.click('#cancel-subscription')
    await expect.poll(() => heading(page).textContent()).toBe(german.cancelFlow.valueReminder.title)
    expect(await overflow()).toEqual(fits)
    await button(page, 'Weiter zur Kündigung').click()
    await dialog(page).getByRole('radio', { name: german.cancelFlow.reasons[0].label }).check()
    expect(await overflow()).toEqual(fits)
    await button(page, 'Weiter zur Kündigung').click()
    await expect.poll(() => heading(page).textContent()).toBe(german.cancelFlow.offers[0].title)
    expect(await overflow()).toEqual(fits)
    await button(page, 'Nein danke, weiter').click()
    await expect.poll(() => heading(page).textContent()).toBe('Abo kündigen?')
    expect(await overflow()).toEqual(fits)
  })

  it('keeps Tab inside the dialog when the reasons are the last thing in it (nothing chosen, no way back)', async () => {
    // No value reminder: the flow opens on its reasons, with no Back, and Continue is disabled.
    const page = await openBilling({ init: { flows: { ...flows, cancelFlow: { ...flows.cancelFlow, valueReminder: undefined } } }, path: '/billing-reasons-first' })
    const focused = () =>
      page.evaluate(() => {
        let el = document.activeElement
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
        return `${el?.tagName.toLowerCase()}:${(el as HTMLInputElement)?.value || el?.getAttribute('aria-label') || el?.textContent?.trim()}`
      })
    await page.focus('#cancel-subscription')
    await page.keyboard.press('Enter')
    await expect.poll(focused).toBe('h2:Why do you want to cancel?')
    const stops: string[] = []
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab')
      stops.push(await focused())
    }
    expect(stops).toEqual(['button:Close', 'input:too-expensive', 'button:Close', 'input:too-expensive', 'button:Close'])
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Shift+Tab')
    expect(await focused()).toBe('button:Close')
  })

  it('works with the keyboard alone: focus stays in the dialog and returns to the cancel button', async () => {
    const page = await openBilling()
    const focused = () =>
      page.evaluate(() => {
        let el = document.activeElement
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
        return `${el?.tagName.toLowerCase()}${el?.id ? '#' + el.id : ''}:${(el as HTMLInputElement)?.value || el?.getAttribute('aria-label') || el?.textContent?.trim()}`
      })
    await page.focus('#cancel-subscription')
    await page.keyboard.press('Enter')
    await expect.poll(focused).toBe(`h2#lc-title:${flows.cancelFlow.valueReminder.title}`)
    // The background is inert: Tab cycles inside the dialog only.
    const stops = new Set<string>()
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab')
      stops.add(await focused())
    }
    expect([...stops].sort()).toEqual(['button:Close', 'button:Continue to cancel', 'button:Keep my subscription'].sort())
    while ((await focused()) !== 'button:Continue to cancel') await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await expect.poll(focused).toBe('h2#lc-title:Why do you want to cancel?')
    await page.keyboard.press('Tab') // close
    await page.keyboard.press('Tab') // the radio group
    expect(await focused()).toBe('input:too-expensive')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await focused()).toBe('input:missing-features')
    await page.keyboard.press('Tab')
    expect(await focused()).toBe('textarea#lc-comment:')
    await page.keyboard.type('Gantt charts')
    await page.keyboard.press('Tab')
    expect(await focused()).toBe('button:Back')
    await page.keyboard.press('Tab')
    expect(await focused()).toBe('button:Continue to cancel')
    await page.keyboard.press('Enter')
    await expect.poll(() => heading(page).textContent()).toBe('Talk to a product specialist')
    while ((await focused()) !== 'button:No thanks, continue') await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await expect.poll(focused).toBe('h2#lc-title:Cancel your subscription?')
    while ((await focused()) !== 'button:Cancel subscription') await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await expect.poll(() => counts(page)).toEqual({ host: 1, delegated: 1 })
    expect(await focused()).toBe('button#cancel-subscription:Cancel subscription')
    expect((await completed(page)).at(-1)).toMatchObject({ outcome: 'cancelled', reasonId: 'missing-features', comment: 'Gantt charts', offerId: 'talk-to-us' })
  })

  it("opened from the Cancel button in the page's own settings dialog (showModal), it works by keyboard and mouse, and Escape leaves the settings dialog open", async () => {
    const page = await openBilling({
      control: `<dialog id="settings"><h2>Settings</h2>${CANCEL_BUTTON}</dialog>`,
      vendor: `document.addEventListener('DOMContentLoaded', () => document.getElementById('settings').showModal())`,
    })
    const focusedId = () =>
      page.evaluate(() => {
        let el = document.activeElement
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
        return el?.id
      })
    const settingsOpen = () => page.evaluate(() => (document.getElementById('settings') as HTMLDialogElement).open)
    await page.focus('#cancel-subscription')
    await page.keyboard.press('Enter')
    await expect.poll(focusedId).toBe('lc-title')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog(page).count()).toBe(0)
    expect(await settingsOpen()).toBe(true)
    expect(await focusedId()).toBe('cancel-subscription')
    // The mouse, all the way to the page's own cancel.
    await toReasons(page)
    await chooseReason(page, 'not-using')
    await button(page, 'No thanks, continue').click()
    await button(page, 'Cancel subscription').click()
    await expect.poll(() => page.textContent('#plan')).toBe('Cancelled')
    expect(await counts(page)).toEqual({ host: 1, delegated: 1 })
    expect(await focusedId()).toBe('cancel-subscription')
    expect(await settingsOpen()).toBe(true)
  })

  it('leaves the host cancel alone when the flows document has no valid cancel flow', async () => {
    const broken = structuredClone(flows)
    // No reason left that validates (a reason whose offer is bad still runs, offering nothing).
    for (const reason of broken.cancelFlow.reasons) reason.label = 42
    const page = await openBilling({ init: { flows: broken }, path: '/billing-broken' })
    await page.click('#cancel-subscription')
    expect(await counts(page)).toEqual({ host: 1, delegated: 1 })
    expect(await dialog(page).count()).toBe(0)
    expect(await seen(page)).toEqual([])
  })

  it('speaks the page locale, right to left for Arabic', async () => {
    const page = await openBilling({ init: { locale: 'ar' }, path: '/billing-ar' })
    expect(await openedDirection(page)).toBe('rtl')
    expect(await button(page, 'متابعة الإلغاء').count()).toBe(1)
    expect(await axe(page)).toEqual([])
    // Dark mode keeps its contrast too (the confirm step has the one danger-coloured button).
    await page.emulateMedia({ colorScheme: 'dark' })
    await button(page, 'متابعة الإلغاء').click()
    await dialog(page).getByRole('radio').last().check()
    await button(page, 'متابعة الإلغاء').click()
    await expect.poll(() => heading(page).textContent()).toBe('هل تريد إلغاء اشتراكك؟')
    expect(await axe(page)).toEqual([])
  })

  it('lays a Hebrew flow out right to left, though its messages fall back to English', async () => {
    // No Hebrew catalog: the buttons are English, the vendor's text is Hebrew and must read RTL.
    const page = await openBilling({ init: { locale: 'he' }, path: '/billing-he' })
    expect(await openedDirection(page)).toBe('rtl')
    expect(await button(page, 'Continue to cancel').count()).toBe(1)
    // Read with Hebrew rules: the vendor's text is Hebrew.
    expect(await page.evaluate(() => document.querySelector('linger-cancel')!.getAttribute('lang'))).toBe('he')
  })

  it('follows a right-to-left host page when the flows ask for no language', async () => {
    const page = await openBilling({ path: '/billing-rtl-page', vendor: `document.documentElement.dir = 'rtl'` })
    expect(await openedDirection(page)).toBe('rtl')
  })

  it("on a shared laptop: alice opens the save offer, signs out and bob signs in; her offer leaves the screen, her run ends as hers, and bob cannot claim her discount", async () => {
    const alice = userWhere(false)
    // The vendor's server applies an offer to whoever is signed in when it is asked.
    const vendor = `
      window.claimed = [];
      linger.on('cancel:flow-started', () => linger.cancel({ onOfferAccepted: (offer) => { claimed.push(offer.id) } }));`
    const page = await openBilling({ userId: alice, vendor, path: '/billing-shared-laptop' })
    await toReasons(page)
    await chooseReason(page, 'too-expensive')
    await expect.poll(() => heading(page).textContent()).toBe('30% off your next 3 months')
    const { runId } = (await seen(page)).find(([n]) => n === 'cancel:flow-started')![1]
    // Alice signs out and walks away; bob signs in on the same tab.
    await page.evaluate(() => {
      ;(window as any).linger.reset()
      ;(window as any).linger.identify('bob')
    })
    // Bob claims whatever offer is on screen.
    await page.evaluate(() => [...(document.querySelector('linger-cancel')?.shadowRoot?.querySelectorAll('button') ?? [])].find((b) => /^Claim/.test(b.textContent ?? ''))?.click())
    await page.evaluate(() => (window as any).linger.track('Billing Left'))
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Billing Left' && x.userId === 'bob'))
    expect(await page.evaluate(() => (window as any).claimed)).toEqual([])
    await expect.poll(() => dialog(page).count()).toBe(0)
    expect(events.filter((e) => e.properties?.runId === runId).map((e) => [e.event, e.userId, e.properties.outcome])).toEqual([
      ['Cancel Flow Started', alice, undefined],
      ['Cancel Reason Selected', alice, undefined],
      ['Cancel Offer Shown', alice, undefined],
      ['Cancel Flow Completed', alice, 'abandoned'],
    ])
    // The flow held back her click on the host's cancel; her run ended unconfirmed, so the host's
    // cancel never runs (it would have cancelled bob's plan, signed in by then).
    expect(await counts(page)).toEqual({ host: 0, delegated: 0 })
    expect(await page.textContent('#plan')).toBe('Pro')
  })
  it("holdForIdentify on a shared laptop: bob (held out of the offer) still stored from yesterday, ann clicks Cancel while the page asks its server who is here: her flow opens once the answer names her, with her offer, and her run is saved, as hers, once", async () => {
    const bob = await openBilling({ userId: userWhere(true), path: '/billing-yesterday' })
    const page = await openBilling({ userId: null, vendor: heldVendor, init: { holdForIdentify: 10_000 }, context: bob.context(), path: '/billing-held' })
    await bob.close()
    await page.click('#cancel-subscription')
    // Her click is held (not the host's cancel) while the page learns who she is.
    expect(await counts(page)).toEqual({ host: 0, delegated: 0 })
    await page.evaluate(() => (window as any).linger.identify('ann'))
    await expect.poll(() => heading(page).textContent()).toBe(flows.cancelFlow.valueReminder.title)
    await button(page, 'Continue to cancel').click()
    await chooseReason(page, 'too-expensive')
    await button(page, 'Claim the discount').click()
    await expect.poll(() => heading(page).textContent()).toBe('One moment…')
    const [runId] = await asked(page)
    await page.evaluate(() => (window as any).answers[0].ok())
    // Read as it is (a dialog gone has none), not waited for.
    const title = () => page.evaluate(() => document.querySelector('linger-cancel')?.shadowRoot?.querySelector('#lc-title')?.textContent ?? 'no dialog')
    await expect.poll(title).toBe('Thanks for staying!')
    await page.evaluate(() => (window as any).linger.track('Billing Left'))
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Billing Left' && x.userId === 'ann'))
    expect(events.filter((e) => e.properties?.runId === runId).map((e) => [e.event, e.userId, e.properties.outcome])).toEqual([
      ['Cancel Flow Started', 'ann', undefined],
      ['Cancel Reason Selected', 'ann', undefined],
      ['Cancel Offer Shown', 'ann', undefined],
      ['Cancel Offer Accepted', 'ann', undefined],
      ['Cancel Flow Completed', 'ann', 'saved'],
    ])
  })

  it("holdForIdentify: bob's session expired on his laptop; he clicks Cancel while the page asks its server who is here, which answers nobody (reset()): no save offer for a signed-out visitor, the vendor's own cancel runs", async () => {
    const bob = await openBilling({ userId: userWhere(false), path: '/billing-expired-before' })
    const page = await openBilling({ userId: null, init: { holdForIdentify: 10_000 }, context: bob.context(), path: '/billing-expired' })
    await bob.close()
    await page.click('#cancel-subscription')
    expect(await counts(page)).toEqual({ host: 0, delegated: 0 })
    await page.evaluate(() => (window as any).linger.reset())
    await expect.poll(() => page.textContent('#plan')).toBe('Cancelled')
    expect(await dialog(page).count()).toBe(0)
    expect((await seen(page)).map(([n]) => n)).toEqual([])
  })

  it('alice takes the discount and signs out while the vendor applies it, which it does; back on this browser the next day, she is not offered it again, and her run stays one save', async () => {
    const alice = userWhere(false)
    const page = await openBilling({ userId: alice, vendor: heldVendor, path: '/billing-signs-out' })
    await toReasons(page)
    await chooseReason(page, 'too-expensive')
    await button(page, 'Claim the discount').click()
    await expect.poll(() => heading(page).textContent()).toBe('One moment…')
    await page.evaluate(() => (window as any).linger.reset())
    await page.evaluate(() => (window as any).answers[0].ok())
    const [runId] = await asked(page)
    await suite.collector.waitFor((e) => e.some((x) => x.properties?.runId === runId && x.properties.outcome === 'saved'))
    await page.close()
    const again = await openBilling({ userId: alice, vendor: heldVendor, context: page.context(), path: '/billing-next-day' })
    await toReasons(again)
    await chooseReason(again, 'too-expensive')
    await expect.poll(() => heading(again).textContent()).toBe('Cancel your subscription?')
    expect(await asked(again)).toEqual([])
  })

  it("holdForIdentify on a shared laptop: ann clicks Cancel while the page asks its server who is here, takes the discount once the answer names her, and the vendor applies it at once; back the next day she is not offered the discount a second time", async () => {
    const bob = await openBilling({ userId: userWhere(false), path: '/billing-yesterday-fast' })
    const page = await openBilling({ userId: null, vendor: heldVendor, init: { holdForIdentify: 10_000 }, context: bob.context(), path: '/billing-held-fast' })
    await bob.close()
    await page.click('#cancel-subscription')
    await page.evaluate(() => (window as any).linger.identify('ann'))
    await expect.poll(() => heading(page).textContent()).toBe(flows.cancelFlow.valueReminder.title)
    await button(page, 'Continue to cancel').click()
    await chooseReason(page, 'too-expensive')
    await button(page, 'Claim the discount').click()
    await expect.poll(() => page.evaluate(() => (window as any).answers.length)).toBe(1)
    await page.evaluate(() => (window as any).answers[0].ok())
    await expect.poll(() => heading(page).textContent()).toBe('Thanks for staying!')
    await page.evaluate(() => (window as any).linger.track('Billing Left'))
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Billing Left' && x.userId === 'ann'))
    await page.close()
    const again = await openBilling({ userId: 'ann', vendor: heldVendor, context: page.context(), path: '/billing-next-day-fast' })
    await toReasons(again)
    await chooseReason(again, 'too-expensive')
    await expect.poll(() => heading(again).textContent()).toBe('Cancel your subscription?')
    expect(await asked(again)).toEqual([])
  })
})
