import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useBrowserSuite } from '../../../../test/harness'
import { scrollSettled } from '../../../../test/scroll'
import { ROOT } from '../../../../test/static-server'

// Tours in real Chromium: the built runtime on a host page, positioned by floating-ui, driven
// by a mouse and a keyboard. Build first: LINGER_CDN_DIR=/tmp/cdn-tours node scripts/build.mjs
const suite = useBrowserSuite({ pageErrors: 'all' })

type Box = { left: number; top: number; right: number; bottom: number; width: number; height: number }
const EVENTS = ['tour:started', 'tour:step-viewed', 'tour:completed', 'tour:dismissed', 'tour:target-missing']
const RECORD = `window.__ev = []; window.__at = []; ${JSON.stringify(EVENTS)}.forEach(function (n) { linger('on', n, function (p) { __ev.push([n, p]); __at.push(Date.now()) }) });`

let n = 0
/** Opens a host page running `tours`; `script` runs after init (track a trigger event there). */
async function openTours(tours: unknown[] | object, body: string, script = '', opts: { reducedMotion?: boolean; viewport?: { width: number; height: number }; locale?: string } = {}) {
  const flows = Array.isArray(tours) ? { version: 1, settings: { cooldownDays: 0 }, tours } : tours
  const path = `/tour-${++n}`
  const { page } = await suite.open(path, suite.hostPage({ body, script: `${suite.initScript({ flows, ...(opts.locale ? { locale: opts.locale } : {}) })} ${RECORD} addEventListener('DOMContentLoaded', function () { ${script} })` }), await newContext(opts))
  return page
}
async function newContext(opts: { reducedMotion?: boolean; viewport?: { width: number; height: number } }) {
  return suite.browser.newContext({ reducedMotion: opts.reducedMotion === false ? 'no-preference' : 'reduce', viewport: opts.viewport ?? { width: 1000, height: 700 } })
}

const events = (page: Page) => page.evaluate(() => (window as any).__ev as Array<[string, Record<string, unknown>]>)
const names = async (page: Page) => (await events(page)).map(([name]) => name)
const frames = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
const dialog = (page: Page) => page.locator('[role=dialog]')
const tipText = (page: Page, selector: string) =>
  page.evaluate((sel) => document.querySelector('linger-tours')?.shadowRoot?.querySelector(`[role=dialog] ${sel}`)?.textContent ?? null, selector)
/** The tooltip once floating-ui placed it (or centred it) and it holds still (a smooth scroll ended). */
async function placedTip(page: Page) {
  await page.locator('[role=dialog][data-placement], [role=dialog].centered').waitFor()
  const read = () => page.locator('[role=dialog]').evaluate((el) => ({ ...el.getBoundingClientRect().toJSON(), placement: el.getAttribute('data-placement') }) as Box & { placement: string | null })
  let last = ''
  for (let i = 0; i < 50; i++) {
    await frames(page)
    const tip = await read()
    if (JSON.stringify(tip) === last) return tip
    last = JSON.stringify(tip)
  }
  throw new Error(`the tooltip never held still: ${last}`)
}
/** Polls up to 10 s: the machine running these tests is shared, page boots vary. */
const eventually = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 })
const box = (page: Page, selector: string) => page.locator(selector).evaluate((el) => el.getBoundingClientRect().toJSON() as Box)
/** One Tab from where the user is reaches the tip, and the page scrolls its target #t into the 700 px view. */
async function tabToTip(page: Page) {
  await page.keyboard.press('Tab')
  expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('role'))).toBe('dialog')
  await scrollSettled(page)
  const target = await box(page, '#t')
  expect(target.top).toBeGreaterThanOrEqual(0)
  expect(target.bottom).toBeLessThanOrEqual(700)
  return target
}
const viewport = (page: Page) => page.evaluate(() => ({ width: innerWidth, height: innerHeight }))

async function expectInsideViewport(page: Page, tip: Box) {
  const vp = await viewport(page)
  expect(tip.left).toBeGreaterThanOrEqual(0)
  expect(tip.top).toBeGreaterThanOrEqual(0)
  expect(tip.right).toBeLessThanOrEqual(vp.width)
  expect(tip.bottom).toBeLessThanOrEqual(vp.height)
}
/** Beside the target on `side`, within a small gap, and overlapping it along the other axis. */
function expectBeside(tip: Box, target: Box, side: string) {
  const gap = { top: target.top - tip.bottom, bottom: tip.top - target.bottom, left: target.left - tip.right, right: tip.left - target.right }[side]!
  expect(gap).toBeGreaterThanOrEqual(4)
  expect(gap).toBeLessThanOrEqual(20)
  if (side === 'top' || side === 'bottom') expect(Math.min(tip.right, target.right) - Math.max(tip.left, target.left)).toBeGreaterThan(0)
  else expect(Math.min(tip.bottom, target.bottom) - Math.max(tip.top, target.top)).toBeGreaterThan(0)
}

const step = (id: string, extra: Record<string, unknown> = {}) => ({ id, target: '#t', title: `Step ${id}`, body: `About ${id}`, ...extra })
const EXAMPLE = join(ROOT, 'test', 'fixtures', 'flows.json')
const TALL = '<div style="height:3000px"></div>'

describe('placement', () => {
  it('sits next to its target at each placement, inside the viewport', async () => {
    const placements = ['top', 'right', 'bottom', 'left']
    const page = await openTours(
      [{ id: 'places', trigger: { event: 'Go' }, steps: placements.map((p) => step(p, { placement: p })) }],
      `<button id="t" style="position:absolute;left:450px;top:320px;width:90px;height:32px">Target</button>${TALL}`,
      `linger.track('Go');`,
    )
    for (const [i, side] of placements.entries()) {
      const tip = await placedTip(page)
      expect(tip.placement).toBe(side)
      expectBeside(tip, await box(page, '#t'), side)
      await expectInsideViewport(page, tip)
      await expect(page.locator('[role=dialog] .progress').textContent()).resolves.toBe(`${i + 1} of 4`)
      if (i < placements.length - 1) await page.getByRole('button', { name: 'Next' }).click()
    }
  })

  it('the tip’s arrow shows, pointing at its target, at each placement; a tip whose text fits does not scroll under the wheel', async () => {
    // The tip scrolled its own content and clipped the arrow that pokes out of it: the user could
    // not see which element a tip was about. And the arrow's overflow let a tip above its target
    // be wheeled by some 8 px, its title sliding under its top edge.
    const placements = ['top', 'right', 'bottom', 'left']
    const page = await openTours(
      [{ id: 'arrows', steps: placements.map((p) => step(p, { placement: p })) }],
      '<button id="t" style="position:fixed;left:450px;top:320px;width:90px;height:32px">Target</button>',
      "linger.show('arrows')",
    )
    for (const side of placements) {
      const tip = await placedTip(page)
      expect(tip.placement).toBe(side)
      const target = await box(page, '#t')
      const arrow = await page.locator('[role=dialog] .arrow').evaluate((el) => el.getBoundingClientRect().toJSON() as Box)
      const centre = { x: arrow.left + arrow.width / 2, y: arrow.top + arrow.height / 2 }
      // On the tip's edge that faces the target, across from the target.
      if (side === 'top' || side === 'bottom') {
        expect(Math.abs(centre.y - (side === 'top' ? tip.bottom : tip.top))).toBeLessThanOrEqual(1)
        expect(centre.x).toBeGreaterThan(target.left)
        expect(centre.x).toBeLessThan(target.right)
      } else {
        expect(Math.abs(centre.x - (side === 'left' ? tip.right : tip.left))).toBeLessThanOrEqual(1)
        expect(centre.y).toBeGreaterThan(target.top)
        expect(centre.y).toBeLessThan(target.bottom)
      }
      // Its point, 4 px out of the tip towards the target, is painted: the arrow is what is there.
      const out = { top: [0, 4], bottom: [0, -4], left: [4, 0], right: [-4, 0] }[side]!
      const at = await page.evaluate(
        ([x, y]) => document.querySelector('linger-tours')!.shadowRoot!.elementFromPoint(x, y)?.className ?? document.elementFromPoint(x, y)?.localName,
        [centre.x + out[0], centre.y + out[1]],
      )
      expect(at).toBe('arrow')
      // Nothing in the tip scrolls: every scroll container in it holds its content.
      const scrolls = await page.locator('[role=dialog]').evaluate((el) =>
        [el, ...el.querySelectorAll('*')].filter((e) => /auto|scroll/.test(getComputedStyle(e).overflowY)).map((e) => e.scrollHeight - e.clientHeight),
      )
      expect(scrolls.length).toBeGreaterThan(0)
      for (const extra of scrolls) expect(extra).toBe(0)
      const title = () => page.locator('[role=dialog] h2').evaluate((el) => el.getBoundingClientRect().top - el.closest('[role=dialog]')!.getBoundingClientRect().top)
      const before = await title()
      await page.mouse.move(tip.left + tip.width / 2, tip.top + tip.height / 2)
      await page.mouse.wheel(0, 200)
      await frames(page)
      expect(await title()).toBe(before)
      if (side !== 'left') await page.getByRole('button', { name: 'Next' }).click()
    }
  })

  it('flips and shifts to stay inside the viewport near its edges', async () => {
    const page = await openTours(
      [{ id: 'edge', trigger: { event: 'Go' }, steps: [step('right', { placement: 'right' })] }],
      `<button id="t" style="position:fixed;right:4px;top:4px;width:60px;height:30px">Edge</button>`,
      `linger.track('Go');`,
    )
    const tip = await placedTip(page)
    expect(tip.placement).toBe('left')
    expectBeside(tip, await box(page, '#t'), 'left')
    await expectInsideViewport(page, tip)
  })

  it('follows its target when the page scrolls and when the window is resized', async () => {
    const page = await openTours(
      [{ id: 'follow', steps: [step('bottom', { placement: 'bottom' })] }],
      `<div style="height:900px"></div><button id="t" style="margin-left:800px;width:120px;height:32px">Target</button>${TALL}`,
      // Asked for: one that starts on its own does not scroll the page (see 'a tour the app starts on its own').
      `linger.show('follow');`,
    )
    await placedTip(page)
    await page.evaluate(() => scrollBy(0, 150))
    await frames(page)
    let tip = await placedTip(page)
    expectBeside(tip, await box(page, '#t'), 'bottom')
    await page.setViewportSize({ width: 600, height: 500 })
    await page.evaluate(() => document.getElementById('t')!.scrollIntoView({ block: 'center' }))
    await frames(page)
    tip = await placedTip(page)
    expectBeside(tip, await box(page, '#t'), 'bottom')
    await expectInsideViewport(page, tip)
  })

  it('a tip whose target the user scrolled far away is hidden, not pinned to the edge; scrolled back, it is beside its target again with focus where it was', async () => {
    const page = await openTours([{ id: 's', steps: [step('a', { placement: 'bottom', body: 'Body text' })] }], '<div style="height:400px"></div><button id="t">Target</button>' + TALL, "linger.show('s')")
    await placedTip(page)
    await scrollSettled(page)
    const focused = () => page.evaluate(() => document.querySelector('linger-tours')?.shadowRoot?.activeElement?.getAttribute('role') ?? document.activeElement?.tagName)
    expect(await focused()).toBe('dialog')
    await page.mouse.wheel(0, 1500)
    await scrollSettled(page)
    await expect.poll(() => dialog(page).isVisible()).toBe(false)
    await page.mouse.wheel(0, -1500)
    await scrollSettled(page)
    await expect.poll(() => dialog(page).isVisible()).toBe(true)
    expectBeside(await placedTip(page), await box(page, '#t'), 'bottom')
    expect(await focused()).toBe('dialog')
  })

  it('scrolls a target inside a scrolling container into view and anchors to it there', async () => {
    const page = await openTours(
      [{ id: 'inner', steps: [step('inner', { placement: 'right' })] }],
      `<div id="scroller" style="margin:40px;width:300px;height:200px;overflow:auto;border:1px solid">
         <div style="height:1200px"></div><button id="t">Deep inside</button><div style="height:600px"></div></div>`,
      `linger.show('inner');`,
    )
    const tip = await placedTip(page)
    const target = await box(page, '#t')
    const scroller = await box(page, '#scroller')
    expect(target.top).toBeGreaterThanOrEqual(scroller.top)
    expect(target.bottom).toBeLessThanOrEqual(scroller.bottom)
    expectBeside(tip, target, 'right')
    await page.locator('#scroller').evaluate((el) => el.scrollBy(0, 40))
    await frames(page)
    expectBeside(await placedTip(page), await box(page, '#t'), 'right')
  })

  const HEADER = '<header id="h" style="position:fixed;top:0;left:0;right:0;height:90px;background:#eee;z-index:5">App</header>'
  /** A 900px panel 1,500px down a page with a fixed 90px header (or `body` under it), its tour asked for (linger.show) after `script`. */
  const underHeader = (script: string, body = `<div style="height:1500px"></div><section id="t" style="width:300px;height:900px;background:#def">A long panel</section>${TALL}`) =>
    openTours([{ id: 'header', steps: [step('tall', { placement: 'right' })] }], HEADER + body, `${script} linger.show('header');`, { reducedMotion: false })
  /** The target's top is below the header where the page rests (and above `below`: not scrolled past). */
  const expectClearOfHeader = async (page: Page, below = 200) => {
    await placedTip(page)
    // Where the page comes to rest is what the user sees: read mid-scroll, any position passes by.
    await scrollSettled(page)
    // Centred, a 900px panel would start above the viewport, under the 90px header.
    const { top } = await box(page, '#t')
    expect(top).toBeLessThan(below)
    expect(top).toBeGreaterThanOrEqual(90)
    expect(await page.evaluate((y) => document.elementFromPoint(150, y + 2)?.id, top)).toBe('t')
  }

  it('a target under a fixed header is scrolled (smoothly) to where the header does not cover it', async () => {
    await expectClearOfHeader(await underHeader(''))
  })

  it('a busy device: the page is held up just after the scroll is asked for, and the header is still cleared where it rests', async () => {
    // A second of other work 50 ms after the scroll is asked for (the test times it through
    // scrollIntoView): Linger's 800 ms fallback comes due during it. Whether the browser then
    // runs that check or the scroll first is its own choice; when the check came first and was
    // not followed up, the panel was left at -100px (3 runs in 6 here, and once in CI).
    // position.test.ts plays both orders deterministically.
    const page = await underHeader(`
      var reveal = Element.prototype.scrollIntoView;
      Element.prototype.scrollIntoView = function (opts) {
        reveal.call(this, opts);
        setTimeout(function () { var end = performance.now() + 1000; while (performance.now() < end); }, 50);
      };`)
    await expectClearOfHeader(page)
  })

  it('a target in a scroll container far down the page: both scroll, and the header is cleared where the page rests', async () => {
    // The container comes to rest first, with the panel still far below: its scrollend is one
    // rest, not the end, or the page scroll after it leaves the panel under the header.
    const page = await underHeader(
      '',
      `<div style="height:4000px"></div>
       <div id="c" style="height:650px;overflow:auto"><div style="height:200px"></div><section id="t" style="width:300px;height:600px;background:#def">A panel</section><div style="height:1400px"></div></div>
       <div style="height:3000px"></div>`,
    )
    await expectClearOfHeader(page, 700)
  })

  it('draws a spotlight around the target without touching the target’s own styles', async () => {
    const page = await openTours(
      [{ id: 'spot', trigger: { event: 'Go' }, steps: [step('spot', { spotlight: true })] }],
      `<button id="t" style="position:absolute;left:300px;top:300px;width:100px;height:40px">Target</button>`,
      `linger.track('Go');`,
    )
    const before = await page.locator('#t').evaluate((el) => [el.getAttribute('style'), el.getAttribute('class')])
    await placedTip(page)
    const spot = await page.locator('linger-tours .spot').evaluate((el) => el.getBoundingClientRect().toJSON() as Box)
    const target = await box(page, '#t')
    expect(spot.left).toBeLessThanOrEqual(target.left)
    expect(spot.right).toBeGreaterThanOrEqual(target.right)
    expect(spot.top).toBeLessThanOrEqual(target.top)
    expect(spot.bottom).toBeGreaterThanOrEqual(target.bottom)
    expect(await page.locator('#t').evaluate((el) => [el.getAttribute('style'), el.getAttribute('class')])).toEqual(before)
    // The target stays clickable through the overlay.
    expect(await page.evaluate(() => document.elementFromPoint(350, 320)?.id)).toBe('t')
  })
})

describe('a step that is not on this page', () => {
  it('without a page of its own: a hint while it waits, then Tour Dismissed (target-missing), never Completed', async () => {
    const body = '<button id="a">First</button>'
    const tour = { id: 'gone', steps: [step('one', { target: '#a' }), step('two', { target: '#elsewhere', waitMs: 1500 })] }
    const page = await openTours([tour], body, "linger.show('gone')")
    await page.getByRole('button', { name: 'Next' }).click()
    const hint = page.locator('linger-tours').getByRole('region', { name: 'Step two' })
    await hint.getByText('This step is on another page').waitFor()
    expect(await hint.getByRole('link').count()).toBe(0)
    await eventually(() => names(page)).toContain('tour:dismissed')
    const sent = await events(page)
    expect(sent.map(([n]) => n)).not.toContain('tour:completed')
    expect(sent.at(-1)).toEqual(['tour:dismissed', { tourId: 'gone', runId: expect.any(String), stepIndex: 1, stepId: 'two', reason: 'target-missing' }])
    expect(await hint.count()).toBe(0)
  })
})

describe('a tour whose first step lives on another page', () => {
  it('ended from the card that says so, before the user saw any step: no Tour Started, no Tour Dismissed; but the user said "End tour", and a "once" tour does not come again on its page', async () => {
    const tour = { id: 'billing', trigger: { event: 'Go' }, repeat: 'once', steps: [{ id: 'plan', target: '#plan', title: 'Your plan', url: '#/billing*' }] }
    const later = { id: 'later', trigger: { event: 'Then' }, steps: [{ id: 'upgrade', target: '#plan', title: 'Upgrade here' }] }
    const page = await openTours([tour, later], '<button id="plan">Plan</button>', `location.hash = '#/dashboard'; linger.track('Go');`)
    const hint = page.locator('linger-tours').getByRole('region', { name: 'Your plan' })
    await hint.getByRole('link', { name: 'Go there' }).waitFor()
    await hint.getByRole('button', { name: 'End tour' }).click()
    await hint.waitFor({ state: 'detached' })
    expect(await names(page)).toEqual([])
    // On the billing page its trigger brings nothing: the tour triggered just after it takes the screen.
    await page.evaluate(() => ((location.hash = '#/billing'), (window as any).linger.track('Go'), (window as any).linger.track('Then')))
    await eventually(() => tipText(page, 'h2')).toBe('Upgrade here')
    expect((await events(page)).map(([n, p]) => `${n} ${p.tourId}`)).toEqual(['tour:started later', 'tour:step-viewed later'])
    expect(await page.evaluate(() => (window as any).linger.why('billing').reasons)).toEqual(['repeat-once'])
  })
})

describe('on a phone', () => {
  const PHONE = { viewport: { width: 375, height: 667 } }
  /** Every button in the tip lies fully inside the visible viewport, so each can be tapped. */
  async function buttonsReachable(page: Page) {
    const vv = await page.evaluate(() => ({ left: visualViewport!.offsetLeft, top: visualViewport!.offsetTop, width: visualViewport!.width, height: visualViewport!.height }))
    const buttons = await page.locator('[role=dialog] button').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as Box))
    expect(buttons.length).toBeGreaterThan(0)
    for (const b of buttons) {
      expect(b.left).toBeGreaterThanOrEqual(vv.left - 0.5)
      expect(b.top).toBeGreaterThanOrEqual(vv.top - 0.5)
      expect(b.right).toBeLessThanOrEqual(vv.left + vv.width + 0.5)
      expect(b.bottom).toBeLessThanOrEqual(vv.top + vv.height + 0.5)
    }
  }

  it('on a page that scrolls sideways, a tip that flips beside its button is shifted back in, Done included', async () => {
    // A 900 px wide page on a 375 px phone, scrolled so the button sits at the right edge.
    const body = '<div style="width:900px;height:1200px;position:relative"><button id="t" style="position:absolute;left:560px;top:300px">Click</button></div>'
    const page = await openTours([{ id: 'wide', steps: [step('a', { placement: 'right', body: 'A tip long enough to need most of a phone screen to say what it has to say.' })] }], body, "scrollTo(250, 0); linger.show('wide')", PHONE)
    const tip = await placedTip(page)
    await expectInsideViewport(page, tip)
    await buttonsReachable(page)
    // Not over the button it explains.
    const target = await box(page, '#t')
    expect(tip.right <= target.left || tip.left >= target.right || tip.bottom <= target.top || tip.top >= target.bottom).toBe(true)
  })

  it('at 320 px, a tip that cannot fit beside its target becomes a bottom sheet that leaves the target visible', async () => {
    const body = '<div style="height:1400px;padding:300px 8px"><button id="t" style="width:300px;height:120px">A wide control</button></div>'
    const long = 'This step explains a wide control in some detail, because there is a lot to say about it, more than fits beside it on a small phone.'
    const page = await openTours([{ id: 'sheet', steps: [step('a', { placement: 'left', body: long })] }], body, "linger.show('sheet')", { viewport: { width: 320, height: 568 } })
    await page.locator('[role=dialog][data-sheet]').waitFor()
    const tip = await placedTip(page)
    await expectInsideViewport(page, tip)
    expect(tip.width).toBeGreaterThan(280)
    expect(tip.bottom).toBeGreaterThan(568 - 40)
    await buttonsReachable(page)
    const target = await box(page, '#t')
    expect(tip.top).toBeGreaterThanOrEqual(target.bottom)
  })

  it('at 320 px, a step whose text holds a long link or word wraps it: nothing scrolls sideways, in the tip or the page', async () => {
    const body = '<button id="t" style="margin:120px 8px">Integrations</button>'
    const title = 'Donaudampfschifffahrtsgesellschaftskapitänsmütze'
    const long = 'Paste your key from https://dashboard.example.com/settings/integrations/webhooks/signing-secrets/production into the field.'
    const page = await openTours([{ id: 'url', steps: [step('a', { title, body: long })] }], body, "linger.show('url')", { viewport: { width: 320, height: 568 } })
    const tip = await placedTip(page)
    await expectInsideViewport(page, tip)
    // The tip's text box shows all of its text: no part of the link behind a sideways scroll.
    const overflow = await page.locator('[role=dialog] .in').evaluate((el) => el.scrollWidth - el.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    await buttonsReachable(page)
  })

  it('at 320 px, a bottom sheet whose target the user scrolled out of sight goes, and comes back with it, focus where it was', async () => {
    const body = '<div style="height:2400px;padding:300px 8px"><button id="t" style="width:300px;height:120px">A wide control</button></div>'
    const long = 'This step explains a wide control in some detail, because there is a lot to say about it, more than fits beside it on a small phone.'
    const page = await openTours([{ id: 'sheet', steps: [step('a', { placement: 'left', body: long })] }], body, "linger.show('sheet')", { viewport: { width: 320, height: 568 } })
    await page.locator('[role=dialog][data-sheet]').waitFor()
    await placedTip(page)
    await scrollSettled(page)
    const focused = () => page.evaluate(() => document.querySelector('linger-tours')?.shadowRoot?.activeElement?.getAttribute('role') ?? document.activeElement?.tagName)
    expect(await focused()).toBe('dialog')
    await page.mouse.wheel(0, 1200)
    await scrollSettled(page)
    await expect.poll(() => dialog(page).isVisible()).toBe(false)
    await page.mouse.wheel(0, -1200)
    await scrollSettled(page)
    await expect.poll(() => dialog(page).isVisible()).toBe(true)
    expect(await page.locator('[role=dialog][data-sheet]').count()).toBe(1)
    expect(await focused()).toBe('dialog')
  })

  for (const vp of [
    { width: 320, height: 568 },
    { width: 640, height: 360 }, // 1280×720 at 200% zoom
  ])
    it(`a step with no target and a long translated body, at ${vp.width}×${vp.height}: inside the screen, clear of the checklist launcher, its text scrolls and every button can be pressed`, async () => {
      const body = Array.from({ length: 8 }, () => 'Sehr lange übersetzte Erklärung dieses Schritts, die auf einem kleinen Bildschirm mehrere Zeilen braucht.').join(' ')
      const flows = {
        version: 1,
        settings: { cooldownDays: 0 },
        tours: [{ id: 'c', steps: [{ id: 'a', title: 'Willkommen bei Acme', body }] }],
        checklists: [{ id: 'cl', title: 'Erste Schritte', tasks: [{ id: 'a', title: 'A', doneWhen: { event: 'A' } }] }],
      }
      const page = await openTours(flows, '<p>host</p>', "linger.show('c')", { viewport: vp })
      const launcher = page.locator('linger-checklist .wrap')
      await launcher.waitFor()
      const tip = await placedTip(page)
      await expectInsideViewport(page, tip)
      await buttonsReachable(page)
      const stack = await launcher.evaluate((el) => el.getBoundingClientRect().toJSON() as Box)
      expect(tip.bottom).toBeLessThanOrEqual(stack.top)
      const text = await page.locator('[role=dialog] p').evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }))
      expect(text.scroll).toBeGreaterThan(text.client)
    })

  it('pinch-zoomed in, the tip stays inside what the user sees', async () => {
    const body = '<div style="height:1400px;padding:200px 40px"><button id="t">Zoomed target</button></div>'
    const page = await openTours([{ id: 'zoom', steps: [step('a', { placement: 'right' })] }], body, '', PHONE)
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 2 })
    await page.evaluate(() => (window as any).linger.show('zoom'))
    await placedTip(page)
    await buttonsReachable(page)
  })
})

describe('targets that are late, missing or removed', () => {
  it('waits for a target that appears 2 s after the tour started, then shows the step', async () => {
    // The target comes 2 s after the tour started looking for it (its UI in the page), not 2 s
    // after the page loaded: on a loaded CI machine the engine once started the tour later than
    // that, and the target was already there. (Its Tour Started waits for the target.)
    const page = await openTours(
      [{ id: 'late', trigger: { event: 'Go' }, steps: [step('late', { waitMs: 5000 })] }],
      '',
      `var look = setInterval(function () { if (!document.querySelector('linger-tours')) return; clearInterval(look); setTimeout(function () { var b = document.createElement('button'); b.id = 't'; b.textContent = 'Late'; document.body.append(b); window.__added = Date.now() }, 2000) }, 20); linger.track('Go');`,
    )
    const tip = await placedTip(page)
    expectBeside(tip, await box(page, '#t'), 'bottom')
    expect(await names(page)).toEqual(['tour:started', 'tour:step-viewed'])
    // Shown once the target came, not before.
    const [[, viewed], added] = await page.evaluate(() => [(window as any).__at as number[], (window as any).__added as number] as const)
    expect(viewed).toBeGreaterThanOrEqual(added)
  })

  it("a closed menu's item (visibility: hidden) is not the target: the step shows by the copy the user can see", async () => {
    const page = await openTours(
      [{ id: 'menu', trigger: { event: 'Go' }, steps: [step('menu', { target: '.export', waitMs: 5000 })] }],
      `<nav style="position:absolute;top:40px;left:40px"><ul style="visibility:hidden;margin:0"><li><button class="export">Export (menu)</button></li></ul></nav>
       <button class="export" id="t" style="position:absolute;top:300px;left:400px">Export</button>`,
      "linger.track('Go')",
    )
    const tip = await placedTip(page)
    expectBeside(tip, await box(page, '#t'), 'bottom')
  })

  it('a target that never appears: skip moves on, end dismisses, center shows the step mid-screen', async () => {
    const missing = (id: string, onMissing: string) => ({ id, target: '#nowhere', title: `Missing ${id}`, waitMs: 400, onMissing })
    const page = await openTours(
      [
        { id: 'skip-tour', trigger: { event: 'Skip' }, steps: [missing('gone', 'skip'), { id: 'here', target: '#t', title: 'Here' }] },
        { id: 'end-tour', trigger: { event: 'End' }, steps: [missing('gone', 'end'), { id: 'here', target: '#t', title: 'Here' }] },
        { id: 'center-tour', trigger: { event: 'Center' }, steps: [missing('gone', 'center')] },
      ],
      '<button id="t">Here</button>',
      `linger.track('Skip');`,
    )
    await eventually(() => tipText(page, 'h2')).toBe('Here')
    expect((await events(page)).find(([n]) => n === 'tour:target-missing')?.[1]).toEqual({ tourId: 'skip-tour', runId: expect.any(String), stepIndex: 0, stepId: 'gone', reason: 'skip' })
    await page.getByRole('button', { name: 'Done' }).click()

    await page.evaluate(() => (window as any).linger.track('End'))
    // Ended at its first step, which never was on screen: the vendor hears its target is missing,
    // and of no start (nor dismissal) of a tour nobody saw.
    await eventually(async () => (await events(page)).at(-1)).toEqual(['tour:target-missing', { tourId: 'end-tour', runId: expect.any(String), stepIndex: 0, stepId: 'gone', reason: 'end' }])
    expect(await dialog(page).count()).toBe(0)
    expect((await events(page)).filter(([, p]) => p.tourId === 'end-tour').map(([n]) => n)).toEqual(['tour:target-missing'])

    await page.evaluate(() => (window as any).linger.track('Center'))
    const tip = await placedTip(page)
    const vp = await viewport(page)
    expect(Math.abs(tip.left + tip.width / 2 - vp.width / 2)).toBeLessThan(2)
    expect(Math.abs(tip.top + tip.height / 2 - vp.height / 2)).toBeLessThan(2)
    expect((await events(page)).slice(-2).map(([n, p]) => [n, p.tourId, p.reason])).toEqual([
      ['tour:target-missing', 'center-tour', 'center'],
      ['tour:step-viewed', 'center-tour', undefined],
    ])
  })

  it('a target removed mid-step is waited for, and the step returns with it', async () => {
    const page = await openTours(
      [{ id: 'removed', trigger: { event: 'Go' }, steps: [step('a', { waitMs: 3000, onMissing: 'end' })] }],
      '<div id="slot"><button id="t">Target</button></div>',
      `linger.track('Go');`,
    )
    await placedTip(page)
    // Re-rendered in place (same selector, new element): the step follows it without a blink.
    await page.evaluate(() => document.getElementById('t')!.replaceWith(Object.assign(document.createElement('button'), { id: 't', textContent: 'Re-rendered' })))
    await frames(page)
    expect(await dialog(page).count()).toBe(1)
    expectBeside(await placedTip(page), await box(page, '#t'), 'bottom')
    await page.evaluate(() => document.getElementById('t')!.remove())
    await eventually(() => dialog(page).count()).toBe(0)
    await page.evaluate(() => document.getElementById('slot')!.insertAdjacentHTML('beforeend', '<button id="t">Back again</button>'))
    expectBeside(await placedTip(page), await box(page, '#t'), 'bottom')
    expect((await names(page)).filter((x) => x === 'tour:step-viewed')).toHaveLength(1)
  })
})

describe('multi-page apps', () => {
  it('a tour goes on after the full page load its hint’s Go link makes, at the step it was on, counted once', async () => {
    const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'mpa', trigger: { event: 'Go' }, steps: [step('one'), { id: 'two', target: '#r', title: 'Step two', url: '/mpa-reports*' }] }] }
    const page = (p: string, body: string, script = '') => suite.hostPage({ body, script: `${suite.initScript({ flows })} ${RECORD} addEventListener('DOMContentLoaded', function () { ${script} })` }).then((html) => (suite.site.pages[p] = html))
    await page('/mpa-home', '<button id="t">On home</button>', `linger.track('Go');`)
    await page('/mpa-reports', '<button id="r">Export</button>')
    const { page: tab } = await suite.open('/mpa-home', suite.site.pages['/mpa-home'], await newContext({}))
    await placedTip(tab)
    await tab.getByRole('button', { name: 'Next' }).click()
    const hint = tab.locator('linger-tours').getByRole('region', { name: 'Step two' })
    await hint.getByRole('link', { name: 'Go there' }).click()
    await tab.waitForURL('**/mpa-reports')
    await eventually(() => tipText(tab, 'h2')).toBe('Step two')
    expectBeside(await placedTip(tab), await box(tab, '#r'), 'bottom')
    // This page heard only what happened on it: step two's view, not a second start.
    expect(await names(tab)).toEqual(['tour:step-viewed'])
    await tab.getByRole('button', { name: 'Done' }).click()
    expect(await names(tab)).toEqual(['tour:step-viewed', 'tour:completed'])
    // Each event reached the collector once: one start, one view per step, one completion.
    await eventually(async () => suite.collector.stored().filter((e) => e.properties?.tourId === 'mpa').map((e) => e.event)).toEqual(['Tour Started', 'Tour Step Viewed', 'Tour Step Viewed', 'Tour Completed'])
    // A reload once it is over brings nothing back.
    await tab.reload()
    await tab.waitForFunction(() => (window as any).linger?.loaded)
    await tab.waitForTimeout(800)
    expect(await dialog(tab).count()).toBe(0)
  })
})

describe('a tab the user duplicates mid-tour (its sessionStorage copied)', () => {
  it('the copy does not take the tour up while the tab it came from shows it; that tab, reloaded, goes on where it was', async () => {
    const flows = { version: 1, settings: { cooldownDays: 0 }, tours: [{ id: 'dup', trigger: { event: 'Go' }, steps: [step('one'), step('two')] }] }
    const html = await suite.hostPage({ body: '<button id="t">Target</button> <button id="start">Start</button>', script: `${suite.initScript({ flows })} ${RECORD} addEventListener('DOMContentLoaded', function () { document.getElementById('start').addEventListener('click', function () { linger.track('Go') }) })` })
    suite.site.pages['/dup'] = html
    const { page: tab, context } = await suite.open('/dup', html, await newContext({}))
    await tab.waitForFunction(() => (window as any).linger?.loaded)
    await tab.locator('#start').click()
    await placedTip(tab)
    await tab.getByRole('button', { name: 'Next' }).click()
    await eventually(() => tipText(tab, '.progress')).toBe('2 of 2')
    // What Chromium's "Duplicate" does: a new tab with this one's sessionStorage, loading its URL.
    const saved = await tab.evaluate(() => JSON.stringify(Object.entries(sessionStorage)))
    const copy = await context.newPage()
    await copy.addInitScript((entries) => JSON.parse(entries).forEach(([k, v]: [string, string]) => sessionStorage.setItem(k, v)), saved)
    await copy.goto(tab.url())
    await copy.waitForFunction(() => (window as any).linger?.loaded)
    // The copy either shows the tour or lets its copy of the save go, the tour being the other tab's.
    await copy.waitForFunction(() => !Object.keys(sessionStorage).some((k) => k.startsWith('linger:tour:')) || document.querySelector('linger-tours')?.shadowRoot?.querySelector('[role=dialog]'))
    expect(await dialog(copy).count()).toBe(0)
    expect(await names(copy)).toEqual([])
    expect(await tipText(tab, '.progress')).toBe('2 of 2')
    await tab.reload()
    await eventually(() => tipText(tab, '.progress')).toBe('2 of 2')
    expect(await names(tab)).toEqual([])
  })
})

describe('a tab the user leaves mid-tour (another tab in front)', () => {
  /**
   * The tab goes to the background or comes back, as the browser says it. (Playwright's headless
   * Chromium keeps every page visible: neither another page in front, a minimized window nor a
   * frozen page changes document.visibilityState.)
   */
  const visible = (page: Page, on: boolean) =>
    page.evaluate((on) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (on ? 'visible' : 'hidden') })
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => !on })
      document.dispatchEvent(new Event('visibilitychange'))
    }, on)

  it('a step whose target the app draws while the user is in the other tab counts as viewed when they come back, not before', async () => {
    const page = await openTours([{ id: 'late', trigger: { event: 'Go' }, steps: [step('late', { waitMs: 5000 }), step('next', { target: '#n' })] }], '<p>Loading reports…</p>', `linger.track('Go')`)
    // The tour looks for its target: nothing on screen, nothing started.
    await page.locator('linger-tours').waitFor({ state: 'attached' })
    await visible(page, false)
    // The reports the app was loading come in while the user reads their mail.
    await page.evaluate(() => document.body.append(Object.assign(document.createElement('button'), { id: 't', textContent: 'Reports' })))
    await dialog(page).waitFor({ state: 'attached' })
    await frames(page)
    expect(await names(page), 'no start nor view while nobody looks').toEqual([])
    await visible(page, true)
    await eventually(() => names(page)).toEqual(['tour:started', 'tour:step-viewed'])
    expect((await events(page))[1][1]).toMatchObject({ stepIndex: 0, stepId: 'late' })
    await frames(page)
    expect(await names(page), 'counted once').toHaveLength(2)
  })

  it('a tour the app asked for (show) while the tab was behind, then the user signed out: the visitor after them does not get it when the tab comes to the front', async () => {
    const page = await openTours([{ id: 'manual', steps: [step('one')] }], '<button id="t">Reports</button>')
    await page.waitForFunction(() => (window as any).linger?.loaded)
    await visible(page, false)
    await page.evaluate(() => ((window as any).linger.identify('ana'), (window as any).linger.show('manual')))
    await page.evaluate(() => (window as any).linger.reset())
    await visible(page, true)
    await frames(page)
    await page.waitForTimeout(300)
    expect(await dialog(page).count()).toBe(0)
    expect(await names(page)).toEqual([])
  })
})

describe('a page the user comes back to mid-tour with Back (restored from the back/forward cache)', () => {
  it('a step shown mid-screen (its target never came) stays as it was, its Target Missing counted once, not again on the return', async () => {
    const page = await openTours(
      [{ id: 'back', trigger: { event: 'Go' }, steps: [step('a', { target: '#nowhere', onMissing: 'center', waitMs: 1500 }), step('b')] }],
      '<button id="t">Target</button>',
      `linger.track('Go')`,
    )
    await placedTip(page)
    expect(await tipText(page, 'h2')).toBe('Step a')
    // What the browser says as it restores the page (Playwright's Chromium keeps no back/forward cache).
    await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })))
    await frames(page)
    expect(await dialog(page).count(), 'the tip the user was reading, on screen').toBe(1)
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByRole('button', { name: 'Done' }).click()
    expect(await names(page)).toEqual(['tour:started', 'tour:target-missing', 'tour:step-viewed', 'tour:step-viewed', 'tour:completed'])
  })
})

describe('single-page apps', () => {
  it('a route change mid-tour pauses it; it resumes when its page and target return', async () => {
    const page = await openTours(
      [{ id: 'spa', trigger: { event: 'Go' }, steps: [step('one'), step('two')] }],
      '<main id="app"></main>',
      `function route() { document.getElementById('app').innerHTML = location.hash === '#/b' ? '<p>Page B</p>' : '<button id="t">On A</button>' }
       addEventListener('hashchange', route); location.hash = '#/a'; route(); linger.track('Go');`,
    )
    await placedTip(page)
    await page.getByRole('button', { name: 'Next' }).click()
    await eventually(() => tipText(page, 'h2')).toBe('Step two')
    await page.evaluate(() => (location.hash = '#/b'))
    await eventually(() => dialog(page).count()).toBe(0)
    await page.waitForTimeout(3500) // longer than the default wait: a paused tour does not time out
    expect(await names(page)).not.toContain('tour:target-missing')
    await page.evaluate(() => (location.hash = '#/a'))
    await eventually(() => tipText(page, 'h2')).toBe('Step two')
    await eventually(() => tipText(page, '.progress')).toBe('2 of 2')
    expect((await names(page)).filter((x) => x === 'tour:step-viewed')).toHaveLength(2)
  })
  it('a step on a nav link that survives the route change stays up, still anchored', async () => {
    const page = await openTours(
      [{ id: 'nav', trigger: { event: 'Go' }, steps: [{ id: 'tab', target: '#t', title: 'Reports tab', placement: 'bottom' }] }],
      '<nav><a id="t" href="#/reports">Reports</a></nav><main id="app"></main>',
      `addEventListener('hashchange', function () { document.getElementById('app').textContent = location.hash }); linger.track('Go');`,
    )
    await placedTip(page)
    await page.locator('#t').click()
    await eventually(() => page.evaluate(() => location.hash)).toBe('#/reports')
    await page.waitForTimeout(300)
    expect(await tipText(page, 'h2')).toBe('Reports tab')
    expectBeside(await placedTip(page), await box(page, '#t'), 'bottom')
  })
})

describe('advancing, keyboard and focus', () => {
  /**
   * A tour started by Enter on a button of the page (focus there), once its tip is placed. The
   * press waits for the experiences to run: an event tracked before is held, and a tour it then
   * starts is not known to be the user's (it is announced and offered by Tab, not focused).
   */
  async function startedFromButton(id: string, steps: unknown[]) {
    const page = await openTours(
      [{ id, trigger: { event: 'Go' }, steps }],
      '<button id="t">Target</button> <button id="start">Start tour</button>',
      `document.getElementById('start').addEventListener('click', function () { linger.track('Go') }); linger.on('ready', function () { window.__ready = true });`,
    )
    await page.waitForFunction(() => (window as any).__ready)
    await page.locator('#start').focus()
    await page.keyboard.press('Enter')
    await placedTip(page)
    return page
  }

  it('a click on the target advances a click step', async () => {
    const page = await openTours(
      [{ id: 'click', trigger: { event: 'Go' }, steps: [step('press', { advance: 'click' }), { id: 'after', target: '#u', title: 'After' }] }],
      '<button id="t">Press me</button> <button id="u">Then me</button>',
      `linger.track('Go');`,
    )
    await placedTip(page)
    await page.locator('#t').click()
    await eventually(() => tipText(page, 'h2')).toBe('After')
    expect((await events(page)).filter(([x]) => x === 'tour:step-viewed').map(([, p]) => p.stepId)).toEqual(['press', 'after'])
  })

  it('keyboard only on a step that asks for a click on its target: no Next, and → does not pass it; Tab from the tip reaches the target, and Enter there moves on', async () => {
    const page = await startedFromButton('press', [step('a', { advance: 'click' }), { id: 'b', target: '#start', title: 'Then this' }])
    expect(await dialog(page).getByRole('button', { name: 'Next' }).count()).toBe(0)
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('Enter')
    expect(await tipText(page, '.progress')).toBe('1 of 2')
    // From the tip: × (its last control on a first step), then the target.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label'))).toBe('Close tour')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('t')
    await page.keyboard.press('Enter')
    await eventually(() => tipText(page, 'h2')).toBe('Then this')
    expect((await events(page)).filter(([x]) => x === 'tour:step-viewed').map(([, p]) => p.stepId)).toEqual(['a', 'b'])
  })

  it('keyboard only: focus moves into the tour, arrows step through it, Enter finishes, focus returns', async () => {
    const page = await startedFromButton('keys', [step('a'), step('b'), step('c')])
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('role'))).toBe('dialog')
    await page.keyboard.press('ArrowRight')
    await eventually(() => tipText(page, '.progress')).toBe('2 of 3')
    await page.keyboard.press('ArrowLeft')
    await eventually(() => tipText(page, '.progress')).toBe('1 of 3')
    await page.keyboard.press('ArrowRight')
    await eventually(() => tipText(page, '.progress')).toBe('2 of 3')
    await page.keyboard.press('ArrowRight')
    await eventually(() => tipText(page, '.progress')).toBe('3 of 3')
    // Tab through Close and Back to Done.
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent)).toBe('Done')
    await page.keyboard.press('Enter')
    await eventually(() => dialog(page).count()).toBe(0)
    expect(await names(page)).toContain('tour:completed')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('start')
  })

  it('Esc closes the tour, reports the step and reason, and gives focus back', async () => {
    const page = await startedFromButton('esc', [step('a'), step('b')])
    await page.keyboard.press('ArrowRight')
    await eventually(() => tipText(page, '.progress')).toBe('2 of 2')
    await page.keyboard.press('Escape')
    await eventually(() => dialog(page).count()).toBe(0)
    expect((await events(page)).at(-1)).toEqual(['tour:dismissed', { tourId: 'esc', runId: expect.any(String), stepIndex: 1, stepId: 'b', reason: 'escape' }])
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('start')
  })

  it('a tour the app starts on its own leaves focus on the link a keyboard user is on, and the page where it is; it is announced, and Tab goes to it', async () => {
    const page = await openTours(
      [{ id: 'auto', trigger: { event: 'Dashboard Viewed' }, steps: [{ id: 'a', target: '#t', title: 'Auto', body: 'Body', placement: 'bottom' }] }],
      `<nav><a href="#a" id="n1">Home</a> <a href="#b" id="n2">Reports</a></nav><div style="height:1500px"></div><button id="t">Target</button>${TALL}`,
    )
    await page.waitForFunction(() => (window as any).linger?.loaded)
    await page.locator('#n1').focus()
    await page.keyboard.press('Tab')
    // From a timer, as an app reports a page view: no click or key of the user's in it.
    await page.evaluate(() => setTimeout(() => (window as any).linger.track('Dashboard Viewed'), 50))
    await expectInsideViewport(page, await placedTip(page))
    expect(await page.evaluate(() => [document.activeElement?.id, scrollY])).toEqual(['n2', 0])
    await expect.poll(() => page.locator('linger-live').evaluate((el) => el.shadowRoot?.textContent ?? '')).toContain('Tour: Auto. Press Tab to go to it.')
    const target = await tabToTip(page)
    expectBeside(await placedTip(page), target, 'bottom')
  })

  it('a tour the app started on its own, announced: the keyboard user then presses "Take the tour" (Enter on the button that tracks its trigger), and focus goes to its tip', async () => {
    const page = await openTours(
      [{ id: 'welcome', trigger: { event: 'Tour Requested' }, steps: [{ id: 'a', target: '#t', title: 'Welcome', placement: 'bottom' }, step('b')] }],
      `<button id="take">Take the tour</button> <button id="feedback">Feedback</button><div style="height:1500px"></div><button id="t">Target</button>${TALL}`,
      `document.getElementById('take').addEventListener('click', function () { linger.track('Tour Requested') });`,
    )
    await page.waitForFunction(() => (window as any).linger?.loaded)
    // The app's own call, from a timer: no click or key of the user's in it.
    await page.evaluate(() => setTimeout(() => (window as any).linger.track('Tour Requested'), 50))
    await placedTip(page)
    await expect.poll(() => page.locator('linger-live').evaluate((el) => el.shadowRoot?.textContent ?? '')).toContain('Tour: Welcome. Press Tab to go to it.')
    await page.locator('#take').focus()
    await page.keyboard.press('Enter')
    await eventually(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('role'))).toBe('dialog')
    // Taken to its target, as a tour the user asked for is.
    await scrollSettled(page)
    const target = await box(page, '#t')
    expect(target.top).toBeGreaterThanOrEqual(0)
    expect(target.bottom).toBeLessThanOrEqual(700)
    // The same tour, not a second start.
    expect(await tipText(page, '.progress')).toBe('1 of 2')
    expect((await names(page)).filter((x) => x === 'tour:started')).toHaveLength(1)
  })

  it('the same, with "Take the tour" wired to linger.show(id): Enter on it takes focus to the tip the app opened on its own', async () => {
    const page = await openTours(
      [{ id: 'welcome', trigger: { event: 'Tour Requested' }, steps: [{ id: 'a', target: '#t', title: 'Welcome', placement: 'bottom' }, step('b')] }],
      `<button id="take">Take the tour</button><div style="height:1500px"></div><button id="t">Target</button>${TALL}`,
      `document.getElementById('take').addEventListener('click', function () { linger.show('welcome') });`,
    )
    await page.waitForFunction(() => (window as any).linger?.loaded)
    await page.evaluate(() => setTimeout(() => (window as any).linger.track('Tour Requested'), 50))
    await placedTip(page)
    await page.locator('#take').focus()
    await page.keyboard.press('Enter')
    await eventually(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('role'))).toBe('dialog')
    expect(await tipText(page, '.progress')).toBe('1 of 2')
    expect((await names(page)).filter((x) => x === 'tour:started')).toHaveLength(1)
  })

  it('"Take the tour" pressed while the tab waits for its turn across the user’s tabs (the app’s own call already on its way): the tour comes as theirs, focus in its tip', async () => {
    const page = await openTours(
      [{ id: 'welcome', trigger: { event: 'Tour Requested' }, steps: [{ id: 'a', target: '#t', title: 'Welcome', placement: 'bottom' }, step('b')] }],
      `<button id="take">Take the tour</button><div style="height:1500px"></div><button id="t">Target</button>${TALL}`,
      `document.getElementById('take').addEventListener('click', function () { linger.track('Tour Requested') });`,
    )
    await page.waitForFunction(() => (window as any).linger?.loaded)
    await page.evaluate(() => (window as any).linger.identify('u_1'))
    // The user's other tab holds their turn a moment (it is granting something).
    const lock = 'linger:grant:u:u_1'
    await page.evaluate((name) => new Promise<void>((held) => navigator.locks.request(name, () => (held(), new Promise((r) => ((window as any).__free = r))))), lock)
    // The app's own call, from a timer: the tour waits for the turn.
    await page.evaluate(() => setTimeout(() => (window as any).linger.track('Tour Requested'), 50))
    await eventually(() => page.evaluate(async (name) => (await navigator.locks.query()).pending?.some((l) => l.name == name), lock)).toBe(true)
    await page.locator('#take').click()
    await page.evaluate(() => (window as any).__free())
    await placedTip(page)
    await eventually(() => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('role'))).toBe('dialog')
    expect((await names(page)).filter((x) => x === 'tour:started')).toHaveLength(1)
  })

  it('a keyboard user on the step’s target: Tab goes into its tip, not past the whole page; from its last button Tab goes on in the page, Shift+Tab from the tip back to the target', async () => {
    // Started on its own, the tip is not focused: its surface is at the end of the body, so from
    // the control it is about, the tip's buttons were every Tab stop of the page away.
    const links = Array.from({ length: 30 }, (_, i) => `<a href="#l${i}">Link ${i}</a>`).join(' ')
    const page = await openTours(
      [{ id: 'own', trigger: { event: 'Dashboard Viewed' }, steps: [step('a'), step('b')] }],
      `<a href="#a" id="before">Before</a> <button id="t">Target</button> <a href="#b" id="after">After</a> ${links}`,
    )
    await page.waitForFunction(() => (window as any).linger?.loaded)
    await page.evaluate(() => setTimeout(() => (window as any).linger.track('Dashboard Viewed'), 50))
    await placedTip(page)
    const at = () => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label') ?? document.activeElement?.shadowRoot?.activeElement?.getAttribute('role') ?? document.activeElement?.shadowRoot?.activeElement?.textContent ?? document.activeElement?.id)
    await page.locator('#t').focus()
    await page.keyboard.press('Tab')
    expect(await at()).toBe('dialog')
    await page.keyboard.press('Tab')
    expect(await at()).toBe('Close tour')
    await page.keyboard.press('Tab')
    expect(await at()).toBe('Next')
    await page.keyboard.press('Tab')
    expect(await at()).toBe('after')
    await page.keyboard.press('Shift+Tab')
    expect(await at()).toBe('t')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Shift+Tab')
    expect(await at()).toBe('t')
    // A Tab is only a Tab: the tour is where it was.
    expect(await tipText(page, '.progress')).toBe('1 of 2')
    expect(await names(page)).toEqual(['tour:started', 'tour:step-viewed'])
  })

  it('from the tip’s last button Tab goes on to the editor right after the target (a contenteditable, no tabindex), as the page’s own Tab does, not past it', async () => {
    const page = await openTours(
      [{ id: 'own', trigger: { event: 'Dashboard Viewed' }, steps: [step('a'), step('b')] }],
      `<button id="t">Bold</button> <div id="editor" contenteditable>Write your note</div> <a href="#b" id="after">After</a>`,
    )
    await page.waitForFunction(() => (window as any).linger?.loaded)
    await page.evaluate(() => setTimeout(() => (window as any).linger.track('Dashboard Viewed'), 50))
    await placedTip(page)
    const at = () => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent ?? document.activeElement?.id)
    await page.locator('#t').focus()
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await at()).toBe('Next')
    await page.keyboard.press('Tab')
    expect(await at()).toBe('editor')
  })

  it('a tour that starts while the user types in a field leaves the caret and the keystrokes there; it is announced, and Tab goes to it', async () => {
    const page = await openTours(
      [{ id: 'typing', trigger: { event: 'Go' }, steps: [step('a'), step('b')] }],
      `<input id="field"><div style="height:2000px"></div><button id="t">Target</button>${TALL}`,
      `document.getElementById('field').addEventListener('keydown', function (e) { if (e.key === 'g') linger.track('Go') });`,
    )
    await page.waitForFunction(() => (window as any).linger?.loaded)
    await page.locator('#field').focus()
    await page.keyboard.press('g')
    await placedTip(page)
    // Arrow keys and Escape are the field's: the tour stays on its first step, open.
    await page.keyboard.type('o on')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('Escape')
    expect(await page.inputValue('#field')).toBe('go on')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field')
    expect(await tipText(page, '.progress')).toBe('1 of 2')
    // The page stays on the field being typed in; it goes to the target once the user goes to the tip.
    expect(await page.evaluate(() => scrollY)).toBe(0)
    await expect.poll(() => page.locator('linger-live').evaluate((el) => el.shadowRoot?.textContent ?? '')).toContain('Tour: Step a. Press Tab to go to it.')
    // One Tab from the field reaches the tip; Esc there ends the tour and gives the field back.
    await tabToTip(page)
    await page.keyboard.press('Escape')
    await eventually(() => dialog(page).count()).toBe(0)
    expect((await events(page)).at(-1)).toEqual(['tour:dismissed', { tourId: 'typing', runId: expect.any(String), stepIndex: 0, stepId: 'a', reason: 'escape' }])
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field')
  })

  it('a to-do list whose Enter in the field tracks the trigger: the tour comes, and the next to-dos typed and entered stay in the field, caret and all', async () => {
    const page = await openTours(
      [{ id: 'todos', trigger: { event: 'Todo Added' }, steps: [step('a'), step('b')] }],
      `<input id="new"><div style="height:2000px"></div><button id="t">Target</button>${TALL}`,
      `document.getElementById('new').addEventListener('keydown', function (e) { if (e.key === 'Enter') linger.track('Todo Added'), (this.value = '') });`,
    )
    await page.waitForFunction(() => (window as any).linger?.loaded)
    await page.locator('#new').focus()
    await page.keyboard.type('milk')
    await page.keyboard.press('Enter')
    await placedTip(page)
    // Each Enter is the user's key press, but it adds a to-do: it asks for no tour.
    await page.keyboard.type('eggs')
    await page.keyboard.press('Enter')
    await page.keyboard.type('bread')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('new')
    expect(await page.inputValue('#new')).toBe('bread')
    expect(await tipText(page, '.progress')).toBe('1 of 2')
  })
})

describe('hotspots', () => {
  it('a beacon pulses next to its target without taking focus or the blocking slot, and opens the tip', async () => {
    const page = await openTours(
      [
        { id: 'hint', trigger: { url: '#/settings*' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get updates', beacon: true }] },
        { id: 'blocking', trigger: { event: 'Go' }, steps: [{ id: 'x', target: '#u', title: 'Blocking tour' }] },
      ],
      '<button id="t">Integrations</button><div style="height:300px"></div><button id="u">Other</button>',
      `location.hash = '#/settings'; linger.track('Go');`,
      { reducedMotion: false },
    )
    const beacon = page.getByRole('button', { name: 'Show tip: Connect Slack' })
    await beacon.waitFor()
    await eventually(() => tipText(page, 'h2')).toBe('Blocking tour')
    // A dot on screen is not a tour started: the hotspot's start waits for the user opening it.
    const started = async () => (await events(page)).filter(([x]) => x === 'tour:started').map(([, p]) => p.tourId)
    expect(await started()).toEqual(['blocking'])
    const animation = await beacon.evaluate((el) => getComputedStyle(el, '::after').animationName)
    expect(animation).toBe('pulse')
    const b = await beacon.evaluate((el) => el.getBoundingClientRect().toJSON() as Box)
    const t = await box(page, '#t')
    expect(b.left).toBeGreaterThanOrEqual(t.right)
    expect(b.left - t.right).toBeLessThan(20)
    await page.getByRole('button', { name: 'Done' }).click()
    await beacon.click()
    await eventually(() => tipText(page, 'h2')).toBe('Connect Slack')
    expect(await started()).toEqual(['blocking', 'hint'])
    await page.getByRole('button', { name: 'Done' }).click()
    expect((await events(page)).filter(([x]) => x === 'tour:completed').map(([, p]) => p.tourId)).toEqual(['blocking', 'hint'])
  })

  it('a hotspot with more steps whose target the user clicks, its dot never opened: started then, as a one-step one is, so its next step’s events follow a start (here: that step’s card never came)', async () => {
    const page = await openTours(
      [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'spot', target: '#t', title: 'Integrations', beacon: true, advance: 'click' }, { id: 'slack', target: '#slack', title: 'Connect Slack', waitMs: 800 }] }],
      '<button id="t">Integrations</button>',
      `linger.track('Go');`,
    )
    await page.getByRole('button', { name: 'Show tip: Integrations' }).waitFor()
    await page.locator('#t').click()
    await eventually(async () => (await events(page)).map(([n, p]) => `${n}@${p.stepIndex}`)).toEqual(['tour:started@0', 'tour:target-missing@1', 'tour:dismissed@1'])
  })

  it('keyboard only: the beacon is the next Tab stop after its target, not after the whole page; from it Tab goes on in the page, Shift+Tab back to the target', async () => {
    const page = await openTours(
      [{ id: 'hint', trigger: { url: '#/settings*' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get updates', beacon: true }] }],
      '<a href="#a" id="before">Before</a> <button id="t">Integrations</button> <a href="#b" id="after">After</a>',
      `location.hash = '#/settings';`,
    )
    await page.getByRole('button', { name: 'Show tip: Connect Slack' }).waitFor()
    const at = () => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id)
    await page.locator('#t').focus()
    await page.keyboard.press('Tab')
    expect(await at()).toBe('Show tip: Connect Slack')
    await page.keyboard.press('Tab')
    expect(await at()).toBe('after')
    await page.keyboard.press('Shift+Tab')
    expect(await at()).toBe('t')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Shift+Tab')
    expect(await at()).toBe('t')
    // Opened from the keyboard, its tip takes focus; closed, focus is back on the target.
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await eventually(() => tipText(page, 'h2')).toBe('Connect Slack')
    await page.keyboard.press('Escape')
    await eventually(at).toBe('t')
  })

  it('a hotspot opened while a tour is up: the tour’s tip steps aside (never two tips over each other) and comes back when the hotspot’s closes', async () => {
    const page = await openTours(
      [
        { id: 'blocking', trigger: { event: 'Go' }, steps: [{ id: 'x', target: '#u', title: 'Blocking tour', body: 'Body', placement: 'bottom' }] },
        { id: 'hint', trigger: { url: '#/settings*' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get updates', beacon: true }] },
      ],
      '<button id="u" style="position:absolute;left:100px;top:100px">Other</button><button id="t" style="position:absolute;left:240px;top:100px">Integrations</button>',
      `linger.track('Go'); location.hash = '#/settings'`,
    )
    await placedTip(page)
    await page.getByRole('button', { name: 'Show tip: Connect Slack' }).click()
    const shown = () => page.locator('[role=dialog]:visible')
    await eventually(() => shown().count()).toBe(1)
    expect(await shown().locator('h2').textContent()).toBe('Connect Slack')
    await shown().getByRole('button', { name: 'Done' }).click()
    await eventually(() => shown().locator('h2').allTextContents()).toEqual(['Blocking tour'])
  })

  // Closing a hotspot's tip removes its beacon (the hotspot is done): focus that went back to
  // it would land on the page body, and a keyboard user would start again from the top.
  const focused = (page: Page) =>
    page.evaluate(() => {
      const host = document.activeElement
      const inner = host?.shadowRoot?.activeElement
      return inner ? `${host!.localName} ${inner.closest('[data-linger-tour]')?.getAttribute('data-linger-tour') ?? inner.localName}` : host === document.body ? 'body' : `#${host?.id}`
    })

  it('a hotspot’s tip opened during a tour: the tour’s tip has stepped aside before the page paints again, never both on screen in one frame (an Esc then, quick, gives focus back to the tour)', async () => {
    const page = await openTours(
      [
        { id: 'blocking', trigger: { event: 'Go' }, steps: [{ id: 'x', target: '#u', title: 'Blocking tour', body: 'Body', placement: 'bottom' }] },
        { id: 'hint', trigger: { url: '#/settings*' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get updates', beacon: true }] },
      ],
      '<button id="u" style="position:absolute;left:100px;top:100px">Other</button><button id="t" style="position:absolute;left:240px;top:100px">Integrations</button>',
      `linger.track('Go'); location.hash = '#/settings'`,
    )
    await placedTip(page)
    await page.getByRole('button', { name: 'Show tip: Connect Slack' }).waitFor()
    // The click and what follows it in the same task and its microtasks: no frame in between.
    const onScreen = await page.evaluate(async () => {
      const root = document.querySelector('linger-tours')!.shadowRoot!
      ;(root.querySelector('.beacon') as HTMLElement).click()
      for (let i = 0; i < 20; i++) await Promise.resolve()
      return [...root.querySelectorAll('[role=dialog]')].filter((d) => !(d as HTMLElement).hidden).map((d) => d.querySelector('h2')!.textContent)
    })
    expect(onScreen).toEqual(['Connect Slack'])
  })

  it('closing a hotspot’s tip during a tour the user is in puts focus back in that tour’s tip, not on the page body', async () => {
    const page = await openTours(
      [
        { id: 'blocking', trigger: { event: 'Go' }, steps: [{ id: 'x', target: '#u', title: 'Blocking tour', body: 'Body', placement: 'bottom' }, { id: 'y', target: '#t', title: 'Second' }] },
        { id: 'hint', trigger: { url: '#/settings*' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get updates', beacon: true }] },
      ],
      '<button id="u" style="position:absolute;left:100px;top:100px">Other</button><button id="t" style="position:absolute;left:240px;top:100px">Integrations</button>',
      `linger.track('Go'); location.hash = '#/settings'`,
    )
    await placedTip(page)
    // The user goes into the tour's tip (it opened on its own, so it did not take focus).
    await page.locator('[role=dialog]').getByText('Body').click()
    await page.getByRole('button', { name: 'Show tip: Connect Slack' }).click()
    await eventually(() => focused(page)).toBe('linger-tours hint')
    await page.keyboard.press('Escape')
    await eventually(() => page.locator('[role=dialog]:visible h2').allTextContents()).toEqual(['Blocking tour'])
    await eventually(() => focused(page)).toBe('linger-tours blocking')
    // and the keyboard goes on with the tour from there
    await page.keyboard.press('ArrowRight')
    await eventually(() => tipText(page, 'h2')).toBe('Second')
  })

  it('closing a hotspot’s tip on its own puts focus on the control it pointed at', async () => {
    const page = await openTours(
      [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get updates', beacon: true }] }],
      '<button id="before">Before</button><button id="t">Integrations</button><button id="after">After</button>',
      `linger.track('Go');`,
    )
    await page.getByRole('button', { name: 'Show tip: Connect Slack' }).click()
    await eventually(() => focused(page)).toBe('linger-tours hint')
    await page.keyboard.press('Escape')
    await eventually(() => dialog(page).count()).toBe(0)
    await eventually(() => focused(page)).toBe('#t')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('#after')
  })

  it('closing a hotspot’s tip on a card (no Tab stop itself) puts focus on the card’s control, not on the page body', async () => {
    // The demo's "Connect Slack" hotspot marks the Integrations card: Escape in its tip dropped a
    // keyboard user on <body>, and their next Tab started again from the top of the page.
    const page = await openTours(
      [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get updates', beacon: true }] }],
      '<button id="before">Before</button><section id="t"><h2>Integrations</h2><button id="connect">Connect Slack</button></section><button id="after">After</button>',
      `linger.track('Go');`,
    )
    await page.getByRole('button', { name: 'Show tip: Connect Slack' }).focus()
    await page.keyboard.press('Enter')
    await eventually(() => focused(page)).toBe('linger-tours hint')
    await page.keyboard.press('Escape')
    await eventually(() => dialog(page).count()).toBe(0)
    await eventually(() => focused(page)).toBe('#connect')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('#after')
  })

  it('a beacon that appears after a tour’s tip, where the tip is, stays under it: the tip’s text is not painted over', async () => {
    const page = await openTours(
      [
        { id: 'blocking', trigger: { event: 'Go' }, steps: [{ id: 'x', target: '#u', title: 'Blocking tour', body: 'A step with a body long enough to take some room under its target button here.', placement: 'bottom' }] },
        { id: 'hint', trigger: { url: '#/settings*' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get updates', beacon: true }] },
      ],
      '<button id="u" style="position:absolute;left:100px;top:100px">Other</button><button id="t" style="position:absolute;left:110px;top:160px;width:40px;height:20px">I</button>',
      // The hint's page opens once the tour's tip is on screen, however long the engine took.
      `linger('on', 'tour:step-viewed', function () { setTimeout(function () { location.hash = '#/settings' }, 100) }); linger.track('Go')`,
    )
    const tip = await placedTip(page)
    const beacon = page.getByRole('button', { name: 'Show tip: Connect Slack' })
    await beacon.waitFor()
    await frames(page)
    const b = await beacon.evaluate((el) => el.getBoundingClientRect().toJSON() as Box)
    const [x, y] = [b.left + b.width / 2, b.top + b.height / 2]
    // The beacon sits where the tip is (what makes this a test of which one is on top).
    expect(x > tip.left && x < tip.right && y > tip.top && y < tip.bottom).toBe(true)
    const onTop = await page.evaluate(([px, py]) => !!document.querySelector('linger-tours')!.shadowRoot!.elementFromPoint(px, py)?.closest('[role=dialog]'), [x, y])
    expect(onTop).toBe(true)
  })

  it('the beacon holds still when the user prefers reduced motion', async () => {
    const page = await openTours(
      [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 's', target: '#t', title: 'Still', beacon: true }] }],
      '<button id="t">Integrations</button>',
      `linger.track('Go');`,
    )
    const beacon = page.getByRole('button', { name: 'Show tip: Still' })
    await beacon.waitFor()
    expect(await beacon.evaluate((el) => getComputedStyle(el, '::after').animationName)).toBe('none')
  })
})

describe('accessibility and strict CSP', () => {
  it('axe-core finds no violations with a tour step open', async () => {
    const page = await openTours(
      [{ id: 'axe', trigger: { event: 'Go' }, steps: [step('a', { spotlight: true }), step('b')] }],
      '<main><h1>Host app</h1><button id="t">Target</button></main>',
      `linger.track('Go');`,
    )
    await placedTip(page)
    await page.getByRole('button', { name: 'Next' }).click()
    await placedTip(page)
    await page.addScriptTag({ path: join(ROOT, 'node_modules/axe-core/axe.min.js') })
    const result = await page.evaluate(async () => {
      const r = await (window as any).axe.run(document)
      return { violations: r.violations.map((v: any) => `${v.id}: ${v.nodes.map((x: any) => x.target.join(' ')).join(', ')}`), checked: r.passes.some((p: any) => p.nodes.some((x: any) => JSON.stringify(x.target).includes('linger-tours'))) }
    })
    expect(result.violations).toEqual([])
    expect(result.checked).toBe(true)
  })

  it('works on a page with a strict CSP (no unsafe-inline, nonce for scripts)', async () => {
    const csp = "default-src 'self'; script-src 'self' 'nonce-t0urs'; style-src 'self'; connect-src *"
    const flows = { version: 1, tours: [{ id: 'csp', trigger: { event: 'Go' }, steps: [step('a', { placement: 'right', spotlight: true })] }] }
    const { page } = await suite.open(
      '/tour-csp',
      suite.hostPage({
        csp,
        nonce: 't0urs',
        body: '<button id="t">Target</button>',
        script: `window.__csp = []; document.addEventListener('securitypolicyviolation', function (e) { __csp.push(e.violatedDirective) }); ${suite.initScript({ flows, nonce: 't0urs' })} linger.track('Go');`,
      }),
      await newContext({}),
    )
    const tip = await placedTip(page)
    expectBeside(tip, await box(page, '#t'), 'right')
    expect(await page.locator('linger-tours .tip').evaluate((el) => getComputedStyle(el).borderRadius)).not.toBe('0px')
    expect(await page.evaluate(() => (window as any).__csp)).toEqual([])
  })
})

describe('the example tours, as written in the reference fixture', () => {
  const app = `<nav><a href="#/dashboard">Dashboard</a> <a href="#/settings">Settings</a> <button data-tour="reports-tab">Reports</button></nav><main id="app"></main>`
  const router = `function route() {
      var app = document.getElementById('app');
      if (location.hash.indexOf('#/settings') === 0) app.innerHTML = '<h1>Settings</h1><button data-tour="integrations">Integrations</button>';
      else if (location.hash.indexOf('#/reports') === 0) app.innerHTML = '<h1>Reports</h1><button data-tour="export">Export</button>';
      else { app.innerHTML = '<h1>Dashboard</h1>'; linger.track('Dashboard Viewed') }
    }
    addEventListener('hashchange', route); route();`

  it('export-tour: for a user first seen a day ago who never exported, Dashboard Viewed starts it; step 2 says where it is; clicking Export completes it', async () => {
    const flows = JSON.parse(await readFile(EXAMPLE, 'utf8'))
    const context = await newContext({})
    const page1 = (await suite.open('/example-1', suite.hostPage({ body: app, script: `${suite.initScript({ flows })} ${RECORD} addEventListener('DOMContentLoaded', function () { ${router} })` }), context)).page
    await page1.waitForFunction(() => (window as any).linger?.loaded)
    await page1.waitForTimeout(500)
    // A brand-new user: the audience (first seen ≥ 1 day ago) says not yet.
    expect(await dialog(page1).count()).toBe(0)
    await page1.close()

    const page = await context.newPage()
    await page.clock.install({ time: Date.now() + 2 * 86_400_000 })
    await page.clock.resume()
    await page.goto(suite.site.url + '/example-1')
    await eventually(() => tipText(page, 'h2')).toBe('Your reports live here')
    await eventually(() => tipText(page, '.progress')).toBe('1 of 2')
    expectBeside(await placedTip(page), await box(page, "[data-tour='reports-tab']"), 'bottom')
    await page.getByRole('button', { name: 'Next' }).click()
    // Step 2 is on the reports page: a hint says so, with a link there, and nothing is completed.
    const hint = page.locator('linger-tours').getByRole('region', { name: 'Export in one click' })
    await hint.getByText('This step is on another page').waitFor()
    expect(await names(page)).toEqual(['tour:started', 'tour:step-viewed'])
    await hint.getByRole('link', { name: 'Go there' }).click()
    await eventually(() => tipText(page, 'h2')).toBe('Export in one click')
    await page.locator("[data-tour='export']").click()
    await eventually(() => dialog(page).count()).toBe(0)
    expect(await names(page)).toEqual(['tour:started', 'tour:step-viewed', 'tour:step-viewed', 'tour:completed'])
    // repeat: once — another dashboard view does not bring it back.
    await page.evaluate(() => (location.hash = '#/settings'))
    await page.evaluate(() => (location.hash = '#/dashboard'))
    await page.waitForTimeout(3500)
    expect(await dialog(page).count()).toBe(0)
  })

  it('a checklist task naming export-tour starts it from its Show me button, even for a brand-new user', async () => {
    const flows = JSON.parse(await readFile(EXAMPLE, 'utf8'))
    const page = await openTours(flows, app, router)
    await page.waitForFunction(() => (window as any).linger?.loaded)
    // Not eligible by its own trigger yet (first seen today), so only the task can start it.
    await page.waitForTimeout(300)
    expect(await dialog(page).count()).toBe(0)
    await page.getByRole('button', { name: /Get started with Acme Projects/ }).click()
    await page.getByRole('button', { name: 'Show me' }).click()
    await eventually(() => tipText(page, 'h2')).toBe('Your reports live here')
    expect((await events(page))[0]).toEqual(['tour:started', { tourId: 'export-tour', runId: expect.any(String), stepIndex: 0, stepId: 'open-reports' }])
  })

  it('integrations-hint: a beacon on #/settings that opens its tip', async () => {
    const flows = JSON.parse(await readFile(EXAMPLE, 'utf8'))
    const page = await openTours(flows.tours, app, `${router.replace('route();', "location.hash = '#/dashboard'; route();")}`)
    await page.waitForFunction(() => (window as any).linger?.loaded)
    expect(await page.getByRole('button', { name: 'Show tip: Connect Slack' }).count()).toBe(0)
    await page.evaluate(() => (location.hash = '#/settings'))
    await page.getByRole('button', { name: 'Show tip: Connect Slack' }).click()
    await eventually(() => tipText(page, 'h2')).toBe('Connect Slack')
    await eventually(() => tipText(page, 'p')).toBe('Get task updates where your team already talks.')
    expect(await dialog(page).locator('.progress').count()).toBe(0)
  })
})

describe('phones and responsive pages', () => {
  for (const locale of ['en', 'ar'])
    it(`at 320 px (${locale}), a tip with room above its target sits above it, beside it, and never covers it`, async () => {
      // A toolbar button two thirds of the way down a phone screen: below it there is no room,
      // above it there is plenty. (A bottom sheet here hid the very button the step is about.)
      const tours = [{ id: 'up', steps: [step('a', { body: 'A short tip.' }), step('b')] }]
      const page = await openTours(tours, '<button id="t" style="position:fixed;right:4px;bottom:80px;width:80px;height:30px">Share</button>', "linger.show('up')", { viewport: { width: 320, height: 568 }, locale })
      expect(await page.locator('linger-tours').getAttribute('dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr')
      const tip = await placedTip(page)
      const target = await box(page, '#t')
      expect(tip.placement).toBe('top')
      expect(await page.locator('[role=dialog][data-sheet]').count()).toBe(0)
      expectBeside(tip, target, 'top')
      await expectInsideViewport(page, tip)
      // And the user can press it: nothing of Linger's is over its middle.
      expect(await page.evaluate(() => document.elementFromPoint(276, 473)?.id)).toBe('t')
    })

  it('a window narrowed to a phone, where a media query swaps the target for its mobile copy: the step follows that copy', async () => {
    // The desktop toolbar's button, and the phone menu's; the page's CSS shows one at a time.
    const body =
      '<style>.mob{display:none}@media (max-width:600px){.desk{display:none}.mob{display:inline-block}}</style>' +
      '<button class="desk" data-tour="share" style="position:absolute;left:600px;top:300px">Share (desktop)</button>' +
      '<button class="mob" id="t" data-tour="share" style="position:absolute;left:40px;top:200px">Share (phone)</button>'
    const page = await openTours([{ id: 'rwd', steps: [step('a', { target: "[data-tour='share']", placement: 'bottom' }), step('b')] }], body, "linger.show('rwd')")
    const wide = await placedTip(page)
    expect(wide.left).toBeGreaterThan(400)
    await page.setViewportSize({ width: 375, height: 667 })
    await eventually(() => dialog(page).evaluate((el) => getComputedStyle(el).visibility)).toBe('visible')
    const tip = await placedTip(page)
    expectBeside(tip, await box(page, '#t'), 'bottom')
    await expectInsideViewport(page, tip)
    expect((await events(page)).filter(([n]) => n === 'tour:step-viewed')).toHaveLength(1)
  })

  it('a spotlight step whose target a media query hides as the window narrows does not dim the page around nothing: it waits, says where the tour went, and comes back with the target', async () => {
    const body = '<style>@media (max-width:600px){#t{display:none}}</style><button id="t" style="position:absolute;left:300px;top:300px">Reports</button>'
    const page = await openTours([{ id: 'spot-rwd', steps: [step('a', { spotlight: true, waitMs: 60_000 }), step('b')] }], body, "linger.show('spot-rwd')")
    await placedTip(page)
    await page.setViewportSize({ width: 375, height: 667 })
    // The tip and its shade go; the hint says the step is not on this screen.
    await eventually(() => page.locator('linger-tours .spot').count()).toBe(0)
    await eventually(() => page.locator('linger-tours .hint').count()).toBe(1)
    expect(await dialog(page).count()).toBe(0)
    await page.setViewportSize({ width: 1000, height: 700 })
    const tip = await placedTip(page)
    expectBeside(tip, await box(page, '#t'), 'bottom')
    expect((await names(page)).filter((n) => n === 'tour:step-viewed')).toHaveLength(1)
  })
})

describe('a target in a menu the user closes', () => {
  for (const [kind, body, close, reopen] of [
    ['a <details> menu', '<details id="m" open><summary>Menu</summary><button id="t">Export</button></details>', "document.getElementById('m').open = false", "document.getElementById('m').open = true"],
    ['a popover menu', '<div id="m" popover="manual"><button id="t">Export</button></div><script>addEventListener("DOMContentLoaded", function () { document.getElementById("m").showPopover() })</script>', "document.getElementById('m').hidePopover()", "document.getElementById('m').showPopover()"],
    // What hides a menu is the page's CSS reading any attribute: a component library's state, or
    // its button's ARIA. The step stayed on an element no longer drawn, its shade over the whole page.
    ['a component library’s menu (data-state)', '<style>[data-state=closed]{display:none}</style><div id="m" data-state="open"><button id="t">Export</button></div>', "document.getElementById('m').dataset.state = 'closed'", "document.getElementById('m').dataset.state = 'open'"],
    [
      'a menu its button’s aria-expanded shows',
      '<style>[aria-expanded=false] + div{display:none}</style><button id="b" aria-expanded="true">Menu</button><div><button id="t">Export</button></div>',
      "document.getElementById('b').ariaExpanded = 'false'",
      "document.getElementById('b').ariaExpanded = 'true'",
    ],
    // Still rendered, clipped to nothing by its own box: the tip pointed at a line of zero height.
    ['an accordion that collapses to height 0', '<style>#m{overflow:hidden}#m.shut{height:0}</style><div id="m"><button id="t">Export</button></div>', "document.getElementById('m').classList.add('shut')", "document.getElementById('m').classList.remove('shut')"],
    // Shut once its transition ends, frames after the class changed: no DOM change then to look again.
    [
      'an accordion that slides shut',
      '<style>#m{overflow:hidden;max-height:80px;transition:max-height .3s}#m.shut{max-height:0}</style><div id="m"><button id="t">Export</button></div>',
      "document.getElementById('m').classList.add('shut')",
      "document.getElementById('m').classList.remove('shut')",
    ],
  ])
    it(`${kind} closed under a spotlight step: the shade and the tip go, the hint says where the step is, and it comes back with the menu`, async () => {
      const page = await openTours([{ id: 'menu', steps: [step('a', { spotlight: true, waitMs: 60_000 }), step('b')] }], body, "linger.show('menu')")
      await placedTip(page)
      await page.evaluate(close)
      await eventually(() => page.locator('linger-tours .spot').count()).toBe(0)
      await eventually(() => page.locator('linger-tours .hint').count()).toBe(1)
      await page.evaluate(reopen)
      const tip = await placedTip(page)
      expectBeside(tip, await box(page, '#t'), 'bottom')
      expect((await names(page)).filter((n) => n === 'tour:step-viewed')).toHaveLength(1)
    })
})

describe('a target under a docked Linger surface', () => {
  // The checklist launcher sat over a page's bottom-corner button while a step explained it: the
  // user could neither see it nor click it (a click step there could not be done).
  it('the checklist launcher steps aside from the button a step points at, and comes back when the step moves on', async () => {
    const flows = {
      version: 1,
      settings: { cooldownDays: 0 },
      tours: [{ id: 'help', steps: [step('a', { advance: 'click' }), step('b')] }],
      checklists: [{ id: 'cl', title: 'Get started', tasks: [{ id: 'a', title: 'A', doneWhen: { event: 'A' } }] }],
    }
    const page = await openTours(flows, '<button id="t" style="position:fixed;right:16px;bottom:16px;width:80px;height:36px">Help</button>', "linger.show('help')", { viewport: { width: 1280, height: 720 } })
    await page.locator('linger-checklist .wrap').waitFor({ state: 'attached' })
    await placedTip(page)
    const t = await box(page, '#t')
    const atTarget = () => page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.id || document.elementFromPoint(x, y)?.localName, [t.left + t.width / 2, t.top + t.height / 2])
    expect(await atTarget()).toBe('t')
    // The click step is done by a real click where the user sees the button.
    await page.mouse.click(t.left + t.width / 2, t.top + t.height / 2)
    await expect.poll(() => page.locator('[role=dialog] h2').textContent()).toBe('Step b')
    expect(await atTarget()).toBe('t')
    // The tour over, the launcher is back where it was.
    await page.keyboard.press('Escape')
    await page.locator('[role=dialog]').waitFor({ state: 'detached' })
    await expect.poll(atTarget).toBe('linger-checklist')
  })
})
