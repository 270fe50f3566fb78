import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../harness'
import { everyExperience, HOST_BODY, walkEveryExperience } from './every-experience'

// Every widget in turn on the hosts vendors really have: a strict Content-Security-Policy, and a
// global stylesheet that resets, hides and shrinks everything. Build first:
// LINGER_CDN_DIR=/tmp/cdn-hard node scripts/build.mjs
const suite = useBrowserSuite()

const NONCE = 'h4rd3n'
// The vendor's billing portal: without it a payment wall stays a banner (no wall without a way out).
const PORTAL = '{ onUpdatePayment: () => {} }'
const flows = everyExperience((field, max) => (max < 20 ? '★' : `Text of ${field}`))

async function openHost(path: string, opts: { csp?: string; head?: string }) {
  const context = await suite.browser.newContext({ viewport: { width: 1100, height: 800 } })
  await context.addInitScript(`window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => __csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));`)
  const script = `window.__errors = []; ${suite.initScript({ flows }, PORTAL)} linger.on('error', (e) => __errors.push(e)); linger.on('ready', () => (window.lingerReady = true));`
  const { page } = await suite.open(path, suite.hostPage({ body: HOST_BODY, script, csp: opts.csp, head: opts.head, nonce: NONCE }), context)
  return page
}

/** What the user can act on: a real box, on screen, on top of the page, text big enough to read. */
async function usableBox(page: Page, step: string, selector: string) {
  const el = page.locator(selector).first()
  await el.waitFor()
  const result = await el.evaluate((node) => {
    const r = node.getBoundingClientRect()
    const cx = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1)
    const cy = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1)
    // The element at the box's centre, followed into our shadow root.
    const hit = document.elementFromPoint(cx, cy)
    const inner = hit?.shadowRoot?.elementFromPoint(cx, cy)
    const hostOf = (n: Node) => (n.getRootNode() as ShadowRoot).host
    const textEl = [node, ...node.querySelectorAll('*')].find((e) => [...e.childNodes].some((c) => c.nodeType === 3 && c.textContent!.trim())) ?? node
    return {
      width: r.width,
      height: r.height,
      inViewport: r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
      onTop: hit === hostOf(node) && !!inner && (inner === node || node.contains(inner) || inner.contains(node)),
      fontSize: parseFloat(getComputedStyle(textEl).fontSize),
      visibility: getComputedStyle(node).visibility,
    }
  })
  expect(result.width, step).toBeGreaterThan(8)
  expect(result.height, step).toBeGreaterThan(8)
  expect(result.inViewport, step).toBe(true)
  expect(result.visibility, step).toBe('visible')
  expect(result.onTop, `${step}: on top of the page, so a click reaches it`).toBe(true)
  expect(result.fontSize, step).toBeGreaterThanOrEqual(12)
}

// Each walk shows every experience in turn, waiting out each calm-screen pause: 45-51 s in CI
// runs, so a slow machine gets room (a time limit, not a figure: speed is measured in the bench).
describe('a host with a strict CSP (nonce scripts, no inline styles, Trusted Types)', () => {
  it('shows every widget with no CSP violation', async () => {
    // Every chunk by the nonce alone ('strict-dynamic' drops the 'self' allow-list), and Trusted
    // Types: a widget that wrote markup or a script URL would be refused and reported.
    const csp = `default-src 'self'; script-src 'self' 'nonce-${NONCE}' 'strict-dynamic'; style-src 'self'; connect-src 'self' ${suite.collector.url}; img-src 'self'; require-trusted-types-for 'script'; trusted-types linger`
    const page = await openHost('/strict-csp', { csp })
    const steps: string[] = []
    await walkEveryExperience(page, async (step) => void steps.push(step), (step, selector) => usableBox(page, step, selector))
    expect(steps.length).toBeGreaterThan(15)
    expect(await page.evaluate(() => (window as any).__csp)).toEqual([])
    expect(await page.evaluate(() => (window as any).__errors)).toEqual([])
    expect(suite.pageErrors).toEqual([])
  }, 180_000)
})

describe('a host with hostile global CSS', () => {
  it('still shows every widget visible, on top, clickable and readable', async () => {
    const hostile = `<style>
      * { all: unset !important; }
      div { display: none !important }
      button { font-size: 1px !important; line-height: 1px !important }
      *::before, *::after { content: "x" !important; font-size: 1px !important }
      main, p, h1 { position: relative !important; z-index: 2147483647 !important }
      aside.cover { display: block !important; position: fixed !important; right: 0 !important; bottom: 0 !important; width: 60vw !important; height: 60vh !important; z-index: 2147483647 !important; background: rgba(255, 0, 0, 0.3) !important }
      html { font-size: 2px !important }
    </style>`
    // The cover sits where corner widgets go, at the largest z-index there is, added late.
    const page = await openHost('/hostile-css', { head: hostile })
    await page.evaluate(() => document.body.append(Object.assign(document.createElement('aside'), { className: 'cover' })))
    await walkEveryExperience(page, async () => {}, (step, selector) => usableBox(page, step, selector))
    expect(await page.evaluate(() => (window as any).__errors)).toEqual([])
    expect(suite.pageErrors).toEqual([])
  }, 180_000)
})
