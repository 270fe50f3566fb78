// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { deepActiveElement, focusOrigin, tabOnceTo, trapFocus } from './focus'

afterEach(() => {
  document.body.replaceChildren()
})

/** A keyboard user on a link of the page, and a tip offered to them by their next Tab. */
function page() {
  document.body.innerHTML = '<a id="link" href="#">Reports</a><div id="tip" tabindex="-1">Your reports live here</div>'
  const link = document.getElementById('link')!
  const tip = document.getElementById('tip')!
  link.focus()
  tabOnceTo(link, () => tip)
  // false when the Tab's default (focus moving on) was prevented.
  const tab = () => link.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true }))
  return { link, tip, tab }
}

describe('the next Tab handed to a surface', () => {
  it('brings the user to the surface once', () => {
    const { tip, tab } = page()
    expect(tab()).toBe(false)
    expect(document.activeElement).toBe(tip)
    document.getElementById('link')!.focus()
    expect(tab()).toBe(true)
  })

  it('a surface hidden for now (its target scrolled out of sight) does not take the Tab: the user moves on through the page', () => {
    const { link, tip, tab } = page()
    tip.style.visibility = 'hidden'
    expect(tab()).toBe(true)
    expect(document.activeElement).toBe(link)
    tip.style.visibility = ''
    expect(tab()).toBe(false)
    expect(document.activeElement).toBe(tip)
  })

  it('nor does one inside a part of the page that is hidden', () => {
    const { tip, tab } = page()
    const box = document.body.appendChild(document.createElement('div'))
    box.hidden = true
    box.append(tip)
    expect(tab()).toBe(true)
  })
})

describe('a dialog keeps Tab and Shift+Tab inside', () => {
  /** A centred survey as the dialogs build it: focus on its heading, Close, a roving score group, Send (off until a score is checked). */
  function dialog() {
    // jsdom lays nothing out: every element counts as rendered.
    vi.spyOn(Element.prototype, 'getClientRects').mockReturnValue([{}] as unknown as DOMRectList)
    document.body.innerHTML = `<a id="page" href="#">Page</a><div id="d" role="dialog"><h2 id="h" tabindex="-1">How likely…</h2><button id="x">Close</button>
      <div role="radiogroup"><button id="s0" role="radio" tabindex="0">0</button><button id="s1" role="radio" tabindex="-1">1</button><button id="s10" role="radio" tabindex="-1">10</button></div>
      <button id="send" disabled>Send</button></div>`
    const $ = (id: string) => document.getElementById(id)!
    const release = trapFocus($('d'), $('h'))
    // false when the trap moved focus itself (the Tab's default prevented)
    const key = (id: string, shiftKey = false) => $(id).dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey, bubbles: true, cancelable: true }))
    return { $, key, release }
  }
  afterEach(() => vi.restoreAllMocks())

  it('Shift+Tab from the focused heading, above every stop, wraps to the last stop instead of leaving for the browser', () => {
    const { $, key } = dialog()
    expect(document.activeElement).toBe($('h'))
    expect(key('h', true)).toBe(false)
    expect(document.activeElement).toBe($('s0'))
  })

  it('wraps at the ends over Tab stops only: Shift+Tab from Close lands on the score in the tab order, never on "10"', () => {
    const { $, key } = dialog()
    $('x').focus()
    expect(key('x', true)).toBe(false)
    expect(document.activeElement).toBe($('s0'))
  })

  it('Tab from the scores with Send still off wraps to Close, not out of the dialog', () => {
    const { $, key } = dialog()
    $('s0').focus()
    expect(key('s0')).toBe(false)
    expect(document.activeElement).toBe($('x'))
  })

  it('leaves a move between two stops to the browser (it picks a radio group\'s checked option)', () => {
    const { $, key } = dialog()
    expect(key('h')).toBe(true)
    $('x').focus()
    expect(key('x')).toBe(true)
  })
})

describe('a toast dismissed by keyboard gives focus back', () => {
  it('to where the user came from, even after they switched to another window and back while on it', () => {
    document.body.innerHTML = '<button id="save">Save</button><aside id="toast"><button id="x">Dismiss</button></aside>'
    const [save, toast, x] = ['save', 'toast', 'x'].map((id) => document.getElementById(id)!)
    const origin = focusOrigin()
    toast.addEventListener('focusin', (e) => origin.onFocusIn(e))
    save.focus()
    x.focus()
    // Alt-Tab away and back, as Chromium does it: focus stays on Dismiss, focusout then focusin with no relatedTarget.
    x.dispatchEvent(new FocusEvent('focusout', { bubbles: true, relatedTarget: null }))
    x.dispatchEvent(new FocusEvent('focusin', { bubbles: true, relatedTarget: null }))
    origin.back(toast, new KeyboardEvent('keydown', { key: 'Escape' }))
    expect(document.activeElement).toBe(save)
  })
})

describe('a surface reached from another Linger surface (a button in its shadow root) gives focus back', () => {
  afterEach(() => vi.restoreAllMocks())
  const setUp = () => {
    // jsdom lays nothing out: every element counts as rendered.
    vi.spyOn(Element.prototype, 'getClientRects').mockReturnValue([{}] as unknown as DOMRectList)
    document.body.innerHTML = '<button id="save">Save</button><linger-other data-linger="other"></linger-other><aside id="card"><button id="x">Close</button></aside>'
    const other = document.querySelector('linger-other')!.attachShadow({ mode: 'open' })
    other.innerHTML = '<button id="launch">Launcher</button><button id="toast">View badges</button>'
    const card = document.getElementById('card')!
    const origin = focusOrigin()
    card.addEventListener('focusin', (e) => origin.onFocusIn(e))
    document.getElementById('save')!.focus()
    other.getElementById('toast')!.focus()
    document.getElementById('x')!.focus()
    return { other, card, origin }
  }
  const active = () => deepActiveElement()?.id

  it('to the button they came from, not to the other surface\'s host (which takes no focus: the page body)', () => {
    const { card, origin } = setUp()
    origin.back(card, new KeyboardEvent('keydown', { key: 'Escape' }))
    expect(active()).toBe('toast')
  })

  it('to that surface\'s launcher when the button went with its toast, and to the page where they were when that surface went too', () => {
    const { other, card, origin } = setUp()
    other.getElementById('toast')!.remove()
    origin.back(card, new KeyboardEvent('keydown', { key: 'Escape' }))
    expect(active()).toBe('launch')
    const again = setUp()
    again.other.host.remove()
    again.origin.back(again.card, new KeyboardEvent('keydown', { key: 'Escape' }))
    expect(active()).toBe('save')
  })
})

describe('a surface that comes on its own, Tabbed into through another Linger surface (fromPage)', () => {
  afterEach(() => vi.restoreAllMocks())

  it("gives focus back to the page's field the user Tabbed from, not to the other surface's Dismiss they passed", () => {
    vi.spyOn(Element.prototype, 'getClientRects').mockReturnValue([{}] as unknown as DOMRectList)
    document.body.innerHTML = '<input id="search"><linger-other data-linger="other"></linger-other><aside id="card"><button id="x">Close</button></aside>'
    const banner = document.querySelector('linger-other')!.attachShadow({ mode: 'open' })
    banner.innerHTML = '<button id="dismiss">Dismiss</button>'
    const card = document.getElementById('card')!
    const origin = focusOrigin(true)
    card.addEventListener('focusin', (e) => origin.onFocusIn(e))
    document.getElementById('search')!.focus()
    banner.getElementById('dismiss')!.focus()
    document.getElementById('x')!.focus()
    origin.back(card, new KeyboardEvent('keydown', { key: 'Escape' }))
    expect(deepActiveElement()?.id).toBe('search')
  })
})
