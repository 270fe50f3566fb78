// @vitest-environment jsdom
import type { ExperienceHost, Flows, Linger } from '@linger/sdk'
import { atom } from 'nanostores'
import { afterEach, describe, expect, it, vi } from 'vitest'
// The real controller, so the widget is tested against the state machine it will really get.
import { createCancelFlow } from '../../../sdk/src/experiences/cancel'
import { createFakePlatform, type FakePlatform } from '../../../sdk/src/fake-platform'
import { emptyProfile, recordEvent } from '../../../sdk/src/usage'
import { messages as ar } from '../platform/messages/ar'
import { messages as de } from '../platform/messages/de'
import { createTestContext, type TestContext } from '../platform/test-context'
import { render } from './view'

const cancelFlow = {
  id: 'save-offer',
  trigger: { selector: '#cancel-subscription' },
  valueReminder: {
    title: 'Before you go, here is what your team built',
    items: [
      { event: 'Project Created', label: '{count} projects created' },
      { event: 'Report Exported', label: '{count} reports exported' },
      { points: true, label: '{points} points and {badges} badges earned' },
    ],
  },
  reasons: [
    { id: 'too-expensive', label: 'It is too expensive', offer: 'discount-30' },
    { id: 'missing-features', label: 'It is missing features we need', offer: 'talk-to-us', comment: true },
    { id: 'other', label: 'Something else', comment: true },
    { id: 'closing', label: 'We are closing the company', comment: 'required' },
    { id: 'not-using', label: 'We are not using it enough', offer: 'pause-3' },
    { id: 'switching', label: 'We are switching to another product', offer: 'starter' },
  ],
  offers: [
    { id: 'discount-30', kind: 'discount', title: '30% off your next 3 months', percent: 30, months: 3 },
    { id: 'talk-to-us', kind: 'contact', title: 'Talk to a product specialist', url: 'https://example.com/book-a-call' },
    { id: 'pause-3', kind: 'pause', title: 'Pause instead of cancelling', months: 3 },
    { id: 'starter', kind: 'downgrade', title: 'Keep your projects on the free Starter plan', plan: 'starter' },
  ],
  holdout: 0,
}

let ctx: TestContext | undefined
let unmount: (() => void) | undefined
let dispose: (() => void) | undefined
afterEach(() => {
  unmount?.()
  dispose?.()
  ctx?.cleanup()
  document.body.innerHTML = ''
})

const tick = () => new Promise((r) => setTimeout(r, 0))

/** `clickFocuses: false`: a browser that leaves focus where it was on a click (Safari, Firefox on a Mac). */
/** `cancel`: the user's stored cancel state (what they took, in which run, at which length). */
async function setup(opts: { locale?: string; handlers?: Record<string, unknown>; clickFocuses?: boolean; cancel?: unknown } = {}) {
  document.body.innerHTML = '<main id="app"><button id="cancel-subscription">Cancel subscription</button></main><aside id="chat" inert></aside>'
  const events: Array<[string, Record<string, unknown>]> = []
  let profile = emptyProfile()
  for (let i = 0; i < 1234; i++) profile = recordEvent(profile, { name: 'Project Created', time: Date.parse('2026-03-01T10:00:00Z') + i }, (ms) => new Date(ms).toISOString().slice(0, 10))
  const store = new Map<string, unknown>([['badges', { points: 0, earned: {} }], ['cancel', opts.cancel]])
  const host = {
    platform: createFakePlatform(),
    flows: atom({ cancelFlow } as unknown as Flows),
    usage: atom(profile),
    user: atom({ userKey: 'u:42', anonymousId: 'a', traits: {} }),
    state: { get: (k: string) => store.get(k), fresh: (k: string) => store.get(k), set: () => {}, subscribe: () => () => {} },
    options: {},
    emit: (e: string, p: Record<string, unknown>) => void events.push([e, p]),
    onTrack: () => () => {},
    onPage: () => () => {},
    // Nobody is in the holdout sample here (the sdk's tests cover who is).
    evaluate: (rule: object | undefined) => ({ ok: !rule || !('sample' in rule), failed: [] }),
    request: () => ({ show: true, reasons: [] }),
    release: () => {},
    reportError: () => {},
    handlers: opts.handlers ?? {},
  } as unknown as ExperienceHost
  const cancel = createCancelFlow(host)
  dispose = cancel.dispose
  ctx = createTestContext({ linger: { experiences: { cancel } } as unknown as Partial<Linger>, host, locale: opts.locale, catalog: opts.locale === 'ar' ? ar : opts.locale === 'de' ? de : undefined })
  unmount = render(ctx)
  const button = document.getElementById('cancel-subscription') as HTMLButtonElement
  const hostCancel = vi.fn()
  button.addEventListener('click', hostCancel)
  if (opts.clickFocuses !== false) button.focus()
  button.click()
  await tick()
  const root = () => document.querySelector('linger-cancel')?.shadowRoot ?? null
  const q = <T extends Element = HTMLElement>(sel: string) => (root()?.querySelector<T & Element>(sel) ?? null) as T | null
  const buttonNamed = (name: string) => Array.from(root()?.querySelectorAll<HTMLElement>('button, a') ?? []).find((b) => b.textContent?.trim() === name || b.getAttribute('aria-label') === name)
  const press = async (name: string) => {
    const b = buttonNamed(name)
    if (!b) throw new Error(`no button "${name}" in: ${root()?.textContent}`)
    b.click()
    await tick()
  }
  const choose = async (label: string) => {
    const input = Array.from(root()?.querySelectorAll('label.reason') ?? []).find((l) => l.textContent === label)?.querySelector('input') as HTMLInputElement
    input.click()
    await tick()
  }
  const title = () => q('#lc-title')?.textContent
  return { cancel, events, button, hostCancel, root, q, press, choose, title, buttonNamed }
}

describe('the cancellation dialog', () => {
  it('opens as a labelled modal with the value reminder, filled in and without empty lines', async () => {
    const t = await setup()
    const dialog = t.q('[role="dialog"]')
    expect(dialog?.getAttribute('aria-modal')).toBe('true')
    expect(t.q(`#${dialog?.getAttribute('aria-labelledby')}`)?.textContent).toBe('Before you go, here is what your team built')
    expect(Array.from(t.root()!.querySelectorAll('ul.value li')).map((li) => li.textContent)).toEqual(['1,234 projects created'])
    expect(t.hostCancel).not.toHaveBeenCalled()
  })

  it('makes the page behind inert while open, and puts back exactly what was there', async () => {
    const t = await setup()
    expect(document.getElementById('app')?.hasAttribute('inert')).toBe(true)
    expect(document.querySelector('linger-cancel')?.hasAttribute('inert')).toBe(false)
    await t.press('Close')
    expect(document.getElementById('app')?.hasAttribute('inert')).toBe(false)
    expect(document.getElementById('chat')?.hasAttribute('inert')).toBe(true)
    expect(document.querySelector('linger-cancel')).toBeNull()
    expect(document.activeElement).toBe(t.button)
  })

  it('gives focus back to the cancel button on close, though the browser never focused it on the click (Safari, Firefox on a Mac)', async () => {
    const t = await setup({ clickFocuses: false })
    await t.press('Close')
    expect(document.querySelector('linger-cancel')).toBeNull()
    expect(document.activeElement).toBe(t.button)
  })

  it('gives focus back to the cancel button the host re-rendered while the dialog was open', async () => {
    const t = await setup()
    const again = t.button.cloneNode(true) as HTMLButtonElement
    t.button.replaceWith(again)
    await t.press('Keep my subscription')
    expect(document.querySelector('linger-cancel')).toBeNull()
    expect(document.activeElement).toBe(again)
  })

  it('asks for a comment only where the reason wants one, and goes on only once a reason is chosen', async () => {
    const t = await setup()
    await t.press('Continue to cancel')
    expect(t.title()).toBe('Why do you want to cancel?')
    expect(t.q('[role="radiogroup"]')?.getAttribute('aria-labelledby')).toBe('lc-title')
    expect((t.buttonNamed('Continue to cancel') as HTMLButtonElement).disabled).toBe(true)
    await t.choose('It is too expensive')
    expect(t.q('textarea')).toBeNull()
    await t.choose('Something else')
    const box = t.q<HTMLTextAreaElement>('textarea')!
    expect(t.q(`label[for="${box.id}"]`)?.textContent).toBe('Tell us more (optional)')
    box.value = 'We merged teams'
    box.dispatchEvent(new Event('input', { bubbles: true }))
    await t.press('Continue to cancel')
    expect(t.title()).toBe('Cancel your subscription?')
    await t.press('Cancel subscription')
    expect(t.events.at(-1)).toEqual(['Cancel Flow Completed', expect.objectContaining({ outcome: 'cancelled', reasonId: 'other', comment: 'We merged teams' })])
    expect(t.hostCancel).toHaveBeenCalledTimes(1)
  })

  it('shows the offer for the reason, applies it through the vendor, and says it is done', async () => {
    let finish!: () => void
    const onOfferAccepted = vi.fn(() => new Promise<void>((r) => (finish = r)))
    const t = await setup({ handlers: { onOfferAccepted } })
    await t.press('Continue to cancel')
    await t.choose('It is too expensive')
    await t.press('Continue to cancel')
    expect(t.title()).toBe('30% off your next 3 months')
    await t.press('Claim the discount')
    expect(t.q('[role="status"]')?.textContent).toBe('Applying your offer…')
    finish()
    await tick()
    await tick()
    expect(t.title()).toBe('Thanks for staying!')
    expect(t.q('[role="status"]')?.textContent).toBe('Your discount has been applied.')
    await t.press('Done')
    expect(t.hostCancel).not.toHaveBeenCalled()
    expect(t.events.at(-1)?.[1]).toMatchObject({ outcome: 'saved', offerId: 'discount-30' })
  })

  it('a vendor that has not answered in 10 seconds: the user is told it is taking long, that closing cancels nothing, and can close', async () => {
    let finish!: () => void
    const onOfferAccepted = vi.fn(() => new Promise<void>((r) => (finish = r)))
    const t = await setup({ handlers: { onOfferAccepted } })
    await t.press('Continue to cancel')
    await t.choose('It is too expensive')
    await t.press('Continue to cancel')
    await t.press('Claim the discount')
    expect(t.q('[role="status"]')?.textContent).toBe('Applying your offer…')
    await (ctx!.host.platform as FakePlatform).advance(10_000)
    await tick()
    expect(t.q('[role="status"]')?.textContent).toBe('This is taking longer than usual. You can close this: nothing is cancelled, and the offer stays if it goes through.')
    expect(t.q('.spinner')).toBeNull()
    // Announced: a busy dialog's changes are not read out.
    expect(t.q('[aria-busy="true"]')).toBeNull()
    await t.press('Close')
    expect(t.root()).toBeNull()
    expect(t.hostCancel).not.toHaveBeenCalled()
    finish()
    await tick()
    await tick()
    expect(t.events.at(-1)).toEqual(['Cancel Flow Completed', expect.objectContaining({ outcome: 'saved', applied: true })])
    expect(onOfferAccepted).toHaveBeenCalledTimes(1)
  })

  // A vendor's billing usually moves a plan at the renewal (the demo's Stripe schedule does): the
  // billing page still shows the old plan, so "has been changed" would tell the user otherwise.
  it('a plan switch the vendor took is confirmed, never said to have happened already (it may wait for the renewal)', async () => {
    const t = await setup({ handlers: { onOfferAccepted: async () => {} } })
    await t.press('Continue to cancel')
    await t.choose('We are switching to another product')
    await t.press('Continue to cancel')
    await t.press('Switch plan')
    await tick()
    expect(t.title()).toBe('Thanks for staying!')
    expect(t.q('[role="status"]')?.textContent).toBe('Your plan change is confirmed.')
  })

  it('shows an error with a retry when the vendor could not apply the offer', async () => {
    const onOfferAccepted = vi.fn().mockRejectedValueOnce(new Error('billing down')).mockResolvedValueOnce(undefined)
    const t = await setup({ handlers: { onOfferAccepted } })
    await t.press('Continue to cancel')
    await t.choose('It is too expensive')
    await t.press('Continue to cancel')
    await t.press('Claim the discount')
    await tick()
    expect(t.q('[role="alert"]')?.textContent).toBe('We could not apply the offer. Please try again.')
    await t.press('Try again')
    await tick()
    expect(t.title()).toBe('Thanks for staying!')
  })

  it('offers a contact offer as a safe link that opens in a new tab', async () => {
    const t = await setup()
    await t.press('Continue to cancel')
    await t.choose('It is missing features we need')
    await t.press('Continue to cancel')
    const link = t.buttonNamed('Talk to us') as HTMLAnchorElement
    expect(link.tagName).toBe('A')
    expect(link.href).toBe('https://example.com/book-a-call')
    expect(link.rel).toContain('noopener')
    expect(link.target).toBe('_blank')
  })

  it('with no onOfferAccepted handler, never says the offer was applied, and records it as not applied', async () => {
    const t = await setup()
    await t.press('Continue to cancel')
    await t.choose('It is too expensive')
    await t.press('Continue to cancel')
    await t.press('Claim the discount')
    await tick()
    expect(t.title()).toBe('Thanks for staying!')
    expect(t.q('[role="status"]')?.textContent).toBe('Thanks, we have let the team know. You will get a confirmation once it is in place.')
    expect(t.root()?.textContent).not.toContain('has been applied')
    expect(t.events.at(-1)).toEqual(['Cancel Flow Completed', expect.objectContaining({ outcome: 'saved', applied: false, offerId: 'discount-30' })])
  })

  it('a contact offer is not applied through onOfferAccepted: its link opens the page, and it is recorded as contacted', async () => {
    const onOfferAccepted = vi.fn()
    const t = await setup({ handlers: { onOfferAccepted } })
    await t.press('Continue to cancel')
    await t.choose('It is missing features we need')
    await t.press('Continue to cancel')
    const link = t.buttonNamed('Talk to us') as HTMLAnchorElement
    link.addEventListener('click', (e) => e.preventDefault()) // jsdom cannot open a tab
    link.click()
    await tick()
    expect(onOfferAccepted).not.toHaveBeenCalled()
    expect(t.title()).toBe('Thanks for talking to us')
    expect(t.q('[role="status"]')?.textContent).toBe('The contact page opened in a new tab. Your subscription stays as it is.')
    expect(t.events.map(([e]) => e).slice(-2)).toEqual(['Cancel Offer Accepted', 'Cancel Flow Completed'])
    expect(t.events.at(-1)?.[1]).toMatchObject({ outcome: 'contacted', offerId: 'talk-to-us', offerKind: 'contact' })
    await t.press('Done')
    expect(t.hostCancel).not.toHaveBeenCalled()
    expect(t.events.filter(([e]) => e === 'Cancel Flow Completed')).toHaveLength(1)
  })

  it('a contact offer on the vendor’s own site (a relative link, /book-a-call) is a link there, opened in a new tab', async () => {
    const offer = cancelFlow.offers[1]!
    const was = offer.url
    offer.url = '/book-a-call'
    try {
      const t = await setup()
      await t.press('Continue to cancel')
      await t.choose('It is missing features we need')
      await t.press('Continue to cancel')
      const link = t.buttonNamed('Talk to us') as HTMLAnchorElement
      expect([link.tagName, link.getAttribute('href'), link.target]).toEqual(['A', '/book-a-call', '_blank'])
      link.addEventListener('click', (e) => e.preventDefault()) // jsdom cannot open a tab
      link.click()
      await tick()
      expect(t.q('[role="status"]')?.textContent).toBe('The contact page opened in a new tab. Your subscription stays as it is.')
    } finally {
      offer.url = was
    }
  })

  it('a reason that requires a comment does not go on without one, and says so next to the box', async () => {
    const t = await setup()
    await t.press('Continue to cancel')
    await t.choose('We are closing the company')
    const box = t.q<HTMLTextAreaElement>('textarea')!
    expect(t.q(`label[for="${box.id}"]`)?.textContent).toBe('Tell us more (required)')
    expect(box.getAttribute('aria-required')).toBe('true')
    await t.press('Continue to cancel')
    expect(t.title()).toBe('Why do you want to cancel?')
    const error = t.q('[role="alert"]')!
    expect(error.textContent).toBe('Please tell us a little more to continue.')
    expect(box.getAttribute('aria-invalid')).toBe('true')
    expect(box.getAttribute('aria-describedby')).toBe(error.id)
    expect(t.root()?.activeElement).toBe(box)
    box.value = 'Retiring'
    box.dispatchEvent(new Event('input', { bubbles: true }))
    await tick()
    expect(t.q('[role="alert"]')).toBeNull()
    await t.press('Continue to cancel')
    expect(t.title()).toBe('Cancel your subscription?')
    expect(t.events.find(([e]) => e === 'Cancel Reason Selected')?.[1]).toMatchObject({ reasonId: 'closing', comment: 'Retiring' })
  })

  it('"Keep my subscription" answers kept, on the value reminder and on the last step, and closes', async () => {
    const t = await setup()
    await t.press('Keep my subscription')
    expect(t.q('[role="dialog"]')).toBeNull()
    expect(t.events.at(-1)).toEqual(['Cancel Flow Completed', expect.objectContaining({ outcome: 'kept' })])
    t.button.click()
    await tick()
    await t.press('Continue to cancel')
    await t.choose('It is too expensive')
    await t.press('Continue to cancel')
    await t.press('No thanks, continue')
    expect(t.title()).toBe('Cancel your subscription?')
    await t.press('Keep my subscription')
    expect(t.events.at(-1)).toEqual(['Cancel Flow Completed', expect.objectContaining({ outcome: 'kept', reasonId: 'too-expensive', offerId: 'discount-30' })])
  })

  it('closes as abandoned on Esc and on a click outside, never on a click inside', async () => {
    const t = await setup()
    t.q('.dialog')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }))
    t.q('.dialog')!.click()
    await tick()
    expect(t.q('[role="dialog"]')).not.toBeNull()
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await tick()
    expect(t.q('[role="dialog"]')).toBeNull()
    expect(t.events.at(-1)?.[1]).toMatchObject({ outcome: 'abandoned' })

    t.button.click()
    await tick()
    const backdrop = t.q('.backdrop')!
    backdrop.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }))
    backdrop.click()
    await tick()
    expect(t.q('[role="dialog"]')).toBeNull()
    expect(t.hostCancel).not.toHaveBeenCalled()
  })

  it('speaks Arabic right to left', async () => {
    const t = await setup({ locale: 'ar' })
    expect(document.querySelector('linger-cancel')?.getAttribute('dir')).toBe('rtl')
    expect(t.buttonNamed('متابعة الإلغاء')).toBeDefined()
    expect(t.q('ul.value li')?.textContent).toBe(`${new Intl.NumberFormat('ar').format(1234)} projects created`)
  })

  it('in Arabic, the vendor\'s English title, value lines, reasons and offer are each laid out in their own direction ("It is too expensive!", not "!It is too expensive")', async () => {
    const t = await setup({ locale: 'ar' })
    // The direction of an element holding only the vendor's text is the text's own (dir=auto):
    // inside the Arabic card it would otherwise take the card's, and end punctuation moves to the front.
    const ownDirection = (text: string | null | undefined) =>
      Array.from(t.root()!.querySelectorAll('[dir="auto"]')).some((el) => el.textContent === text)
    expect(ownDirection('Before you go, here is what your team built')).toBe(true)
    expect(ownDirection(t.q('ul.value li')?.textContent)).toBe(true)
    await t.press('متابعة الإلغاء')
    expect(ownDirection('It is too expensive')).toBe(true)
    await t.choose('It is too expensive')
    await t.press('متابعة الإلغاء')
    expect(ownDirection('30% off your next 3 months')).toBe(true)
  })
})

describe('a pause offer', () => {
  // The fake clock reads 2 March 2026.
  async function toPause(opts: Parameters<typeof setup>[0] = {}) {
    const t = await setup(opts)
    await t.press(opts.locale === 'de' ? 'Weiter zur Kündigung' : 'Continue to cancel')
    await t.choose('We are not using it enough')
    await t.press(opts.locale === 'de' ? 'Weiter zur Kündigung' : 'Continue to cancel')
    return t
  }
  const months = (t: Awaited<ReturnType<typeof setup>>) => Array.from(t.root()!.querySelectorAll<HTMLInputElement>('input[name="lc-months"]'))

  it('lets the user choose 1 to 3 months and shows the date billing resumes', async () => {
    const t = await toPause()
    expect(t.title()).toBe('Pause instead of cancelling')
    expect(t.q('.months')?.getAttribute('aria-label')).toBe('How long would you like to pause?')
    expect(months(t).map((i) => i.parentElement?.textContent)).toEqual(['1 month', '2 months', '3 months'])
    expect(months(t).find((i) => i.checked)?.value).toBe('3')
    expect(t.q('.months + p')?.textContent).toBe('Billing resumes on June 2, 2026.')
    await t.choose('1 month')
    expect(t.q('.months + p')?.textContent).toBe('Billing resumes on April 2, 2026.')
  })

  it('taken before at one month in a tab closed on the spinner, offered again: one month is the only length on offer, the one taking it applies', async () => {
    const took = Date.parse('2026-03-02T09:00:00Z')
    const t = await toPause({ cancel: { taken: { 'pause-3': took }, runs: { 'pause-3': 'run-of-that-tab' }, terms: { 'pause-3': { months: 1, resumesAt: '2026-04-02' } } } })
    expect(t.title()).toBe('Pause instead of cancelling')
    expect(months(t).map((i) => [i.parentElement?.textContent, i.checked])).toEqual([['1 month', true]])
    expect(t.q('.months + p')?.textContent).toBe('Billing resumes on April 2, 2026.')
  })

  it('hands the chosen pause to onPause and says until when it is paused', async () => {
    const onPause = vi.fn(async () => {})
    const t = await toPause({ handlers: { onPause } })
    await t.choose('2 months')
    await t.press('Pause instead')
    expect(onPause).toHaveBeenCalledWith({ months: 2, resumesAt: '2026-05-02', offer: expect.objectContaining({ id: 'pause-3' }), runId: expect.any(String), reason: expect.objectContaining({ label: 'We are not using it enough' }) })
    await tick()
    expect(t.q('[role="status"]')?.textContent).toBe('Your subscription is paused until May 2, 2026.')
    expect(t.events.map(([e]) => e)).toContain('Pause Offer Accepted')
    expect(t.hostCancel).not.toHaveBeenCalled()
  })

  it('without a handler, never says the pause is in place', async () => {
    const t = await toPause()
    await t.press('Pause instead')
    await tick()
    expect(t.q('[role="status"]')?.textContent).toBe('Thanks, we have let the team know. You will get a confirmation once it is in place.')
  })

  it('shows the resume date in the user’s language', async () => {
    const t = await toPause({ locale: 'de' })
    expect(months(t).map((i) => i.parentElement?.textContent)).toEqual(['1 Monat', '2 Monate', '3 Monate'])
    expect(t.q('.months + p')?.textContent).toBe('Die Abrechnung läuft am 2. Juni 2026 weiter.')
  })

  it('on its own, has no way back to reasons and “Not now” just closes it', async () => {
    const t = await setup()
    await t.press('Close')
    t.cancel.show?.('pause-3')
    await tick()
    expect(t.title()).toBe('Pause instead of cancelling')
    expect(t.buttonNamed('Back')).toBeUndefined()
    await t.press('Not now')
    expect(document.querySelector('linger-cancel')).toBeNull()
    expect(t.hostCancel).not.toHaveBeenCalled()
  })
})

describe('the cancel dialog on a phone', () => {
  // Headless Chromium has no browser toolbar to show or hide, so this reads the rule itself (as the
  // notice modal's test does). On a phone `100vh` is the viewport with the toolbar hidden: with it
  // shown, a dialog that tall overflows its backdrop and "Cancel my subscription" is out of reach.
  it('is never taller than the backdrop it sits in, which is what is on screen, so its buttons stay in reach', async () => {
    const css = (await import('./styles')).default
    const dialog = /\.dialog\{([^}]*)\}/.exec(css)![1]
    expect(dialog).toContain('max-height:100%')
    expect(dialog).toContain('overflow:auto')
    expect(dialog).not.toMatch(/vh/)
  })
})
