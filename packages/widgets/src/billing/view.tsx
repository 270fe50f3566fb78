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
  const stops = [showNotices(ctx, 'billing', { $notice: c.$banner, act: c.act, dismiss: c.dismiss }), showNotices(ctx, 'billing', { $notice: c.$wall, act: c.act, dismiss: c.dismiss })]
  return () => stops.forEach((s) => s())
}
