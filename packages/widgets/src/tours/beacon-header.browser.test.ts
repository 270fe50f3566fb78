import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A hotspot's beacon and the host's own bars at the top and bottom of the window, at 320 px, in
// real Chromium. The beacon marks a spot of the page: when the host's header covers that spot, a
// dot pulsing on the header marks nothing the user can see or press.
const suite = useBrowserSuite({ pageErrors: 'all' })

const flows = (placement?: string) => ({ version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'verify', target: '#t', title: 'Verify your email', beacon: true, placement }] }] })

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
 * `placement`: the step's; `engine`: a script that makes Chromium an older browser.
 */
async function open(name: string, body: string, start = "linger.track('Go')", { width = 320, placement = undefined as string | undefined, engine = '' } = {}) {
  const script = `${engine} ${counter} ${suite.initScript({ flows: flows(placement) })} addEventListener('DOMContentLoaded', function () { ${start} })`
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
