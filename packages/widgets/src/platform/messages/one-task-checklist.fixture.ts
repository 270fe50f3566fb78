import type { Locator } from 'playwright-core'
import type { BrowserSuite } from '../../../../../test/harness'

/**
 * The page the language tests share: a browser set to `locale`, a checklist of one task titled by
 * the vendor's `title`, its panel opened. Tracking `Project Created` finishes it, so its "You
 * finished …" sentence shows the vendor's text inside one of Linger's own.
 */
export async function openOneTaskChecklist(suite: BrowserSuite, { path, locale, title, task = 'Create a project' }: { path: string; locale: string; title: string; task?: string }) {
  const flows = { version: 1, settings: { cooldownDays: 0 }, checklists: [{ id: 'start', title, tasks: [{ id: 'a', title: task, doneWhen: { event: 'Project Created' } }] }] }
  const script = `${suite.initScript({ flows })} linger('identify', ${JSON.stringify(`user${path.replace(/\W/g, '-')}`)}); linger.on('ready', () => (window.lingerReady = true));`
  const context = await suite.browser.newContext({ locale, viewport: { width: 800, height: 700 }, reducedMotion: 'reduce' })
  const { page } = await suite.open(path, suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  await page.locator('linger-checklist .launcher button.pill').click()
  // Attached: a title of invisible characters makes an empty-looking heading.
  await page.locator('linger-checklist h2').waitFor({ state: 'attached' })
  return { page, context, finished: page.locator('linger-checklist .done-box > span') }
}

/**
 * Where the two characters of `pair` are drawn (its last occurrence in `el`'s text): a reordered
 * line keeps its text in order but draws the second character before the first.
 */
export const drawnPair = (el: Locator, pair: string) =>
  el.evaluate((node, pair) => {
    const text = [...node.childNodes].find((n) => n.nodeType === 3 && n.textContent!.includes(pair)) as Text
    const at = text.data.lastIndexOf(pair)
    return [at, at + 1].map((i) => {
      const range = document.createRange()
      range.setStart(text, i)
      range.setEnd(text, i + 1)
      const r = range.getBoundingClientRect()
      return { left: r.left, right: r.right, char: text.data[i] }
    })
  }, pair)
