import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A survey card that stepped aside for a moment (over the page's control a keyboard user tabbed
// to) is on screen again as focus moves on: a tour's hotspot that came meanwhile is not left
// pulsing in the card (over it, it takes the click meant for the card; under it, Tab reaches a
// hotspot no one sees).
const nps = { id: 'nps-quarterly', kind: 'nps', question: 'How likely are you to recommend Acme to a colleague?' }
const tour = { id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'save', target: '#save', title: 'Save your view', body: 'Keep these filters.', beacon: true }] }

const suite = useBrowserSuite({ pageErrors: 'each' })

describe('a keyboard user on the page\'s side panel button when a survey and then a tour hotspot come', () => {
  it('sees the whole survey card once focus moves on, with no hotspot pulsing in it', async () => {
    const body = `<main><h1>Acme</h1><button id="side" style="position:fixed;right:0;top:0;width:420px;height:100%">Help</button>
      <button id="save" style="position:fixed;right:260px;bottom:60px">Save view</button></main>`
    const script = `${suite.initScript({ flows: { settings: { cooldownDays: 0 }, surveys: [nps], tours: [tour] } })}
      linger('identify', 'covered-focus', {});
      linger.on('ready', () => (window.lingerReady = true));`
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 360 } })
    const { page } = await suite.open('/covered-focus', suite.hostPage({ body, script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.keyboard.press('Tab')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('side')
    await page.evaluate(() => (window as any).linger.show('nps-quarterly'))
    const card = page.locator('linger-survey [role=dialog]')
    await card.waitFor({ state: 'attached' })
    await page.evaluate(() => (window as any).linger.track('Go'))
    await page.locator('linger-tours .beacon').waitFor({ state: 'attached' })
    // The live region's pause and a frame or two: the hotspot has had its say on where it goes.
    await page.waitForTimeout(300)
    await page.keyboard.press('Shift+Tab')
    await expect.poll(() => card.isVisible()).toBe(true)
    // Past a frame or two of re-layout: a hotspot still in the card by now stays there.
    await page.waitForTimeout(200)
    const inCard = await page.evaluate(() => {
      const b = document.querySelector('linger-tours')?.shadowRoot?.querySelector('.beacon') as HTMLElement | null
      const c = document.querySelector('linger-survey')!.shadowRoot!.querySelector('[role=dialog]')!.getBoundingClientRect()
      const r = b?.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions) && b.getBoundingClientRect()
      return !!r && r.left < c.right && c.left < r.right && r.top < c.bottom && c.top < r.bottom
    })
    expect(inCard).toBe(false)
    await page.context().close()
  })
})
