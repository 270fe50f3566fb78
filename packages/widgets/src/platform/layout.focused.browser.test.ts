import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A keyboard user typing in the page's field near the bottom of a small window (a laptop at 200 %
// zoom is 640×400 CSS px): the launcher over any part of that field steps aside, not only one over
// its middle. Their words appear at its start, under "What's new"; the end of a wide one is what
// they read as they type.
const checklist = { id: 'getting-started', title: 'Get started', tasks: [{ id: 'project', title: 'Create a project', doneWhen: { event: 'Project Created' } }] }
const feed = { id: 'templates', format: 'feed', title: 'Invoice templates', body: 'Save a layout once, reuse it.', publishedAt: '2026-02-20' }

const suite = useBrowserSuite({ pageErrors: 'each' })

async function open(user: string, body: string, flows: object, reducedMotion: 'reduce' | 'no-preference' = 'no-preference') {
  const script = `${suite.initScript({ flows: { settings: { cooldownDays: 0 }, ...flows } })}
    linger('identify', ${JSON.stringify(user)});
    linger.on('ready', () => (window.lingerReady = true));`
  const context = await suite.browser.newContext({ viewport: { width: 640, height: 400 }, reducedMotion })
  const { page } = await suite.open(`/${user}`, suite.hostPage({ body, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return page
}

const frames = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))

/** What a click lands on at the start, the middle and the end of the page's focused element (its middle line). */
const along = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement!
    const r = el.getBoundingClientRect()
    const y = (r.top + r.bottom) / 2
    return [r.left + 8, (r.left + r.right) / 2, r.right - 8].map((x) => document.elementFromPoint(x, y)?.localName)
  })

// "Task title" with its top at y 362, as in the demo's #/projects scrolled: the launchers' row is 350–384.
const form = (style: string) =>
  `<style>body,h1{margin:0}</style><main style="position:relative;height:400px"><h1>Projects</h1><a id="back" href="#back">All projects</a>
    <input id="title" aria-label="Task title" style="position:absolute;top:362px;${style};box-sizing:border-box;width:478px;height:32px"></main>`

/**
 * Tabs from the link before the field into it and types `words`: the field is what a press at its
 * start, middle and end lands on, nothing of `launcher` over it; Shift+Tab away, the launcher is back.
 */
async function typeInTheField(page: Page, launcher: Locator, words: string) {
  await launcher.waitFor()
  await page.locator('#back').focus()
  await page.keyboard.press('Tab')
  await page.keyboard.type(words)
  await frames(page)
  expect(await page.evaluate(() => document.activeElement!.id)).toBe('title')
  expect(await along(page)).toEqual(['input', 'input', 'input'])
  await page.keyboard.press('Shift+Tab')
  await expect.poll(() => launcher.isVisible()).toBe(true)
  await page.context().close()
}

describe('a keyboard user typing in the page\'s wide field near the bottom of a 640×400 window', () => {
  it('"What\'s new" over the start of the field, where the words appear, steps aside while they type, and is back once focus moves on', async () => {
    const page = await open('focused-start', form('left:16px'), { announcements: [feed] })
    await typeInTheField(page, page.locator('linger-announcements-feed').getByRole('button', { name: /What's new/ }), 'Draft the Q3 plan')
  })

  it('the checklist launcher over only the end of the field steps aside too', async () => {
    const page = await open('focused-end', form('right:16px'), { checklists: [checklist] })
    await typeInTheField(page, page.locator('linger-checklist').getByRole('button').first(), '')
  })
})

describe('a keyboard user following a link that moves focus to the app\'s content area, under half the window', () => {
  it('keeps the launcher over the content: it is no field, and its middle is clear', async () => {
    // A sidebar, and the content pane the app focuses as its route changes (a11y routers do), the
    // launcher over its end.
    const body = `<style>body{margin:0}</style><nav style="position:fixed;top:0;left:0;width:200px;bottom:0"><a id="route" href="#projects">Projects</a></nav>
      <main id="content" tabindex="-1" style="position:absolute;top:290px;left:200px;right:0;height:110px">Projects</main>
      <script>document.getElementById('route').addEventListener('click', (e) => { e.preventDefault(); document.getElementById('content').focus() })</script>`
    const page = await open('focused-main', body, { checklists: [checklist] })
    const launcher = page.locator('linger-checklist').getByRole('button').first()
    await launcher.waitFor()
    // The launcher overlaps the content pane, not its middle.
    const [l, m] = await Promise.all([launcher.boundingBox(), page.locator('#content').boundingBox()])
    expect(l!.y < m!.y + m!.height && l!.y + l!.height > m!.y).toBe(true)
    await page.locator('#route').focus()
    await page.keyboard.press('Enter')
    await frames(page)
    expect(await page.evaluate(() => document.activeElement!.id)).toBe('content')
    expect(await page.evaluate(() => document.activeElement!.matches(':focus-visible'))).toBe(true)
    expect(await launcher.isVisible()).toBe(true)
    await page.context().close()
  })
})

describe('a keyboard user writing in the page\'s editor that fills the window', () => {
  it('keeps the launchers while the caret is clear of them, and sees the words they type under one', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `<p>Line ${i + 1}</p>`).join('')
    const body = `<style>#doc p{margin:0}</style><a id="back" href="#back">Docs</a><div id="doc" contenteditable="true" style="position:fixed;inset:24px 0 0 0;margin:0;padding:0 24px;overflow:auto;line-height:30px">${lines}</div>`
    const page = await open('focused-editor', body, { announcements: [feed], checklists: [checklist] })
    const feedLauncher = page.locator('linger-announcements-feed').getByRole('button', { name: /What's new/ })
    const checklistLauncher = page.locator('linger-checklist').getByRole('button').first()
    await feedLauncher.waitFor()
    await checklistLauncher.waitFor()
    await page.locator('#back').focus()
    await page.keyboard.press('Tab')
    await frames(page)
    expect(await page.evaluate(() => document.activeElement!.id)).toBe('doc')
    // The caret at the top of the page-sized editor: nothing is over it, both launchers stay.
    expect(await feedLauncher.isVisible()).toBe(true)
    expect(await checklistLauncher.isVisible()).toBe(true)
    // Down to the line under "What's new", and typing there: what they type shows.
    await page.evaluate(() => {
      const p = document.querySelectorAll('#doc p')[11].firstChild!
      getSelection()!.collapse(p, 0)
    })
    await page.keyboard.type('Hello ')
    await frames(page)
    const at = await page.evaluate(() => {
      const r = getSelection()!.getRangeAt(0).getBoundingClientRect()
      return document.elementFromPoint(r.left + 2, (r.top + r.bottom) / 2)?.localName
    })
    expect(at).toBe('p')
    await page.context().close()
  })
})

describe('a keyboard user who asked for reduced motion', () => {
  it('tabs from the page\'s last link, which the checklist launcher stepped aside from, on to the launcher: it is not skipped', async () => {
    // Reduced motion makes every transition 1 ms long: the launcher's button came back from hidden
    // a moment after the Tab that was to reach it.
    const body = '<style>body{margin:0}</style><main style="height:100vh;position:relative"><a id="first" href="#first">First</a><a id="contact" href="#contact" style="position:absolute;right:40px;bottom:30px">Contact</a></main>'
    const page = await open('focused-reduced', body, { checklists: [checklist] }, 'reduce')
    const launcher = page.locator('linger-checklist').getByRole('button').first()
    await launcher.waitFor()
    await page.locator('#first').focus()
    await page.keyboard.press('Tab')
    await frames(page)
    expect(await page.evaluate(() => document.activeElement!.id)).toBe('contact')
    await expect.poll(() => launcher.isVisible()).toBe(false)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement!.localName)).toBe('linger-checklist')
    await page.context().close()
  })
})
