import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { endsAfterItsWord } from '../../../../test/reading-order'

// A tour tip whose language does not read the way the page does, in real Chromium. Build first:
// LINGER_CDN_DIR=/tmp/cdn-tours node -e "import('./scripts/build.mjs').then(m=>m.buildAll())"
const suite = useBrowserSuite({ pageErrors: 'all' })

const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'intro', trigger: { event: 'Go' }, steps: [{ id: 'first', target: '#t', placement: 'bottom-start', title: 'Connect Slack', body: 'Get updates in your channel the moment an invoice is paid.' }] }] }

// The page's first tab, a wide one, with room for the tip on both sides of it on a wide screen
// (flip does not step in): `bottom-start` puts the tip under it, lined up with the edge its line
// starts from in the page's reading direction.
const cases = [
  { page: 'rtl', locale: 'en', start: 'right' },
  { page: 'ltr', locale: 'ar', start: 'left' },
] as const

describe('a tour tip placed `bottom-start` in a language that reads the other way from the page', () => {
  for (const { page: dir, locale, start } of cases)
    for (const width of [1280, 320])
      it(`on a ${dir} page in ${locale}, at ${width}px: lined up with the target's ${start} edge where it fits, its arrow over the target, on screen`, async () => {
        const body = '<nav style="display:flex;gap:24px;padding:24px 40px;padding-inline-start:30vw"><button id="t" style="width:200px">Integrations</button><button>Billing</button></nav>'
        const script = `document.documentElement.dir = '${dir}'; ${suite.initScript({ flows, locale })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
        const context = await suite.browser.newContext({ viewport: { width, height: 600 }, reducedMotion: 'reduce' })
        const { page } = await suite.open(`/tip-${dir}-${locale}-${width}`, suite.hostPage({ body, script }), context)
        await page.getByRole('dialog', { name: 'Connect Slack' }).waitFor()
        const look = () =>
          page.evaluate((start) => {
            const root = document.querySelector('linger-tours')!.shadowRoot!
            const tip = root.querySelector('.tip')!.getBoundingClientRect()
            const a = root.querySelector('.arrow')!.getBoundingClientRect()
            const t = document.querySelector('#t')!.getBoundingClientRect()
            const mid = a.left + a.width / 2
            // Where the whole tip fits on that side it starts where the target does; where it does
            // not (a phone), it is pushed back on screen and only its arrow marks the target.
            const fits = start === 'right' ? t.right - tip.width >= 8 : t.left + tip.width <= innerWidth - 8
            const edge = start === 'right' ? tip.right - t.right : tip.left - t.left
            return {
              placed: tip.top >= t.bottom,
              lined: !fits || Math.abs(edge) < 1,
              arrowOver: mid > t.left && mid < t.right && a.top < t.bottom + 12,
              onScreen: tip.left >= 0 && tip.right <= innerWidth,
            }
          }, start)
        await expect.poll(look).toEqual({ placed: true, lined: true, arrowOver: true, onScreen: true })
        await context.close()
      })
})

describe('a tour in Arabic whose vendor wrote its steps in English', () => {
  it('reads each sentence of the tip in English order: the full stop and question mark end it, they do not jump to its front', async () => {
    const english = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'intro', trigger: { event: 'Go' }, steps: [{ id: 'first', target: '#t', title: 'Ready to connect Slack?', body: 'Get updates in your channel the moment an invoice is paid.' }] }] }
    const script = `${suite.initScript({ flows: english, locale: 'ar' })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
    const context = await suite.browser.newContext({ viewport: { width: 1000, height: 600 }, reducedMotion: 'reduce' })
    const { page } = await suite.open('/tip-ar-english', suite.hostPage({ body: '<nav style="padding:40px"><button id="t">Integrations</button></nav>', script }), context)
    const tip = page.getByRole('dialog', { name: 'Ready to connect Slack?' })
    await tip.waitFor()
    expect(await page.locator('linger-tours').getAttribute('dir')).toBe('rtl')
    expect({ title: await tip.locator('h2').evaluate(endsAfterItsWord), body: await tip.locator('p').evaluate(endsAfterItsWord) }).toEqual({ title: true, body: true })
    await context.close()
  })
})

describe('a tour in Arabic whose next step is on another page, written in English', () => {
  it('names the step in the hint in English order: its question mark ends the title', async () => {
    const elsewhere = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'later', trigger: { event: 'Go' }, steps: [{ id: 'slack', target: '#integrations', url: '/settings*', title: 'Ready to connect Slack?' }] }] }
    const script = `${suite.initScript({ flows: elsewhere, locale: 'ar' })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
    const context = await suite.browser.newContext({ viewport: { width: 1000, height: 600 }, reducedMotion: 'reduce' })
    const { page } = await suite.open('/hint-ar-english', suite.hostPage({ body: '<main><h1>الفواتير</h1></main>', script }), context)
    const title = page.locator('linger-tours section.hint h2')
    await title.waitFor()
    expect(await title.evaluate(endsAfterItsWord)).toBe(true)
    await context.close()
  })
})
