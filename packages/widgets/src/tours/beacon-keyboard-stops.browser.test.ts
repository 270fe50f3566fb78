import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A keyboard user on a settings page in real Chromium, a hotspot on its Integrations card. Tab from
// the card's last Tab stop reaches the beacon, and Shift+Tab from the beacon goes back to that
// stop, whatever ends the card: the browser's own idea of the last stop, not the card's last
// control in the source. A radio group is one stop, left from its checked radio; a link inside a
// note editor is no stop at all (a field or a chip in it is); a box that scrolls with nothing to
// focus in it is one. And the hotspot takes no Tab that the browser would keep in the card, nor
// one whose way it cannot see (a closed web component, a frame) or that the page orders itself.
const suite = useBrowserSuite({ pageErrors: 'all' })

const flows = {
  version: 1,
  settings: { cooldownDays: 0 },
  tours: [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get task updates where your team already talks.', beacon: true }] }],
}

async function open(name: string, card: string, pre = '', tail = '', between = '') {
  const body = `<button>Before</button><div id="t"><h2>Integrations</h2><button>Connect Slack</button>${card}</div>${between}<button>After</button>${tail}`
  const script = `${pre} ${suite.initScript({ flows })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
  const context = await suite.browser.newContext({ viewport: { width: 1024, height: 700 }, reducedMotion: 'reduce' })
  const { page: p } = await suite.open(`/beacon-keyboard-stops-${name}`, suite.hostPage({ body, script }), context)
  await p.waitForFunction(() => document.querySelector('linger-tours')?.shadowRoot?.querySelector('.beacon[style]'))
  // Where focus is, by its label or text: in a closed component's shadow root (the test keeps a
  // hand on it, the page has none), in a frame.
  const at = () =>
    p.evaluate(() => {
      let el = (window as any).__closed?.activeElement ?? document.activeElement
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
      if (el?.localName === 'iframe') return `in the frame: ${el.contentDocument.activeElement.textContent}`
      return el === document.body ? 'the page body' : (el?.getAttribute('aria-label') ?? el?.textContent ?? '')
    })
  // Each key pressed in turn, and where focus is after each.
  const keys = async (...pressed: string[]) => {
    const path: string[] = []
    for (const key of pressed) await p.keyboard.press(key), path.push(await at())
    return path
  }
  await p.locator('text=Before').focus()
  return { p, context, at, keys }
}

// Boxes drawn by CSS with nothing in them, which a closed shadow root's host looks like from outside.
const switchBox = '<span role="switch" tabindex="0" aria-label="Notify" style="display:inline-block;width:40px;height:20px;background:#ccc;border-radius:10px"></span>'
const caret = '<span style="display:inline-block;border-top:4px solid;border-left:4px solid transparent;border-right:4px solid transparent"></span>'
// An engine with no popovers (Safari 16, Firefox before 125): no popover API, and ':popover-open' no selector.
const noPopovers = `for (const k of ['showPopover', 'hidePopover', 'togglePopover', 'popover']) delete HTMLElement.prototype[k]; delete HTMLButtonElement.prototype.popoverTargetElement;
  for (const P of [Element.prototype, Document.prototype]) for (const k of ['matches', 'querySelector', 'querySelectorAll', 'closest']) { const f = P[k]; if (f) P[k] = function (s) { if (/popover-open/.test(s)) throw new DOMException("'" + s + "' is not a valid selector.", 'SyntaxError'); return f.call(this, s) } }`

// Empty boxes the page draws by CSS after the card's last control: no stop, nothing hidden in them.
const boxes: [string, string][] = [
  ['an avatar (a round div with a background)', '<div style="width:32px;height:32px;border-radius:50%;background:#8ac linear-gradient(#fff,#8ac)"></div>'],
  ['a status icon (a span with a background, aria-hidden)', '<span aria-hidden="true" style="display:inline-block;width:16px;height:16px;background:currentColor"></span>'],
  ['a progress bar (its fill an empty div)', '<div style="width:200px;height:12px;background:#eee"><div style="width:40%;height:12px;background:#4a4"></div></div>'],
  ['a spacer whose only child is whitespace', '<div style="height:24px"> </div>'],
  ['a loading spinner, an empty custom element not yet defined', '<x-spinner style="display:inline-block;width:20px;height:20px;border:2px solid #999"></x-spinner>'],
  ['a status line whose text sits in a display:contents span', '<p><span style="display:contents">Connected as Ada</span></p>'],
]

const radios = (checked: number) =>
  `<fieldset><legend>Notify in</legend>${['Email', 'Slack', 'Nowhere'].map((c, i) => `<label><input type="radio" name="notify" aria-label="${c}"${i === checked ? ' checked' : ''}> ${c}</label>`).join(' ')}</fieldset>`

describe('a keyboard user on the settings page, the Integrations card marked by a hotspot', () => {
  it('the card ends with a radio group, its first option (Email) chosen: Tab leaves the group from Email to the hotspot, Shift+Tab comes back to Email, not to the group’s last radio', async () => {
    const { context, keys } = await open('radio-first', radios(0))
    expect(await keys('Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab')).toEqual(['Connect Slack', 'Email', 'Show tip: Connect Slack', 'Email', 'Connect Slack'])
    expect(await keys('Tab', 'Tab', 'Tab')).toEqual(['Email', 'Show tip: Connect Slack', 'After'])
    await context.close()
  })

  it('the radio group with its middle option chosen: Tab and Shift+Tab pass it through that option', async () => {
    const { context, keys } = await open('radio-middle', radios(1))
    expect(await keys('Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab')).toEqual(['Connect Slack', 'Slack', 'Show tip: Connect Slack', 'Slack', 'Connect Slack'])
    await context.close()
  })

  it('the radio group with nothing chosen yet: Tab enters it at its first radio and goes on to the hotspot; Shift+Tab comes back in at its last, as the browser does', async () => {
    const { context, keys } = await open('radio-none', radios(-1))
    expect(await keys('Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab')).toEqual(['Connect Slack', 'Email', 'Show tip: Connect Slack', 'Nowhere', 'Connect Slack'])
    await context.close()
  })

  it('the card ends with a note editor holding a link: Tab from the editor (the link is no stop) reaches the hotspot, Shift+Tab comes back to the editor', async () => {
    const { context, keys } = await open('editor', '<div contenteditable aria-label="Setup note">Ask <a href="#/it">IT</a> first</div>')
    expect(await keys('Tab', 'Tab', 'Tab', 'Shift+Tab')).toEqual(['Connect Slack', 'Setup note', 'Show tip: Connect Slack', 'Setup note'])
    await context.close()
  })

  it('the app put focus on the card’s status line (tabindex -1, after its last control): Tab from it reaches the hotspot', async () => {
    const { p, context, keys } = await open('status', '<p id="status" tabindex="-1">Slack is connected.</p>')
    // As an app moves focus to what it just said, after a save.
    await p.locator('#status').evaluate((el: HTMLElement) => el.focus())
    expect(await keys('Tab', 'Tab')).toEqual(['Show tip: Connect Slack', 'After'])
    await context.close()
  })

  it('the card ends with a log of recent deliveries that scrolls, with nothing in it to focus: Tab reaches the log (the keyboard’s way to scroll it), then the hotspot; Shift+Tab comes back to the log', async () => {
    const log = `<div role="log" aria-label="Recent deliveries" style="height:60px;overflow:auto">${'<p>#general: task moved to Done</p>'.repeat(8)}</div>`
    const { context, keys } = await open('log', log)
    expect(await keys('Tab', 'Tab', 'Tab', 'Shift+Tab', 'Tab', 'Tab')).toEqual(['Connect Slack', 'Recent deliveries', 'Show tip: Connect Slack', 'Recent deliveries', 'Show tip: Connect Slack', 'After'])
    await context.close()
  })

  it('the card ends with closed “Advanced” options and a disabled, a hidden and an invisible button: Tab from its summary reaches the hotspot; opened, Tab goes through its options first', async () => {
    const card = '<details><summary>Advanced</summary><button>Reset token</button></details><button disabled>Disconnect</button><button hidden>Hidden</button><button style="visibility:hidden">Invisible</button>'
    const { context, keys } = await open('details', card)
    expect(await keys('Tab', 'Tab', 'Tab', 'Shift+Tab')).toEqual(['Connect Slack', 'Advanced', 'Show tip: Connect Slack', 'Advanced'])
    expect(await keys('Enter', 'Tab', 'Tab', 'Shift+Tab')).toEqual(['Advanced', 'Reset token', 'Show tip: Connect Slack', 'Reset token'])
    await context.close()
  })

  // Its shadow root is closed: the page sees the component, never which of its buttons has focus.
  const closed = `customElements.define('x-days', class extends HTMLElement { constructor() { super(); const r = this.attachShadow({ mode: 'closed' }); window.__closed = r; for (const t of ['Mon', 'Tue']) { const b = document.createElement('button'); b.textContent = t; r.append(b) } } });`

  it('the card ends with a closed web component (a date range with From and To): Tab from From goes to To, not to the hotspot', async () => {
    const pre = closed.replace('x-days', 'x-range').replace("'Mon', 'Tue'", "'From', 'To'")
    const { p, context, keys } = await open('closed', '<x-range></x-range>', pre)
    await p.evaluate(() => (window as any).__closed.querySelector('button').focus())
    expect(await keys('Tab')).toEqual(['To'])
    await context.close()
  })

  it('the card ends with a closed day picker that the app can focus as a whole (tabindex -1): Tab from Mon goes to Tue, not to the hotspot', async () => {
    const { p, context, keys } = await open('closed-focusable', '<x-days tabindex="-1"></x-days>', closed)
    await p.evaluate(() => (window as any).__closed.querySelector('button').focus())
    expect(await keys('Tab', 'Tab')).toEqual(['Tue', 'After'])
    await context.close()
  })

  it('the card ends with a note editor holding a channel field: Tab from the editor goes to the field, then the hotspot', async () => {
    const { context, keys } = await open('editor-field', '<div contenteditable aria-label="Setup note">Post to <input aria-label="Channel"></div>')
    expect(await keys('Tab', 'Tab', 'Tab', 'Tab')).toEqual(['Connect Slack', 'Setup note', 'Channel', 'Show tip: Connect Slack'])
    await context.close()
  })

  it('the card ends with a note editor holding a mention chip that takes focus: Tab from the editor goes to the chip, then the hotspot', async () => {
    const { context, keys } = await open('editor-chip', '<div contenteditable aria-label="Setup note">Ask <span contenteditable="false" tabindex="0" aria-label="Ann">@ann</span></div>')
    expect(await keys('Tab', 'Tab', 'Tab', 'Tab')).toEqual(['Connect Slack', 'Setup note', 'Ann', 'Show tip: Connect Slack'])
    await context.close()
  })

  it('the card ends with a long token clipped sideways (overflow-x hidden, no scrolling that way): it is no stop, Tab from Connect Slack reaches the hotspot', async () => {
    const { context, keys } = await open('clipped', `<div style="overflow-x:hidden;overflow-y:auto;width:100px"><pre>${'w'.repeat(200)}</pre></div>`)
    expect(await keys('Tab', 'Tab')).toEqual(['Connect Slack', 'Show tip: Connect Slack'])
    await context.close()
  })

  it('the card ends with a plan choice whose chosen plan is disabled (no longer sold): Shift+Tab from the hotspot comes back to the first plan, where the browser enters the group', async () => {
    const plans = '<input type=radio name=plan aria-label="Free"><input type=radio name=plan aria-label="Legacy" checked disabled><input type=radio name=plan aria-label="Team">'
    const { context, keys } = await open('radio-disabled', plans)
    expect(await keys('Tab', 'Tab', 'Tab', 'Shift+Tab')).toEqual(['Connect Slack', 'Free', 'Show tip: Connect Slack', 'Free'])
    await context.close()
  })

  it('the card ends with a diagram whose Docs area is an image map link: Tab from Connect Slack reaches Docs, then the hotspot', async () => {
    const map = '<img usemap="#setup" alt="Setup diagram" width="20" height="20" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><map name="setup"><area href="#/docs" aria-label="Docs" shape="rect" coords="0,0,20,20"></map>'
    const { context, keys } = await open('image-map', map)
    expect(await keys('Tab', 'Tab', 'Tab', 'Shift+Tab')).toEqual(['Connect Slack', 'Docs', 'Show tip: Connect Slack', 'Docs'])
    await context.close()
  })

  it('the card ends with an SVG logo wrapped in a link that goes nowhere (no href, no stop): Tab from Connect Slack reaches the hotspot', async () => {
    const { context, keys } = await open('svg-link', '<svg width="50" height="20" aria-label="Slack logo"><a><text y="15">slack</text></a></svg>')
    expect(await keys('Tab', 'Tab', 'Tab')).toEqual(['Connect Slack', 'Show tip: Connect Slack', 'After'])
    await context.close()
  })

  it('the page puts its Help button first in the Tab order (tabindex 2) and it sits in the card: Tab from Help goes on to the page as the browser does, not to the hotspot', async () => {
    const { p, context, keys } = await open('positive', '<button tabindex="2">Help</button>')
    await p.locator('text=Help').focus()
    // The browser visits the page's ordered stops first, then the rest from the top.
    expect(await keys('Tab', 'Tab')).toEqual(['Before', 'Connect Slack'])
    await context.close()
  })

  it('the card ends with a video call preview in an embed: Tab from Connect Slack goes into it, not past it to the hotspot', async () => {
    const { context, keys } = await open('embed', '<embed aria-label="Call preview" src="data:text/html,<button>Join</button>" style="height:40px">')
    expect(await keys('Tab', 'Tab')).toEqual(['Connect Slack', 'Call preview'])
    await context.close()
  })

  it('the card ends with a payment form in a frame: Tab goes through it to the page after the card (its last stop is the frame’s, unseen), the hotspot comes at the end of the page, and Shift+Tab from it goes back to the page’s last control', async () => {
    const { context, keys } = await open('frame', '<iframe title="Card details" srcdoc="<button>Pay</button>" style="height:40px"></iframe>')
    expect(await keys('Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab')).toEqual(['Connect Slack', 'in the frame: Pay', 'After', 'Show tip: Connect Slack', 'After'])
    await context.close()
  })
  it('the card ends with an Options button whose menu (a popover) is open: Tab from Options goes into the menu, as the browser does after an invoker, not to the hotspot', async () => {
    const { p, context, keys } = await open('popover', '<button popovertarget="menu" id="opts">Options</button>', '', '<div popover id="menu"><button>Rename</button><button>Delete</button></div>')
    await p.locator('#opts').click()
    expect(await keys('Tab', 'Tab')).toEqual(['Rename', 'Delete'])
    await context.close()
  })
  it('the card ends with a “Notify” toggle switch (an empty span drawn by CSS, tabindex 0): Tab from it reaches the hotspot, Shift+Tab from the hotspot comes back to it', async () => {
    const { context, keys } = await open('switch', switchBox)
    expect(await keys('Tab', 'Tab', 'Tab', 'Shift+Tab')).toEqual(['Connect Slack', 'Notify', 'Show tip: Connect Slack', 'Notify'])
    await context.close()
  })

  it('the card ends with a channel menu button showing a CSS caret: Tab from it reaches the hotspot', async () => {
    const { context, keys } = await open('caret', `<button aria-label="Channel menu">#general ${caret}</button>`)
    expect(await keys('Tab', 'Tab', 'Tab', 'Shift+Tab')).toEqual(['Connect Slack', 'Channel menu', 'Show tip: Connect Slack', 'Channel menu'])
    await context.close()
  })

  it('the card ends with a 1 px divider line, or a status icon drawn by ::before: Tab from Connect Slack reaches the hotspot, Shift+Tab comes back', async () => {
    for (const [name, end] of [
      ['divider', '<div style="height:1px;background:#ddd"></div>'],
      ['before-icon', '<style>.ok::before{content:"✓"}</style><span class="ok" style="display:inline-block;width:12px;height:12px"></span>'],
    ]) {
      const { p, context, keys } = await open(name, end)
      await p.locator('text=Connect Slack').focus()
      expect(await keys('Tab', 'Shift+Tab')).toEqual(['Show tip: Connect Slack', 'Connect Slack'])
      await context.close()
    }
  })

  it('a shaded spacer sits between the card and the next section: Tab from the hotspot goes on to After, not off the page', async () => {
    const { p, context, keys } = await open('spacer', '', '', '', '<div style="height:16px;background:#eee"></div>')
    await p.locator('text=Connect Slack').focus()
    expect(await keys('Tab', 'Tab')).toEqual(['Show tip: Connect Slack', 'After'])
    await context.close()
  })

  it('the card ends with an Options button whose menu it opened by a command (commandfor) or by script with showPopover({ source }): Tab from Options goes into the menu, not to the hotspot', async () => {
    const menu = '<div popover id="m"><button>Rename</button><button>Delete</button></div>'
    for (const [name, button] of [
      ['commandfor', '<button commandfor="m" command="toggle-popover" id="opts">Options</button>'],
      ['source', `<button id="opts" onclick="document.getElementById('m').showPopover({ source: this })">Options</button>`],
    ]) {
      const { p, context, keys } = await open(name, button, '', menu)
      await p.locator('#opts').click()
      expect(await keys('Tab', 'Tab')).toEqual(['Rename', 'Delete'])
      await context.close()
    }
  })

  it('the card’s other tabs are hidden panels of 400 rows each: Tab from the open panel’s last control (Connect Slack) reaches the hotspot, Shift+Tab comes back', async () => {
    const panels = ['Deliveries', 'Errors'].map((n) => `<div role="tabpanel" aria-label="${n}" hidden><table>${'<tr><td>#general</td><td>ok</td></tr>'.repeat(400)}</table></div>`).join('')
    const { p, context, keys } = await open('hidden-panels', panels)
    await p.locator('text=Connect Slack').focus()
    expect(await keys('Tab', 'Shift+Tab')).toEqual(['Show tip: Connect Slack', 'Connect Slack'])
    await context.close()
  })

  it('in a browser with no popovers (Safari 16, Firefox before 125): Tab from the card’s last control reaches the hotspot, and the tour stays on the page', async () => {
    const { p, context, keys } = await open('no-popover', '', noPopovers)
    await p.locator('text=Connect Slack').focus()
    expect(await keys('Tab', 'Shift+Tab')).toEqual(['Show tip: Connect Slack', 'Connect Slack'])
    expect(await p.evaluate(() => !!document.querySelector('linger-tours')?.shadowRoot?.querySelector('.beacon'))).toBe(true)
    await context.close()
  })
  for (const [what, html] of boxes)
    it(`the card ends with ${what} after Connect Slack: Tab from Connect Slack reaches the hotspot`, async () => {
      const { context, keys } = await open(what.replace(/\W+/g, '-').slice(0, 40), html)
      expect(await keys('Tab', 'Tab', 'Tab')).toEqual(['Connect Slack', 'Show tip: Connect Slack', 'After'])
      await context.close()
    })

  it('Connect Slack shows a tooltip (a popover with no stop in it) while focused: Tab from Connect Slack reaches the hotspot', async () => {
    const tip = `addEventListener('DOMContentLoaded', () => { const b = [...document.querySelectorAll('button')].find((x) => x.textContent == 'Connect Slack'), t = document.querySelector('#tip'); b.addEventListener('focus', () => t.showPopover()); b.addEventListener('blur', () => t.hidePopover()) });`
    const { context, keys } = await open('tooltip', '<div id="tip" popover="manual">Posts task updates to Slack</div>', tip)
    expect(await keys('Tab', 'Tab', 'Tab')).toEqual(['Connect Slack', 'Show tip: Connect Slack', 'After'])
    await context.close()
  })

  it('the page keeps a "Saved" status popover open elsewhere: Tab from Connect Slack reaches the hotspot', async () => {
    const shown = `addEventListener('DOMContentLoaded', () => document.querySelector('#saved').showPopover());`
    const { context, keys } = await open('status-popover', '', shown, '<div id="saved" popover="manual">All changes saved</div>')
    expect(await keys('Tab', 'Tab', 'Tab')).toEqual(['Connect Slack', 'Show tip: Connect Slack', 'After'])
    await context.close()
  })

  it('a Disconnect button under a hidden wrapper the page shows with display:contents: Tab goes Connect Slack, Disconnect, the hotspot, and Shift+Tab back to Disconnect', async () => {
    const { context, keys } = await open('hidden-contents', '<div hidden style="display:contents"><button>Disconnect</button></div>')
    expect(await keys('Tab', 'Tab', 'Tab', 'Shift+Tab')).toEqual(['Connect Slack', 'Disconnect', 'Show tip: Connect Slack', 'Disconnect'])
    expect(await keys('Tab', 'Tab')).toEqual(['Show tip: Connect Slack', 'After'])
    await context.close()
  })
})
