import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// What Linger keeps of the user's presses (by-user.ts), in real Chromium: build first,
// LINGER_CDN_DIR=/tmp/cdn-… node scripts/build.mjs.
const suite = useBrowserSuite({ pageErrors: 'each' })

// The tour the app's header component starts from its "Take the tour": Linger watches the user's
// presses for it (by-user.ts), its handler being in the component's shadow root.
const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'welcome', trigger: { event: 'Tour Asked' }, steps: [{ id: 'hi', target: 'h1', title: 'Your reports live here' }] }] }

// The app's "Saved" dialog: its Close removes it. The app keeps nothing of it once closed; the
// test keeps only a WeakRef, which says whether anything else still does.
const script = `window.openDialog = () => { const dialog = document.createElement('div'); dialog.setAttribute('role', 'dialog');
  const close = document.createElement('button'); close.id = 'close'; close.textContent = 'Close';
  close.addEventListener('click', () => dialog.remove()); dialog.append('Report saved', close);
  document.body.append(dialog); window.closeButton = new WeakRef(close) };
  customElements.define('app-header', class extends HTMLElement { constructor() { super(); const b = document.createElement('button'); b.textContent = 'Take the tour';
    b.addEventListener('click', () => linger.track('Tour Asked')); this.attachShadow({ mode: 'open' }).append(b) } });`

describe('a user who closes the app\'s dialog with a click, then reads the page without pressing anything', () => {
  it('leaves nothing of the dialog alive in the page: Linger does not keep the press, its button or the removed dialog until the next press, and still sees that next press as theirs', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 } })
    const body = '<header><app-header></app-header></header><main><h1>Reports</h1></main>'
    const init = `${suite.initScript({ flows })} linger('identify', 'closes-dialog'); linger.on('ready', () => (window.lingerReady = true));`
    const { page } = await suite.open('/closes-dialog', suite.hostPage({ body, script: init + script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(() => (window as any).openDialog())
    // A real click where the button is, not through a handle the test would keep on it.
    const at = await page.evaluate(() => ((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 }))(document.getElementById('close')!.getBoundingClientRect()))
    await page.mouse.click(at.x, at.y)
    await expect.poll(() => page.evaluate(() => document.querySelector('[role=dialog]') === null)).toBe(true)
    // The mouse moves off (the browser's own hover state lets go of what was under it), no press.
    await page.mouse.move(5, 5)
    const cdp = await context.newCDPSession(page)
    // The browser lets go of its own hold in its own time (a frame, a task): collected once
    // nothing else holds it, else kept alive however often it collects.
    const collected = async () => (await cdp.send('HeapProfiler.collectGarbage'), page.evaluate(() => ((window as any).closeButton.deref() === undefined ? 'collected' : 'kept alive')))
    // Not within poll's 1 s default: once the widgets platform is in (at idle; sooner or later by
    // the machine's load), its layout keeps the page's element pressed last for 15 s (layout.ts `used`).
    await expect.poll(collected, { timeout: 20_000, interval: 500 }).toBe('collected')
    await cdp.detach()
    // Their next press, on the header's "Take the tour": theirs, the tour's tip takes focus.
    await page.locator('app-header').getByRole('button', { name: 'Take the tour' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('role'))).toBe('dialog')
    await context.close()
  })
})
