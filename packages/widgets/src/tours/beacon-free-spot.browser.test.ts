import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A hotspot on an Arabic settings page at 320 × 640 with the checklist launcher docked at the
// bottom, in real Chromium (the demo's Integrations card, right to left). The launcher spans the
// screen there: the spot by the card's middle was under it, and the beacon simply hid, so the user
// never saw the hotspot although most of the card was in sight.
const suite = useBrowserSuite({ pageErrors: 'all' })

const flows = {
  version: 1,
  settings: { cooldownDays: 0 },
  checklists: [{ id: 'start', title: 'ابدأ مع Acme Projects: خطوات الإعداد الأولى', tasks: [{ id: 'invite', title: 'ادعُ زميلًا', doneWhen: { event: 'Invited' } }] }],
  tours: [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', body: 'Get updates', beacon: true }] }],
}

const page = `<style>body{margin:0;font-family:sans-serif}.card{border:1px solid #ccc;border-radius:10px;padding:14px;margin:12px}</style>
  <nav><a href="#/dashboard">لوحة التحكم</a> <a href="#/settings">الإعدادات</a></nav><h1>الإعدادات</h1>
  <div class="card" style="height:700px"><h2>الفريق</h2><input aria-label="بريد الزميل"> <button>دعوة</button></div>
  <div class="card" id="t"><h2>التكاملات</h2><button>ربط Slack</button></div>
  <div style="height:1500px"></div>`

type Box = { left: number; top: number; right: number; bottom: number }

async function open(name: string, body: string) {
  const script = `document.documentElement.dir = 'rtl'; document.documentElement.lang = 'ar'; ${suite.initScript({ flows })} addEventListener('DOMContentLoaded', function () { linger.track('Go') })`
  const context = await suite.browser.newContext({ viewport: { width: 320, height: 640 }, reducedMotion: 'reduce' })
  const { page: p } = await suite.open(`/beacon-free-spot-${name}`, suite.hostPage({ body, script }), context)
  await p.locator('linger-checklist .wrap').waitFor()
  await p.waitForFunction(() => (document.querySelector('linger-tours')?.shadowRoot?.querySelector('.beacon') as HTMLElement | null)?.style.left)
  // What the user sees: the card, the beacon if it is on screen, and every other Linger surface on screen.
  const look = () =>
    p.evaluate(() => {
      const box = (el: Element) => {
        const { left, top, right, bottom } = el.getBoundingClientRect()
        return { left, top, right, bottom }
      }
      const beacon = document.querySelector('linger-tours')!.shadowRoot!.querySelector('.beacon') as HTMLElement
      const others = [...document.querySelectorAll('[data-linger]:not(linger-tours)')].flatMap((host) =>
        [...(host.shadowRoot?.querySelectorAll('*') ?? [])].filter((el) => getComputedStyle(el).position === 'fixed' && el.checkVisibility({ visibilityProperty: true, opacityProperty: true } as CheckVisibilityOptions)).map(box),
      )
      return { card: box(document.querySelector('#t')!), beacon: beacon.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions) ? box(beacon) : null, others, vw: innerWidth, vh: innerHeight }
    })
  const launcher = await p.locator('linger-checklist .wrap').evaluate((el) => el.getBoundingClientRect().toJSON() as Box)
  // Scrolls the page so the target's middle is `y` px from the window's top, and lets two frames pass.
  const middleAt = async (y: number) => {
    await p.evaluate((y) => {
      const r = document.querySelector('#t')!.getBoundingClientRect()
      scrollBy(0, (r.top + r.bottom) / 2 - y)
    }, y)
    await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  }
  return { context, look, launcher, middleAt }
}

const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom

/** How the beacon looks to the user, in words a test can compare. */
function seen({ card, beacon, others, vw, vh }: Awaited<ReturnType<Awaited<ReturnType<typeof open>>['look']>>) {
  if (!beacon) return { shown: false }
  return {
    shown: true,
    // At the card's edge or on it, not floating off somewhere else.
    onCard: overlap(beacon, { left: card.left - 8, top: card.top - 8, right: card.right + 8, bottom: card.bottom + 8 }),
    inWindow: beacon.left >= 0 && beacon.top >= 0 && beacon.right <= vw && beacon.bottom <= vh,
    overAnotherSurface: others.some((o) => overlap(beacon, o)),
    // After the card's name in reading order: its left half on a right-to-left page.
    afterInReadingOrder: beacon.left + beacon.right < card.left + card.right,
  }
}

describe('a hotspot on a right-to-left settings page at 320 × 640, the checklist launcher docked at the bottom', () => {
  it('the card scrolled so its middle is under the launcher: the beacon is still there for the user, at another corner of the card, clear of the launcher; scrolled up again, it is back at its usual spot', async () => {
    const { context, look, launcher, middleAt } = await open('under-launcher', page)
    // The launcher spans the screen's width: no spot by the card's middle is clear of it.
    expect(launcher.right - launcher.left).toBeGreaterThan(240)
    await middleAt((launcher.top + launcher.bottom) / 2)
    await expect.poll(async () => seen(await look())).toEqual({ shown: true, onCard: true, inWindow: true, overAnotherSurface: false, afterInReadingOrder: true })
    // Where it stood on a page with nothing over it, by the middle of the card's side: moved back
    // there once that spot is free again.
    await middleAt(launcher.top / 2)
    await expect
      .poll(async () => {
        const now = await look()
        return { ...seen(now), byTheMiddle: !!now.beacon && Math.abs(now.beacon.top + now.beacon.bottom - now.card.top - now.card.bottom) < 2 }
      })
      .toEqual({ shown: true, onCard: true, inWindow: true, overAnotherSurface: false, afterInReadingOrder: true, byTheMiddle: true })
    await context.close()
  })

  it('a small button wholly under the launcher: no spot by it is free, so no dot pulses on the launcher', async () => {
    const body = '<div style="height:1500px"></div><p style="margin:0 40px"><button id="t" style="height:20px">ربط</button></p><div style="height:1500px"></div>'
    const { context, look, launcher, middleAt } = await open('button-under-launcher', body)
    await middleAt((launcher.top + launcher.bottom) / 2)
    await expect.poll(async () => seen(await look())).toEqual({ shown: false })
    await context.close()
  })
  it('a tall card under the app’s fixed header, scrolled so its middle is under the launcher: the beacon takes no spot on the header (the header is over the card’s top corners)', async () => {
    const header = '<header style="position:fixed;top:0;left:0;right:0;height:60px;background:#333;z-index:5"><a href="#/home" style="color:#fff">الرئيسية</a></header>'
    const tall = page.replace('<div class="card" id="t">', '<div class="card" id="t" style="height:1400px">')
    const { context, look, launcher, middleAt } = await open('under-header', header + tall)
    await middleAt((launcher.top + launcher.bottom) / 2)
    const onHeader = async () => {
      const { beacon } = await look()
      return !!beacon && beacon.top < 60
    }
    await expect.poll(onHeader).toBe(false)
    // Nudged 40 px at a time, as a thumb scrolls: on no frame does it pulse on the header.
    for (let i = 1; i <= 4; i++) {
      await middleAt((launcher.top + launcher.bottom) / 2 - 40 * i)
      expect(await onHeader()).toBe(false)
    }
    await context.close()
  })
  it('a keyboard user on the moved beacon: scrolled so its usual spot is free again, it stays at the corner they are on instead of jumping back from under their focus', async () => {
    const { context, look, launcher, middleAt } = await open('focused', page)
    await middleAt((launcher.top + launcher.bottom) / 2)
    await expect.poll(async () => seen(await look()).shown).toBe(true)
    const p = context.pages()[0]
    await p.locator('#t button').focus()
    await p.keyboard.press('Tab')
    // Where the beacon is on the card, and whether focus is on it.
    const where = async () => {
      const { beacon, card } = await look()
      const focused = await p.evaluate(() => document.querySelector('linger-tours')!.shadowRoot!.activeElement?.className)
      return { focused, fromTheCardsTop: beacon && Math.round(beacon.top - card.top) }
    }
    const before = await where()
    expect(before.focused).toBe('beacon')
    await middleAt(launcher.top / 2)
    expect(await where()).toEqual(before)
    await context.close()
  })
})
