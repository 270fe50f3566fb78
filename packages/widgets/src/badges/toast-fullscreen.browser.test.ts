import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useBrowserSuite } from '../../../../test/harness'

// The badge toast and a page that goes full screen (a presentation, a video), in real Chromium.
// Build first: LINGER_CDN_DIR=/tmp/cdn-badges node -e "import('./scripts/build.mjs').then(m=>m.buildAll())"
const suite = useBrowserSuite({ pageErrors: 'each' })

const finder = { version: 1, settings: { cooldownDays: 0 }, badges: [{ id: 'finder', title: 'Finder', points: 10, rule: { event: 'Found', count: { gte: 1 } } }], levels: [{ name: 'Newcomer', points: 0 }] }
/** How long a toast stays up on its own (view.tsx), and a little more. */
const PAST_TOAST_MS = 6500

async function open(path: string) {
  // Every text the live region says, as it says it (it clears itself after a while).
  const script = `${suite.initScript({ flows: finder })}
    window.__said = [];
    setInterval(function () { var l = document.querySelector('linger-live'); var t = l && l.shadowRoot.textContent; if (t && __said.indexOf(t) < 0) __said.push(t) }, 50);
    linger.on('ready', () => (window.lingerReady = true));`
  const body = `<main><button id="present">Present</button><div id="slides" style="background:#123;color:#fff">Q3 results</div></main>
    <script>document.getElementById('present').onclick = function () { document.getElementById('slides').requestFullscreen() }</script>`
  const context = await suite.browser.newContext({ viewport: { width: 1024, height: 720 }, reducedMotion: 'reduce' })
  const { page } = await suite.open(path, suite.hostPage({ body, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return page
}

const present = async (page: Page) => {
  await page.locator('#present').click()
  await page.waitForFunction(() => document.fullscreenElement?.id === 'slides')
}
const endPresenting = async (page: Page) => {
  await page.evaluate(() => document.exitFullscreen())
  await page.waitForFunction(() => !document.fullscreenElement)
}
/**
 * Whether the toast is there, and whether it is drawn. Over a full-screen element Chromium draws
 * it (the top layer puts it over the slides) but hit-tests the slides, so a drawn toast counts as
 * seen once a click at its middle reaches it too, outside full screen.
 */
const look = (page: Page) =>
  page.evaluate(() => {
    const aside = document.querySelector('linger-badge-toast')?.shadowRoot?.querySelector('aside')
    if (!aside) return { up: false, drawn: false }
    const a = aside.getBoundingClientRect()
    const hit = !!document.fullscreenElement || document.elementFromPoint(a.left + a.width / 2, a.top + a.height / 2)?.localName === 'linger-badge-toast'
    return { up: true, drawn: hit && aside.checkVisibility({ visibilityProperty: true, opacityProperty: true } as CheckVisibilityOptions) }
  })
const said = (page: Page) => page.evaluate(() => ((window as any).__said as string[]).join(' | '))

describe('the badge toast while the page is full screen, in Chromium', () => {
  it('a badge earned during a full-screen presentation is not drawn over the slides nor announced; it comes, for its full time, once the presentation ends', async () => {
    const page = await open('/toast-during-fullscreen')
    await present(page)
    await page.evaluate(() => (window as any).linger.track('Found'))
    await page.locator('linger-badge-toast aside').waitFor({ state: 'attached' })
    await expect.poll(() => look(page), { timeout: 2000 }).toEqual({ up: true, drawn: false })
    // Longer than a toast stays up: it waits, unseen, unsaid.
    await page.waitForTimeout(PAST_TOAST_MS)
    expect(await look(page)).toEqual({ up: true, drawn: false })
    expect(await said(page)).not.toContain('Badge earned: Finder')
    await endPresenting(page)
    await expect.poll(() => look(page)).toEqual({ up: true, drawn: true })
    await expect.poll(() => said(page)).toContain('Badge earned: Finder')
  })

  it('a toast up when the user starts presenting is not lost behind the slides: it is still there, in full, once they come back', async () => {
    const page = await open('/toast-then-fullscreen')
    await page.evaluate(() => (window as any).linger.track('Found'))
    await expect.poll(() => look(page)).toEqual({ up: true, drawn: true })
    await present(page)
    await page.waitForTimeout(PAST_TOAST_MS)
    await endPresenting(page)
    await expect.poll(() => look(page)).toEqual({ up: true, drawn: true })
    expect(await page.locator('linger-badge-toast aside').getByText('Finder').count()).toBe(1)
  })
})
