import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../../test/harness'

// German is the longest of the catalogs ("Checkliste ausblenden", "Weder leicht noch schwierig"),
// and 320 px the narrowest screen Linger promises to fit. The vendor's own text is German too
// (words of a length a line holds: a longer one breaks where it must, hyphenated or not).
const flows = {
  version: 1,
  settings: { cooldownDays: 0, locale: 'de' },
  checklists: [
    {
      id: 'start',
      title: 'Erste Schritte mit Ihrem neuen Projektbereich',
      tasks: [
        { id: 'a', title: 'Legen Sie Ihr erstes Kundenprojekt an', doneWhen: { event: 'Project Created' }, cta: { label: 'Neues Projekt', url: '#/neu' }, points: 10 },
        { id: 'b', title: 'Laden Sie Ihre Teammitglieder ein', doneWhen: { event: 'Teammate Invited' }, points: 20 },
      ],
      reward: { points: 50 },
      dismissible: true,
    },
  ],
  badges: [{ id: 'first', title: 'Projektstarter', description: 'Das erste Projekt angelegt', icon: '🚀', points: 10, rule: { event: 'Project Created' } }],
  levels: [
    { name: 'Neuling', points: 0 },
    { name: 'Fortgeschrittene', points: 100 },
  ],
  surveys: [
    { id: 'nps', kind: 'nps', question: 'Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?', trigger: { event: 'Never' } },
    { id: 'ces', kind: 'ces', question: 'Wie einfach war der Export?', trigger: { event: 'Never' } },
  ],
  tours: [
    {
      id: 'tour',
      trigger: { event: 'Never' },
      steps: [
        { id: 'one', target: '#new', title: 'Hier beginnt alles', body: 'Legen Sie hier neue Projekte an.' },
        { id: 'two', target: '#reports', title: 'Berichte', body: 'Ihre Berichte liegen hier.', url: '/berichte*' },
      ],
    },
  ],
}

const suite = useBrowserSuite({ pageErrors: 'each' })

async function open(path: string) {
  const script = `${suite.initScript({ flows })}
    linger('identify', 'de-320');
    linger.on('ready', () => (window.lingerReady = true));`
  const context = await suite.browser.newContext({ locale: 'de-DE', viewport: { width: 320, height: 640 } })
  const head = '<meta name="viewport" content="width=device-width, initial-scale=1">'
  const body = '<main><h1>Acme</h1><button id="new">Neues Projekt</button></main>'
  const { page } = await suite.open(path, suite.hostPage({ head, body, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return page
}

/**
 * What of the `tag` surface a user at 320 px cannot read: a box that leaves the screen, a box
 * whose text runs out of it, is cut off or has to be scrolled sideways, a word broken over two
 * lines, or the page itself scrolling sideways.
 */
const unreadable = (page: Page, tag: string) =>
  page.evaluate((tag) => {
    const root = document.querySelector(tag)!.shadowRoot!
    const width = document.documentElement.clientWidth
    const where = (el: Element) => `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''}: ${(el.textContent ?? '').trim().slice(0, 40)}`
    const problems: string[] = []
    for (const el of root.querySelectorAll('*')) {
      const r = el.getBoundingClientRect()
      // Visually hidden text (read out only) is 1 px by design.
      if (!r.width || getComputedStyle(el).visibility === 'hidden' || el.closest('.linger-sr')) continue
      if (r.left < -0.5 || r.right > width + 0.5) problems.push(`off screen (${Math.round(r.left)}..${Math.round(r.right)}) ${where(el)}`)
      // Wider inside than its box: a word running out of its button, or cut off. The launcher ends
      // the vendor's long title with "…" on purpose (its accessible name says it whole).
      const box = getComputedStyle(el).display !== 'inline' && !(el instanceof SVGElement)
      if (box && el.scrollWidth > el.clientWidth + 1 && !el.matches('button > .name')) problems.push(`overflows (${el.scrollWidth} in ${el.clientWidth}) ${where(el)}`)
    }
    // A word split over two lines with no hyphen ("Checkliste ausblen|den") reads as two words.
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    for (let text = walker.nextNode() as Text | null; text; text = walker.nextNode() as Text | null) {
      if (text.parentElement?.closest('.linger-sr')) continue
      for (const word of text.data.matchAll(/\S+/g)) {
        const range = document.createRange()
        range.setStart(text, word.index!)
        range.setEnd(text, word.index! + word[0].length)
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)))
        if (lines.size > 1) problems.push(`split over ${lines.size} lines: ${word[0]}`)
      }
    }
    if (document.documentElement.scrollWidth > width) problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth}`)
    return problems
  }, tag)

describe('German at 320 px: every word of every surface on screen and whole, none cut off', () => {
  it('the checklist: its launcher, and the open panel with its tasks, points and buttons', async () => {
    const page = await open('/de-checklist')
    const launcher = page.locator('linger-checklist').getByRole('button', { name: /Aufgaben erledigt/ })
    await launcher.waitFor()
    expect(await unreadable(page, 'linger-checklist')).toEqual([])
    await launcher.click()
    await page.locator('linger-checklist').getByRole('button', { name: 'Checkliste ausblenden' }).waitFor()
    expect(await unreadable(page, 'linger-checklist')).toEqual([])
  })

  it('the badge shelf, with its level, the points to the next one and a locked badge', async () => {
    const page = await open('/de-badges')
    await page.evaluate(() => (window as any).linger.track('Project Created'))
    await page.locator('linger-badge-toast').getByText('Projektstarter').waitFor()
    await page.getByRole('button', { name: 'Abzeichen', exact: true }).click()
    const shelf = page.getByRole('dialog', { name: 'Ihre Abzeichen' })
    await expect.poll(() => shelf.textContent()).toContain('Noch 80 Punkte bis Fortgeschrittene')
    const tag = await shelf.evaluate((el) => (el.getRootNode() as ShadowRoot).host.tagName.toLowerCase())
    expect(await unreadable(page, tag)).toEqual([])
  })

  it('an NPS and a 7-point effort survey: the scale, its ends ("Sehr unwahrscheinlich") and the buttons', async () => {
    const page = await open('/de-surveys')
    await page.evaluate(() => (window as any).linger.show('nps'))
    const card = page.locator('linger-survey [role="dialog"]')
    await expect.poll(() => card.textContent()).toContain('Sehr unwahrscheinlich')
    expect(await unreadable(page, 'linger-survey')).toEqual([])
    await card.getByRole('button', { name: 'Umfrage schließen' }).click()
    await expect.poll(() => card.count()).toBe(0)
    await page.evaluate(() => (window as any).linger.show('ces'))
    await expect.poll(() => card.textContent()).toContain('Sehr leicht')
    expect(await unreadable(page, 'linger-survey')).toEqual([])
  })

  it('a tour: a step with its progress and buttons, and the step on another page ("Tour beenden", "Dorthin")', async () => {
    const page = await open('/de-tour')
    await page.evaluate(() => (window as any).linger.show('tour'))
    const tip = page.locator('linger-tours').getByRole('dialog')
    await expect.poll(() => tip.textContent()).toContain('1 von 2')
    expect(await unreadable(page, 'linger-tours')).toEqual([])
    await tip.getByRole('button', { name: 'Weiter' }).click()
    await page.locator('linger-tours').getByRole('button', { name: 'Tour beenden' }).waitFor()
    expect(await unreadable(page, 'linger-tours')).toEqual([])
  })
})

describe('a German word too long for its line', () => {
  it('may break only where German breaks it, with a hyphen ("Kundenprojekt-verwaltung"): every text in the surface is German to the browser, with `hyphens: auto`', async () => {
    // The browser hyphenates only text it knows the language of (`lang` on the surface) and
    // only with `hyphens: auto`; `overflow-wrap: anywhere` alone cuts "Kundenprojektverwa|ltung".
    const page = await open('/de-hyphens')
    const launcher = page.locator('linger-checklist').getByRole('button', { name: /Aufgaben erledigt/ })
    await launcher.click()
    await page.locator('linger-checklist').getByText('Legen Sie Ihr erstes Kundenprojekt an').waitFor()
    const unhyphenated = await page.evaluate(() => {
      const root = document.querySelector('linger-checklist')!.shadowRoot!
      const texts = [...root.querySelectorAll('*')].filter((el) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim()))
      return texts.filter((el) => getComputedStyle(el).hyphens !== 'auto' || !el.matches(':lang(de)')).map((el) => `${el.tagName.toLowerCase()} (${getComputedStyle(el).hyphens}): ${el.textContent!.trim().slice(0, 30)}`)
    })
    expect(unhyphenated).toEqual([])
  })
})
