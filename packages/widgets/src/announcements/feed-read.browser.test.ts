import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// The "what's new" launcher's unread count, in real Chromium (build first, see feed-rtl).
const suite = useBrowserSuite({ pageErrors: 'each' })

async function openFeedPage(path: string, announcements: unknown[], viewport = { width: 1000, height: 700 }, body = '<main><h1>Invoices</h1></main>') {
  const flows = { version: 1, settings: { cooldownDays: 0 }, announcements }
  const script = `${suite.initScript({ flows })} linger.on('ready', () => (window.lingerReady = true));`
  const context = await suite.browser.newContext({ viewport, reducedMotion: 'reduce' })
  const { page } = await suite.open(path, suite.hostPage({ body, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  const feed = page.locator('linger-announcements-feed')
  return { page, context, feed, launcher: feed.locator('button.launcher') }
}

describe('a "what\'s new" item that comes out while the user has the feed open', () => {
  it('is read there: once the user closes the feed, the launcher counts nothing unread', async () => {
    // For users of invoices: it is theirs once they export one, which they do with the feed open.
    const { page, context, feed, launcher } = await openFeedPage('/feed-live', [
      { id: 'reports', format: 'feed', title: 'Live reports', publishedAt: '2026-02-20' },
      { id: 'templates', format: 'feed', title: 'Invoice templates are here', publishedAt: '2026-02-27', audience: { feature: 'invoice-export' } },
    ])
    await expect.poll(() => launcher.getAttribute('aria-label')).toBe("What's new, 1 unread")
    await launcher.click()
    await page.evaluate(() => (window as any).linger('track', 'Feature Used', { feature: 'invoice-export' }))
    // It comes in at the top of the open panel, in plain view.
    await expect.poll(() => feed.locator('#la-panel h3').allTextContents(), { timeout: 10_000 }).toEqual(['Invoice templates are here', 'Live reports'])
    // The user has read it: it came into view (counted Shown), and they close the feed.
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Announcement Shown' && x.properties?.announcementId === 'templates'))
    await feed.locator('.head button').click()
    await expect.poll(() => feed.locator('#la-panel').isHidden()).toBe(true)
    expect(await launcher.getAttribute('aria-label')).toBe("What's new")
    expect(await feed.locator('.count').count()).toBe(0)
    await context.close()
  })
})

describe('a keyboard user who opens "What\'s new" and types on at once', () => {
  it('goes on into the panel with the Tab typed straight after the Enter, not back to its title', async () => {
    const { page, context, feed, launcher } = await openFeedPage('/feed-type-ahead', [{ id: 'reports', format: 'feed', title: 'Live reports', publishedAt: '2026-02-20' }])
    await launcher.focus()
    // Enter, then Tab, while the app is busy a moment with work of its own: the two keys come to
    // the page together once it is done, with no frame between them.
    const cdp = await context.newCDPSession(page)
    const key = (type: 'keyDown' | 'keyUp', key: string, code: number) => cdp.send('Input.dispatchKeyEvent', { type, key, code: key, windowsVirtualKeyCode: code, text: type == 'keyDown' && key == 'Enter' ? '\r' : undefined })
    const busy = page.evaluate(() => {
      for (const end = performance.now() + 300; performance.now() < end; );
    })
    await Promise.all([busy, key('keyDown', 'Enter', 13), key('keyUp', 'Enter', 13), key('keyDown', 'Tab', 9), key('keyUp', 'Tab', 9)])
    await expect.poll(() => feed.locator('#la-panel').isVisible()).toBe(true)
    const focused = () => page.evaluate(() => ((el) => el?.getAttribute('aria-label') ?? el?.tagName)(document.querySelector('linger-announcements-feed')?.shadowRoot?.activeElement))
    await expect.poll(focused).toBe("Close what's new")
    // Where the Tab took them they stay: focus is not taken back to the title after the panel paints.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)))))
    expect(await focused()).toBe("Close what's new")
    await cdp.detach()
    await context.close()
  })
})

describe('the app opening "What\'s new" with show() while the user types in its search box', () => {
  it('opens the feed and leaves their caret where it was: every key goes on into the search box', async () => {
    const body = '<main><h1>Invoices</h1><input id="q" aria-label="Search invoices"></main>'
    const { page, context, feed } = await openFeedPage('/feed-show-typing', [{ id: 'reports', format: 'feed', title: 'Live reports', publishedAt: '2026-02-20' }], undefined, body)
    await page.locator('#q').click()
    await page.keyboard.type('inv')
    await page.evaluate(() => (window as any).linger('show', 'reports'))
    await expect.poll(() => feed.locator('#la-panel').isVisible()).toBe(true)
    await page.keyboard.type('oice')
    expect(await page.locator('#q').inputValue()).toBe('invoice')
    await context.close()
  })
})
