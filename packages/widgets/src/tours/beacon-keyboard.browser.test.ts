import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { focusAt } from './focus-at.fixture'

// A keyboard user on a laptop at 200 % zoom (1280 × 800 is 640 × 400 CSS px) on the demo's settings
// page, in real Chromium. The hotspot marks the Integrations card, which takes no focus itself:
// Tab from its "Connect Slack" went on to the page's next control, and the beacon's only place in
// the Tab order was the end of the page. By the time Tab got there the card had scrolled out of
// sight, and the beacon with it (hidden, it takes no focus): the user never reached it.
const suite = useBrowserSuite({ pageErrors: 'all' })

const flows = {
  version: 1,
  settings: { cooldownDays: 0 },
  checklists: [{ id: 'start', title: 'Get started with Acme Projects', tasks: [{ id: 'invite', title: 'Invite a teammate', doneWhen: { event: 'Invited' } }] }],
  tours: [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get task updates where your team already talks.', beacon: true }] }],
}

const page = `<style>body{margin:0;font-family:sans-serif}.card{border:1px solid #ccc;border-radius:10px;padding:14px;margin:12px}</style>
  <nav><a href="#/dashboard">Dashboard</a> <a href="#/settings">Settings</a></nav><h1>Settings</h1>
  <div class="card"><h2>Team</h2><input aria-label="Teammate email"> <button>Invite</button></div>
  <div class="card" id="t"><h2>Integrations</h2><button>Connect Slack</button></div>
  <div class="card"><h2>Demo controls</h2>${['Show getting-started', 'Show export-tour', 'Show nps-quarterly', 'Show badges'].map((b) => `<button>${b}</button>`).join(' ')}
  <p style="height:600px">Events go to the collector.</p><a href="#c">its insights dashboard</a></div>`

describe('a keyboard user on the settings page at 640 × 400 (200 % zoom), the Connect Slack hotspot up', () => {
  it('Tab from the card’s last control reaches the hotspot, in sight; Tab from it goes on in the page, Shift+Tab from it back to the card’s control; the hotspot never takes focus on its own', async () => {
    const script = `${suite.initScript({ flows })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
    const context = await suite.browser.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2, reducedMotion: 'reduce' })
    const { page: p } = await suite.open('/beacon-keyboard', suite.hostPage({ body: page, script }), context)
    await p.locator('linger-checklist .wrap').waitFor()
    await p.waitForFunction(() => (document.querySelector('linger-tours')?.shadowRoot?.querySelector('.beacon') as HTMLElement | null)?.style.left)
    // Where focus is; and whether the beacon is on screen.
    const at = () => focusAt(p)
    const beaconInSight = () =>
      p.evaluate(() => {
        const b = document.querySelector('linger-tours')!.shadowRoot!.querySelector('.beacon') as HTMLElement
        const r = b.getBoundingClientRect()
        return b.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions) && r.top >= 0 && r.bottom <= innerHeight
      })
    expect(await at()).toBe('the page body')
    // Through the page's own controls, in its order, up to the card's button.
    const path: string[] = []
    while (path.length < 10 && path.at(-1) !== 'Connect Slack') await p.keyboard.press('Tab'), path.push(await at())
    expect(path).toEqual(['Dashboard', 'Settings', 'Teammate email', 'Invite', 'Connect Slack'])
    await p.keyboard.press('Tab')
    expect(await at()).toBe('Show tip: Connect Slack')
    expect(await beaconInSight()).toBe(true)
    await p.keyboard.press('Tab')
    expect(await at()).toBe('Show getting-started')
    // Back into the card (as from the control after any hotspot's target), and forward to it again.
    await p.keyboard.press('Shift+Tab')
    expect(await at()).toBe('Connect Slack')
    await p.keyboard.press('Tab')
    expect(await at()).toBe('Show tip: Connect Slack')
    await p.keyboard.press('Shift+Tab')
    expect(await at()).toBe('Connect Slack')
    await context.close()
  })
})

// A tag field in a React app (React 17 and later hand every onKeyDown to a listener at the app's
// root; react-select takes the highlighted option on Tab the same way): Tab in the field
// completes "#gen" to "#general" and keeps the user in the field to go on typing. The hotspot
// marks the card the field is in.
describe('a keyboard user in a React app whose tag field takes Tab to complete a channel, a hotspot on the field’s card', () => {
  it('Tab in the field completes the channel and leaves the user in the field; the next Tab, one the app lets through, reaches the hotspot', async () => {
    const body = `<div id="root"><button>Before</button><div class="card" id="t"><h2>Integrations</h2><input id="tag" aria-label="Channel" value="#gen"></div><button>After</button></div>
    <script>root.addEventListener('keydown', (e) => { if (e.key === 'Tab' && e.target.id === 'tag' && e.target.value === '#gen') { e.preventDefault(); e.target.value = '#general' } })</script>`
    const script = `${suite.initScript({ flows: { ...flows, checklists: [] } })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
    const context = await suite.browser.newContext({ viewport: { width: 1024, height: 700 }, reducedMotion: 'reduce' })
    const { page: p } = await suite.open('/beacon-keyboard-root-handler', suite.hostPage({ body, script }), context)
    await p.waitForFunction(() => (document.querySelector('linger-tours')?.shadowRoot?.querySelector('.beacon') as HTMLElement | null)?.style.left)
    const now = async () => ({ focus: await focusAt(p), channel: await p.locator('#tag').inputValue() })
    await p.locator('#tag').focus()
    await p.keyboard.press('Tab')
    expect(await now()).toEqual({ focus: 'Channel', channel: '#general' })
    await p.keyboard.press('Tab')
    expect(await now()).toEqual({ focus: 'Show tip: Connect Slack', channel: '#general' })
    await context.close()
  })
})

// A short page, all of it in sight: the hotspot's surface is at the end of the body, so past the
// page's last control Tab comes to it a second time.
describe('a keyboard user Tabbing through a short page with a hotspot up, past its last control', () => {
  it('leaves the page from the hotspot, as from any last control, instead of being sent back to the control after the card for ever', async () => {
    const body = `<button>Before</button><div class="card" id="t"><h2>Integrations</h2><button>Connect Slack</button></div><button>After</button>`
    const script = `${suite.initScript({ flows: { ...flows, checklists: [] } })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
    const context = await suite.browser.newContext({ viewport: { width: 1024, height: 700 }, reducedMotion: 'reduce' })
    const { page: p } = await suite.open('/beacon-keyboard-page-end', suite.hostPage({ body, script }), context)
    await p.waitForFunction(() => (document.querySelector('linger-tours')?.shadowRoot?.querySelector('.beacon') as HTMLElement | null)?.style.left)
    const at = () => focusAt(p)
    const path: string[] = []
    for (let i = 0; i < 7; i++) await p.keyboard.press('Tab'), path.push(await at())
    // Out of the page (the browser's own controls: the body here), then round again from its top.
    expect(path).toEqual(['Before', 'Connect Slack', 'Show tip: Connect Slack', 'After', 'Show tip: Connect Slack', 'the page body', 'Before'])
    await context.close()
  })
})
