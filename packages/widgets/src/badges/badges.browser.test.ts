import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { setupBrowserSuite } from '../../../../test/harness'

// Build first: LINGER_CDN_DIR=/tmp/cdn-badges node -e "import('./scripts/build.mjs').then(m=>m.buildAll())"
let suite: Awaited<ReturnType<typeof setupBrowserSuite>>
beforeAll(async () => {
  suite = await setupBrowserSuite()
})
afterEach(() => expect(suite.pageErrors).toEqual([]))
afterAll(() => suite?.close())

const flows = {
  version: 1,
  settings: { cooldownDays: 0, leaderboard: true },
  badges: [{ id: 'reporter', title: 'Report pro', points: 30, rule: { event: 'Report Exported', count: { gte: 10 } } }],
  levels: [{ name: 'Newcomer', points: 0 }],
}

/** The element focus is on, through shadow roots: its tag and accessible name. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    return el ? `${el.tagName} ${el.closest('label')?.textContent ?? el.getAttribute('aria-label') ?? ''}`.trim() : ''
  })

describe('the leaderboard in the badges shelf, in Chromium', () => {
  it('a keyboard user who leaves the leaderboard keeps focus on the switch while the choice is saved, and Escape still closes the shelf', async () => {
    const script = `${suite.initScript({ flows })}
      linger('identify', 'max', { displayName: 'Max' }, { userHash: 'h' });
      linger('group', 'acme', {}, { groupHash: 'g' });
      linger.on('ready', () => (window.lingerReady = true));`
    const { page, context } = await suite.open('/board-keyboard', suite.hostPage({ body: '<main><button id="open">Badges</button></main>', script }))
    // The collector's board: the first look answers at once, the choice takes a moment.
    let asked = 0
    await context.route(`${suite.collector.url}/v1/leaderboard*`, async (route) => {
      const rows = [
        { rank: 1, name: 'Lea M.', points: 60, badges: 2, you: false },
        { rank: 2, name: 'Max', points: 30, badges: 1, you: true },
      ]
      if (asked++) await new Promise((r) => setTimeout(r, 1500))
      await route.fulfill({ status: 200, headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' }, body: JSON.stringify({ ok: true, optedOut: null, rows }) })
    })
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(() => (window as any).linger.show('badges'))
    const shelf = page.getByRole('dialog', { name: 'Your badges' })
    const toggle = shelf.getByRole('checkbox', { name: 'Show me on the leaderboard' })
    await toggle.waitFor()
    await toggle.focus()
    await page.keyboard.press('Space')
    // While the choice is on its way, and once it is saved, focus stays where the user is.
    await page.waitForTimeout(300)
    expect(await focused(page)).toBe('INPUT Show me on the leaderboard')
    await expect.poll(() => toggle.isChecked()).toBe(false)
    await expect.poll(() => asked).toBe(2)
    await page.waitForTimeout(1700)
    expect(await focused(page)).toBe('INPUT Show me on the leaderboard')
    expect(await shelf.getByRole('listitem').filter({ hasText: 'Lea M.' }).textContent()).toMatch(/^1/)
    await page.keyboard.press('Escape')
    await expect.poll(() => shelf.count()).toBe(0)
  })
})
