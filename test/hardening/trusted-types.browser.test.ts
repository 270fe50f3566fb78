import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../harness'

// Hosts whose policy is the strictest a security team writes today: scripts only by nonce and
// what they load ('strict-dynamic', no host allow-list), no inline styles, and Trusted Types
// (every script URL the page's code sets must come from a named policy). Every widget under such
// a policy: hostile-host.browser.test.ts.
// Build first: LINGER_CDN_DIR=/tmp/cdn-hard node scripts/build.mjs
const suite = useBrowserSuite()

const NONCE = 'tt0nce'
const flows = {
  version: 1,
  surveys: [{ id: 'nps', kind: 'nps', question: 'How likely are you to recommend us?', trigger: { event: 'Asked' } }],
}

async function openStrict(path: string, csp: string) {
  const context = await suite.browser.newContext()
  await context.addInitScript(`window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => __csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));`)
  const script = `window.__errors = []; ${suite.initScript({ flows })} linger.on('error', (e) => __errors.push(e.code + ': ' + e.message)); linger.on('ready', () => { window.lingerReady = true; linger.track('Asked') });`
  const { page } = await suite.open(path, suite.hostPage({ script, nonce: NONCE, csp }), context)
  return page
}

const STRICT = `script-src 'nonce-${NONCE}' 'strict-dynamic'; style-src 'self'; object-src 'none'; base-uri 'none'`

describe('a host that requires Trusted Types for scripts', () => {
  it("loads Linger and shows the survey, with nothing thrown into the page and no violation (require-trusted-types-for 'script')", async () => {
    const page = await openStrict('/tt', `${STRICT}; require-trusted-types-for 'script'`)
    await page.waitForFunction(() => (window as any).lingerReady === true, undefined, { timeout: 10_000 })
    await page.locator('linger-survey [role="radiogroup"]').first().waitFor({ timeout: 10_000 })
    expect(await page.evaluate(() => (window as any).__csp)).toEqual([])
    expect(await page.evaluate(() => (window as any).__errors)).toEqual([])
    expect(suite.pageErrors).toEqual([])
  })

  it("whose policy names allow only its own policies and 'linger': Linger loads", async () => {
    const page = await openStrict('/tt-named', `${STRICT}; require-trusted-types-for 'script'; trusted-types host-app linger`)
    await page.waitForFunction(() => (window as any).lingerReady === true, undefined, { timeout: 10_000 })
    expect(await page.evaluate(() => (window as any).__csp)).toEqual([])
    expect(suite.pageErrors).toEqual([])
  })

  it("whose policy names leave 'linger' out: nothing is thrown into the page, and a host awaiting flush() is not left waiting", async () => {
    const context = await suite.browser.newContext()
    const csp = `${STRICT}; require-trusted-types-for 'script'; trusted-types host-app`
    const script = `linger('init', { key: 'pk_test', endpoint: '' }); linger.track('Early'); linger.flush().then(() => (window.flushed = true));`
    const { page } = await suite.open('/tt-refused', suite.hostPage({ script, nonce: NONCE, csp }), context)
    await page.waitForFunction(() => (window as any).flushed === true, undefined, { timeout: 10_000 })
    // The stub still answers the host's calls.
    expect(await page.evaluate(() => typeof (window as any).linger.track('Later'))).toBe('undefined')
    expect(suite.pageErrors).toEqual([])
  })
})
