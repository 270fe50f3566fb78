import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../../test/harness'

// An English app, an Arabic browser, no locale option: Arabic messages around the vendor's
// English text, laid out right to left. Build first (see the brief in README: LINGER_CDN_DIR).
const suite = useBrowserSuite({ pageErrors: 'each' })

const title = 'Set up your workspace!'
const flows = {
  version: 1,
  settings: { cooldownDays: 0 },
  checklists: [{ id: 'start', title, tasks: [{ id: 'a', title: 'Create a project', doneWhen: { event: 'Project Created' } }] }],
}

describe('the vendor\'s English text inside an Arabic message', () => {
  it('an Arabic user who finishes "Set up your workspace!" reads the title whole in "لقد أنهيت «…»": its "!" ends it, not thrown to its front', async () => {
    const script = `${suite.initScript({ flows })} linger('identify', 'ar-1'); linger.on('ready', () => (window.lingerReady = true));`
    const context = await suite.browser.newContext({ locale: 'ar', viewport: { width: 800, height: 700 }, reducedMotion: 'reduce' })
    const { page } = await suite.open('/ar-english-title', suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.locator('linger-checklist .launcher button.pill').click()
    await page.locator('linger-checklist h2').waitFor()
    await page.evaluate(() => (window as any).linger.track('Project Created'))
    const body = page.locator('linger-checklist .done-box > span')
    await expect.poll(() => body.textContent()).toContain('workspace')
    // Where "workspace"'s last letter and the "!" after it are drawn.
    const [e, bang] = await body.evaluate((el, title) => {
      const text = [...el.childNodes].find((n) => n.nodeType === 3 && n.textContent!.includes(title.slice(0, 6)))! as Text
      const at = text.data.indexOf(title.slice(0, 6)) + title.length - 2
      return [at, at + 1].map((i) => {
        const range = document.createRange()
        range.setStart(text, i)
        range.setEnd(text, i + 1)
        const r = range.getBoundingClientRect()
        return { left: r.left, right: r.right, char: text.data[i] }
      })
    }, title)
    expect([e.char, bang.char]).toEqual(['e', '!'])
    // "workspace!" and not "!Set up your workspace": the mark is drawn right after the word.
    expect(bang.left).toBeGreaterThanOrEqual(e.right - 1)
    await context.close()
  })
})
