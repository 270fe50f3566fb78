import type { WidgetRender } from '../platform/context'

// Placeholder until this widget lands (its issue replaces this file).
export const render: WidgetRender = () => () => {}
