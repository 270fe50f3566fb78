import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { focusAt } from './focus-at.fixture'

// A keyboard user Tabs from a hotspot's beacon past a long stretch with no stop (past 2,000
// elements Linger leaves the Tab to the browser, from where the hotspot stands in its order).
// Real Chromium, real Tab keys. Every page here has 4,000 read-only invoice rows after the card,
// then an Export button: Tab from the beacon goes to Export, and touches nothing of the page's on
// the way (no field of the card focused: its focus and blur handlers are the app's).
const suite = useBrowserSuite({ pageErrors: 'all' })

const flows = {
  version: 1,
  settings: { cooldownDays: 0 },
  tours: [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get task updates where your team already talks.', beacon: true }] }],
}

const rows = (n: number) => `<div>${Array.from({ length: n }, (_, i) => `<div><span>Invoice ${i}</span> <span>${i * 7} EUR</span></div>`).join('')}</div>`

let n = 0
async function open(card: string, script = '') {
  const body = `<button>Before</button>${card}${rows(4000)}<button>Export</button>`
  const context = await suite.browser.newContext({ viewport: { width: 1024, height: 700 }, reducedMotion: 'reduce' })
  const init = `${script};\n${suite.initScript({ flows })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
  const { page: p } = await suite.open(`/beacon-past-rows-${n++}`, suite.hostPage({ body, script: init }), context)
  await p.waitForFunction(() => document.querySelector('linger-tours')?.shadowRoot?.querySelector('.beacon[style]'))
  const at = () => focusAt(p)
  // Focus on the beacon as a keyboard user leaves it there: its tip opened and closed with Esc.
  const onBeacon = async () => {
    await p.evaluate(() => (document.querySelector('linger-tours')!.shadowRoot!.querySelector('.beacon') as HTMLElement).focus())
    expect(await at()).toBe('Show tip: Connect Slack')
  }
  return { p, context, at, onBeacon }
}

describe('Tab from the beacon past 2,000 elements with no stop', () => {
  it('the card ends with a search field that opens its suggestions on focus and says "Required" on blur: Tab from the beacon goes to Export, no menu opened, no error shown', async () => {
    const card = `<div id="t"><h2>Integrations</h2><label>Channel <input id="ch" aria-label="Channel"></label><div id="err"></div></div>`
    const script = `document.addEventListener('DOMContentLoaded', function () {
      var ch = document.getElementById('ch'), menu;
      ch.addEventListener('focus', function () { if (menu) return; menu = document.createElement('div'); menu.innerHTML = '<button>#general</button><button>#random</button>'; ch.after(menu) });
      ch.addEventListener('blur', function () { if (!ch.value) document.getElementById('err').textContent = 'Required' });
    })`
    const { p, context, at, onBeacon } = await open(card, script)
    await onBeacon()
    await p.keyboard.press('Tab')
    expect(await at()).toBe('Export')
    expect(await p.locator('#err').textContent()).toBe('')
    expect(await p.locator('text=#general').count()).toBe(0)
    await context.close()
  })

  it('the card shows its More button only while focus is in it (visibility, :focus-within): Tab from the beacon goes to Export, not back into the card and round the beacon for ever', async () => {
    const card = `<style>#more{visibility:hidden}#t:focus-within #more{visibility:visible}</style><div id="t"><h2>Integrations</h2><button>Connect Slack</button> <button id="more">More</button></div>`
    const { p, context, at, onBeacon } = await open(card)
    await onBeacon()
    const path: string[] = []
    for (let i = 0; i < 4; i++) await p.keyboard.press('Tab'), path.push(await at())
    expect(path[0]).toBe('Export')
    await context.close()
  })

  it('the card ends with an embedded frame (a payment field, a video): Tab from the beacon goes to Export, not out of the page', async () => {
    const card = `<div id="t"><h2>Integrations</h2><iframe title="Card number" srcdoc="<input aria-label=n>" style="height:40px"></iframe></div>`
    const { p, context, at, onBeacon } = await open(card)
    await onBeacon()
    await p.keyboard.press('Tab')
    expect(await at()).toBe('Export')
    await context.close()
  })

  it('a card with no control of its own: Tab from the beacon goes to Export, and the page sees no tabindex come and go on it', async () => {
    const card = `<div id="t"><h2>Integrations</h2><p>Slack: connected</p></div>`
    const script = `window.__muts = []; document.addEventListener('DOMContentLoaded', function () {
      new MutationObserver(function (ms) { ms.forEach(function (m) { window.__muts.push(m.attributeName) }) }).observe(document.getElementById('t'), { attributes: true });
      document.getElementById('t').addEventListener('focus', function () { window.__focused = true });
    })`
    const { p, context, at, onBeacon } = await open(card, script)
    await onBeacon()
    await p.keyboard.press('Tab')
    expect(await at()).toBe('Export')
    await p.evaluate(() => new Promise((r) => setTimeout(r, 50)))
    expect(await p.evaluate(() => (window as any).__muts)).toEqual([])
    expect(await p.evaluate(() => (window as any).__focused ?? false)).toBe(false)
    await context.close()
  })

  it('the card ends with a payment web component (closed shadow root, its field inside): Tab from the beacon goes to Export, not out of the page', async () => {
    const card = `<div id="t"><h2>Integrations</h2><x-pay></x-pay></div>`
    const script = `customElements.define('x-pay', class extends HTMLElement { constructor() { super(); this.attachShadow({ mode: 'closed' }).innerHTML = '<input aria-label="Card number">' } })`
    const { p, context, at, onBeacon } = await open(card, script)
    await onBeacon()
    await p.keyboard.press('Tab')
    expect(await at()).toBe('Export')
    await context.close()
  })
})

describe('Tab from a tour tip’s last control past 2,000 stopless elements (the same code)', () => {
  it('the step’s card ends with a search field that opens its suggestions on focus: Tab from the tip’s Done goes to Export, the field untouched', async () => {
    const tour = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'tour', trigger: { event: 'Go' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Pick a channel.' }] }] }
    const card = `<div id="t"><h2>Integrations</h2><label>Channel <input id="ch" aria-label="Channel"></label><div id="err"></div></div>`
    const script = `document.addEventListener('DOMContentLoaded', function () {
      var ch = document.getElementById('ch'), menu;
      ch.addEventListener('focus', function () { if (menu) return; menu = document.createElement('div'); menu.innerHTML = '<button>#general</button><button>#random</button>'; ch.after(menu) });
      ch.addEventListener('blur', function () { if (!ch.value) document.getElementById('err').textContent = 'Required' });
    });`
    const body = `<button>Before</button>${card}${rows(4000)}<button>Export</button>`
    const context = await suite.browser.newContext({ viewport: { width: 1024, height: 700 }, reducedMotion: 'reduce' })
    const init = `${script}\n${suite.initScript({ flows: tour })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
    const { page: p } = await suite.open(`/beacon-past-rows-tip`, suite.hostPage({ body, script: init }), context)
    await p.waitForFunction(() => document.querySelector('linger-tours')?.shadowRoot?.querySelector('.tip .linger-btn-primary'))
    await p.evaluate(() => (document.querySelector('linger-tours')!.shadowRoot!.querySelector('.tip .linger-btn-primary') as HTMLElement).focus())
    await p.keyboard.press('Tab')
    const at = await p.evaluate(() => document.activeElement?.textContent)
    expect(at).toBe('Export')
    expect(await p.locator('#err').textContent()).toBe('')
    await context.close()
  })
})
