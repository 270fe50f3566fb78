import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupBrowserSuite } from '../../../test/harness'

// Feature uses as a real user's mouse makes them, in Chromium, as the vendor's collector counts them.
let suite: Awaited<ReturnType<typeof setupBrowserSuite>>
beforeAll(async () => {
  suite = await setupBrowserSuite()
})
afterAll(() => suite.close())

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
})
