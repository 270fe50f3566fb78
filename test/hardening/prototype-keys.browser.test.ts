import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../harness'

// Names a vendor or a page's storage can hold that are also the names of Object's built-ins
// (`constructor` is a valid experience id; `__proto__` a key JSON.parse makes an own property).
// Build first: LINGER_CDN_DIR=/tmp/cdn-hard node scripts/build.mjs
const suite = useBrowserSuite()

const SNAPSHOT = `window.__builtins = () => JSON.stringify([Object.getOwnPropertyNames(Object.prototype).sort(), Object.getOwnPropertyNames(Object).sort(), Object.getOwnPropertyNames(Array.prototype).sort(), Object.getOwnPropertyNames(Function.prototype).sort()]);
  window.__before = window.__builtins();`

describe('experiences and stored state named after built-ins', () => {
  it("a survey and a checklist task with the id 'constructor', and stored state with __proto__ keys: they show and count, and no built-in changes", async () => {
    const flows = {
      version: 1,
      settings: { cooldownDays: 0 },
      surveys: [{ id: 'constructor', kind: 'nps', question: 'How likely are you to recommend us?', trigger: { event: 'Asked' } }],
      checklists: [{ id: 'start', title: 'Get started', tasks: [{ id: 'constructor', title: 'Build it', doneWhen: { event: 'constructor' } }, { id: 'b', title: 'Then this', doneWhen: { event: 'Never' } }] }],
    }
    const context = await suite.browser.newContext()
    // What a page's storage may hold before Linger reads it: own __proto__ and constructor keys.
    await context.addInitScript(`${SNAPSHOT}
      if (!sessionStorage.getItem('seeded')) {
        sessionStorage.setItem('seeded', '1');
        const hostile = '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';
        localStorage.setItem('linger:identity', '{"anonymousId":"visitor-1","traits":' + hostile + ',"groupTraits":' + hostile + '}');
        localStorage.setItem('linger:state:a:visitor-1', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"checklist:start":{"status":"started","done":' + hostile + '},"scheduler":' + hostile + ',"badges":' + hostile + '}');
        localStorage.setItem('linger:usage:a:visitor-1', '{"v":1,"firstSeen":1,"lastSeen":1,"events":{"__proto__":{"count":1,"first":1,"last":1,"days":' + hostile + '},"constructor":' + hostile + '}}');
      }`)
    const script = `window.__errors = []; ${suite.initScript({ flows })} linger.on('error', (e) => __errors.push(e.code + ': ' + e.message)); linger.on('ready', () => { linger.track('__proto__'); linger.track('constructor'); linger.track('hasOwnProperty'); linger.track('Asked') });`
    const { page } = await suite.open('/builtins', suite.hostPage({ script }), context)
    await page.locator('linger-survey [role="radiogroup"]').first().waitFor({ timeout: 10_000 })
    await page.locator('linger-survey [role="radio"]').nth(9).click()
    // The task is done: the list says 1 of 2.
    await expect.poll(() => page.evaluate(() => document.querySelector('linger-checklist')?.shadowRoot?.textContent ?? '')).toMatch(/1\D+2/)
    // The seeded identity was the one read: its visitor's events arrive.
    await suite.collector.waitFor((es) => es.some((e) => e.event === 'Asked' && e.anonymousId === 'visitor-1'))
    expect(await page.evaluate(() => ({} as any).polluted)).toBeUndefined()
    expect(await page.evaluate(() => (window as any).__builtins() === (window as any).__before)).toBe(true)
    expect(await page.evaluate(() => (window as any).__errors)).toEqual([])
    expect(suite.pageErrors).toEqual([])
    await context.close()
  })
})
