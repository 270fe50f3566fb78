import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { exampleFlows } from '../../../sdk/src/experiences/checklist/example.fixture'

// A user with a tremor, or on a phone, can hit Linger's small controls: each is at least 24×24 CSS
// px (WCAG 2.5.8), whatever the host page puts near it and whatever text spacing the user applies.
const suite = useBrowserSuite({ pageErrors: 'each' })

// What the WCAG text-spacing bookmarklet applies (1.4.12), put inside Linger's shadow roots.
const SPACING = '*{line-height:1.5!important;letter-spacing:.12em!important;word-spacing:.16em!important}p{margin-block-end:2em!important}'

async function open(path: string, flows: object, body: string, script = '') {
  const init = `${suite.initScript({ flows: { settings: { cooldownDays: 0 }, ...flows } })}
    linger('identify', ${JSON.stringify(path)}); ${script}`
  const context = await suite.browser.newContext({ viewport: { width: 320, height: 640 } })
  const { page } = await suite.open(`/${path}`, suite.hostPage({ body, script: init }), context)
  return page
}

const size = async (target: Locator) => {
  const b = (await target.boundingBox())!
  return `${Math.round(b.width)}×${Math.round(b.height)}`
}
const atLeast24 = (s: string) => s.split('×').every((n) => Number(n) >= 24)

describe('a hotspot beacon next to the host\'s search box', () => {
  it('is a 24×24 target, not one the box 11 px away could crowd', async () => {
    const flows = { tours: [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'search', target: '#t', title: 'Search everything', body: 'Try it', beacon: true }] }] }
    const page = await open('beacon-size', flows, '<section id="t" style="margin:80px 12px;padding:16px">Search</section><input aria-label="Search">', "addEventListener('DOMContentLoaded', () => linger.track('Go'))")
    const beacon = page.getByRole('button', { name: 'Show tip: Search everything' })
    await beacon.waitFor()
    const s = await size(beacon)
    expect(atLeast24(s), s).toBe(true)
    await page.context().close()
  })
})

describe('the checklist panel at 320 px with the user\'s text spacing', () => {
  it('keeps its close button 24×24 or more: the long title beside it does not squeeze it', async () => {
    const page = await open('close-size', exampleFlows, '<main><h1>Acme</h1></main>', "linger.track('Signed In');")
    await page.getByRole('button', { name: /tasks done/ }).click()
    const close = page.getByRole('button', { name: 'Close checklist' })
    await close.waitFor()
    await page.evaluate((css) => {
      const root = document.querySelector('linger-checklist')!.shadowRoot!
      const sheet = new CSSStyleSheet()
      sheet.replaceSync(css)
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
    }, SPACING)
    const s = await size(close)
    expect(atLeast24(s), s).toBe(true)
    await page.context().close()
  })
})
