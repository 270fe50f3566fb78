import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// The launchers step aside from the words a user types, where they are on screen: the line of a
// tall textarea they type on, an editor's caret inside the app's own web component, the part of a
// field their app's scrolling panel shows. And what the user pressed last is not kept alive after
// the app removed it. In real Chromium, a laptop at 200 % zoom (640×400 CSS px).
const checklist = { id: 'getting-started', title: 'Get started', tasks: [{ id: 'project', title: 'Create a project', doneWhen: { event: 'Project Created' } }] }
const feed = { id: 'templates', format: 'feed', title: 'Invoice templates', body: 'Save a layout once, reuse it.', publishedAt: '2026-02-20' }

const suite = useBrowserSuite({ pageErrors: 'each' })

async function open(user: string, body: string, flows: object, script = '') {
  const init = `${suite.initScript({ flows: { settings: { cooldownDays: 0 }, ...flows } })}
    linger('identify', ${JSON.stringify(user)});
    linger.on('ready', () => (window.lingerReady = true)); ${script}`
  const context = await suite.browser.newContext({ viewport: { width: 640, height: 400 } })
  const { page } = await suite.open(`/${user}`, suite.hostPage({ body, script: init }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return page
}

const frames = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))

/** Whether the launcher's box (read while shown) and the band from `top` to `bottom` share a row. */
const over = (l: { y: number; height: number }, top: number, bottom: number) => l.y < bottom && top < l.y + l.height

describe('a user writing a long note in the page\'s textarea that fills the window', () => {
  it('keeps the checklist launcher while they write the first lines, and sees the line they type under it once they get there', async () => {
    // 20 px lines from y 24: line 17 (344–364) runs under the launchers' row at the bottom; the
    // textarea's middle (y 212) never does. Tabular numbers, as a design system sets them: its
    // `font` then reads '' in Chromium.
    const body = `<a id="back" href="#back">Notes</a><textarea id="note" aria-label="Note" style="position:fixed;inset:24px 0 0 0;width:100%;height:376px;box-sizing:border-box;margin:0;padding:0 24px;border:0;font:16px/20px monospace;font-variant-numeric:tabular-nums;resize:none"></textarea>`
    const page = await open('caret-textarea', body, { checklists: [checklist] })
    const launcher = page.locator('linger-checklist').getByRole('button').first()
    await launcher.waitFor()
    const box = (await launcher.boundingBox())!
    await page.locator('#back').focus()
    await page.keyboard.press('Tab')
    await page.keyboard.type('Standup notes')
    await frames(page)
    expect(await page.evaluate(() => document.activeElement!.id)).toBe('note')
    // The caret on the first line: the launcher is over nothing they type.
    expect(await launcher.isVisible()).toBe(true)
    for (let line = 2; line <= 17; line++) {
      await page.keyboard.press('Enter')
      await page.keyboard.type(`Item ${line}`)
    }
    await frames(page)
    // The launcher is where line 17 is: it steps aside while they type there.
    expect(over(box, 344, 364)).toBe(true)
    expect(await launcher.isVisible()).toBe(false)
    // Back up to the top of the note: the launcher is back.
    await page.keyboard.press('Control+Home')
    await expect.poll(() => launcher.isVisible()).toBe(true)
    await page.context().close()
  })
})

describe('a user writing in the editor of the app\'s own web component, filling the window', () => {
  it('sees the words they type on the last line, under "What\'s new": the caret inside its shadow root is followed', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `<p>Line ${i + 1}</p>`).join('')
    const script = `customElements.define('app-editor', class extends HTMLElement { connectedCallback() { if (this.shadowRoot) return;
      this.attachShadow({ mode: 'open' }).innerHTML = '<style>p{margin:0}</style><div id="doc" contenteditable="true" style="position:fixed;inset:24px 0 0 0;padding:0 24px;overflow:auto;line-height:30px">${lines}</div>' } })`
    const page = await open('caret-shadow', '<a id="back" href="#back">Docs</a><app-editor></app-editor>', { announcements: [feed], checklists: [checklist] }, script)
    const launcher = page.locator('linger-announcements-feed').getByRole('button', { name: /What's new/ })
    await launcher.waitFor()
    const box = (await launcher.boundingBox())!
    await page.locator('#back').focus()
    await page.keyboard.press('Tab')
    await frames(page)
    expect(await page.evaluate(() => document.querySelector('app-editor')!.shadowRoot!.activeElement?.id)).toBe('doc')
    expect(await launcher.isVisible()).toBe(true)
    // To the end of the last line, under "What's new", and typing there.
    await page.keyboard.press('Control+End')
    await page.keyboard.type(' Hello')
    await frames(page)
    const caret = await page.evaluate(() => {
      const root = document.querySelector('app-editor')!.shadowRoot!
      const [range] = getSelection()!.getComposedRanges({ shadowRoots: [root] })
      const r = document.createRange()
      r.setStart(range.endContainer, range.endOffset)
      return r.getBoundingClientRect().toJSON()
    })
    expect(over(box, caret.top, caret.bottom)).toBe(true)
    expect(await page.evaluate((c) => document.elementFromPoint(c.left - 4, (c.top + c.bottom) / 2)?.localName, caret)).toBe('app-editor')
    await page.context().close()
  })
})

describe('a user who scrolls the app\'s settings panel while typing in its field', () => {
  it('keeps the checklist launcher while only the field\'s part the panel hides is under it', async () => {
    // The panel ends at y 340; the field, 48 px tall, at its bottom edge once scrolled to the top
    // (320–368): what shows (320–340) is clear of the launchers' row, what is under it is hidden.
    const body = `<style>body{margin:0}</style><section id="panel" style="position:fixed;top:0;left:0;right:0;height:340px;overflow:auto">
      <div style="height:320px"></div><input id="name" aria-label="Workspace name" style="display:block;box-sizing:border-box;width:100%;height:48px;margin:0"><div style="height:600px"></div></section>
      <script>document.getElementById('panel').scrollTop = 150</script>`
    const page = await open('caret-panel', body, { checklists: [checklist] })
    const launcher = page.locator('linger-checklist').getByRole('button').first()
    await launcher.waitFor()
    const box = (await launcher.boundingBox())!
    await page.locator('#name').click()
    await page.keyboard.type('Acme')
    await frames(page)
    expect(await launcher.isVisible()).toBe(true)
    // Back up the panel with the wheel: the field goes half under its bottom edge.
    await page.mouse.move(320, 100)
    await page.mouse.wheel(0, -400)
    await expect.poll(() => page.evaluate(() => document.getElementById('panel')!.scrollTop)).toBe(0)
    await frames(page)
    const field = (await page.locator('#name').boundingBox())!
    expect(field.y + field.height).toBeGreaterThan(340)
    expect(over(box, field.y, field.y + field.height)).toBe(true)
    expect(over(box, field.y, 340)).toBe(false)
    expect(await launcher.isVisible()).toBe(true)
    await page.context().close()
  })
})

describe('a user who closes the app\'s dialog with a click while a launcher is up, then only reads', () => {
  it('leaves nothing of the dialog alive: the layout does not keep the button they pressed', async () => {
    // The app keeps nothing of its dialog once closed; the test keeps only a WeakRef. The page's
    // clock stands still: what lets it go is not a timer running out.
    const script = `window.openDialog = () => { const dialog = document.createElement('div'); dialog.setAttribute('role', 'dialog');
      const close = document.createElement('button'); close.id = 'close'; close.textContent = 'Close';
      close.addEventListener('click', () => dialog.remove()); dialog.append('Saved', close);
      document.body.append(dialog); window.closeButton = new WeakRef(close) };`
    const page = await open('caret-dialog', '<main><h1>Reports</h1></main>', { checklists: [checklist] }, script)
    await page.locator('linger-checklist').getByRole('button').first().waitFor()
    await page.clock.install()
    await page.evaluate(() => (window as any).openDialog())
    const at = await page.evaluate(() => ((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 }))(document.getElementById('close')!.getBoundingClientRect()))
    await page.mouse.click(at.x, at.y)
    await expect.poll(() => page.evaluate(() => document.querySelector('[role=dialog]') === null)).toBe(true)
    await page.mouse.move(5, 5)
    const cdp = await page.context().newCDPSession(page)
    const collected = async () => (await cdp.send('HeapProfiler.collectGarbage'), page.evaluate(() => ((window as any).closeButton.deref() === undefined ? 'collected' : 'kept alive')))
    await expect.poll(collected, { timeout: 5_000, interval: 250 }).toBe('collected')
    await cdp.detach()
    await page.context().close()
  })
})
