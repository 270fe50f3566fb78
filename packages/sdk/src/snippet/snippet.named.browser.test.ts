import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { readSnippet } from '../../../../test/static-server'

const suite = useBrowserSuite()

describe('the vendor snippet on a page that already has something named "linger"', () => {
  it('an element with id="linger" above the snippet (pasted at the end of the body, or by a tag manager) does not keep Linger from loading, and init does not throw', async () => {
    const snippet = await readSnippet()
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head><body>
      <div id="linger">Linger your cursor here</div>
      ${snippet}<script>${suite.initScript()} linger.track('Named Element Page');</script></body></html>`
    const { page } = await suite.open('/named', { html })
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Named Element Page'))
    expect(await page.evaluate(() => (window as any).linger.loaded)).toBe(true)
    expect(suite.pageErrors).toEqual([])
  })
})
