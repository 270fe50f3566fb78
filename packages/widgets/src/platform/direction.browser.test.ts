import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { setupBrowserSuite } from '../../../../test/harness'

// A right-to-left page whose users' browser asks for English: the widgets lay out right to left
// (the page's direction), and Linger's own messages are English. Those still read in English order.
const flows = {
  settings: { cooldownDays: 0 },
  checklists: [
    {
      id: 'start',
      title: 'Get started',
      tasks: [
        { id: 'a', title: 'Create a project', doneWhen: { event: 'Project Created' }, points: 10 },
        { id: 'b', title: 'Invite a teammate', doneWhen: { event: 'Teammate Invited' } },
      ],
    },
  ],
}

let suite: Awaited<ReturnType<typeof setupBrowserSuite>>
beforeAll(async () => {
  suite = await setupBrowserSuite()
})
afterEach(() => expect(suite.pageErrors).toEqual([]))
afterAll(() => suite.close())

/**
 * Left edges (px) of each `part` of the text shown in the element at `selector` in the `tag`
 * surface, in the order given: increasing, it reads left to right.
 */
const lefts = (page: Page, tag: string, selector: string, parts: string[]) =>
  page.evaluate(
    ([tag, selector, parts]) => {
      const el = document.querySelector(tag)!.shadowRoot!.querySelector(selector)!
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
      const text = walker.nextNode() as Text
      let from = 0
      return (parts as string[]).map((part) => {
        const at = text.data.indexOf(part, from)
        from = at + part.length
        const range = document.createRange()
        range.setStart(text, at)
        range.setEnd(text, at + part.length)
        return Math.round(range.getBoundingClientRect().left)
      })
    },
    [tag, selector, parts] as const,
  )

describe('Linger’s English messages on a right-to-left page', () => {
  it('the open checklist says "0 of 2 tasks done" and "+10" in English order, not "of 2 tasks done 0" and "10+"', async () => {
    const script = `document.documentElement.dir = 'rtl';
      ${suite.initScript({ flows })}
      linger('identify', 'rtl-en');
      linger.on('ready', () => (window.lingerReady = true));`
    const context = await suite.browser.newContext({ locale: 'en-US', viewport: { width: 375, height: 700 } })
    const { page } = await suite.open('/rtl-en', suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.locator('linger-checklist').getByRole('button', { name: /Get started/ }).click()
    await page.locator('linger-checklist p.meta').waitFor()
    // The panel is laid out right to left, as the page is.
    expect(await page.locator('linger-checklist').getAttribute('dir')).toBe('rtl')
    const [zero, of, four] = await lefts(page, 'linger-checklist', 'p.meta', ['0', 'of', '2'])
    expect(zero).toBeLessThan(of)
    expect(of).toBeLessThan(four)
    const [plus, ten] = await lefts(page, 'linger-checklist', '.pts', ['+', '10'])
    expect(plus).toBeLessThan(ten)
    await context.close()
  })
})
