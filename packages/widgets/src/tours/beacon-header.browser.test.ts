import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A hotspot's beacon and the host's own bars at the top and bottom of the window, at 320 px, in
// real Chromium. The beacon marks a spot of the page: when the host's header covers that spot, a
// dot pulsing on the header marks nothing the user can see or press.
const suite = useBrowserSuite({ pageErrors: 'all' })

const flows = (placement?: string, more = {}) => ({ version: 1, settings: { cooldownDays: 0 }, ...more, tours: [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'verify', target: '#t', title: 'Verify your email', beacon: true, placement }] }] })

// Counts the page's hit tests in each animation frame, from before Linger loads.
const counter = `(function () {
  window.__hits = []; var n = 0
  for (var name of ['elementsFromPoint', 'elementFromPoint']) (function (name) {
    var real = Document.prototype[name]
    Document.prototype[name] = function () { n++; return real.apply(this, arguments) }
  })(name)
  requestAnimationFrame(function frame() { window.__hits.push(n); n = 0; requestAnimationFrame(frame) })
})();`

/**
 * `start`: how the tour starts (by default, an event as the page loads); `width`: the window's;
 * `placement`: the step's; `engine`: a script that makes Chromium an older browser; `more`: more
 * of the vendor's config (a banner).
 */
async function open(name: string, body: string, start = "linger.track('Go')", { width = 320, placement = undefined as string | undefined, engine = '', more = {} } = {}) {
  const script = `${engine} ${counter} ${suite.initScript({ flows: flows(placement, more) })} addEventListener('DOMContentLoaded', function () { ${start} })`
  const context = await suite.browser.newContext({ viewport: { width, height: 600 }, reducedMotion: 'reduce' })
  const { page } = await suite.open(`/beacon-header-${name}`, suite.hostPage({ body, script }), context)
  // Not by its role: a page's modal dialog (aria-modal) takes the rest of the page out of the tree.
  await page.waitForFunction(() => (document.querySelector('linger-tours')?.shadowRoot?.querySelector('.beacon') as HTMLElement | null)?.style.left)
  // Where the target sits in the window, top (px), once the page is scrolled there.
  // Read a few frames later: right after the scroll, the beacon is still as it was before it.
  const frames = () => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(done)))))
  const scrollTargetTo = async (top: number) => (await page.evaluate((top) => scrollBy(0, document.querySelector('#t')!.getBoundingClientRect().top - top), top), frames())
  const scrollTo = async (y: number) => (await page.evaluate((y) => window.scrollTo(0, y), y), frames())
  const beacon = () =>
    page.evaluate(() => {
      const el = document.querySelector('linger-tours')!.shadowRoot!.querySelector('.beacon') as HTMLElement
      const b = el.getBoundingClientRect()
      return { shown: getComputedStyle(el).visibility !== 'hidden' && !!el.style.left, inWindow: b.top >= 0 && b.bottom <= innerHeight && b.left >= 0 && b.right <= innerWidth }
    })
  // Whether the user sees the beacon pulse on the page's header (its 56 px at the top).
  const onHeader = () =>
    page.evaluate(() => {
      const el = document.querySelector('linger-tours')!.shadowRoot!.querySelector('.beacon') as HTMLElement
      return getComputedStyle(el).visibility !== 'hidden' && el.getBoundingClientRect().top < 56
    })
  return { page, context, scrollTargetTo, scrollTo, beacon, onHeader }
}

const settings = (header: string) =>
  `<header style="position:sticky;top:0;height:56px;background:#222;color:#fff;${header}">Settings</header><div style="height:400px"></div><p><button id="t">Verify</button></p><div style="height:2000px"></div>`

describe('a hotspot on a settings page with a sticky header, at 320 px', () => {
  it('scrolled so its target goes under the header: the beacon goes too, and comes back with the target', async () => {
    const { context, scrollTargetTo, beacon } = await open('sticky', settings(''))
    await scrollTargetTo(200)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await scrollTargetTo(20)
    await expect.poll(beacon).toMatchObject({ shown: false })
    await scrollTargetTo(300)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await context.close()
  })

  it('the same at the bottom: a tab bar fixed along the bottom edge covers the target, the beacon goes', async () => {
    const body = `<div style="height:1200px"></div><p><button id="t">Verify</button></p><div style="height:2000px"></div><nav style="position:fixed;bottom:0;left:0;right:0;height:56px;background:#222"></nav>`
    const { context, scrollTargetTo, beacon } = await open('tabbar', body)
    await scrollTargetTo(300)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await scrollTargetTo(600 - 40)
    await expect.poll(beacon).toMatchObject({ shown: false })
    await context.close()
  })

  for (const hidden of ['opacity:0', 'visibility:hidden'])
    it(`a header the page hid (${hidden}) hides nothing: the target under it is in plain sight, and so is its beacon`, async () => {
      const { context, scrollTargetTo, beacon } = await open(`hidden-${hidden.split(':')[0]}`, settings(hidden))
      await scrollTargetTo(20)
      await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
      await context.close()
    })

  // Chrome and Firefox before 121/122 ignore opacityProperty and visibilityProperty (they know
  // checkOpacity and checkVisibilityCSS); iOS Safari before 17.4 has no checkVisibility at all.
  for (const [browser, engine] of [
    ['Chrome 120', `var real = Element.prototype.checkVisibility; Element.prototype.checkVisibility = function (o) { return real.call(this, { checkOpacity: !!(o && o.checkOpacity), checkVisibilityCSS: !!(o && o.checkVisibilityCSS) }) };`],
    ['iOS Safari 17.3', 'delete Element.prototype.checkVisibility;'],
  ])
    it(`in ${browser}, a header the page faded out (opacity:0) hides nothing: the target under it is in plain sight, and so is its beacon`, async () => {
      const { context, scrollTargetTo, beacon } = await open(`old-${browser.split(' ')[0]}`, settings('opacity:0'), undefined, { engine })
      await scrollTargetTo(20)
      await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
      await context.close()
    })

  it('a step placed above its target, the target just below the header: the beacon never pulses on the header, and shows once the target is lower', async () => {
    const { context, scrollTargetTo, beacon, onHeader } = await open('above', settings(''), undefined, { placement: 'top' })
    await scrollTargetTo(200)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await scrollTargetTo(60)
    await expect.poll(onHeader).toBe(false)
    await scrollTargetTo(200)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await context.close()
  })

  it('a toolbar button in the first row under the header, its beacon at its side (the default): the user sees the beacon by it', async () => {
    const body = `<header style="position:sticky;top:0;height:56px;background:#222;color:#fff">Settings</header><div style="height:400px"></div><p><button id="t" style="height:36px">Verify</button></p><div style="height:2000px"></div>`
    const { context, scrollTargetTo, beacon, onHeader } = await open('first-row', body)
    await scrollTargetTo(200)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await scrollTargetTo(56)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    expect(await onHeader()).toBe(false)
    await context.close()
  })

  it('scrolling past it costs the page at most one hit test a frame', async () => {
    const { page, context, beacon } = await open('cost', settings(''))
    await expect.poll(beacon).toMatchObject({ shown: true })
    const hits = await page.evaluate(
      () =>
        new Promise<number[]>((resolve) => {
          const from = (window as any).__hits.length
          let y = 0
          const frame = () => {
            scrollTo(0, (y += 9))
            if (y < 600) requestAnimationFrame(frame)
            else setTimeout(() => resolve((window as any).__hits.slice(from)), 100)
          }
          requestAnimationFrame(frame)
        }),
    )
    expect(hits.length).toBeGreaterThan(60)
    expect(Math.max(...hits)).toBeLessThanOrEqual(1)
    await context.close()
  })

  it('once the user opens the hint (its beacon gone, its tip up), a page that changes every frame pays no hit test for it', async () => {
    const { page, context, beacon } = await open('opened', settings('').replace('sticky', 'relative'))
    await expect.poll(beacon).toMatchObject({ shown: true })
    await page.evaluate(() => (document.querySelector('linger-tours')!.shadowRoot!.querySelector('.beacon') as HTMLElement).click())
    await page.waitForFunction(() => !document.querySelector('linger-tours')!.shadowRoot!.querySelector('.beacon'))
    // A live clock on the page, ticking every frame.
    const hits = await page.evaluate(
      () =>
        new Promise<number[]>((resolve) => {
          const from = (window as any).__hits.length
          let n = 0
          const frame = () => {
            document.body.insertAdjacentHTML('beforeend', '<span></span>')
            if (++n < 60) requestAnimationFrame(frame)
            else setTimeout(() => resolve((window as any).__hits.slice(from)), 100)
          }
          requestAnimationFrame(frame)
        }),
    )
    expect(hits.length).toBeGreaterThan(50)
    expect(hits.reduce((a, b) => a + b)).toBe(0)
    await context.close()
  })

  it('the hint opened (its beacon gone), the user resizing the window: the page pays no hit test for Linger, which shows nothing docked', async () => {
    const { page, context, beacon } = await open('opened-resize', settings('').replace('sticky', 'relative'), undefined, { width: 1024 })
    await expect.poll(beacon).toMatchObject({ shown: true })
    await page.evaluate(() => (document.querySelector('linger-tours')!.shadowRoot!.querySelector('.beacon') as HTMLElement).click())
    await page.waitForFunction(() => !document.querySelector('linger-tours')!.shadowRoot!.querySelector('.beacon'))
    const frames = () => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(done)))))
    await frames()
    const from = await page.evaluate(() => (window as any).__hits.length)
    for (const width of [900, 800, 700]) {
      await page.setViewportSize({ width, height: 600 })
      await frames()
    }
    expect(await page.evaluate((from) => (window as any).__hits.slice(from).reduce((a: number, b: number) => a + b, 0), from)).toBe(0)
    await context.close()
  })
})

describe('targets the page keeps in place themselves, under no bar of the page', () => {
  it('a column heading in a sticky table header, the table scrolled: its beacon stays by it', async () => {
    const rows = Array.from({ length: 80 }, (_, i) => `<tr><td>Invoice ${i}</td></tr>`).join('')
    const body = `<div style="height:300px"></div><table style="width:100%"><thead><tr><th style="position:sticky;top:0;background:#eee;text-align:start"><button id="t">Date</button></th></tr></thead><tbody>${rows}</tbody></table>`
    const { page, context, scrollTo, beacon } = await open('table', body)
    await scrollTo(900)
    await expect.poll(() => page.evaluate(() => document.querySelector('#t')!.getBoundingClientRect().top)).toBeLessThan(56)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await context.close()
  })

  it('an account button in a fixed header, the page scrolled: its beacon stays by it', async () => {
    const body = `<header style="position:fixed;top:0;left:0;right:0;height:56px;background:#222"><button id="t" style="position:absolute;right:60px;top:14px">Account</button></header><div style="height:3000px"></div>`
    const { context, scrollTo, beacon } = await open('account', body)
    await scrollTo(500)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await context.close()
  })

  for (const [kind, dialog] of [
    ['Radix sheet', `<div style="position:fixed;inset:0;background:rgba(0,0,0,.5)"></div><div role="dialog" aria-modal="true" style="position:fixed;top:0;left:0;right:0;height:240px;background:#fff"><button id="t" style="margin:8px">Invite</button></div>`],
    ['Headless UI', `<div role="dialog" aria-modal="true" style="position:fixed;inset:0;overflow-y:auto;background:rgba(0,0,0,.5)"><div style="min-height:100%;display:flex;align-items:flex-start;justify-content:center"><div style="width:240px;background:#fff;padding:16px"><button id="t">Invite</button><p style="height:200px">Invite people</p></div></div></div>`],
  ])
    // The vendor shows it as their dialog opens (Linger's own timing waits while a page's modal is open).
    it(`a step inside the page’s ${kind} dialog, over a page with a sticky header: its beacon is by its target, in the window`, async () => {
      const { context, scrollTo, beacon } = await open(`dialog-${kind.split(' ')[0]}`, `${settings('').replace('id="t"', '')}${dialog}`, "linger.on('ready', function () { linger.show('hint') })")
      await scrollTo(300)
      await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
      await context.close()
    })
})

describe('the page changes which of its bars is at the top', () => {
  it('a site with a desktop header and a mobile one, the window narrowed to a phone’s: the beacon goes under the mobile header with its target, not on it', async () => {
    const body = `<style>body { margin: 0 } @media (max-width: 899px) { .desk { display: none } } @media (min-width: 900px) { .mob { display: none } }</style>
      <header class="desk" style="position:sticky;top:0;height:64px;background:#222">Acme</header>
      <header class="mob" style="position:fixed;top:0;left:0;right:0;height:56px;background:#222">Acme</header>
      <div style="height:100px"></div><p><button id="t">Verify</button></p><div style="height:2000px"></div>`
    const { page, context, scrollTargetTo, beacon } = await open('desktop-header', body, undefined, { width: 1024 })
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await page.setViewportSize({ width: 320, height: 600 })
    await scrollTargetTo(200)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await scrollTargetTo(20)
    await expect.poll(beacon).toMatchObject({ shown: false })
    await context.close()
  })

  it('a header that slides away as the user scrolls down, a sticky tab strip taking the top: the beacon goes under the tabs with its target', async () => {
    const body = `<header id="h" style="position:fixed;top:0;left:0;right:0;height:56px;background:#222">Acme</header>
      <div style="height:56px"></div><nav id="tabs" style="position:sticky;top:56px;height:48px;background:#444">Tabs</nav>
      <div style="height:60px"></div><p><button id="t">Verify</button></p><div style="height:2000px"></div>
      <script>addEventListener('scroll', function () { var down = scrollY > 40; h.style.transform = down ? 'translateY(-100%)' : ''; tabs.style.top = down ? '0' : '56px' })</script>`
    const { context, scrollTargetTo, beacon } = await open('sliding-header', body)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await scrollTargetTo(200)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await scrollTargetTo(20)
    await expect.poll(beacon).toMatchObject({ shown: false })
    await context.close()
  })

  it('a cookie bar that comes up along the bottom over the target, the user not scrolling: the beacon goes, and comes back once they accept', async () => {
    const body = `<div style="height:440px"></div><p><button id="t">Verify</button></p><div style="height:2000px"></div>`
    const { page, context, beacon } = await open('cookie-bar', body)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<div id="cookies" style="position:fixed;left:0;right:0;bottom:0;height:180px;background:#222">We use cookies <button>Accept</button></div>'))
    await expect.poll(beacon).toMatchObject({ shown: false })
    await page.evaluate(() => document.querySelector('#cookies')!.remove())
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await context.close()
  })

  it('a cookie bar already in the page, which its script shows and hides (display), the user not scrolling: the beacon goes while it is up, and comes back once they accept', async () => {
    const body = `<div style="height:440px"></div><p><button id="t">Verify</button></p><div style="height:2000px"></div><div id="cookies" style="display:none;position:fixed;left:0;right:0;bottom:0;height:180px;background:#222">We use cookies <button>Accept</button></div>`
    const { page, context, beacon } = await open('cookie-bar-shown', body)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await page.evaluate(() => (document.querySelector('#cookies') as HTMLElement).style.removeProperty('display'))
    await expect.poll(beacon).toMatchObject({ shown: false })
    await page.evaluate(() => ((document.querySelector('#cookies') as HTMLElement).style.display = 'none'))
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await context.close()
  })
})

describe('a phone app with a tab bar fixed along the bottom, at 375 px', () => {
  const tabBar = '<nav style="position:fixed;bottom:0;left:0;right:0;height:56px;background:#222"></nav>'
  // Whether the user sees the beacon pulse on the tab bar (its 56 px at the bottom of the 600 px window).
  const onBar = (page: import('playwright-core').Page) =>
    page.evaluate(() => {
      const el = document.querySelector('linger-tours')!.shadowRoot!.querySelector('.beacon') as HTMLElement
      return getComputedStyle(el).visibility !== 'hidden' && el.getBoundingClientRect().bottom > 600 - 56
    })

  it('a tall plan card half under the tab bar: the user sees its beacon by the part of the card in sight, not on the bar', async () => {
    const body = `<div style="height:900px"></div><div id="t" style="width:220px;height:320px;background:#eef">Pro plan</div><div style="height:2000px"></div>${tabBar}`
    const { page, context, scrollTargetTo, beacon } = await open('tall-card', body, undefined, { width: 375 })
    // Its top 124 px in sight above the bar, the rest under it and below the window.
    await scrollTargetTo(420)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    expect(await onBar(page)).toBe(false)
    await context.close()
  })

  it('the whole app in a fixed shell that scrolls, its tab bar sticky at the bottom: a target scrolled under the bar takes its beacon with it', async () => {
    const body = `<div id="app" style="position:fixed;inset:0;overflow-y:auto"><div style="height:800px"></div><p><button id="t">Verify</button></p><div style="height:2000px"></div>
      <nav style="position:sticky;bottom:0;height:56px;background:#222"></nav></div>`
    const { page, context, beacon } = await open('app-shell', body, undefined, { width: 375 })
    // The user scrolls the app: the button in sight, then under its tab bar.
    const scrollAppTo = (top: number) => page.evaluate((top) => document.querySelector('#app')!.scrollBy(0, document.querySelector('#t')!.getBoundingClientRect().top - top), top)
    await scrollAppTo(300)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await scrollAppTo(600 - 40)
    await expect.poll(() => page.evaluate(() => document.querySelector('#t')!.getBoundingClientRect().top)).toBe(560)
    await expect.poll(() => onBar(page)).toBe(false)
    await expect.poll(beacon).toMatchObject({ shown: false })
    await context.close()
  })
})

describe('two hotspots on one page', () => {
  it('both under the sticky header as the user scrolls on: the page pays no walk up the targets’ ancestors each frame (one target’s answer no longer pushes out the other’s)', async () => {
    const tours = ['a', 'b'].map((id) => ({ id, trigger: { event: 'Go' }, steps: [{ id, target: `#${id}`, title: `Try ${id}`, beacon: true }] }))
    // Counts, each frame, the checks of the root element (is it a dialog?): a walk up a target's
    // ancestors, a style read and a check at each, ends there.
    const reads = `(function () {
      window.__reads = []; var n = 0; var real = Element.prototype.matches
      Element.prototype.matches = function () { if (this === document.documentElement) n++; return real.apply(this, arguments) }
      requestAnimationFrame(function frame() { window.__reads.push(n); n = 0; requestAnimationFrame(frame) })
    })();`
    const body = `<header style="position:sticky;top:0;height:56px;background:#222">Settings</header><div style="height:400px"></div><p><button id="a">Verify</button> <button id="b">Invite</button></p><div style="height:2000px"></div>`
    const script = `${reads} ${suite.initScript({ flows: { version: 1, settings: { cooldownDays: 0 }, tours } })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
    const context = await suite.browser.newContext({ viewport: { width: 375, height: 600 }, reducedMotion: 'reduce' })
    const { page } = await suite.open('/beacon-header-two', suite.hostPage({ body, script }), context)
    await page.waitForFunction(() => document.querySelector('linger-tours')?.shadowRoot?.querySelectorAll('.beacon').length === 2)
    // The row scrolled up under the header, then on, a pixel a frame, still under it.
    await page.evaluate(() => scrollBy(0, document.querySelector('#a')!.getBoundingClientRect().top - 40))
    const hidden = () => page.evaluate(() => [...document.querySelector('linger-tours')!.shadowRoot!.querySelectorAll('.beacon')].map((el) => getComputedStyle(el).visibility))
    await expect.poll(hidden).toEqual(['hidden', 'hidden'])
    const perFrame = await page.evaluate(
      () =>
        new Promise<number[]>((resolve) => {
          let from = 0
          let n = 0
          const frame = () => {
            // The first frames settle the answers (one walk each).
            if (n == 5) from = (window as any).__reads.length
            scrollBy(0, 1)
            if (++n < 30) requestAnimationFrame(frame)
            else setTimeout(() => resolve((window as any).__reads.slice(from)), 100)
          }
          requestAnimationFrame(frame)
        }),
    )
    expect(await hidden()).toEqual(['hidden', 'hidden'])
    expect(perFrame.length).toBeGreaterThan(20)
    expect(perFrame.reduce((a, b) => a + b)).toBe(0)
    await context.close()
  })
})

describe('a tall card under a sticky header at the top, at 375 px', () => {
  const card = `<div style="height:400px"></div><div id="t" style="width:220px;height:350px;background:#eef">Pro plan</div><div style="height:2000px"></div>`
  const header = '<header style="position:sticky;top:0;height:56px;background:#222;color:#fff">Settings</header>'

  it('scrolled so its top is 50 px above the window (most of it in sight below the header): the user still sees its beacon, not on the header', async () => {
    const { context, scrollTargetTo, beacon, onHeader } = await open('tall-top', header + card, undefined, { width: 375 })
    await scrollTargetTo(200)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await scrollTargetTo(-50)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    expect(await onHeader()).toBe(false)
    await context.close()
  })

  it('a Linger banner pushing the page, the header stuck below it, the card’s top under the banner: the user sees its beacon below the header', async () => {
    const more = { announcements: [{ id: 'export', format: 'banner', title: 'Export many invoices at once', body: 'Pick invoices, press Export.', pushLayout: true }] }
    const { page, context, scrollTargetTo, beacon } = await open('tall-banner', header.replace('Settings', '<span id="h">Settings</span>') + card, undefined, { width: 375, more })
    const banner = page.locator('linger-announcements-banner section.banner')
    await banner.waitFor()
    await expect.poll(() => page.evaluate(() => parseFloat(getComputedStyle(document.body).paddingTop))).toBeGreaterThan(16)
    const under = (await banner.boundingBox())!
    // The card's top just under the banner, the header stuck below the banner over the card.
    await scrollTargetTo(under.y + under.height - 20)
    const headerBox = () => page.evaluate(() => document.querySelector('header')!.getBoundingClientRect().toJSON())
    await expect.poll(async () => (await headerBox()).top).toBeGreaterThanOrEqual(under.y + under.height - 1)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    // Below the header, by the part of the card the user sees: not under the banner or on the header.
    const h = await headerBox()
    expect(await page.evaluate(() => document.querySelector('linger-tours')!.shadowRoot!.querySelector('.beacon')!.getBoundingClientRect().top)).toBeGreaterThanOrEqual(h.bottom)
    await context.close()
  })
})

describe('a long feed under a sticky header, a tab bar fixed along the bottom, at 375 px', () => {
  it('scrolled through the feed: its beacon is by the part the user sees, never on the header or the tab bar', async () => {
    const header = '<header style="position:sticky;top:0;height:56px;background:#222;color:#fff">Feed</header>'
    const body = `${header}<div style="height:400px"></div><div id="t" style="width:220px;height:2100px;background:#eef">Feed</div><div style="height:2000px"></div><nav style="position:fixed;bottom:0;left:0;right:0;height:56px;background:#222"></nav>`
    const { page, context, scrollTargetTo } = await open('long-feed', body, undefined, { width: 375 })
    // Where the beacon the user sees is, at each scroll position: on a bar, or off (hidden: fine).
    const seen = () =>
      page.evaluate(() => {
        const el = document.querySelector('linger-tours')!.shadowRoot!.querySelector('.beacon') as HTMLElement
        const b = el.getBoundingClientRect()
        return getComputedStyle(el).visibility === 'hidden' ? 'hidden' : b.top < 56 ? 'on the header' : b.bottom > 600 - 56 ? 'on the tab bar' : 'in sight'
      })
    const at: string[] = []
    for (const top of [300, 0, -200, -400, -600, -800, -1000, -1200, -1400]) {
      await scrollTargetTo(top)
      at.push(`${top}: ${await seen()}`)
    }
    expect(at.filter((a) => a.includes(' on the '))).toEqual([])
    // The feed fills the window between the bars at every one of them: its beacon is there for the user.
    expect(at.filter((a) => !a.endsWith('in sight'))).toEqual([])
    await context.close()
  })
})

describe('what the page pays', () => {
  it('a beacon the vendor placed above its button, on a page with no bars, the user scrolling across the window’s middle a pixel a frame: at most one hit test a frame', async () => {
    const body = `<div style="height:900px"></div><p><button id="t">Verify</button></p><div style="height:2000px"></div>`
    const { page, context, scrollTargetTo, beacon } = await open('hits-top', body, undefined, { width: 375, placement: 'top' })
    await scrollTargetTo(340)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    const perFrame = await page.evaluate(
      () =>
        new Promise<number[]>((resolve) => {
          const from = (window as any).__hits.length
          let n = 0
          const frame = () => {
            scrollBy(0, 1)
            if (++n < 80) requestAnimationFrame(frame)
            else setTimeout(() => resolve((window as any).__hits.slice(from)), 100)
          }
          requestAnimationFrame(frame)
        }),
    )
    expect(perFrame.length).toBeGreaterThan(60)
    expect(Math.max(...perFrame)).toBeLessThanOrEqual(1)
    await context.close()
  })
})

describe('a filter bar that sticks under the header on wide screens and scrolls with the page on phones', () => {
  it('the window narrowed to a phone’s, its button scrolled under the header: the beacon goes with it, not on the header', async () => {
    const body = `<style>body { margin: 0 } @media (min-width: 700px) { #filters { position: sticky; top: 56px } }</style>
      <header style="position:sticky;top:0;height:56px;background:#222;color:#fff;z-index:1">Invoices</header>
      <div style="height:300px"></div><div id="filters" style="height:48px;background:#eee"><button id="t" style="height:36px">Filter</button></div><div style="height:2000px"></div>`
    const { page, context, scrollTargetTo, scrollTo, beacon, onHeader } = await open('filters', body, undefined, { width: 1024, placement: 'top' })
    // On the wide screen, the bar stuck under the header, the beacon above its button by the header.
    await scrollTo(600)
    await expect.poll(() => page.evaluate(() => document.querySelector('#t')!.getBoundingClientRect().top)).toBe(56)
    await expect.poll(beacon).toMatchObject({ shown: true })
    await page.setViewportSize({ width: 375, height: 600 })
    await scrollTargetTo(200)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await scrollTargetTo(10)
    await expect.poll(onHeader).toBe(false)
    await expect.poll(beacon).toMatchObject({ shown: false })
    await context.close()
  })
})

describe('bars within bars: an app header fixed at the top, a sticky trial notice in its first row, at 320 px', () => {
  // The header (104 px) is the bar that covers the page; the notice (40 px) only a part of it.
  const header = (account = '') =>
    `<header style="position:fixed;top:0;left:0;right:0;height:104px;background:#222;color:#fff;z-index:5"><div style="position:sticky;top:0;height:40px;background:#a00">3 days left in your trial</div>${account}</header>`

  it('a target of the page scrolled under the header, below the notice: the user cannot see it, nor its beacon', async () => {
    const body = `${header()}<div style="height:400px"></div><p><button id="t">Verify</button></p><div style="height:2000px"></div>`
    const { context, scrollTargetTo, beacon } = await open('nested-page', body)
    await scrollTargetTo(200)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await scrollTargetTo(64)
    await expect.poll(beacon).toMatchObject({ shown: false })
    await scrollTargetTo(300)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await context.close()
  })

  it("the header's own Account button, the step placed above it (by the notice): its beacon stays by it as the page scrolls", async () => {
    const body = `${header('<button id="t" style="position:absolute;left:60px;top:64px">Account</button>')}<div style="height:3000px"></div>`
    const { context, scrollTo, beacon } = await open('nested-account', body, undefined, { placement: 'top' })
    await scrollTo(500)
    await expect.poll(beacon).toEqual({ shown: true, inWindow: true })
    await context.close()
  })
})
