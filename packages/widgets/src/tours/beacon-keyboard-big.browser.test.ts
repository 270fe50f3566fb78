import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { focusAt } from './focus-at.fixture'

// A keyboard user in a big app in real Chromium (an invoices page: thousands of rows of text after
// the Integrations card the hotspot marks). Each Tab near the hotspot must cost the page little:
// how much it looked at is counted by the styles it read (each a style lookup, the cost of a Tab
// over thousands of rows), and Tab still goes where the browser's would, never round in a loop.
const suite = useBrowserSuite({ pageErrors: 'all' })

const flows = {
  version: 1,
  settings: { cooldownDays: 0 },
  tours: [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get task updates where your team already talks.', beacon: true }] }],
}

/** Rows of read-only text: an invoice list, three elements a row. */
const rows = (n: number, cell = (i: number) => `<span>${i * 7} EUR</span>`) => `<div>${Array.from({ length: n }, (_, i) => `<div><span>Invoice ${i}</span> ${cell(i)}</div>`).join('')}</div>`

// Counts the page's style reads (Linger's walks read one per element they look at), and its
// elements' tabindex reads (one per element asked whether the page orders its Tab stops itself).
const counter = `var g = window.getComputedStyle; window.__styles = 0; window.getComputedStyle = function (e, p) { window.__styles++; return g.call(window, e, p) };
  var t = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'tabIndex'); window.__tabIndex = 0;
  Object.defineProperty(HTMLElement.prototype, 'tabIndex', { configurable: true, set: t.set, get: function () { window.__tabIndex++; return t.get.call(this) } });`

async function open(name: string, body: string) {
  const script = `${counter} ${suite.initScript({ flows })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
  const context = await suite.browser.newContext({ viewport: { width: 1024, height: 700 }, reducedMotion: 'reduce' })
  const { page: p } = await suite.open(`/beacon-keyboard-big-${name}`, suite.hostPage({ body, script }), context)
  await p.waitForFunction(() => document.querySelector('linger-tours')?.shadowRoot?.querySelector('.beacon[style]'))
  const at = () => focusAt(p)
  // A key, where focus went, and how many styles the page read for it.
  const press = async (key: string) => {
    await p.evaluate(() => ((window as any).__styles = 0))
    await p.keyboard.press(key)
    return [await at(), await p.evaluate(() => (window as any).__styles as number)] as const
  }
  return { p, context, at, press }
}

const card = '<button>Before</button><div id="t"><h2>Integrations</h2><button>Connect Slack</button></div>'

describe('a keyboard user on a big invoices page, the Integrations card marked by a hotspot', () => {
  // The whole stretch is looked at (a cost left: no element in it could take the Tab over without
  // the page hearing it), and Tab goes where the browser's would.
  it('4,000 rows of read-only text follow the card, then Export: Tab from the hotspot goes to Export', async () => {
    const { p, context, press } = await open('rows', `${card}${rows(4000)}<button>Export</button>`)
    await p.locator('text=Connect Slack').focus()
    expect((await press('Tab'))[0]).toBe('Show tip: Connect Slack')
    expect((await press('Tab'))[0]).toBe('Export')
    // Back the way it came, as the browser goes.
    expect((await press('Shift+Tab'))[0]).toBe('Connect Slack')
    await context.close()
  })

  it('the page ends with the rows: Tab from the hotspot leaves the page, as from any last control, and the next Tab starts again at its top, not on the hotspot for ever', async () => {
    const { p, context, press } = await open('rows-end', `${card}${rows(4000)}`)
    await p.locator('text=Connect Slack').focus()
    const path = []
    for (let i = 0; i < 4; i++) path.push((await press('Tab'))[0])
    expect(path).toEqual(['Show tip: Connect Slack', 'the page body', 'Before', 'Connect Slack'])
    await context.close()
  })

  it('4,000 invoices follow the card, each with an Open button: Tab from the hotspot goes to the first one, looking at its row, not the whole list', async () => {
    const { p, context, press } = await open('open-rows', `${card}${rows(4000, (i) => `<button>Open ${i}</button>`)}<button>Export</button>`)
    await p.locator('text=Connect Slack').focus()
    await press('Tab')
    const [to, styles] = await press('Tab')
    expect(to).toBe('Open 0')
    expect(styles).toBeLessThan(100)
    await context.close()
  })

  it('a data grid of 20,000 cells follows the card (each tabindex -1, arrow keys move in it): Tab from the hotspot goes to the grid’s Filter button, reading the tabindex of a few elements, not of every cell', async () => {
    const grid = `<button>Filter</button><div role="grid">${'<div role="row"><span role="gridcell" tabindex="-1">INV-7</span><span role="gridcell" tabindex="-1">7 EUR</span></div>'.repeat(10000)}</div>`
    const { p, context, press } = await open('grid', `${card}${grid}<button>Export</button>`)
    await p.locator('text=Connect Slack').focus()
    await press('Tab')
    await p.evaluate(() => ((window as any).__tabIndex = 0))
    expect((await press('Tab'))[0]).toBe('Filter')
    expect(await p.evaluate(() => (window as any).__tabIndex)).toBeLessThan(100)
    await context.close()
  })

  it('the card ends with a scrolling activity log of 4,000 lines, and the app put focus on its newest line (tabindex -1): Tab from it reaches the hotspot, looking at none of the lines before it', async () => {
    const log = `<div role="log" aria-label="Activity" style="height:80px;overflow:auto">${'<p>#general: task moved to Done</p>'.repeat(3999)}<p id="new" tabindex="-1">#general: invoice paid</p></div>`
    const { p, context, press } = await open('log', `<button>Before</button><div id="t"><h2>Integrations</h2><button>Connect Slack</button>${log}</div><button>Export</button>`)
    await p.locator('#new').evaluate((el: HTMLElement) => el.focus())
    const [to, styles] = await press('Tab')
    expect(to).toBe('Show tip: Connect Slack')
    expect(styles).toBeLessThan(100)
    await context.close()
  })
})
