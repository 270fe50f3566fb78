import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A hotspot on a card as wide as a 320 px phone screen, in real Chromium, motion allowed. Build first:
// LINGER_CDN_DIR=/tmp/cdn-tours node -e "import('./scripts/build.mjs').then(m=>m.buildAll())"
const suite = useBrowserSuite({ pageErrors: 'all' })

const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get updates', beacon: true }] }] }

describe('a hotspot beacon on a phone', () => {
  for (const dir of ['ltr', 'rtl'])
    it(`at 320px (${dir}), its pulse ring is drawn whole, inside the screen, at its widest`, async () => {
      // No room beside the card on either side: the beacon is kept on screen at the edge its
      // placement points to, where its pulse spreads.
      const body = '<section id="t" style="margin:80px 12px;padding:16px;border:1px solid #ccc">Integrations</section>'
      const script = `document.documentElement.dir = '${dir}'; ${suite.initScript({ flows })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
      const context = await suite.browser.newContext({ viewport: { width: 320, height: 600 } })
      const { page } = await suite.open(`/beacon-pulse-${dir}`, suite.hostPage({ body, script }), context)
      await page.getByRole('button', { name: 'Show tip: Connect Slack' }).waitFor()
      // The ring as the pulse draws it at its widest (the end of its scale animation).
      const ring = () =>
        page.evaluate(() => {
          const root = document.querySelector('linger-tours')!.shadowRoot!
          const beacon = root.querySelector('.beacon')!
          const b = beacon.getBoundingClientRect()
          const pulse = root.getAnimations().find((a) => (a as CSSAnimation).animationName === 'pulse')!
          pulse.pause()
          pulse.currentTime = (pulse.effect!.getTiming().duration as number) - 1
          const style = getComputedStyle(beacon, '::after')
          const scale = new DOMMatrix(style.transform).a
          const half = (parseFloat(style.width) * scale) / 2
          const x = (b.left + b.right) / 2
          const placed = b.left !== 0 || b.top !== 0
          return { placed, left: Math.round(x - half) >= 0, right: Math.round(x + half) <= innerWidth }
        })
      await expect.poll(ring).toEqual({ placed: true, left: true, right: true })
      await context.close()
    })
})
