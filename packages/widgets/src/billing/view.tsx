import type { WidgetRender } from '../platform/context'
import { showNotices } from '../notice/notice'
import { messages as english } from '../platform/messages/en'
import { messages } from '../notice/messages-en'

/**
 * Billing prompts through the shared notice UI: the banner (payment banner, renewal reminder,
 * annual-plan offer) and the failed-payment wall (the blocking modal, with no way to close it).
 */
export const render: WidgetRender = (ctx) => {
  Object.assign(english, messages)
  const c = ctx.linger.experiences.billing!
  // The controller is the source (its act and dismiss), with the one notice each shows; the
  // banner counts as shown once it is in sight, not while it waits behind a modal.
  const stops = [showNotices(ctx, 'billing', { ...c, $notice: c.$banner, sight: c }), showNotices(ctx, 'billing', { ...c, $notice: c.$wall })]
  return () => stops.forEach((s) => s())
}
