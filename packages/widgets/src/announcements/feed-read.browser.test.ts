import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// The "what's new" launcher's unread count, in real Chromium (build first, see feed-rtl).
const suite = useBrowserSuite({ pageErrors: 'each' })

async function openFeedPage(path: string, announcements: unknown[], viewport = { width: 1000, height: 700 }) {
  const flows = { version: 1, settings: { cooldownDays: 0 }, announcements }
  const script = `${suite.initScript({ flows })} linger.on('ready', () => (window.lingerReady = true));`
  const context = await suite.browser.newContext({ viewport, reducedMotion: 'reduce' })
  const { page } = await suite.open(path, suite.hostPage({ body: '<main><h1>Invoices</h1></main>', script }), context)
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
