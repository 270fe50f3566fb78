// @vitest-environment jsdom
import type { WritableAtom } from 'nanostores'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createScreen } from '../../../widgets/src/platform/screen'
import type { Billing } from '../config/flows-schema'
import { createTestHost } from './badges/test-host'
import { createBilling, type BillingController } from './billing'
import type { UserView } from './host'
import { $bannerClaims } from './notice'

const billing: Billing = {
  paymentPrompt: { id: 'card-failed', title: 'Your last payment failed', action: 'Update card', wallAfterDays: 5, remindAfterHours: 24, pushLayout: true },
}

let stop: BillingController | undefined
let screen: ReturnType<typeof createScreen> | undefined
beforeEach(() => vi.useFakeTimers())
afterEach(() => {
  stop?.dispose()
  screen?.dispose()
  $bannerClaims.set({})
  document.body.innerHTML = ''
  vi.useRealTimers()
})

/** A past-due customer on a page with the widgets' own screen; `wait(ms)` lets that much time go by. */
function pastDue(page: string, before = () => {}, daysPastDue?: number) {
  document.body.innerHTML = page
  const t = createTestHost({ billing })
  screen = createScreen(t.host.onTrack, window, () => t.platform.now())
  t.host.screen = screen
  before()
  Object.assign(t.host.handlers, { onUpdatePayment: () => {} })
  const user = t.host.user as WritableAtom<UserView>
  user.set({ ...user.get(), traits: { paymentStatus: 'past_due', ...(daysPastDue && { pastDueSince: new Date(t.platform.now() - daysPastDue * 86_400_000).toISOString() }) } })
  const c = (stop = createBilling(t.host))
  // The page's timers (the screen's) and Linger's (the platform's) on one clock, a second at a time.
  const wait = async (ms: number) => {
    for (let i = 0; i < ms / 1000; i++) {
      vi.advanceTimersByTime(1000)
      await t.platform.advance(1000)
    }
  }
  return { ...t, c, wait }
}

// A card form is another site's frame, whose document the page cannot read (jsdom reads every frame's).
const focusCard = () => {
  const frame = document.querySelector('iframe')!
  Object.defineProperty(frame, 'contentDocument', { value: null })
  frame.focus()
}

describe('a failed-payment banner that pushes the page, on a screen that never calms down', () => {
  it('with focus left in an embedded card form (an iframe) the user is not typing in, the banner still comes within a minute, not never', async () => {
    const t = pastDue('<iframe title="Card number"></iframe>', focusCard)
    await t.wait(2000)
    // a moment of typing is waited out
    expect(t.c.$banner.get()).toBeNull()
    await t.wait(60_000)
    expect(t.c.$banner.get()).toMatchObject({ id: 'card-failed', pushLayout: true })
    expect(t.events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'banner', daysPastDue: 0 }])
  })

  it('shut down (linger.destroy() disposes it) with focus still in the card form past the first 30 s, billing stops asking the page every 2 s whether the user still types', async () => {
    const t = pastDue('<iframe title="Card number"></iframe>', focusCard)
    await t.wait(30_000)
    const asked = vi.spyOn(screen!, 'typing')
    await t.wait(2_000)
    // Still waiting for a pause it cannot see (keys typed in the iframe never reach the page).
    expect(t.c.$banner.get()).toBeNull()
    expect(asked).toHaveBeenCalled()
    t.c.dispose()
    asked.mockClear()
    await t.wait(60_000)
    expect(asked).not.toHaveBeenCalled()
  })

  it("with the page's own dialog (aria-modal) left open, the banner still comes within a minute", async () => {
    const t = pastDue('<div role="dialog" aria-modal="true">Invite your team</div>')
    await t.wait(60_000)
    expect(t.c.$banner.get()).toMatchObject({ id: 'card-failed' })
  })

  it('someone typing a long message for over 30 s gets the banner at their first pause after it, not mid-sentence', async () => {
    const t = pastDue('<textarea aria-label="Reply to the customer"></textarea>', () => document.querySelector('textarea')!.focus())
    const field = document.querySelector('textarea')!
    // The seconds of their typing at which the page moved under them.
    const movedAt: number[] = []
    for (let s = 0; s < 45; s++) {
      field.dispatchEvent(new KeyboardEvent('keydown', { key: 'e', bubbles: true }))
      await t.wait(1000)
      if (t.c.$banner.get()) movedAt.push(s)
    }
    expect(movedAt).toEqual([])
    await t.wait(3000)
    expect(t.c.$banner.get()).toMatchObject({ id: 'card-failed', pushLayout: true })
    expect(t.events('Payment Prompt Shown')).toHaveLength(1)
  })

  it('keys that never pause (a key held down) do not keep the failed payment out of sight for good: it comes within about a minute', async () => {
    const t = pastDue('<textarea aria-label="Notes"></textarea>', () => document.querySelector('textarea')!.focus())
    const field = document.querySelector('textarea')!
    let upAfter = 0
    for (let s = 1; s <= 120 && !upAfter; s++) {
      field.dispatchEvent(new KeyboardEvent('keydown', { key: 'x', repeat: true, bubbles: true }))
      await t.wait(1000)
      if (t.c.$banner.get()) upAfter = s
    }
    expect(upAfter).toBeGreaterThan(30)
    expect(upAfter).toBeLessThanOrEqual(62)
  })

  it('someone who types and pauses gets the banner at the pause, as before', async () => {
    const t = pastDue('<input aria-label="Search">', () => {
      const field = document.querySelector('input')!
      field.focus()
      field.dispatchEvent(new Event('input', { bubbles: true }))
    })
    expect(t.c.$banner.get()).toBeNull()
    await t.wait(3000)
    expect(t.c.$banner.get()).toMatchObject({ id: 'card-failed' })
  })
})

describe('a failed-payment wall, due while focus sits in an embedded card form', () => {
  it('the user nine days past due, their focus left in the card number iframe, still meets the wall within about a minute, not never', async () => {
    const t = pastDue('<iframe title="Card number"></iframe>', focusCard, 9)
    expect(t.c.$wall.get()).toBeNull()
    // A vendor's debug panel asking why hears it waits, not only the days past due.
    expect(t.c.why!('card-failed')).toEqual(['waiting-for-calm'])
    let upAfter = 0
    for (let s = 1; s <= 180 && !upAfter; s++) {
      await t.wait(1000)
      if (t.c.$wall.get()) upAfter = s
    }
    expect(upAfter).toBeGreaterThan(0)
    expect(upAfter).toBeLessThanOrEqual(61)
    expect(t.events('Payment Prompt Shown').map((e) => e.properties)).toEqual([{ promptId: 'card-failed', stage: 'wall', daysPastDue: 9 }])
  })
})

describe('a failed-payment wall, due while the user writes in the page\'s own text box', () => {
  const key = () => document.querySelector('textarea')!.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true }))
  const writing = () => (document.querySelector('textarea')!.focus(), key())

  it('someone nine days past due writing a key a second for two minutes keeps their sentence: the wall, which takes focus, waits for their pause, not for a clock', async () => {
    const t = pastDue('<textarea aria-label="Reply"></textarea>', writing, 9)
    const seen: unknown[] = []
    for (let s = 0; s < 120; s++) {
      key()
      await t.wait(1000)
      if (t.c.$wall.get() && !seen.length) seen.push(`wall up at ${s + 1} s, mid-sentence`)
    }
    expect(seen).toEqual([])
    await t.wait(3000)
    expect(t.c.$wall.get()).toMatchObject({ id: 'card-failed', layout: 'modal' })
  })

  it('a wall held back at the minute mark (a tour on screen) does not open the moment the tour ends over their typing in a page field: it waits for the pause', async () => {
    const t = pastDue('<iframe title="Card number"></iframe><textarea aria-label="Reply"></textarea>', focusCard, 9)
    let tour = true
    t.host.request = () => (tour ? { show: false, reasons: ['busy'] } : { show: true, reasons: ['eligible'] })
    // A minute and more with focus parked in the card form: the wall's time came, the tour kept it out.
    await t.wait(62_000)
    expect(t.c.$wall.get()).toBeNull()
    writing()
    const seen: unknown[] = []
    for (let s = 0; s < 10; s++) {
      key()
      if (s === 3) (tour = false), t.track('Tour Completed')
      await t.wait(1000)
      if (t.c.$wall.get() && !seen.length) seen.push(`wall up at ${s + 1} s, mid-sentence`)
    }
    expect(seen).toEqual([])
    await t.wait(3000)
    expect(t.c.$wall.get()).toMatchObject({ id: 'card-failed', layout: 'modal' })
  })

  it('a new user signing in on the same page, focus in the card form, gets their own minute: not the rest of the last user\'s', async () => {
    const t = pastDue('<iframe title="Card number"></iframe>', focusCard, 9)
    await t.wait(50_000)
    const user = t.host.user as WritableAtom<UserView>
    user.set({ ...user.get(), userKey: 'u:other', traits: { paymentStatus: 'past_due', pastDueSince: new Date(t.platform.now() - 9 * 86_400_000).toISOString() } })
    await t.wait(20_000)
    expect(t.c.$wall.get()).toBeNull()
    await t.wait(45_000)
    expect(t.c.$wall.get()).toMatchObject({ id: 'card-failed', layout: 'modal' })
  })
})
