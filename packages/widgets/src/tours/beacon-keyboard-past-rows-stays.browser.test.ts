import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// Tab from a hotspot's beacon past a long stretch with no stop: what stays as the browser has it
// (a scrolling box after the card, a quick Shift+Tab after such a Tab, a radio group entered at
// its checked radio, every positive tabindex seen).
const suite = useBrowserSuite({ pageErrors: 'all' })

const flows = {
  version: 1,
  settings: { cooldownDays: 0 },
  tours: [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get task updates where your team already talks.', beacon: true }] }],
}
const card = '<button>Before</button><div id="t"><h2>Integrations</h2><button>Connect Slack</button></div>'
const lines = (n: number) => '<p>#general: task moved to Done</p>'.repeat(n)
const rows = (n: number) => `<div>${'<div><span>Invoice</span> <span>7 EUR</span></div>'.repeat(n)}</div>`

let n = 0
async function open(body: string) {
  const context = await suite.browser.newContext({ viewport: { width: 1024, height: 700 }, reducedMotion: 'reduce' })
  const init = `${suite.initScript({ flows })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
  const { page: p } = await suite.open(`/beacon-past-rows-stays-${n++}`, suite.hostPage({ body, script: init }), context)
  await p.waitForFunction(() => document.querySelector('linger-tours')?.shadowRoot?.querySelector('.beacon[style]'))
  const at = () =>
    p.evaluate(() => {
      let el = document.activeElement
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
      return el === document.body ? 'the page body' : (el?.getAttribute('aria-label') ?? el?.id ?? '') || (el?.textContent ?? '')
    })
  await p.locator('text=Connect Slack').focus()
  await p.keyboard.press('Tab')
  expect(await at()).toBe('Show tip: Connect Slack')
  return { p, context, at }
}

describe('Tab from the beacon past 2,000 stopless elements, what must stay', () => {
  it('a scrolling activity log of 4,000 lines (no control in it) follows the card: Tab from the beacon goes into the log, as the browser does', async () => {
    const { p, context, at } = await open(`${card}<div id="log" role="log" aria-label="Activity" style="height:80px;overflow:auto">${lines(4000)}</div><button>Export</button>`)
    await p.keyboard.press('Tab')
    expect(await at()).toBe('Activity')
    await context.close()
  })

  it('the log sits in a section with its heading: Tab from the beacon still goes into the log', async () => {
    const { p, context, at } = await open(`${card}<section><h3>Activity</h3><div role="log" aria-label="Activity" style="height:80px;overflow:auto">${lines(4000)}</div></section><button>Export</button>`)
    await p.keyboard.press('Tab')
    expect(await at()).toBe('Activity')
    await context.close()
  })

  it('the page ends with the rows: Tab, a moment, then Shift+Tab comes back to the beacon, the last stop of the page', async () => {
    const { p, context, at } = await open(`${card}${rows(15000)}`)
    await p.keyboard.press('Tab')
    await p.waitForTimeout(100)
    await p.keyboard.press('Shift+Tab')
    expect(await at()).toBe('Show tip: Connect Slack')
    await context.close()
  })

  it('the page ends with the rows: Tab then Shift+Tab at once (no wait) comes back to the beacon, the last stop of the page', async () => {
    const { p, context, at } = await open(`${card}${rows(15000)}`)
    await Promise.all([p.keyboard.press('Tab'), p.keyboard.press('Shift+Tab')])
    expect(await at()).toBe('Show tip: Connect Slack')
    await context.close()
  })

  it('an inline script and a template come first after the card, then 45,000 read-only elements and Export: Tab from the beacon goes to Export', async () => {
    const { p, context, at } = await open(`${card}<script>window.__x = 1</script><template><b>x</b></template>${rows(15000)}<button>Export</button>`)
    await p.keyboard.press('Tab')
    expect(await at()).toBe('Export')
    await context.close()
  })

  it('a radio group follows the card, its second radio checked: Tab from the beacon goes to the checked radio, as the browser does', async () => {
    const { p, context, at } = await open(`${card}<fieldset><input type="radio" name="f" aria-label="Daily"><input type="radio" name="f" checked aria-label="Weekly"></fieldset><button>Export</button>`)
    await p.keyboard.press('Tab')
    expect(await at()).toBe('Weekly')
    await context.close()
  })

  it('a radio group whose checked radio comes before the card (the plan picker above it, Free checked): Tab from the beacon goes on to the group\u2019s next radio after the card, not back up the page', async () => {
    const { p, context, at } = await open(`<fieldset><input type="radio" name="plan" checked aria-label="Free">${card}<input type="radio" name="plan" aria-label="Team"></fieldset><button>Export</button>`)
    await p.keyboard.press('Tab')
    expect(await at()).not.toBe('Free')
    await context.close()
  })

  it('a master-detail list that opens the row focus comes into (focusin, as React onFocus) follows the card: Tab from the beacon goes to Export, no invoice opened', async () => {
    const list = `<div id="list">${Array.from({ length: 4000 }, (_, i) => `<div class="row"><span>Invoice ${i}</span></div>`).join('')}</div>`
    const watch = `<script>window.__opened = []; document.getElementById('list').addEventListener('focusin', function (e) { var r = e.target.closest('.row'); if (r) window.__opened.push(r.textContent) })</script>`
    const { p, context, at } = await open(`${card}${list}<button>Export</button>${watch}`)
    await p.keyboard.press('Tab')
    expect(await at()).toBe('Export')
    expect(await p.evaluate(() => (window as any).__opened)).toEqual([])
    await context.close()
  })

  it('positive(): every tabindex the browser reads above 0 is among those the new selector asks', async () => {
    const { p, context } = await open(`${card}<div id="box"></div>`)
    const missed = await p.evaluate(() => {
      const vals = [' 2', '+1', '01', '2 ', '\t3', '\n4', '1e3', '1.5', '7abc', '00', '+0', ' -1', '-0', '0', '-1', 'x', '\u00a05', '\u30005']
      const box = document.getElementById('box')!
      box.innerHTML = vals.map((v) => `<span data-v="${encodeURIComponent(v)}"></span>`).join('')
      ;[...box.children].forEach((s) => s.setAttribute('tabindex', decodeURIComponent((s as HTMLElement).dataset.v!)))
      const asked = new Set(document.querySelectorAll('[tabindex]:not([tabindex="0"],[tabindex^="-"])'))
      return [...box.children].filter((s) => (s as HTMLElement).tabIndex > 0 && !asked.has(s)).map((s) => s.getAttribute('tabindex'))
    })
    expect(missed).toEqual([])
    await context.close()
  })
})
