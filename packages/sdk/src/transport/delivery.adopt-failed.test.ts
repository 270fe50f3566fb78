import { describe, expect, it, vi } from 'vitest'
import { ADOPT_AFTER_START_MS } from './sender'
import { afterAGoneTab } from './gone-tab.fixture'

// The adoption chunk does not load (offline, a CDN hiccup): a browser then keeps the failure for
// the page's life, as this mock does for the file.
vi.mock('./adopt', () => {
  throw new Error('chunk did not load')
})

describe('when the chunk that adopts gone tabs’ outboxes does not load', () => {
  it('this tab still sends its own events, says so once, and leaves the gone tab’s outbox for the next page', async () => {
    const { shared, goneKey, open } = await afterAGoneTab()
    const first = open.track(3)
    await open.p.advance(ADOPT_AFTER_START_MS + 1000)
    await vi.waitFor(() => expect(open.errors.map((e) => e.code)).toEqual(['internal']))
    // The adoption's failure, not another one inside delivery.
    expect(open.errors[0].message).toMatch(/^delivery: adopt: /)
    const later = open.track(2)
    await open.p.advance(60_000)
    expect(open.sent()).toEqual([...first, ...later])
    // Reported once, not on every look.
    expect(open.errors).toHaveLength(1)
    expect(shared.has(goneKey)).toBe(true)
  })
})
