import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { CORNER_SAVE, HEADING, settingsBox } from './settings-box.fixture'

// A SaaS app with Gmail-style shortcuts ("?" opens its help) whose own modal keeps focus in itself
// as focus-trap does (a focusin outside is pulled back), while Linger's centred survey is up.
const suite = useBrowserSuite({ pageErrors: 'each' })
const flows = { version: 1, settings: { cooldownDays: 0 }, surveys: [{ id: 'nps-centre', kind: 'nps', question: 'How likely are you to recommend Mailbox?', placement: 'center' }] }

const APP = `
  window.helpOpened = 0;
  window.openHelp = () => {
    helpOpened++;
    const box = document.createElement('div');
    box.setAttribute('role', 'dialog'); box.setAttribute('aria-modal', 'true');
    box.innerHTML = '<h2>Keyboard shortcuts</h2><button id="help-close" type="button">Close</button>';
    document.body.append(box);
    document.addEventListener('focusin', (e) => box.contains(e.target) || document.getElementById('help-close').focus(), true);
    document.getElementById('help-close').focus();
  };
  document.addEventListener('keydown', (e) => {
    const t = e.target;
    if (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
    if (e.key === '?') openHelp();
  });`

async function surveyUp() {
  const script = `${APP}${suite.initScript({ flows })} linger('identify', 'u-trap'); linger.on('ready', () => linger.show('nps-centre'));`
  const { page } = await suite.open('/inbox', suite.hostPage({ body: '<main id="app"><h1>Inbox</h1></main>', script }))
  await page.locator('linger-survey-modal [role="dialog"]').waitFor()
  return page
}

describe('a host app with its own shortcuts and focus trap, under a centred survey', () => {
  it('"?" pressed in the survey is the survey\'s: the page behind it does not open its help', async () => {
    const page = await surveyUp()
    await page.keyboard.press('?')
    expect(await page.evaluate(() => (window as any).helpOpened)).toBe(0)
  })

  it('the app opens its own focus-trapped dialog while the survey is up (a session timeout): nothing is thrown into the page', async () => {
    const page = await surveyUp()
    await page.evaluate(() => setTimeout(() => (window as any).openHelp()))
    await expect.poll(() => page.evaluate(() => (window as any).helpOpened)).toBe(1)
    // The survey is still there to answer once the app's dialog is done.
    await expect.poll(() => page.locator('linger-survey-modal [role="dialog"]').count()).toBe(1)
  })
})

// A React-style settings modal: no <dialog>, a full-screen box marked aria-modal, focus kept in it
// (as focus-trap keeps it), its Save button in the bottom corner, where a survey card sits.
const SETTINGS = settingsBox(
  [HEADING, CORNER_SAVE],
  `const keep = (e) => box.isConnected && !box.contains(e.target) && document.getElementById('save').focus();
    document.addEventListener('focusin', keep, true);
    window.closeSettings = () => { document.removeEventListener('focusin', keep, true); box.remove(); };
    document.getElementById('save').focus();`,
)
const cornerFlows = { version: 1, settings: { cooldownDays: 0 }, surveys: [{ id: 'nps-corner', kind: 'nps', question: 'How likely are you to recommend Mailbox?' }] }

describe("a corner survey on screen when the app opens its own aria-modal settings (no <dialog>, focus kept in it)", () => {
  it("steps aside: the settings' Save button under it takes the user's click, and the survey is back, answerable, once settings close", async () => {
    const script = `${SETTINGS}${suite.initScript({ flows: cornerFlows })} linger('identify', 'u-corner'); linger.on('ready', () => linger.show('nps-corner'));`
    const { page } = await suite.open('/inbox', suite.hostPage({ body: '<main id="app"><h1>Inbox</h1></main>', script }))
    const card = page.locator('linger-survey [role="dialog"]')
    await card.waitFor()
    const box = (await card.boundingBox())!
    await page.evaluate(() => (window as any).openSettings())
    // What is at the middle of the card's corner is the page's Save, for the click to press.
    const at = () => page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.id || document.elementFromPoint(x, y)?.tagName, [box.x + box.width / 2, box.y + box.height / 2])
    await expect.poll(at).toBe('save')
    await page.evaluate(() => (window as any).closeSettings())
    await expect.poll(at).toBe('LINGER-SURVEY')
    await card.getByRole('radio', { name: '9' }).click()
    await expect.poll(() => card.getByRole('radio', { name: '9' }).getAttribute('aria-checked')).toBe('true')
  })
})

// A tour that guides the user through the app's own Settings box (common): its step points at
// Save, inside the aria-modal box. The tip belongs there, above the box (a corner survey steps
// aside: the test above).
describe("a tour step whose target is inside the app's open aria-modal settings", () => {
  it("stays on screen by Settings' Save, readable, and its Done button takes the user's click", async () => {
    const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'settings-tour', steps: [{ id: 'save', target: '#save', title: 'Save your settings', body: 'Press Save when you are done.' }] }] }
    const script = `${SETTINGS}${suite.initScript({ flows })} linger('identify', 'u-tour'); linger.on('ready', () => (openSettings(), linger.show('settings-tour')));`
    const { page } = await suite.open('/inbox', suite.hostPage({ body: '<main id="app"><h1>Inbox</h1></main>', script }))
    const tip = page.locator('linger-tours [role="dialog"]')
    await tip.waitFor({ state: 'attached' })
    const at = (box: { x: number; y: number; width: number; height: number }) =>
      page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.id || document.elementFromPoint(x, y)?.tagName, [box.x + box.width / 2, box.y + box.height / 2])
    // The tip is what the user sees (and clicks) where it is, not the Settings box under it.
    await expect.poll(async () => at((await tip.boundingBox())!)).toBe('LINGER-TOURS')
    await tip.getByRole('button', { name: 'Done' }).click()
    await expect.poll(() => tip.count()).toBe(0)
  })
})
