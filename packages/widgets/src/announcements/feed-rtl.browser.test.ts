import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { endsAfterItsWord } from '../../../../test/reading-order'

// The "what's new" feed in a right-to-left page, in real Chromium. Build first:
// LINGER_CDN_DIR=/tmp/cdn-announcements node -e "import('./scripts/build.mjs').then(m=>m.buildAll())"
const suite = useBrowserSuite({ pageErrors: 'each' })

describe('the "what\'s new" feed in Arabic, with the vendor\'s items in English', () => {
  it('reads each item in English order: the title\'s, the body\'s and the link\'s last mark ends them, not thrown to their front', async () => {
    const flows = {
      version: 1,
      settings: { cooldownDays: 0 },
      announcements: [{ id: 'templates', format: 'feed', title: 'Invoice templates are here!', body: 'Save a layout once, reuse it.', action: { label: 'Try it!', url: '/templates' }, publishedAt: '2026-02-20' }],
    }
    const script = `${suite.initScript({ flows, locale: 'ar' })} linger.on('ready', () => (window.lingerReady = true));`
    const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' })
    const { page } = await suite.open('/feed-ar-english', suite.hostPage({ body: '<main><h1>الفواتير</h1></main>', script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    const feed = page.locator('linger-announcements-feed')
    expect(await feed.getAttribute('dir')).toBe('rtl')
    await feed.locator('button.launcher').click()
    const item = feed.locator('#la-panel li')
    await item.waitFor()
    const look = async (selector: string) => item.locator(selector).evaluate(endsAfterItsWord)
    expect({ title: await look('h3'), body: await look('p'), action: await look('a') }).toEqual({ title: true, body: true, action: true })
    await context.close()
  })
})
