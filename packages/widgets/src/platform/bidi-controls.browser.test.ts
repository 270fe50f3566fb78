import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { drawnPair, openOneTaskChecklist } from './messages/one-task-checklist.fixture'

// The vendor's text (or a teammate's name it passes through) holding a bidi control and no
// right-to-left letter: an unclosed U+202E (right-to-left override) reversed the rest of
// Linger's own sentence around it. Build first (see the brief in README: LINGER_CDN_DIR).
const suite = useBrowserSuite({ pageErrors: 'each' })

describe('the vendor\'s text made only of bidi controls inside an English message', () => {
  it('an English user who finishes a checklist titled with a lone U+202E reads "You finished “”." in order: the closing quote and the full stop are not swapped', async () => {
    const { page, context, finished } = await openOneTaskChecklist(suite, { path: '/bidi-controls', locale: 'en-US', title: '\u202e' })
    await page.evaluate(() => (window as any).linger.track('Project Created'))
    await expect.poll(() => finished.textContent()).toContain('You finished')
    const [quote, stop] = await drawnPair(finished, '”.')
    expect([quote.char, stop.char]).toEqual(['”', '.'])
    // "”." and not ".”": the full stop is drawn after the quote, to its right.
    expect(stop.left).toBeGreaterThanOrEqual(quote.right - 1)
    await context.close()
  })
})
