// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createScreen, MODAL_POLL_MS, QUIET_MS, TYPING_IDLE_MS } from './screen'

// The screen gate on its own: a fake clock and a fake track stream stand in for the SDK.
describe('screen etiquette', () => {
  let track: (name: string) => void
  const onTrack = (fn: (name: string) => void) => ((track = fn), () => {})
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => {
    vi.useRealTimers()
    delete (document as { visibilityState?: unknown }).visibilityState
  })
  const make = () => createScreen(onTrack, window, () => Date.now())
  // The user switches away from the tab, or back to it.
  const shown = (state: DocumentVisibilityState) => {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
  }

  it('a calm screen lets a waiting experience in on the next turn, never inside the caller', () => {
    const screen = make()
    const ran = vi.fn()
    screen.when(ran)
    expect(ran).not.toHaveBeenCalled()
    vi.advanceTimersByTime(0)
    expect(ran).toHaveBeenCalledOnce()
  })

  it('waits while a toast is up, then a few seconds more after it went', () => {
    const screen = make()
    const release = screen.hold()
    const ran = vi.fn()
    screen.when(ran)
    vi.advanceTimersByTime(60_000)
    expect(ran).not.toHaveBeenCalled()
    release()
    vi.advanceTimersByTime(QUIET_MS - 1)
    expect(ran).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(ran).toHaveBeenCalledOnce()
  })

  it('waits while focus is in an open panel, moving inside it included, and comes a few seconds after it left', () => {
    const screen = make()
    document.body.innerHTML = '<aside><button id="task">Do A</button><a id="next" href="#b">Do B</a></aside><button id="host">Host</button>'
    const panel = document.querySelector('aside')!
    const [task, next, host] = ['task', 'next', 'host'].map((id) => document.getElementById(id)!)
    task.focus()
    const stop = screen.within(panel)
    const ran = vi.fn()
    screen.when(ran)
    next.focus()
    vi.advanceTimersByTime(60_000)
    expect(ran).not.toHaveBeenCalled()
    host.focus()
    vi.advanceTimersByTime(QUIET_MS)
    expect(ran).toHaveBeenCalledOnce()
    // Back in the panel: busy again, until the panel goes away.
    const later = vi.fn()
    next.focus()
    screen.when(later)
    vi.advanceTimersByTime(60_000)
    expect(later).not.toHaveBeenCalled()
    stop()
    vi.advanceTimersByTime(QUIET_MS)
    expect(later).toHaveBeenCalledOnce()
  })

  it('a user who switches to another window from inside the open panel finds it as they left it: nothing opens meanwhile', () => {
    const screen = make()
    document.body.innerHTML = '<aside><button id="task">Do A</button></aside><button id="host">Host</button>'
    const panel = document.querySelector('aside')!
    const task = document.getElementById('task')!
    task.focus()
    const stop = screen.within(panel)
    const ran = vi.fn()
    // Alt-Tab, as Chromium does it: focusout with no relatedTarget, focus still on the button.
    task.dispatchEvent(new FocusEvent('focusout', { bubbles: true, relatedTarget: null }))
    expect(document.activeElement).toBe(task)
    screen.when(ran)
    vi.advanceTimersByTime(60_000)
    expect(ran).not.toHaveBeenCalled()
    // Back in the window (focusin again), then out to the page: it comes a few seconds later.
    task.dispatchEvent(new FocusEvent('focusin', { bubbles: true, relatedTarget: null }))
    document.getElementById('host')!.focus()
    vi.advanceTimersByTime(QUIET_MS)
    expect(ran).toHaveBeenCalledOnce()
    stop()
  })

  it('the event that finished something (checked in the same turn) makes the experience wait', () => {
    const screen = make()
    const ran = vi.fn()
    // The trigger listener runs first, the gate hears the same event right after.
    screen.when(ran)
    track('Checklist Completed')
    vi.advanceTimersByTime(QUIET_MS - 1)
    expect(ran).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(ran).toHaveBeenCalledOnce()
  })

  it('of several experiences waiting, the one with the highest priority goes first', () => {
    const screen = make()
    const order: string[] = []
    screen.when(() => order.push('csat'))
    screen.when(() => order.push('ces'), 1)
    vi.advanceTimersByTime(0)
    expect(order).toEqual(['ces', 'csat'])
  })

  it('a waiting survey whose check throws neither reaches the page nor keeps the tour waiting beside it off the screen', () => {
    const screen = make()
    const order: string[] = []
    screen.when(() => {
      order.push('survey')
      throw new Error('controller bug')
    }, 1)
    screen.when(() => order.push('tour'))
    // Thrown from the timer, it would reach the page's window.onerror.
    expect(() => vi.advanceTimersByTime(0)).not.toThrow()
    expect(order).toEqual(['survey', 'tour'])
    screen.dispose()
  })

  it('remounted widgets take over what waits (a survey for calm, with its priority; a banner for the tab), and the old screen runs none of it', () => {
    const screen = make()
    const release = screen.hold()
    const survey = vi.fn()
    const banner = vi.fn()
    screen.when(survey, 2)
    shown('hidden')
    expect(screen.away(banner)).toBe(true)
    const left = screen.take()
    expect(left).toEqual([[survey, 2], [banner]])
    screen.dispose()
    release()
    shown('visible')
    vi.advanceTimersByTime(60_000)
    // Asked again by the next mount's screen, not run twice.
    expect(survey).not.toHaveBeenCalled()
    expect(banner).not.toHaveBeenCalled()
  })

  it('a burst of triggers in one turn costs the page one timer, and each still runs once', () => {
    const win = globalThis as unknown as Window
    const setTimer = vi.spyOn(win, 'setTimeout')
    const screen = createScreen(onTrack, win, () => Date.now())
    const ran = vi.fn()
    for (let i = 0; i < 100; i++) screen.when(ran)
    expect(setTimer).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(0)
    expect(ran).toHaveBeenCalledTimes(100)
    // Something finished meanwhile: the waiting one is put off by the quiet time, not lost.
    screen.when(ran)
    track('Badge Earned')
    vi.advanceTimersByTime(QUIET_MS - 1)
    expect(ran).toHaveBeenCalledTimes(100)
    vi.advanceTimersByTime(1)
    expect(ran).toHaveBeenCalledTimes(101)
    setTimer.mockRestore()
  })

  it('waits while the tab is in the background and comes once the user looks at it', () => {
    const screen = make()
    try {
      shown('hidden')
      const ran = vi.fn()
      screen.when(ran)
      vi.advanceTimersByTime(60_000)
      expect(ran).not.toHaveBeenCalled()
      shown('visible')
      vi.advanceTimersByTime(0)
      expect(ran).toHaveBeenCalledOnce()
    } finally {
      screen.dispose()
    }
  })

  it('tells what asks whether the tab is in the background to wait, and calls it back once the user looks', () => {
    const screen = make()
    try {
      expect(screen.away(() => {})).toBe(false)
      shown('hidden')
      const back = vi.fn()
      expect(screen.away(back)).toBe(true)
      expect(screen.away(back)).toBe(true)
      expect(back).not.toHaveBeenCalled()
      shown('visible')
      expect(back).toHaveBeenCalledOnce()
    } finally {
      screen.dispose()
    }
  })

  it("waits while the page's own modal, built as most apps build theirs (a div marked aria-modal), is open, and comes once it closed", () => {
    const screen = make()
    document.body.innerHTML = `<div id="upgrade" role="dialog" aria-modal="true" hidden><h2>Upgrade</h2></div>
      <div id="checkout" role="dialog" aria-modal="true"><h2>Checkout</h2><input aria-label="Card holder"></div>`
    const ran = vi.fn()
    screen.when(ran)
    vi.advanceTimersByTime(60_000)
    expect(ran).not.toHaveBeenCalled()
    // The app unmounts its checkout; the closed upgrade dialog it keeps hidden in the page is no modal.
    document.getElementById('checkout')!.remove()
    vi.advanceTimersByTime(MODAL_POLL_MS)
    expect(ran).toHaveBeenCalledOnce()
    screen.dispose()
    document.body.replaceChildren()
  })

  it("waits while the user fills in a field slotted into a design system's dialog (its <dialog> in the component's shadow root), and comes once they leave it", () => {
    const screen = make()
    document.body.innerHTML = '<x-dialog id="rename"><input id="name" aria-label="Project name"></x-dialog><button id="elsewhere">Elsewhere</button>'
    const wc = document.getElementById('rename')!
    wc.attachShadow({ mode: 'open' }).innerHTML = '<dialog open><h2>Rename</h2><slot></slot></dialog>'
    document.getElementById('name')!.focus()
    const ran = vi.fn()
    try {
      screen.when(ran)
      vi.advanceTimersByTime(60_000)
      expect(ran).not.toHaveBeenCalled()
      document.getElementById('elsewhere')!.focus()
      vi.advanceTimersByTime(MODAL_POLL_MS)
      expect(ran).toHaveBeenCalledOnce()
    } finally {
      screen.dispose()
      document.body.replaceChildren()
    }
  })

  it('a survey or tour due while the page shows something full screen (a presentation, a video) waits until the user leaves full screen', () => {
    const screen = make()
    document.body.innerHTML = '<div id="slides"><h1>Q3 review</h1></div>'
    const fullscreen = (el: Element | null) => Object.defineProperty(document, 'fullscreenElement', { value: el, configurable: true })
    fullscreen(document.getElementById('slides'))
    const ran = vi.fn()
    try {
      screen.when(ran)
      vi.advanceTimersByTime(60_000)
      expect(ran).not.toHaveBeenCalled()
      fullscreen(null)
      vi.advanceTimersByTime(MODAL_POLL_MS)
      expect(ran).toHaveBeenCalledOnce()
    } finally {
      delete (document as { fullscreenElement?: unknown }).fullscreenElement
      screen.dispose()
      document.body.replaceChildren()
    }
  })

  it('the host app’s own events do not delay anything', () => {
    const screen = make()
    const ran = vi.fn()
    screen.when(ran)
    track('Project Created')
    vi.advanceTimersByTime(0)
    expect(ran).toHaveBeenCalledOnce()
  })
  it('holds a modal while someone types in a field, and lets it in once they pause or leave it', () => {
    const screen = make()
    const field = document.body.appendChild(document.createElement('input'))
    const key = () => field.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }))
    const open = vi.fn(() => screen.typing(open))
    // Focus in a field, but no key yet: nobody is typing.
    field.focus()
    expect(screen.typing(open)).toBe(false)
    key()
    expect(screen.typing(open)).toBe(true)
    vi.advanceTimersByTime(TYPING_IDLE_MS - 500)
    key()
    vi.advanceTimersByTime(500)
    // Asked again at the first pause it could have been: still typing, it waits on.
    expect(open).toHaveBeenCalledOnce()
    expect(open.mock.results[0].value).toBe(true)
    vi.advanceTimersByTime(TYPING_IDLE_MS)
    expect(open).toHaveBeenCalledTimes(2)
    expect(open.mock.results[1].value).toBe(false)
    // Typing, then out of the field: nothing to wait for.
    key()
    field.blur()
    expect(screen.typing(open)).toBe(false)
    field.remove()
    screen.dispose()
  })
  it('made while someone types (the platform loaded mid-sentence for the banner that is due), it waits for their pause, not for keys it never heard', () => {
    const field = document.body.appendChild(document.createElement('input'))
    field.focus()
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }))
    const screen = make()
    const open = vi.fn(() => screen.typing(open))
    expect(screen.typing(open)).toBe(true)
    vi.advanceTimersByTime(TYPING_IDLE_MS)
    expect(open).toHaveBeenCalledOnce()
    expect(open.mock.results[0].value).toBe(false)
    field.remove()
    screen.dispose()
  })
  it("a modal waiting for someone to stop typing does not come over the page's own dialog their Enter opened: it waits until the dialog closes", () => {
    const screen = make()
    const field = document.body.appendChild(document.createElement('input'))
    field.focus()
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }))
    const open = vi.fn(() => screen.typing(open))
    try {
      expect(screen.typing(open)).toBe(true)
      // Enter: the app saves and asks "Invite your team?" in its own modal, focus in it.
      const invite = document.body.appendChild(Object.assign(document.createElement('div'), { innerHTML: '<h2>Invite your team?</h2><button>Invite</button>' }))
      invite.setAttribute('role', 'dialog')
      invite.setAttribute('aria-modal', 'true')
      invite.querySelector('button')!.focus()
      vi.advanceTimersByTime(60_000)
      expect(open).not.toHaveBeenCalled()
      invite.remove()
      vi.advanceTimersByTime(MODAL_POLL_MS)
      expect(open).toHaveBeenCalledOnce()
    } finally {
      field.remove()
      screen.dispose()
      document.body.replaceChildren()
    }
  })
  it('counts input without keys (a paste) and a focused iframe (a card field) as typing; a waiting check that throws stops no other', () => {
    const screen = make()
    const field = document.body.appendChild(document.createElement('textarea'))
    field.focus()
    field.dispatchEvent(new Event('input', { bubbles: true }))
    const broken = vi.fn(() => {
      throw new Error('controller bug')
    })
    const open = vi.fn()
    expect(screen.typing(broken)).toBe(true)
    expect(screen.typing(open)).toBe(true)
    vi.advanceTimersByTime(TYPING_IDLE_MS)
    expect(broken).toHaveBeenCalledOnce()
    expect(open).toHaveBeenCalledOnce()
    field.remove()
    const frame = document.body.appendChild(document.createElement('iframe'))
    // Another site's (its document unreadable, as a card form's is).
    Object.defineProperty(frame, 'contentDocument', { value: null })
    frame.focus()
    // Said as an iframe's: a wall that takes focus waits for no pause from it (billing.ts), only a while.
    expect(screen.typing(open)).toBe('iframe')
    frame.remove()
    screen.dispose()
  })
  it("hears the keys in a rich editor's own frame (same origin): typing while they type there, and the pause comes after their last key", () => {
    const screen = make()
    const frame = document.body.appendChild(document.createElement('iframe'))
    const editor = frame.contentDocument!
    editor.body.innerHTML = '<textarea></textarea>'
    frame.focus()
    editor.querySelector('textarea')!.focus()
    // A modal that opens on its own, asking again at each pause it is told of.
    const open = vi.fn()
    const ask = () => screen.typing(ask) || open()
    expect(screen.typing(ask)).toBe(true)
    for (let s = 0; s < 5; s++) vi.advanceTimersByTime(1000), editor.querySelector('textarea')!.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true }))
    expect(open).not.toHaveBeenCalled()
    vi.advanceTimersByTime(TYPING_IDLE_MS)
    expect(open).toHaveBeenCalledOnce()
    frame.remove()
    screen.dispose()
  })
})
