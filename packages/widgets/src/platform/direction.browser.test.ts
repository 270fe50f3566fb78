import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

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

const suite = useBrowserSuite({ pageErrors: 'each' })

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

/** Left edges (px) of each of `parts`, found in turn in the text nodes of `el` (and its children). */
const drawnAt = (el: Element, parts: string[]) => {
  const walker = el.ownerDocument.createTreeWalker(el, NodeFilter.SHOW_TEXT)
  const nodes: Text[] = []
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text)
  return parts.map((part) => {
    const node = nodes.find((n) => n.data.includes(part))!
    const range = el.ownerDocument.createRange()
    range.setStart(node, node.data.indexOf(part))
    range.setEnd(node, node.data.indexOf(part) + part.length)
    return Math.round(range.getBoundingClientRect().left)
  })
}

describe('signs and names across directions, as a reader sees them', () => {
  it('an Arabic user sees a task worth 10 points as "+10", the way Arabic writes a signed number, not "10+"', async () => {
    const script = `${suite.initScript({ flows })}
      linger('identify', 'ar-points');
      linger.on('ready', () => (window.lingerReady = true));`
    const context = await suite.browser.newContext({ locale: 'ar', viewport: { width: 375, height: 700 } })
    const { page } = await suite.open('/ar-points', suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.locator('linger-checklist .launcher button.pill').click()
    const pts = page.locator('linger-checklist .pts [aria-hidden="true"]')
    await pts.waitFor()
    expect(await page.locator('linger-checklist').getAttribute('dir')).toBe('rtl')
    // Where Chromium draws the same number as the language's own signed form (Intl.NumberFormat).
    const [plus, ten] = await pts.evaluate(drawnAt, ['+', '10'])
    const [ownPlus, ownTen] = await pts.evaluate((el) => {
      const probe = el.ownerDocument.createElement('span')
      probe.textContent = new Intl.NumberFormat('ar', { signDisplay: 'always' }).format(10)
      el.parentElement!.append(probe)
      const at = [(probe.textContent!.indexOf('+')), probe.textContent!.indexOf('10')].map((i) => {
        const range = el.ownerDocument.createRange()
        range.setStart(probe.firstChild!, i)
        range.setEnd(probe.firstChild!, i + (i ? 2 : 1))
        return range.getBoundingClientRect().left
      })
      probe.remove()
      return at
    })
    expect(ownPlus).toBeLessThan(ownTen)
    expect(plus).toBeLessThan(ten)
    await context.close()
  })

  it('an English user whose levels have Arabic names reads "Level: مبتدئ · 50 points" in the badges, not "Level: 50 · مبتدئ points"', async () => {
    const arabicLevels = {
      version: 1,
      settings: { cooldownDays: 0 },
      badges: [{ id: 'finder', title: 'Finder', points: 50, rule: { event: 'Found', count: { gte: 1 } } }],
      levels: [
        { name: 'مبتدئ', points: 0 },
        { name: 'خبير', points: 100 },
      ],
    }
    const script = `${suite.initScript({ flows: arabicLevels })}
      linger('identify', 'en-levels');
      linger.on('ready', () => (window.lingerReady = true));`
    const context = await suite.browser.newContext({ locale: 'en-US', viewport: { width: 800, height: 700 }, reducedMotion: 'reduce' })
    const { page } = await suite.open('/en-arabic-levels', suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(() => (window as any).linger.track('Found'))
    await page.locator('linger-badge-toast aside').waitFor()
    await page.evaluate(() => (window as any).linger.show('badges'))
    const level = page.locator('linger-badge-shelf .head p.level')
    await expect.poll(() => level.textContent()).toContain('50')
    expect(await page.locator('linger-badge-shelf').getAttribute('dir')).toBe('ltr')
    // Left to right, as written: "Level:", the level's name, then its points.
    const [label, name, points] = await level.evaluate(drawnAt, ['Level', 'مبتدئ', '50'])
    expect(label).toBeLessThan(name)
    expect(name).toBeLessThan(points)
    await context.close()
  })
})
