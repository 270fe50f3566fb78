// @vitest-environment jsdom
import type { Linger } from '@linger/sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/preact'
import { createReviews } from '../../../sdk/src/experiences/reviews'
import { createTestHost } from '../../../sdk/src/experiences/badges/test-host'
import { createFakePlatform } from '../../../sdk/src/fake-platform'
import { createTestContext } from '../platform/test-context'
import { ReviewCard } from './view'
import { messages as english } from '../platform/messages/en'
import { messages } from './messages-en'

// As render() does when the chunk loads: its English texts join the catalog.
Object.assign(english, messages)

afterEach(cleanup)

function setup(at: string, locale = 'en') {
  const platform = createFakePlatform({ now: new Date(at).getTime() })
  const t = createTestHost(
    { valueReviews: [{ id: 'month', title: 'Your month in Acme', schedule: 'manual', items: [{ event: 'Invoice Sent', label: 'Invoices sent' }, { trait: 'hoursSaved', label: 'Hours saved' }] }] } as never,
    { platform },
  )
  const reviews = createReviews(t.host)
  const linger = { host: t.host, experiences: { reviews } } as unknown as Linger
  return { ...t, reviews, ctx: createTestContext({ linger, locale }) }
}

/** The user sends `invoices` invoices now, then asks for their month so far: the card on screen. */
function openCard(s: ReturnType<typeof setup>, invoices = 0) {
  act(() => {
    for (let i = 0; i < invoices; i++) s.track('Invoice Sent')
    s.reviews.show!('month')
  })
  render(<ReviewCard ctx={s.ctx} controller={s.reviews} />)
  return screen.getByRole('region', { name: 'Your month in Acme' })
}

describe('the value review card', () => {
  it('shows this month so far against the same days of last month, and closes with Escape', async () => {
    // A user Linger has seen since October: the first days of November are days it saw.
    const s = setup('2026-10-30T10:00:00')
    s.track('Signed In')
    await s.platform.advance(new Date('2026-12-03T10:00:00').getTime() - s.platform.now())
    const card = openCard(s, 2)
    expect(card.textContent).toContain('December 2026 so far')
    expect(card.textContent).toContain('Invoices sent2+2 vs the same days of November 2026')
    // A trait the vendor did not supply is left out, not shown as 0.
    expect(card.textContent).not.toContain('Hours saved')
    // Shown without taking focus from the page.
    expect(document.activeElement).toBe(document.body)
    fireEvent.keyDown(card, { key: 'Escape' })
    expect(s.reviews.$state.get().step).toBe('closed')
  })

  it('a user Linger first saw this month: their numbers, and no "+2" against days it never saw', () => {
    const s = setup('2026-12-03T10:00:00')
    const card = openCard(s, 2)
    expect(card.querySelector('dl')!.textContent).toBe('Invoices sent2')
  })

  it('one invoice in the first days of December as in those of November (and five in all November): not "Same as November"', async () => {
    const s = setup('2026-10-30T10:00:00')
    s.track('Signed In')
    const to = (at: string) => s.platform.advance(new Date(at).getTime() - s.platform.now())
    await to('2026-11-02T10:00:00')
    s.track('Invoice Sent')
    await to('2026-11-20T10:00:00')
    for (let i = 0; i < 4; i++) s.track('Invoice Sent')
    await to('2026-12-02T10:00:00')
    s.track('Invoice Sent')
    await to('2026-12-03T10:00:00')
    expect(openCard(s).querySelector('dl')!.textContent).toBe('Invoices sent1+0 vs the same days of November 2026')
  })

  it('says there is nothing yet instead of a card of zeros', () => {
    const s = setup('2026-12-03T10:00:00')
    expect(openCard(s).textContent).toContain('Nothing to review for this month yet.')
  })
})
