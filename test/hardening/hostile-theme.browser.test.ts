import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../harness'

// Theme values often come from a tenant's own settings ("your brand colour"), typed by people
// who are not the vendor: they become CSS in every widget's shadow root, so they are data, not CSS.
// Build first: LINGER_CDN_DIR=/tmp/cdn-hard node scripts/build.mjs
const suite = useBrowserSuite()

const flows = {
  version: 1,
  surveys: [{ id: 'nps', kind: 'nps', question: 'How likely are you to recommend us?', trigger: { event: 'Asked' } }],
}

/** Opens a page whose init has `theme`, shows the survey; returns the page and every URL it requested. */
async function showSurvey(path: string, theme: Record<string, unknown>) {
  const context = await suite.browser.newContext()
  const page = await context.newPage()
  const requested: string[] = []
  page.on('request', (r) => requested.push(r.url()))
  page.on('pageerror', (e) => suite.pageErrors.push(String(e)))
  suite.site.pages[path] = await suite.hostPage({ script: `${suite.initScript({ flows, theme })} linger.on('ready', () => linger.track('Asked'));` })
  await page.goto(suite.site.url + path)
  await page.locator('linger-survey [role="radiogroup"]').first().waitFor({ timeout: 10_000 })
  return { page, requested, context }
}

describe('theme values that are not what they claim to be', () => {
  it("a tenant's brand colour that is an image URL: no end user's browser fetches it", async () => {
    suite.site.files['/tracker.gif'] = { body: '', type: 'image/gif' }
    const { page, requested, context } = await showSurvey('/theme-url', {
      background: `url(${suite.site.url}/tracker.gif?via=url)`,
      border: `image-set("${suite.site.url}/tracker.gif?via=image-set" 1x)`,
      accent: `var(--brand, url(${suite.site.url}/tracker.gif?via=fallback))`,
    })
    // The survey's own surfaces are laid out and painted by now: any background image is asked for.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    expect(requested.filter((u) => u.includes('tracker.gif'))).toEqual([])
    expect(suite.pageErrors).toEqual([])
    await context.close()
  })

  it("a theme value with a bracket or a quote left open (a typo) leaves the vendor's other values as set", async () => {
    const { page, context } = await showSurvey('/theme-typo', {
      accent: 'rgb(20, 40, 200',
      text: '#111111',
      muted: '#222222',
      font: "'Inter, sans-serif",
      fontSize: '15px',
    })
    const vars = await page.evaluate(() => {
      const style = getComputedStyle(document.querySelector('linger-survey')!)
      return Object.fromEntries(['fg', 'muted', 'font-size', 'on-accent'].map((n) => [n, style.getPropertyValue(`--linger-${n}`).trim()]))
    })
    expect(vars).toEqual({ fg: '#111111', muted: '#222222', 'font-size': '15px', 'on-accent': '#ffffff' })
    expect(suite.pageErrors).toEqual([])
    await context.close()
  })
})
