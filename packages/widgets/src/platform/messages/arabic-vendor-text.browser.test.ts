import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../../test/harness'
import { drawnPair, openOneTaskChecklist } from './one-task-checklist.fixture'

// An English app, an Arabic browser, no locale option: Arabic messages around the vendor's
// English text, laid out right to left. Build first (see the brief in README: LINGER_CDN_DIR).
const suite = useBrowserSuite({ pageErrors: 'each' })

describe('the vendor\'s English text inside an Arabic message', () => {
  it('an Arabic user who finishes "Set up your workspace!" reads the title whole in "لقد أنهيت «…»": its "!" ends it, not thrown to its front', async () => {
    const { page, context, finished } = await openOneTaskChecklist(suite, { path: '/ar-english-title', locale: 'ar', title: 'Set up your workspace!' })
    await page.evaluate(() => (window as any).linger.track('Project Created'))
    await expect.poll(() => finished.textContent()).toContain('workspace')
    // Where "workspace"'s last letter and the "!" after it are drawn.
    const [e, bang] = await drawnPair(finished, 'e!')
    expect([e.char, bang.char]).toEqual(['e', '!'])
    // "workspace!" and not "!Set up your workspace": the mark is drawn right after the word.
    expect(bang.left).toBeGreaterThanOrEqual(e.right - 1)
    await context.close()
  })
})
