export { mountWidgets } from './mount'
export type { MountOptions } from './mount'
export type { WidgetContext, WidgetRender } from './platform/context'
