import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A phone-sized window (320 × 640) in real Chromium: a hotspot marks the Integrations card, and a
// badge toast ("Team player") comes at the top over the card's side, where the beacon usually sits.
// The beacon moves to a free corner of the card; the user's pointer goes to it. Then the toast
// times out. Had the beacon jumped back to its usual spot then, it would leave from under the
// pointer just as they click, and the click would land on the card instead.
const suite = useBrowserSuite({ pageErrors: 'all' })

const flows = {
  version: 1,
  settings: { cooldownDays: 0 },
  badges: [{ id: 'inviter', title: 'Team player', points: 10, rule: { event: 'Invited', count: { gte: 1 } } }],
  tours: [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get task updates where your team already talks.', beacon: true }] }],
}

const page = `<style>body{margin:0;font-family:sans-serif}.card{border:1px solid #ccc;border-radius:10px;padding:14px;margin:12px}</style>
  <h1>Settings</h1><div class="card" style="height:700px"><h2>Team</h2><input aria-label="Teammate email"> <button>Invite</button></div>
  <div class="card" id="t" style="height:300px"><h2>Integrations</h2><button>Connect Slack</button></div><div style="height:1500px"></div>`

describe('a hotspot on a phone, a badge toast over its usual spot, the user’s pointer on the beacon', () => {
  it('the toast goes: the beacon stays under the pointer (its corner is still free); once the pointer is off it and the page moves, it is back at its usual spot', async () => {
    const script = `${suite.initScript({ flows })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
    const context = await suite.browser.newContext({ viewport: { width: 320, height: 640 }, reducedMotion: 'reduce' })
    const { page: p } = await suite.open('/beacon-hover', suite.hostPage({ body: page, script }), context)
    await p.waitForFunction(() => document.querySelector('linger-tours')?.shadowRoot?.querySelector('.beacon[style]'))
    // The beacon's box if it is on screen, and the toast's while it is up.
    const look = () =>
      p.evaluate(() => {
        const box = (el: Element | null | undefined) => el && (({ left, top, right, bottom }) => ({ left, top, right, bottom }))(el.getBoundingClientRect())
        const beacon = document.querySelector('linger-tours')!.shadowRoot!.querySelector('.beacon')!
        const toast = box(document.querySelector('linger-badge-toast')?.shadowRoot?.querySelector('.toast'))
        return { beacon: beacon.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions) ? box(beacon) : null, toast, card: box(document.querySelector('#t'))! }
      })
    // The app tracks the invite the user just sent: the badge's toast comes at the top.
    await p.evaluate(() => (window as any).linger.track('Invited'))
    await expect.poll(async () => !!(await look()).toast).toBe(true)
    const toast = (await look()).toast!
    // The card scrolled so its middle, by which the beacon usually sits, is under the toast.
    await p.evaluate((y) => {
      const r = document.querySelector('#t')!.getBoundingClientRect()
      scrollBy(0, (r.top + r.bottom) / 2 - y)
    }, (toast.top + toast.bottom) / 2)
    const byTheMiddle = ({ beacon: b, card }: Awaited<ReturnType<typeof look>>) => !!b && Math.abs(b.top + b.bottom - card.top - card.bottom) < 2
    await expect
      .poll(async () => {
        const { beacon } = await look()
        return !!beacon && beacon.top >= toast.bottom
      })
      .toBe(true)
    expect(byTheMiddle(await look())).toBe(false)
    const moved = (await look()).beacon!
    await p.mouse.move((moved.left + moved.right) / 2, (moved.top + moved.bottom) / 2)
    // The toast's own time runs out (the pointer is on the beacon, not on it).
    await expect.poll(async () => (await look()).toast, { timeout: 15_000 }).toBeUndefined()
    // The layout after the toast went has had its frames.
    await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    expect((await look()).beacon).toEqual(moved)
    // A click where the pointer is lands on the beacon (Linger's surface), not on the card.
    expect(await p.evaluate(([x, y]) => document.elementFromPoint(x, y)?.tagName, [(moved.left + moved.right) / 2, (moved.top + moved.bottom) / 2])).toBe('LINGER-TOURS')
    // Pointer away and the page nudged: the beacon goes back to its usual spot by the card's middle.
    await p.mouse.move(5, 5)
    await p.evaluate(() => scrollBy(0, 1))
    await expect.poll(async () => byTheMiddle(await look())).toBe(true)
    await context.close()
  })
})
