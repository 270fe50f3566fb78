import { deepActiveElement, focusIn, typing, visible } from './focus'
import { hostModal } from './inert'
/**
 * Screen etiquette for experiences that start on their own (a triggered survey or tour): they
 * wait while a celebration or a toast is on screen (`hold`) and for a few seconds after the user
 * finished something (Linger's own "done" events), while the page's own modal (a `<dialog>`, or an
 * element marked `aria-modal="true"`) is open, while focus is in a dialog of the page's (one in a
 * web component's shadow root, or marked `role="dialog"` only), while something is full screen,
 * and while the tab is in the background; then the controller re-checks eligibility.
 * `linger.show(id)` does not come through here: a vendor's explicit call shows at once.
 */
export interface Screen {
  /** Marks the screen busy (a toast, a celebration) until the returned release. */
  hold(): () => void
  /**
   * Busy while focus is in `el` (an open panel: the checklist, the "what's new" feed), until the
   * returned stop: a survey or tour step opening on its own would close it under the user's
   * focus, which would fall to the top of the page.
   */
  within(el: HTMLElement): () => void
  /**
   * Runs `fn` once the screen is calm; always later than now, never inside the caller's turn.
   * Of several waiting, the highest `priority` goes first (the others then find the slot taken).
   */
  when(fn: () => void, priority?: number): void
  /**
   * True while someone types in a field (a key in the last TYPING_IDLE_MS, focus still in the
   * field); `then` runs once they paused. A modal that opens on its own asks first: it takes
   * focus, and the rest of a sentence typed into the host's field would land in it (or in a
   * same-origin frame's: a rich editor's). 'iframe' (truthy) while focus sits in another site's
   * iframe: its keys, and so its pauses, never reach this page.
   */
  typing(then: () => void): boolean | 'iframe'
  /**
   * True while the tab is in the background; `then` runs once the user looks at it. What opens
   * or counts as shown on its own asks first: no one is there to see it.
   */
  away(then: () => void): boolean
  /**
   * Takes out what waits, for the next screen to ask again (the widgets remounted: vite's hot
   * reload, a framework remounting them): `when`'s with its priority; a pause or a look, to run
   * once a screen can answer (each asks again itself).
   */
  take(): Array<[() => void, number?]>
  dispose(): void
}

/** How long after the last key a field still counts as being typed in. */
export const TYPING_IDLE_MS = 2000

/** How often a waiting experience looks whether the page's own modal dialog has closed. */
export const MODAL_POLL_MS = 1000

/** How long after the user finished something the screen counts as busy. */
export const QUIET_MS = 3000

// Linger's own events for something the user just finished (a task, a list, a badge, a level,
// an answer, a tour, a cancel flow). The host app's events never end in these words.
const FINISHED = /^(Checklist|Badge|Level|Survey|Tour|Cancel) .*(Completed|Earned|Reached|Answered|Dismissed)$/

// Focus in the page's own dialog: a design system's keeps its <dialog> (or its aria-modal box) in
// a shadow root, out of reach of the page's querySelector (<md-dialog>, <sl-dialog>), and many
// mark theirs role="dialog" only (MUI's before v6, antd's before 2022): a survey came up beside
// the field the user was filling in. Up the flat tree, through slots and shadow hosts; Linger's
// own surfaces (a survey is a dialog too) are not the page's.
// One holding the page's main content is no dialog the user is busy in but the app's shell, marked
// so (the whole app in a role=dialog aria-modal box): nothing came on its own for the whole visit.
const shell = (el: Element) => !!el.querySelector('main,[role=main]')
const inDialog = (el: Element | null | undefined): boolean =>
  !!el && !el.matches('[data-linger]') && ((el.matches('dialog[open],[aria-modal=true],[role$=dialog]') && !shell(el)) || inDialog(el.assignedSlot ?? el.parentElement ?? (el.parentNode as ShadowRoot | null)?.host))

// Each on its own: one that throws must neither reach the page nor keep the others waiting.
const each = (fns: Array<() => void>) =>
  fns.forEach((fn) => {
    try {
      fn()
    } catch {}
  })

export function createScreen(onTrack: (fn: (name: string) => void) => () => void, win: Window, now = () => Date.now()): Screen {
  const doc = win.document
  const holds = new Set<object>()
  const waiting: Array<[() => void, number]> = []
  let calmAt = 0
  let timer: number | undefined
  let timerAt = 0
  const quiet = () => {
    calmAt = Math.max(calmAt, now() + QUIET_MS)
    later(QUIET_MS)
  }
  // A timer already due by then stays: flush() finds out whether it is calm yet. Replacing it on
  // every call made a timer per triggered experience per event, and a burst of track() calls
  // left thousands of dead ones for Blink's own garbage collector to pause the page over.
  const later = (ms: number) => {
    if (timer === undefined || now() + ms < timerAt) {
      win.clearTimeout(timer)
      timerAt = now() + ms
      timer = win.setTimeout(flush, ms)
    }
  }
  const busy = () => doc.fullscreenElement || hostModal(doc, true) || [...doc.querySelectorAll('[aria-modal=true]')].some((el) => visible(el) && !shell(el)) || inDialog(deepActiveElement(doc))
  function flush() {
    timer = undefined
    // A tab in the background (opened with a middle click, left behind): no one is there to see a
    // tour or a survey, and showing it would count as shown and spend its "once". It waits.
    if (holds.size || !waiting.length || doc.visibilityState === 'hidden') return
    if (calmAt > now()) return later(calmAt - now())
    // The page's own modal dialog is a task under way; its close is not an event here, so look again.
    // Most apps build theirs without `<dialog>` (a div marked aria-modal, its own focus trap,
    // which would fight a tour step's for focus); one kept in the page while closed is hidden.
    // Full screen (a presentation, a video), the top layer put a survey over it.
    if (busy()) return later(MODAL_POLL_MS)
    waiting.sort((a, b) => b[1] - a[1])
    each(waiting.splice(0).map(([fn]) => fn))
  }
  const stopTrack = onTrack((name) => FINISHED.test(name) && quiet())
  const afterAway = new Set<() => void>()
  const onVisible = () => {
    if (doc.visibilityState === 'hidden') return
    later(calmAt > now() ? calmAt - now() : 0)
    const fns = [...afterAway]
    afterAway.clear()
    each(fns)
  }
  doc.addEventListener('visibilitychange', onVisible)
  // Made while someone types (the platform loads for the first surface due, mid-sentence, and
  // heard none of their keys): a focused field counts as typed in just now.
  let lastKey = typing(doc) ? now() : -Infinity
  const onKey = () => void (lastKey = now())
  // Keys, and input without keys (paste, dictation, an on-screen keyboard's suggestions).
  const KEYS = ['keydown', 'input'] as const
  KEYS.forEach((t) => doc.addEventListener(t, onKey, true))
  const stop = () => (stopTrack(), doc.removeEventListener('visibilitychange', onVisible), KEYS.forEach((t) => doc.removeEventListener(t, onKey, true)))
  // Whether a frame's document still has our listeners: an editor's document.open (CKEditor 4's
  // setData) erases them, the document staying the same, and the wall came mid-sentence.
  let heard = false
  const PROBE = 'linger-heard'
  const onProbe = () => (heard = true)
  // The frames' documents heard, let go on dispose: an editor's frame lives on after a sign-out's
  // destroy(), and held this whole screen, its keys running a stopped Linger's listeners. (One
  // whose frame is gone is not held: an app's editors come and go, and a closed one's document
  // is the page's to let go.)
  const frames = new Set<WeakRef<Document>>()
  const listen = (f: Document | undefined, on?: boolean) => f && [...KEYS, PROBE].forEach((t) => f[on ? 'addEventListener' : 'removeEventListener'](t, t == PROBE ? onProbe : onKey, true))
  const afterTyping = new Set<() => void>()
  let typedTimer: number | undefined
  return {
    hold() {
      const token = {}
      holds.add(token)
      return () => {
        // Whatever was on screen just went: the user gets a few seconds before the next thing.
        if (holds.delete(token)) quiet()
      }
    },
    within(el) {
      let release: (() => void) | undefined
      const onFocus = (e: FocusEvent) => {
        // A focusout to another window (Alt+Tab) leaves focus in `el`: the user comes back to it.
        if (e.type === 'focusin' || el.contains(e.relatedTarget as Node | null) || focusIn(el)) release ??= this.hold()
        else if (release) release = void release()
      }
      if (focusIn(el)) release = this.hold()
      el.addEventListener('focusin', onFocus)
      el.addEventListener('focusout', onFocus)
      return () => {
        el.removeEventListener('focusin', onFocus)
        el.removeEventListener('focusout', onFocus)
        release?.()
      }
    },
    when(fn, priority = 0) {
      waiting.push([fn, priority])
      // Later, not now: the event that triggered the caller may still be on its way to the
      // listeners that make the screen busy (the badge it earns, the celebration).
      later(calmAt > now() ? calmAt - now() : 0)
    },
    typing(then) {
      // A frame of the page's own (a rich editor: TinyMCE classic, CKEditor 4) is heard as the page
      // is: its keys never bubble up here, and the wall came mid-sentence. Another site's (a card
      // number field) hides its keys, and so its pauses: focus in it counts as typing.
      let d = doc
      let el = deepActiveElement(d)
      for (let f; el?.tagName === 'IFRAME' && (f = (el as HTMLIFrameElement).contentDocument); el = deepActiveElement((d = f)))
        // First heard now: they may be mid-sentence, as on a field focused when this was made.
        (heard = false), f.dispatchEvent(new Event(PROBE)), heard || ((lastKey = now()), frames.forEach((g) => (g.deref()?.defaultView && g.deref() !== f) || frames.delete(g)), frames.add(new WeakRef(f)), listen(f, true))
      const frame = el?.tagName === 'IFRAME'
      const left = frame ? TYPING_IDLE_MS : lastKey + TYPING_IDLE_MS - now()
      if (left <= 0 || !typing(d)) return false
      afterTyping.add(then)
      const paused = () => {
        // The Enter that ended their sentence may have opened the page's own dialog: what waited
        // for the pause would come over it, and take its focus. It waits for the dialog too.
        if (busy()) return void (typedTimer = win.setTimeout(paused, MODAL_POLL_MS))
        typedTimer = undefined
        const fns = [...afterTyping]
        afterTyping.clear()
        // Each asks again: someone still typing puts it back for another pause.
        each(fns)
      }
      typedTimer ??= win.setTimeout(paused, left)
      return frame ? 'iframe' : true
    },
    away(then) {
      if (doc.visibilityState !== 'hidden') return false
      afterAway.add(then)
      return true
    },
    take() {
      const left: Array<[() => void, number?]> = [...waiting.splice(0), ...[...afterTyping, ...afterAway].map((fn): [() => void] => [fn])]
      afterTyping.clear()
      afterAway.clear()
      return left
    },
    dispose() {
      afterAway.clear()
      stop()
      frames.forEach((g) => listen(g.deref()))
      win.clearTimeout(timer)
      win.clearTimeout(typedTimer)
      afterTyping.clear()
      waiting.length = 0
    },
  }
}
