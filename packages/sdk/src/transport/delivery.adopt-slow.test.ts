import { describe, expect, it, vi } from 'vitest'
import { ADOPT_AFTER_START_MS } from './sender'
import { afterAGoneTab } from './gone-tab.fixture'

// The adoption chunk is on a slow network: it never arrives while this test runs.
vi.mock('./adopt', () => new Promise(() => {}))

describe('while the chunk that adopts gone tabs’ outboxes is on its way', () => {
  it('this tab’s own events leave on time all the same', async () => {
    const { open } = await afterAGoneTab()
    open.track(1)
    // It has asked for the chunk: storage holds another tab's outbox.
    await open.p.advance(ADOPT_AFTER_START_MS + 100)
    const before = open.sent().length
    // A full batch leaves at once, and a flush completes, with the chunk still not here.
    const full = open.track(100)
    await open.p.advance(0)
    expect(open.sent().slice(before)).toEqual(full)
    const one = open.track(1)
    await open.d.flush()
    expect(open.sent().slice(-1)).toEqual(one)
    expect(open.errors).toEqual([])
  })
})
