import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// Hotspot beacons on a right-to-left host page, in real Chromium. Build first:
// LINGER_CDN_DIR=/tmp/cdn-tours node -e "import('./scripts/build.mjs').then(m=>m.buildAll())"
const suite = useBrowserSuite({ pageErrors: 'all' })

const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get updates', beacon: true }] }] }

describe('a hotspot on a right-to-left page', () => {
  for (const width of [1000, 320])
    it(`at ${width}px, its beacon sits after its target in reading order (to its left), on screen, over none of the tabs`, async () => {
      // The app's tabs, in Arabic, start at the right edge, with room on both sides of each; the
      // hotspot marks the first one. As in a left-to-right page (at its right), the beacon comes
      // after the tab's name, not between it and the edge the line starts from.
      const body = '<nav style="display:flex;gap:40px;padding:40px"><button id="t">التكاملات</button><button id="n">الفواتير</button><button>التقارير</button></nav>'
      const script = `document.documentElement.dir = 'rtl'; ${suite.initScript({ flows })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
      const context = await suite.browser.newContext({ viewport: { width, height: 600 }, reducedMotion: 'reduce' })
      const { page } = await suite.open(`/beacon-rtl-${width}`, suite.hostPage({ body, script }), context)
      const beacon = page.getByRole('button', { name: 'Show tip: Connect Slack' })
      await beacon.waitFor()
      const look = () =>
        page.evaluate(() => {
          const b = document.querySelector('linger-tours')!.shadowRoot!.querySelector('.beacon')!.getBoundingClientRect()
          const t = document.querySelector('#t')!.getBoundingClientRect()
          const onTab = [...document.querySelectorAll('nav button')].some((el) => {
            const r = el.getBoundingClientRect()
            return b.left < r.right && r.left < b.right && b.top < r.bottom && r.top < b.bottom
          })
          const placed = b.left !== 0 || b.top !== 0
          return { placed, after: b.right <= t.left && t.left - b.right < 20, onScreen: b.left >= 0 && b.right <= innerWidth, onTab }
        })
      await expect.poll(look).toEqual({ placed: true, after: true, onScreen: true, onTab: false })
      await context.close()
    })
})
