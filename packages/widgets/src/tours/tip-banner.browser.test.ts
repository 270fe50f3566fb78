import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A tour step about the search box in the page's sticky header while a Linger banner is up at the
// top, in real Chromium. The banner stacks below the header (or pushes it down): a tip kept out of
// the banner's band sat a banner's height below the search box, its arrow pointing into the banner,
// over the page's draft the user was writing.
const suite = useBrowserSuite({ pageErrors: 'all' })

const page = `<style>body{margin:0}</style><header style="position:sticky;top:0;height:56px;background:#1a73e8;display:flex;align-items:center;gap:8px;padding:0 8px;z-index:1000">
  <button>☰</button><input id="t" placeholder="Search mail" style="flex:1;min-width:0"><button>?</button></header>
  <ul><li>Message 1</li><li>Message 2</li><li>Message 3</li></ul><h2>Draft</h2><div contenteditable style="height:80px;border:1px solid"></div>
  <div style="height:2000px"></div>`

type Box = { left: number; top: number; right: number; bottom: number }
const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom

async function open(name: string, width: number, pushLayout: boolean, body = page, position = 'top') {
  const flows = {
    version: 1,
    settings: { cooldownDays: 0 },
    announcements: [{ id: 'snooze', format: 'banner', position, title: 'New: snooze messages', body: 'Snooze any message until later.', pushLayout }],
    tours: [{ id: 'search', trigger: { event: 'Start Tour' }, steps: [{ id: 'search', target: '#t', title: 'Search here', body: 'Find any message.' }] }],
  }
  const context = await suite.browser.newContext({ viewport: { width, height: 700 }, reducedMotion: 'reduce' })
  const { page: p } = await suite.open(`/tip-banner-${name}`, suite.hostPage({ body, script: suite.initScript({ flows }) }), context)
  // What the user sees once everything holds still: the search box, the tip, and the banner if it is in sight.
  const read = () =>
    p.evaluate(() => {
      const box = (el: Element) => {
        const { left, top, right, bottom } = el.getBoundingClientRect()
        return { left, top, right, bottom }
      }
      const tip = document.querySelector('linger-tours')?.shadowRoot?.querySelector('[role=dialog]')
      const banner = document.querySelector('linger-announcements-banner')?.shadowRoot?.querySelector('section.banner')
      return { target: box(document.querySelector('#t')!), tip: tip ? box(tip) : null, placement: tip?.getAttribute('data-placement'), banner: banner?.checkVisibility({ visibilityProperty: true }) ? box(banner) : null }
    })
  const still = async () => {
    let last = ''
    for (let i = 0; i < 50; i++) {
      await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
      const now = JSON.stringify(await read())
      if (now === last) return JSON.parse(now) as Awaited<ReturnType<typeof read>>
      last = now
    }
    throw new Error(`the page never held still: ${last}`)
  }
  await p.locator('linger-announcements-banner section.banner').waitFor()
  const { banner } = await still()
  await p.evaluate(() => (window as any).linger.track('Start Tour'))
  await p.locator('[role=dialog][data-placement]').waitFor()
  return { p, context, read, still, banner: banner! }
}

describe('a tour step about the search box in the sticky header, a Linger banner up at the top', () => {
  for (const [width, pushLayout] of [
    [375, false],
    [1280, false],
    [375, true],
  ] as const)
    it(`at ${width} px, the banner ${pushLayout ? 'pushing the page (the header below it)' : 'below the header'}: the tip is right under the search box, the banner steps aside for it, and is back once the tour ends`, async () => {
      const { p, context, read, still, banner: before } = await open(`${width}-${pushLayout}`, width, pushLayout)
      expect(before).toBeTruthy()
      const { target, tip: shown, placement, banner } = await still()
      const tip = shown!
      // Below the search box, a few pixels from it, not a banner's height further down.
      expect(placement).toBe('bottom')
      expect(tip.top - target.bottom).toBeGreaterThanOrEqual(4)
      expect(tip.top - target.bottom).toBeLessThanOrEqual(20)
      // Two Linger surfaces never on top of each other: a banner the user still sees is clear of the tip.
      expect({ bannerOverTip: !!banner && overlap(banner, tip) }).toEqual({ bannerOverTip: false })
      await p.locator('linger-tours [role=dialog] button.close').click()
      await p.locator('linger-tours [role=dialog]').waitFor({ state: 'detached' })
      // Where it was before the tour, in sight again.
      await expect.poll(async () => (await read()).banner).toEqual(before)
      await context.close()
    })

  it('at 375 px, the step about the tab bar’s search at the bottom, a banner docked above the tab bar: the tip is right above it, the banner steps aside, and is back once the tour ends', async () => {
    const bar = `<style>body{margin:0}</style><div style="height:2000px"></div>
      <nav style="position:fixed;bottom:0;left:0;right:0;height:56px;background:#333;display:flex;align-items:center;padding:0 8px"><input id="t" placeholder="Search mail" style="flex:1"></nav>`
    const { p, context, read, still, banner: before } = await open('bottom', 375, false, bar, 'bottom')
    expect(before).toBeTruthy()
    const { target, tip: shown, placement, banner } = await still()
    const tip = shown!
    expect(placement).toBe('top')
    expect(target.top - tip.bottom).toBeGreaterThanOrEqual(4)
    expect(target.top - tip.bottom).toBeLessThanOrEqual(20)
    expect({ bannerOverTip: !!banner && overlap(banner, tip) }).toEqual({ bannerOverTip: false })
    await p.locator('linger-tours [role=dialog] button.close').click()
    await p.locator('linger-tours [role=dialog]').waitFor({ state: 'detached' })
    await expect.poll(async () => (await read()).banner).toEqual(before)
    await context.close()
  })
})
