import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// The vendor's text (or a teammate's name it passes through) holding a bidi control and no
// right-to-left letter: an unclosed U+202E (right-to-left override) reversed the rest of
// Linger's own sentence around it. Build first (see the brief in README: LINGER_CDN_DIR).
const suite = useBrowserSuite({ pageErrors: 'each' })

const title = '\u202e'
const flows = {
  version: 1,
  settings: { cooldownDays: 0 },
  checklists: [{ id: 'start', title, tasks: [{ id: 'a', title: 'Create a project', doneWhen: { event: 'Project Created' } }] }],
}

describe('the vendor\'s text made only of bidi controls inside an English message', () => {
  it('an English user who finishes a checklist titled with a lone U+202E reads "You finished “”." in order: the closing quote and the full stop are not swapped', async () => {
    const script = `${suite.initScript({ flows })} linger('identify', 'bidi-1'); linger.on('ready', () => (window.lingerReady = true));`
    const context = await suite.browser.newContext({ locale: 'en-US', viewport: { width: 800, height: 700 }, reducedMotion: 'reduce' })
    const { page } = await suite.open('/bidi-controls', suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.locator('linger-checklist .launcher button.pill').click()
    await page.locator('linger-checklist h2').waitFor({ state: 'attached' })
    await page.evaluate(() => (window as any).linger.track('Project Created'))
    const body = page.locator('linger-checklist .done-box > span')
    await expect.poll(() => body.textContent()).toContain('You finished')
    // Where the closing quote and the full stop after the title are drawn.
    const [quote, stop] = await body.evaluate((el) => {
      const text = [...el.childNodes].find((n) => n.nodeType === 3 && n.textContent!.includes('You finished'))! as Text
      const at = text.data.lastIndexOf('”')
      return [at, at + 1].map((i) => {
        const range = document.createRange()
        range.setStart(text, i)
        range.setEnd(text, i + 1)
        const r = range.getBoundingClientRect()
        return { left: r.left, right: r.right, char: text.data[i] }
      })
    })
    expect([quote.char, stop.char]).toEqual(['”', '.'])
    // "”." and not ".”": the full stop is drawn after the quote, to its right.
    expect(stop.left).toBeGreaterThanOrEqual(quote.right - 1)
    await context.close()
  })
})
