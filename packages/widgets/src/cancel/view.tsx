import type { WidgetRender } from '../platform/context'
import { renderView } from '../platform/boundary'
import { rememberFocus } from '../platform/focus'
import { messages as english } from '../platform/messages/en'
import { CancelDialog } from './dialog'
import { messages } from './messages-en'
import css from './styles'

/** Parsed at idle once this chunk is in (WidgetPlatform.prepare). */
export { css }

/**
 * The cancellation flow's modal: open while the controller's state is open. The page behind it
 * is inert for as long, and focus returns to where it was (the host's cancel button) on close,
 * before the controller lets the host's own cancel click proceed.
 */
export const render: WidgetRender = (ctx) => {
  Object.assign(english, messages)
  // Mounted only once this kind's $needsUi turned true, so its controller runs.
  const cancel = ctx.linger.experiences.cancel!
  let close: (() => void) | undefined

  function open() {
    const restoreFocus = rememberFocus()
    const surface = ctx.surface('cancel', css, 'modal')
    const win = surface.hostEl.ownerDocument.defaultView as Window
    // On the window, so Esc works wherever focus is, and the page behind never sees it: nor the
    // browser, which would also close the page's own modal dialog the flow was opened from.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.isComposing) return
      e.stopPropagation()
      e.preventDefault()
      cancel.dispatch({ type: 'close' })
    }
    win.addEventListener('keydown', onKey, true)
    const unmount = renderView(ctx, 'cancel', <CancelDialog ctx={ctx} cancel={cancel} />, surface.root)
    close = () => {
      close = undefined
      win.removeEventListener('keydown', onKey, true)
      unmount()
      surface.remove()
      restoreFocus()
    }
  }

  const stop = cancel.$state.subscribe((s) => (s.step === 'closed' ? close?.() : close || open()))
  return () => {
    stop()
    close?.()
    // Removed while open (a render error): the flow must not stay open with nothing on screen.
    cancel.dispatch({ type: 'close' })
  }
}
