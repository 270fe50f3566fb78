// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { anchor, revealTarget } from './position'

// jsdom has no layout, so the page is played by hand: a fixed 90px header over the top, and a
// 900px target whose box this test moves the way a smooth scroll would. Chromium plays it for real in
// tours.browser.test.ts; here the timing a busy device gives is under the test's control.
let top = 0
let scrolledBy: number[] = []
beforeEach(() => {
  vi.useFakeTimers()
  scrolledBy = []
  document.body.innerHTML = '<header id="h" style="position:fixed">App</header><section id="t">Panel</section>'
  document.elementsFromPoint = () => [document.getElementById('h')!]
  document.getElementById('h')!.getBoundingClientRect = () => ({ bottom: 90 }) as DOMRect
  document.getElementById('t')!.getBoundingClientRect = () => ({ top, bottom: top + 900 }) as DOMRect
  Element.prototype.scrollIntoView = () => {}
  window.scrollBy = ((opts: ScrollToOptions) => void scrolledBy.push(opts.top!)) as typeof window.scrollBy
})
// Each test's reveal follows the page for 3 s: stopped after it, as leaving the step does.
const stops: Array<() => void> = []
const reveal = (smooth = true) => {
  const stop = revealTarget(document.getElementById('t')!, smooth)
  stops.push(stop)
  return stop
}
afterEach(() => {
  for (const stop of stops.splice(0)) stop()
  vi.useRealTimers()
})

const scrollTo = (y: number) => {
  top = y
  document.dispatchEvent(new Event('scroll'))
}

/** Moves the target into a scroll container of its own, which it returns. */
const inContainer = () => {
  const box = document.createElement('div')
  document.body.append(box)
  box.append(document.getElementById('t')!)
  return box
}

/**
 * The page's scroll starts after the 800 ms check, `act` happens meanwhile, and the scroll rests
 * with the target under the header: what Linger scrolled by then.
 */
const lateScrollAfter = (act: () => void) => {
  scrolledBy = []
  top = 1500
  reveal()
  vi.advanceTimersByTime(900)
  act()
  scrollTo(-90)
  document.dispatchEvent(new Event('scrollend'))
  vi.advanceTimersByTime(2000)
  return scrolledBy
}

describe('revealing a tour target under a fixed header', () => {
  it('a smooth scroll that outlasts 800 ms is waited for: the header is cleared where it ends, not half-way', () => {
    top = 1500
    reveal()
    // A busy device: the centring scroll is still on its way after a second.
    for (let t = 0; t < 1200; t += 100) {
      scrollTo(1500 - (1590 * t) / 1200)
      vi.advanceTimersByTime(100)
    }
    expect(scrolledBy).toEqual([])
    scrollTo(-90)
    document.dispatchEvent(new Event('scrollend'))
    // Centred, the 900px panel starts 90px above the viewport: 188px down brings it 8px under the header.
    expect(scrolledBy).toEqual([-188])
  })

  it('a scroll inside a container that sends no scrollend: the check comes once it holds still', () => {
    top = 400
    reveal()
    for (let t = 0; t < 1000; t += 100) {
      top = 400 - (340 * t) / 1000
      document.getElementById('t')!.dispatchEvent(new Event('scroll'))
      vi.advanceTimersByTime(100)
    }
    top = 60
    expect(scrolledBy).toEqual([])
    vi.advanceTimersByTime(300)
    expect(scrolledBy).toEqual([-38])
  })

  it('an element elsewhere that keeps scrolling (a ticker) does not hold the check back', () => {
    document.body.insertAdjacentHTML('beforeend', '<div id="ticker">News</div>')
    top = 50
    reveal()
    for (let t = 0; t < 800; t += 100) {
      document.getElementById('ticker')!.dispatchEvent(new Event('scroll'))
      vi.advanceTimersByTime(100)
    }
    expect(scrolledBy).toEqual([-48])
  })

  it('nothing to scroll: the header is checked after 800 ms all the same, and not again once it is clear', () => {
    top = 50
    reveal()
    vi.advanceTimersByTime(799)
    expect(scrolledBy).toEqual([])
    vi.advanceTimersByTime(1)
    expect(scrolledBy).toEqual([-48])
    scrollTo(98)
    document.dispatchEvent(new Event('scrollend'))
    vi.advanceTimersByTime(2000)
    expect(scrolledBy).toEqual([-48])
  })

  it('a busy device starts the scroll after the 800 ms check: the header is still cleared where it ends', () => {
    top = 1500
    reveal()
    vi.advanceTimersByTime(900)
    expect(scrolledBy).toEqual([])
    for (let y = 1500; y > -90; y -= 160) scrollTo(y)
    scrollTo(-90)
    document.dispatchEvent(new Event('scrollend'))
    expect(scrolledBy).toEqual([-188])
  })

  it('a scroll that pauses past the check (the main thread held up) is followed to where it rests', () => {
    top = 1500
    reveal()
    scrollTo(1000)
    vi.advanceTimersByTime(400)
    expect(scrolledBy).toEqual([])
    scrollTo(400)
    scrollTo(-90)
    vi.advanceTimersByTime(300)
    expect(scrolledBy).toEqual([-188])
    // Its own correction scrolls too: the target then clears the header, so nothing more moves.
    scrollTo(98)
    document.dispatchEvent(new Event('scrollend'))
    expect(scrolledBy).toEqual([-188])
  })

  it('a container the target sits in comes to rest before the page does: the page is still followed to where it rests', () => {
    const box = inContainer()
    top = 1500
    reveal()
    box.dispatchEvent(new Event('scroll'))
    scrollTo(700)
    box.dispatchEvent(new Event('scrollend'))
    expect(scrolledBy).toEqual([])
    scrollTo(-90)
    document.dispatchEvent(new Event('scrollend'))
    expect(scrolledBy).toEqual([-188])
  })

  it('the page comes to rest before a container the target sits in: the container is followed too', () => {
    const box = inContainer()
    top = 1500
    reveal()
    scrollTo(400)
    document.dispatchEvent(new Event('scrollend'))
    expect(scrolledBy).toEqual([])
    for (const y of [300, 150, 40]) {
      top = y
      box.dispatchEvent(new Event('scroll'))
    }
    vi.advanceTimersByTime(300)
    expect(scrolledBy).toEqual([-58])
  })

  it('a scroll that takes the target out of sight (find in page, focus moving on) is left where it is', () => {
    top = 1500
    reveal()
    scrollTo(300)
    document.dispatchEvent(new Event('scrollend'))
    scrollTo(-2000)
    document.dispatchEvent(new Event('scrollend'))
    vi.advanceTimersByTime(3000)
    expect(scrolledBy).toEqual([])
  })

  it('a wheel, a swipe or a scroll key on the tip itself is the user taking the scroll over', () => {
    document.body.insertAdjacentHTML('beforeend', '<linger-tours data-linger="tours"></linger-tours>')
    const host = document.querySelector('linger-tours')!
    const tip = host.attachShadow({ mode: 'open' }).appendChild(document.createElement('div'))
    for (const takeover of [new Event('wheel', { bubbles: true, composed: true }), new Event('touchstart', { bubbles: true, composed: true }), new KeyboardEvent('keydown', { key: 'PageDown', bubbles: true, composed: true })]) {
      expect(lateScrollAfter(() => tip.dispatchEvent(takeover))).toEqual([])
    }
  })

  it('a space typed in a field, or a press on a Linger surface, is not the user taking the scroll over', () => {
    document.body.insertAdjacentHTML('beforeend', '<input id="name"><linger-tours data-linger="tours"></linger-tours>')
    const scrolled = lateScrollAfter(() => {
      document.getElementById('name')!.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }))
      document.querySelector('linger-tours')!.dispatchEvent(new Event('pointerdown', { bubbles: true, composed: true }))
    })
    expect(scrolled).toEqual([-188])
  })

  it('a user who takes the scroll over (wheel, a scroll key) is not fought', () => {
    for (const takeover of [new Event('wheel'), new KeyboardEvent('keydown', { key: 'PageDown' })]) {
      expect(lateScrollAfter(() => window.dispatchEvent(takeover))).toEqual([])
    }
  })

  it('a key that does not scroll (Tab into the tip) keeps the check', () => {
    expect(lateScrollAfter(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab' })))).toEqual([-188])
  })

  it('the scrolls are followed for 3 s at most: a page moved later is left where it is', () => {
    top = 1500
    reveal()
    vi.advanceTimersByTime(3000)
    scrollTo(-90)
    document.dispatchEvent(new Event('scrollend'))
    vi.advanceTimersByTime(2000)
    expect(scrolledBy).toEqual([])
  })

  it('the step is left before the scroll ends: nothing is scrolled afterwards', () => {
    top = 1500
    const cancel = reveal()
    scrollTo(700)
    cancel()
    scrollTo(-90)
    document.dispatchEvent(new Event('scrollend'))
    vi.advanceTimersByTime(2000)
    expect(scrolledBy).toEqual([])
  })

  it('with reduced motion the target jumps, and the header is cleared at once', () => {
    top = 20
    reveal(false)
    expect(scrolledBy).toEqual([-78])
  })
})

describe('a hotspot beacon', () => {
  it('whose target is below the fold is not shown until the target is: it does not pulse at the viewport edge over other content', async () => {
    vi.useRealTimers()
    document.body.innerHTML = '<button id="far">Integrations</button><button class="beacon" aria-label="Show tip: Connect Slack"></button>'
    const far = document.getElementById('far')!
    let y = 2000
    far.getBoundingClientRect = () => new DOMRect(100, y, 120, 32)
    const beacon = document.querySelector<HTMLElement>('.beacon')!
    // jsdom lays nothing out: the page's viewport is given its size by hand (1024 x 768).
    const html = document.documentElement
    Object.defineProperties(html, { clientWidth: { value: innerWidth, configurable: true }, clientHeight: { value: innerHeight, configurable: true } })
    onTestFinished(() => {
      const own = html as { clientWidth?: number; clientHeight?: number }
      delete own.clientWidth
      delete own.clientHeight
    })
    let place!: () => void
    const stop = anchor(far, beacon, { placement: 'right', gap: 6, watch: (fn) => ((place = fn), () => {}) })
    await vi.waitFor(() => expect(beacon.style.top).not.toBe(''))
    expect(beacon.style.visibility).toBe('hidden')
    // The user scrolls it into view: the beacon shows beside it.
    y = 300
    place()
    await vi.waitFor(() => expect(beacon.style.visibility).toBe(''))
    stop()
  })
})
