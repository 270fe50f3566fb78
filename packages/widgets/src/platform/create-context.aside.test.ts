// @vitest-environment jsdom
import { atom } from 'nanostores'
import { describe, expect, it } from 'vitest'
import type { Linger } from '@linger/sdk'
import { buildPlatform } from './create-context'
import { messages as en } from './messages/en'

// Whether a notice is aside is asked before it is counted shown; asked of a widget that has drawn
// nothing yet, it is asked again a microtask later. Announcements and billing ask with a new
// callback each time, as here.
function platformWithNothingDrawn() {
  const linger = { host: { options: {}, flows: atom({ version: 1 }), reportError: () => {} } } as unknown as Linger
  const platform = buildPlatform(linger, { locale: 'en' }, en, en)
  platform.contextFor('announcements', () => {})
  return platform
}

describe('a notice whose widget has drawn nothing yet', () => {
  it('is asked about once more, then counted shown once: the tab does not spin asking for ever', async () => {
    const platform = platformWithNothingDrawn()
    let asks = 0
    let shown = 0
    // Capped: without an answer, the page would hang here.
    const look = () => void (++asks > 200 || platform.aside('announcements', () => look()) || shown++)
    look()
    await new Promise((r) => setTimeout(r))
    expect({ asks, shown }).toEqual({ asks: 2, shown: 1 })
    platform.dispose()
  })

  it('has its banner and its modal, asked of in the same moment, each asked about once more and counted once', async () => {
    const platform = platformWithNothingDrawn()
    const shown: string[] = []
    let asks = 0
    const look = (what: string, again = false): void =>
      void (++asks > 200 || platform.aside('announcements', () => look(what, true)) || shown.push(`${what}${again ? ' (asked again)' : ''}`))
    look('banner')
    look('modal')
    expect(shown).toEqual([])
    await new Promise((r) => setTimeout(r))
    expect(shown).toEqual(['banner (asked again)', 'modal (asked again)'])
    platform.dispose()
  })
})
