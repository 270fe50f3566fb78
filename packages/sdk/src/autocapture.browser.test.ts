import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../test/harness'

// Feature uses as a real user's mouse makes them, in Chromium, as the vendor's collector counts them.
const suite = useBrowserSuite()

const body = `
  <div data-linger-feature="card" style="width:400px"><p id="text" style="font:20px monospace">Quarterly revenue grew twelve percent</p></div>
  <button id="twice" data-linger-feature="open-file">report.pdf</button>
  <button id="off" disabled data-linger-feature="export"><span id="off-label">Export</span></button>
  <div role="button" id="aria-off" aria-disabled="true" data-linger-feature="share">Share</div>
  <a id="link" href="/elsewhere" data-linger-feature="open-report">Q3 report</a>
  <button id="done" data-linger-feature="done">Done</button>`

describe('feature uses from real clicks', () => {
  it('a text selection drag, a double click, a disabled control and a middle click that opens a tab count as the user meant them', async () => {
    const { page } = await suite.open('/features', suite.hostPage({ body, script: suite.initScript() }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    // Drag across the card's text to select it: reading, not using.
    const box = (await page.locator('#text').boundingBox())!
    await page.mouse.move(box.x + 2, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 })
    await page.mouse.up()
    expect(await page.evaluate(() => String(getSelection()))).not.toBe('')
    await page.dblclick('#twice')
    await page.click('#off-label', { force: true })
    await page.click('#aria-off', { force: true })
    const [tab] = await Promise.all([page.context().waitForEvent('page'), page.click('#link', { button: 'middle' })])
    await tab.close()
    await page.click('#done')
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Feature Used' && x.properties.feature === 'done'))
    const used = events.filter((x) => x.event === 'Feature Used' && x.context.page.path === '/features').map((x) => x.properties.feature)
    expect(used).toEqual(['open-file', 'open-report', 'done'])
    await page.close()
  })

  it('a custom Upload button that clicks its hidden native control (in its click handler) is one use per click', async () => {
    const body = `<div data-linger-feature="upload"><button id="pick">Upload</button><button id="native" hidden></button></div>
      <button id="after" data-linger-feature="after">After</button>`
    const script = `document.addEventListener('DOMContentLoaded', function () { document.getElementById('pick').onclick = function () { document.getElementById('native').click() } });`
    const { page } = await suite.open('/upload', suite.hostPage({ body, script: `${script} ${suite.initScript()}` }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.click('#pick')
    await page.click('#after')
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Feature Used' && x.properties.feature === 'after'))
    const used = events.filter((x) => x.event === 'Feature Used' && x.context.page.path === '/upload').map((x) => x.properties.feature)
    expect(used).toEqual(['upload', 'after'])
    await page.close()
  })
})
